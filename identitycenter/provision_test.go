package identitycenter

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func TestProvisionedRoleNameAndPath(t *testing.T) {
	t.Logf("names from %s", docReferencing)
	for _, tt := range []struct {
		region, path string
	}{
		// "If your identity source in IAM Identity Center is hosted in
		// us-east-1, there is no aws-region in the ARN."
		{"us-east-1", "/aws-reserved/sso.amazonaws.com/"},
		{"eu-west-2", "/aws-reserved/sso.amazonaws.com/eu-west-2/"},
	} {
		t.Run(tt.region, func(t *testing.T) {
			f := newFixture(t, Options{Region: tt.region})
			u := f.user("alice", nil)
			f.permissionSet(PermissionSet{Name: "DatabaseAdministrator"})
			f.assignUser(u, "DatabaseAdministrator", acctDev)
			res := f.provision()
			arn, err := f.ic.RoleARN("DatabaseAdministrator", acctDev)
			mustDo(t, err)
			re := regexp.MustCompile(`^arn:aws:iam::` + acctDev + `:role` + regexp.QuoteMeta(tt.path) + `AWSReservedSSO_DatabaseAdministrator_[0-9a-f]{16}$`)
			if !re.MatchString(arn) {
				t.Errorf("role ARN %q does not match %s", arn, re)
			}
			if diff := cmp.Diff([]string{arn}, res.Created); diff != "" {
				t.Errorf("Created (-want +got):\n%s", diff)
			}
			name, _ := f.ic.RoleName("DatabaseAdministrator", acctDev)
			if !strings.HasSuffix(arn, "/"+name) || f.ic.RolePath() != tt.path {
				t.Errorf("RoleName %q, RolePath %q", name, f.ic.RolePath())
			}
		})
	}
	// The longest permission set name still fits IAM's 64-character role
	// names: AWSReservedSSO_ (15) + 32 + _ + 16.
	f := newFixture(t, Options{})
	u := f.user("alice", nil)
	long := strings.Repeat("L", 32)
	f.permissionSet(PermissionSet{Name: long})
	f.assignUser(u, long, acctDev)
	f.provision()
	if name, _ := f.ic.RoleName(long, acctDev); len(name) != 64 {
		t.Errorf("role name %q has %d characters", name, len(name))
	}
}

func TestProvisionedRoleContents(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user("alice", nil)
	f.permissionSet(PermissionSet{Name: "Dev", SessionDuration: "PT2H",
		ManagedPolicies:         []string{readOnlyARN},
		CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "Dev", Path: "/team/"}},
		InlinePolicy:            s3Inline,
		PermissionsBoundary:     &PermissionsBoundary{ManagedPolicyARN: adminARN}})
	f.assignUser(u, "Dev", acctDev)
	res := f.provision()
	r := f.role("Dev", acctDev)

	// The SAML provider AWSSSO_<16 hex>_DO_NOT_DELETE (AWSSSOServiceRolePolicy
	// manages saml-provider/AWSSSO_*).
	prov := f.ic.SAMLProviderARN(acctDev)
	if !regexp.MustCompile(`^arn:aws:iam::` + acctDev + `:saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE$`).MatchString(prov) {
		t.Errorf("SAML provider %q (%s)", prov, docSLRPolicy)
	}
	if _, err := f.dir.SAMLProvider(f.ctx, prov); err != nil {
		t.Errorf("the SAML provider is not in the account: %v", err)
	}
	if diff := cmp.Diff([]string{prov}, res.SAMLProviders); diff != "" {
		t.Errorf("SAMLProviders (-want +got):\n%s", diff)
	}

	// The trust policy: the provider, AssumeRoleWithSAML and TagSession,
	// SAML:aud the sign-in endpoint (docSAMLRoles).
	wantDoc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":"` + prov + `"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],
		"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`
	var got, want any
	mustDo(t, json.Unmarshal([]byte(f.ic.TrustPolicy(acctDev)), &got))
	mustDo(t, json.Unmarshal([]byte(wantDoc), &want))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("trust policy (-want +got):\n%s", diff)
	}
	stored, _ := r.TrustPolicy.MarshalJSON()
	canonical, _ := policy.MustParse(wantDoc, policy.Trust).MarshalJSON()
	if string(stored) != string(canonical) {
		t.Errorf("the role's trust policy is %s", stored)
	}

	// Policies: the inline one, the AWS managed one, the customer managed
	// one resolved in the account, the boundary (permissionsetsconcept.html).
	if len(r.Policies) != 1 || r.Policies[0].Name() != "AwsSSOInlinePolicy" {
		t.Errorf("inline policies %v", r.Policies)
	}
	if diff := cmp.Diff([]string{readOnlyARN, "arn:aws:iam::" + acctDev + ":policy/team/Dev"}, r.ManagedPolicyARNs); diff != "" {
		t.Errorf("ManagedPolicyARNs (-want +got) (%s):\n%s", docPermissionSets, diff)
	}
	if r.PermissionsBoundaryARN != adminARN {
		t.Errorf("boundary %q", r.PermissionsBoundaryARN)
	}
	// howtosessionduration.html: roles get a maximum session duration of
	// 12 hours whatever the permission set's.
	if r.MaxSessionDuration != 12*time.Hour {
		t.Errorf("MaxSessionDuration %v, want 12h (%s)", r.MaxSessionDuration, docSessionDuration)
	}
	if len(r.Tags) != 0 {
		t.Errorf("tags %v: tags apply to permission sets, not to their roles", r.Tags)
	}
}

