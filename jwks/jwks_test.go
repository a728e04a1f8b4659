package jwks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/federation"
)

// The pages the expected behaviour comes from.
const (
	docCreateOIDC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html"
	docAWRWI      = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html"
	docThumbprint = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html"
	docDiscovery  = "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig"
	docJWKSet     = "https://datatracker.ietf.org/doc/html/rfc7517#section-5"
)

var t0 = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// A clock is a fake time.Now that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	keysOnce    sync.Once
	ec1, ec2    *ecdsa.PrivateKey
	rsa1        *rsa.PrivateKey
	testKeysErr error
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		if ec1, testKeysErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); testKeysErr != nil {
			return
		}
		if ec2, testKeysErr = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); testKeysErr != nil {
			return
		}
		rsa1, testKeysErr = rsa.GenerateKey(rand.Reader, 2048)
	})
	if testKeysErr != nil {
		t.Fatal(testKeysErr)
	}
}

// An idp is an OpenID provider on an httptest TLS server: its discovery
// document at any PATH/.well-known/openid-configuration names PATH's
// issuer and its key set at /keys.
type idp struct {
	srv *httptest.Server

	mu       sync.Mutex
	keys     []jose.JSONWebKey // the set served
	issuer   string            // the issuer served; "" for the one asked for
	jwksURI  string            // "" for srv.URL + "/keys"
	status   int               // non-zero: every answer has this status
	keysBody []byte            // non-nil: served instead of keys
	discBody []byte            // non-nil: served instead of the discovery document
	hold     chan struct{}     // non-nil: /keys waits for it to close

	discoveryHits, jwksHits atomic.Int64
	lastDiscoveryPath       atomic.Value
}

func newIDP(t testing.TB, keys ...jose.JSONWebKey) *idp {
	t.Helper()
	d := &idp{keys: keys}
	d.srv = httptest.NewTLSServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.srv.Close)
	return d
}

func (d *idp) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	status, issuer, uri, keys, keysBody, discBody, hold := d.status, d.issuer, d.jwksURI, d.keys, d.keysBody, d.discBody, d.hold
	d.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
		d.discoveryHits.Add(1)
		d.lastDiscoveryPath.Store(r.URL.Path)
		if status != 0 {
			http.Error(w, "SECRET-BODY-TEXT", status)
			return
		}
		if discBody != nil {
			w.Write(discBody)
			return
		}
		if issuer == "" {
			issuer = d.srv.URL + strings.TrimSuffix(r.URL.Path, ".well-known/openid-configuration")
			issuer = strings.TrimSuffix(issuer, "/")
		}
		if uri == "" {
			uri = d.srv.URL + "/keys"
		}
		json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "jwks_uri": uri, "id_token_signing_alg_values_supported": []string{"ES256", "RS256"}})
	case r.URL.Path == "/keys":
		d.jwksHits.Add(1)
		if hold != nil {
			<-hold
		}
		if status != 0 {
			http.Error(w, "SECRET-BODY-TEXT", status)
			return
		}
		if keysBody != nil {
			w.Write(keysBody)
			return
		}
		b, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		w.Write(b)
	default:
		http.NotFound(w, r)
	}
}

func (d *idp) set(f func(d *idp)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(d)
}

func (d *idp) hits() int64 { return d.jwksHits.Load() }

// provider is d's provider. It is made by hand, not by
// federation.NewOIDCProvider, because an httptest URL has a port, which
// IAM (and so NewOIDCProvider) refuses; OIDCProvider.Verify does not
// re-validate the URL. TestNewOIDCProviderRefusesPort keeps this honest.
func (d *idp) provider() *federation.OIDCProvider {
	return &federation.OIDCProvider{
		ARN:       "arn:aws:iam::111111111111:oidc-provider/" + strings.TrimPrefix(d.srv.URL, "https://"),
		URL:       d.srv.URL,
		ClientIDs: []string{"sts.amazonaws.com"},
	}
}

