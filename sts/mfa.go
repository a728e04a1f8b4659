package sts

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"sync"
	"time"
)

// Errors returned by [TOTP.Verify].
var (
	// ErrInvalidMFACode means the code is wrong for every step in the
	// accepted window, is not exactly six ASCII digits, or the device has
	// no serial number or seed.
	ErrInvalidMFACode = errors.New("sts: invalid MFA code")
	// ErrMFACodeReused means the code is valid but its time step is not
	// later than the last step accepted for the same device: the code, or
	// an earlier one, was already used.
	ErrMFACodeReused = errors.New("sts: MFA code already used")
)

const (
	totpPeriod  = 30 // seconds per time step (RFC 6238 X)
	totpDigits  = 6
	totpModulus = 1_000_000 // 10^totpDigits
	maxTOTPSkew = 10
)

// TOTP verifies time-based one-time passwords as AWS virtual MFA devices
// produce them (RFC 6238: HMAC-SHA1, 30-second steps from the Unix epoch, 6
// digits) and refuses a code that was already used: AWS accepts each MFA code
// once, and RFC 6238 section 5.2 says a verifier must not accept a second
// attempt after a successful validation.
//
// Replay protection keeps, per serial number, the last accepted time step.
// A later code is accepted only if its step is after that one, so reusing a
// code fails, and so does a different code of the same or an earlier step
// (say the previous step's code, still inside the skew window, once the
// current code has been used). Entries are pruned once their step has left
// the window, so memory is bounded by the number of devices that
// authenticated in the last 2*Skew+1 steps. This assumes the clock does not
// run backwards by more than the window.
//
// The zero value is ready to use with the defaults. A TOTP is safe for
// concurrent use; set its fields before the first call to Verify.
type TOTP struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Skew is the number of 30-second steps accepted on each side of the
	// current one, to absorb clock drift. Zero means 1 (the default);
	// a negative value accepts the current step only; values above 10
	// count as 10.
	Skew int

	mu     sync.Mutex
	last   map[string]int64 // serial number -> last accepted step
	pruned int64            // the step at which last was last pruned
}

// NewTOTP returns a TOTP verifier reading the time from now (nil means
// time.Now) with the default skew of one step.
func NewTOTP(now func() time.Time) *TOTP {
	return &TOTP{Now: now}
}

func (t *TOTP) skew() int64 {
	switch {
	case t.Skew == 0:
		return 1
	case t.Skew < 0:
		return 0
	case t.Skew > maxTOTPSkew:
		return maxTOTPSkew
	}
	return int64(t.Skew)
}

// Verify checks code against the device identified by serialNumber with the
// shared secret seed (raw bytes, not base32). On success it records the step
// so the code cannot be used again and returns the start time of the
// accepted step. It fails with [ErrInvalidMFACode] or [ErrMFACodeReused].
func (t *TOTP) Verify(serialNumber string, seed []byte, code string) (time.Time, error) {
	want, ok := parseTOTPCode(code)
	if !ok || serialNumber == "" || len(seed) == 0 {
		return time.Time{}, ErrInvalidMFACode
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	cur := totpStep(now())
	skew := t.skew()
	lo, hi := max(cur-skew, 0), cur+skew

	// Compute every candidate before deciding, comparing in constant time,
	// so the time taken does not tell which step matched. This needs no
	// lock.
	var match [2*maxTOTPSkew + 1]bool
	var buf [totpDigits]byte
	for s := lo; s <= hi; s++ {
		formatTOTP(&buf, hotp(seed, uint64(s)))
		match[s-lo] = subtle.ConstantTimeCompare(buf[:], want[:]) == 1
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	t.prune(cur, skew)
	last, seen := t.last[serialNumber]
	matched := false
	for s := lo; s <= hi; s++ {
		if !match[s-lo] {
			continue
		}
		matched = true
		// The earliest unused matching step wins: it keeps the mark low
		// when a code happens to match two steps.
		if !seen || s > last {
			if t.last == nil {
				t.last = make(map[string]int64)
			}
			t.last[serialNumber] = s
			return time.Unix(s*totpPeriod, 0).UTC(), nil
		}
	}
	if matched {
		return time.Time{}, ErrMFACodeReused
	}
	return time.Time{}, ErrInvalidMFACode
}

// prune drops the entries whose step can no longer be matched, at most once
// per time step. t.mu must be held.
func (t *TOTP) prune(cur, skew int64) {
	if cur <= t.pruned {
		return
	}
	t.pruned = cur
	for serial, s := range t.last {
		if s < cur-skew {
			delete(t.last, serial)
		}
	}
}

// GenerateTOTP returns the six-digit code a virtual MFA device with the given
// seed (raw bytes) shows at the given time. Times before 1970 use step 0.
func GenerateTOTP(seed []byte, at time.Time) string {
	var buf [totpDigits]byte
	formatTOTP(&buf, hotp(seed, uint64(totpStep(at))))
	return string(buf[:])
}

// totpStep is RFC 6238's T: whole 30-second steps since the Unix epoch.
func totpStep(at time.Time) int64 {
	return max(at.Unix(), 0) / totpPeriod
}

// hotp is RFC 4226's HOTP value, truncated to totpDigits digits.
func hotp(seed []byte, counter uint64) uint32 {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, seed)
	mac.Write(msg[:])
	var sum [sha1.Size]byte
	mac.Sum(sum[:0])
	off := sum[len(sum)-1] & 0x0f // dynamic truncation, RFC 4226 section 5.3
	bin := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return bin % totpModulus
}

func formatTOTP(buf *[totpDigits]byte, v uint32) {
	for i := totpDigits - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
}

// parseTOTPCode accepts exactly six ASCII digits, as STS's TokenCode does.
func parseTOTPCode(code string) (c [totpDigits]byte, ok bool) {
	if len(code) != totpDigits {
		return c, false
	}
	for i := 0; i < totpDigits; i++ {
		if code[i] < '0' || code[i] > '9' {
			return c, false
		}
		c[i] = code[i]
	}
	return c, true
}
