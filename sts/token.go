package sts

// Session tokens.
//
// A temporary credential is the triple (access key ID "ASIA...", secret
// access key, session token). iamkit keeps no state for it: the session
// token carries the whole [Session] and its secret access key, sealed with a
// [KeyRing]. Any server holding the key ring can verify any token and
// recover its secret.
//
// # Format
//
// A token is the base64 encoding (standard alphabet, "+" and "/", no
// padding) of
//
//	version (1 byte, 2) | key ID (4 bytes, big-endian) | nonce (24 bytes) | ciphertext | tag (16 bytes)
//
// The ciphertext is XChaCha20-Poly1305 over the secret (30 random bytes)
// followed by the claims, the binary encoding of the Session described in
// claims.go. The associated data is
// version | key ID | access key ID, so a token opens only under the access
// key ID it was issued with, and the header cannot be changed. The
// AccessKeyID field itself is not in the claims: it comes from the caller,
// authenticated by the AEAD.
//
// # Sizes
//
// A token is 75 bytes (version, key ID, nonce, secret, tag) plus the claims: about
// 45 bytes of framing and times, then every string with a length prefix of
// one to three bytes; base64 makes it a third longer. TestTokenSizes checks
// these figures:
//
//   - a typical AssumeRole session (ARN of 57 characters, three tags, no
//     session policy) has 260 bytes of claims and a token of 447
//     characters;
//   - the largest session AWS's limits allow (RoleArn of 2048 characters,
//     session policy of 2048, 10 policy ARNs of 2048, 50 tags of 128/256,
//     50 transitive tag keys, names of 64) has, in ASCII, 50,976 bytes of
//     claims and a token of 68,068 characters;
//   - AWS counts characters, not bytes: if every character of that session
//     took the most UTF-8 allows (4 bytes, 2 in a policy), the token would
//     be 263,755 characters, still under [MaxTokenSize].
//
// Tokens travel in an HTTP header (X-Amz-Security-Token), so an issuer
// should cap the packed size of session policies and tags as AWS does
// (PackedPolicyTooLarge) rather than hand out 68 KB tokens.
//
// # Cryptography
//
// Each master key (at least 32 bytes) yields keys by HKDF-SHA256 (salt
// nil): "iamkit sts token v1 aead" is the XChaCha20-Poly1305 key of tokens
// ([KeyRing.SealMessage] has its own, "iamkit sts message v1 aead"). Nonces
// are 24 random bytes: with a 96-bit nonce, random nonces would limit a key
// to about 2^32 tokens (NIST SP 800-38D); with 192 bits there is no
// practical limit, so a key needs no counter and no coordination between
// servers.
//
// The secret access key is 30 random bytes, read from crypto/rand with
// the nonce and base64-encoded to 40 characters like an AWS secret. It is
// sealed inside the token, so it is never stored in clear: the token
// travels with every request (X-Amz-Security-Token), where it is logged,
// proxied and cached, and reading the secret out of it takes the master
// key, as deriving it from the token would. Version 1 of this format
// derived the secret with HMAC-SHA256 instead; sealing it costs 40
// characters of token and saves that HMAC in both Seal and Open (about a
// sixth of each).

// # Rotation
//
// The first key of a ring seals; every key opens, selected by the key ID in
// the token header. To rotate across several servers: deploy ring(old,
// new) everywhere so that all can open the new key's tokens, then
// ring(new, old) so that they seal with it, keep the old key until the
// last token it sealed has expired (12 hours for AssumeRole, 36 hours for
// GetSessionToken and GetFederationToken), then deploy ring(new). Key IDs
// are not secret; a ring is immutable, so swap whole rings.
//
// # Errors
//
// Open answers every failure with [ErrInvalidToken], as a *[TokenError]
// whose [TokenError.Debug] says what went wrong for a log the operator
// chooses to write; nothing in the error text distinguishes a bad key ID
// from a forged tag, so a caller cannot use it as an oracle. Open also
// rejects a token whose claims say LongTerm, a kind Seal refuses: such
// credentials have no token.

