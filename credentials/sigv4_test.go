package credentials

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

// AWS pages the rules below come from.
const (
	sigvDocSigV4      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html"
	sigvDocCreate     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html"
	sigvDocElements   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html"
	sigvDocTrouble    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html"
	sigvDocQueryAuth  = "https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html"
	sigvDocS3Header   = "https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html"
	sigvDocS3Errors   = "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"
	sigvDocSTSErrors  = "https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html"
	sigvDocTempCreds  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html"
	sigvDocQueryProto = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
)

var sigvNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const (
	sigvUserARN  = "arn:aws:iam::111122223333:user/alice"
	sigvKeyID    = "AKIAIOSFODNN7EXAMPLE"
	sigvSecret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	sigvRoleARN  = "arn:aws:iam::111122223333:role/demo"
	sigvForm     = "Action=GetCallerIdentity&Version=2011-06-15"
	sigvFormType = "application/x-www-form-urlencoded; charset=utf-8"
)

// sigvFixture is an Issuer over a MemoryDirectory with one user, alice, who may
// assume one role, and a Verifier resolving through the Issuer, all on one
// settable clock.
type sigvFixture struct {
	mu     sync.Mutex
	now    time.Time
	dir    *sts.MemoryDirectory
	issuer *sts.Issuer
	v      *Verifier

	long, session, role aws.Credentials
	roleSessionARN      string

	srv     *httptest.Server
	results chan sigvResult
}

type sigvResult struct {
	ver  *Verified
	body []byte
	err  error
}

func (f *sigvFixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *sigvFixture) setNow(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

func newSigvFixture(t testing.TB, opt VerifierOptions) *sigvFixture {
	t.Helper()
	f := &sigvFixture{now: sigvNow, dir: sts.NewMemoryDirectory()}
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.dir.PutUser(sts.User{ARN: sigvUserARN, UniqueID: "AIDAALICE0000000001",
		AccessKeys: []sts.AccessKey{{ID: sigvKeyID, Secret: sts.NewSecret(sigvSecret)}, {ID: "AKIAINACTIVE00000001", Secret: sts.NewSecret("inactive-secret"), Inactive: true}},
		Policies:   []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`, policy.Identity)},
	}))
	must(f.dir.PutRole(sts.Role{ARN: sigvRoleARN, UniqueID: "AROADEMO00000000001",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`, policy.Trust)}))
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(string(bytes.Repeat([]byte("k"), 32)))})
	must(err)
	f.issuer, err = sts.NewIssuer(sts.Options{Directory: f.dir, Keys: keys, Now: f.clock})
	must(err)
	opt.Resolver = f.issuer
	if opt.Now == nil {
		opt.Now = f.clock
	}
	f.v, err = NewVerifier(opt)
	must(err)

	f.long = aws.Credentials{AccessKeyID: sigvKeyID, SecretAccessKey: sigvSecret}
	alice, _, err := f.issuer.Resolve(ctx, sigvKeyID, "")
	must(err)
	gst, err := f.issuer.GetSessionToken(ctx, alice, &sts.GetSessionTokenInput{})
	must(err)
	f.session = sigvAWSCreds(gst.Credentials)
	ar, err := f.issuer.AssumeRole(ctx, alice, &sts.AssumeRoleInput{RoleArn: sigvRoleARN, RoleSessionName: "sigv4-test"})
	must(err)
	f.role = sigvAWSCreds(ar.Credentials)
	f.roleSessionARN = ar.AssumedRoleUser.Arn
	return f
}

func sigvAWSCreds(c sts.Credentials) aws.Credentials {
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey.Reveal(), SessionToken: c.SessionToken}
}

// serve starts an HTTP server whose handler verifies each request with f.v
// and reads its body, so tests see the request as net/http's server builds
// it from the wire.
func (f *sigvFixture) serve(t testing.TB) string {
	if f.srv == nil {
		f.results = make(chan sigvResult, 1)
		f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ver, err := f.v.Verify(r)
			body, rerr := io.ReadAll(r.Body)
			if err == nil {
				err = rerr
			}
			f.results <- sigvResult{ver, body, err}
		}))
		t.Cleanup(f.srv.Close)
	}
	return f.srv.URL
}

func (f *sigvFixture) send(t testing.TB, req *http.Request) sigvResult {
	t.Helper()
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return <-f.results
}

func sigvSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// sigvCase is a request to sign with aws-sdk-go-v2's signer.
type sigvCase struct {
	name    string
	method  string
	target  string // path and query, as a client would write them
	body    string
	header  http.Header
	service string
	region  string
	// s3 signs the way the SDK's S3 client does: path escaped once and
	// X-Amz-Content-Sha256: UNSIGNED-PAYLOAD.
	s3 bool
	// contentSHA sends X-Amz-Content-Sha256 with the body's hash.
	contentSHA bool
}

