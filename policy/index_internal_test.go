package policy

import (
	"fmt"
	"math/rand"
	"slices"
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
		doc := randomPolicy(rng, n, 6, 10, func() string {
			svc := pick(services)
			if rng.Intn(12) == 0 {
				svc = "s*"
			}
			if rng.Intn(20) == 0 {
				return "*"
			}
			return svc + ":" + pick(actions)
		}, func() ([]string, bool) {
			res := []string{pick(resources)}
			if rng.Intn(3) == 0 {
				res = append(res, pick(resources))
			}
			return res, rng.Intn(10) == 0
		})
		indexed, err := ParseWithOptions([]byte(doc), Identity, Options{MaxSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		if indexed.byService == nil {
			t.Fatalf("a %d-statement policy was not indexed", n)
		}
		linear := *indexed
		linear.byService, linear.anyService, linear.resByService, linear.resAny = nil, nil, nil, nil
		linear.actions = actionTable{}
		for q := 0; q < 20; q++ {
			req := &Request{Principal: caller, Action: pick(services) + ":" + strings.ReplaceAll(strings.ReplaceAll(pick(actions), "*", "Object"), "?", "s"),
				Resource: strings.NewReplacer("*", "x", "?", "z", "${aws:username}", "alice").Replace(pick(resources)), Context: ctx}
			sameOutcome(t, indexed, &linear, req, doc)
		}
	}
}

// TestActionTable checks the statements the action table files under each
// literal action: a literal matches its own statement, the wildcard
// statements that cover it and the NotAction statements that do not name it,
// case-insensitively.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
func TestActionTable(t *testing.T) {
	p, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
		{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
		{"Effect":"Deny","NotAction":"S3:GETOBJECT","Resource":"*"},
		{"Effect":"Deny","NotAction":"iam:*","Resource":"*"},
		{"Effect":"Allow","Action":["iam:PassRole","s3:get?bject"],"Resource":"*"},
		{"Effect":"Allow","Action":"secretsmanager:DescribeSecretVersionStages","Resource":"*"}]}`), Identity)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		action string
		want   []int32
		named  bool
	}{
		{"s3:GetObject", []int32{0, 1, 3, 4}, true},
		{"S3:GETOBJECT", []int32{0, 1, 3, 4}, true},
		{"iam:PassRole", []int32{2, 4}, true},
		{"secretsmanager:describesecretversionstages", []int32{2, 3, 5}, true},
		{"secretsmanager:DescribeSecretVersionStage", nil, false}, // a prefix of a literal
		{"s3:GetObjectAcl", nil, false},                           // matched by wildcards only
		{"s3:GetObjec", nil, false},
		{"", nil, false},
	} {
		var words [8]uint64
		var buf [64]byte
		lower := lowerAction(&buf, &words, tc.action)
		got, named := p.actions.lookup(&words, len(lower))
		if named != tc.named || fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("lookup(%q) = %v, %v; want %v, %v", tc.action, got, named, tc.want, tc.named)
		}
	}
}

// TestActionTableMatchesScan checks the action table against the service
// mask scan: on random small policies and requests both must give the same
// decision, reason, decisive statement and matched statements.
func TestActionTableMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	actions := []string{"s3:GetObject", "S3:getobject", "s3:Get*", "s3:PutObject", "s3:*", "*", "iam:PassRole", "ec2:Describe*",
		"s3:Get?bject", "ec2:DescribeInstances", "EC2:DESCRIBEINSTANCES", "kms:Decrypt", "s*:GetObject",
		"dynamodb:BatchGetItemWithAVeryLongActionNameForTheThirdWord"}
	requests := []string{"s3:GetObject", "S3:GETOBJECT", "s3:PutObject", "s3:GetObjectAcl", "iam:PassRole", "ec2:DescribeInstances",
		"kms:Decrypt", "kms:Encrypt", "sqs:GetObject", "dynamodb:batchgetitemwithaverylongactionnameforthethirdword",
		"dynamodb:BatchGetItemWithAVeryLongActionNameForTheThirdWorm", "s3:" + strings.Repeat("x", 70), ""}
	pick := func(l []string) string { return l[rng.Intn(len(l))] }
	caller := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller})
	for round := 0; round < 300; round++ {
		n := 1 + rng.Intn(indexThreshold)
		doc := randomPolicy(rng, n, 4, 6, func() string { return pick(actions) },
			func() ([]string, bool) { return []string{"*"}, false })
		tabled, err := Parse([]byte(doc), Identity)
		if err != nil {
			t.Fatal(err)
		}
		scanned := *tabled
		scanned.actions = actionTable{}
		for _, action := range requests {
			req := &Request{Principal: caller, Action: action, Resource: "arn:aws:s3:::b/k", Context: ctx}
			sameOutcome(t, tabled, &scanned, req, doc)
		}
	}
}

// randomPolicy returns an identity policy of n statements: each a Deny with
// odds 1 in deny, using NotAction with odds 1 in notAction, naming one to
// three actions from action and the resources from resource (NotResource
// when it says so).
func randomPolicy(rng *rand.Rand, n, deny, notAction int, action func() string, resource func() ([]string, bool)) string {
	quoted := func(l []string) string {
		q := make([]string, len(l))
		for i, s := range l {
			q[i] = fmt.Sprintf("%q", s)
		}
		return strings.Join(q, ",")
	}
	stmts := make([]string, n)
	for i := range stmts {
		effect, actionKey, resKey := "Allow", "Action", "Resource"
		if rng.Intn(deny) == 0 {
			effect = "Deny"
		}
		if rng.Intn(notAction) == 0 {
			actionKey = "NotAction"
		}
		var acts []string
		for k := 0; k <= rng.Intn(3); k++ {
			acts = append(acts, action())
		}
		res, not := resource()
		if not {
			resKey = "NotResource"
		}
		stmts[i] = fmt.Sprintf(`{"Effect":%q,%q:[%s],%q:[%s]}`, effect, actionKey, quoted(acts), resKey, quoted(res))
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

// sameOutcome checks that a fast path (got) and the plain scan (want) of
// the same policy decide req alike: the decision, reason and decisive
// statement of Evaluate, and the statements Explain matched, in order.
func sameOutcome(t *testing.T, got, want *Policy, req *Request, doc string) {
	t.Helper()
	g := (&Set{Identity: []*Policy{got}}).Evaluate(req)
	w := (&Set{Identity: []*Policy{want}}).Evaluate(req)
	g.Statement.Policy, w.Statement.Policy = nil, nil
	if g != w {
		t.Fatalf("fast path %+v != scan %+v for %q on %s in\n%s", g, w, req.Action, req.Resource, doc)
	}
	indexes := func(ms []StatementMatch) []int {
		out := make([]int, len(ms))
		for i, m := range ms {
			out[i] = m.Index
		}
		return out
	}
	gm := indexes((&Set{Identity: []*Policy{got}}).Explain(req).Matched)
	wm := indexes((&Set{Identity: []*Policy{want}}).Explain(req).Matched)
	if !slices.Equal(gm, wm) {
		t.Fatalf("Explain matched %v on the fast path, %v by scan, for %q on %s in\n%s", gm, wm, req.Action, req.Resource, doc)
	}
}

// FuzzActionTable checks the action table against the service mask scan on
// any policy and action: the decision, decisive statement and Explain's
// matches must agree.
func FuzzActionTable(f *testing.F) {
	for _, s := range []struct{ policy, action string }{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"*"},{"Effect":"Deny","NotAction":"s3:getobject","Resource":"*"}]}`, "S3:GetObject"},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, ""},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:BatchGetItemWithAVeryLongActionNameForTheThirdWord","Resource":"*"}}`, "dynamodb:batchgetitemwithaverylongactionnameforthethirdword"},
		{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:PassRole","s3:get?bject"],"Resource":"*"}}`, "s3:getobject"},
	} {
		f.Add(s.policy, s.action)
	}
	caller := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller})
	f.Fuzz(func(t *testing.T, doc, action string) {
		p, err := ParseWithOptions([]byte(doc), Identity, Options{MaxSize: -1})
		if err != nil {
			return
		}
		scanned := *p
		scanned.actions = actionTable{}
		sameOutcome(t, p, &scanned, &Request{Principal: caller, Action: action, Resource: "arn:aws:s3:::b/k", Context: ctx}, doc)
	})
}
