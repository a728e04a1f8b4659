package jsonpos

import (
	"slices"
	"strconv"
	"strings"
)

// Kind is the JSON type of a [Value].
type Kind uint8

// The JSON types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{
	Null:   "null",
	Bool:   "boolean",
	Number: "number",
	String: "string",
	Array:  "array",
	Object: "object",
}

// String returns the JSON name of the type: "null", "boolean", "number",
// "string", "array" or "object".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Pos is a position in the input.
type Pos struct {
	Offset int // byte offset, starting at 0
	Line   int // line number, starting at 1
	Column int // rune (UTF-8 character) count within the line, starting at 1
}

// String returns the position as "line 4, column 9".
func (p Pos) String() string {
	return "line " + strconv.Itoa(p.Line) + ", column " + strconv.Itoa(p.Column)
}

// Value is one parsed JSON value. Which fields are meaningful depends on Kind.
type Value struct {
	Kind Kind
	Pos  Pos // where the value starts

	// Str is the decoded text for a String, the literal as written for a
	// Number (e.g. "1.5e3"), and "true" or "false" for a Bool.
	Str string

	Bool    bool     // the value of a Bool
	Array   []*Value // the elements of an Array; nil when empty
	Members []Member // the members of an Object in document order, duplicates kept; nil when empty
}

// Member is one key/value pair of a JSON object.
type Member struct {
	Key    string // decoded key
	KeyPos Pos    // where the key's opening quote is
	Value  *Value
}

// Get returns the first member of the object v whose key is exactly key.
// It reports false if there is none or v is not an object.
func (v *Value) Get(key string) (*Member, bool) {
	if v == nil || v.Kind != Object {
		return nil, false
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return &v.Members[i], true
		}
	}
	return nil, false
}

// SyntaxError reports malformed input and where it was found.
type SyntaxError struct {
	Pos Pos
	Msg string // e.g. "invalid character '}' looking for object key"
}

// Error returns "line 3, column 7: " followed by Msg.
func (e *SyntaxError) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// Field checks the member names of an object against a list of known,
// case-sensitive names; see [Value.Fields].
type Field struct {
	Path string // the member's dotted path: the object's path, ".", the key
	*Member
	// Duplicate is true when an earlier member has the same name; else the
	// name is unknown.
	Duplicate bool
	// Suggest is, for an unknown name, the known name it equals ignoring
	// case, or "".
	Suggest string
}

// Fields returns the members of the object v whose names are in known, by
// name, and calls bad for every other member, unknown or repeated, in
// document order. path is the object's own dotted path ("" for the root).
func (v *Value) Fields(path string, known []string, bad func(Field)) map[string]*Value {
	out := make(map[string]*Value, len(v.Members))
	for i := range v.Members {
		m := &v.Members[i]
		f := Field{Path: JoinPath(path, m.Key), Member: m}
		switch _, dup := out[m.Key]; {
		case !slices.Contains(known, m.Key):
			if j := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, m.Key) }); j >= 0 {
				f.Suggest = known[j]
			}
			bad(f)
		case dup:
			f.Duplicate = true
			bad(f)
		default:
			out[m.Key] = m.Value
		}
	}
	return out
}

// JoinPath returns the dotted path of member key of the object at path.
func JoinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
