package policy

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

// Policy is a parsed, validated and compiled policy. Every wildcard pattern,
// ARN, CIDR, date and number in it was resolved when it was built, so
// evaluation only compares. A Policy is immutable and safe for concurrent use
// by any number of goroutines.
type Policy struct {
	typ       Type
	name      string
	doc       Document
	variables bool // Version 2012-10-17: policy variables are substituted
	stmts     []stmt
	// svcMasks holds each statement's svcMask, so that the scan of a small
	// policy skips statements for other services reading one word each.
	svcMasks []uint64
	warnings []Finding

	// For policies of more than indexThreshold statements, byService lists
	// (in document order) the statements whose actions all name a service
	// prefix, keyed by that lower-cased prefix, and anyService those that may
	// match any service; evaluation then visits only the candidates.
	byService  map[string][]int32
	anyService []int32
	// resByService and resAny file the same groups by resource prefix
	// (see index.go).
	resByService map[string]*resIndex
	resAny       *resIndex
	// actions, for small policies, maps the actions they name literally to
	// the statements those actions match (see index.go).
	actions actionTable
}

// indexThreshold is the statement count above which a policy is indexed by
// service prefix; below it a linear scan with the service mask is faster.
const indexThreshold = 8

// stmt is the compiled form of one statement.
type stmt struct {
	index  int
	sid    string
	pos    Position
	effect Effect

	hasPrincipal bool
	notPrincipal bool
	principals   []principal.Pattern

	notAction bool
	actions   []condition.Pattern
	// wordActions holds the actions packed for word comparison when every
	// one of them can be (see wordAction); nil otherwise.
	wordActions []wordAction
	// svcMask has the bit serviceBit gives each service prefix the actions
	// name; anyService is set when a prefix has wildcards or the statement
	// uses NotAction. Together they skip statements for other services
	// with one AND.
	svcMask    uint64
	anyService bool

	// noResource is true when the statement has neither Resource nor
	// NotResource (trust policies): it applies to the policy's own resource.
	noResource  bool
	anyResource bool // noResource, or Resource lists "*": nothing to match
	notResource bool
	resources   []condition.ARNPattern

	conds []*condition.Condition
	// namesPrincipalARN is true when a condition tests aws:PrincipalArn
	// positively; with Principal "*" such a grant is treated as naming the
	// principal (see the package doc).
	namesPrincipalARN bool
}

// New validates and compiles a Document. It applies the same rules as
// [Parse] except the character set and size checks, which concern the JSON
// text; errors carry JSON paths but no positions.
func New(doc Document, typ Type, opt Options) (*Policy, error) {
	if typ < Identity || typ > Boundary {
		return nil, fmt.Errorf("policy: unknown policy type %d", typ)
	}
	p, findings := compile(doc.clone(), typ, opt, nil)
	if errs := errorsOnly(findings); len(errs) > 0 {
		return nil, &Error{Findings: errs}
	}
	return p, nil
}

// Type returns the policy type the document was parsed as.
func (p *Policy) Type() Type { return p.typ }

// Name returns the name given in [Options.Name], else the policy's Id.
func (p *Policy) Name() string { return p.name }

// Version returns the Version element ("" when absent).
func (p *Policy) Version() string { return p.doc.Version }

// ID returns the Id element.
func (p *Policy) ID() string { return p.doc.ID }

// Len returns the number of statements.
func (p *Policy) Len() int { return len(p.stmts) }

// Document returns a deep copy of the policy's content.
func (p *Policy) Document() Document { return p.doc.clone() }

// StatementPosition returns where statement i starts in the JSON it was
// parsed from (zero for policies built with [New]).
func (p *Policy) StatementPosition(i int) Position { return p.stmts[i].pos }

// Warnings returns the warning-level findings of the policy (see [Validate]).
func (p *Policy) Warnings() []Finding { return append([]Finding(nil), p.warnings...) }

// WithName returns a copy of p that reports itself under name in decisions.
// The compiled statements are shared; both copies stay immutable.
func (p *Policy) WithName(name string) *Policy {
	q := *p
	q.name = name
	return &q
}

