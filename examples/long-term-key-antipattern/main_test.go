package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation:
//   - workloads should use temporary credentials from IAM roles, such as
//     EC2 instance roles, rather than long-term access keys, which are
//     long-term credentials of an IAM user with no expiration of their own
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles,
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html);
//   - instance role credentials are temporary, and the metadata service
//     makes new credentials available before the old ones expire
//     (AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html); iamkit's
//     metadata service issues one-hour sessions, AssumeRole's default
//     (API_AssumeRole.html, DurationSeconds), while EC2 picks its own
//     duration, which the role's MaxSessionDuration does not limit
//     (IAM API_UpdateRole.html); a request with expired credentials
//     answers HTTP 403 "The security token included in the request is
//     expired" (ExpiredToken);
//   - GetSessionToken lasts 900 to 129,600 seconds for an IAM user, and
//     policies have no effect on a user's ability to call it
//     (API_GetSessionToken.html,
//     id_credentials_temp_control-access_getsessiontoken.html);
//   - aws:TokenIssueTime is in the request context only for requests
//     signed with temporary credentials, so a Deny with "Null":
//     {"aws:TokenIssueTime": "true"} refuses requests signed with a
//     long-term key and no others
//     (reference_policies_condition-keys.html#condition-keys-tokenissuetime,
//     reference_policies_elements_condition_operators.html#Conditions_Null),
//     an SCP Deny overriding every allow (orgs_manage_policies_scps.html);
//   - an Inactive access key "cannot be used" (IAM API_UpdateAccessKey.html;
//     iamkit answers InvalidClientTokenId, as for a key that does not
//     exist), while temporary credentials stay valid until
//     they expire and are stopped by denying the permissions of their
//     user, here with a Deny on aws:TokenIssueTime
//     (id_credentials_temp_control-access_disable-perms.html,
//     id_roles_use_revoke-sessions.html).
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
		t.Errorf("long-term-key-antipattern output mismatch (-want +got):\n%s", diff)
	}
}
