package condition

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// PatternOptions says how [CompilePattern] reads a pattern. The zero value
// compiles an exact, case-sensitive string with no policy variables.
type PatternOptions struct {
	// Variables turns on policy variables: ${key}, ${key, 'default'} and the
	// escapes ${*}, ${?} and ${$}. It is true for policies whose Version is
	// "2012-10-17"; when false, "${...}" is literal text.
	Variables bool
	// FoldCase makes matching ASCII case-insensitive, as Action matching is.
	// The pattern is lower-cased when compiled and the subject folded while
	// matching.
	FoldCase bool
	// Wildcards makes '*' match any sequence of characters (including none)
	// and '?' exactly one character. When false the pattern is compared
	// exactly, as StringEquals does.
	Wildcards bool
}

// foldMode is how literal text is compared.
type foldMode uint8

const (
	foldNone    foldMode = iota
	foldASCII            // PatternOptions.FoldCase
	foldUnicode          // StringEqualsIgnoreCase: Unicode simple folding, like strings.EqualFold
)

type tokKind uint8

const (
	tokLit   tokKind = iota // literal text
	tokStar                 // '*'
	tokQuest                // '?'
	tokVar                  // ${key} or ${key, 'default'}
)

// token is one element of a compiled pattern.
type token struct {
	kind       tokKind
	hasDefault bool
	slot       int8   // index in the match-time cache of resolved variables, -1 if none
	text       string // literal text, or a variable's default value
	key        keyRef // a variable's context key
}

// maxCachedVars is how many variables of one pattern are resolved once per
// match into a stack array; any further ones are looked up again each time the
// matcher reaches them, which is slower but equally correct.
const maxCachedVars = 8

// Pattern is a compiled string pattern: literal text, the wildcards '*' and
// '?' and policy variables, as used in Action, Resource and String condition
// values. See reference_policies_variables.html and
// reference_policies_elements_condition_operators.html.
//
// A Pattern is immutable and safe for concurrent use. The zero Pattern matches
// only the empty string.
type Pattern struct {
	src  string
	toks []token
	lit  string // the literal of shapeExact, shapePrefix and shapeSuffix
	// seq lists the literals and variables of a case-sensitive shapeSeq
	// pattern in order, and seqStar says whether a '*' ends it.
	seq   []seqStep
	nvars int
	// The small fields last, together: 96 bytes rather than 112.
	fold    foldMode
	shape   shape // a fast path for common forms, chosen at compile time
	seqStar bool
}

// seqStep is one element of a shapeSeq pattern: literal text, or the
// variable v.
type seqStep struct {
	text string
	v    *token
}

// shape classifies a compiled pattern so that the common forms match without
// the general matcher.
type shape uint8

const (
	shapeGeneral shape = iota
	shapeAll           // "*"
	shapeExact         // literal text only
	shapePrefix        // literal text then '*'
	shapeSuffix        // '*' then literal text
	shapeSeq           // literal text and variables only, maybe then one '*'
)

// CompilePattern compiles s. The error, which wraps [ErrInvalidValue], reports
// a malformed policy variable such as "${aws:username" (unterminated).
func CompilePattern(s string, opt PatternOptions) (Pattern, error) {
	fold := foldNone
	if opt.FoldCase {
		fold = foldASCII
	}
	p, reason := compilePattern(s, opt, fold)
	if reason != "" {
		return Pattern{}, &Error{Value: s, HasValue: true, Reason: reason, Err: ErrInvalidValue}
	}
	return p, nil
}

// compilePattern compiles s, returning a non-empty reason when s is malformed.
func compilePattern(s string, opt PatternOptions, fold foldMode) (Pattern, string) {
	if fold != foldUnicode && plainText(s) {
		return literalPattern(s, fold), ""
	}
	return compileTokens(s, opt, fold)
}

// compileTokens is compilePattern for a pattern that may have wildcards or
// variables; its tokens are collected on its stack.
func compileTokens(s string, opt PatternOptions, fold foldMode) (Pattern, string) {
	var buf [8]token
	toks, nvars, reason := tokenize(s, opt, fold, buf[:0])
	if reason != "" {
		return Pattern{}, reason
	}
	return newPattern(s, toks, fold, nvars), ""
}

