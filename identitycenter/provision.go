package identitycenter

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

// Target is where provisioning writes: the IAM of the organization's
// accounts. [*sts.MemoryDirectory] implements it. An Instance keeps a
// record of the roles it provisioned, so it provisions into one Target.
type Target interface {
	sts.Directory
	PutRole(sts.Role) error
	DeleteRole(arn string) error
	PutSAMLProvider(*federation.SAMLProvider) error
}

var _ Target = (*sts.MemoryDirectory)(nil)

// ProvisionResult says what a provisioning changed. Role ARNs are sorted.
type ProvisionResult struct {
	// Created, Updated and Deleted list the roles written and removed;
	// roles already as they should be are in none of them.
	Created, Updated, Deleted []string
	// SAMLProviders lists the SAML providers created.
	SAMLProviders []string
	// Failed lists the permission sets that could not be provisioned into
	// an account; those accounts keep what they had.
	Failed []*ProvisionError
}

// RolePath returns the path of the roles the instance provisions:
// /aws-reserved/sso.amazonaws.com/, with the home Region after it when
// that is not us-east-1 (referencingpermissionsets.html: "If your
// identity source in IAM Identity Center is hosted in us-east-1, there is
// no aws-region in the ARN").
func (in *Instance) RolePath() string {
	if in.region == "us-east-1" {
		return "/aws-reserved/sso.amazonaws.com/"
	}
	return "/aws-reserved/sso.amazonaws.com/" + in.region + "/"
}

// SAMLProviderARN returns the ARN of the SAML provider the instance keeps
// in an account, AWSSSO_<16 hex>_DO_NOT_DELETE, which its roles trust.
func (in *Instance) SAMLProviderARN(accountID string) string {
	return "arn:" + in.partition + ":iam::" + accountID + ":saml-provider/" + in.samlName
}

func (in *Instance) roleARN(u unit, generation int, psARN string) string {
	name := "AWSReservedSSO_" + u.permissionSet + "_" + roleSuffix(in.instanceARN, psARN, u.account, generation)
	return "arn:" + in.partition + ":iam::" + u.account + ":role" + in.RolePath() + name
}

// ProvisionedRole is a role the instance provisioned.
type ProvisionedRole struct {
	AccountID     string
	PermissionSet string
	// RoleARN is arn:PARTITION:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/[REGION/]AWSReservedSSO_NAME_HEX.
	RoleARN string
}

// RoleName returns the name of a permission set's role in an account
// (AWSReservedSSO_NAME_HEX), once provisioned.
func (in *Instance) RoleName(permissionSet, accountID string) (string, error) {
	arn, err := in.RoleARN(permissionSet, accountID)
	if err != nil {
		return "", err
	}
	return roleNameOf(arn), nil
}

// RoleARN returns the ARN of a permission set's role in an account, once
// provisioned.
func (in *Instance) RoleARN(permissionSet, accountID string) (string, error) {
	if r, ok := in.load().provisioned[unit{accountID, permissionSet}]; ok {
		return r.arn, nil
	}
	return "", errNotProvisioned(permissionSet, accountID)
}

func errNotProvisioned(permissionSet, accountID string) error {
	return newError(ErrResourceNotFound, "Permission set %s is not provisioned in account %s", permissionSet, accountID)
}

func roleNameOf(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}

// ProvisionedRoles returns every role the instance provisioned, by account
// and permission set.
func (in *Instance) ProvisionedRoles() []ProvisionedRole {
	s := in.load()
	units := slices.SortedFunc(maps.Keys(s.provisioned), compareUnits)
	out := make([]ProvisionedRole, len(units))
	for i, u := range units {
		out[i] = ProvisionedRole{AccountID: u.account, PermissionSet: u.permissionSet, RoleARN: s.provisioned[u].arn}
	}
	return out
}

func compareUnits(a, b unit) int {
	if a.account != b.account {
		if a.account < b.account {
			return -1
		}
		return 1
	}
	switch {
	case a.permissionSet < b.permissionSet:
		return -1
	case a.permissionSet > b.permissionSet:
		return 1
	}
	return 0
}

