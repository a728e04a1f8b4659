package world

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/sts"
)

// Documentation the OIDC provider rules come from:
//   - providers: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html
//   - GitHub's trust policy: https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
//   - the call: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html

const (
	githubURL       = "https://token.actions.githubusercontent.com"
	githubDeployARN = "arn:aws:iam::111111111111:role/github-deploy"
	githubMainSub   = "repo:example-org/example-repo:ref:refs/heads/main"
)

// TestDefaultWorldGitHubIssuer: the built-in world's test issuer signs
// tokens that assume github-deploy from example-repo's main branch; a
// token for another repository, a pull request, or another audience is
// refused, as the role's trust policy says.
func TestDefaultWorldGitHubIssuer(t *testing.T) {
	w := Default()
	is, ok := w.TestOIDCIssuer("")
	if !ok || is.Provider().URL != githubURL {
		t.Fatalf("default test issuer = %v, %v", is, ok)
	}
	if is2, ok := w.TestOIDCIssuer(githubURL); !ok || is2 != is {
		t.Errorf("TestOIDCIssuer(%q) = %v, %v", githubURL, is2, ok)
	}
	if _, ok := w.TestOIDCIssuer("https://example.com"); ok {
		t.Error("TestOIDCIssuer of an unknown URL found one")
	}
	now := time.Now()
	issuer, err := w.Issuer(sts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	assume := func(claims map[string]any) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		tok, err := is.Mint(claims, now, 10*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return issuer.AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: githubDeployARN, RoleSessionName: "ci", WebIdentityToken: tok})
	}
	out, err := assume(map[string]any{"sub": githubMainSub})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.AssumedRoleUser.Arn; got != "arn:aws:sts::111111111111:assumed-role/github-deploy/ci" {
		t.Errorf("session ARN %s", got)
	}
	if out.Provider != githubURL || out.Audience != "sts.amazonaws.com" || out.SubjectFromWebIdentityToken != githubMainSub {
		t.Errorf("output %+v", out)
	}
	for name, claims := range map[string]map[string]any{
		"another repository": {"sub": "repo:example-org/other-repo:ref:refs/heads/main"},
		"a pull request":     {"sub": "repo:example-org/example-repo:pull_request"},
		"another audience":   {"sub": githubMainSub, "aud": "another-client"},
	} {
		if _, err := assume(claims); err == nil {
			t.Errorf("%s: assumed github-deploy", name)
		}
	}
}

func TestOIDCProviderErrors(t *testing.T) {
	const key = `{"kty":"EC","crv":"P-256","kid":"k1","alg":"ES256","x":"f82YLlSxku-VayT-cIUfFXsRX_hxJbzsKn4kgF83Iik","y":"L2gj7j4ZldKgU7tHJ8LLyBzKB_uzYDgPw9daTteq5LE","d":"ckXYeJC4Q1qFnZDIbFuAG7baRA348LWqkqKFDmox7qc"}`
	const pub = `{"kty":"EC","crv":"P-256","kid":"k1","x":"f82YLlSxku-VayT-cIUfFXsRX_hxJbzsKn4kgF83Iik","y":"L2gj7j4ZldKgU7tHJ8LLyBzKB_uzYDgPw9daTteq5LE"}`
	const arn = `"arn":"arn:aws:iam::111111111111:oidc-provider/idp.example.com"`
	tests := []struct {
		name, world string
		want        []string
	}{{
		name:  "no client IDs",
		world: `{"oidcProviders":[{` + arn + `}]}`,
		want:  []string{`w.json:1:19: oidcProviders[0].clientIds: missing required field`},
	}, {
		name:  "not an OIDC provider ARN",
		world: `{"oidcProviders":[{"arn":"arn:aws:iam::111111111111:saml-provider/X","clientIds":["c"]}]}`,
		want:  []string{`w.json:1:26: oidcProviders[0].arn: "arn:aws:iam::111111111111:saml-provider/X" is not an OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH)`},
	}, {
		name:  "too many thumbprints",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"thumbprints":["` + strings.Repeat("a", 40) + `","0","1","2","3","4"]}]}`,
		want:  []string{`w.json:1:26: oidcProviders[0].arn: identity provider "https://idp.example.com": 6 thumbprints; at most 5`},
	}, {
		name:  "private key in jwks",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"jwks":{"keys":[` + key + `]}}]}`,
		want:  []string{`w.json:1:118: oidcProviders[0].jwks.keys[0]: holds a private key; jwks takes public keys (a test issuer's private key goes in signingKeys)`},
	}, {
		name:  "public key as signing key",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"signingKeys":[` + pub + `]}]}`,
		want:  []string{`w.json:1:117: oidcProviders[0].signingKeys[0]: not a private signing key for https://idp.example.com: the key is public (a test issuer needs the private key)`},
	}, {
		name:  "symmetric key",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"jwks":{"keys":[{"kty":"oct","kid":"s","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ"}]}}]}`,
		want:  []string{`w.json:1:118: oidcProviders[0].jwks.keys[0]: a symmetric key cannot sign web identity tokens (AWS accepts RSA and ECDSA signatures only)`},
	}, {
		name:  "no kid",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"jwks":{"keys":[` + strings.Replace(pub, `"kid":"k1",`, "", 1) + `]}}]}`,
		want:  []string{`w.json:1:118: oidcProviders[0].jwks.keys[0]: missing kid (key ID)`},
	}, {
		name:  "duplicate kid",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"jwks":{"keys":[` + pub + `]},"signingKeys":[` + key + `]}]}`,
		want:  []string{`w.json:1:19: oidcProviders[0]: two keys have the key ID "k1"`},
	}, {
		name:  "defined twice",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"]},{` + arn + `,"clientIds":["d"]}]}`,
		want:  []string{`w.json:1:110: oidcProviders[1].arn: OIDC provider "arn:aws:iam::111111111111:oidc-provider/idp.example.com" is defined twice (first at line 1, column 26)`},
	}, {
		name:  "not a JWK",
		world: `{"oidcProviders":[{` + arn + `,"clientIds":["c"],"jwks":{"keys":[{"kty":"EC","kid":"x"}]}}]}`,
		want:  []string{`w.json:1:118: oidcProviders[0].jwks.keys[0]: not a valid JSON Web Key (RFC 7517): unsupported key type, format, curve, or RSA modulus size`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("w.json", []byte(tt.world))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v is not a *Error", err)
			}
			msgs := strings.Split(we.Error(), "\n")
			if diff := cmp.Diff(tt.want, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			for _, m := range msgs {
				if strings.Contains(m, "ckXYeJC4") {
					t.Errorf("message %q shows a private key", m)
				}
			}
		})
	}
}

// TestOIDCProviderWithoutKeys: a provider without jwks or signingKeys has
// no inline keys (nil), so an issuer fetches them through its KeySource.
func TestOIDCProviderWithoutKeys(t *testing.T) {
	w, err := Load("w.json", []byte(`{"oidcProviders":[{"arn":"arn:aws:iam::111111111111:oidc-provider/idp.example.com/tenant","clientIds":["c"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Directory().OIDCProvider(context.Background(), "arn:aws:iam::111111111111:oidc-provider/idp.example.com/tenant")
	if err != nil {
		t.Fatal(err)
	}
	if p.URL != "https://idp.example.com/tenant" || p.Keys != nil || len(w.TestOIDCIssuers()) != 0 {
		t.Errorf("provider %+v, %d test issuers", p, len(w.TestOIDCIssuers()))
	}
}
