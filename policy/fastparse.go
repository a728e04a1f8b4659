package policy

import (
	"encoding/binary"
	"math/bits"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/iamkit/iamkit/internal/jsonpos"
)

// fastParse reads a policy document in one pass over its bytes straight
// into a Document, for the usual case of a document with nothing to report
// before compiling. It gives up (ok false) at the first thing the tree
// parser would report, or could: a syntax error, a character outside IAM's
// set, an exceeded quota, an unknown or repeated element, an element of the
// wrong type, an empty list; and at a few legal but unusual shapes (a
// non-string Effect, long condition blocks). The tree parser then
// produces the findings, so every message and position comes from one
// place. pos holds where each statement starts.
//
// It decodes exactly as the tree parser does: strings without escapes are
// cut from one copy of the input, others and every number and boolean go
// through [jsonpos.Scalar].
func fastParse(data []byte, typ Type, opt Options) (doc Document, pos []Position, ok bool) {
	f := fastPool.Get().(*fastParser)
	defer f.release()
	// One copy of the document, with eight zero bytes after it: every
	// undecoded string is cut from it, and words can be read at any
	// offset up to its end, where the zeros stop every scan.
	pad := make([]byte, len(data)+8)
	copy(pad, data)
	f.data, f.pad, f.line, f.col = pad[:len(data):len(data)], pad, 1, 1
	if len(data) > 0 {
		f.src = unsafe.String(&pad[0], len(data)) // pad is not written again
	}
	f.document(&doc)
	f.skipSpace()
	// Every byte was read as white space, punctuation, a literal, a
	// number (all ASCII) or inside a string, where str checked and
	// counted the characters: the counts are the document's.
	if f.bad || f.i != len(data) || overQuota(typ, opt, len(data)-f.cont, f.space) {
		return Document{}, nil, false
	}
	doc.Statements, pos = f.materialize()
	return doc, pos, true
}

// overQuota reports whether a document of runes characters, space of them
// white space, exceeds the size quota (see [parser.checkCount]).
func overQuota(typ Type, opt Options, runes, space int) bool {
	limit, ws := SizeLimit(typ)
	if opt.MaxSize != 0 {
		limit = opt.MaxSize
	}
	if !ws {
		runes -= space
	}
	return limit >= 0 && runes > limit
}

// fastParser is the state of fastParse. Statements are collected in
// scratch slices, kept in a pool, and copied into exactly sized ones at
// the end, so that a parsed policy holds a handful of allocations.
type fastParser struct {
	data []byte // a copy of the document
	pad  []byte // data and eight zero bytes
	src  string // data as a string: the text every undecoded string is cut from
	i    int    // at most len(data)
	bad  bool

	line, lineStart int // the line of data[i] and where it starts
	colOff, col     int // the last position asked for: its offset and column
	space           int // white space bytes, for the size quota
	cont            int // UTF-8 continuation bytes: len(data)-cont characters

	stmts []fastStmt
	strs  []string // every string of every list, in order
	conds []fastCond
}

// fastStmt is a statement whose lists are spans of fastParser.strs.
type fastStmt struct {
	sid       string
	effect    Effect
	pos       Position
	lists     [listCount]span
	principal [2]uint8 // Principal, NotPrincipal: principalAbsent, principalWildcard or principalObject
	conds     span     // of fastParser.conds
}

// The lists of a statement, in fastStmt.lists.
const (
	listAction = iota
	listNotAction
	listResource
	listNotResource
	listPrincipal    // the four principal types of Principal
	listNotPrincipal = listPrincipal + 4
	listCount        = listNotPrincipal + 4
)

const (
	principalAbsent = iota
	principalWildcard
	principalObject
)

type fastCond struct {
	op, key string
	values  span
}

// span is the half-open range [start, end) of a scratch slice.
type span struct{ start, end int32 }

var fastPool = sync.Pool{New: func() any { return new(fastParser) }}

// release clears the scratch slices, so that the pool holds no strings of
// the document, and returns the parser to the pool unless it grew large.
func (f *fastParser) release() {
	clear(f.stmts)
	clear(f.strs)
	clear(f.conds)
	*f = fastParser{stmts: f.stmts[:0], strs: f.strs[:0], conds: f.conds[:0]}
	if cap(f.strs) <= 4096 && cap(f.stmts) <= 1024 {
		fastPool.Put(f)
	}
}

