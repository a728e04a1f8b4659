package bench

import (
	"fmt"
	"testing"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// TestEnginesAgree runs every scenario's requests through every engine and
// compares each decision with the one AWS's evaluation logic gives.
func TestEnginesAgree(t *testing.T) {
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			for _, e := range Engines() {
				c, err := e.Compile(&s)
				if err != nil {
					t.Fatalf("%s: Compile: %v", e.Name(), err)
				}
				for _, r := range s.Requests {
					d, err := c.Prepare(&r)
					if err != nil {
						t.Fatalf("%s: %s: Prepare: %v", e.Name(), r.Name, err)
					}
					got, err := d.Decide()
					if err != nil {
						t.Errorf("%s: %s: Decide: %v", e.Name(), r.Name, err)
					} else if got != r.Want {
						t.Errorf("%s: %s: got %v, want %v", e.Name(), r.Name, got, r.Want)
					}
				}
			}
		})
	}
}

// TestStatementsNTarget checks that the timed statements-N request is allowed
// by statement N-2 and by no other.
func TestStatementsNTarget(t *testing.T) {
	for _, n := range StatementCounts {
		s := statementsN(n)
		set, err := parseSet(&s)
		if err != nil {
			t.Fatal(err)
		}
		if got := set.Identity[0].Len(); got != n {
			t.Errorf("statements-%d has %d statements", n, got)
		}
		c := &iamkitCompiled{set: set}
		d, err := c.Prepare(&s.Requests[0])
		if err != nil {
			t.Fatal(err)
		}
		req := &d.(*iamkitDecider).req
		if ex := set.Explain(req); ex.Decision != policy.Allowed || len(ex.Matched) != 1 || ex.Matched[0].Index != n-2 {
			t.Errorf("statements-%d: %v, matched %v; want allowed by Statement[%d] only", n, ex.Decision, ex.Matched, n-2)
		}
	}
}

func BenchmarkEngines(b *testing.B) {
	for _, s := range Scenarios() {
		b.Run(s.Name, func(b *testing.B) {
			for _, e := range Engines() {
				b.Run(e.Name(), func(b *testing.B) {
					c, err := e.Compile(&s)
					if err != nil {
						b.Fatal(err)
					}
					r := &s.Requests[0]
					b.ReportAllocs()
					if s.FromStrings {
						for b.Loop() {
							d, err := c.Prepare(r)
							if err != nil {
								b.Fatal(err)
							}
							if got, err := d.Decide(); err != nil || got != r.Want {
								b.Fatalf("got %v, %v; want %v", got, err, r.Want)
							}
						}
						return
					}
					d, err := c.Prepare(r)
					if err != nil {
						b.Fatal(err)
					}
					for b.Loop() {
						if got, err := d.Decide(); err != nil || got != r.Want {
							b.Fatalf("got %v, %v; want %v", got, err, r.Want)
						}
					}
				})
			}
		})
	}
}

// BenchmarkParse measures iamkit's Parse (parse, validate, compile) of a
// typical identity policy of about 2 KB.
func BenchmarkParse(b *testing.B) {
	data := []byte(typicalPolicy)
	if _, err := policy.Parse(data, policy.Identity); err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("iamkit-%dB", len(data)), func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := policy.Parse(data, policy.Identity); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "policies/s")
	})
}

// BenchmarkIamkitFromStringsSetCaller is from-strings/iamkit plus
// Context.SetCaller, which README.md's usage calls and which fills the
// caller's global keys (aws:PrincipalArn, aws:PrincipalAccount, ...). The
// Cedar and OPA translations build no such keys, so the comparison leaves it
// out; this shows its cost.
func BenchmarkIamkitFromStringsSetCaller(b *testing.B) {
	s := Scenarios()[len(Scenarios())-1]
	if !s.FromStrings {
		b.Fatal("last scenario is not from-strings")
	}
	set, err := parseSet(&s)
	if err != nil {
		b.Fatal(err)
	}
	r := &s.Requests[0]
	b.ReportAllocs()
	for b.Loop() {
		p, err := principal.Parse(r.Principal)
		if err != nil {
			b.Fatal(err)
		}
		ctx := condition.NewContext()
		ctx.SetCaller(condition.Caller{Principal: p})
		for k, v := range r.Context {
			ctx.Set(k, v)
		}
		req := &policy.Request{Principal: p, Action: r.Action, Resource: r.Resource, Context: ctx}
		if set.Evaluate(req).Decision != r.Want {
			b.Fatal("unexpected decision")
		}
	}
}
