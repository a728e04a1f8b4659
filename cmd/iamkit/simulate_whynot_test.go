package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// whyNotInput is denied by the SCPs at level 1, which allow only EC2
// ("every level must allow", orgs_manage_policies_scps_evaluation.html);
// the identity policy's other statements miss on their condition
// (elements_condition_operators.html) and on NotAction
// (reference_policies_elements_notaction.html).
const whyNotInput = `{"request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::reports/q1.csv", "context": {"aws:SourceIp": "203.0.113.9"}},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": [
   {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
   {"Sid": "Office", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
   {"Sid": "NotS3", "Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]}],
 "serviceControlPolicies": [
   [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
   [{"Version": "2012-10-17", "Statement": [{"Sid": "OnlyEC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}]]}`

// TestSimulateWhyNot checks the misses and policy-type decisions in JSON
// (API_EvaluationResult.html reports OrganizationsDecisionDetail the same
// way) and the "Why not" section of the text output.
func TestSimulateWhyNot(t *testing.T) {
	got := simulateJSON(t, whyNotInput)
	if got.ReasonCode != "SCP_NO_ALLOW" {
		t.Errorf("reasonCode = %q (%s), want SCP_NO_ALLOW", got.ReasonCode, got.Reason)
	}
	checkPositions(t, []byte(whyNotInput), got)
	type miss struct{ Policy, Sid, Element, Code, Detail string }
	var misses []miss
	for _, m := range got.Misses {
		misses = append(misses, miss{m.Policy, m.Sid, m.Element, m.Code, m.Detail})
	}
	want := []miss{
		{"serviceControlPolicies[1][0]", "OnlyEC2", "Action", "ACTION_NOT_MATCHED", `Action ["ec2:*"] does not match "s3:GetObject"`},
		{"identityPolicies[0]", "Office", "Condition", "CONDITION_FAILED", `IpAddress aws:SourceIp: the request's "203.0.113.9" is not in ["10.0.0.0/8"]`},
		{"identityPolicies[0]", "NotS3", "NotAction", "ACTION_NOT_MATCHED", `NotAction ["s3:*"] matches "s3:GetObject"`},
	}
	if d := cmp.Diff(want, misses); d != "" {
		t.Errorf("misses (-want +got):\n%s", d)
	}
	wantCond := &conditionJSON{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.0/8"}, RequestValues: []string{"203.0.113.9"}}
	if len(got.Misses) == 3 {
		if d := cmp.Diff(wantCond, got.Misses[1].Condition); d != "" {
			t.Errorf("condition (-want +got):\n%s", d)
		}
	}
	wantTypes := []typeJSON{
		{Source: "service control policy", Level: 0, Decision: "allowed"},
		{Source: "service control policy", Level: 1, Decision: "implicitDeny"},
		{Source: "identity-based policy", Decision: "allowed"},
	}
	if d := cmp.Diff(wantTypes, got.PolicyTypes); d != "" {
		t.Errorf("policyTypes (-want +got):\n%s", d)
	}

	code, stdout, stderr := iamkit(t, whyNotInput, "simulate", "--input", "-")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	_, whyNot, ok := strings.Cut(stdout, "Why not:\n")
	if !ok {
		t.Fatalf("no Why not section:\n%s", stdout)
	}
	wantText := `  service control policy (level 1) "serviceControlPolicies[1][0]" Statement[0] (Sid "OnlyEC2") at line 9, column 45: Allow
    ACTION_NOT_MATCHED: Action ["ec2:*"] does not match "s3:GetObject"
  identity-based policy "identityPolicies[0]" Statement[1] (Sid "Office") at line 5, column 4: Allow
    CONDITION_FAILED: IpAddress aws:SourceIp: the request's "203.0.113.9" is not in ["10.0.0.0/8"]
  identity-based policy "identityPolicies[0]" Statement[2] (Sid "NotS3") at line 6, column 4: Allow
    ACTION_NOT_MATCHED: NotAction ["s3:*"] matches "s3:GetObject"
Policy types:
  service control policy (level 0): allowed
  service control policy (level 1): implicitDeny
  identity-based policy: allowed
`
	if d := cmp.Diff(wantText, whyNot); d != "" {
		t.Errorf("why not (-want +got):\n%s", d)
	}
	if !strings.Contains(stdout, "Code:     SCP_NO_ALLOW\n") {
		t.Errorf("no reason code line:\n%s", stdout)
	}
}

// TestSimulateWhyNotRCP: an RCP level that denies is an explicit deny, and
// its level's decision says so (orgs_manage_policies_rcps_evaluation.html);
// the text shows no "Why not" for an explicit deny, whose decisive
// statement is the answer.
func TestSimulateWhyNotRCP(t *testing.T) {
	const in = `{"request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
  "resource": "arn:aws:s3:::reports/q1.csv", "context": {"aws:SecureTransport": "false"}},
 "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}],
 "resourceControlPolicies": [[],
   [{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
     "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]}]]}`
	got := simulateJSON(t, in)
	wantTypes := []typeJSON{
		{Source: "resource control policy", Level: 0, Decision: "allowed"},
		{Source: "resource control policy", Level: 1, Decision: "explicitDeny"},
		{Source: "identity-based policy", Decision: "allowed"},
	}
	if got.ReasonCode != "EXPLICIT_DENY" || len(got.Misses) != 0 {
		t.Errorf("reasonCode %q, misses %+v; want EXPLICIT_DENY and none", got.ReasonCode, got.Misses)
	}
	if d := cmp.Diff(wantTypes, got.PolicyTypes); d != "" {
		t.Errorf("policyTypes (-want +got):\n%s", d)
	}
	_, stdout, _ := iamkit(t, in, "simulate", "--input", "-")
	if strings.Contains(stdout, "Why not:") || !strings.Contains(stdout, "  resource control policy (level 1): explicitDeny\n") {
		t.Errorf("text output:\n%s", stdout)
	}
}