// tokenize appends the tokens of s to toks. Literal text is cut from s (from
// s lower-cased once, for foldASCII) rather than built, unless an escape
// such as ${*} joins it to its neighbours.
func tokenize(s string, opt PatternOptions, fold foldMode, toks []token) ([]token, int, string) {
	src := s
	if fold == foldASCII {
		src = lowerASCII(s)
	}
	nvars := 0
	// The pending literal is src[start:i], or joined once an escape made
	// it more than one piece of src.
	start := 0
	var joined []byte
	for i := 0; ; {
		j := i
		for j < len(src) && !patternSpecial[src[j]] {
			j++
		}
		if joined != nil {
			joined = append(joined, src[i:j]...)
		}
		if i = j; i == len(src) {
			break
		}
		switch c := src[i]; {
		case opt.Variables && c == '$' && i+1 < len(src) && src[i+1] == '{':
			v, next, reason := parseVariable(src, i)
			if reason != "" {
				return nil, 0, reason
			}
			if v.kind == tokLit { // ${*}, ${?}, ${$}
				if joined == nil {
					joined = append(make([]byte, 0, i-start+len(v.text)+16), src[start:i]...)
				}
				joined = append(joined, v.text...)
				i = next
				continue
			}
			toks = appendLiteral(toks, src[start:i], joined)
			joined = nil
			v.slot = -1
			if nvars < maxCachedVars {
				v.slot = int8(nvars)
			}
			nvars++
			toks = append(toks, v)
			i = next
			start = i
		case opt.Wildcards && (c == '*' || c == '?'):
			toks = appendLiteral(toks, src[start:i], joined)
			joined = nil
			if c == '?' {
				toks = append(toks, token{kind: tokQuest, slot: -1})
			} else if n := len(toks); n == 0 || toks[n-1].kind != tokStar { // "**" is "*"
				toks = append(toks, token{kind: tokStar, slot: -1})
			}
			i++
			start = i
		default: // literal here
			if joined != nil {
				joined = append(joined, c)
			}
			i++
		}
	}
	return appendLiteral(toks, src[start:], joined), nvars, ""
}

// plainText reports whether s has none of the bytes that may start a
// wildcard or a policy variable, so that it compiles as literal text
// whatever the options.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if patternSpecial[s[i]] {
			return false
		}
	}
	return true
}

// literalPattern is the pattern of plain text s: what tokenize and
// newPattern make of one literal token (or none, for ""), without them.
func literalPattern(s string, fold foldMode) Pattern {
	lit := s
	if fold == foldASCII {
		lit = lowerASCII(s)
	}
	return Pattern{src: s, fold: fold, shape: shapeExact, lit: lit}
}

// patternSpecial marks the bytes that may start something other than
// literal text: a wildcard or a policy variable.
var patternSpecial = [256]bool{'*': true, '?': true, '$': true}

// appendLiteral appends the pending literal, lit or, when an escape made
// it, joined, unless it is empty.
func appendLiteral(toks []token, lit string, joined []byte) []token {
	if joined != nil {
		return append(toks, token{kind: tokLit, text: string(joined), slot: -1})
	}
	if lit == "" {
		return toks
	}
	return append(toks, token{kind: tokLit, text: lit, slot: -1})
}

// newPattern makes the pattern of src from its tokens, which may live on
// the caller's stack: the shapes with a fast path need only their literal,
// so only the others keep a copy of the tokens.
func newPattern(src string, toks []token, fold foldMode, nvars int) Pattern {
	p := Pattern{src: src, fold: fold, nvars: nvars}
	p.shape, p.lit = shapeOf(toks, fold)
	switch p.shape {
	case shapeAll, shapeExact, shapePrefix, shapeSuffix:
	default:
		p.toks = append(make([]token, 0, len(toks)), toks...)
		p.classify()
	}
	return p
}

// classify picks the pattern's fast path and, for shapeSeq, lists its
// steps.
func (p *Pattern) classify() {
	t := p.toks
	p.shape, p.lit = shapeOf(t, p.fold)
	if p.shape == shapeSeq && p.fold == foldNone {
		n := 0
		for i := range t {
			if t[i].kind != tokStar {
				n++
			}
		}
		p.seq = make([]seqStep, 0, n)
		for i := range t {
			switch t[i].kind {
			case tokLit:
				p.seq = append(p.seq, seqStep{text: t[i].text})
			case tokVar:
				p.seq = append(p.seq, seqStep{v: &t[i]})
			case tokStar:
				p.seqStar = true
			}
		}
	}
}

