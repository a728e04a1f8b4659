package ssoapi

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/sts"
)

// The sign-in pages: server-rendered, usable without JavaScript. A user
// opens verificationUriComplete (or is sent by /authorize), signs in with
// user name and password, then a TOTP code when the user has an MFA
// device, and allows or denies the application.

//go:embed assets
var assets embed.FS

var (
	pages    = template.Must(template.ParseFS(assets, "assets/pages.html"))
	styleCSS = must(assets.ReadFile("assets/style.css"))
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

const (
	cookieName = "iamkit-sso"
	// signInLifetime is how long a browser stays signed in: the default
	// session duration. mfaLifetime bounds the step between password and
	// MFA code.
	signInLifetime = DefaultAccessTokenLifetime
	mfaLifetime    = 5 * time.Minute
	maxFormBody    = 16 << 10
	maxUserName    = 128
	maxPassword    = 1024
	// Sign-in throttling per user name, known or not, so that it tells
	// nothing about which names exist: after maxSignInFailures
	// consecutive failures sign-in is refused for signInLockout, doubling
	// with each further failure up to maxSignInLockout (the policy
	// sts.TOTP applies to MFA codes). maxMFAFailures wrong codes end the
	// half-signed-in session.
	maxSignInFailures = 5
	signInLockout     = 30 * time.Second
	maxSignInLockout  = 15 * time.Minute
	maxMFAFailures    = 5
)

// dummyHash is compared against when the user name is unknown, so that
// an unknown user costs the same bcrypt work as a wrong password
// (bcrypt.DefaultCost, the cost of the hashes a world file holds).
var dummyHash = []byte("$2a$10$X3DwzSjL5CBEHgFumcDwv.dFXE.wT3FtOyM4dH2V8IaDUuyew5wpG")

// Messages of the pages.
const (
	msgBadCredentials = "Incorrect user name or password."
	msgLocked         = "Too many failed sign-in attempts. Wait a few minutes, then try again."
	msgBadMFA         = "Incorrect MFA code. Wait for the next code and try again."
	msgMFAReused      = "That MFA code was already used. Wait for the next code and try again."
	msgBadCode        = "That code is not valid. Check the code your application shows and try again."
	msgExpiredCode    = "This code has expired. Start the sign-in again from your application."
	msgUsedCode       = "This code has already been used. Start the sign-in again from your application."
	msgExpiredRequest = "This sign-in request has expired or was already used. Start the sign-in again from your application."
	msgSignInExpired  = "Your sign-in has expired. Sign in again."
	msgCSRF           = "This form has expired, or your browser does not accept cookies. Reload the page and try again."
)

// A browserSession is a signed-in browser, or one that gave the right
// password and owes its MFA code.
type browserSession struct {
	userID, userName string
	mfaPending       bool
	mfaFailures      int
}

type signInFailures struct {
	n           int
	lockedUntil time.Time
}

type pageData struct {
	Title, Region, UserName, Error, Notice, CSRF string
	// Typed is the user name typed, kept on a failed sign-in; MFAUser the
	// user asked for an MFA code.
	Typed, MFAUser string
	// The request the pages are about: a device's user code or an
	// /authorize request's ID.
	UserCode, RequestID string
	ClientName, Action  string
	Scopes              []string
	// RedirectTo is where an approved authorization request returns.
	RedirectTo string
	Retry      string
}

// visitor is the browser of one request: its cookie and, when signed in
// (or owing an MFA code), its session.
type visitor struct {
	cookie string
	key    [32]byte
	// fresh: the cookie was minted for this response, so no form bound
	// to it can have been posted.
	fresh bool
	sess  *browserSession // a copy
}

func (v *visitor) signedIn() bool { return v.sess != nil && !v.sess.mfaPending }

func (s *Server) visitor(w http.ResponseWriter, r *http.Request) *visitor {
	v := &visitor{}
	if c, err := r.Cookie(cookieName); err == nil && validCookie(c.Value) {
		v.cookie = c.Value
	} else {
		v.cookie, v.fresh = secret(32), true
		s.setCookie(w, r, v.cookie)
	}
	v.key = digest(v.cookie)
	s.mu.Lock()
	if sess, ok := s.browsers.get(s.now(), v.key); ok {
		cp := *sess
		v.sess = &cp
	}
	s.mu.Unlock()
	return v
}

func validCookie(c string) bool {
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(b) == 32
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: value, Path: pathStart, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
}

// csrf is the form token bound to a browser's cookie: an HMAC of it
// under the server's key, so it needs no state, changes with every
// sign-in (which replaces the cookie) and is worthless to a page that
// cannot read the cookie.
func (s *Server) csrf(cookie string) string {
	m := hmac.New(sha256.New, s.csrfKey[:])
	m.Write([]byte("ssoapi csrf\x00"))
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) csrfOK(r *http.Request, v *visitor) bool {
	return !v.fresh && hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(s.csrf(v.cookie)))
}

