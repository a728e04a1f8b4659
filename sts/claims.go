package sts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
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
	// flagFederated: after the lists come FederatedProvider and the
	// ProviderKeys (count; per key a multi byte, the key, its values). It
	// is set for any session with either, so also for an EC2 instance-role
	// session, whose EC2 keys are ProviderKeys with no FederatedProvider.
	flagFederated = 1 << 3
	flagsKnown    = flagMFA | flagChained | flagPadded | flagFederated

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
	if err := checkClaims(s); err != nil {
		return dst, err
	}
	var flags byte
	if s.MFA {
		flags |= flagMFA
	}
	if s.Chained {
		flags |= flagChained
	}
	federated := s.FederatedProvider != "" || len(s.ProviderKeys) > 0
	if federated {
		flags |= flagFederated
	}
	dst = append(dst, claimsVersion, byte(s.Kind), flags)
	dst = appendString(dst, s.Account)
	dst = appendString(dst, s.Partition)
	dst = appendString(dst, s.ARN)
	dst = appendString(dst, s.UserID)
	dst = appendString(dst, s.SourceARN)
	dst = appendString(dst, s.SourceID)
	dst = appendString(dst, s.SessionName)
	dst = appendString(dst, s.SourceIdentity)
	dst = appendString(dst, s.Policy)
	dst = appendTime(dst, s.IssuedAt)
	dst = appendTime(dst, s.ExpiresAt)
	dst = appendTime(dst, s.MFATime)
	dst = append(dst, byte(len(s.Tags))) // at most maxClaimList: one byte
	for _, t := range s.Tags {
		dst = appendString(dst, t.Key)
		dst = appendString(dst, t.Value)
	}
	for _, l := range [...][]string{s.TransitiveTagKeys, s.PolicyARNs} {
		dst = append(dst, byte(len(l)))
		for _, v := range l {
			dst = appendString(dst, v)
		}
	}
	if federated {
		dst = appendString(dst, s.FederatedProvider)
		dst = append(dst, byte(len(s.ProviderKeys)))
		for _, k := range s.ProviderKeys {
			multi := byte(0)
			if k.Multi {
				multi = 1
			}
			dst = append(dst, multi)
			dst = appendString(dst, k.Key)
			dst = append(dst, byte(len(k.Values)))
			for _, v := range k.Values {
				dst = appendString(dst, v)
			}
		}
	}
	return dst, nil
}

// appendClaims writes list lengths as one byte, which is their minimal
// uvarint up to 0x7f; this stops compiling if maxClaimList grows past it.
const _ = uint8(0x7f - maxClaimList)

// checkClaims says which field of s, if any, breaks a limit of the claims
// encoding.
func checkClaims(s *Session) error {
	if s.Kind < LongTerm || s.Kind > SessionToken {
		return fmt.Errorf("session kind %d", s.Kind)
	}
	// The common case, every string far shorter than the limit, in one
	// test: a length of maxClaimString or more sets a bit of the OR at or
	// above that power of two.
	long := len(s.Account) | len(s.Partition) | len(s.ARN) | len(s.UserID) | len(s.SourceARN) |
		len(s.SourceID) | len(s.SessionName) | len(s.SourceIdentity) | len(s.Policy) | len(s.FederatedProvider)
	for _, k := range s.ProviderKeys {
		long |= len(k.Key)
		for _, v := range k.Values {
			long |= len(v)
		}
	}
	for _, t := range s.Tags {
		long |= len(t.Key) | len(t.Value)
	}
	for _, v := range s.TransitiveTagKeys {
		long |= len(v)
	}
	for _, v := range s.PolicyARNs {
		long |= len(v)
	}
	if long >= maxClaimString {
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
			{"FederatedProvider", s.FederatedProvider},
		} {
			if len(f.v) > maxClaimString {
				return fmt.Errorf("%s: longer than %d bytes", f.name, maxClaimString)
			}
		}
		for _, t := range s.Tags {
			if len(t.Key) > maxClaimString || len(t.Value) > maxClaimString {
				return fmt.Errorf("%s: longer than %d bytes", "Tags", maxClaimString)
			}
		}
		for _, k := range s.ProviderKeys {
			if len(k.Key) > maxClaimString || slices.ContainsFunc(k.Values, func(v string) bool { return len(v) > maxClaimString }) {
				return fmt.Errorf("ProviderKeys: longer than %d bytes", maxClaimString)
			}
		}
		for _, f := range [...]struct {
			name string
			l    []string
		}{
			{"TransitiveTagKeys", s.TransitiveTagKeys},
			{"PolicyARNs", s.PolicyARNs},
		} {
			for _, v := range f.l {
				if len(v) > maxClaimString {
					return fmt.Errorf("%s: longer than %d bytes", f.name, maxClaimString)
				}
			}
		}
	}
	for _, f := range [...]struct {
		name string
		t    time.Time
	}{
		{"IssuedAt", s.IssuedAt},
		{"ExpiresAt", s.ExpiresAt},
		{"MFATime", s.MFATime},
	} {
		if sec := f.t.Unix(); sec < minClaimUnix || sec > maxClaimUnix {
			return fmt.Errorf("%s: year outside 1 to 9999", f.name)
		}
	}
	if len(s.Tags) > maxClaimList {
		return fmt.Errorf("%s: more than %d", "Tags", maxClaimList)
	}
	if len(s.TransitiveTagKeys) > maxClaimList {
		return fmt.Errorf("TransitiveTagKeys: more than %d", maxClaimList)
	}
	if len(s.PolicyARNs) > maxClaimList {
		return fmt.Errorf("PolicyARNs: more than %d", maxClaimList)
	}
	if len(s.ProviderKeys) > maxClaimList || slices.ContainsFunc(s.ProviderKeys, func(k ProviderKey) bool { return len(k.Values) > maxClaimList }) {
		return fmt.Errorf("ProviderKeys: more than %d keys or values", maxClaimList)
	}
	return nil
}

