package policy_test

import (
	"sync"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// TestEvaluateNoAllocs proves the hot path allocates nothing once the
// policies are compiled and the request context is built.
func TestEvaluateNoAllocs(t *testing.T) {
	for _, name := range []string{"bench: identity-5", "bench: full-set"} {
		t.Run(name, func(t *testing.T) {
			c := benchCase(t, name)
			set, req := c.build(t)
			var res policy.Result
			allocs := testing.AllocsPerRun(100, func() { res = set.Evaluate(req) })
			if allocs != 0 {
				t.Errorf("Set.Evaluate allocates %v times per call, want 0", allocs)
			}
			if want := decisionNames[c.Expect.Decision]; res.Decision != want {
				t.Errorf("Set.Evaluate = %s, want %s", res.Decision, want)
			}
		})
	}
}

// TestEvaluateConcurrent evaluates requests against one shared Set from many
// goroutines (run it with -race) and checks that every answer agrees with
// the sequential one.
func TestEvaluateConcurrent(t *testing.T) {
	c := benchCase(t, "bench: full-set")
	set, base := c.build(t)
	variants := []struct{ action, resource string }{
		{base.Action, base.Resource},
		{"s3:DeleteBucket", "arn:aws:s3:::app-data"},
		{"iam:CreateUser", "arn:aws:iam::111122223333:user/mallory"},
		{"sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:111122223333:orders"},
		{"ec2:RunInstances", "*"},
		{"sts:GetCallerIdentity", "*"},
	}
	reqs := make([]*policy.Request, len(variants))
	want := make([]policy.Result, len(variants))
	for i, v := range variants {
		r := *base
		r.Action, r.Resource = v.action, v.resource
		reqs[i] = &r
		want[i] = set.Evaluate(&r)
	}
	// The variants should not all agree, or the test proves little.
	seen := map[policy.Decision]bool{}
	for _, w := range want {
		seen[w.Decision] = true
	}
	if len(seen) != 3 {
		t.Fatalf("variants cover decisions %v, want all three", seen)
	}

	const goroutines, rounds = 8, 200
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < rounds; n++ {
				i := (g + n) % len(reqs)
				if got := set.Evaluate(reqs[i]); got != want[i] {
					t.Errorf("goroutine %d: Evaluate(%s) = %+v, want %+v", g, variants[i].action, got, want[i])
					return
				}
				if n%20 == 0 {
					if got := set.Explain(reqs[i]); got.Decision != want[i].Decision || got.Reason != want[i].Reason {
						t.Errorf("goroutine %d: Explain(%s) = %s, want %s", g, variants[i].action, got, want[i].Reason)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
