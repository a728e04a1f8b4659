package credentials_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

// Alice, an IAM user, assumes the role "deploy" with her long-term keys;
// the SDK's credential cache refreshes the role credentials before they
// expire. Passing the wrong ExternalId fails with STS's own error code.
func ExampleNewAssumeRoleProvider() {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	dir := sts.NewMemoryDirectory()
	if err := dir.PutUser(sts.User{
		ARN: "arn:aws:iam::111122223333:user/alice", UniqueID: "AIDAALICEEXAMPLE0001",
		AccessKeys: []sts.AccessKey{{ID: "AKIAIOSFODNN7EXAMPLE", Secret: sts.NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}},
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/deploy"}]}`, policy.Identity)},
	}); err != nil {
		panic(err)
	}
	if err := dir.PutRole(sts.Role{
		ARN: "arn:aws:iam::111122223333:role/deploy", UniqueID: "AROADEPLOYEXAMPLE001",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole",
			"Condition":{"StringEquals":{"sts:ExternalId":"deploy-4711"}}}]}`, policy.Trust),
	}); err != nil {
		panic(err)
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("k", 32))})
	if err != nil {
		panic(err)
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock})
	if err != nil {
		panic(err)
	}

	alice := credentials.NewStaticProvider("AKIAIOSFODNN7EXAMPLE", sts.NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "111122223333")
	deploy := aws.NewCredentialsCache(credentials.NewAssumeRoleProvider(issuer, alice, "arn:aws:iam::111122223333:role/deploy",
		func(o *credentials.AssumeRoleOptions) {
			o.RoleSessionName = "ci-build"
			o.Duration = time.Hour
			o.ExternalID = aws.String("deploy-4711")
		}))
	creds, err := deploy.Retrieve(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("source:", creds.Source)
	fmt.Println("account:", creds.AccountID)
	fmt.Println("expires:", creds.CanExpire, creds.Expires.Format(time.RFC3339))

	// Anything that accepts these credentials sees a session of the role.
	s, err := issuer.Authenticate(ctx, creds.AccessKeyID, sts.NewSecret(creds.SecretAccessKey), creds.SessionToken)
	if err != nil {
		panic(err)
	}
	fmt.Println("caller:", s.ARN)

	wrong := credentials.NewAssumeRoleProvider(issuer, alice, "arn:aws:iam::111122223333:role/deploy",
		func(o *credentials.AssumeRoleOptions) { o.ExternalID = aws.String("guess") })
	_, err = wrong.Retrieve(ctx)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("wrong ExternalId:", apiErr.ErrorCode())
	}
	// Output:
	// source: iamkit:AssumeRole
	// account: 111122223333
	// expires: true 2026-11-27T13:00:00Z
	// caller: arn:aws:sts::111122223333:assumed-role/deploy/ci-build
	// wrong ExternalId: AccessDenied
}
