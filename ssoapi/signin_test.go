package ssoapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/iamkit/iamkit/sts"
)

// A wrong password and an unknown user get the same answer, status and
// message, and the page keeps the typed user name, escaped.
func TestSignInFailureIsOpaque(t *testing.T) {
	f := newFixture(t, Options{})
	d := f.startDevice(f.register(scopeSSO))
	try := func(user, pw string) (int, string) {
		b := f.browser()
		_, page := b.get(aws.ToString(d.VerificationUriComplete))
		resp, page := b.signIn(page, user, pw)
		return resp.StatusCode, page
	}
	st1, p1 := try("alice", "wrong-password")
	st2, p2 := try("mallory", "wrong-password")
	if st1 != http.StatusUnauthorized || st2 != st1 || !strings.Contains(p1, msgBadCredentials) || !strings.Contains(p2, msgBadCredentials) {
		t.Errorf("wrong password: %d, unknown user: %d; both must be 401 %q", st1, st2, msgBadCredentials)
	}
	if _, p := try("<b>eve</b>", "x"); strings.Contains(p, "<b>eve</b>") || !strings.Contains(p, "&lt;b&gt;eve&lt;/b&gt;") {
		t.Errorf("typed user name not escaped:\n%s", p)
	}
	// A user of Credentials who is not in the instance cannot sign in.
	f.srv.users = CredentialMap{"ghost": {PasswordHash: testHashes()["alice"]}, "alice": {PasswordHash: testHashes()["alice"]}}
	if st, p := try("ghost", alicePass); st != http.StatusUnauthorized || !strings.Contains(p, msgBadCredentials) {
		t.Errorf("a user only in Credentials: %d", st)
	}
	// User names match regardless of case, as Identity Center's do.
	if st, p := try("ALICE", alicePass); st != http.StatusOK || !strings.Contains(p, `id="approve-form"`) {
		t.Errorf("ALICE: %d\n%s", st, p)
	}
}

// Five consecutive failures lock a user name, known or not, for 30
// seconds: the right password is refused meanwhile, and accepted after.
func TestSignInThrottle(t *testing.T) {
	f := newFixture(t, Options{})
	d := f.startDevice(f.register(scopeSSO))
	try := func(user, pw string) (int, string) {
		b := f.browser()
		_, page := b.get(aws.ToString(d.VerificationUriComplete))
		resp, page := b.signIn(page, user, pw)
		return resp.StatusCode, page
	}
	for _, user := range []string{"alice", "nobody"} {
		for i := range maxSignInFailures {
			if st, _ := try(user, "wrong"); st != http.StatusUnauthorized {
				t.Fatalf("%s failure %d: %d", user, i, st)
			}
		}
		if st, p := try(user, alicePass); st != http.StatusTooManyRequests || !strings.Contains(p, msgLocked) {
			t.Errorf("%s after %d failures: %d, want 429 %q", user, maxSignInFailures, st, msgLocked)
		}
	}
	f.clock.Advance(signInLockout + time.Second)
	if st, p := try("Alice", alicePass); st != http.StatusOK || !strings.Contains(p, `id="approve-form"`) {
		t.Errorf("after the lockout: %d", st)
	}
}

// Every form that changes state needs the CSRF token bound to the
// browser's cookie: none, another browser's, or no cookie at all is 403.
func TestCSRF(t *testing.T) {
	f := newFixture(t, Options{})
	d := f.startDevice(f.register(scopeSSO))
	victim, attacker := f.browser(), f.browser()
	_, vpage := victim.get(aws.ToString(d.VerificationUriComplete))
	_, apage := attacker.get(aws.ToString(d.VerificationUriComplete))
	form := url.Values{"username": {"alice"}, "password": {alicePass}, "user_code": {aws.ToString(d.UserCode)}}
	for name, csrf := range map[string]string{"none": "", "another browser's": csrfOf(t, apage), "garbage": "x"} {
		fm := url.Values{}
		for k, v := range form {
			fm[k] = v
		}
		if csrf != "" {
			fm.Set("csrf", csrf)
		}
		if resp, page := victim.post("/start/signin", fm); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, msgCSRF) {
			t.Errorf("sign-in with %s token: %d", name, resp.StatusCode)
		}
	}
	// No cookie: a fresh client posting a token it was never given.
	form.Set("csrf", csrfOf(t, vpage))
	if resp, _ := f.browser().post("/start/signin", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without the cookie: %d", resp.StatusCode)
	}
	// Signed in, the approval needs the token too.
	_, page := victim.signIn(vpage, "alice", alicePass)
	approve := url.Values{"user_code": {aws.ToString(d.UserCode)}, "decision": {"allow"}}
	if resp, _ := victim.post("/start/device/approve", approve); resp.StatusCode != http.StatusForbidden {
		t.Errorf("approval without a token: %d", resp.StatusCode)
	}
	approve.Set("csrf", csrfOf(t, vpage)) // the token of the cookie before sign-in
	if resp, _ := victim.post("/start/device/approve", approve); resp.StatusCode != http.StatusForbidden {
		t.Errorf("approval with the pre-sign-in token: %d", resp.StatusCode)
	}
	approve.Set("csrf", csrfOf(t, page))
	if resp, page := victim.post("/start/device/approve", approve); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Request approved") {
		t.Errorf("approval with the token: %d", resp.StatusCode)
	}
}