// startSession signs the browser in (or half in, owing an MFA code)
// under a new cookie, which it returns: a session never keeps the
// cookie it had before sign-in (session fixation).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, v *visitor, u identitycenter.User, mfaPending bool) string {
	cookie := secret(32)
	now := s.now()
	life := signInLifetime
	if mfaPending {
		life = mfaLifetime
	}
	s.mu.Lock()
	s.browsers.del(v.key)
	s.browsers.put(now, digest(cookie), &browserSession{userID: u.ID, userName: u.UserName, mfaPending: mfaPending}, now.Add(life))
	s.mu.Unlock()
	s.setCookie(w, r, cookie)
	return cookie
}

func (s *Server) page(v *visitor, title string) *pageData {
	d := &pageData{Title: title, Region: s.region, CSRF: s.csrf(v.cookie)}
	if v.signedIn() {
		d.UserName = v.sess.userName
	}
	return d
}

// pageHeaders are sent with every page: no framing, no caching, no
// referrer (the URLs carry codes), scripts nowhere. formAction adds an
// origin the page's forms may be redirected to.
func pageHeaders(w http.ResponseWriter, formAction string) {
	h := w.Header()
	csp := "default-src 'none'; style-src 'self'; form-action 'self'"
	if formAction != "" {
		csp += " " + formAction
	}
	h.Set("Content-Security-Policy", csp+"; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

func render(w http.ResponseWriter, status int, name string, d *pageData) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, d); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) message(w http.ResponseWriter, v *visitor, status int, title, errMsg, notice, retry string) {
	d := s.page(v, title)
	d.Error, d.Notice, d.Retry = errMsg, notice, retry
	render(w, status, "message", d)
}

// serveSignIn answers the pages under /start/.
func (s *Server) serveSignIn(w http.ResponseWriter, r *http.Request) {
	pageHeaders(w, "")
	route := r.Method + " " + r.URL.Path
	switch route {
	case "GET /start/assets/style.css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "max-age=3600")
		_, _ = w.Write(styleCSS)
		return
	case "GET /start", "GET /start/":
		http.Redirect(w, r, pathStart+"/device", http.StatusSeeOther)
		return
	case "GET /start/device":
		s.deviceGET(w, r)
		return
	case "GET /start/authorize":
		s.authorizeGET(w, r)
		return
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		if err := r.ParseForm(); err != nil {
			s.message(w, s.visitor(w, r), http.StatusBadRequest, "Something went wrong", "The form could not be read.", "", "")
			return
		}
		switch route {
		case "POST /start/signin":
			s.signInPOST(w, r)
			return
		case "POST /start/mfa":
			s.mfaPOST(w, r)
			return
		case "POST /start/device":
			s.devicePOST(w, r)
			return
		case "POST /start/device/approve":
			s.deviceApprovePOST(w, r)
			return
		case "POST /start/authorize":
			s.authorizePOST(w, r)
			return
		case "POST /start/signout":
			s.signOutPOST(w, r)
			return
		}
	}
	s.message(w, s.visitor(w, r), http.StatusNotFound, "Page not found", "There is no page at this address.", "", pathStart+"/device")
}

// target is where the sign-in continues: the device or /authorize page
// of the request the form carried.
func target(userCode, requestID string) string {
	if requestID != "" {
		return pathStart + "/authorize?request=" + url.QueryEscape(requestID)
	}
	if userCode != "" {
		return pathStart + "/device?user_code=" + url.QueryEscape(userCode)
	}
	return pathStart + "/device"
}