type compiler struct {
	typ      Type
	loc      *locator // nil for documents built with New
	findings []Finding
	lits     []condition.Literal // scratch for condition values

	// Every statement's compiled lists are carved from one slice of each
	// kind, sized for the whole policy; the actions are read once, in
	// document order, into infos (see newSlabs).
	infos    []actionInfo
	patterns []condition.Pattern
	arns     []condition.ARNPattern
	conds    []*condition.Condition
	packed   []wordAction
}

// actionInfo is what one reading of an Action or NotAction entry tells the
// compiler: its lower-cased text, its service and its packed words.
type actionInfo struct {
	lower string
	bit   uint64 // serviceBit of the action
	// anyService is set when no ':' ends a literal service prefix.
	anyService bool
	// literal is set for 1 to 64 bytes of text with no '*' or '?': an
	// action the action table may name.
	literal bool
	// packed is set when word is the entry as newWordAction packs it.
	packed bool
	word   wordAction
}

// newSlabs sizes the compiler's slices for the statements of doc and reads
// their actions.
func (c *compiler) newSlabs(doc *Document) {
	var nact, nres, ncond, nbytes, nwords int
	for i := range doc.Statements {
		s := &doc.Statements[i]
		nact += len(s.Action) + len(s.NotAction)
		nres += len(s.Resource) + len(s.NotResource)
		ncond += len(s.Condition)
		for _, list := range [2][]string{s.Action, s.NotAction} {
			for _, a := range list {
				nbytes += len(a)
				nwords += len(a)/8 + 1
			}
		}
	}
	c.patterns = make([]condition.Pattern, nact)
	c.packed = make([]wordAction, nact)
	c.arns = make([]condition.ARNPattern, nres)
	c.conds = make([]*condition.Condition, ncond)
	c.infos = c.infos[:0]
	// One buffer holds every action lower-cased, with eight bytes to
	// spare for reading words, and one slice every packed word.
	lower := make([]byte, nbytes+8)
	words := make([]uint64, nwords)
	off := 0
	for i := range doc.Statements {
		s := &doc.Statements[i]
		for _, list := range [2][]string{s.Action, s.NotAction} {
			for _, a := range list {
				var info actionInfo
				info, words = readAction(a, lower[off:], words)
				c.infos = append(c.infos, info)
				off += len(a)
			}
		}
	}
}

// readAction reads action a, writing it lower-cased to the front of lower
// (which has eight bytes more than it needs), and packing it with words
// from the front of the slab words. It reads eight bytes at a time.
func readAction(a string, lower []byte, words []uint64) (actionInfo, []uint64) {
	n := len(a)
	copy(lower, a)
	colon, wild, nwild := -1, -1, 0
	var first uint64 // the first word, lower-cased and zero-padded
	for i := 0; i < n; i += 8 {
		w := lowerWord(binary.LittleEndian.Uint64(lower[i:]))
		keep := uint64(highs)
		if n-i < 8 {
			keep = 1<<(8*(n-i)) - 1
			w &= keep
			keep &= highs
		}
		binary.LittleEndian.PutUint64(lower[i:], w)
		if i == 0 {
			first = w
		}
		if m := zeroBytes(w^(ones*':')) & keep; m != 0 && colon < 0 {
			colon = i + bits.TrailingZeros64(m)>>3
		}
		if m := (zeroBytes(w^(ones*'*')) | zeroBytes(w^(ones*'?'))) & keep; m != 0 {
			if wild < 0 {
				wild = i + bits.TrailingZeros64(m)>>3
			}
			nwild += bits.OnesCount64(m)
		}
	}
	var info actionInfo
	if n > 0 {
		// The buffer is read-only from here on, as the strings cut from
		// it require.
		info.lower = unsafe.String(&lower[0], n)
	}
	info.bit = serviceBitWord(first)
	info.anyService = colon < 0 || wild >= 0 && wild < colon
	info.literal = n > 0 && n <= 64 && nwild == 0
	prefix := n > 0 && a[n-1] == '*'
	lit := n
	if prefix {
		lit--
	}
	if lit > 64 || nwild > 1 || nwild == 1 && !prefix {
		return info, words
	}
	// As newWordAction packs it: the literal, zero-padded, a word per
	// eight bytes (at least one).
	nw := max(1, (lit+7)/8)
	if len(words) < nw {
		words = make([]uint64, nw)
	}
	w := words[:nw:nw]
	for k := range w {
		x := binary.LittleEndian.Uint64(lower[8*k:])
		if rem := lit - 8*k; rem < 8 {
			x &= 1<<(8*max(rem, 0)) - 1
		}
		w[k] = x
	}
	info.packed = true
	info.word = wordAction{words: w, n: lit, prefix: prefix, lastMask: ^uint64(0)}
	if rem := lit % 8; prefix && (rem != 0 || lit == 0) {
		info.word.lastMask = 1<<(8*rem) - 1
	}
	return info, words[nw:]
}

