package sts

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// TestBase64MatchesStdlib checks that b64 (segmentio/asm's vector decoder)
// accepts and rejects exactly what encoding/base64's strict unpadded
// decoding does, and decodes to the same bytes: on tokens of every length
// around the vector loop's block size, with every character replaced by
// every byte value at a sample of positions, and with characters inserted.
func TestBase64MatchesStdlib(t *testing.T) {
	std := base64.RawStdEncoding.Strict()
	check := func(what, text string) {
		t.Helper()
		want, wantErr := std.DecodeString(text)
		got := make([]byte, b64.DecodedLen(len(text)))
		n, err := b64.Decode(got, []byte(text))
		if (err != nil) != (wantErr != nil) || (err == nil && !bytes.Equal(got[:n], want)) {
			t.Fatalf("%s: %q: decoded %x, %v; encoding/base64 %x, %v", what, text, got[:n], err, want, wantErr)
		}
		if err == nil && b64.EncodeToString(want) != std.EncodeToString(want) {
			t.Fatalf("%s: encodings of %x differ", what, want)
		}
	}
	raw := bytes.Repeat([]byte{0x00, 0xff, 0x5a, 0xc3, 0x17, 0x80, 0x3e}, 80)
	for n := range len(raw) {
		text := std.EncodeToString(raw[:n])
		check(fmt.Sprintf("length %d", n), text)
		check(fmt.Sprintf("length %d, non-canonical", n), nonCanonicalAny(text))
		check(fmt.Sprintf("length %d, padded", n), base64.StdEncoding.EncodeToString(raw[:n]))
		check(fmt.Sprintf("length %d, newline", n), text[:len(text)/2]+"\n"+text[len(text)/2:])
	}
	text := std.EncodeToString(raw[:300])
	for i := 0; i < len(text); i += 7 {
		for c := range 256 {
			check(fmt.Sprintf("byte %d set to %#x", i, c), text[:i]+string([]byte{byte(c)})+text[i+1:])
		}
		for _, ins := range []string{"=", "==", "\r", "\n", " ", "-", "_", "A"} {
			check(fmt.Sprintf("%q inserted at %d", ins, i), text[:i]+ins+text[i:])
		}
	}
	check("all A", strings.Repeat("A", 1000))
}

// nonCanonicalAny is nonCanonical for any length: unchanged when the text
// has no unused bits.
func nonCanonicalAny(text string) string {
	if len(text)%4 == 0 {
		return text
	}
	return nonCanonical(text)
}
