package world_test

import (
	"context"
	"fmt"

	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/world"
)

// A test loads a small world from JSON and assumes one of its roles as the
// world's user, with an issuer over the world's directory and key ring.
func ExampleLoad() {
	w, err := world.Load("test-world.json", []byte(`{
  "keyRing": [{"id": 1, "secret": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}],
  "users": [{"arn": "arn:aws:iam::111111111111:user/alice",
             "accessKeys": [{"id": "AKIARTXV5AHDSK35UWJR", "secret": "alice-secret"}]}],
  "roles": [{"arn": "arn:aws:iam::111111111111:role/deploy",
             "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111111111111:user/alice"}, "Action": "sts:AssumeRole"}]}}]
}`))
	if err != nil {
		panic(err) // an *world.Error: test-world.json:LINE:COLUMN: PATH: message
	}
	issuer, err := w.Issuer(sts.Options{Region: "us-east-1"})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	key, _ := w.CallerKey()
	alice, err := issuer.Authenticate(ctx, key.ID, key.Secret, "")
	if err != nil {
		panic(err)
	}
	out, err := issuer.AssumeRole(ctx, alice, &sts.AssumeRoleInput{
		RoleArn: "arn:aws:iam::111111111111:role/deploy", RoleSessionName: "test"})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.AssumedRoleUser.Arn)

	_, err = world.Load("bad.json", []byte(`{"roles": [{"arn": "arn:aws:iam::111111111111:role/r"}]}`))
	fmt.Println(err)
	// Output:
	// arn:aws:sts::111111111111:assumed-role/deploy/test
	// bad.json:1:12: roles[0].trustPolicy: missing required field
}
