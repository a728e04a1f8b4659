package ssoapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"golang.org/x/crypto/bcrypt"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const (
	acctDev   = "111111111111"
	acctProd  = "222222222222"
	startURL  = "https://d-0000000000.awsapps.com/start"
	region    = "us-east-1"
	scopeSSO  = "sso:account:access"
	alicePass = "alice-example-password"
	carolPass = "carol-example-password"
)

// carolSeed is RFC 6238's SHA-1 test seed.
var carolSeed = []byte("12345678901234567890")

// Test hashes use bcrypt's minimum cost, to keep the tests fast.
var testHashes = sync.OnceValue(func() map[string][]byte {
	out := map[string][]byte{}
	for name, pw := range map[string]string{"alice": alicePass, "carol": carolPass} {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			panic(err)
		}
		out[name] = h
	}
	return out
})

var testMetadata = sync.OnceValue(func() []byte {
	idp, err := federation.NewSAMLTestIdP("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/test", t0)
	if err != nil {
		panic(err)
	}
	return idp.Metadata()
})

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture is an organization of two accounts; alice (password only) is
// assigned ReadOnlyAccess in both and AdministratorAccess in dev, carol
// (password and TOTP) ReadOnlyAccess in prod through the group
// developers; provisioned into an sts.MemoryDirectory, with an Issuer, a
// Server on an httptest server and the SDK's ssooidc and sso clients
// pointed at it.
type fixture struct {
	t      testing.TB
	ctx    context.Context
	clock  *clock
	dir    *sts.MemoryDirectory
	issuer *sts.Issuer
	ic     *identitycenter.Instance
	srv    *Server
	ts     *httptest.Server
	oidc   *ssooidc.Client
	sso    *sso.Client
	alice  identitycenter.User
	carol  identitycenter.User
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func identityPolicy(doc string) *policy.Policy { return policy.MustParse(doc, policy.Identity) }

func newFixture(t testing.TB, opt Options) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), clock: &clock{now: t0}, dir: sts.NewMemoryDirectory()}
	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("ssoapi-test-master-key-0123456789abcdef")})
	mustDo(t, err)
	f.issuer, err = sts.NewIssuer(sts.Options{Directory: f.dir, Keys: ring, Now: f.clock.Now})
	mustDo(t, err)
	for _, a := range []string{acctDev, acctProd} {
		mustDo(t, f.dir.PutAccount(sts.Account{ID: a}))
	}
	mustDo(t, f.dir.PutManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess", identityPolicy(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`)))
	mustDo(t, f.dir.PutManagedPolicy("arn:aws:iam::aws:policy/AdministratorAccess", identityPolicy(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)))
	f.ic, err = identitycenter.New(identitycenter.Options{IdentityStoreID: "d-0000000000", IdPMetadata: testMetadata(), Now: f.clock.Now})
	mustDo(t, err)
	mustDo(t, f.ic.PutAccount(identitycenter.Account{ID: acctDev, Name: "dev", Email: "dev@example.com"}))
	mustDo(t, f.ic.PutAccount(identitycenter.Account{ID: acctProd, Name: "prod", Email: "prod@example.com"}))
	f.alice, err = f.ic.CreateUser(identitycenter.User{UserName: "alice", DisplayName: "Alice"})
	mustDo(t, err)
	f.carol, err = f.ic.CreateUser(identitycenter.User{UserName: "carol", DisplayName: "Carol"})
	mustDo(t, err)
	devs, err := f.ic.CreateGroup(identitycenter.Group{DisplayName: "developers"})
	mustDo(t, err)
	mustDo(t, f.ic.CreateGroupMembership(devs.ID, f.carol.ID))
	_, err = f.ic.CreatePermissionSet(identitycenter.PermissionSet{Name: "ReadOnlyAccess", ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}})
	mustDo(t, err)
	_, err = f.ic.CreatePermissionSet(identitycenter.PermissionSet{Name: "AdministratorAccess", SessionDuration: "PT4H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}})
	mustDo(t, err)
	for _, a := range []identitycenter.Assignment{
		{AccountID: acctDev, PermissionSet: "ReadOnlyAccess", PrincipalType: identitycenter.PrincipalUser, PrincipalID: f.alice.ID},
		{AccountID: acctProd, PermissionSet: "ReadOnlyAccess", PrincipalType: identitycenter.PrincipalUser, PrincipalID: f.alice.ID},
		{AccountID: acctDev, PermissionSet: "AdministratorAccess", PrincipalType: identitycenter.PrincipalUser, PrincipalID: f.alice.ID},
		{AccountID: acctProd, PermissionSet: "ReadOnlyAccess", PrincipalType: identitycenter.PrincipalGroup, PrincipalID: devs.ID},
	} {
		mustDo(t, f.ic.CreateAccountAssignment(a))
	}
	_, err = f.ic.Provision(f.ctx, f.dir)
	mustDo(t, err)

	h := testHashes()
	opt.Instance, opt.Issuer = f.ic, f.issuer
	if opt.Users == nil {
		opt.Users = CredentialMap{"alice": {PasswordHash: h["alice"]}, "carol": {PasswordHash: h["carol"], TOTPSeed: carolSeed}}
	}
	if opt.Now == nil {
		opt.Now = f.clock.Now
	}
	f.srv, err = New(opt)
	mustDo(t, err)
	f.ts = httptest.NewServer(f.srv)
	t.Cleanup(f.ts.Close)
	f.oidc = ssooidc.New(ssooidc.Options{Region: region, BaseEndpoint: aws.String(f.ts.URL), HTTPClient: f.ts.Client(), Retryer: aws.NopRetryer{}})
	f.sso = sso.New(sso.Options{Region: region, BaseEndpoint: aws.String(f.ts.URL), HTTPClient: f.ts.Client(), Retryer: aws.NopRetryer{}})
	return f
}

// register registers a device-flow client as the AWS CLI does for an
// sso-session (with scopes, so it gets refresh tokens).
func (f *fixture) register(scopes ...string) *ssooidc.RegisterClientOutput {
	f.t.Helper()
	out, err := f.oidc.RegisterClient(f.ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("botocore-client-iamkit"),
		ClientType: aws.String("public"), Scopes: scopes})
	mustDo(f.t, err)
	return out
}

