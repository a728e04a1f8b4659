package sts

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iamkit/iamkit/policy"
)

// zeroReader is the worst deterministic Rand: every read gives zeros.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestNoncesAndSecretsIgnoreRand: with a Rand that repeats, an Issuer still
// never repeats a token nonce or a secret access key. XChaCha20-Poly1305
// loses confidentiality and integrity when a nonce repeats under one key
// (RFC 8439 §4 and draft-irtf-cfrg-xchacha §2); nonces and secrets come
// from crypto/rand, Rand is for identifiers only.
func TestNoncesAndSecretsIgnoreRand(t *testing.T) {
	f := newIssFixture(t)
	is, err := NewIssuer(Options{Directory: f.dir, Keys: f.is.keys, Now: f.clock.Now, Rand: zeroReader{}})
	if err != nil {
		t.Fatal(err)
	}
	alice := f.user(issAcct, "alice", nil)
	secrets, nonces := map[string]bool{}, map[string]bool{}
	for range 20 {
		out, err := is.GetSessionToken(f.ctx, alice, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := out.Credentials
		raw, err := base64.RawStdEncoding.DecodeString(c.SessionToken)
		if err != nil || len(raw) < 29 {
			t.Fatalf("token: %v", err)
		}
		secrets[c.SecretAccessKey.Reveal()] = true
		nonces[string(raw[5:29])] = true
	}
	if len(secrets) != 20 || len(nonces) != 20 {
		t.Errorf("20 sessions with a zero Rand: %d distinct secrets, %d distinct nonces; want 20 and 20", len(secrets), len(nonces))
	}
	// Authorization messages, sealed with their own nonces, too.
	msgs := map[string]bool{}
	for range 20 {
		m, err := is.keys.SealMessage([]byte("decoded message"))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.RawStdEncoding.DecodeString(m)
		msgs[string(raw[5:29])] = true
	}
	if len(msgs) != 20 {
		t.Errorf("20 messages: %d distinct nonces", len(msgs))
	}
}

// TestResolveBoundsSealedLifetime: a token whose sealed lifetime exceeds the
// longest STS issues (129,600 s: GetSessionToken's and
// GetFederationToken's DurationSeconds maximum, API_GetSessionToken.html),
// or whose IssuedAt lies in the future beyond the allowed skew, is invalid
// even though it opens: InvalidClientTokenId, as for any bad token
// (CommonErrors.html).
func TestResolveBoundsSealedLifetime(t *testing.T) {
	t.Logf("AWS: %s", docGetSessionToken)
	f := newIssFixture(t)
	now := f.clock.Now()
	seal := func(issued, expires time.Time) string {
		s := &Session{Kind: SessionToken, AccessKeyID: "ASIAY34FZKBOKMUTVV7A", Account: issAcct,
			ARN: issUserARN(issAcct, "alice"), SourceARN: issUserARN(issAcct, "alice"), UserID: issUserID(issAcct, "alice"),
			IssuedAt: issued, ExpiresAt: expires}
		token, _, err := f.is.keys.Seal(s)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	tests := []struct {
		name             string
		issued, expires  time.Time
		wantInvalidToken bool
	}{
		{"36 h, the longest STS issues", now, now.Add(MaxSessionLifetime), false},
		{"issued 15 min ahead (clock skew)", now.Add(MaxIssueSkew), now.Add(time.Hour), false},
		{"36 h and 1 s", now, now.Add(MaxSessionLifetime + time.Second), true},
		{"issued in year 9000, expires 9999", time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"issued long ago, expires 9999", now.Add(-time.Hour), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"issued 16 min ahead", now.Add(MaxIssueSkew + time.Minute), now.Add(time.Hour), true},
		{"expires before issued", now, now.Add(-time.Second), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.is.Resolve(f.ctx, "ASIAY34FZKBOKMUTVV7A", seal(tt.issued, tt.expires))
			switch {
			case tt.wantInvalidToken:
				wantAPIError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
				if !errors.Is(err, ErrInvalidToken) {
					t.Errorf("err = %v, want it to wrap ErrInvalidToken", err)
				}
			case err != nil && !(tt.expires.Before(now) || tt.expires.Equal(now)):
				t.Fatalf("Resolve: %v", err)
			}
		})
	}
}

// TestNilCaller: every operation called without a caller session answers
// as AWS answers an unsigned request, MissingAuthenticationToken "Request
// is missing Authentication Token" (CommonErrors.html), never a panic.
func TestNilCaller(t *testing.T) {
	t.Logf("AWS: %s", docCommonErrors)
	f := newIssFixture(t)
	role := f.role(issAcct, "r", []string{issTrust(issRootARN(issAcct), issAssume, "")}, nil)
	ctx := context.Background()
	calls := map[string]func() error{
		"AssumeRole": func() error {
			_, err := f.is.AssumeRole(ctx, nil, &AssumeRoleInput{RoleArn: role, RoleSessionName: "sess"})
			return err
		},
		"AssumeRole nil input": func() error { _, err := f.is.AssumeRole(ctx, nil, nil); return err },
		"GetCallerIdentity":    func() error { _, err := f.is.GetCallerIdentity(ctx, nil); return err },
		"GetSessionToken":      func() error { _, err := f.is.GetSessionToken(ctx, nil, &GetSessionTokenInput{}); return err },
		"GetFederationToken": func() error {
			_, err := f.is.GetFederationToken(ctx, nil, &GetFederationTokenInput{Name: "bob"})
			return err
		},
		"GetAccessKeyInfo": func() error {
			_, err := f.is.GetAccessKeyInfo(ctx, nil, &GetAccessKeyInfoInput{AccessKeyId: "AKIAIOSFODNN7EXAMPLE"})
			return err
		},
		"DecodeAuthorizationMessage": func() error {
			_, err := f.is.DecodeAuthorizationMessage(ctx, nil, &DecodeAuthorizationMessageInput{EncodedMessage: "x"})
			return err
		},
		"Authorize": func() error {
			_, err := f.is.Authorize(ctx, nil, AuthorizeInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			wantAPIError(t, call(), "MissingAuthenticationToken", "Request is missing Authentication Token")
		})
	}
}

// TestExpirationWholeSeconds: STS states Expiration in whole seconds, UTC
// (the ISO 8601 timestamp of API_Credentials.html, e.g.
// 2019-11-09T13:34:41Z); the library's Credentials.Expiration equals the
// sealed ExpiresAt, without nanoseconds or a monotonic reading, even when
// the clock has both.
func TestExpirationWholeSeconds(t *testing.T) {
	t.Logf("AWS: https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html")
	f := newIssFixture(t)
	f.clock.Advance(123456789 * time.Nanosecond)
	alice := f.user(issAcct, "alice", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"sts:GetFederationToken"}, "*", ""))}
	})
	role := f.role(issAcct, "r", []string{issTrust(alice.ARN, issAssume, "")}, nil)
	mono := time.Now() // a reading with a monotonic clock
	is, err := NewIssuer(Options{Directory: f.dir, Keys: f.is.keys, Rand: issRand(9),
		Now: func() time.Time { return mono.Add(f.clock.Now().Sub(mono.Round(0))) }})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, c Credentials) {
		t.Helper()
		e := c.Expiration
		if e.Nanosecond() != 0 || e.Location() != time.UTC || e != e.Round(0) {
			t.Errorf("%s: Expiration %v (%v) has a fraction, another zone or a monotonic reading", what, e, e.Location())
		}
		s, err := is.Authenticate(f.ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
		if err != nil {
			t.Fatal(err)
		}
		if !s.ExpiresAt.Equal(e) || s.IssuedAt.Nanosecond() != 0 {
			t.Errorf("%s: sealed ExpiresAt %v, IssuedAt %v; Expiration %v", what, s.ExpiresAt, s.IssuedAt, e)
		}
	}
	ar, err := is.AssumeRole(f.ctx, alice, &AssumeRoleInput{RoleArn: role, RoleSessionName: "sess"})
	if err != nil {
		t.Fatal(err)
	}
	check("AssumeRole", ar.Credentials)
	st, err := is.GetSessionToken(f.ctx, alice, nil)
	if err != nil {
		t.Fatal(err)
	}
	check("GetSessionToken", st.Credentials)
	ft, err := is.GetFederationToken(f.ctx, alice, &GetFederationTokenInput{Name: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	check("GetFederationToken", ft.Credentials)
}

// TestMFALockoutSharedAcrossIssuers: two Issuers over one MFAStore (two
// `serve` processes over one durable store) share the throttling state:
// five wrong codes on one lock the device on the other, with the same
// AccessDenied as a wrong code (RFC 4226 §7.3), and a code used on one is
// refused on the other.
func TestMFALockoutSharedAcrossIssuers(t *testing.T) {
	t.Logf("RFC: %s; AWS: %s", docRFC4226Throttling, docMFARequireAPI)
	f := newIssFixture(t)
	const seed = "mia-totp-seed-abcdef"
	serial := issMFASerial(issAcct, "mia")
	mia := f.user(issAcct, "Mia", func(u *User) { u.MFADevices = []MFADevice{{SerialNumber: serial, Seed: NewSecret(seed)}} })
	store := NewMemoryMFAStore()
	newIs := func(seed uint64) *Issuer {
		is, err := NewIssuer(Options{Directory: f.dir, Keys: f.is.keys, Now: f.clock.Now, Rand: issRand(seed), MFAStore: store})
		if err != nil {
			t.Fatal(err)
		}
		return is
	}
	a, b := newIs(11), newIs(12)
	gst := func(is *Issuer, code string) error {
		_, err := is.GetSessionToken(f.ctx, mia, &GetSessionTokenInput{SerialNumber: issStr(serial), TokenCode: issStr(code)})
		return err
	}
	code := f.code(seed)
	if err := gst(a, code); err != nil {
		t.Fatalf("right code on a: %v", err)
	}
	errReplay := gst(b, code)
	wantAPIError(t, errReplay, "AccessDenied", "")
	f.code(seed)
	var errWrong error
	for range 5 {
		errWrong = gst(a, wrongTOTP([]byte(seed), f.clock.Now()))
		wantAPIError(t, errWrong, "AccessDenied", "")
	}
	errLocked := gst(b, GenerateTOTP([]byte(seed), f.clock.Now()))
	wantAPIError(t, errLocked, "AccessDenied", "")
	if fmt.Sprint(errLocked) != fmt.Sprint(errWrong) {
		t.Errorf("a locked device answers %q, a wrong code %q: they must not differ", errLocked, errWrong)
	}
	f.clock.Advance(MFALockoutAfter(5))
	if err := gst(b, f.code(seed)); err != nil {
		t.Fatalf("right code on b after the lockout: %v", err)
	}
}

// TestValidationEchoIsCapped: a ValidationError repeats the value it
// refuses (API_AssumeRole.html's "1 validation error detected: Value '...'
// at 'policy' ..."), but never more than maxEcho runes of it: a 900 KB
// Policy must not come back as a 900 KB error.
func TestValidationEchoIsCapped(t *testing.T) {
	t.Logf("AWS: %s", docAssumeRole)
	f := newIssFixture(t)
	alice := f.user(issAcct, "alice", nil)
	big := strings.Repeat("é", 450_000)
	_, err := f.is.AssumeRole(f.ctx, alice, &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "r"), RoleSessionName: "sess", Policy: &big})
	wantAPIError(t, err, "ValidationError", "")
	msg := err.Error()
	if len(msg) > 2*maxEcho+200 {
		t.Errorf("error is %d bytes, want at most about 24 KB", len(msg))
	}
	if want := "Value '" + strings.Repeat("é", maxEcho) + "...' at 'policy'"; !strings.Contains(msg, want) {
		t.Errorf("error %.300q does not hold the first %d runes and ...", msg, maxEcho)
	}
	short := "not-an-arn"
	_, err = f.is.AssumeRole(f.ctx, alice, &AssumeRoleInput{RoleArn: short, RoleSessionName: "sess"})
	if !strings.Contains(fmt.Sprint(err), "Value 'not-an-arn' at 'roleArn'") {
		t.Errorf("short value not echoed whole: %v", err)
	}
}
