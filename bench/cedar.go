package bench

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/iamkit/iamkit/policy"
)

// The Cedar translation. Each IAM statement becomes one Cedar policy:
//
//   - an Allow in an identity policy becomes a permit, a Deny anywhere a
//     forbid whose ID starts with "deny/", so that an explicit deny can be
//     told from an implicit one (Cedar's decision is only Allow or Deny);
//   - Action lists become the action scope (action == / action in [...]),
//     lower-cased, "*" an unconstrained scope and NotAction a negated in;
//   - Resource ARNs become resource.arn == "..." or resource.arn like
//     "...*" on the resource entity's arn attribute;
//   - Principal entries become principal in Iam::Role::"..." or
//     Iam::Account::"..." (the caller entity lists its role and account as
//     parents), principal == for users and sessions;
//   - conditions become context["key"] tests guarded by context has
//     "key", so a missing key is false (true for negated operators), as
//     in IAM, instead of an evaluation error.
//
// Layers that must allow (the permissions boundary, the session policies,
// every SCP level and, for a cross-account request, the resource-based
// policy) become one "guard" forbid each: forbid unless one of the layer's
// Allow statements applies. "Every SCP level must allow" is one guard per
// level; "both sides must allow cross-account" is the identity permits plus
// a guard that applies when principal.account != resource.account, unless a
// resource-policy Allow names the caller. A resource-policy Allow also
// becomes a permit limited to the same account. The whole set is one
// PolicySet, decided by one IsAuthorized call.

type cedarEngine struct{}

func (cedarEngine) Name() string { return "cedar" }

type cedarCompiled struct {
	set *cedar.PolicySet
	// accounts is true when the policies read principal.account and
	// resource.account (there is a resource-based policy): the request
	// then carries a principal entity too.
	accounts bool
}

func (cedarEngine) Compile(s *Scenario) (Compiled, error) {
	docs, err := loadDocuments(s)
	if err != nil {
		return nil, err
	}
	policies, err := translateCedar(docs)
	if err != nil {
		return nil, err
	}
	set := cedar.NewPolicySet()
	for _, p := range policies {
		var cp cedar.Policy
		if err := cp.UnmarshalCedar([]byte(p.text)); err != nil {
			return nil, fmt.Errorf("cedar policy %s: %w\n%s", p.id, err, p.text)
		}
		set.Add(cedar.PolicyID(p.id), &cp)
	}
	return &cedarCompiled{set: set, accounts: docs.resource != nil}, nil
}

// CedarSource returns the Cedar translation of a scenario, for reading.
func CedarSource(s *Scenario) (string, error) {
	docs, err := loadDocuments(s)
	if err != nil {
		return "", err
	}
	policies, err := translateCedar(docs)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	for _, p := range policies {
		fmt.Fprintf(&sb, "// %s\n%s\n\n", p.id, p.text)
	}
	return sb.String(), nil
}

type cedarPolicy struct{ id, text string }

