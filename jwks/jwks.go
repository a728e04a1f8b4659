package jwks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/federation"
)

// Defaults of [Options].
const (
	DefaultTimeout            = 5 * time.Second
	DefaultTTL                = time.Hour
	DefaultMinRefetchInterval = time.Minute
	DefaultMaxStale           = 24 * time.Hour
	DefaultMaxResponseBytes   = 256 << 10
)

// maxRedirects is the default client's redirect limit, as net/http's.
const maxRedirects = 10

// Options configure a [Source]. The zero value of every field means its
// default.
type Options struct {
	// Client makes the requests. Default: a client whose Timeout is
	// Timeout, with the default transport (system roots, proxy from the
	// environment). Whatever the client, a redirect to a URL that is not
	// https is refused (the client is copied, not changed).
	Client *http.Client
	// Now is the clock that ages cached sets. Default time.Now.
	Now func() time.Time
	// Timeout bounds each request (the discovery document, the key set),
	// whatever the caller's context and the client allow. Default 5 s.
	Timeout time.Duration
	// TTL is how long a fetched set is fresh. Cache-Control and Expires
	// are ignored. Default 1 hour; at least MinRefetchInterval.
	TTL time.Duration
	// MinRefetchInterval is the least time between two fetches for one
	// provider, whatever asks for them: a token with an unknown kid, an
	// expired set, a failed fetch. Default 1 minute; at least 1 second.
	MinRefetchInterval time.Duration
	// MaxStale is how long after it was fetched a set is still served
	// while the provider cannot be reached. Default 24 hours; at least
	// TTL.
	MaxStale time.Duration
	// MaxResponseBytes bounds each response body; a bigger one is an
	// error. Default 256 KiB.
	MaxResponseBytes int64
}

// A Source is a [federation.KeySource] that fetches each provider's keys
// by OpenID Connect discovery and caches them. It is safe for concurrent
// use.
type Source struct {
	client     *http.Client
	now        func() time.Time
	timeout    time.Duration
	ttl        time.Duration
	minRefetch time.Duration
	maxStale   time.Duration
	maxBytes   int64

	mu      sync.Mutex                        // serializes writers of entries
	entries atomic.Pointer[map[string]*entry] // copied on write, so readers take no lock
}

var _ federation.KeySource = (*Source)(nil)

// New returns a Source with opt's settings, clamped as [Options]
// documents.
func New(opt Options) *Source {
	s := &Source{
		now:        opt.Now,
		timeout:    opt.Timeout,
		ttl:        opt.TTL,
		minRefetch: opt.MinRefetchInterval,
		maxStale:   opt.MaxStale,
		maxBytes:   opt.MaxResponseBytes,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.minRefetch <= 0 {
		s.minRefetch = DefaultMinRefetchInterval
	}
	s.minRefetch = max(s.minRefetch, time.Second)
	if s.ttl <= 0 {
		s.ttl = DefaultTTL
	}
	s.ttl = max(s.ttl, s.minRefetch)
	if s.maxStale <= 0 {
		s.maxStale = DefaultMaxStale
	}
	s.maxStale = max(s.maxStale, s.ttl)
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxResponseBytes
	}
	var c http.Client
	if opt.Client != nil {
		c = *opt.Client
	} else {
		c.Timeout = s.timeout
	}
	c.CheckRedirect = httpsRedirects(c.CheckRedirect)
	s.client = &c
	m := map[string]*entry{}
	s.entries.Store(&m)
	return s
}

// httpsRedirects refuses a redirect to anything but https, then applies
// next (or net/http's default limit).
func httpsRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" {
			return errors.New("redirect to a URL that is not https")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// An entry is one provider's cache.
type entry struct {
	set atomic.Pointer[keySet] // the last set fetched, or nil

	mu          sync.Mutex
	lastAttempt time.Time // when the last fetch began; zero before the first
	lastErr     error     // why the last fetch failed; nil if it did not
	inflight    *call     // the running fetch, or nil
}

// A call is one fetch, which every caller that needs it waits for.
type call struct {
	done chan struct{}
	err  error // set before done is closed
}

// A keySet is a fetched set of public keys, read-only once made.
type keySet struct {
	all     []jose.JSONWebKey
	byKID   map[string][]jose.JSONWebKey
	fetched time.Time
}

func newKeySet(keys []jose.JSONWebKey, fetched time.Time) *keySet {
	ks := &keySet{all: slices.Clip(keys), byKID: map[string][]jose.JSONWebKey{}, fetched: fetched}
	for _, k := range keys {
		ks.byKID[k.KeyID] = append(ks.byKID[k.KeyID], k)
	}
	for kid, l := range ks.byKID {
		// Clipped, so a caller's append cannot write into the cache.
		ks.byKID[kid] = slices.Clip(l)
	}
	return ks
}

