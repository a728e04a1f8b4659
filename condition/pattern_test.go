package condition

import (
	"math/rand/v2"
	"strings"
	"testing"
)

const (
	docResource = "reference_policies_elements_resource.html"
	docAction   = "reference_policies_elements_action.html"
)

type patternCase struct {
	name    string
	doc     string
	pattern string
	opt     PatternOptions
	ctx     func(*Context)
	subject string
	want    bool
}

var (
	like     = PatternOptions{Wildcards: true}
	likeVars = PatternOptions{Wildcards: true, Variables: true}
	action   = PatternOptions{Wildcards: true, FoldCase: true}
)

func TestPatternMatch(t *testing.T) {
	cases := []patternCase{
		{"star matches empty", docOperators, "a*", like, nil, "a", true},
		{"star matches across slash and colon", docOperators, "a*z", like, nil, "a/b:c/z", true},
		{"star in the middle", docOperators, "home/*/docs", like, nil, "home/alice/docs", true},
		{"star needs suffix", docOperators, "home/*/docs", like, nil, "home/alice/doc", false},
		{"several stars", docOperators, "*a*b*c*", like, nil, "xxaxxbxxcxx", true},
		{"several stars, order matters", docOperators, "*a*b*c*", like, nil, "xxcxxbxxaxx", false},
		{"backtracking", docOperators, "*ab", like, nil, "aab", true},
		{"question marks", docOperators, "???", like, nil, "abc", true},
		{"question marks too few", docOperators, "????", like, nil, "abc", false},
		{"question mark multibyte", docOperators, "?", like, nil, "é", true},
		{"lone star", docOperators, "*", like, nil, "", true},
		{"empty pattern", docOperators, "", like, nil, "", true},
		{"empty pattern non-empty subject", docOperators, "", like, nil, "a", false},
		{"exact when wildcards off", docOperators, "a*", PatternOptions{}, nil, "a*", true},
		{"exact when wildcards off, no star", docOperators, "a*", PatternOptions{}, nil, "ab", false},
		{"case-sensitive", docOperators, "Abc", like, nil, "abc", false},
		{"action fold", docAction, "s3:Get*", action, nil, "S3:GETOBJECT", true},
		{"action fold other", docAction, "s3:Get*", action, nil, "s3:PutObject", false},
		{"action fold question", docAction, "iam:?etUser", action, nil, "IAM:GETUSER", true},
		{"variable", docVariables, "home/${aws:username}/*", likeVars, set("aws:username", "bob"), "home/bob/x", true},
		{"variable other user", docVariables, "home/${aws:username}/*", likeVars, set("aws:username", "bob"), "home/bobby/x", false},
		{"variable key case-insensitive", docVariables, "${AWS:UserName}", likeVars, set("aws:username", "bob"), "bob", true},
		{"variable value case-sensitive", docVariables, "${aws:username}", likeVars, set("aws:username", "Bob"), "bob", false},
		{"variable unresolved", docVariables, "*${aws:username}*", likeVars, nil, "anything", false},
		{"variable multi-valued", docVariables, "${aws:TagKeys}", likeVars, list("aws:TagKeys", "a"), "a", false},
		{"variable multi-valued with default", docVariables, "${aws:TagKeys, 'd'}", likeVars, list("aws:TagKeys", "a"), "d", true},
		{"default", docVariables, "${aws:PrincipalTag/team, 'company-wide'}", likeVars, nil, "company-wide", true},
		{"default with quote", docVariables, "${k, 'it''s'}", likeVars, nil, "it's", true},
		{"default with brace", docVariables, "${k, 'a}b'}", likeVars, nil, "a}b", true},
		{"variable value with star is literal", docVariables, "${k}", likeVars, set("k", "*"), "abc", false},
		{"variable value with question mark is literal", docVariables, "${k}", likeVars, set("k", "?"), "?", true},
		{"escapes", docVariables, "${*}${?}${$}", likeVars, nil, "*?$", true},
		{"escapes not wildcards", docVariables, "${*}${?}${$}", likeVars, nil, "ab$", false},
		{"escapes with spaces", docVariables, "${ * }", likeVars, nil, "*", true},
		{"variables off", docVariables, "${aws:username}", like, set("aws:username", "bob"), "${aws:username}", true},
		{"dollar without brace is literal", docVariables, "$a{b}", likeVars, nil, "$a{b}", true},
		{"variable with fold", docAction, "X${k}*", PatternOptions{Wildcards: true, FoldCase: true, Variables: true}, set("k", "AbC"), "xabcdef", true},
		{"many variables beyond the cache", docVariables, "${a}${a}${a}${a}${a}${a}${a}${a}${a}${a}-${b}", likeVars,
			with(set("a", "x"), set("b", "y")), "xxxxxxxxxx-y", true},
		{"many variables, last unresolved", docVariables, "${a}${a}${a}${a}${a}${a}${a}${a}${a}${a}-${b}", likeVars,
			set("a", "x"), "xxxxxxxxxx-", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := CompilePattern(tc.pattern, tc.opt)
			if err != nil {
				t.Fatalf("CompilePattern(%q): %v", tc.pattern, err)
			}
			ctx := NewContext()
			if tc.ctx != nil {
				tc.ctx(ctx)
			}
			if got := p.Match(tc.subject, ctx); got != tc.want {
				t.Errorf("%q.Match(%q) = %v, want %v per %s", tc.pattern, tc.subject, got, tc.want, tc.doc)
			}
			if p.String() != tc.pattern {
				t.Errorf("String() = %q, want %q", p.String(), tc.pattern)
			}
		})
	}
}