// Provision makes the target match the instance, as AWS does when it
// provisions permission sets (CreateAccountAssignment,
// ProvisionPermissionSet, DeleteAccountAssignment): for every account with
// an assignment of a permission set, the role
// AWSReservedSSO_<Name>_<suffix> under [Instance.RolePath] with
//
//   - the trust policy AWS writes: the account's AWSSSO_..._DO_NOT_DELETE
//     SAML provider may call sts:AssumeRoleWithSAML and sts:TagSession
//     when SAML:aud is https://signin.aws.amazon.com/saml (the
//     partition's sign-in endpoint);
//   - the permission set's inline policy (named AwsSSOInlinePolicy), AWS
//     managed policies, customer managed policies resolved in that
//     account, and permissions boundary;
//   - a MaxSessionDuration of 12 hours, whatever the permission set's
//     session duration ("IAM Identity Center ... configures these roles
//     with a maximum session duration of 12 hours",
//     howtosessionduration.html);
//
// and the SAML provider itself, created in each account the first time
// (its metadata is Options.IdPMetadata or a synthetic test IdP's).
// Roles of permission sets no longer assigned in an account are deleted;
// a role created again later gets a new suffix.
//
// Provisioning is idempotent: a second call with nothing changed writes
// nothing. A permission set that cannot be provisioned into an account
// (a customer managed policy or boundary missing there, a managed policy
// the target does not hold) is reported in ProvisionResult.Failed and in
// the returned error, a join of [*ProvisionError]s; the other accounts and
// permission sets are provisioned all the same.
func (in *Instance) Provision(ctx context.Context, target Target) (*ProvisionResult, error) {
	return in.provision(ctx, target, func(string) bool { return true })
}

// ProvisionPermissionSet is [Instance.Provision] for one permission set
// (ProvisionPermissionSet to ALL_PROVISIONED_ACCOUNTS), after a change to
// it.
func (in *Instance) ProvisionPermissionSet(ctx context.Context, target Target, name string) (*ProvisionResult, error) {
	if _, err := in.PermissionSet(name); err != nil {
		return nil, err
	}
	return in.provision(ctx, target, func(n string) bool { return n == name })
}