import (
	"crypto/cipher"
	cryptorand "crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	asmbase64 "github.com/segmentio/asm/base64"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// ErrInvalidToken is the one error [KeyRing.Open] returns, wrapped in a
// *[TokenError], for every token it rejects.
var ErrInvalidToken = errors.New("sts: invalid session token")

// TokenError is why [KeyRing.Open] rejected a token. Its Error text is
// always that of [ErrInvalidToken], and errors.Is(err, ErrInvalidToken)
// holds; the detail is only in [TokenError.Debug].
type TokenError struct {
	reason string
}

// Error returns the text of ErrInvalidToken.
func (e *TokenError) Error() string { return ErrInvalidToken.Error() }

// Unwrap returns ErrInvalidToken.
func (e *TokenError) Unwrap() error { return ErrInvalidToken }

// Debug says why the token was rejected, for logs only: never send it to
// the client.
func (e *TokenError) Debug() string { return e.reason }

// Rejections that carry no detail are shared, so failing costs no
// allocation.
var (
	errTokenTooLong   = &TokenError{"token longer than MaxTokenSize"}
	errTokenBase64    = &TokenError{"token is not canonical unpadded standard base64"}
	errTokenShort     = &TokenError{"token shorter than header and tag"}
	errTokenVersion   = &TokenError{"unknown token version"}
	errTokenAccessKey = &TokenError{"empty access key ID"}
	errTokenAuth      = &TokenError{"message authentication failed: wrong access key ID, wrong key or tampered token"}
	errTokenClaims    = &TokenError{"authenticated but malformed claims"}
	errTokenLongTerm  = &TokenError{"claims of a LongTerm session"}
	errTokenNoKeyRing = &TokenError{"nil or empty KeyRing"}
)

// b64 spells tokens: strict, so that a token has exactly one spelling.
//
// Tokens are a few hundred characters, and encoding/base64 spent a fifth of
// Seal and Open on them. segmentio/asm's base64 is encoding/base64 with a
// vector loop (AVX2 on amd64, NEON on arm64; encoding/base64 itself
// elsewhere) in front: the loop stops at the first character outside the
// alphabet and leaves it and the last characters to encoding/base64, so
// every rule of a strict unpadded decoding (alphabet, no padding, zero
// unused bits) is still encoding/base64's, as TestBase64MatchesStdlib
// checks. It is maintained by Segment (Twilio), BSD-licensed, and with no
// dependency but x/sys.
var b64 = asmbase64.RawStdEncoding.Strict()

const (
	tokenVersion = 2 // 1 derived the secret with HMAC; 2 seals it
	headerSize   = 1 + 4 + chacha20poly1305.NonceSizeX
	tagSize      = chacha20poly1305.Overhead

	// MaxTokenSize is the length in characters of the longest token
	// [KeyRing.Open] accepts and [KeyRing.Seal] produces. It bounds the
	// work an attacker can cause; real tokens are far shorter (see the
	// package notes in token.go).
	MaxTokenSize = 384 << 10

	// MinKeySize is the least number of bytes of a [Key]'s Secret.
	MinKeySize = 32

	secretSize = 30 // random bytes of a secret: 40 base64 characters

	infoAEAD = "iamkit sts token v1 aead"

	messageVersion = 0x81 // unlike tokenVersion, so neither opens as the other
	infoMessage    = "iamkit sts message v1 aead"

	// Pooled buffers larger than this are dropped rather than kept.
	maxPooledBuffer = 16 << 10
)

// Key is one master key of a [KeyRing]. It never prints its Secret.
type Key struct {
	// ID identifies the key inside tokens; it is not secret.
	ID uint32
	// Secret is at least [MinKeySize] bytes of high-entropy key material,
	// such as 32 bytes from crypto/rand.
	Secret Secret
}

// String returns "sts.Key(ID, [REDACTED])".
func (k Key) String() string {
	return "sts.Key(" + strconv.FormatUint(uint64(k.ID), 10) + ", " + redacted + ")"
}

// GoString returns a Go-syntax form with the secret redacted.
func (k Key) GoString() string {
	return "sts.Key{ID:" + strconv.FormatUint(uint64(k.ID), 10) + ", Secret:" + redacted + "}"
}

// Format prints GoString for %#v and String for every other verb.
func (k Key) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, k.GoString())
		return
	}
	_, _ = io.WriteString(f, k.String())
}

// LogValue returns the key ID and a redacted secret.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.Uint64("id", uint64(k.ID)), slog.String("secret", redacted))
}

// MarshalJSON encodes the key with its secret redacted, so that a Key
// inside a struct logged or dumped as JSON does not leak; key material is
// meant to be read from configuration, not written to it.
func (k Key) MarshalJSON() ([]byte, error) {
	return []byte(`{"ID":` + strconv.FormatUint(uint64(k.ID), 10) + `,"Secret":"` + redacted + `"}`), nil
}

