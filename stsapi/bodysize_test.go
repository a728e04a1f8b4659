package stsapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestChunkedBodyTooLarge: a correctly signed body of 300 KiB sent with
// Transfer-Encoding: chunked (no Content-Length to refuse it by) is
// answered 413 with a ValidationError, as the Content-Length case is, and
// never 500 InternalFailure. STS reports an input over a limit as
// ValidationError (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html);
// 413 Content Too Large is RFC 9110 section 15.5.14.
func TestChunkedBodyTooLarge(t *testing.T) {
	srv, _ := server(t)
	form := "Action=GetCallerIdentity&Version=2011-06-15&Padding=" + strings.Repeat("x", 300<<10)
	// An io.Reader of unknown length makes net/http send the body chunked.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", io.MultiReader(strings.NewReader(form)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if req.ContentLength > 0 {
		t.Fatalf("request has Content-Length %d; the test needs a chunked body", req.ContentLength)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "<Code>ValidationError</Code>") ||
		!strings.Contains(string(body), "Request body too large (at most 262144 bytes).") {
		t.Errorf("chunked 300 KiB body = %d %.300s; want 413 ValidationError", resp.StatusCode, body)
	}
}
