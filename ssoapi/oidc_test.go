package ssoapi

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/google/go-cmp/cmp"
)

// The device authorization flow end to end with the SDK's ssooidc
// client: RegisterClient, StartDeviceAuthorization, CreateToken answering
// AuthorizationPendingException until the user approves on the page, then
// the token; the device code is then spent.
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_RegisterClient.html,
// .../API_StartDeviceAuthorization.html, .../API_CreateToken.html, RFC 8628.
func TestDeviceFlow(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)
	if aws.ToString(c.ClientId) == "" || aws.ToString(c.ClientSecret) == "" {
		t.Fatalf("RegisterClient: %+v", c)
	}
	if c.ClientIdIssuedAt != t0.Unix() || c.ClientSecretExpiresAt != t0.Add(90*24*time.Hour).Unix() {
		t.Errorf("clientIdIssuedAt %d, clientSecretExpiresAt %d: want %d and 90 days later", c.ClientIdIssuedAt, c.ClientSecretExpiresAt, t0.Unix())
	}

	d := f.startDevice(c)
	if !regexp.MustCompile(`^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`).MatchString(aws.ToString(d.UserCode)) {
		t.Errorf("userCode %q: want XXXX-XXXX of consonants", aws.ToString(d.UserCode))
	}
	if got, want := aws.ToString(d.VerificationUri), f.ts.URL+"/start/device"; got != want {
		t.Errorf("verificationUri %q, want %q", got, want)
	}
	if got, want := aws.ToString(d.VerificationUriComplete), f.ts.URL+"/start/device?user_code="+aws.ToString(d.UserCode); got != want {
		t.Errorf("verificationUriComplete %q, want %q", got, want)
	}
	if d.ExpiresIn != 600 || d.Interval != 5 {
		t.Errorf("expiresIn %d, interval %d: want 600 and 5", d.ExpiresIn, d.Interval)
	}
	if len(aws.ToString(d.DeviceCode)) < 40 {
		t.Errorf("deviceCode %d characters: want 256 random bits", len(aws.ToString(d.DeviceCode)))
	}

	_, err := f.pollDevice(c, d)
	var pending *types.AuthorizationPendingException
	if !errors.As(err, &pending) || aws.ToString(pending.Error_) != "authorization_pending" {
		t.Fatalf("CreateToken before approval: %v, want AuthorizationPendingException (authorization_pending)", err)
	}

	f.clock.Advance(5 * time.Second)
	page := f.browser().approveDevice(aws.ToString(d.VerificationUriComplete), "alice", alicePass, "allow")
	if !strings.Contains(page, "Request approved") {
		t.Fatalf("approval page:\n%s", page)
	}
	tok, err := f.pollDevice(c, d)
	mustDo(t, err)
	if !strings.HasPrefix(aws.ToString(tok.AccessToken), "aoa") || aws.ToString(tok.TokenType) != "Bearer" || tok.ExpiresIn != 8*3600 {
		t.Errorf("token: type %q, expiresIn %d, access token %.3s...: want Bearer, 28800, aoa...", aws.ToString(tok.TokenType), tok.ExpiresIn, aws.ToString(tok.AccessToken))
	}
	if !strings.HasPrefix(aws.ToString(tok.RefreshToken), "aor") {
		t.Errorf("no refresh token for a client registered with scopes")
	}

	_, err = f.pollDevice(c, d)
	var invalid *types.InvalidGrantException
	if !errors.As(err, &invalid) {
		t.Errorf("device code used twice: %v, want InvalidGrantException", err)
	}
}