// KeyRing seals and opens session tokens. The first key seals; every key
// opens. A KeyRing is immutable and safe for concurrent use; rotate by
// swapping in a new one. The zero KeyRing has no keys: it opens nothing and
// seals nothing. It never prints its keys.
type KeyRing struct {
	// keys[0] seals. Key material stays behind pointers, which fmt does
	// not follow below the top level, so even a KeyRing in an unexported
	// field of a printed struct does not show it.
	keys []*ringKey
}

type ringKey struct {
	id   uint32
	aead cipher.AEAD
	// msgs seals authorization messages: a key of its own, so that a
	// message never opens as a token nor a token as a message.
	msgs cipher.AEAD
}

// NewKeyRing returns a KeyRing that seals with active and opens with
// active and every older key. It fails when a secret is shorter than
// [MinKeySize] bytes or two keys share an ID.
func NewKeyRing(active Key, older ...Key) (*KeyRing, error) {
	all := append([]Key{active}, older...)
	r := &KeyRing{keys: make([]*ringKey, 0, len(all))}
	for i, k := range all {
		if len(k.Secret.Reveal()) < MinKeySize {
			return nil, fmt.Errorf("sts: NewKeyRing: key ID %d: secret of %d bytes, need at least %d", k.ID, len(k.Secret.Reveal()), MinKeySize)
		}
		for _, prev := range all[:i] {
			if prev.ID == k.ID {
				return nil, fmt.Errorf("sts: NewKeyRing: duplicate key ID %d", k.ID)
			}
		}
		master := []byte(k.Secret.Reveal())
		var aeadKey, msgKey [chacha20poly1305.KeySize]byte
		for _, d := range []struct {
			info string
			out  []byte
		}{{infoAEAD, aeadKey[:]}, {infoMessage, msgKey[:]}} {
			if _, err := io.ReadFull(hkdf.New(sha256.New, master, nil, []byte(d.info)), d.out); err != nil {
				return nil, fmt.Errorf("sts: NewKeyRing: hkdf: %w", err)
			}
		}
		clear(master)
		aead, err := chacha20poly1305.NewX(aeadKey[:])
		if err != nil {
			return nil, fmt.Errorf("sts: NewKeyRing: %w", err)
		}
		msgs, err := chacha20poly1305.NewX(msgKey[:])
		if err != nil {
			return nil, fmt.Errorf("sts: NewKeyRing: %w", err)
		}
		clear(aeadKey[:])
		clear(msgKey[:])
		r.keys = append(r.keys, &ringKey{id: k.ID, aead: aead, msgs: msgs})
	}
	return r, nil
}

// ActiveKeyID returns the ID of the key that seals, and false for an empty
// ring.
func (k *KeyRing) ActiveKeyID() (uint32, bool) {
	if k == nil || len(k.keys) == 0 {
		return 0, false
	}
	return k.keys[0].id, true
}

// KeyIDs returns the IDs of the ring's keys, the sealing key first.
func (k *KeyRing) KeyIDs() []uint32 {
	if k == nil {
		return nil
	}
	ids := make([]uint32, len(k.keys))
	for i, rk := range k.keys {
		ids[i] = rk.id
	}
	return ids
}

// String returns "sts.KeyRing[ID ID ...]", the sealing key's ID first.
func (k KeyRing) String() string {
	var b strings.Builder
	b.WriteString("sts.KeyRing[")
	for i, rk := range k.keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatUint(uint64(rk.id), 10))
	}
	b.WriteByte(']')
	return b.String()
}

// GoString returns the same as String: the ring's key IDs, no key.
func (k KeyRing) GoString() string { return k.String() }

// Format prints String for every verb.
func (k KeyRing) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// LogValue returns the key IDs, never the keys.
func (k KeyRing) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("key_ids", k.KeyIDs()))
}

// bufPool holds scratch buffers for Seal and Open.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) > maxPooledBuffer {
		return
	}
	*b = (*b)[:0]
	bufPool.Put(b)
}

// Seal seals s into a session token bound to s.AccessKeyID, which must be
// set, and returns the token and the secret access key that goes with it.
// The secret is stored nowhere but sealed in the token, where
// [KeyRing.Open] finds it again. The nonce and the secret always come from
// crypto/rand: a repeated XChaCha20-Poly1305 nonce under one key would
// reveal the XOR of two sessions' plaintexts, secrets included, so no
// caller-supplied reader is trusted with them. Seal fails for a
// LongTerm session (those have no token), for fields beyond the limits of
// the claims encoding (lists of more than 64, strings over 64 KiB, years
// outside 1 to 9999), and when the token would exceed [MaxTokenSize].
func (k *KeyRing) Seal(s *Session) (token string, secret Secret, err error) {
	return k.SealPadded(s, 0)
}