func (in *Instance) provision(ctx context.Context, target Target, only func(string) bool) (*ProvisionResult, error) {
	if target == nil {
		return nil, errors.New("identitycenter: Provision needs a Target")
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	s := in.load()
	res := &ProvisionResult{}
	provisioned := maps.Clone(s.provisioned)
	if provisioned == nil {
		provisioned = map[unit]provisionedRole{}
	}
	nextGen := maps.Clone(s.nextGen)
	if nextGen == nil {
		nextGen = map[unit]int{}
	}

	want := map[unit]bool{}
	for a := range s.assignments {
		if only(a.PermissionSet) {
			want[unit{a.AccountID, a.PermissionSet}] = true
		}
	}
	trusts := maps.Clone(s.trust)
	if trusts == nil {
		trusts = map[string]*policy.Policy{}
	}
	checked := map[string]bool{} // accounts whose SAML provider was checked
	for _, u := range slices.SortedFunc(maps.Keys(want), compareUnits) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ps := s.permSets[u.permissionSet]
		if !checked[u.account] {
			if perr := in.ensureProvider(ctx, target, u, res); perr != nil {
				res.Failed = append(res.Failed, perr)
				continue
			}
			checked[u.account] = true
		}
		trust := trusts[u.account]
		if trust == nil {
			var err error
			trust, err = policy.ParseWithOptions(in.trustPolicyJSON(u.account), policy.Trust, policy.Options{Name: "trust policy"})
			if err != nil { // cannot happen: the document is fixed
				return nil, err
			}
			trusts[u.account] = trust
		}
		rec, had := provisioned[u]
		if !had {
			rec = provisionedRole{generation: nextGen[u]}
			rec.arn = in.roleARN(u, rec.generation, ps.ARN)
		}
		role, perr := in.desiredRole(ctx, target, u, ps, rec.arn, trust)
		if perr != nil {
			res.Failed = append(res.Failed, perr)
			continue
		}
		old, err := target.Role(ctx, rec.arn)
		switch {
		case err == nil && sameRole(old, role):
			provisioned[u] = rec
			continue
		case err != nil && !errors.Is(err, sts.ErrNotFound):
			res.Failed = append(res.Failed, &ProvisionError{PermissionSet: u.permissionSet, AccountID: u.account, FailureReason: "reading the role: " + err.Error(), Err: err})
			continue
		}
		if err := target.PutRole(*role); err != nil {
			res.Failed = append(res.Failed, &ProvisionError{PermissionSet: u.permissionSet, AccountID: u.account, FailureReason: "writing the role: " + err.Error(), Err: err})
			continue
		}
		provisioned[u] = rec
		if old == nil {
			res.Created = append(res.Created, rec.arn)
		} else {
			res.Updated = append(res.Updated, rec.arn)
		}
	}
	for _, u := range slices.SortedFunc(maps.Keys(provisioned), compareUnits) {
		if want[u] || !only(u.permissionSet) {
			continue
		}
		rec := provisioned[u]
		if err := target.DeleteRole(rec.arn); err != nil && !errors.Is(err, sts.ErrNotFound) {
			res.Failed = append(res.Failed, &ProvisionError{PermissionSet: u.permissionSet, AccountID: u.account, FailureReason: "deleting the role: " + err.Error(), Err: err})
			continue
		}
		delete(provisioned, u)
		nextGen[u] = rec.generation + 1
		res.Deleted = append(res.Deleted, rec.arn)
	}
	slices.Sort(res.Created)
	slices.Sort(res.Updated)
	slices.Sort(res.Deleted)

	if err := in.updateLocked(func(ns *state) error {
		ns.provisioned, ns.nextGen, ns.trust = provisioned, nextGen, trusts
		return nil
	}); err != nil {
		return nil, err
	}
	if len(res.Failed) > 0 {
		errs := make([]error, len(res.Failed))
		for i, f := range res.Failed {
			errs[i] = f
		}
		return res, errors.Join(errs...)
	}
	return res, nil
}

// ensureProvider creates the instance's SAML provider in u's account if
// it is not there.
func (in *Instance) ensureProvider(ctx context.Context, target Target, u unit, res *ProvisionResult) *ProvisionError {
	fail := func(reason string, err error) *ProvisionError {
		return &ProvisionError{PermissionSet: u.permissionSet, AccountID: u.account, FailureReason: reason, Err: err}
	}
	arn := in.SAMLProviderARN(u.account)
	if _, err := target.SAMLProvider(ctx, arn); err != nil {
		if !errors.Is(err, sts.ErrNotFound) {
			return fail("reading the SAML provider: "+err.Error(), err)
		}
		md, err := in.idpMetadata()
		if err != nil {
			return fail("making the identity provider's metadata: "+err.Error(), err)
		}
		p, err := federation.NewSAMLProviderIn(in.partition, u.account, in.samlName, md)
		if err != nil {
			return fail("the SAML provider: "+err.Error(), err)
		}
		if err := target.PutSAMLProvider(p); err != nil {
			return fail("writing the SAML provider: "+err.Error(), err)
		}
		res.SAMLProviders = append(res.SAMLProviders, arn)
	}
	return nil
}

// signinSAML is each partition's SAML sign-in endpoint, the SAML:aud of
// the trust policy.
var signinSAML = map[string]string{
	"aws":        "https://signin.aws.amazon.com/saml",
	"aws-cn":     "https://signin.amazonaws.cn/saml",
	"aws-us-gov": "https://signin.amazonaws-us-gov.com/saml",
}

// SigninSAMLAudience returns the SAML:aud value the instance's roles
// require: the partition's sign-in endpoint.
func (in *Instance) SigninSAMLAudience() string { return signinSAML[in.partition] }

// TrustPolicy returns the trust policy document of the instance's roles
// in an account. AWS does not print it in its documentation; this is the
// shape of the roles AWS provisions (as exported from accounts) and of
// the SAML federation trust policies AWS documents
// (id_roles_create_for-idp_saml.html).
func (in *Instance) TrustPolicy(accountID string) string {
	return string(in.trustPolicyJSON(accountID))
}

