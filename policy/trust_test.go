package policy_test

import (
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// TestIsTrustAction checks the actions a role's trust policy governs, as AWS
// documents them: the three AssumeRole operations
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html),
// sts:TagSession ("Permissions required to add session tags",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html) and
// sts:SetSourceIdentity
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html).
// Actions compare case-insensitively
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
func TestIsTrustAction(t *testing.T) {
	tests := []struct {
		action string
		want   bool
	}{
		{"sts:AssumeRole", true},
		{"sts:AssumeRoleWithSAML", true},
		{"sts:AssumeRoleWithWebIdentity", true},
		{"sts:TagSession", true},
		{"sts:SetSourceIdentity", true},
		{"STS:tagsession", true},
		{"sts:GetCallerIdentity", false},
		{"sts:GetFederationToken", false},
		{"sts:AssumeRole*", false},
		{"iam:PassRole", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			if got := policy.IsTrustAction(tt.action); got != tt.want {
				t.Errorf("IsTrustAction(%q) = %v, want %v", tt.action, got, tt.want)
			}
		})
	}
	list := policy.TrustActions()
	if len(list) != 5 {
		t.Fatalf("TrustActions() = %v, want 5 actions", list)
	}
	for _, a := range list {
		if !policy.IsTrustAction(a) {
			t.Errorf("IsTrustAction(%q) = false for an action TrustActions lists", a)
		}
	}
	list[0] = "s3:GetObject"
	if policy.TrustActions()[0] != "sts:AssumeRole" {
		t.Error("TrustActions returns the package's own array: a caller can change it")
	}
}