func (f *fastParser) fail() {
	f.bad = true
	f.i = len(f.data)
}

func (f *fastParser) skipSpace() {
	pad, i := f.pad, f.i
	start := i
	for {
		switch pad[i] {
		case ' ':
			// Indentation: runs of spaces, eight at a time; the zeros
			// after the document end a run.
			i++
			for {
				if x := binary.LittleEndian.Uint64(pad[i:]) ^ (ones * ' '); x != 0 {
					i += bits.TrailingZeros64(x) >> 3
					break
				}
				i += 8
			}
			continue
		case '\n':
			f.line, f.lineStart = f.line+1, i+1
		case '\t', '\r':
		default: // another byte, or the zeros after the document
			f.space += i - start
			f.i = i
			return
		}
		i++
	}
}

const ones, highs = 0x0101010101010101, 0x8080808080808080

// zeroBytes returns the high bit of each byte of x that is zero.
func zeroBytes(x uint64) uint64 {
	return ^((x&^highs + ^uint64(highs)) | x) & highs
}

// firstZero returns the high bit of the first (lowest) byte of x that is
// zero, and maybe of some after it, or 0 when no byte is zero.
func firstZero(x uint64) uint64 {
	return (x - ones) &^ x & highs
}

// peek returns the next byte that is not white space, or 0 at the end.
func (f *fastParser) peek() byte {
	if c := f.pad[f.i]; c > ' ' {
		return c
	}
	return f.peekSpace()
}

func (f *fastParser) peekSpace() byte {
	// Most tokens follow the previous one directly or after one space.
	if i := f.i; f.pad[i] == ' ' && f.pad[i+1] > ' ' {
		f.i, f.space = i+1, f.space+1
		return f.pad[i+1]
	}
	f.skipSpace()
	if f.i >= len(f.data) {
		f.fail()
		return 0
	}
	return f.data[f.i]
}

func (f *fastParser) expect(c byte) {
	if f.peek() != c {
		f.fail()
		return
	}
	f.i++
}

// open consumes c ('{' or '['); it reports false when the container is
// empty, after consuming its end too.
func (f *fastParser) open(c, end byte) bool {
	f.expect(c)
	if f.peek() == end {
		f.i++
		return false
	}
	return !f.bad
}

// more consumes the ',' before another element, or the container's end.
func (f *fastParser) more(end byte) bool {
	switch f.peek() {
	case ',':
		f.i++
		return true
	case end:
		f.i++
	default:
		f.fail()
	}
	return false
}

// str reads a string. It checks its characters against IAM's set (ASCII
// from U+0020, and U+0080 to U+00FF) and counts its spaces and
// continuation bytes, eight bytes at a time: the document's only other
// bytes are white space, punctuation, literals and numbers.
func (f *fastParser) str() string {
	if f.peek() != '"' {
		f.fail()
		return ""
	}
	data, pad := f.data, f.pad
	start := f.i + 1
	i := start
	escaped := false
	for {
		// Stop at a quote, a backslash, a space, a control character (the
		// zeros after the document among them) or a byte of a multi-byte
		// character: the first byte flagged is exact.
		w := binary.LittleEndian.Uint64(pad[i:])
		stop := firstZero(w^(ones*'"')) | firstZero(w^(ones*'\\')) | ((w-ones*'!')|w)&highs
		if stop == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(stop) >> 3
		if i >= len(data) {
			f.fail()
			return ""
		}
		switch c := data[i]; {
		case c == '"':
			f.i = i + 1
			if !escaped {
				return f.src[start:i]
			}
			k, s, end, ok := jsonpos.Scalar(data, f.src, start-1)
			if !ok || k != jsonpos.String || end != i+1 {
				f.fail()
				return ""
			}
			return s
		case c == '\\':
			// The escape's next byte is ASCII or an error: stepping over
			// it keeps an escaped quote inside; Scalar checks the rest.
			if i+1 >= len(data) {
				f.fail()
				return ""
			}
			escaped = true
			i += 2
		case c == ' ':
			f.space++
			i++
		case c < ' ':
			f.fail() // a control character: not JSON
			return ""
		case c < utf8.RuneSelf:
			i++
		case (c == 0xC2 || c == 0xC3) && i+1 < len(data) && data[i+1]&0xC0 == 0x80:
			f.cont++ // U+0080 to U+00FF
			i += 2
		default:
			f.fail() // outside IAM's set, or not UTF-8
			return ""
		}
	}
}

