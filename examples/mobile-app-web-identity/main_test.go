package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The signing
// key is new at every run, so the test also proves that nothing printed
// depends on it. The expected answers follow AWS's documentation:
//   - a Cognito identity pool's OpenID token (GetOpenIdToken, valid for 10
//     minutes) is traded for role credentials with
//     AssumeRoleWithWebIdentity in the basic flow
//     (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html);
//   - the role trusts the Federated principal cognito-identity.amazonaws.com
//     with StringEquals on cognito-identity.amazonaws.com:aud (the pool ID)
//     and ForAnyValue:StringLike on :amr; a token whose amr is
//     "unauthenticated", or another pool's, is refused with "AccessDenied --
//     Not authorized to perform sts:AssumeRoleWithWebIdentity"
//     (role-trust-and-permissions.html, iam-roles.html);
//   - the session carries the provider's aud, amr and sub into every
//     request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif),
//     and ${cognito-identity.amazonaws.com:sub} in the Resource and in
//     s3:prefix gives each identity its own prefix and nothing else
//     (iam-roles.html "Example 2", reference_policies_variables.html).
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
		t.Errorf("mobile-app-web-identity output mismatch (-want +got):\n%s", diff)
	}
}
