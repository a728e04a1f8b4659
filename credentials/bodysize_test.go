package credentials

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBodyLimitFromServer: when the server limits the body with
// http.MaxBytesReader and the body (of unknown length, as chunked bodies
// are) runs over it while the verifier hashes it, Verify answers
// ErrRequestEntityTooLarge (413, RFC 9110 section 15.5.14), not a read
// error that a handler would turn into a 500.
func TestBodyLimitFromServer(t *testing.T) {
	for _, tc := range []struct {
		name          string
		maxBody, wrap int64
	}{{"MaxBytesReader", 0, 1 << 10}, {"MaxBodySize", 1 << 10, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSigvFixture(t, VerifierOptions{MaxBodySize: tc.maxBody})
			c := sigvCases[0]
			c.body = sigvForm + "&Padding=" + strings.Repeat("x", 4<<10)
			req := c.request(t, "https://sts.amazonaws.com")
			sigvSign(t, c, req, f.long, sigvNow)
			req.ContentLength = -1 // chunked
			req.Body = io.NopCloser(io.MultiReader(strings.NewReader(c.body)))
			if tc.wrap > 0 {
				req.Body = http.MaxBytesReader(nil, req.Body, tc.wrap)
			}
			_, err := f.v.Verify(req)
			if !errors.Is(err, ErrRequestEntityTooLarge) {
				t.Fatalf("Verify = %v, want ErrRequestEntityTooLarge", err)
			}
		})
	}
}

// TestPrintable: echoed client input is capped at 128 bytes plus "..."
// and carries no control characters or invalid UTF-8 (AWS quotes values
// in its errors, e.g. "Value '...' at ...",
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
func TestPrintable(t *testing.T) {
	if got := Printable(strings.Repeat("a", 900<<10)); got != strings.Repeat("a", 128)+"..." {
		t.Errorf("Printable(900 KiB) = %d bytes", len(got))
	}
	if got := Printable("a\x00b\nc\x7f\xffd"); got != "a?b?c??d" {
		t.Errorf("Printable = %q", got)
	}
	// A huge X-Amz-Date is quoted capped.
	f := newSigvFixture(t, VerifierOptions{})
	req := sigvSignedSTS(t, f.long, sigvNow)
	req.Header.Set("X-Amz-Date", strings.Repeat("2", 900<<10))
	if _, err := f.v.Verify(req); err == nil || len(err.Error()) > 1<<10 {
		t.Errorf("Verify with a huge X-Amz-Date: %.300v", err)
	}
}
