package ssoapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/sts"
)

// Defaults and limits of [Options].
const (
	// DefaultAccessTokenLifetime is how long an access token lasts: IAM
	// Identity Center's default session duration, 8 hours
	// (https://docs.aws.amazon.com/singlesignon/latest/userguide/configure-user-session.html).
	DefaultAccessTokenLifetime = 8 * time.Hour
	// DefaultRefreshTokenLifetime bounds a sign-in session renewed with
	// refresh tokens: 90 days, the longest session duration Identity
	// Center allows.
	DefaultRefreshTokenLifetime = 90 * 24 * time.Hour
	// MinTokenLifetime and MaxTokenLifetime clamp both lifetimes: 15
	// minutes to 90 days, the range of Identity Center's session duration.
	MinTokenLifetime = 15 * time.Minute
	MaxTokenLifetime = 90 * 24 * time.Hour

	// ClientRegistrationLifetime is how long a RegisterClient
	// registration lasts (clientSecretExpiresAt): 90 days, what AWS
	// answers.
	ClientRegistrationLifetime = 90 * 24 * time.Hour
	// DeviceCodeLifetime is StartDeviceAuthorization's expiresIn, and
	// PollInterval its interval: 600 and 5 seconds, as AWS answers and
	// RFC 8628 section 3.2 suggests.
	DeviceCodeLifetime = 10 * time.Minute
	PollInterval       = 5 * time.Second
	// AuthorizationRequestLifetime bounds the time between the /authorize
	// redirect and the user's approval; AuthorizationCodeLifetime the
	// time between the approval and CreateToken (RFC 6749 section 4.1.2
	// recommends at most 10 minutes).
	AuthorizationRequestLifetime = 10 * time.Minute
	AuthorizationCodeLifetime    = 5 * time.Minute

	// DefaultMaxClients, DefaultMaxPendingAuthorizations and
	// DefaultMaxSessions are the default capacities.
	DefaultMaxClients               = 10_000
	DefaultMaxPendingAuthorizations = 10_000
	DefaultMaxSessions              = 100_000
)

// Options configure a [Server]. The zero value of every field but
// Instance and Issuer means its documented default.
type Options struct {
	// Instance is the IAM Identity Center instance: its users sign in,
	// its start URL is the one StartDeviceAuthorization accepts, and the
	// portal lists its accounts and roles. Required.
	Instance *identitycenter.Instance
	// Issuer issues the role sessions of GetRoleCredentials. Required.
	Issuer *sts.Issuer
	// Users are the users' passwords and MFA seeds. Nil means nobody can
	// sign in.
	Users Credentials
	// Region is the Region the endpoints stand for, shown on the pages.
	// Default Instance.Region().
	Region string
	// PublicURL is the scheme and host the sign-in pages are reached at,
	// such as "http://127.0.0.1:4566", for verificationUri and the
	// /authorize redirect. Default: the scheme and Host of each request.
	PublicURL string
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand generates request IDs, client IDs and user codes. Default
	// crypto/rand.Reader. Secrets (client secrets, device codes,
	// authorization codes, access and refresh tokens, session cookies,
	// the CSRF key) always come from crypto/rand, so a deterministic
	// Rand in tests repeats identifiers only.
	Rand io.Reader
	// AccessTokenLifetime is how long an access token lasts (CreateToken's
	// expiresIn). Default DefaultAccessTokenLifetime; clamped to
	// MinTokenLifetime..MaxTokenLifetime.
	AccessTokenLifetime time.Duration
	// RefreshTokenLifetime is how long after sign-in a refresh token
	// (and each one that replaces it) may be used. Default
	// DefaultRefreshTokenLifetime; clamped to AccessTokenLifetime..
	// MaxTokenLifetime.
	RefreshTokenLifetime time.Duration
	// MaxClients caps client registrations. Default DefaultMaxClients.
	MaxClients int
	// MaxPendingAuthorizations caps each of: device authorizations,
	// /authorize requests waiting for the user, and authorization codes
	// not yet exchanged. Default DefaultMaxPendingAuthorizations.
	MaxPendingAuthorizations int
	// MaxSessions caps each of: token sessions (an access token with its
	// refresh token) and signed-in browsers. Default DefaultMaxSessions.
	MaxSessions int
}

