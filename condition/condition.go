package condition

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// LiteralKind is the JSON type a condition value was written as.
type LiteralKind uint8

const (
	// LiteralString is a JSON string. It is the zero LiteralKind.
	LiteralString LiteralKind = iota
	// LiteralBool is a JSON true or false; Text is "true" or "false".
	LiteralBool
	// LiteralNumber is a JSON number; Text is the number as written.
	LiteralNumber
)

// Literal is one value of a condition as written in the policy JSON. AWS
// compares JSON booleans and numbers by their text, so every kind is accepted
// by the String operators.
type Literal struct {
	Text string
	Kind LiteralKind
}

// CompileOptions says how [Compile] reads condition values. The zero value
// treats "${...}" as literal text.
type CompileOptions struct {
	// Variables turns on policy variables in String* and Arn* values, as
	// for policies whose Version is "2012-10-17".
	Variables bool
}

// Condition is one compiled (operator, key, values) entry of a policy's
// Condition element. Values were parsed for the operator when compiled, so
// [Condition.Eval] only compares. A Condition is immutable and safe for
// concurrent use.
type Condition struct {
	operator string
	key      string
	ref      keyRef // the lower-cased key, interned
	values   []Literal

	op       baseOp
	plain    bool // neither Null nor ForAllValues/ForAnyValue
	negated  bool
	qual     qualifier
	ifExists bool

	patterns  []Pattern // String*
	exact     []string  // StringEquals without variables: the values
	arns      []ARNPattern
	nums      []float64
	times     []time.Time
	bins      [][]byte
	nets4     []net4         // IpAddress: the IPv4 blocks
	nets6     []netip.Prefix // IpAddress: the IPv6 blocks
	wantTrue  bool           // Bool: a value is true; Null: a value is true (key absent)
	wantFalse bool           // Bool: a value is false; Null: a value is false (key present)
}

// Compile compiles one condition. operator is the name as written, with an
// optional "ForAllValues:" or "ForAnyValue:" prefix and "IfExists" suffix;
// key is the condition key; values are the condition's values (at least one).
// Errors are *[Error] and wrap [ErrUnknownOperator], [ErrInvalidKey] or
// [ErrInvalidValue].
func Compile(operator, key string, values []Literal, opt CompileOptions) (*Condition, error) {
	fail := func(sentinel error, reason string) (*Condition, error) {
		return nil, &Error{Operator: operator, Key: key, Reason: reason, Err: sentinel}
	}
	failValue := func(v string, reason string) (*Condition, error) {
		return nil, &Error{Operator: operator, Key: key, Value: v, HasValue: true, Reason: reason, Err: ErrInvalidValue}
	}

	name := operator
	qual := qualNone
	if rest, ok := strings.CutPrefix(name, "ForAllValues:"); ok {
		qual, name = qualForAll, rest
	} else if rest, ok := strings.CutPrefix(name, "ForAnyValue:"); ok {
		qual, name = qualForAny, rest
	}
	ifExists := false
	if rest, ok := strings.CutSuffix(name, "IfExists"); ok {
		ifExists, name = true, rest
	}
	info, ok := operators[name]
	if !ok {
		return fail(ErrUnknownOperator, "unknown operator")
	}
	if info.op == opNull && (ifExists || qual != qualNone) {
		return fail(ErrUnknownOperator, "Null takes neither IfExists nor ForAllValues/ForAnyValue")
	}
	if key == "" {
		return fail(ErrInvalidKey, "must not be empty")
	}
	for i := 0; i < len(key); i++ {
		if key[i] <= ' ' || key[i] == 0x7f {
			return fail(ErrInvalidKey, "must not contain spaces or control characters")
		}
	}
	if len(values) == 0 {
		return fail(ErrInvalidValue, "needs at least one value")
	}
	c := newCondition(info.op, len(values))
	c.operator, c.key, c.ref = operator, key, internFold(key)
	c.values = append(c.values, values...)
	c.op, c.negated, c.qual, c.ifExists = info.op, info.negated, qual, ifExists
	c.plain = c.op != opNull && c.qual == qualNone

	popt := PatternOptions{Variables: opt.Variables}
	for _, v := range values {
		s := v.Text
		switch c.op {
		case opStringEquals, opStringLike, opStringEqualsIgnoreCase:
			o := popt
			o.Wildcards = c.op == opStringLike
			fold := foldNone
			if c.op == opStringEqualsIgnoreCase {
				fold = foldUnicode
			}
			p, reason := compilePattern(s, o, fold)
			if reason != "" {
				return failValue(s, reason)
			}
			c.patterns = append(c.patterns, p)
			if c.op == opStringEquals && p.shape == shapeExact {
				c.exact = append(c.exact, p.lit)
			}
		case opArn:
			o := popt
			o.Wildcards = true
			c.arns = append(c.arns, ARNPattern{})
			if reason := c.arns[len(c.arns)-1].compile(s, o, true); reason != "" {
				return failValue(s, reason)
			}
		case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
			n, ok := parseNumber(s)
			if !ok || v.Kind == LiteralBool {
				return failValue(s, "must be a number")
			}
			c.nums = append(c.nums, n)
		case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
			t, ok := parseDate(s)
			if !ok || v.Kind == LiteralBool {
				return failValue(s, "must be an ISO 8601 date or epoch seconds")
			}
			c.times = append(c.times, t)
		case opBool, opNull:
			b, ok := parseBool(s)
			if !ok || v.Kind == LiteralNumber {
				return failValue(s, `must be "true" or "false"`)
			}
			if b {
				c.wantTrue = true
			} else {
				c.wantFalse = true
			}
		case opBinaryEquals:
			b, ok := parseBase64(s)
			if !ok || v.Kind != LiteralString {
				return failValue(s, "must be base64")
			}
			c.bins = append(c.bins, b)
		case opIPAddress:
			p, ok := parseCIDR(s)
			if !ok || v.Kind != LiteralString {
				return failValue(s, "must be an IPv4 or IPv6 address or CIDR block")
			}
			if p.Addr().Is4() {
				c.nets4 = append(c.nets4, newNet4(p))
			} else {
				c.nets6 = append(c.nets6, p)
			}
		}
	}
	if len(c.exact) != len(c.patterns) {
		c.exact = nil // some value has a policy variable
	}
	// The unused slices of a small condition hold nothing.
	if len(c.nums) == 0 {
		c.nums = nil
	}
	if len(c.nets4) == 0 {
		c.nets4 = nil
	}
	if len(c.times) == 0 {
		c.times = nil
	}
	return c, nil
}