func (in *Instance) trustPolicyJSON(account string) []byte {
	return []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` +
		in.SAMLProviderARN(account) + `"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],` +
		`"Condition":{"StringEquals":{"SAML:aud":"` + in.SigninSAMLAudience() + `"}}}]}`)
}

// desiredRole is the role ps provisions into u's account, its policies
// resolved there.
func (in *Instance) desiredRole(ctx context.Context, target Target, u unit, ps *PermissionSet, arn string, trust *policy.Policy) (*sts.Role, *ProvisionError) {
	fail := func(reason string, err error) *ProvisionError {
		return &ProvisionError{PermissionSet: u.permissionSet, AccountID: u.account, FailureReason: reason, Err: err}
	}
	exists := func(policyARN, what string) *ProvisionError {
		_, err := target.ManagedPolicy(ctx, policyARN)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, sts.ErrNotFound):
			return fail(what+" does not exist in account "+u.account, err)
		}
		return fail("reading "+what+": "+err.Error(), err)
	}
	r := &sts.Role{ARN: arn, UniqueID: sts.DeterministicUniqueID("AROA", arn), TrustPolicy: trust,
		MaxSessionDuration: roleMaxSessionDuration}
	if ps.inline != nil {
		r.Policies = []*policy.Policy{ps.inline}
	}
	for _, a := range ps.ManagedPolicies {
		if e := exists(a, "The AWS managed policy "+a); e != nil {
			return nil, e
		}
		r.ManagedPolicyARNs = append(r.ManagedPolicyARNs, a)
	}
	for _, ref := range ps.CustomerManagedPolicies {
		a := ref.ARN(in.partition, u.account)
		if e := exists(a, fmt.Sprintf("The customer managed policy %s (path %s, %s)", ref.Name, ref.path(), a)); e != nil {
			return nil, e
		}
		r.ManagedPolicyARNs = append(r.ManagedPolicyARNs, a)
	}
	if b := ps.PermissionsBoundary; b != nil {
		what := "The permissions boundary " + b.ManagedPolicyARN
		a := b.ManagedPolicyARN
		if ref := b.CustomerManagedPolicyReference; ref != nil {
			a = ref.ARN(in.partition, u.account)
			what = fmt.Sprintf("The permissions boundary, customer managed policy %s (path %s, %s),", ref.Name, ref.path(), a)
		}
		if e := exists(a, what); e != nil {
			return nil, e
		}
		r.PermissionsBoundaryARN = a
	}
	return r, nil
}

// sameRole reports whether the stored role is already the desired one.
// Policies compare by their canonical JSON.
func sameRole(old, want *sts.Role) bool {
	return old.ARN == want.ARN && old.UniqueID == want.UniqueID &&
		old.MaxSessionDuration == want.MaxSessionDuration &&
		old.PermissionsBoundaryARN == want.PermissionsBoundaryARN &&
		slices.Equal(old.ManagedPolicyARNs, want.ManagedPolicyARNs) &&
		slices.EqualFunc(old.Policies, want.Policies, samePolicyText) &&
		samePolicyText(old.TrustPolicy, want.TrustPolicy) &&
		len(old.Tags) == 0 && !old.ServiceLinked
}

func samePolicyText(a, b *policy.Policy) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Name() != b.Name() {
		return false
	}
	x, err1 := a.MarshalJSON()
	y, err2 := b.MarshalJSON()
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// idpMetadata returns the metadata of the IdP the instance registers.
func (in *Instance) idpMetadata() ([]byte, error) {
	in.metaOnce.Do(func() {
		entity := "https://portal.sso." + in.region + ".amazonaws.com/saml/assertion/" + in.instanceID
		idp, err := federation.NewSAMLTestIdP(entity, in.now())
		if err != nil {
			in.metaErr = err
			return
		}
		in.metadata = idp.Metadata()
	})
	return in.metadata, in.metaErr
}
