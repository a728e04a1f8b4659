package ssoapi

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The SSO OIDC API (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/):
// restJson1, every operation a POST of a JSON object, as the SDK's ssooidc
// client sends it.

// Grant types (API_CreateToken.html, grantType).
const (
	grantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
)

// maxJSONBody bounds an OIDC request body; the largest legal request (a
// registration with its scopes and redirect URIs) is far smaller.
const maxJSONBody = 64 << 10

// Registration limits (iamkit's; AWS documents none).
const (
	maxClientName   = 256
	maxScopes       = 10
	maxScopeLen     = 128
	maxRedirectURIs = 5
	maxURILen       = 512
)

// A client is a RegisterClient registration.
type client struct {
	id           string
	name         string
	secretHash   [32]byte
	grantTypes   []string // explicit grantTypes, or nil: device code (and refresh with scopes)
	scopes       []string
	redirectURIs []string
	issuedAt     time.Time
	expires      time.Time
}

// allows reports whether the client may use the grant type. A client
// registered without grantTypes, as the AWS CLI registers for the device
// flow, may use the device code grant, and the refresh token grant when
// it registered scopes (the sso-session configuration; legacy
// registrations without scopes get no refresh token).
func (c *client) allows(grant string) bool {
	if c.grantTypes == nil {
		return grant == grantDeviceCode || grant == grantRefreshToken && len(c.scopes) > 0
	}
	return slices.Contains(c.grantTypes, grant)
}

// redirectAllowed reports whether uri is one of the registered redirect
// URIs. A loopback redirect URI matches on any port (RFC 8252 section
// 7.3): the AWS CLI registers http://127.0.0.1/oauth/callback and
// redirects to the port it listens on.
func (c *client) redirectAllowed(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || uri == "" {
		return false
	}
	for _, reg := range c.redirectURIs {
		if reg == uri {
			return true
		}
		ru, err := url.Parse(reg)
		if err != nil || !isLoopback(ru) || !isLoopback(u) {
			continue
		}
		if ru.Scheme == u.Scheme && ru.Hostname() == u.Hostname() && ru.EscapedPath() == u.EscapedPath() &&
			ru.RawQuery == u.RawQuery && (ru.Port() == "" || ru.Port() == u.Port()) {
			return true
		}
	}
	return false
}

func isLoopback(u *url.URL) bool {
	if u.Scheme != "http" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}

// Device authorization states.
type deviceState int

const (
	devicePending deviceState = iota
	deviceApproved
	deviceDenied
	deviceUsed // tokens issued, or the denial reported
)

// A deviceAuth is a StartDeviceAuthorization waiting for its user.
type deviceAuth struct {
	clientID   string
	clientName string
	userCode   string
	scopes     []string
	expires    time.Time
	interval   time.Duration
	poll       gcra
	state      deviceState
	// Set when approved.
	userID, userName string
	browser          [32]byte
}

// An authzRequest is an /authorize request waiting for the user.
type authzRequest struct {
	clientID, clientName string
	redirectURI, state   string
	challenge            string // base64url of SHA-256, unpadded
	scopes               []string
	expires              time.Time
}

// An authzCode is an authorization code not yet exchanged.
type authzCode struct {
	clientID, redirectURI, challenge string
	scopes                           []string
	userID, userName                 string
	browser                          [32]byte
	expires                          time.Time
}

// A grant is a token session: the access token and, for clients that
// may refresh, the refresh token that replaces both.
type grant struct {
	id                        string
	clientID                  string
	userID, userName          string
	scopes                    []string
	browser                   [32]byte // the browser session that approved it
	accessHash, refreshHash   [32]byte
	hasRefresh                bool
	accessExpires, sessionEnd time.Time
	rate                      gcra
}

// JSON shapes (the ssooidc client's request and response snapshots).

