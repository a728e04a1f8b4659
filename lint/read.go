package lint

import (
	"fmt"
	"strings"

	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/policy"
)

// A statement is what the checks read of one policy statement, with the
// positions of its elements. Values of the wrong JSON type are left out:
// the policy's structural validation ([policy.Validate]) reports them.
type statement struct {
	index  int
	pos    policy.Position
	sid    string
	effect string

	principal, notPrincipal *principals
	// hasPrincipal: the element exists (even as "*").
	action, notAction       []located
	resource, notResource   []located
	hasResource, hasNotRes  bool
	resourcePos, notResPos  policy.Position
	actionPos, notActionPos policy.Position
	conditions              []cond
	conditionPos            policy.Position
}

// principals is a Principal or NotPrincipal element.
type principals struct {
	pos      policy.Position
	wildcard bool // "Principal": "*"
	aws      []located
	service  []located
	fed      []located
}

// located is a string value and where it is.
type located struct {
	s   string
	pos policy.Position
}

// cond is one (operator, key, values) entry of a Condition element.
type cond struct {
	op, key string
	values  []string
	pos     policy.Position // of the key
}

// base is the operator without its set qualifier and IfExists:
// "ForAllValues:StringLikeIfExists" → "StringLike".
func (c cond) base() string {
	op := c.op
	if _, rest, ok := strings.Cut(op, ":"); ok {
		op = rest
	}
	return strings.TrimSuffix(op, "IfExists")
}

// qualifier is "ForAllValues", "ForAnyValue" or "".
func (c cond) qualifier() string {
	if q, _, ok := strings.Cut(c.op, ":"); ok {
		return q
	}
	return ""
}

func (c cond) ifExists() bool { return strings.HasSuffix(c.op, "IfExists") }

// document is a policy read for linting.
type document struct {
	size       int // characters, white space excluded
	statements []statement
}

func pos(p jsonpos.Pos) policy.Position { return policy.Position{Line: p.Line, Column: p.Column} }

// read parses src, a JSON policy document.
func read(src []byte) (*document, error) {
	root, err := jsonpos.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("lint: %w", err)
	}
	if root.Kind != jsonpos.Object {
		return nil, fmt.Errorf("lint: a policy document is a JSON object, not %s", root.Kind)
	}
	d := &document{}
	for _, r := range string(src) {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			d.size++
		}
	}
	m, ok := root.Get("Statement")
	if !ok {
		return d, nil
	}
	elems := []*jsonpos.Value{m.Value}
	if m.Value.Kind == jsonpos.Array {
		elems = m.Value.Array
	}
	for i, e := range elems {
		if e.Kind != jsonpos.Object {
			continue
		}
		d.statements = append(d.statements, readStatement(i, e))
	}
	return d, nil
}

func readStatement(i int, v *jsonpos.Value) statement {
	s := statement{index: i, pos: pos(v.Pos)}
	for _, m := range v.Members {
		switch m.Key {
		case "Sid":
			s.sid = m.Value.Str
		case "Effect":
			s.effect = m.Value.Str
		case "Principal":
			s.principal = readPrincipals(m)
		case "NotPrincipal":
			s.notPrincipal = readPrincipals(m)
		case "Action":
			s.action, s.actionPos = strs(m.Value), pos(m.KeyPos)
		case "NotAction":
			s.notAction, s.notActionPos = strs(m.Value), pos(m.KeyPos)
		case "Resource":
			s.resource, s.hasResource, s.resourcePos = strs(m.Value), true, pos(m.KeyPos)
		case "NotResource":
			s.notResource, s.hasNotRes, s.notResPos = strs(m.Value), true, pos(m.KeyPos)
		case "Condition":
			s.conditionPos = pos(m.KeyPos)
			for _, op := range m.Value.Members {
				for _, k := range op.Value.Members {
					var vals []string
					for _, l := range strs(k.Value) {
						vals = append(vals, l.s)
					}
					s.conditions = append(s.conditions, cond{op: op.Key, key: k.Key, values: vals, pos: pos(k.KeyPos)})
				}
			}
		}
	}
	return s
}

func readPrincipals(m jsonpos.Member) *principals {
	p := &principals{pos: pos(m.KeyPos)}
	if m.Value.Kind == jsonpos.String {
		p.wildcard = m.Value.Str == "*"
		return p
	}
	for _, e := range m.Value.Members {
		switch e.Key {
		case "AWS":
			p.aws = strs(e.Value)
		case "Service":
			p.service = strs(e.Value)
		case "Federated":
			p.fed = strs(e.Value)
		}
	}
	return p
}

// strs reads a string or an array of strings; other values are skipped.
func strs(v *jsonpos.Value) []located {
	switch v.Kind {
	case jsonpos.String, jsonpos.Number, jsonpos.Bool:
		return []located{{v.Str, pos(v.Pos)}}
	case jsonpos.Array:
		out := make([]located, 0, len(v.Array))
		for _, e := range v.Array {
			if e.Kind == jsonpos.String || e.Kind == jsonpos.Number || e.Kind == jsonpos.Bool {
				out = append(out, located{e.Str, pos(e.Pos)})
			}
		}
		return out
	}
	return nil
}

// hasCondition reports whether the statement has a condition on a key
// matching pred (keys compare case-insensitively, as IAM compares them).
func (s *statement) hasCondition(pred func(key string) bool) bool {
	for _, c := range s.conditions {
		if pred(strings.ToLower(c.key)) {
			return true
		}
	}
	return false
}

// allows reports whether the statement's Action names action (a lower
// case "service:name"), directly or by a wildcard; NotAction statements
// allow what they do not list.
func (s *statement) allows(action string) bool {
	if s.notAction != nil {
		for _, a := range s.notAction {
			if wildMatch(strings.ToLower(a.s), action) {
				return false
			}
		}
		return true
	}
	for _, a := range s.action {
		if wildMatch(strings.ToLower(a.s), action) {
			return true
		}
	}
	return false
}

// wildMatch matches s against pattern with * and ?, in O(len(pattern) *
// len(s)) at worst (the classic backtrack to the last star).
func wildMatch(pattern, s string) bool {
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
