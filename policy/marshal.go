package policy

import (
	"github.com/iamkit/iamkit/internal/jsonpos"
)

// MarshalJSON writes the policy in canonical form: elements in AWS's
// documented order (Version, Id, Statement; Sid, Effect, Principal,
// NotPrincipal, Action, NotAction, Resource, NotResource, Condition),
// Statement always an array, list elements always arrays, condition values
// as strings, no insignificant white space. Parsing the output with the
// same type yields an equal [Document].
func (p *Policy) MarshalJSON() ([]byte, error) {
	return p.doc.AppendJSON(nil), nil
}

// AppendJSON appends the canonical JSON form of the document to b (see
// [Policy.MarshalJSON]).
func (d Document) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	field := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, jsonpos.Quote(name)...)
		b = append(b, ':')
	}
	if d.Version != "" {
		field("Version")
		b = append(b, jsonpos.Quote(d.Version)...)
	}
	if d.ID != "" {
		field("Id")
		b = append(b, jsonpos.Quote(d.ID)...)
	}
	field("Statement")
	b = append(b, '[')
	for i, s := range d.Statements {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendJSON(b)
	}
	return append(b, ']', '}')
}

func (s Statement) appendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	field := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, jsonpos.Quote(name)...)
		b = append(b, ':')
	}
	list := func(name string, l []string) {
		if l == nil {
			return
		}
		field(name)
		b = appendList(b, l)
	}
	if s.Sid != "" {
		field("Sid")
		b = append(b, jsonpos.Quote(s.Sid)...)
	}
	if s.Effect == Allow || s.Effect == Deny {
		field("Effect")
		b = append(b, jsonpos.Quote(s.Effect.String())...)
	}
	if s.Principal != nil {
		field("Principal")
		b = s.Principal.appendJSON(b)
	}
	if s.NotPrincipal != nil {
		field("NotPrincipal")
		b = s.NotPrincipal.appendJSON(b)
	}
	list("Action", s.Action)
	list("NotAction", s.NotAction)
	list("Resource", s.Resource)
	list("NotResource", s.NotResource)
	if len(s.Condition) > 0 {
		field("Condition")
		b = appendConditions(b, s.Condition)
	}
	return append(b, '}')
}

func appendList(b []byte, l []string) []byte {
	b = append(b, '[')
	for i, v := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, jsonpos.Quote(v)...)
	}
	return append(b, ']')
}

func (p *Principals) appendJSON(b []byte) []byte {
	if p.Wildcard {
		return append(b, `"*"`...)
	}
	b = append(b, '{')
	n := 0
	for _, kv := range []struct {
		k string
		v []string
	}{{"AWS", p.AWS}, {"Service", p.Service}, {"Federated", p.Federated}, {"CanonicalUser", p.CanonicalUser}} {
		if kv.v == nil {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, jsonpos.Quote(kv.k)...)
		b = append(b, ':')
		b = appendList(b, kv.v)
	}
	return append(b, '}')
}

// appendConditions groups entries by operator in order of first appearance,
// keeping key order within each operator, which is the order Parse produces.
func appendConditions(b []byte, cs []Condition) []byte {
	b = append(b, '{')
	done := make([]bool, len(cs))
	nops := 0
	for i := range cs {
		if done[i] {
			continue
		}
		if nops > 0 {
			b = append(b, ',')
		}
		nops++
		b = append(b, jsonpos.Quote(cs[i].Operator)...)
		b = append(b, ':', '{')
		nkeys := 0
		for j := i; j < len(cs); j++ {
			if done[j] || cs[j].Operator != cs[i].Operator {
				continue
			}
			done[j] = true
			if nkeys > 0 {
				b = append(b, ',')
			}
			nkeys++
			b = append(b, jsonpos.Quote(cs[j].Key)...)
			b = append(b, ':')
			b = appendList(b, cs[j].Values)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}
