package jsonpos

import (
	"strconv"
	"strings"
)

// MaxEcho is how many characters of a value [Echo] repeats.
const MaxEcho = 64

// Echo quotes s for an error message as %q does, cut to its first
// [MaxEcho] characters followed by "..." when it is longer, so that a
// message never repeats a huge value of the input.
func Echo(s string) string {
	if head, cut := shorten(s); cut {
		return strconv.Quote(head) + "..."
	}
	return strconv.Quote(s)
}

// Shorten returns s cut to its first [MaxEcho] characters followed by
// "..." when it is longer, for a name that a message repeats unquoted,
// such as an object key in a field path.
func Shorten(s string) string {
	if head, cut := shorten(s); cut {
		return head + "..."
	}
	return s
}

// shorten returns the first MaxEcho characters of s, and whether s is
// longer.
func shorten(s string) (head string, cut bool) {
	n := 0
	for i := range s {
		if n == MaxEcho {
			return s[:i], true
		}
		n++
	}
	return s, false
}

// Errorf reports a problem of the value at path, which starts at at, as
// fmt.Sprintf(format, args...).
type Errorf func(path string, at Pos, format string, args ...any)

// ParseReporting parses data as [Parse] does; on a syntax error it
// reports "invalid JSON: MESSAGE" at the error's position through errorf
// and returns nil.
func ParseReporting(data []byte, errorf Errorf) *Value {
	v, err := Parse(data)
	if err == nil {
		return v
	}
	se, ok := err.(*SyntaxError)
	if !ok {
		se = &SyntaxError{Msg: err.Error()}
	}
	errorf("", se.Pos, "invalid JSON: %s", se.Msg)
	return nil
}

// AsBool returns the boolean v, or false when v is nil (an absent member),
// reporting through errorf a v of another kind.
func (v *Value) AsBool(path string, errorf Errorf) bool {
	if v == nil {
		return false
	}
	if v.Kind != Bool {
		errorf(path, v.Pos, "must be true or false, not %s", v.Kind)
	}
	return v.Bool
}

// CheckFields returns the members of the object v whose names are in
// known, by name, as [Value.Fields] does, and reports every other member
// through errorf, with the member's path and the position of its key, in
// the words iamkit's file formats share:
//
//	duplicate field "a"
//	unknown field "Users" (field names are case-sensitive: did you mean "users"?)
//	unknown field "x" (known fields: a, b)
//
// The known names are listed only when listKnown is true. A member whose
// value is null counts as absent.
func (v *Value) CheckFields(path string, known []string, listKnown bool, errorf Errorf) map[string]*Value {
	out := v.Fields(path, known, func(f Field) {
		f.Path = JoinPath(path, Shorten(f.Key))
		switch {
		case f.Duplicate:
			errorf(f.Path, f.KeyPos, "duplicate field %s", Echo(f.Key))
		case f.Suggest != "":
			errorf(f.Path, f.KeyPos, "unknown field %s (field names are case-sensitive: did you mean %q?)", Echo(f.Key), f.Suggest)
		case listKnown:
			errorf(f.Path, f.KeyPos, "unknown field %s (known fields: %s)", Echo(f.Key), strings.Join(known, ", "))
		default:
			errorf(f.Path, f.KeyPos, "unknown field %s", Echo(f.Key))
		}
	})
	for k, m := range out {
		if m.Kind == Null {
			delete(out, k)
		}
	}
	return out
}