type registerClientInput struct {
	ClientName             *string  `json:"clientName"`
	ClientType             *string  `json:"clientType"`
	Scopes                 []string `json:"scopes"`
	GrantTypes             []string `json:"grantTypes"`
	RedirectURIs           []string `json:"redirectUris"`
	IssuerURL              *string  `json:"issuerUrl"`
	EntitledApplicationArn *string  `json:"entitledApplicationArn"`
}

type registerClientOutput struct {
	ClientID              string `json:"clientId"`
	ClientSecret          string `json:"clientSecret"`
	ClientIDIssuedAt      int64  `json:"clientIdIssuedAt"`
	ClientSecretExpiresAt int64  `json:"clientSecretExpiresAt"`
}

type startDeviceAuthorizationInput struct {
	ClientID     *string `json:"clientId"`
	ClientSecret *string `json:"clientSecret"`
	StartURL     *string `json:"startUrl"`
}

type startDeviceAuthorizationOutput struct {
	DeviceCode              string `json:"deviceCode"`
	UserCode                string `json:"userCode"`
	VerificationURI         string `json:"verificationUri"`
	VerificationURIComplete string `json:"verificationUriComplete"`
	ExpiresIn               int32  `json:"expiresIn"`
	Interval                int32  `json:"interval"`
}

type createTokenInput struct {
	ClientID     *string  `json:"clientId"`
	ClientSecret *string  `json:"clientSecret"`
	GrantType    *string  `json:"grantType"`
	DeviceCode   *string  `json:"deviceCode"`
	Code         *string  `json:"code"`
	RedirectURI  *string  `json:"redirectUri"`
	CodeVerifier *string  `json:"codeVerifier"`
	RefreshToken *string  `json:"refreshToken"`
	Scope        []string `json:"scope"`
}

