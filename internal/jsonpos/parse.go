package jsonpos

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	// DefaultMaxDepth is the nesting limit used when Options.MaxDepth is zero or negative.
	DefaultMaxDepth = 64
	// MaxDepthLimit is the largest nesting limit honoured, the same as encoding/json's.
	MaxDepthLimit = 10000
)

// Options tune [ParseOptions]. The zero value means the defaults.
type Options struct {
	// MaxDepth limits how deeply arrays and objects may nest; a top-level
	// array counts as depth 1. Zero or negative means DefaultMaxDepth, and
	// values above MaxDepthLimit are lowered to it.
	MaxDepth int
}

// Parse parses data, which must hold exactly one JSON value with optional
// surrounding whitespace, using the default [Options]. Errors are
// *[SyntaxError]s.
func Parse(data []byte) (*Value, error) {
	return ParseOptions(data, Options{})
}

// ParseOptions is like [Parse] with explicit options.
func ParseOptions(data []byte, opt Options) (*Value, error) {
	p := parser{data: data, maxDepth: opt.MaxDepth, line: 1, col: 1}
	switch {
	case p.maxDepth <= 0:
		p.maxDepth = DefaultMaxDepth
	case p.maxDepth > MaxDepthLimit:
		p.maxDepth = MaxDepthLimit
	}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		return nil, p.fail(0, "unexpected byte order mark (U+FEFF) at start of input")
	}
	// One copy of the input backs every unescaped string and number.
	p.src = string(data)
	v := p.value(0)
	if p.err != nil {
		return nil, p.err
	}
	p.skipSpace()
	if p.i < len(data) {
		return nil, p.fail(p.i, "unexpected data after top-level value")
	}
	return v, nil
}

// parser is recursive descent over the input. After an error, p.err is set
// and every method returns promptly without looking further.
type parser struct {
	data     []byte
	src      string // string(data)
	i        int    // next byte to read
	maxDepth int
	err      *SyntaxError

	// The position of byte offset off, cached because positions are
	// requested in increasing order, which keeps computing them O(n).
	off, line, col int

	// Allocation pools: values, element and member slices are carved out
	// of larger blocks, and vals/mems are stacks of unfinished containers.
	slab     []Value
	slabSize int
	valBlock []*Value
	memBlock []Member
	vals     []*Value
	mems     []Member
	buf      []byte // unescaping scratch
}

// pos returns the position of byte offset off.
func (p *parser) pos(off int) Pos {
	if off < p.off {
		p.off, p.line, p.col = 0, 1, 1
	}
	line, col := p.line, p.col
	for _, c := range p.data[p.off:off] {
		switch {
		case c == '\n':
			line++
			col = 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte: a new rune
			col++
		}
	}
	p.off, p.line, p.col = off, line, col
	return Pos{Offset: off, Line: line, Column: col}
}

func (p *parser) fail(off int, msg string) *SyntaxError {
	if p.err == nil {
		p.err = &SyntaxError{Pos: p.pos(off), Msg: msg}
	}
	return p.err
}

func (p *parser) failEOF() {
	p.fail(len(p.data), "unexpected end of input")
}

// failChar reports the unexpected character at off; context completes the
// message, as in "invalid character 'x' looking for beginning of value".
func (p *parser) failChar(off int, context string) {
	c := p.data[off]
	if c < utf8.RuneSelf {
		p.fail(off, "invalid character "+quoteChar(rune(c))+" "+context)
		return
	}
	r, size := utf8.DecodeRune(p.data[off:])
	if r == utf8.RuneError && size == 1 {
		p.fail(off, "invalid UTF-8")
		return
	}
	p.fail(off, "invalid character "+quoteChar(r)+" "+context)
}

// quoteChar formats a character for an error message as encoding/json does.
func quoteChar(r rune) string {
	switch r {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	s := strconv.QuoteRune(r)
	return "'" + s[1:len(s)-1] + "'"
}

func (p *parser) skipSpace() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) newValue(k Kind, off int) *Value {
	if len(p.slab) == 0 {
		p.slabSize = min(max(2*p.slabSize, 16), 1024)
		p.slab = make([]Value, p.slabSize)
	}
	v := &p.slab[0]
	p.slab = p.slab[1:]
	v.Kind = k
	v.Pos = p.pos(off)
	return v
}

