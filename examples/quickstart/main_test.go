package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo's decisions against the expected transcript.
// The expected answers follow AWS's documentation:
//   - cross-account AssumeRole needs the caller's identity policy and the
//     trust policy (reference_policies_evaluation-logic-cross-account.html),
//     and a trust policy condition on sts:ExternalId blocks a wrong or
//     missing ExternalId (id_roles_common-scenarios_third-party.html);
//   - a permissions boundary caps the role's permissions
//     (access_policies_boundaries.html);
//   - an explicit deny in the bucket policy wins
//     (reference_policies_evaluation-logic.html);
//   - the same answers hold for the temporary credentials STS issues to the
//     role session (API_AssumeRole.html), whose aws:userid is
//     AROA...:session (reference_policies_variables.html#policy-vars-infotouse).
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
		t.Errorf("quickstart output mismatch (-want +got):\n%s", diff)
	}
}
