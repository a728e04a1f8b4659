package credentials

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/sts"
)

// BenchmarkVerify measures Verify on small signed requests with the
// signing-key cache warm: the STS Query protocol as the SDKs send it
// (header form, body hashed), a GET with a query, and a presigned URL,
// each resolved by an *sts.Issuer over a MemoryDirectory (long-term key,
// and GetSessionToken credentials, whose token is opened per request) and
// by a trivial map resolver, which isolates the cost of SigV4 itself.
func BenchmarkVerify(b *testing.B) {
	f := newSigvFixture(b, VerifierOptions{Service: "sts", Region: "us-east-1"})
	static := sigvStaticResolver{sigvKeyID: {"", sts.NewSecret(sigvSecret)}}
	staticV, err := NewVerifier(VerifierOptions{Resolver: static, Now: f.clock})
	if err != nil {
		b.Fatal(err)
	}
	get := sigvCase{method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts", region: "us-east-1"}
	getReq := func(c sigvCase) *http.Request {
		r := c.request(b, "https://sts.amazonaws.com")
		sigvSign(b, c, r, f.long, sigvNow)
		return r
	}
	for _, bc := range []struct {
		name string
		v    *Verifier
		req  func() *http.Request
		post bool
	}{
		{"header-get/long-term/static-resolver", staticV, func() *http.Request { return getReq(get) }, false},
		{"header-get/long-term/issuer", f.v, func() *http.Request { return getReq(get) }, false},
		{"header-post-form/long-term/issuer", f.v, func() *http.Request { return sigvSignedSTS(b, f.long, sigvNow) }, true},
		{"header-get/session-token/issuer", f.v, func() *http.Request {
			r := get.request(b, "https://sts.amazonaws.com")
			sigvSign(b, get, r, f.session, sigvNow)
			return r
		}, false},
		{"presigned/long-term/issuer", f.v, func() *http.Request { return sigvPresignedSTS(b, f.long, sigvNow, 300) }, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := bc.req()
			body := strings.NewReader(sigvForm)
			if _, err := bc.v.Verify(req); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if bc.post {
					body.Reset(sigvForm)
					req.Body = io.NopCloser(body)
				}
				if _, err := bc.v.Verify(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSigningKey compares a cache hit with deriving the key.
func BenchmarkSigningKey(b *testing.B) {
	var kc keyCache
	kc.m = make(map[keyID]*keyEntry)
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			kc.signingKey(sigvKeyID, "20260101", "us-east-1", "sts", sts.NewSecret(sigvSecret))
		}
	})
	b.Run("derive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			deriveKey(sigvSecret, "20260101", "us-east-1", "sts")
		}
	})
}

// BenchmarkResolve is the Issuer's share of BenchmarkVerify.
func BenchmarkResolve(b *testing.B) {
	f := newSigvFixture(b, VerifierOptions{})
	var r Resolver = f.issuer
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := r.Resolve(ctx, sigvKeyID, ""); err != nil {
			b.Fatal(err)
		}
	}
}
