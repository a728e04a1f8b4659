package sts

import (
	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// federatedClaims is what a federated identity (a web identity token's
// claims, a SAML assertion's attributes) asks for its session: session
// tags, transitive tag keys and a source identity.
type federatedClaims struct {
	tags              []Tag
	transitive        []string
	hasSourceIdentity bool
	sourceIdentity    string
}

// federatedTrust evaluates the role's trust policy for a federated
// principal, as AssumeRoleWithWebIdentity and AssumeRoleWithSAML do: action
// (sts:AssumeRoleWithWebIdentity or sts:AssumeRoleWithSAML), plus
// sts:TagSession when the identity carries session tags or transitive keys
// (with aws:RequestTag/*, aws:TagKeys and sts:TransitiveTagKeys in rc) and
// sts:SetSourceIdentity when it carries a source identity
// (id_session-tags.html#id_session-tags_permissions-required,
// id_credentials_temp_control-access_monitor.html). rc holds the
// provider's keys already. A refusal is AccessDenied "Not authorized to
// perform ACTION", with a TrustDenied cause.
func federatedTrust(role *Role, roleARN principal.ARN, roleARNText string, caller principal.Principal, rc *condition.Context, action string, c federatedClaims) error {
	actions := []string{action}
	if len(c.tags) > 0 || len(c.transitive) > 0 {
		keys := make([]string, len(c.tags))
		for i, t := range c.tags {
			rc.Set("aws:RequestTag/"+t.Key, t.Value)
			keys[i] = t.Key
		}
		rc.SetList("aws:TagKeys", keys)
		if len(c.transitive) > 0 {
			rc.SetList("sts:TransitiveTagKeys", c.transitive)
		}
		actions = append(actions, "sts:TagSession")
	}
	if c.hasSourceIdentity {
		rc.Set("sts:SourceIdentity", c.sourceIdentity)
		actions = append(actions, "sts:SetSourceIdentity")
	}
	set := &policy.Set{Resource: role.TrustPolicy}
	for _, a := range actions {
		r := &policy.Request{Principal: caller, Action: a, Resource: roleARNText, ResourceAccount: roleARN.Account, Context: rc}
		if res := set.Evaluate(r); res.Decision != policy.Allowed {
			e := newError(ErrAccessDenied, "Not authorized to perform %s", action)
			e.Err = &TrustDenied{Action: a, Explanation: set.Explain(r)}
			return e
		}
	}
	return nil
}

// carriedKeys are the provider keys of rc that the session carries into
// its later requests.
func carriedKeys(rc *condition.Context, keys []string) []ProviderKey {
	var out []ProviderKey
	for _, k := range keys {
		if v, ok := rc.Lookup(k); ok {
			out = append(out, ProviderKey{Key: k, Values: v.Strings(), Multi: v.Multi()})
		}
	}
	return out
}