// carve returns an empty slice with room for n elements from the front of
// *slab, or a new one if the slab is short.
func carve[T any](slab *[]T, n int) []T {
	if len(*slab) < n {
		return make([]T, 0, n)
	}
	out := (*slab)[:0:n]
	*slab = (*slab)[n:]
	return out
}

// at returns the position of the element at path, or of its nearest
// enclosing element that the document has.
func (c *compiler) at(path string) Position {
	if c.loc == nil {
		return Position{}
	}
	return c.loc.at(path)
}

// at is [compiler.at] for a parsed document.
func (l *locator) at(path string) Position {
	for {
		if p, ok := l.locate(path); ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return Position{}
		}
		path = path[:i]
	}
}

// has reports whether the parsed document has the element at p.
func (c *compiler) has(p *path) bool {
	if c.loc == nil {
		return false
	}
	_, ok := c.loc.locate(p.String())
	return ok
}

func (c *compiler) errorf(p *path, format string, args ...any) {
	ps := p.String()
	c.findings = append(c.findings, Finding{Severity: SeverityError, Path: ps, Pos: c.at(ps), Message: fmt.Sprintf(format, args...), err: ErrMalformedPolicy})
}

func (c *compiler) warnf(p *path, format string, args ...any) {
	ps := p.String()
	c.findings = append(c.findings, Finding{Severity: SeverityWarning, Path: ps, Pos: c.at(ps), Message: fmt.Sprintf(format, args...)})
}

var infoPool = sync.Pool{New: func() any { return new([]actionInfo) }}

func compile(doc Document, typ Type, opt Options, loc *locator) (*Policy, []Finding) {
	c := &compiler{typ: typ, loc: loc}
	p := &Policy{typ: typ, name: opt.Name, doc: doc, variables: doc.Version == Version2012}
	if p.name == "" {
		p.name = doc.ID
	}
	if doc.Version == "" {
		vp := path{key: "Version", index: -1}
		c.warnf(&vp, "no Version element: AWS treats the policy as version %s, so policy variables such as ${aws:username} are literal text; add \"Version\": %q", Version2008, Version2012)
	}
	// What the compiler reads of the actions is needed only while it
	// compiles: the slice comes from a pool.
	scratch := infoPool.Get().(*[]actionInfo)
	c.infos = (*scratch)[:0]
	c.newSlabs(&doc)
	infos := c.infos
	defer func() {
		clear(infos) // no strings of this policy stay in the pool
		if cap(infos) <= 1024 {
			*scratch = infos[:0]
			infoPool.Put(scratch)
		}
	}()
	sids := sidFinder{stmts: doc.Statements}
	sp := path{key: "Statement", index: -1}
	p.stmts = make([]stmt, 0, len(doc.Statements))
	p.svcMasks = make([]uint64, 0, len(doc.Statements))
	for i, s := range doc.Statements {
		ip := sp.elem(i)
		if j, dup := sids.earlier(i); dup {
			ep := ip.field("Sid")
			c.errorf(&ep, "duplicate Sid %q (also used by Statement[%d]); statement IDs must be unique within a policy", s.Sid, j)
		}
		st := c.statement(&ip, i, s, p.variables)
		if loc != nil && i < len(loc.stmts) {
			st.pos = loc.stmts[i]
		}
		p.stmts = append(p.stmts, st)
		p.svcMasks = append(p.svcMasks, st.svcMask)
	}
	sortFindings(c.findings)
	if len(errorsOnly(c.findings)) > 0 {
		return nil, c.findings
	}
	p.buildIndex(infos)
	return p, c.findings
}