// member reads a member name and its ':'.
func (f *fastParser) member() string {
	k := f.str()
	f.expect(':')
	return k
}

// position returns the line and column of data[i] on the current line.
// Columns are counted on from the last position asked for on the line, so
// that a document on one line costs one count, not one per statement.
func (f *fastParser) position(i int) Position {
	if f.colOff < f.lineStart {
		f.colOff, f.col = f.lineStart, 1
	}
	for _, c := range f.data[f.colOff:i] {
		if c&0xC0 != 0x80 {
			f.col++
		}
	}
	f.colOff = i
	return Position{Line: f.line, Column: f.col}
}

func (f *fastParser) document(doc *Document) {
	if !f.open('{', '}') {
		f.fail() // no Statement
		return
	}
	var seen [3]bool
	for {
		k := f.member()
		var el int
		switch k {
		case "Version":
			el = 0
			doc.Version = f.str()
			if doc.Version != Version2012 && doc.Version != Version2008 {
				f.fail()
			}
		case "Id":
			el = 1
			doc.ID = f.str()
		case "Statement":
			el = 2
			switch f.peek() {
			case '{':
				f.statement()
			case '[':
				if !f.open('[', ']') {
					f.fail()
					break
				}
				for {
					f.statement()
					if !f.more(']') {
						break
					}
				}
			default:
				f.fail()
			}
		default:
			f.fail()
		}
		if seen[el] {
			f.fail()
		}
		seen[el] = true
		if f.bad || !f.more('}') {
			break
		}
	}
	if !seen[2] {
		f.fail()
	}
}

func (f *fastParser) statement() {
	if f.peek() != '{' {
		f.fail()
		return
	}
	st := fastStmt{pos: f.position(f.i)}
	if f.open('{', '}') {
		var seen uint16
		for {
			k := f.member()
			el := -1
			switch k {
			case "Sid":
				el = elSid
				st.sid = f.str()
			case "Effect":
				el = elEffect
				switch f.str() {
				case "Allow":
					st.effect = Allow
				case "Deny":
					st.effect = Deny
				}
			case "Principal":
				el = elPrincipal
				st.principal[0] = f.principals(&st, listPrincipal)
			case "NotPrincipal":
				el = elNotPrincipal
				st.principal[1] = f.principals(&st, listNotPrincipal)
			case "Action":
				el = elAction
				st.lists[listAction] = f.list()
			case "NotAction":
				el = elNotAction
				st.lists[listNotAction] = f.list()
			case "Resource":
				el = elResource
				st.lists[listResource] = f.list()
			case "NotResource":
				el = elNotResource
				st.lists[listNotResource] = f.list()
			case "Condition":
				el = elCondition
				st.conds = f.conditions()
			default:
				f.fail()
				return
			}
			if seen&(1<<el) != 0 {
				f.fail()
			}
			seen |= 1 << el
			if f.bad || !f.more('}') {
				break
			}
		}
	}
	f.stmts = append(f.stmts, st)
}

// list reads a string or a non-empty array of strings.
func (f *fastParser) list() span {
	start := int32(len(f.strs))
	switch f.peek() {
	case '"':
		f.strs = append(f.strs, f.str())
	case '[':
		if !f.open('[', ']') {
			f.fail()
			break
		}
		for {
			f.strs = append(f.strs, f.str())
			if !f.more(']') {
				break
			}
		}
	default:
		f.fail()
	}
	return span{start, int32(len(f.strs))}
}

var principalListKeys = [4]string{"AWS", "Service", "Federated", "CanonicalUser"}

// principals reads a Principal or NotPrincipal into st's lists from first.
func (f *fastParser) principals(st *fastStmt, first int) uint8 {
	switch f.peek() {
	case '"':
		if f.str() != "*" {
			f.fail()
		}
		return principalWildcard
	case '{':
		if !f.open('{', '}') {
			f.fail()
			return principalObject
		}
		for {
			k := f.member()
			j := 0
			for j < len(principalListKeys) && principalListKeys[j] != k {
				j++
			}
			if j == len(principalListKeys) || st.lists[first+j].end != 0 {
				f.fail()
				return principalObject
			}
			st.lists[first+j] = f.list()
			if f.bad || !f.more('}') {
				break
			}
		}
		return principalObject
	}
	f.fail()
	return principalAbsent
}

