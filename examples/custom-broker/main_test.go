package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/sts"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation:
//   - a custom identity broker authenticates its own users and calls
//     GetFederationToken with its IAM user's long-term credentials
//     (id_roles_common-scenarios_federated-users.html,
//     id_credentials_temp_request.html#api_getfederationtoken); the
//     federated user is arn:aws:sts::ACCOUNT:federated-user/NAME with the
//     FederatedUserId ACCOUNT:NAME (the example response there, and
//     https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html);
//   - the session's permissions are the intersection of the IAM user's
//     identity-based policy and the session policy, which cannot grant more
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session,
//     id_credentials_temp_control-access_getfederationtoken.html): another
//     user's prefix is denied because no session policy allows it, and an
//     action only the session policy allows is denied too;
//   - federated user credentials cannot call IAM operations, nor STS
//     operations except GetCallerIdentity
//     (id_credentials_temp_request.html#stsapi_comparison);
//   - GetFederationToken lasts 900 to 129,600 s, 43,200 s by default, and
//     at most one hour (the longer request "defaults to one hour") for the
//     root user (API_GetFederationToken.html, DurationSeconds).
//
// The closing advice cites id_roles_providers_saml.html,
// id_roles_providers_oidc.html, the EKS guide's
// iam-roles-for-service-accounts.html and
// best-practices.html#bp-users-federation-idp.
func TestOutput(t *testing.T) {
	var got bytes.Buffer
	if err := run(&got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/output.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("custom-broker output mismatch (-want +got):\n%s", diff)
	}
}

// TestSignInRefusedBeforeSTS checks that the broker refuses a wrong
// password and an unknown user with one and the same error and never calls
// STS for them: the broker, not AWS, authenticates its users
// (id_roles_common-scenarios_federated-users.html).
func TestSignInRefusedBeforeSTS(t *testing.T) {
	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("t", 32))})
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: sts.NewMemoryDirectory(), Keys: ring,
		Now: func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	// A nil caller session makes any STS call fail with
	// MissingAuthenticationToken, so reaching STS would show.
	b, err := newBroker(issuer, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.addUser("alice", "design", "right password"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, user, password string }{
		{"wrong password", "alice", "wrong password"},
		{"unknown user", "eve", "right password"},
		{"empty password", "alice", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := b.signIn(context.Background(), tc.user, tc.password)
			if !errors.Is(err, errSignIn) {
				t.Errorf("signIn(%q, %q) = %v, want %v", tc.user, tc.password, err, errSignIn)
			}
			if b.stsCalls != 0 {
				t.Errorf("the broker called STS %d times, want 0", b.stsCalls)
			}
		})
	}
}

// TestAddUserRefusesPolicyCharacters checks that names which would change
// the session policy's meaning (wildcards, policy variables, path
// separators) never reach it; the allowed characters are those of
// GetFederationToken's Name (API_GetFederationToken.html).
func TestAddUserRefusesPolicyCharacters(t *testing.T) {
	b := &broker{users: map[string]member{}}
	for _, tc := range []struct{ user, team string }{
		{"*", "design"},
		{"alice", "*"},
		{"al?ce", "design"},
		{"${aws:username}", "design"},
		{"alice", "design/../payments"},
		{"a", "design"},
		{"alice", strings.Repeat("t", 33)},
	} {
		if err := b.addUser(tc.user, tc.team, "pw"); err == nil {
			t.Errorf("addUser(%q, %q) accepted", tc.user, tc.team)
		}
	}
}
