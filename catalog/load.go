package catalog

import (
	"compress/flate"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"
)

// The embedded table (data.go, written by internal/gen/catalog) is DEFLATE
// over this layout, where every number is an unsigned varint and a string is
// its length followed by its bytes:
//
//	"IAMCAT2"
//	counts: services, actions, resource types, action resource types,
//	        key references, strings (upper bounds for preallocation)
//	levels []string          access level names
//	types  []string          condition key type names
//	keys   [](name, type, description), sorted by lower-case name
//	services [](
//	    prefix, name,
//	    keys []index,
//	    resourceTypes [](name, formats []string, keys []index), sorted,
//	    actions [](fullName, description, level, keys []index, dependent []string,
//	        resourceTypes [](index in the service, required, keys []index, dependent []string)),
//	)
//	rcp []string
//
// Strings are sliced from the one inflated string, so the table holds no
// copies of its text.

// tab returns the table, decoding it on first use.
var tab = sync.OnceValue(func() *table {
	t, err := decode(encoded)
	if err != nil {
		panic("catalog: embedded data: " + err.Error())
	}
	return t
})

// span is a run of a table slice: [off, off+n).
type span struct{ off, n uint32 }

type table struct {
	services []service
	actions  []action
	arts     []actionRT
	rtypes   []rtype
	keys     []key
	refs     []uint32 // key indices, referenced by spans
	strs     []string // ARN formats and dependent actions, referenced by spans
	rcp      []string

	serviceIdx, actionIdx, keyIdx hashIndex
	// templates are the keys with placeholders whose service part is
	// literal, in key order; wildTemplates have a placeholder before
	// their first colon (token.actions.githubusercontent.com/${SubPath}:actor).
	templates, wildTemplates []uint32
}

type service struct {
	prefix, name string
	keys         span // in refs
	rtypes       span // in rtypes
	actions      span // in actions
}

type action struct {
	full  string // "s3:GetObject"
	desc  string
	level AccessLevel
	svc   uint32
	keys  span // in refs
	deps  span // in strs
	rts   span // in arts
}

type actionRT struct {
	rt       uint32 // in rtypes
	required bool
	keys     span // in refs
	deps     span // in strs
}

type rtype struct {
	name    string
	svc     uint32
	formats span // in strs
	keys    span // in refs
}

type key struct {
	name, desc string
	typ        KeyType
	template   bool
	// For templates: the literal text before the first placeholder and
	// after the last one, checked before matching, and the literal length
	// that ranks competing templates.
	head, tail, lit uint16
}

// decoder reads the layout above; the first error sticks and every later
// read returns zero values.
type decoder struct {
	s   string
	off int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("offset %d: "+format, append([]any{d.off}, args...)...)
	}
}

