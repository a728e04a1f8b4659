package ssoapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
)

const cliRedirect = "http://127.0.0.1/oauth/callback"

// registerPKCE registers as the AWS CLI does for the authorization code
// grant (botocore utils.py SSOTokenFetcherAuth._register_client).
func (f *fixture) registerPKCE() *ssooidc.RegisterClientOutput {
	f.t.Helper()
	out, err := f.oidc.RegisterClient(f.ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-iamkit"),
		ClientType: aws.String("public"), GrantTypes: []string{"authorization_code", "refresh_token"},
		RedirectUris: []string{cliRedirect}, IssuerUrl: aws.String(startURL), Scopes: []string{scopeSSO}})
	mustDo(f.t, err)
	return out
}

// pkcePair makes a verifier and challenge as the CLI does: 64 characters
// of letters, digits and -._~, and the base64url SHA-256 with its final
// "=" trimmed.
func pkcePair(t *testing.T) (verifier, challenge string) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	b := make([]byte, 64)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		mustDo(t, err)
		b[i] = alphabet[n.Int64()]
	}
	sum := sha256.Sum256(b)
	c := base64.URLEncoding.EncodeToString(sum[:])
	return string(b), c[:len(c)-1]
}

// authorizeURL is the URL the CLI opens (SSOTokenFetcherAuth._get_authorization_uri).
func (f *fixture) authorizeURL(clientID, redirect, state, challenge string, extra url.Values) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "state": {state},
		"code_challenge_method": {"S256"}, "scopes": {scopeSSO}}
	for k, v := range extra {
		q[k] = v
	}
	return f.ts.URL + "/authorize?" + q.Encode() + "&code_challenge=" + challenge
}

// authorize signs in on the page /authorize leads to and allows or
// denies; it returns where the browser is sent back to.
func (b *browser) authorize(authorizeURL, user, password, decision string) *url.URL {
	b.f.t.Helper()
	resp, page := b.get(authorizeURL)
	if !strings.Contains(page, `id="signin-form"`) {
		b.f.t.Fatalf("/authorize: %d, no sign-in page:\n%s", resp.StatusCode, page)
	}
	_, page = b.signIn(page, user, password)
	if !strings.Contains(page, `id="approve-form"`) {
		b.f.t.Fatalf("no approval page:\n%s", page)
	}
	resp, _ = b.post("/start/authorize", url.Values{"csrf": {csrfOf(b.f.t, page)}, "request": {hiddenOf(page, "request")}, "decision": {decision}})
	if resp.StatusCode != http.StatusSeeOther {
		b.f.t.Fatalf("approval answered %d, want 303", resp.StatusCode)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	mustDo(b.f.t, err)
	return u
}

// The authorization code grant with PKCE end to end, as the AWS CLI
// performs it: /authorize, sign-in, approval, the redirect to the
// loopback callback with code and state, CreateToken with the verifier.
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html
// (authorization_code, codeVerifier), RFC 7636, RFC 8252 section 7.3.
func TestPKCE(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.registerPKCE()
	redirect := "http://127.0.0.1:43117/oauth/callback"
	exchange := func(code, verifier, redirect string) (*ssooidc.CreateTokenOutput, error) {
		return f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
			GrantType: aws.String("authorization_code"), Code: aws.String(code), CodeVerifier: aws.String(verifier), RedirectUri: aws.String(redirect)})
	}
	login := func(verifier, challenge string) string {
		t.Helper()
		back := f.browser().authorize(f.authorizeURL(aws.ToString(c.ClientId), redirect, "3f1e6c2a-state", challenge, nil), "alice", alicePass, "allow")
		if got := back.Scheme + "://" + back.Host + back.Path; got != redirect {
			t.Fatalf("sent back to %q, want %q", got, redirect)
		}
		if back.Query().Get("state") != "3f1e6c2a-state" || back.Query().Get("code") == "" {
			t.Fatalf("callback query %q: want code and the state", back.RawQuery)
		}
		return back.Query().Get("code")
	}

	t.Run("S256 verifier", func(t *testing.T) {
		v, ch := pkcePair(t)
		tok, err := exchange(login(v, ch), v, redirect)
		mustDo(t, err)
		if aws.ToString(tok.RefreshToken) == "" || tok.ExpiresIn != 8*3600 {
			t.Errorf("token: refresh %t, expiresIn %d", tok.RefreshToken != nil, tok.ExpiresIn)
		}
		if _, err := f.listAccounts(tok.AccessToken); err != nil {
			t.Errorf("ListAccounts: %v", err)
		}
	})
	t.Run("wrong verifier", func(t *testing.T) {
		v, ch := pkcePair(t)
		other, _ := pkcePair(t)
		code := login(v, ch)
		if _, err := exchange(code, other, redirect); errCode(err) != "InvalidGrantException" {
			t.Fatalf("wrong verifier: %v, want InvalidGrantException", err)
		}
		// The code is spent by the failed attempt (RFC 6749 section 10.5).
		if _, err := exchange(code, v, redirect); errCode(err) != "InvalidGrantException" {
			t.Errorf("the code after a failed exchange: %v, want InvalidGrantException", err)
		}
	})
	t.Run("malformed verifier", func(t *testing.T) {
		v, ch := pkcePair(t)
		if _, err := exchange(login(v, ch), v+" ", redirect); errCode(err) != "InvalidGrantException" {
			t.Errorf("%v, want InvalidGrantException", err)
		}
	})
	t.Run("used twice", func(t *testing.T) {
		v, ch := pkcePair(t)
		code := login(v, ch)
		_, err := exchange(code, v, redirect)
		mustDo(t, err)
		if _, err := exchange(code, v, redirect); errCode(err) != "InvalidGrantException" {
			t.Errorf("code used twice: %v, want InvalidGrantException", err)
		}
	})
	t.Run("another redirect URI", func(t *testing.T) {
		v, ch := pkcePair(t)
		if _, err := exchange(login(v, ch), v, "http://127.0.0.1:43118/oauth/callback"); errCode(err) != "InvalidGrantException" {
			t.Errorf("%v, want InvalidGrantException", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		v, ch := pkcePair(t)
		code := login(v, ch)
		f.clock.Advance(AuthorizationCodeLifetime + time.Second)
		if _, err := exchange(code, v, redirect); errCode(err) != "ExpiredTokenException" {
			t.Errorf("%v, want ExpiredTokenException", err)
		}
	})
	t.Run("another client", func(t *testing.T) {
		v, ch := pkcePair(t)
		code := login(v, ch)
		other := f.registerPKCE()
		_, err := f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: other.ClientId, ClientSecret: other.ClientSecret,
			GrantType: aws.String("authorization_code"), Code: aws.String(code), CodeVerifier: aws.String(v), RedirectUri: aws.String(redirect)})
		if errCode(err) != "InvalidGrantException" {
			t.Errorf("%v, want InvalidGrantException", err)
		}
	})
	t.Run("no verifier", func(t *testing.T) {
		v, ch := pkcePair(t)
		_ = v
		code := login(v, ch)
		_, err := f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
			GrantType: aws.String("authorization_code"), Code: aws.String(code), RedirectUri: aws.String(redirect)})
		if errCode(err) != "InvalidRequestException" {
			t.Errorf("%v, want InvalidRequestException", err)
		}
	})
	t.Run("denied", func(t *testing.T) {
		_, ch := pkcePair(t)
		back := f.browser().authorize(f.authorizeURL(aws.ToString(c.ClientId), redirect, "s-1", ch, nil), "alice", alicePass, "deny")
		if q := back.Query(); q.Get("error") != "access_denied" || q.Get("state") != "s-1" || q.Get("code") != "" {
			t.Errorf("denied: %q", back.RawQuery)
		}
	})
	t.Run("approval page allows the redirect", func(t *testing.T) {
		_, ch := pkcePair(t)
		b := f.browser()
		_, page := b.get(f.authorizeURL(aws.ToString(c.ClientId), redirect, "s", ch, nil))
		resp, page := b.signIn(page, "alice", alicePass)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "form-action 'self' http://127.0.0.1:43117;") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q", csp)
		}
		if !strings.Contains(page, "http://127.0.0.1:43117") || !strings.Contains(page, "botocore-client-iamkit") {
			t.Errorf("the approval page does not name the client and where it returns:\n%s", page)
		}
		// One approval per request.
		form := url.Values{"csrf": {csrfOf(t, page)}, "request": {hiddenOf(page, "request")}, "decision": {"allow"}}
		if resp, _ := b.post("/start/authorize", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first approval: %d", resp.StatusCode)
		}
		if resp, page := b.post("/start/authorize", form); resp.StatusCode != http.StatusGone || !strings.Contains(page, msgExpiredRequest) {
			t.Errorf("second approval: %d\n%s", resp.StatusCode, page)
		}
	})
}

