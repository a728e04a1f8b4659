package policy_test

import (
	"testing"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// TestProtectedRules checks which rule forbids a change to a resource AWS
// owns. Each case cites the AWS page it comes from; the end-to-end cases
// are in testdata/corpus/protected.json.
func TestProtectedRules(t *testing.T) {
	alice := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	svc := principal.ServicePrincipal("sso.amazonaws.com")
	tests := []struct {
		name, action, resource string
		caller                 *principal.Principal
		want                   policy.ProtectionRule
	}{
		// access_policies_managed-vs-inline.html: "You cannot change the
		// permissions defined in AWS managed policies."
		{"managed policy version", "iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/AdministratorAccess", &alice, policy.ProtectionAWSManagedPolicy},
		{"managed policy, other partition", "iam:DeletePolicy", "arn:aws-cn:iam::aws:policy/ReadOnlyAccess", &alice, policy.ProtectionAWSManagedPolicy},
		{"customer policy", "iam:DeletePolicy", "arn:aws:iam::111122223333:policy/app", &alice, policy.ProtectionNone},
		// IAM Identity Center's reserved roles.
		{"sso role", "iam:PutRolePolicy", "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_A_1", &alice, policy.ProtectionIdentityCenterRole},
		{"sso role, region", "iam:PutRolePolicy", "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_A_1", &alice, policy.ProtectionIdentityCenterRole},
		{"sso role changed by the service", "iam:PutRolePolicy", "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_A_1", &svc, policy.ProtectionNone},
		{"sso role, read", "iam:GetRole", "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_A_1", &alice, policy.ProtectionNone},
		// using-service-linked-roles.html.
		{"slr trust", "iam:UpdateAssumeRolePolicy", "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX", &alice, policy.ProtectionServiceLinkedRole},
		{"slr description", "iam:UpdateRoleDescription", "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX", &alice, policy.ProtectionNone},
		// kms alias-create.html: "The alias/aws/ prefix is reserved for AWS managed key."
		{"kms alias", "kms:UpdateAlias", "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3", &alice, policy.ProtectionAWSManagedKeyAlias},
		{"kms alias, case", "KMS:createalias", "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3", &alice, policy.ProtectionAWSManagedKeyAlias},
		{"kms alias, resource case", "kms:CreateAlias", "arn:aws:kms:eu-west-1:111122223333:alias/AWS/s3", &alice, policy.ProtectionNone},
		{"other service", "s3:DeleteBucket", "arn:aws:s3:::aws", &alice, policy.ProtectionNone},
		{"short action", "iam", "*", nil, policy.ProtectionNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := policy.Protected(tt.caller, tt.action, tt.resource); got != tt.want {
				t.Errorf("Protected(%s, %s) = %q, want %q", tt.action, tt.resource, got.Name(), tt.want.Name())
			}
		})
	}
}

// TestProtectedExplain checks that Explain names the rule and that a
// protected request still evaluates without allocating.
func TestProtectedExplain(t *testing.T) {
	alice := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: alice})
	set := &policy.Set{Identity: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.Identity)}}
	req := &policy.Request{Principal: alice, Action: "kms:DeleteAlias", Resource: "arn:aws:kms:us-east-1:111122223333:alias/aws/ebs", Context: ctx}
	e := set.Explain(req)
	if e.Decision != policy.ImplicitDeny || e.Reason != policy.ReasonProtected || e.Protection != policy.ProtectionAWSManagedKeyAlias {
		t.Errorf("Explain = %s, protection %q; want implicitDeny by aws-managed-key-alias", e, e.Protection.Name())
	}
	if allocs := testing.AllocsPerRun(100, func() { set.Evaluate(req) }); allocs != 0 {
		t.Errorf("Evaluate of a protected request allocates %v times, want 0", allocs)
	}
}

// TestNilSetAndRequest checks that a nil *Set is an empty Set and a nil
// *Request is an implicit deny, without a panic or an allocation.
func TestNilSetAndRequest(t *testing.T) {
	var set *policy.Set
	alice := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	root := principal.MustParse("arn:aws:iam::111122223333:root")
	tests := []struct {
		name   string
		set    *policy.Set
		req    *policy.Request
		want   policy.Decision
		reason policy.Reason
	}{
		{"nil set", set, &policy.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, policy.ImplicitDeny, policy.ReasonNoAllow},
		// API_GetCallerIdentity.html: no permission is required.
		{"nil set, GetCallerIdentity", set, &policy.Request{Principal: alice, Action: "sts:GetCallerIdentity", Resource: "*"}, policy.Allowed, policy.ReasonGetCallerIdentity},
		{"nil set, root user", set, &policy.Request{Principal: root, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, policy.Allowed, policy.ReasonAllowedRoot},
		{"nil request", &policy.Set{}, nil, policy.ImplicitDeny, policy.ReasonNoRequest},
		{"nil set, nil request", set, nil, policy.ImplicitDeny, policy.ReasonNoRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.set.Evaluate(tt.req)
			if res.Decision != tt.want || res.Reason != tt.reason {
				t.Errorf("Evaluate = %s (%s), want %s (%s)", res.Decision, res.Reason, tt.want, tt.reason)
			}
			e := tt.set.Explain(tt.req)
			if e.Decision != tt.want || e.Reason != tt.reason {
				t.Errorf("Explain = %s, want %s (%s)", e, tt.want, tt.reason)
			}
			if allocs := testing.AllocsPerRun(10, func() { tt.set.Evaluate(tt.req) }); allocs != 0 {
				t.Errorf("Evaluate allocates %v times, want 0", allocs)
			}
		})
	}
}