func appendString(dst []byte, s string) []byte {
	if len(s) < 0x80 {
		dst = append(dst, byte(len(s)))
	} else {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
	}
	return append(dst, s...)
}

func appendTime(dst []byte, t time.Time) []byte {
	dst = binary.AppendVarint(dst, t.Unix())
	return binary.AppendUvarint(dst, uint64(t.Nanosecond()))
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
	s.Account = d.string()
	s.Partition = d.string()
	s.ARN = d.string()
	s.UserID = d.string()
	s.SourceARN = d.string()
	s.SourceID = d.string()
	s.SessionName = d.string()
	s.SourceIdentity = d.string()
	s.Policy = d.string()
	s.IssuedAt = d.time()
	s.ExpiresAt = d.time()
	s.MFATime = d.time()

	s.Tags = nil
	if n := d.count(2); n > 0 {
		s.Tags = make([]Tag, n)
		for i := range s.Tags {
			s.Tags[i] = Tag{Key: d.string(), Value: d.string()}
		}
	}
	s.TransitiveTagKeys = d.list()
	s.PolicyARNs = d.list()
	s.FederatedProvider, s.ProviderKeys = "", nil
	if flags&flagFederated != 0 {
		s.FederatedProvider = d.string()
		if n := d.count(3); n > 0 {
			s.ProviderKeys = make([]ProviderKey, n)
			for i := range s.ProviderKeys {
				k := &s.ProviderKeys[i]
				switch d.byte() {
				case 0:
				case 1:
					k.Multi = true
				default:
					d.bad = true
				}
				k.Key = d.string()
				k.Values = d.list()
			}
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

// claimsDecoder reads claims. After the first error it sets bad, stops
// advancing and returns zero values or garbage, never past the end of b,
// so the caller checks once at the end.
type claimsDecoder struct {
	b    []byte
	off  int
	text string // string(b)
	bad  bool
}

// uvarint reads a minimal uvarint. The one-byte case, most lengths and
// counts, is small enough to inline.
func (d *claimsDecoder) uvarint() uint64 {
	if d.off < len(d.b) && d.b[d.off] < 0x80 {
		v := d.b[d.off]
		d.off++
		return uint64(v)
	}
	return d.uvarintLong()
}

func (d *claimsDecoder) uvarintLong() uint64 {
	if len(d.b)-d.off >= 8 {
		// Up to 8 bytes at once (times take 5 each): the first byte
		// without a continuation bit ends the varint; drop the bytes after
		// it and the continuation bits, then close the 7-bit gaps.
		x := binary.LittleEndian.Uint64(d.b[d.off:])
		if ends := ^x & 0x8080808080808080; ends != 0 {
			n := bits.TrailingZeros64(ends)/8 + 1
			if n < 8 {
				x &= 1<<(8*n) - 1
			}
			// A last byte of zero after others means a longer than
			// minimal encoding.
			if n > 1 && x>>(8*(n-1)) == 0 {
				d.bad = true
				return 0
			}
			x &= 0x7f7f7f7f7f7f7f7f
			x = x&0x007f007f007f007f | x&0x7f007f007f007f00>>1
			x = x&0x00003fff00003fff | x&0x3fff00003fff0000>>2
			x = x&0x000000000fffffff | x&0x0fffffff00000000>>4
			d.off += n
			return x
		}
	}
	var v uint64
	for i, off := 0, d.off; off < len(d.b) && i < binary.MaxVarintLen64; i, off = i+1, off+1 {
		c := d.b[off]
		if c < 0x80 {
			// A last byte of zero after others means a longer than
			// minimal encoding; the tenth byte holds one bit.
			if (i > 0 && c == 0) || (i == binary.MaxVarintLen64-1 && c > 1) {
				break
			}
			d.off = off + 1
			return v | uint64(c)<<(7*i)
		}
		v |= uint64(c&0x7f) << (7 * i)
	}
	d.bad = true
	return 0
}

// string reads a string. The one-byte length case is small enough to
// inline.
func (d *claimsDecoder) string() string {
	if d.off < len(d.b) {
		if n := int(d.b[d.off]); n < 0x80 && n < len(d.b)-d.off {
			s := d.text[d.off+1 : d.off+1+n]
			d.off += 1 + n
			return s
		}
	}
	return d.stringLong()
}

func (d *claimsDecoder) stringLong() string {
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

// byte reads one byte.
func (d *claimsDecoder) byte() byte {
	if d.bad || d.off >= len(d.b) {
		d.bad = true
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

// list reads a list of strings; an empty list is nil.
func (d *claimsDecoder) list() []string {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = d.string()
	}
	return l
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