// Polling faster than the interval is SlowDownException, and the interval
// then grows by five seconds; polling at the interval, even with a
// little jitter and the CLI's two polls at once, never is.
// RFC 8628 section 3.5; API_CreateToken.html (SlowDownException).
func TestDeviceFlowSlowDown(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)

	t.Run("too fast", func(t *testing.T) {
		d := f.startDevice(c)
		for i := range 2 {
			if _, err := f.pollDevice(c, d); errCode(err) != "AuthorizationPendingException" {
				t.Fatalf("poll %d: %v, want AuthorizationPendingException", i, err)
			}
		}
		_, err := f.pollDevice(c, d)
		var slow *types.SlowDownException
		if !errors.As(err, &slow) || aws.ToString(slow.Error_) != "slow_down" {
			t.Fatalf("third poll at once: %v, want SlowDownException", err)
		}
		// The interval is now 10 s: polling every 10 s is fine...
		for i := range 5 {
			f.clock.Advance(10 * time.Second)
			if _, err := f.pollDevice(c, d); errCode(err) != "AuthorizationPendingException" {
				t.Fatalf("poll %d at 10 s: %v", i, err)
			}
		}
		// ...and every 5 s is too fast again within three polls.
		for i := range 3 {
			f.clock.Advance(5 * time.Second)
			if _, err := f.pollDevice(c, d); errCode(err) == "SlowDownException" {
				return
			} else if errCode(err) != "AuthorizationPendingException" {
				t.Fatalf("poll %d at 5 s: %v", i, err)
			}
		}
		t.Fatal("polling every 5 s after slow_down never answered SlowDownException")
	})
	t.Run("CLI cadence with jitter", func(t *testing.T) {
		d := f.startDevice(c)
		steps := []time.Duration{0, 0, 5 * time.Second, 4500 * time.Millisecond, 5500 * time.Millisecond, 4200 * time.Millisecond, 5 * time.Second, 5800 * time.Millisecond, 4300 * time.Millisecond}
		for i, s := range steps {
			f.clock.Advance(s)
			if _, err := f.pollDevice(c, d); errCode(err) != "AuthorizationPendingException" {
				t.Fatalf("poll %d: %v, want AuthorizationPendingException", i, err)
			}
		}
	})
	t.Run("every 3 s", func(t *testing.T) {
		d := f.startDevice(c)
		for i := range 10 {
			_, err := f.pollDevice(c, d)
			if errCode(err) == "SlowDownException" {
				if i < 3 {
					t.Fatalf("SlowDownException at poll %d already", i)
				}
				return
			}
			f.clock.Advance(3 * time.Second)
		}
		t.Fatal("polling every 3 s never answered SlowDownException")
	})
}

// A device code past its 600 seconds is ExpiredTokenException, and the
// page says the code has expired.
func TestDeviceCodeExpired(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)
	d := f.startDevice(c)
	b := f.browser()
	_, page := b.get(aws.ToString(d.VerificationUriComplete))
	f.clock.Advance(601 * time.Second)
	resp, page := b.signIn(page, "alice", alicePass)
	if resp.StatusCode != http.StatusGone || !strings.Contains(page, msgExpiredCode) {
		t.Errorf("page after expiry: %d\n%s", resp.StatusCode, page)
	}
	_, err := f.pollDevice(c, d)
	var expired *types.ExpiredTokenException
	if !errors.As(err, &expired) || aws.ToString(expired.Error_) != "expired_token" {
		t.Fatalf("CreateToken after expiry: %v, want ExpiredTokenException", err)
	}
}

// A denied request is AccessDeniedException once, then the code is
// spent.
func TestDeviceDenied(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)
	d := f.startDevice(c)
	page := f.browser().approveDevice(aws.ToString(d.VerificationUriComplete), "alice", alicePass, "deny")
	if !strings.Contains(page, "Request denied") {
		t.Fatalf("page:\n%s", page)
	}
	_, err := f.pollDevice(c, d)
	var denied *types.AccessDeniedException
	if !errors.As(err, &denied) || aws.ToString(denied.Error_) != "access_denied" {
		t.Fatalf("CreateToken after denial: %v, want AccessDeniedException", err)
	}
	if _, err := f.pollDevice(c, d); errCode(err) != "InvalidGrantException" {
		t.Fatalf("CreateToken again: %v, want InvalidGrantException", err)
	}
}

