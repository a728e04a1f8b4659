package condition

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzCompilePattern(f *testing.F) {
	for _, s := range []string{
		"", "*", "?", "a*b?c", "home/${aws:username}/*", "${aws:PrincipalTag/team, 'company-wide'}",
		"${*}${?}${$}", "${", "${aws:username", "${k, 'it''s'}", "${k, 'a}b'}", "${}", "${a${b}}",
		"arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:sns:*:${aws:PrincipalAccount}:*", "**?*é?",
	} {
		f.Add(s, "home/alice/x", uint8(7))
	}
	ctx := NewContext()
	ctx.Set("aws:username", "alice")
	ctx.Set("k", "v")
	ctx.SetList("aws:TagKeys", []string{"a"})
	f.Fuzz(func(t *testing.T, pattern, subject string, flags uint8) {
		opt := PatternOptions{Variables: flags&1 != 0, Wildcards: flags&2 != 0, FoldCase: flags&4 != 0}
		if p, err := CompilePattern(pattern, opt); err == nil {
			p.Match(subject, ctx)
			if p.String() != pattern {
				t.Errorf("String() = %q, want %q", p.String(), pattern)
			}
			// Without wildcards or variables a pattern is an exact compare.
			if !opt.Wildcards && !opt.Variables && !opt.FoldCase && p.Match(subject, ctx) != (pattern == subject) {
				t.Errorf("exact %q.Match(%q) = %v", pattern, subject, !(pattern == subject))
			}
			// Every string matches itself when nothing in it is special.
			if opt.Wildcards && !p.HasVariables() && !p.Match(pattern, ctx) && !containsSpecial(pattern) {
				t.Errorf("%q does not match itself", pattern)
			}
		}
		if p, err := CompileARNPattern(pattern, opt); err == nil {
			p.Match(subject, ctx)
			p.Match(pattern, ctx)
		}
		if p, reason := compileARNPattern(pattern, opt, true); reason == "" {
			p.Match(subject, ctx)
		}
	})
}

func containsSpecial(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '$':
			return true
		}
	}
	return false
}

func FuzzCompile(f *testing.F) {
	for _, s := range [][3]string{
		{"StringLike", "s3:prefix", "home/${aws:username}/*"},
		{"ForAllValues:StringNotLike", "aws:TagKeys", "key1*"},
		{"NotIpAddressIfExists", "aws:SourceIp", "2001:DB8::/32"},
		{"DateLessThan", "aws:CurrentTime", "2020-01-01T00:00:00Z"},
		{"NumericEquals", "n", "1.5"},
		{"Bool", "aws:SecureTransport", "true"},
		{"BinaryEquals", "bin", "YQ=="},
		{"ArnLike", "aws:SourceArn", "arn:aws:sns:*:123456789012:*"},
		{"Null", "k", "false"},
		{"ForAnyValue:StringEqualsIgnoreCase", "aws:TagKeys", "ÉCOLE"},
	} {
		f.Add(s[0], s[1], s[2], "home/alice/x", true)
	}
	ctx := NewContext()
	ctx.Set("aws:username", "alice")
	f.Fuzz(func(t *testing.T, op, key, value, ctxValue string, vars bool) {
		c, err := Compile(op, key, []Literal{{Text: value}, {Text: value + "*"}}, CompileOptions{Variables: vars})
		if err != nil {
			if c != nil {
				t.Errorf("Compile returned a condition and an error")
			}
			return
		}
		c.Eval(ctx)
		cx := ctx.Clone()
		cx.Set(key, ctxValue)
		c.Eval(cx)
		cx.SetList(key, []string{ctxValue, value})
		c.Eval(cx)
		cx.Set(key, value)
		c.Eval(cx)
		cx.SetList(key, nil)
		c.Eval(cx)
	})
}

// FuzzPatternOracle compares the wildcard matcher, fast paths included,
// with a regular expression built from the same pattern: '*' is any
// sequence, '?' one character, everything else literal; FoldCase folds ASCII
// letters only.
func FuzzPatternOracle(f *testing.F) {
	for _, s := range [][2]string{
		{"home/*/docs/*.pdf", "home/alice/docs/report.pdf"}, {"*a*a*b", "aaaaaab"}, {"s3:Get*", "S3:GETOBJECT"},
		{"*.pdf", "x.pdf"}, {"a?c", "abc"}, {"a?c", "aéc"}, {"*", ""}, {"", ""}, {"ab*", "a"}, {"*ab*ab", "abab"},
	} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	ctx := NewContext()
	f.Fuzz(func(t *testing.T, pattern, subject string, fold bool) {
		if len(pattern) > 64 || len(subject) > 256 {
			return // keeps the regexp oracle fast
		}
		p, err := CompilePattern(pattern, PatternOptions{Wildcards: true, FoldCase: fold})
		if err != nil {
			t.Fatalf("CompilePattern(%q): %v", pattern, err)
		}
		pat, sub := pattern, subject
		if fold {
			pat, sub = lowerASCII(pat), lowerASCII(sub)
		}
		var re strings.Builder
		re.WriteString(`^(?s)`)
		for _, r := range pat {
			switch r {
			case '*':
				re.WriteString(`.*`)
			case '?':
				re.WriteString(`.`)
			default:
				re.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		re.WriteString(`$`)
		want := regexp.MustCompile(re.String()).MatchString(sub)
		if !utf8.ValidString(pat) || !utf8.ValidString(sub) {
			return // the two disagree on how to count invalid bytes as characters
		}
		if got := p.Match(subject, ctx); got != want {
			t.Errorf("CompilePattern(%q, fold=%v).Match(%q) = %v, want %v", pattern, fold, subject, got, want)
		}
	})
}