// shapeOf returns the fast path of a pattern of tokens t and, for the
// shapes that compare one literal, that literal. Unicode folding keeps the
// general matcher, whose prefix comparison handles characters of different
// widths.
func shapeOf(t []token, fold foldMode) (shape, string) {
	lit := func(i int) bool { return t[i].kind == tokLit }
	star := func(i int) bool { return t[i].kind == tokStar }
	switch {
	case len(t) == 1 && star(0):
		return shapeAll, ""
	case fold == foldUnicode:
		return shapeGeneral, ""
	case len(t) == 0:
		return shapeExact, ""
	case len(t) == 1 && lit(0):
		return shapeExact, t[0].text
	case len(t) == 2 && lit(0) && star(1):
		return shapePrefix, t[0].text
	case len(t) == 2 && star(0) && lit(1):
		return shapeSuffix, t[1].text
	}
	for i := range t {
		if t[i].kind == tokQuest || star(i) && i != len(t)-1 {
			return shapeGeneral, ""
		}
	}
	return shapeSeq, ""
}

// matchSeq matches a shapeSeq pattern: each literal or variable value must
// follow the previous one, and a final '*' takes whatever remains.
func (p *Pattern) matchSeq(s string, ctx *Context) bool {
	if p.fold == foldNone {
		for i := range p.seq {
			step := &p.seq[i]
			text := step.text
			if t := step.v; t != nil {
				// resolve, inlined.
				if v, ok := ctx.lookupRef(&t.key); ok && !v.multi && len(v.elems) == 1 {
					text = v.elems[0].text
				} else if t.hasDefault {
					text = t.text
				} else {
					return false
				}
			}
			if len(text) == 1 {
				// A lone separator, common after a variable: no call.
				if len(s) == 0 || s[0] != text[0] {
					return false
				}
			} else if len(s) < len(text) || s[:len(text)] != text {
				return false
			}
			s = s[len(text):]
		}
		return p.seqStar || s == ""
	}
	for i := range p.toks {
		t := &p.toks[i]
		text := t.text
		switch t.kind {
		case tokStar:
			return true // the last token
		case tokVar:
			v, ok := resolve(t, ctx)
			if !ok {
				return false
			}
			text = v
		}
		n, ok := p.prefix(s, text)
		if !ok {
			return false
		}
		s = s[n:]
	}
	return s == ""
}

// parseVariable parses the policy variable that starts at s[i] ("${"). It
// returns the token (a tokLit for the escapes ${*}, ${?} and ${$}) and the
// index just past the closing '}'.
func parseVariable(s string, i int) (token, int, string) {
	j := i + 2
	// The key runs to ',' or '}'.
	k := j
	for k < len(s) && s[k] != '}' && s[k] != ',' {
		if s[k] == '{' || s[k] == '$' && k+1 < len(s) && s[k+1] == '{' {
			return token{}, 0, "nested policy variable"
		}
		k++
	}
	if k == len(s) {
		return token{}, 0, "unterminated policy variable"
	}
	key := strings.TrimSpace(s[j:k])
	if s[k] == '}' {
		switch key {
		case "*", "?", "$":
			return token{kind: tokLit, text: key}, k + 1, ""
		case "":
			return token{}, 0, "empty policy variable"
		}
		return token{kind: tokVar, key: internFold(key)}, k + 1, ""
	}
	// s[k] == ',': a default value in single quotes follows; '' is a quote.
	if key == "" {
		return token{}, 0, "empty policy variable"
	}
	k++
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k == len(s) {
		return token{}, 0, "unterminated policy variable"
	}
	if s[k] != '\'' {
		return token{}, 0, "policy variable default value must be in single quotes"
	}
	k++
	var def strings.Builder
	for {
		if k == len(s) {
			return token{}, 0, "unterminated policy variable"
		}
		if s[k] == '\'' {
			if k+1 < len(s) && s[k+1] == '\'' {
				def.WriteByte('\'')
				k += 2
				continue
			}
			k++
			break
		}
		def.WriteByte(s[k])
		k++
	}
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k == len(s) {
		return token{}, 0, "unterminated policy variable"
	}
	if s[k] != '}' {
		return token{}, 0, "unexpected text after policy variable default value"
	}
	return token{kind: tokVar, key: internFold(key), text: def.String(), hasDefault: true}, k + 1, ""
}

// String returns the pattern as written.
func (p *Pattern) String() string { return p.src }

// HasVariables reports whether the pattern contains policy variables (other
// than the escapes ${*}, ${?} and ${$}).
func (p *Pattern) HasVariables() bool { return p.nvars > 0 }

