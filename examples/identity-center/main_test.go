package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The SAML
// provider's RSA key is new at every run, so the test also proves that
// nothing printed depends on it. The expected answers follow AWS's
// documentation:
//   - long-term access keys begin with AKIA, temporary ones with ASIA,
//     users' unique IDs with AIDA and roles' with AROA
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids);
//     a user holds at most two access keys (reference_iam-quotas.html),
//     and a key has no expiry (id_credentials_access-keys.html);
//   - assigning a permission set in an account creates the role
//     AWSReservedSSO_<name>_<16 hex> under /aws-reserved/sso.amazonaws.com/,
//     with no Region in the path when the identity source is in us-east-1
//     (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html),
//     with a maximum session duration of 12 hours, while sessions last the
//     permission set's duration, 1 hour by default and at most 12
//     (howtosessionduration.html); the inline policy is named
//     AwsSSOInlinePolicy and the account's SAML provider
//     AWSSSO_<16 hex>_DO_NOT_DELETE (as AWS names them in every account;
//     the provider's name pattern in iam-auth-access-using-id-policies.html);
//   - the portal lists the accounts (accountId, accountName, emailAddress)
//     and, per account, the permission sets as roleName; GetRoleCredentials
//     answers credentials with an expiration in epoch milliseconds
//     (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccounts.html,
//     API_ListAccountRoles.html, API_GetRoleCredentials.html, API_RoleCredentials.html);
//     the session is named after the user, so aws:userid is
//     AROA...:USERNAME (authconcept-revoke-access.html);
//   - an explicit Deny overrides any Allow, and a request no policy allows
//     is implicitly denied (reference_policies_evaluation-logic.html);
//   - removing a user's assignments and group memberships "prevents the
//     user from assuming any additional IAM roles" (revoke-user-permissions.html):
//     GetRoleCredentials answers ForbiddenException "No access"; sessions
//     already issued stay valid until they expire
//     (id_credentials_temp_control-access_disable-perms.html), unless a
//     Deny on aws:userid, such as an SCP, names the user
//     (prereqs-revoking-user-permissions.html, authconcept-revoke-access.html);
//     an expired session is ExpiredToken;
//   - "You cannot edit IAM roles created from IAM Identity Center permission
//     sets" (id_credentials_temp_control-access_disable-perms.html), even
//     as an administrator; an ordinary role can be;
//   - a deleted user's key "does not exist in our records":
//     InvalidClientTokenId, HTTP 403
//     (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html),
//     with the message STS sends, "The security token included in the
//     request is invalid."
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
		t.Errorf("identity-center output mismatch (-want +got):\n%s", diff)
	}
}