// value parses a value nested inside depth containers.
func (p *parser) value(depth int) *Value {
	p.skipSpace()
	if p.i >= len(p.data) {
		p.failEOF()
		return nil
	}
	switch c := p.data[p.i]; c {
	case '{':
		return p.object(depth + 1)
	case '[':
		return p.array(depth + 1)
	case '"':
		v := p.newValue(String, p.i)
		v.Str = p.string()
		return v
	case 't':
		v := p.newValue(Bool, p.i)
		v.Bool, v.Str = true, "true"
		p.literal("true")
		return v
	case 'f':
		v := p.newValue(Bool, p.i)
		v.Str = "false"
		p.literal("false")
		return v
	case 'n':
		v := p.newValue(Null, p.i)
		p.literal("null")
		return v
	default:
		if c == '-' || '0' <= c && c <= '9' {
			v := p.newValue(Number, p.i)
			v.Str = p.number()
			return v
		}
		p.failChar(p.i, "looking for beginning of value")
		return nil
	}
}

// object parses an object at nesting depth depth; p.data[p.i] is '{'.
func (p *parser) object(depth int) *Value {
	if depth > p.maxDepth {
		p.fail(p.i, "nesting too deep")
		return nil
	}
	v := p.newValue(Object, p.i)
	p.i++
	mark := len(p.mems)
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return v
	}
	for {
		p.skipSpace()
		if p.i >= len(p.data) {
			p.failEOF()
			return nil
		}
		if p.data[p.i] != '"' {
			p.failChar(p.i, "looking for object key")
			return nil
		}
		keyPos := p.pos(p.i)
		key := p.string()
		p.skipSpace()
		if p.err != nil {
			return nil
		}
		if p.i >= len(p.data) {
			p.failEOF()
			return nil
		}
		if p.data[p.i] != ':' {
			p.failChar(p.i, "after object key")
			return nil
		}
		p.i++
		elem := p.value(depth)
		if p.err != nil {
			return nil
		}
		p.mems = append(p.mems, Member{Key: key, KeyPos: keyPos, Value: elem})
		p.skipSpace()
		if p.i >= len(p.data) {
			p.failEOF()
			return nil
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			continue
		case '}':
			p.i++
		default:
			p.failChar(p.i, "after object key:value pair")
			return nil
		}
		break
	}
	n := len(p.mems) - mark
	if len(p.memBlock) < n {
		p.memBlock = make([]Member, max(n, 64))
	}
	v.Members = p.memBlock[:n:n]
	p.memBlock = p.memBlock[n:]
	copy(v.Members, p.mems[mark:])
	clear(p.mems[mark:])
	p.mems = p.mems[:mark]
	return v
}

// array parses an array at nesting depth depth; p.data[p.i] is '['.
func (p *parser) array(depth int) *Value {
	if depth > p.maxDepth {
		p.fail(p.i, "nesting too deep")
		return nil
	}
	v := p.newValue(Array, p.i)
	p.i++
	mark := len(p.vals)
	p.skipSpace()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return v
	}
	for {
		elem := p.value(depth)
		if p.err != nil {
			return nil
		}
		p.vals = append(p.vals, elem)
		p.skipSpace()
		if p.i >= len(p.data) {
			p.failEOF()
			return nil
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			continue
		case ']':
			p.i++
		default:
			p.failChar(p.i, "after array element")
			return nil
		}
		break
	}
	n := len(p.vals) - mark
	if len(p.valBlock) < n {
		p.valBlock = make([]*Value, max(n, 128))
	}
	v.Array = p.valBlock[:n:n]
	p.valBlock = p.valBlock[n:]
	copy(v.Array, p.vals[mark:])
	clear(p.vals[mark:])
	p.vals = p.vals[:mark]
	return v
}

