package federation

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/condition"
)

// AWS pages the expected answers come from.
const (
	docAWRWI      = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html"
	docOIDC       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html"
	docCreateOIDC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html"
	docWIFKeys    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif"
	docTagsIdP    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-idp"
	rfcJWSNone    = "https://datatracker.ietf.org/doc/html/rfc8725#section-3.1"
)

const (
	ghURL  = "https://token.actions.githubusercontent.com"
	ghAcct = "111111111111"
	ghAud  = "sts.amazonaws.com"
	ghSub  = "repo:example-org/example-repo:ref:refs/heads/main"
)

var t0 = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

var (
	keysOnce        sync.Once
	rsaKey, rsaKey2 *rsa.PrivateKey
	ecKey           *ecdsa.PrivateKey
	ecKey384        *ecdsa.PrivateKey
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rsaKey2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
			panic(err)
		}
		if ecKey384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader); err != nil {
			panic(err)
		}
	})
}

// jwks is the public key set of the test keys: rsa "k1", rsa "k2", ec
// "e1" (P-256), ec "e2" (P-384).
func jwks(t testing.TB) *jose.JSONWebKeySet {
	testKeys(t)
	return &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &rsaKey.PublicKey, KeyID: "k1", Use: "sig"},
		{Key: &rsaKey2.PublicKey, KeyID: "k2", Use: "sig", Algorithm: "RS256"},
		{Key: &ecKey.PublicKey, KeyID: "e1"},
		{Key: &ecKey384.PublicKey, KeyID: "e2"},
	}}
}

