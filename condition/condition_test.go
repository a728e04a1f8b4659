package condition

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The AWS pages each expected answer comes from.
const (
	docOperators = "reference_policies_elements_condition_operators.html"
	docMulti     = "reference_policies_multi-value-conditions.html"
	docVariables = "reference_policies_variables.html"
	docKeys      = "reference_policies_condition-keys.html"
	docLogic     = "reference_policies_elements_condition_logic_multiple_context_keys_or_values.html"
)

// evalCase is one condition evaluated against one request context.
type evalCase struct {
	name        string
	doc         string // the AWS page the expected answer comes from
	op, key     string
	values      []string  // string literals
	lits        []Literal // used instead of values when non-nil
	novars      bool      // compile with Variables off
	ctx         func(*Context)
	want        bool
	wantMissing bool
}

func runEvalCases(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lits := tc.lits
			if lits == nil {
				for _, v := range tc.values {
					lits = append(lits, Literal{Text: v})
				}
			}
			c, err := Compile(tc.op, tc.key, lits, CompileOptions{Variables: !tc.novars})
			if err != nil {
				t.Fatalf("Compile(%q, %q, %v): %v (see %s)", tc.op, tc.key, lits, err, tc.doc)
			}
			ctx := NewContext()
			if tc.ctx != nil {
				tc.ctx(ctx)
			}
			got, missing := c.Eval(ctx)
			if got != tc.want || missing != tc.wantMissing {
				t.Errorf("%s %s %v: Eval = (%v, missing %v), want (%v, missing %v) per %s",
					tc.op, tc.key, tc.values, got, missing, tc.want, tc.wantMissing, tc.doc)
			}
		})
	}
}

func set(key string, values ...string) func(*Context) {
	return func(c *Context) { c.Set(key, values...) }
}

func list(key string, values ...string) func(*Context) {
	return func(c *Context) { c.SetList(key, values) }
}

func with(fs ...func(*Context)) func(*Context) {
	return func(c *Context) {
		for _, f := range fs {
			f(c)
		}
	}
}

