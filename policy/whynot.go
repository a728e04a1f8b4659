package policy

import (
	"fmt"
	"strings"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/principal"
)

// Miss codes say in one word which element of a statement did not match a
// request ([StatementMiss.Code]). They are stable; the prose beside them
// is not.
const (
	// MissAction: the request's action is not in Action, or is in
	// NotAction. Statements for other services, which evaluation skips
	// without looking, miss this way too.
	MissAction = "ACTION_NOT_MATCHED"
	// MissResource: the request's resource is not in Resource (after
	// policy variables), or is in NotResource.
	MissResource = "RESOURCE_NOT_MATCHED"
	// MissPrincipal: a resource-based or trust policy statement does not
	// name the caller in Principal, or excludes it with NotPrincipal.
	MissPrincipal = "PRINCIPAL_NOT_MATCHED"
	// MissCondition: a condition is false for the request's values.
	MissCondition = "CONDITION_FAILED"
	// MissConditionKey: a condition is false because the request has no
	// value for its key.
	MissConditionKey = "CONDITION_KEY_MISSING"
)

// StatementMiss is a statement that did not apply to a request, and why:
// the first element, in the order AWS's evaluation reads them (Action,
// Resource, Principal, Condition), that did not match.
type StatementMiss struct {
	StatementMatch
	// Element is the element that missed: "Action", "NotAction",
	// "Resource", "NotResource", "Principal", "NotPrincipal" or
	// "Condition".
	Element string
	// Code is one of the Miss constants, such as [MissAction].
	Code string
	// Detail says it for people, e.g. `Action ["s3:Put*"] does not match
	// "s3:GetObject"`.
	Detail string
	// Condition is the condition that failed, when Element is "Condition".
	Condition *ConditionMiss
}

// String formats the miss as the statement, its code and the detail.
func (m StatementMiss) String() string {
	return m.StatementMatch.String() + ": " + m.Code + ": " + m.Detail
}

// ConditionMiss is a condition that was false for a request.
type ConditionMiss struct {
	Operator string // as written, e.g. "ForAnyValue:StringLike"
	Key      string // as written
	// Values are the condition's values as written in the policy.
	Values []string
	// RequestValues are the request's values for Key; nil when Missing.
	RequestValues []string
	// Missing is true when the request has no value for Key (for Null,
	// when the condition requires the key and the request lacks it).
	Missing bool
}

// TypeDecision is one policy type's own decision on a request, for an
// organization level in the case of SCPs and RCPs: AWS's simulator reports
// the same for SCPs (OrganizationsDecisionDetail) and the boundary
// (PermissionsBoundaryDecisionDetail).
type TypeDecision struct {
	Source Source
	Level  int // organization level for SCPs and RCPs (0 = root), else 0
	// Applies is false when the Set has policies of this type but the
	// evaluation does not apply them (SCPs to the management account,
	// identity-based policies to an anonymous caller, anything to
	// sts:GetCallerIdentity); Decision is then ImplicitDeny and means
	// nothing.
	Applies bool
	// Decision is what this type's policies alone say: ExplicitDeny if a
	// Deny statement matched, Allowed if an Allow did, else ImplicitDeny.
	// An RCP level that denies nothing is Allowed (RCPFullAWSAccess is
	// implied), and the root user's entry ([SourceRootUser]) is Allowed.
	Decision Decision
}

// Outcome returns "notApplicable" when the type does not apply, else the
// decision ("allowed", "explicitDeny" or "implicitDeny").
func (d TypeDecision) Outcome() string {
	if !d.Applies {
		return "notApplicable"
	}
	return d.Decision.String()
}

// String formats the decision as `service control policy (level 1):
// implicitDeny`.
func (d TypeDecision) String() string {
	s := d.Source.String()
	if d.Source == SourceSCP || d.Source == SourceRCP {
		s += fmt.Sprintf(" (level %d)", d.Level)
	}
	return s + ": " + d.Outcome()
}

