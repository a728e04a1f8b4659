package main

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// inputError lists every problem found in one simulation object, in
// document order, each a complete message that names the field and its
// position in the input.
type inputError struct {
	msgs []string
}

// problem is one message of an [inputError] and where it is, for sorting.
type problem struct {
	at  policy.Position
	msg string
}

// Error joins the messages with "; ".
func (e *inputError) Error() string { return strings.Join(e.msgs, "; ") }

// simulation is a decoded simulation object, ready to evaluate.
type simulation struct {
	req policy.Request
	set policy.Set
	// actions and resources are the request's lists when it gives
	// several (every pair is evaluated, as simulate-custom-policy does);
	// req holds the first of each.
	actions, resources []string
	// where maps a policy's name to a function that turns a position in
	// that policy's document into a position in the input file.
	where map[string]func(policy.Position) policy.Position
}

// decoder decodes one simulation object. Positions it reports are positions
// in the input file: lineBase is added to every line, because a --batch line
// is parsed on its own.
type decoder struct {
	data     []byte
	lineBase int
	errs     []problem
	sim      *simulation
	cache    *policyCache // nil: parse every policy
}

// policyCache keeps the policies parsed from recent --batch lines, since a
// batch usually repeats the same policies with different requests. Parsed
// policies are immutable, and their positions are relative to their own
// document, so one may serve any line that holds the same document.
type policyCache struct {
	m map[string]cachedPolicy // by document text
}

// cachedPolicy is a parsed policy and what it was parsed as.
type cachedPolicy struct {
	typ  policy.Type
	name string
	p    *policy.Policy
}

// maxCachedPolicies bounds the cache; it is emptied when full.
const maxCachedPolicies = 4096

// get returns the cached policy parsed from raw as typ and named name.
func (c *policyCache) get(raw []byte, typ policy.Type, name string) *policy.Policy {
	if c == nil {
		return nil
	}
	if e, ok := c.m[string(raw)]; ok && e.typ == typ && e.name == name {
		return e.p
	}
	return nil
}

// put remembers a policy parsed without errors.
func (c *policyCache) put(raw []byte, typ policy.Type, name string, p *policy.Policy) {
	if c == nil {
		return
	}
	if c.m == nil || len(c.m) >= maxCachedPolicies {
		c.m = make(map[string]cachedPolicy)
	}
	c.m[string(raw)] = cachedPolicy{typ, name, p}
}

// Top-level and request fields of the simulation format; see doc.go.
var (
	simulationFields = []string{"request", "identityPolicies", "permissionsBoundary", "sessionPolicy",
		"resourcePolicy", "serviceControlPolicies", "resourceControlPolicies"}
	requestFields = []string{"principal", "action", "resource", "resourceAccount", "context",
		"principalInManagementAccount", "resourceInManagementAccount", "principalTags",
		"principalOrgId", "principalOrgPaths", "currentTime", "userId"}
)

// decodeSimulation parses data as one simulation object. lineBase is the
// number of input lines before data; cache may be nil. On failure the error
// is an *inputError.
func decodeSimulation(data []byte, lineBase int, cache *policyCache) (*simulation, error) {
	d := &decoder{data: data, lineBase: lineBase, cache: cache, sim: &simulation{where: map[string]func(policy.Position) policy.Position{}}}
	root := jsonpos.ParseReporting(data, d.errorf)
	if root == nil {
		return nil, d.err()
	}
	d.simulation(root)
	if len(d.errs) > 0 {
		return nil, d.err()
	}
	return d.sim, nil
}

// err returns the problems found as an *inputError, in document order.
func (d *decoder) err() *inputError {
	slices.SortStableFunc(d.errs, func(a, b problem) int {
		return cmp.Or(cmp.Compare(a.at.Line, b.at.Line), cmp.Compare(a.at.Column, b.at.Column))
	})
	msgs := make([]string, len(d.errs))
	for i, p := range d.errs {
		msgs[i] = p.msg
	}
	return &inputError{msgs: msgs}
}

// pos turns a jsonpos position into a position in the input file.
func (d *decoder) pos(p jsonpos.Pos) policy.Position {
	return policy.Position{Line: p.Line + d.lineBase, Column: p.Column}
}

