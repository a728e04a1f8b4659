package condition

import (
	"net/netip"
	"testing"
	"time"
)

// allocContext is a request context that every allocation and benchmark
// case below evaluates against.
func allocContext() *Context {
	c := NewContext()
	c.Set("aws:username", "alice")
	c.Set("aws:PrincipalTag/team", "blue")
	c.Set("s3:prefix", "home/alice/docs/report.pdf")
	c.Set("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:alerts")
	c.SetIP("aws:SourceIp", netip.MustParseAddr("2001:db8:1234:5678::9"))
	c.SetTime("aws:CurrentTime", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	c.Set("aws:EpochTime", "1714564800")
	c.SetNumber("s3:max-keys", 10)
	c.SetBool("aws:SecureTransport", true)
	c.SetBinary("bin", []byte("BinaryValueInBase64"))
	c.SetList("aws:TagKeys", []string{"environment", "cost-center", "owner"})
	return c
}

var allocConditions = []struct {
	op, key string
	values  []string
}{
	{"StringEquals", "aws:PrincipalTag/team", []string{"red", "blue"}},
	{"StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", []string{"RED", "BLUE"}},
	{"StringLike", "s3:prefix", []string{"", "home/", "home/${aws:username}/*"}},
	{"StringLike", "s3:prefix", []string{"home/${aws:PrincipalTag/team, 'none'}/*"}},
	{"StringLikeIfExists", "absent", []string{"x"}},
	{"ArnLike", "aws:SourceArn", []string{"arn:aws:sns:*:123456789012:*"}},
	{"ArnNotEquals", "aws:SourceArn", []string{"arn:aws:sns:*:${aws:username}:*"}},
	{"IpAddress", "aws:SourceIp", []string{"203.0.113.0/24", "2001:DB8:1234:5678::/64"}},
	{"NotIpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}},
	{"DateLessThan", "aws:CurrentTime", []string{"2025-01-01T00:00:00Z"}},
	{"DateGreaterThan", "aws:EpochTime", []string{"1577836800"}},
	{"NumericLessThanEquals", "s3:max-keys", []string{"100"}},
	{"Bool", "aws:SecureTransport", []string{"true"}},
	{"BinaryEquals", "bin", []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
	{"ForAllValues:StringLike", "aws:TagKeys", []string{"environment", "cost-*", "owner"}},
	{"ForAnyValue:StringNotEquals", "aws:TagKeys", []string{"environment"}},
	{"Null", "aws:TokenIssueTime", []string{"true"}},
}

func compileAll(tb testing.TB) []*Condition {
	tb.Helper()
	var out []*Condition
	for _, c := range allocConditions {
		var lits []Literal
		for _, v := range c.values {
			lits = append(lits, Literal{Text: v})
		}
		cond, err := Compile(c.op, c.key, lits, CompileOptions{Variables: true})
		if err != nil {
			tb.Fatalf("Compile(%s, %s): %v", c.op, c.key, err)
		}
		out = append(out, cond)
	}
	return out
}

func TestEvalNoAllocs(t *testing.T) {
	ctx := allocContext()
	for _, c := range compileAll(t) {
		if n := testing.AllocsPerRun(100, func() { c.Eval(ctx) }); n != 0 {
			t.Errorf("%s %s: %v allocations per Eval, want 0", c.Operator(), c.Key(), n)
		}
	}
}

func TestPatternMatchNoAllocs(t *testing.T) {
	ctx := allocContext()
	patterns := []struct {
		s   string
		opt PatternOptions
		sub string
	}{
		{"home/${aws:username}/*", likeVars, "home/alice/docs/report.pdf"},
		{"${a}${a}${a}${a}${a}${a}${a}${a}${a}${a}${aws:username}", likeVars, "alice"},
		{"s3:Get*", action, "S3:GETOBJECT"},
		{"*a*b*c?", like, "xxaxxbxxcxx"},
	}
	for _, tc := range patterns {
		p, err := CompilePattern(tc.s, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { p.Match(tc.sub, ctx) }); n != 0 {
			t.Errorf("%q: %v allocations per Match, want 0", tc.s, n)
		}
	}
	arns := []struct{ s, sub string }{
		{"arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/alice/x"},
		{"arn:aws:sns:*:123456789012:*", "arn:aws:sns:us-east-1:123456789012:alerts"},
		{"*", "anything"},
	}
	for _, tc := range arns {
		p, err := CompileARNPattern(tc.s, likeVars)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { p.Match(tc.sub, ctx) }); n != 0 {
			t.Errorf("%q: %v allocations per Match, want 0", tc.s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { ctx.LookupLower("aws:principaltag/team") }); n != 0 {
		t.Errorf("LookupLower: %v allocations, want 0", n)
	}
}

func BenchmarkPatternMatch(b *testing.B) {
	ctx := allocContext()
	for _, bc := range []struct {
		name, s, sub string
		opt          PatternOptions
	}{
		{"exact", "home/alice/docs/report.pdf", "home/alice/docs/report.pdf", PatternOptions{}},
		{"wildcard", "home/*/docs/*.pdf", "home/alice/docs/report.pdf", like},
		{"variable", "home/${aws:username}/*", "home/alice/docs/report.pdf", likeVars},
		{"action", "s3:Get*", "s3:GetObject", action},
		{"backtrack", "*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", like},
	} {
		p, err := CompilePattern(bc.s, bc.opt)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Match(bc.sub, ctx)
			}
		})
	}
	p, err := CompileARNPattern("arn:aws:s3:::bucket/${aws:username}/*", likeVars)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("arn", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p.Match("arn:aws:s3:::bucket/alice/docs/report.pdf", ctx)
		}
	})
}

func BenchmarkConditionEval(b *testing.B) {
	ctx := allocContext()
	for _, c := range compileAll(b) {
		b.Run(c.Operator()+"/"+c.Key(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Eval(ctx)
			}
		})
	}
}
