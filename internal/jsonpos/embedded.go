package jsonpos

import (
	"strings"
	"unicode/utf8"
)

// Embedded is a JSON document held by one value of a larger JSON file, the
// way iamkit's simulation and world files hold policies: an object written
// in place, or a string whose text is the document. It maps positions in
// the document back to the file, so an error inside the document can name
// the line and column an editor shows.
type Embedded struct {
	// Doc is the document: the value's own bytes for an object, the
	// decoded text for a string.
	Doc  []byte
	data []byte
	v    *Value
}

// Embed returns the document held by v, a value parsed from data; ok is
// false when v is neither an object nor a string.
func Embed(data []byte, v *Value) (e Embedded, ok bool) {
	switch v.Kind {
	case Object:
		return Embedded{Doc: data[v.Pos.Offset:ValueEnd(data, v.Pos.Offset)], data: data, v: v}, true
	case String:
		return Embedded{Doc: []byte(v.Str), data: data, v: v}, true
	}
	return Embedded{}, false
}

// Pos maps the 1-based line and column of a position in e.Doc to the line
// and column in the file of the characters that encode it. Line 0 (a
// position about the whole document) maps to where the value starts.
func (e Embedded) Pos(line, column int) (fileLine, fileColumn int) {
	start := e.v.Pos
	switch {
	case line == 0:
		return start.Line, start.Column
	case e.v.Kind == String:
		return start.Line, e.inString(line, column)
	case line == 1:
		return start.Line, start.Column + column - 1
	}
	return start.Line + line - 1, column
}

// inString returns the file column of the characters of the string value
// that decode to line and column of its text. A JSON string is one line of
// the file, however many lines its text has; it is decoded the way the
// parser decodes it, one character or escape at a time.
func (e Embedded) inString(line, column int) int {
	data := e.data
	l, c := 1, 1 // position in the decoded text
	fileCol := e.v.Pos.Column + 1
	for i := e.v.Pos.Offset + 1; i < len(data) && data[i] != '"'; {
		if l == line && c == column {
			break
		}
		r, n, width := decodeOne(data, i)
		if r == '\n' {
			l, c = l+1, 1
		} else {
			c++
		}
		i += n
		fileCol += width
	}
	return fileCol
}

// decodeOne decodes the character or escape at data[i] inside a valid JSON
// string. It returns the decoded rune, the number of bytes consumed and
// their width in characters.
func decodeOne(data []byte, i int) (r rune, n, width int) {
	if data[i] != '\\' {
		r, n = utf8.DecodeRune(data[i:])
		return r, n, 1
	}
	if data[i+1] != 'u' {
		if data[i+1] == 'n' {
			return '\n', 2, 2
		}
		return rune(data[i+1]), 2, 2 // only the rune's being '\n' or not matters
	}
	r, _ = hex4Quiet(data, i)
	if r >= 0xD800 && r < 0xDC00 {
		if lo, ok := hex4Quiet(data, i+6); ok && lo >= 0xDC00 && lo < 0xE000 {
			return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12, 12
		}
	}
	return r, 6, 6
}

// ValueEnd returns the offset just past the JSON value that starts at
// data[i]. data must be valid JSON, as [Parse] accepts it.
func ValueEnd(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		default:
			if depth == 0 { // a number or a literal
				for i < len(data) && !strings.ContainsRune(",]} \t\r\n", rune(data[i])) {
					i++
				}
				return i
			}
		}
	}
	return len(data)
}
