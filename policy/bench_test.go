package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// The 5-statement and full-set inputs come from testdata/corpus/bench.json,
// where TestCorpus also checks their expected answers.

func BenchmarkEvaluate(b *testing.B) {
	for _, bc := range []struct{ name, corpus string }{
		{"identity-5-statements-with-conditions", "bench: identity-5"},
		{"full-set", "bench: full-set"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := benchCase(b, bc.corpus)
			set, req := c.build(b)
			want := decisionNames[c.Expect.Decision]
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if set.Evaluate(req).Decision != want {
					b.Fatal("unexpected decision")
				}
			}
		})
	}
	for _, n := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("statements-%d", n), func(b *testing.B) {
			set, req := generatedSet(b, n)
			if res := set.Evaluate(req); res.Decision != policy.Allowed || res.Statement.Index != n-1 {
				b.Fatalf("Evaluate = %+v, want allowed by Statement[%d]", res, n-1)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				set.Evaluate(req)
			}
		})
	}
}

// generatedSet returns an identity policy of n statements, each allowing two
// S3 actions on its own bucket under a principal-tag condition, and a request
// that only the last statement matches.
func generatedSet(b *testing.B, n int) (*policy.Set, *policy.Request) {
	b.Helper()
	var sb strings.Builder
	sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`, i, i)
	}
	sb.WriteString(`]}`)
	p, err := policy.ParseWithOptions([]byte(sb.String()), policy.Identity, policy.Options{Name: "generated", MaxSize: -1})
	if err != nil {
		b.Fatal(err)
	}
	caller := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller, Tags: map[string]string{"team": "blue"}})
	return &policy.Set{Identity: []*policy.Policy{p}}, &policy.Request{
		Principal: caller,
		Action:    "s3:PutObject",
		Resource:  fmt.Sprintf("arn:aws:s3:::bucket-%d/upload.bin", n-1),
		Context:   ctx,
	}
}

func BenchmarkExplain(b *testing.B) {
	b.Run("identity-5", func(b *testing.B) {
		c := benchCase(b, "bench: identity-5")
		set, req := c.build(b)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			set.Explain(req)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	b.Run("5-statements", func(b *testing.B) {
		data := []byte(benchCase(b, "bench: identity-5").IdentityPolicies[0])
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := policy.Parse(data, policy.Identity); err != nil {
				b.Fatal(err)
			}
		}
	})
}
