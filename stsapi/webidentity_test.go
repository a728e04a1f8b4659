package stsapi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

// AWS pages the web identity answers come from.
const (
	docAWRWI    = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html"
	docSDKWebID = "https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html"
)

const (
	ghURL       = "https://token.actions.githubusercontent.com"
	ghRoleARN   = "arn:aws:iam::111111111111:role/github-deploy"
	ghMainSub   = "repo:example-org/example-repo:ref:refs/heads/main"
	ghProvARN   = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"
	ghTrustJSON = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":"` + ghProvARN + `"},"Action":"sts:AssumeRoleWithWebIdentity",
		"Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
			"StringLike":{"token.actions.githubusercontent.com:sub":"repo:example-org/example-repo:ref:refs/heads/main"}}}]}`
)

// webIdentityWorld is an issuer with a GitHub-style OIDC provider, its
// test issuer, and the role github-deploy trusting main-branch tokens.
func webIdentityWorld(t testing.TB) (*sts.Issuer, *federation.TestOIDCIssuer) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p, err := federation.NewOIDCProvider("111111111111", ghURL, []string{"sts.amazonaws.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ti, err := federation.NewTestOIDCIssuer(p, jose.JSONWebKey{Key: key, KeyID: "k1", Algorithm: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	p.Keys = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{ti.PublicKey()}}
	dir := sts.NewMemoryDirectory()
	if err := dir.PutOIDCProvider(p); err != nil {
		t.Fatal(err)
	}
	if err := dir.PutRole(sts.Role{ARN: ghRoleARN, TrustPolicy: policy.MustParse(ghTrustJSON, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, policy.Identity)}}); err != nil {
		t.Fatal(err)
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("stsapi-web-identity-key-0123456789")})
	if err != nil {
		t.Fatal(err)
	}
	is, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return is, ti
}

func webIdentityServer(t testing.TB) (*httptest.Server, *federation.TestOIDCIssuer) {
	t.Helper()
	is, ti := webIdentityWorld(t)
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: is})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, ti
}

func mint(t testing.TB, ti *federation.TestOIDCIssuer, claims map[string]any, now time.Time, ttl time.Duration) string {
	t.Helper()
	tok, err := ti.Mint(claims, now, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// anonymousClient is the SDK's STS client with no credentials, as it
// calls AssumeRoleWithWebIdentity.
func anonymousClient(srv *httptest.Server) *awssts.Client {
	return awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1})
}

// TestAssumeRoleWithWebIdentitySDK: the Go SDK's STS client sends the call
// unsigned (docAWRWI: "does not require the use of AWS security
// credentials") and reads AWS's response; the credentials work for signed
// calls.
func TestAssumeRoleWithWebIdentitySDK(t *testing.T) {
	srv, ti := webIdentityServer(t)
	ctx := context.Background()
	out, err := anonymousClient(srv).AssumeRoleWithWebIdentity(ctx, &awssts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(ghRoleARN), RoleSessionName: aws.String("ci"), DurationSeconds: aws.Int32(900),
		WebIdentityToken: aws.String(mint(t, ti, map[string]any{"sub": ghMainSub}, time.Now(), 10*time.Minute))})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::111111111111:assumed-role/github-deploy/ci" {
		t.Errorf("AssumedRoleUser.Arn = %s", got)
	}
	if aws.ToString(out.SubjectFromWebIdentityToken) != ghMainSub || aws.ToString(out.Audience) != "sts.amazonaws.com" || aws.ToString(out.Provider) != ghURL {
		t.Errorf("Subject %q, Audience %q, Provider %q (%s)", aws.ToString(out.SubjectFromWebIdentityToken), aws.ToString(out.Audience), aws.ToString(out.Provider), docAWRWI)
	}
	if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d > 15*time.Minute || d < 14*time.Minute {
		t.Errorf("credentials expire in %v, want 15 minutes (DurationSeconds 900)", d)
	}
	c := out.Credentials
	signed := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: awscreds.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))})
	id, err := signed.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != "arn:aws:sts::111111111111:assumed-role/github-deploy/ci" {
		t.Errorf("GetCallerIdentity = %s", aws.ToString(id.Arn))
	}
}

// TestAssumeRoleWithWebIdentityErrorsSDK: AWS's codes and statuses reach
// the SDK as smithy.APIError (docAWRWI, Errors).
func TestAssumeRoleWithWebIdentityErrorsSDK(t *testing.T) {
	srv, ti := webIdentityServer(t)
	now := time.Now()
	tests := []struct {
		name, role, token, code string
		status                  int
	}{
		{"another repository", ghRoleARN, mint(t, ti, map[string]any{"sub": "repo:example-org/other:ref:refs/heads/main"}, now, time.Hour), "AccessDenied", 403},
		{"a pull request", ghRoleARN, mint(t, ti, map[string]any{"sub": "repo:example-org/example-repo:pull_request"}, now, time.Hour), "AccessDenied", 403},
		{"expired beyond the leeway", ghRoleARN, mint(t, ti, map[string]any{"sub": ghMainSub}, now.Add(-time.Hour), 10*time.Minute), "ExpiredTokenException", 400},
		{"another audience", ghRoleARN, mint(t, ti, map[string]any{"sub": ghMainSub, "aud": "other"}, now, time.Hour), "InvalidIdentityToken", 400},
		{"not a JWT", ghRoleARN, "not-a-token", "InvalidIdentityToken", 400},
		{"unknown role", "arn:aws:iam::111111111111:role/nope", mint(t, ti, map[string]any{"sub": ghMainSub}, now, time.Hour), "AccessDenied", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := anonymousClient(srv).AssumeRoleWithWebIdentity(context.Background(), &awssts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String(tc.role), RoleSessionName: aws.String("ci"), WebIdentityToken: aws.String(tc.token)})
			var ae smithy.APIError
			if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			var re interface{ HTTPStatusCode() int }
			if errors.As(err, &re) && re.HTTPStatusCode() != tc.status {
				t.Errorf("status %d, want %d", re.HTTPStatusCode(), tc.status)
			}
			if strings.Contains(ae.ErrorMessage(), tc.token[:min(len(tc.token), 40)]) && len(tc.token) > 40 {
				t.Errorf("the message repeats the token: %s", ae.ErrorMessage())
			}
		})
	}
}

// TestWebIdentityRoleProvider: the SDK's own web identity provider reads a
// token file and calls the endpoint (docSDKWebID), and refreshes by
// reading the file again.
func TestWebIdentityRoleProvider(t *testing.T) {
	srv, ti := webIdentityServer(t)
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(mint(t, ti, map[string]any{"sub": ghMainSub}, time.Now(), 10*time.Minute)), 0o600); err != nil {
		t.Fatal(err)
	}
	prov := stscreds.NewWebIdentityRoleProvider(anonymousClient(srv), ghRoleARN, stscreds.IdentityTokenFile(file),
		func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = "token-file" })
	creds, err := aws.NewCredentialsCache(prov).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIA") || creds.SessionToken == "" || !creds.CanExpire {
		t.Errorf("credentials %v", creds)
	}
	// A token for another repository in the file: AccessDenied.
	if err := os.WriteFile(file, []byte(mint(t, ti, map[string]any{"sub": "repo:someone/else:ref:refs/heads/main"}, time.Now(), 10*time.Minute)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := prov.Retrieve(context.Background()); err == nil {
		t.Error("a token for another repository was accepted")
	}
}

// TestWebIdentityFromEnvironment: AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE
// and AWS_ENDPOINT_URL_STS make config.LoadDefaultConfig assume the role
// with the token, as EKS (IRSA) and GitHub Actions set them up
// (docSDKWebID; https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
func TestWebIdentityFromEnvironment(t *testing.T) {
	srv, ti := webIdentityServer(t)
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(mint(t, ti, map[string]any{"sub": ghMainSub}, time.Now(), 10*time.Minute)), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ROLE_ARN": ghRoleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": file, "AWS_ROLE_SESSION_NAME": "from-env",
		"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_REGION": "us-east-1",
		"AWS_CONFIG_FILE": filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true", "AWS_CA_BUNDLE": "",
	} {
		t.Setenv(k, v)
	}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id, err := awssts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(id.Arn); got != "arn:aws:sts::111111111111:assumed-role/github-deploy/from-env" {
		t.Errorf("caller %s", got)
	}
}

// TestAssumeRoleWithWebIdentityWire: the raw response has AWS's shape
// (docAWRWI, Response Syntax and Examples); only the two federation calls
// may go unsigned.
func TestAssumeRoleWithWebIdentityWire(t *testing.T) {
	srv, ti := webIdentityServer(t)
	post := func(form url.Values) (int, string) {
		t.Helper()
		resp, err := srv.Client().Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post(url.Values{"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"}, "RoleArn": {ghRoleARN},
		"RoleSessionName": {"wire"}, "WebIdentityToken": {mint(t, ti, map[string]any{"sub": ghMainSub}, time.Now(), time.Hour)}})
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var doc struct {
		XMLName xml.Name
		Result  struct {
			Inner []struct{ XMLName xml.Name } `xml:",any"`
		} `xml:"AssumeRoleWithWebIdentityResult"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range doc.Result.Inner {
		names = append(names, e.XMLName.Local)
	}
	if doc.XMLName.Local != "AssumeRoleWithWebIdentityResponse" || doc.XMLName.Space != stsapi.Namespace ||
		strings.Join(names, ",") != "SubjectFromWebIdentityToken,Audience,AssumedRoleUser,Credentials,Provider,SessionTokenSize" {
		t.Errorf("response %s %v:\n%s", doc.XMLName.Local, names, body)
	}
	for _, action := range []string{"GetCallerIdentity", "GetSessionToken", "AssumeRole"} {
		if code, body := post(url.Values{"Action": {action}, "Version": {"2011-06-15"}}); code != 403 || !strings.Contains(body, "MissingAuthenticationToken") {
			t.Errorf("unsigned %s: %d %s", action, code, body)
		}
	}
	if code, body := post(url.Values{"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"}, "RoleArn": {ghRoleARN}}); code != 400 || !strings.Contains(body, "ValidationError") || !strings.Contains(body, "Value null at &#39;webIdentityToken&#39;") {
		t.Errorf("missing parameters: %d %s", code, body)
	}
}

