package policy_test

import (
	"strings"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// TestUnknownElementDidYouMean: a misspelled element gets a suggestion,
// and is reported before the missing-element error it causes, at the
// misspelling (issue 15; IAM Access Analyzer reports an unknown element
// with its position: access-analyzer-reference-policy-checks.html).
func TestUnknownElementDidYouMean(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"Version":"2012-10-17","Statement":[{"Efect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
			`line 1, column 39: Statement[0].Efect: unknown element "Efect" (did you mean "Effect"?)` + "\n" +
				`line 1, column 39: Statement[0]: missing required element Effect`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resorce":"*"}]}`,
			`line 1, column 80: Statement[0].Resorce: unknown element "Resorce" (did you mean "Resource"?)` + "\n" +
				`line 1, column 80: Statement[0]: Policy statement must contain resources.`},
		{`{"Version":"2012-10-17","Statment":[]}`,
			`line 1, column 25: Statment: unknown element "Statment" (did you mean "Statement"?)` + "\n" +
				`line 1, column 25: missing required element Statement`},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Whatever":1}]}`,
			`line 1, column 95: Statement[0].Whatever: unknown element "Whatever"`},
	} {
		var got []string
		for _, f := range policy.Validate([]byte(tc.doc), policy.Identity) {
			got = append(got, f.String())
		}
		if strings.Join(got, "\n") != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.doc, strings.Join(got, "\n"), tc.want)
		}
	}
}