func (d *idp) source(c *clock, opt Options) *Source {
	opt.Client = d.srv.Client()
	opt.Now = c.Now
	return New(opt)
}

func pubJWK(key any, kid string) jose.JSONWebKey {
	switch k := key.(type) {
	case *ecdsa.PrivateKey:
		return jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Use: "sig", Algorithm: "ES256"}
	case *rsa.PrivateKey:
		return jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Use: "sig", Algorithm: "RS256"}
	}
	panic(fmt.Sprintf("pubJWK: %T", key))
}

func kids(keys []jose.JSONWebKey) []string {
	var l []string
	for _, k := range keys {
		l = append(l, k.KeyID)
	}
	return l
}

func mustKeys(t *testing.T, s *Source, p *federation.OIDCProvider, kid string, want ...string) {
	t.Helper()
	got, err := s.Keys(context.Background(), p, kid)
	if err != nil {
		t.Fatalf("Keys(%q): %v", kid, err)
	}
	if diff := cmp.Diff(want, kids(got)); diff != "" {
		t.Fatalf("Keys(%q) key IDs (-want +got):\n%s", kid, diff)
	}
}

func wantHits(t *testing.T, d *idp, discovery, keys int64) {
	t.Helper()
	if g, k := d.discoveryHits.Load(), d.jwksHits.Load(); g != discovery || k != keys {
		t.Fatalf("server hits: discovery %d, keys %d; want %d, %d", g, k, discovery, keys)
	}
}

// TestFetchAndCache: the first call fetches the discovery document and
// the set; later calls, for any kid the set has, are answered from the
// cache.
func TestFetchAndCache(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"), pubJWK(rsa1, "r1"))
	s := d.source(newClock(), Options{})
	p := d.provider()
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 1, 1)
	for range 10 {
		mustKeys(t, s, p, "e1", "e1")
		mustKeys(t, s, p, "r1", "r1")
		mustKeys(t, s, p, "", "e1", "r1")
	}
	wantHits(t, d, 1, 1)
	if got := d.lastDiscoveryPath.Load(); got != "/.well-known/openid-configuration" {
		t.Errorf("discovery path %v", got)
	}
}

// TestIssuerPaths: the well-known path is appended to the issuer, a
// terminating "/" removed first (OIDC Discovery 1.0 §4), and the issuer
// served must equal the provider URL exactly, slash and all (§4.3).
func TestIssuerPaths(t *testing.T) {
	testKeys(t)
	for _, tc := range []struct {
		name, suffix, path string
	}{
		{"host", "", "/.well-known/openid-configuration"},
		{"trailing slash", "/", "/.well-known/openid-configuration"},
		{"path", "/tenant/v2.0", "/tenant/v2.0/.well-known/openid-configuration"},
		{"path and slash", "/tenant/", "/tenant/.well-known/openid-configuration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newIDP(t, pubJWK(ec1, "e1"))
			d.set(func(d *idp) { d.issuer = d.srv.URL + tc.suffix })
			p := d.provider()
			p.URL += tc.suffix
			mustKeys(t, d.source(newClock(), Options{}), p, "e1", "e1")
			if got := d.lastDiscoveryPath.Load(); got != tc.path {
				t.Errorf("discovery path %v, want %s (%s)", got, tc.path, docDiscovery)
			}
		})
	}
}

// TestRotation: a kid the cached set lacks is refetched at once, so a
// rotated key is found; the key removed is then unknown.
func TestRotation(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	clk := newClock()
	s := d.source(clk, Options{})
	p := d.provider()
	mustKeys(t, s, p, "e1", "e1")
	d.set(func(d *idp) { d.keys = []jose.JSONWebKey{pubJWK(ec2, "e2")} })
	clk.Advance(2 * time.Minute)
	mustKeys(t, s, p, "e2", "e2")
	wantHits(t, d, 2, 2)
	// e1 is gone; asking again within the interval does not refetch.
	mustKeys(t, s, p, "e1")
	wantHits(t, d, 2, 2)
}

