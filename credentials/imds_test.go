package credentials

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/sts"
)

const cpIMDSRoleName = "instance-role"

func newCPIMDS(t testing.TB, f *cpFixture, clock func() time.Time, v1 bool) http.Handler {
	t.Helper()
	h, err := NewIMDSHandler(IMDSOptions{Issuer: f.issuer, RoleARN: cpInstanceRoleARN, Now: clock, AllowIMDSv1: v1})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type cpRequest struct {
	method string
	path   string
	header map[string][]string
}

func cpServe(h http.Handler, r cpRequest) *httptest.ResponseRecorder {
	req := httptest.NewRequest(r.method, "http://169.254.169.254"+r.path, nil)
	for k, vs := range r.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func cpIMDSToken(t testing.TB, h http.Handler, ttl string) string {
	t.Helper()
	rec := cpServe(h, cpRequest{http.MethodPut, "/latest/api/token", map[string][]string{"X-aws-ec2-metadata-token-ttl-seconds": {ttl}}})
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT token: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// TestIMDSWithSDK serves the handler on loopback and lets aws-sdk-go-v2's
// ec2rolecreds provider fetch the instance profile's credentials from it.
func TestIMDSWithSDK(t *testing.T) {
	ctx := context.Background()
	// The SDK checks token and credential lifetimes against the wall clock,
	// so the issuer and the handler read it too.
	f := newCPFixture(t, time.Now)
	h := newCPIMDS(t, f, nil, false)

	var (
		mu  sync.Mutex
		log []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		mu.Lock()
		tok := "no token"
		if r.Header.Get("X-aws-ec2-metadata-token") != "" {
			tok = "token"
		}
		log = append(log, r.Method+" "+r.URL.Path+" "+tok+" "+http.StatusText(rec.Code))
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	defer srv.Close()

	p := ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = imds.New(imds.Options{Endpoint: srv.URL})
	})
	got, err := aws.NewCredentialsCache(p).Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantLog := []string{
		"PUT /latest/api/token no token OK",
		"GET /latest/meta-data/iam/security-credentials/ token OK",
		"GET /latest/meta-data/iam/security-credentials/instance-role token OK",
	}
	if diff := cmp.Diff(wantLog, log); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got.Source != ec2rolecreds.ProviderName || !got.CanExpire || !strings.HasPrefix(got.AccessKeyID, "ASIA") {
		t.Errorf("credentials %s from %q (CanExpire %v)", got.AccessKeyID, got.Source, got.CanExpire)
	}
	s := f.session(t, got)
	want := "arn:aws:sts::111122223333:assumed-role/instance-role/i-0123456789abcdef0"
	if s.ARN != want || s.Kind != sts.AssumedRole || s.SourceARN != cpInstanceRoleARN {
		t.Errorf("session %s (%v, role %s), want %s", s.ARN, s.Kind, s.SourceARN, want)
	}
}

// TestIMDSWithSDKRoleNotTrusted: a role that does not trust EC2 reaches the
// SDK as IMDS reports it, a non-Success Code.
func TestIMDSWithSDKRoleNotTrusted(t *testing.T) {
	f := newCPFixture(t, time.Now)
	h, err := NewIMDSHandler(IMDSOptions{Issuer: f.issuer, RoleARN: cpLockedRoleARN})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	p := ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = imds.New(imds.Options{Endpoint: srv.URL}) })
	_, err = p.Retrieve(context.Background())
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AssumeRoleUnauthorizedAccess" {
		t.Errorf("Retrieve: %v, want AssumeRoleUnauthorizedAccess", err)
	}
}

