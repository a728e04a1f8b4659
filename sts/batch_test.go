package sts

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

func batchRole(i int) Role {
	return Role{ARN: fmt.Sprintf("arn:aws:iam::111122223333:role/r%06d", i),
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`, policy.Trust)}
}

// TestBatchAllOrNothing: a batch publishes every write at once, or none
// when fn fails or any write failed; readers never see part of it.
func TestBatchAllOrNothing(t *testing.T) {
	ctx := context.Background()
	d := NewMemoryDirectory()
	if err := d.PutRole(batchRole(0)); err != nil {
		t.Fatal(err)
	}
	// A reader polls while the batch writes: it sees 1 role or 101.
	stop := make(chan struct{})
	var seen sync.Map
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			seen.Store(len(d.load().roles), true)
		}
	}()
	err := d.Batch(func(tx *MemoryDirectory) error {
		for i := 1; i <= 100; i++ {
			if err := tx.PutRole(batchRole(i)); err != nil {
				return err
			}
			if i == 50 {
				// The staging directory reads its own writes.
				if _, err := tx.Role(ctx, batchRole(50).ARN); err != nil {
					return err
				}
			}
		}
		return nil
	})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	seen.Range(func(k, _ any) bool {
		if n := k.(int); n != 1 && n != 101 {
			t.Errorf("a reader saw %d roles", n)
		}
		return true
	})
	if n := len(d.load().roles); n != 101 {
		t.Fatalf("%d roles after the batch", n)
	}

	// fn's error: nothing published.
	boom := errors.New("boom")
	if err := d.Batch(func(tx *MemoryDirectory) error {
		_ = tx.PutRole(batchRole(200))
		return boom
	}); !errors.Is(err, boom) {
		t.Errorf("Batch = %v", err)
	}
	if _, err := d.Role(ctx, batchRole(200).ARN); err == nil {
		t.Error("a role of a failed batch was published")
	}
	// A failed write changes nothing, and the batch goes on: a role whose
	// name another ARN holds is refused, the next one is stored.
	err = d.Batch(func(tx *MemoryDirectory) error {
		clash := batchRole(1)
		clash.ARN = "arn:aws:iam::111122223333:role/path/r000001"
		if err := tx.PutRole(clash); err == nil {
			t.Error("a name clash was stored")
		}
		return tx.PutRole(batchRole(201))
	})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := d.Role(ctx, batchRole(1).ARN); err != nil || r.ARN != batchRole(1).ARN {
		t.Errorf("the refused write changed role 1: %v %v", r, err)
	}
	if _, err := d.Role(ctx, batchRole(201).ARN); err != nil {
		t.Errorf("the write after a refused one: %v", err)
	}
	// The staging directory is closed after the batch.
	var kept *MemoryDirectory
	_ = d.Batch(func(tx *MemoryDirectory) error { kept = tx; return nil })
	if err := kept.PutRole(batchRole(300)); err == nil || !strings.Contains(err.Error(), "the batch is over") {
		t.Errorf("write after the batch: %v", err)
	}
	if err := kept.Batch(func(*MemoryDirectory) error { return nil }); err == nil {
		t.Error("a nested batch ran")
	}
	// The published snapshot before the batch was never changed.
	before := d.load()
	n := len(before.roles)
	_ = d.Batch(func(tx *MemoryDirectory) error { return tx.PutRole(batchRole(400)) })
	if len(before.roles) != n {
		t.Error("a batch changed the snapshot readers held")
	}
}

// BenchmarkLoadRoles measures putting N roles one by one and in one Batch
// (issue 16: 10,000 roles in under a second, 100,000 in under ten).
func BenchmarkLoadRoles(b *testing.B) {
	sizes := []int{1000, 10000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		roles := make([]Role, n)
		for i := range roles {
			roles[i] = batchRole(i)
		}
		b.Run(fmt.Sprintf("batch-%d", n), func(b *testing.B) {
			for b.Loop() {
				d := NewMemoryDirectory()
				if err := d.Batch(func(tx *MemoryDirectory) error {
					for _, r := range roles {
						if err := tx.PutRole(r); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
		if n > 1000 {
			continue // one by one is O(N²): 10,000 takes seconds
		}
		b.Run(fmt.Sprintf("single-%d", n), func(b *testing.B) {
			for b.Loop() {
				d := NewMemoryDirectory()
				for _, r := range roles {
					if err := d.PutRole(r); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkAssumeRoleDirectorySize: AssumeRole's latency does not grow with
// the directory (issue 16: within 1.5x from 10 to 100,000 roles).
func BenchmarkAssumeRoleDirectorySize(b *testing.B) {
	for _, n := range []int{10, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			f := newIssFixture(b)
			user := f.user(issAcct, "Bench", func(u *User) {
				u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssumeAll, "arn:aws:iam::"+issAcct+":role/*", ""))}
			})
			if err := f.dir.Batch(func(tx *MemoryDirectory) error {
				for i := range n {
					if err := tx.PutRole(batchRole(i)); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			in := AssumeRoleInput{RoleArn: batchRole(n / 2).ARN, RoleSessionName: "bench"}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				in := in
				if _, err := f.is.AssumeRole(f.ctx, user, &in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