var sigvCases = []sigvCase{
	{name: "sts-query-protocol-post", method: "POST", target: "/", body: sigvForm,
		header: http.Header{"Content-Type": {sigvFormType}}, service: "sts", region: "us-east-1"},
	{name: "get-query-action", method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts", region: "us-east-1"},
	{name: "path-spaces-unicode", method: "GET", target: "/a%20b/%C3%BC%E6%BC%A2/file%20name.txt", service: "execute-api", region: "eu-west-1"},
	{name: "path-double-slash", method: "GET", target: "/a//b///c", service: "execute-api", region: "eu-west-1"},
	{name: "path-encoded-slash", method: "GET", target: "/a%2Fb/c%2F", service: "execute-api", region: "eu-west-1"},
	{name: "path-trailing-slash", method: "DELETE", target: "/things/42/", service: "execute-api", region: "eu-west-1"},
	{name: "path-dot-segments", method: "GET", target: "/a/./b/../c", service: "execute-api", region: "eu-west-1"},
	{name: "path-reserved", method: "GET", target: "/a!$&'()*+,;=:@b", service: "execute-api", region: "eu-west-1"},
	{name: "query-odd", method: "GET",
		target:  "/q?b=2&a=1&a=0&a=&empty=&flag&r=%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D&sp=a%20b&plus=a+b&tilde=~&u=%C3%BC&Z=upper",
		service: "execute-api", region: "eu-west-1"},
	{name: "multi-value-header", method: "GET", target: "/", service: "execute-api", region: "eu-west-1",
		header: http.Header{"X-Amz-Meta-A": {"x", "  y   z  "}, "X-Custom": {"v"}}},
	{name: "content-sha256-header", method: "PUT", target: "/upload", body: `{"hello":"world"}`, contentSHA: true,
		header: http.Header{"Content-Type": {"application/json"}}, service: "execute-api", region: "eu-west-1"},
	{name: "s3-unsigned-payload", method: "PUT", target: "/bucket/key%20with%20space/a%2Bb.txt", body: "object data", s3: true,
		header: http.Header{"Content-Type": {"text/plain"}}, service: "s3", region: "us-west-2"},
	{name: "s3-double-slash-key", method: "GET", target: "/bucket//photos//2026/a.jpg", s3: true, service: "s3", region: "us-west-2"},
	{name: "s3-query", method: "GET", target: "/bucket?list-type=2&prefix=a%2Fb&delimiter=%2F", s3: true, service: "s3", region: "us-west-2"},
}

// newSDKRequest builds the case's request against base.
func (c sigvCase) request(t testing.TB, base string) *http.Request {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, base+c.target, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range c.header {
		req.Header[k] = slices.Clone(vs)
	}
	if c.s3 {
		req.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	}
	if c.contentSHA {
		req.Header.Set("X-Amz-Content-Sha256", sigvSHA256(c.body))
	}
	return req
}

func (c sigvCase) payloadHash() string {
	if c.s3 {
		return "UNSIGNED-PAYLOAD"
	}
	return sigvSHA256(c.body)
}

func (c sigvCase) signerOptions(o *v4.SignerOptions) {
	o.DisableURIPathEscaping = c.s3
}

// sigvSign signs req in place with the Authorization header.
func sigvSign(t testing.TB, c sigvCase, req *http.Request, creds aws.Credentials, at time.Time) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, c.payloadHash(), c.service, c.region, at, c.signerOptions); err != nil {
		t.Fatal(err)
	}
}

