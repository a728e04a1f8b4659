package condition

import (
	"encoding/base64"
	"encoding/binary"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Context is the request context of one authorization request: the condition
// keys AWS would know about the request and their values. Key names are
// case-insensitive, including the part after a '/' (aws:PrincipalTag/Team and
// aws:principaltag/team are the same key); values are case-sensitive.
//
// A Context is built once per request; building it may allocate. Setting a
// key parses each value into every typed form it can take (number, date,
// boolean, IP address, binary), so evaluation only compares. A Context must
// not be modified while conditions are being evaluated against it; reading it
// from several goroutines at once is safe.
type Context struct {
	values map[string]*Value // lower-cased key -> value
	// byID holds the values of keys that compiled policies name, indexed by
	// their interned ID (see keys.go); unindexed counts the keys that were
	// not interned when set, which lookups must then also seek in values.
	byID      []*Value
	unindexed int
}

// NewContext returns an empty request context.
func NewContext() *Context {
	// Room for the global keys a caller implies plus a few request keys.
	return &Context{values: make(map[string]*Value, 16)}
}

// Value is the value of one context key: an ordered list of elements. Each
// element keeps its text form and the typed forms that text can be read as,
// parsed once when the key was set. A Value is immutable.
type Value struct {
	elems []elem
	multi bool
	name  string // the key as first set
}

// elem is one element of a Value.
type elem struct {
	text  string
	flags uint8
	num   float64
	time  time.Time
	ip    netip.Addr
	ip4   uint32 // ip as a big-endian number, when hasIP4
	bin   []byte
	bool  bool
}

const (
	hasNum uint8 = 1 << iota
	hasTime
	hasBool
	hasIP
	hasBin
	hasIP4 // ip is an IPv4 address, also held in ip4
)

// Len returns the number of elements of v.
func (v *Value) Len() int {
	if v == nil {
		return 0
	}
	return len(v.elems)
}

// Strings returns the text form of every element of v, in order. The slice is
// a fresh copy.
func (v *Value) Strings() []string {
	if v == nil {
		return nil
	}
	out := make([]string, len(v.elems))
	for i := range v.elems {
		out[i] = v.elems[i].text
	}
	return out
}

// Single returns the value of a single-valued key. It reports false when the
// key is multi-valued (a list), even a list of one element.
func (v *Value) Single() (string, bool) {
	if v == nil || v.multi || len(v.elems) != 1 {
		return "", false
	}
	return v.elems[0].text, true
}

// Multi reports whether v is a multi-valued key (a list).
func (v *Value) Multi() bool { return v != nil && v.multi }

// Set sets key to the given string values. One value makes a single-valued
// key; any other number of values makes a multi-valued key (use [Context.SetList]
// for a list of one). Each string is also parsed into the typed forms it can
// take, so "12" works with Numeric operators, "203.0.113.5" with IpAddress,
// "2020-01-01T00:00:00Z" or "1577836800" with Date operators and "true" with
// Bool.
func (c *Context) Set(key string, values ...string) {
	v := &Value{elems: make([]elem, len(values)), multi: len(values) != 1}
	for i, s := range values {
		v.elems[i] = parseElem(s)
	}
	c.put(key, v)
}

// SetList sets key to a multi-valued list, even when it has zero or one
// element (aws:TagKeys, aws:PrincipalOrgPaths, ...).
func (c *Context) SetList(key string, values []string) {
	v := &Value{elems: make([]elem, len(values)), multi: true}
	for i, s := range values {
		v.elems[i] = parseElem(s)
	}
	c.put(key, v)
}

// SetBool sets key to a single boolean; its text form is "true" or "false".
func (c *Context) SetBool(key string, b bool) {
	c.put(key, &Value{elems: []elem{{text: strconv.FormatBool(b), flags: hasBool, bool: b}}})
}

// SetNumber sets key to a single number; its text form is
// strconv.FormatFloat(n, 'f', -1, 64).
func (c *Context) SetNumber(key string, n float64) {
	e := parseElem(strconv.FormatFloat(n, 'f', -1, 64))
	e.flags |= hasNum
	e.num = n
	c.put(key, &Value{elems: []elem{e}})
}

// SetTime sets key to a single date; its text form is RFC 3339 in UTC. The
// typed form keeps t's full precision.
func (c *Context) SetTime(key string, t time.Time) {
	e := elem{text: t.UTC().Format(time.RFC3339), flags: hasTime, time: t}
	c.put(key, &Value{elems: []elem{e}})
}

// SetIP sets key to a single IP address; its text form is a.String().
func (c *Context) SetIP(key string, a netip.Addr) {
	e := parseElem(a.String())
	if a.IsValid() {
		e.setIP(a)
	}
	c.put(key, &Value{elems: []elem{e}})
}

// SetBinary sets key to a single binary value; its text form is the standard
// base64 encoding of b. b is copied.
func (c *Context) SetBinary(key string, b []byte) {
	e := elem{text: base64.StdEncoding.EncodeToString(b), flags: hasBin, bin: slices.Clone(b)}
	if e.bin == nil {
		e.bin = []byte{}
	}
	c.put(key, &Value{elems: []elem{e}})
}

// Delete removes key.
func (c *Context) Delete(key string) {
	lk := strings.ToLower(key)
	if _, ok := c.values[lk]; !ok {
		return
	}
	if id, ok := knownKeyID(lk); ok && int(id) < len(c.byID) && c.byID[id] != nil {
		c.byID[id] = nil
	} else {
		c.unindexed--
	}
	delete(c.values, lk)
}

// Lookup returns the value of key, which is matched case-insensitively.
func (c *Context) Lookup(key string) (*Value, bool) {
	return c.LookupLower(strings.ToLower(key))
}

// LookupLower is Lookup for a key that is already lower-cased. It does not
// allocate. A nil Context has no keys.
func (c *Context) LookupLower(lowerKey string) (*Value, bool) {
	if c == nil {
		return nil, false
	}
	v, ok := c.values[lowerKey]
	return v, ok
}

// Keys returns the names of the keys of c, sorted, each spelled as it was
// first set.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.values))
	for _, v := range c.values {
		out = append(out, v.name)
	}
	slices.Sort(out)
	return out
}