// errorf records "FIELD: line L, column C: message".
func (d *decoder) errorf(field string, at jsonpos.Pos, format string, args ...any) {
	p := d.pos(at)
	msg := p.String() + ": " + fmt.Sprintf(format, args...)
	if field != "" {
		msg = field + ": " + msg
	}
	d.errs = append(d.errs, problem{p, msg})
}

// fields returns the members of the object v by name, reporting unknown and
// duplicate ones.
func (d *decoder) fields(path string, v *jsonpos.Value, known []string) map[string]*jsonpos.Value {
	return v.CheckFields(path, known, false, d.errorf)
}

// simulation decodes the top-level object: the request first, because the
// type of resourcePolicy depends on its action and resource.
func (d *decoder) simulation(root *jsonpos.Value) {
	if root.Kind != jsonpos.Object {
		d.errorf("", root.Pos, "a simulation must be a JSON object, not %s", root.Kind)
		return
	}
	f := d.fields("", root, simulationFields)
	rv, ok := f["request"]
	if !ok {
		d.errorf("request", root.Pos, "missing required field")
	} else {
		d.request(rv)
	}
	s := &d.sim.set
	if v, ok := f["identityPolicies"]; ok && d.isArray("identityPolicies", v) {
		for i, e := range v.Array {
			if p := d.policy(fmt.Sprintf("identityPolicies[%d]", i), e, policy.Identity); p != nil {
				s.Identity = append(s.Identity, p)
			}
		}
	}
	if v, ok := f["permissionsBoundary"]; ok {
		s.PermissionsBoundary = d.policy("permissionsBoundary", v, policy.Boundary)
	}
	if v, ok := f["sessionPolicy"]; ok {
		if p := d.policy("sessionPolicy", v, policy.Session); p != nil {
			s.Session = []*policy.Policy{p}
		}
	}
	if v, ok := f["resourcePolicy"]; ok {
		typ := policy.Resource
		if policy.IsTrustAction(d.sim.req.Action) && isRoleARN(d.sim.req.Resource) {
			typ = policy.Trust
		}
		s.Resource = d.policy("resourcePolicy", v, typ)
	}
	if v, ok := f["serviceControlPolicies"]; ok {
		s.SCPs = d.levels("serviceControlPolicies", v, policy.SCP)
	}
	if v, ok := f["resourceControlPolicies"]; ok {
		s.RCPs = d.levels("resourceControlPolicies", v, policy.RCP)
	}
}

// levels decodes an array of organization levels, each an array of
// policies.
func (d *decoder) levels(field string, v *jsonpos.Value, typ policy.Type) [][]*policy.Policy {
	if !d.isArray(field, v) {
		return nil
	}
	out := make([][]*policy.Policy, 0, len(v.Array))
	for i, lv := range v.Array {
		lf := fmt.Sprintf("%s[%d]", field, i)
		if lv.Kind != jsonpos.Array {
			d.errorf(lf, lv.Pos, "an organization level must be an array of policies, not %s", lv.Kind)
			continue
		}
		level := make([]*policy.Policy, 0, len(lv.Array))
		for j, e := range lv.Array {
			if p := d.policy(fmt.Sprintf("%s[%d]", lf, j), e, typ); p != nil {
				level = append(level, p)
			}
		}
		out = append(out, level)
	}
	return out
}

// isArray reports whether v is an array, reporting it if not.
func (d *decoder) isArray(field string, v *jsonpos.Value) bool {
	if v.Kind != jsonpos.Array {
		d.errorf(field, v.Pos, "must be an array, not %s", v.Kind)
		return false
	}
	return true
}