// The refresh token grant replaces both tokens: the old access and
// refresh tokens stop working, the new ones work, and the sign-in's end
// stays where it was. A client registered without scopes gets no
// refresh token and may not use the grant.
func TestRefreshTokenGrant(t *testing.T) {
	f := newFixture(t, Options{RefreshTokenLifetime: 24 * time.Hour})
	c, tok := f.login("alice", alicePass)
	f.clock.Advance(time.Hour)
	refresh := func(rt *string) (*ssooidc.CreateTokenOutput, error) {
		return f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: rt})
	}
	tok2, err := refresh(tok.RefreshToken)
	mustDo(t, err)
	if aws.ToString(tok2.AccessToken) == aws.ToString(tok.AccessToken) || aws.ToString(tok2.RefreshToken) == aws.ToString(tok.RefreshToken) {
		t.Fatal("refresh returned the same tokens")
	}
	if tok2.ExpiresIn != 8*3600 {
		t.Errorf("expiresIn %d after refresh, want 28800", tok2.ExpiresIn)
	}
	if _, err := f.listAccounts(tok.AccessToken); errCode(err) != "UnauthorizedException" {
		t.Errorf("old access token after refresh: %v, want UnauthorizedException", err)
	}
	if _, err := f.listAccounts(tok2.AccessToken); err != nil {
		t.Errorf("new access token: %v", err)
	}
	if _, err := refresh(tok.RefreshToken); errCode(err) != "InvalidGrantException" {
		t.Errorf("old refresh token: %v, want InvalidGrantException", err)
	}
	// The sign-in lasts RefreshTokenLifetime however often it is
	// refreshed: 4 hours before its end, an access token lasts 4 hours.
	f.clock.Advance(19 * time.Hour)
	tok3, err := refresh(tok2.RefreshToken)
	mustDo(t, err)
	if tok3.ExpiresIn != 4*3600 {
		t.Errorf("expiresIn %d 4 hours before the sign-in ends, want 14400", tok3.ExpiresIn)
	}
	f.clock.Advance(4 * time.Hour)
	if _, err := refresh(tok3.RefreshToken); errCode(err) != "ExpiredTokenException" {
		t.Errorf("refresh after the sign-in ended: %v, want ExpiredTokenException", err)
	}
	if _, err := f.listAccounts(tok3.AccessToken); errCode(err) != "UnauthorizedException" {
		t.Errorf("access token after the sign-in ended: %v, want UnauthorizedException", err)
	}
	// The registration lasts 90 days (clientSecretExpiresAt).
	f.clock.Advance(90 * 24 * time.Hour)
	if _, err := refresh(tok3.RefreshToken); errCode(err) != "InvalidClientException" {
		t.Errorf("refresh after the registration expired: %v, want InvalidClientException", err)
	}

	t.Run("legacy client", func(t *testing.T) {
		lc := f.register() // no scopes
		d := f.startDevice(lc)
		f.browser().approveDevice(aws.ToString(d.VerificationUriComplete), "alice", alicePass, "allow")
		tok, err := f.pollDevice(lc, d)
		mustDo(t, err)
		if tok.RefreshToken != nil {
			t.Error("refresh token for a client registered without scopes")
		}
		_, err = f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: lc.ClientId, ClientSecret: lc.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: aws.String("aor" + strings.Repeat("A", 43))})
		if errCode(err) != "UnauthorizedClientException" {
			t.Errorf("refresh grant of a legacy client: %v, want UnauthorizedClientException", err)
		}
	})
	t.Run("another client's refresh token", func(t *testing.T) {
		_, tok := f.login("alice", alicePass)
		other := f.register(scopeSSO)
		_, err := f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: other.ClientId, ClientSecret: other.ClientSecret,
			GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
		if errCode(err) != "InvalidGrantException" {
			t.Errorf("%v, want InvalidGrantException", err)
		}
	})
}

