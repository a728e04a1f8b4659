package condition_test

import (
	"fmt"
	"net/netip"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

func ExampleCompile() {
	c, err := condition.Compile("StringLike", "s3:prefix",
		[]condition.Literal{{Text: "home/${aws:username}/*"}},
		condition.CompileOptions{Variables: true})
	if err != nil {
		panic(err)
	}
	ctx := condition.NewContext()
	ctx.Set("aws:username", "alice")
	ctx.Set("s3:prefix", "home/alice/notes.txt")
	fmt.Println(c.Eval(ctx))

	ctx.Set("s3:prefix", "home/bob/notes.txt")
	fmt.Println(c.Eval(ctx))

	ctx.Delete("s3:prefix")
	fmt.Println(c.Eval(ctx))
	// Output:
	// true false
	// false false
	// false true
}

func ExampleCompile_forAllValues() {
	c, err := condition.Compile("ForAllValues:StringEquals", "aws:TagKeys",
		[]condition.Literal{{Text: "environment"}, {Text: "cost-center"}},
		condition.CompileOptions{})
	if err != nil {
		panic(err)
	}
	ctx := condition.NewContext()
	ctx.SetList("aws:TagKeys", []string{"environment"})
	ok, _ := c.Eval(ctx)
	fmt.Println(ok)
	ctx.SetList("aws:TagKeys", []string{"environment", "dept"})
	ok, _ = c.Eval(ctx)
	fmt.Println(ok)
	// Output:
	// true
	// false
}

func ExampleCompile_notIpAddress() {
	c, err := condition.Compile("NotIpAddress", "aws:SourceIp",
		[]condition.Literal{{Text: "192.0.2.0/24"}, {Text: "2001:DB8::/32"}},
		condition.CompileOptions{})
	if err != nil {
		panic(err)
	}
	ctx := condition.NewContext()
	for _, ip := range []string{"192.0.2.10", "2001:db8::1", "198.51.100.7"} {
		ctx.SetIP("aws:SourceIp", netip.MustParseAddr(ip))
		ok, _ := c.Eval(ctx)
		fmt.Println(ip, ok)
	}
	// Output:
	// 192.0.2.10 false
	// 2001:db8::1 false
	// 198.51.100.7 true
}

func ExampleARNPattern_Match() {
	p, err := condition.CompileARNPattern("arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, 'company-wide'}/*",
		condition.PatternOptions{Variables: true, Wildcards: true})
	if err != nil {
		panic(err)
	}
	ctx := condition.NewContext()
	fmt.Println(p.Match("arn:aws:s3:::amzn-s3-demo-bucket-company-wide/a.txt", ctx))
	ctx.Set("aws:PrincipalTag/team", "yellow")
	fmt.Println(p.Match("arn:aws:s3:::amzn-s3-demo-bucket-yellow/a.txt", ctx))
	// Output:
	// true
	// true
}

func ExamplePattern_Match() {
	p, err := condition.CompilePattern("s3:Get*", condition.PatternOptions{Wildcards: true, FoldCase: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Match("S3:GetObject", nil), p.Match("s3:PutObject", nil))
	// Output: true false
}

func ExampleContext_SetCaller() {
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{
		Principal: principal.MustParse("arn:aws:sts::123456789012:assumed-role/Admin/alice"),
		Tags:      map[string]string{"team": "blue"},
	})
	for _, k := range ctx.Keys() {
		v, _ := ctx.Lookup(k)
		fmt.Println(k, v.Strings())
	}
	// Output:
	// aws:PrincipalAccount [123456789012]
	// aws:PrincipalArn [arn:aws:iam::123456789012:role/Admin]
	// aws:PrincipalTag/team [blue]
	// aws:PrincipalType [AssumedRole]
}