// lookup returns the keys with kid (all keys for ""), and whether there
// are any.
func (ks *keySet) lookup(kid string) ([]jose.JSONWebKey, bool) {
	if kid == "" {
		return ks.all, len(ks.all) > 0
	}
	l, ok := ks.byKID[kid]
	return l, ok
}

// Keys returns the public keys of p whose key ID is kid, or all of them
// when kid is "", from the cache when it has them, else by fetching p's
// discovery document and key set (see the package doc for when). It
// returns no keys and a nil error when p's set has no such key; an error
// wrapping [federation.ErrKeysUnavailable] when no usable set could be
// fetched, or when the set it has lacks kid and the last fetch failed;
// and another error for a nil provider or one whose URL is not https,
// which it does not try. The keys returned are shared by every caller and
// must not be modified.
func (s *Source) Keys(ctx context.Context, p *federation.OIDCProvider, kid string) ([]jose.JSONWebKey, error) {
	if p == nil {
		return nil, errors.New("jwks: nil provider")
	}
	if e := (*s.entries.Load())[p.URL]; e != nil {
		if ks := e.set.Load(); ks != nil && s.now().Sub(ks.fetched) < s.ttl {
			if keys, ok := ks.lookup(kid); ok {
				return keys, nil
			}
		}
	}
	return s.keysSlow(ctx, p.URL, kid)
}

// keysSlow answers when the cache cannot: it fetches, or waits for the
// fetch under way, or answers from the cache when the rate limit forbids
// a fetch.
func (s *Source) keysSlow(ctx context.Context, issuer, kid string) ([]jose.JSONWebKey, error) {
	if !strings.HasPrefix(issuer, "https://") {
		return nil, fmt.Errorf("jwks: provider URL %s is not https", strconv.Quote(clip(issuer)))
	}
	e := s.entry(issuer)
	e.mu.Lock()
	now := s.now()
	ks := e.set.Load()
	if ks != nil && now.Sub(ks.fetched) < s.ttl {
		// Fetched while we waited for the lock.
		if keys, ok := ks.lookup(kid); ok {
			e.mu.Unlock()
			return keys, nil
		}
	}
	c := e.inflight
	if c == nil {
		if !e.lastAttempt.IsZero() && now.Sub(e.lastAttempt) < s.minRefetch {
			err := e.lastErr
			e.mu.Unlock()
			return s.answer(ks, now, issuer, kid, err)
		}
		c = &call{done: make(chan struct{})}
		e.inflight, e.lastAttempt = c, now
		// The fetch outlives this caller's cancellation (never its
		// values), so that one impatient caller does not fail the
		// others waiting for it. s.timeout bounds it.
		go s.fetch(context.WithoutCancel(ctx), e, issuer, c)
	}
	e.mu.Unlock()
	select {
	case <-c.done:
	case <-ctx.Done():
		return nil, &FetchError{URL: issuer, Err: ctx.Err()}
	}
	return s.answer(e.set.Load(), s.now(), issuer, kid, c.err)
}

// answer returns kid's keys from ks, if it is younger than MaxStale; err
// is why the last fetch failed, or nil.
func (s *Source) answer(ks *keySet, now time.Time, issuer, kid string, err error) ([]jose.JSONWebKey, error) {
	if ks != nil && now.Sub(ks.fetched) < s.maxStale {
		if keys, ok := ks.lookup(kid); ok {
			return keys, nil
		}
		if err == nil {
			return nil, nil
		}
	}
	if err == nil {
		err = &FetchError{URL: issuer, Err: errors.New("the keys fetched last are older than MaxStale")}
	}
	return nil, err
}

