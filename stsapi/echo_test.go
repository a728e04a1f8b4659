package stsapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamkit/iamkit/stsapi"
)

// TestHugeValuesNotEchoed: errors quote what the client sent, as AWS's do
// ("Value '...' at 'durationSeconds' failed to satisfy constraint",
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html,
// ValidationError), but only its first 128 bytes and never a control
// character: a 900 KB parameter gets an answer under 4 KB.
func TestHugeValuesNotEchoed(t *testing.T) {
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: world(t)})
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("9\x01", 450<<10) // 900 KiB, with control bytes
	tests := []struct {
		name  string
		query url.Values
		ct    string
		code  string
	}{
		{"DurationSeconds", url.Values{"Action": {"GetSessionToken"}, "Version": {"2011-06-15"}, "DurationSeconds": {huge}}, "", "ValidationError"},
		{"MinimumSessionTokenSize", url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {roleARN}, "RoleSessionName": {"s"}, "MinimumSessionTokenSize": {huge}}, "", "ValidationError"},
		{"Action", url.Values{"Action": {huge}, "Version": {"2011-06-15"}}, "", "InvalidAction"},
		{"Version", url.Values{"Action": {"GetCallerIdentity"}, "Version": {huge}}, "", "InvalidAction"},
		{"Content-Type", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}, "text/" + huge, "MalformedQueryString"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const body = "x=1"
			req := httptest.NewRequest(http.MethodPost, "http://sts.local/?"+tc.query.Encode(), strings.NewReader(body))
			if tc.ct != "" {
				req.Header.Set("Content-Type", tc.ct)
			}
			sum := sha256.Sum256([]byte(body))
			creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
			if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := rec.Body.String()
			if !strings.Contains(got, "<Code>"+tc.code+"</Code>") || len(got) >= 4<<10 || strings.Contains(got, "&#x1;") || strings.Contains(got, "\x01") {
				t.Errorf("status %d, %d bytes: %.600s; want %s under 4 KB without control characters", rec.Code, len(got), got, tc.code)
			}
		})
	}
}
