package catalog_test

import (
	"fmt"

	"github.com/iamkit/iamkit/catalog"
)

func ExampleLookup() {
	a, ok := catalog.Lookup("s3:getobject")
	fmt.Println(a, ok, a.AccessLevel())
	for _, rt := range a.ResourceTypes() {
		fmt.Println(rt.ResourceType.Name(), rt.ResourceType.ARNFormats()[0])
	}
	// Output:
	// s3:GetObject true Read
	// accesspointobject arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}
	// object arn:${Partition}:s3:::${BucketName}/${ObjectName}
}

func ExampleExpand() {
	for _, a := range catalog.Expand("sts:AssumeRole*") {
		fmt.Println(a)
	}
	// Output:
	// sts:AssumeRole
	// sts:AssumeRoleWithSAML
	// sts:AssumeRoleWithWebIdentity
}

func ExampleMatchResourceType() {
	list, _ := catalog.Lookup("s3:ListBucket")
	get, _ := catalog.Lookup("s3:GetObject")
	fmt.Println(catalog.MatchResourceType(list, "arn:aws:s3:::amzn-s3-demo-bucket"))
	fmt.Println(catalog.MatchResourceType(list, "arn:aws:s3:::amzn-s3-demo-bucket/*"))
	fmt.Println(catalog.MatchResourceType(get, "arn:aws:s3:::amzn-s3-demo-bucket/*"))
	// Output:
	// [bucket]
	// []
	// [object]
}

func ExampleConditionKey() {
	k, ok := catalog.ConditionKey("aws:RequestTag/team")
	fmt.Println(k, k.Type(), ok)
	k, ok = catalog.ConditionKey("sts:TransitiveTagKeys")
	fmt.Println(k, k.Type(), k.Type().IsArray(), ok)
	// Output:
	// aws:RequestTag/${TagKey} String true
	// sts:TransitiveTagKeys ArrayOfString true true
}

func ExampleAction_HasConditionKey() {
	a, _ := catalog.Lookup("sts:AssumeRole")
	fmt.Println(a.HasConditionKey("sts:ExternalId"), a.HasConditionKey("s3:prefix"))
	// Output: true false
}

func ExampleLookupService() {
	s, _ := catalog.LookupService("iam")
	r, _ := s.ResourceType("role")
	fmt.Println(s.Name())
	fmt.Println(r.ARNFormats())
	// Output:
	// AWS Identity and Access Management (IAM)
	// [arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}]
}