// buildIndex fills byService and anyService for large policies, and the
// action table of small ones; infos are the actions as the compiler read
// them.
func (p *Policy) buildIndex(infos []actionInfo) {
	if len(p.stmts) <= indexThreshold {
		p.buildActionTable(infos)
		return
	}
	p.byService = map[string][]int32{}
	for i := range p.stmts {
		st := &p.stmts[i]
		if st.anyService {
			p.anyService = append(p.anyService, int32(i))
			continue
		}
		seen := map[string]bool{}
		for _, a := range p.doc.Statements[i].Action {
			svc, _, _ := strings.Cut(a, ":")
			svc = strings.ToLower(svc)
			if !seen[svc] {
				seen[svc] = true
				p.byService[svc] = append(p.byService[svc], int32(i))
			}
		}
	}
	p.resByService = make(map[string]*resIndex, len(p.byService))
	for svc, list := range p.byService {
		p.resByService[svc] = p.buildResIndex(list)
	}
	p.resAny = p.buildResIndex(p.anyService)
}

// missingElement is the element a finding says is missing, or "".
func missingElement(msg string) string {
	const missing = "missing required element "
	switch {
	case strings.HasPrefix(msg, missing):
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, missing), ":")
		return name
	case strings.HasPrefix(msg, "Policy statement must contain resources"):
		return "Resource"
	case strings.HasPrefix(msg, "Policy statement must contain actions"):
		return "Action"
	}
	return ""
}