// Errors of RegisterClient, StartDeviceAuthorization and CreateToken,
// each as the SDK decodes it (API_RegisterClient.html,
// API_StartDeviceAuthorization.html and API_CreateToken.html, Errors).
func TestOIDCErrors(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)
	d := f.startDevice(c)
	bad := aws.String("not-the-secret")
	reg := func(in ssooidc.RegisterClientInput) error {
		if in.ClientName == nil {
			in.ClientName = aws.String("test")
		}
		if in.ClientType == nil {
			in.ClientType = aws.String("public")
		}
		_, err := f.oidc.RegisterClient(f.ctx, &in)
		return err
	}
	tok := func(in ssooidc.CreateTokenInput) error {
		if in.ClientId == nil {
			in.ClientId, in.ClientSecret = c.ClientId, c.ClientSecret
		}
		_, err := f.oidc.CreateToken(f.ctx, &in)
		return err
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"RegisterClient confidential client", reg(ssooidc.RegisterClientInput{ClientType: aws.String("confidential")}), "InvalidClientMetadataException"},
		{"RegisterClient unknown grant type", reg(ssooidc.RegisterClientInput{GrantTypes: []string{"password"}}), "UnsupportedGrantTypeException"},
		{"RegisterClient scope with a space", reg(ssooidc.RegisterClientInput{Scopes: []string{"sso account"}}), "InvalidScopeException"},
		{"RegisterClient non-loopback redirect", reg(ssooidc.RegisterClientInput{GrantTypes: []string{"authorization_code"},
			RedirectUris: []string{"https://attacker.example/cb"}, IssuerUrl: aws.String(startURL)}), "InvalidRedirectUriException"},
		{"RegisterClient authorization_code without redirect", reg(ssooidc.RegisterClientInput{GrantTypes: []string{"authorization_code"},
			IssuerUrl: aws.String(startURL)}), "InvalidRequestException"},
		{"RegisterClient another issuer", reg(ssooidc.RegisterClientInput{GrantTypes: []string{"authorization_code"},
			RedirectUris: []string{"http://127.0.0.1/oauth/callback"}, IssuerUrl: aws.String("https://d-1111111111.awsapps.com/start")}), "InvalidRequestException"},
		{"StartDeviceAuthorization wrong secret", func() error {
			_, err := f.oidc.StartDeviceAuthorization(f.ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: c.ClientId, ClientSecret: bad, StartUrl: aws.String(startURL)})
			return err
		}(), "InvalidClientException"},
		{"StartDeviceAuthorization another start URL", func() error {
			_, err := f.oidc.StartDeviceAuthorization(f.ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
				StartUrl: aws.String("https://d-1111111111.awsapps.com/start")})
			return err
		}(), "InvalidRequestException"},
		{"CreateToken wrong secret", tok(ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: bad, GrantType: aws.String(grantDeviceCode), DeviceCode: d.DeviceCode}), "InvalidClientException"},
		{"CreateToken unknown client", tok(ssooidc.CreateTokenInput{ClientId: aws.String("nobody"), ClientSecret: c.ClientSecret, GrantType: aws.String(grantDeviceCode), DeviceCode: d.DeviceCode}), "InvalidClientException"},
		{"CreateToken client_credentials", tok(ssooidc.CreateTokenInput{GrantType: aws.String("client_credentials")}), "UnsupportedGrantTypeException"},
		{"CreateToken authorization_code by a device client", tok(ssooidc.CreateTokenInput{GrantType: aws.String("authorization_code"), Code: aws.String("x")}), "UnauthorizedClientException"},
		{"CreateToken without deviceCode", tok(ssooidc.CreateTokenInput{GrantType: aws.String(grantDeviceCode)}), "InvalidRequestException"},
		{"CreateToken unknown deviceCode", tok(ssooidc.CreateTokenInput{GrantType: aws.String(grantDeviceCode), DeviceCode: aws.String("nope")}), "InvalidGrantException"},
		{"CreateToken scope not registered", tok(ssooidc.CreateTokenInput{GrantType: aws.String(grantDeviceCode), DeviceCode: d.DeviceCode, Scope: []string{"codewhisperer:completions"}}), "InvalidScopeException"},
	} {
		if got := errCode(tc.err); got != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.want)
		}
	}
}

