package credentials

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/iamkit/iamkit/sts"
)

// FuzzParseAuthorization: the Authorization header parser never panics,
// fails only with IncompleteSignature, and on success returns the three
// parts, whose credential then parses or fails cleanly too.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=7fd805d7c3710edc83decd36ead7b28b89dc23fe026f7ae69112bb30b5812091",
		"AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00",
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=;, Signature=",
		"AWS4-HMAC-SHA256 ,,,=,Credential==",
		"AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
		"", " ", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 \xff\xfe=\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseAuthorization(h)
		if err != nil {
			if !errors.Is(err, sts.ErrIncompleteSignature) {
				t.Fatalf("parseAuthorization(%q) failed with %v", h, err)
			}
			return
		}
		if a.credential == "" || a.signedHeaders == "" || a.signature == "" {
			t.Fatalf("parseAuthorization(%q) = %+v with an empty part", h, a)
		}
		var sr sigRequest
		if err := parseCredential(a.credential, &sr, false); err == nil {
			if sr.scope != sr.date+"/"+sr.region+"/"+sr.service+"/aws4_request" || sr.accessKeyID+"/"+sr.scope != a.credential {
				t.Fatalf("credential %q split into %+v", a.credential, sr)
			}
		} else if !errors.Is(err, sts.ErrIncompleteSignature) {
			t.Fatalf("parseCredential(%q) failed with %v", a.credential, err)
		}
	})
}

// FuzzVerify: whatever the method, target, headers and body, Verify
// never panics and fails only with an *sts.Error. The seeds are a real
// header-signed request and a real presigned URL, so mutations explore
// near-valid input.
func FuzzVerify(f *testing.F) {
	fx := newSigvFixture(f, VerifierOptions{})
	c := sigvCase{method: "GET", target: "/?Action=GetCallerIdentity&Version=2011-06-15", service: "sts", region: "us-east-1",
		header: http.Header{"X-Amz-Meta-A": {"note"}}}
	signed := c.request(f, "https://sts.amazonaws.com")
	sigvSign(f, c, signed, fx.session, sigvNow)
	f.Add("GET", signed.URL.RequestURI(), signed.Header.Get("Authorization"), signed.Header.Get("X-Amz-Date"),
		signed.Header.Get("X-Amz-Security-Token"), "", "note", "")
	pre := sigvPresignedSTS(f, fx.long, sigvNow, 300)
	f.Add("GET", pre.URL.RequestURI(), "", "", "", "", "", "")
	s3 := sigvPresignedS3(f, fx.long, sigvNow, 300)
	f.Add("GET", s3.URL.RequestURI(), "", "", "", "UNSIGNED-PAYLOAD", "", "")
	f.Add("GET", "/a//b/../%2F?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%2F%2F%2F%2F&X-Amz-Expires=-0", "", "", "", "", "", "")
	f.Add("PUT", "/x?%zz=%&&=", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-meta-a, Signature=0000000000000000000000000000000000000000000000000000000000000000",
		"20260101T120000Z", "", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "", "data")
	build := func(method, target, auth, date, token, contentSHA, extraSigned, body string) *http.Request {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			u = &url.URL{Path: target}
		}
		r := &http.Request{Method: method, URL: u, Host: "sts.amazonaws.com", Header: http.Header{},
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
		set := func(k, v string) {
			if v != "" {
				r.Header[k] = strings.Split(v, "\n")
			}
		}
		set("Authorization", auth)
		set("X-Amz-Date", date)
		set("X-Amz-Security-Token", token)
		set("X-Amz-Content-Sha256", contentSHA)
		set("X-Amz-Meta-A", extraSigned)
		return r
	}
	// The first seed is a valid request, so the fuzzer starts from success.
	if _, err := fx.v.Verify(build("GET", signed.URL.RequestURI(), signed.Header.Get("Authorization"), signed.Header.Get("X-Amz-Date"),
		signed.Header.Get("X-Amz-Security-Token"), "", "note", "")); err != nil {
		f.Fatalf("seed request: %v", err)
	}
	f.Fuzz(func(t *testing.T, method, target, auth, date, token, contentSHA, extraSigned, body string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		r := build(method, target, auth, date, token, contentSHA, extraSigned, body).WithContext(ctx)
		ver, err := fx.v.Verify(r)
		if err != nil {
			var e *sts.Error
			if !errors.As(err, &e) && !strings.HasPrefix(err.Error(), "credentials: reading request body") {
				t.Fatalf("Verify failed with %T %v", err, err)
			}
			return
		}
		if ver.Session == nil || ver.AccessKeyID == "" {
			t.Fatalf("Verify succeeded with %+v", ver)
		}
	})
}
