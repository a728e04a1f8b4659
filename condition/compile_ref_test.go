package condition

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The pattern compiler as it was before literals were cut from the
// pattern instead of built byte by byte, kept to check the new one against.

// compilePatternRef compiles s, returning a non-empty reason when s is malformed.
func compilePatternRef(s string, opt PatternOptions, fold foldMode) (Pattern, string) {
	p := Pattern{src: s, fold: fold}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t := lit.String()
			if fold == foldASCII {
				t = lowerASCII(t)
			}
			p.toks = append(p.toks, token{kind: tokLit, text: t, slot: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case opt.Variables && c == '$' && i+1 < len(s) && s[i+1] == '{':
			v, end, reason := parseVariable(s, i)
			if reason != "" {
				return Pattern{}, reason
			}
			i = end
			if v.kind == tokLit { // ${*}, ${?}, ${$}
				lit.WriteString(v.text)
				continue
			}
			flush()
			if fold == foldASCII {
				v.text = lowerASCII(v.text)
			}
			v.slot = -1
			if p.nvars < maxCachedVars {
				v.slot = int8(p.nvars)
			}
			p.nvars++
			p.toks = append(p.toks, v)
		case opt.Wildcards && c == '*':
			flush()
			if n := len(p.toks); n == 0 || p.toks[n-1].kind != tokStar { // "**" is "*"
				p.toks = append(p.toks, token{kind: tokStar, slot: -1})
			}
			i++
		case opt.Wildcards && c == '?':
			flush()
			p.toks = append(p.toks, token{kind: tokQuest, slot: -1})
			i++
		default:
			lit.WriteByte(c)
			i++
		}
	}
	flush()
	p.classifyRef()
	return p, ""
}

