package sts

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// totpRFCSeed is the SHA-1 seed of RFC 6238 Appendix B.
var totpRFCSeed = []byte("12345678901234567890")

// TestGenerateTOTPRFC6238 checks the SHA-1 test vectors of
// https://datatracker.ietf.org/doc/html/rfc6238#appendix-B, truncated to the
// six digits AWS virtual MFA devices show (the RFC lists eight; the last six
// of the eight-digit value are the six-digit code).
func TestGenerateTOTPRFC6238(t *testing.T) {
	tests := []struct {
		unix int64
		want string // RFC: 94287082, 07081804, 14050471, 89005924, 69279037, 65353130
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.unix), func(t *testing.T) {
			if got := GenerateTOTP(totpRFCSeed, time.Unix(tt.unix, 0)); got != tt.want {
				t.Errorf("GenerateTOTP(%d) = %q, want %q", tt.unix, got, tt.want)
			}
		})
	}
}

// totpClock is a settable clock safe for concurrent use.
type totpClock struct{ unix atomic.Int64 }

func newTOTPClock(unix int64) *totpClock {
	c := &totpClock{}
	c.unix.Store(unix)
	return c
}

func (c *totpClock) Now() time.Time          { return time.Unix(c.unix.Load(), 0) }
func (c *totpClock) Advance(d time.Duration) { c.unix.Add(int64(d / time.Second)) }

const totpSerial = "arn:aws:iam::111122223333:mfa/alice"

func TestTOTPVerifyAcceptsAndReturnsStepTime(t *testing.T) {
	clock := newTOTPClock(1111111111) // step 37037037 starts at 1111111110
	v := NewTOTP(clock.Now)
	got, err := v.Verify(totpSerial, totpRFCSeed, "050471")
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if want := time.Unix(1111111110, 0); !got.Equal(want) {
		t.Errorf("Verify time = %v, want %v", got, want)
	}
}

func TestTOTPSkewWindow(t *testing.T) {
	const now = 1_000_000_020 // middle of a step
	step := time.Duration(totpPeriod) * time.Second
	at := func(steps int) time.Time { return time.Unix(now, 0).Add(time.Duration(steps) * step) }
	tests := []struct {
		name   string
		skew   int
		offset int // steps from now at which the code was generated
		ok     bool
	}{
		{"current", 0, 0, true},
		{"previous step, default skew", 0, -1, true},
		{"next step, default skew", 0, +1, true},
		{"two steps back, default skew", 0, -2, false},
		{"two steps ahead, default skew", 0, +2, false},
		{"previous step, no skew", -1, -1, false},
		{"current, no skew", -1, 0, true},
		{"two steps back, skew 2", 2, -2, true},
		{"three steps back, skew 2", 2, -3, false},
		{"eleven steps back, skew clamped to 10", 50, -11, false},
		{"ten steps back, skew clamped to 10", 50, -10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &TOTP{Now: func() time.Time { return time.Unix(now, 0) }, Skew: tt.skew}
			code := GenerateTOTP(totpRFCSeed, at(tt.offset))
			got, err := v.Verify(totpSerial, totpRFCSeed, code)
			if tt.ok {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				want := time.Unix(at(tt.offset).Unix()/totpPeriod*totpPeriod, 0)
				if !got.Equal(want) {
					t.Errorf("Verify time = %v, want %v", got, want)
				}
				return
			}
			if !errors.Is(err, ErrInvalidMFACode) {
				t.Errorf("Verify err = %v, want ErrInvalidMFACode", err)
			}
		})
	}
}

func TestTOTPNearEpochSkipsNegativeSteps(t *testing.T) {
	v := NewTOTP(func() time.Time { return time.Unix(5, 0) })
	if _, err := v.Verify(totpSerial, totpRFCSeed, GenerateTOTP(totpRFCSeed, time.Unix(0, 0))); err != nil {
		t.Fatalf("Verify at step 0: %v", err)
	}
}

