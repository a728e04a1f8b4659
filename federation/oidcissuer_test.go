package federation

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// TestTestOIDCIssuer: a minted token verifies against the provider holding
// the issuer's public key, with the claims AWS reads (docAWRWI), and only
// within its lifetime (plus AWS's leeway).
func TestTestOIDCIssuer(t *testing.T) {
	testKeys(t)
	for _, tc := range []struct {
		name string
		key  any
		alg  string
	}{{"ES256", ecKey, "ES256"}, {"ES384", ecKey384, "ES384"}, {"RS256", rsaKey, "RS256"}, {"RS512", rsaKey2, "RS512"}} {
		t.Run(tc.name, func(t *testing.T) {
			p := ghProvider(t, nil)
			is, err := NewTestOIDCIssuer(p, jose.JSONWebKey{Key: tc.key, KeyID: "test-1", Algorithm: tc.alg})
			if err != nil {
				t.Fatal(err)
			}
			pub := is.PublicKey()
			if !pub.IsPublic() || pub.KeyID != "test-1" || pub.Use != "sig" || pub.Algorithm != tc.alg {
				t.Fatalf("PublicKey() = %+v", pub)
			}
			p.Keys = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pub}}
			tok, err := is.Mint(map[string]any{"sub": ghSub, "repository": "example-org/example-repo"}, t0, 10*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			w, err := verify(t, p, tok, nil, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if w.Subject != ghSub || w.Audience != ghAud || !w.IssuedAt.Equal(t0) || !w.ExpiresAt.Equal(t0.Add(10*time.Minute)) {
				t.Errorf("verified identity = %+v", w)
			}
			if _, err := verify(t, p, tok, nil, t0.Add(10*time.Minute+Leeway+time.Second)); !errors.Is(err, ErrExpiredToken) {
				t.Errorf("after exp+leeway: %v, want ErrExpiredToken", err)
			}
			// An explicit aud replaces the default.
			tok, err = is.Mint(map[string]any{"sub": ghSub, "aud": "another-client"}, t0, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := verify(t, p, tok, nil, t0); !errors.Is(err, ErrInvalidIdentityToken) {
				t.Errorf("token for another client: %v, want ErrInvalidIdentityToken", err)
			}
		})
	}
}

func TestNewTestOIDCIssuerErrors(t *testing.T) {
	testKeys(t)
	p := ghProvider(t, nil)
	for name, key := range map[string]jose.JSONWebKey{
		"public key":      {Key: &ecKey.PublicKey, KeyID: "k", Algorithm: "ES256"},
		"HMAC":            {Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "k", Algorithm: "HS256"},
		"no kid":          {Key: ecKey, Algorithm: "ES256"},
		"no alg":          {Key: ecKey, KeyID: "k"},
		"alg none":        {Key: ecKey, KeyID: "k", Algorithm: "none"},
		"curve mismatch":  {Key: ecKey, KeyID: "k", Algorithm: "ES384"},
		"RSA key, ES alg": {Key: rsaKey, KeyID: "k", Algorithm: "ES256"},
		"use enc":         {Key: ecKey, KeyID: "k", Algorithm: "ES256", Use: "enc"},
		"no key":          {KeyID: "k", Algorithm: "ES256"},
	} {
		if _, err := NewTestOIDCIssuer(p, key); !errors.Is(err, ErrNotSigningKey) {
			t.Errorf("%s: %v, want ErrNotSigningKey", name, err)
		}
	}
	if _, err := NewTestOIDCIssuer(nil, jose.JSONWebKey{Key: ecKey, KeyID: "k", Algorithm: "ES256"}); err == nil {
		t.Error("nil provider accepted")
	}
	is, err := NewTestOIDCIssuer(p, jose.JSONWebKey{Key: ecKey, KeyID: "k", Algorithm: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"iss", "iat", "exp"} {
		if _, err := is.Mint(map[string]any{c: 1}, t0, time.Minute); err == nil {
			t.Errorf("Mint with %s set: no error", c)
		}
	}
	if _, err := is.Mint(nil, t0, 0); err == nil {
		t.Error("zero lifetime: no error")
	}
	// The private scalar never prints.
	d := ecKey.D.String()
	for _, out := range []string{fmt.Sprint(is), fmt.Sprintf("%v %+v %#v %s", is, is, is, is)} {
		if strings.Contains(out, d[:12]) {
			t.Errorf("output reveals the private key: %s", out)
		}
	}
}
