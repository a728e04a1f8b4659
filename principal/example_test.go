package principal_test

import (
	"fmt"

	"github.com/iamkit/iamkit/principal"
)

func ExampleParseARN() {
	a, err := principal.ParseARN("arn:aws:rds:eu-west-1:123456789012:db:mysql-db")
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Partition, a.Service, a.Region, a.Account, a.Resource)

	_, err = principal.ParseARN("arn:aws:s3")
	fmt.Println(err)
	// Output:
	// aws rds eu-west-1 123456789012 db:mysql-db
	// principal: invalid ARN "arn:aws:s3": want 6 colon-separated parts, got 3
}

func ExamplePattern_Match() {
	role, err := principal.ParsePattern("AWS", "arn:aws:iam::123456789012:role/Admin")
	if err != nil {
		panic(err)
	}
	session, err := principal.ParsePattern("AWS", "arn:aws:sts::123456789012:assumed-role/Admin/alice")
	if err != nil {
		panic(err)
	}
	account, err := principal.ParsePattern("AWS", "123456789012")
	if err != nil {
		panic(err)
	}

	alice := principal.MustParse("arn:aws:sts::123456789012:assumed-role/Admin/alice")
	bob := principal.MustParse("arn:aws:sts::123456789012:assumed-role/Admin/bob")
	anon := principal.Anonymous()
	for _, caller := range []principal.Principal{alice, bob, anon} {
		fmt.Printf("%-55s role=%-7v session=%-7v account=%v\n",
			caller, role.Match(&caller), session.Match(&caller), account.Match(&caller))
	}

	_, err = principal.ParsePattern("AWS", "arn:aws:iam::123456789012:role/Admin*")
	fmt.Println(err)
	// Output:
	// arn:aws:sts::123456789012:assumed-role/Admin/alice      role=Role    session=Exact   account=Account
	// arn:aws:sts::123456789012:assumed-role/Admin/bob        role=Role    session=NoMatch account=Account
	// *                                                       role=NoMatch session=NoMatch account=NoMatch
	// principal: invalid "AWS" principal "arn:aws:iam::123456789012:role/Admin*": wildcards are not allowed in principals except as the whole value "*"; use "*" with a condition on aws:PrincipalArn
}
