package catalog_test

import (
	"strings"
	"testing"

	"github.com/iamkit/iamkit/catalog"
)

// FuzzLookup: whatever the name, lookups do not panic, and what they find
// has the name asked for, up to case.
func FuzzLookup(f *testing.F) {
	for _, s := range []string{"s3:GetObject", "s3:getobject", "S3:", ":", "", "aws:RequestTag/team", "s3:ExistingObjectTag/<key>", "s3:Get*", "*", "${", "<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if a, ok := catalog.Lookup(name); ok && !strings.EqualFold(a.String(), name) {
			t.Errorf("Lookup(%q) = %s", name, a)
		}
		if s, ok := catalog.LookupService(name); ok && !strings.EqualFold(s.Prefix(), name) {
			t.Errorf("LookupService(%q) = %s", name, s)
		}
		if k, ok := catalog.ConditionKey(name); ok && !k.Matches(name) {
			t.Errorf("ConditionKey(%q) = %s, which does not match it", name, k)
		}
		for _, a := range catalog.Expand(name) {
			if !strings.ContainsAny(name, "*?") && !strings.EqualFold(a.String(), name) {
				t.Errorf("Expand(%q) yields %s", name, a)
			}
		}
	})
}

// FuzzMatchResourceType: any ARN or pattern is answered without panicking,
// and a concrete ARN that fits s3:GetObject's object type has a slash.
func FuzzMatchResourceType(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b/k", "arn:aws:s3:::b", "*", "arn:*", "arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::${*}", "arn:::::"} {
		f.Add(s)
	}
	get, _ := catalog.Lookup("s3:GetObject")
	role, _ := catalog.Lookup("iam:PassRole")
	f.Fuzz(func(t *testing.T, arn string) {
		if len(arn) > 512 {
			return
		}
		for _, rt := range catalog.MatchResourceType(get, arn) {
			parts := strings.SplitN(arn, ":", 6)
			if rt.Name() == "object" && !strings.ContainsAny(arn, "*?$") && (len(parts) < 6 || !strings.Contains(parts[5], "/")) {
				t.Errorf("%q fits object", arn)
			}
		}
		catalog.MatchResourceType(role, arn)
	})
}
