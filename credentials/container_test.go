package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/sts"
)

const cpContainerToken = "Bearer 4f2a-task-token"

// TestContainerWithSDK serves a task role on loopback and lets
// aws-sdk-go-v2's endpointcreds provider (the one the SDK uses for
// AWS_CONTAINER_CREDENTIALS_FULL_URI) fetch it.
func TestContainerWithSDK(t *testing.T) {
	ctx := context.Background()
	// The SDK's retryer and cache read the wall clock: so do the issuer.
	f := newCPFixture(t, time.Now)
	task := aws.NewCredentialsCache(NewAssumeRoleProvider(f.issuer, f.alice, cpDeployRoleARN,
		func(o *AssumeRoleOptions) { o.RoleSessionName = "task-7d2c" }))
	h, err := NewContainerHandler(ContainerOptions{Provider: task, AuthorizationToken: cpContainerToken})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	p := endpointcreds.New(srv.URL+"/v2/credentials/7d2c", func(o *endpointcreds.Options) { o.AuthorizationToken = cpContainerToken })
	got, err := p.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := task.Retrieve(ctx) // the cached credentials the handler served
	if err != nil {
		t.Fatal(err)
	}
	want.Source = endpointcreds.ProviderName
	want.Expires = want.Expires.Truncate(time.Second) // RFC 3339 in whole seconds
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retrieve (-want +got):\n%s", diff)
	}
	if got.AccountID != cpAccount {
		t.Errorf("AccountID = %q, want %q", got.AccountID, cpAccount)
	}
	if s := f.session(t, got); s.ARN != "arn:aws:sts::111122223333:assumed-role/deploy/task-7d2c" {
		t.Errorf("session %s", s.ARN)
	}
}

// TestContainerWithSDKErrors checks the errors the SDK sees: the
// endpoint's JSON {"code","message"} becomes a smithy.APIError.
func TestContainerWithSDKErrors(t *testing.T) {
	ctx := context.Background()
	f := newCPFixture(t, time.Now)
	good, err := NewContainerHandler(ContainerOptions{Provider: f.alice, AuthorizationToken: cpContainerToken})
	if err != nil {
		t.Fatal(err)
	}
	denied, err := NewContainerHandler(ContainerOptions{Provider: NewAssumeRoleProvider(f.issuer, f.alice, cpPartnerRoleARN,
		func(o *AssumeRoleOptions) { o.ExternalID = aws.String("wrong-id") })})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		h          http.Handler
		token      string
		wantCode   string
		wantStatus int
	}{
		{"missing token", good, "", "Unauthorized", 401},
		{"wrong token", good, "Bearer guess", "AccessDenied", 403},
		{"provider error", denied, "", "AccessDenied", 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			p := endpointcreds.New(srv.URL, func(o *endpointcreds.Options) { o.AuthorizationToken = tc.token })
			_, err := p.Retrieve(ctx)
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != tc.wantCode {
				t.Fatalf("Retrieve: %v, want code %s", err, tc.wantCode)
			}
			var status interface{ HTTPStatusCode() int }
			if !errors.As(err, &status) || status.HTTPStatusCode() != tc.wantStatus {
				t.Errorf("Retrieve: %v, want HTTP %d", err, tc.wantStatus)
			}
		})
	}
}

func TestContainerProtocol(t *testing.T) {
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	static, err := NewContainerHandler(ContainerOptions{Provider: f.alice})
	if err != nil {
		t.Fatal(err)
	}
	role, err := NewContainerHandler(ContainerOptions{Provider: NewAssumeRoleProvider(f.issuer, f.alice, cpDeployRoleARN), AuthorizationToken: cpContainerToken})
	if err != nil {
		t.Fatal(err)
	}
	auth := map[string][]string{"Authorization": {cpContainerToken}}
	for _, tc := range []struct {
		name       string
		h          http.Handler
		req        cpRequest
		wantStatus int
		wantKeys   []string // JSON members of the response
	}{
		{"long-term keys: no Expiration", static, cpRequest{"GET", "/", nil}, 200,
			[]string{"AccessKeyId", "AccountId", "SecretAccessKey", "Token"}},
		{"role: every member", role, cpRequest{"GET", "/v2/credentials/abc", auth}, 200,
			[]string{"AccessKeyId", "AccountId", "Expiration", "SecretAccessKey", "Token"}},
		{"POST", role, cpRequest{"POST", "/", auth}, 405, []string{"code", "message"}},
		{"no Authorization", role, cpRequest{"GET", "/", nil}, 401, []string{"code", "message"}},
		{"two Authorization headers", role, cpRequest{"GET", "/", map[string][]string{"Authorization": {cpContainerToken, cpContainerToken}}}, 403, []string{"code", "message"}},
		{"token prefix only", role, cpRequest{"GET", "/", map[string][]string{"Authorization": {cpContainerToken[:5]}}}, 403, []string{"code", "message"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := cpServe(tc.h, tc.req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status %d (%s), want %d", rec.Code, rec.Body, tc.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want exactly application/json (endpointcreds needs it)", ct)
			}
			var doc map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
				t.Fatalf("%v: %s", err, rec.Body)
			}
			if diff := cmp.Diff(tc.wantKeys, slices.Sorted(maps.Keys(doc))); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if exp, ok := doc["Expiration"]; ok && exp != "2026-11-27T12:15:00Z" {
				t.Errorf("Expiration %q, want 2026-11-27T12:15:00Z", exp)
			}
		})
	}
}

func TestNewContainerHandlerErrors(t *testing.T) {
	if _, err := NewContainerHandler(ContainerOptions{}); err == nil {
		t.Error("no provider: no error")
	}
	if _, err := NewContainerHandler(ContainerOptions{Provider: NewStaticProvider(cpAliceKeyID, sts.NewSecret(cpAliceSecret), ""), AuthorizationToken: "a\r\nX-Injected: 1"}); err == nil {
		t.Error("token with CR LF: no error")
	}
}
