package ssoapi

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/iamkit/iamkit/sts"
)

// writeTokenCache writes the token cache file as the AWS CLI does after
// `aws sso login` (botocore utils.py SSOTokenFetcher: startUrl, region,
// accessToken, expiresAt, clientId, clientSecret, registrationExpiresAt,
// refreshToken).
func writeTokenCache(t *testing.T, path string, c *ssooidc.RegisterClientOutput, tok *ssooidc.CreateTokenOutput, expiresAt time.Time) {
	t.Helper()
	doc := map[string]any{
		"startUrl":              startURL,
		"region":                region,
		"accessToken":           aws.ToString(tok.AccessToken),
		"expiresAt":             expiresAt.UTC().Format("2006-01-02T15:04:05Z"),
		"clientId":              aws.ToString(c.ClientId),
		"clientSecret":          aws.ToString(c.ClientSecret),
		"registrationExpiresAt": time.Unix(c.ClientSecretExpiresAt, 0).UTC().Format("2006-01-02T15:04:05Z"),
		"refreshToken":          aws.ToString(tok.RefreshToken),
	}
	b, err := json.Marshal(doc)
	mustDo(t, err)
	mustDo(t, os.MkdirAll(filepath.Dir(path), 0o700))
	mustDo(t, os.WriteFile(path, b, 0o600))
}

// The SDK's ssocreds provider reads the CLI's token cache file and calls
// GetRoleCredentials; the credentials open as the AWSReservedSSO_
// session. https://pkg.go.dev/github.com/aws/aws-sdk-go-v2/credentials/ssocreds
func TestSSOCredsProvider(t *testing.T) {
	f := newFixture(t, Options{})
	c, tok := f.login("alice", alicePass)
	path := filepath.Join(t.TempDir(), "cache.json")
	writeTokenCache(t, path, c, tok, time.Now().Add(time.Hour))

	p := ssocreds.New(f.sso, acctDev, "ReadOnlyAccess", startURL, func(o *ssocreds.Options) { o.CachedTokenFilepath = path })
	creds, err := p.Retrieve(f.ctx)
	mustDo(t, err)
	if !creds.Expires.Equal(t0.Add(time.Hour)) || creds.AccountID != acctDev {
		t.Errorf("expires %v, account %q: want %v, %s", creds.Expires, creds.AccountID, t0.Add(time.Hour), acctDev)
	}
	sess, err := f.issuer.Authenticate(f.ctx, creds.AccessKeyID, sts.NewSecret(creds.SecretAccessKey), creds.SessionToken)
	mustDo(t, err)
	role, _ := f.ic.RoleName("ReadOnlyAccess", acctDev)
	if want := "arn:aws:sts::" + acctDev + ":assumed-role/" + role + "/alice"; sess.ARN != want {
		t.Errorf("session %q, want %q", sess.ARN, want)
	}
}

// With an expired access token in the cache, the SDK's SSOTokenProvider
// refreshes it with the refresh token grant and rewrites the file (new
// access and refresh tokens, the CLI's other fields kept), then the
// credentials provider uses the new token.
func TestSSOTokenProviderRefresh(t *testing.T) {
	f := newFixture(t, Options{})
	c, tok := f.login("alice", alicePass)
	path := filepath.Join(t.TempDir(), "cache.json")
	writeTokenCache(t, path, c, tok, time.Now().Add(-time.Minute))

	tp := ssocreds.NewSSOTokenProvider(f.oidc, path)
	p := ssocreds.New(f.sso, acctProd, "ReadOnlyAccess", startURL, func(o *ssocreds.Options) { o.SSOTokenProvider = tp })
	creds, err := p.Retrieve(f.ctx)
	mustDo(t, err)
	if _, err := f.issuer.Authenticate(f.ctx, creds.AccessKeyID, sts.NewSecret(creds.SecretAccessKey), creds.SessionToken); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	mustDo(t, err)
	var doc map[string]any
	mustDo(t, json.Unmarshal(b, &doc))
	if doc["accessToken"] == aws.ToString(tok.AccessToken) || doc["refreshToken"] == aws.ToString(tok.RefreshToken) || doc["refreshToken"] == "" {
		t.Errorf("cache not refreshed: %v", doc)
	}
	if doc["startUrl"] != startURL || doc["region"] != region || doc["registrationExpiresAt"] == nil {
		t.Errorf("the CLI's fields were not kept: %v", doc)
	}
	if _, err := f.listAccounts(aws.String(doc["accessToken"].(string))); err != nil {
		t.Errorf("refreshed access token: %v", err)
	}
	if _, err := f.listAccounts(tok.AccessToken); errCode(err) != "UnauthorizedException" {
		t.Errorf("replaced access token: %v, want UnauthorizedException", err)
	}
}

// config.LoadDefaultConfig with an sso-session profile, endpoints
// overridden by AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC, and
// the token cached at ~/.aws/sso/cache/<sha1 of the session name>.json,
// as `aws sso login --sso-session iamkit` leaves it: the default
// credential chain gets the role's credentials.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html,
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
func TestLoadDefaultConfigSSOSession(t *testing.T) {
	f := newFixture(t, Options{})
	c, tok := f.login("alice", alicePass)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_ENDPOINT_URL_SSO", f.ts.URL)
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", f.ts.URL)
	for _, k := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION"} {
		t.Setenv(k, "")
	}
	cfgPath := filepath.Join(home, ".aws", "config")
	mustDo(t, os.MkdirAll(filepath.Dir(cfgPath), 0o700))
	mustDo(t, os.WriteFile(cfgPath, []byte(`[profile dev]
sso_session = iamkit
sso_account_id = `+acctDev+`
sso_role_name = ReadOnlyAccess
region = us-east-1

[sso-session iamkit]
sso_start_url = `+startURL+`
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`), 0o600))
	sum := sha1.Sum([]byte("iamkit"))
	cache := filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	if std, err := ssocreds.StandardCachedTokenFilepath("iamkit"); err != nil || std != cache {
		t.Fatalf("StandardCachedTokenFilepath = %q, %v; want %q", std, err, cache)
	}
	writeTokenCache(t, cache, c, tok, time.Now().Add(time.Hour))

	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithSharedConfigProfile("dev"),
		config.WithSharedConfigFiles([]string{cfgPath}), config.WithSharedCredentialsFiles([]string{filepath.Join(home, "none")}))
	mustDo(t, err)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	mustDo(t, err)
	sess, err := f.issuer.Authenticate(f.ctx, creds.AccessKeyID, sts.NewSecret(creds.SecretAccessKey), creds.SessionToken)
	mustDo(t, err)
	role, _ := f.ic.RoleName("ReadOnlyAccess", acctDev)
	if want := "arn:aws:sts::" + acctDev + ":assumed-role/" + role + "/alice"; sess.ARN != want {
		t.Errorf("session %q, want %q", sess.ARN, want)
	}
}
