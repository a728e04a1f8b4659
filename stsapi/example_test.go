package stsapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

// ExampleNewHandler serves an in-process issuer over HTTP and calls it with
// the AWS SDK for Go, exactly as a program would call AWS STS.
func ExampleNewHandler() {
	dir := sts.NewMemoryDirectory()
	_ = dir.PutUser(sts.User{ARN: "arn:aws:iam::111111111111:user/alice", UniqueID: "AIDAALICE00000000001",
		AccessKeys: []sts.AccessKey{{ID: "AKIAQ3EGRHQKKIHC2LNU", Secret: sts.NewSecret("alice-secret")}}})
	_ = dir.PutRole(sts.Role{ARN: "arn:aws:iam::111111111111:role/deploy", UniqueID: "AROADEPLOY0000000001",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sts:AssumeRole"}]}`, policy.Trust)})
	keys, _ := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("example-key-material-of-32-bytes!!")})
	issuer, _ := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
	handler, _ := stsapi.NewHandler(stsapi.Options{Issuer: issuer})

	srv := httptest.NewServer(handler)
	defer srv.Close()
	client := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: awscreds.NewStaticCredentialsProvider("AKIAQ3EGRHQKKIHC2LNU", "alice-secret", "")})

	out, err := client.AssumeRole(context.Background(), &awssts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::111111111111:role/deploy"), RoleSessionName: aws.String("build")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aws.ToString(out.AssumedRoleUser.Arn))
	fmt.Println(aws.ToString(out.AssumedRoleUser.AssumedRoleId))
	// Output:
	// arn:aws:sts::111111111111:assumed-role/deploy/build
	// AROADEPLOY0000000001:build
}
