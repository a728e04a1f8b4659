package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// TestCatalogChecks: the checks against AWS's Service Authorization
// Reference (the catalog package's data), with Access Analyzer's codes
// where it has the check
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
// Facts from list_amazons3.html and list_amazonec2.html.
func TestCatalogChecks(t *testing.T) {
	tests := []struct {
		name, stmt string
		want       []string
		fix        string
	}{
		{"clean", `{"Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b"]}`, nil, ""},
		{"misspelled action (the issue's s3:GetObjects)", `{"Effect":"Allow","Action":"s3:GetObjects","Resource":"*"}`,
			[]string{"WARNING UNKNOWN_ACTION"}, `did you mean "s3:GetObject"?`},
		{"unknown service", `{"Effect":"Allow","Action":"s4:GetObject","Resource":"*"}`,
			[]string{"ERROR INVALID_SERVICE_IN_ACTION"}, `did you mean "s3"?`},
		{"pattern matching nothing", `{"Effect":"Allow","Action":"s3:Fly*","Resource":"*"}`, []string{"WARNING UNKNOWN_ACTION"}, ""},
		{"unknown service key", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:nosuchkey":"x"}}}`,
			[]string{"ERROR INVALID_SERVICE_CONDITION_KEY"}, ""},
		{"key of another action", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"s3:x-amz-acl":"private"}}}`,
			[]string{"WARNING CONDITION_KEY_NOT_FOR_ACTIONS"}, ""},
		{"Date operator on a Numeric key", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"s3:signatureAge":"2026-01-01T00:00:00Z"}}}`,
			[]string{"ERROR CONDITION_TYPE_MISMATCH"}, ""},
		{"ForAllValues on a single-valued service key", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"s3:authType":"REST-HEADER"},"Null":{"s3:authType":"false"}}}`,
			[]string{"SECURITY_WARNING FORALLVALUES_WITH_SINGLE_VALUED_KEY"}, ""},
		{"NullIfExists", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NullIfExists":{"s3:authType":"false"}}}`,
			[]string{"ERROR NULL_IF_EXISTS"}, ""},
		{"bucket ARN for an object action", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket"}`,
			[]string{"WARNING UNSUPPORTED_RESOURCE_ARN_IN_POLICY"}, ""},
		{"ec2 instance ARN for ec2:StartInstances", `{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"arn:aws:ec2:us-east-1:111111111111:instance/*"}`, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := Check([]byte(`{"Version":"2012-10-17","Statement":[`+tc.stmt+`]}`), policy.Identity, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, string(f.Type)+" "+f.Code)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("findings %q, want %q (%v)", got, tc.want, fs)
			}
			if tc.fix != "" && !strings.Contains(fs[0].Fix, tc.fix) {
				t.Errorf("fix %q, want %q", fs[0].Fix, tc.fix)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"kitten", "sitting", 3}, {"", "abc", 3}, {"getobjects", "getobject", 1}, {"same", "same", 0}} {
		if got := editDistance(tc.a, tc.b, 100); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := editDistance("a", "abcdefgh", 3); got != 3 {
		t.Errorf("limit: %d", got)
	}
}