// TestIMDSProtocol checks the status of each kind of request against
// the IMDS documentation: PUT /latest/api/token with a TTL of 1 to 21600
// seconds, refused through a proxy (X-Forwarded-For); GET with the token.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
func TestIMDSProtocol(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	required := newCPIMDS(t, f, clock.Now, false)
	optional := newCPIMDS(t, f, clock.Now, true)
	other := newCPIMDS(t, f, clock.Now, false)
	tok := cpIMDSToken(t, required, "21600")
	foreign := cpIMDSToken(t, other, "21600")
	ttl := func(v ...string) map[string][]string {
		return map[string][]string{"X-aws-ec2-metadata-token-ttl-seconds": v}
	}
	with := func(tok string) map[string][]string { return map[string][]string{"X-aws-ec2-metadata-token": {tok}} }

	for _, tc := range []struct {
		name     string
		h        http.Handler
		req      cpRequest
		want     int
		wantBody string
	}{
		{"token: TTL 1", required, cpRequest{"PUT", "/latest/api/token", ttl("1")}, 200, ""},
		{"token: TTL 21600", required, cpRequest{"PUT", "/latest/api/token", ttl("21600")}, 200, ""},
		{"token: TTL 0", required, cpRequest{"PUT", "/latest/api/token", ttl("0")}, 400, ""},
		{"token: TTL 21601", required, cpRequest{"PUT", "/latest/api/token", ttl("21601")}, 400, ""},
		{"token: TTL negative", required, cpRequest{"PUT", "/latest/api/token", ttl("-60")}, 400, ""},
		{"token: TTL signed", required, cpRequest{"PUT", "/latest/api/token", ttl("+60")}, 400, ""},
		{"token: TTL not a number", required, cpRequest{"PUT", "/latest/api/token", ttl("sixty")}, 400, ""},
		{"token: TTL empty", required, cpRequest{"PUT", "/latest/api/token", ttl("")}, 400, ""},
		{"token: TTL twice", required, cpRequest{"PUT", "/latest/api/token", ttl("60", "60")}, 400, ""},
		{"token: no TTL", required, cpRequest{"PUT", "/latest/api/token", nil}, 400, ""},
		{"token: through a proxy", required, cpRequest{"PUT", "/latest/api/token", map[string][]string{
			"X-aws-ec2-metadata-token-ttl-seconds": {"60"}, "X-Forwarded-For": {"203.0.113.7"}}}, 403, ""},
		{"token: GET", required, cpRequest{"GET", "/latest/api/token", ttl("60")}, 405, ""},
		{"token: POST", required, cpRequest{"POST", "/latest/api/token", ttl("60")}, 405, ""},
		{"role list", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", with(tok)}, 200, cpIMDSRoleName},
		{"role list, no token", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", nil}, 401, ""},
		{"credentials, no token", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/" + cpIMDSRoleName, nil}, 401, ""},
		{"garbage token", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", with("AQAEAHkqjQ==")}, 401, ""},
		{"another handler's token", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", with(foreign)}, 401, ""},
		{"two tokens", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/",
			map[string][]string{"X-aws-ec2-metadata-token": {tok, tok}}}, 401, ""},
		{"instance ID", required, cpRequest{"GET", "/latest/meta-data/instance-id", with(tok)}, 200, "i-0123456789abcdef0"},
		{"unknown role", required, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/other-role", with(tok)}, 404, ""},
		{"unknown path", required, cpRequest{"GET", "/latest/meta-data/ami-id", with(tok)}, 404, ""},
		{"unknown path, no token", required, cpRequest{"GET", "/latest/user-data", nil}, 401, ""},
		{"POST metadata", required, cpRequest{"POST", "/latest/meta-data/iam/security-credentials/", with(tok)}, 405, ""},
		{"PUT metadata", required, cpRequest{"PUT", "/latest/meta-data/instance-id", with(tok)}, 405, ""},
		{"IMDSv1 allowed: no token", optional, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", nil}, 200, cpIMDSRoleName},
		{"IMDSv1 allowed: invalid token", optional, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", with(foreign)}, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := cpServe(tc.h, tc.req)
			if rec.Code != tc.want {
				t.Fatalf("%s %s: status %d (%s), want %d", tc.req.method, tc.req.path, rec.Code, rec.Body, tc.want)
			}
			if tc.wantBody != "" && rec.Body.String() != tc.wantBody {
				t.Errorf("body %q, want %q", rec.Body, tc.wantBody)
			}
			if tc.req.method == "PUT" && rec.Code == 200 {
				if got, want := rec.Header().Get("X-aws-ec2-metadata-token-ttl-seconds"), tc.req.header["X-aws-ec2-metadata-token-ttl-seconds"][0]; got != want {
					t.Errorf("TTL header %q, want %q echoed", got, want)
				}
			}
		})
	}
}

func TestIMDSCredentialsDocument(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	h := newCPIMDS(t, f, clock.Now, false)
	tok := cpIMDSToken(t, h, "60")
	rec := cpServe(h, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/" + cpIMDSRoleName, map[string][]string{"X-aws-ec2-metadata-token": {tok}}})
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var doc map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("%v in %s", err, rec.Body)
	}
	// Fields and layout as documented in instance-metadata-security-credentials.
	want := "{\n" +
		`  "Code" : "Success",` + "\n" +
		`  "LastUpdated" : "2026-11-27T12:00:00Z",` + "\n" +
		`  "Type" : "AWS-HMAC",` + "\n" +
		`  "AccessKeyId" : "` + doc["AccessKeyId"] + `",` + "\n" +
		`  "SecretAccessKey" : "` + doc["SecretAccessKey"] + `",` + "\n" +
		`  "Token" : "` + doc["Token"] + `",` + "\n" +
		`  "Expiration" : "2026-11-27T13:00:00Z"` + "\n" +
		"}"
	if diff := cmp.Diff(want, rec.Body.String()); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	c := aws.Credentials{AccessKeyID: doc["AccessKeyId"], SecretAccessKey: doc["SecretAccessKey"], SessionToken: doc["Token"]}
	if s := f.session(t, c); s.SessionName != "i-0123456789abcdef0" {
		t.Errorf("RoleSessionName %q, want the instance ID", s.SessionName)
	}
}

func TestIMDSTokenExpiry(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	h := newCPIMDS(t, f, clock.Now, false)
	tok := cpIMDSToken(t, h, "60")
	list := cpRequest{"GET", "/latest/meta-data/iam/security-credentials/", map[string][]string{"X-aws-ec2-metadata-token": {tok}}}
	clock.Advance(59*time.Second + 999*time.Millisecond)
	if rec := cpServe(h, list); rec.Code != 200 {
		t.Errorf("just before the TTL: status %d, want 200", rec.Code)
	}
	clock.Advance(time.Millisecond)
	if rec := cpServe(h, list); rec.Code != 401 {
		t.Errorf("at the TTL: status %d, want 401", rec.Code)
	}
}

// TestIMDSTokenTamper flips every bit of a token and expects each variant
// to be refused.
func TestIMDSTokenTamper(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	h := newCPIMDS(t, f, clock.Now, false)
	tok := cpIMDSToken(t, h, "21600")
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what, bad string) {
		t.Helper()
		rec := cpServe(h, cpRequest{"GET", "/latest/meta-data/instance-id", map[string][]string{"X-aws-ec2-metadata-token": {bad}}})
		if rec.Code != 401 {
			t.Fatalf("%s: status %d, want 401", what, rec.Code)
		}
	}
	for i := range raw {
		for bit := range 8 {
			b := bytes.Clone(raw)
			b[i] ^= 1 << bit
			check("flipped bit", base64.RawURLEncoding.EncodeToString(b))
		}
	}
	check("truncated", base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]))
	check("extended", base64.RawURLEncoding.EncodeToString(append(bytes.Clone(raw), 0)))
	check("padded", tok+"=")
	check("empty-ish", " ")
}

// TestIMDSTokenKeyPerHandler: every handler draws its own signing key
// from crypto/rand, so a token from one instance's IMDS is refused by
// another's built with identical options (IMDSv2 tokens are bound to the
// instance that issued them:
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html),
// and 1,000 tokens are all distinct.
func TestIMDSTokenKeyPerHandler(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	a, b := newCPIMDS(t, f, clock.Now, false), newCPIMDS(t, f, clock.Now, false)
	tok := cpIMDSToken(t, a, "60")
	if rec := cpServe(a, cpRequest{"GET", "/latest/meta-data/instance-id", map[string][]string{"X-aws-ec2-metadata-token": {tok}}}); rec.Code != 200 {
		t.Fatalf("own token: %d", rec.Code)
	}
	if rec := cpServe(b, cpRequest{"GET", "/latest/meta-data/instance-id", map[string][]string{"X-aws-ec2-metadata-token": {tok}}}); rec.Code != 401 {
		t.Errorf("another handler's token: %d, want 401", rec.Code)
	}
	seen := map[string]bool{}
	for range 1000 {
		seen[cpIMDSToken(t, a, "60")] = true
	}
	if len(seen) != 1000 {
		t.Errorf("%d distinct tokens of 1000", len(seen))
	}
}

// TestIMDSRefresh advances the clock through the credentials' lifetime:
// they are served unchanged until IMDSRefreshMargin before expiry, then
// replaced once for all concurrent requests.
func TestIMDSRefresh(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	h := newCPIMDS(t, f, clock.Now, true)
	get := func() map[string]string {
		t.Helper()
		rec := cpServe(h, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/" + cpIMDSRoleName, nil})
		var doc map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc["Code"] != "Success" {
			t.Fatalf("status %d, %v: %s", rec.Code, err, rec.Body)
		}
		return doc
	}
	first := get()
	exp, err := time.Parse(time.RFC3339, first["Expiration"])
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(exp.Sub(clock.Now()) - IMDSRefreshMargin - time.Second)
	if got := get(); got["AccessKeyId"] != first["AccessKeyId"] {
		t.Fatalf("refreshed %v before expiry, want %v", exp.Sub(clock.Now()), IMDSRefreshMargin)
	}
	clock.Advance(time.Second)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]string{}
	)
	for range 50 {
		wg.Go(func() {
			doc := get()
			mu.Lock()
			seen[doc["AccessKeyId"]] = doc["LastUpdated"]
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != 1 {
		t.Fatalf("concurrent requests at refresh time saw %d access keys, want 1", len(seen))
	}
	for key, updated := range seen {
		if key == first["AccessKeyId"] {
			t.Errorf("credentials not refreshed %v before expiry", IMDSRefreshMargin)
		}
		if want := clock.Now().Format(imdsTimeFormat); updated != want {
			t.Errorf("LastUpdated %s, want %s", updated, want)
		}
	}
	// The old credentials were still valid when replaced.
	f.session(t, aws.Credentials{AccessKeyID: first["AccessKeyId"], SecretAccessKey: first["SecretAccessKey"], SessionToken: first["Token"]})
}

func TestNewIMDSHandlerErrors(t *testing.T) {
	f := newCPFixture(t, time.Now)
	for _, tc := range []struct {
		name string
		opt  IMDSOptions
	}{
		{"no issuer", IMDSOptions{RoleARN: cpInstanceRoleARN}},
		{"no role", IMDSOptions{Issuer: f.issuer}},
		{"user ARN", IMDSOptions{Issuer: f.issuer, RoleARN: cpAliceARN}},
		{"not an ARN", IMDSOptions{Issuer: f.issuer, RoleARN: "instance-role"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewIMDSHandler(tc.opt); err == nil {
				t.Error("no error")
			}
		})
	}
}

// TestIMDSRoleDelivery: credentials read with an IMDSv2 token carry
// ec2:RoleDelivery "2.0", those read by IMDSv1 "1.0", with
// ec2:SourceInstanceARN, in every request of the session
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html,
// reference_policies_condition-keys.html#condition-keys-ec2instancesourcevpc).
func TestIMDSRoleDelivery(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	h, err := NewIMDSHandler(IMDSOptions{Issuer: f.issuer, RoleARN: cpInstanceRoleARN, Now: clock.Now, AllowIMDSv1: true,
		InstanceID: "i-0abcdef1234567890", Region: "eu-west-1", VPCID: "vpc-0123456789abcdef0", PrivateIPv4: "10.0.1.5"})
	if err != nil {
		t.Fatal(err)
	}
	keysOf := func(hdr map[string][]string) map[string]string {
		t.Helper()
		rec := cpServe(h, cpRequest{"GET", "/latest/meta-data/iam/security-credentials/" + cpIMDSRoleName, hdr})
		if rec.Code != 200 {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		var doc map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		s := f.session(t, aws.Credentials{AccessKeyID: doc["AccessKeyId"], SecretAccessKey: doc["SecretAccessKey"], SessionToken: doc["Token"]})
		out := map[string]string{}
		for _, k := range s.ProviderKeys {
			out[k.Key] = strings.Join(k.Values, ",")
		}
		return out
	}
	v2 := keysOf(map[string][]string{"X-aws-ec2-metadata-token": {cpIMDSToken(t, h, "60")}})
	v1 := keysOf(nil)
	if v2["ec2:RoleDelivery"] != "2.0" || v1["ec2:RoleDelivery"] != "1.0" {
		t.Errorf("RoleDelivery v2 %q, v1 %q", v2["ec2:RoleDelivery"], v1["ec2:RoleDelivery"])
	}
	if v2["ec2:SourceInstanceARN"] != "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abcdef1234567890" ||
		v2["aws:Ec2InstanceSourceVpc"] != "vpc-0123456789abcdef0" || v2["aws:Ec2InstanceSourcePrivateIPv4"] != "10.0.1.5" {
		t.Errorf("EC2 keys %v", v2)
	}
	if _, err := NewIMDSHandler(IMDSOptions{Issuer: f.issuer, RoleARN: cpInstanceRoleARN, InstanceID: "not-an-instance"}); err == nil {
		t.Error("an instance ID that is not one was accepted")
	}
}