// sigvPresign returns a new request for the presigned URL of req.
func sigvPresign(t testing.TB, c sigvCase, req *http.Request, creds aws.Credentials, at time.Time, expires int) *http.Request {
	t.Helper()
	q := req.URL.Query()
	if expires > 0 {
		q.Set("X-Amz-Expires", fmt.Sprint(expires))
	}
	req.URL.RawQuery = q.Encode()
	u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, c.payloadHash(), c.service, c.region, at, c.signerOptions)
	if err != nil {
		t.Fatal(err)
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	out, err := http.NewRequest(c.method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	for k, vs := range req.Header {
		if _, ok := out.Header[k]; !ok {
			out.Header[k] = vs // unsigned headers travel too
		}
	}
	return out
}

// TestVerifySDK proves the verifier against aws-sdk-go-v2's own signer:
// every case, with a long-term key, GetSessionToken and AssumeRole
// credentials, signed in the header and presigned, checked both on the
// client's *http.Request and on the request net/http's server builds from
// the wire. Canonical request rules: sigvDocCreate; presigned URLs: sigvDocQueryAuth;
// S3's single path encoding and UNSIGNED-PAYLOAD: sigvDocS3Header.
func TestVerifySDK(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	base := f.serve(t)
	creds := []struct {
		name  string
		creds aws.Credentials
		arn   string
	}{
		{"long-term", f.long, sigvUserARN},
		{"session-token", f.session, sigvUserARN},
		{"assumed-role", f.role, f.roleSessionARN},
	}
	signedAt := sigvNow.Add(-3 * time.Minute)
	for _, c := range sigvCases {
		for _, cr := range creds {
			for _, form := range []string{"header", "presigned"} {
				for _, transport := range []string{"direct", "wire"} {
					t.Run(strings.Join([]string{c.name, cr.name, form, transport}, "/"), func(t *testing.T) {
						host := "https://service.example.com"
						if transport == "wire" {
							host = base
						}
						req := c.request(t, host)
						if form == "header" {
							sigvSign(t, c, req, cr.creds, signedAt)
						} else {
							req = sigvPresign(t, c, req, cr.creds, signedAt, 300)
						}
						var res sigvResult
						if transport == "wire" {
							res = f.send(t, req)
						} else {
							res.ver, res.err = f.v.Verify(req)
							if res.err == nil && req.Body != nil {
								res.body, res.err = io.ReadAll(req.Body)
							}
						}
						if res.err != nil {
							t.Fatalf("Verify: %v", res.err)
						}
						v := res.ver
						if v.AccessKeyID != cr.creds.AccessKeyID || v.Session.ARN != cr.arn || v.Service != c.service ||
							v.Region != c.region || !v.SignedAt.Equal(signedAt) || v.Presigned != (form == "presigned") ||
							!slices.Contains(v.SignedHeaders, "host") {
							t.Errorf("Verified = %+v", v)
						}
						if string(res.body) != c.body {
							t.Errorf("body after Verify = %q, want %q", res.body, c.body)
						}
					})
				}
			}
		}
	}
}

// TestVerifyPresignedNoExpires: the Go SDK presigns STS GetCallerIdentity
// (as EKS and Vault use it) without X-Amz-Expires and with the empty body's
// hash rather than UNSIGNED-PAYLOAD; such URLs live for the usual 15
// minutes of skew. sigvDocQueryAuth lists X-Amz-Expires for S3, where it is
// required.
func TestVerifyPresignedNoExpires(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{Service: "sts"})
	c := sigvCase{method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts", region: "us-east-1"}
	req := sigvPresign(t, c, c.request(t, "https://sts.amazonaws.com"), f.session, sigvNow.Add(-14*time.Minute), 0)
	if _, err := f.v.Verify(req); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	req = sigvPresign(t, c, c.request(t, "https://sts.amazonaws.com"), f.long, sigvNow.Add(-16*time.Minute), 0)
	if _, err := f.v.Verify(req); !errors.Is(err, sts.ErrSignatureDoesNotMatch) || !strings.HasPrefix(err.(*sts.Error).Message, "Signature expired: ") {
		t.Fatalf("Verify of a stale presigned URL without X-Amz-Expires = %v, want Signature expired", err)
	}
}

// sigvSignedSTS returns a GetCallerIdentity POST signed by the SDK at the
// given time, as the STS client sends it.
func sigvSignedSTS(t testing.TB, creds aws.Credentials, at time.Time) *http.Request {
	c := sigvCases[0]
	req := c.request(t, "https://sts.amazonaws.com")
	sigvSign(t, c, req, creds, at)
	return req
}

func sigvPresignedSTS(t testing.TB, creds aws.Credentials, at time.Time, expires int) *http.Request {
	c := sigvCase{method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts", region: "us-east-1"}
	return sigvPresign(t, c, c.request(t, "https://sts.amazonaws.com"), creds, at, expires)
}

func sigvPresignedS3(t testing.TB, creds aws.Credentials, at time.Time, expires int) *http.Request {
	c := sigvCase{method: "GET", target: "/bucket/key", s3: true, service: "s3", region: "us-east-1"}
	req := c.request(t, "https://s3.amazonaws.com")
	req.Header.Del("X-Amz-Content-Sha256")
	return sigvPresign(t, c, req, creds, at, expires)
}

func sigvSetQuery(r *http.Request, k, v string) {
	q := r.URL.Query()
	if v == "\x00" {
		q.Del(k)
	} else {
		q.Set(k, v)
	}
	r.URL.RawQuery = q.Encode()
}

func sigvSetAuth(r *http.Request, fn func(string) string) {
	r.Header.Set("Authorization", fn(r.Header.Get("Authorization")))
}

// TestVerifyErrors covers each rule with AWS's code, HTTP status and
// message; each case names the page the answer comes from.
func TestVerifyErrors(t *testing.T) {
	type tc struct {
		name    string
		doc     string
		opt     VerifierOptions
		now     time.Time // clock for the verifier and the Issuer; default sigvNow
		req     func(t testing.TB, f *sigvFixture) *http.Request
		code    string
		status  int
		message string // exact, or a prefix when it ends in "..."
	}
	const invalidToken = "The security token included in the request is invalid."
	cases := []tc{
		{name: "unsigned", doc: sigvDocSTSErrors, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return httptest.NewRequest("POST", "https://sts.amazonaws.com/", strings.NewReader(sigvForm))
		}, code: "MissingAuthenticationToken", status: 403, message: "Request is missing Authentication Token"},
		{name: "authorization-missing-parts", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date")
			return r
		}, code: "IncompleteSignature", status: 400, message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."},
		{name: "authorization-missing-equal-sign", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return a + ", garbage" })
			return r
		}, code: "IncompleteSignature", status: 400, message: "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): ..."},
		{name: "authorization-unsupported-algorithm", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."},
		{name: "authorization-duplicate-signature", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return a + ", Signature=00" })
			return r
		}, code: "IncompleteSignature", status: 400, message: "Authorization header has a duplicate 'Signature' parameter."},
		{name: "credential-four-elements", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "/us-east-1/", "/", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/20260101/sts/aws4_request'"},
		{name: "credential-terminator", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "aws4_request", "aws4_reqest", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'."},
		{name: "credential-date-format", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "/20260101/", "/2026-1-1/", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "Credential should be scoped to a valid date, not '2026-1-1'."},
		{name: "host-not-signed", doc: sigvDocCreate, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "host;", "", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "x-amz-date-not-signed", doc: sigvDocCreate, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, ";x-amz-date", "", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "empty-signed-header-name", doc: sigvDocCreate, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "host;", "host;;", 1) })
			return r
		}, code: "IncompleteSignature", status: 400, message: "SignedHeaders must be a list of header names separated by ';', got ..."},
		{name: "no-date", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			r.Header.Del("X-Amz-Date")
			return r
		}, code: "IncompleteSignature", status: 400, message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
		{name: "bad-x-amz-date", doc: sigvDocElements, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			r.Header.Set("X-Amz-Date", "2026-01-01T12:00:00Z")
			return r
		}, code: "IncompleteSignature", status: 400, message: "Date must be in ISO-8601 'basic format'. Got '2026-01-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "scope-date-differs", doc: sigvDocTrouble, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return strings.Replace(a, "/20260101/", "/20251231/", 1) })
			return r
		}, code: "SignatureDoesNotMatch", status: 403, message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T120000Z'."},
		{name: "wrong-service", doc: sigvDocTrouble, opt: VerifierOptions{Service: "sts"}, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := sigvCases[0]
			c.service = "iam"
			r := c.request(t, "https://sts.amazonaws.com")
			sigvSign(t, c, r, f.long, sigvNow)
			return r
		}, code: "SignatureDoesNotMatch", status: 403, message: "Credential should be scoped to correct service: 'sts'. "},
		{name: "wrong-region", doc: sigvDocTrouble, opt: VerifierOptions{Region: "us-east-1"}, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := sigvCases[0]
			c.region = "eu-west-3"
			r := c.request(t, "https://sts.amazonaws.com")
			sigvSign(t, c, r, f.long, sigvNow)
			return r
		}, code: "SignatureDoesNotMatch", status: 403, message: "Credential should be scoped to a valid region, not 'eu-west-3'. "},
		{name: "signature-expired", doc: sigvDocTrouble, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvSignedSTS(t, f.long, sigvNow.Add(-16*time.Minute))
		}, code: "SignatureDoesNotMatch", status: 403, message: "Signature expired: 20260101T114400Z is now earlier than 20260101T114500Z (20260101T120000Z - 15 min.)"},
		{name: "signature-not-yet-current", doc: sigvDocTrouble, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvSignedSTS(t, f.long, sigvNow.Add(16*time.Minute))
		}, code: "SignatureDoesNotMatch", status: 403, message: "Signature not yet current: 20260101T121600Z is still later than 20260101T121500Z (20260101T120000Z + 15 min.)"},
		{name: "s3-time-too-skewed", doc: sigvDocS3Errors, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := sigvCases[11]
			r := c.request(t, "https://s3.amazonaws.com")
			sigvSign(t, c, r, f.long, sigvNow.Add(-20*time.Minute))
			return r
		}, code: "RequestTimeTooSkewed", status: 403, message: "The difference between the request time and the current time is too large."},
		{name: "presigned-expired", doc: sigvDocSTSErrors, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvPresignedSTS(t, f.long, sigvNow.Add(-301*time.Second), 300)
		}, code: "RequestExpired", status: 400, message: "Request has expired."},
		{name: "presigned-not-yet-valid", doc: sigvDocSTSErrors, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvPresignedSTS(t, f.long, sigvNow.Add(16*time.Minute), 300)
		}, code: "RequestExpired", status: 400, message: "Request is not yet valid."},
		{name: "presigned-s3-expired", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvPresignedS3(t, f.long, sigvNow.Add(-time.Hour-time.Second), 3600)
		}, code: "AccessDenied", status: 403, message: "Request has expired"},
		{name: "presigned-expires-zero", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			sigvSetQuery(r, "X-Amz-Expires", "0")
			return r
		}, code: "IncompleteSignature", status: 400, message: "X-Amz-Expires must be greater than 0"},
		{name: "presigned-expires-over-a-week", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvPresignedSTS(t, f.long, sigvNow, 604801)
		}, code: "IncompleteSignature", status: 400, message: "X-Amz-Expires must be less than a week (in seconds) that is; 604800"},
		{name: "presigned-expires-negative", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			sigvSetQuery(r, "X-Amz-Expires", "-5")
			return r
		}, code: "IncompleteSignature", status: 400, message: "X-Amz-Expires must be non-negative"},
		{name: "presigned-expires-not-a-number", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			sigvSetQuery(r, "X-Amz-Expires", "5m")
			return r
		}, code: "IncompleteSignature", status: 400, message: "X-Amz-Expires should be a number"},
		{name: "presigned-s3-expires-over-a-week", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvPresignedS3(t, f.long, sigvNow, 604801)
		}, code: "AuthorizationQueryParametersError", status: 400, message: "X-Amz-Expires must be less than a week (in seconds) that is; 604800"},
		{name: "presigned-s3-missing-expires", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvPresignedS3(t, f.long, sigvNow, 0)
		}, code: "AuthorizationQueryParametersError", status: 400, message: "AWS query-string parameters must include 'X-Amz-Expires'. Re-examine the query-string parameters."},
		{name: "presigned-missing-credential", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			sigvSetQuery(r, "X-Amz-Credential", "\x00")
			return r
		}, code: "IncompleteSignature", status: 400, message: "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters."},
		{name: "presigned-repeated-parameter", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			r.URL.RawQuery += "&X-Amz-Date=20260101T120000Z"
			return r
		}, code: "IncompleteSignature", status: 400, message: "AWS query-string parameters must not repeat 'X-Amz-Date'. Re-examine the query-string parameters."},
		{name: "presigned-bad-algorithm", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			sigvSetQuery(r, "X-Amz-Algorithm", "AWS4-HMAC-SHA1")
			return r
		}, code: "IncompleteSignature", status: 400, message: "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\" and \"AWS4-ECDSA-P256-SHA256\""},
		{name: "header-and-query", doc: sigvDocQueryAuth, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvPresignedSTS(t, f.long, sigvNow, 300)
			r.Header.Set("Authorization", sigvSignedSTS(t, f.long, sigvNow).Header.Get("Authorization"))
			return r
		}, code: "IncompleteSignature", status: 400, message: "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified"},
		{name: "unknown-access-key", doc: sigvDocSTSErrors, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvSignedSTS(t, aws.Credentials{AccessKeyID: "AKIAUNKNOWN000000001", SecretAccessKey: sigvSecret}, sigvNow)
		}, code: "InvalidClientTokenId", status: 403, message: invalidToken},
		{name: "inactive-access-key", doc: sigvDocSTSErrors, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvSignedSTS(t, aws.Credentials{AccessKeyID: "AKIAINACTIVE00000001", SecretAccessKey: "inactive-secret"}, sigvNow)
		}, code: "InvalidClientTokenId", status: 403, message: invalidToken},
		{name: "temporary-key-without-token", doc: sigvDocTempCreds, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := f.session
			c.SessionToken = ""
			return sigvSignedSTS(t, c, sigvNow)
		}, code: "InvalidClientTokenId", status: 403, message: invalidToken},
		{name: "long-term-key-with-token", doc: sigvDocTempCreds, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := f.long
			c.SessionToken = f.session.SessionToken
			return sigvSignedSTS(t, c, sigvNow)
		}, code: "InvalidClientTokenId", status: 403, message: invalidToken},
		{name: "forged-token", doc: sigvDocTempCreds, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := f.session
			c.SessionToken = c.SessionToken[:len(c.SessionToken)-4] + "AAAA"
			return sigvSignedSTS(t, c, sigvNow)
		}, code: "InvalidClientTokenId", status: 403, message: invalidToken},
		{name: "expired-session", doc: sigvDocSTSErrors, now: sigvNow.Add(13 * time.Hour), req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvSignedSTS(t, f.session, sigvNow.Add(13*time.Hour)) // GetSessionToken lasts 12 hours
		}, code: "ExpiredToken", status: 403, message: "The security token included in the request is expired"},
		{name: "wrong-secret", doc: sigvDocTrouble, req: func(t testing.TB, f *sigvFixture) *http.Request {
			return sigvSignedSTS(t, aws.Credentials{AccessKeyID: sigvKeyID, SecretAccessKey: "not-alices-secret"}, sigvNow)
		}, code: "SignatureDoesNotMatch", status: 403, message: msgSignatureDoesNotMatch},
		{name: "signature-not-hex", doc: sigvDocTrouble, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return a[:len(a)-1] + "g" })
			return r
		}, code: "SignatureDoesNotMatch", status: 403, message: msgSignatureDoesNotMatch},
		{name: "signature-short", doc: sigvDocTrouble, req: func(t testing.TB, f *sigvFixture) *http.Request {
			r := sigvSignedSTS(t, f.long, sigvNow)
			sigvSetAuth(r, func(a string) string { return a[:len(a)-2] })
			return r
		}, code: "SignatureDoesNotMatch", status: 403, message: msgSignatureDoesNotMatch},
		{name: "streaming-payload", doc: sigvDocS3Header, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := sigvCases[11]
			r := c.request(t, "https://s3.amazonaws.com")
			r.Header.Set("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
			sigvSign(t, c, r, f.long, sigvNow)
			return r
		}, code: "NotImplemented", status: 501, message: "x-amz-content-sha256 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' (aws-chunked payload signing) is not supported; sign the whole payload or use UNSIGNED-PAYLOAD."},
		{name: "content-sha256-malformed", doc: sigvDocS3Header, req: func(t testing.TB, f *sigvFixture) *http.Request {
			c := sigvCases[11]
			r := c.request(t, "https://s3.amazonaws.com")
			r.Header.Set("X-Amz-Content-Sha256", "abc")
			sigvSign(t, c, r, f.long, sigvNow)
			return r
		}, code: "InvalidArgument", status: 400, message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newSigvFixture(t, c.opt)
			req := c.req(t, f)
			if !c.now.IsZero() {
				f.setNow(c.now)
			}
			ver, err := f.v.Verify(req)
			var e *sts.Error
			if !errors.As(err, &e) {
				t.Fatalf("Verify = %+v, %v; want %s (%s)", ver, err, c.code, c.doc)
			}
			got := []any{e.Code, e.HTTPStatus, e.Message}
			want := []any{c.code, c.status, c.message}
			if prefix, ok := strings.CutSuffix(c.message, "..."); ok && strings.HasPrefix(e.Message, prefix) {
				want[2] = e.Message
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error (-want +got) per %s:\n%s", c.doc, diff)
			}
		})
	}
}