// statementMatch describes statement i of p as found in src at level lvl.
func (p *Policy) statementMatch(src Source, i, lvl int) StatementMatch {
	st := &p.stmts[i]
	return StatementMatch{Source: src, Level: lvl, Policy: p.name, Sid: st.sid, Index: i, Position: st.pos, Effect: st.effect}
}

// applicability sets which policy types the evaluation of r applied, as
// evaluate decides it. evaluate does not store its own flags so that
// Evaluate's code stays as it was; TestExplainApplicability checks the two
// agree.
func (t *tracer) applicability(s *Set, r *Request) {
	if !t.scanned {
		return
	}
	caller := &r.Principal
	t.identity = caller.Kind.HasIdentityPolicies()
	t.scps = len(s.SCPs) > 0 && t.identity && !r.PrincipalInManagementAccount && !caller.IsServiceLinkedRole()
	t.rcps = len(s.RCPs) > 0 && !r.ResourceInManagementAccount && !caller.IsServiceLinkedRole() && rcpSupported(r.Action) &&
		!strings.EqualFold(r.Action, "kms:RetireGrant")
}

// applied calls fn for each policy the evaluation applied, in its order.
func (t *tracer) applied(s *Set, fn func(src Source, lvl int, p *Policy)) {
	if !t.scanned {
		return
	}
	if t.rcps {
		for lvl, ps := range s.RCPs {
			for _, p := range ps {
				fn(SourceRCP, lvl, p)
			}
		}
	}
	if t.scps {
		for lvl, ps := range s.SCPs {
			for _, p := range ps {
				fn(SourceSCP, lvl, p)
			}
		}
	}
	if s.Resource != nil {
		fn(SourceResource, 0, s.Resource)
	}
	if t.identity {
		for _, p := range s.Identity {
			fn(SourceIdentity, 0, p)
		}
		if s.PermissionsBoundary != nil {
			fn(SourceBoundary, 0, s.PermissionsBoundary)
		}
		for _, p := range s.Session {
			fn(SourceSession, 0, p)
		}
	}
}

// misses says why each statement of the applied policies that did not
// match missed. It matches each element again, out of the hot path: the
// evaluation itself records only matches.
func (t *tracer) misses(s *Set, r *Request) []StatementMiss {
	type key struct {
		p      *Policy
		src    Source
		i, lvl int
	}
	var matched map[key]bool // for many matches; else t.refs is searched
	if len(t.refs) > 8 {
		matched = make(map[key]bool, len(t.refs))
		for j, ref := range t.refs {
			matched[key{ref.Policy, t.srcs[j], ref.Index, ref.Level}] = true
		}
	}
	isMatched := func(p *Policy, src Source, i, lvl int) bool {
		if matched != nil {
			return matched[key{p, src, i, lvl}]
		}
		for j, ref := range t.refs {
			if ref.Policy == p && ref.Index == i && ref.Level == lvl && t.srcs[j] == src {
				return true
			}
		}
		return false
	}
	n := -len(t.refs)
	t.applied(s, func(_ Source, _ int, p *Policy) { n += len(p.stmts) })
	ctx := r.Context
	if ctx == nil {
		ctx = emptyContext
	}
	var lower [64]byte
	var words [8]uint64
	in := evalInput{r: r, ctx: ctx, hasBoundary: s.PermissionsBoundary != nil}
	in.action = lowerAction(&lower, &words, r.Action)
	if len(r.Action) <= len(lower) {
		in.words = &words
	}
	out := make([]StatementMiss, 0, max(n, 0))
	t.applied(s, func(src Source, lvl int, p *Policy) {
		for i := range p.stmts {
			if isMatched(p, src, i, lvl) {
				continue
			}
			if m, ok := p.miss(i, &in); ok {
				m.StatementMatch = p.statementMatch(src, i, lvl)
				out = append(out, m)
			}
		}
	})
	return out
}

