package sts

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// AWS-shaped identifiers: access key IDs that carry their account, and IAM
// unique IDs.
//
// The account in an access key ID is not documented by AWS; the scheme is
// Aidan Steele's public analysis (2020) of keys issued since 2019: after
// the 4-letter prefix, 16 base32 characters (A-Z2-7) encode 10 bytes; the
// first 6 bytes, read as a big-endian 48-bit z, hold the account in bits
// 7..46: account = (z & 0x7FFFFFFFFF80) >> 7. Bit 47 is set in such keys
// (their fifth character is Q-Z or 2-7); older keys (AKIAI..., AKIAJ...)
// follow no such scheme and decode to a meaningless account.

// ErrInvalidAccessKeyID is wrapped by the errors of [AccountFromAccessKeyID]
// and [NewAccessKeyID] for an ID or prefix that is not of AWS's form.
var ErrInvalidAccessKeyID = errors.New("sts: invalid access key ID")

// keyB32 is base32 with the standard alphabet (A-Z2-7) and no padding.
var keyB32 = base32.StdEncoding.WithPadding(base32.NoPadding)

const (
	accessKeyIDLen = 20
	uniqueIDLen    = 21
	maxAccount     = 999_999_999_999
	accountMask    = 0x7FFFFFFFFF80
	modernKeyBit   = 0x800000000000
)

// isAccessKeyPrefix reports whether p is a prefix of access key IDs:
// AKIA for long-term keys, ASIA for temporary ones.
func isAccessKeyPrefix(p string) bool { return p == "AKIA" || p == "ASIA" }

// NewAccessKeyID returns a 20-character access key ID with the given prefix
// ("AKIA" for a long-term key, "ASIA" for a temporary one) whose characters
// 5 to 20 encode account the way AWS does, so that
// AccountFromAccessKeyID(id) returns account. The other bits are random,
// read from r. account must be 12 decimal digits.
func NewAccessKeyID(prefix, account string, r io.Reader) (string, error) {
	if !isAccessKeyPrefix(prefix) {
		return "", fmt.Errorf("%w: prefix %q is not AKIA or ASIA", ErrInvalidAccessKeyID, prefix)
	}
	acct, ok := parseAccount(account)
	if !ok {
		return "", fmt.Errorf("sts: account %q is not 12 digits", account)
	}
	var rnd [5]byte
	if _, err := io.ReadFull(r, rnd[:]); err != nil {
		return "", fmt.Errorf("sts: reading randomness: %w", err)
	}
	z := modernKeyBit | acct<<7 | uint64(rnd[0]&0x7F)
	var b [10]byte
	var z8 [8]byte
	binary.BigEndian.PutUint64(z8[:], z)
	copy(b[:6], z8[2:])
	copy(b[6:], rnd[1:])
	return prefix + keyB32.EncodeToString(b[:]), nil
}

// AccountFromAccessKeyID returns the 12-digit account encoded in an access
// key ID (AKIA... or ASIA..., 20 characters, A-Z2-7 after the prefix), as
// AWS's GetAccessKeyInfo does. Errors wrap [ErrInvalidAccessKeyID].
func AccountFromAccessKeyID(id string) (string, error) {
	if len(id) != accessKeyIDLen {
		return "", fmt.Errorf("%w: length %d, want %d", ErrInvalidAccessKeyID, len(id), accessKeyIDLen)
	}
	if !isAccessKeyPrefix(id[:4]) {
		return "", fmt.Errorf("%w: prefix %q is not AKIA or ASIA", ErrInvalidAccessKeyID, id[:4])
	}
	var b [10]byte
	n, err := keyB32.Decode(b[:], []byte(id[4:]))
	if err != nil || n != len(b) {
		return "", fmt.Errorf("%w: characters 5 to 20 are not base32 (A-Z, 2-7)", ErrInvalidAccessKeyID)
	}
	var z8 [8]byte
	copy(z8[2:], b[:6])
	z := binary.BigEndian.Uint64(z8[:])
	acct := (z & accountMask) >> 7
	if acct > maxAccount {
		return "", fmt.Errorf("%w: encoded account %d has more than 12 digits", ErrInvalidAccessKeyID, acct)
	}
	return fmt.Sprintf("%012d", acct), nil
}

// parseAccount parses a 12-digit account ID.
func parseAccount(s string) (uint64, bool) {
	if len(s) != 12 {
		return 0, false
	}
	var n uint64
	for i := range len(s) {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// isUniqueIDPrefix reports whether p is the prefix of an IAM unique ID:
// AIDA user, AROA role, AGPA group, ANPA managed policy, AIPA instance
// profile (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
func isUniqueIDPrefix(p string) bool {
	switch p {
	case "AIDA", "AROA", "AGPA", "ANPA", "AIPA":
		return true
	}
	return false
}

// b32Alphabet is the base32 alphabet of AWS identifiers.
const b32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// DeterministicUniqueID returns the 21-character IAM unique ID that iamkit
// derives for the user or role arn when none is given: prefix (AIDA user,
// AROA role, AGPA group, ANPA managed policy, AIPA instance profile)
// followed by 17 characters of A-Z2-7 taken from a SHA-256 of arn. The
// same ARN always gets the same ID, so a world file loaded twice, or by two
// processes, names its principals alike; it panics on an unknown prefix,
// which is a programming error.
//
// AWS chooses unique IDs at random when it creates the principal
// (reference_identifiers.html#identifiers-unique-ids); a deterministic one
// keeps sessions sealed by one process valid in another.
func DeterministicUniqueID(prefix, arn string) string {
	if !isUniqueIDPrefix(prefix) {
		panic("sts: " + strconv.Quote(prefix) + " is not an IAM unique ID prefix")
	}
	sum := sha256.Sum256([]byte("iamkit world unique ID\x00" + arn))
	out := make([]byte, 0, uniqueIDLen)
	out = append(out, prefix...)
	for _, c := range sum[:uniqueIDLen-4] {
		out = append(out, b32Alphabet[c&31])
	}
	return string(out)
}

// NewUniqueID returns a 21-character IAM unique ID: prefix (AIDA user,
// AROA role, AGPA group, ANPA managed policy, AIPA instance profile)
// followed by 17 characters of A-Z2-7 chosen at random from r.
func NewUniqueID(prefix string, r io.Reader) (string, error) {
	if !isUniqueIDPrefix(prefix) {
		return "", fmt.Errorf("sts: %q is not an IAM unique ID prefix (AIDA, AROA, AGPA, ANPA, AIPA)", prefix)
	}
	var rnd [uniqueIDLen - 4]byte
	if _, err := io.ReadFull(r, rnd[:]); err != nil {
		return "", fmt.Errorf("sts: reading randomness: %w", err)
	}
	out := make([]byte, 0, uniqueIDLen)
	out = append(out, prefix...)
	for _, c := range rnd {
		out = append(out, b32Alphabet[c&31]) // 256 is a multiple of 32: uniform
	}
	return string(out), nil
}
