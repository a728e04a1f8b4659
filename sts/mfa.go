package sts

import (
	"context"
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
	// ErrMFALocked means the device is locked out after too many
	// consecutive failures; no code is checked until the lockout ends.
	ErrMFALocked = errors.New("sts: MFA device locked after repeated failures")
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
// Replay protection keeps, per device (the user ARN and the serial number,
// [MFADeviceKey]), the last accepted time step. A later code is accepted
// only if its step is after that one, so reusing a code fails, and so does
// a different code of the same or an earlier step. This assumes the clock
// does not run backwards by more than the window.
//
// Guessing is throttled per device (RFC 4226 section 7.3): after
// [MFAMaxFailures] consecutive failures every code for the device is refused
// for [MFALockout] (30 s), the lockout doubling with each further failure
// up to [MFAMaxLockout] (15 min); a success resets the count. A refused
// code fails with [ErrMFALocked] and callers must answer it exactly as a
// wrong code, so the lockout is no oracle.
//
// The state lives in Store, an [MFAStore]; nil means a process-local
// [MemoryMFAStore], which only protects the one process: Issuers that
// serve the same sessions from several processes (or across restarts) must
// share a durable MFAStore.
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
	// Store keeps the replay and throttling state; nil means a
	// MemoryMFAStore of this TOTP's own.
	Store MFAStore

	once  sync.Once
	local MFAStore
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

func (t *TOTP) store() MFAStore {
	if t.Store != nil {
		return t.Store
	}
	t.once.Do(func() { t.local = NewMemoryMFAStore() })
	return t.local
}

// Verify checks code against the device identified by serialNumber alone
// (no user): it is VerifyDevice with an empty UserARN and a background
// context.
func (t *TOTP) Verify(serialNumber string, seed []byte, code string) (time.Time, error) {
	return t.VerifyDevice(context.Background(), MFADeviceKey{SerialNumber: serialNumber}, seed, code)
}

// VerifyDevice checks code against the device dev with the shared secret
// seed (raw bytes, not base32). On success it records the step so the code
// cannot be used again, resets the device's failures and returns the start
// time of the accepted step. It fails with [ErrInvalidMFACode],
// [ErrMFACodeReused] or [ErrMFALocked], or with the Store's error.
func (t *TOTP) VerifyDevice(ctx context.Context, dev MFADeviceKey, seed []byte, code string) (time.Time, error) {
	want, ok := parseTOTPCode(code)
	if !ok || dev.SerialNumber == "" || len(seed) == 0 {
		// A malformed code cannot be right, so it teaches nothing and
		// does not count towards the lockout.
		return time.Time{}, ErrInvalidMFACode
	}
	clock := time.Now
	if t.Now != nil {
		clock = t.Now
	}
	now := clock()
	st := t.store()
	until, err := st.LockedUntil(ctx, dev, now)
	if err != nil {
		return time.Time{}, err
	}
	if now.Before(until) {
		return time.Time{}, ErrMFALocked
	}
	cur := totpStep(now)
	skew := t.skew()
	lo, hi := max(cur-skew, 0), cur+skew

	// Compute every candidate before deciding, comparing in constant time,
	// so the time taken does not tell which step matched.
	var match [2*maxTOTPSkew + 1]bool
	var buf [totpDigits]byte
	for s := lo; s <= hi; s++ {
		formatTOTP(&buf, hotp(seed, uint64(s)))
		match[s-lo] = subtle.ConstantTimeCompare(buf[:], want[:]) == 1
	}
	// The step stays recorded until it has left the window.
	matched := false
	for s := lo; s <= hi; s++ {
		if !match[s-lo] {
			continue
		}
		matched = true
		// The earliest unused matching step wins: it keeps the mark low
		// when a code happens to match two steps.
		ok, err := st.Accept(ctx, dev, s, time.Unix((s+skew+1)*totpPeriod, 0))
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			return time.Unix(s*totpPeriod, 0).UTC(), nil
		}
	}
	if matched {
		// A used code is no guess: it does not count towards the lockout.
		return time.Time{}, ErrMFACodeReused
	}
	if _, err := st.Fail(ctx, dev, now); err != nil {
		return time.Time{}, err
	}
	return time.Time{}, ErrInvalidMFACode
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