// smallCondition is a Condition of one or two values allocated with room
// for them and for what they compile to, so that a typical condition is
// one allocation. Slices into the arrays keep the whole block alive.
type smallCondition struct {
	c     Condition
	vals  [2]Literal
	nums  [2]float64
	nets4 [2]net4
	times [2]time.Time
}

// smallStringCondition is smallCondition for the String operators.
type smallStringCondition struct {
	c     Condition
	vals  [2]Literal
	pats  [2]Pattern
	exact [2]string
}

// newCondition returns a Condition whose slices for n values of operator
// op are allocated with it when n is small.
func newCondition(op baseOp, n int) *Condition {
	switch {
	case n > 2:
		c := &Condition{values: make([]Literal, 0, n)}
		switch op {
		case opStringEquals, opStringLike, opStringEqualsIgnoreCase:
			c.patterns = make([]Pattern, 0, n)
			if op == opStringEquals {
				c.exact = make([]string, 0, n)
			}
		}
		return c
	case op == opStringEquals || op == opStringLike || op == opStringEqualsIgnoreCase:
		b := &smallStringCondition{}
		b.c.values, b.c.patterns = b.vals[:0:n], b.pats[:0:n]
		if op == opStringEquals {
			b.c.exact = b.exact[:0:n]
		}
		return &b.c
	}
	b := &smallCondition{}
	b.c.values, b.c.nums, b.c.nets4, b.c.times = b.vals[:0:n], b.nums[:0:n], b.nets4[:0:n], b.times[:0:n]
	return &b.c
}

// net4 is an IPv4 block as numbers: an address a is in it when
// a&mask == addr.
type net4 struct{ addr, mask uint32 }

func newNet4(p netip.Prefix) net4 {
	b := p.Masked().Addr().As4()
	var mask uint32
	if p.Bits() > 0 {
		mask = ^uint32(0) << (32 - p.Bits())
	}
	return net4{addr: binary.BigEndian.Uint32(b[:]), mask: mask}
}