func TestPatternHasVariables(t *testing.T) {
	for _, tc := range []struct {
		s    string
		opt  PatternOptions
		want bool
	}{
		{"${aws:username}", likeVars, true},
		{"${*}", likeVars, false},
		{"${aws:username}", like, false},
		{"plain", likeVars, false},
	} {
		p, err := CompilePattern(tc.s, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.HasVariables(); got != tc.want {
			t.Errorf("CompilePattern(%q, %+v).HasVariables() = %v, want %v", tc.s, tc.opt, got, tc.want)
		}
	}
}

// TestPatternLinear checks that a pathological pattern finishes quickly: a
// backtracking matcher that recursed on every star would take exponential
// time here.
func TestPatternLinear(t *testing.T) {
	p, err := CompilePattern(strings.Repeat("*a", 30)+"*b", like)
	if err != nil {
		t.Fatal(err)
	}
	if p.Match(strings.Repeat("a", 5000), nil) {
		t.Error("matched")
	}
}

func TestARNPatternMatch(t *testing.T) {
	resource := PatternOptions{Wildcards: true, Variables: true}
	cases := []struct {
		name    string
		doc     string
		pattern string
		ctx     func(*Context)
		subject string
		want    bool
	}{
		{"exact", docResource, "arn:aws:sqs:us-east-1:123456789012:queue", nil, "arn:aws:sqs:us-east-1:123456789012:queue", true},
		{"lone star matches anything", docResource, "*", nil, "not an arn", true},
		{"star in resource crosses colon and slash", docResource, "arn:aws:s3:::bucket/*", nil, "arn:aws:s3:::bucket/a/b:c", true},
		{"star in region", docOperators, "arn:aws:sqs:*:123456789012:queue", nil, "arn:aws:sqs:eu-west-1:123456789012:queue", true},
		{"star in region does not cross colon", docOperators, "arn:aws:sqs:*:123456789012:queue", nil, "arn:aws:sqs:us-east-1:extra:123456789012:queue", false},
		{"star in service", docOperators, "arn:aws:s*:us-east-1:123456789012:queue", nil, "arn:aws:sqs:us-east-1:123456789012:queue", true},
		{"question mark in account", docOperators, "arn:aws:iam::12345678901?:root", nil, "arn:aws:iam::123456789012:root", true},
		{"empty region", docResource, "arn:aws:iam::*:user/*", nil, "arn:aws:iam::123456789012:user/alice", true},
		{"empty region must be empty", docResource, "arn:aws:iam::123456789012:user/*", nil, "arn:aws:iam:us-east-1:123456789012:user/alice", false},
		{"stars do not match missing parts", docResource, "arn:aws:*:*:*:*", nil, "arn:aws:s3", false},
		{"subject too short", docResource, "arn:aws:s3:::*", nil, "arn:aws:s3::", false},
		{"case-sensitive", docResource, "arn:aws:iam::123456789012:user/Alice", nil, "arn:aws:iam::123456789012:user/alice", false},
		{"variable in resource", docVariables, "arn:aws:s3:::bucket/${aws:username}/*", set("aws:username", "alice"), "arn:aws:s3:::bucket/alice/x", true},
		{"variable in resource, other user", docVariables, "arn:aws:s3:::bucket/${aws:username}/*", set("aws:username", "alice"), "arn:aws:s3:::bucket/bob/x", false},
		{"variable unresolved", docVariables, "arn:aws:s3:::bucket/${aws:username}/*", nil, "arn:aws:s3:::bucket//x", false},
		{"variable default", docVariables, "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}", nil, "arn:aws:s3:::amzn-s3-demo-bucket-company-wide", true},
		{"variable outside resource part is literal", docVariables, "arn:aws:sqs:${aws:RequestedRegion}:123456789012:q", set("aws:RequestedRegion", "us-east-1"), "arn:aws:sqs:us-east-1:123456789012:q", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := CompileARNPattern(tc.pattern, resource)
			if err != nil {
				t.Fatalf("CompileARNPattern(%q): %v", tc.pattern, err)
			}
			ctx := NewContext()
			if tc.ctx != nil {
				tc.ctx(ctx)
			}
			if got := p.Match(tc.subject, ctx); got != tc.want {
				t.Errorf("%q.Match(%q) = %v, want %v per %s", tc.pattern, tc.subject, got, tc.want, tc.doc)
			}
		})
	}
}