// Clone returns a copy of c that can be changed without affecting c.
func (c *Context) Clone() *Context {
	out := NewContext()
	if c == nil {
		return out
	}
	for k, v := range c.values {
		out.values[k] = v // Values are immutable, so sharing is safe.
	}
	out.byID = slices.Clone(c.byID)
	out.unindexed = c.unindexed
	return out
}

func (c *Context) put(key string, v *Value) {
	if c.values == nil { // a zero Context is usable
		c.values = make(map[string]*Value)
	}
	lk := strings.ToLower(key)
	old, existed := c.values[lk]
	v.name = key
	if existed {
		v.name = old.name
	}
	c.values[lk] = v
	if id, ok := knownKeyID(lk); ok {
		if int(id) >= len(c.byID) {
			c.byID = append(c.byID, make([]*Value, int(id)+1-len(c.byID))...)
		}
		if existed && c.byID[id] == nil {
			c.unindexed-- // it was stored unindexed before
		}
		c.byID[id] = v
	} else if !existed {
		c.unindexed++
	}
}

// setIP records a as e's address. An IPv4-mapped IPv6 address is the IPv4
// address it carries, so a NotIpAddress on an IPv4 range cannot be
// sidestepped with ::ffff:.
func (e *elem) setIP(a netip.Addr) {
	e.flags |= hasIP
	e.ip = a.Unmap()
	if e.ip.Is4() {
		e.flags |= hasIP4
		b := e.ip.As4()
		e.ip4 = binary.BigEndian.Uint32(b[:])
	}
}

// parseElem reads s in every typed form it can take.
func parseElem(s string) elem {
	e := elem{text: s}
	if n, ok := parseNumber(s); ok {
		e.flags |= hasNum
		e.num = n
	}
	// Cheap first-character tests keep the failing parsers (and the errors
	// they allocate) off strings that cannot be dates or addresses.
	if !maybeDate(s, e.flags&hasNum != 0) {
		// not a date
	} else if t, ok := parseDate(s); ok {
		e.flags |= hasTime
		e.time = t
	}
	if b, ok := parseBool(s); ok {
		e.flags |= hasBool
		e.bool = b
	}
	if !maybeIP(s) {
		// not an address
	} else if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		e.setIP(a)
	}
	if b, ok := parseBase64(s); ok {
		e.flags |= hasBin
		e.bin = b
	}
	return e
}

// maybeDate reports whether s could be a date: epoch seconds (a number)
// or ISO 8601, which starts with a four-digit year followed by '-' (extended
// format) or a digit (basic format).
func maybeDate(s string, number bool) bool {
	if number {
		return true
	}
	if len(s) < 8 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[4] == '-' || s[4] >= '0' && s[4] <= '9'
}

// maybeIP reports whether s could be an IP address: hex digits, dots and
// colons only, with a dot or a colon.
func maybeIP(s string) bool {
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' || c == ':':
			sep = true
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return sep
}

// parseNumber accepts an optionally signed decimal number with an optional
// fraction and exponent: "12", "-3.5", ".5", "1e3". It rejects what
// strconv.ParseFloat would also take but AWS would not: hex, "Inf", "NaN",
// underscores and surrounding spaces.
func parseNumber(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false // out of range
	}
	return n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// dateLayouts are the ISO 8601 forms accepted for dates. time.Parse accepts a
// fractional second after the seconds field even when the layout has none.
var dateLayouts = []string{
	time.RFC3339,               // 2020-01-01T00:00:00Z, 2020-01-01T00:00:00.123+02:00
	"2006-01-02T15:04:05Z0700", // +0200
	"2006-01-02T15:04:05",      // no zone: UTC
	"2006-01-02T15:04Z07:00",   // no seconds
	"2006-01-02T15:04",         // no seconds, no zone
	"2006-01-02",               // date only: midnight UTC
	"20060102T150405Z0700",     // basic format
	"20060102T150405",          // basic format, no zone
	"2006-01-02T15:04:05Z07",   // +02
}

// parseDate reads s as an ISO 8601 date or date-time, or as epoch seconds
// (an optionally negative integer, optionally with a fraction).
func parseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := parseEpoch(s); ok {
		return t, true
	}
	if len(s) < 8 || !isDigit(s[0]) {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseEpoch(s string) (time.Time, bool) {
	i := 0
	if s[0] == '-' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start || i-start > 12 { // 12 digits is year ~33658; beyond is not a date
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var nsec int64
	if i < len(s) {
		if s[i] != '.' || i+1 == len(s) {
			return time.Time{}, false
		}
		frac := s[i+1:]
		scale := int64(100000000)
		for j := 0; j < len(frac); j++ {
			if !isDigit(frac[j]) {
				return time.Time{}, false
			}
			nsec += int64(frac[j]-'0') * scale
			scale /= 10
		}
		if s[0] == '-' {
			nsec = -nsec
		}
	}
	return time.Unix(sec, nsec).UTC(), true
}

// parseBool accepts "true" and "false" in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseBase64 decodes standard base64, padded or not.
func parseBase64(s string) ([]byte, bool) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	if b, err := base64.RawStdEncoding.DecodeString(s); err == nil {
		return b, true
	}
	return nil, false
}