// TestVerifyTimeBoundaries: a header signature is good for 15 minutes
// either side of the server's clock (sigvDocTrouble), a presigned URL until
// X-Amz-Date + X-Amz-Expires inclusive (sigvDocQueryAuth).
func TestVerifyTimeBoundaries(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	for _, d := range []time.Duration{-15 * time.Minute, 15 * time.Minute} {
		if _, err := f.v.Verify(sigvSignedSTS(t, f.long, sigvNow.Add(d))); err != nil {
			t.Errorf("signed %v from now: %v", d, err)
		}
	}
	if _, err := f.v.Verify(sigvPresignedSTS(t, f.long, sigvNow.Add(-300*time.Second), 300)); err != nil {
		t.Errorf("presigned URL at its last second: %v", err)
	}
	if _, err := f.v.Verify(sigvPresignedS3(t, f.long, sigvNow.Add(-604800*time.Second), 604800)); err != nil {
		t.Errorf("week-long S3 presigned URL at its last second: %v", err)
	}
}

// TestVerifyDateHeader: without X-Amz-Date the Date header dates the
// request, and must be signed (sigvDocCreate).
func TestVerifyDateHeader(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	c := sigvCases[1]
	req := c.request(t, "https://sts.amazonaws.com")
	sigvSign(t, c, req, f.long, sigvNow)
	// Re-sign by hand with Date in place of X-Amz-Date: the SDK always
	// writes X-Amz-Date, so build the canonical request the way AWS
	// describes it and check the Verifier agrees.
	req.Header.Del("X-Amz-Date")
	req.Header.Set("Date", sigvNow.Format(http.TimeFormat))
	sig := sigvReference(t, req, "host;date", "20260101/us-east-1/sts/aws4_request", sigvSecret, sigvSHA256(""))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+sigvKeyID+"/20260101/us-east-1/sts/aws4_request, SignedHeaders=date;host, Signature="+sig)
	if _, err := f.v.Verify(req); err != nil {
		t.Fatalf("Verify with Date header: %v", err)
	}
}

