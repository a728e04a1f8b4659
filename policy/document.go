package policy

import (
	"fmt"
	"strings"
)

// Type is the kind of policy a document is parsed as. It decides which
// elements are allowed (Principal, Resource), which effects, the size limit and
// how the evaluator treats the policy.
type Type uint8

// The policy types AWS defines. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html.
const (
	// Identity is an identity-based policy attached to a user, group or role
	// (managed or inline). It has no Principal.
	Identity Type = iota + 1
	// Resource is a resource-based policy such as an S3 bucket policy or a KMS
	// key policy. It names a Principal.
	Resource
	// Trust is a role trust policy (AssumeRolePolicyDocument): a resource-based
	// policy on the role that must name a Principal and may only allow STS
	// actions.
	Trust
	// SCP is an AWS Organizations service control policy.
	SCP
	// RCP is an AWS Organizations resource control policy.
	RCP
	// Session is a session policy passed to AssumeRole, GetFederationToken and
	// friends.
	Session
	// Boundary is a managed policy used as a permissions boundary.
	Boundary
)

var typeNames = [...]string{Identity: "identity", Resource: "resource", Trust: "trust", SCP: "scp", RCP: "rcp", Session: "session", Boundary: "boundary"}

// String returns the lower-case name used by the command line ("identity",
// "resource", "trust", "scp", "rcp", "session", "boundary").
func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// ParseType is the inverse of [Type.String]; it is case-insensitive.
func ParseType(s string) (Type, error) {
	for t, name := range typeNames {
		if name != "" && strings.EqualFold(name, s) {
			return Type(t), nil
		}
	}
	return 0, fmt.Errorf("policy: unknown policy type %q (want identity, resource, trust, scp, rcp, session or boundary)", s)
}

// Effect is a statement's Effect element.
type Effect uint8

// The two effects.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return fmt.Sprintf("Effect(%d)", uint8(e))
}

// Document is the plain data of a policy: what the JSON says, with no
// positions and no compiled state. [Policy.Document] returns a deep copy, and
// [New] compiles one. Absent elements are nil; present ones are never empty.
type Document struct {
	Version    string // "2012-10-17", "2008-10-17" or "" when absent
	ID         string
	Statements []Statement
}

// Statement is one entry of a policy's Statement element.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principals // nil when absent
	NotPrincipal *Principals // nil when absent
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	Condition    []Condition // in document order, grouped by operator
}

// Principals is the value of a Principal or NotPrincipal element.
type Principals struct {
	// Wildcard is true for the bare string form "Principal": "*".
	Wildcard      bool
	AWS           []string
	Service       []string
	Federated     []string
	CanonicalUser []string
}

// Condition is one (operator, key, values) entry of a Condition element.
// Values are kept as text: AWS compares JSON booleans and numbers in
// conditions by their text.
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// Position is a place in the policy JSON. Line and Column are 1-based; the
// column counts characters. The zero Position means "unknown".
type Position struct {
	Line, Column int
}

// String returns "line L, column C".
func (p Position) String() string {
	return fmt.Sprintf("line %d, column %d", p.Line, p.Column)
}

// IsZero reports whether p is the unknown position.
func (p Position) IsZero() bool { return p.Line == 0 }

func (d Document) clone() Document {
	out := d
	out.Statements = make([]Statement, len(d.Statements))
	for i, s := range d.Statements {
		out.Statements[i] = s.clone()
	}
	return out
}

func (s Statement) clone() Statement {
	out := s
	out.Principal = s.Principal.clone()
	out.NotPrincipal = s.NotPrincipal.clone()
	out.Action = cloneStrings(s.Action)
	out.NotAction = cloneStrings(s.NotAction)
	out.Resource = cloneStrings(s.Resource)
	out.NotResource = cloneStrings(s.NotResource)
	if s.Condition != nil {
		out.Condition = make([]Condition, len(s.Condition))
		for i, c := range s.Condition {
			c.Values = cloneStrings(c.Values)
			out.Condition[i] = c
		}
	}
	return out
}

func (p *Principals) clone() *Principals {
	if p == nil {
		return nil
	}
	out := *p
	out.AWS = cloneStrings(p.AWS)
	out.Service = cloneStrings(p.Service)
	out.Federated = cloneStrings(p.Federated)
	out.CanonicalUser = cloneStrings(p.CanonicalUser)
	return &out
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}
