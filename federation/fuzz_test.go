package federation

import (
	"context"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// FuzzVerify: parsing and verifying any string never panics, and nothing
// but a token signed by the provider's key verifies.
func FuzzVerify(f *testing.F) {
	p := ghProvider(f, jwks(f))
	valid := sign(f, jose.RS256, rsaKey, "k1", ghClaims(), nil)
	f.Add(valid)
	f.Add(sign(f, jose.ES256, ecKey, "e1", ghClaims(), nil))
	f.Add(b64(`{"alg":"none"}`) + "." + strings.Split(valid, ".")[1] + ".")
	f.Add("a.b.c")
	f.Add("....")
	f.Add(`{"payload":"e30","signatures":[]}`)
	f.Fuzz(func(t *testing.T, token string) {
		tok, err := ParseWebIdentityToken(token)
		if err != nil {
			return
		}
		w, err := p.Verify(context.Background(), tok, nil, t0)
		if err == nil && (w.Subject == "" || w.Audience == "") {
			t.Fatalf("verified without subject or audience: %+v", w)
		}
	})
}