func TestCustomerManagedPolicyResolvedPerAccount(t *testing.T) {
	// permissionsetsconcept.html: a customer managed policy must exist in
	// each account the permission set is provisioned to.
	f := newFixture(t, Options{})
	u := f.user("alice", nil)
	f.permissionSet(PermissionSet{Name: "Dev", CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "Dev", Path: "/team/"}}})
	f.assignUser(u, "Dev", acctDev)
	f.assignUser(u, "Dev", acctProd)
	res, err := f.ic.Provision(f.ctx, f.dir)
	var pe *ProvisionError
	if !errors.As(err, &pe) {
		t.Fatalf("Provision = %v, want a ProvisionError", err)
	}
	if pe.AccountID != acctProd || pe.PermissionSet != "Dev" || !strings.Contains(pe.Error(), acctProd) || !strings.Contains(pe.FailureReason, "policy/team/Dev") {
		t.Errorf("error %q does not name the account %s and the policy", pe, acctProd)
	}
	if !errors.Is(err, sts.ErrNotFound) {
		t.Errorf("the error does not wrap sts.ErrNotFound")
	}
	if len(res.Failed) != 1 || len(res.Created) != 1 {
		t.Errorf("result %+v: want the dev role created and prod failed", res)
	}
	if _, err := f.ic.RoleARN("Dev", acctProd); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("prod has a role: %v", err)
	}
	// Creating the policy in prod and provisioning again fixes it.
	mustDo(t, f.dir.PutManagedPolicy("arn:aws:iam::"+acctProd+":policy/team/Dev", identityPolicy(`{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}`)))
	res = f.provision()
	if len(res.Created) != 1 || !strings.Contains(res.Created[0], acctProd) {
		t.Errorf("after the fix: %+v", res)
	}
}

func TestProvisionMissingPolicies(t *testing.T) {
	for name, ps := range map[string]PermissionSet{
		"managed":           {Name: "P", ManagedPolicies: []string{"arn:aws:iam::aws:policy/NotInTheDirectory"}},
		"managed boundary":  {Name: "P", PermissionsBoundary: &PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::aws:policy/NotInTheDirectory"}},
		"customer boundary": {Name: "P", PermissionsBoundary: &PermissionsBoundary{CustomerManagedPolicyReference: &CustomerManagedPolicyReference{Name: "Boundary"}}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, Options{})
			u := f.user("alice", nil)
			f.permissionSet(ps)
			f.assignUser(u, "P", acctDev)
			_, err := f.ic.Provision(f.ctx, f.dir)
			var pe *ProvisionError
			if !errors.As(err, &pe) || pe.AccountID != acctDev {
				t.Fatalf("Provision = %v, want a ProvisionError for %s", err, acctDev)
			}
			t.Log(pe)
		})
	}
}

func TestReprovisionAfterChange(t *testing.T) {
	// API_CreateAccountAssignment.html: a permission set updated later
	// reaches the accounts' roles only through ProvisionPermissionSet.
	f := newFixture(t, Options{})
	u := f.user("alice", nil)
	f.permissionSet(PermissionSet{Name: "Dev", ManagedPolicies: []string{readOnlyARN}})
	f.permissionSet(PermissionSet{Name: "Other"})
	f.assignUser(u, "Dev", acctDev)
	f.assignUser(u, "Dev", acctProd)
	f.assignUser(u, "Other", acctDev)
	first := f.provision()
	if len(first.Created) != 3 {
		t.Fatalf("first provisioning: %+v", first)
	}
	mustDo(t, f.ic.UpdatePermissionSet(PermissionSet{Name: "Dev", ManagedPolicies: []string{readOnlyARN, adminARN}, InlinePolicy: s3Inline}))
	if got := f.role("Dev", acctDev).ManagedPolicyARNs; len(got) != 1 {
		t.Errorf("the role changed before provisioning: %v", got)
	}
	res, err := f.ic.ProvisionPermissionSet(f.ctx, f.dir, "Dev")
	mustDo(t, err)
	devARN, _ := f.ic.RoleARN("Dev", acctDev)
	prodARN, _ := f.ic.RoleARN("Dev", acctProd)
	if diff := cmp.Diff(&ProvisionResult{Updated: []string{devARN, prodARN}}, res, cmp.Comparer(func(a, b []string) bool {
		return strings.Join(a, ",") == strings.Join(b, ",")
	})); diff != "" {
		t.Errorf("ProvisionPermissionSet (-want +got):\n%s (%s)", diff, docProvision)
	}
	for _, acct := range []string{acctDev, acctProd} {
		r := f.role("Dev", acct)
		if len(r.ManagedPolicyARNs) != 2 || len(r.Policies) != 1 {
			t.Errorf("%s: role after reprovisioning %+v", acct, r)
		}
	}
	if _, err := f.ic.ProvisionPermissionSet(f.ctx, f.dir, "Nope"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("ProvisionPermissionSet(Nope) = %v", err)
	}
}