// TestUnknownKidRateLimit: tokens with random kids make at most one fetch
// per MinRefetchInterval, and get no keys and no error.
func TestUnknownKidRateLimit(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	clk := newClock()
	s := d.source(clk, Options{MinRefetchInterval: time.Minute})
	p := d.provider()
	mustKeys(t, s, p, "e1", "e1")
	clk.Advance(time.Minute) // the first fetch also counts
	random := func() {
		t.Helper()
		for i := range 50 {
			mustKeys(t, s, p, fmt.Sprintf("random-%d-%d", clk.Now().Unix(), i))
		}
	}
	random()
	wantHits(t, d, 2, 2)
	clk.Advance(59 * time.Second)
	random()
	wantHits(t, d, 2, 2)
	clk.Advance(time.Second)
	random()
	wantHits(t, d, 3, 3)
	// Known keys are served throughout.
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 3, 3)
}

// TestTTL: a set is fresh for TTL; after, a known kid refetches too.
func TestTTL(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	clk := newClock()
	s := d.source(clk, Options{TTL: 10 * time.Minute})
	p := d.provider()
	mustKeys(t, s, p, "e1", "e1")
	clk.Advance(10*time.Minute - time.Nanosecond)
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 1, 1)
	clk.Advance(time.Nanosecond)
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 2, 2)
}

// TestStaleWhileError: when the provider goes down, the last set is still
// served past its TTL, until MaxStale, with one attempt per interval; a
// kid it lacks is then an error; when the provider is back, the next
// attempt refreshes.
func TestStaleWhileError(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	clk := newClock()
	s := d.source(clk, Options{TTL: time.Hour, MaxStale: 24 * time.Hour})
	p := d.provider()
	mustKeys(t, s, p, "e1", "e1")
	d.set(func(d *idp) { d.status = http.StatusServiceUnavailable })

	clk.Advance(2 * time.Hour)
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 2, 1)
	mustKeys(t, s, p, "e1", "e1") // within the interval: no new attempt
	wantHits(t, d, 2, 1)
	if _, err := s.Keys(context.Background(), p, "e9"); !errors.Is(err, federation.ErrKeysUnavailable) {
		t.Errorf("unknown kid while down: %v, want ErrKeysUnavailable", err)
	}
	wantHits(t, d, 2, 1)

	clk.Advance(22*time.Hour - time.Second) // 1 s short of MaxStale
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 3, 1)
	clk.Advance(time.Second)
	if _, err := s.Keys(context.Background(), p, "e1"); !errors.Is(err, federation.ErrKeysUnavailable) {
		t.Fatalf("past MaxStale: %v, want ErrKeysUnavailable", err)
	}
	wantHits(t, d, 3, 1) // rate limited: the attempt of a second ago stands

	d.set(func(d *idp) { d.status = 0 })
	clk.Advance(time.Minute)
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 4, 2)
}

