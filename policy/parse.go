package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/iamkit/iamkit/internal/jsonpos"
)

// Policy versions AWS accepts. See
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Options tune [ParseWithOptions] and [New]. The zero value means defaults.
type Options struct {
	// Name identifies the policy in decisions and explanations (a policy ARN,
	// a file name, "inline:app"). Empty means the policy's Id, if any.
	Name string
	// MaxSize overrides the size quota of the policy type, in characters
	// counted as AWS counts them for that type (see [SizeLimit]). Zero means
	// AWS's default quota; a negative value disables the check.
	MaxSize int
}

// Parse parses, validates and compiles a policy document of the given type.
// On failure the error is an [*Error] listing every problem with its JSON
// path and line:column. Warnings (see [Validate]) do not fail parsing; they
// are available from [Policy.Warnings].
func Parse(data []byte, typ Type) (*Policy, error) {
	return ParseWithOptions(data, typ, Options{})
}

// ParseWithOptions is [Parse] with options.
func ParseWithOptions(data []byte, typ Type, opt Options) (*Policy, error) {
	p, findings := parse(data, typ, opt)
	if errs := errorsOnly(findings); len(errs) > 0 {
		return nil, &Error{Findings: errs}
	}
	return p, nil
}

// MustParse is like [Parse] but panics on error. It is meant for tests and
// package-level policies written in the source.
func MustParse(data string, typ Type) *Policy {
	p, err := Parse([]byte(data), typ)
	if err != nil {
		panic(err)
	}
	return p
}

// Validate checks a document as a policy of the given type and returns every
// finding, errors and warnings, in document order. It never fails: a
// document that is not even JSON yields one error finding.
func Validate(data []byte, typ Type) []Finding {
	_, findings := parse(data, typ, Options{})
	return findings
}

func errorsOnly(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity == SeverityError {
			out = append(out, f)
		}
	}
	return out
}

// parser walks the JSON tree, building the Document and remembering where
// each element was, then hands both to the compiler.
type parser struct {
	typ      Type
	findings []Finding
}

func toPos(p jsonpos.Pos) Position { return Position{Line: p.Line, Column: p.Column} }

func (ps *parser) errorf(path string, at jsonpos.Pos, format string, args ...any) {
	ps.findings = append(ps.findings, Finding{Severity: SeverityError, Path: path, Pos: toPos(at), Message: fmt.Sprintf(format, args...), err: ErrMalformedPolicy})
}

func parse(data []byte, typ Type, opt Options) (*Policy, []Finding) {
	ps := &parser{typ: typ}
	if typ < Identity || typ > Boundary {
		return nil, []Finding{{Severity: SeverityError, Message: fmt.Sprintf("unknown policy type %d", typ), err: ErrMalformedPolicy}}
	}
	root, err := jsonpos.Parse(data)
	if err != nil {
		f := Finding{Severity: SeverityError, Message: err.Error(), err: ErrMalformedPolicy}
		if se, ok := err.(*jsonpos.SyntaxError); ok {
			f.Pos, f.Message = toPos(se.Pos), "invalid JSON: "+se.Msg
		}
		return nil, []Finding{f}
	}
	ps.checkCharacters(data)
	ps.checkSize(data, opt)
	doc := ps.document(root)
	p, cf := compile(doc, typ, opt, &locator{root: root})
	ps.findings = append(ps.findings, cf...)
	sortFindings(ps.findings)
	if p != nil {
		for _, f := range ps.findings {
			if f.Severity == SeverityWarning {
				p.warnings = append(p.warnings, f)
			}
		}
	}
	return p, ps.findings
}

