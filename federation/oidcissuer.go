package federation

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// A TestOIDCIssuer signs web identity tokens for an [OIDCProvider] with a
// private key it holds, as the real identity provider (GitHub Actions, an
// EKS cluster, Google) would: for local testing only, such as the test
// issuers of a world file and "iamkit mint oidc". A TestOIDCIssuer is
// read-only once made and safe for concurrent use.
type TestOIDCIssuer struct {
	provider *OIDCProvider
	key      jose.JSONWebKey
	alg      jose.SignatureAlgorithm
}

// ErrNotSigningKey is matched by the error of [NewTestOIDCIssuer] for a key
// that cannot sign web identity tokens.
var ErrNotSigningKey = errors.New("federation: not a private signing key")

// NewTestOIDCIssuer returns an issuer for p signing with key, a private
// RSA or ECDSA JSON Web Key with a key ID and an algorithm among
// [SignatureAlgorithms] (an ECDSA key's algorithm must fit its curve). Its
// public part is [TestOIDCIssuer.PublicKey]: add it to the provider's
// keys for its tokens to verify.
func NewTestOIDCIssuer(p *OIDCProvider, key jose.JSONWebKey) (*TestOIDCIssuer, error) {
	if p == nil {
		return nil, errors.New("federation: NewTestOIDCIssuer: nil provider")
	}
	fail := func(reason string) error {
		return fmt.Errorf("%w for %s: %s", ErrNotSigningKey, clip(p.URL), reason)
	}
	switch {
	case key.IsPublic():
		return nil, fail("the key is public (a test issuer needs the private key)")
	case !key.Valid():
		return nil, fail("the key is not a valid RSA or ECDSA key")
	case key.KeyID == "":
		return nil, fail("no kid")
	case key.Use != "" && key.Use != "sig":
		return nil, fail("use is " + clip(key.Use) + ", not sig")
	}
	alg := jose.SignatureAlgorithm(key.Algorithm)
	if !slices.Contains(SignatureAlgorithms, alg) {
		return nil, fail("alg " + clip(key.Algorithm) + " is not one of RS256, RS384, RS512, ES256, ES384, ES512")
	}
	pub := key.Public()
	if !keyFits(&pub, key.Algorithm) {
		return nil, fail("a " + key.Algorithm + " signature needs another key type or curve")
	}
	return &TestOIDCIssuer{provider: p, key: key, alg: alg}, nil
}

// Provider returns the provider the issuer signs for.
func (i *TestOIDCIssuer) Provider() *OIDCProvider { return i.provider }

// PublicKey returns the public part of the signing key, with its key ID,
// use "sig" and algorithm, as the provider's JWKS publishes it.
func (i *TestOIDCIssuer) PublicKey() jose.JSONWebKey {
	pub := i.key.Public()
	pub.Use = "sig"
	return pub
}

// String names the issuer without its key.
func (i *TestOIDCIssuer) String() string {
	return "federation.TestOIDCIssuer{URL: " + i.provider.URL + ", kid: " + i.key.KeyID + "}"
}

// GoString is String, so %#v never prints the private key.
func (i *TestOIDCIssuer) GoString() string { return i.String() }

// Mint signs a token with claims, which are copied: iss is the provider's
// URL, iat now, exp now+ttl, and aud the provider's first client ID unless
// claims has one. Claims given for iss, iat or exp are refused, so a test
// cannot mint a token the provider would not issue by accident; sign
// other shapes with go-jose directly.
func (i *TestOIDCIssuer) Mint(claims map[string]any, now time.Time, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", fmt.Errorf("federation: Mint: lifetime %v is not positive", ttl)
	}
	c := make(map[string]any, len(claims)+4)
	for k, v := range claims {
		switch k {
		case "iss", "iat", "exp":
			return "", fmt.Errorf("federation: Mint: claim %q is set by the issuer", k)
		}
		c[k] = v
	}
	if _, ok := c["aud"]; !ok && len(i.provider.ClientIDs) > 0 {
		c["aud"] = i.provider.ClientIDs[0]
	}
	c["iss"] = i.provider.URL
	c["iat"] = now.Unix()
	c["exp"] = now.Add(ttl).Unix()
	payload, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("federation: Mint: %w", err)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: i.alg, Key: i.key.Key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), i.key.KeyID))
	if err != nil {
		return "", fmt.Errorf("federation: Mint: %w", err)
	}
	obj, err := s.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("federation: Mint: %w", err)
	}
	return obj.CompactSerialize()
}