// /authorize refuses, on a page and without redirecting, a request whose
// client or redirect URI is not known good; later errors go back to the
// redirect URI with error and state (RFC 6749 section 4.1.2.1).
func TestAuthorizeErrors(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.registerPKCE()
	device := f.register(scopeSSO)
	_, ch := pkcePair(t)
	id := aws.ToString(c.ClientId)
	redirect := "http://127.0.0.1:5000/oauth/callback"
	for _, tc := range []struct {
		name   string
		url    string
		status int
		error  string // the redirect's error, or "" for a page
	}{
		{"unknown client", f.authorizeURL("nobody", redirect, "s", ch, nil), 400, ""},
		{"device client", f.authorizeURL(aws.ToString(device.ClientId), redirect, "s", ch, nil), 400, ""},
		{"unregistered path", f.authorizeURL(id, "http://127.0.0.1:5000/elsewhere", "s", ch, nil), 400, ""},
		{"unregistered host", f.authorizeURL(id, "http://attacker.example/oauth/callback", "s", ch, nil), 400, ""},
		{"plain method", f.authorizeURL(id, redirect, "s", ch, url.Values{"code_challenge_method": {"plain"}}), 303, "invalid_request"},
		{"no challenge", f.authorizeURL(id, redirect, "s", "", nil), 303, "invalid_request"},
		{"bad challenge", f.authorizeURL(id, redirect, "s", "abc", nil), 303, "invalid_request"},
		{"token response", f.authorizeURL(id, redirect, "s", ch, url.Values{"response_type": {"token"}}), 303, "unsupported_response_type"},
		{"unregistered scope", f.authorizeURL(id, redirect, "s", ch, url.Values{"scopes": {"sso:account:access codewhisperer:completions"}}), 303, "invalid_scope"},
	} {
		resp, _ := f.browser().get(tc.url)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
			continue
		}
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if tc.error == "" {
			if loc.String() != "" {
				t.Errorf("%s: redirected to %s", tc.name, loc)
			}
			continue
		}
		if got := loc.Scheme + "://" + loc.Host + loc.Path; got != redirect || loc.Query().Get("error") != tc.error || loc.Query().Get("state") != "s" {
			t.Errorf("%s: redirected to %s, want %s?error=%s&state=s", tc.name, loc, redirect, tc.error)
		}
	}
}