// formUserCode is the user code a form or URL carries, as typed but
// bounded.
func formUserCode(s string) string {
	s = strings.TrimSpace(printableOnly(s))
	if len(s) > 16 {
		s = s[:16]
	}
	return s
}

// formRequestID is the /authorize request ID a form or URL carries, or
// "" when it cannot be one.
func formRequestID(s string) string {
	if b, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(b) != 16 {
		return ""
	}
	return s
}

func (s *Server) deviceGET(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	raw := formUserCode(r.URL.Query().Get("user_code"))
	if !v.signedIn() {
		d := s.page(v, "Sign in")
		d.UserCode = raw
		render(w, http.StatusOK, "signin", d)
		return
	}
	if raw == "" {
		render(w, http.StatusOK, "device", s.page(v, "Authorize a device"))
		return
	}
	s.showDevice(w, v, raw)
}

// showDevice shows the approval page of a user code, or why there is
// none.
func (s *Server) showDevice(w http.ResponseWriter, v *visitor, raw string) {
	code := normalizeUserCode(raw)
	s.mu.Lock()
	d, status, msg := s.deviceByUserCode(s.now(), code)
	var name string
	var scopes []string
	if d != nil {
		name, scopes = d.clientName, d.scopes
	}
	s.mu.Unlock()
	if d == nil {
		pd := s.page(v, "Authorize a device")
		pd.UserCode, pd.Error = raw, msg
		render(w, status, "device", pd)
		return
	}
	pd := s.page(v, "Allow access?")
	pd.ClientName, pd.Scopes, pd.UserCode, pd.Action = name, scopes, code, pathStart+"/device/approve"
	render(w, http.StatusOK, "approve", pd)
}

// deviceByUserCode returns the pending device authorization of a user
// code, or the status and message saying why not; s.mu must be held.
func (s *Server) deviceByUserCode(now time.Time, code string) (*deviceAuth, int, string) {
	key, ok := s.userCodes[code]
	var d *deviceAuth
	if ok {
		d, ok = s.devices.get(now, key)
	}
	switch {
	case !ok:
		return nil, http.StatusNotFound, msgBadCode
	case d.state != devicePending:
		return nil, http.StatusConflict, msgUsedCode
	case !now.Before(d.expires):
		return nil, http.StatusGone, msgExpiredCode
	}
	return d, 0, ""
}

func (s *Server) devicePOST(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	raw := formUserCode(r.PostForm.Get("user_code"))
	if !s.csrfOK(r, v) {
		s.message(w, v, http.StatusForbidden, "Something went wrong", msgCSRF, "", target(raw, ""))
		return
	}
	http.Redirect(w, r, target(raw, ""), http.StatusSeeOther)
}