// miss matches statement i of p element by element, as visit does, and
// describes the first element that does not match; ok is false when every
// element matches.
func (p *Policy) miss(i int, in *evalInput) (m StatementMiss, ok bool) {
	st := &p.stmts[i]
	var ds Statement
	if i < len(p.doc.Statements) {
		ds = p.doc.Statements[i]
	}
	r := in.r
	if !st.matchAction(in) {
		if st.notAction {
			return StatementMiss{Element: "NotAction", Code: MissAction,
				Detail: "NotAction " + quoteList(ds.NotAction) + " matches " + jsonpos.Quote(r.Action)}, true
		}
		return StatementMiss{Element: "Action", Code: MissAction,
			Detail: "Action " + quoteList(ds.Action) + " does not match " + jsonpos.Quote(r.Action)}, true
	}
	if !st.anyResource && !st.matchResource(r.Resource, in.ctx) {
		el, pats, verb := "Resource", ds.Resource, " does not match "
		if st.notResource {
			el, pats, verb = "NotResource", ds.NotResource, " matches "
		}
		list := quoteList(pats)
		if p.variables {
			list += substituted(pats, in.ctx, resourcePart)
		}
		return StatementMiss{Element: el, Code: MissResource, Detail: el + " " + list + verb + jsonpos.Quote(r.Resource)}, true
	}
	if (p.typ == Resource || p.typ == Trust) && st.matchPrincipal(&r.Principal, in.hasBoundary) == grantNone {
		return principalMiss(st, &r.Principal), true
	}
	for _, c := range st.conds {
		if ok, missing := c.Eval(in.ctx); !ok {
			return conditionMiss(c, in.ctx, missing, p.variables), true
		}
	}
	return StatementMiss{}, false
}

// principalMiss describes a Principal that does not name the caller, or a
// NotPrincipal that excludes it.
func principalMiss(st *stmt, caller *principal.Principal) StatementMiss {
	pats := make([]string, len(st.principals))
	for i := range st.principals {
		pats[i] = st.principals[i].String()
	}
	list := "[" + strings.Join(pats, ", ") + "]"
	who := caller.String()
	if who == "" {
		who = "the caller"
	} else {
		who = jsonpos.Quote(who)
	}
	if st.notPrincipal {
		return StatementMiss{Element: "NotPrincipal", Code: MissPrincipal, Detail: "NotPrincipal " + list + " excludes " + who}
	}
	return StatementMiss{Element: "Principal", Code: MissPrincipal, Detail: "Principal " + list + " does not name " + who}
}

// conditionMiss describes a condition that was false; missing is what
// Eval reported.
func conditionMiss(c *condition.Condition, ctx *condition.Context, missing, variables bool) StatementMiss {
	lits := c.Values()
	cm := &ConditionMiss{Operator: c.Operator(), Key: c.Key(), Values: make([]string, len(lits))}
	for i, l := range lits {
		cm.Values[i] = l.Text
	}
	v, found := ctx.Lookup(c.Key())
	if found {
		cm.RequestValues = v.Strings()
	}
	name, qual := splitOperator(c.Operator())
	rel, negated := relations[name], false
	if pos, ok := negations[name]; ok {
		rel, negated = relations[pos], true
	}
	values := quoteList(cm.Values)
	if variables && (strings.HasPrefix(name, "String") || strings.HasPrefix(name, "Arn")) {
		values += substituted(cm.Values, ctx, wholeValue)
	}
	m := StatementMiss{Element: "Condition", Code: MissCondition, Condition: cm}
	var why string
	switch {
	case name == "Null":
		if !found || v.Len() == 0 {
			cm.Missing, m.Code = true, MissConditionKey
			why = "the request has no " + c.Key() + ", which the condition requires (Null " + values + ")"
		} else {
			why = "the request has " + c.Key() + " = " + requestValues(cm.RequestValues) + ", which the condition requires absent (Null " + values + ")"
		}
	case missing || !found:
		cm.Missing, m.Code = true, MissConditionKey
		why = "the request has no " + c.Key()
	case v.Len() == 0:
		why = "the request's " + c.Key() + " is an empty list"
	case rel.pos == "":
		why = "the request's " + requestValues(cm.RequestValues) + " does not satisfy " + values
	default:
		why = failure(rel, negated, qual, cm.RequestValues) + " " + values
	}
	m.Detail = c.Operator() + " " + c.Key() + ": " + why
	return m
}

