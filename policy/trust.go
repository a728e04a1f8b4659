package policy

import "strings"

// trustActions are the actions that a role's trust policy governs when the
// resource is the role, as AWS documents them:
//   - sts:AssumeRole, sts:AssumeRoleWithSAML and sts:AssumeRoleWithWebIdentity:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html
//   - sts:TagSession, needed to pass session tags ("Permissions required to
//     add session tags"):
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
//   - sts:SetSourceIdentity, needed to set a source identity:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
var trustActions = [...]string{
	"sts:AssumeRole",
	"sts:AssumeRoleWithSAML",
	"sts:AssumeRoleWithWebIdentity",
	"sts:TagSession",
	"sts:SetSourceIdentity",
}

// TrustActions returns the actions that a role's trust policy governs when
// the request's resource is the role: a [Trust] policy is the role's
// resource-based policy for them. It returns a new slice on each call.
func TrustActions() []string {
	return append([]string(nil), trustActions[:]...)
}

// IsTrustAction reports whether action is one of [TrustActions], compared
// case-insensitively as AWS compares actions.
func IsTrustAction(action string) bool {
	for _, a := range trustActions {
		if strings.EqualFold(action, a) {
			return true
		}
	}
	return false
}
