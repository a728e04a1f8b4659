package sts

import (
	"context"
	"errors"
	"testing"
	"time"
)

// docRFC4226Throttling is the rule the lockout follows.
const docRFC4226Throttling = "https://datatracker.ietf.org/doc/html/rfc4226#section-7.3"

// wrongTOTP returns a code that is not the device's code at now nor at the
// neighbouring steps.
func wrongTOTP(seed []byte, now time.Time) string {
	for d := 0; d < 10; d++ {
		c := []byte(GenerateTOTP(seed, now))
		c[5] = byte('0' + (int(c[5]-'0')+1+d)%10)
		w := string(c)
		if w != GenerateTOTP(seed, now.Add(-totpPeriod*time.Second)) && w != GenerateTOTP(seed, now.Add(totpPeriod*time.Second)) {
			return w
		}
	}
	panic("no wrong code")
}

func TestMFALockoutAfter(t *testing.T) {
	t.Logf("RFC: %s", docRFC4226Throttling)
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {4, 0}, {5, 30 * time.Second}, {6, 60 * time.Second}, {7, 2 * time.Minute},
		{9, 8 * time.Minute}, {10, 15 * time.Minute}, {100, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := MFALockoutAfter(tt.n); got != tt.want {
			t.Errorf("MFALockoutAfter(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestTOTPLockout(t *testing.T) {
	t.Logf("RFC: %s", docRFC4226Throttling)
	clock := newTOTPClock(1111111111)
	v := NewTOTP(clock.Now)
	fail := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if _, err := v.Verify(totpSerial, totpRFCSeed, wrongTOTP(totpRFCSeed, clock.Now())); !errors.Is(err, ErrInvalidMFACode) {
				t.Fatalf("wrong code %d: %v, want ErrInvalidMFACode", i+1, err)
			}
		}
	}
	right := func() error {
		_, err := v.Verify(totpSerial, totpRFCSeed, GenerateTOTP(totpRFCSeed, clock.Now()))
		return err
	}
	fail(5)
	if err := right(); !errors.Is(err, ErrMFALocked) {
		t.Fatalf("right code after 5 failures: %v, want ErrMFALocked", err)
	}
	clock.Advance(29 * time.Second)
	if err := right(); !errors.Is(err, ErrMFALocked) {
		t.Fatalf("right code 29 s after lockout: %v, want ErrMFALocked", err)
	}
	clock.Advance(time.Second)
	// A 6th failure once the 30 s have passed doubles the lockout to 60 s.
	fail(1)
	clock.Advance(59 * time.Second)
	if err := right(); !errors.Is(err, ErrMFALocked) {
		t.Fatalf("right code 59 s after 6th failure: %v, want ErrMFALocked", err)
	}
	clock.Advance(time.Second)
	if err := right(); err != nil {
		t.Fatalf("right code 60 s after 6th failure: %v", err)
	}
	// The success reset the count: four failures do not lock.
	clock.Advance(30 * time.Second)
	fail(4)
	if err := right(); err != nil {
		t.Fatalf("right code after success and 4 failures: %v", err)
	}
	// Cap: further failures past each lockout never lock beyond 15 min.
	clock.Advance(30 * time.Second)
	fail(5)
	for i := 0; i < 10; i++ {
		clock.Advance(MFAMaxLockout)
		fail(1)
	}
	clock.Advance(MFAMaxLockout)
	if err := right(); err != nil {
		t.Fatalf("right code 15 min after the last of many failures: %v", err)
	}
}

func TestMFAStoreKeyedByUserAndSerial(t *testing.T) {
	t.Logf("RFC: %s", docRFC4226Throttling)
	clock := newTOTPClock(1111111111)
	store := NewMemoryMFAStore()
	a := &TOTP{Now: clock.Now, Store: store}
	b := &TOTP{Now: clock.Now, Store: store}
	ctx := context.Background()
	alice := MFADeviceKey{UserARN: "arn:aws:iam::111122223333:user/alice", SerialNumber: "shared"}
	bob := MFADeviceKey{UserARN: "arn:aws:iam::111122223333:user/bob", SerialNumber: "shared"}
	code := GenerateTOTP(totpRFCSeed, clock.Now())
	if _, err := a.VerifyDevice(ctx, alice, totpRFCSeed, code); err != nil {
		t.Fatalf("alice: %v", err)
	}
	if _, err := a.VerifyDevice(ctx, bob, totpRFCSeed, code); err != nil {
		t.Fatalf("bob with the same serial string: %v", err)
	}
	if _, err := b.VerifyDevice(ctx, alice, totpRFCSeed, code); !errors.Is(err, ErrMFACodeReused) {
		t.Fatalf("alice's code on the other verifier: %v, want ErrMFACodeReused", err)
	}
	clock.Advance(30 * time.Second)
	for i := 0; i < MFAMaxFailures; i++ {
		a.VerifyDevice(ctx, alice, totpRFCSeed, wrongTOTP(totpRFCSeed, clock.Now()))
	}
	if _, err := b.VerifyDevice(ctx, alice, totpRFCSeed, GenerateTOTP(totpRFCSeed, clock.Now())); !errors.Is(err, ErrMFALocked) {
		t.Fatalf("alice locked on one verifier, other says %v, want ErrMFALocked", err)
	}
	if _, err := b.VerifyDevice(ctx, bob, totpRFCSeed, GenerateTOTP(totpRFCSeed, clock.Now())); err != nil {
		t.Fatalf("bob while alice is locked: %v", err)
	}
}