// TestDownAtFirst: with no set ever fetched, a failure wraps
// ErrKeysUnavailable, names the URL and the reason but not the body, and
// is remembered for MinRefetchInterval.
func TestDownAtFirst(t *testing.T) {
	d := newIDP(t)
	d.set(func(d *idp) { d.status = http.StatusInternalServerError })
	clk := newClock()
	s := d.source(clk, Options{})
	p := d.provider()
	_, err := s.Keys(context.Background(), p, "e1")
	var fe *FetchError
	if !errors.Is(err, federation.ErrKeysUnavailable) || !errors.Is(err, errStatus) || !errors.As(err, &fe) {
		t.Fatalf("Keys: %v, want a *FetchError wrapping ErrKeysUnavailable and errStatus", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, p.URL+"/.well-known/openid-configuration") || !strings.Contains(msg, "500") {
		t.Errorf("message %q does not name the URL and status", msg)
	}
	if strings.Contains(msg, "SECRET") {
		t.Errorf("message %q quotes the body", msg)
	}
	if _, err2 := s.Keys(context.Background(), p, "e1"); err2 != err {
		t.Errorf("second call: %v, want the remembered %v", err2, err)
	}
	wantHits(t, d, 1, 0)
	clk.Advance(time.Minute)
	s.Keys(context.Background(), p, "e1")
	wantHits(t, d, 2, 0)
}

// TestUnreachable: a provider that does not answer at all.
func TestUnreachable(t *testing.T) {
	d := newIDP(t)
	s := d.source(newClock(), Options{})
	p := d.provider()
	d.srv.Close()
	_, err := s.Keys(context.Background(), p, "")
	if !errors.Is(err, federation.ErrKeysUnavailable) {
		t.Fatalf("Keys: %v, want ErrKeysUnavailable", err)
	}
	if strings.Count(err.Error(), p.URL) != 1 {
		t.Errorf("message %q should name the URL once", err)
	}
}

// TestRefused: answers that fail a fetch, each for its reason.
func TestRefused(t *testing.T) {
	testKeys(t)
	const limit = 4096
	big := `{"keys":[],"pad":"` + strings.Repeat("x", limit) + `"}`
	for _, tc := range []struct {
		name string
		set  func(d *idp)
		want error
	}{
		{"discovery status", func(d *idp) { d.status = http.StatusNotFound }, errStatus},
		{"discovery too large", func(d *idp) { d.discBody = []byte(big) }, errTooLarge},
		{"keys too large", func(d *idp) { d.keysBody = []byte(big) }, errTooLarge},
		{"discovery not JSON", func(d *idp) { d.discBody = []byte("<html>") }, errNotJSON},
		{"discovery null", func(d *idp) { d.discBody = []byte("null") }, errNotJSON},
		{"discovery array", func(d *idp) { d.discBody = []byte("[]") }, errNotJSON},
		{"no issuer", func(d *idp) { d.discBody = []byte(`{"jwks_uri":"` + d.srv.URL + `/keys"}`) }, errIssuer},
		{"other issuer", func(d *idp) { d.issuer = "https://evil.example.com" }, errIssuer},
		{"issuer with slash", func(d *idp) { d.issuer = d.srv.URL + "/" }, errIssuer},
		{"issuer in upper case", func(d *idp) { d.issuer = strings.ToUpper(d.srv.URL) }, errIssuer},
		{"ISSUER", func(d *idp) {
			d.discBody = []byte(`{"ISSUER":"` + d.srv.URL + `","jwks_uri":"` + d.srv.URL + `/keys"}`)
		}, errIssuer},
		{"issuer null", func(d *idp) { d.discBody = []byte(`{"issuer":null,"jwks_uri":"` + d.srv.URL + `/keys"}`) }, errIssuer},
		{"issuer number", func(d *idp) { d.discBody = []byte(`{"issuer":1,"jwks_uri":"` + d.srv.URL + `/keys"}`) }, errIssuer},
		{"JWKS_URI", func(d *idp) {
			d.discBody = []byte(`{"issuer":"` + d.srv.URL + `","JWKS_URI":"` + d.srv.URL + `/keys"}`)
		}, errJWKSURI},
		{"no jwks_uri", func(d *idp) { d.discBody = []byte(`{"issuer":"` + d.srv.URL + `"}`) }, errJWKSURI},
		{"jwks_uri http", func(d *idp) { d.jwksURI = strings.Replace(d.srv.URL, "https:", "http:", 1) + "/keys" }, errJWKSURI},
		{"jwks_uri relative", func(d *idp) { d.jwksURI = "/keys" }, errJWKSURI},
		{"jwks_uri user info", func(d *idp) { d.jwksURI = strings.Replace(d.srv.URL, "https://", "https://u:p@", 1) + "/keys" }, errJWKSURI},
		{"keys not JSON", func(d *idp) { d.keysBody = []byte("{") }, errNotJSON},
		{"keys null", func(d *idp) { d.keysBody = []byte("null") }, errNotJSON},
		{"no keys member", func(d *idp) { d.keysBody = []byte(`{"kty":"EC"}`) }, errNoKeys},
		{"keys not an array", func(d *idp) { d.keysBody = []byte(`{"keys":{}}`) }, errNoKeys},
		{"keys null member", func(d *idp) { d.keysBody = []byte(`{"keys":null}`) }, errNoKeys},
		{"Keys", func(d *idp) { d.keysBody = []byte(`{"Keys":[]}`) }, errNoKeys},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newIDP(t, pubJWK(ec1, "e1"))
			d.set(tc.set)
			_, err := d.source(newClock(), Options{MaxResponseBytes: limit}).Keys(context.Background(), d.provider(), "e1")
			if !errors.Is(err, federation.ErrKeysUnavailable) || !errors.Is(err, tc.want) {
				t.Fatalf("Keys: %v, want ErrKeysUnavailable and %v", err, tc.want)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "xxxx") {
				t.Errorf("message %q quotes the body", err)
			}
		})
	}
}

