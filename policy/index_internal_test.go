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
		linear.actions = actionTable{}
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
		var b strings.Builder
		b.WriteString(`{"Version":"2012-10-17","Statement":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			effect := "Allow"
			if rng.Intn(4) == 0 {
				effect = "Deny"
			}
			actionKey := "Action"
			if rng.Intn(6) == 0 {
				actionKey = "NotAction"
			}
			var acts []string
			for k := 0; k <= rng.Intn(3); k++ {
				acts = append(acts, fmt.Sprintf("%q", pick(actions)))
			}
			fmt.Fprintf(&b, `{"Effect":%q,%q:[%s],"Resource":"*"}`, effect, actionKey, strings.Join(acts, ","))
		}
		b.WriteString(`]}`)
		tabled, err := Parse([]byte(b.String()), Identity)
		if err != nil {
			t.Fatal(err)
		}
		scanned := *tabled
		scanned.actions = actionTable{}
		for _, action := range requests {
			req := &Request{Principal: caller, Action: action, Resource: "arn:aws:s3:::b/k", Context: ctx}
			got := (&Set{Identity: []*Policy{tabled}}).Evaluate(req)
			want := (&Set{Identity: []*Policy{&scanned}}).Evaluate(req)
			got.Statement.Policy, want.Statement.Policy = nil, nil
			if got != want {
				t.Fatalf("table %+v != scan %+v for %s in\n%s", got, want, action, b.String())
			}
			ge := (&Set{Identity: []*Policy{tabled}}).Explain(req)
			le := (&Set{Identity: []*Policy{&scanned}}).Explain(req)
			if fmt.Sprint(indexes(ge.Matched)) != fmt.Sprint(indexes(le.Matched)) {
				t.Fatalf("Explain matched %v with the table, %v by scan, for %s in\n%s", indexes(ge.Matched), indexes(le.Matched), action, b.String())
			}
		}
	}
}

func indexes(refs []StatementMatch) []int {
	out := make([]int, len(refs))
	for i, r := range refs {
		out[i] = r.Index
	}
	return out
}

// FuzzActionTable checks the action table against the service mask scan on
// any policy and action: the decision and decisive statement must agree.
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
		req := &Request{Principal: caller, Action: action, Resource: "arn:aws:s3:::b/k", Context: ctx}
		got := (&Set{Identity: []*Policy{p}}).Evaluate(req)
		want := (&Set{Identity: []*Policy{&scanned}}).Evaluate(req)
		got.Statement.Policy, want.Statement.Policy = nil, nil
		if got != want {
			t.Fatalf("table %+v != scan %+v for %q", got, want, action)
		}
	})
}