func (s *Server) signInPOST(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	f := r.PostForm
	code, reqID := formUserCode(f.Get("user_code")), formRequestID(f.Get("request"))
	next := target(code, reqID)
	if !s.csrfOK(r, v) {
		s.message(w, v, http.StatusForbidden, "Something went wrong", msgCSRF, "", next)
		return
	}
	d := s.page(v, "Sign in")
	d.UserCode, d.RequestID = code, reqID
	name, pw := strings.TrimSpace(f.Get("username")), f.Get("password")
	if name == "" || pw == "" {
		d.Error = "Enter your user name and password."
		render(w, http.StatusBadRequest, "signin", d)
		return
	}
	d.Typed = printableOnly(name)
	if len(name) > maxUserName {
		d.Typed = ""
	}
	now := s.now()
	if s.locked(now, name) {
		d.Error = msgLocked
		render(w, http.StatusTooManyRequests, "signin", d)
		return
	}
	u, cred, ok := s.checkPassword(r.Context(), name, pw)
	if !ok {
		s.recordFailure(now, name)
		d.Error = msgBadCredentials
		render(w, http.StatusUnauthorized, "signin", d)
		return
	}
	s.clearFailures(name)
	if len(cred.TOTPSeed) > 0 {
		cookie := s.startSession(w, r, v, u, true)
		d := &pageData{Title: "Multi-factor authentication", Region: s.region, CSRF: s.csrf(cookie),
			MFAUser: u.UserName, UserCode: code, RequestID: reqID}
		render(w, http.StatusOK, "mfa", d)
		return
	}
	s.startSession(w, r, v, u, false)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// checkPassword checks a user name and password against Users and the
// Instance. Unknown users cost a bcrypt comparison too.
func (s *Server) checkPassword(ctx context.Context, name, pw string) (identitycenter.User, SignInCredential, bool) {
	if len(name) > maxUserName || len(pw) > maxPassword {
		return identitycenter.User{}, SignInCredential{}, false
	}
	cred, known := s.users.SignInCredential(name)
	hash := dummyHash
	if known && len(cred.PasswordHash) > 0 {
		hash = cred.PasswordHash
	}
	select {
	case s.bcryptSlots <- struct{}{}:
	case <-ctx.Done():
		return identitycenter.User{}, SignInCredential{}, false
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(pw))
	<-s.bcryptSlots
	if err != nil || !known || len(cred.PasswordHash) == 0 {
		return identitycenter.User{}, SignInCredential{}, false
	}
	u, err := s.ic.UserByName(name)
	if err != nil {
		return identitycenter.User{}, SignInCredential{}, false
	}
	return u, cred, true
}

// failureKey is the throttling key of a user name: lower-cased and cut
// to the longest user name, so that a flood of long names stays small.
func failureKey(name string) string {
	if len(name) > maxUserName {
		name = name[:maxUserName]
	}
	return strings.ToLower(name)
}

func (s *Server) locked(now time.Time, name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.failures.get(now, failureKey(name))
	return ok && now.Before(f.lockedUntil)
}

func (s *Server) recordFailure(now time.Time, name string) {
	key := failureKey(name)
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.failures.get(now, key)
	if !ok {
		f = &signInFailures{}
	}
	f.n++
	if f.n >= maxSignInFailures {
		lock := signInLockout << min(f.n-maxSignInFailures, 10)
		f.lockedUntil = now.Add(min(lock, maxSignInLockout))
	}
	// Failures are forgotten a lockout's length after the last one.
	s.failures.put(now, key, f, now.Add(maxSignInLockout))
}

func (s *Server) clearFailures(name string) {
	s.mu.Lock()
	s.failures.del(failureKey(name))
	s.mu.Unlock()
}

func (s *Server) mfaPOST(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	f := r.PostForm
	code, reqID := formUserCode(f.Get("user_code")), formRequestID(f.Get("request"))
	next := target(code, reqID)
	if !s.csrfOK(r, v) {
		s.message(w, v, http.StatusForbidden, "Something went wrong", msgCSRF, "", next)
		return
	}
	if v.sess == nil || !v.sess.mfaPending {
		s.message(w, v, http.StatusUnauthorized, "Sign in", msgSignInExpired, "", next)
		return
	}
	d := s.page(v, "Multi-factor authentication")
	d.MFAUser, d.UserCode, d.RequestID = v.sess.userName, code, reqID
	cred, ok := s.users.SignInCredential(v.sess.userName)
	var err error = sts.ErrInvalidMFACode
	if ok && len(cred.TOTPSeed) > 0 {
		_, err = s.totp.VerifyDevice(r.Context(), sts.MFADeviceKey{UserARN: s.ic.InstanceARN() + "/user/" + v.sess.userID,
			SerialNumber: "ssoapi-totp"}, cred.TOTPSeed, strings.TrimSpace(f.Get("mfa_code")))
	}
	if err != nil {
		s.mu.Lock()
		sess, live := s.browsers.get(s.now(), v.key)
		tooMany := false
		if live {
			sess.mfaFailures++
			if tooMany = sess.mfaFailures >= maxMFAFailures; tooMany {
				s.browsers.del(v.key)
			}
		}
		s.mu.Unlock()
		if !live || tooMany {
			s.message(w, v, http.StatusUnauthorized, "Sign in", "Too many incorrect MFA codes. Sign in again.", "", next)
			return
		}
		d.Error = msgBadMFA
		if errors.Is(err, sts.ErrMFACodeReused) {
			d.Error = msgMFAReused
		}
		render(w, http.StatusUnauthorized, "mfa", d)
		return
	}
	u, err := s.ic.User(v.sess.userID)
	if err != nil {
		s.message(w, v, http.StatusUnauthorized, "Sign in", msgSignInExpired, "", next)
		return
	}
	s.startSession(w, r, v, u, false)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) deviceApprovePOST(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	raw := formUserCode(r.PostForm.Get("user_code"))
	if !s.csrfOK(r, v) {
		s.message(w, v, http.StatusForbidden, "Something went wrong", msgCSRF, "", target(raw, ""))
		return
	}
	if !v.signedIn() {
		s.message(w, v, http.StatusUnauthorized, "Sign in", msgSignInExpired, "", target(raw, ""))
		return
	}
	decision := r.PostForm.Get("decision")
	if decision != "allow" && decision != "deny" {
		s.message(w, v, http.StatusBadRequest, "Something went wrong", "Choose Allow access or Deny.", "", target(raw, ""))
		return
	}
	code := normalizeUserCode(raw)
	now := s.now()
	s.mu.Lock()
	d, status, msg := s.deviceByUserCode(now, code)
	if d != nil {
		if decision == "allow" {
			d.state, d.userID, d.userName, d.browser = deviceApproved, v.sess.userID, v.sess.userName, v.key
		} else {
			d.state = deviceDenied
		}
	}
	s.mu.Unlock()
	if d == nil {
		pd := s.page(v, "Authorize a device")
		pd.UserCode, pd.Error = raw, msg
		render(w, status, "device", pd)
		return
	}
	if decision == "allow" {
		s.message(w, v, http.StatusOK, "Request approved", "", "You can close this window and return to your application.", "")
		return
	}
	s.message(w, v, http.StatusOK, "Request denied", "", "The application was not given access. You can close this window.", "")
}

// serveAuthorize is the OIDC authorize endpoint the AWS CLI opens for the
// authorization code grant with PKCE (RFC 6749 section 4.1.1, RFC 7636
// section 4.3). Errors before the client and redirect URI are known
// good are shown, never redirected (RFC 6749 section 4.1.2.1); later
// ones go back to the redirect URI with error and state.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	pageHeaders(w, "")
	v := s.visitor(w, r)
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		s.message(w, v, http.StatusMethodNotAllowed, "Sign-in request not valid", "Use GET.", "", "")
		return
	}
	q := r.URL.Query()
	now := s.now()
	s.mu.Lock()
	c, ok := s.clients.get(now, q.Get("client_id"))
	s.mu.Unlock()
	if !ok {
		s.message(w, v, http.StatusBadRequest, "Sign-in request not valid", "The application is not registered, or its registration has expired.", "", "")
		return
	}
	redirect := q.Get("redirect_uri")
	if !c.redirectAllowed(redirect) {
		s.message(w, v, http.StatusBadRequest, "Sign-in request not valid", "The redirect URI is not registered for this application.", "", "")
		return
	}
	state := q.Get("state")
	if len(state) > 1024 {
		state = ""
	}
	fail := func(code, desc string) {
		redirectWith(w, r, redirect, url.Values{"error": {code}, "error_description": {desc}, "state": {state}})
	}
	if !c.allows(grantAuthorizationCode) {
		fail("unauthorized_client", "The client is not registered for the authorization_code grant.")
		return
	}
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "response_type must be code.")
		return
	}
	challenge := strings.TrimRight(q.Get("code_challenge"), "=")
	if challenge == "" {
		fail("invalid_request", "code_challenge is required.")
		return
	}
	if q.Get("code_challenge_method") != "S256" {
		fail("invalid_request", "code_challenge_method must be S256.")
		return
	}
	if !validChallenge(challenge) {
		fail("invalid_request", "code_challenge must be the base64url SHA-256 of the code verifier.")
		return
	}
	scopes := strings.Fields(q.Get("scopes"))
	if len(scopes) == 0 {
		scopes = strings.Fields(q.Get("scope"))
	}
	if len(scopes) == 0 {
		scopes = c.scopes
	}
	for _, sc := range scopes {
		if len(scopes) > maxScopes || !contains(c.scopes, sc) {
			fail("invalid_scope", "A scope asked for was not registered.")
			return
		}
	}
	id := secret(16)
	s.mu.Lock()
	s.requests.put(now, id, &authzRequest{clientID: c.id, clientName: c.name, redirectURI: redirect, state: state,
		challenge: challenge, scopes: scopes, expires: now.Add(AuthorizationRequestLifetime)}, now.Add(AuthorizationRequestLifetime))
	s.mu.Unlock()
	http.Redirect(w, r, s.baseURL(r)+target("", id), http.StatusSeeOther)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// redirectWith sends the browser to uri with the non-empty params added