// literal consumes word (true, false or null); p.data[p.i] is its first byte.
func (p *parser) literal(word string) {
	for k := 1; k < len(word); k++ {
		j := p.i + k
		if j >= len(p.data) {
			p.failEOF()
			return
		}
		if p.data[j] != word[k] {
			p.failChar(j, "in literal "+word+" (expecting "+quoteChar(rune(word[k]))+")")
			return
		}
	}
	p.i += len(word)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number consumes a number and returns its text, following RFC 8259:
//
//	number = [ minus ] int [ frac ] [ exp ]
//	int    = zero / ( digit1-9 *DIGIT )
//	frac   = decimal-point 1*DIGIT
//	exp    = e [ minus / plus ] 1*DIGIT
func (p *parser) number() string {
	data, start, i := p.data, p.i, p.i
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		p.failEOF()
		return ""
	case data[i] == '0':
		i++
		if i < len(data) && isDigit(data[i]) {
			p.failChar(i, "after leading zero in numeric literal")
			return ""
		}
	case isDigit(data[i]):
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	default:
		p.failChar(i, "in numeric literal")
		return ""
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) {
			p.failEOF()
			return ""
		}
		if !isDigit(data[i]) {
			p.failChar(i, "after decimal point in numeric literal")
			return ""
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) {
			p.failEOF()
			return ""
		}
		if !isDigit(data[i]) {
			p.failChar(i, "in exponent of numeric literal")
			return ""
		}
		for i < len(data) && isDigit(data[i]) {
			i++
		}
	}
	p.i = i
	return p.src[start:i]
}

// string consumes a string literal and returns its decoded text;
// p.data[p.i] is the opening quote.
func (p *parser) string() string {
	data := p.data
	start := p.i + 1
	// Fast path: no escapes, so the result is a substring of the input.
	for i := start; i < len(data); {
		switch c := data[i]; {
		case c == '"':
			p.i = i + 1
			return p.src[start:i]
		case c == '\\':
			return p.unescape(start, i)
		case c < 0x20:
			p.failChar(i, "in string literal")
			return ""
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				p.fail(i, "invalid UTF-8")
				return ""
			}
			i += size
		}
	}
	p.failEOF()
	return ""
}

// unescape finishes a string literal that began at start and has its first
// backslash at i.
func (p *parser) unescape(start, i int) string {
	data := p.data
	b := append(p.buf[:0], data[start:i]...)
	defer func() { p.buf = b[:0] }()
	for i < len(data) {
		switch c := data[i]; {
		case c == '"':
			p.i = i + 1
			return string(b)
		case c == '\\':
			if i+1 >= len(data) {
				p.failEOF()
				return ""
			}
			switch e := data[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := p.hex4(i)
				if !ok {
					return ""
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// Like encoding/json: take a valid pair, otherwise
					// U+FFFD and leave whatever follows for the next round.
					r2, ok2 := hex4Quiet(data, i)
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				_, size := utf8.DecodeRune(data[i+1:])
				p.fail(i, "invalid escape "+strconv.Quote(string(data[i:i+1+size])))
				return ""
			}
			i += 2
		case c < 0x20:
			p.failChar(i, "in string literal")
			return ""
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				p.fail(i, "invalid UTF-8")
				return ""
			}
			b = append(b, data[i:i+size]...)
			i += size
		}
	}
	p.failEOF()
	return ""
}

// hex4 decodes the \uXXXX escape at i, reporting a malformed one.
func (p *parser) hex4(i int) (rune, bool) {
	var r rune
	for k := i + 2; k < i+6; k++ {
		if k >= len(p.data) {
			p.failEOF()
			return 0, false
		}
		d := unhex(p.data[k])
		if d < 0 {
			_, size := utf8.DecodeRune(p.data[k:])
			p.fail(i, "invalid escape "+strconv.Quote(string(p.data[i:k+size])))
			return 0, false
		}
		r = r<<4 | d
	}
	return r, true
}

// hex4Quiet decodes a \uXXXX escape at i if there is a well-formed one.
func hex4Quiet(data []byte, i int) (rune, bool) {
	if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range data[i+2 : i+6] {
		d := unhex(c)
		if d < 0 {
			return 0, false
		}
		r = r<<4 | d
	}
	return r, true
}

func unhex(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}