// BenchmarkAssumeRoleWithWebIdentity measures the call end to end over
// HTTP with the SDK, and the issuer alone; token verification (an ES256
// signature check) is part of both.
func BenchmarkAssumeRoleWithWebIdentity(b *testing.B) {
	is, ti := webIdentityWorld(b)
	tok := mint(b, ti, map[string]any{"sub": ghMainSub}, time.Now(), time.Hour)
	b.Run("issuer", func(b *testing.B) {
		b.ReportAllocs()
		in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: ghRoleARN, RoleSessionName: "bench", WebIdentityToken: tok}
		for b.Loop() {
			if _, err := is.AssumeRoleWithWebIdentity(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("verify-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pt, err := federation.ParseWebIdentityToken(tok)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ti.Provider().Verify(context.Background(), pt, nil, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("http-sdk", func(b *testing.B) {
		srv := httptest.NewServer(must(stsapi.NewHandler(stsapi.Options{Issuer: is})))
		defer srv.Close()
		c := anonymousClient(srv)
		in := &awssts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(ghRoleARN), RoleSessionName: aws.String("bench"), WebIdentityToken: aws.String(tok)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.AssumeRoleWithWebIdentity(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func must(h *stsapi.Handler, err error) http.Handler {
	if err != nil {
		panic(err)
	}
	return h
}
