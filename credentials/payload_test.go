package credentials

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamkit/iamkit/sts"
)

// TestUnsignedPayload: UNSIGNED-PAYLOAD is Amazon S3's alone
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html,
// "x-amz-content-sha256 ... UNSIGNED-PAYLOAD" is documented for S3 only;
// every other service hashes the payload itself,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
// "HashedPayload"). Outside S3 it would leave the body, and with it the
// Query protocol's Action, unsigned. AWS answers SignatureDoesNotMatch
// (403) because its own hash of the body is not the signed one; we use
// that code too, with a message saying why. A presigned URL to another
// service may still sign UNSIGNED-PAYLOAD when it has no body, as some
// clients presign GetCallerIdentity.
func TestUnsignedPayload(t *testing.T) {
	const msgUnsigned = "x-amz-content-sha256 UNSIGNED-PAYLOAD is accepted only for Amazon S3; sign the SHA-256 digest of the request body."
	signedAt := sigvNow.Add(-time.Minute)
	header := func(t *testing.T, f *sigvFixture, service, method, target, body string) *http.Request {
		req, err := http.NewRequest(method, "https://"+service+".amazonaws.com"+target, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", sigvFormType)
		req.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
		err = v4.NewSigner().SignHTTP(context.Background(), f.long, req, unsignedPayload, service, "us-east-1", signedAt,
			func(o *v4.SignerOptions) { o.DisableURIPathEscaping = service == "s3" })
		if err != nil {
			t.Fatal(err)
		}
		return req
	}
	presign := func(t *testing.T, f *sigvFixture, method, body string, inQuery bool) *http.Request {
		target := "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=300"
		if inQuery {
			target += "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"
		}
		req, err := http.NewRequest(method, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := v4.NewSigner().PresignHTTP(context.Background(), f.long, req, unsignedPayload, "sts", "us-east-1", signedAt)
		if err != nil {
			t.Fatal(err)
		}
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		out, err := http.NewRequest(method, u, rd)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	tests := []struct {
		name    string
		req     func(*testing.T, *sigvFixture) *http.Request
		message string // "" means accepted
	}{
		{"header sts", func(t *testing.T, f *sigvFixture) *http.Request {
			return header(t, f, "sts", "POST", "/", sigvForm)
		}, msgUnsigned},
		{"header sts empty body", func(t *testing.T, f *sigvFixture) *http.Request {
			return header(t, f, "sts", "GET", "/?Action=GetCallerIdentity&Version=2011-06-15", "")
		}, msgUnsigned},
		{"header execute-api", func(t *testing.T, f *sigvFixture) *http.Request {
			return header(t, f, "execute-api", "PUT", "/upload", `{"a":1}`)
		}, msgUnsigned},
		{"header s3", func(t *testing.T, f *sigvFixture) *http.Request {
			return header(t, f, "s3", "PUT", "/bucket/key", "object data")
		}, ""},
		{"presigned sts no body", func(t *testing.T, f *sigvFixture) *http.Request {
			return presign(t, f, "GET", "", false)
		}, ""},
		{"presigned sts with body", func(t *testing.T, f *sigvFixture) *http.Request {
			return presign(t, f, "POST", "Action=GetSessionToken&Version=2011-06-15", false)
		}, msgSignatureDoesNotMatch},
		{"presigned sts X-Amz-Content-Sha256 query", func(t *testing.T, f *sigvFixture) *http.Request {
			return presign(t, f, "GET", "", true)
		}, msgUnsigned},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newSigvFixture(t, VerifierOptions{})
			_, err := f.v.Verify(tc.req(t, f))
			if tc.message == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			var e *sts.Error
			if !errors.As(err, &e) || !errors.Is(err, sts.ErrSignatureDoesNotMatch) || e.HTTPStatus != 403 || e.Message != tc.message {
				t.Fatalf("Verify = %v; want 403 SignatureDoesNotMatch %q", err, tc.message)
			}
		})
	}
}