// TestSizeLimit: a body of exactly MaxResponseBytes is read, with or
// without a Content-Length; one byte more is refused.
func TestSizeLimit(t *testing.T) {
	testKeys(t)
	set, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{pubJWK(ec1, "e1")}})
	if err != nil {
		t.Fatal(err)
	}
	const limit = 2048
	exact := append(append([]byte{}, set...), strings.Repeat(" ", limit-len(set))...)
	over := append(append([]byte{}, exact...), ' ')
	for _, tc := range []struct {
		name    string
		body    []byte
		chunked bool
		ok      bool
	}{
		{"exact", exact, false, true},
		{"exact chunked", exact, true, true},
		{"over", over, false, false},
		{"over chunked", over, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int64
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/keys" {
					fmt.Fprintf(w, `{"issuer":%q,"jwks_uri":%q}`, "https://"+r.Host, "https://"+r.Host+"/keys")
					return
				}
				hits.Add(1)
				if tc.chunked {
					w.Write(tc.body[:10])
					w.(http.Flusher).Flush()
					w.Write(tc.body[10:])
					return
				}
				w.Header().Set("Content-Length", fmt.Sprint(len(tc.body)))
				w.Write(tc.body)
			}))
			defer srv.Close()
			s := New(Options{Client: srv.Client(), MaxResponseBytes: limit})
			keys, err := s.Keys(context.Background(), &federation.OIDCProvider{URL: srv.URL}, "e1")
			switch {
			case tc.ok && (err != nil || len(keys) != 1):
				t.Fatalf("Keys: %v, %v; want one key", keys, err)
			case !tc.ok && !errors.Is(err, errTooLarge):
				t.Fatalf("Keys: %v; want errTooLarge", err)
			}
		})
	}
}