// A Server serves IAM Identity Center's SSO OIDC and portal APIs and its
// sign-in pages. Its state (client registrations, pending
// authorizations, tokens, browser sessions) is in memory, bounded by the
// Options' capacities: a full map evicts its oldest entry. It is safe
// for concurrent use.
type Server struct {
	ic        *identitycenter.Instance
	issuer    *sts.Issuer
	users     Credentials
	region    string
	publicURL string
	now       func() time.Time
	rand      io.Reader
	totp      *sts.TOTP
	csrfKey   [32]byte

	accessLifetime, refreshLifetime time.Duration
	// portalInterval and portalBurst bound the portal calls made with one
	// access token (TooManyRequestsException beyond).
	portalInterval, portalBurst time.Duration
	// bcryptSlots bounds concurrent password checks, so a flood of
	// sign-ins cannot take every CPU.
	bcryptSlots chan struct{}

	mu        sync.Mutex
	clients   *bounded[string, *client]
	devices   *bounded[[32]byte, *deviceAuth] // by SHA-256 of the device code
	userCodes map[string][32]byte             // user code -> device key
	requests  *bounded[string, *authzRequest] // /authorize requests by ID
	codes     *bounded[[32]byte, *authzCode]  // by SHA-256 of the code
	grants    *bounded[string, *grant]        // token sessions by ID
	access    map[[32]byte]string             // SHA-256 of access token -> grant ID
	refresh   map[[32]byte]string             // SHA-256 of refresh token -> grant ID
	browsers  *bounded[[32]byte, *browserSession]
	failures  *bounded[string, *signInFailures] // by lower-cased user name
}

// New returns a Server.
func New(opt Options) (*Server, error) {
	if opt.Instance == nil {
		return nil, errors.New("ssoapi: Options.Instance is required")
	}
	if opt.Issuer == nil {
		return nil, errors.New("ssoapi: Options.Issuer is required")
	}
	s := &Server{ic: opt.Instance, issuer: opt.Issuer, users: opt.Users, region: opt.Region,
		publicURL: strings.TrimRight(opt.PublicURL, "/"), now: opt.Now, rand: opt.Rand,
		portalInterval: 20 * time.Millisecond, portalBurst: 10 * time.Second,
		bcryptSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)/2))}
	if s.users == nil {
		s.users = CredentialMap(nil)
	}
	if s.region == "" {
		s.region = opt.Instance.Region()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	s.totp = sts.NewTOTP(s.now)
	s.totp.Store = sts.NewMemoryMFAStore()
	if _, err := io.ReadFull(rand.Reader, s.csrfKey[:]); err != nil {
		return nil, err
	}
	s.accessLifetime = clampDuration(opt.AccessTokenLifetime, DefaultAccessTokenLifetime, MinTokenLifetime, MaxTokenLifetime)
	s.refreshLifetime = clampDuration(opt.RefreshTokenLifetime, DefaultRefreshTokenLifetime, s.accessLifetime, MaxTokenLifetime)
	maxClients := positive(opt.MaxClients, DefaultMaxClients)
	maxPending := positive(opt.MaxPendingAuthorizations, DefaultMaxPendingAuthorizations)
	maxSessions := positive(opt.MaxSessions, DefaultMaxSessions)

	s.clients = newBounded[string, *client](maxClients)
	s.devices = newBounded[[32]byte, *deviceAuth](maxPending)
	s.userCodes = make(map[string][32]byte)
	s.devices.onDelete = func(k [32]byte, d *deviceAuth) {
		if s.userCodes[d.userCode] == k {
			delete(s.userCodes, d.userCode)
		}
	}
	s.requests = newBounded[string, *authzRequest](maxPending)
	s.codes = newBounded[[32]byte, *authzCode](maxPending)
	s.grants = newBounded[string, *grant](maxSessions)
	s.access = make(map[[32]byte]string)
	s.refresh = make(map[[32]byte]string)
	s.grants.onDelete = func(_ string, g *grant) {
		delete(s.access, g.accessHash)
		if g.hasRefresh {
			delete(s.refresh, g.refreshHash)
		}
	}
	s.browsers = newBounded[[32]byte, *browserSession](maxSessions)
	s.failures = newBounded[string, *signInFailures](maxPending)
	return s, nil
}