// to its query.
func redirectWith(w http.ResponseWriter, r *http.Request, uri string, params url.Values) {
	u, err := url.Parse(uri)
	if err != nil {
		http.Error(w, "bad redirect", http.StatusBadRequest)
		return
	}
	q := u.Query()
	for k, vs := range params {
		if len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// origin is scheme://host[:port] of a URI, for form-action.
func origin(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func (s *Server) authorizeGET(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	id := formRequestID(r.URL.Query().Get("request"))
	now := s.now()
	s.mu.Lock()
	req, ok := s.requests.get(now, id)
	var cp authzRequest
	if ok {
		cp = *req
	}
	s.mu.Unlock()
	if !ok {
		s.message(w, v, http.StatusGone, "Sign-in request not valid", msgExpiredRequest, "", "")
		return
	}
	if !v.signedIn() {
		d := s.page(v, "Sign in")
		d.RequestID = id
		render(w, http.StatusOK, "signin", d)
		return
	}
	d := s.page(v, "Allow access?")
	d.RequestID, d.ClientName, d.Scopes, d.Action, d.RedirectTo = id, cp.clientName, cp.scopes, pathStart+"/authorize", origin(cp.redirectURI)
	// The approval answers with a redirect to the client's loopback
	// address, which form-action must allow.
	pageHeaders(w, origin(cp.redirectURI))
	render(w, http.StatusOK, "approve", d)
}

func (s *Server) authorizePOST(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	id := formRequestID(r.PostForm.Get("request"))
	if !s.csrfOK(r, v) {
		s.message(w, v, http.StatusForbidden, "Something went wrong", msgCSRF, "", target("", id))
		return
	}
	if !v.signedIn() {
		s.message(w, v, http.StatusUnauthorized, "Sign in", msgSignInExpired, "", target("", id))
		return
	}
	decision := r.PostForm.Get("decision")
	if decision != "allow" && decision != "deny" {
		s.message(w, v, http.StatusBadRequest, "Something went wrong", "Choose Allow access or Deny.", "", target("", id))
		return
	}
	now := s.now()
	s.mu.Lock()
	req, ok := s.requests.get(now, id)
	s.requests.del(id) // one approval per request
	var code string
	if ok && decision == "allow" {
		code = secret(32)
		exp := now.Add(AuthorizationCodeLifetime)
		// Kept past its expiry, so that a late exchange hears
		// ExpiredTokenException.
		s.codes.put(now, digest(code), &authzCode{clientID: req.clientID, redirectURI: req.redirectURI, challenge: req.challenge,
			scopes: req.scopes, userID: v.sess.userID, userName: v.sess.userName, browser: v.key, expires: exp}, exp.Add(AuthorizationCodeLifetime))
	}
	s.mu.Unlock()
	if !ok {
		s.message(w, v, http.StatusGone, "Sign-in request not valid", msgExpiredRequest, "", "")
		return
	}
	if decision == "allow" {
		redirectWith(w, r, req.redirectURI, url.Values{"code": {code}, "state": {req.state}})
		return
	}
	redirectWith(w, r, req.redirectURI, url.Values{"error": {"access_denied"}, "error_description": {"The user denied the request."}, "state": {req.state}})
}

func (s *Server) signOutPOST(w http.ResponseWriter, r *http.Request) {
	v := s.visitor(w, r)
	if !s.csrfOK(r, v) {
		s.message(w, v, http.StatusForbidden, "Something went wrong", msgCSRF, "", pathStart+"/device")
		return
	}
	s.mu.Lock()
	s.browsers.del(v.key)
	s.mu.Unlock()
	v.sess = nil
	s.message(w, v, http.StatusOK, "Signed out", "", "You are signed out.", pathStart+"/device")
}