func (f *fixture) startDevice(c *ssooidc.RegisterClientOutput) *ssooidc.StartDeviceAuthorizationOutput {
	f.t.Helper()
	out, err := f.oidc.StartDeviceAuthorization(f.ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: c.ClientId,
		ClientSecret: c.ClientSecret, StartUrl: aws.String(startURL)})
	mustDo(f.t, err)
	return out
}

func (f *fixture) pollDevice(c *ssooidc.RegisterClientOutput, d *ssooidc.StartDeviceAuthorizationOutput) (*ssooidc.CreateTokenOutput, error) {
	return f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
		GrantType: aws.String(grantDeviceCode), DeviceCode: d.DeviceCode})
}

// login runs the device flow for alice and returns the client and token.
func (f *fixture) login(user, password string) (*ssooidc.RegisterClientOutput, *ssooidc.CreateTokenOutput) {
	f.t.Helper()
	c := f.register(scopeSSO)
	d := f.startDevice(c)
	b := f.browser()
	b.approveDevice(aws.ToString(d.VerificationUriComplete), user, password, "allow")
	tok, err := f.pollDevice(c, d)
	mustDo(f.t, err)
	return c, tok
}

// browser is a user's browser: a cookie jar, following redirects on the
// test server and stopping at any other host (the client's loopback
// redirect URI).
type browser struct {
	f *fixture
	c *http.Client
}

func (f *fixture) browser() *browser {
	jar, err := cookiejar.New(nil)
	mustDo(f.t, err)
	host := strings.TrimPrefix(f.ts.URL, "http://")
	return &browser{f: f, c: &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != host {
			return http.ErrUseLastResponse
		}
		return nil
	}}}
}

func (b *browser) abs(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.f.ts.URL + path
}

func (b *browser) get(path string) (*http.Response, string) {
	b.f.t.Helper()
	resp, err := b.c.Get(b.abs(path))
	mustDo(b.f.t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.f.t.Helper()
	resp, err := b.c.PostForm(b.abs(path), form)
	mustDo(b.f.t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t testing.TB, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", body)
	}
	return m[1]
}

func hiddenOf(body, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// signIn signs in on the page body (a sign-in form) and returns the
// page after it: the approval page, or the MFA form.
func (b *browser) signIn(page, user, password string) (*http.Response, string) {
	b.f.t.Helper()
	form := url.Values{"csrf": {csrfOf(b.f.t, page)}, "username": {user}, "password": {password}}
	if c := hiddenOf(page, "request"); c != "" {
		form.Set("request", c)
	} else {
		form.Set("user_code", hiddenOf(page, "user_code"))
	}
	return b.post("/start/signin", form)
}

// approveDevice opens verificationUriComplete, signs in (with carol's
// TOTP code when the page asks for one) and allows or denies.
func (b *browser) approveDevice(verification, user, password, decision string) string {
	b.f.t.Helper()
	_, page := b.get(verification)
	if strings.Contains(page, `id="signin-form"`) {
		_, page = b.signIn(page, user, password)
	}
	if strings.Contains(page, `id="mfa-form"`) {
		_, page = b.post("/start/mfa", url.Values{"csrf": {csrfOf(b.f.t, page)}, "user_code": {hiddenOf(page, "user_code")},
			"mfa_code": {sts.GenerateTOTP(carolSeed, b.f.clock.Now())}})
	}
	if !strings.Contains(page, `id="approve-form"`) {
		b.f.t.Fatalf("no approval page:\n%s", page)
	}
	_, page = b.post("/start/device/approve", url.Values{"csrf": {csrfOf(b.f.t, page)}, "user_code": {hiddenOf(page, "user_code")},
		"decision": {decision}})
	return page
}

// raw sends a request to the test server and decodes a JSON answer.
func (f *fixture) raw(method, path string, header http.Header, body string) (*http.Response, map[string]any) {
	f.t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	mustDo(f.t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := f.ts.Client().Do(req)
	mustDo(f.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			f.t.Fatalf("%s %s: body is not JSON: %q", method, path, b)
		}
	}
	return resp, out
}

// errCode returns the AWS error code of an SDK error.
func errCode(err error) string {
	var api interface{ ErrorCode() string }
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

func (f *fixture) listAccounts(token *string) (*sso.ListAccountsOutput, error) {
	return f.sso.ListAccounts(f.ctx, &sso.ListAccountsInput{AccessToken: token})
}
