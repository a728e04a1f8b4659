package sts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// The claims are the plaintext of a session token: a compact binary
// encoding of a [Session], versioned by its first byte. Version 1 is
//
//	version      byte (1)
//	kind         byte (a SessionKind, 1 to 4)
//	flags        byte (bit 0 MFA, bit 1 Chained; other bits zero)
//	Account, Partition, ARN, UserID, SourceARN, SourceID, SessionName,
//	SourceIdentity, Policy
//	             strings
//	IssuedAt, ExpiresAt, MFATime
//	             times
//	Tags         uvarint count, then key and value strings per tag
//	TransitiveTagKeys, PolicyARNs
//	             uvarint count, then that many strings
//
// A string is a uvarint byte length followed by the bytes; a time is the
// zigzag varint of its Unix seconds followed by the uvarint of its
// nanoseconds (0 to 999999999), read back in UTC.
//
// AccessKeyID is not encoded: a token is bound to its access key ID as
// associated data of the AEAD, and Open fills it in from there.
//
// Decoding is strict, so that every accepted byte string has exactly one
// meaning and re-encodes to itself: varints must be minimal, lengths and
// counts must fit in what remains, unknown kinds and flag bits are
// rejected, and no byte may trail. Limits (maxClaimString, maxClaimList)
// bound what a crafted plaintext can make the decoder allocate, and the
// decoder allocates at most once per list plus one string for all the
// text: every string field is a substring of it.

const (
	claimsVersion = 1

	// maxClaimString bounds the length in bytes of every string.
	maxClaimString = 64 << 10
	// maxClaimList bounds the number of tags, transitive tag keys and
	// policy ARNs (AWS allows 50, 50 and 10).
	maxClaimList = 64

	flagMFA     = 1 << 0
	flagChained = 1 << 1
	// flagPadded: the claims end with a uvarint length and that many zero
	// bytes, which make the token as long as MinimumSessionTokenSize asks.
	flagPadded = 1 << 2
	flagsKnown = flagMFA | flagChained | flagPadded

	// maxPadding bounds the padding (AWS caps MinimumSessionTokenSize at
	// 4,096 bytes).
	maxPadding = 4096

	// Times must lie in years 1 to 9999 (the zero time.Time is year 1).
	minClaimUnix = -62135596800 // 0001-01-01T00:00:00Z
	maxClaimUnix = 253402300799 // 9999-12-31T23:59:59Z
)

var errClaims = errors.New("malformed claims")