func ghProvider(t testing.TB, keys *jose.JSONWebKeySet) *OIDCProvider {
	t.Helper()
	p, err := NewOIDCProvider(ghAcct, ghURL, []string{ghAud}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Keys = keys
	return p
}

// ghClaims is a GitHub Actions ID token's claims, issued at t0.
func ghClaims() map[string]any {
	return map[string]any{
		"iss": ghURL, "sub": ghSub, "aud": ghAud,
		"iat": t0.Unix(), "nbf": t0.Unix(), "exp": t0.Add(10 * time.Minute).Unix(),
		"repository": "example-org/example-repo", "ref": "refs/heads/main",
	}
}

// sign returns claims signed with key under alg, with kid ("" for none)
// and extra protected headers.
func sign(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims any, extra map[jose.HeaderKey]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	for k, v := range extra {
		opts = opts.WithHeader(k, v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func verify(t testing.TB, p *OIDCProvider, token string, src KeySource, now time.Time) (*WebIdentity, error) {
	t.Helper()
	tok, err := ParseWebIdentityToken(token)
	if err != nil {
		return nil, err
	}
	return p.Verify(context.Background(), tok, src, now)
}

func TestVerifyGitHubToken(t *testing.T) {
	t.Logf("AWS: %s; %s", docAWRWI, docWIFKeys)
	p := ghProvider(t, jwks(t))
	for _, tc := range []struct {
		alg jose.SignatureAlgorithm
		key any
		kid string
	}{
		{jose.RS256, rsaKey, "k1"}, {jose.RS384, rsaKey, "k1"}, {jose.RS512, rsaKey, "k1"},
		{jose.RS256, rsaKey2, "k2"}, {jose.ES256, ecKey, "e1"}, {jose.ES384, ecKey384, "e2"},
	} {
		t.Run(string(tc.alg)+"/"+tc.kid, func(t *testing.T) {
			w, err := verify(t, p, sign(t, tc.alg, tc.key, tc.kid, ghClaims(), nil), nil, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if w.Subject != ghSub || w.Audience != ghAud || !w.ExpiresAt.Equal(t0.Add(10*time.Minute)) || !w.IssuedAt.Equal(t0) {
				t.Errorf("identity %+v", w)
			}
			c := condition.NewContext()
			w.SetConditionKeys(c)
			for key, want := range map[string]string{
				"token.actions.githubusercontent.com:sub": ghSub,
				"token.actions.githubusercontent.com:aud": ghAud,
			} {
				v, ok := c.Lookup(key)
				if got, _ := v.Single(); !ok || got != want {
					t.Errorf("%s = %q, want %q", key, got, want)
				}
			}
			// Custom claims are not condition keys (AWS ignores them).
			if _, ok := c.Lookup("token.actions.githubusercontent.com:repository"); ok {
				t.Error("custom claim repository became a condition key")
			}
		})
	}
}

// TestVerifyRejects is the attack table of the issue: each token is
// refused with AWS's code.
func TestVerifyRejects(t *testing.T) {
	t.Logf("AWS: %s; %s; RFC: %s", docAWRWI, docOIDC, rfcJWSNone)
	p := ghProvider(t, jwks(t))
	with := func(mod func(map[string]any)) map[string]any { c := ghClaims(); mod(c); return c }
	rs := func(c any) string { return sign(t, jose.RS256, rsaKey, "k1", c, nil) }
	valid := rs(ghClaims())
	parts := strings.Split(valid, ".")

	hmacKey, err := json.Marshal(jose.JSONWebKey{Key: &rsaKey.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		token    string
		now      time.Time
		src      KeySource
		wantCode string
		wantMsg  string // prefix; "" means any
	}{
		{name: "alg none", wantCode: "InvalidIdentityToken", wantMsg: msgInvalidToken,
			token: b64(`{"alg":"none","typ":"JWT"}`) + "." + parts[1] + "."},
		{name: "HS256 keyed with the RSA public key's bytes", wantCode: "InvalidIdentityToken",
			token: sign(t, jose.HS256, hmacKey, "k1", ghClaims(), nil)},
		{name: "unknown kid, several keys", wantCode: "InvalidIdentityToken", wantMsg: msgNoKey,
			token: sign(t, jose.RS256, rsaKey, "nope", ghClaims(), nil)},
		{name: "no kid, several keys", wantCode: "InvalidIdentityToken",
			token: sign(t, jose.RS256, rsaKey, "", ghClaims(), nil)},
		{name: "kid of another key", wantCode: "InvalidIdentityToken",
			token: sign(t, jose.RS256, rsaKey, "k2", ghClaims(), nil)},
		{name: "RS384 on a key pinned to RS256", wantCode: "InvalidIdentityToken", wantMsg: msgNoKey,
			token: sign(t, jose.RS384, rsaKey2, "k2", ghClaims(), nil)},
		{name: "crit header", wantCode: "InvalidIdentityToken",
			token: sign(t, jose.RS256, rsaKey, "k1", ghClaims(), map[jose.HeaderKey]any{"crit": []string{"exp"}, "exp": 1})},
		{name: "embedded jwk header", wantCode: "InvalidIdentityToken",
			token: sign(t, jose.RS256, rsaKey, "k1", ghClaims(), map[jose.HeaderKey]any{"jku": "https://evil.example/jwks"})},
		{name: "nested token", wantCode: "InvalidIdentityToken",
			token: sign(t, jose.RS256, rsaKey, "k1", ghClaims(), map[jose.HeaderKey]any{"cty": "JWT"})},
		{name: "expired 5 min 1 s ago", wantCode: "ExpiredTokenException",
			wantMsg: fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d", t0.Add(15*time.Minute+time.Second).Unix(), t0.Add(10*time.Minute).Unix()),
			token:   valid, now: t0.Add(15*time.Minute + time.Second)},
		{name: "expired exactly 5 min ago", wantCode: "ExpiredTokenException", token: valid, now: t0.Add(15 * time.Minute)},
		{name: "nbf 6 min ahead", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { c["nbf"] = t0.Add(7 * time.Minute).Unix() }))},
		{name: "iat 6 min ahead", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { c["iat"] = t0.Add(7 * time.Minute).Unix() }))},
		{name: "iss with a trailing slash", wantCode: "InvalidIdentityToken", wantMsg: "No OpenIDConnect provider found in your account for " + ghURL + "/",
			token: rs(with(func(c map[string]any) { c["iss"] = ghURL + "/" }))},
		{name: "iss of another provider", wantCode: "InvalidIdentityToken", wantMsg: "No OpenIDConnect provider found in your account for https://gitlab.com",
			token: rs(with(func(c map[string]any) { c["iss"] = "https://gitlab.com" }))},
		{name: "token for another client", wantCode: "InvalidIdentityToken", wantMsg: msgAudience,
			token: rs(with(func(c map[string]any) { c["aud"] = "https://kubernetes.default.svc" }))},
		{name: "azp of another client, aud missing", wantCode: "InvalidIdentityToken", wantMsg: msgAudience,
			token: rs(with(func(c map[string]any) { c["azp"] = "other"; delete(c, "aud") }))},
		{name: "no exp", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { delete(c, "exp") }))},
		{name: "fractional exp", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { c["exp"] = float64(t0.Unix()) + 600.5 }))},
		{name: "string exp", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { c["exp"] = "1800000000" }))},
		{name: "no sub", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { delete(c, "sub") }))},
		{name: "aud a number", wantCode: "InvalidIdentityToken", token: rs(with(func(c map[string]any) { c["aud"] = 7 }))},
		{name: "3 characters", wantCode: "InvalidIdentityToken", token: "a.b"},
		{name: "20,001 characters", wantCode: "InvalidIdentityToken", token: valid + "." + strings.Repeat("A", MaxTokenLen-len(valid))},
		{name: "payload over 20,000 characters", wantCode: "InvalidIdentityToken",
			token: rs(with(func(c map[string]any) { c["pad"] = strings.Repeat("x", MaxTokenLen) }))},
		{name: "JWE compact (five parts)", wantCode: "InvalidIdentityToken", token: parts[0] + ".." + parts[1] + ".." + parts[2]},
		{name: "JSON serialization", wantCode: "InvalidIdentityToken",
			token: `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`},
		{name: "payload swapped under the signature", wantCode: "InvalidIdentityToken",
			token: parts[0] + "." + b64(`{"iss":"`+ghURL+`","sub":"repo:evil/evil:ref:refs/heads/main","aud":"sts.amazonaws.com","exp":9999999999}`) + "." + parts[2]},
		{name: "signature of another key", wantCode: "InvalidIdentityToken",
			token: strings.Join(append(parts[:2:2], strings.Split(sign(t, jose.RS256, rsaKey2, "k1", ghClaims(), nil), ".")[2]), ".")},
		{name: "keys unreachable", wantCode: "IDPCommunicationError", src: failingSource{ErrKeysUnavailable},
			token: valid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = t0.Add(time.Minute)
			}
			prov := p
			if tc.src != nil {
				prov = ghProvider(t, nil)
			}
			_, err := verify(t, prov, tc.token, tc.src, now)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *federation.Error %s", err, tc.wantCode)
			}
			if fe.Code != tc.wantCode || !strings.HasPrefix(fe.Message, tc.wantMsg) {
				t.Errorf("got %s %q (%s), want %s %q", fe.Code, fe.Message, fe.Reason, tc.wantCode, tc.wantMsg)
			}
			if fe.Message == "" || fe.Reason == "" {
				t.Errorf("error without message or reason: %#v", fe)
			}
			if strings.Contains(fe.Message, fe.Reason) {
				t.Errorf("the reason %q leaks into the message", fe.Reason)
			}
		})
	}
}

