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

// TestBodyHashMismatch: a request signed with X-Amz-Content-Sha256 of one
// body and sent with another is a signature mismatch, 403
// SignatureDoesNotMatch (STS hashes the body itself:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html,
// HashedPayload; the code: https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html),
// not a MalformedQueryString.
func TestBodyHashMismatch(t *testing.T) {
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: world(t)})
	if err != nil {
		t.Fatal(err)
	}
	const signedBody = "Action=GetCallerIdentity&Version=2011-06-15"
	req := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader(signedBody))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(signedBody))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	// Same length (the SDK signs Content-Length), other parameters.
	other := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader("Action=GetSessionToken&Version=2011-06-15&x"))
	other.Header = req.Header.Clone()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, other)
	body := rec.Body.String()
	if rec.Code != http.StatusForbidden || !strings.Contains(body, "<Code>SignatureDoesNotMatch</Code>") {
		t.Errorf("body not matching its signed hash = %d %s; want 403 SignatureDoesNotMatch", rec.Code, body)
	}
}
