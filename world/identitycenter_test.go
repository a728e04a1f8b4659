package world

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/sts"
)

// TestDefaultWorldIdentityCenter: the built-in world's Identity Center
// (issue 13): alice (admins) gets AdministratorAccess in both accounts,
// bob (developers) DeveloperAccess in 111111111111 with his team's ABAC
// tag and ReadOnlyAccess in 222222222222, and nothing else; the
// provisioned roles are AWSReservedSSO roles
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
func TestDefaultWorldIdentityCenter(t *testing.T) {
	w := Default()
	ic := w.IdentityCenter()
	if ic == nil {
		t.Fatal("no Identity Center")
	}
	if ic.StartURL() != "https://d-0000000000.awsapps.com/start" {
		t.Errorf("start URL %s", ic.StartURL())
	}
	alice, ok := w.SignInUser("ALICE")
	if !ok || bcrypt.CompareHashAndPassword(alice.PasswordHash, []byte("alice-example-password")) != nil {
		t.Fatalf("alice's sign-in: %+v %v", alice, ok)
	}
	bob, _ := w.SignInUser("bob")
	issuer, err := w.Issuer(sts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		user            SignInUser
		account, set    string
		ok              bool
		allowed, denied string
	}{
		{alice, "111111111111", "AdministratorAccess", true, "arn:aws:s3:::anything/x", ""},
		{alice, "222222222222", "AdministratorAccess", true, "", ""},
		{bob, "111111111111", "DeveloperAccess", true, "arn:aws:s3:::example-team-docs/blue/plan.txt", "arn:aws:s3:::example-team-docs/red/plan.txt"},
		{bob, "222222222222", "ReadOnlyAccess", true, "", ""},
		{bob, "111111111111", "AdministratorAccess", false, "", ""},
	} {
		rc, err := ic.RoleCredentials(ctx, issuer, tc.user.UserID, tc.account, tc.set)
		if !tc.ok {
			if !errors.Is(err, identitycenter.ErrForbidden) {
				t.Errorf("%s %s in %s: %v, want ForbiddenException", tc.user.UserName, tc.set, tc.account, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s %s in %s: %v", tc.user.UserName, tc.set, tc.account, err)
		}
		if !strings.HasPrefix(rc.AssumedRoleARN, "arn:aws:sts::"+tc.account+":assumed-role/AWSReservedSSO_"+tc.set+"_") || !strings.HasSuffix(rc.AssumedRoleARN, "/"+tc.user.UserName) {
			t.Errorf("session %s", rc.AssumedRoleARN)
		}
		s, err := issuer.Authenticate(ctx, rc.Credentials.AccessKeyID, rc.Credentials.SecretAccessKey, rc.Credentials.SessionToken)
		if err != nil {
			t.Fatal(err)
		}
		for res, want := range map[string]bool{tc.allowed: true, tc.denied: false} {
			if res == "" {
				continue
			}
			d, err := issuer.Authorize(ctx, s, sts.AuthorizeInput{Action: "s3:GetObject", Resource: res})
			if err != nil {
				t.Fatal(err)
			}
			if d.Allowed() != want {
				t.Errorf("%s via %s: s3:GetObject %s allowed=%v, want %v", tc.user.UserName, tc.set, res, d.Allowed(), want)
			}
		}
	}
}

func TestIdentityCenterErrors(t *testing.T) {
	const user = `{"userName":"u","passwordHash":"$2a$10$sgk6IHQ1l0qgL4JbY/Xzzu64uqVeGpuvVfhf7ujMwtFHXz45NFPKa"}`
	tests := []struct{ name, world, want string }{
		{"member unknown", `{"identityCenter":{"users":[` + user + `],"groups":[{"displayName":"g","members":["nobody"]}]}}`, `identityCenter.groups[0].members[0]: no user "nobody"`},
		{"user and group", `{"identityCenter":{"users":[` + user + `],"assignments":[{"user":"u","group":"g","permissionSet":"p","accounts":["111111111111"]}]}}`, "give user or group, not both or neither"},
		{"not bcrypt", `{"identityCenter":{"users":[{"userName":"u","passwordHash":"hunter2"}]}}`, "must be a bcrypt hash"},
		{"unknown account", `{"identityCenter":{"users":[` + user + `],"permissionSets":[{"name":"p"}],"assignments":[{"user":"u","permissionSet":"p","accounts":["999999999999"]}]}}`, "identityCenter.assignments[0].accounts[0]"},
		{"customer managed policy missing", `{"accounts":[{"id":"111111111111"}],"identityCenter":{"users":[` + user + `],"permissionSets":[{"name":"p","customerManagedPolicies":[{"name":"Missing"}]}],"assignments":[{"user":"u","permissionSet":"p","accounts":["111111111111"]}]}}`,
			`provisioning permission set "p" into account 111111111111`},
		{"bad session duration", `{"identityCenter":{"permissionSets":[{"name":"p","sessionDuration":"PT13H"}]}}`, "identityCenter.permissionSets[0]: ValidationException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("w.json", []byte(tc.world))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Error("the message shows the password")
			}
		})
	}
}
