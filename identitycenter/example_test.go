package identitycenter_test

import (
	"context"
	"fmt"
	"time"

	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

// An organization of one account, a developers group with a permission
// set, provisioned into an sts.MemoryDirectory; then what the portal
// answers bob, and a session of the role named after him, tagged with his
// department and authorized like any other session.
func ExampleInstance_RoleCredentials() {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	dir := sts.NewMemoryDirectory()
	dir.PutAccount(sts.Account{ID: "111111111111"})
	dir.PutManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess", policy.MustParse(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`, policy.Identity))
	keys, _ := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("example-master-key-0123456789abcdef")})
	issuer, _ := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock})

	ic, _ := identitycenter.New(identitycenter.Options{IdentityStoreID: "d-0000000000", Now: clock})
	ic.PutAccount(identitycenter.Account{ID: "111111111111", Name: "dev", Email: "dev@example.com"})
	bob, _ := ic.CreateUser(identitycenter.User{UserName: "bob", DisplayName: "Bob",
		Attributes: map[string]string{"enterprise.department": "payments"}})
	devs, _ := ic.CreateGroup(identitycenter.Group{DisplayName: "developers"})
	ic.CreateGroupMembership(devs.ID, bob.ID)
	ic.CreatePermissionSet(identitycenter.PermissionSet{Name: "ReadOnlyAccess", SessionDuration: "PT8H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}})
	ic.CreateAccountAssignment(identitycenter.Assignment{AccountID: "111111111111", PermissionSet: "ReadOnlyAccess",
		PrincipalType: identitycenter.PrincipalGroup, PrincipalID: devs.ID})
	ic.SetAccessControlAttributes([]identitycenter.AccessControlAttribute{{Key: "team", Source: "${path:enterprise.department}"}})
	res, err := ic.Provision(ctx, dir)
	if err != nil {
		panic(err)
	}
	fmt.Println("created:", res.Created)

	accounts, _ := ic.ListAccounts(bob.ID)
	roles, _ := ic.ListAccountRoles(bob.ID, "111111111111")
	fmt.Println("accounts:", accounts)
	fmt.Println("roles:", roles)

	creds, err := ic.RoleCredentials(ctx, issuer, bob.ID, "111111111111", "ReadOnlyAccess")
	if err != nil {
		panic(err)
	}
	fmt.Println("session:", creds.AssumedRoleARN)
	fmt.Println("expires:", creds.Expiration)

	session, _ := issuer.Authenticate(ctx, creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	fmt.Println("tags:", session.Tags)
	for _, action := range []string{"s3:GetObject", "s3:PutObject"} {
		d, _ := issuer.Authorize(ctx, session, sts.AuthorizeInput{Action: action, Resource: "arn:aws:s3:::payments/report.csv"})
		fmt.Println(action, d.Allowed())
	}

	_, err = ic.RoleCredentials(ctx, issuer, bob.ID, "111111111111", "AdministratorAccess")
	fmt.Println(err)
	// Output:
	// created: [arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_1a190ea246ff30d4]
	// accounts: [{111111111111 dev dev@example.com}]
	// roles: [{111111111111 ReadOnlyAccess}]
	// session: arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_ReadOnlyAccess_1a190ea246ff30d4/bob
	// expires: 2026-12-01 17:00:00 +0000 UTC
	// tags: [{team payments}]
	// s3:GetObject true
	// s3:PutObject false
	// identitycenter: ForbiddenException: No access
}
