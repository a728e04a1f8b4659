package ssoapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/sts"
)

// ListAccounts, ListAccountRoles and GetRoleCredentials with the SDK's
// sso client: alice's accounts and roles, then credentials of a session
// of the AWSReservedSSO_ role named after her, expiring (in epoch
// milliseconds) after the permission set's session duration, which the
// issuer authenticates and credentials.Verifier accepts on a SigV4
// request.
// https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccounts.html,
// .../API_ListAccountRoles.html, .../API_GetRoleCredentials.html.
func TestPortal(t *testing.T) {
	f := newFixture(t, Options{})
	_, tok := f.login("alice", alicePass)

	accts, err := f.listAccounts(tok.AccessToken)
	mustDo(t, err)
	var gotAccts []string
	for _, a := range accts.AccountList {
		gotAccts = append(gotAccts, aws.ToString(a.AccountId)+" "+aws.ToString(a.AccountName)+" "+aws.ToString(a.EmailAddress))
	}
	if diff := cmp.Diff([]string{acctDev + " dev dev@example.com", acctProd + " prod prod@example.com"}, gotAccts); diff != "" {
		t.Errorf("ListAccounts (-want +got):\n%s", diff)
	}

	roles, err := f.sso.ListAccountRoles(f.ctx, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String(acctDev)})
	mustDo(t, err)
	var gotRoles []string
	for _, r := range roles.RoleList {
		gotRoles = append(gotRoles, aws.ToString(r.AccountId)+" "+aws.ToString(r.RoleName))
	}
	if diff := cmp.Diff([]string{acctDev + " AdministratorAccess", acctDev + " ReadOnlyAccess"}, gotRoles); diff != "" {
		t.Errorf("ListAccountRoles (-want +got):\n%s", diff)
	}

	out, err := f.sso.GetRoleCredentials(f.ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(acctDev), RoleName: aws.String("AdministratorAccess")})
	mustDo(t, err)
	rc := out.RoleCredentials
	if want := t0.Add(4 * time.Hour).UnixMilli(); rc.Expiration != want {
		t.Errorf("expiration %d, want %d (epoch ms, PT4H after now)", rc.Expiration, want)
	}
	sess, err := f.issuer.Authenticate(f.ctx, aws.ToString(rc.AccessKeyId), sts.NewSecret(aws.ToString(rc.SecretAccessKey)), aws.ToString(rc.SessionToken))
	mustDo(t, err)
	roleName, err := f.ic.RoleName("AdministratorAccess", acctDev)
	mustDo(t, err)
	wantARN := "arn:aws:sts::" + acctDev + ":assumed-role/" + roleName + "/alice"
	if !regexp.MustCompile(`^AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}$`).MatchString(roleName) {
		t.Errorf("role name %q", roleName)
	}
	if got := sess.ARN; got != wantARN {
		t.Errorf("session ARN %q, want %q", got, wantARN)
	}

	// The credentials sign a request that credentials.Verifier accepts.
	v, err := credentials.NewVerifier(credentials.VerifierOptions{Resolver: f.issuer, Now: f.clock.Now, Service: "sts", Region: region})
	mustDo(t, err)
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	req, _ := http.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(body))
	err = v4.NewSigner().SignHTTP(f.ctx, aws.Credentials{AccessKeyID: aws.ToString(rc.AccessKeyId), SecretAccessKey: aws.ToString(rc.SecretAccessKey),
		SessionToken: aws.ToString(rc.SessionToken)}, req, hex.EncodeToString(sum[:]), "sts", region, f.clock.Now())
	mustDo(t, err)
	who, err := v.Verify(req)
	mustDo(t, err)
	if got := who.Session.ARN; got != wantARN {
		t.Errorf("verified caller %q, want %q", got, wantARN)
	}
}

// Errors of the portal: a role the user is not assigned is
// ForbiddenException "No access" (403), what AWS answers; a permission set
// not in the account likewise; a missing account_id InvalidRequestException.
func TestPortalErrors(t *testing.T) {
	f := newFixture(t, Options{})
	_, tok := f.login("alice", alicePass)
	_, err := f.sso.GetRoleCredentials(f.ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(acctProd), RoleName: aws.String("AdministratorAccess")})
	var re interface{ HTTPStatusCode() int }
	if errCode(err) != "ForbiddenException" || !errors.As(err, &re) || re.HTTPStatusCode() != 403 {
		t.Errorf("role not assigned: %v, want ForbiddenException 403", err)
	}
	resp, body := f.raw(http.MethodGet, "/assignment/roles", http.Header{"X-Amz-Sso_bearer_token": {aws.ToString(tok.AccessToken)}}, "")
	if resp.StatusCode != 400 || body["__type"] != "InvalidRequestException" {
		t.Errorf("ListAccountRoles without account_id: %d %v", resp.StatusCode, body)
	}
	resp, body = f.raw(http.MethodGet, "/assignment/accounts?max_result=0", http.Header{"X-Amz-Sso_bearer_token": {aws.ToString(tok.AccessToken)}}, "")
	if resp.StatusCode != 400 || body["__type"] != "InvalidRequestException" {
		t.Errorf("max_result=0: %d %v", resp.StatusCode, body)
	}
	resp, _ = f.raw(http.MethodPost, "/assignment/accounts", http.Header{"X-Amz-Sso_bearer_token": {aws.ToString(tok.AccessToken)}}, "")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /assignment/accounts: %d, want 405", resp.StatusCode)
	}
}