// relation is how a base operator compares a request value with the
// condition's values: pos when it holds, neg when it does not.
type relation struct{ pos, neg string }

// relations maps each positive operator (without ForAllValues:,
// ForAnyValue: and IfExists) to its comparison, and negations each negated
// one to the positive operator it negates, as
// reference_policies_elements_condition_operators.html defines them.
var (
	relations = map[string]relation{
		"StringEquals":             {"is one of", "is not one of"},
		"StringEqualsIgnoreCase":   {"is, ignoring case, one of", "is, ignoring case, none of"},
		"StringLike":               {"matches one of", "matches none of"},
		"NumericEquals":            {"equals one of", "equals none of"},
		"NumericLessThan":          {"is less than one of", "is not less than any of"},
		"NumericLessThanEquals":    {"is less than or equal to one of", "is not less than or equal to any of"},
		"NumericGreaterThan":       {"is greater than one of", "is not greater than any of"},
		"NumericGreaterThanEquals": {"is greater than or equal to one of", "is not greater than or equal to any of"},
		"DateEquals":               {"is the same time as one of", "is not the same time as any of"},
		"DateLessThan":             {"is before one of", "is not before any of"},
		"DateLessThanEquals":       {"is at or before one of", "is not at or before any of"},
		"DateGreaterThan":          {"is after one of", "is not after any of"},
		"DateGreaterThanEquals":    {"is at or after one of", "is not at or after any of"},
		"Bool":                     {"is", "is not"},
		"BinaryEquals":             {"is one of", "is not one of"},
		"IpAddress":                {"is in", "is not in"},
		"ArnEquals":                {"matches one of", "matches none of"},
		"ArnLike":                  {"matches one of", "matches none of"},
	}
	negations = map[string]string{
		"StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
		"StringNotLike": "StringLike", "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals",
		"NotIpAddress": "IpAddress", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
	}
)

// splitOperator strips a condition operator's set qualifier and IfExists.
func splitOperator(op string) (name, qual string) {
	for _, q := range []string{"ForAllValues:", "ForAnyValue:"} {
		if rest, ok := strings.CutPrefix(op, q); ok {
			qual, op = q, rest
			break
		}
	}
	return strings.TrimSuffix(op, "IfExists"), qual
}

// failure says how the request's values (at least one) made the condition
// false: which of them compare, and how, with the condition's values
// that follow.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
func failure(rel relation, negated bool, qual string, vals []string) string {
	if len(vals) == 1 {
		// One value: ForAllValues and ForAnyValue fail as the plain
		// operator does.
		if negated {
			return "the request's " + jsonpos.Quote(vals[0]) + " " + rel.pos
		}
		return "the request's " + jsonpos.Quote(vals[0]) + " " + rel.neg
	}
	list := requestValues(vals)
	switch {
	case qual == "ForAllValues:" && !negated:
		return "at least one of the request's " + list + " " + rel.neg
	case qual == "ForAnyValue:" && negated:
		return "every one of the request's " + list + " " + rel.pos
	case negated: // plain or ForAllValues: one value compares
		return "at least one of the request's " + list + " " + rel.pos
	}
	return "none of the request's " + list + " " + rel.pos // plain or ForAnyValue
}

// requestValues formats a request's values: one quoted string, or a list.
func requestValues(vals []string) string {
	if len(vals) == 1 {
		return jsonpos.Quote(vals[0])
	}
	return quoteList(vals)
}

// quoteList formats strings as a JSON array: ["a", "b"].
func quoteList(list []string) string {
	n := 2
	for _, s := range list {
		n += len(s) + 4
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(jsonpos.Quote(s))
	}
	b.WriteByte(']')
	return b.String()
}

// Where policy variables are substituted: in the resource part of a
// Resource ARN, or anywhere in a condition value.
const (
	resourcePart = iota
	wholeValue
)

