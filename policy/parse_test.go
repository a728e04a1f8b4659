package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/policy"
)

// Doc pages cited by the parsing tests.
const (
	docGrammar    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"
	docVersion    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html"
	docEffect     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html"
	docSid        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html"
	docPrincipal  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
	docNotPrinc   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
	docAction     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"
	docResource   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"
	docTrust      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html"
	docRCPSyntax  = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html"
	docSCPSyntax  = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html"
	docQuotas     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
	docCreatePol  = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"
	docConditions = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		typ  policy.Type
		in   string
		want string // a finding, as Finding.String formats it (a prefix of it)
	}{
		{"not JSON", docGrammar, policy.Identity, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n}",
			"line 3, column 17: invalid JSON: invalid character '}' looking for beginning of value"},
		{"bad effect", docEffect, policy.Identity,
			"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"allow\",\n    \"Action\": \"s3:*\",\n    \"Resource\": \"*\"\n  }]\n}",
			`line 4, column 15: Statement[0].Effect: must be "Allow" or "Deny"`},
		{"missing effect", docEffect, policy.Identity, `{"Version":"2012-10-17","Statement":{"Action":"s3:*","Resource":"*"}}`,
			`line 1, column 37: Statement[0]: missing required element Effect`},
		{"bad version", docVersion, policy.Identity, `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
			`line 1, column 12: Version: "2012-10-18" is not a policy version (want "2012-10-17" or "2008-10-17")`},
		{"unknown element", docGrammar, policy.Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Actions":"s3:*","Resource":"*"}}`,
			`line 1, column 55: Statement[0].Actions: unknown element "Actions"`},
		{"element names are case-sensitive", docGrammar, policy.Identity, `{"version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
			`line 1, column 2: version: unknown element "version" (element names are case-sensitive: did you mean "Version"?)`},
		{"duplicate element", docGrammar, policy.Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}`,
			`line 1, column 55: Statement[0].Effect: duplicate element "Effect"`},
		{"missing statement", docGrammar, policy.Identity, `{"Version":"2012-10-17"}`,
			`line 1, column 1: missing required element Statement`},
		{"identity policy with principal", docPrincipal, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`,
			`line 1, column 67: Statement[0].Principal: Policy document should not specify a principal (identity policies apply to the identity they are attached to)`},
		{"SCP with principal", docSCPSyntax, policy.SCP,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"s3:*","Resource":"*"}}`,
			`line 1, column 69: Statement[0].NotPrincipal: Policy document should not specify a principal (scp policies apply to the identity they are attached to)`},
		{"resource policy needs principal", docPrincipal, policy.Resource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
			`line 1, column 37: Statement[0]: missing required element Principal: a resource-based policy must name a Principal or NotPrincipal`},
		{"identity policy needs resource", docResource, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`,
			`line 1, column 37: Statement[0]: Policy statement must contain resources.`},
		{"action needs vendor", docAction, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`,
			`line 1, column 64: Statement[0].Action[0]: "GetObject": Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.`},
		{"resource must be an ARN", docResource, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"bucket/*"}}`,
			`line 1, column 82: Statement[0].Resource[0]: Resource bucket/* must be in ARN format or "*"`},
		{"both Action and NotAction", docAction, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"}}`,
			`line 1, column 37: Statement[0]: a statement has either Action or NotAction, not both`},
		{"empty action list", docAction, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`,
			`line 1, column 64: Statement[0].Action: must not be an empty array`},
		{"trust policy without principal", docTrust, policy.Trust,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`,
			`line 1, column 37: Statement[0]: missing required element Principal: a role trust policy must name who may assume the role`},
		{"trust policy with resource", docTrust, policy.Trust,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Resource":"*"}}`,
			`line 1, column 127: Statement[0].Resource: Has prohibited field Resource: a role trust policy applies to the role itself`},
		{"trust policy with non-STS action", docTrust, policy.Trust,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject"}}`,
			`line 1, column 99: Statement[0].Action[0]: "s3:GetObject": AssumeRole policy may only specify STS AssumeRole actions.`},
		{"trust policy with NotPrincipal", docNotPrinc, policy.Trust,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}}`,
			`line 1, column 69: Statement[0].NotPrincipal: NotPrincipal is not allowed in a role trust policy`},
		{"partial wildcard principal", docPrincipal, policy.Resource,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/*"},"Action":"s3:*","Resource":"*"}}`,
			`line 1, column 74: Statement[0].Principal.AWS[0]: Invalid principal in policy:`},
		{"RCP allows", docRCPSyntax, policy.RCP,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`,
			`line 1, column 47: Statement[0].Effect: resource control policies may only deny`},
		{"RCP principal must be *", docRCPSyntax, policy.RCP,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"}}`,
			`line 1, column 66: Statement[0].Principal: resource control policies must use "Principal": "*"`},
		{"RCP NotAction", docRCPSyntax, policy.RCP,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}}`,
			`line 1, column 82: Statement[0].NotAction: NotAction is not supported in resource control policies`},
		{"IAM Sid is alphanumeric", docSid, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Sid":"read only","Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
			`line 1, column 44: Statement[0].Sid: "read only": a Sid in identity policies may contain only letters A-Z, a-z and digits 0-9`},
		{"duplicate Sid", docSid, policy.Identity,
			`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
			`line 1, column 105: Statement[1].Sid: duplicate Sid "A" (also used by Statement[0]); statement IDs must be unique within a policy`},
		{"unknown condition operator", docConditions, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"aws:username":"bob"}}}}`,
			`line 1, column 114: Statement[0].Condition.StringEqual.aws:username: StringEqual: unknown operator`},
		{"invalid CIDR", docConditions, policy.Identity,
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}}`,
			`line 1, column 112: Statement[0].Condition.IpAddress.aws:SourceIp: IpAddress: "10.0.0.0/33"`},
		{"character outside IAM's set", docCreatePol, policy.Identity,
			"{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::\u20ac\"}}",
			`line 1, column 106: character U+20AC is not allowed in a policy document`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Parse([]byte(tc.in), tc.typ)
			var perr *policy.Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse error = %v, want *policy.Error (%s)", err, tc.doc)
			}
			if !errors.Is(err, policy.ErrMalformedPolicy) {
				t.Errorf("errors.Is(err, ErrMalformedPolicy) = false")
			}
			found := false
			for _, f := range perr.Findings {
				found = found || strings.HasPrefix(f.String(), tc.want)
			}
			if !found {
				t.Errorf("findings = %q\nwant one starting %q\n(%s)", perr.Findings, tc.want, tc.doc)
			}
			if !strings.HasPrefix(err.Error(), "policy: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		typ  policy.Type
		in   string
	}{
		{"statement object", docGrammar, policy.Identity, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`},
		{"legacy version", docVersion, policy.Identity, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*"],"Resource":["*"]}]}`},
		{"resource policy Sid with spaces", docSid, policy.Resource, `{"Version":"2012-10-17","Statement":[{"Sid":"Public read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`},
		{"trust policy", docTrust, policy.Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`},
		{"RCPFullAWSAccess", docRCPSyntax, policy.RCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`},
		{"RCP deny", docRCPSyntax, policy.RCP, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}`},
		{"condition values of every JSON kind", docConditions, policy.Identity, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true},"NumericLessThan":{"s3:max-keys":10}}}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := policy.Parse([]byte(tc.in), tc.typ); err != nil {
				t.Fatalf("Parse: %v (%s)", err, tc.doc)
			}
		})
	}
}

func TestSizeLimits(t *testing.T) {
	// Managed policies: 6,144 characters, white space not counted
	// (reference_iam-quotas.html).
	stmt := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/%s"}`
	build := func(n int, pad string) string {
		var b strings.Builder
		b.WriteString(`{"Version":"2012-10-17","Statement":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(pad)
			b.WriteString(strings.Replace(stmt, "%s", strings.Repeat("k", 20), 1))
		}
		b.WriteString("]}")
		return b.String()
	}
	small := build(60, strings.Repeat(" ", 200)) // ~6,000 non-space characters, ~18,000 with spaces
	if _, err := policy.Parse([]byte(small), policy.Identity); err != nil {
		t.Errorf("white space must not count toward the managed policy quota (%s): %v", docQuotas, err)
	}
	big := build(70, "")
	_, err := policy.Parse([]byte(big), policy.Identity)
	if !errors.Is(err, policy.ErrPolicyTooLarge) {
		t.Fatalf("Parse(%d chars) error = %v, want ErrPolicyTooLarge (%s)", len(big), err, docQuotas)
	}
	var perr *policy.Error
	if errors.As(err, &perr) && perr.ErrorCode() != "LimitExceeded" {
		t.Errorf("ErrorCode = %q, want LimitExceeded", perr.ErrorCode())
	}
	if _, err := policy.ParseWithOptions([]byte(big), policy.Identity, policy.Options{MaxSize: -1}); err != nil {
		t.Errorf("MaxSize -1 must disable the quota: %v", err)
	}
}

func TestValidateWarnings(t *testing.T) {
	// NotPrincipal with Allow: accepted, but AWS strongly recommends against
	// it (reference_policies_elements_notprincipal.html).
	in := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	findings := policy.Validate([]byte(in), policy.Resource)
	if len(findings) != 1 || findings[0].Severity != policy.SeverityWarning || findings[0].Path != "Statement[0].NotPrincipal" {
		t.Fatalf("Validate = %v, want one warning on Statement[0].NotPrincipal (%s)", findings, docNotPrinc)
	}
	p, err := policy.Parse([]byte(in), policy.Resource)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings()) != 1 {
		t.Errorf("Warnings() = %v", p.Warnings())
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	in := `{
	  "Id": "example",
	  "Version": "2012-10-17",
	  "Statement": {
	    "Sid": "S1", "Effect": "Allow",
	    "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "111111111111"], "Service": "ec2.amazonaws.com"},
	    "Action": "s3:GetObject",
	    "NotResource": "arn:aws:s3:::b/private/*",
	    "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "x"]}, "Bool": {"aws:SecureTransport": true}}
	  }
	}`
	p, err := policy.Parse([]byte(in), policy.Resource)
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Id":"example","Statement":[{"Sid":"S1","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","111111111111"],"Service":["ec2.amazonaws.com"]},"Action":["s3:GetObject"],"NotResource":["arn:aws:s3:::b/private/*"],"Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*","x"]},"Bool":{"aws:SecureTransport":["true"]}}}]}`
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("MarshalJSON (-want +got):\n%s", diff)
	}
	q, err := policy.Parse(out, policy.Resource)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p.Document(), q.Document()); diff != "" {
		t.Errorf("Parse(Marshal(p)) differs (-want +got):\n%s", diff)
	}
}

func TestNewFromDocument(t *testing.T) {
	doc := policy.Document{Version: policy.Version2012, Statements: []policy.Statement{{
		Effect: policy.Allow, Action: []string{"s3:GetObject"}, Resource: []string{"arn:aws:s3:::b/*"},
	}}}
	p, err := policy.New(doc, policy.Identity, policy.Options{Name: "built"})
	if err != nil {
		t.Fatal(err)
	}
	doc.Statements[0].Action[0] = "iam:*" // the policy must not see later changes
	if got := p.Document().Statements[0].Action[0]; got != "s3:GetObject" {
		t.Errorf("policy changed with its input document: %q", got)
	}
	_, err = policy.New(policy.Document{Statements: []policy.Statement{{Effect: policy.Allow}}}, policy.Identity, policy.Options{})
	var perr *policy.Error
	if !errors.As(err, &perr) || perr.Findings[0].Path != "Statement[0]" {
		t.Errorf("New(no action) = %v, want a finding on Statement[0]", err)
	}
}