// ListAccounts pages by max_result (1 to 100) with a next_token cursor,
// and the SDK's paginator walks every page.
func TestPortalPagination(t *testing.T) {
	f := newFixture(t, Options{})
	_, tok := f.login("alice", alicePass)
	p := sso.NewListAccountsPaginator(f.sso, &sso.ListAccountsInput{AccessToken: tok.AccessToken, MaxResults: aws.Int32(1)})
	var pages [][]string
	for p.HasMorePages() {
		out, err := p.NextPage(f.ctx)
		mustDo(t, err)
		var ids []string
		for _, a := range out.AccountList {
			ids = append(ids, aws.ToString(a.AccountId))
		}
		pages = append(pages, ids)
	}
	if diff := cmp.Diff([][]string{{acctDev}, {acctProd}}, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	rp := sso.NewListAccountRolesPaginator(f.sso, &sso.ListAccountRolesInput{AccessToken: tok.AccessToken, AccountId: aws.String(acctDev), MaxResults: aws.Int32(1)})
	var roles []string
	for rp.HasMorePages() {
		out, err := rp.NextPage(f.ctx)
		mustDo(t, err)
		if len(out.RoleList) != 1 {
			t.Fatalf("page of %d roles, want 1", len(out.RoleList))
		}
		roles = append(roles, aws.ToString(out.RoleList[0].RoleName))
	}
	if diff := cmp.Diff([]string{"AdministratorAccess", "ReadOnlyAccess"}, roles); diff != "" {
		t.Errorf("role pages (-want +got):\n%s", diff)
	}
	resp, body := f.raw(http.MethodGet, "/assignment/accounts?next_token=garbage!", http.Header{"X-Amz-Sso_bearer_token": {aws.ToString(tok.AccessToken)}}, "")
	if resp.StatusCode != 400 || body["__type"] != "InvalidRequestException" {
		t.Errorf("bad next_token: %d %v", resp.StatusCode, body)
	}
}

// Logout ends the session: the access token is UnauthorizedException
// after it, the refresh token InvalidGrantException, and the browser
// must sign in again; credentials issued before keep working until they
// expire. https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_Logout.html
func TestLogout(t *testing.T) {
	f := newFixture(t, Options{})
	c := f.register(scopeSSO)
	d := f.startDevice(c)
	b := f.browser()
	b.approveDevice(aws.ToString(d.VerificationUriComplete), "alice", alicePass, "allow")
	tok, err := f.pollDevice(c, d)
	mustDo(t, err)
	creds, err := f.sso.GetRoleCredentials(f.ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
		AccountId: aws.String(acctDev), RoleName: aws.String("ReadOnlyAccess")})
	mustDo(t, err)

	_, err = f.sso.Logout(f.ctx, &sso.LogoutInput{AccessToken: tok.AccessToken})
	mustDo(t, err)
	_, err = f.listAccounts(tok.AccessToken)
	var unauth *types.UnauthorizedException
	if !errors.As(err, &unauth) {
		t.Fatalf("ListAccounts after Logout: %v, want UnauthorizedException", err)
	}
	if _, err := f.sso.Logout(f.ctx, &sso.LogoutInput{AccessToken: tok.AccessToken}); errCode(err) != "UnauthorizedException" {
		t.Errorf("Logout twice: %v, want UnauthorizedException", err)
	}
	_, err = f.oidc.CreateToken(f.ctx, &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
		GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	if errCode(err) != "InvalidGrantException" {
		t.Errorf("refresh after Logout: %v, want InvalidGrantException", err)
	}
	d2 := f.startDevice(c)
	if _, page := b.get(aws.ToString(d2.VerificationUriComplete)); !strings.Contains(page, `id="signin-form"`) {
		t.Errorf("the browser is still signed in after Logout:\n%s", page)
	}
	rc := creds.RoleCredentials
	if _, err := f.issuer.Authenticate(f.ctx, aws.ToString(rc.AccessKeyId), sts.NewSecret(aws.ToString(rc.SecretAccessKey)), aws.ToString(rc.SessionToken)); err != nil {
		t.Errorf("credentials issued before Logout: %v", err)
	}
}

// The bearer token: missing, unknown, expired, or any byte of it changed
// (or cut, or extended) is UnauthorizedException "Session token not found
// or invalid", with status 401.
func TestBearerTokenTamper(t *testing.T) {
	f := newFixture(t, Options{})
	_, tok := f.login("alice", alicePass)
	good := aws.ToString(tok.AccessToken)
	call := func(token string) (int, map[string]any) {
		h := http.Header{}
		if token != "" {
			h.Set("x-amz-sso_bearer_token", token)
		}
		resp, body := f.raw(http.MethodGet, "/assignment/accounts", h, "")
		return resp.StatusCode, body
	}
	if st, _ := call(good); st != 200 {
		t.Fatalf("good token: %d", st)
	}
	want := map[string]any{"__type": "UnauthorizedException", "message": "Session token not found or invalid"}
	check := func(name, token string) {
		t.Helper()
		st, body := call(token)
		if st != 401 || !cmp.Equal(want, body) {
			t.Errorf("%s: %d %v, want 401 %v", name, st, body, want)
		}
	}
	check("missing", "")
	check("unknown", "aoa"+strings.Repeat("A", 43))
	check("too long", strings.Repeat("a", maxTokenHeader+1))
	check("truncated", good[:len(good)-1])
	check("extended", good+"A")
	for i := range len(good) {
		b := []byte(good)
		b[i] ^= 0x01
		check("byte "+string(rune('0'+i%10)), string(b))
	}
	// The refresh token is no access token.
	check("refresh token", aws.ToString(tok.RefreshToken))
	if st, _ := call(good); st != 200 {
		t.Fatalf("good token after the tampered ones: %d", st)
	}
	f.clock.Advance(8 * time.Hour)
	check("expired", good)
}

// The portal bounds the calls of one access token:
// TooManyRequestsException (429) beyond the burst, until time passes.
func TestPortalRateLimit(t *testing.T) {
	f := newFixture(t, Options{})
	f.srv.portalInterval, f.srv.portalBurst = time.Second, 2*time.Second
	_, tok := f.login("alice", alicePass)
	h := http.Header{"X-Amz-Sso_bearer_token": {aws.ToString(tok.AccessToken)}}
	for i := range 3 {
		if resp, body := f.raw(http.MethodGet, "/assignment/accounts", h, ""); resp.StatusCode != 200 {
			t.Fatalf("call %d: %d %v", i, resp.StatusCode, body)
		}
	}
	resp, body := f.raw(http.MethodGet, "/assignment/accounts", h, "")
	if resp.StatusCode != 429 || body["__type"] != "TooManyRequestsException" {
		t.Fatalf("fourth call at once: %d %v, want 429 TooManyRequestsException", resp.StatusCode, body)
	}
	f.clock.Advance(time.Second)
	if resp, _ := f.raw(http.MethodGet, "/assignment/accounts", h, ""); resp.StatusCode != 200 {
		t.Errorf("a second later: %d", resp.StatusCode)
	}
}

// A user deleted from the identity store after sign-in is
// UnauthorizedException on the portal and cannot refresh.
func TestPortalDeletedUser(t *testing.T) {
	f := newFixture(t, Options{})
	c, tok := f.login("alice", alicePass)
	mustDo(t, f.ic.DeleteUser(f.alice.ID))
	if _, err := f.listAccounts(tok.AccessToken); errCode(err) != "UnauthorizedException" {
		t.Errorf("ListAccounts of a deleted user: %v", err)
	}
	_, err := f.oidc.CreateToken(context.Background(), &ssooidc.CreateTokenInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret,
		GrantType: aws.String("refresh_token"), RefreshToken: tok.RefreshToken})
	if errCode(err) != "InvalidGrantException" {
		t.Errorf("refresh of a deleted user: %v", err)
	}
}

// Registrations, device authorizations, polls and portal calls from many
// goroutines at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t, Options{})
	_, tok := f.login("alice", alicePass)
	errs := make(chan error, 64)
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 5 {
				c, err := f.oidc.RegisterClient(f.ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("c"), ClientType: aws.String("public")})
				if err != nil {
					errs <- err
					return
				}
				d, err := f.oidc.StartDeviceAuthorization(f.ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: c.ClientId, ClientSecret: c.ClientSecret, StartUrl: aws.String(startURL)})
				if err != nil {
					errs <- err
					return
				}
				if _, err := f.pollDevice(c, d); errCode(err) != "AuthorizationPendingException" {
					errs <- err
				}
				if _, err := f.sso.GetRoleCredentials(f.ctx, &sso.GetRoleCredentialsInput{AccessToken: tok.AccessToken,
					AccountId: aws.String(acctDev), RoleName: aws.String("ReadOnlyAccess")}); err != nil {
					errs <- err
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
