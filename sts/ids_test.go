package sts

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
)

// The scheme and its check vectors: Aidan Steele, "Using AWS access key IDs
// to find the account" (2020), the public analysis AWS-NOTES.md cites;
// AWS documents only that GetAccessKeyInfo returns the key's account
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html).
func TestAccountFromAccessKeyIDVectors(t *testing.T) {
	tests := []struct{ id, account string }{
		{"ASIAY34FZKBOKMUTVV7A", "609629065308"},
		{"AKIASP2TPHJSQH3FJXYZ", "171436882533"},
	}
	for _, tt := range tests {
		got, err := AccountFromAccessKeyID(tt.id)
		if err != nil || got != tt.account {
			t.Errorf("AccountFromAccessKeyID(%q) = %q, %v; want %q", tt.id, got, err, tt.account)
		}
	}
}

func TestAccountFromAccessKeyIDErrors(t *testing.T) {
	for _, id := range []string{
		"",
		"AKIA",
		"ASIAY34FZKBOKMUTVV7",   // 19
		"ASIAY34FZKBOKMUTVV7AA", // 21
		"AIDAY34FZKBOKMUTVV7A",  // not a key prefix
		"akiaY34FZKBOKMUTVV7A",  // prefix case
		"ASIAy34FZKBOKMUTVV7A",  // lower case
		"ASIAY34FZKBOKMUTVV1A",  // 1 is not base32
		"ASIAY34FZKBOKMUTVV8A",  // 8 is not base32
		"ASIAY34FZKBOKMUTVV=A",  // padding
		"ASIAY34FZKBOKMUTVV\nA", // newline, skipped by encoding/base32
		"ASIAY34FZKBOKMUTV\r\nA",
		"ASIA7777777777777777", // 2^40-1 > 12 digits
		"ASIAY34FZKBOKMUTVé",   // 20 bytes, 19 characters
	} {
		acct, err := AccountFromAccessKeyID(id)
		if !errors.Is(err, ErrInvalidAccessKeyID) {
			t.Errorf("AccountFromAccessKeyID(%q) = %q, %v; want ErrInvalidAccessKeyID", id, acct, err)
		}
	}
}

func TestNewAccessKeyIDRoundTrip(t *testing.T) {
	accounts := []string{"000000000001", "999999999999", "000000000000", "123456789012", "609629065308", "171436882533"}
	rng := mrand.New(mrand.NewPCG(1, 2))
	for range 200 {
		accounts = append(accounts, fmt.Sprintf("%012d", rng.Int64N(1_000_000_000_000)))
	}
	for _, prefix := range []string{"AKIA", "ASIA"} {
		for _, acct := range accounts {
			id, err := NewAccessKeyID(prefix, acct, rand.Reader)
			if err != nil {
				t.Fatalf("NewAccessKeyID(%s, %s): %v", prefix, acct, err)
			}
			checkKeyShape(t, id, prefix)
			got, err := AccountFromAccessKeyID(id)
			if err != nil || got != acct {
				t.Errorf("AccountFromAccessKeyID(%s) = %q, %v; want %s", id, got, err, acct)
			}
		}
	}
}

func checkKeyShape(t *testing.T, id, prefix string) {
	t.Helper()
	if len(id) != 20 || !strings.HasPrefix(id, prefix) {
		t.Fatalf("%q: want 20 characters starting %s", id, prefix)
	}
	for _, c := range id[4:] {
		if !strings.ContainsRune(b32Alphabet, c) {
			t.Fatalf("%q: %q is not in A-Z2-7", id, c)
		}
	}
	// Keys that carry an account have bit 47 set: fifth character Q-Z or 2-7.
	if !strings.ContainsRune("QRSTUVWXYZ234567", rune(id[4])) {
		t.Errorf("%q: fifth character %q, want Q-Z or 2-7 like AWS's keys", id, id[4])
	}
}

func TestNewAccessKeyIDRandomBits(t *testing.T) {
	// The same account with different randomness gives different keys, and
	// the randomness is what r supplies.
	a, _ := NewAccessKeyID("ASIA", "123456789012", bytes.NewReader([]byte{0, 0, 0, 0, 0}))
	b, _ := NewAccessKeyID("ASIA", "123456789012", bytes.NewReader([]byte{0x7f, 1, 2, 3, 4}))
	c, _ := NewAccessKeyID("ASIA", "123456789012", bytes.NewReader([]byte{0x80, 0, 0, 0, 0}))
	if a == b {
		t.Errorf("random bits not used: %s", a)
	}
	if a != c {
		t.Errorf("only the low 7 bits of the first random byte belong to z: %s != %s", a, c)
	}
	for _, id := range []string{a, b} {
		if acct, err := AccountFromAccessKeyID(id); err != nil || acct != "123456789012" {
			t.Errorf("%s: %s, %v", id, acct, err)
		}
	}
}