// substituted returns, when some of list hold policy variables, what they
// stand for in ctx as " (here [...])", marking unresolved variables, which
// make their entry match nothing; else "".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
func substituted(list []string, ctx *condition.Context, where int) string {
	var out []string
	var unresolved []string
	changed := false
	for _, s := range list {
		head, tail := "", s
		if where == resourcePart {
			// The first five parts are literal text.
			n := 0
			for i := 0; i < len(s) && n < 5; i++ {
				if s[i] == ':' {
					if n++; n == 5 {
						head, tail = s[:i+1], s[i+1:]
					}
				}
			}
			if n < 5 {
				head, tail = s, ""
			}
		}
		sub, missing := substitute(tail, ctx)
		changed = changed || sub != tail
		unresolved = append(unresolved, missing...)
		out = append(out, head+sub)
	}
	if !changed {
		return ""
	}
	note := " (here " + quoteList(out)
	if len(unresolved) > 0 {
		note += "; the request has no " + strings.Join(unresolved, ", ") + ", so those entries match nothing"
	}
	return note + ")"
}

// substitute replaces the policy variables of s by their values in ctx,
// their defaults, or (for ${*}, ${?} and ${$}) the character; unresolved
// variables stay as written and are listed. Malformed text is left alone:
// the parser accepted s.
func substitute(s string, ctx *condition.Context) (string, []string) {
	var b strings.Builder
	var missing []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), missing
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), missing
		}
		b.WriteString(s[:i])
		v := s[i+2 : i+j]
		key, def, hasDef := strings.Cut(v, ",")
		key = strings.TrimSpace(key)
		switch {
		case !hasDef && (key == "*" || key == "?" || key == "$"):
			b.WriteString(key)
		default:
			if val, ok := ctx.Lookup(key); ok {
				if one, ok := val.Single(); ok {
					b.WriteString(one)
					break
				}
			}
			if def = strings.TrimSpace(def); hasDef && len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
				b.WriteString(strings.ReplaceAll(def[1:len(def)-1], "''", "'"))
				break
			}
			b.WriteString(s[i : i+j+1])
			missing = append(missing, key)
		}
		s = s[i+j+1:]
	}
}

// policyTypes returns each policy type's decision, from the matches the
// evaluation recorded; r is nil when there was no request.
func (t *tracer) policyTypes(s *Set, r *Request) []TypeDecision {
	var out []TypeDecision
	add := func(src Source, lvl int, applies, allowByDefault bool) {
		d := TypeDecision{Source: src, Level: lvl, Applies: applies}
		if applies {
			if allowByDefault {
				d.Decision = Allowed
			}
			for _, m := range t.matched {
				if m.Source != src || m.Level != lvl {
					continue
				}
				if m.Effect == Deny {
					d.Decision = ExplicitDeny
					break
				}
				d.Decision = Allowed
			}
		}
		out = append(out, d)
	}
	for lvl := range s.RCPs {
		add(SourceRCP, lvl, t.rcps, true)
	}
	for lvl := range s.SCPs {
		add(SourceSCP, lvl, t.scps, false)
	}
	if s.Resource != nil {
		add(SourceResource, 0, t.scanned, false)
	}
	var kind principal.Kind
	if r != nil {
		kind = r.Principal.Kind
	}
	if t.identity && kind == principal.KindAccount {
		out = append(out, TypeDecision{Source: SourceRootUser, Applies: true, Decision: Allowed})
	}
	if len(s.Identity) > 0 || t.identity && kind != principal.KindAccount {
		add(SourceIdentity, 0, t.identity, false)
	}
	if s.PermissionsBoundary != nil {
		add(SourceBoundary, 0, t.identity, false)
	}
	switch {
	case len(s.Session) > 0:
		add(SourceSession, 0, t.identity, false)
	case t.identity && kind == principal.KindFederatedUser:
		// A federated user session without a session policy: nothing
		// allows (API_GetFederationToken.html).
		add(SourceSession, 0, true, false)
	}
	return out
}
