package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// simulateJSON runs "iamkit simulate --output json" on in and decodes the
// result.
func simulateJSON(t *testing.T, in string) resultJSON {
	t.Helper()
	code, stdout, stderr := iamkit(t, in, "simulate", "--input", "-", "--output", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got resultJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("output %q: %v", stdout, err)
	}
	return got
}

// TestSimulateTrustActions checks that resourcePolicy is read as the role's
// trust policy for every action a trust policy governs on a role, not only
// sts:AssumeRole*: the trust policy must allow sts:TagSession
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html,
// "Permissions required to add session tags") and sts:SetSourceIdentity
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html).
func TestSimulateTrustActions(t *testing.T) {
	const in = `{"request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "ACTION",
  "resource": "arn:aws:iam::111122223333:role/deploy"},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ACTION", "Resource": "*"}]}],
 "resourcePolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "TRUSTED"}]}}`
	tests := []struct {
		name, action, trusted, decision string
	}{
		{"sts:TagSession allowed by the trust policy", "sts:TagSession", "sts:TagSession", "allowed"},
		{"sts:SetSourceIdentity allowed by the trust policy", "sts:SetSourceIdentity", "sts:SetSourceIdentity", "allowed"},
		{"sts:TagSession not in the trust policy", "sts:TagSession", "sts:AssumeRole", "implicitDeny"},
		{"sts:AssumeRoleWithSAML still a trust action", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithSAML", "allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := simulateJSON(t, strings.NewReplacer("TRUSTED", tt.trusted, "ACTION", tt.action).Replace(in))
			if got.Decision != tt.decision {
				t.Errorf("decision = %q (%s), want %q", got.Decision, got.Reason, tt.decision)
			}
		})
	}
}

// TestSimulateProtected checks that simulate names the protection rule
// when Allow * would let a caller change an AWS managed policy ("You cannot
// change the permissions defined in AWS managed policies",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html).
func TestSimulateProtected(t *testing.T) {
	const in = `{"request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "iam:CreatePolicyVersion",
  "resource": "arn:aws:iam::aws:policy/AdministratorAccess", "resourceAccount": "111122223333"},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}`
	got := simulateJSON(t, in)
	if got.Decision != "implicitDeny" || got.Protection != "aws-managed-policy" || !strings.Contains(got.Reason, "aws-managed-policy") {
		t.Errorf("result = %+v, want implicitDeny by rule aws-managed-policy", got)
	}
	code, stdout, _ := iamkit(t, in, "simulate", "--input", "-")
	if code != 0 || !strings.Contains(stdout, "Protection: aws-managed-policy") {
		t.Errorf("text output (exit %d) lacks the rule:\n%s", code, stdout)
	}
}

// TestSimulatePairs: lists of actions and resources are answered pair by
// pair, as aws iam simulate-custom-policy's EvaluationResults
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html);
// a resource that is not an ARN is refused, as validate refuses one.
func TestSimulatePairs(t *testing.T) {
	in := `{"request": {"principal": "arn:aws:iam::111111111111:user/alice",
  "action": ["s3:GetObject", "s3:PutObject"], "resource": ["arn:aws:s3:::reports/a", "arn:aws:s3:::other/b"]},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}]}`
	code, stdout, stderr := iamkit(t, in, "simulate", "--input", "-", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		Results []struct {
			Action   string `json:"evalActionName"`
			Resource string `json:"evalResourceName"`
			Decision string `json:"decision"`
		} `json:"evaluationResults"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range out.Results {
		got = append(got, r.Action+" "+r.Resource+" "+r.Decision)
	}
	want := []string{"s3:GetObject arn:aws:s3:::reports/a allowed", "s3:GetObject arn:aws:s3:::other/b implicitDeny",
		"s3:PutObject arn:aws:s3:::reports/a implicitDeny", "s3:PutObject arn:aws:s3:::other/b implicitDeny"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	code, stdout, _ = iamkit(t, in, "simulate", "--input", "-")
	if code != 0 || strings.Count(stdout, " on arn:aws:s3:::") != 4 {
		t.Errorf("text: exit %d\n%s", code, stdout)
	}
	for _, bad := range []string{`"resource": "reports/a"`, `"resource": []`, `"action": "s3:Get*"`} {
		doc := strings.Replace(in, `"resource": ["arn:aws:s3:::reports/a", "arn:aws:s3:::other/b"]`, bad, 1)
		if strings.HasPrefix(bad, `"action"`) {
			doc = strings.Replace(in, `"action": ["s3:GetObject", "s3:PutObject"]`, bad, 1)
		}
		if code, _, stderr := iamkit(t, doc, "simulate", "--input", "-"); code != 2 || !strings.Contains(stderr, "request.") {
			t.Errorf("%s: exit %d, %s", bad, code, stderr)
		}
	}
}
