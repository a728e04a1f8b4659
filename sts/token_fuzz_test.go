package sts

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// fuzzRing opens the tokens in testdata/fuzz/FuzzOpen, which were sealed
// with ring(Key{1, testMasterA}) and testRand(1) to testRand(4).
func fuzzRing(t testing.TB) *KeyRing {
	return testRing(t, Key{ID: 1, Secret: NewSecret(testMasterA)}, Key{ID: 2, Secret: NewSecret(testMasterB)})
}

// FuzzOpen checks that Open never panics and only ever fails with
// ErrInvalidToken, whatever the token and access key ID. The seeds are
// real tokens, so mutations explore near-valid input; the AEAD rejects all
// of them, but the parsing before it is exercised.
func FuzzOpen(f *testing.F) {
	r := fuzzRing(f)
	for _, s := range []*Session{typicalSession(), fullSession(AssumedRole), fullSession(Federated), fullSession(SessionToken)} {
		token, _ := mustSeal(f, r, s)
		f.Add(s.AccessKeyID, token)
	}
	f.Add("", "")
	f.Add("ASIAY34FZKBOKMUTVV7A", "AQAAAAE")
	f.Fuzz(func(t *testing.T, accessKeyID, token string) {
		s, secret, err := r.Open(accessKeyID, token)
		if err != nil {
			if !errors.Is(err, ErrInvalidToken) || err.Error() != ErrInvalidToken.Error() {
				t.Fatalf("Open failed with %v", err)
			}
			if s != nil || !secret.IsZero() {
				t.Fatal("Open failed but returned a session or secret")
			}
			return
		}
		// Only genuine tokens open: they re-seal to a session that opens
		// the same.
		if s.AccessKeyID != accessKeyID || len(secret.Reveal()) != 40 {
			t.Fatalf("opened session for %q with secret of %d characters", s.AccessKeyID, len(secret.Reveal()))
		}
		token2, _, err := r.Seal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, _, err := r.Open(accessKeyID, token2)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, s2); diff != "" {
			t.Fatalf("re-sealed session differs (-first +second):\n%s", diff)
		}
	})
}

// FuzzDecodeClaims checks that decoding claims never panics, and that
// decoding is strict: whatever decodes re-encodes to the same bytes.
func FuzzDecodeClaims(f *testing.F) {
	for _, s := range []*Session{typicalSession(), fullSession(LongTerm), fullSession(AssumedRole), fullSession(Federated), fullSession(SessionToken), {Kind: SessionToken}} {
		b, err := appendClaims(nil, s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{1, 2, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Session
		if err := decodeClaims(b, &s); err != nil {
			return
		}
		enc, err := appendClaims(nil, &s)
		if err != nil {
			t.Fatalf("decoded claims do not encode: %v", err)
		}
		if !bytes.Equal(enc, b) {
			t.Fatalf("decode then encode changed the claims:\n%x\n%x", b, enc)
		}
		var s2 Session
		if err := decodeClaims(enc, &s2); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, s2, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("(-first +second):\n%s", diff)
		}
	})
}