func sortFindings(fs []Finding) {
	// A missing element that a misspelled one explains ("Efect" for
	// Effect) is reported at the misspelling, just after it: the cause
	// comes first.
	for i := range fs {
		name := missingElement(fs[i].Message)
		if name == "" {
			continue
		}
		prefix := fs[i].Path + "."
		if fs[i].Path == "" {
			prefix = ""
		}
		for _, g := range fs {
			if strings.HasPrefix(g.Path, prefix) && !strings.Contains(g.Path[len(prefix):], ".") && strings.HasSuffix(g.Message, "(did you mean "+strconv.Quote(name)+"?)") {
				fs[i].Pos = g.Pos
				break
			}
		}
	}
	// Findings about the whole document (no position) come last.
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Pos, fs[j].Pos
		if a.IsZero() || b.IsZero() {
			return !a.IsZero() && b.IsZero()
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// iamType reports whether the policy is stored by IAM or Organizations,
// whose Sid grammar is letters and digits only.
func iamType(t Type) bool { return t != Resource }

func (c *compiler) statement(p *path, index int, s Statement, variables bool) stmt {
	st := stmt{index: index, sid: s.Sid, effect: s.Effect}
	if s.Effect != Allow && s.Effect != Deny {
		if ep := p.field("Effect"); c.loc != nil && !c.has(&ep) {
			c.errorf(p, "missing required element Effect")
		} else {
			c.errorf(&ep, `must be "Allow" or "Deny"`)
		}
	}
	if s.Sid != "" && iamType(c.typ) {
		for _, r := range s.Sid {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				ep := p.field("Sid")
				c.errorf(&ep, "%q: a Sid in %s policies may contain only letters A-Z, a-z and digits 0-9", s.Sid, c.typ)
				break
			}
		}
	}

	c.principalRules(p, s)
	switch {
	case s.Principal != nil:
		st.hasPrincipal = true
		ep := p.field("Principal")
		st.principals = c.principalPatterns(&ep, s.Principal)
	case s.NotPrincipal != nil:
		st.hasPrincipal, st.notPrincipal = true, true
		ep := p.field("NotPrincipal")
		st.principals = c.principalPatterns(&ep, s.NotPrincipal)
	}

	// The statement's actions as newSlabs read them: Action, then
	// NotAction.
	infos := c.infos[:len(s.Action)+len(s.NotAction)]
	c.infos = c.infos[len(infos):]
	switch {
	case s.Action != nil && s.NotAction != nil:
		c.errorf(p, "a statement has either Action or NotAction, not both")
	case s.Action == nil && s.NotAction == nil:
		c.errorf(p, "Policy statement must contain actions.")
	case s.NotAction != nil:
		st.notAction, st.anyService = true, true
		ep := p.field("NotAction")
		st.actions = c.actionPatterns(&ep, s.NotAction, infos)
	default:
		ep := p.field("Action")
		st.actions = c.actionPatterns(&ep, s.Action, infos)
		for i := range infos {
			st.anyService = st.anyService || infos[i].anyService
			st.svcMask |= infos[i].bit
		}
	}
	if st.anyService {
		st.svcMask = ^uint64(0) // one AND in the scan loop decides
	}
	if s.Action != nil {
		infos = infos[:len(s.Action)]
	}
	st.wordActions = c.packActions(infos)
	if c.typ == Trust {
		c.trustActions(p, s)
	}

	switch {
	case s.Resource != nil && s.NotResource != nil:
		c.errorf(p, "a statement has either Resource or NotResource, not both")
	case s.Resource == nil && s.NotResource == nil:
		if c.typ == Trust {
			st.noResource = true
		} else {
			c.errorf(p, "Policy statement must contain resources.")
		}
	case c.typ == Trust:
		el := "Resource"
		if s.Resource == nil {
			el = "NotResource"
		}
		ep := p.field(el)
		c.errorf(&ep, "Has prohibited field %s: a role trust policy applies to the role itself", el)
	case s.NotResource != nil:
		st.notResource = true
		ep := p.field("NotResource")
		st.resources = c.resourcePatterns(&ep, s.NotResource, variables)
	default:
		ep := p.field("Resource")
		st.resources = c.resourcePatterns(&ep, s.Resource, variables)
	}
	st.anyResource = st.noResource || !st.notResource && slices.Contains(s.Resource, "*")

	if c.typ == RCP {
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
		switch {
		case s.Effect == Allow && !isFullAccess(s):
			ep := p.field("Effect")
			c.errorf(&ep, `resource control policies may only deny: the one Allow statement AWS accepts is RCPFullAWSAccess (Principal "*", Action "*", Resource "*", no Condition)`)
		case s.NotAction != nil:
			ep := p.field("NotAction")
			c.errorf(&ep, "NotAction is not supported in resource control policies")
		case s.Effect == Deny && slices.Contains(s.Action, "*"):
			ep := p.field("Action")
			c.errorf(&ep, `you cannot use "*" in the Action element of a customer managed resource control policy`)
		}
	}

	for _, cd := range s.Condition {
		condPath := p.field("Condition")
		opPath := condPath.field(cd.Operator)
		keyPath := opPath.field(cd.Key)
		if len(cd.Values) == 0 {
			c.errorf(&keyPath, "a condition needs at least one value")
			continue
		}
		// Compile copies the values, so one buffer serves every condition.
		c.lits = c.lits[:0]
		for _, v := range cd.Values {
			c.lits = append(c.lits, condition.Literal{Text: v, Kind: condition.LiteralString})
		}
		cc, err := condition.Compile(cd.Operator, cd.Key, c.lits, condition.CompileOptions{Variables: variables})
		if err != nil {
			c.errorf(&keyPath, "%s", strings.TrimPrefix(err.Error(), "condition: "))
			continue
		}
		if st.conds == nil {
			st.conds = carve(&c.conds, len(s.Condition))
		}
		st.conds = append(st.conds, cc)
		if strings.EqualFold(cd.Key, "aws:PrincipalArn") && positiveOperator(cd.Operator) {
			st.namesPrincipalARN = true
		}
	}
	return st
}

// positiveOperator reports whether a condition operator narrows the callers
// (StringEquals, ArnLike, ...), as opposed to excluding some (NotEquals).
func positiveOperator(op string) bool {
	op = strings.TrimPrefix(strings.TrimPrefix(op, "ForAnyValue:"), "ForAllValues:")
	return !strings.HasSuffix(op, "IfExists") && !strings.Contains(op, "Not") && op != "Null"
}

func isFullAccess(s Statement) bool {
	return s.Principal != nil && s.Principal.Wildcard && len(s.Action) == 1 && s.Action[0] == "*" &&
		len(s.Resource) == 1 && s.Resource[0] == "*" && len(s.Condition) == 0
}

// principalRules applies the per-type rules for Principal and NotPrincipal.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func (c *compiler) principalRules(p *path, s Statement) {
	has := s.Principal != nil || s.NotPrincipal != nil
	if s.Principal != nil && s.NotPrincipal != nil {
		c.errorf(p, "a statement has either Principal or NotPrincipal, not both")
	}
	switch c.typ {
	case Identity, Boundary, Session, SCP:
		if has {
			el := "Principal"
			if s.Principal == nil {
				el = "NotPrincipal"
			}
			ep := p.field(el)
			c.errorf(&ep, "Policy document should not specify a principal (%s policies apply to the identity they are attached to)", c.typ)
		}
	case Trust:
		if s.NotPrincipal != nil {
			ep := p.field("NotPrincipal")
			c.errorf(&ep, "NotPrincipal is not allowed in a role trust policy")
		} else if s.Principal == nil {
			c.errorf(p, "missing required element Principal: a role trust policy must name who may assume the role")
		}
	case Resource:
		if !has {
			c.errorf(p, "missing required element Principal: a resource-based policy must name a Principal or NotPrincipal")
		}
		if s.NotPrincipal != nil && s.Effect == Allow {
			ep := p.field("NotPrincipal")
			c.warnf(&ep, "NotPrincipal with Allow grants access to every principal not listed, including anonymous users; AWS strongly recommends against it")
		}
	case RCP:
		if s.NotPrincipal != nil {
			ep := p.field("NotPrincipal")
			c.errorf(&ep, "NotPrincipal is not supported in resource control policies")
		} else if s.Principal == nil || !s.Principal.Wildcard {
			ep := p.field("Principal")
			c.errorf(&ep, `resource control policies must use "Principal": "*" (narrow the callers with conditions)`)
		}
	}
}

