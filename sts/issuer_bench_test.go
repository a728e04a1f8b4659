package sts

import (
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// BenchmarkAssumeRole measures AssumeRole end to end: validation, the
// trust and identity evaluation, sealing the session token, and opening the
// credentials again with Authenticate.
func BenchmarkAssumeRole(b *testing.B) {
	f := newIssFixture(b)
	user := f.user(issAcct, "Bench", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssumeAll, "arn:aws:iam::"+issAcct+":role/*", ""))}
	})
	role := f.role(issAcct, "Bench", []string{issTrust(issRootARN(issAcct), issAssumeAll, "")}, func(r *Role) {
		r.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"s3:GetObject"}, "arn:aws:s3:::bench/*", ""))}
	})
	inputs := []struct {
		name string
		in   AssumeRoleInput
	}{
		{"plain", AssumeRoleInput{RoleArn: role, RoleSessionName: "bench"}},
		{"tags", AssumeRoleInput{RoleArn: role, RoleSessionName: "bench",
			Tags:              []Tag{{Key: "Project", Value: "apollo"}, {Key: "CostCenter", Value: "42"}, {Key: "Team", Value: "blue"}},
			TransitiveTagKeys: []string{"Project"}, SourceIdentity: issStr("bench-user")}},
	}
	for _, tc := range inputs {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				in := tc.in
				out, err := f.is.AssumeRole(f.ctx, user, &in)
				if err != nil {
					b.Fatal(err)
				}
				c := out.Credentials
				if _, err := f.is.Authenticate(f.ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAuthorize measures Authorize for a role session with one
// identity policy: an allowed request, and a denied one (which also seals
// an encoded authorization message).
func BenchmarkAuthorize(b *testing.B) {
	f := newIssFixture(b)
	user := f.user(issAcct, "Bench", nil)
	role := f.role(issAcct, "Bench", []string{issTrust(user.ARN, issAssume, "")}, func(r *Role) {
		r.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"s3:GetObject", "s3:ListBucket"}, "arn:aws:s3:::bench/*", ""))}
	})
	s := f.mustAssume(user, role, "bench")
	cases := []struct {
		name string
		in   AuthorizeInput
		want bool
	}{
		{"allowed", AuthorizeInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::bench/data.csv"}, true},
		{"denied", AuthorizeInput{Action: "s3:PutObject", Resource: "arn:aws:s3:::bench/data.csv"}, false},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, err := f.is.Authorize(f.ctx, s, tc.in)
				if err != nil {
					b.Fatal(err)
				}
				if d.Allowed() != tc.want {
					b.Fatalf("Allowed() = %v, want %v", d.Allowed(), tc.want)
				}
			}
		})
	}
}
