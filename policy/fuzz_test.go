package policy_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// FuzzParse checks that parsing never panics, that every accepted policy
// round-trips through MarshalJSON, and that evaluating it never panics.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
		`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*","${*}"]},"IpAddressIfExists":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::111111111111:role/r"],"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"},"Null":{"aws:MultiFactorAuthAge":"false"}}}]}`,
		`{"Statement":{"Effect":"Allow","NotPrincipal":"*","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"NumericEquals":{"s3:max-keys":1.5},"Bool":{"aws:SecureTransport":true}}}}`,
		`{"Version":"2008-10-17","Id":"x","Statement":[]}`,
		`[]`, `{`, `{"Statement":{"Effect":"Allow","Action":"a:b","Resource":"arn:aws:s3:::${"}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(policy.Identity))
		f.Add([]byte(s), uint8(policy.Resource))
	}
	caller := principal.MustParse("arn:aws:iam::111111111111:user/bob")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller})
	ctx.Set("aws:SourceIp", "10.1.2.3")
	ctx.SetList("aws:TagKeys", []string{"ab", "c"})
	f.Fuzz(func(t *testing.T, data []byte, typ uint8) {
		pt := policy.Type(typ%7 + 1)
		p, err := policy.Parse(data, pt)
		_ = policy.Validate(data, pt)
		if err != nil {
			return
		}
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		q, err := policy.ParseWithOptions(out, pt, policy.Options{MaxSize: -1})
		if err != nil {
			t.Fatalf("Parse(Marshal(p)) failed: %v\ninput:  %s\noutput: %s", err, data, out)
		}
		if diff := cmp.Diff(p.Document(), q.Document()); diff != "" {
			t.Fatalf("round trip changed the document (-want +got):\n%s", diff)
		}
		set := &policy.Set{Identity: []*policy.Policy{p}}
		if pt == policy.Resource || pt == policy.Trust {
			set = &policy.Set{Resource: p}
		}
		req := &policy.Request{Principal: caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/bob/x", Context: ctx}
		if got, want := set.Evaluate(req).Decision, set.Explain(req).Decision; got != want {
			t.Fatalf("Evaluate = %v, Explain = %v", got, want)
		}
	})
}