func (d *decoder) uint() int {
	var v uint64
	for shift := 0; ; shift += 7 {
		if d.off >= len(d.s) || shift > 56 {
			d.fail("truncated number")
			return 0
		}
		b := d.s[d.off]
		d.off++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	if v > 1<<31 {
		d.fail("number %d out of range", v)
		return 0
	}
	return int(v)
}

// count reads a list length, bounded by the bytes left (every element takes
// at least one).
func (d *decoder) count() int {
	n := d.uint()
	if n > len(d.s)-d.off {
		d.fail("count %d exceeds data", n)
		return 0
	}
	return n
}

func (d *decoder) str() string {
	n := d.count()
	s := d.s[d.off : d.off+n]
	d.off += n
	return s
}

func (d *decoder) index(limit int) uint32 {
	i := d.uint()
	if i >= limit {
		d.fail("index %d out of range %d", i, limit)
		return 0
	}
	return uint32(i)
}

func (d *decoder) strList(t *table) span {
	n := d.count()
	sp := span{uint32(len(t.strs)), uint32(n)}
	for range n {
		t.strs = append(t.strs, d.str())
	}
	return sp
}

func (d *decoder) keyList(t *table) span {
	n := d.count()
	sp := span{uint32(len(t.refs)), uint32(n)}
	for range n {
		t.refs = append(t.refs, d.index(len(t.keys)))
	}
	return sp
}

func decode(enc string) (*table, error) {
	var raw strings.Builder
	raw.Grow(decodedSize)
	zr := flate.NewReader(base64.NewDecoder(base64.StdEncoding, strings.NewReader(enc)))
	if _, err := io.Copy(&raw, zr); err != nil {
		return nil, err
	}
	d := &decoder{s: raw.String()}
	if d.str() != "IAMCAT2" {
		return nil, fmt.Errorf("bad magic")
	}
	var sizes [6]int
	for i := range sizes {
		sizes[i] = d.count()
	}
	t := &table{
		actions: make([]action, 0, sizes[1]),
		rtypes:  make([]rtype, 0, sizes[2]),
		arts:    make([]actionRT, 0, sizes[3]),
		refs:    make([]uint32, 0, sizes[4]),
		strs:    make([]string, 0, sizes[5]),
	}
	var levelNames, typeNames []string
	for range d.count() {
		levelNames = append(levelNames, d.str())
	}
	for range d.count() {
		typeNames = append(typeNames, d.str())
	}

	nk := d.count()
	t.keys = make([]key, nk)
	for i := range t.keys {
		k := &t.keys[i]
		k.name = d.str()
		k.typ = KeyType(at(typeNames, d.index(len(typeNames))))
		k.desc = d.str()
		k.template = hasPlaceholder(k.name)
		if k.template {
			k.head, k.tail, k.lit = templateShape(k.name)
			svc, _, _ := strings.Cut(k.name, ":")
			if hasPlaceholder(svc) {
				t.wildTemplates = append(t.wildTemplates, uint32(i))
			} else {
				t.templates = append(t.templates, uint32(i))
			}
		}
	}
	ns := d.count()
	t.services = make([]service, ns)
	for si := range t.services {
		s := &t.services[si]
		s.prefix = d.str()
		s.name = d.str()
		s.keys = d.keyList(t)
		nrt := d.count()
		base := uint32(len(t.rtypes))
		s.rtypes = span{base, uint32(nrt)}
		for range nrt {
			t.rtypes = append(t.rtypes, rtype{
				name:    d.str(),
				svc:     uint32(si),
				formats: d.strList(t),
				keys:    d.keyList(t),
			})
		}
		na := d.count()
		s.actions = span{uint32(len(t.actions)), uint32(na)}
		for range na {
			a := action{svc: uint32(si)}
			a.full = d.str()
			if len(a.full) <= len(s.prefix) || a.full[:len(s.prefix)] != s.prefix || a.full[len(s.prefix)] != ':' {
				d.fail("action %q not in service %s", a.full, s.prefix)
			}
			a.desc = d.str()
			a.level = AccessLevel(at(levelNames, d.index(len(levelNames))))
			a.keys = d.keyList(t)
			a.deps = d.strList(t)
			nr := d.count()
			a.rts = span{uint32(len(t.arts)), uint32(nr)}
			for range nr {
				t.arts = append(t.arts, actionRT{
					rt:       base + d.index(nrt),
					required: d.uint() != 0,
					keys:     d.keyList(t),
					deps:     d.strList(t),
				})
			}
			t.actions = append(t.actions, a)
		}
	}
	for range d.count() {
		t.rcp = append(t.rcp, d.str())
	}
	if d.err == nil && d.off != len(d.s) {
		d.fail("%d trailing bytes", len(d.s)-d.off)
	}
	if d.err != nil {
		return nil, d.err
	}

	t.serviceIdx = newHashIndex(len(t.services), func(i int) string { return t.services[i].prefix })
	t.actionIdx = newHashIndex(len(t.actions), func(i int) string { return t.actions[i].full })
	t.keyIdx = newHashIndex(len(t.keys), func(i int) string { return t.keys[i].name })
	return t, nil
}

// templateShape measures a template: the literal text before its first
// placeholder, after its last, and in all.
func templateShape(name string) (head, tail, lit uint16) {
	first, last := -1, 0
	for i := 0; i < len(name); {
		if p := placeholderLen(name[i:]); p > 0 {
			if first < 0 {
				first = i
			}
			i += p
			last = i
			continue
		}
		lit++
		i++
	}
	return uint16(first), uint16(len(name) - last), lit
}

// at is list[i], or "" after a decoding error left i out of range.
func at(list []string, i uint32) string {
	if int(i) < len(list) {
		return list[i]
	}
	return ""
}

// hasPlaceholder reports whether a condition key name has a ${Var} or <var>
// part.
func hasPlaceholder(s string) bool {
	for i := 0; i < len(s); i++ {
		if placeholderLen(s[i:]) > 0 {
			return true
		}
	}
	return false
}

// placeholderLen is the length of the ${Var} or <var> at the start of s, or 0.
func placeholderLen(s string) int {
	var end byte
	switch {
	case strings.HasPrefix(s, "${"):
		end = '}'
	case strings.HasPrefix(s, "<"):
		end = '>'
	default:
		return 0
	}
	if i := strings.IndexByte(s, end); i > 0 {
		return i + 1
	}
	return 0
}

// hashIndex maps ASCII-case-folded names to table indices by open
// addressing; lookups neither allocate nor fold a copy of the name.
type hashIndex struct {
	slots []uint32 // index+1, 0 = empty
	names []string // the name of each index
	mask  uint32
}

func newHashIndex(n int, name func(int) string) hashIndex {
	size := 1
	for size < 2*n {
		size <<= 1
	}
	h := hashIndex{slots: make([]uint32, size), names: make([]string, n), mask: uint32(size - 1)}
	for i := range n {
		s := name(i)
		h.names[i] = s
		for p := foldHash(s) & h.mask; ; p = (p + 1) & h.mask {
			if h.slots[p] == 0 {
				h.slots[p] = uint32(i + 1)
				break
			}
		}
	}
	return h
}

func (h *hashIndex) find(s string) (int, bool) {
	if len(h.slots) == 0 {
		return 0, false
	}
	for p := foldHash(s) & h.mask; ; p = (p + 1) & h.mask {
		v := h.slots[p]
		if v == 0 {
			return 0, false
		}
		if equalFold(h.names[v-1], s) {
			return int(v - 1), true
		}
	}
}

// foldHash is 32-bit FNV-1a over s with ASCII letters lower-cased.
func foldHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(lower(s[i]))
		h *= 16777619
	}
	return h
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold is ASCII-only case-insensitive equality: IAM folds the case of
// action names and condition keys, which are ASCII.
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// compareFold orders strings as their ASCII-lower-cased forms, the order the
// generator sorted names in.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := lower(a[i]), lower(b[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && equalFold(s[len(s)-len(suffix):], suffix)
}
