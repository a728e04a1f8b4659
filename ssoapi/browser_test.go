package ssoapi

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/iamkit/iamkit/sts"
)

// chromium finds a Chromium or Chrome binary: $CHROMIUM, or one on PATH
// (Debian's package is "chromium").
func chromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newChromium starts a headless Chromium for the test, with scripts
// disabled in its page (the sign-in pages need none), or skips the test
// when there is none, except under CI=true, where a missing browser is a
// failure.
func newChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found and CI=true: install Debian's chromium package or set CHROMIUM")
		}
		t.Skip("no Chromium found (install chromium or set CHROMIUM)")
	}
	dir, err := os.MkdirTemp("", "ssoapi-chromium")
	mustDo(t, err)
	t.Cleanup(func() {
		// Chromium's children may still write for a moment after it
		// stops.
		for range 50 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(dir))
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disabling scripts: %v", err)
	}
	return ctx
}

func text(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
	mustDo(t, err)
	return strings.TrimSpace(s)
}

// The device flow in a real browser, without JavaScript: the user opens
// verificationUriComplete, finds the code filled in, signs in with user
// name and password (and, for carol, the TOTP code), sees the approval
// page naming the application and the code, allows, and CreateToken then
// returns the token.
func TestBrowserDeviceFlow(t *testing.T) {
	ctx := newChromium(t)
	f := newFixture(t, Options{})
	for _, user := range []struct{ name, password string }{{"alice", alicePass}, {"carol", carolPass}} {
		t.Run(user.name, func(t *testing.T) {
			c := f.register(scopeSSO)
			d := f.startDevice(c)
			if _, err := f.pollDevice(c, d); errCode(err) != "AuthorizationPendingException" {
				t.Fatalf("before approval: %v", err)
			}
			mustDo(t, chromedp.Do(ctx, chromedp.Navigate(aws.ToString(d.VerificationUriComplete)),
				chromedp.WaitVisible(chromedp.ID("username"))))
			prefilled, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("user_code")))
			mustDo(t, err)
			if prefilled != aws.ToString(d.UserCode) {
				t.Errorf("user code field %q, want %q", prefilled, aws.ToString(d.UserCode))
			}
			mustDo(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("username"), user.name),
				chromedp.SendKeys(chromedp.ID("password"), user.password), chromedp.Click(chromedp.ID("signin"))))
			if user.name == "carol" {
				mustDo(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("mfa_code")),
					chromedp.SendKeys(chromedp.ID("mfa_code"), sts.GenerateTOTP(carolSeed, f.clock.Now())),
					chromedp.Click(chromedp.ID("verify"))))
			}
			mustDo(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("allow"))))
			if got := text(t, ctx, "code"); got != aws.ToString(d.UserCode) {
				t.Errorf("approval page shows code %q, want %q", got, aws.ToString(d.UserCode))
			}
			if got := text(t, ctx, "client-name"); got != "botocore-client-iamkit" {
				t.Errorf("approval page names %q", got)
			}
			if got := text(t, ctx, "signed-in-as"); got != "Signed in as "+user.name {
				t.Errorf("header %q", got)
			}
			mustDo(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("allow")), chromedp.WaitVisible(chromedp.ID("notice"))))
			if title, _ := chromedp.Run(ctx, chromedp.Title()); !strings.HasPrefix(title, "Request approved") {
				t.Errorf("after Allow: title %q", title)
			}
			tok, err := f.pollDevice(c, d)
			mustDo(t, err)
			if _, err := f.listAccounts(tok.AccessToken); err != nil {
				t.Errorf("ListAccounts with the token: %v", err)
			}
			// Sign out, so that the next user signs in afresh.
			mustDo(t, chromedp.Do(ctx, chromedp.Navigate(f.ts.URL+"/start/device"), chromedp.Click(chromedp.ID("signout")),
				chromedp.WaitVisible(chromedp.ID("notice"))))
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		d := f.startDevice(f.register(scopeSSO))
		mustDo(t, chromedp.Do(ctx, chromedp.Navigate(aws.ToString(d.VerificationUriComplete)), chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), "alice"), chromedp.SendKeys(chromedp.ID("password"), "not-her-password"),
			chromedp.Click(chromedp.ID("signin")), chromedp.WaitVisible(chromedp.ID("error"))))
		if got := text(t, ctx, "error"); got != msgBadCredentials {
			t.Errorf("error %q, want %q", got, msgBadCredentials)
		}
	})
}

// The authorization code grant in a real browser: /authorize, sign-in,
// Allow, and the browser follows the redirect to the application's
// loopback listener (the page's form-action permits it) with the code and
// state, which CreateToken exchanges with the PKCE verifier.
func TestBrowserAuthorizationCode(t *testing.T) {
	ctx := newChromium(t)
	f := newFixture(t, Options{})
	c := f.registerPKCE()
	got := make(chan url.Values, 1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustDo(t, err)
	cb := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth/callback" {
			http.NotFound(w, r)
			return
		}
		select {
		case got <- r.URL.Query():
		default:
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!DOCTYPE html><title>callback</title><p id="done">Signed in.</p>`))
	})}
	go cb.Serve(ln)
	t.Cleanup(func() { cb.Close() })
	redirect := "http://" + ln.Addr().String() + "/oauth/callback"

	verifier, challenge := pkcePair(t)
	mustDo(t, chromedp.Do(ctx, chromedp.Navigate(f.authorizeURL(aws.ToString(c.ClientId), redirect, "b6f0-state", challenge, nil)),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "alice"), chromedp.SendKeys(chromedp.ID("password"), alicePass),
		chromedp.Click(chromedp.ID("signin")), chromedp.WaitVisible(chromedp.ID("allow"))))
	if got := text(t, ctx, "redirect"); got != "http://"+ln.Addr().String() {
		t.Errorf("approval page returns to %q", got)
	}
	mustDo(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("allow")), chromedp.WaitVisible(chromedp.ID("done"))))
	var q url.Values
	select {
	case q = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the callback was not called")
	}
	if q.Get("state") != "b6f0-state" || q.Get("code") == "" {
		t.Fatalf("callback query %v", q)
	}
	tok, err := f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
		GrantType: aws.String("authorization_code"), Code: aws.String(q.Get("code")), CodeVerifier: aws.String(verifier), RedirectUri: aws.String(redirect)})
	mustDo(t, err)
	if _, err := f.listAccounts(tok.AccessToken); err != nil {
		t.Errorf("ListAccounts with the token: %v", err)
	}
}