// policy parses the POLICY value v, an object or a string holding the
// document, and records how to map its positions to the input file.
func (d *decoder) policy(name string, v *jsonpos.Value, typ policy.Type) *policy.Policy {
	doc, ok := jsonpos.Embed(d.data, v)
	if !ok {
		d.errorf(name, v.Pos, "a policy must be a JSON object or a JSON string holding one, not %s", v.Kind)
		return nil
	}
	where := func(p policy.Position) policy.Position {
		line, col := doc.Pos(p.Line, p.Column)
		return policy.Position{Line: line + d.lineBase, Column: col}
	}
	if p := d.cache.get(doc.Doc, typ, name); p != nil {
		d.sim.where[name] = where
		return p
	}
	p, err := policy.ParseWithOptions(doc.Doc, typ, policy.Options{Name: name})
	var pe *policy.Error
	if errors.As(err, &pe) {
		for _, f := range pe.Findings {
			at := where(f.Pos)
			msg := name + ": " + at.String() + ": "
			if f.Path != "" {
				msg += f.Path + ": "
			}
			d.errs = append(d.errs, problem{at, msg + f.Message})
		}
		return nil
	}
	if err != nil {
		d.errorf(name, v.Pos, "%v", err)
		return nil
	}
	d.cache.put(doc.Doc, typ, name, p)
	d.sim.where[name] = where
	return p
}

// request decodes the request object into d.sim.req.
// oneOrMany reads a string, or a non-empty array of strings, calling check
// on each with its path and position.
func (d *decoder) oneOrMany(field string, v *jsonpos.Value, check func(path string, at jsonpos.Pos, s string)) []string {
	switch v.Kind {
	case jsonpos.String:
		check(field, v.Pos, v.Str)
		return []string{v.Str}
	case jsonpos.Array:
		if len(v.Array) == 0 {
			d.errorf(field, v.Pos, "must not be an empty array")
			return nil
		}
		if len(v.Array) > maxPairs {
			d.errorf(field, v.Pos, "lists %d values; at most %d", len(v.Array), maxPairs)
			return nil
		}
		out := make([]string, 0, len(v.Array))
		for i, e := range v.Array {
			path := fmt.Sprintf("%s[%d]", field, i)
			if e.Kind != jsonpos.String {
				d.errorf(path, e.Pos, "must be a string, not %s", e.Kind)
				continue
			}
			check(path, e.Pos, e.Str)
			out = append(out, e.Str)
		}
		return out
	}
	d.errorf(field, v.Pos, "must be a string or an array of strings, not %s", v.Kind)
	return nil
}

// maxPairs bounds a request's action and resource lists (and so the
// pairs evaluated).
const maxPairs = 1000

func (d *decoder) request(v *jsonpos.Value) {
	if v.Kind != jsonpos.Object {
		d.errorf("request", v.Pos, "must be an object, not %s", v.Kind)
		return
	}
	f := d.fields("request", v, requestFields)
	req := &d.sim.req
	var caller condition.Caller
	for _, name := range []string{"principal", "action", "resource"} {
		if _, ok := f[name]; !ok {
			d.errorf("request."+name, v.Pos, "missing required field")
		}
	}
	if pv, ok := f["principal"]; ok {
		if s, ok := d.str("request.principal", pv); ok {
			p, err := principal.Parse(s)
			if err != nil {
				d.errorf("request.principal", pv.Pos, "%v", err)
			}
			req.Principal, caller.Principal = p, p
		}
	}
	if av, ok := f["action"]; ok {
		d.sim.actions = d.oneOrMany("request.action", av, func(path string, at jsonpos.Pos, s string) {
			if svc, act, ok := strings.Cut(s, ":"); !ok || svc == "" || act == "" || strings.ContainsAny(s, "*?") {
				d.errorf(path, at, `%q is not an action: want "service:Action", such as "s3:GetObject"`, s)
			}
		})
		if len(d.sim.actions) > 0 {
			req.Action = d.sim.actions[0]
		}
	}
	if rv, ok := f["resource"]; ok {
		d.sim.resources = d.oneOrMany("request.resource", rv, func(path string, at jsonpos.Pos, s string) {
			// The resource of a request is an ARN, or "*" for actions that
			// take none, as in the IAM policy simulator.
			if s == "*" {
				return
			}
			if _, err := principal.ParseARN(s); err != nil {
				d.errorf(path, at, `%q is not an ARN (or "*" for an action without a resource): %v`, s, err)
			}
		})
		if len(d.sim.resources) > 0 {
			req.Resource = d.sim.resources[0]
		}
	}
	if av, ok := f["resourceAccount"]; ok {
		if s, ok := d.str("request.resourceAccount", av); ok {
			if !principal.IsAccountID(s) {
				d.errorf("request.resourceAccount", av.Pos, "%q is not a 12-digit account ID", s)
			}
			req.ResourceAccount = s
		}
	}
	req.PrincipalInManagementAccount = d.boolean("request.principalInManagementAccount", f["principalInManagementAccount"])
	req.ResourceInManagementAccount = d.boolean("request.resourceInManagementAccount", f["resourceInManagementAccount"])
	if tv, ok := f["principalTags"]; ok {
		if tv.Kind != jsonpos.Object {
			d.errorf("request.principalTags", tv.Pos, "must be an object of strings, not %s", tv.Kind)
		} else {
			caller.Tags = make(map[string]string, len(tv.Members))
			for _, m := range tv.Members {
				if s, ok := d.str("request.principalTags."+m.Key, m.Value); ok {
					caller.Tags[m.Key] = s
				}
			}
		}
	}
	if ov, ok := f["principalOrgId"]; ok {
		caller.OrgID, _ = d.str("request.principalOrgId", ov)
	}
	if ov, ok := f["principalOrgPaths"]; ok {
		caller.OrgPaths, _ = d.strings("request.principalOrgPaths", ov)
	}
	if uv, ok := f["userId"]; ok {
		caller.UserID, _ = d.str("request.userId", uv)
	}
	if tv, ok := f["currentTime"]; ok {
		if s, ok := d.str("request.currentTime", tv); ok {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				d.errorf("request.currentTime", tv.Pos, "%q is not an RFC 3339 time such as \"2025-01-02T15:04:05Z\"", s)
			}
			caller.Now = t
		}
	}
	ctx := condition.NewContext()
	ctx.SetCaller(caller)
	if cv, ok := f["context"]; ok {
		d.context(ctx, cv)
	}
	req.Context = ctx
}

