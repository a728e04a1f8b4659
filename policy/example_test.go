package policy_test

import (
	"fmt"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

func ExampleSet_Evaluate() {
	identity := policy.MustParse(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "OwnPrefix",
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::reports/${aws:username}/*"
  }]
}`, policy.Identity)

	alice := principal.MustParse("arn:aws:iam::111111111111:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: alice})

	set := &policy.Set{Identity: []*policy.Policy{identity}}
	for _, key := range []string{"alice/q3.csv", "bob/q3.csv"} {
		res := set.Evaluate(&policy.Request{Principal: alice, Action: "s3:GetObject",
			Resource: "arn:aws:s3:::reports/" + key, Context: ctx})
		fmt.Println(key, res.Decision, res.Statement.Sid())
	}
	// Output:
	// alice/q3.csv allowed OwnPrefix
	// bob/q3.csv implicitDeny
}

func ExampleSet_Explain() {
	bucket := policy.MustParse(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "DenyInsecure",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "arn:aws:s3:::reports/*",
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}
  }]
}`, policy.Resource)
	identity := policy.MustParse(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`, policy.Identity)

	alice := principal.MustParse("arn:aws:iam::111111111111:user/alice")
	ctx := condition.NewContext()
	ctx.SetBool("aws:SecureTransport", false)
	set := &policy.Set{Identity: []*policy.Policy{identity}, Resource: bucket.WithName("reports bucket policy")}
	e := set.Explain(&policy.Request{Principal: alice, Action: "s3:GetObject",
		Resource: "arn:aws:s3:::reports/q3.csv", Context: ctx})
	fmt.Println(e.Decision)
	fmt.Println(e.Decisive[0])
	// Output:
	// explicitDeny
	// resource-based policy "reports bucket policy" Statement[0] (Sid "DenyInsecure") at line 3, column 17: Deny
}

func ExampleValidate() {
	doc := []byte(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "reports/*"
  }]
}`)
	for _, f := range policy.Validate(doc, policy.Identity) {
		fmt.Println(f.Severity, f)
	}
	// Output:
	// error line 6, column 17: Statement[0].Resource[0]: Resource reports/* must be in ARN format or "*"
}