// sigvReference is a plain, slow transcription of sigvDocCreate for a
// request with no query and path "/", independent of the code under test.
func sigvReference(t testing.TB, r *http.Request, signedHeaders, scope, secret, payload string) string {
	t.Helper()
	names := strings.Split(signedHeaders, ";")
	slices.Sort(names)
	var ch strings.Builder
	for _, n := range names {
		v := r.Header.Get(n)
		if n == "host" {
			v = r.Host
		}
		ch.WriteString(n + ":" + strings.TrimSpace(v) + "\n")
	}
	creq := strings.Join([]string{r.Method, "/", r.URL.RawQuery, ch.String(), strings.Join(names, ";"), payload}, "\n")
	date := strings.SplitN(scope, "/", 2)[0]
	t0, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		t.Fatal(err)
	}
	sts := strings.Join([]string{"AWS4-HMAC-SHA256", t0.UTC().Format(amzDateLayout), scope, sigvSHA256(creq)}, "\n")
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	parts := strings.Split(scope, "/")
	k := mac(mac(mac(mac([]byte("AWS4"+secret), date), parts[1]), parts[2]), "aws4_request")
	return hex.EncodeToString(mac(k, sts))
}

// TestTamperHeaderSigned changes each signed part of a header-signed
// request in turn: every change must be refused (sigvDocCreate: the signature
// covers the method, path, query, signed headers and payload).
func TestTamperHeaderSigned(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	c := sigvCase{method: "POST", target: "/path/x?a=1&b=two", body: sigvForm, service: "sts", region: "us-east-1",
		header: http.Header{"Content-Type": {sigvFormType}, "X-Amz-Meta-Note": {"hello"}}}
	fresh := func() *http.Request {
		r := c.request(t, "https://sts.amazonaws.com")
		sigvSign(t, c, r, f.session, sigvNow)
		// The server's view: headers as received, Content-Length included.
		s := httptest.NewRequest(r.Method, r.URL.String(), strings.NewReader(c.body))
		s.Header = r.Header.Clone()
		s.Header.Set("Content-Length", fmt.Sprint(len(c.body)))
		return s
	}
	ver, err := f.v.Verify(fresh())
	if err != nil {
		t.Fatalf("untampered: %v", err)
	}
	want := []string{"content-length", "content-type", "host", "x-amz-date", "x-amz-meta-note", "x-amz-security-token"}
	if diff := cmp.Diff(want, ver.SignedHeaders); diff != "" {
		t.Fatalf("SignedHeaders (-want +got):\n%s", diff)
	}
	expect := func(name string, r *http.Request, want *sts.Error) {
		t.Helper()
		if _, err := f.v.Verify(r); !errors.Is(err, want) {
			t.Errorf("%s: Verify = %v, want %s", name, err, want.Code)
		}
	}
	for _, h := range ver.SignedHeaders {
		r := fresh()
		want := sts.ErrSignatureDoesNotMatch
		switch h {
		case "host":
			r.Host = "sts.amazonaws.com.evil.example"
		case "x-amz-date":
			r.Header.Set("X-Amz-Date", "20260101T120001Z")
		case "x-amz-security-token":
			r.Header.Set("X-Amz-Security-Token", r.Header.Get("X-Amz-Security-Token")+"A")
			want = sts.ErrInvalidClientTokenID
		default:
			r.Header.Set(h, r.Header.Get(h)+"1")
		}
		expect("header "+h, r, want)
	}
	r := fresh()
	r.Method = "PUT"
	expect("method", r, sts.ErrSignatureDoesNotMatch)
	r = fresh()
	r.URL.Path, r.URL.RawPath = "/path/y", ""
	expect("path", r, sts.ErrSignatureDoesNotMatch)
	for _, q := range []string{"a=2&b=two", "a=1&b=twO", "a=1&b=two&c=3", "a=1", "b=two&a=1&a=1"} {
		r = fresh()
		r.URL.RawQuery = q
		expect("query "+q, r, sts.ErrSignatureDoesNotMatch)
	}
	r = fresh()
	r.Body = io.NopCloser(strings.NewReader(strings.Replace(sigvForm, "2011", "2012", 1)))
	expect("body", r, sts.ErrSignatureDoesNotMatch)
	// Each hex digit of the signature.
	auth := fresh().Header.Get("Authorization")
	i := strings.Index(auth, "Signature=") + len("Signature=")
	for j := i; j < len(auth); j++ {
		r = fresh()
		b := []byte(auth)
		b[j] = "1032547698badcfe"[strings.IndexByte("0123456789abcdef", b[j])]
		r.Header.Set("Authorization", string(b))
		expect(fmt.Sprintf("signature digit %d", j-i), r, sts.ErrSignatureDoesNotMatch)
	}
}