// context sets the entries of the context object cv in ctx, overriding the
// keys the caller implied.
func (d *decoder) context(ctx *condition.Context, cv *jsonpos.Value) {
	if cv.Kind != jsonpos.Object {
		d.errorf("request.context", cv.Pos, "must be an object, not %s", cv.Kind)
		return
	}
	seen := make(map[string]string, len(cv.Members))
	for _, m := range cv.Members {
		field := "request.context." + m.Key
		lk := strings.ToLower(m.Key)
		if first, dup := seen[lk]; dup {
			d.errorf(field, m.KeyPos, "duplicate context key (condition keys are case-insensitive: %q came first)", first)
			continue
		}
		seen[lk] = m.Key
		switch m.Value.Kind {
		case jsonpos.String:
			ctx.Set(m.Key, m.Value.Str)
		case jsonpos.Array:
			if list, ok := d.strings(field, m.Value); ok {
				ctx.SetList(m.Key, list)
			}
		default:
			d.errorf(field, m.Value.Pos, "a context value must be a string or an array of strings, not %s (write numbers and booleans as strings)", m.Value.Kind)
		}
	}
}

// str returns v's string, reporting any other kind.
func (d *decoder) str(field string, v *jsonpos.Value) (string, bool) {
	if v.Kind != jsonpos.String {
		d.errorf(field, v.Pos, "must be a string, not %s", v.Kind)
		return "", false
	}
	return v.Str, true
}

// strings returns the array of strings v, never nil on success.
func (d *decoder) strings(field string, v *jsonpos.Value) ([]string, bool) {
	if v.Kind != jsonpos.Array {
		d.errorf(field, v.Pos, "must be an array of strings, not %s", v.Kind)
		return nil, false
	}
	out := make([]string, 0, len(v.Array))
	ok := true
	for i, e := range v.Array {
		if e.Kind != jsonpos.String {
			d.errorf(fmt.Sprintf("%s[%d]", field, i), e.Pos, "must be a string, not %s", e.Kind)
			ok = false
			continue
		}
		out = append(out, e.Str)
	}
	return out, ok
}

// boolean returns v's boolean; v may be nil (absent).
func (d *decoder) boolean(field string, v *jsonpos.Value) bool { return v.AsBool(field, d.errorf) }

// isRoleARN reports whether s is an IAM role ARN, arn:PARTITION:iam::ACCOUNT:role/....
func isRoleARN(s string) bool {
	a, err := principal.ParseARN(s)
	return err == nil && a.Service == "iam" && a.Region == "" && a.Account != "" && strings.HasPrefix(a.Resource, "role/")
}