func TestProvisionIdempotent(t *testing.T) {
	f := newFixture(t, Options{})
	u := f.user("alice", nil)
	f.permissionSet(PermissionSet{Name: "Dev", ManagedPolicies: []string{readOnlyARN}, InlinePolicy: s3Inline})
	f.assignUser(u, "Dev", acctDev)
	f.provision()
	before := f.role("Dev", acctDev)
	for range 2 {
		res := f.provision()
		if diff := cmp.Diff(&ProvisionResult{}, res); diff != "" {
			t.Errorf("provisioning again changed something (-want +got):\n%s", diff)
		}
	}
	if after := f.role("Dev", acctDev); after != before {
		t.Errorf("the role was rewritten")
	}
	// An update that changes nothing rewrites nothing either.
	mustDo(t, f.ic.UpdatePermissionSet(PermissionSet{Name: "Dev", ManagedPolicies: []string{readOnlyARN}, InlinePolicy: s3Inline}))
	if res := f.provision(); len(res.Updated)+len(res.Created) != 0 {
		t.Errorf("an identical update rewrote roles: %+v", res)
	}
	// The same world in a new instance gives the same names.
	g := newFixture(t, Options{})
	v := g.user("alice", nil)
	g.permissionSet(PermissionSet{Name: "Dev", ManagedPolicies: []string{readOnlyARN}, InlinePolicy: s3Inline})
	g.assignUser(v, "Dev", acctDev)
	g.provision()
	a, _ := f.ic.RoleARN("Dev", acctDev)
	b, _ := g.ic.RoleARN("Dev", acctDev)
	if a != b || v.ID != u.ID || f.ic.SAMLProviderARN(acctDev) != g.ic.SAMLProviderARN(acctDev) {
		t.Errorf("two loads of one world differ: %s %s", a, b)
	}
}

func TestLastAssignmentRemovesRole(t *testing.T) {
	t.Logf("rule from %s", docReferencing)
	f := newFixture(t, Options{})
	u := f.user("alice", nil)
	g := f.group("devs", u)
	f.permissionSet(PermissionSet{Name: "Dev"})
	direct := f.assignUser(u, "Dev", acctDev)
	viaGroup := f.assignGroup(g, "Dev", acctDev)
	f.provision()
	first, _ := f.ic.RoleARN("Dev", acctDev)

	mustDo(t, f.ic.DeleteAccountAssignment(direct))
	if res := f.provision(); len(res.Deleted) != 0 {
		t.Errorf("one assignment left, yet %v deleted", res.Deleted)
	}
	mustDo(t, f.ic.DeleteAccountAssignment(viaGroup))
	res := f.provision()
	if diff := cmp.Diff([]string{first}, res.Deleted); diff != "" {
		t.Errorf("Deleted (-want +got):\n%s", diff)
	}
	if _, err := f.dir.Role(f.ctx, first); !errors.Is(err, sts.ErrNotFound) {
		t.Errorf("the role is still in the account: %v", err)
	}
	if _, err := f.ic.RoleARN("Dev", acctDev); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("RoleARN after deletion: %v", err)
	}
	// "If you make a new assignment to the same permission set later, IAM
	// Identity Center creates a new role ... a different, unique suffix."
	f.assignUser(u, "Dev", acctDev)
	f.provision()
	second, _ := f.ic.RoleARN("Dev", acctDev)
	if second == first || !strings.Contains(second, "AWSReservedSSO_Dev_") {
		t.Errorf("re-created role %q, first was %q", second, first)
	}
	// The SAML provider stays.
	if _, err := f.dir.SAMLProvider(f.ctx, f.ic.SAMLProviderARN(acctDev)); err != nil {
		t.Errorf("SAML provider: %v", err)
	}
	if got := f.ic.ProvisionedRoles(); len(got) != 1 || got[0].RoleARN != second {
		t.Errorf("ProvisionedRoles %+v", got)
	}
}

func TestProvisionOtherPartition(t *testing.T) {
	f := newFixture(t, Options{Partition: "aws-us-gov", Region: "us-gov-west-1"})
	if got := f.ic.SigninSAMLAudience(); got != "https://signin.amazonaws-us-gov.com/saml" {
		t.Errorf("audience %q", got)
	}
	if !strings.Contains(f.ic.TrustPolicy(acctDev), "arn:aws-us-gov:iam::"+acctDev+":saml-provider/AWSSSO_") {
		t.Errorf("trust policy %s", f.ic.TrustPolicy(acctDev))
	}
}
