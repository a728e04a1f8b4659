package policy

import (
	"fmt"
	"slices"
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
// each statement was, then hands both to the compiler.
type parser struct {
	typ      Type
	findings []Finding
	stmtPos  []Position
}

func toPos(p jsonpos.Pos) Position { return Position{Line: p.Line, Column: p.Column} }

func (ps *parser) errorf(p *path, at jsonpos.Pos, format string, args ...any) {
	ps.findings = append(ps.findings, Finding{Severity: SeverityError, Path: p.String(), Pos: toPos(at), Message: fmt.Sprintf(format, args...), err: ErrMalformedPolicy})
}

func parse(data []byte, typ Type, opt Options) (*Policy, []Finding) {
	if typ < Identity || typ > Boundary {
		return nil, []Finding{{Severity: SeverityError, Message: fmt.Sprintf("unknown policy type %d", typ), err: ErrMalformedPolicy}}
	}
	if doc, pos, ok := fastParse(data, typ, opt); ok {
		// Nothing to report before compiling: the tree is parsed only if
		// the compiler reports something and needs a position.
		p, findings := compile(doc, typ, opt, &locator{data: data, stmts: pos})
		return p, withWarnings(p, findings)
	}
	doc, loc, findings := treeParse(data, typ, opt)
	if loc == nil {
		return nil, findings
	}
	p, cf := compile(doc, typ, opt, loc)
	findings = append(findings, cf...)
	sortFindings(findings)
	return p, withWarnings(p, findings)
}

// treeParse parses data into a tree, checks it and decodes the Document,
// reporting every problem with its path and position. loc is nil when
// data is not JSON.
func treeParse(data []byte, typ Type, opt Options) (Document, *locator, []Finding) {
	root, err := jsonpos.Parse(data)
	if err != nil {
		f := Finding{Severity: SeverityError, Message: err.Error(), err: ErrMalformedPolicy}
		if se, ok := err.(*jsonpos.SyntaxError); ok {
			f.Pos, f.Message = toPos(se.Pos), "invalid JSON: "+se.Msg
		}
		return Document{}, nil, []Finding{f}
	}
	ps := &parser{typ: typ}
	if runes, space, ok := textStats(data); ok {
		ps.checkCount(runes, space, opt)
	} else {
		ps.checkCharacters(data)
		ps.checkSize(data, opt)
	}
	doc := ps.document(root)
	return doc, &locator{root: root, stmts: ps.stmtPos}, ps.findings
}

// withWarnings files the warnings among findings, in order, with p.
func withWarnings(p *Policy, findings []Finding) []Finding {
	if p != nil {
		for _, f := range findings {
			if f.Severity == SeverityWarning {
				p.warnings = append(p.warnings, f)
			}
		}
	}
	return findings
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
	space := 0
	for _, b := range data {
		if b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			space++
		}
	}
	ps.checkCount(utf8.RuneCount(data), space, opt)
}