// classifyRef picks the pattern's fast path. Unicode folding keeps the general
// matcher, whose prefix comparison handles characters of different widths.
func (p *Pattern) classifyRef() {
	t := p.toks
	lit := func(i int) bool { return t[i].kind == tokLit }
	star := func(i int) bool { return t[i].kind == tokStar }
	switch {
	case len(t) == 1 && star(0):
		p.shape = shapeAll
	case p.fold == foldUnicode:
		p.shape = shapeGeneral
	case len(t) == 0:
		p.shape = shapeExact
	case len(t) == 1 && lit(0):
		p.shape, p.lit = shapeExact, t[0].text
	case len(t) == 2 && lit(0) && star(1):
		p.shape, p.lit = shapePrefix, t[0].text
	case len(t) == 2 && star(0) && lit(1):
		p.shape, p.lit = shapeSuffix, t[1].text
	default:
		for i := range t {
			if t[i].kind == tokQuest || star(i) && i != len(t)-1 {
				return
			}
		}
		p.shape = shapeSeq
		if p.fold == foldNone {
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
}

func compileARNPatternRef(s string, opt PatternOptions, varsEverywhere bool) (ARNPattern, string) {
	if s == "*" {
		return ARNPattern{src: s, all: true, valid: true}, ""
	}
	var bounds [5]int
	n := 0
	for i := 0; i < len(s) && n < 5; i++ {
		if varsEverywhere && opt.Variables && s[i] == '$' && i+1 < len(s) && s[i+1] == '{' {
			_, end, reason := parseVariable(s, i)
			if reason != "" {
				return ARNPattern{}, reason
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
		return ARNPattern{}, `must be "*" or an ARN`
	}
	first := s[:bounds[0]]
	if first != "arn" && !(opt.FoldCase && strings.EqualFold(first, "arn")) {
		return ARNPattern{}, `must be "*" or an ARN`
	}
	p := ARNPattern{src: s, valid: true}
	fold := foldNone
	if opt.FoldCase {
		fold = foldASCII
	}
	start := 0
	for i := 0; i < 6; i++ {
		end := len(s)
		if i < 5 {
			end = bounds[i]
		}
		o := opt
		if i < 5 && !varsEverywhere {
			o.Variables = false
		}
		part, reason := compilePatternRef(s[start:end], o, fold)
		if reason != "" {
			return ARNPattern{}, reason
		}
		p.parts[i] = part
		start = end + 1
	}
	literal := fold == foldNone
	for i := 0; i < 5; i++ {
		literal = literal && p.parts[i].shape == shapeExact && p.parts[i].nvars == 0
	}
	if literal {
		p.whole, p.hasWhole = joinHeadRef(s[:bounds[4]+1], &p.parts[5], s), true
	}
	return p, ""
}

// joinHead returns the pattern that matches head (literal text) followed by
// what rest matches; src is the whole pattern as written.
func joinHeadRef(head string, rest *Pattern, src string) Pattern {
	toks := make([]token, 0, len(rest.toks)+1)
	if len(rest.toks) > 0 && rest.toks[0].kind == tokLit {
		toks = append(toks, token{kind: tokLit, text: head + rest.toks[0].text, slot: -1})
		toks = append(toks, rest.toks[1:]...)
	} else {
		toks = append(toks, token{kind: tokLit, text: head, slot: -1})
		toks = append(toks, rest.toks...)
	}
	w := Pattern{src: src, toks: toks, fold: rest.fold, nvars: rest.nvars}
	w.classifyRef()
	return w
}

// TestCompileMatchesReference checks, on random patterns of literal text,
// wildcards, policy variables (well-formed, with defaults, escaped and
// malformed) and upper-case letters, under every option, that the compiler
// gives what the byte-by-byte compiler gave: the same error, shape, literal
// and variables, the same tokens where it keeps them, and the same answer
// on random subjects.
func TestCompileMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 31))
	ctx := NewContext()
	ctx.Set("aws:username", "Alice")
	ctx.Set("aws:principaltag/team", "a:b")
	pieces := []string{"a", "B", "c", ":", "/", "*", "**", "?", "${aws:username}", "${AWS:UserName}", "${aws:PrincipalTag/team}",
		"${missing, 'D'}", "${missing, 'it''s'}", "${*}", "${?}", "${$}", "${", "${}", "${a${b}}", "${k, x}", "$", "{", "}", "é", "Ω",
		"Alice", "alice", "a:b", "arn", "ARN", "S3", "Get", "Object"}
	subjects := []string{"a", "B", "b", "c", ":", "/", "alice", "Alice", "ALICE", "a:b", "d", "D", "it's", "*", "?", "$", "é", "É", "Ω", "ω", "x"}
	heads := []string{"arn:aws:s3:::", "arn:aws:iam::111122223333:", "ARN:aws:s3:::", "arn:aws:${aws:username}:::", "arn:aws:s3:us-*:1:", "arn", ""}
	build := func(ps []string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(ps[rng.IntN(len(ps))])
		}
		return b.String()
	}
	same := func(t *testing.T, what string, got, want *Pattern) {
		t.Helper()
		if got.src != want.src || got.fold != want.fold || got.nvars != want.nvars || got.shape != want.shape || got.lit != want.lit || got.seqStar != want.seqStar || len(got.seq) != len(want.seq) {
			t.Fatalf("%s: compiled %+v, reference %+v", what, *got, *want)
		}
		if got.toks != nil || want.shape == shapeGeneral || want.shape == shapeSeq {
			if len(got.toks) != len(want.toks) {
				t.Fatalf("%s: tokens %+v, reference %+v", what, got.toks, want.toks)
			}
			for i := range got.toks {
				if got.toks[i] != want.toks[i] {
					t.Fatalf("%s: token %d is %+v, reference %+v", what, i, got.toks[i], want.toks[i])
				}
			}
		}
		for i := range got.seq {
			g, w := got.seq[i], want.seq[i]
			if g.text != w.text || (g.v == nil) != (w.v == nil) || g.v != nil && *g.v != *w.v {
				t.Fatalf("%s: step %d is %+v, reference %+v", what, i, g, w)
			}
		}
		for range 20 {
			subj := build(subjects, rng.IntN(6))
			if got.Match(subj, ctx) != want.Match(subj, ctx) || got.MatchLower(strings.ToLower(subj), ctx) != want.MatchLower(strings.ToLower(subj), ctx) {
				t.Fatalf("%s matching %q: %v, reference %v", what, subj, got.Match(subj, ctx), want.Match(subj, ctx))
			}
		}
	}
	for range 30000 {
		s := build(pieces, rng.IntN(7))
		opt := PatternOptions{Variables: rng.IntN(2) == 0, FoldCase: rng.IntN(2) == 0, Wildcards: rng.IntN(4) != 0}
		fold := foldMode(rng.IntN(3))
		got, gr := compilePattern(s, opt, fold)
		want, wr := compilePatternRef(s, opt, fold)
		if gr != wr {
			t.Fatalf("%q %+v: reason %q, reference %q", s, opt, gr, wr)
		}
		same(t, s, &got, &want)

		a := heads[rng.IntN(len(heads))] + s
		varsEverywhere := rng.IntN(2) == 0
		ga, gr := compileARNPattern(a, opt, varsEverywhere)
		wa, wr := compileARNPatternRef(a, opt, varsEverywhere)
		if gr != wr {
			t.Fatalf("ARN %q %+v: reason %q, reference %q", a, opt, gr, wr)
		}
		if ga.src != wa.src || ga.all != wa.all || ga.valid != wa.valid || ga.hasWhole != wa.hasWhole {
			t.Fatalf("ARN %q: compiled %+v, reference %+v", a, ga, wa)
		}
		for i := range ga.parts {
			same(t, a, &ga.parts[i], &wa.parts[i])
		}
		same(t, a+" (whole)", &ga.whole, &wa.whole)
		for range 20 {
			subj := heads[rng.IntN(len(heads))] + build(subjects, rng.IntN(6))
			if ga.Match(subj, ctx) != wa.Match(subj, ctx) {
				t.Fatalf("ARN %q matching %q: %v, reference %v", a, subj, ga.Match(subj, ctx), wa.Match(subj, ctx))
			}
		}
	}
}
