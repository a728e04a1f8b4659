package world

import (
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/policy"
)

// This file maps the positions of policies embedded in a world file to
// the file; it mirrors cmd/iamkit's simulation-file decoder.

// inOrder sorts ps by position in the document.
func inOrder(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	return ps
}

// members returns the members of the object v by name, reporting unknown
// (with the known names when listKnown) and duplicate ones through errorf.
// A null member counts as absent.
func members(path string, v *jsonpos.Value, known []string, listKnown bool, errorf func(string, jsonpos.Pos, string, ...any)) map[string]*jsonpos.Value {
	out := v.Fields(path, known, func(f jsonpos.Field) {
		switch {
		case f.Duplicate:
			errorf(f.Path, f.KeyPos, "duplicate field %q", f.Key)
		case f.Suggest != "":
			errorf(f.Path, f.KeyPos, "unknown field %q (field names are case-sensitive: did you mean %q?)", f.Key, f.Suggest)
		case listKnown:
			errorf(f.Path, f.KeyPos, "unknown field %q (known fields: %s)", f.Key, strings.Join(known, ", "))
		default:
			errorf(f.Path, f.KeyPos, "unknown field %q", f.Key)
		}
	})
	for k, m := range out {
		if m.Kind == jsonpos.Null {
			delete(out, k)
		}
	}
	return out
}

// simulation decodes the top-level object: the request first, because the

// embeddedPolicy returns the document of a policy embedded in a JSON file
// as the value v (an object, or a string holding the document) and a
// function that maps a position in the document to its position in the
// file, given where v starts in the file. ok is false when v is neither.
func embeddedPolicy(data []byte, v *jsonpos.Value, start policy.Position) (raw []byte, where func(policy.Position) policy.Position, ok bool) {
	switch v.Kind {
	case jsonpos.Object:
		raw = data[v.Pos.Offset:valueEnd(data, v.Pos.Offset)]
		return raw, func(p policy.Position) policy.Position { return shift(start, p) }, true
	case jsonpos.String:
		quote := v.Pos.Offset
		return []byte(v.Str), func(p policy.Position) policy.Position { return inString(data, quote, start, p) }, true
	}
	return nil, nil, false
}

// parseEmbedded parses an embedded policy and reports each finding of a
// rejected one at its place in the file (start for findings about the
// whole document, such as its size). A non-nil error is a failure that is
// not about the document.
func parseEmbedded(raw []byte, typ policy.Type, name string, start policy.Position, where func(policy.Position) policy.Position,
	report func(at policy.Position, f policy.Finding)) (*policy.Policy, error) {
	p, err := policy.ParseWithOptions(raw, typ, policy.Options{Name: name})
	var pe *policy.Error
	switch {
	case err == nil:
		return p, nil
	case !errors.As(err, &pe):
		return nil, err
	}
	for _, f := range pe.Findings {
		at := start
		if !f.Pos.IsZero() {
			at = where(f.Pos)
		}
		report(at, f)
	}
	return nil, nil
}

// shift maps position p of a document that starts at start in the file.
func shift(start, p policy.Position) policy.Position {
	if p.Line == 1 {
		return policy.Position{Line: start.Line, Column: start.Column + p.Column - 1}
	}
	return policy.Position{Line: start.Line + p.Line - 1, Column: p.Column}
}

// inString maps position p of a document held by the JSON string whose
// opening quote is at byte quote of data (file position start) to the file
// position of the characters that encode it. It decodes the string the way
// jsonpos does, one escape or character at a time.
func inString(data []byte, quote int, start policy.Position, p policy.Position) policy.Position {
	line, col := 1, 1 // position in the decoded document
	rawCol := start.Column + 1
	i := quote + 1
	for i < len(data) && data[i] != '"' {
		if line == p.Line && col == p.Column {
			break
		}
		r, n, width := decodeOne(data, i)
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
		rawCol += width
	}
	return policy.Position{Line: start.Line, Column: rawCol}
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
		switch data[i+1] {
		case 'n':
			r = '\n'
		default:
			r = rune(data[i+1]) // only the rune's being '\n' or not matters
		}
		return r, 2, 2
	}
	r = hex4(data[i+2:])
	if r >= 0xD800 && r < 0xDC00 && i+11 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' {
		if lo := hex4(data[i+8:]); lo >= 0xDC00 && lo < 0xE000 {
			return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12, 12
		}
	}
	return r, 6, 6
}

// hex4 reads four hex digits; the input is known to be valid.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}

// valueEnd returns the offset just past the JSON value that starts at
// data[i]. data is known to be valid JSON, which jsonpos has checked.
func valueEnd(data []byte, i int) int {
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