// parseCIDR reads an IPv4 or IPv6 CIDR block; a bare address is a single
// host (/32 or /128).
func parseCIDR(s string) (netip.Prefix, bool) {
	if strings.IndexByte(s, '/') >= 0 {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() {
			// ::ffff:a.b.c.d/n is the IPv4 block a.b.c.d/(n-96), matching
			// how context addresses are unmapped.
			if p.Bits() < 96 {
				return p, true // covers more than the mapped range; keep it IPv6
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// Operator returns the operator as written, e.g. "ForAnyValue:StringLikeIfExists".
func (c *Condition) Operator() string { return c.operator }

// Key returns the condition key as written.
func (c *Condition) Key() string { return c.key }

// Values returns a copy of the condition's values as written.
func (c *Condition) Values() []Literal { return slices.Clone(c.values) }

// Eval evaluates the condition against ctx. It reports missing when the key
// is absent from ctx (for every operator but Null), so that callers can
// report the context values a decision depended on but did not have. Eval
// does not allocate. A nil ctx has no keys.
//
// The rules, from reference_policies_elements_condition_operators.html and
// reference_policies_multi-value-conditions.html:
//   - the condition's values are ORed; a negated operator (StringNotEquals,
//     NotIpAddress, ...) is true only when the context value matches none;
//   - a missing key makes positive operators false, negated operators true,
//     any ...IfExists operator true, ForAllValues true and ForAnyValue false;
//   - ForAllValues is true when every context value satisfies the operator
//     (vacuously for an empty list), ForAnyValue when at least one does;
//   - Null is true when the key's presence is as the value says ("true":
//     absent or an empty list).
func (c *Condition) Eval(ctx *Context) (ok bool, missing bool) {
	v, found := ctx.lookupRef(&c.ref)
	if found && c.plain && len(v.elems) == 1 {
		// The common case: a plain operator on a single value.
		e := &v.elems[0]
		if c.op == opIPAddress && e.flags&hasIP4 != 0 {
			return c.in4(e.ip4) != c.negated, false
		}
		return c.matchAny(e, ctx) != c.negated, false
	}
	if c.op == opNull {
		absent := !found || v.Len() == 0
		return absent && c.wantTrue || !absent && c.wantFalse, false
	}
	if !found {
		switch {
		case c.ifExists:
			return true, true
		case c.qual == qualForAll:
			return true, true
		case c.qual == qualForAny:
			return false, true
		}
		return c.negated, true
	}
	switch c.qual {
	case qualForAll:
		for i := range v.elems {
			if c.matchAny(&v.elems[i], ctx) == c.negated {
				return false, false
			}
		}
		return true, false
	case qualForAny:
		if c.exact != nil && !c.negated {
			// ForAnyValue:StringEquals, the usual tag-key test: any pair
			// of equal strings.
			for i := range v.elems {
				for _, x := range c.exact {
					if v.elems[i].text == x {
						return true, false
					}
				}
			}
			return false, false
		}
		for i := range v.elems {
			if c.matchAny(&v.elems[i], ctx) != c.negated {
				return true, false
			}
		}
		return false, false
	}
	// A plain operator on a list: positive operators need one element to
	// match, negated ones need no element to match.
	for i := range v.elems {
		if c.matchAny(&v.elems[i], ctx) {
			return !c.negated, false
		}
	}
	return c.negated, false
}

// matchAny reports whether e matches any of the condition's values under the
// positive form of the operator. A context value that cannot be read as the
// operator's type matches nothing.
func (c *Condition) matchAny(e *elem, ctx *Context) bool {
	switch c.op {
	case opStringEquals, opStringLike, opStringEqualsIgnoreCase:
		if c.exact != nil {
			for _, x := range c.exact {
				if e.text == x {
					return true
				}
			}
			return false
		}
		for i := range c.patterns {
			if c.patterns[i].Match(e.text, ctx) {
				return true
			}
		}
	case opArn:
		for i := range c.arns {
			if c.arns[i].Match(e.text, ctx) {
				return true
			}
		}
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		if e.flags&hasNum == 0 {
			return false
		}
		for _, n := range c.nums {
			if compareNum(c.op, e.num, n) {
				return true
			}
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		if e.flags&hasTime == 0 {
			return false
		}
		for i := range c.times {
			if compareTime(c.op, e.time, c.times[i]) {
				return true
			}
		}
	case opBool:
		if e.flags&hasBool == 0 {
			return false
		}
		return e.bool && c.wantTrue || !e.bool && c.wantFalse
	case opBinaryEquals:
		if e.flags&hasBin == 0 {
			return false
		}
		for _, b := range c.bins {
			if bytes.Equal(e.bin, b) {
				return true
			}
		}
	case opIPAddress:
		if e.flags&hasIP4 != 0 {
			return c.in4(e.ip4)
		}
		if e.flags&hasIP == 0 {
			return false
		}
		for _, p := range c.nets6 {
			if p.Contains(e.ip) {
				return true
			}
		}
	}
	return false
}

// in4 reports whether the IPv4 address a is in one of the condition's
// IPv4 blocks. Only IPv4 blocks hold IPv4 addresses: context addresses are
// unmapped, and so are IPv4-mapped blocks of /96 and longer.
func (c *Condition) in4(a uint32) bool {
	for _, n := range c.nets4 {
		if a&n.mask == n.addr {
			return true
		}
	}
	return false
}

// compareNum applies a Numeric operator: is the context value x op the policy
// value y?
func compareNum(op baseOp, x, y float64) bool {
	switch op {
	case opNumericEquals:
		return x == y
	case opNumericLessThan:
		return x < y
	case opNumericLessThanEquals:
		return x <= y
	case opNumericGreaterThan:
		return x > y
	case opNumericGreaterThanEquals:
		return x >= y
	}
	return false
}

// compareTime applies a Date operator: is the context date x op the policy
// date y?
func compareTime(op baseOp, x, y time.Time) bool {
	switch op {
	case opDateEquals:
		return x.Equal(y)
	case opDateLessThan:
		return x.Before(y)
	case opDateLessThanEquals:
		return !x.After(y)
	case opDateGreaterThan:
		return x.After(y)
	case opDateGreaterThanEquals:
		return !x.Before(y)
	}
	return false
}