// Match reports whether s matches the pattern, with policy variables replaced
// by their values in ctx. A variable whose key is absent from ctx or
// multi-valued, and that has no default, makes the pattern match nothing.
// Substituted values are literal text, never wildcards. Match does not
// allocate; its running time is at most proportional to len(s) times the
// number of tokens.
func (p *Pattern) Match(s string, ctx *Context) bool {
	switch p.shape {
	case shapeAll:
		return true
	case shapeExact:
		if p.fold == foldASCII {
			return len(s) == len(p.lit) && hasPrefixASCIIFold(s, p.lit)
		}
		return s == p.lit
	case shapePrefix:
		if p.fold == foldASCII {
			return hasPrefixASCIIFold(s, p.lit)
		}
		return strings.HasPrefix(s, p.lit)
	case shapeSuffix:
		if p.fold == foldASCII {
			return len(s) >= len(p.lit) && hasPrefixASCIIFold(s[len(s)-len(p.lit):], p.lit)
		}
		return strings.HasSuffix(s, p.lit)
	}
	if p.shape == shapeSeq {
		return p.matchSeq(s, ctx)
	}
	if p.nvars == 0 {
		return p.match(s, ctx, nil)
	}
	var cache [maxCachedVars]string
	for i := range p.toks {
		t := &p.toks[i]
		if t.kind != tokVar {
			continue
		}
		v, ok := resolve(t, ctx)
		if !ok {
			return false
		}
		if t.slot >= 0 {
			cache[t.slot] = v
		}
	}
	return p.match(s, ctx, &cache)
}

// MatchLower is [Pattern.Match] for a subject that is already lower-case
// ASCII, as an evaluator can make a request's action once for all the
// FoldCase patterns it tries; the common shapes then compare bytes directly.
// For other patterns it is Match.
func (p *Pattern) MatchLower(s string, ctx *Context) bool {
	if p.fold == foldASCII {
		switch p.shape {
		case shapeAll:
			return true
		case shapeExact:
			return s == p.lit
		case shapePrefix:
			return strings.HasPrefix(s, p.lit)
		case shapeSuffix:
			return strings.HasSuffix(s, p.lit)
		}
	}
	return p.Match(s, ctx)
}

// resolve returns the value a policy variable stands for.
func resolve(t *token, ctx *Context) (string, bool) {
	if v, ok := ctx.lookupRef(&t.key); ok {
		if s, ok := v.Single(); ok {
			return s, true
		}
	}
	if t.hasDefault {
		return t.text, true
	}
	return "", false
}

// match is an iterative wildcard matcher: on a mismatch it backtracks to the
// most recent '*' and lets that star swallow one more character. Only the
// latest star needs revisiting, which bounds the work by len(s) * len(toks).
func (p *Pattern) match(s string, ctx *Context, cache *[maxCachedVars]string) bool {
	ti, si := 0, 0
	starTi, starSi := -1, 0
	for {
		if ti < len(p.toks) {
			t := &p.toks[ti]
			switch t.kind {
			case tokStar:
				if ti == len(p.toks)-1 {
					return true // a trailing star takes the rest
				}
				if next := &p.toks[ti+1]; next.kind == tokLit && p.fold == foldNone {
					// Jump to the next place the following literal occurs; if
					// it occurs nowhere further on, no backtracking can help.
					j := strings.Index(s[si:], next.text)
					if j < 0 {
						return false
					}
					starTi, starSi = ti, si+j
					si += j + len(next.text)
					ti += 2
					continue
				}
				starTi, starSi = ti, si
				ti++
				continue
			case tokQuest:
				if si < len(s) {
					_, n := utf8.DecodeRuneInString(s[si:])
					si += n
					ti++
					continue
				}
			case tokLit:
				if n, ok := p.prefix(s[si:], t.text); ok {
					si += n
					ti++
					continue
				}
			case tokVar:
				var v string
				if t.slot >= 0 {
					v = cache[t.slot]
				} else {
					v, _ = resolve(t, ctx) // resolvable: Match checked every variable
				}
				if n, ok := p.prefix(s[si:], v); ok {
					si += n
					ti++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if starTi < 0 || starSi >= len(s) {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starSi:])
		starSi += n
		si = starSi
		ti = starTi + 1
		if next := ti; next < len(p.toks) && p.toks[next].kind == tokLit && p.fold == foldNone {
			ti = starTi // let the star search for its literal again from here
		}
	}
}

// hasPrefixASCIIFold reports whether s starts with lit, which is lower-case,
// ignoring ASCII case.
func hasPrefixASCIIFold(s, lit string) bool {
	if len(s) < len(lit) {
		return false
	}
	for i := 0; i < len(lit); i++ {
		if lowerByte(s[i]) != lit[i] {
			return false
		}
	}
	return true
}

// prefix reports whether s starts with lit under the pattern's folding, and
// how many bytes of s that prefix spans.
func (p *Pattern) prefix(s, lit string) (int, bool) {
	switch p.fold {
	case foldASCII:
		// lit may be a variable's value, which is not lower-cased.
		if len(s) < len(lit) {
			return 0, false
		}
		for i := 0; i < len(lit); i++ {
			if lowerByte(s[i]) != lowerByte(lit[i]) {
				return 0, false
			}
		}
		return len(lit), true
	case foldUnicode:
		return foldPrefix(s, lit)
	}
	if strings.HasPrefix(s, lit) {
		return len(lit), true
	}
	return 0, false
}

// foldPrefix reports whether s starts with a string equal to lit under Unicode
// simple case folding (as strings.EqualFold), and that prefix's length in s.
func foldPrefix(s, lit string) (int, bool) {
	si := 0
	for _, lr := range lit {
		if si >= len(s) {
			return 0, false
		}
		sr, n := utf8.DecodeRuneInString(s[si:])
		si += n
		if sr != lr && !equalFoldRune(sr, lr) {
			return 0, false
		}
	}
	return si, true
}

// equalFoldRune reports whether a and b are equal under simple case folding.
func equalFoldRune(a, b rune) bool {
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		return lowerByte(byte(a)) == lowerByte(byte(b))
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lowerByte(b[j])
			}
			return string(b)
		}
	}
	return s
}

