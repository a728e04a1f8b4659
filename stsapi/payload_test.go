package stsapi_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamkit/iamkit/stsapi"
)

// TestUnsignedPayloadReplay: a header set signed with X-Amz-Content-Sha256:
// UNSIGNED-PAYLOAD does not cover the body, so whoever captured a signed
// GetCallerIdentity could send it with a GetSessionToken body and be
// issued credentials. UNSIGNED-PAYLOAD is Amazon S3's alone
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html);
// STS hashes the Query protocol body itself
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html,
// HashedPayload), so the call fails SignatureDoesNotMatch, 403
// (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
func TestUnsignedPayloadReplay(t *testing.T) {
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: world(t)})
	if err != nil {
		t.Fatal(err)
	}
	signed := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	signed.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	signed.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, signed, "UNSIGNED-PAYLOAD", "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	// The replayed body has the signed one's length: the SDK signs
	// Content-Length.
	for _, body := range []string{"Action=GetCallerIdentity&Version=2011-06-15", "Action=GetSessionToken&Version=2011-06-15&x"} {
		replay := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader(body))
		replay.Header = signed.Header.Clone()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, replay)
		got, _ := io.ReadAll(rec.Body)
		if rec.Code != http.StatusForbidden || !strings.Contains(string(got), "<Code>SignatureDoesNotMatch</Code>") ||
			!strings.Contains(html.UnescapeString(string(got)), "UNSIGNED-PAYLOAD is accepted only for Amazon S3") {
			t.Errorf("UNSIGNED-PAYLOAD headers with body %q = %d %.300s; want 403 SignatureDoesNotMatch", body, rec.Code, got)
		}
	}
}