// TestPublicOnly: private keys in a set are returned as their public
// part; symmetric keys and keys go-jose does not understand are dropped
// without failing the set (RFC 7517 §5).
func TestPublicOnly(t *testing.T) {
	testKeys(t)
	var raws []json.RawMessage
	for _, k := range []jose.JSONWebKey{
		{Key: ec1, KeyID: "ec-private", Use: "sig"},
		{Key: rsa1, KeyID: "rsa-private", Use: "sig"},
		{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "oct", Algorithm: "HS256"},
		pubJWK(ec2, "ec-public"),
	} {
		b, err := json.Marshal(k)
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, b)
	}
	raws = append(raws,
		json.RawMessage(`{"kty":"XYZ","kid":"unknown-kty"}`),
		json.RawMessage(`{"kty":"EC","kid":"bad-point","crv":"P-256","x":"AA","y":"AA"}`),
		json.RawMessage(`"not a key"`),
	)
	body, err := json.Marshal(map[string]any{"keys": raws})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"d":`) {
		t.Fatal("the test set has no private parameters")
	}
	d := newIDP(t)
	d.set(func(d *idp) { d.keysBody = body })
	s := d.source(newClock(), Options{})
	got, err := s.Keys(context.Background(), d.provider(), "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ec-private", "rsa-private", "ec-public"}, kids(got)); diff != "" {
		t.Errorf("key IDs (-want +got):\n%s (%s)", diff, docJWKSet)
	}
	for _, k := range got {
		if !k.IsPublic() || !k.Valid() {
			t.Errorf("key %q (%T) is not a valid public key", k.KeyID, k.Key)
		}
	}
	if k := got[0].Key.(*ecdsa.PublicKey); !k.Equal(&ec1.PublicKey) {
		t.Error("ec-private is not ec1's public key")
	}
	if k := got[1].Key.(*rsa.PublicKey); !k.Equal(&rsa1.PublicKey) {
		t.Error("rsa-private is not rsa1's public key")
	}
	mustKeys(t, s, d.provider(), "oct")
}

// TestBurst: 100 concurrent calls on a cold cache make one fetch.
func TestBurst(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	hold := make(chan struct{})
	d.set(func(d *idp) { d.hold = hold })
	s := d.source(newClock(), Options{})
	p := d.provider()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			keys, err := s.Keys(context.Background(), p, "e1")
			if err == nil && len(keys) != 1 {
				err = fmt.Errorf("%d keys", len(keys))
			}
			if err != nil {
				errs <- err
			}
		})
	}
	for d.jwksHits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	close(hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	wantHits(t, d, 1, 1)
}

// TestCancel: a caller whose context ends stops waiting; the fetch goes
// on for the others.
func TestCancel(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	hold := make(chan struct{})
	d.set(func(d *idp) { d.hold = hold })
	s := d.source(newClock(), Options{})
	p := d.provider()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := s.Keys(ctx, p, "e1")
		done <- err
	}()
	for d.jwksHits.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	other := make(chan error)
	go func() {
		_, err := s.Keys(context.Background(), p, "e1")
		other <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || !errors.Is(err, federation.ErrKeysUnavailable) {
		t.Errorf("cancelled caller: %v, want context.Canceled and ErrKeysUnavailable", err)
	}
	close(hold)
	if err := <-other; err != nil {
		t.Errorf("other caller: %v", err)
	}
	mustKeys(t, s, p, "e1", "e1")
	wantHits(t, d, 1, 1)
}

// TestRedirects: redirects to https are followed, to http refused: AWS
// speaks to providers over TLS only (the thumbprint page).
func TestRedirects(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	for _, tc := range []struct {
		name, target string
		ok           bool
	}{
		{"https", d.srv.URL + "/keys", true},
		{"http", plain.URL + "/keys", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Every httptest TLS server has the same certificate, which
			// d's client trusts.
			hop := httptest.NewTLSServer(http.RedirectHandler(tc.target, http.StatusFound))
			defer hop.Close()
			d.set(func(d *idp) { d.jwksURI = hop.URL + "/keys" })
			_, err := d.source(newClock(), Options{}).Keys(context.Background(), d.provider(), "e1")
			if (err == nil) != tc.ok {
				t.Fatalf("Keys: %v, want ok %v", err, tc.ok)
			}
			if !tc.ok && !errors.Is(err, federation.ErrKeysUnavailable) {
				t.Fatalf("Keys: %v, want ErrKeysUnavailable (%s)", err, docThumbprint)
			}
		})
	}
}

// TestBadProvider: a nil provider or one that is not https is refused
// without a request; it is not ErrKeysUnavailable, as nothing was tried.
func TestBadProvider(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	s := New(Options{})
	for _, p := range []*federation.OIDCProvider{nil, {URL: plain.URL}, {URL: ""}} {
		if _, err := s.Keys(context.Background(), p, ""); err == nil || errors.Is(err, federation.ErrKeysUnavailable) {
			t.Errorf("Keys(%+v): %v, want an error that is not ErrKeysUnavailable", p, err)
		}
	}
}

// TestOptions: defaults and clamping.
func TestOptions(t *testing.T) {
	type settings struct{ Timeout, TTL, MinRefetch, MaxStale time.Duration }
	get := func(s *Source) settings { return settings{s.timeout, s.ttl, s.minRefetch, s.maxStale} }
	for _, tc := range []struct {
		name  string
		opt   Options
		want  settings
		bytes int64
	}{
		{"zero", Options{}, settings{5 * time.Second, time.Hour, time.Minute, 24 * time.Hour}, 256 << 10},
		{"negative", Options{Timeout: -1, TTL: -1, MinRefetchInterval: -1, MaxStale: -1, MaxResponseBytes: -1},
			settings{5 * time.Second, time.Hour, time.Minute, 24 * time.Hour}, 256 << 10},
		{"TTL below interval", Options{TTL: time.Second, MinRefetchInterval: 5 * time.Minute},
			settings{5 * time.Second, 5 * time.Minute, 5 * time.Minute, 24 * time.Hour}, 256 << 10},
		{"interval below 1s", Options{MinRefetchInterval: time.Millisecond, TTL: time.Millisecond},
			settings{5 * time.Second, time.Second, time.Second, 24 * time.Hour}, 256 << 10},
		{"MaxStale below TTL", Options{TTL: 48 * time.Hour, MaxStale: time.Hour, MaxResponseBytes: 10},
			settings{5 * time.Second, 48 * time.Hour, time.Minute, 48 * time.Hour}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(tc.opt)
			if diff := cmp.Diff(tc.want, get(s)); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
			if s.maxBytes != tc.bytes {
				t.Errorf("MaxResponseBytes %d, want %d", s.maxBytes, tc.bytes)
			}
			if s.client.CheckRedirect == nil || s.now == nil {
				t.Error("no redirect policy or clock")
			}
		})
	}
	// The caller's client is copied, not changed.
	c := &http.Client{}
	New(Options{Client: c})
	if c.CheckRedirect != nil {
		t.Error("New changed the caller's client")
	}
}

// TestCachedNoAllocs: a cached lookup does not allocate.
func TestCachedNoAllocs(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"), pubJWK(ec2, "e2"))
	s := d.source(newClock(), Options{})
	p := d.provider()
	ctx := context.Background()
	mustKeys(t, s, p, "e1", "e1")
	if n := testing.AllocsPerRun(100, func() {
		if keys, err := s.Keys(ctx, p, "e2"); err != nil || len(keys) != 1 {
			t.Fatal(keys, err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per cached Keys, want 0", n)
	}
}

// TestSharedKeysClipped: the keys returned are shared, but clipped, so a
// caller's append copies rather than writes into the cache.
func TestSharedKeysClipped(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"), pubJWK(ec2, "e2"), pubJWK(rsa1, "e1"))
	s := d.source(newClock(), Options{})
	p := d.provider()
	for _, kid := range []string{"", "e1", "e2"} {
		keys, err := s.Keys(context.Background(), p, kid)
		if err != nil || len(keys) == 0 || cap(keys) != len(keys) {
			t.Errorf("Keys(%q): len %d, cap %d, %v; want len = cap > 0", kid, len(keys), cap(keys), err)
		}
		_ = append(keys, jose.JSONWebKey{KeyID: "appended"})
	}
	mustKeys(t, s, p, "", "e1", "e2", "e1")
	mustKeys(t, s, p, "e1", "e1", "e1")
}

// TestNewOIDCProviderRefusesPort: IAM refuses a provider URL with a port
// (id_roles_providers_create_oidc.html), so the tests build their
// httptest providers by hand (see idp.provider).
func TestNewOIDCProviderRefusesPort(t *testing.T) {
	d := newIDP(t)
	if _, err := federation.NewOIDCProvider("111111111111", d.srv.URL, []string{"sts.amazonaws.com"}, nil); !errors.Is(err, federation.ErrInvalidProvider) {
		t.Fatalf("NewOIDCProvider(%s): %v, want ErrInvalidProvider (%s)", d.srv.URL, err, docCreateOIDC)
	}
}

// sign returns an ES256 web identity token from iss, signed by key with
// kid.
func sign(t *testing.T, key *ecdsa.PrivateKey, kid, iss string, now time.Time) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	claims, err := json.Marshal(map[string]any{
		"iss": iss, "sub": "repo:example-org/example-repo:ref:refs/heads/main", "aud": "sts.amazonaws.com",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestVerify: federation verifies tokens with a Source's keys, before and
// after a rotation; an unknown kid is InvalidIdentityToken, an
// unreachable provider IDPCommunicationError (docAWRWI).
func TestVerify(t *testing.T) {
	testKeys(t)
	d := newIDP(t, pubJWK(ec1, "e1"))
	clk := newClock()
	s := d.source(clk, Options{})
	p := d.provider()
	verify := func(token string) error {
		t.Helper()
		tok, err := federation.ParseWebIdentityToken(token)
		if err != nil {
			t.Fatal(err)
		}
		w, err := p.Verify(context.Background(), tok, s, clk.Now())
		if err == nil && w.Audience != "sts.amazonaws.com" {
			t.Fatalf("audience %q", w.Audience)
		}
		return err
	}
	if err := verify(sign(t, ec1, "e1", p.URL, clk.Now())); err != nil {
		t.Fatalf("e1 token: %v", err)
	}
	d.set(func(d *idp) { d.keys = []jose.JSONWebKey{pubJWK(ec1, "e1"), pubJWK(ec2, "e2")} })
	clk.Advance(2 * time.Minute)
	if err := verify(sign(t, ec2, "e2", p.URL, clk.Now())); err != nil {
		t.Fatalf("rotated e2 token: %v", err)
	}
	wantHits(t, d, 2, 2)
	// A token signed by ec2 but naming e1 does not verify.
	if err := verify(sign(t, ec2, "e1", p.URL, clk.Now())); !errors.Is(err, federation.ErrInvalidIdentityToken) {
		t.Errorf("e2 token naming e1: %v, want InvalidIdentityToken", err)
	}
	if err := verify(sign(t, ec2, "nope", p.URL, clk.Now())); !errors.Is(err, federation.ErrInvalidIdentityToken) {
		t.Errorf("unknown kid: %v, want InvalidIdentityToken", err)
	}

	down := newIDP(t)
	down.set(func(d *idp) { d.status = http.StatusBadGateway })
	p = down.provider()
	s = down.source(clk, Options{})
	if err := verify(sign(t, ec1, "e1", p.URL, clk.Now())); !errors.Is(err, federation.ErrIDPCommunication) {
		t.Errorf("provider down: %v, want IDPCommunicationError (%s)", err, docAWRWI)
	}
}

// BenchmarkKeysCached: the lookup every verified token pays.
func BenchmarkKeysCached(b *testing.B) {
	testKeys(b)
	d := newIDP(b, pubJWK(ec1, "e1"), pubJWK(ec2, "e2"), pubJWK(rsa1, "r1"))
	s := New(Options{Client: d.srv.Client()}) // the real clock
	p := d.provider()
	ctx := context.Background()
	if _, err := s.Keys(ctx, p, "e1"); err != nil {
		b.Fatal(err)
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Keys(ctx, p, "r1")
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				s.Keys(ctx, p, "r1")
			}
		})
	})
}