// ARNPattern is a compiled ARN pattern as used in Resource elements and Arn*
// condition values: "*", or arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE in
// which each of the six colon-separated parts is matched separately. The
// resource part is everything after the fifth colon, so a '*' there matches
// across ':' and '/'; in the first five parts '*' and '?' never cross ':'.
// See reference_policies_elements_resource.html and the ARN operators in
// reference_policies_elements_condition_operators.html.
//
// An ARNPattern is immutable and safe for concurrent use. The zero ARNPattern
// matches nothing.
type ARNPattern struct {
	src      string
	all      bool
	valid    bool
	hasWhole bool
	// whole, when hasWhole, matches the entire ARN in one pattern: it is
	// built when the first five parts are plain case-sensitive text (the
	// usual case), as that text (which holds exactly five colons) followed
	// by the resource part's tokens. Matching it is the same as matching
	// part by part, as a subject starting with that text has the same first
	// five parts; and a common pattern such as "arn:aws:s3:::bucket/*" then
	// becomes one prefix comparison. It comes before the parts, next to
	// the fields Match reads first.
	whole Pattern
	parts [6]Pattern
}

// CompileARNPattern compiles s. Only the resource part may contain policy
// variables; in the first five parts "${...}" is literal text. s must be "*"
// or start with "arn:" and have six colon-separated parts; otherwise the error
// wraps [ErrInvalidValue].
func CompileARNPattern(s string, opt PatternOptions) (p ARNPattern, err error) {
	// Compiled in place: an ARNPattern is large enough for copies to
	// count.
	if reason := p.compile(s, opt, false); reason != "" {
		return ARNPattern{}, &Error{Value: s, HasValue: true, Reason: reason, Err: ErrInvalidValue}
	}
	return
}

// compileARNPattern is [ARNPattern.compile] returning the pattern.
func compileARNPattern(s string, opt PatternOptions, varsEverywhere bool) (p ARNPattern, reason string) {
	if reason = p.compile(s, opt, varsEverywhere); reason != "" {
		return ARNPattern{}, reason
	}
	return
}