func (c *compiler) principalPatterns(pp *path, p *Principals) []principal.Pattern {
	if p.Wildcard {
		pat, err := principal.ParsePattern("*", "*")
		if err != nil {
			c.errorf(pp, "%v", err)
			return nil
		}
		return []principal.Pattern{pat}
	}
	var out []principal.Pattern
	add := func(typ string, values []string) {
		for i, v := range values {
			pat, err := principal.ParsePattern(typ, v)
			if err != nil {
				tp := pp.field(typ)
				ep := tp.elem(i)
				c.errorf(&ep, "Invalid principal in policy: %s", strings.TrimPrefix(err.Error(), "principal: "))
				continue
			}
			out = append(out, pat)
		}
	}
	add("AWS", p.AWS)
	add("Service", p.Service)
	add("Federated", p.Federated)
	add("CanonicalUser", p.CanonicalUser)
	return out
}

// actionPatterns compiles Action/NotAction entries: "*" or
// "service:action" where the action may use * and ?. Actions match
// case-insensitively.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
func (c *compiler) actionPatterns(p *path, actions []string, infos []actionInfo) []condition.Pattern {
	out := carve(&c.patterns, len(actions))
	for i, a := range actions {
		ep := p.elem(i)
		// Actions match case-insensitively, so the pattern is compiled
		// from the lower-cased copy: the same pattern, with no copy of
		// its own.
		lower := infos[i].lower
		if a != "*" {
			vendor, name, ok := strings.Cut(a, ":")
			if !ok || vendor == "" || name == "" {
				c.errorf(&ep, "%q: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", a)
				continue
			}
			if !validVendor(vendor) {
				c.errorf(&ep, "%q: Vendor %s is not valid", a, vendor)
				continue
			}
		}
		opt := condition.PatternOptions{FoldCase: true, Wildcards: true}
		pat, err := condition.CompilePattern(lower, opt)
		if err != nil {
			_, err = condition.CompilePattern(a, opt) // the message quotes a as written
			c.errorf(&ep, "%v", err)
			continue
		}
		out = append(out, pat)
	}
	return out
}

