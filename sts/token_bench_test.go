package sts

import (
	"testing"
)

// Benchmarks of Seal and Open by session size: typical (an AssumeRole
// session with three tags), full (every field set) and worst (AWS's
// limits, 68 KB tokens).
var benchSessions = []struct {
	name string
	s    func() *Session
}{
	{"typical", typicalSession},
	{"full", func() *Session { return fullSession(AssumedRole) }},
	{"worst", func() *Session { return worstSession("x", "x") }},
}

func BenchmarkSeal(b *testing.B) {
	r := testRing(b)
	for _, bs := range benchSessions {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.s()
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := r.Seal(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	r := testRing(b)
	for _, bs := range benchSessions {
		b.Run(bs.name, func(b *testing.B) {
			s := bs.s()
			token, _ := mustSeal(b, r, s)
			b.SetBytes(int64(len(token)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := r.Open(s.AccessKeyID, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenReject is the cost of a forged token (valid framing, wrong
// tag): what an attacker can make a server spend.
func BenchmarkOpenReject(b *testing.B) {
	r := testRing(b)
	s := typicalSession()
	token, _ := mustSeal(b, r, s)
	raw := mustDecode(b, token)
	raw[len(raw)-1] ^= 1
	forged := b64.EncodeToString(raw)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := r.Open(s.AccessKeyID, forged); err == nil {
			b.Fatal("forged token opened")
		}
	}
}

// BenchmarkSealParallel measures contention on the pools.
func BenchmarkSealParallel(b *testing.B) {
	r := testRing(b)
	s := typicalSession()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := r.Seal(s); err != nil {
				b.Fatal(err)
			}
		}
	})
}