// The wire shape of an SSO OIDC error: __type, error and
// error_description, the x-amzn-ErrorType and x-amzn-RequestId headers,
// and AWS's statuses (InvalidClientException 401, the others 400), as
// the ssooidc client's response snapshots have them.
func TestOIDCErrorShape(t *testing.T) {
	f := newFixture(t, Options{})
	for _, tc := range []struct {
		name, path, body string
		status           int
		code, oauth      string
	}{
		{"invalid client", "/token", `{"clientId":"x","clientSecret":"y","grantType":"refresh_token"}`, 401, "InvalidClientException", "invalid_client"},
		{"not JSON", "/token", `{"clientId":`, 400, "InvalidRequestException", "invalid_request"},
		{"not an object", "/client/register", `[1]`, 400, "InvalidRequestException", "invalid_request"},
		{"wrong type", "/client/register", `{"clientName":7,"clientType":"public"}`, 400, "InvalidRequestException", "invalid_request"},
		{"missing members", "/client/register", `{}`, 400, "InvalidRequestException", "invalid_request"},
		{"trailing data", "/device_authorization", `{"clientId":"a"} {}`, 400, "InvalidRequestException", "invalid_request"},
		{"too large", "/client/register", `{"clientName":"` + strings.Repeat("a", maxJSONBody) + `"}`, 400, "InvalidRequestException", "invalid_request"},
		{"CreateTokenWithIAM", "/token?aws_iam=t", `{}`, 400, "UnsupportedGrantTypeException", "unsupported_grant_type"},
	} {
		resp, body := f.raw(http.MethodPost, tc.path, http.Header{"Content-Type": {"application/json"}}, tc.body)
		got := map[string]any{"status": resp.StatusCode, "__type": body["__type"], "error": body["error"], "header": resp.Header.Get("X-Amzn-Errortype")}
		want := map[string]any{"status": tc.status, "__type": tc.code, "error": tc.oauth, "header": tc.code}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
		if d, _ := body["error_description"].(string); d == "" {
			t.Errorf("%s: no error_description", tc.name)
		}
		if resp.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("%s: no x-amzn-RequestId", tc.name)
		}
	}
	resp, _ := f.raw(http.MethodGet, "/token", nil, "")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /token: %d, want 405", resp.StatusCode)
	}
}

// Registrations beyond MaxClients evict the oldest, so a flood of
// RegisterClient cannot grow memory; the evicted client's secret is then
// InvalidClientException.
func TestMaxClients(t *testing.T) {
	f := newFixture(t, Options{MaxClients: 2})
	first := f.register()
	f.register()
	f.register()
	if n := f.srv.clients.len(); n != 2 {
		t.Errorf("%d registrations kept, want 2", n)
	}
	_, err := f.oidc.StartDeviceAuthorization(f.ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: first.ClientId,
		ClientSecret: first.ClientSecret, StartUrl: aws.String(startURL)})
	if errCode(err) != "InvalidClientException" {
		t.Errorf("evicted client: %v, want InvalidClientException", err)
	}
}

// Pending device authorizations beyond MaxPendingAuthorizations evict
// the oldest, user code index included.
func TestMaxPendingAuthorizations(t *testing.T) {
	f := newFixture(t, Options{MaxPendingAuthorizations: 3})
	c := f.register()
	for range 10 {
		f.startDevice(c)
	}
	if n, m := f.srv.devices.len(), len(f.srv.userCodes); n != 3 || m != 3 {
		t.Errorf("%d devices and %d user codes kept, want 3", n, m)
	}
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) { clear(b); return len(b), nil }

// A Rand that repeats itself (a broken or constant test reader) yields
// identifiers, never secrets, and still no two live clients or user
// codes are the same.
func TestRepeatingRand(t *testing.T) {
	f := newFixture(t, Options{Rand: zeros{}})
	a, b := f.register(), f.register()
	if aws.ToString(a.ClientId) == aws.ToString(b.ClientId) || aws.ToString(a.ClientSecret) == aws.ToString(b.ClientSecret) {
		t.Fatal("two registrations share an ID or secret")
	}
	d1, d2 := f.startDevice(a), f.startDevice(a)
	if aws.ToString(d1.UserCode) == aws.ToString(d2.UserCode) || aws.ToString(d1.DeviceCode) == aws.ToString(d2.DeviceCode) {
		t.Fatal("two device authorizations share a code")
	}
	f.browser().approveDevice(aws.ToString(d1.VerificationUriComplete), "alice", alicePass, "allow")
	if _, err := f.pollDevice(a, d1); err != nil {
		t.Errorf("first device: %v", err)
	}
	if _, err := f.pollDevice(a, d2); errCode(err) != "AuthorizationPendingException" {
		t.Errorf("second device: %v", err)
	}
}
