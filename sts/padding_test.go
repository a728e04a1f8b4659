package sts

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSealPadded checks MinimumSessionTokenSize: "STS increases the session
// token to at least this size, regardless of its actual content. The value
// must not exceed 4,096 bytes. When set to 0 or not specified, the session
// token size is unchanged."
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
// The padded token opens to the same session and stays tamper-proof.
func TestSealPadded(t *testing.T) {
	r := testRing(t)
	s := typicalSession()
	plain, _, err := r.Seal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, min := range []int{0, 1, len(plain), len(plain) + 1, 1000, 2048, 4096} {
		token, secret, err := r.SealPadded(s, min)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < min {
			t.Errorf("min %d: token of %d bytes", min, len(token))
		}
		if min <= len(plain) && len(token) != len(plain) {
			t.Errorf("min %d: token padded to %d bytes though it was already %d", min, len(token), len(plain))
		}
		if min > len(plain) && len(token) > min+8 {
			t.Errorf("min %d: token of %d bytes, more than the padding needs", min, len(token))
		}
		got, gotSecret, err := r.Open(s.AccessKeyID, token)
		if err != nil {
			t.Fatalf("min %d: Open: %v", min, err)
		}
		if !gotSecret.Equal(secret) {
			t.Errorf("min %d: secrets differ", min)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("min %d: session changed (-want +got):\n%s", min, diff)
		}
	}
	// Every byte of a padded token is authenticated, padding included.
	token, _, err := r.SealPadded(s, 1200)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] ^= 0x01
		if _, _, err := r.Open(s.AccessKeyID, base64.StdEncoding.EncodeToString(raw)); !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("flipping byte %d of a padded token: %v", i, err)
		}
		raw[i] ^= 0x01
	}
}

// TestDecodeClaimsPadding rejects malformed padding.
func TestDecodeClaimsPadding(t *testing.T) {
	claims, err := appendClaims(nil, typicalSession())
	if err != nil {
		t.Fatal(err)
	}
	padded := appendPadding(append([]byte(nil), claims...), 10000, func(n int) int { return n })
	var s Session
	if err := decodeClaims(padded, &s); err != nil {
		t.Fatalf("well-formed padding: %v", err)
	}
	bad := append([]byte(nil), padded...)
	bad[len(bad)-1] = 1 // padding must be zeros
	if err := decodeClaims(bad, &s); err == nil {
		t.Errorf("non-zero padding accepted")
	}
	if err := decodeClaims(padded[:len(padded)-1], &s); err == nil {
		t.Errorf("truncated padding accepted")
	}
}
