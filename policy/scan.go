package policy

import (
	"encoding/binary"
	"math/bits"
)

// textStats counts the characters of a policy document and its white space
// (space, tab, line feed, carriage return) eight bytes at a time, for the
// size quota, and reports whether every character is in IAM's set (see
// [parser.checkCharacters]). When ok is false the counts are incomplete,
// and the exact checks find and place the problem.
func textStats(data []byte) (runes, space int, ok bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for i < len(data) {
		if i+8 <= len(data) {
			if w := binary.LittleEndian.Uint64(data[i:]); w&highs == 0 {
				// ASCII: high bits where a byte is below '!'.
				if low := ^((w | highs) - ones*'!') & highs; low != 0 {
					space += bits.OnesCount64(low)
					ctl := ^((w | highs) - ones*' ') & highs
					for ; ctl != 0; ctl &= ctl - 1 {
						if c := data[i+bits.TrailingZeros64(ctl)/8]; c != '\t' && c != '\n' && c != '\r' {
							return 0, 0, false
						}
					}
				}
				runes += 8
				i += 8
				continue
			}
		}
		switch c := data[i]; {
		case c < 0x80:
			if c <= ' ' {
				if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
					return 0, 0, false
				}
				space++
			}
			i++
		case (c == 0xC2 || c == 0xC3) && i+1 < len(data) && data[i+1]&0xC0 == 0x80:
			i += 2 // U+0080 to U+00FF
		default:
			return 0, 0, false
		}
		runes++
	}
	return runes, space, true
}
