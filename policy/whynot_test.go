package policy_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// whyNotCase is one request and the policies on its path, with what
// Explain must say of the statements that did not apply.
type whyNotCase struct {
	name, doc string
	set       *policy.Set
	req       *policy.Request
	decision  policy.Decision
	reason    string // Reason.Code()
	misses    []wantMiss
	types     []string // TypeDecision.String(), in order
}

// wantMiss is the part of a StatementMiss a case checks.
type wantMiss struct {
	Source  policy.Source
	Level   int
	Index   int
	Element string
	Code    string
	Detail  string
	Cond    *policy.ConditionMiss
}

const (
	alice   = "arn:aws:iam::111122223333:user/alice"
	evalDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	condDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	denyDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"
	resDoc  = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html"
)

func mustPolicy(t *testing.T, typ policy.Type, name, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.ParseWithOptions([]byte(doc), typ, policy.Options{Name: name})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

// request builds a request by alice (or caller) with ctx set from kv pairs.
func request(caller, action, resource string, kv ...string) *policy.Request {
	p := principal.MustParse(caller)
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: p})
	for i := 0; i+1 < len(kv); i += 2 {
		ctx.Set(kv[i], kv[i+1])
	}
	return &policy.Request{Principal: p, Action: action, Resource: resource, Context: ctx}
}

