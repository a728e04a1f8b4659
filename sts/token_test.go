package sts

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	rdebug "runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// Test keys. Real master keys come from crypto/rand; these are readable so
// that a leak would be easy to spot.
const (
	testMasterA = "iamkit-test-master-key-A-0123456789abcdef"
	testMasterB = "iamkit-test-master-key-B-0123456789abcdef"
)

func testRing(t testing.TB, keys ...Key) *KeyRing {
	t.Helper()
	if len(keys) == 0 {
		keys = []Key{{ID: 1, Secret: NewSecret(testMasterA)}}
	}
	r, err := NewKeyRing(keys[0], keys[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testRand is a deterministic nonce source.
func testRand(seed uint64) io.Reader {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return mrand.NewChaCha8(s)
}

var testIssued = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.UTC)

// typicalSession is an ordinary AssumeRole session: ARN of 57 characters,
// three tags, no session policy.
func typicalSession() *Session {
	return &Session{
		Kind:        AssumedRole,
		AccessKeyID: "ASIAY34FZKBOKMUTVV7A",
		Account:     "609629065308",
		Partition:   "aws",
		ARN:         "arn:aws:sts::609629065308:assumed-role/deploy/ci-run-4711",
		UserID:      "AROAY34FZKBOEXAMPLE12:ci-run-4711",
		SourceARN:   "arn:aws:iam::609629065308:role/deploy",
		SourceID:    "AROAY34FZKBOEXAMPLE12",
		SessionName: "ci-run-4711",
		IssuedAt:    testIssued,
		ExpiresAt:   testIssued.Add(time.Hour),
		Tags:        []Tag{{"Project", "atlas"}, {"CostCenter", "1234"}, {"Team", "platform"}},
	}
}

// fullSession sets every field of a session of the given kind.
func fullSession(kind SessionKind) *Session {
	s := &Session{
		Kind:              kind,
		AccessKeyID:       "ASIAY34FZKBOKMUTVV7A",
		Account:           "609629065308",
		Partition:         "aws-us-gov",
		IssuedAt:          testIssued,
		ExpiresAt:         testIssued.Add(12 * time.Hour),
		Tags:              []Tag{{"Project", "atlas"}, {"CostCenter", ""}, {"Team", "plat form"}},
		TransitiveTagKeys: []string{"Project", "Team"},
		SourceIdentity:    "alice@example.com",
		MFA:               true,
		MFATime:           testIssued.Add(-5*time.Minute - 7),
		Policy:            `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
		PolicyARNs:        []string{"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", "arn:aws-us-gov:iam::609629065308:policy/p"},
		Chained:           true,
	}
	switch kind {
	case LongTerm:
		s.AccessKeyID = "AKIASP2TPHJSQH3FJXYZ"
		s.ARN = "arn:aws-us-gov:iam::609629065308:user/ops/alice"
		s.UserID = "AIDAY34FZKBOEXAMPLE34"
		s.SourceARN, s.SourceID = s.ARN, s.UserID
	case AssumedRole:
		s.ARN = "arn:aws-us-gov:sts::609629065308:assumed-role/deploy/alice"
		s.UserID = "AROAY34FZKBOEXAMPLE12:alice"
		s.SourceARN = "arn:aws-us-gov:iam::609629065308:role/ops/deploy"
		s.SourceID = "AROAY34FZKBOEXAMPLE12"
		s.SessionName = "alice"
		// A web identity session: the provider and the keys carried.
		s.FederatedProvider = "arn:aws-us-gov:iam::609629065308:oidc-provider/token.actions.githubusercontent.com"
		s.ProviderKeys = []ProviderKey{
			{Key: "token.actions.githubusercontent.com:sub", Values: []string{"repo:o/r:ref:refs/heads/main"}},
			{Key: "token.actions.githubusercontent.com:amr", Values: []string{"pwd", "mfa"}, Multi: true},
			{Key: "token.actions.githubusercontent.com:aud", Values: []string{"sts.amazonaws.com"}},
		}
	case Federated:
		s.ARN = "arn:aws-us-gov:sts::609629065308:federated-user/bob"
		s.UserID = "609629065308:bob"
		s.SourceARN = "arn:aws-us-gov:iam::609629065308:user/ops/alice"
		s.SourceID = "AIDAY34FZKBOEXAMPLE34"
		s.SessionName = "bob"
	case SessionToken:
		s.ARN = "arn:aws-us-gov:iam::609629065308:user/ops/alice"
		s.UserID = "AIDAY34FZKBOEXAMPLE34"
		s.SourceARN, s.SourceID = s.ARN, s.UserID
	}
	return s
}

// worstSession fills every field to the limits AWS documents (STS API
// reference: RoleArn and PolicyArns ≤ 2048, Policy ≤ 2048, ≤ 10 policy
// ARNs, ≤ 50 tags of 128/256, ≤ 50 transitive keys, RoleSessionName and
// SourceIdentity ≤ 64). unit is repeated to make each string; "x" gives the
// ASCII worst case, a four-byte character the UTF-8 one. Policy characters
// are at most U+00FF (IAM User Guide, reference_iam-quotas), so wide takes
// two bytes there.
func worstSession(unit, policyUnit string) *Session {
	str := func(n int) string { return strings.Repeat(unit, n) }
	s := &Session{
		Kind:           AssumedRole,
		AccessKeyID:    "ASIAY34FZKBOKMUTVV7A",
		Account:        "609629065308",
		Partition:      "aws-us-gov",
		ARN:            "arn:aws-us-gov:sts::609629065308:assumed-role/" + str(64) + "/" + str(64),
		UserID:         "AROAY34FZKBOEXAMPLE12:" + str(64),
		SourceARN:      str(2048),
		SourceID:       "AROAY34FZKBOEXAMPLE12",
		SessionName:    str(64),
		SourceIdentity: str(64),
		IssuedAt:       testIssued,
		ExpiresAt:      testIssued.Add(12 * time.Hour),
		MFA:            true,
		MFATime:        testIssued.Add(-time.Second),
		Policy:         strings.Repeat(policyUnit, 2048),
		Chained:        true,
	}
	for i := range 10 {
		s.PolicyARNs = append(s.PolicyARNs, fmt.Sprint(i)+str(2047))
	}
	for i := range 50 {
		k := fmt.Sprintf("%02d", i) + str(126)
		s.Tags = append(s.Tags, Tag{Key: k, Value: str(256)})
		s.TransitiveTagKeys = append(s.TransitiveTagKeys, k)
	}
	return s
}

func mustSeal(t testing.TB, r *KeyRing, s *Session) (string, Secret) {
	t.Helper()
	token, secret, err := r.Seal(s)
	if err != nil {
		t.Fatal(err)
	}
	return token, secret
}

func mustDecode(t testing.TB, token string) []byte {
	t.Helper()
	raw, err := base64.RawStdEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func wantInvalid(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("%s: got error %v, want ErrInvalidToken", what, err)
	}
	if err.Error() != ErrInvalidToken.Error() {
		t.Fatalf("%s: error text %q reveals more than ErrInvalidToken", what, err)
	}
}

func TestClaimsRoundTrip(t *testing.T) {
	kinds := []SessionKind{LongTerm, AssumedRole, Federated, SessionToken}
	for _, kind := range kinds {
		t.Run(kind.String(), func(t *testing.T) {
			in := fullSession(kind)
			enc, err := appendClaims(nil, in)
			if err != nil {
				t.Fatal(err)
			}
			got := &Session{AccessKeyID: in.AccessKeyID}
			if err := decodeClaims(enc, got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(in, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			again, err := appendClaims(nil, got)
			if err != nil || !bytes.Equal(again, enc) {
				t.Errorf("re-encoding differs: %v\n%x\n%x", err, enc, again)
			}
		})
	}

	// Edge values: zero times, empty lists, non-UTC times, a monotonic
	// clock reading, years 1 and 9999, empty strings.
	loc := time.FixedZone("UTC-7", -7*3600)
	for name, in := range map[string]*Session{
		"minimal":   {Kind: SessionToken},
		"local":     {Kind: Federated, IssuedAt: testIssued.In(loc), ExpiresAt: time.Now()},
		"extremes":  {Kind: AssumedRole, IssuedAt: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), ExpiresAt: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), MFATime: time.Unix(-1, 0)},
		"emptyTags": {Kind: AssumedRole, Tags: []Tag{{}}, TransitiveTagKeys: []string{""}, PolicyARNs: []string{"", ""}},
	} {
		t.Run(name, func(t *testing.T) {
			enc, err := appendClaims(nil, in)
			if err != nil {
				t.Fatal(err)
			}
			got := &Session{}
			if err := decodeClaims(enc, got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(in, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			for _, tm := range []time.Time{got.IssuedAt, got.ExpiresAt, got.MFATime} {
				if tm.Location() != time.UTC {
					t.Errorf("decoded time %v not in UTC", tm)
				}
			}
		})
	}
	// The zero time decodes to exactly time.Time{}, not just an equal one.
	got := &Session{}
	enc, _ := appendClaims(nil, &Session{Kind: SessionToken})
	if err := decodeClaims(enc, got); err != nil || got.IssuedAt != (time.Time{}) {
		t.Errorf("zero time decodes to %#v (%v)", got.IssuedAt, err)
	}
}

func TestAppendClaimsLimits(t *testing.T) {
	long := strings.Repeat("x", maxClaimString+1)
	tests := map[string]*Session{
		"kind 0":           {},
		"kind 5":           {Kind: 5},
		"long ARN":         {Kind: AssumedRole, ARN: long},
		"long policy":      {Kind: AssumedRole, Policy: long},
		"long tag key":     {Kind: AssumedRole, Tags: []Tag{{Key: long}}},
		"long tag value":   {Kind: AssumedRole, Tags: []Tag{{Value: long}}},
		"long policy ARN":  {Kind: AssumedRole, PolicyARNs: []string{long}},
		"65 tags":          {Kind: AssumedRole, Tags: make([]Tag, maxClaimList+1)},
		"65 transitive":    {Kind: AssumedRole, TransitiveTagKeys: make([]string, maxClaimList+1)},
		"65 policy ARNs":   {Kind: AssumedRole, PolicyARNs: make([]string, maxClaimList+1)},
		"year 10000":       {Kind: AssumedRole, ExpiresAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		"year 0":           {Kind: AssumedRole, MFATime: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)},
		"year -5000000000": {Kind: AssumedRole, IssuedAt: time.Unix(-1<<62, 0)},
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := appendClaims(nil, s); err == nil {
				t.Error("appendClaims accepted it")
			}
		})
	}
	// The limits themselves are accepted.
	ok := &Session{Kind: AssumedRole, ARN: long[1:], Tags: make([]Tag, maxClaimList), PolicyARNs: make([]string, maxClaimList)}
	enc, err := appendClaims(nil, ok)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeClaims(enc, &Session{}); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeClaimsRejects(t *testing.T) {
	good, err := appendClaims(nil, fullSession(AssumedRole))
	if err != nil {
		t.Fatal(err)
	}
	minimal, _ := appendClaims(nil, &Session{Kind: AssumedRole})
	// minimal is: 1 2 0, nine empty strings, three times of 7 bytes
	// (6 of zigzag(-62135596800), 1 of nanoseconds), three empty lists.
	with := func(i int, b ...byte) []byte {
		out := append([]byte{}, minimal[:i]...)
		return append(append(out, b...), minimal[i:]...)
	}
	set := func(i int, b byte) []byte {
		out := bytes.Clone(minimal)
		out[i] = b
		return out
	}
	timeOff := 3 + 9
	listOff := len(minimal) - 3
	tests := map[string][]byte{
		"empty":              nil,
		"version 0":          set(0, 0),
		"version 2":          set(0, 2),
		"kind 0":             set(1, 0),
		"kind 5":             set(1, 5),
		"flag bit 2":         set(2, 4),
		"flag bit 7":         set(2, 0x80),
		"trailing byte":      append(bytes.Clone(minimal), 0),
		"non-minimal length": append([]byte{1, 2, 0, 0x80, 0}, minimal[4:]...),
		"string past end":    append(bytes.Clone(minimal[:len(minimal)-1]), 1),
		"65 tags":            append(bytes.Clone(minimal[:listOff]), maxClaimList+1, 0, 0),
		"tag count past end": append(bytes.Clone(minimal[:listOff]), 1, 0, 0),
		"huge count":         append(bytes.Clone(minimal[:listOff]), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0),
		"varint overflow":    append(bytes.Clone(minimal[:listOff]), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0),
		"huge string":        with(3, 0xff, 0xff, 0x04), // 64 KiB + 1... claimed, absent
		"nanos 1e9":          append(append(bytes.Clone(minimal[:timeOff]), binary.AppendVarint(nil, 0)...), append(binary.AppendUvarint(nil, 1e9), minimal[timeOff+7:]...)...),
		"year 10000":         append(append(bytes.Clone(minimal[:timeOff]), binary.AppendVarint(nil, maxClaimUnix+1)...), minimal[timeOff+6:]...),
		"year 0":             append(append(bytes.Clone(minimal[:timeOff]), binary.AppendVarint(nil, minClaimUnix-1)...), minimal[timeOff+6:]...),
	}
	// The federated section: provider "p", one key "k" without values,
	// so the key's multi byte is the fourth from the end.
	fed, _ := appendClaims(nil, &Session{Kind: AssumedRole, FederatedProvider: "p", ProviderKeys: []ProviderKey{{Key: "k"}}})
	if err := decodeClaims(fed, &Session{}); err != nil {
		t.Fatalf("federated claims: %v", err)
	}
	badMulti := bytes.Clone(fed)
	badMulti[len(fed)-4] = 2
	tests["provider key multi byte 2"] = badMulti
	tests["federated flag without its section"] = set(2, flagFederated)
	for i := range good {
		tests[fmt.Sprintf("truncated at %d", i)] = good[:i]
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if err := decodeClaims(b, &Session{}); err == nil {
				t.Errorf("decodeClaims accepted %x", b)
			}
		})
	}
	// Make sure the offsets above point where they should.
	if err := decodeClaims(with(3), &Session{}); err != nil {
		t.Fatal("fixture broken:", err)
	}
	if v, n := binary.Varint(minimal[timeOff:]); v != minClaimUnix || n != 6 || minimal[timeOff+6] != 0 {
		t.Fatalf("fixture broken: time at %d is %d (%d bytes)", timeOff, v, n)
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	r := testRing(t)
	secrets := map[Secret]bool{}
	for i, kind := range []SessionKind{AssumedRole, Federated, SessionToken} {
		t.Run(kind.String(), func(t *testing.T) {
			in := fullSession(kind)
			token, secret, err := r.Seal(in)
			if err != nil {
				t.Fatal(err)
			}
			got, secret2, err := r.Open(in.AccessKeyID, token)
			if err != nil {
				t.Fatalf("Open: %v (%s)", err, debug(err))
			}
			if diff := cmp.Diff(in, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			if secret.Reveal() != secret2.Reveal() {
				t.Error("Open derived a different secret than Seal returned")
			}
			checkSecretShape(t, secret)
			secrets[secret] = true
			if len(secrets) != i+1 {
				t.Error("two sessions got the same secret")
			}
			if _, err := base64.RawStdEncoding.Strict().DecodeString(token); err != nil {
				t.Errorf("token is not unpadded base64: %v", err)
			}
		})
	}
}

// checkSecretShape checks a secret looks like an AWS secret access key: 40
// characters of base64.
func checkSecretShape(t *testing.T, s Secret) {
	t.Helper()
	v := s.Reveal()
	if len(v) != 40 {
		t.Errorf("secret has %d characters, want 40", len(v))
	}
	if b, err := base64.StdEncoding.DecodeString(v); err != nil || len(b) != 30 {
		t.Errorf("secret %q is not 30 bytes of base64: %v", v, err)
	}
}

func debug(err error) string {
	var te *TokenError
	if errors.As(err, &te) {
		return te.Debug()
	}
	return ""
}

func TestSecretsDiffer(t *testing.T) {
	r := testRing(t)
	s := typicalSession()
	seen := map[string]string{}
	add := func(what string, token string, secret Secret) {
		t.Helper()
		checkSecretShape(t, secret)
		if prev, ok := seen[secret.Reveal()]; ok {
			t.Errorf("%s and %s share a secret", prev, what)
		}
		seen[secret.Reveal()] = what
		if prev, ok := seen[token]; ok {
			t.Errorf("%s and %s share a token", prev, what)
		}
		seen[token] = what
	}
	nonces := map[string]bool{}
	for i := range 100 {
		token, secret := mustSeal(t, r, s)
		add(fmt.Sprint("seal ", i), token, secret)
		nonces[string(mustDecode(t, token)[5:29])] = true
	}
	// The same session sealed under another access key ID or another
	// master key: never the same nonce or secret.
	other := typicalSession()
	other.AccessKeyID = "ASIAY34FZKBOKMUTVV7B"
	token, secret := mustSeal(t, r, other)
	add("other access key", token, secret)
	token, secret = mustSeal(t, testRing(t, Key{ID: 1, Secret: NewSecret(testMasterB)}), s)
	add("other master key", token, secret)
	if len(nonces) != 100 {
		t.Errorf("100 seals used %d distinct nonces", len(nonces))
	}
}

// TestWireFormat opens a token with an independent implementation of the
// format documented in token.go, and checks a token sealed by a fixed key
// and nonce still opens (tokens outlive a deploy).
func TestWireFormat(t *testing.T) {
	const keyID = 0x01020304
	r := testRing(t, Key{ID: keyID, Secret: NewSecret(testMasterA)})
	s := typicalSession()
	token, secret := mustSeal(t, r, s)
	checkWire(t, r, s, token, secret)

	// A token sealed by an earlier build with the same key and session,
	// its nonce and secret the first 24 and next 30 bytes of testRand(7).
	// If this fails, the wire format or claims encoding changed: bump the
	// version instead.
	const golden = "AgECAwQOQtTK6IZJCOC4x1IONgqkBEJ8kFPZpmdMs/91BW2zMx6sFgVapwqGThHC25eebU0PVWbN+104CQW8hfLLdQjp4XiQS1BWFjyBVbico5qJQtCqE3L1donHd38kPc7XQVDnI2cCVHMMxbs/RzzrgtEouXx1PKdzmmL1DOHkP9Mac9EMgB/AsGiJ2NuBa5SFMwUlyc3kA+xqkncSnmQlVe4oBDInCOWHPcSD1nplaGm+ED29ux0dGrsLMbOjHpsgfsvZAAqAUmVTPxp3RE6KRWDk2ARl1SdHBtySYHICCMhxSz2gjYs9wSmQflADI52AbP1g7nBFn9/8KJHsyYLryADXzw/xPhi7ZASQMPtWmiC+kxQhi59/yxvZlMFN6P37FVJ2QHHsHwcoPct8LExSXFkTwAvubmYxRRa5HFBM3ELLeu+2+yzZlXsiEJE"
	var rnd [24 + 30]byte
	if _, err := io.ReadFull(testRand(7), rnd[:]); err != nil {
		t.Fatal(err)
	}
	if raw := mustDecode(t, golden); !bytes.Equal(raw[5:29], rnd[:24]) {
		t.Fatalf("golden nonce %x, want %x", raw[5:29], rnd[:24])
	}
	_, gotSecret, err := r.Open(s.AccessKeyID, golden)
	if err != nil {
		t.Fatalf("golden token: %v (%s)", err, debug(err))
	}
	if want := base64.StdEncoding.EncodeToString(rnd[24:]); gotSecret.Reveal() != want {
		t.Errorf("golden token: secret %q, want %q", gotSecret.Reveal(), want)
	}
	checkWire(t, r, s, golden, gotSecret)
}

// checkWire opens token with an independent implementation of the format
// documented in token.go, checks it holds secret and s's claims, and that
// r opens it to s.
func checkWire(t *testing.T, r *KeyRing, s *Session, token string, secret Secret) {
	t.Helper()
	const keyID = 0x01020304
	raw := mustDecode(t, token)
	derive := func(info string) []byte {
		out := make([]byte, 32)
		if _, err := io.ReadFull(hkdf.New(sha256.New, []byte(testMasterA), nil, []byte(info)), out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if raw[0] != 2 || binary.BigEndian.Uint32(raw[1:5]) != keyID {
		t.Fatalf("header %x, want version 2 and key ID %x", raw[:5], keyID)
	}
	aead, err := chacha20poly1305.NewX(derive("iamkit sts token v1 aead"))
	if err != nil {
		t.Fatal(err)
	}
	nonce := raw[5:29]
	ad := append(bytes.Clone(raw[:5]), s.AccessKeyID...)
	plain, err := aead.Open(nil, nonce, raw[29:], ad)
	if err != nil {
		t.Fatal("independent open:", err)
	}
	// The plaintext is the secret's 30 bytes, then the claims.
	claims, _ := appendClaims(nil, s)
	if len(plain) != 30+len(claims) || !bytes.Equal(plain[30:], claims) {
		t.Errorf("plaintext is not secret | claims:\n%x\n%x", plain, claims)
	}
	if want := base64.StdEncoding.EncodeToString(plain[:30]); secret.Reveal() != want {
		t.Errorf("secret %q, want %q", secret.Reveal(), want)
	}

	got, gotSecret, err := r.Open(s.AccessKeyID, token)
	if err != nil {
		t.Fatalf("open: %v (%s)", err, debug(err))
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("open (-want +got):\n%s", diff)
	}
	if !gotSecret.Equal(secret) {
		t.Error("open: other secret")
	}
}

func TestTamper(t *testing.T) {
	r := testRing(t)
	s := typicalSession()
	token, _ := mustSeal(t, r, s)
	raw := mustDecode(t, token)
	open := func(what string, b []byte) {
		t.Helper()
		_, _, err := r.Open(s.AccessKeyID, base64.RawStdEncoding.EncodeToString(b))
		wantInvalid(t, err, what)
	}
	// Every bit, as x/crypto's chacha20poly1305_test.go does.
	for i := range raw {
		for bit := range 8 {
			b := bytes.Clone(raw)
			b[i] ^= 1 << bit
			open(fmt.Sprintf("bit %d of byte %d flipped", bit, i), b)
		}
	}
	for i := range raw {
		open(fmt.Sprintf("truncated to %d bytes", i), raw[:i])
	}
	open("extended", append(bytes.Clone(raw), 0))
	open("tag twice", append(bytes.Clone(raw), raw[len(raw)-16:]...))
	for i := range token {
		_, _, err := r.Open(s.AccessKeyID, token[:i])
		wantInvalid(t, err, fmt.Sprintf("string truncated to %d", i))
	}
	for name, tok := range map[string]string{
		"padded":        base64.StdEncoding.EncodeToString(raw),
		"url alphabet":  base64.RawURLEncoding.EncodeToString(raw),
		"space":         token[:10] + " " + token[10:],
		"newline":       token[:64] + "\n" + token[64:],
		"empty":         "",
		"non-canonical": nonCanonical(token),
		"huge":          strings.Repeat("A", MaxTokenSize+4),
	} {
		if tok == token {
			t.Fatalf("%s: same as the token", name)
		}
		_, _, err := r.Open(s.AccessKeyID, tok)
		wantInvalid(t, err, name)
	}
	// The untouched token still opens.
	if _, _, err := r.Open(s.AccessKeyID, token); err != nil {
		t.Fatal(err)
	}
}

// nonCanonical changes the unused low bits of the last base64 character,
// which a lenient decoder would ignore.
func nonCanonical(token string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if len(token)%4 == 0 {
		panic("token has no unused bits")
	}
	last := strings.IndexByte(alphabet, token[len(token)-1])
	return token[:len(token)-1] + string(alphabet[last^1])
}

func TestWrongAccessKey(t *testing.T) {
	r := testRing(t)
	s := typicalSession()
	token, _ := mustSeal(t, r, s)
	for _, id := range []string{"", "ASIAY34FZKBOKMUTVV7B", "asiay34fzkbokmutvv7a", s.AccessKeyID + " ", s.AccessKeyID[:19], "AKIAY34FZKBOKMUTVV7A"} {
		_, _, err := r.Open(id, token)
		wantInvalid(t, err, fmt.Sprintf("access key %q", id))
	}
}

func TestRotation(t *testing.T) {
	oldKey := Key{ID: 1, Secret: NewSecret(testMasterA)}
	newKey := Key{ID: 2, Secret: NewSecret(testMasterB)}
	old := testRing(t, oldKey)
	both := testRing(t, newKey, oldKey)
	newOnly := testRing(t, newKey)
	s := typicalSession()

	token, secret := mustSeal(t, old, s)
	got, secret2, err := both.Open(s.AccessKeyID, token)
	if err != nil {
		t.Fatalf("ring(new, old) does not open a token of old: %v", err)
	}
	if diff := cmp.Diff(s, got); diff != "" || !secret2.Equal(secret) {
		t.Errorf("ring(new, old) opened it differently (-want +got):\n%s", diff)
	}
	_, _, err = newOnly.Open(s.AccessKeyID, token)
	wantInvalid(t, err, "ring(new) opening a token of old")
	if d := debug(err); d != "unknown key ID 1" {
		t.Errorf("Debug() = %q", d)
	}

	token2, _ := mustSeal(t, both, s)
	if id := binary.BigEndian.Uint32(mustDecode(t, token2)[1:5]); id != 2 {
		t.Errorf("ring(new, old) sealed with key ID %d, want 2", id)
	}
	if _, _, err := newOnly.Open(s.AccessKeyID, token2); err != nil {
		t.Errorf("ring(new) does not open a token of ring(new, old): %v", err)
	}
	_, _, err = old.Open(s.AccessKeyID, token2)
	wantInvalid(t, err, "ring(old) opening a token of new")

	// Same ID, other key material: authentication fails.
	impostor := testRing(t, Key{ID: 1, Secret: NewSecret(testMasterB)})
	_, _, err = impostor.Open(s.AccessKeyID, token)
	wantInvalid(t, err, "same ID, other key")
	if id, ok := both.ActiveKeyID(); !ok || id != 2 {
		t.Errorf("ActiveKeyID() = %d, %v", id, ok)
	}
	if diff := cmp.Diff([]uint32{2, 1}, both.KeyIDs()); diff != "" {
		t.Errorf("KeyIDs() (-want +got):\n%s", diff)
	}
}

func TestNewKeyRingErrors(t *testing.T) {
	short := NewSecret(testMasterA[:MinKeySize-1])
	for name, keys := range map[string][]Key{
		"short active":  {{ID: 1, Secret: short}},
		"short older":   {{ID: 1, Secret: NewSecret(testMasterA)}, {ID: 2, Secret: short}},
		"empty":         {{ID: 1}},
		"duplicate ID":  {{ID: 1, Secret: NewSecret(testMasterA)}, {ID: 1, Secret: NewSecret(testMasterB)}},
		"duplicate ID2": {{ID: 1, Secret: NewSecret(testMasterA)}, {ID: 2, Secret: NewSecret(testMasterB)}, {ID: 2, Secret: NewSecret(testMasterA)}},
	} {
		_, err := NewKeyRing(keys[0], keys[1:]...)
		if err == nil {
			t.Errorf("%s: NewKeyRing accepted it", name)
			continue
		}
		if strings.Contains(err.Error(), short.Reveal()) {
			t.Errorf("%s: error %q shows key material", name, err)
		}
	}
	if _, err := NewKeyRing(Key{ID: 0, Secret: NewSecret(testMasterA[:MinKeySize])}); err != nil {
		t.Errorf("a key of exactly MinKeySize bytes: %v", err)
	}
}

func TestSealErrors(t *testing.T) {
	r := testRing(t)
	noKey := typicalSession()
	noKey.AccessKeyID = ""
	longTerm := fullSession(LongTerm)
	badKind := typicalSession()
	badKind.Kind = 0
	tooMany := typicalSession()
	tooMany.Tags = make([]Tag, 65)
	var nilRing *KeyRing
	for name, f := range map[string]func() error{
		"nil session":     func() error { _, _, err := r.Seal(nil); return err },
		"no access key":   func() error { _, _, err := r.Seal(noKey); return err },
		"LongTerm":        func() error { _, _, err := r.Seal(longTerm); return err },
		"kind 0":          func() error { _, _, err := r.Seal(badKind); return err },
		"65 tags":         func() error { _, _, err := r.Seal(tooMany); return err },
		"nil ring":        func() error { _, _, err := nilRing.Seal(typicalSession()); return err },
		"zero ring":       func() error { _, _, err := new(KeyRing).Seal(typicalSession()); return err },
		"over size limit": func() error { _, _, err := r.Seal(hugeSession()); return err },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: Seal succeeded", name)
		}
	}
	token, _ := mustSeal(t, r, typicalSession())
	_, _, err := nilRing.Open("ASIAY34FZKBOKMUTVV7A", token)
	wantInvalid(t, err, "nil ring")
	_, _, err = new(KeyRing).Open("ASIAY34FZKBOKMUTVV7A", token)
	wantInvalid(t, err, "zero ring")
}

// hugeSession is within every per-field limit but its token would exceed
// MaxTokenSize.
func hugeSession() *Session {
	s := typicalSession()
	for range 6 {
		s.PolicyARNs = append(s.PolicyARNs, strings.Repeat("x", maxClaimString))
	}
	return s
}

// TestOpenRejectsLongTerm seals LongTerm claims with the ring's own key,
// which Seal refuses to do: Open must refuse them too.
func TestOpenRejectsLongTerm(t *testing.T) {
	r := testRing(t)
	s := fullSession(LongTerm)
	claims, err := appendClaims(make([]byte, secretSize), s)
	if err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, headerSize)
	raw[0] = tokenVersion
	binary.BigEndian.PutUint32(raw[1:5], 1)
	ad := append(bytes.Clone(raw[:5]), s.AccessKeyID...)
	raw = r.keys[0].aead.Seal(raw, raw[5:], claims, ad)
	_, _, err = r.Open(s.AccessKeyID, base64.RawStdEncoding.EncodeToString(raw))
	wantInvalid(t, err, "LongTerm claims")
	if debug(err) != errTokenLongTerm.Debug() {
		t.Errorf("Debug() = %q", debug(err))
	}
}

func TestTokenError(t *testing.T) {
	r := testRing(t)
	s := typicalSession()
	token, _ := mustSeal(t, r, s)
	raw := mustDecode(t, token)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return base64.RawStdEncoding.EncodeToString(b)
	}
	for _, tc := range []struct {
		name, accessKey, token, debug string
	}{
		{"base64", s.AccessKeyID, token[:len(token)-1] + "!", errTokenBase64.Debug()},
		{"version", s.AccessKeyID, flip(0), "unknown token version"},
		{"key ID", s.AccessKeyID, flip(4), "unknown key ID 0"},
		{"nonce", s.AccessKeyID, flip(10), errTokenAuth.Debug()},
		{"access key", "ASIAOTHER", token, errTokenAuth.Debug()},
		{"short", s.AccessKeyID, token[:20], "token shorter than header and tag"},
	} {
		_, _, err := r.Open(tc.accessKey, tc.token)
		wantInvalid(t, err, tc.name)
		var te *TokenError
		if !errors.As(err, &te) || te.Debug() != tc.debug {
			t.Errorf("%s: Debug() = %q, want %q", tc.name, debug(err), tc.debug)
		}
	}
}

func TestTokenOpaque(t *testing.T) {
	r := testRing(t)
	for _, kind := range []SessionKind{AssumedRole, Federated, SessionToken} {
		s := fullSession(kind)
		token, secret := mustSeal(t, r, s)
		raw := mustDecode(t, token)
		// Every string of four bytes or more, and some pieces of them.
		plain := []string{s.ARN, s.UserID, s.SourceARN, s.SourceID, s.SessionName, s.SourceIdentity, s.Policy, s.Account, "609629065308", "alice", "atlas", "Project", "arn:", "s3:GetObject"}
		plain = append(plain, s.PolicyARNs...)
		for _, c := range plain {
			if c == "" {
				continue
			}
			if bytes.Contains(raw, []byte(c)) || strings.Contains(token, c) {
				t.Errorf("%v token shows %q in clear", kind, c)
			}
		}
		if strings.Contains(token, secret.Reveal()) || bytes.Contains(raw, []byte(secret.Reveal())) {
			t.Errorf("%v token contains its secret", kind)
		}
	}
}

// TestTokenSizes checks the sizes documented in token.go.
func TestTokenSizes(t *testing.T) {
	r := testRing(t)
	size := func(s *Session) (claims, token int) {
		c, err := appendClaims(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		tok, _ := mustSeal(t, r, s)
		// Check the whole thing opens, as the worst case is large.
		if got, _, err := r.Open(s.AccessKeyID, tok); err != nil {
			t.Fatal(err)
		} else if diff := cmp.Diff(s, got); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		return len(c), len(tok)
	}
	for _, tc := range []struct {
		name      string
		s         *Session
		max       int // documented in token.go
		maxClaims int
	}{
		{"typical", typicalSession(), 447, 260},
		{"worst ASCII", worstSession("x", "x"), 68_068, 50_976},
		{"worst UTF-8", worstSession("\U0001D400", "\u00ff"), 263_755, 197_741},
	} {
		claims, token := size(tc.s)
		t.Logf("%s: %d bytes of claims, token of %d characters", tc.name, claims, token)
		if token > tc.max {
			t.Errorf("%s: token of %d characters, documented at most %d", tc.name, token, tc.max)
		}
		if tc.maxClaims > 0 && claims > tc.maxClaims {
			t.Errorf("%s: %d bytes of claims, documented at most %d", tc.name, claims, tc.maxClaims)
		}
	}
	if _, token := size(typicalSession()); token >= 1024 {
		t.Errorf("typical token of %d characters, want under 1 KB", token)
	}
	if _, token := size(worstSession("\U0001D400", "\u00ff")); token > MaxTokenSize {
		t.Errorf("UTF-8 worst case of %d characters over MaxTokenSize", token)
	}
}

func TestKeysNeverPrint(t *testing.T) {
	keyA := Key{ID: 7, Secret: NewSecret(testMasterA)}
	keyB := Key{ID: 9, Secret: NewSecret(testMasterB)}
	ring := testRing(t, keyA, keyB)
	type holder struct {
		Key   Key
		Keys  []Key
		Ring  *KeyRing
		RingV KeyRing
		ring  *KeyRing
		ringV KeyRing
	}
	h := holder{Key: keyA, Keys: []Key{keyA, keyB}, Ring: ring, RingV: *ring, ring: ring, ringV: *ring}

	// Key material in every form it might print in.
	var leaks []string
	for _, master := range []string{testMasterA, testMasterB} {
		leaks = append(leaks, master, hex.EncodeToString([]byte(master)), fmt.Sprint([]byte(master))[1:40])
		for _, info := range []string{infoAEAD, infoMessage} {
			k := make([]byte, 32)
			io.ReadFull(hkdf.New(sha256.New, []byte(master), nil, []byte(info)), k)
			leaks = append(leaks, hex.EncodeToString(k)[:16], fmt.Sprint(k)[1:20], string(k[:8]))
		}
	}
	check := func(what, out string) {
		t.Helper()
		for _, l := range leaks {
			if strings.Contains(out, l) {
				t.Errorf("%s shows key material: %s", what, out)
				return
			}
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		for name, v := range map[string]any{"Key": keyA, "*Key": &keyA, "*KeyRing": ring, "KeyRing": *ring, "holder": h, "*holder": &h} {
			check(verb+" of "+name, fmt.Sprintf(verb, v))
		}
	}
	var buf bytes.Buffer
	for _, handler := range []slog.Handler{slog.NewTextHandler(&buf, nil), slog.NewJSONHandler(&buf, nil)} {
		slog.New(handler).Info("keys", "key", keyA, "ring", ring, "ringV", *ring, "holder", h, "keys", []Key{keyA})
	}
	check("slog", buf.String())
	js, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	check("json", string(js))

	for _, tc := range []struct{ got, want string }{
		{fmt.Sprint(keyA), "sts.Key(7, [REDACTED])"},
		{fmt.Sprintf("%#v", keyA), "sts.Key{ID:7, Secret:[REDACTED]}"},
		{fmt.Sprint(ring), "sts.KeyRing[7 9]"},
		{fmt.Sprint(*ring), "sts.KeyRing[7 9]"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if !strings.Contains(buf.String(), `key.id=7 key.secret=[REDACTED]`) {
		t.Errorf("slog text output lacks the key ID: %s", buf.String())
	}
}

func TestConcurrentUse(t *testing.T) {
	r := testRing(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				s := typicalSession()
				s.SessionName = fmt.Sprint(g, "-", i)
				token, secret, err := r.Seal(s)
				if err != nil {
					t.Error(err)
					return
				}
				got, secret2, err := r.Open(s.AccessKeyID, token)
				if err != nil || got.SessionName != s.SessionName || !secret.Equal(secret2) {
					t.Errorf("goroutine %d, seal %d: %v", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestAllocs bounds the allocations of Seal and Open. Seal allocates the
// token and the secret; Open the Session together with its secret's string
// header, one string for all its text, one slice per non-empty list and
// the secret's text. x/crypto's XChaCha20 adds none today; a regression
// would show here.
func TestAllocs(t *testing.T) {
	if raceEnabled() {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	r := testRing(t)
	s := typicalSession()
	token, _ := mustSeal(t, r, s)
	seal := testing.AllocsPerRun(100, func() {
		if _, _, err := r.Seal(s); err != nil {
			t.Fatal(err)
		}
	})
	open := testing.AllocsPerRun(100, func() {
		if _, _, err := r.Open(s.AccessKeyID, token); err != nil {
			t.Fatal(err)
		}
	})
	bad := token[:len(token)-2] + "AA"
	reject := testing.AllocsPerRun(100, func() {
		if _, _, err := r.Open(s.AccessKeyID, bad); err == nil {
			t.Fatal("accepted")
		}
	})
	t.Logf("allocs: Seal %v, Open %v, rejected Open %v", seal, open, reject)
	// Seal: the token and the secret (its text with the pointer a Secret
	// keeps it behind); Open: the Session with its secret, the text of its
	// fields and the tags.
	if seal > 2 || open > 3 || reject > 0 {
		t.Errorf("allocs: Seal %v (want ≤ 2), Open %v (want ≤ 3), rejected Open %v (want 0)", seal, open, reject)
	}
}

func TestSealMessage(t *testing.T) {
	oldRing := testRing(t, Key{ID: 1, Secret: NewSecret(testMasterA)})
	r := testRing(t, Key{ID: 2, Secret: NewSecret(testMasterB)}, Key{ID: 1, Secret: NewSecret(testMasterA)})
	plain := []byte(`{"allowed":false,"context":{"action":"s3:GetObject"}}`)
	msg, err := oldRing.SealMessage(plain)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(mustDecode(t, msg), []byte("s3:GetObject")) {
		t.Error("message in clear")
	}
	got, err := r.OpenMessage(msg)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("OpenMessage = %q, %v", got, err)
	}
	if _, err := testRing(t, Key{ID: 2, Secret: NewSecret(testMasterB)}).OpenMessage(msg); err == nil {
		t.Error("opened with a ring without the key")
	}
	raw := mustDecode(t, msg)
	for i := range raw {
		b := bytes.Clone(raw)
		b[i] ^= 0x10
		if _, err := r.OpenMessage(base64.RawStdEncoding.EncodeToString(b)); err == nil {
			t.Fatalf("byte %d flipped: opened", i)
		}
	}
	for i := range msg {
		if _, err := r.OpenMessage(msg[:i]); err == nil {
			t.Fatalf("truncated to %d: opened", i)
		}
	}
	// Messages and tokens never open as one another, even with the
	// version byte swapped.
	token, _ := mustSeal(t, r, typicalSession())
	if _, err := r.OpenMessage(token); err == nil {
		t.Error("a token opens as a message")
	}
	_, _, err = r.Open("ASIAY34FZKBOKMUTVV7A", msg)
	wantInvalid(t, err, "a message as a token")
	swapped := mustDecode(t, token)
	swapped[0] = messageVersion
	if _, err := r.OpenMessage(base64.RawStdEncoding.EncodeToString(swapped)); err == nil {
		t.Error("a token with a message version byte opens as a message")
	}
	if empty, err := r.SealMessage(nil); err != nil {
		t.Error(err)
	} else if got, err := r.OpenMessage(empty); err != nil || len(got) != 0 {
		t.Errorf("empty message: %q, %v", got, err)
	}
}

func raceEnabled() bool {
	info, ok := rdebug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// ExampleKeyRing seals a session into a token, as an issuer does, and opens
// it, as a server does when the token comes back with a request.
func ExampleKeyRing() {
	// In production: 32 or more bytes from crypto/rand, kept in a secret
	// store; the ID tells keys apart during rotation.
	ring, err := NewKeyRing(Key{ID: 1, Secret: NewSecret("example-master-key-0123456789abcdef")})
	if err != nil {
		panic(err)
	}
	s := &Session{
		Kind:        AssumedRole,
		AccessKeyID: "ASIAY34FZKBOKMUTVV7A",
		Account:     "609629065308",
		ARN:         "arn:aws:sts::609629065308:assumed-role/deploy/ci",
		IssuedAt:    time.Now(),
		ExpiresAt:   time.Now().Add(time.Hour),
	}
	token, secret, err := ring.Seal(s)
	if err != nil {
		panic(err)
	}

	got, secret2, err := ring.Open("ASIAY34FZKBOKMUTVV7A", token)
	if err != nil {
		panic(err)
	}
	fmt.Println(got.ARN)
	fmt.Println(secret2.Reveal() == secret.Reveal(), len(secret.Reveal()))
	fmt.Println(secret)

	_, _, err = ring.Open("ASIAY34FZKBOKMUTVV7B", token)
	fmt.Println(err)
	// Output:
	// arn:aws:sts::609629065308:assumed-role/deploy/ci
	// true 40
	// [REDACTED]
	// sts: invalid session token
}
