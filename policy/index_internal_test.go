package policy

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

// TestServiceIndexMatchesLinearScan checks the fast path that visits only
// the statements of the request's service: on random policies and requests
// it must give exactly the decision, reason and decisive statement of a
// plain scan of every statement.
func TestServiceIndexMatchesLinearScan(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	services := []string{"s3", "ec2", "iam", "sts", "kms", "sqs", "S3", "Ec2"}
	actions := []string{"Get*", "PutObject", "Describe*", "*", "List?", "DeleteObject", "AssumeRole", "Decrypt"}
	resources := []string{"*", "arn:aws:s3:::b/*", "arn:aws:s3:::c/*", "arn:aws:kms:*:111122223333:key/*", "arn:aws:iam::111122223333:role/*",
		"arn:aws:s3:::b/x", "arn:aws:s3:::b/x/*", "arn:aws:s3:::b/x/y?", "arn:aws:s3:::bb/*", "arn:aws:iam::111122223333:role/x",
		"arn:aws:kms:us-east-1:111122223333:key/x", "arn:aws:s3:::b/${aws:username}/*"}
	// Nested prefixes of one resource, more than a merge can hold, so the
	// fallback to the service-level lists is exercised too.
	for d := 1; d <= maxMergeLists+2; d++ {
		resources = append(resources, "arn:aws:s3:::deep/"+strings.Repeat("d/", d)+"*")
	}
	pick := func(l []string) string { return l[rng.Intn(len(l))] }
	caller := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller})
	for round := 0; round < 400; round++ {
		n := indexThreshold + 1 + rng.Intn(40)
		var b strings.Builder
		b.WriteString(`{"Version":"2012-10-17","Statement":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			effect := "Allow"
			if rng.Intn(6) == 0 {
				effect = "Deny"
			}
			actionKey := "Action"
			if rng.Intn(10) == 0 {
				actionKey = "NotAction"
			}
			var acts []string
			for k := 0; k <= rng.Intn(3); k++ {
				svc := pick(services)
				if rng.Intn(12) == 0 {
					svc = "s*"
				}
				a := svc + ":" + pick(actions)
				if rng.Intn(20) == 0 {
					a = "*"
				}
				acts = append(acts, fmt.Sprintf("%q", a))
			}
			resKey := "Resource"
			if rng.Intn(10) == 0 {
				resKey = "NotResource"
			}
			res := []string{fmt.Sprintf("%q", pick(resources))}
			if rng.Intn(3) == 0 {
				res = append(res, fmt.Sprintf("%q", pick(resources)))
			}
			fmt.Fprintf(&b, `{"Effect":%q,%q:[%s],%q:[%s]}`, effect, actionKey, strings.Join(acts, ","), resKey, strings.Join(res, ","))
		}
		b.WriteString(`]}`)
		indexed, err := ParseWithOptions([]byte(b.String()), Identity, Options{MaxSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		if indexed.byService == nil {
			t.Fatalf("a %d-statement policy was not indexed", n)
		}
		linear := *indexed
		linear.byService, linear.anyService, linear.resByService, linear.resAny = nil, nil, nil, nil
		for q := 0; q < 20; q++ {
			req := &Request{Principal: caller, Action: pick(services) + ":" + strings.ReplaceAll(strings.ReplaceAll(pick(actions), "*", "Object"), "?", "s"),
				Resource: strings.NewReplacer("*", "x", "?", "z", "${aws:username}", "alice").Replace(pick(resources)), Context: ctx}
			got := (&Set{Identity: []*Policy{indexed}}).Evaluate(req)
			want := (&Set{Identity: []*Policy{&linear}}).Evaluate(req)
			got.Statement.Policy, want.Statement.Policy = nil, nil
			if got != want {
				t.Fatalf("indexed %+v != linear %+v for %s on %s in\n%s", got, want, req.Action, req.Resource, b.String())
			}
			ge := (&Set{Identity: []*Policy{indexed}}).Explain(req)
			le := (&Set{Identity: []*Policy{&linear}}).Explain(req)
			if len(ge.Matched) != len(le.Matched) {
				t.Fatalf("Explain matched %d statements indexed, %d linear", len(ge.Matched), len(le.Matched))
			}
			for i := range ge.Matched {
				if ge.Matched[i].Index != le.Matched[i].Index {
					t.Fatalf("Explain order differs at %d: %d vs %d", i, ge.Matched[i].Index, le.Matched[i].Index)
				}
			}
		}
	}
}