// TestTOTPReplay follows AWS's rule that an MFA code can be used once, and
// https://datatracker.ietf.org/doc/html/rfc6238#section-5.2: "the verifier
// MUST NOT accept the second attempt of the OTP after the successful
// validation has been issued for the first OTP".
func TestTOTPReplay(t *testing.T) {
	clock := newTOTPClock(1_000_000_020)
	v := NewTOTP(clock.Now)
	step := time.Duration(totpPeriod) * time.Second
	cur := GenerateTOTP(totpRFCSeed, clock.Now())
	prev := GenerateTOTP(totpRFCSeed, clock.Now().Add(-step))

	if _, err := v.Verify(totpSerial, totpRFCSeed, cur); err != nil {
		t.Fatalf("first use: %v", err)
	}
	if _, err := v.Verify(totpSerial, totpRFCSeed, cur); !errors.Is(err, ErrMFACodeReused) {
		t.Errorf("same code again: err = %v, want ErrMFACodeReused", err)
	}
	// The previous step's code is still inside the skew window but older
	// than the code just used: accepting it would let an observed older code
	// be replayed, so it is refused too.
	if _, err := v.Verify(totpSerial, totpRFCSeed, prev); !errors.Is(err, ErrMFACodeReused) {
		t.Errorf("older step's code: err = %v, want ErrMFACodeReused", err)
	}
	// A wrong code stays a wrong code.
	if _, err := v.Verify(totpSerial, totpRFCSeed, "000000"); !errors.Is(err, ErrInvalidMFACode) && cur != "000000" {
		t.Errorf("wrong code: err = %v, want ErrInvalidMFACode", err)
	}
	// Another device is independent.
	if _, err := v.Verify(totpSerial+"2", totpRFCSeed, cur); err != nil {
		t.Errorf("other device, same code: %v", err)
	}
	// Thirty seconds later the next code works, once.
	clock.Advance(step)
	next := GenerateTOTP(totpRFCSeed, clock.Now())
	if _, err := v.Verify(totpSerial, totpRFCSeed, next); err != nil {
		t.Errorf("next step: %v", err)
	}
	if _, err := v.Verify(totpSerial, totpRFCSeed, next); !errors.Is(err, ErrMFACodeReused) {
		t.Errorf("next step again: err = %v, want ErrMFACodeReused", err)
	}
	// Once the used step has left the window the old code is merely wrong.
	clock.Advance(5 * step)
	if _, err := v.Verify(totpSerial, totpRFCSeed, cur); !errors.Is(err, ErrInvalidMFACode) {
		t.Errorf("expired code: err = %v, want ErrInvalidMFACode", err)
	}
}

func TestTOTPMalformed(t *testing.T) {
	v := NewTOTP(func() time.Time { return time.Unix(59, 0) })
	for _, code := range []string{"", "28708", "2870820", "94287082", "28708a", " 87082", "287 82", "２８７０８２", "-87082"} {
		if _, err := v.Verify(totpSerial, totpRFCSeed, code); !errors.Is(err, ErrInvalidMFACode) {
			t.Errorf("Verify(%q) err = %v, want ErrInvalidMFACode", code, err)
		}
	}
	if _, err := v.Verify("", totpRFCSeed, "287082"); !errors.Is(err, ErrInvalidMFACode) {
		t.Errorf("empty serial: err = %v, want ErrInvalidMFACode", err)
	}
	if _, err := v.Verify(totpSerial, nil, "287082"); !errors.Is(err, ErrInvalidMFACode) {
		t.Errorf("empty seed: err = %v, want ErrInvalidMFACode", err)
	}
	if _, err := v.Verify(totpSerial, []byte("another seed"), "287082"); !errors.Is(err, ErrInvalidMFACode) {
		t.Errorf("wrong seed: err = %v, want ErrInvalidMFACode", err)
	}
	if _, err := v.Verify(totpSerial, totpRFCSeed, "287082"); err != nil {
		t.Errorf("valid code after failures: %v", err)
	}
}