// The cookie is HttpOnly, SameSite=Strict, Secure over TLS, and replaced
// at sign-in (no session fixation); pages forbid framing, scripts,
// caching and referrers.
func TestCookieAndHeaders(t *testing.T) {
	f := newFixture(t, Options{})
	d := f.startDevice(f.register(scopeSSO))
	b := f.browser()
	resp, page := b.get(aws.ToString(d.VerificationUriComplete))
	before := cookieOf(t, resp)
	if !before.HttpOnly || before.SameSite != http.SameSiteStrictMode || before.Secure || before.Path != "/start" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/start, not Secure over http", before)
	}
	h := resp.Header
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if h.Get(k) != want {
			t.Errorf("%s: %q, want %q", k, h.Get(k), want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(page, "<script") {
		t.Error("the page has a script")
	}
	form := url.Values{"csrf": {csrfOf(t, page)}, "username": {"alice"}, "password": {alicePass}, "user_code": {aws.ToString(d.UserCode)}}
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+"/start/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(before)
	resp, err := http.DefaultTransport.RoundTrip(req)
	mustDo(t, err)
	resp.Body.Close()
	after := cookieOf(t, resp)
	if resp.StatusCode != http.StatusSeeOther || after.Value == before.Value {
		t.Errorf("sign-in: %d, cookie replaced: %t", resp.StatusCode, after.Value != before.Value)
	}

	tls := httptest.NewTLSServer(f.srv)
	defer tls.Close()
	resp, err = tls.Client().Get(tls.URL + "/start/device")
	mustDo(t, err)
	resp.Body.Close()
	if c := cookieOf(t, resp); !c.Secure {
		t.Error("cookie over TLS is not Secure")
	}
}

func cookieOf(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == cookieName {
			return c
		}
	}
	t.Fatalf("no %s cookie", cookieName)
	return nil
}

// A user with an MFA device gives the TOTP code after the password: a
// wrong code is refused, the right one signs in, a code already used is
// refused with its own message, and five wrong codes end the half
// sign-in. The request stays pending until approved.
func TestSignInMFA(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)
	d := f.startDevice(c)
	b := f.browser()
	_, page := b.get(aws.ToString(d.VerificationUriComplete))
	_, page = b.signIn(page, "carol", carolPass)
	if !strings.Contains(page, `id="mfa-form"`) || strings.Contains(page, `id="approve-form"`) {
		t.Fatalf("no MFA step:\n%s", page)
	}
	mfa := func(b *browser, page, code string) (*http.Response, string) {
		return b.post("/start/mfa", url.Values{"csrf": {csrfOf(t, page)}, "user_code": {hiddenOf(page, "user_code")}, "mfa_code": {code}})
	}
	resp, page2 := mfa(b, page, "000000")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page2, msgBadMFA) {
		t.Errorf("wrong code: %d", resp.StatusCode)
	}
	// The half-signed-in browser cannot approve.
	if resp, _ := b.post("/start/device/approve", url.Values{"csrf": {csrfOf(t, page)}, "user_code": {aws.ToString(d.UserCode)}, "decision": {"allow"}}); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("approval before the MFA code: %d", resp.StatusCode)
	}
	code := sts.GenerateTOTP(carolSeed, f.clock.Now())
	_, page2 = mfa(b, page2, code)
	if !strings.Contains(page2, `id="approve-form"`) || !strings.Contains(page2, "Signed in as <strong>carol</strong>") {
		t.Fatalf("right code: no approval page:\n%s", page2)
	}
	if _, err := f.pollDevice(c, d); errCode(err) != "AuthorizationPendingException" {
		t.Errorf("before approval: %v", err)
	}
	b.post("/start/device/approve", url.Values{"csrf": {csrfOf(t, page2)}, "user_code": {aws.ToString(d.UserCode)}, "decision": {"allow"}})
	f.clock.Advance(5 * time.Second)
	tok, err := f.pollDevice(c, d)
	mustDo(t, err)
	out, err := f.listAccounts(tok.AccessToken)
	mustDo(t, err)
	if len(out.AccountList) != 1 || aws.ToString(out.AccountList[0].AccountId) != acctProd {
		t.Errorf("carol's accounts: %+v", out.AccountList)
	}

	// The same code again, in another browser: already used.
	b2 := f.browser()
	_, page = b2.get(aws.ToString(d.VerificationUriComplete))
	_, page = b2.signIn(page, "carol", carolPass)
	if resp, page := mfa(b2, page, code); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, msgMFAReused) {
		t.Errorf("reused code: %d", resp.StatusCode)
	}
	// Five wrong codes end the half sign-in.
	b3 := f.browser()
	_, page = b3.get(aws.ToString(d.VerificationUriComplete))
	_, page = b3.signIn(page, "carol", carolPass)
	var last string
	for range maxMFAFailures {
		_, last = mfa(b3, page, "000000")
	}
	if !strings.Contains(last, "Too many incorrect MFA codes") {
		t.Errorf("after %d wrong codes:\n%s", maxMFAFailures, last)
	}
}

