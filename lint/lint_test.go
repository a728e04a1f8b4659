package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// trust is a trust policy with one statement.
func trust(stmt string) string {
	return `{"Version":"2012-10-17","Statement":[` + stmt + `]}`
}

// codes lints src and returns "TYPE CODE" of each finding.
func codes(t *testing.T, src string, typ policy.Type, opt Options) []string {
	t.Helper()
	fs, err := Check([]byte(src), typ, opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Type)+" "+f.Code)
		if f.Learn == "" || f.Message == "" || f.Fix == "" || f.Pos.IsZero() {
			t.Errorf("incomplete finding %+v", f)
		}
	}
	return out
}

// TestTrustChecks: one case per check. Expected findings follow Access
// Analyzer's check reference
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
// and the page each iamkit check names (see the package doc).
func TestTrustChecks(t *testing.T) {
	const gh = `"Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity"`
	const ghAud = `"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"`
	tests := []struct {
		name, stmt string
		opt        Options
		want       []string
	}{
		{"clean: same-account role", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/ci"},"Action":"sts:AssumeRole"}`, Options{Account: "111111111111"}, nil},
		{"NotPrincipal", `{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:role/x"},"Action":"sts:AssumeRole"}`, Options{},
			[]string{"ERROR ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"}},
		{"Resource", `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Resource":"*"}`, Options{},
			[]string{"ERROR ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"}},
		{"partial wildcard principal (matches nothing)", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/app-*"},"Action":"sts:AssumeRole"}`, Options{},
			[]string{"ERROR ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"}},
		{"SAML provider with AssumeRole", `{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:saml-provider/Corp"},"Action":"sts:AssumeRole"}`, Options{},
			[]string{"ERROR MISMATCHED_ACTION_FOR_PRINCIPAL"}},
		{"Cognito with AssumeRole (Access Analyzer's example)", `{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-west-2_EXAMPLE"}}}`, Options{},
			[]string{"ERROR MISMATCHED_ACTION_FOR_PRINCIPAL"}},
		// Cognito's own trust policy (https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html).
		{"Cognito identity pool", `{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-1234-1234-1234-123456789012"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}`, Options{}, nil},
		{"service principal with AssumeRoleWithWebIdentity", `{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`, Options{},
			[]string{"ERROR MISMATCHED_ACTION_FOR_PRINCIPAL"}},
		{"request tags without TagSession", `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:RequestTag/team":"blue"}}}`, Options{Account: "111111111111"},
			[]string{"SUGGESTION SAME_ACCOUNT_ROOT_PRINCIPAL", "ERROR MISSING_ACTION_FOR_CONDITION_KEY"}},
		{"bad federated principal", `{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:role/x"},"Action":"sts:AssumeRoleWithWebIdentity"}`, Options{},
			[]string{"ERROR INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"}},
		{"bad service principal", `{"Effect":"Allow","Principal":{"Service":"ec2"},"Action":"sts:AssumeRole"}`, Options{},
			[]string{"ERROR INVALID_SERVICE_PRINCIPAL_FORMAT"}},
		{"OIDC without conditions", `{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"},"Action":"sts:AssumeRoleWithWebIdentity"}`, Options{},
			[]string{"SECURITY_WARNING MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"}},
		{"GitHub audience only", `{"Effect":"Allow",` + gh + `,"Condition":{"StringEquals":{` + ghAud + `}}}`, Options{},
			[]string{"SECURITY_WARNING MISSING_GITHUB_REPO_CONDITION_KEY"}},
		{"GitHub main branch", `{"Effect":"Allow",` + gh + `,"Condition":{"StringEquals":{` + ghAud + `,"token.actions.githubusercontent.com:sub":"repo:org/repo:ref:refs/heads/main"}}}`, Options{},
			[]string{"SUGGESTION GITHUB_IMMUTABLE_SUBJECT"}},
		{"GitHub both subject forms", `{"Effect":"Allow",` + gh + `,"Condition":{"StringEquals":{` + ghAud + `,"token.actions.githubusercontent.com:sub":["repo:org/repo:ref:refs/heads/main","repo:org@123/repo@456:ref:refs/heads/main"]}}}`, Options{},
			nil},
		{"GitHub wildcard sub", `{"Effect":"Allow",` + gh + `,"Condition":{"StringEquals":{` + ghAud + `},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/repo:*"}}}`, Options{},
			[]string{"WARNING SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", "SUGGESTION GITHUB_IMMUTABLE_SUBJECT"}},
		{"GitHub owner wildcard", `{"Effect":"Allow",` + gh + `,"Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*/deploy:*"}}}`, Options{},
			[]string{"SECURITY_WARNING GITHUB_SUBJECT_OWNER_WILDCARD"}},
		{"Google audience only", `{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"sts.amazonaws.com"}}}`, Options{},
			[]string{"SECURITY_WARNING OIDC_SHARED_ISSUER_WITHOUT_SUBJECT"}},
		{"service principal without source", `{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}`, Options{},
			[]string{"SECURITY_WARNING RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"}},
		{"service principal with SourceAccount", `{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}`, Options{}, nil},
		{"EC2 needs no source key", `{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`, Options{}, nil},
		{"third party without ExternalId", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}`, Options{Account: "111111111111"},
			[]string{"SECURITY_WARNING MISSING_EXTERNAL_ID"}},
		{"third party with ExternalId", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}`, Options{Account: "111111111111"}, nil},
		{"organization account needs none", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}`, Options{Account: "111111111111", TrustedAccounts: []string{"222222222222"}}, nil},
		{"anyone", `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}`, Options{},
			[]string{"SECURITY_WARNING PUBLIC_ROLE_TRUST"}},
		{"anyone in the organization", `{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890"}}}`, Options{}, nil},
		{"ForAnyValue on a single-valued key", `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole","Condition":{"ForAnyValue:StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111111111111:role/x"}}}`, Options{},
			[]string{"SECURITY_WARNING FORALLVALUES_WITH_SINGLE_VALUED_KEY"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := codes(t, trust(tc.stmt), policy.Trust, tc.opt)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("findings %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTrustPolicySize: the default role trust policy quota is 2,048
// characters, white space not counted (reference_iam-quotas.html).
func TestTrustPolicySize(t *testing.T) {
	arns := make([]string, 0, 60)
	for i := range 60 {
		arns = append(arns, fmt.Sprintf(`"arn:aws:iam::111111111111:role/role-number-%02d"`, i))
	}
	src := trust(`{"Effect":"Allow","Principal":{"AWS":[` + strings.Join(arns, ",") + `]},"Action":"sts:AssumeRole"}`)
	if got := codes(t, src, policy.Trust, Options{}); fmt.Sprint(got) != "[WARNING POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA]" {
		t.Errorf("findings %q", got)
	}
	padded := strings.ReplaceAll(trust(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}`), ",", ",\n"+strings.Repeat(" ", 1000))
	if got := codes(t, padded, policy.Trust, Options{}); len(got) != 0 {
		t.Errorf("white space counted: %q", got)
	}
}

// TestIdentityChecks: iam:PassRole on every role (id_roles_use_passrole.html
// and Access Analyzer's PassRole checks), and the checks of every type.
func TestIdentityChecks(t *testing.T) {
	tests := []struct{ name, stmt, want string }{
		{"PassRole on *", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}`, "[SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE]"},
		{"PassRole on * to one service", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`, "[]"},
		{"PassRole with NotResource", `{"Effect":"Allow","Action":"iam:PassRole","NotResource":"arn:aws:iam::111111111111:role/admin"}`, "[SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_NOTRESOURCE]"},
		{"iam:* on *", `{"Effect":"Allow","Action":"iam:*","Resource":"*"}`, "[SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE]"},
		{"PassRole on named roles", `{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app"}`, "[]"},
		// reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
		{"MFA Deny with Bool", `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}`, "[WARNING VACUOUS_DENY]"},
		{"MFA Deny with BoolIfExists", `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`, "[]"},
		{"Deny with a negated operator", `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}`, "[]"},
		{"ForAllValues Allow without Null", `{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}`, "[SECURITY_WARNING FORALLVALUES_ALLOWS_MISSING_KEY]"},
		{"ForAllValues Allow with Null", `{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]},"Null":{"aws:TagKeys":"false"}}}`, "[]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := codes(t, `{"Version":"2012-10-17","Statement":[`+tc.stmt+`]}`, policy.Identity, Options{})
			if fmt.Sprint(got) != tc.want {
				t.Errorf("findings %q, want %s", got, tc.want)
			}
		})
	}
	got := codes(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, policy.Resource, Options{})
	if fmt.Sprint(got) != "[SECURITY_WARNING ALLOW_WITH_NOTPRINCIPAL]" {
		t.Errorf("Allow with NotPrincipal in a bucket policy: %q", got)
	}
}

// TestFindingPositions: a finding points at the element, as an editor
// shows it.
func TestOIDCFixText(t *testing.T) {
	fs, err := Check([]byte(trust(`{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}`)), policy.Trust, Options{})
	if err != nil || len(fs) != 1 || !strings.Contains(fs[0].Fix, `"accounts.google.com:aud"`) || !strings.Contains(fs[0].Fix, `"accounts.google.com:sub"`) {
		t.Errorf("fix %v %v", fs, err)
	}
}

func TestFindingPositions(t *testing.T) {
	src := "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\",\n  \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:role/app-*\"},\n  \"Action\": \"sts:AssumeRole\"}]}"
	fs, err := Check([]byte(src), policy.Trust, Options{})
	if err != nil || len(fs) != 1 {
		t.Fatalf("%v %v", fs, err)
	}
	f := fs[0]
	if f.Pos != (policy.Position{Line: 3, Column: 24}) || f.Path != "Statement[0].Principal.AWS" || f.Statement != 0 {
		t.Errorf("finding at %v %s (statement %d)", f.Pos, f.Path, f.Statement)
	}
	if !strings.HasPrefix(f.String(), "line 3, column 24: ERROR ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL: Statement[0].Principal.AWS: ") {
		t.Errorf("String() = %s", f)
	}
	if _, err := Check([]byte(`[1]`), policy.Trust, Options{}); err == nil {
		t.Error("a JSON array linted")
	}
	if _, err := Check([]byte(`{`), policy.Trust, Options{}); err == nil {
		t.Error("broken JSON linted")
	}
}

func TestWildMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{{"sts:*", "sts:assumerole", true}, {"sts:assume*", "sts:tagsession", false}, {"*", "", true}, {"s?s:*role", "sts:assumerole", true},
		{"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false}, {strings.Repeat("*a", 30) + "b", strings.Repeat("a", 100), false}} {
		if got := wildMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("wildMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

// FuzzCheck: any input lints without panic, and findings point inside it.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(trust(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}`)))
	f.Add([]byte(`{"Statement":{"Effect":"Deny","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}}`))
	f.Add([]byte(`{"Statement":[{"Effect":"Allow","Principal":{"Federated":"token.actions.githubusercontent.com"},"Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":["repo:*"]}}}]}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, typ := range []policy.Type{policy.Trust, policy.Identity, policy.Resource} {
			fs, err := Check(src, typ, Options{Account: "111111111111"})
			if err != nil {
				continue
			}
			lines := strings.Count(string(src), "\n") + 1
			for _, x := range fs {
				if x.Pos.Line < 1 || x.Pos.Line > lines || x.Code == "" {
					t.Fatalf("finding %+v outside the input", x)
				}
			}
		}
	})
}