func translateCedar(d *documents) ([]cedarPolicy, error) {
	var out []cedarPolicy
	// statements emits the Deny statements of docs as forbids and, when
	// permit is set, the Allows as permits; it returns the Allows' match
	// expressions for a guard.
	statements := func(layer string, docs []policy.Document, permit bool) ([]string, error) {
		var allows []string
		for i, doc := range docs {
			for j, st := range doc.Statements {
				id := fmt.Sprintf("%s/%d/%d", layer, i, j)
				scope, when, err := cedarStatement(st, false)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", id, err)
				}
				switch {
				case st.Effect == policy.Deny:
					out = append(out, cedarPolicy{"deny/" + id, fmt.Sprintf("forbid (principal, %s, resource)\nwhen { %s };", scope, when)})
				case permit:
					out = append(out, cedarPolicy{"allow/" + id, fmt.Sprintf("permit (principal, %s, resource)\nwhen { %s };", scope, when)})
				default:
					expr, err := cedarMatch(st, false)
					if err != nil {
						return nil, err
					}
					allows = append(allows, expr)
				}
			}
		}
		return allows, nil
	}
	guard := func(id, when string, allows []string) {
		unless := "false"
		if len(allows) > 0 {
			unless = "(" + strings.Join(allows, ")\n  || (") + ")"
		}
		text := "forbid (principal, action, resource)\n"
		if when != "" {
			text += "when { " + when + " }\n"
		}
		out = append(out, cedarPolicy{"guard/" + id, text + "unless { " + unless + " };"})
	}

	if _, err := statements("identity", d.identity, true); err != nil {
		return nil, err
	}
	if d.boundary != nil {
		allows, err := statements("boundary", []policy.Document{*d.boundary}, false)
		if err != nil {
			return nil, err
		}
		guard("boundary", "", allows)
	}
	if len(d.session) > 0 {
		allows, err := statements("session", d.session, false)
		if err != nil {
			return nil, err
		}
		guard("session", "", allows)
	}
	for level, docs := range d.scps {
		allows, err := statements(fmt.Sprintf("scp%d", level), docs, false)
		if err != nil {
			return nil, err
		}
		guard(fmt.Sprintf("scp%d", level), "", allows)
	}
	if d.resource != nil {
		var allows []string
		for j, st := range d.resource.Statements {
			id := fmt.Sprintf("resource/0/%d", j)
			scope, when, err := cedarStatement(st, false)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", id, err)
			}
			if st.Effect == policy.Deny {
				out = append(out, cedarPolicy{"deny/" + id, fmt.Sprintf("forbid (principal, %s, resource)\nwhen { %s };", scope, when)})
				continue
			}
			expr, err := cedarMatch(st, false)
			if err != nil {
				return nil, err
			}
			allows = append(allows, expr)
			// In the same account a grant naming the caller (not its
			// account, which only delegates) suffices; boundary and
			// session guards still apply, as for a role ARN in IAM.
			if _, direct, err := cedarStatement(st, true); err == nil {
				out = append(out, cedarPolicy{"allow/" + id, fmt.Sprintf(
					"permit (principal, %s, resource)\nwhen { principal.account == resource.account && %s };", scope, direct)})
			}
		}
		guard("cross-account", "principal.account != resource.account", allows)
	}
	return out, nil
}

// errNoDirect says that a statement names only accounts: it grants nothing
// by itself in the same account.
var errNoDirect = fmt.Errorf("principal names only accounts")

// cedarStatement returns the action scope and the when condition of st.
// With direct, account entries of Principal are left out.
func cedarStatement(st policy.Statement, direct bool) (scope, when string, err error) {
	scope, err = cedarActionScope(st)
	if err != nil {
		return "", "", err
	}
	var parts []string
	if len(st.NotAction) > 0 {
		parts = append(parts, "!("+scope+")")
		scope = "action"
	}
	if r, err := cedarResource(st); err != nil {
		return "", "", err
	} else if r != "" {
		parts = append(parts, r)
	}
	if p, err := cedarPrincipal(st, direct); err != nil {
		return "", "", err
	} else if p != "" {
		parts = append(parts, p)
	}
	for _, c := range st.Condition {
		e, err := cedarCondition(c)
		if err != nil {
			return "", "", err
		}
		parts = append(parts, e)
	}
	if len(parts) == 0 {
		return scope, "true", nil
	}
	return scope, strings.Join(parts, "\n  && "), nil
}

// cedarMatch returns one expression that is true when st applies.
func cedarMatch(st policy.Statement, direct bool) (string, error) {
	scope, when, err := cedarStatement(st, direct)
	if err != nil {
		return "", err
	}
	switch {
	case scope == "action":
		return when, nil
	case when == "true":
		return scope, nil
	}
	return scope + " && " + when, nil
}

var exactAction = regexp.MustCompile(`^[a-zA-Z0-9-]+:[a-zA-Z0-9]+$`)

