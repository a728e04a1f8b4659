package condition

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/iamkit/iamkit/principal"
)

func TestSetCaller(t *testing.T) {
	now := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		caller Caller
		want   map[string][]string // lower-cased key -> values; every other key absent
	}{
		{
			name: "IAM user",
			caller: Caller{
				Principal: principal.MustParse("arn:aws:iam::123456789012:user/division/alice"),
				UserID:    "AIDAJQABLZS4A3QDU576Q",
				Tags:      map[string]string{"Team": "blue"},
				OrgID:     "o-a1b2c3d4e5",
				OrgPaths:  []string{"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"},
				Now:       now,
			},
			want: map[string][]string{
				"aws:principalarn":      {"arn:aws:iam::123456789012:user/division/alice"},
				"aws:principalaccount":  {"123456789012"},
				"aws:principaltype":     {"User"},
				"aws:userid":            {"AIDAJQABLZS4A3QDU576Q"},
				"aws:username":          {"alice"},
				"aws:principaltag/team": {"blue"},
				"aws:principalorgid":    {"o-a1b2c3d4e5"},
				"aws:principalorgpaths": {"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"},
				"aws:currenttime":       {"2020-01-01T00:00:00Z"},
				"aws:epochtime":         {"1577836800"},
			},
		},
		{
			name:   "role session: PrincipalArn is the role, no username",
			caller: Caller{Principal: principal.MustParse("arn:aws:sts::123456789012:assumed-role/Admin/sess"), UserID: "AROAEXAMPLE:sess"},
			want: map[string][]string{
				"aws:principalarn":     {"arn:aws:iam::123456789012:role/Admin"},
				"aws:principalaccount": {"123456789012"},
				"aws:principaltype":    {"AssumedRole"},
				"aws:userid":           {"AROAEXAMPLE:sess"},
			},
		},
		{
			name:   "root: userid is the account",
			caller: Caller{Principal: principal.MustParse("arn:aws:iam::123456789012:root")},
			want: map[string][]string{
				"aws:principalarn":     {"arn:aws:iam::123456789012:root"},
				"aws:principalaccount": {"123456789012"},
				"aws:principaltype":    {"Account"},
				"aws:userid":           {"123456789012"},
			},
		},
		{
			name:   "federated user: userid is account:name",
			caller: Caller{Principal: principal.MustParse("arn:aws:sts::123456789012:federated-user/Bob")},
			want: map[string][]string{
				"aws:principalarn":     {"arn:aws:sts::123456789012:federated-user/Bob"},
				"aws:principalaccount": {"123456789012"},
				"aws:principaltype":    {"FederatedUser"},
				"aws:userid":           {"123456789012:Bob"},
			},
		},
		{
			name:   "anonymous",
			caller: Caller{Principal: principal.Anonymous()},
			want: map[string][]string{
				"aws:principaltype": {"Anonymous"},
				"aws:userid":        {"anonymous"},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewContext()
			c.SetCaller(tc.caller)
			got := map[string][]string{}
			for _, k := range c.Keys() {
				v, _ := c.Lookup(k)
				got[lowerASCII(k)] = v.Strings()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("keys set (-want +got) per %s:\n%s", docKeys, diff)
			}
		})
	}

	// aws:PrincipalOrgPaths is multi-valued even with one path, and
	// aws:EpochTime works with both Date and Numeric operators.
	c := NewContext()
	c.SetCaller(Caller{Principal: principal.Anonymous(), OrgPaths: []string{"o-x/r-y/"}, Now: now})
	if v, _ := c.Lookup("aws:PrincipalOrgPaths"); !v.Multi() {
		t.Errorf("aws:PrincipalOrgPaths is not multi-valued (%s)", docKeys)
	}
	for _, cond := range [][2]string{{"DateEquals", "2020-01-01T00:00:00Z"}, {"NumericEquals", "1577836800"}} {
		cc, err := Compile(cond[0], "aws:EpochTime", []Literal{{Text: cond[1]}}, CompileOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := cc.Eval(c); !ok {
			t.Errorf("%s aws:EpochTime %s = false (%s)", cond[0], cond[1], docKeys)
		}
	}
}