// checkCount is checkSize for a document of runes characters, space of
// them white space.
func (ps *parser) checkCount(runes, space int, opt Options) {
	limit, ws := SizeLimit(ps.typ)
	if opt.MaxSize != 0 {
		limit = opt.MaxSize
	}
	if limit < 0 {
		return
	}
	n := runes
	if !ws {
		n -= space
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

// The indexes of the statement's elements in statementKeys.
const (
	elSid = iota
	elEffect
	elPrincipal
	elNotPrincipal
	elAction
	elNotAction
	elResource
	elNotResource
	elCondition
	elCount
)

// members sets out[i] to the member of the object v named allowed[i], if
// any, and reports every other member, unknown or repeated, in document
// order, as [jsonpos.Value.Fields] does.
func (ps *parser) members(p *path, v *jsonpos.Value, allowed []string, out []*jsonpos.Value) {
	for i := range v.Members {
		m := &v.Members[i]
		j := slices.Index(allowed, m.Key)
		switch {
		case j < 0:
			mp := p.field(m.Key)
			if k := slices.IndexFunc(allowed, func(k string) bool { return strings.EqualFold(k, m.Key) }); k >= 0 {
				ps.errorf(&mp, m.KeyPos, "unknown element %q (element names are case-sensitive: did you mean %q?)", m.Key, allowed[k])
			} else if near, ok := nearestElement(m.Key, allowed); ok {
				ps.errorf(&mp, m.KeyPos, "unknown element %q (did you mean %q?)", m.Key, near)
			} else {
				ps.errorf(&mp, m.KeyPos, "unknown element %q", m.Key)
			}
		case out[j] != nil:
			mp := p.field(m.Key)
			ps.errorf(&mp, m.KeyPos, "duplicate element %q", m.Key)
		default:
			out[j] = m.Value
		}
	}
}

// nearestElement returns the element of allowed within two edits of key
// ("Efect" → "Effect", "Resorce" → "Resource"), if one is.
func nearestElement(key string, allowed []string) (string, bool) {
	best, bestD := "", 3
	for _, a := range allowed {
		if d := editDistance(strings.ToLower(key), strings.ToLower(a)); d < bestD {
			best, bestD = a, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance of two short names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (ps *parser) document(root *jsonpos.Value) Document {
	var doc Document
	if root.Kind != jsonpos.Object {
		ps.errorf(nil, root.Pos, "a policy must be a JSON object, not %s", root.Kind)
		return doc
	}
	var m [3]*jsonpos.Value
	ps.members(nil, root, topLevelKeys, m[:])
	if v := m[0]; v != nil {
		p := path{key: "Version", index: -1}
		if v.Kind != jsonpos.String {
			ps.errorf(&p, v.Pos, "must be a string")
		} else if v.Str != Version2012 && v.Str != Version2008 {
			ps.errorf(&p, v.Pos, "%q is not a policy version (want %q or %q)", v.Str, Version2012, Version2008)
		} else {
			doc.Version = v.Str
		}
	}
	if v := m[1]; v != nil {
		if v.Kind != jsonpos.String {
			p := path{key: "Id", index: -1}
			ps.errorf(&p, v.Pos, "must be a string")
		} else {
			doc.ID = v.Str
		}
	}
	v := m[2]
	if v == nil {
		ps.errorf(nil, root.Pos, "missing required element Statement")
		return doc
	}
	sp := path{key: "Statement", index: -1}
	switch v.Kind {
	case jsonpos.Object:
		// The path of a lone statement is the indexed form Statement[0],
		// as the compiler names it.
		ip := sp.elem(0)
		doc.Statements = []Statement{ps.statement(&ip, v)}
		ps.stmtPos = []Position{toPos(v.Pos)}
	case jsonpos.Array:
		if len(v.Array) == 0 {
			ps.errorf(&sp, v.Pos, "must contain at least one statement")
		}
		doc.Statements = make([]Statement, 0, len(v.Array))
		ps.stmtPos = make([]Position, 0, len(v.Array))
		for i, sv := range v.Array {
			ip := sp.elem(i)
			doc.Statements = append(doc.Statements, ps.statement(&ip, sv))
			ps.stmtPos = append(ps.stmtPos, toPos(sv.Pos))
		}
	default:
		ps.errorf(&sp, v.Pos, "must be an object or an array of objects, not %s", v.Kind)
	}
	return doc
}

// statement decodes one statement at p, always the indexed form
// Statement[i], whatever the JSON shape.
func (ps *parser) statement(p *path, v *jsonpos.Value) Statement {
	var s Statement
	if v.Kind != jsonpos.Object {
		ps.errorf(p, v.Pos, "a statement must be a JSON object, not %s", v.Kind)
		return s
	}
	var m [elCount]*jsonpos.Value
	ps.members(p, v, statementKeys, m[:])
	if sv := m[elSid]; sv != nil {
		if sv.Kind != jsonpos.String {
			ep := p.field("Sid")
			ps.errorf(&ep, sv.Pos, "must be a string")
		} else {
			s.Sid = sv.Str
		}
	}
	// The compiler reports a missing or invalid Effect (left zero here).
	if ev := m[elEffect]; ev != nil && ev.Kind == jsonpos.String {
		switch ev.Str {
		case "Allow":
			s.Effect = Allow
		case "Deny":
			s.Effect = Deny
		}
	}
	s.Principal = ps.principals(p, "Principal", m[elPrincipal])
	s.NotPrincipal = ps.principals(p, "NotPrincipal", m[elNotPrincipal])
	s.Action = ps.stringList(p, "Action", m[elAction])
	s.NotAction = ps.stringList(p, "NotAction", m[elNotAction])
	s.Resource = ps.stringList(p, "Resource", m[elResource])
	s.NotResource = ps.stringList(p, "NotResource", m[elNotResource])
	if cv := m[elCondition]; cv != nil {
		cp := p.field("Condition")
		s.Condition = ps.conditions(&cp, cv)
	}
	return s
}

// stringList decodes member key of the object at p, an element that is a
// string or an array of strings.
func (ps *parser) stringList(p *path, key string, v *jsonpos.Value) []string {
	if v == nil {
		return nil
	}
	lp := p.field(key)
	switch v.Kind {
	case jsonpos.String:
		return []string{v.Str}
	case jsonpos.Array:
		if len(v.Array) == 0 {
			ps.errorf(&lp, v.Pos, "must not be an empty array")
			return nil
		}
		out := make([]string, 0, len(v.Array))
		for i, e := range v.Array {
			if e.Kind != jsonpos.String {
				ep := lp.elem(i)
				ps.errorf(&ep, e.Pos, "must be a string, not %s", e.Kind)
				continue
			}
			out = append(out, e.Str)
		}
		return out
	}
	ps.errorf(&lp, v.Pos, "must be a string or an array of strings, not %s", v.Kind)
	return nil
}

var principalKeys = []string{"AWS", "Service", "Federated", "CanonicalUser"}

// principals decodes member key (Principal or NotPrincipal) of the
// statement at sp.
func (ps *parser) principals(sp *path, key string, v *jsonpos.Value) *Principals {
	if v == nil {
		return nil
	}
	p := sp.field(key)
	out := &Principals{}
	switch v.Kind {
	case jsonpos.String:
		if v.Str != "*" {
			ps.errorf(&p, v.Pos, `a string Principal must be "*"; name principals in an object such as {"AWS": "arn:aws:iam::123456789012:root"}`)
		}
		out.Wildcard = true
		return out
	case jsonpos.Object:
		if len(v.Members) == 0 {
			ps.errorf(&p, v.Pos, "must name at least one principal")
		}
		var m [4]*jsonpos.Value
		ps.members(&p, v, principalKeys, m[:])
		out.AWS = ps.stringList(&p, "AWS", m[0])
		out.Service = ps.stringList(&p, "Service", m[1])
		out.Federated = ps.stringList(&p, "Federated", m[2])
		out.CanonicalUser = ps.stringList(&p, "CanonicalUser", m[3])
		return out
	}
	ps.errorf(&p, v.Pos, `must be "*" or an object, not %s`, v.Kind)
	return out
}

func (ps *parser) conditions(p *path, v *jsonpos.Value) []Condition {
	if v.Kind != jsonpos.Object {
		ps.errorf(p, v.Pos, "must be an object of condition operators, not %s", v.Kind)
		return nil
	}
	n := 0
	for _, om := range v.Members {
		if om.Value.Kind == jsonpos.Object {
			n += len(om.Value.Members)
		}
	}
	out := make([]Condition, 0, n)
	ops := dupFinder{}
	for i, om := range v.Members {
		opPath := p.field(om.Key)
		if ops.seen(v.Members, i) {
			ps.errorf(&opPath, om.KeyPos, "duplicate condition operator %q", om.Key)
			continue
		}
		if om.Value.Kind != jsonpos.Object {
			ps.errorf(&opPath, om.Value.Pos, "must be an object of condition keys, not %s", om.Value.Kind)
			continue
		}
		if len(om.Value.Members) == 0 {
			ps.errorf(&opPath, om.Value.Pos, "must contain at least one condition key")
		}
		keys := dupFinder{fold: true}
		for j, km := range om.Value.Members {
			keyPath := opPath.field(km.Key)
			if keys.seen(om.Value.Members, j) {
				ps.errorf(&keyPath, km.KeyPos, "duplicate condition key %q (condition keys are case-insensitive)", km.Key)
				continue
			}
			c := Condition{Operator: om.Key, Key: km.Key}
			add := func(i int, e *jsonpos.Value) {
				switch e.Kind {
				case jsonpos.String, jsonpos.Number, jsonpos.Bool:
					c.Values = append(c.Values, e.Str)
				default:
					ep := keyPath.elem(i)
					ps.errorf(&ep, e.Pos, "a condition value must be a string, number or boolean, not %s", e.Kind)
				}
			}
			if km.Value.Kind == jsonpos.Array {
				if len(km.Value.Array) == 0 {
					ps.errorf(&keyPath, km.Value.Pos, "must not be an empty array")
				}
				c.Values = make([]string, 0, len(km.Value.Array))
				for i, e := range km.Value.Array {
					add(i, e)
				}
				if len(c.Values) == 0 {
					c.Values = nil
				}
			} else {
				add(0, km.Value)
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// dupFinder finds repeated member names of one object, compared as
// strings.ToLower makes them when fold is set (condition keys are
// case-insensitive). Repeats are rare and objects small, so the first
// maxScan members are compared one by one; longer objects are filed in a
// map.
type dupFinder struct {
	fold bool
	m    map[string]bool
}

// maxScan bounds the members a dupFinder compares one by one.
const maxScan = 32

// seen reports whether a member before members[i] has its name. It must be
// called for every i in order.
func (d *dupFinder) seen(members []jsonpos.Member, i int) bool {
	key := members[i].Key
	if i <= maxScan {
		for j := range members[:i] {
			if k := members[j].Key; k == key || d.fold && lowerEqual(k, key) {
				return true
			}
		}
		return false
	}
	norm := func(s string) string {
		if d.fold {
			return strings.ToLower(s)
		}
		return s
	}
	if d.m == nil {
		d.m = make(map[string]bool, 2*i)
		for j := range members[:i] {
			d.m[norm(members[j].Key)] = true
		}
	}
	k := norm(key)
	if d.m[k] {
		return true
	}
	d.m[k] = true
	return false
}

// lowerEqual reports whether strings.ToLower(a) == strings.ToLower(b),
// without allocating when both are ASCII.
func lowerEqual(a, b string) bool {
	if len(a) != len(b) || !isASCII(a) || !isASCII(b) {
		if isASCII(a) && isASCII(b) {
			return false
		}
		return strings.ToLower(a) == strings.ToLower(b)
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