func cedarActionScope(st policy.Statement) (string, error) {
	list := st.Action
	if len(st.NotAction) > 0 {
		list = st.NotAction
	}
	var uids []string
	for _, a := range list {
		if a == "*" && len(st.NotAction) == 0 {
			return "action", nil
		}
		if !exactAction.MatchString(a) {
			return "", fmt.Errorf("action %q: Cedar has no action wildcards (use action groups)", a)
		}
		uids = append(uids, fmt.Sprintf("Action::%q", strings.ToLower(a)))
	}
	if len(uids) == 1 {
		return "action == " + uids[0], nil
	}
	return "action in [" + strings.Join(uids, ", ") + "]", nil
}

func cedarResource(st policy.Statement) (string, error) {
	if len(st.NotResource) > 0 {
		return "", fmt.Errorf("NotResource is not translated")
	}
	var alts []string
	for _, r := range st.Resource {
		switch {
		case r == "*":
			return "", nil
		case strings.ContainsAny(r, "?$"):
			return "", fmt.Errorf("resource %q: ? and policy variables are not translated", r)
		case strings.Contains(r, "*"):
			alts = append(alts, fmt.Sprintf("resource.arn like %q", r))
		default:
			alts = append(alts, fmt.Sprintf("resource.arn == %q", r))
		}
	}
	return or(alts), nil
}

func cedarPrincipal(st policy.Statement, direct bool) (string, error) {
	p := st.Principal
	if st.NotPrincipal != nil {
		return "", fmt.Errorf("NotPrincipal is not translated")
	}
	if p == nil {
		return "", nil
	}
	if p.Wildcard {
		return "", nil
	}
	if len(p.Service)+len(p.Federated)+len(p.CanonicalUser) > 0 {
		return "", fmt.Errorf("only AWS principals are translated")
	}
	var alts []string
	for _, a := range p.AWS {
		if a == "*" {
			return "", nil
		}
		if acct, ok := accountEntry(a); ok {
			if !direct {
				alts = append(alts, fmt.Sprintf("principal in Iam::Account::%q", acct))
			}
			continue
		}
		c, err := parseCaller(a)
		if err != nil {
			return "", err
		}
		switch c.kind {
		case "role":
			alts = append(alts, fmt.Sprintf("principal in Iam::Role::%q", a))
		case "user":
			alts = append(alts, fmt.Sprintf("principal == Iam::User::%q", a))
		case "assumed-role":
			alts = append(alts, fmt.Sprintf("principal == Iam::AssumedRole::%q", a))
		default:
			return "", fmt.Errorf("principal %q is not translated", a)
		}
	}
	if len(alts) == 0 {
		return "", errNoDirect
	}
	return or(alts), nil
}

var accountARN = regexp.MustCompile(`^(?:arn:aws:iam::)?([0-9]{12})(?::root)?$`)

// accountEntry reports whether a Principal entry names an account (its ID
// or its root ARN) and which.
func accountEntry(s string) (string, bool) {
	m := accountARN.FindStringSubmatch(s)
	if m == nil || (strings.HasPrefix(s, "arn:") != strings.HasSuffix(s, ":root")) {
		return "", false
	}
	return m[1], true
}

func cedarCondition(c policy.Condition) (string, error) {
	key := strconv.Quote(c.Key)
	val := "context[" + key + "]"
	has := "context has " + key
	var alts []string
	for _, v := range c.Values {
		switch c.Operator {
		case "StringEquals", "StringNotEquals":
			alts = append(alts, fmt.Sprintf("%s == %q", val, v))
		case "StringLike":
			if strings.Contains(v, "?") {
				return "", fmt.Errorf("StringLike %q: Cedar like has no ?", v)
			}
			alts = append(alts, fmt.Sprintf("%s like %q", val, v))
		case "IpAddress", "NotIpAddress":
			alts = append(alts, fmt.Sprintf("%s.isInRange(ip(%q))", val, v))
		case "Bool":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return "", err
			}
			alts = append(alts, fmt.Sprintf("%s == %t", val, b))
		default:
			return "", fmt.Errorf("condition operator %s is not translated", c.Operator)
		}
	}
	if strings.HasPrefix(c.Operator, "Not") || strings.HasPrefix(c.Operator, "StringNot") {
		// Negated operators match when the key is missing.
		return fmt.Sprintf("(!(%s) || !%s)", has, or(alts)), nil
	}
	return fmt.Sprintf("(%s && %s)", has, or(alts)), nil
}