// entry returns issuer's entry, making it if need be.
func (s *Source) entry(issuer string) *entry {
	if e := (*s.entries.Load())[issuer]; e != nil {
		return e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := *s.entries.Load()
	if e := old[issuer]; e != nil {
		return e
	}
	m := make(map[string]*entry, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	e := &entry{}
	m[issuer] = e
	s.entries.Store(&m)
	return e
}

// fetch runs c: it downloads issuer's keys and records the outcome in e.
func (s *Source) fetch(ctx context.Context, e *entry, issuer string, c *call) {
	keys, err := s.download(ctx, issuer)
	e.mu.Lock()
	if err == nil {
		e.set.Store(newKeySet(keys, s.now()))
	}
	e.lastErr, c.err, e.inflight = err, err, nil
	e.mu.Unlock()
	close(c.done)
}

// download fetches issuer's discovery document, then the key set it
// names.
func (s *Source) download(ctx context.Context, issuer string) ([]jose.JSONWebKey, error) {
	// OIDC Discovery 1.0 §4: a terminating "/" of the issuer is removed
	// before the well-known path is appended.
	discovery := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	body, err := s.get(ctx, discovery, "application/json")
	if err != nil {
		return nil, err
	}
	uri, err := parseDiscovery(body, issuer)
	if err != nil {
		return nil, &FetchError{URL: discovery, Err: err}
	}
	body, err = s.get(ctx, uri, "application/jwk-set+json, application/json")
	if err != nil {
		return nil, err
	}
	keys, err := parseKeySet(body)
	if err != nil {
		return nil, &FetchError{URL: uri, Err: err}
	}
	return keys, nil
}

// Why a fetch fails. Messages never quote a response body.
var (
	errStatus   = errors.New("status is not 200 OK")
	errTooLarge = errors.New("response is too large")
	errNotJSON  = errors.New("not a JSON object")
	errIssuer   = errors.New("issuer is not the provider URL")
	errJWKSURI  = errors.New("jwks_uri is not an absolute https URL")
	errNoKeys   = errors.New(`no "keys" array`)
)

// get returns the body of a 200 answer to GET u, of at most s.maxBytes.
func (s *Source) get(ctx context.Context, u, accept string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &FetchError{URL: u, Err: err}
	}
	req.Header.Set("Accept", accept)
	resp, err := s.client.Do(req)
	if err != nil {
		// A *url.Error repeats the URL that FetchError names.
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &FetchError{URL: u, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &FetchError{URL: u, Err: fmt.Errorf("%w: %d", errStatus, resp.StatusCode)}
	}
	if resp.ContentLength > s.maxBytes {
		return nil, &FetchError{URL: u, Err: fmt.Errorf("%w: %d bytes, more than %d", errTooLarge, resp.ContentLength, s.maxBytes)}
	}
	// One byte more than the limit tells a body of exactly the limit
	// from a bigger one.
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.maxBytes+1))
	if err != nil {
		return nil, &FetchError{URL: u, Err: err}
	}
	if int64(len(body)) > s.maxBytes {
		return nil, &FetchError{URL: u, Err: fmt.Errorf("%w: more than %d bytes", errTooLarge, s.maxBytes)}
	}
	return body, nil
}

// parseDiscovery returns the jwks_uri of an OpenID Provider Configuration
// document, after checking that its issuer is exactly issuer (OIDC
// Discovery 1.0 §4.3) and that the URI is absolute https. Member names
// are matched exactly, not as encoding/json matches struct fields.
func parseDiscovery(body []byte, issuer string) (string, error) {
	doc, err := object(body)
	if err != nil {
		return "", err
	}
	iss, ok := stringMember(doc, "issuer")
	switch {
	case !ok:
		return "", fmt.Errorf("%w: no issuer string", errIssuer)
	case iss != issuer:
		return "", fmt.Errorf("%w: %s", errIssuer, strconv.Quote(clip(iss)))
	}
	uri, ok := stringMember(doc, "jwks_uri")
	if !ok {
		return "", fmt.Errorf("%w: no jwks_uri string", errJWKSURI)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %s", errJWKSURI, strconv.Quote(clip(uri)))
	}
	return uri, nil
}

// parseKeySet returns the public keys of a JSON Web Key Set (RFC 7517
// §5). A key that cannot be parsed, or has no public form (a symmetric
// key), is ignored, as §5 advises for keys not understood; a private key
// is reduced to its public part.
func parseKeySet(body []byte) ([]jose.JSONWebKey, error) {
	set, err := object(body)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if raw, ok := set["keys"]; !ok || json.Unmarshal(raw, &raws) != nil || raws == nil {
		return nil, errNoKeys
	}
	keys := make([]jose.JSONWebKey, 0, len(raws))
	for _, raw := range raws {
		var k jose.JSONWebKey
		if k.UnmarshalJSON(raw) != nil {
			continue
		}
		pub := k.Public()
		if !pub.IsPublic() || !pub.Valid() {
			continue
		}
		keys = append(keys, pub)
	}
	return keys, nil
}

// object decodes a JSON object (not null, which encoding/json decodes
// into a nil map without complaint).
func object(body []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || m == nil {
		return nil, errNotJSON
	}
	return m, nil
}

// stringMember returns the member name of m, if it is a string.
func stringMember(m map[string]json.RawMessage, name string) (string, bool) {
	var s string
	raw, ok := m[name]
	// null decodes into a string without error, leaving it "".
	if !ok || string(raw) == "null" || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// A FetchError says why a provider's keys could not be fetched: the URL
// asked for and the cause, never the body of the answer. It wraps both
// [federation.ErrKeysUnavailable] and the cause.
type FetchError struct {
	URL string
	Err error
}

func (e *FetchError) Error() string { return "jwks: " + clip(e.URL) + ": " + e.Err.Error() }

// Unwrap returns federation.ErrKeysUnavailable and the cause.
func (e *FetchError) Unwrap() []error { return []error{federation.ErrKeysUnavailable, e.Err} }

// clip bounds a value echoed in an error message.
func clip(s string) string {
	const max = 128
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