// SealPadded is [KeyRing.Seal] with a minimum token length: the token is
// padded (inside the sealed claims) to at least minTokenSize characters, up
// to 4,096 bytes of padding, as STS's MinimumSessionTokenSize asks.
func (k *KeyRing) SealPadded(s *Session, minTokenSize int) (token string, secret Secret, err error) {
	if k == nil || len(k.keys) == 0 {
		return "", Secret{}, errors.New("sts: Seal: empty KeyRing")
	}
	if s == nil || s.AccessKeyID == "" {
		return "", Secret{}, errors.New("sts: Seal: session without an access key ID")
	}
	if s.Kind == LongTerm {
		return "", Secret{}, errors.New("sts: Seal: a LongTerm session has no session token")
	}
	rk := k.keys[0]

	bp := getBuf()
	defer putBuf(bp)
	// buf = header | secret | claims, sealed in place, then base64 after
	// it.
	const start = headerSize + secretSize
	buf := grow((*bp)[:0], start)[:start]
	buf[0] = tokenVersion
	binary.BigEndian.PutUint32(buf[1:5], rk.id)
	// The nonce and the secret, in one read.
	if _, err := io.ReadFull(cryptorand.Reader, buf[5:start]); err != nil {
		return "", Secret{}, fmt.Errorf("sts: Seal: reading nonce and secret: %w", err)
	}
	secret = new(secretText).fill(buf[headerSize:start])
	buf, err = appendClaims(buf, s)
	if err != nil {
		return "", Secret{}, fmt.Errorf("sts: Seal: %w", err)
	}
	if minTokenSize > 0 {
		claims := appendPadding(buf[start:], minTokenSize, func(n int) int { return b64.EncodedLen(start + n + tagSize) })
		buf = append(buf[:start], claims...)
	}
	if b64.EncodedLen(len(buf)+tagSize) > MaxTokenSize {
		return "", Secret{}, fmt.Errorf("sts: Seal: token longer than MaxTokenSize (%d)", MaxTokenSize)
	}
	n := len(buf)
	// After header | secret | claims: room for the tag, then for the
	// associated data; buf is not reallocated under the AEAD.
	buf = grow(buf, tagSize+5+len(s.AccessKeyID))
	*bp = buf[:0]
	ad := append(buf[n+tagSize:n+tagSize], buf[:5]...)
	ad = append(ad, s.AccessKeyID...)
	raw := rk.aead.Seal(buf[:headerSize], buf[5:headerSize], buf[headerSize:n], ad)
	// The token is encoded straight into its own allocation, which
	// nothing else references, so it can become the string without a copy.
	text := make([]byte, b64.EncodedLen(len(raw)))
	b64.Encode(text, raw)
	return unsafe.String(&text[0], len(text)), secret, nil
}

// grow returns b with room for n more bytes past its length.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		return nb
	}
	return b
}

// Open authenticates and decrypts a session token presented with
// accessKeyID, and returns the session (with AccessKeyID set) and the
// secret access key that belongs to it. Every failure is an
// [ErrInvalidToken] (see [TokenError]). Open does not check expiry: the
// caller compares ExpiresAt with its own clock.
func (k *KeyRing) Open(accessKeyID, token string) (*Session, Secret, error) {
	if k == nil || len(k.keys) == 0 {
		return nil, Secret{}, errTokenNoKeyRing
	}
	if len(token) > MaxTokenSize {
		return nil, Secret{}, errTokenTooLong
	}
	if accessKeyID == "" {
		return nil, Secret{}, errTokenAccessKey
	}
	if len(token) < b64.EncodedLen(headerSize+tagSize) {
		return nil, Secret{}, errTokenShort
	}

	// buf = token text | decoded token | associated data; the ciphertext
	// is opened in place.
	bp := getBuf()
	defer putBuf(bp)
	need := len(token) + b64.DecodedLen(len(token)) + 5 + len(accessKeyID)
	if cap(*bp) < need {
		*bp = make([]byte, 0, need)
	}
	text := append((*bp)[:0], token...)
	raw := text[len(text) : len(text)+b64.DecodedLen(len(text))]
	n, err := b64.Decode(raw, text)
	// The decoder skips \r and \n; the length check rejects them.
	if err != nil || b64.EncodedLen(n) != len(token) {
		return nil, Secret{}, errTokenBase64
	}
	raw = raw[:n]
	if raw[0] != tokenVersion {
		return nil, Secret{}, errTokenVersion
	}
	id := binary.BigEndian.Uint32(raw[1:5])
	var rk *ringKey
	for _, c := range k.keys {
		if c.id == id {
			rk = c
			break
		}
	}
	if rk == nil {
		return nil, Secret{}, &TokenError{"unknown key ID " + strconv.FormatUint(uint64(id), 10)}
	}
	ad := append(raw[len(raw):], raw[:5]...)
	ad = append(ad, accessKeyID...)
	nonce := raw[5:headerSize]
	ct := raw[headerSize:]
	plain, err := rk.aead.Open(ct[:0], nonce, ct, ad)
	if err != nil {
		return nil, Secret{}, errTokenAuth
	}
	if len(plain) < secretSize {
		return nil, Secret{}, errTokenClaims
	}
	// Two allocations, the lists aside: the Session with its secret, and
	// the text of the session's fields.
	o := new(openedSession)
	o.s.AccessKeyID = accessKeyID
	if err := decodeClaims(plain[secretSize:], &o.s); err != nil {
		return nil, Secret{}, errTokenClaims
	}
	if o.s.Kind == LongTerm {
		return nil, Secret{}, errTokenLongTerm
	}
	return &o.s, o.secret.fill(plain[:secretSize]), nil
}