func or(alts []string) string {
	switch len(alts) {
	case 0:
		return ""
	case 1:
		return alts[0]
	}
	return "(" + strings.Join(alts, " || ") + ")"
}

func (c *cedarCompiled) Prepare(r *Request) (Decider, error) {
	who, err := parseCaller(r.Principal)
	if err != nil {
		return nil, err
	}
	var ptype cedar.EntityType
	switch who.kind {
	case "user":
		ptype = "Iam::User"
	case "assumed-role":
		ptype = "Iam::AssumedRole"
	default:
		return nil, fmt.Errorf("caller kind %q is not translated", who.kind)
	}
	puid := cedar.NewEntityUID(ptype, cedar.String(who.arn))
	ruid := cedar.NewEntityUID("Aws::Resource", cedar.String(r.Resource))
	rattrs := cedar.RecordMap{"arn": cedar.String(r.Resource)}
	entities := cedar.EntityMap{}
	if c.accounts {
		rattrs["account"] = cedar.String(resourceAccount(r, who))
		acct := cedar.NewEntityUID("Iam::Account", cedar.String(who.account))
		parents := []cedar.EntityUID{acct}
		if who.roleARN != "" {
			parents = append(parents, cedar.NewEntityUID("Iam::Role", cedar.String(who.roleARN)))
		}
		entities[puid] = cedar.Entity{
			UID:        puid,
			Parents:    cedar.NewEntityUIDSet(parents...),
			Attributes: cedar.NewRecord(cedar.RecordMap{"account": cedar.String(who.account)}),
		}
	}
	entities[ruid] = cedar.Entity{UID: ruid, Attributes: cedar.NewRecord(rattrs)}
	ctx := make(cedar.RecordMap, len(r.Context))
	for k, v := range r.Context {
		ctx[cedar.String(k)] = cedarValue(k, v)
	}
	return &cedarDecider{set: c.set, entities: entities, req: cedar.Request{
		Principal: puid,
		Action:    cedar.NewEntityUID("Action", cedar.String(strings.ToLower(r.Action))),
		Resource:  ruid,
		Context:   cedar.NewRecord(ctx),
	}}, nil
}

// cedarValue types a context value as a Cedar schema would declare its key.
func cedarValue(key, v string) cedar.Value {
	switch contextTypes[key] {
	case "ip":
		if ip, err := types.ParseIPAddr(v); err == nil {
			return ip
		}
	case "bool":
		if b, err := strconv.ParseBool(v); err == nil {
			return cedar.Boolean(b)
		}
	}
	return cedar.String(v)
}

type cedarDecider struct {
	set      *cedar.PolicySet
	entities cedar.EntityMap
	req      cedar.Request
}

func (d *cedarDecider) Decide() (policy.Decision, error) {
	dec, diag := d.set.IsAuthorized(d.entities, d.req)
	if len(diag.Errors) > 0 {
		return 0, fmt.Errorf("cedar: %s: %s", diag.Errors[0].PolicyID, diag.Errors[0].Message)
	}
	if dec == cedar.Allow {
		return policy.Allowed, nil
	}
	for _, r := range diag.Reasons {
		if strings.HasPrefix(string(r.PolicyID), "deny/") {
			return policy.ExplicitDeny, nil
		}
	}
	return policy.ImplicitDeny, nil
}