func clampDuration(d, def, lo, hi time.Duration) time.Duration {
	if d <= 0 {
		d = def
	}
	return min(max(d, lo), hi)
}

func positive(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// Paths the Server answers, by handler.
var (
	oidcPaths   = map[string]bool{pathRegisterClient: true, pathDeviceAuthorization: true, pathToken: true, pathAuthorize: true}
	portalPaths = map[string]bool{pathListAccounts: true, pathListAccountRoles: true, pathRoleCredentials: true, pathLogout: true}
)

const (
	pathRegisterClient      = "/client/register"
	pathDeviceAuthorization = "/device_authorization"
	pathToken               = "/token"
	pathAuthorize           = "/authorize"
	pathListAccounts        = "/assignment/accounts"
	pathListAccountRoles    = "/assignment/roles"
	pathRoleCredentials     = "/federation/credentials"
	pathLogout              = "/logout"
	pathStart               = "/start"
)

// Handles reports whether the request's path is one the Server serves
// (the path table of the package documentation), so a caller can mount
// it beside another handler on one address: none of its paths is "/".
func (s *Server) Handles(r *http.Request) bool {
	p := r.URL.Path
	return oidcPaths[p] || portalPaths[p] || isStartPath(p)
}

func isStartPath(p string) bool { return p == pathStart || strings.HasPrefix(p, pathStart+"/") }

// ServeHTTP routes a request to the OIDC, portal or sign-in handler by
// its path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case oidcPaths[p]:
		s.serveOIDC(w, r)
	case portalPaths[p]:
		s.servePortal(w, r)
	case isStartPath(p):
		s.serveSignIn(w, r)
	default:
		id := s.requestID()
		w.Header().Set("x-amzn-RequestId", id)
		writeJSONError(w, http.StatusNotFound, "UnknownOperationException", map[string]string{"message": "No operation at this path."})
	}
}

// OIDC returns the handler of the SSO OIDC API (RegisterClient,
// StartDeviceAuthorization, CreateToken) and of /authorize.
func (s *Server) OIDC() http.Handler { return http.HandlerFunc(s.serveOIDC) }

// Portal returns the handler of the portal API (ListAccounts,
// ListAccountRoles, GetRoleCredentials, Logout).
func (s *Server) Portal() http.Handler { return http.HandlerFunc(s.servePortal) }

// SignIn returns the handler of the sign-in pages under /start/.
func (s *Server) SignIn() http.Handler { return http.HandlerFunc(s.serveSignIn) }

// requestID returns an AWS-style request ID (a UUID) from Rand.
func (s *Server) requestID() string {
	var b [16]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil {
		return "00000000-0000-4000-8000-000000000000"
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// secret returns n bytes from crypto/rand, base64url without padding.
func secret(n int) string {
	b := make([]byte, n)
	cryptoRead(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func cryptoRead(b []byte) {
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic("ssoapi: crypto/rand failed: " + err.Error())
	}
}

// identifier returns n bytes from Rand, base64url without padding.
func (s *Server) identifier(n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		return secret(n)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// digest is the key a secret is stored under: the server never keeps a
// token, code or secret itself, and looking one up by its hash leaks
// nothing about it through timing.
func digest(secret string) [32]byte { return sha256.Sum256([]byte(secret)) }

// baseURL is where the sign-in pages are reached from this request.
func (s *Server) baseURL(r *http.Request) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// secure reports whether cookies must be Secure: the request came over
// TLS or the public URL is https.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.publicURL, "https:")
}