func TestOperators(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "StringEquals/match", doc: docOperators, op: "StringEquals", key: "aws:PrincipalTag/job-category", values: []string{"iamuser-admin"},
			ctx: set("aws:PrincipalTag/job-category", "iamuser-admin"), want: true},
		{name: "StringEquals/value is case-sensitive", doc: docOperators, op: "StringEquals", key: "aws:PrincipalTag/job-category", values: []string{"iamuser-admin"},
			ctx: set("aws:PrincipalTag/job-category", "IAMUser-Admin"), want: false},
		{name: "StringEquals/no wildcards", doc: docOperators, op: "StringEquals", key: "s3:prefix", values: []string{"home/*"},
			ctx: set("s3:prefix", "home/x"), want: false},
		{name: "StringEquals/JSON number literal compared as text", doc: docOperators, op: "StringEquals", key: "s3:max-keys", lits: []Literal{{Text: "10", Kind: LiteralNumber}},
			ctx: set("s3:max-keys", "10"), want: true},
		{name: "StringEquals/JSON bool literal compared as text", doc: docOperators, op: "StringEquals", key: "aws:SecureTransport", lits: []Literal{{Text: "true", Kind: LiteralBool}},
			ctx: set("aws:SecureTransport", "true"), want: true},
		{name: "StringNotEquals/different", doc: docOperators, op: "StringNotEquals", key: "aws:PrincipalTag/dept", values: []string{"finance"},
			ctx: set("aws:PrincipalTag/dept", "sales"), want: true},
		{name: "StringNotEquals/same", doc: docOperators, op: "StringNotEquals", key: "aws:PrincipalTag/dept", values: []string{"finance"},
			ctx: set("aws:PrincipalTag/dept", "finance"), want: false},
		{name: "StringEqualsIgnoreCase", doc: docOperators, op: "StringEqualsIgnoreCase", key: "aws:PrincipalTag/job-category", values: []string{"IAMUser-Admin"},
			ctx: set("aws:PrincipalTag/job-category", "iamuser-admin"), want: true},
		{name: "StringEqualsIgnoreCase/unicode", doc: docOperators, op: "StringEqualsIgnoreCase", key: "k", values: []string{"ÉCOLE"},
			ctx: set("k", "école"), want: true},
		{name: "StringEqualsIgnoreCase/different", doc: docOperators, op: "StringEqualsIgnoreCase", key: "k", values: []string{"abc"},
			ctx: set("k", "abd"), want: false},
		{name: "StringNotEqualsIgnoreCase/same but case", doc: docOperators, op: "StringNotEqualsIgnoreCase", key: "k", values: []string{"ABC"},
			ctx: set("k", "abc"), want: false},
		{name: "StringLike/prefix", doc: docOperators, op: "StringLike", key: "s3:prefix", values: []string{"", "home/", "home/${aws:username}/*"},
			ctx: with(set("aws:username", "johndoe"), set("s3:prefix", "home/johndoe/docs/a.txt")), want: true},
		{name: "StringLike/empty value", doc: docOperators, op: "StringLike", key: "s3:prefix", values: []string{"", "home/", "home/${aws:username}/*"},
			ctx: with(set("aws:username", "johndoe"), set("s3:prefix", "")), want: true},
		{name: "StringLike/other user", doc: docOperators, op: "StringLike", key: "s3:prefix", values: []string{"", "home/", "home/${aws:username}/*"},
			ctx: with(set("aws:username", "johndoe"), set("s3:prefix", "home/jane/a.txt")), want: false},
		{name: "StringLike/question mark is one character", doc: docOperators, op: "StringLike", key: "k", values: []string{"a?c"},
			ctx: set("k", "abc"), want: true},
		{name: "StringLike/question mark needs a character", doc: docOperators, op: "StringLike", key: "k", values: []string{"a?c"},
			ctx: set("k", "ac"), want: false},
		{name: "StringLike/question mark is one rune", doc: docOperators, op: "StringLike", key: "k", values: []string{"caf?"},
			ctx: set("k", "café"), want: true},
		{name: "StringNotLike", doc: docOperators, op: "StringNotLike", key: "k", values: []string{"t2.*"},
			ctx: set("k", "m5.large"), want: true},
		{name: "NumericLessThanEquals/equal", doc: docOperators, op: "NumericLessThanEquals", key: "s3:max-keys", values: []string{"10"},
			ctx: set("s3:max-keys", "10"), want: true},
		{name: "NumericLessThanEquals/greater", doc: docOperators, op: "NumericLessThanEquals", key: "s3:max-keys", values: []string{"10"},
			ctx: set("s3:max-keys", "11"), want: false},
		{name: "NumericLessThan", doc: docOperators, op: "NumericLessThan", key: "n", values: []string{"10"}, ctx: set("n", "9.5"), want: true},
		{name: "NumericGreaterThan/number literal", doc: docOperators, op: "NumericGreaterThan", key: "n", lits: []Literal{{Text: "1.5", Kind: LiteralNumber}},
			ctx: func(c *Context) { c.SetNumber("n", 2) }, want: true},
		{name: "NumericGreaterThanEquals", doc: docOperators, op: "NumericGreaterThanEquals", key: "n", values: []string{"-3"}, ctx: set("n", "-3"), want: true},
		{name: "NumericEquals/decimal", doc: docOperators, op: "NumericEquals", key: "n", values: []string{"1.50"}, ctx: set("n", "1.5"), want: true},
		{name: "NumericEquals/not a number", doc: docOperators, op: "NumericEquals", key: "n", values: []string{"1"}, ctx: set("n", "abc"), want: false},
		{name: "NumericNotEquals", doc: docOperators, op: "NumericNotEquals", key: "n", values: []string{"1"}, ctx: set("n", "2"), want: true},
		{name: "DateGreaterThan", doc: docOperators, op: "DateGreaterThan", key: "aws:TokenIssueTime", values: []string{"2020-01-01T00:00:01Z"},
			ctx: func(c *Context) { c.SetTime("aws:TokenIssueTime", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)) }, want: true},
		{name: "DateGreaterThan/earlier", doc: docOperators, op: "DateGreaterThan", key: "aws:TokenIssueTime", values: []string{"2020-01-01T00:00:01Z"},
			ctx: set("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), want: false},
		{name: "Bool/true", doc: docOperators, op: "Bool", key: "aws:SecureTransport", values: []string{"true"},
			ctx: func(c *Context) { c.SetBool("aws:SecureTransport", true) }, want: true},
		{name: "Bool/false", doc: docOperators, op: "Bool", key: "aws:SecureTransport", values: []string{"true"},
			ctx: func(c *Context) { c.SetBool("aws:SecureTransport", false) }, want: false},
		{name: "Bool/JSON literal", doc: docOperators, op: "Bool", key: "aws:MultiFactorAuthPresent", lits: []Literal{{Text: "false", Kind: LiteralBool}},
			ctx: set("aws:MultiFactorAuthPresent", "false"), want: true},
		{name: "Bool/case-insensitive", doc: docOperators, op: "Bool", key: "aws:SecureTransport", values: []string{"TRUE"},
			ctx: set("aws:SecureTransport", "True"), want: true},
		{name: "Bool/not a boolean", doc: docOperators, op: "Bool", key: "aws:SecureTransport", values: []string{"true"},
			ctx: set("aws:SecureTransport", "yes"), want: false},
		{name: "BinaryEquals", doc: docOperators, op: "BinaryEquals", key: "key", values: []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
			ctx: func(c *Context) { c.SetBinary("key", []byte("BinaryValueInBase64")) }, want: true},
		{name: "BinaryEquals/different", doc: docOperators, op: "BinaryEquals", key: "key", values: []string{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
			ctx: func(c *Context) { c.SetBinary("key", []byte("other")) }, want: false},
		{name: "IpAddress", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"},
			ctx: set("aws:SourceIp", "203.0.113.5"), want: true},
		{name: "IpAddress/outside", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"},
			ctx: func(c *Context) { c.SetIP("aws:SourceIp", netip.MustParseAddr("198.51.100.1")) }, want: false},
		{name: "NotIpAddress", doc: docOperators, op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"},
			ctx: set("aws:SourceIp", "198.51.100.1"), want: true},
		{name: "ArnEquals", doc: docOperators, op: "ArnEquals", key: "aws:SourceArn", values: []string{"arn:aws:sns:us-east-1:123456789012:topic"},
			ctx: set("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:topic"), want: true},
		{name: "ArnEquals/wildcards per part", doc: docOperators, op: "ArnEquals", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:123456789012:*"},
			ctx: set("aws:SourceArn", "arn:aws:sns:eu-west-1:123456789012:topic"), want: true},
		{name: "ArnLike", doc: docOperators, op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:s3:::amzn-s3-demo-bucket/*"},
			ctx: set("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket/a/b:c"), want: true},
		{name: "ArnLike/case-sensitive", doc: docOperators, op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:iam::123456789012:role/Admin"},
			ctx: set("aws:SourceArn", "arn:aws:iam::123456789012:role/admin"), want: false},
		{name: "ArnNotLike", doc: docOperators, op: "ArnNotLike", key: "aws:PrincipalArn", values: []string{"arn:aws:iam::*:role/Admin*"},
			ctx: set("aws:PrincipalArn", "arn:aws:iam::123456789012:role/Dev"), want: true},
		{name: "ArnNotEquals/match", doc: docOperators, op: "ArnNotEquals", key: "aws:PrincipalArn", values: []string{"arn:aws:iam::*:role/Admin*"},
			ctx: set("aws:PrincipalArn", "arn:aws:iam::123456789012:role/Admin1"), want: false},
		{name: "ArnLike/not an ARN", doc: docOperators, op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:s3:::*"},
			ctx: set("aws:SourceArn", "bucket"), want: false},
	})
}

func TestNegatedOperatorsMatchNone(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "StringNotEquals/one matches", doc: docLogic, op: "StringNotEquals", key: "aws:PrincipalTag/team", values: []string{"a", "b"},
			ctx: set("aws:PrincipalTag/team", "b"), want: false},
		{name: "StringNotEquals/none match", doc: docLogic, op: "StringNotEquals", key: "aws:PrincipalTag/team", values: []string{"a", "b"},
			ctx: set("aws:PrincipalTag/team", "c"), want: true},
		{name: "StringNotLike/one matches", doc: docLogic, op: "StringNotLike", key: "k", values: []string{"x*", "y*"},
			ctx: set("k", "yes"), want: false},
		{name: "StringNotEqualsIgnoreCase/one matches", doc: docLogic, op: "StringNotEqualsIgnoreCase", key: "k", values: []string{"A", "B"},
			ctx: set("k", "b"), want: false},
		{name: "NumericNotEquals/one matches", doc: docLogic, op: "NumericNotEquals", key: "n", values: []string{"1", "2"},
			ctx: set("n", "2"), want: false},
		{name: "NumericNotEquals/none match", doc: docLogic, op: "NumericNotEquals", key: "n", values: []string{"1", "2"},
			ctx: set("n", "3"), want: true},
		{name: "DateNotEquals/one matches", doc: docLogic, op: "DateNotEquals", key: "d", values: []string{"2020-01-01", "2021-01-01"},
			ctx: set("d", "2021-01-01T00:00:00Z"), want: false},
		{name: "NotIpAddress/one matches", doc: docLogic, op: "NotIpAddress", key: "aws:SourceIp", values: []string{"192.0.2.0/24", "203.0.113.0/24"},
			ctx: set("aws:SourceIp", "203.0.113.5"), want: false},
		{name: "NotIpAddress/none match", doc: docLogic, op: "NotIpAddress", key: "aws:SourceIp", values: []string{"192.0.2.0/24", "203.0.113.0/24"},
			ctx: set("aws:SourceIp", "198.51.100.1"), want: true},
		{name: "ArnNotLike/one matches", doc: docLogic, op: "ArnNotLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:111122223333:*", "arn:aws:sns:*:123456789012:*"},
			ctx: set("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), want: false},
		{name: "ArnNotEquals/none match", doc: docLogic, op: "ArnNotEquals", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:111122223333:*", "arn:aws:sns:*:444455556666:*"},
			ctx: set("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t"), want: true},
		{name: "positive operator ORs values", doc: docLogic, op: "StringEquals", key: "aws:PrincipalTag/team", values: []string{"a", "b"},
			ctx: set("aws:PrincipalTag/team", "b"), want: true},
		// Documented choice: an unreadable value matches no policy value.
		{name: "NotIpAddress/not an IP", doc: docOperators, op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"},
			ctx: set("aws:SourceIp", "x"), want: true},
	})
}

func TestMissingKeys(t *testing.T) {
	ops := []struct {
		op    string
		value string
		want  bool
	}{
		{"StringEquals", "a", false},
		{"StringNotEquals", "a", true},
		{"StringEqualsIgnoreCase", "a", false},
		{"StringNotEqualsIgnoreCase", "a", true},
		{"StringLike", "*", false},
		{"StringNotLike", "a*", true},
		{"NumericEquals", "1", false},
		{"NumericNotEquals", "1", true},
		{"NumericLessThan", "1", false},
		{"DateEquals", "2020-01-01", false},
		{"DateNotEquals", "2020-01-01", true},
		{"DateGreaterThan", "2020-01-01", false},
		{"Bool", "false", false},
		{"BinaryEquals", "YQ==", false},
		{"IpAddress", "0.0.0.0/0", false},
		{"NotIpAddress", "10.0.0.0/8", true},
		{"ArnEquals", "*", false},
		{"ArnLike", "arn:aws:iam::*:*", false},
		{"ArnNotEquals", "arn:aws:iam::*:*", true},
		{"ArnNotLike", "arn:aws:iam::*:*", true},
	}
	var cases []evalCase
	for _, o := range ops {
		cases = append(cases, evalCase{name: o.op, doc: docOperators, op: o.op, key: "absent:Key", values: []string{o.value},
			ctx: set("other", "a"), want: o.want, wantMissing: true})
	}
	cases = append(cases,
		evalCase{name: "nil-equivalent empty context", doc: docOperators, op: "StringEquals", key: "k", values: []string{"a"}, want: false, wantMissing: true},
		evalCase{name: "Null true: absent", doc: docOperators, op: "Null", key: "aws:TokenIssueTime", values: []string{"true"}, want: true},
		evalCase{name: "Null true: present", doc: docOperators, op: "Null", key: "aws:TokenIssueTime", values: []string{"true"},
			ctx: set("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), want: false},
		evalCase{name: "Null false: absent", doc: docOperators, op: "Null", key: "aws:TokenIssueTime", lits: []Literal{{Text: "false", Kind: LiteralBool}}, want: false},
		evalCase{name: "Null false: present", doc: docOperators, op: "Null", key: "aws:TokenIssueTime", values: []string{"false"},
			ctx: set("aws:TokenIssueTime", "2020-01-01T00:00:00Z"), want: true},
		evalCase{name: "Null false: empty list counts as null", doc: docMulti, op: "Null", key: "aws:TagKeys", values: []string{"false"},
			ctx: list("aws:TagKeys"), want: false},
		evalCase{name: "Null false: empty string is present", doc: docOperators, op: "Null", key: "s3:prefix", values: []string{"false"},
			ctx: set("s3:prefix", ""), want: true},
	)
	runEvalCases(t, cases)

	c, err := Compile("StringNotEquals", "k", []Literal{{Text: "a"}}, CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, missing := c.Eval(nil); !ok || !missing {
		t.Errorf("Eval(nil) = %v, %v; want true, true (%s)", ok, missing, docOperators)
	}
}

func TestIfExists(t *testing.T) {
	types := []string{"t1.*", "t2.*", "m3.*"}
	runEvalCases(t, []evalCase{
		{name: "absent", doc: docOperators, op: "StringLikeIfExists", key: "ec2:InstanceType", values: types, want: true, wantMissing: true},
		{name: "present matching", doc: docOperators, op: "StringLikeIfExists", key: "ec2:InstanceType", values: types,
			ctx: set("ec2:InstanceType", "t2.micro"), want: true},
		{name: "present not matching", doc: docOperators, op: "StringLikeIfExists", key: "ec2:InstanceType", values: types,
			ctx: set("ec2:InstanceType", "m5.large"), want: false},
		{name: "negated absent", doc: docOperators, op: "NotIpAddressIfExists", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, want: true, wantMissing: true},
		{name: "negated present matching", doc: docOperators, op: "NotIpAddressIfExists", key: "aws:SourceIp", values: []string{"203.0.113.0/24"},
			ctx: set("aws:SourceIp", "203.0.113.9"), want: false},
		{name: "numeric absent", doc: docOperators, op: "NumericLessThanIfExists", key: "n", values: []string{"5"}, want: true, wantMissing: true},
		{name: "bool absent", doc: docOperators, op: "BoolIfExists", key: "aws:MultiFactorAuthPresent", values: []string{"true"}, want: true, wantMissing: true},
		{name: "bool present false", doc: docOperators, op: "BoolIfExists", key: "aws:MultiFactorAuthPresent", values: []string{"true"},
			ctx: func(c *Context) { c.SetBool("aws:MultiFactorAuthPresent", false) }, want: false},
		{name: "ForAnyValue absent", doc: docMulti, op: "ForAnyValue:StringEqualsIfExists", key: "aws:TagKeys", values: []string{"a"}, want: true, wantMissing: true},
		{name: "ForAnyValue present", doc: docMulti, op: "ForAnyValue:StringEqualsIfExists", key: "aws:TagKeys", values: []string{"a"},
			ctx: list("aws:TagKeys", "b"), want: false},
	})
}

func TestSetOperators(t *testing.T) {
	envCost := []string{"environment", "cost-center"}
	runEvalCases(t, []evalCase{
		{name: "ForAllValues/all in set", doc: docMulti, op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys", "environment", "cost-center"), want: true},
		{name: "ForAllValues/subset", doc: docMulti, op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys", "environment"), want: true},
		{name: "ForAllValues/one outside", doc: docMulti, op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys", "environment", "dept"), want: false},
		{name: "ForAllValues/missing", doc: docMulti, op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: envCost,
			want: true, wantMissing: true},
		{name: "ForAllValues/empty list", doc: docMulti, op: "ForAllValues:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys"), want: true},
		{name: "ForAllValues/StringLike", doc: docMulti, op: "ForAllValues:StringLike", key: "aws:TagKeys", values: []string{"Created*"},
			ctx: list("aws:TagKeys", "CreatedBy", "CreatedAt"), want: true},
		{name: "ForAnyValue/one in set", doc: docMulti, op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys", "dept", "environment"), want: true},
		{name: "ForAnyValue/none in set", doc: docMulti, op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys", "dept"), want: false},
		{name: "ForAnyValue/missing", doc: docMulti, op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: envCost,
			want: false, wantMissing: true},
		{name: "ForAnyValue/empty list", doc: docMulti, op: "ForAnyValue:StringEquals", key: "aws:TagKeys", values: envCost,
			ctx: list("aws:TagKeys"), want: false},
		{name: "ForAllValues:StringNotLike/key1 prefix", doc: docMulti, op: "ForAllValues:StringNotLike", key: "aws:TagKeys", values: []string{"key1*"},
			ctx: list("aws:TagKeys", "key1:legal"), want: false},
		{name: "ForAllValues:StringNotLike/two key1", doc: docMulti, op: "ForAllValues:StringNotLike", key: "aws:TagKeys", values: []string{"key1*"},
			ctx: list("aws:TagKeys", "key1:hr", "key1:personnel"), want: false},
		{name: "ForAllValues:StringNotLike/key2", doc: docMulti, op: "ForAllValues:StringNotLike", key: "aws:TagKeys", values: []string{"key1*"},
			ctx: list("aws:TagKeys", "key2:audit"), want: true},
		{name: "ForAllValues:StringNotLike/missing", doc: docMulti, op: "ForAllValues:StringNotLike", key: "aws:TagKeys", values: []string{"key1*"},
			want: true, wantMissing: true},
		{name: "ForAnyValue:StringNotEquals/one outside", doc: docMulti, op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"a", "b"},
			ctx: list("aws:TagKeys", "a", "c"), want: true},
		{name: "ForAnyValue:StringNotEquals/all inside", doc: docMulti, op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"a", "b"},
			ctx: list("aws:TagKeys", "a", "b"), want: false},
		{name: "ForAnyValue:StringNotEquals/missing", doc: docMulti, op: "ForAnyValue:StringNotEquals", key: "aws:TagKeys", values: []string{"a"},
			want: false, wantMissing: true},
		{name: "ForAnyValue:StringLike/org paths", doc: docKeys, op: "ForAnyValue:StringLike", key: "aws:PrincipalOrgPaths", values: []string{"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"},
			ctx: list("aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"), want: true},
		{name: "ForAllValues/single-valued key", doc: docMulti, op: "ForAllValues:StringEquals", key: "k", values: []string{"a"},
			ctx: set("k", "a"), want: true},
		{name: "ForAllValues:NumericLessThan", doc: docMulti, op: "ForAllValues:NumericLessThan", key: "n", values: []string{"10"},
			ctx: list("n", "1", "9", "12"), want: false},
		// Documented choice for multi-valued keys with plain operators.
		{name: "plain positive on list/any matches", doc: docMulti, op: "StringEquals", key: "aws:TagKeys", values: []string{"a"},
			ctx: list("aws:TagKeys", "b", "a"), want: true},
		{name: "plain negated on list/one matches", doc: docMulti, op: "StringNotEquals", key: "aws:TagKeys", values: []string{"a"},
			ctx: list("aws:TagKeys", "b", "a"), want: false},
		{name: "plain negated on list/none match", doc: docMulti, op: "StringNotEquals", key: "aws:TagKeys", values: []string{"a"},
			ctx: list("aws:TagKeys", "b", "c"), want: true},
		{name: "plain positive on empty list", doc: docMulti, op: "StringLike", key: "aws:TagKeys", values: []string{"*"},
			ctx: list("aws:TagKeys"), want: false},
	})
}

func TestKeysCaseInsensitive(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "tag part folded", doc: docKeys, op: "StringEquals", key: "aws:PrincipalTag/Team", values: []string{"blue"},
			ctx: set("aws:principaltag/team", "blue"), want: true},
		{name: "whole key folded", doc: docKeys, op: "StringEquals", key: "AWS:PRINCIPALTAG/TEAM", values: []string{"blue"},
			ctx: set("aws:PrincipalTag/team", "blue"), want: true},
		{name: "value not folded", doc: docKeys, op: "StringEquals", key: "aws:PrincipalTag/team", values: []string{"blue"},
			ctx: set("aws:PrincipalTag/Team", "Blue"), want: false},
		{name: "variable key folded", doc: docVariables, op: "StringEquals", key: "s3:prefix", values: []string{"${AWS:PrincipalTag/TEAM}"},
			ctx: with(set("aws:principaltag/team", "blue"), set("s3:prefix", "blue")), want: true},
	})
	c := NewContext()
	c.Set("aws:PrincipalTag/Team", "blue")
	for _, k := range []string{"aws:principaltag/team", "AWS:PRINCIPALTAG/TEAM", "aws:PrincipalTag/Team"} {
		v, ok := c.Lookup(k)
		if !ok {
			t.Errorf("Lookup(%q) not found (%s)", k, docKeys)
			continue
		}
		if s, _ := v.Single(); s != "blue" {
			t.Errorf("Lookup(%q) = %q, want blue", k, s)
		}
	}
}

func TestVariables(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "username", doc: docVariables, op: "StringEquals", key: "s3:prefix", values: []string{"home/${aws:username}"},
			ctx: with(set("aws:username", "alice"), set("s3:prefix", "home/alice")), want: true},
		{name: "principal tag", doc: docVariables, op: "StringEquals", key: "aws:ResourceTag/project", values: []string{"${aws:PrincipalTag/project}"},
			ctx: with(set("aws:PrincipalTag/project", "apollo"), set("aws:ResourceTag/project", "apollo")), want: true},
		{name: "principal tag differs", doc: docVariables, op: "StringEquals", key: "aws:ResourceTag/project", values: []string{"${aws:PrincipalTag/project}"},
			ctx: with(set("aws:PrincipalTag/project", "apollo"), set("aws:ResourceTag/project", "gemini")), want: false},
		{name: "several variables", doc: docVariables, op: "StringEquals", key: "k", values: []string{"${a}-${b}-${c}"},
			ctx: with(set("a", "1"), set("b", "2"), set("c", "3"), set("k", "1-2-3")), want: true},
		{name: "value is literal, not a wildcard", doc: docVariables, op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}"},
			ctx: with(set("aws:username", "a*"), set("s3:prefix", "home/abc")), want: false},
		{name: "value with star matches itself", doc: docVariables, op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}"},
			ctx: with(set("aws:username", "a*"), set("s3:prefix", "home/a*")), want: true},
		{name: "${*} is a literal star", doc: docVariables, op: "StringLike", key: "k", values: []string{"a${*}"},
			ctx: set("k", "a*"), want: true},
		{name: "${*} is not a wildcard", doc: docVariables, op: "StringLike", key: "k", values: []string{"a${*}"},
			ctx: set("k", "ab"), want: false},
		{name: "${?} is a literal question mark", doc: docVariables, op: "StringLike", key: "k", values: []string{"a${?}"},
			ctx: set("k", "a?"), want: true},
		{name: "${?} is not a wildcard", doc: docVariables, op: "StringLike", key: "k", values: []string{"a${?}"},
			ctx: set("k", "ab"), want: false},
		{name: "${$} is a literal dollar", doc: docVariables, op: "StringEquals", key: "k", values: []string{"${$}{aws:username}"},
			ctx: with(set("aws:username", "alice"), set("k", "${aws:username}")), want: true},
		{name: "variable in ArnLike", doc: docVariables, op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:s3:::bucket/${aws:username}/*"},
			ctx: with(set("aws:username", "alice"), set("aws:SourceArn", "arn:aws:s3:::bucket/alice/x")), want: true},
		{name: "variable in ARN account part", doc: docVariables, op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:sns:*:${aws:PrincipalAccount}:*"},
			ctx: with(set("aws:PrincipalAccount", "123456789012"), set("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:t")), want: true},
		{name: "not substituted in Numeric", doc: docVariables, op: "NumericEquals", key: "n", values: []string{"5"},
			ctx: with(set("n", "5")), want: true},
	})
}

func TestVariableDefaults(t *testing.T) {
	const bucket = "arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}"
	runEvalCases(t, []evalCase{
		{name: "tag present", doc: docVariables, op: "ArnLike", key: "aws:SourceArn", values: []string{bucket},
			ctx: with(set("aws:PrincipalTag/team", "yellow"), set("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket-yellow")), want: true},
		{name: "tag present, default not used", doc: docVariables, op: "ArnLike", key: "aws:SourceArn", values: []string{bucket},
			ctx: with(set("aws:PrincipalTag/team", "yellow"), set("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket-company-wide")), want: false},
		{name: "tag absent, default used", doc: docVariables, op: "ArnLike", key: "aws:SourceArn", values: []string{bucket},
			ctx: set("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket-company-wide"), want: true},
		{name: "spaces around comma", doc: docVariables, op: "StringEquals", key: "k", values: []string{"${ aws:username ,  'nobody' }"},
			ctx: set("k", "nobody"), want: true},
		{name: "empty default", doc: docVariables, op: "StringEquals", key: "k", values: []string{"x${aws:username, ''}"},
			ctx: set("k", "x"), want: true},
		{name: "default is case-sensitive", doc: docVariables, op: "StringEquals", key: "k", values: []string{"${aws:username, 'Nobody'}"},
			ctx: set("k", "nobody"), want: false},
		{name: "default is literal", doc: docVariables, op: "StringLike", key: "k", values: []string{"${aws:username, 'a*'}"},
			ctx: set("k", "abc"), want: false},
	})
}

func TestUnresolvedVariables(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "absent key", doc: docVariables, op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}/*"},
			ctx: set("s3:prefix", "home//x"), want: false},
		{name: "absent key, other value still matches", doc: docVariables, op: "StringLike", key: "s3:prefix", values: []string{"home/${aws:username}/*", "public/*"},
			ctx: set("s3:prefix", "public/x"), want: true},
		{name: "multi-valued key", doc: docVariables, op: "StringEquals", key: "k", values: []string{"${aws:TagKeys}"},
			ctx: with(list("aws:TagKeys", "a"), set("k", "a")), want: false},
		{name: "negated operator: unresolved value matches nothing", doc: docVariables, op: "StringNotEquals", key: "k", values: []string{"${aws:username}"},
			ctx: set("k", "alice"), want: true},
		{name: "Arn: unresolved", doc: docVariables, op: "ArnLike", key: "aws:SourceArn", values: []string{"arn:aws:s3:::b/${aws:username}"},
			ctx: set("aws:SourceArn", "arn:aws:s3:::b/"), want: false},
	})
}

func TestVariablesOff(t *testing.T) {
	runEvalCases(t, []evalCase{
		{name: "literal text", doc: docVariables, op: "StringEquals", key: "k", values: []string{"home/${aws:username}"}, novars: true,
			ctx: with(set("aws:username", "alice"), set("k", "home/${aws:username}")), want: true},
		{name: "not substituted", doc: docVariables, op: "StringEquals", key: "k", values: []string{"home/${aws:username}"}, novars: true,
			ctx: with(set("aws:username", "alice"), set("k", "home/alice")), want: false},
		{name: "unterminated is fine", doc: docVariables, op: "StringEquals", key: "k", values: []string{"${aws:username"}, novars: true,
			ctx: set("k", "${aws:username"), want: true},
		{name: "${*} keeps its wildcard", doc: docVariables, op: "StringLike", key: "k", values: []string{"${*}"}, novars: true,
			ctx: set("k", "${anything}"), want: true},
	})
}

func TestDates(t *testing.T) {
	midnight := func(c *Context) { c.SetTime("aws:CurrentTime", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) }
	runEvalCases(t, []evalCase{
		{name: "date only", doc: docOperators, op: "DateEquals", key: "aws:CurrentTime", values: []string{"2020-01-01"}, ctx: midnight, want: true},
		{name: "date-time Z", doc: docOperators, op: "DateEquals", key: "aws:CurrentTime", values: []string{"2020-01-01T00:00:00Z"}, ctx: midnight, want: true},
		{name: "offset", doc: docOperators, op: "DateEquals", key: "aws:CurrentTime", values: []string{"2020-01-01T02:00:00+02:00"}, ctx: midnight, want: true},
		{name: "fractional seconds", doc: docOperators, op: "DateEquals", key: "aws:CurrentTime", values: []string{"2020-01-01T00:00:00.000Z"}, ctx: midnight, want: true},
		{name: "epoch seconds policy", doc: docOperators, op: "DateEquals", key: "aws:CurrentTime", values: []string{"1577836800"}, ctx: midnight, want: true},
		{name: "epoch JSON number", doc: docOperators, op: "DateLessThan", key: "aws:CurrentTime", lits: []Literal{{Text: "1577836801", Kind: LiteralNumber}}, ctx: midnight, want: true},
		{name: "epoch seconds context", doc: docOperators, op: "DateEquals", key: "aws:EpochTime", values: []string{"2020-01-01T00:00:00Z"},
			ctx: set("aws:EpochTime", "1577836800"), want: true},
		{name: "ISO context string", doc: docOperators, op: "DateGreaterThanEquals", key: "aws:CurrentTime", values: []string{"2019-12-31T23:59:59Z"},
			ctx: set("aws:CurrentTime", "2020-01-01T00:00:00Z"), want: true},
		{name: "less than", doc: docOperators, op: "DateLessThan", key: "aws:CurrentTime", values: []string{"2020-01-01T00:00:00Z"}, ctx: midnight, want: false},
		{name: "less than equals", doc: docOperators, op: "DateLessThanEquals", key: "aws:CurrentTime", values: []string{"2020-01-01T00:00:00Z"}, ctx: midnight, want: true},
		{name: "greater than", doc: docOperators, op: "DateGreaterThan", key: "aws:CurrentTime", values: []string{"2019-12-31"}, ctx: midnight, want: true},
		{name: "not a date in context", doc: docOperators, op: "DateGreaterThan", key: "aws:CurrentTime", values: []string{"2019-12-31"},
			ctx: set("aws:CurrentTime", "yesterday"), want: false},
	})
}

func TestIPAddresses(t *testing.T) {
	both := []string{"203.0.113.0/24", "2001:DB8:1234:5678::/64"}
	runEvalCases(t, []evalCase{
		{name: "IPv4 in list", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: both, ctx: set("aws:SourceIp", "203.0.113.77"), want: true},
		{name: "IPv6 in list", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: both, ctx: set("aws:SourceIp", "2001:db8:1234:5678::1"), want: true},
		{name: "IPv6 upper case context", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: both, ctx: set("aws:SourceIp", "2001:DB8:1234:5678:ABCD::1"), want: true},
		{name: "IPv6 outside", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: both, ctx: set("aws:SourceIp", "2001:db8:1234:5679::1"), want: false},
		{name: "bare IPv4 is /32", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.7"}, ctx: set("aws:SourceIp", "203.0.113.7"), want: true},
		{name: "bare IPv4 neighbour", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"203.0.113.7"}, ctx: set("aws:SourceIp", "203.0.113.8"), want: false},
		{name: "bare IPv6 is /128", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"2001:db8::1"}, ctx: set("aws:SourceIp", "2001:DB8::1"), want: true},
		{name: "IPv4 rule, IPv6 caller", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"0.0.0.0/0"}, ctx: set("aws:SourceIp", "2001:db8::1"), want: false},
		{name: "IPv4-mapped caller", doc: docOperators, op: "NotIpAddress", key: "aws:SourceIp", values: []string{"203.0.113.0/24"}, ctx: set("aws:SourceIp", "::ffff:203.0.113.5"), want: false},
		{name: "SetIP", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"2001:db8::/32"},
			ctx: func(c *Context) { c.SetIP("aws:SourceIp", netip.MustParseAddr("2001:db8:ffff::2")) }, want: true},
		{name: "not an address", doc: docOperators, op: "IpAddress", key: "aws:SourceIp", values: []string{"0.0.0.0/0"}, ctx: set("aws:SourceIp", "x"), want: false},
	})
}

func TestCompileErrors(t *testing.T) {
	str := func(vs ...string) []Literal {
		var out []Literal
		for _, v := range vs {
			out = append(out, Literal{Text: v})
		}
		return out
	}
	cases := []struct {
		name     string
		op, key  string
		values   []Literal
		sentinel error
		msg      string // expected message, when non-empty
	}{
		{"unknown operator", "StringEqual", "k", str("a"), ErrUnknownOperator, ""},
		{"operator names are case-sensitive", "stringequals", "k", str("a"), ErrUnknownOperator, ""},
		{"NullIfExists", "NullIfExists", "k", str("true"), ErrUnknownOperator, ""},
		{"ForAnyValue:Null", "ForAnyValue:Null", "k", str("true"), ErrUnknownOperator, ""},
		{"two qualifiers", "ForAllValues:ForAnyValue:StringEquals", "k", str("a"), ErrUnknownOperator, ""},
		{"lower-case qualifier", "forallvalues:StringEquals", "k", str("a"), ErrUnknownOperator, ""},
		{"empty key", "StringEquals", "", str("a"), ErrInvalidKey, `condition: StringEquals: key "": must not be empty`},
		{"key with space", "StringEquals", "aws: x", str("a"), ErrInvalidKey, ""},
		{"no values", "StringEquals", "k", nil, ErrInvalidValue, ""},
		{"unterminated variable", "StringLike", "k", str("${aws:username"), ErrInvalidValue, `condition: StringLike: "${aws:username": unterminated policy variable`},
		{"empty variable", "StringLike", "k", str("${}"), ErrInvalidValue, ""},
		{"unquoted default", "StringLike", "k", str("${aws:username, x}"), ErrInvalidValue, ""},
		{"unterminated default", "StringLike", "k", str("${aws:username, 'x}"), ErrInvalidValue, ""},
		{"number", "NumericEquals", "k", str("abc"), ErrInvalidValue, `condition: NumericEquals: "abc": must be a number`},
		{"number hex", "NumericEquals", "k", str("0x10"), ErrInvalidValue, ""},
		{"number from bool", "NumericEquals", "k", []Literal{{Text: "true", Kind: LiteralBool}}, ErrInvalidValue, ""},
		{"date", "DateEquals", "k", str("yesterday"), ErrInvalidValue, ""},
		{"bool", "Bool", "k", str("yes"), ErrInvalidValue, ""},
		{"null value", "Null", "k", str("maybe"), ErrInvalidValue, ""},
		{"binary", "BinaryEquals", "k", str("!!!"), ErrInvalidValue, ""},
		{"cidr bits", "IpAddress", "k", str("10.0.0.0/33"), ErrInvalidValue, ""},
		{"cidr address", "NotIpAddress", "k", str("300.1.1.1"), ErrInvalidValue, ""},
		{"ipv6 cidr bits", "IpAddress", "k", str("2001:db8::/129"), ErrInvalidValue, ""},
		{"arn", "ArnLike", "k", str("not-an-arn"), ErrInvalidValue, `condition: ArnLike: "not-an-arn": must be "*" or an ARN`},
		{"arn five parts", "ArnEquals", "k", str("arn:aws:s3::bucket"), ErrInvalidValue, ""},
		{"second value bad", "IpAddress", "k", str("10.0.0.0/8", "bad"), ErrInvalidValue, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.op, tc.key, tc.values, CompileOptions{Variables: true})
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("Compile(%q, %q, %v) = %v, want error wrapping %v (%s)", tc.op, tc.key, tc.values, err, tc.sentinel, docOperators)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not *Error", err)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("message = %q, want %q", err.Error(), tc.msg)
			}
		})
	}
}

func TestAccessors(t *testing.T) {
	lits := []Literal{{Text: "t1.*"}, {Text: "7", Kind: LiteralNumber}}
	c, err := Compile("ForAnyValue:StringLikeIfExists", "ec2:InstanceType", lits, CompileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Operator() != "ForAnyValue:StringLikeIfExists" || c.Key() != "ec2:InstanceType" {
		t.Errorf("Operator, Key = %q, %q", c.Operator(), c.Key())
	}
	if diff := cmp.Diff(lits, c.Values()); diff != "" {
		t.Errorf("Values (-want +got):\n%s", diff)
	}
	c.Values()[0].Text = "changed"
	if c.Values()[0].Text != "t1.*" {
		t.Error("Values is not a copy")
	}
}

func TestContext(t *testing.T) {
	c := NewContext()
	c.Set("b:Single", "x")
	c.Set("A:Multi", "x", "y")
	c.SetList("c:one", []string{"z"})
	c.SetBool("d:Bool", true)
	c.SetNumber("e:Num", 1.25)
	c.SetTime("f:Time", time.Date(2020, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600)))
	c.SetIP("g:IP", netip.MustParseAddr("2001:DB8::1"))
	c.SetBinary("h:Bin", []byte("hi"))
	c.Set("B:SINGLE", "again") // replaces b:Single, keeps its first spelling

	if diff := cmp.Diff([]string{"A:Multi", "b:Single", "c:one", "d:Bool", "e:Num", "f:Time", "g:IP", "h:Bin"}, c.Keys()); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
	type view struct {
		Strings []string
		Single  string
		IsOne   bool
		Multi   bool
	}
	get := func(k string) view {
		v, ok := c.Lookup(k)
		if !ok {
			t.Fatalf("Lookup(%q) not found", k)
		}
		s, one := v.Single()
		return view{v.Strings(), s, one, v.Multi()}
	}
	want := map[string]view{
		"b:single": {[]string{"again"}, "again", true, false},
		"a:multi":  {[]string{"x", "y"}, "", false, true},
		"c:one":    {[]string{"z"}, "", false, true},
		"d:bool":   {[]string{"true"}, "true", true, false},
		"e:num":    {[]string{"1.25"}, "1.25", true, false},
		"f:time":   {[]string{"2020-01-02T02:04:05Z"}, "2020-01-02T02:04:05Z", true, false},
		"g:ip":     {[]string{"2001:db8::1"}, "2001:db8::1", true, false},
		"h:bin":    {[]string{"aGk="}, "aGk=", true, false},
	}
	for k, w := range want {
		if diff := cmp.Diff(w, get(k)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}

	cl := c.Clone()
	cl.Delete("A:MULTI")
	cl.Set("new", "1")
	if _, ok := c.Lookup("a:multi"); !ok {
		t.Error("Delete on a clone changed the original")
	}
	if _, ok := c.Lookup("new"); ok {
		t.Error("Set on a clone changed the original")
	}
	if _, ok := cl.LookupLower("a:multi"); ok {
		t.Error("Delete did not delete")
	}
	if got := len(cl.Keys()); got != 8 {
		t.Errorf("clone has %d keys, want 8", got)
	}

	var zero Context
	zero.Set("k", "v")
	if _, ok := zero.Lookup("K"); !ok {
		t.Error("zero Context is not usable")
	}
	var nilCtx *Context
	if _, ok := nilCtx.Lookup("k"); ok || nilCtx.Keys() != nil {
		t.Error("nil Context has keys")
	}
}

func TestTypedForms(t *testing.T) {
	cases := []struct {
		text  string
		flags uint8
	}{
		{"12", hasNum | hasTime | hasBin},
		{"-3.5", hasNum | hasTime},
		{"abc", hasBin}, // valid unpadded base64
		{"true", hasBool | hasBin},
		{"203.0.113.5", hasIP | hasIP4},
		{"::ffff:203.0.113.5", hasIP | hasIP4}, // unmapped
		{"2001:db8::1", hasIP},
		{"2020-01-01T00:00:00Z", hasTime},
		{"2020-01-01", hasTime},
		{"NaN", hasBin},
		{"1_000", 0},
		{" 12", 0},
		{"fe80::1%eth0", 0},
	}
	for _, tc := range cases {
		if got := parseElem(tc.text).flags; got != tc.flags {
			t.Errorf("parseElem(%q).flags = %06b, want %06b", tc.text, got, tc.flags)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := CompilePattern("${aws:username", PatternOptions{Variables: true})
	if err == nil || !strings.Contains(err.Error(), "unterminated policy variable") || !errors.Is(err, ErrInvalidValue) {
		t.Errorf("CompilePattern error = %v", err)
	}
	_, err = CompileARNPattern("bucket", PatternOptions{Wildcards: true})
	if err == nil || err.Error() != `condition: "bucket": must be "*" or an ARN` {
		t.Errorf("CompileARNPattern error = %v", err)
	}
}

// TestIPv4Blocks checks the numeric IPv4 test of IpAddress against
// netip.Prefix.Contains on random blocks and addresses: an address is in a
// CIDR block when its first prefix-length bits equal the block's
// (reference_policies_elements_condition_operators.html, IP address
// condition operators).
func TestIPv4Blocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	addr := func() netip.Addr {
		return netip.AddrFrom4([4]byte{byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256)), byte(rng.IntN(256))})
	}
	counts := map[bool]int{}
	for range 5000 {
		block := netip.PrefixFrom(addr(), rng.IntN(33))
		c, err := Compile("IpAddress", "aws:SourceIp", []Literal{{Text: block.String()}}, CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		a := addr()
		if rng.IntN(2) == 0 { // half the time, an address inside the block
			b := block.Masked().Addr().As4()
			var x [4]byte
			binary.BigEndian.PutUint32(x[:], binary.BigEndian.Uint32(b[:])|rng.Uint32()>>block.Bits())
			a = netip.AddrFrom4(x)
		}
		if rng.IntN(4) == 0 { // an IPv4-mapped IPv6 address is the IPv4 address
			a = netip.AddrFrom16(a.As16())
		}
		ctx := NewContext()
		ctx.Set("aws:SourceIp", a.String())
		got, _ := c.Eval(ctx)
		if got != block.Contains(a.Unmap()) {
			t.Fatalf("IpAddress %s with %s = %v, want %v", block, a, got, !got)
		}
		counts[got]++
	}
	if counts[true] < 1000 || counts[false] < 1000 {
		t.Fatalf("inside %d, outside %d: the inputs do not exercise both", counts[true], counts[false])
	}
}