func TestNewAccessKeyIDErrors(t *testing.T) {
	for _, tt := range []struct{ prefix, account string }{
		{"AIDA", "123456789012"},
		{"akia", "123456789012"},
		{"", "123456789012"},
		{"AKIA", "12345678901"},
		{"AKIA", "1234567890123"},
		{"AKIA", "12345678901a"},
		{"AKIA", "-12345678901"},
		{"AKIA", ""},
	} {
		if id, err := NewAccessKeyID(tt.prefix, tt.account, rand.Reader); err == nil {
			t.Errorf("NewAccessKeyID(%q, %q) = %q, want error", tt.prefix, tt.account, id)
		}
	}
	if _, err := NewAccessKeyID("AIDA", "123456789012", rand.Reader); !errors.Is(err, ErrInvalidAccessKeyID) {
		t.Errorf("bad prefix: %v, want ErrInvalidAccessKeyID", err)
	}
	if _, err := NewAccessKeyID("AKIA", "123456789012", iotest.ErrReader(errors.New("no entropy"))); err == nil {
		t.Error("failing reader: want error")
	}
	if _, err := NewAccessKeyID("AKIA", "123456789012", bytes.NewReader([]byte{1, 2})); err == nil {
		t.Error("short reader: want error")
	}
}

// Unique ID prefixes:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
func TestNewUniqueID(t *testing.T) {
	for _, prefix := range []string{"AIDA", "AROA", "AGPA", "ANPA", "AIPA"} {
		seen := map[string]bool{}
		for range 100 {
			id, err := NewUniqueID(prefix, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			if len(id) != 21 || !strings.HasPrefix(id, prefix) {
				t.Fatalf("%q: want 21 characters starting %s", id, prefix)
			}
			for _, c := range id[4:] {
				if !strings.ContainsRune(b32Alphabet, c) {
					t.Fatalf("%q: %q is not in A-Z2-7", id, c)
				}
			}
			if seen[id] {
				t.Fatalf("duplicate %s", id)
			}
			seen[id] = true
		}
	}
	// Every byte value maps into the alphabet, and r is the only source.
	all := make([]byte, 17)
	for i := range all {
		all[i] = byte(i * 15)
	}
	id1, _ := NewUniqueID("AROA", bytes.NewReader(all))
	id2, _ := NewUniqueID("AROA", bytes.NewReader(all))
	if id1 != id2 || id1 != "AROAAP6N4L2JYHWFUDSBQ" {
		t.Errorf("NewUniqueID from fixed bytes = %s, %s", id1, id2)
	}
	for _, prefix := range []string{"AKIA", "ASIA", "aroa", "", "AROAX"} {
		if id, err := NewUniqueID(prefix, rand.Reader); err == nil {
			t.Errorf("NewUniqueID(%q) = %q, want error", prefix, id)
		}
	}
	if _, err := NewUniqueID("AROA", bytes.NewReader(make([]byte, 16))); err == nil {
		t.Error("short reader: want error")
	}
}

// FuzzAccountFromAccessKeyID: never panics; whatever decodes is a 12-digit
// account that re-encodes to a key decoding to the same account.
func FuzzAccountFromAccessKeyID(f *testing.F) {
	for _, s := range []string{
		"ASIAY34FZKBOKMUTVV7A", "AKIASP2TPHJSQH3FJXYZ", "AKIAIOSFODNN7EXAMPLE",
		"", "ASIA", "ASIA7777777777777777", "AKIAAAAAAAAAAAAAAAAA", "ASIAY34FZKBOKMUTVV\nA",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		acct, err := AccountFromAccessKeyID(id)
		if err != nil {
			if !errors.Is(err, ErrInvalidAccessKeyID) {
				t.Fatalf("%q: error %v does not wrap ErrInvalidAccessKeyID", id, err)
			}
			return
		}
		if len(acct) != 12 || strings.Trim(acct, "0123456789") != "" {
			t.Fatalf("%q: account %q is not 12 digits", id, acct)
		}
		re, err := NewAccessKeyID(id[:4], acct, rand.Reader)
		if err != nil {
			t.Fatalf("%q: re-encoding %s: %v", id, acct, err)
		}
		if back, err := AccountFromAccessKeyID(re); err != nil || back != acct {
			t.Fatalf("%q -> %s -> %s -> %s, %v", id, acct, re, back, err)
		}
	})
}