func whyNotCases(t *testing.T) []whyNotCase {
	id := func(name, doc string) *policy.Policy { return mustPolicy(t, policy.Identity, name, doc) }
	const fullAccess = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	const rcpFull = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`
	return []whyNotCase{{
		// Action: the pattern against the request's action; a statement
		// for another service (which the action index never visits)
		// misses the same way.
		name: "action not matched", doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
		set: &policy.Set{Identity: []*policy.Policy{id("app", `{"Version": "2012-10-17", "Statement": [
 {"Sid": "Write", "Effect": "Allow", "Action": ["s3:Put*"], "Resource": "*"},
 {"Sid": "Ec2", "Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}]}`)}},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{
			{Source: policy.SourceIdentity, Index: 0, Element: "Action", Code: policy.MissAction, Detail: `Action ["s3:Put*"] does not match "s3:GetObject"`},
			{Source: policy.SourceIdentity, Index: 1, Element: "Action", Code: policy.MissAction, Detail: `Action ["ec2:DescribeInstances"] does not match "s3:GetObject"`},
		},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// NotAction matches every action but those listed.
		name: "NotAction lists the action", doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
		set: &policy.Set{Identity: []*policy.Policy{id("app", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"}]}`)}},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{
			{Source: policy.SourceIdentity, Element: "NotAction", Code: policy.MissAction, Detail: `NotAction ["iam:*", "s3:*"] matches "s3:GetObject"`},
		},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// Resource after policy variables: alice's home is not bob's.
		name: "resource not matched after variables", doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html",
		set: &policy.Set{Identity: []*policy.Policy{id("home", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::corp-home/home/${aws:username}/*"},
 {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::corp-home/*"}]}`)}},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::corp-home/home/bob/notes.txt"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{
			{Source: policy.SourceIdentity, Index: 0, Element: "Resource", Code: policy.MissResource,
				Detail: `Resource ["arn:aws:s3:::corp-home/home/${aws:username}/*"] (here ["arn:aws:s3:::corp-home/home/alice/*"]) does not match "arn:aws:s3:::corp-home/home/bob/notes.txt"`},
			{Source: policy.SourceIdentity, Index: 1, Element: "NotResource", Code: policy.MissResource,
				Detail: `NotResource ["arn:aws:s3:::corp-home/*"] matches "arn:aws:s3:::corp-home/home/bob/notes.txt"`},
		},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// A bucket policy naming another principal; the request is
		// cross-account so the bucket policy must grant.
		name: "principal not matched", doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
		set: &policy.Set{
			Identity: []*policy.Policy{id("app", fullAccess)},
			Resource: mustPolicy(t, policy.Resource, "bucket", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}`),
		},
		req:      withResourceAccount(request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"), "444455556666"),
		decision: policy.ImplicitDeny, reason: "CROSS_ACCOUNT_RESOURCE_POLICY_NO_ALLOW",
		misses: []wantMiss{
			{Source: policy.SourceResource, Element: "Principal", Code: policy.MissPrincipal,
				Detail: `Principal [{"AWS":"arn:aws:iam::111122223333:user/bob"}] does not name "arn:aws:iam::111122223333:user/alice"`},
		},
		types: []string{"resource-based policy: implicitDeny", "identity-based policy: allowed"},
	}, {
		// IpAddress: the request's address is outside the block.
		name: "condition failed", doc: condDoc,
		set: &policy.Set{Identity: []*policy.Policy{id("office", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}`)}},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", "aws:SourceIp", "203.0.113.9"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{{Source: policy.SourceIdentity, Element: "Condition", Code: policy.MissCondition,
			Detail: `IpAddress aws:SourceIp: the request's "203.0.113.9" is not in ["10.0.0.0/8"]`,
			Cond:   &policy.ConditionMiss{Operator: "IpAddress", Key: "aws:SourceIp", Values: []string{"10.0.0.0/8"}, RequestValues: []string{"203.0.113.9"}}}},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// "If the key that you specify in a policy condition is not present
		// in the request context, the values do not match and the condition
		// is false."
		name: "condition key missing", doc: condDoc,
		set: &policy.Set{Identity: []*policy.Policy{id("mfa", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}`)}},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{{Source: policy.SourceIdentity, Element: "Condition", Code: policy.MissConditionKey,
			Detail: `Bool aws:MultiFactorAuthPresent: the request has no aws:MultiFactorAuthPresent`,
			Cond:   &policy.ConditionMiss{Operator: "Bool", Key: "aws:MultiFactorAuthPresent", Values: []string{"true"}, Missing: true}}},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// A negated operator fails when the value is listed; the first
		// failing condition of the statement is the one reported.
		name: "negated condition", doc: condDoc,
		set: &policy.Set{Identity: []*policy.Policy{id("teams", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": ["red", "blue"]}}}]}`)}},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", "aws:PrincipalTag/team", "blue"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{{Source: policy.SourceIdentity, Element: "Condition", Code: policy.MissCondition,
			Detail: `StringNotEquals aws:PrincipalTag/team: the request's "blue" is one of ["red", "blue"]`,
			Cond:   &policy.ConditionMiss{Operator: "StringNotEquals", Key: "aws:PrincipalTag/team", Values: []string{"red", "blue"}, RequestValues: []string{"blue"}}}},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// ForAllValues: every request value must be listed.
		name: "ForAllValues with a value not listed", doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
		set: &policy.Set{Identity: []*policy.Policy{id("tags", `{"Version": "2012-10-17", "Statement": [
 {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}]}`)}},
		req:      withList(request(alice, "ec2:CreateTags", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"), "aws:TagKeys", "env", "owner"),
		decision: policy.ImplicitDeny, reason: "NO_POLICY_ALLOWS",
		misses: []wantMiss{{Source: policy.SourceIdentity, Element: "Condition", Code: policy.MissCondition,
			Detail: `ForAllValues:StringEquals aws:TagKeys: at least one of the request's ["env", "owner"] is not one of ["env", "team"]`,
			Cond:   &policy.ConditionMiss{Operator: "ForAllValues:StringEquals", Key: "aws:TagKeys", Values: []string{"env", "team"}, RequestValues: []string{"env", "owner"}}}},
		types: []string{"identity-based policy: implicitDeny"},
	}, {
		// "If any SCP at any level ... does not allow the action, the
		// request is denied": level 1 allows only EC2.
		name: "SCP level does not allow", doc: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
		set: &policy.Set{
			Identity: []*policy.Policy{id("app", fullAccess)},
			SCPs: [][]*policy.Policy{
				{mustPolicy(t, policy.SCP, "FullAWSAccess", fullAccess)},
				{mustPolicy(t, policy.SCP, "OnlyEC2", `{"Version": "2012-10-17", "Statement": [{"Sid": "EC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`)},
			},
		},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "SCP_NO_ALLOW",
		misses: []wantMiss{{Source: policy.SourceSCP, Level: 1, Element: "Action", Code: policy.MissAction, Detail: `Action ["ec2:*"] does not match "s3:GetObject"`}},
		types:  []string{"service control policy (level 0): allowed", "service control policy (level 1): implicitDeny", "identity-based policy: allowed"},
	}, {
		// An RCP denying access without TLS at level 1; level 0 has only
		// RCPFullAWSAccess.
		name: "RCP level denies", doc: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html",
		set: &policy.Set{
			Identity: []*policy.Policy{id("app", fullAccess)},
			RCPs: [][]*policy.Policy{
				{mustPolicy(t, policy.RCP, "RCPFullAWSAccess", rcpFull)},
				{mustPolicy(t, policy.RCP, "EnforceTLS", `{"Version": "2012-10-17", "Statement": [
 {"Sid": "TLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}},
 {"Sid": "KMS", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}`)},
			},
		},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", "aws:SecureTransport", "false"),
		decision: policy.ExplicitDeny, reason: "EXPLICIT_DENY",
		misses: []wantMiss{{Source: policy.SourceRCP, Level: 1, Index: 1, Element: "Action", Code: policy.MissAction, Detail: `Action ["kms:*"] does not match "s3:GetObject"`}},
		types:  []string{"resource control policy (level 0): allowed", "resource control policy (level 1): explicitDeny", "identity-based policy: allowed"},
	}, {
		// "An entity's permissions boundary allows it to perform only the
		// actions that are allowed by both its identity-based policies and
		// its permissions boundaries."
		name: "boundary implicit deny", doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
		set: &policy.Set{
			Identity:            []*policy.Policy{id("app", fullAccess)},
			PermissionsBoundary: mustPolicy(t, policy.Boundary, "boundary", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`),
		},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "BOUNDARY_NO_ALLOW",
		misses: []wantMiss{{Source: policy.SourceBoundary, Element: "Action", Code: policy.MissAction, Detail: `Action ["ec2:*"] does not match "s3:GetObject"`}},
		types:  []string{"identity-based policy: allowed", "permissions boundary: implicitDeny"},
	}, {
		// The boundary allows but no identity-based policy does: AWS says
		// "because no identity-based policy allows the s3:GetObject action".
		name: "boundary allows, identity does not", doc: denyDoc,
		set: &policy.Set{
			Identity:            []*policy.Policy{id("app", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`)},
			PermissionsBoundary: mustPolicy(t, policy.Boundary, "boundary", fullAccess),
		},
		req:      request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "NO_IDENTITY_POLICY_ALLOWS",
		misses: []wantMiss{{Source: policy.SourceIdentity, Element: "Action", Code: policy.MissAction, Detail: `Action ["ec2:*"] does not match "s3:GetObject"`}},
		types:  []string{"identity-based policy: implicitDeny", "permissions boundary: allowed"},
	}, {
		// The same with a session policy: the session's permissions are
		// the intersection of the role's policies and the session policy.
		name: "session policy allows, identity does not", doc: denyDoc,
		set: &policy.Set{
			Identity: []*policy.Policy{id("app", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`)},
			Session:  []*policy.Policy{mustPolicy(t, policy.Session, "session", fullAccess)},
		},
		req:      request("arn:aws:sts::111122223333:assumed-role/app/s1", "s3:GetObject", "arn:aws:s3:::reports/q1.csv"),
		decision: policy.ImplicitDeny, reason: "NO_IDENTITY_POLICY_ALLOWS",
		misses: []wantMiss{{Source: policy.SourceIdentity, Element: "Action", Code: policy.MissAction, Detail: `Action ["ec2:*"] does not match "s3:GetObject"`}},
		types:  []string{"identity-based policy: implicitDeny", "session policy: allowed"},
	}, {
		// SCPs do not apply to the management account: their statements
		// are not on the request's path.
		name: "SCPs not applicable to the management account", doc: resDoc,
		set: &policy.Set{
			Identity: []*policy.Policy{id("app", fullAccess)},
			SCPs:     [][]*policy.Policy{{mustPolicy(t, policy.SCP, "OnlyEC2", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`)}},
		},
		req:      inManagement(request(alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv")),
		decision: policy.Allowed, reason: "ALLOWED_BY_IDENTITY_POLICY",
		types: []string{"service control policy (level 0): notApplicable", "identity-based policy: allowed"},
	}, {
		// sts:GetCallerIdentity needs no permission: no policy applies.
		name: "GetCallerIdentity", doc: "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
		set:      &policy.Set{Identity: []*policy.Policy{id("app", `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}`)}},
		req:      request(alice, "sts:GetCallerIdentity", "*"),
		decision: policy.Allowed, reason: "GET_CALLER_IDENTITY",
		types: []string{"identity-based policy: notApplicable"},
	}}
}

func withResourceAccount(r *policy.Request, acct string) *policy.Request {
	r.ResourceAccount = acct
	return r
}

func withList(r *policy.Request, key string, values ...string) *policy.Request {
	r.Context.SetList(key, values)
	return r
}

func inManagement(r *policy.Request) *policy.Request {
	r.PrincipalInManagementAccount = true
	return r
}

// TestExplainMisses checks what Explain says of each statement that did
// not apply, and of each policy type, against the AWS page each case
// names.
func TestExplainMisses(t *testing.T) {
	for _, tt := range whyNotCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.set.Explain(tt.req)
			if e.Decision != tt.decision || e.Reason.Code() != tt.reason {
				t.Fatalf("Explain = %s (%s), want %s (%s); per %s", e.Decision, e.Reason.Code(), tt.decision, tt.reason, tt.doc)
			}
			var got []wantMiss
			for _, m := range e.Misses {
				got = append(got, wantMiss{m.Source, m.Level, m.Index, m.Element, m.Code, m.Detail, m.Condition})
			}
			if d := cmp.Diff(tt.misses, got); d != "" {
				t.Errorf("misses (-want +got), per %s:\n%s", tt.doc, d)
			}
			var types []string
			for _, d := range e.PolicyTypes {
				types = append(types, d.String())
			}
			if d := cmp.Diff(tt.types, types); d != "" {
				t.Errorf("policy types (-want +got), per %s:\n%s", resDoc, d)
			}
			checkAccounted(t, tt.set, e)
		})
	}
}

// checkAccounted checks that every statement of every policy type that
// applied is in Matched or in Misses, once.
func checkAccounted(t *testing.T, s *policy.Set, e *policy.Explanation) {
	t.Helper()
	type key struct {
		src          policy.Source
		lvl          int
		policy       string
		index        int
		line, column int
	}
	seen := map[key]int{}
	for _, m := range e.Matched {
		seen[key{m.Source, m.Level, m.Policy, m.Index, m.Position.Line, m.Position.Column}]++
	}
	for _, m := range e.Misses {
		if m.Position.IsZero() || m.Code == "" || m.Detail == "" || m.Element == "" {
			t.Errorf("incomplete miss %+v", m)
		}
		seen[key{m.Source, m.Level, m.Policy, m.Index, m.Position.Line, m.Position.Column}]++
	}
	want := map[key]int{}
	applies := map[policy.Source]map[int]bool{}
	for _, d := range e.PolicyTypes {
		if applies[d.Source] == nil {
			applies[d.Source] = map[int]bool{}
		}
		applies[d.Source][d.Level] = d.Applies
	}
	add := func(src policy.Source, lvl int, p *policy.Policy) {
		if !applies[src][lvl] {
			return
		}
		for i := range p.Len() {
			pos := p.StatementPosition(i)
			want[key{src, lvl, p.Name(), i, pos.Line, pos.Column}] = 1
		}
	}
	for lvl, ps := range s.RCPs {
		for _, p := range ps {
			add(policy.SourceRCP, lvl, p)
		}
	}
	for lvl, ps := range s.SCPs {
		for _, p := range ps {
			add(policy.SourceSCP, lvl, p)
		}
	}
	if s.Resource != nil {
		add(policy.SourceResource, 0, s.Resource)
	}
	for _, p := range s.Identity {
		add(policy.SourceIdentity, 0, p)
	}
	if s.PermissionsBoundary != nil {
		add(policy.SourceBoundary, 0, s.PermissionsBoundary)
	}
	for _, p := range s.Session {
		add(policy.SourceSession, 0, p)
	}
	if d := cmp.Diff(want, seen, cmp.Comparer(func(a, b key) bool { return a == b })); d != "" {
		t.Errorf("statements in Matched or Misses (-want +got):\n%s", d)
	}
}

// TestEvaluateNoAllocsWhyNot: the requests of the why-not cases, denials
// included, still cost Evaluate nothing; Explain alone pays for misses.
func TestEvaluateNoAllocsWhyNot(t *testing.T) {
	for _, tt := range whyNotCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			var res policy.Result
			if allocs := testing.AllocsPerRun(100, func() { res = tt.set.Evaluate(tt.req) }); allocs != 0 {
				t.Errorf("Set.Evaluate allocates %v times per call, want 0", allocs)
			}
			if e := tt.set.Explain(tt.req); res.Decision != e.Decision || res.Reason != e.Reason || res.Source != e.Source {
				t.Errorf("Evaluate = %+v, Explain = %s", res, e)
			}
		})
	}
}

// TestReasonCodes: every reason has its own stable code beside its prose.
func TestReasonCodes(t *testing.T) {
	seen := map[string]policy.Reason{}
	for r := policy.ReasonNone + 1; r <= policy.ReasonNoRequest; r++ {
		c := r.Code()
		if c == "" || r.String() == "" {
			t.Errorf("Reason(%d): code %q, text %q", r, c, r)
		}
		if prev, dup := seen[c]; dup {
			t.Errorf("%v and %v share the code %q", prev, r, c)
		}
		seen[c] = r
	}
	for r, want := range map[policy.Reason]string{
		policy.ReasonNone:            "",
		policy.ReasonExplicitDeny:    "EXPLICIT_DENY",
		policy.ReasonNoAllow:         "NO_POLICY_ALLOWS",
		policy.ReasonNoIdentityAllow: "NO_IDENTITY_POLICY_ALLOWS",
		policy.ReasonSCPNoAllow:      "SCP_NO_ALLOW",
		policy.ReasonBoundary:        "BOUNDARY_NO_ALLOW",
		policy.ReasonSession:         "SESSION_POLICY_NO_ALLOW",
		policy.Reason(200):           "REASON_200",
	} {
		if got := r.Code(); got != want {
			t.Errorf("Reason(%d).Code() = %q, want %q", r, got, want)
		}
	}
}

// TestExplainMissesLarge: a policy above the indexing threshold, where
// evaluation visits only the candidates of the request's service, still
// accounts for every statement.
func TestExplainMissesLarge(t *testing.T) {
	doc := `{"Version": "2012-10-17", "Statement": [`
	for i := range 20 {
		if i > 0 {
			doc += ","
		}
		svc := []string{"s3", "ec2", "sqs", "dynamodb"}[i%4]
		doc += fmt.Sprintf(`{"Sid": "S%d", "Effect": "Allow", "Action": "%s:Get*", "Resource": "arn:aws:%s:::thing-%d/*"}`, i, svc, svc, i)
	}
	doc += `]}`
	set := &policy.Set{Identity: []*policy.Policy{mustPolicy(t, policy.Identity, "big", doc)}}
	e := set.Explain(request(alice, "s3:GetObject", "arn:aws:s3:::thing-4/k"))
	if e.Decision != policy.Allowed || len(e.Matched) != 1 || len(e.Misses) != 19 {
		t.Fatalf("Explain = %s, %d matched, %d misses; want allowed by one statement, 19 misses", e, len(e.Matched), len(e.Misses))
	}
	codes := map[string]int{}
	for _, m := range e.Misses {
		codes[m.Code]++
	}
	if d := cmp.Diff(map[string]int{policy.MissAction: 15, policy.MissResource: 4}, codes); d != "" {
		t.Errorf("miss codes (-want +got):\n%s", d)
	}
	checkAccounted(t, set, e)
}

// TestExplainApplicability checks that PolicyTypes says a type applies
// exactly when a Deny in it decides Evaluate, for the cases where AWS
// exempts a type: SCPs do not apply to the management account or to
// service-linked roles (orgs_manage_policies_scps.html); RCPs not to
// resources of the management account, service-linked roles, services they
// do not support or kms:RetireGrant (orgs_manage_policies_rcps.html); and a
// caller outside IAM has no identity-based policies
// (reference_policies_evaluation-logic.html).
func TestExplainApplicability(t *testing.T) {
	tests := []struct {
		name, caller, action, resource string
		mgmtPrincipal, mgmtResource    bool
	}{
		{"member account user", alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", false, false},
		{"caller in the management account", alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", true, false},
		{"resource in the management account", alice, "s3:GetObject", "arn:aws:s3:::reports/q1.csv", false, true},
		{"service-linked role", "arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing", "s3:GetObject", "arn:aws:s3:::reports/q1.csv", false, false},
		{"service RCPs do not support", alice, "ec2:DescribeInstances", "*", false, false},
		{"kms:RetireGrant", alice, "kms:RetireGrant", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", false, false},
		{"anonymous caller", "*", "s3:GetObject", "arn:aws:s3:::reports/q1.csv", false, false},
	}
	const allowAll = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deny := fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": %q, "Resource": "*"}]}`, tt.action)
			pdeny := fmt.Sprintf(`{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": %q, "Resource": "*"}]}`, tt.action)
			const pallow = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`
			build := func(denied policy.Source) *policy.Set {
				pick := func(src policy.Source, typ policy.Type, allow, deny string) *policy.Policy {
					if src == denied {
						return mustPolicy(t, typ, src.String(), deny)
					}
					return mustPolicy(t, typ, src.String(), allow)
				}
				return &policy.Set{
					RCPs:                [][]*policy.Policy{{pick(policy.SourceRCP, policy.RCP, pallow, pdeny)}},
					SCPs:                [][]*policy.Policy{{pick(policy.SourceSCP, policy.SCP, allowAll, deny)}},
					Resource:            pick(policy.SourceResource, policy.Resource, pallow, pdeny),
					Identity:            []*policy.Policy{pick(policy.SourceIdentity, policy.Identity, allowAll, deny)},
					PermissionsBoundary: pick(policy.SourceBoundary, policy.Boundary, allowAll, deny),
					Session:             []*policy.Policy{pick(policy.SourceSession, policy.Session, allowAll, deny)},
				}
			}
			req := request(tt.caller, tt.action, tt.resource)
			req.PrincipalInManagementAccount, req.ResourceInManagementAccount = tt.mgmtPrincipal, tt.mgmtResource
			e := build(policy.SourceNone).Explain(req)
			if len(e.PolicyTypes) != 6 {
				t.Fatalf("PolicyTypes = %v, want six", e.PolicyTypes)
			}
			for _, d := range e.PolicyTypes {
				res := build(d.Source).Evaluate(req)
				decides := res.Decision == policy.ExplicitDeny && res.Source == d.Source
				if d.Applies != decides {
					t.Errorf("%s: Applies = %v, but a Deny in it decides Evaluate: %v (%+v)", d.Source, d.Applies, decides, res)
				}
			}
		})
	}
}
