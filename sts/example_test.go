package sts_test

import (
	"context"
	"fmt"
	mrand "math/rand/v2"
	"time"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

// An IAM user assumes a role whose trust policy names it, then uses the
// temporary credentials. The clock and the randomness are fixed so the
// output does not change; real programs leave Options.Now and Options.Rand
// nil.
func ExampleIssuer_AssumeRole() {
	ctx := context.Background()
	now := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

	dir := sts.NewMemoryDirectory()
	err := dir.PutUser(sts.User{
		ARN: "arn:aws:iam::111122223333:user/alice", UniqueID: "AIDAALICEEXAMPLE0001",
		AccessKeys: []sts.AccessKey{{ID: "AKIAIOSFODNN7EXAMPLE", Secret: sts.NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}},
	})
	if err != nil {
		panic(err)
	}
	err = dir.PutRole(sts.Role{
		ARN: "arn:aws:iam::111122223333:role/reports-reader", UniqueID: "AROAREPORTSREADER0001",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`, policy.Identity)},
	})
	if err != nil {
		panic(err)
	}

	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("example-master-key-of-at-least-32-bytes")})
	if err != nil {
		panic(err)
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys,
		Now: func() time.Time { return now }, Rand: mrand.NewChaCha8([32]byte{})})
	if err != nil {
		panic(err)
	}

	alice, err := issuer.Authenticate(ctx, "AKIAIOSFODNN7EXAMPLE", sts.NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "")
	if err != nil {
		panic(err)
	}
	out, err := issuer.AssumeRole(ctx, alice, &sts.AssumeRoleInput{
		RoleArn:         "arn:aws:iam::111122223333:role/reports-reader",
		RoleSessionName: "alice-reports",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.AssumedRoleUser.Arn)
	fmt.Println(out.AssumedRoleUser.AssumedRoleId)
	fmt.Println("expires", out.Credentials.Expiration.Format(time.RFC3339))
	fmt.Println("secret", out.Credentials.SecretAccessKey)

	// The session token opens without any lookup.
	c := out.Credentials
	session, err := issuer.Authenticate(ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	if err != nil {
		panic(err)
	}
	for _, object := range []string{"arn:aws:s3:::reports/2026-01.csv", "arn:aws:s3:::payroll/2026-01.csv"} {
		d, err := issuer.Authorize(ctx, session, sts.AuthorizeInput{Action: "s3:GetObject", Resource: object})
		if err != nil {
			panic(err)
		}
		fmt.Println("s3:GetObject", object, d.Explanation.Decision)
	}
	// Output:
	// arn:aws:sts::111122223333:assumed-role/reports-reader/alice-reports
	// AROAREPORTSREADER0001:alice-reports
	// expires 2026-01-15T10:00:00Z
	// secret [REDACTED]
	// s3:GetObject arn:aws:s3:::reports/2026-01.csv allowed
	// s3:GetObject arn:aws:s3:::payroll/2026-01.csv implicitDeny
}
