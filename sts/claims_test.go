package sts

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// TestClaimsUvarint checks the claims decoder's uvarint, whose fast path
// reads 8 bytes at once, against encoding/binary: every value that
// binary.Uvarint reads from a minimal encoding, and nothing else (longer
// than minimal encodings, truncations, overflows), whatever follows it.
func TestClaimsUvarint(t *testing.T) {
	var values []uint64
	for shift := range 64 {
		for _, d := range []int64{-2, -1, 0, 1} {
			values = append(values, uint64(int64(1)<<shift+d))
		}
	}
	values = append(values, 0, 1, 127, 128, 535897932, math.MaxUint64, math.MaxUint64-1)
	check := func(what string, b []byte) {
		t.Helper()
		for _, tail := range [][]byte{nil, {0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}} {
			in := append(append([]byte{0xaa}, b...), tail...)
			want, n := binary.Uvarint(in[1:])
			wantOK := n > 0 && (n == 1 || in[n] != 0)
			d := claimsDecoder{b: in, off: 1, text: string(in)}
			got := d.uvarint()
			if d.bad == wantOK || (wantOK && (got != want || d.off != 1+n)) {
				t.Fatalf("%s, tail %x: got %d, off %d, bad %v; want %d, length %d, ok %v", what, tail, got, d.off, d.bad, want, n, wantOK)
			}
		}
	}
	for _, v := range values {
		b := binary.AppendUvarint(nil, v)
		check(fmt.Sprintf("%d", v), b)
		for i := range b {
			check(fmt.Sprintf("%d truncated to %d bytes", v, i), b[:i])
		}
		long := append([]byte{}, b...)
		long[len(long)-1] |= 0x80
		check(fmt.Sprintf("%d with a zero byte more", v), append(long, 0))
		check(fmt.Sprintf("%d with a one byte more", v), append(long, 1))
	}
	check("11 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1})
	check("overflow in the tenth byte", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2})
}