type failingSource struct{ err error }

func (f failingSource) Keys(context.Context, *OIDCProvider, string) ([]jose.JSONWebKey, error) {
	return nil, fmt.Errorf("fetching jwks: %w", f.err)
}

type staticSource struct{ keys *jose.JSONWebKeySet }

func (s staticSource) Keys(_ context.Context, _ *OIDCProvider, kid string) ([]jose.JSONWebKey, error) {
	if kid == "" {
		return s.keys.Keys, nil
	}
	return s.keys.Key(kid), nil
}

// TestVerifyAccepts: what AWS accepts at the edges.
func TestVerifyAccepts(t *testing.T) {
	t.Logf("AWS: %s; %s", docOIDC, docTagsIdP)
	testKeys(t)
	one := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &rsaKey.PublicKey}}}
	with := func(mod func(map[string]any)) map[string]any { c := ghClaims(); mod(c); return c }
	tests := []struct {
		name  string
		p     *OIDCProvider
		src   KeySource
		token string
		now   time.Time
		check func(*WebIdentity) string
	}{
		{name: "expired 4 min 59 s ago (5-minute leeway)", p: ghProvider(t, jwks(t)), now: t0.Add(14*time.Minute + 59*time.Second),
			token: sign(t, jose.RS256, rsaKey, "k1", ghClaims(), nil)},
		{name: "nbf 4 min ahead", p: ghProvider(t, jwks(t)),
			token: sign(t, jose.RS256, rsaKey, "k1", with(func(c map[string]any) { c["nbf"] = t0.Add(5 * time.Minute).Unix() }), nil)},
		{name: "no kid, one key", p: ghProvider(t, one), token: sign(t, jose.RS256, rsaKey, "", ghClaims(), nil)},
		{name: "keys from a KeySource", p: ghProvider(t, nil), src: staticSource{jwks(t)}, token: sign(t, jose.ES256, ecKey, "e1", ghClaims(), nil)},
		{name: "aud a list with the client ID second", p: ghProvider(t, jwks(t)),
			token: sign(t, jose.RS256, rsaKey, "k1", with(func(c map[string]any) { c["aud"] = []string{"x", ghAud} }), nil),
			check: func(w *WebIdentity) string {
				if w.Audience != ghAud || len(w.Audiences) != 2 {
					return fmt.Sprintf("audience %q of %q", w.Audience, w.Audiences)
				}
				return ""
			}},
		{name: "session tags and source identity claims", p: ghProvider(t, jwks(t)),
			token: sign(t, jose.RS256, rsaKey, "k1", with(func(c map[string]any) {
				c[tagsClaim] = map[string]any{"principal_tags": map[string]any{"team": []string{"infra"}, "cost": []string{"42"}}, "transitive_tag_keys": []string{"team"}}
				c[sourceIdentityClaim] = "alice"
			}), nil),
			check: func(w *WebIdentity) string {
				if fmt.Sprint(w.Tags) != "[{cost 42} {team infra}]" || fmt.Sprint(w.TransitiveTagKeys) != "[team]" || w.SourceIdentity != "alice" || !w.HasSourceIdentity {
					return fmt.Sprintf("tags %v transitive %v source %q", w.Tags, w.TransitiveTagKeys, w.SourceIdentity)
				}
				return ""
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = t0.Add(time.Minute)
			}
			w, err := verify(t, tc.p, tc.token, tc.src, now)
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				if msg := tc.check(w); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// TestGoogleAudience: for Google, accounts.google.com:aud is azp when the
// token has one, and accounts.google.com:oaud the aud claim
// (reference_policies_iam-condition-keys.html#condition-keys-wif).
func TestGoogleAudience(t *testing.T) {
	t.Logf("AWS: %s", docWIFKeys)
	testKeys(t)
	p, err := NewOIDCProvider(ghAcct, "https://accounts.google.com", []string{"web-client.apps.googleusercontent.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Keys = jwks(t)
	c := map[string]any{"iss": "https://accounts.google.com", "sub": "110169484474386276334", "azp": "web-client.apps.googleusercontent.com",
		"aud": "backend.apps.googleusercontent.com", "amr": []string{"pwd", "mfa"}, "iat": t0.Unix(), "exp": t0.Add(time.Hour).Unix()}
	w, err := verify(t, p, sign(t, jose.RS256, rsaKey, "k1", c, nil), nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := condition.NewContext()
	w.SetConditionKeys(ctx)
	for key, want := range map[string][]string{
		"accounts.google.com:aud":  {"web-client.apps.googleusercontent.com"},
		"accounts.google.com:oaud": {"backend.apps.googleusercontent.com"},
		"accounts.google.com:azp":  {"web-client.apps.googleusercontent.com"},
		"accounts.google.com:sub":  {"110169484474386276334"},
		"accounts.google.com:amr":  {"pwd", "mfa"},
	} {
		v, ok := ctx.Lookup(key)
		if !ok || fmt.Sprint(v.Strings()) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", key, v.Strings(), want)
		}
	}
}

// TestTamper flips each byte of a valid token: every variant is refused,
// or (where base64 padding bits absorb the flip) verifies to the same
// identity.
func TestTamper(t *testing.T) {
	p := ghProvider(t, jwks(t))
	token := sign(t, jose.ES256, ecKey, "e1", ghClaims(), nil)
	want, err := verify(t, p, token, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range len(token) {
		b := []byte(token)
		b[i] ^= 0x01
		w, err := verify(t, p, string(b), nil, t0)
		if err == nil && (w.Subject != want.Subject || w.Audience != want.Audience) {
			t.Fatalf("byte %d flipped: accepted as %+v", i, w)
		}
	}
}

func TestNewOIDCProvider(t *testing.T) {
	t.Logf("AWS: %s", docCreateOIDC)
	ok := []string{"https://token.actions.githubusercontent.com", "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
		"https://auth-dev.mozilla.auth0.com/", "https://Example.com/Path"}
	for _, u := range ok {
		p, err := NewOIDCProvider(ghAcct, u, []string{"a"}, []string{strings.Repeat("ab", 20)})
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if want := "arn:aws:iam::111111111111:oidc-provider/" + strings.TrimPrefix(u, "https://"); p.ARN != want {
			t.Errorf("ARN %s, want %s", p.ARN, want)
		}
	}
	ids := func(n int) []string {
		l := make([]string, n)
		for i := range l {
			l[i] = fmt.Sprint("c", i)
		}
		return l
	}
	bad := []struct {
		name, url   string
		ids, thumbs []string
	}{
		{"http", "http://example.com", []string{"a"}, nil},
		{"port", "https://example.com:8443", []string{"a"}, nil},
		{"query", "https://example.com?a=b", []string{"a"}, nil},
		{"fragment", "https://example.com#x", []string{"a"}, nil},
		{"userinfo", "https://u@example.com", []string{"a"}, nil},
		{"no host", "https:///path", []string{"a"}, nil},
		{"space", "https://exa mple.com", []string{"a"}, nil},
		{"256 characters", "https://" + strings.Repeat("a", 248), []string{"a"}, nil},
		{"no client ID", "https://example.com", nil, nil},
		{"101 client IDs", "https://example.com", ids(101), nil},
		{"empty client ID", "https://example.com", []string{""}, nil},
		{"6 thumbprints", "https://example.com", []string{"a"}, []string{strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40), strings.Repeat("d", 40), strings.Repeat("e", 40), strings.Repeat("f", 40)}},
		{"thumbprint not hex", "https://example.com", []string{"a"}, []string{strings.Repeat("g", 40)}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewOIDCProvider(ghAcct, tc.url, tc.ids, tc.thumbs)
			var pe *ProviderError
			if !errors.Is(err, ErrInvalidProvider) || !errors.As(err, &pe) || pe.Reason == "" {
				t.Errorf("err = %v, want a ProviderError", err)
			}
		})
	}
	if _, err := NewOIDCProvider("1234", ghURL, []string{"a"}, nil); !errors.Is(err, ErrInvalidProvider) {
		t.Errorf("bad account: %v", err)
	}
	testKeys(t)
	p := ghProvider(t, &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: []byte("secret"), KeyID: "h"}}})
	if err := p.Validate(); !errors.Is(err, ErrInvalidProvider) {
		t.Errorf("symmetric key accepted: %v", err)
	}
}