// TestTamperPresigned changes each query parameter of a presigned URL.
func TestTamperPresigned(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	c := sigvCase{method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15&Extra=x%2Fy", service: "sts", region: "us-east-1",
		header: http.Header{"X-Amz-Meta-Note": {"hello"}}}
	fresh := func() *http.Request {
		return sigvPresign(t, c, c.request(t, "https://sts.amazonaws.com"), f.role, sigvNow, 300)
	}
	if _, err := f.v.Verify(fresh()); err != nil {
		t.Fatalf("untampered: %v", err)
	}
	wantErr := map[string]*sts.Error{
		"X-Amz-Algorithm":      sts.ErrIncompleteSignature,
		"X-Amz-Credential":     sts.ErrInvalidClientTokenID,
		"X-Amz-Security-Token": sts.ErrInvalidClientTokenID,
		"X-Amz-SignedHeaders":  sts.ErrSignatureDoesNotMatch,
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range fresh().URL.Query() {
			if !yield(k) {
				return
			}
		}
	})
	if len(keys) != 10 {
		t.Fatalf("presigned query keys = %v", keys)
	}
	for _, k := range keys {
		r := fresh()
		v := r.URL.Query().Get(k)
		switch k {
		case "X-Amz-Date":
			v = "20260101T115959Z"
		case "X-Amz-Expires":
			v = "299"
		case "X-Amz-Credential":
			v = strings.Replace(v, "ASIA", "ASIB", 1)
		case "X-Amz-SignedHeaders":
			v = "host"
		case "X-Amz-Signature":
			v = strings.Repeat("0", 64)
		default:
			v += "A"
		}
		sigvSetQuery(r, k, v)
		want := wantErr[k]
		if want == nil {
			want = sts.ErrSignatureDoesNotMatch
		}
		if _, err := f.v.Verify(r); !errors.Is(err, want) {
			t.Errorf("%s=%s: Verify = %v, want %s", k, v, err, want.Code)
		}
	}
	r := fresh()
	r.Header.Set("X-Amz-Meta-Note", "bye")
	if _, err := f.v.Verify(r); !errors.Is(err, sts.ErrSignatureDoesNotMatch) {
		t.Errorf("signed header changed: %v", err)
	}
}

// TestBodyRestored: the STS Query protocol sends no X-Amz-Content-Sha256,
// so the Verifier reads and hashes the form body (AWS-NOTES, sigvDocQueryProto)
// and the handler must still be able to parse it.
func TestBodyRestored(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	req := sigvSignedSTS(t, f.long, sigvNow)
	if _, err := f.v.Verify(req); err != nil {
		t.Fatal(err)
	}
	if err := req.ParseForm(); err != nil {
		t.Fatal(err)
	}
	if got := req.PostForm.Get("Action"); got != "GetCallerIdentity" {
		t.Errorf("Action after Verify = %q", got)
	}
	// GetBody too, for handlers that retry or proxy.
	rc, err := req.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(rc); string(b) != sigvForm {
		t.Errorf("GetBody = %q", b)
	}
}

func TestMaxBodySize(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{MaxBodySize: int64(len(sigvForm))})
	if _, err := f.v.Verify(sigvSignedSTS(t, f.long, sigvNow)); err != nil {
		t.Fatalf("body of exactly MaxBodySize: %v", err)
	}
	long := sigvCase{method: "POST", target: "/", body: sigvForm + "&X=1", service: "sts", region: "us-east-1"}
	req := long.request(t, "https://sts.amazonaws.com")
	sigvSign(t, long, req, f.long, sigvNow)
	if _, err := f.v.Verify(req); !errors.Is(err, ErrRequestEntityTooLarge) || err.(*sts.Error).HTTPStatus != 413 {
		t.Errorf("declared length over the limit: %v", err)
	}
	// Same with an unknown length (chunked): found by reading.
	req = long.request(t, "https://sts.amazonaws.com")
	sigvSign(t, long, req, f.long, sigvNow)
	req.ContentLength = -1
	req.Body = io.NopCloser(strings.NewReader(long.body))
	if _, err := f.v.Verify(req); !errors.Is(err, ErrRequestEntityTooLarge) {
		t.Errorf("unknown length over the limit: %v", err)
	}
	// With X-Amz-Content-Sha256 the body is not read, whatever its size.
	c := sigvCases[10]
	c.body = strings.Repeat("x", 1000)
	req = c.request(t, "https://api.example.com")
	sigvSign(t, c, req, f.long, sigvNow)
	if _, err := f.v.Verify(req); err != nil {
		t.Errorf("large body with X-Amz-Content-Sha256: %v", err)
	}
}