// The device pages: a code that does not exist, one already used, one
// typed in lower case without its hyphen; the code entry form; a client
// name is escaped.
func TestDevicePages(t *testing.T) {
	f := newFixture(t, Options{})
	c, err := f.oidc.RegisterClient(f.ctx, &ssooidc.RegisterClientInput{ClientName: aws.String(`<script>alert("x")</script>`), ClientType: aws.String("public")})
	mustDo(t, err)
	d := f.startDevice(c)
	b := f.browser()
	_, page := b.get("/start/device")
	_, page = b.signIn(page, "alice", alicePass)
	if !strings.Contains(page, `id="device-form"`) {
		t.Fatalf("signed in without a code: no code form:\n%s", page)
	}
	resp, page := b.post("/start/device", url.Values{"csrf": {csrfOf(t, page)}, "user_code": {"BCDF-GHJK"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, msgBadCode) {
		t.Errorf("unknown code: %d", resp.StatusCode)
	}
	typed := strings.ToLower(strings.ReplaceAll(aws.ToString(d.UserCode), "-", " "))
	resp, page = b.post("/start/device", url.Values{"csrf": {csrfOf(t, page)}, "user_code": {typed}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="approve-form"`) {
		t.Fatalf("code %q: %d\n%s", typed, resp.StatusCode, page)
	}
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
		t.Errorf("client name not escaped:\n%s", page)
	}
	b.post("/start/device/approve", url.Values{"csrf": {csrfOf(t, page)}, "user_code": {hiddenOf(page, "user_code")}, "decision": {"allow"}})
	resp, page = b.get(aws.ToString(d.VerificationUriComplete))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, msgUsedCode) {
		t.Errorf("used code: %d", resp.StatusCode)
	}
	resp, page = b.post("/start/device/approve", url.Values{"csrf": {csrfOf(t, page)}, "user_code": {aws.ToString(d.UserCode)}, "decision": {"deny"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, msgUsedCode) {
		t.Errorf("approving a used code: %d", resp.StatusCode)
	}
	resp, page = b.post("/start/signout", url.Values{"csrf": {csrfOf(t, page)}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Signed out") {
		t.Errorf("sign out: %d", resp.StatusCode)
	}
	if _, page := b.get("/start/device"); !strings.Contains(page, `id="signin-form"`) {
		t.Error("still signed in after signing out")
	}
	if resp, _ := b.get("/start/nothing"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/start/nothing: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/start/assets/style.css"); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("style sheet: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// Handles claims exactly the package's paths, never "/" (STS's).
func TestHandles(t *testing.T) {
	f := newFixture(t, Options{})
	for path, want := range map[string]bool{"/": false, "/client/register": true, "/device_authorization": true, "/token": true,
		"/authorize": true, "/assignment/accounts": true, "/assignment/roles": true, "/federation/credentials": true, "/logout": true,
		"/start/device": true, "/start": true, "/starting": false, "/tokens": false, "/assignment": false} {
		r := httptest.NewRequest(http.MethodPost, path, nil)
		if got := f.srv.Handles(r); got != want {
			t.Errorf("Handles(%s) = %t, want %t", path, got, want)
		}
	}
}

// A SignInCredential never prints its hash or seed.
func TestSignInCredentialRedacted(t *testing.T) {
	c := SignInCredential{PasswordHash: []byte("$2a$04$secret-hash-material"), TOTPSeed: []byte("SEEDSEEDSEED")}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("user", "cred", c)
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q %x", c, c, c, c, c, c), fmt.Sprint(CredentialMap{"a": c}), logged.String()} {
		if strings.Contains(out, "secret-hash") || strings.Contains(out, "SEED") || strings.Contains(out, "5345") {
			t.Errorf("secret printed: %s", out)
		}
	}
}