// appendClaims appends the claims encoding of s (all fields but
// AccessKeyID) to dst. It fails when s breaks a limit the decoder enforces,
// so that whatever it encodes decodes.
func appendClaims(dst []byte, s *Session) ([]byte, error) {
	if s.Kind < LongTerm || s.Kind > SessionToken {
		return dst, fmt.Errorf("session kind %d", s.Kind)
	}
	var flags byte
	if s.MFA {
		flags |= flagMFA
	}
	if s.Chained {
		flags |= flagChained
	}
	dst = append(dst, claimsVersion, byte(s.Kind), flags)
	for _, f := range [...]struct {
		name, v string
	}{
		{"Account", s.Account},
		{"Partition", s.Partition},
		{"ARN", s.ARN},
		{"UserID", s.UserID},
		{"SourceARN", s.SourceARN},
		{"SourceID", s.SourceID},
		{"SessionName", s.SessionName},
		{"SourceIdentity", s.SourceIdentity},
		{"Policy", s.Policy},
	} {
		if len(f.v) > maxClaimString {
			return dst, fmt.Errorf("%s: longer than %d bytes", f.name, maxClaimString)
		}
		dst = appendString(dst, f.v)
	}
	for _, f := range [...]struct {
		name string
		t    time.Time
	}{
		{"IssuedAt", s.IssuedAt},
		{"ExpiresAt", s.ExpiresAt},
		{"MFATime", s.MFATime},
	} {
		sec := f.t.Unix()
		if sec < minClaimUnix || sec > maxClaimUnix {
			return dst, fmt.Errorf("%s: year outside 1 to 9999", f.name)
		}
		dst = binary.AppendVarint(dst, sec)
		dst = binary.AppendUvarint(dst, uint64(f.t.Nanosecond()))
	}

	if len(s.Tags) > maxClaimList {
		return dst, fmt.Errorf("Tags: more than %d", maxClaimList)
	}
	dst = binary.AppendUvarint(dst, uint64(len(s.Tags)))
	for _, t := range s.Tags {
		if len(t.Key) > maxClaimString || len(t.Value) > maxClaimString {
			return dst, fmt.Errorf("Tags: longer than %d bytes", maxClaimString)
		}
		dst = appendString(dst, t.Key)
		dst = appendString(dst, t.Value)
	}
	for _, f := range [...]struct {
		name string
		l    []string
	}{
		{"TransitiveTagKeys", s.TransitiveTagKeys},
		{"PolicyARNs", s.PolicyARNs},
	} {
		if len(f.l) > maxClaimList {
			return dst, fmt.Errorf("%s: more than %d", f.name, maxClaimList)
		}
		dst = binary.AppendUvarint(dst, uint64(len(f.l)))
		for _, v := range f.l {
			if len(v) > maxClaimString {
				return dst, fmt.Errorf("%s: longer than %d bytes", f.name, maxClaimString)
			}
			dst = appendString(dst, v)
		}
	}
	return dst, nil
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// decodeClaims decodes claims into s, overwriting every field but
// AccessKeyID. Empty lists decode as nil. It never panics, and on error s
// is left partly filled.
func decodeClaims(b []byte, s *Session) error {
	if len(b) < 3 || b[0] != claimsVersion {
		return errClaims
	}
	kind, flags := SessionKind(b[1]), b[2]
	if kind < LongTerm || kind > SessionToken || flags&^flagsKnown != 0 {
		return errClaims
	}
	// One string holds all the text (one allocation, bounded by len(b));
	// fields are substrings of it.
	d := claimsDecoder{b: b, off: 3, text: string(b)}
	s.Kind = kind
	s.MFA = flags&flagMFA != 0
	s.Chained = flags&flagChained != 0
	for _, p := range [...]*string{
		&s.Account, &s.Partition, &s.ARN, &s.UserID, &s.SourceARN,
		&s.SourceID, &s.SessionName, &s.SourceIdentity, &s.Policy,
	} {
		*p = d.string()
	}
	for _, p := range [...]*time.Time{&s.IssuedAt, &s.ExpiresAt, &s.MFATime} {
		*p = d.time()
	}

	s.Tags = nil
	if n := d.count(2); n > 0 {
		s.Tags = make([]Tag, n)
		for i := range s.Tags {
			s.Tags[i] = Tag{Key: d.string(), Value: d.string()}
		}
	}
	for _, p := range [...]*[]string{&s.TransitiveTagKeys, &s.PolicyARNs} {
		*p = nil
		if n := d.count(1); n > 0 {
			l := make([]string, n)
			for i := range l {
				l[i] = d.string()
			}
			*p = l
		}
	}
	if flags&flagPadded != 0 {
		n := d.uvarint()
		if n > maxPadding || n > uint64(len(b)-d.off) {
			return errClaims
		}
		for _, c := range b[d.off : d.off+int(n)] {
			if c != 0 {
				return errClaims
			}
		}
		d.off += int(n)
	}
	if d.bad || d.off != len(b) {
		return errClaims
	}
	return nil
}

// claimsDecoder reads claims. After the first error it sets bad and
// returns zero values, so the caller checks once at the end.
type claimsDecoder struct {
	b    []byte
	off  int
	text string // string(b)
	bad  bool
}

// uvarint reads a minimal uvarint.
func (d *claimsDecoder) uvarint() uint64 {
	if d.bad {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	// n <= 0: truncated or overflow. A last byte of zero after others
	// means a longer than minimal encoding.
	if n <= 0 || (n > 1 && d.b[d.off+n-1] == 0) {
		d.bad = true
		return 0
	}
	d.off += n
	return v
}

func (d *claimsDecoder) string() string {
	n := d.uvarint()
	if d.bad || n > maxClaimString || n > uint64(len(d.b)-d.off) {
		d.bad = true
		return ""
	}
	s := d.text[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

// count reads a list length; every element takes at least minElem bytes,
// so a count larger than what remains is rejected before allocating.
func (d *claimsDecoder) count(minElem int) int {
	n := d.uvarint()
	if d.bad || n > maxClaimList || n*uint64(minElem) > uint64(len(d.b)-d.off) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *claimsDecoder) time() time.Time {
	// Zigzag: the uvarint's low bit is the sign.
	u := d.uvarint()
	sec := int64(u >> 1)
	if u&1 != 0 {
		sec = ^sec
	}
	nsec := d.uvarint()
	if d.bad || sec < minClaimUnix || sec > maxClaimUnix || nsec >= 1e9 {
		d.bad = true
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

// appendPadding pads claims (which start at claims[0]) so that the sealed
// token, of tokenLen(len) characters for a claims length, is at least
// minToken characters long.
func appendPadding(claims []byte, minToken int, tokenLen func(int) int) []byte {
	if tokenLen(len(claims)) >= minToken {
		return claims
	}
	claims[2] |= flagPadded
	for n := 0; n <= maxPadding; n++ {
		if tokenLen(len(claims)+uvarintLen(uint64(n))+n) >= minToken {
			claims = binary.AppendUvarint(claims, uint64(n))
			return append(claims, make([]byte, n)...)
		}
	}
	claims = binary.AppendUvarint(claims, maxPadding)
	return append(claims, make([]byte, maxPadding)...)
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