func TestCompileARNPatternErrors(t *testing.T) {
	for _, s := range []string{"", "bucket", "arn:aws:s3", "arn:aws:s3::bucket", "ARN:aws:s3:::b", "*:aws:s3:::b", "arn:aws:s3:::${aws:username"} {
		if _, err := CompileARNPattern(s, PatternOptions{Wildcards: true, Variables: true}); err == nil {
			t.Errorf("CompileARNPattern(%q) succeeded, want error (%s)", s, docResource)
		}
	}
	var zero ARNPattern
	if zero.Match("arn:aws:s3:::b", nil) {
		t.Error("zero ARNPattern matched")
	}
}

// TestARNPatternWhole checks that matching an ARN pattern with a literal
// arn:PARTITION:SERVICE:REGION:ACCOUNT: head as one pattern over the whole
// ARN gives the answer of matching its six parts separately, as
// reference_policies_elements_resource.html defines ARN matching, on random
// patterns (wildcards and policy variables in the resource part) and
// subjects.
func TestARNPatternWhole(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ctx := NewContext()
	ctx.Set("aws:username", "alice")
	ctx.Set("aws:principaltag/team", "a:b")
	heads := []string{"arn:aws:s3:::", "arn:aws:iam::111122223333:", "arn:aws:logs:us-east-1:111122223333:", "arn:aws-cn:sqs:cn-north-1:1:"}
	pieces := []string{"a", "b", ":", "/", "*", "?", "${aws:username}", "${aws:PrincipalTag/team}", "${missing, 'a'}", "${*}", "alice", "a:b"}
	subjPieces := []string{"a", "b", ":", "/", "alice", "a:b", "x"}
	build := func(ps []string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(ps[rng.IntN(len(ps))])
		}
		return b.String()
	}
	checked, matched := 0, 0
	for range 20000 {
		head := heads[rng.IntN(len(heads))]
		p, err := CompileARNPattern(head+build(pieces, rng.IntN(6)), PatternOptions{Variables: true, Wildcards: true})
		if err != nil {
			continue
		}
		if !p.hasWhole {
			t.Fatalf("%q: no whole-ARN pattern for a literal head", p.src)
		}
		parts := p
		parts.hasWhole = false
		subj := build(subjPieces, rng.IntN(8))
		if rng.IntN(2) == 0 {
			subj = head + subj
		} else if rng.IntN(2) == 0 {
			subj = heads[rng.IntN(len(heads))] + subj
		}
		got, want := p.Match(subj, ctx), parts.Match(subj, ctx)
		if got != want {
			t.Fatalf("%q matching %q: whole %v, part by part %v", p.src, subj, got, want)
		}
		checked++
		if got {
			matched++
		}
	}
	if checked < 10000 || matched < 500 {
		t.Fatalf("only %d patterns compiled, %d matched", checked, matched)
	}
}