// checkCharacters enforces IAM's character set for policy documents: tab,
// line feed, carriage return and U+0020 through U+00FF.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
func (ps *parser) checkCharacters(data []byte) {
	line, col := 1, 0
	for i := 0; i < len(data); {
		r, n := rune(data[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(data[i:])
		}
		i += n
		col++
		if r == '\n' {
			line, col = line+1, 0
			continue
		}
		if r == '\t' || r == '\r' || (r >= 0x20 && r <= 0xFF) {
			continue
		}
		ps.findings = append(ps.findings, Finding{Severity: SeverityError, Pos: Position{line, col},
			Message: fmt.Sprintf("character %U is not allowed in a policy document (AWS allows tab, line feed, carriage return and U+0020 to U+00FF)", r), err: ErrMalformedPolicy})
		return
	}
}

// checkSize enforces the quota of the policy type; see [SizeLimit].
func (ps *parser) checkSize(data []byte, opt Options) {
	limit, ws := SizeLimit(ps.typ)
	if opt.MaxSize != 0 {
		limit = opt.MaxSize
	}
	if limit < 0 {
		return
	}
	n := utf8.RuneCount(data)
	if !ws {
		for _, b := range data {
			if b == ' ' || b == '\t' || b == '\n' || b == '\r' {
				n--
			}
		}
	}
	if n > limit {
		what := "characters"
		if !ws {
			what = "characters, not counting white space"
		}
		ps.findings = append(ps.findings, Finding{Severity: SeverityError,
			Message: fmt.Sprintf("Cannot exceed quota for PolicySize: %d (the %s policy has %d %s)", limit, ps.typ, n, what), err: ErrPolicyTooLarge})
	}
}

// SizeLimit returns AWS's default size quota for a policy type, in
// characters, and whether white space counts toward it. Sources:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// (managed policy 6,144 and role trust policy 2,048, white space not
// counted), https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// (session policy 2,048 plaintext characters) and
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
// (SCP 10,240 characters in the current page, earlier 5,120; RCP 5,120;
// every character counts when a policy is saved through the API).
// Resource-based policies differ by service; 20,480 is the S3 bucket policy
// quota, the most common one.
func SizeLimit(t Type) (limit int, whitespaceCounts bool) {
	switch t {
	case Identity, Boundary:
		return 6144, false
	case Trust:
		return 2048, false
	case Session:
		return 2048, true
	case SCP:
		return 10240, true
	case RCP:
		return 5120, true
	case Resource:
		return 20480, true
	}
	return 0, true
}

var topLevelKeys = []string{"Version", "Id", "Statement"}
var statementKeys = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func (ps *parser) members(path string, v *jsonpos.Value, allowed []string) map[string]*jsonpos.Value {
	return v.Fields(path, allowed, func(f jsonpos.Field) {
		switch {
		case f.Duplicate:
			ps.errorf(f.Path, f.KeyPos, "duplicate element %q", f.Key)
		case f.Suggest != "":
			ps.errorf(f.Path, f.KeyPos, "unknown element %q (element names are case-sensitive: did you mean %q?)", f.Key, f.Suggest)
		default:
			ps.errorf(f.Path, f.KeyPos, "unknown element %q", f.Key)
		}
	})
}

func (ps *parser) document(root *jsonpos.Value) Document {
	var doc Document
	if root.Kind != jsonpos.Object {
		ps.errorf("", root.Pos, "a policy must be a JSON object, not %s", root.Kind)
		return doc
	}
	m := ps.members("", root, topLevelKeys)
	if v, ok := m["Version"]; ok {
		if v.Kind != jsonpos.String {
			ps.errorf("Version", v.Pos, "must be a string")
		} else if v.Str != Version2012 && v.Str != Version2008 {
			ps.errorf("Version", v.Pos, "%q is not a policy version (want %q or %q)", v.Str, Version2012, Version2008)
		} else {
			doc.Version = v.Str
		}
	}
	if v, ok := m["Id"]; ok {
		if v.Kind != jsonpos.String {
			ps.errorf("Id", v.Pos, "must be a string")
		} else {
			doc.ID = v.Str
		}
	}
	v, ok := m["Statement"]
	if !ok {
		ps.errorf("", root.Pos, "missing required element Statement")
		return doc
	}
	switch v.Kind {
	case jsonpos.Object:
		doc.Statements = []Statement{ps.statement("Statement", v)}
	case jsonpos.Array:
		if len(v.Array) == 0 {
			ps.errorf("Statement", v.Pos, "must contain at least one statement")
		}
		for i, sv := range v.Array {
			path := fmt.Sprintf("Statement[%d]", i)
			doc.Statements = append(doc.Statements, ps.statement(path, sv))
		}
	default:
		ps.errorf("Statement", v.Pos, "must be an object or an array of objects, not %s", v.Kind)
	}
	return doc
}

// statement decodes one statement. The path it records positions under is
// always the indexed form Statement[i], whatever the JSON shape, so that the
// compiler can find them; messages use the same form.
func (ps *parser) statement(path string, v *jsonpos.Value) Statement {
	var s Statement
	if path == "Statement" {
		path = "Statement[0]"
	}
	if v.Kind != jsonpos.Object {
		ps.errorf(path, v.Pos, "a statement must be a JSON object, not %s", v.Kind)
		return s
	}
	m := ps.members(path, v, statementKeys)
	if sv, ok := m["Sid"]; ok {
		if sv.Kind != jsonpos.String {
			ps.errorf(path+".Sid", sv.Pos, "must be a string")
		} else {
			s.Sid = sv.Str
		}
	}
	// The compiler reports a missing or invalid Effect (left zero here).
	if ev, ok := m["Effect"]; ok && ev.Kind == jsonpos.String {
		switch ev.Str {
		case "Allow":
			s.Effect = Allow
		case "Deny":
			s.Effect = Deny
		}
	}
	s.Principal = ps.principals(path+".Principal", m["Principal"])
	s.NotPrincipal = ps.principals(path+".NotPrincipal", m["NotPrincipal"])
	s.Action = ps.stringList(path+".Action", m["Action"])
	s.NotAction = ps.stringList(path+".NotAction", m["NotAction"])
	s.Resource = ps.stringList(path+".Resource", m["Resource"])
	s.NotResource = ps.stringList(path+".NotResource", m["NotResource"])
	if cv, ok := m["Condition"]; ok {
		s.Condition = ps.conditions(path+".Condition", cv)
	}
	return s
}

// stringList decodes an element that is a string or an array of strings.
// Elements are recorded at path and path[i].
func (ps *parser) stringList(path string, v *jsonpos.Value) []string {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case jsonpos.String:
		return []string{v.Str}
	case jsonpos.Array:
		if len(v.Array) == 0 {
			ps.errorf(path, v.Pos, "must not be an empty array")
			return nil
		}
		out := make([]string, 0, len(v.Array))
		for i, e := range v.Array {
			if e.Kind != jsonpos.String {
				ps.errorf(fmt.Sprintf("%s[%d]", path, i), e.Pos, "must be a string, not %s", e.Kind)
				continue
			}
			out = append(out, e.Str)
		}
		return out
	}
	ps.errorf(path, v.Pos, "must be a string or an array of strings, not %s", v.Kind)
	return nil
}

