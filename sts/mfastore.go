package sts

import (
	"context"
	"sync"
	"time"
)

// Throttling of MFA codes (RFC 4226 section 7.3): after MFAMaxFailures
// consecutive failures a device is locked for MFALockout, doubled by each
// further failure up to MFAMaxLockout.
const (
	MFAMaxFailures = 5
	MFALockout     = 30 * time.Second
	MFAMaxLockout  = 15 * time.Minute
	// mfaFailureMemory is how long a failure count is kept without a new
	// failure: past it, a few old typos no longer count.
	mfaFailureMemory = MFAMaxLockout
)

// MFADeviceKey names one MFA device: the ARN of the user it belongs to and
// its serial number. Two users may hold the same serial string; their
// devices are distinct.
type MFADeviceKey struct {
	UserARN      string
	SerialNumber string
}

// MFAStore keeps, per device, the replay and throttling state of a [TOTP]:
// the last accepted time step and the count of consecutive failures.
//
// Each method must be atomic per key (a check-and-set, not a read followed
// by a write), so that two Issuers racing with the same code accept it at
// most once. An implementation shared by several processes (a database, a
// Redis instance) must also be durable across restarts for at least the
// window: a step for as long as Accept's keep time, a failure count and its
// lockout for [MFAMaxLockout] after the last failure. Otherwise a code used
// on one process is accepted by another, or again after a restart.
// [MemoryMFAStore] is the in-process default.
type MFAStore interface {
	// Accept records step as the last accepted step of dev if it is later
	// than the one recorded (or none is), resets dev's failures, and
	// reports whether it did; the record may be dropped after keep.
	Accept(ctx context.Context, dev MFADeviceKey, step int64, keep time.Time) (bool, error)
	// Fail records a failure of dev at now and returns the time until
	// which dev is locked (zero or past when it is not).
	Fail(ctx context.Context, dev MFADeviceKey, now time.Time) (lockedUntil time.Time, err error)
	// LockedUntil returns the time until which dev is locked.
	LockedUntil(ctx context.Context, dev MFADeviceKey, now time.Time) (time.Time, error)
}

// MFALockoutAfter returns how long a device is locked after its n-th
// consecutive failure: nothing before MFAMaxFailures, then MFALockout
// doubling per further failure, at most MFAMaxLockout. Shared MFAStores
// can use it to apply the same rule.
func MFALockoutAfter(n int) time.Duration {
	if n < MFAMaxFailures {
		return 0
	}
	d := MFALockout
	for i := MFAMaxFailures; i < n && d < MFAMaxLockout; i++ {
		d *= 2
	}
	return min(d, MFAMaxLockout)
}

// MemoryMFAStore is an in-memory [MFAStore]. It protects a single process
// only: its state is lost on restart and not seen by other processes.
// Entries are pruned once their step has left the window and their
// failures are forgotten, so memory is bounded by the devices used or
// failed in the last 15 minutes. It is safe for concurrent use.
type MemoryMFAStore struct {
	mu      sync.Mutex
	m       map[MFADeviceKey]*mfaEntry
	pruneAt time.Time
}

type mfaEntry struct {
	step     int64
	hasStep  bool
	keep     time.Time
	failures int
	lastFail time.Time
	until    time.Time
}

// NewMemoryMFAStore returns an empty MemoryMFAStore.
func NewMemoryMFAStore() *MemoryMFAStore {
	return &MemoryMFAStore{m: make(map[MFADeviceKey]*mfaEntry)}
}

// Accept implements [MFAStore].
func (m *MemoryMFAStore) Accept(_ context.Context, dev MFADeviceKey, step int64, keep time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entry(dev)
	if e.hasStep && step <= e.step {
		return false, nil
	}
	*e = mfaEntry{step: step, hasStep: true, keep: keep}
	return true, nil
}

// Fail implements [MFAStore].
func (m *MemoryMFAStore) Fail(_ context.Context, dev MFADeviceKey, now time.Time) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prune(now)
	e := m.entry(dev)
	if e.failures > 0 && now.Sub(e.lastFail) > mfaFailureMemory && !now.Before(e.until) {
		e.failures = 0
	}
	e.failures++
	e.lastFail = now
	if d := MFALockoutAfter(e.failures); d > 0 {
		e.until = now.Add(d)
	}
	return e.until, nil
}

// LockedUntil implements [MFAStore].
func (m *MemoryMFAStore) LockedUntil(_ context.Context, dev MFADeviceKey, now time.Time) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prune(now)
	if e, ok := m.m[dev]; ok {
		return e.until, nil
	}
	return time.Time{}, nil
}

// Len returns the number of devices with state, for tests and metrics.
func (m *MemoryMFAStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

func (m *MemoryMFAStore) entry(dev MFADeviceKey) *mfaEntry {
	if m.m == nil {
		m.m = make(map[MFADeviceKey]*mfaEntry)
	}
	e := m.m[dev]
	if e == nil {
		e = new(mfaEntry)
		m.m[dev] = e
	}
	return e
}

// prune drops forgotten entries, at most once per TOTP period. m.mu must
// be held.
func (m *MemoryMFAStore) prune(now time.Time) {
	if now.Before(m.pruneAt) {
		return
	}
	m.pruneAt = now.Truncate(totpPeriod * time.Second).Add(totpPeriod * time.Second)
	for k, e := range m.m {
		if !now.Before(e.keep) && now.After(e.until) && now.Sub(e.lastFail) > mfaFailureMemory {
			delete(m.m, k)
		}
	}
}
