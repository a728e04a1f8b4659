package bench

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

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
//     a wildcard action (Cedar has none) becomes action.name like "ec2:describe*"
//     on an attribute of the request's action entity;
//   - Resource ARNs become resource.arn == "..." or resource.arn like
//     "...*" on the resource entity's arn attribute, NotResource their
//     negation; a policy variable inside a pattern becomes * (like takes only
//     a literal pattern and Cedar cannot concatenate strings), guarded by
//     context has "key": looser than IAM, which substitutes the value;
//   - Principal entries become principal in Iam::Role::"..." or
//     Iam::Account::"..." (the caller entity lists its role and account as
//     parents), principal == for users and sessions;
//   - conditions become context["key"] tests guarded by context has
//     "key", so a missing key is false (true for negated operators and
//     ...IfExists), as in IAM, instead of an evaluation error; a value that
//     is a whole policy variable compares with context["variable"];
//     ForAllValues and ForAnyValue become containsAll and containsAny on a
//     set-typed key.
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
	// then carries a principal entity too. actionNames is true when they
	// read action.name (a wildcard action): the request then carries its
	// action entity.
	accounts, actionNames bool
}

func (cedarEngine) Compile(s *Scenario) (Compiled, error) {
	text, err := CedarSource(s)
	if err != nil {
		return nil, err
	}
	set, err := cedarSetFromText([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("cedar: %w\n%s", err, text)
	}
	return newCedarCompiled(set, text), nil
}

// newCedarCompiled wraps a policy set compiled from text (or from that
// text's JSON form) with what requests must carry for it, which the text
// tells, as a schema would.
func newCedarCompiled(set *cedar.PolicySet, text string) *cedarCompiled {
	return &cedarCompiled{
		set:         set,
		accounts:    strings.Contains(text, "principal.account"),
		actionNames: strings.Contains(text, "action.name"),
	}
}

// cedarSetFromText parses and compiles a Cedar policy file into a
// PolicySet, each policy under the ID its @id annotation gives (the
// convention of Cedar's tools; the rest get policy<n>).
func cedarSetFromText(text []byte) (*cedar.PolicySet, error) {
	list, err := cedar.NewPolicyListFromBytes("policies.cedar", text)
	if err != nil {
		return nil, err
	}
	set := cedar.NewPolicySet()
	for i, p := range list {
		id := cedar.PolicyID("policy" + strconv.Itoa(i))
		for _, a := range p.AST().Annotations {
			if a.Key == "id" {
				id = cedar.PolicyID(a.Value)
			}
		}
		set.Add(id, p)
	}
	return set, nil
}

// cedarSetFromJSON parses and compiles a policy set in Cedar's JSON policy
// format ({"staticPolicies": {id: policy}}).
func cedarSetFromJSON(data []byte) (*cedar.PolicySet, error) {
	var set cedar.PolicySet
	if err := set.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return &set, nil
}

// CedarSource returns the Cedar translation of a scenario: one policy per
// IAM statement (plus guards), each with an @id annotation.
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
	for i, p := range policies {
		if i > 0 {
			sb.WriteString("\n\n")
		}
		fmt.Fprintf(&sb, "@id(%q)\n%s", p.id, p.text)
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
	scope, globs, err := cedarActions(st)
	if err != nil {
		return "", "", err
	}
	var parts []string
	if len(st.NotAction) > 0 || len(globs) > 0 {
		// The scope can say neither NotAction nor a wildcard: the
		// condition tests the action instead.
		var alts []string
		if scope != "" {
			alts = append(alts, scope)
		}
		listed := or(append(alts, globs...))
		if len(st.NotAction) > 0 {
			listed = "!(" + listed + ")"
		}
		parts = append(parts, listed)
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

var (
	exactAction   = regexp.MustCompile(`^[a-zA-Z0-9-]+:[a-zA-Z0-9]+$`)
	actionPattern = regexp.MustCompile(`^[a-zA-Z0-9-]*:?[a-zA-Z0-9*]*$`)
)

// cedarActions returns the scope naming st's exact actions (or NotActions),
// lower-cased: "action" for "*", "" when there are none. Each wildcard
// pattern becomes a like test on the action entity's name attribute.
func cedarActions(st policy.Statement) (scope string, globs []string, err error) {
	list := st.Action
	if len(st.NotAction) > 0 {
		list = st.NotAction
	}
	var uids []string
	for _, a := range list {
		switch {
		case a == "*" && len(st.NotAction) == 0:
			return "action", nil, nil
		case exactAction.MatchString(a):
			uids = append(uids, fmt.Sprintf("Action::%q", strings.ToLower(a)))
		case actionPattern.MatchString(a):
			globs = append(globs, fmt.Sprintf("action.name like %q", strings.ToLower(a)))
		default:
			return "", nil, fmt.Errorf("action %q is not translated (Cedar like has no ?)", a)
		}
	}
	switch len(uids) {
	case 0:
		return "", globs, nil
	case 1:
		return "action == " + uids[0], globs, nil
	}
	return "action in [" + strings.Join(uids, ", ") + "]", globs, nil
}

func cedarResource(st policy.Statement) (string, error) {
	list, not := st.Resource, len(st.NotResource) > 0
	if not {
		list = st.NotResource
	}
	var alts []string
	for _, r := range list {
		if r == "*" {
			if not {
				return "false", nil
			}
			return "", nil
		}
		pat, vars, err := splitVariables(r)
		if err != nil {
			return "", err
		}
		switch {
		case strings.Contains(pat, "?"):
			return "", fmt.Errorf("resource %q: Cedar like has no ?", r)
		case strings.Contains(pat, "*"):
			alts = append(alts, guarded(vars, fmt.Sprintf("resource.arn like %q", pat)))
		default:
			alts = append(alts, fmt.Sprintf("resource.arn == %q", pat))
		}
	}
	if not {
		return "!(" + or(alts) + ")", nil
	}
	return or(alts), nil
}

var policyVariable = regexp.MustCompile(`\$\{([^}]*)\}`)

// splitVariables replaces each policy variable of an IAM pattern by * and
// returns the variables' keys. The special ${*}, ${?}, ${$} and defaults
// (${key, 'default'}) are refused.
func splitVariables(s string) (string, []string, error) {
	var vars []string
	var bad error
	out := policyVariable.ReplaceAllStringFunc(s, func(m string) string {
		key := m[2 : len(m)-1]
		if key == "*" || key == "?" || key == "$" || strings.ContainsAny(key, ", '") {
			bad = fmt.Errorf("policy variable %s is not translated", m)
		}
		vars = append(vars, key)
		return "*"
	})
	return out, vars, bad
}

// wholeVariable reports whether v is exactly one policy variable, ${key},
// and which key.
func wholeVariable(v string) (string, bool) {
	m := policyVariable.FindStringSubmatchIndex(v)
	if m == nil || m[0] != 0 || m[1] != len(v) {
		return "", false
	}
	return v[2 : len(v)-1], true
}

// guarded is e under context has tests for the variables it stands for.
func guarded(vars []string, e string) string {
	if len(vars) == 0 {
		return e
	}
	parts := make([]string, 0, len(vars)+1)
	for _, k := range vars {
		parts = append(parts, "context has "+strconv.Quote(k))
	}
	return "(" + strings.Join(append(parts, e), " && ") + ")"
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

// cedarComparisons are the Date and Numeric operators, as Cedar operators
// on datetime and long values.
var cedarComparisons = map[string]string{
	"GreaterThan": ">", "GreaterThanEquals": ">=", "LessThan": "<", "LessThanEquals": "<=", "Equals": "==",
}

func cedarCondition(c policy.Condition) (string, error) {
	op, ifExists := strings.CutSuffix(c.Operator, "IfExists")
	key := strconv.Quote(c.Key)
	val := "context[" + key + "]"
	has := "context has " + key
	if set, base, ok := strings.Cut(op, ":"); ok {
		// ForAllValues / ForAnyValue on a set-typed key.
		if base != "StringEquals" || ifExists {
			return "", fmt.Errorf("condition operator %s is not translated", c.Operator)
		}
		var elems, vars []string
		for _, v := range c.Values {
			if k, ok := wholeVariable(v); ok {
				elems = append(elems, "context["+strconv.Quote(k)+"]")
				vars = append(vars, k)
			} else if strings.Contains(v, "${") {
				return "", fmt.Errorf("%s value %q: only whole policy variables are translated", c.Operator, v)
			} else {
				elems = append(elems, strconv.Quote(v))
			}
		}
		list := "[" + strings.Join(elems, ", ") + "]"
		switch set {
		case "ForAllValues":
			// An absent key (no values) satisfies ForAllValues.
			return fmt.Sprintf("(!(%s) || %s)", has, guarded(vars, list+".containsAll("+val+")")), nil
		case "ForAnyValue":
			return fmt.Sprintf("(%s && %s)", has, guarded(vars, val+".containsAny("+list+")")), nil
		}
		return "", fmt.Errorf("condition operator %s is not translated", c.Operator)
	}
	negated := strings.HasPrefix(op, "Not") || strings.HasPrefix(op, "StringNot")
	var alts []string
	for _, v := range c.Values {
		if negated && strings.Contains(v, "${") {
			return "", fmt.Errorf("%s value %q: policy variables in negated operators are not translated", c.Operator, v)
		}
		switch {
		case op == "StringEquals" || op == "StringNotEquals":
			if k, ok := wholeVariable(v); ok {
				alts = append(alts, guarded([]string{k}, val+" == context["+strconv.Quote(k)+"]"))
			} else if strings.Contains(v, "${") {
				return "", fmt.Errorf("%s value %q: only whole policy variables are translated", c.Operator, v)
			} else {
				alts = append(alts, fmt.Sprintf("%s == %q", val, v))
			}
		case op == "StringLike":
			pat, vars, err := splitVariables(v)
			if err != nil {
				return "", err
			}
			if strings.Contains(pat, "?") {
				return "", fmt.Errorf("StringLike %q: Cedar like has no ?", v)
			}
			alts = append(alts, guarded(vars, fmt.Sprintf("%s like %q", val, pat)))
		case op == "IpAddress" || op == "NotIpAddress":
			alts = append(alts, fmt.Sprintf("%s.isInRange(ip(%q))", val, v))
		case op == "Bool":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return "", err
			}
			alts = append(alts, fmt.Sprintf("%s == %t", val, b))
		case strings.HasPrefix(op, "Date") && cedarComparisons[op[4:]] != "":
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				return "", fmt.Errorf("%s %q: only RFC 3339 dates are translated", op, v)
			}
			alts = append(alts, fmt.Sprintf("%s %s datetime(%q)", val, cedarComparisons[op[4:]], v))
		case strings.HasPrefix(op, "Numeric") && cedarComparisons[op[7:]] != "":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return "", fmt.Errorf("%s %q: only integers are translated", op, v)
			}
			alts = append(alts, fmt.Sprintf("%s %s %d", val, cedarComparisons[op[7:]], n))
		default:
			return "", fmt.Errorf("condition operator %s is not translated", c.Operator)
		}
	}
	switch {
	case negated:
		// Negated operators match when the key is missing.
		return fmt.Sprintf("(!(%s) || !(%s))", has, or(alts)), nil
	case ifExists:
		return fmt.Sprintf("(!(%s) || %s)", has, or(alts)), nil
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
	action := cedar.String(strings.ToLower(r.Action))
	auid := cedar.NewEntityUID("Action", action)
	if c.actionNames {
		entities[auid] = cedar.Entity{UID: auid, Attributes: cedar.NewRecord(cedar.RecordMap{"name": action})}
	}
	ctx := make(cedar.RecordMap, len(r.Context)+len(r.Lists))
	for k, v := range r.Context {
		ctx[cedar.String(k)] = cedarValue(k, v)
	}
	for k, vs := range r.Lists {
		set := make([]cedar.Value, len(vs))
		for i, v := range vs {
			set[i] = cedar.String(v)
		}
		ctx[cedar.String(k)] = cedar.NewSet(set...)
	}
	return &cedarDecider{set: c.set, entities: entities, req: cedar.Request{
		Principal: puid,
		Action:    auid,
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
	case "datetime":
		if t, err := types.ParseDatetime(v); err == nil {
			return t
		}
	case "long":
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return cedar.Long(n)
		}
	case "set":
		return cedar.NewSet(cedar.String(v))
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
