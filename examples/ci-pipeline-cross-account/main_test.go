package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation:
//   - a role in another account of your own that trusts a principal by ARN
//     is assumed with AssumeRole and no ExternalId; the caller's own policy
//     must allow sts:AssumeRole on it and the role's trust policy must name
//     the caller, so another role of the build account is refused
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html;
//     the ExternalId is for third parties, id_roles_common-scenarios_third-party.html);
//   - a role session assuming a role is role chaining, limited to one hour
//     whatever the role's MaxSessionDuration: a longer DurationSeconds is
//     ValidationError "The requested DurationSeconds exceeds the 1 hour
//     session limit for roles assumed by role chaining."
//     (id_roles_terms-and-concepts.html#iam-term-role-chaining);
//   - an SCP's Deny on aws:RequestedRegion refuses the production account's
//     principals outside the allowed Region, while the role's permission
//     policy still bounds what is allowed inside it
//     (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html#example-scp-deny-region,
//     reference_policies_evaluation-logic.html);
//   - a service role pins the service to its own resource with
//     aws:SourceAccount and aws:SourceArn (confused-deputy.html), which is
//     what Access Analyzer's RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL checks
//     (access-analyzer-reference-policy-checks.html).
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
		t.Errorf("ci-pipeline-cross-account output mismatch (-want +got):\n%s", diff)
	}
}