// compileARNPattern compiles an ARN pattern. With varsEverywhere (Arn*
// condition values) policy variables may appear in any part, and a colon
// inside ${...} does not split parts.
func (p *ARNPattern) compile(s string, opt PatternOptions, varsEverywhere bool) string {
	if s == "*" {
		p.src, p.all, p.valid = s, true, true
		return ""
	}
	var bounds [5]int
	n := 0
	if !varsEverywhere || !opt.Variables {
		for i := 0; n < 5; n++ {
			j := strings.IndexByte(s[i:], ':')
			if j < 0 {
				break
			}
			bounds[n] = i + j
			i += j + 1
		}
	}
	for i := 0; varsEverywhere && opt.Variables && i < len(s) && n < 5; i++ {
		if s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			_, end, reason := parseVariable(s, i)
			if reason != "" {
				return reason
			}
			i = end - 1
			continue
		}
		if s[i] == ':' {
			bounds[n] = i
			n++
		}
	}
	if n < 5 {
		return `must be "*" or an ARN`
	}
	first := s[:bounds[0]]
	if first != "arn" && !(opt.FoldCase && strings.EqualFold(first, "arn")) {
		return `must be "*" or an ARN`
	}
	p.src, p.valid = s, true
	fold := foldNone
	if opt.FoldCase {
		fold = foldASCII
	}
	start := 0
	plainHead := plainText(s[:bounds[4]])
	for i := 0; i < 5; i++ {
		end := bounds[i]
		if plainHead {
			// The usual head, literal text: set what literalPattern
			// would return in place.
			pt := &p.parts[i]
			pt.src, pt.fold, pt.shape, pt.lit = s[start:end], fold, shapeExact, s[start:end]
			if fold == foldASCII {
				pt.lit = lowerASCII(pt.lit)
			}
			start = end + 1
			continue
		}
		o := opt
		if !varsEverywhere {
			o.Variables = false
		}
		part, reason := compilePattern(s[start:end], o, fold)
		if reason != "" {
			return reason
		}
		p.parts[i] = part
		start = end + 1
	}
	literal := fold == foldNone
	for i := 0; i < 5; i++ {
		literal = literal && p.parts[i].shape == shapeExact && p.parts[i].nvars == 0
	}
	return p.compileResource(s, start, opt, fold, literal)
}

// compileResource compiles the resource part of the ARN pattern s, from
// start, and the whole pattern when the head before it is literal.
func (p *ARNPattern) compileResource(s string, start int, opt PatternOptions, fold foldMode, literalHead bool) string {
	var buf [8]token
	rest, nvars, reason := tokenize(s[start:], opt, fold, buf[:0])
	if reason != "" {
		return reason
	}
	p.parts[5] = newPattern(s[start:], rest, fold, nvars)
	if literalHead {
		p.whole, p.hasWhole = joinHead(s, start, rest, nvars), true
	}
	return ""
}

// joinHead returns the pattern s, whose first n bytes are literal text
// (the ARN's head) and whose rest has the tokens rest: literal text, case
// sensitive, followed by what rest matches.
func joinHead(s string, n int, rest []token, nvars int) Pattern {
	var buf [9]token
	toks := buf[:0]
	if len(rest) > 0 && rest[0].kind == tokLit {
		text := rest[0].text
		if joined := s[:n+min(len(text), len(s)-n)]; joined[n:] == text {
			text = joined // the head and the first literal, as written
		} else {
			text = s[:n] + text // an escape such as ${*} made the literal differ
		}
		toks = append(toks, token{kind: tokLit, text: text, slot: -1})
		toks = append(toks, rest[1:]...)
	} else {
		toks = append(toks, token{kind: tokLit, text: s[:n], slot: -1})
		toks = append(toks, rest...)
	}
	return newPattern(s, toks, foldNone, nvars)
}

// String returns the pattern as written.
func (p *ARNPattern) String() string { return p.src }

// HasVariables reports whether any part of the pattern contains policy
// variables.
func (p *ARNPattern) HasVariables() bool {
	for i := range p.parts {
		if p.parts[i].HasVariables() {
			return true
		}
	}
	return false
}

// Match reports whether arn matches the pattern, part by part. A subject with
// fewer than six colon-separated parts matches only the pattern "*". Match
// does not allocate.
func (p *ARNPattern) Match(arn string, ctx *Context) bool {
	if p.whole.seq != nil {
		// Tested first: a pattern with a policy variable in its resource
		// part, the usual shape that cannot be a plain prefix comparison.
		return p.whole.matchSeq(arn, ctx)
	}
	if p.all {
		return true
	}
	if !p.valid {
		return false
	}
	if p.hasWhole {
		return p.whole.Match(arn, ctx)
	}
	start := 0
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(arn[start:], ':')
		if j < 0 {
			return false
		}
		if !p.parts[i].Match(arn[start:start+j], ctx) {
			return false
		}
		start += j + 1
	}
	return p.parts[5].Match(arn[start:], ctx)
}