// secretText holds a token's secret access key: its text and the string
// header a Secret points to, in one allocation.
type secretText struct {
	s    string
	text [secretTextSize]byte
}

// fill sets the text to the base64 of raw (secretSize bytes) and returns
// the Secret that holds it.
func (t *secretText) fill(raw []byte) Secret {
	base64.StdEncoding.Encode(t.text[:], raw)
	t.s = unsafe.String(&t.text[0], len(t.text))
	return Secret{v: &t.s}
}

// openedSession is what Open allocates for a token, in one piece: the
// Session it returns and its secret.
type openedSession struct {
	s      Session
	secret secretText
}

// secretTextSize is the length of a secret access key: base64 of
// secretSize bytes.
const secretTextSize = secretSize / 3 * 4

// errInvalidMessage is every failure of OpenMessage.
var errInvalidMessage = errors.New("sts: invalid authorization message")

// SealMessage encrypts the decoded form of an authorization message (the
// EncodedMessage of an AccessDenied answer, which only
// sts:DecodeAuthorizationMessage reveals). It uses the token format with
// its own version byte, its own key derived from each master key (HKDF
// info "iamkit sts message v1 aead") and the header as associated data.
// The nonce comes from crypto/rand.
func (k *KeyRing) SealMessage(plain []byte) (string, error) {
	if k == nil || len(k.keys) == 0 {
		return "", errors.New("sts: SealMessage: empty KeyRing")
	}
	if b64.EncodedLen(headerSize+len(plain)+tagSize) > MaxTokenSize {
		return "", fmt.Errorf("sts: SealMessage: message longer than MaxTokenSize (%d)", MaxTokenSize)
	}
	rk := k.keys[0]
	raw := make([]byte, headerSize, headerSize+len(plain)+tagSize)
	raw[0] = messageVersion
	binary.BigEndian.PutUint32(raw[1:5], rk.id)
	if _, err := io.ReadFull(cryptorand.Reader, raw[5:]); err != nil {
		return "", fmt.Errorf("sts: SealMessage: reading nonce: %w", err)
	}
	raw = rk.msgs.Seal(raw, raw[5:headerSize], plain, raw[:5])
	return b64.EncodeToString(raw), nil
}

// OpenMessage decrypts a message sealed by [KeyRing.SealMessage] with any
// key of the ring. Every failure is the same opaque error.
func (k *KeyRing) OpenMessage(msg string) ([]byte, error) {
	if k == nil || len(msg) > MaxTokenSize || len(msg) < b64.EncodedLen(headerSize+tagSize) {
		return nil, errInvalidMessage
	}
	raw, err := b64.DecodeString(msg)
	if err != nil || b64.EncodedLen(len(raw)) != len(msg) || raw[0] != messageVersion {
		return nil, errInvalidMessage
	}
	id := binary.BigEndian.Uint32(raw[1:5])
	for _, rk := range k.keys {
		if rk.id == id {
			plain, err := rk.msgs.Open(raw[headerSize:headerSize], raw[5:headerSize], raw[headerSize:], raw[:5])
			if err != nil {
				return nil, errInvalidMessage
			}
			return plain, nil
		}
	}
	return nil, errInvalidMessage
}
