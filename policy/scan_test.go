package policy

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestTextStats checks the word-at-a-time character count and check
// against the exact checks, on random documents of allowed and disallowed
// characters.
func TestTextStats(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "{", "\"", " ", "  ", "\t", "\n", "\r\n", "é", "ÿ", "\u0080", "€", "\x00", "\x1f", "\x7f", "\xc3", "\xc2\xff", "\xff", "abcdefgh", "0123456", "🙂"}
	for range 20000 {
		var b []byte
		for range r.IntN(40) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		runes, space, ok := textStats(b)
		ps := &parser{typ: Session}
		ps.checkCharacters(b)
		if wantOK := len(ps.findings) == 0 && utf8.Valid(b); ok != wantOK {
			t.Fatalf("%q: ok = %v, the exact check says %v", b, ok, wantOK)
		}
		if !ok {
			continue
		}
		wantSpace := 0
		for _, c := range b {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				wantSpace++
			}
		}
		if runes != utf8.RuneCount(b) || space != wantSpace {
			t.Fatalf("%q: %d characters, %d spaces; want %d, %d", b, runes, space, utf8.RuneCount(b), wantSpace)
		}
	}
}
