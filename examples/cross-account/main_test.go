package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation: a trust policy condition on
// sts:ExternalId admits only the agreed ExternalId and refuses a wrong or
// missing one (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
// id_roles_common-scenarios_third-party.html), and the session may do only
// what the role's permission policy allows
// (reference_policies_evaluation-logic.html).
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
		t.Errorf("cross-account output mismatch (-want +got):\n%s", diff)
	}
}
