package stsapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/stsapi"
)

// signedPostIn is signedPost with the credential scope's service and
// region chosen by the caller, against any handler.
func signedPostIn(t *testing.T, h http.Handler, service, region, form string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, html.UnescapeString(string(body))
}

// TestSignatureRegion: a request whose SigV4 credential scope names
// another region than the endpoint's is refused with 403
// SignatureDoesNotMatch, "Credential should be scoped to a valid region,
// not '...'. " (IAM User Guide, "Troubleshoot Signature Version 4 signing",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html,
// Credential scope errors: Region; the wire text is STS's own).
func TestSignatureRegion(t *testing.T) {
	is := world(t) // serves us-east-1, the default
	def, err := stsapi.NewHandler(stsapi.Options{Issuer: is})
	if err != nil {
		t.Fatal(err)
	}
	eu, err := stsapi.NewHandler(stsapi.Options{Issuer: is, Region: "eu-west-3"})
	if err != nil {
		t.Fatal(err)
	}
	const gci = "Action=GetCallerIdentity&Version=2011-06-15"
	tests := []struct {
		name    string
		h       http.Handler
		region  string
		status  int
		message string
	}{
		{"issuer's region", def, "us-east-1", 200, ""},
		{"other region", def, "mars-north-9", 403, "Credential should be scoped to a valid region, not 'mars-north-9'. "},
		{"Options.Region", eu, "eu-west-3", 200, ""},
		{"not Options.Region", eu, "us-east-1", 403, "Credential should be scoped to a valid region, not 'us-east-1'. "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := signedPostIn(t, tc.h, "sts", tc.region, gci)
			if status != tc.status {
				t.Fatalf("signed for %s: status %d, want %d: %s", tc.region, status, tc.status, body)
			}
			if tc.status != 200 && (!strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") || !strings.Contains(body, "<Message>"+tc.message+"</Message>")) {
				t.Errorf("signed for %s: %s\nwant SignatureDoesNotMatch %q", tc.region, body, tc.message)
			}
		})
	}

	// The AWS SDK configured for another region (aws sts get-caller-identity
	// --region mars-north-9) gets the same answer.
	srv := httptest.NewServer(def)
	t.Cleanup(srv.Close)
	c := client(srv, aliceKey, aliceSecret, "")
	_, err = c.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{}, func(o *awssts.Options) { o.Region = "mars-north-9" })
	if code, _ := apiCode(t, err); code != "SignatureDoesNotMatch" {
		t.Errorf("SDK in mars-north-9 = %s, want SignatureDoesNotMatch", code)
	}
}