func TestTOTPZeroValueUsesDefaults(t *testing.T) {
	var v TOTP
	if _, err := v.Verify(totpSerial, totpRFCSeed, GenerateTOTP(totpRFCSeed, time.Now())); err != nil {
		t.Fatalf("zero TOTP: %v", err)
	}
}

// TestTOTPConcurrentSameCode: of many simultaneous uses of one code exactly
// one succeeds.
func TestTOTPConcurrentSameCode(t *testing.T) {
	clock := newTOTPClock(1_000_000_020)
	v := NewTOTP(clock.Now)
	code := GenerateTOTP(totpRFCSeed, clock.Now())
	var ok, reused atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			_, err := v.Verify(totpSerial, totpRFCSeed, code)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrMFACodeReused):
				reused.Add(1)
			default:
				t.Errorf("Verify: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || reused.Load() != 63 {
		t.Errorf("successes = %d, reuses = %d; want 1 and 63", ok.Load(), reused.Load())
	}
}

// TestTOTPConcurrentDevices runs many devices while the clock moves, for the
// race detector.
func TestTOTPConcurrentDevices(t *testing.T) {
	clock := newTOTPClock(1_000_000_020)
	v := NewTOTP(clock.Now)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				s := fmt.Sprintf("arn:aws:iam::111122223333:mfa/d%d-%d", g, i%20)
				_, err := v.Verify(s, totpRFCSeed, GenerateTOTP(totpRFCSeed, clock.Now()))
				if err != nil && !errors.Is(err, ErrMFACodeReused) && !errors.Is(err, ErrInvalidMFACode) {
					t.Errorf("Verify: %v", err)
				}
				if i%50 == 0 {
					clock.Advance(totpPeriod * time.Second)
				}
			}
		})
	}
	wg.Wait()
}

// TestTOTPPruning: the replay record only holds devices whose last step can
// still be matched.
func TestTOTPPruning(t *testing.T) {
	clock := newTOTPClock(1_000_000_020)
	v := NewTOTP(clock.Now)
	code := GenerateTOTP(totpRFCSeed, clock.Now())
	for i := range 1000 {
		if _, err := v.Verify(fmt.Sprintf("arn:aws:iam::111122223333:mfa/d%d", i), totpRFCSeed, code); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.entries(); n != 1000 {
		t.Fatalf("entries = %d, want 1000", n)
	}
	// One step later the entries can still be matched (skew 1): kept.
	clock.Advance(totpPeriod * time.Second)
	if _, err := v.Verify(totpSerial, totpRFCSeed, GenerateTOTP(totpRFCSeed, clock.Now())); err != nil {
		t.Fatal(err)
	}
	if n := v.entries(); n != 1001 {
		t.Fatalf("entries one step later = %d, want 1001", n)
	}
	// Two steps after the first batch, those entries are out of the window.
	clock.Advance(totpPeriod * time.Second)
	_, _ = v.Verify(totpSerial, totpRFCSeed, "000000") // any call prunes
	if n := v.entries(); n != 1 {
		t.Errorf("entries after the window passed = %d, want 1", n)
	}
}

func (t *TOTP) entries() int {
	return t.store().(*MemoryMFAStore).Len()
}

func BenchmarkTOTPVerify(b *testing.B) {
	clock := newTOTPClock(1_000_000_020)
	v := NewTOTP(clock.Now)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = v.Verify(totpSerial, totpRFCSeed, "123456")
	}
}

func ExampleTOTP() {
	seed := []byte("12345678901234567890") // the device's shared secret
	now := time.Unix(1111111111, 0)
	v := NewTOTP(func() time.Time { return now })

	code := GenerateTOTP(seed, now) // what the device shows
	at, err := v.Verify("arn:aws:iam::111122223333:mfa/alice", seed, code)
	fmt.Println(code, at.Unix(), err)

	_, err = v.Verify("arn:aws:iam::111122223333:mfa/alice", seed, code)
	fmt.Println(err)
	// Output:
	// 050471 1111111110 <nil>
	// sts: MFA code already used
}
