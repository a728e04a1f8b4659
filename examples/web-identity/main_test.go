package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation: a GitHub Actions role trusts the
// provider for the token.actions.githubusercontent.com:sub and :aud it
// names (id_roles_providers_create_oidc.html,
// reference_policies_iam-condition-keys.html#condition-keys-wif; custom
// claims are no condition keys), and an EKS pod's token must carry the
// audience sts.amazonaws.com, else "Incorrect token audience"
// (https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html,
// API_AssumeRoleWithWebIdentity.html).
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
		t.Errorf("web-identity output mismatch (-want +got):\n%s", diff)
	}
}