// conditions reads a Condition element.
func (f *fastParser) conditions() span {
	start := int32(len(f.conds))
	if f.peek() != '{' {
		f.fail()
		return span{}
	}
	if !f.open('{', '}') {
		return span{start, start}
	}
	for {
		op := f.member()
		opStart := len(f.conds)
		// A repeated operator is reported by the tree parser; the search
		// is bounded, and longer blocks go there too.
		if opStart-int(start) > maxScan {
			f.fail()
			return span{}
		}
		for _, c := range f.conds[start:] {
			if c.op == op {
				f.fail()
				return span{}
			}
		}
		if !f.open('{', '}') {
			f.fail() // an operator without keys
			return span{}
		}
		for {
			key := f.member()
			if len(f.conds)-opStart > maxScan {
				f.fail()
				return span{}
			}
			for _, c := range f.conds[opStart:] {
				if lowerEqual(c.key, key) {
					f.fail()
					return span{}
				}
			}
			f.conds = append(f.conds, fastCond{op: op, key: key, values: f.values()})
			if f.bad || !f.more('}') {
				break
			}
		}
		if f.bad || !f.more('}') {
			break
		}
	}
	return span{start, int32(len(f.conds))}
}

// values reads a condition's value or non-empty array of values.
func (f *fastParser) values() span {
	start := int32(len(f.strs))
	if f.peek() == '[' {
		if !f.open('[', ']') {
			f.fail()
			return span{}
		}
		for {
			f.scalar()
			if !f.more(']') {
				break
			}
		}
	} else {
		f.scalar()
	}
	return span{start, int32(len(f.strs))}
}

// scalar reads a string, number or boolean condition value as text.
func (f *fastParser) scalar() {
	switch c := f.peek(); {
	case c == '"':
		f.strs = append(f.strs, f.str())
	case c == 't' || c == 'f' || c == '-' || '0' <= c && c <= '9':
		k, text, end, ok := jsonpos.Scalar(f.data, f.src, f.i)
		if !ok || k == jsonpos.Null {
			f.fail()
			return
		}
		f.i = end
		f.strs = append(f.strs, text)
	default:
		f.fail()
	}
}

// materialize copies the scratch statements into the Document's form: one
// slice of statements, one of strings that every list is a part of, one of
// conditions and one of principals.
func (f *fastParser) materialize() ([]Statement, []Position) {
	stmts := make([]Statement, len(f.stmts))
	pos := make([]Position, len(f.stmts))
	strs := append([]string(nil), f.strs...)
	var conds []Condition
	if len(f.conds) > 0 {
		conds = make([]Condition, len(f.conds))
	}
	np := 0
	for i := range f.stmts {
		for _, k := range f.stmts[i].principal {
			if k != principalAbsent {
				np++
			}
		}
	}
	var principals []Principals
	if np > 0 {
		principals = make([]Principals, np)
	}
	list := func(s span) []string {
		if s.end == s.start {
			return nil
		}
		return strs[s.start:s.end:s.end]
	}
	for i := range f.stmts {
		fs := &f.stmts[i]
		s := &stmts[i]
		pos[i] = fs.pos
		s.Sid, s.Effect = fs.sid, fs.effect
		s.Action = list(fs.lists[listAction])
		s.NotAction = list(fs.lists[listNotAction])
		s.Resource = list(fs.lists[listResource])
		s.NotResource = list(fs.lists[listNotResource])
		for j, k := range fs.principal {
			if k == principalAbsent {
				continue
			}
			p := &principals[0]
			principals = principals[1:]
			p.Wildcard = k == principalWildcard
			first := listPrincipal + 4*j
			p.AWS = list(fs.lists[first])
			p.Service = list(fs.lists[first+1])
			p.Federated = list(fs.lists[first+2])
			p.CanonicalUser = list(fs.lists[first+3])
			if j == 0 {
				s.Principal = p
			} else {
				s.NotPrincipal = p
			}
		}
		if fs.conds.end > fs.conds.start {
			s.Condition = conds[fs.conds.start:fs.conds.end:fs.conds.end]
			for k := range s.Condition {
				c := &f.conds[int(fs.conds.start)+k]
				s.Condition[k] = Condition{Operator: c.op, Key: c.key, Values: list(c.values)}
			}
		}
	}
	return stmts, pos
}