type createTokenOutput struct {
	AccessToken  string `json:"accessToken"`
	TokenType    string `json:"tokenType"`
	ExpiresIn    int32  `json:"expiresIn"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// decodeJSON reads a bounded JSON object body into v. An empty body is
// an empty object, as the SDK sends for an input with no members.
func decodeJSON(body []byte, v any) *oidcError {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return errInvalidRequest("The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return errInvalidRequest("Invalid type for member " + strconv.Quote(typeErr.Field) + ".")
		}
		return errInvalidRequest("The request body is not valid JSON.")
	}
	if dec.More() {
		return errInvalidRequest("The request body is not valid JSON.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errInvalidRequest("The request body is not valid JSON.")
	}
	return nil
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *oidcError) {
	if r.ContentLength > maxJSONBody {
		return nil, errInvalidRequest("The request body is too large.")
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errInvalidRequest("The request body is too large.")
		}
		return nil, errInvalidRequest("The request body could not be read.")
	}
	return b, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// serveOIDC answers an SSO OIDC operation, or /authorize.
func (s *Server) serveOIDC(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == pathAuthorize {
		s.serveAuthorize(w, r)
		return
	}
	id := s.requestID()
	w.Header().Set("x-amzn-RequestId", id)
	out, err := s.oidc(r, w)
	if err != nil {
		var e *oidcError
		if !errors.As(err, &e) {
			e = errInternal()
		}
		writeJSONError(w, e.status, e.code, map[string]string{"error": e.oauth, "error_description": e.description})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) oidc(r *http.Request, w http.ResponseWriter) (any, error) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, newOIDCError("InvalidRequestException", http.StatusMethodNotAllowed, "invalid_request", "Use POST.")
	}
	if r.URL.Path == pathToken && r.URL.Query().Has("aws_iam") {
		return nil, errUnsupportedGrantType("CreateTokenWithIAM is not supported.")
	}
	body, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	switch r.URL.Path {
	case pathRegisterClient:
		var in registerClientInput
		if err := decodeJSON(body, &in); err != nil {
			return nil, err
		}
		return s.registerClient(&in)
	case pathDeviceAuthorization:
		var in startDeviceAuthorizationInput
		if err := decodeJSON(body, &in); err != nil {
			return nil, err
		}
		return s.startDeviceAuthorization(&in, s.baseURL(r))
	default: // pathToken
		var in createTokenInput
		if err := decodeJSON(body, &in); err != nil {
			return nil, err
		}
		return s.createToken(&in)
	}
}

// registerClient is RegisterClient
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_RegisterClient.html).
func (s *Server) registerClient(in *registerClientInput) (*registerClientOutput, error) {
	name, typ := str(in.ClientName), str(in.ClientType)
	if in.ClientName == nil || in.ClientType == nil {
		return nil, errInvalidRequest("clientName and clientType are required.")
	}
	if name == "" || len(name) > maxClientName || !printable(name) {
		return nil, errInvalidClientMetadata("Invalid client name: 1 to 256 printable characters.")
	}
	if typ != "public" {
		return nil, errInvalidClientMetadata("Invalid client type: only public clients are supported.")
	}
	var grants []string
	if in.GrantTypes != nil {
		grants = []string{}
		for _, g := range in.GrantTypes {
			switch g {
			case grantDeviceCode, grantAuthorizationCode, grantRefreshToken:
				if !slices.Contains(grants, g) {
					grants = append(grants, g)
				}
			default:
				return nil, errUnsupportedGrantType("Unsupported grant type " + strconv.Quote(printableOnly(g)) + ".")
			}
		}
		if len(grants) == 0 {
			grants = nil
		}
	}
	if len(in.Scopes) > maxScopes {
		return nil, errInvalidScope("Too many scopes (at most 10).")
	}
	var scopes []string
	for _, sc := range in.Scopes {
		if !validScope(sc) {
			return nil, errInvalidScope("Invalid scope " + strconv.Quote(printableOnly(sc)) + ".")
		}
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	if len(in.RedirectURIs) > maxRedirectURIs {
		return nil, errInvalidRedirectURI("Too many redirect URIs (at most 5).")
	}
	for _, u := range in.RedirectURIs {
		if !validRedirectURI(u) {
			return nil, errInvalidRedirectURI("Invalid redirect URI: an http URI of a loopback address (127.0.0.1, [::1] or localhost) without a fragment.")
		}
	}
	if slices.Contains(grants, grantAuthorizationCode) {
		if len(in.RedirectURIs) == 0 {
			return nil, errInvalidRequest("redirectUris is required for the authorization_code grant.")
		}
		if in.IssuerURL == nil {
			return nil, errInvalidRequest("issuerUrl is required for the authorization_code grant.")
		}
	}
	if in.IssuerURL != nil && !sameStartURL(*in.IssuerURL, s.ic.StartURL()) {
		return nil, errInvalidRequest("Invalid issuerUrl: it must be the instance's start URL.")
	}
	now := s.now()
	sec := secret(32)
	c := &client{id: s.identifier(16), name: name, secretHash: digest(sec), grantTypes: grants, scopes: scopes,
		redirectURIs: slices.Clone(in.RedirectURIs), issuedAt: now, expires: now.Add(ClientRegistrationLifetime)}
	s.mu.Lock()
	if _, taken := s.clients.get(now, c.id); taken {
		// A Rand that repeats itself must not replace a registration.
		c.id = secret(16)
	}
	s.clients.put(now, c.id, c, c.expires)
	s.mu.Unlock()
	return &registerClientOutput{ClientID: c.id, ClientSecret: sec, ClientIDIssuedAt: now.Unix(), ClientSecretExpiresAt: c.expires.Unix()}, nil
}

// authenticateClient returns the registration whose ID and secret these
// are; s.mu must be held. Unknown, expired and wrong secrets are one
// answer.
func (s *Server) authenticateClient(now time.Time, id, sec *string) (*client, *oidcError) {
	if id == nil || sec == nil {
		return nil, errInvalidRequest("clientId and clientSecret are required.")
	}
	c, ok := s.clients.get(now, *id)
	h := digest(*sec)
	if !ok || subtle.ConstantTimeCompare(h[:], c.secretHash[:]) != 1 {
		return nil, errInvalidClient("Invalid client ID or secret, or the registration has expired.")
	}
	return c, nil
}

// startDeviceAuthorization is StartDeviceAuthorization
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_StartDeviceAuthorization.html).
func (s *Server) startDeviceAuthorization(in *startDeviceAuthorizationInput, base string) (*startDeviceAuthorizationOutput, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.authenticateClient(now, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	if in.StartURL == nil {
		return nil, errInvalidRequest("startUrl is required.")
	}
	if !c.allows(grantDeviceCode) {
		return nil, errUnauthorizedClient("The client is not registered for the device code grant.")
	}
	if !sameStartURL(*in.StartURL, s.ic.StartURL()) {
		return nil, errInvalidRequest("Invalid startUrl: this instance's start URL is " + s.ic.StartURL() + ".")
	}
	code := secret(32)
	key := digest(code)
	// A user code is unique among live authorizations; after a few draws
	// from a Rand that keeps repeating itself, crypto/rand draws.
	var userCode string
	for i := 0; ; i++ {
		userCode = s.newUserCode(i >= 8)
		k, taken := s.userCodes[userCode]
		if !taken {
			break
		}
		if _, live := s.devices.get(now, k); !live {
			break
		}
	}
	d := &deviceAuth{clientID: c.id, clientName: c.name, userCode: userCode, scopes: c.scopes,
		expires: now.Add(DeviceCodeLifetime), interval: PollInterval}
	// Kept past its expiry, so that a late poll hears ExpiredTokenException
	// rather than an unknown code.
	s.devices.put(now, key, d, d.expires.Add(DeviceCodeLifetime))
	s.userCodes[userCode] = key
	return &startDeviceAuthorizationOutput{DeviceCode: code, UserCode: userCode,
		VerificationURI:         base + pathStart + "/device",
		VerificationURIComplete: base + pathStart + "/device?user_code=" + url.QueryEscape(userCode),
		ExpiresIn:               int32(DeviceCodeLifetime / time.Second), Interval: int32(PollInterval / time.Second)}, nil
}

// userCodeAlphabet is RFC 8628 section 6.1's suggestion: consonants
// only, so no word is spelled and none is confused with a digit. Eight
// of them are 20^8, about 2^34.6.
const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

func (s *Server) newUserCode(cryptoRand bool) string {
	var b [8]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil || cryptoRand {
		cryptoRead(b[:])
	}
	var out [9]byte
	j := 0
	for i := range b {
		if i == 4 {
			out[j] = '-'
			j++
		}
		// 256 = 12*20 + 16: a little bias, irrelevant for a code that
		// only a signed-in user can enter.
		out[j] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)]
		j++
	}
	return string(out[:])
}

// normalizeUserCode accepts a user code as typed: any case, with or
// without the hyphen, with spaces.
func normalizeUserCode(c string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(c) {
		if r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if len(n) != 8 {
		return ""
	}
	return n[:4] + "-" + n[4:]
}

// createToken is CreateToken
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html).
func (s *Server) createToken(in *createTokenInput) (*createTokenOutput, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.authenticateClient(now, in.ClientID, in.ClientSecret)
	if err != nil {
		return nil, err
	}
	if in.GrantType == nil {
		return nil, errInvalidRequest("grantType is required.")
	}
	g := *in.GrantType
	switch g {
	case grantDeviceCode, grantAuthorizationCode, grantRefreshToken:
	default:
		return nil, errUnsupportedGrantType("Unsupported grant type " + strconv.Quote(printableOnly(g)) + ".")
	}
	if !c.allows(g) {
		return nil, errUnauthorizedClient("The client is not registered for the " + g + " grant.")
	}
	switch g {
	case grantDeviceCode:
		return s.deviceCodeGrant(now, c, in)
	case grantAuthorizationCode:
		return s.authorizationCodeGrant(now, c, in)
	default:
		return s.refreshTokenGrant(now, c, in)
	}
}

// scopesWithin checks a CreateToken scope parameter: every scope asked
// for must be one granted.
func scopesWithin(asked, granted []string) *oidcError {
	for _, sc := range asked {
		if !slices.Contains(granted, sc) {
			return errInvalidScope("Scope " + strconv.Quote(printableOnly(sc)) + " was not granted.")
		}
	}
	return nil
}

func (s *Server) deviceCodeGrant(now time.Time, c *client, in *createTokenInput) (*createTokenOutput, error) {
	if in.DeviceCode == nil || *in.DeviceCode == "" {
		return nil, errInvalidRequest("deviceCode is required for the device code grant.")
	}
	d, ok := s.devices.get(now, digest(*in.DeviceCode))
	if !ok || d.clientID != c.id {
		return nil, errInvalidGrant("Invalid device code.")
	}
	if d.state == deviceUsed {
		return nil, errInvalidGrant("The device code has already been used.")
	}
	if !now.Before(d.expires) {
		return nil, errExpiredToken("The device code has expired.")
	}
	if err := scopesWithin(in.Scope, d.scopes); err != nil {
		return nil, err
	}
	switch d.state {
	case devicePending:
		// One poll per interval, with one early poll and a second of
		// slack (the AWS CLI polls once more at once after its first
		// attempt); faster is slow_down, and the interval grows by five
		// seconds, as RFC 8628 section 3.5 says the client's does.
		if !d.poll.allow(now, d.interval, d.interval+time.Second) {
			d.interval = min(d.interval+5*time.Second, DeviceCodeLifetime)
			return nil, errSlowDown()
		}
		return nil, errAuthorizationPending()
	case deviceDenied:
		d.state = deviceUsed
		return nil, errAccessDenied("The user denied the request.")
	}
	d.state = deviceUsed
	return s.issue(now, c, d.userID, d.userName, d.scopes, d.browser), nil
}

func (s *Server) authorizationCodeGrant(now time.Time, c *client, in *createTokenInput) (*createTokenOutput, error) {
	if in.Code == nil || *in.Code == "" {
		return nil, errInvalidRequest("code is required for the authorization_code grant.")
	}
	if in.CodeVerifier == nil {
		return nil, errInvalidRequest("codeVerifier is required: PKCE with S256 is.")
	}
	key := digest(*in.Code)
	ac, ok := s.codes.get(now, key)
	if !ok || ac.clientID != c.id {
		return nil, errInvalidGrant("Invalid authorization code.")
	}
	// The code is spent whatever follows (RFC 6749 section 10.5: an
	// authorization code is used once).
	s.codes.del(key)
	if !now.Before(ac.expires) {
		return nil, errExpiredToken("The authorization code has expired.")
	}
	if str(in.RedirectURI) != ac.redirectURI {
		return nil, errInvalidGrant("redirectUri does not match the authorization request's.")
	}
	if !validVerifier(*in.CodeVerifier) {
		return nil, errInvalidGrant("Invalid code verifier: 43 to 128 characters of A-Z, a-z, 0-9, -, ., _ and ~.")
	}
	sum := sha256.Sum256([]byte(*in.CodeVerifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	if subtle.ConstantTimeCompare([]byte(want), []byte(ac.challenge)) != 1 {
		return nil, errInvalidGrant("The code verifier does not match the code challenge.")
	}
	if err := scopesWithin(in.Scope, ac.scopes); err != nil {
		return nil, err
	}
	return s.issue(now, c, ac.userID, ac.userName, ac.scopes, ac.browser), nil
}

func (s *Server) refreshTokenGrant(now time.Time, c *client, in *createTokenInput) (*createTokenOutput, error) {
	if in.RefreshToken == nil || *in.RefreshToken == "" {
		return nil, errInvalidRequest("refreshToken is required for the refresh_token grant.")
	}
	id, ok := s.refresh[digest(*in.RefreshToken)]
	var g *grant
	if ok {
		g, ok = s.grants.get(now, id)
	}
	if !ok || g.clientID != c.id {
		return nil, errInvalidGrant("Invalid refresh token.")
	}
	if !now.Before(g.sessionEnd) {
		s.grants.del(g.id)
		return nil, errExpiredToken("The refresh token has expired: sign in again.")
	}
	if _, err := s.ic.User(g.userID); err != nil {
		s.grants.del(g.id)
		return nil, errInvalidGrant("Invalid refresh token.")
	}
	if err := scopesWithin(in.Scope, g.scopes); err != nil {
		return nil, err
	}
	// The refresh token is replaced with the access token, and the
	// session keeps its end: refreshing never outlives the sign-in.
	s.grants.del(g.id)
	return s.issueUntil(now, c, g.userID, g.userName, g.scopes, g.browser, g.sessionEnd), nil
}

// issue starts a token session for a user; s.mu must be held.
func (s *Server) issue(now time.Time, c *client, userID, userName string, scopes []string, browser [32]byte) *createTokenOutput {
	return s.issueUntil(now, c, userID, userName, scopes, browser, now.Add(s.refreshLifetime))
}

func (s *Server) issueUntil(now time.Time, c *client, userID, userName string, scopes []string, browser [32]byte, end time.Time) *createTokenOutput {
	access := "aoa" + secret(32)
	g := &grant{id: secret(16), clientID: c.id, userID: userID, userName: userName, scopes: scopes, browser: browser,
		accessHash: digest(access), sessionEnd: end}
	out := &createTokenOutput{AccessToken: access, TokenType: "Bearer"}
	if c.allows(grantRefreshToken) {
		rt := "aor" + secret(32)
		g.refreshHash, g.hasRefresh = digest(rt), true
		out.RefreshToken = rt
		g.accessExpires = minTime(now.Add(s.accessLifetime), end)
	} else {
		g.accessExpires = now.Add(s.accessLifetime)
		g.sessionEnd = g.accessExpires
	}
	out.ExpiresIn = int32(g.accessExpires.Sub(now) / time.Second)
	// Kept a while past the end, so that a late refresh hears
	// ExpiredTokenException rather than an unknown token.
	s.grants.put(now, g.id, g, g.sessionEnd.Add(time.Hour))
	s.access[g.accessHash] = g.id
	if g.hasRefresh {
		s.refresh[g.refreshHash] = g.id
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// sameStartURL compares start URLs as a client may write them: scheme
// and host regardless of case, without a trailing slash or fragment.
func sameStartURL(a, b string) bool {
	na, nb := normalizeStartURL(a), normalizeStartURL(b)
	return na != "" && na == nb
}

func normalizeStartURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimRight(u.EscapedPath(), "/")
}

// validScope accepts scopes as Identity Center writes them,
// "sso:account:access", "codewhisperer:completions": printable ASCII
// without spaces, at most 128 characters.
func validScope(sc string) bool {
	if sc == "" || len(sc) > maxScopeLen {
		return false
	}
	for i := 0; i < len(sc); i++ {
		if sc[i] <= ' ' || sc[i] > '~' || sc[i] == '"' || sc[i] == '\\' {
			return false
		}
	}
	return true
}

// validRedirectURI accepts an http loopback URI without a fragment
// (RFC 8252 section 7.3), what the AWS CLI registers. Other URIs are
// refused: a client registers itself, unauthenticated, so a redirect to
// any other host would send a user's authorization code wherever the
// registrant asked.
func validRedirectURI(s string) bool {
	if s == "" || len(s) > maxURILen {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Fragment != "" || u.Host == "" || u.User != nil {
		return false
	}
	return isLoopback(u)
}

// validVerifier is RFC 7636 section 4.1's code_verifier: 43 to 128
// unreserved characters.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// validChallenge is an S256 code_challenge: base64url of 32 bytes, with
// the padding the AWS CLI trims already trimmed.
func validChallenge(c string) bool {
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(b) == sha256.Size
}

func printable(s string) bool {
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

// printableOnly is s cut to 64 bytes with control characters dropped, to
// quote client text in a message.
func printableOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= 64 {
			b.WriteString("...")
			break
		}
		if r >= ' ' && r != 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}
