package principal

import (
	"errors"
	"testing"
)

var fuzzARNSeeds = []string{
	"arn:aws:iam::123456789012:user/Bob",
	"arn:aws:iam::123456789012:root",
	"arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary",
	"arn:aws:s3:::my_corporate_bucket/*",
	"arn:aws:rds:eu-west-1:123456789012:db:mysql-db",
	"arn:aws-cn:iam::aws:policy/ReadOnlyAccess",
	"arn:aws-iso-b:iam::123456789012:oidc-provider/a.example/x",
	"arn:aws:s3",
	"arn:::::",
	"",
	"*",
	"123456789012",
}

// FuzzParseARN checks that ParseARN never panics, that every error is an
// *ARNError wrapping ErrInvalidARN, and that parsed ARNs round-trip.
func FuzzParseARN(f *testing.F) {
	for _, s := range fuzzARNSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseARN(s)
		if err != nil {
			var ae *ARNError
			if !errors.Is(err, ErrInvalidARN) || !errors.As(err, &ae) {
				t.Fatalf("ParseARN(%q) error %v is not an *ARNError", s, err)
			}
			if !a.IsZero() {
				t.Fatalf("ParseARN(%q) returned %+v with an error", s, a)
			}
			return
		}
		if got := a.String(); got != s {
			t.Fatalf("ParseARN(%q).String() = %q", s, got)
		}
		b, err := ParseARN(a.String())
		if err != nil || b != a {
			t.Fatalf("round trip of %q: got %+v, %v; want %+v", s, b, err, a)
		}
		text, _ := a.MarshalText()
		var c ARN
		if err := c.UnmarshalText(text); err != nil || c != a {
			t.Fatalf("text round trip of %q: got %+v, %v", s, c, err)
		}
	})
}

// FuzzParse checks that Parse never panics, that errors wrap
// ErrInvalidPrincipal, and that String round-trips through Parse.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzARNSeeds {
		f.Add(s)
	}
	f.Add("arn:aws:iam::123456789012:role/a/b/name")
	f.Add("arn:aws:sts::123456789012:federated-user/Bob")
	f.Add("arn:aws:iam::123456789012:saml-provider/ADFS")
	f.Add("arn:aws:iam::123456789012:user/*")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidPrincipal) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrInvalidPrincipal", s, err)
			}
			if p != (Principal{}) {
				t.Fatalf("Parse(%q) returned %+v with an error", s, p)
			}
			return
		}
		q, err := Parse(p.String())
		if err != nil || q != p {
			t.Fatalf("Parse(%q).String() = %q re-parses to %+v, %v; want %+v", s, p.String(), q, err, p)
		}
		// Every method must be total on a parsed principal.
		_, _ = p.RoleARN()
		_ = p.PrincipalARN()
		_ = p.PrincipalType()
		_ = p.IsServiceLinkedRole()
		_ = p.HasIdentityPolicies()
	})
}

// FuzzParsePattern checks that ParsePattern never panics and that a parsed
// pattern matches the caller it names.
func FuzzParsePattern(f *testing.F) {
	f.Add("AWS", "arn:aws:iam::123456789012:role/a/R")
	f.Add("AWS", "123456789012")
	f.Add("AWS", "arn:aws:sts::123456789012:assumed-role/R/s1")
	f.Add("Service", "ec2.amazonaws.com")
	f.Add("Federated", "arn:aws:iam::123456789012:saml-provider/ADFS")
	f.Add("*", "*")
	f.Add("AWS", "arn:aws:iam::123456789012:user/*")
	f.Fuzz(func(t *testing.T, typ, value string) {
		p, err := ParsePattern(typ, value)
		if err != nil {
			if !errors.Is(err, ErrInvalidPrincipal) {
				t.Fatalf("ParsePattern(%q, %q) error %v does not wrap ErrInvalidPrincipal", typ, value, err)
			}
			return
		}
		if typ == "AWS" {
			if c, err := Parse(value); err == nil && p.Match(&c) == NoMatch {
				t.Fatalf("ParsePattern(AWS, %q) does not match Parse(%q)", value, value)
			}
		}
		for _, c := range []*Principal{&cAnon, &cRoot, &cUser, &cSession, &cEC2, nil} {
			_ = p.Match(c)
		}
	})
}