var principalKeys = []string{"AWS", "Service", "Federated", "CanonicalUser"}

func (ps *parser) principals(path string, v *jsonpos.Value) *Principals {
	if v == nil {
		return nil
	}
	p := &Principals{}
	switch v.Kind {
	case jsonpos.String:
		if v.Str != "*" {
			ps.errorf(path, v.Pos, `a string Principal must be "*"; name principals in an object such as {"AWS": "arn:aws:iam::123456789012:root"}`)
		}
		p.Wildcard = true
		return p
	case jsonpos.Object:
		if len(v.Members) == 0 {
			ps.errorf(path, v.Pos, "must name at least one principal")
		}
		m := ps.members(path, v, principalKeys)
		p.AWS = ps.stringList(path+".AWS", m["AWS"])
		p.Service = ps.stringList(path+".Service", m["Service"])
		p.Federated = ps.stringList(path+".Federated", m["Federated"])
		p.CanonicalUser = ps.stringList(path+".CanonicalUser", m["CanonicalUser"])
		return p
	}
	ps.errorf(path, v.Pos, `must be "*" or an object, not %s`, v.Kind)
	return p
}

func (ps *parser) conditions(path string, v *jsonpos.Value) []Condition {
	if v.Kind != jsonpos.Object {
		ps.errorf(path, v.Pos, "must be an object of condition operators, not %s", v.Kind)
		return nil
	}
	var out []Condition
	seenOp := map[string]bool{}
	for _, om := range v.Members {
		opPath := path + "." + om.Key
		if seenOp[om.Key] {
			ps.errorf(opPath, om.KeyPos, "duplicate condition operator %q", om.Key)
			continue
		}
		seenOp[om.Key] = true
		if om.Value.Kind != jsonpos.Object {
			ps.errorf(opPath, om.Value.Pos, "must be an object of condition keys, not %s", om.Value.Kind)
			continue
		}
		if len(om.Value.Members) == 0 {
			ps.errorf(opPath, om.Value.Pos, "must contain at least one condition key")
		}
		seenKey := map[string]bool{}
		for _, km := range om.Value.Members {
			keyPath := opPath + "." + km.Key
			lk := strings.ToLower(km.Key)
			if seenKey[lk] {
				ps.errorf(keyPath, km.KeyPos, "duplicate condition key %q (condition keys are case-insensitive)", km.Key)
				continue
			}
			seenKey[lk] = true
			c := Condition{Operator: om.Key, Key: km.Key}
			add := func(i int, e *jsonpos.Value) {
				switch e.Kind {
				case jsonpos.String, jsonpos.Number, jsonpos.Bool:
					c.Values = append(c.Values, e.Str)
				default:
					ps.errorf(fmt.Sprintf("%s[%d]", keyPath, i), e.Pos, "a condition value must be a string, number or boolean, not %s", e.Kind)
				}
			}
			if km.Value.Kind == jsonpos.Array {
				if len(km.Value.Array) == 0 {
					ps.errorf(keyPath, km.Value.Pos, "must not be an empty array")
				}
				for i, e := range km.Value.Array {
					add(i, e)
				}
			} else {
				add(0, km.Value)
			}
			out = append(out, c)
		}
	}
	return out
}