// hasWildcard reports whether s has a '*' or '?'.
func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// packActions returns the statement's actions packed as wordActions, or
// nil when one of them cannot be.
func (c *compiler) packActions(infos []actionInfo) []wordAction {
	for i := range infos {
		if !infos[i].packed {
			return nil
		}
	}
	out := carve(&c.packed, len(infos))
	for i := range infos {
		out = append(out, infos[i].word)
	}
	return out
}

func validVendor(v string) bool {
	for i := 0; i < len(v); i++ {
		// Every allowed character is ASCII, so bytes serve for runes.
		if r := v[i]; !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '*' || r == '?') {
			return false
		}
	}
	return true
}

// trustActions enforces that a role trust policy names only STS actions.
func (c *compiler) trustActions(p *path, s Statement) {
	el, list := "Action", s.Action
	if s.NotAction != nil {
		el, list = "NotAction", s.NotAction
	}
	for i, a := range list {
		if a == "*" || len(a) >= 4 && lowerEqual(a[:4], "sts:") {
			continue
		}
		lp := p.field(el)
		ep := lp.elem(i)
		c.errorf(&ep, "%q: AssumeRole policy may only specify STS AssumeRole actions.", a)
	}
}

// resourcePatterns compiles Resource/NotResource entries: "*" or a
// six-part ARN, each part matched separately, policy variables substituted in
// the resource part when the policy is version 2012-10-17.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
func (c *compiler) resourcePatterns(p *path, resources []string, variables bool) []condition.ARNPattern {
	out := carve(&c.arns, len(resources))
	for i, r := range resources {
		ep := p.elem(i)
		pat, err := condition.CompileARNPattern(r, condition.PatternOptions{Variables: variables, Wildcards: true})
		if err != nil {
			msg := fmt.Sprintf("Resource %s must be in ARN format or \"*\"", r)
			if reason := strings.TrimPrefix(err.Error(), "condition: "); !strings.HasSuffix(reason, `must be "*" or an ARN`) {
				msg += " (" + reason + ")"
			}
			c.errorf(&ep, "%s", msg)
			continue
		}
		out = append(out, pat)
	}
	return out
}

// serviceBit maps a service prefix (case-insensitively) to one of 64 bits.
// It reads action up to its first ':' (all of it if none), so it serves both
// a policy's "s3" and a request's "s3:GetObject". Only the first eight
// bytes of the prefix count: services that share them share a bit, which
// costs a statement visit, never a wrong answer.
func serviceBit(action string) uint64 {
	var b [8]byte
	for i := 0; i < len(b) && i < len(action) && action[i] != ':'; i++ {
		b[i] = action[i]
	}
	return serviceBitWord(lowerWord(binary.LittleEndian.Uint64(b[:])))
}

// serviceBitWord is serviceBit of the lower-cased first eight bytes of an
// action (zero-padded), read as a little-endian word: the bytes from the
// first ':' on are dropped and the rest hashed.
func serviceBitWord(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := w ^ (ones * ':') // zero bytes where w has ':'
	if m := (x - ones) &^ x & highs; m != 0 {
		// The lowest set bit is exact: it marks the first ':'.
		w &= 1<<(bits.TrailingZeros64(m)&^7) - 1
	}
	return 1 << ((w * 0x9e3779b97f4a7c15) >> 58)
}

// lowerWord lower-cases the ASCII letters among the eight bytes of w.
func lowerWord(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	h := w &^ highs                // no carries between bytes below
	ge := h + ones*(0x80-'A')      // high bit set where the byte is >= 'A'
	gt := h + ones*(0x80-'Z'-1)    // high bit set where the byte is > 'Z'
	upper := ge &^ gt &^ w & highs // ASCII upper-case letters
	return w | upper>>2            // 0x80 >> 2 is 'a'-'A'
}