// TestContentSHA256Mismatch: a body that differs from its signed
// X-Amz-Content-Sha256 fails as the handler reads it: in an s3 scope with
// S3's XAmzContentSHA256Mismatch (sigvDocS3Header, sigvDocS3Errors), in any
// other with SignatureDoesNotMatch, as those services hash the payload
// themselves (sigvDocCreate, HashedPayload; sigvDocTrouble).
func TestContentSHA256Mismatch(t *testing.T) {
	s3 := sigvCase{method: "PUT", target: "/bucket/key", body: "object data", contentSHA: true, service: "s3", region: "us-west-2"}
	for _, tc := range []struct {
		c    sigvCase
		want error
	}{{sigvCases[10], sts.ErrSignatureDoesNotMatch}, {s3, ErrContentSHA256Mismatch}} {
		t.Run(tc.c.service, func(t *testing.T) {
			f := newSigvFixture(t, VerifierOptions{})
			c := tc.c
			req := c.request(t, "https://api.example.com")
			sigvSign(t, c, req, f.long, sigvNow)
			req.Body = io.NopCloser(strings.NewReader(strings.ToUpper(c.body)))
			if _, err := f.v.Verify(req); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if _, err := io.ReadAll(req.Body); !errors.Is(err, tc.want) {
				t.Errorf("reading a body that does not match its hash: %v, want %v", err, tc.want)
			}
			// No body at all, but a hash of something.
			req = c.request(t, "https://api.example.com")
			sigvSign(t, c, req, f.long, sigvNow)
			req.Body = http.NoBody
			if _, err := f.v.Verify(req); !errors.Is(err, tc.want) {
				t.Errorf("empty body with a non-empty hash: %v, want %v", err, tc.want)
			}
		})
	}
}

// sigvStaticResolver answers for fixed credentials, checking the token.
type sigvStaticResolver map[string]struct {
	token  string
	secret sts.Secret
}

func (s sigvStaticResolver) Resolve(_ context.Context, akid, token string) (*sts.Session, sts.Secret, error) {
	c, ok := s[akid]
	if !ok || c.token != token {
		return nil, sts.NewSecret(""), &sts.Error{Code: "InvalidClientTokenId", HTTPStatus: 403, Message: "The security token included in the request is invalid."}
	}
	return &sts.Session{AccessKeyID: akid}, c.secret, nil
}

type sigvBotocoreCase struct {
	Name         string      `json:"name"`
	Method       string      `json:"method"`
	URL          string      `json:"url"`
	Headers      [][2]string `json:"headers"`
	Body         string      `json:"body"`
	AccessKeyID  string      `json:"accessKeyId"`
	SessionToken string      `json:"sessionToken"`
	Time         time.Time   `json:"time"`
}

