package jwks_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/jwks"
)

// A provider publishes its discovery document and key set; a Source
// fetches them once and federation verifies tokens with them.
func Example() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	var idp *httptest.Server
	idp = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			json.NewEncoder(w).Encode(map[string]string{"issuer": idp.URL, "jwks_uri": idp.URL + "/keys"})
		case "/keys":
			json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
				{Key: &key.PublicKey, KeyID: "2026-12", Use: "sig", Algorithm: "ES256"},
			}})
		}
	}))
	defer idp.Close()

	// The test server's client trusts its certificate. Real providers
	// need no Client: the default verifies against the system's roots.
	src := jwks.New(jwks.Options{Client: idp.Client()})
	// IAM refuses a provider URL with a port, as the test server's has,
	// so this provider is built by hand rather than by NewOIDCProvider.
	p := &federation.OIDCProvider{
		ARN:       "arn:aws:iam::111111111111:oidc-provider/" + strings.TrimPrefix(idp.URL, "https://"),
		URL:       idp.URL,
		ClientIDs: []string{"sts.amazonaws.com"},
	}

	now := time.Now()
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "2026-12"))
	claims, _ := json.Marshal(map[string]any{"iss": idp.URL, "sub": "system:serviceaccount:default:app",
		"aud": "sts.amazonaws.com", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
	jws, _ := signer.Sign(claims)
	token, _ := jws.CompactSerialize()

	tok, err := federation.ParseWebIdentityToken(token)
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err := p.Verify(context.Background(), tok, src, now)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Subject)

	keys, err := src.Keys(context.Background(), p, "2026-12")
	fmt.Println(len(keys), keys[0].IsPublic(), err)
	// Output:
	// system:serviceaccount:default:app
	// 1 true <nil>
}