// TestBotocoreFixtures verifies requests signed by botocore (the AWS CLI's
// and boto3's signer), written by testdata/sigv4/gen_botocore.py: the STS
// Query protocol with and without a session token, odd queries, a path
// botocore normalizes, header whitespace, S3 header and presigned forms.
func TestBotocoreFixtures(t *testing.T) {
	raw, err := os.ReadFile("testdata/sigv4/botocore.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Botocore string             `json:"botocore"`
		Cases    []sigvBotocoreCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Cases) < 8 {
		t.Fatalf("only %d botocore fixtures", len(file.Cases))
	}
	res := sigvStaticResolver{
		"AKIAIOSFODNN7EXAMPLE": {"", sts.NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")},
		"ASIAIOSFODNN7EXAMPLE": {"IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken+/=", sts.NewSecret("je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")},
	}
	for _, fx := range file.Cases {
		t.Run(fx.Name, func(t *testing.T) {
			v, err := NewVerifier(VerifierOptions{Resolver: res, Now: func() time.Time { return fx.Time.Add(time.Minute) }})
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(fx.Method, fx.URL, strings.NewReader(fx.Body))
			for _, h := range fx.Headers {
				req.Header.Add(h[0], h[1])
			}
			ver, err := v.Verify(req)
			if err != nil {
				t.Fatalf("Verify (botocore %s): %v", file.Botocore, err)
			}
			if ver.AccessKeyID != fx.AccessKeyID || !ver.SignedAt.Equal(fx.Time) {
				t.Errorf("Verified = %+v", ver)
			}
			if b, _ := io.ReadAll(req.Body); string(b) != fx.Body {
				t.Errorf("body after Verify = %q", b)
			}
			// One changed byte in the body or a signed header breaks it.
			req = httptest.NewRequest(fx.Method, fx.URL, strings.NewReader(fx.Body+" "))
			for _, h := range fx.Headers {
				req.Header.Add(h[0], h[1])
			}
			req.Host += ".evil"
			if _, err := v.Verify(req); !errors.Is(err, sts.ErrSignatureDoesNotMatch) {
				t.Errorf("tampered: Verify = %v", err)
			}
		})
	}
}

// TestSigningKeyCache: the cache never serves a key derived from another
// secret, and stays bounded.
func TestSigningKeyCache(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	if _, err := f.v.Verify(sigvSignedSTS(t, f.long, sigvNow)); err != nil {
		t.Fatal(err)
	}
	// Rotate alice's secret under the same access key ID.
	u, _, err := f.dir.UserByAccessKey(context.Background(), sigvKeyID)
	if err != nil {
		t.Fatal(err)
	}
	nu := *u
	nu.AccessKeys = []sts.AccessKey{{ID: sigvKeyID, Secret: sts.NewSecret("rotated-secret")}}
	if err := f.dir.PutUser(nu); err != nil {
		t.Fatal(err)
	}
	if _, err := f.v.Verify(sigvSignedSTS(t, f.long, sigvNow)); !errors.Is(err, sts.ErrSignatureDoesNotMatch) {
		t.Errorf("old secret after rotation: %v", err)
	}
	if _, err := f.v.Verify(sigvSignedSTS(t, aws.Credentials{AccessKeyID: sigvKeyID, SecretAccessKey: "rotated-secret"}, sigvNow)); err != nil {
		t.Errorf("new secret after rotation: %v", err)
	}

	var kc keyCache
	kc.m = make(map[keyID]*keyEntry)
	for i := range 3 * keyCacheSize {
		kc.signingKey(fmt.Sprintf("AKIA%016d", i), "20260101", "us-east-1", "sts", sts.NewSecret("s"))
	}
	if n := len(kc.m); n > keyCacheSize {
		t.Errorf("cache holds %d keys, bound %d", n, keyCacheSize)
	}
	// The derived key matches AWS's documented example (sigvDocCreate,
	// "Derive a signing key"; the secret and scope of the IAM example).
	k := deriveKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
	if got := hex.EncodeToString(k[:]); got != "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9" {
		t.Errorf("signing key = %s", got)
	}
}

// TestVerifyConcurrent runs Verify from many goroutines (go test -race).
func TestVerifyConcurrent(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds := []aws.Credentials{f.long, f.session, f.role}[g%3]
			for i := range 8 {
				req := sigvSignedSTS(t, creds, sigvNow.Add(-time.Duration(i)*time.Minute))
				if _, err := f.v.Verify(req); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestCanonicalNoAllocs: computing and checking the signature of a typical
// request allocates nothing.
func TestCanonicalNoAllocs(t *testing.T) {
	f := newSigvFixture(t, VerifierOptions{})
	c := sigvCase{method: "GET", target: "/?Version=2011-06-15&Action=GetCallerIdentity", service: "sts", region: "us-east-1",
		header: http.Header{"X-Amz-Meta-A": {"x  y"}}}
	req := c.request(t, "https://sts.amazonaws.com")
	sigvSign(t, c, req, f.long, sigvNow)
	var sr sigRequest
	sr.expires = -1
	if err := f.v.parseHeaderAuth(req, req.Header["Authorization"], &sr); err != nil {
		t.Fatal(err)
	}
	key := f.v.keys.signingKey(sr.accessKeyID, sr.date, sr.region, sr.service, sts.NewSecret(sigvSecret))
	if err := f.v.checkSignature(req, &sr, &key); err != nil {
		t.Fatal(err)
	}
	secret := sts.NewSecret(sigvSecret)
	allocs := testing.AllocsPerRun(100, func() {
		var sr sigRequest
		_ = f.v.parseHeaderAuth(req, req.Header["Authorization"], &sr)
		_ = f.v.checkScope(&sr)
		_ = checkTime(&sr, sigvNow)
		key := f.v.keys.signingKey(sr.accessKeyID, sr.date, sr.region, sr.service, secret)
		_ = f.v.checkSignature(req, &sr, &key)
	})
	if allocs != 0 {
		t.Errorf("allocs = %v, want 0", allocs)
	}
}

// TestCanonicalQuery checks the canonical query string against the rules
// of sigvDocCreate: decoded then RFC 3986-encoded, sorted by encoded name then
// value, '+' a space, empty values kept.
func TestCanonicalQuery(t *testing.T) {
	for _, c := range []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1&a=", "a=&a=1&a=2"},
		{"flag&x=", "flag=&x="},
		{"a=b+c&d=%7e&e=%2f", "a=b%20c&d=~&e=%2F"},
		{"a-b=1&a%2Fb=2", "a%2Fb=2&a-b=1"},
		{"k=%zz&&", "k=%25zz"},
		{"\u00fc=\u00fc", "%C3%BC=%C3%BC"},
	} {
		got := string(appendCanonicalQuery(nil, c.raw, false))
		if got != c.want {
			t.Errorf("canonical(%q) = %q, want %q", c.raw, got, c.want)
		}
	}
	if got := string(appendCanonicalQuery(nil, "X-Amz-Signature=abc&a=1&X-Amz-Date=1", true)); got != "X-Amz-Date=1&a=1" {
		t.Errorf("presigned canonical = %q", got)
	}
}

func TestRemoveDotSegments(t *testing.T) {
	for in, want := range map[string]string{
		"/": "/", "//": "/", "/a//b": "/a/b", "/a/./b/../c": "/a/c", "/a/b/": "/a/b/", "/..": "/", "/a/..": "/",
	} {
		if got := removeDotSegments(in); got != want {
			t.Errorf("removeDotSegments(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewVerifierNeedsResolver(t *testing.T) {
	if _, err := NewVerifier(VerifierOptions{}); err == nil {
		t.Error("NewVerifier without a Resolver succeeded")
	}
	if _, err := (&Verifier{}).Verify(nil); !errors.Is(err, sts.ErrMissingAuthenticationToken) {
		t.Errorf("Verify(nil) = %v", err)
	}
}

func ExampleVerifier() {
	dir := sts.NewMemoryDirectory()
	_ = dir.PutUser(sts.User{ARN: sigvUserARN, UniqueID: "AIDAALICE0000000001",
		AccessKeys: []sts.AccessKey{{ID: sigvKeyID, Secret: sts.NewSecret(sigvSecret)}}})
	keys, _ := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(string(bytes.Repeat([]byte("k"), 32)))})
	issuer, _ := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
	v, _ := NewVerifier(VerifierOptions{Resolver: issuer, Service: "sts"})

	// A request as the AWS SDK signs it.
	req, _ := http.NewRequest("POST", "https://sts.amazonaws.com/", strings.NewReader(sigvForm))
	req.Header.Set("Content-Type", sigvFormType)
	creds := aws.Credentials{AccessKeyID: sigvKeyID, SecretAccessKey: sigvSecret}
	_ = v4.NewSigner().SignHTTP(context.Background(), creds, req, sigvSHA256(sigvForm), "sts", "us-east-1", time.Now())

	who, err := v.Verify(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(who.Session.ARN, who.Service, who.Region)
	body, _ := io.ReadAll(req.Body)
	fmt.Println(string(body))

	// The same request with a forged signature.
	auth := req.Header.Get("Authorization")
	req.Header.Set("Authorization", auth[:len(auth)-64]+strings.Repeat("0", 64))
	_, err = v.Verify(req)
	var apiErr *sts.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatusCode(), apiErr.ErrorCode())
	}
	// Output:
	// arn:aws:iam::111122223333:user/alice sts us-east-1
	// Action=GetCallerIdentity&Version=2011-06-15
	// 403 SignatureDoesNotMatch
}
