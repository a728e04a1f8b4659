package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// toAny converts v to what encoding/json decodes into an any with UseNumber.
func toAny(v *Value) any {
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Str)
	case String:
		return v.Str
	case Array:
		a := make([]any, len(v.Array))
		for i, e := range v.Array {
			a[i] = toAny(e)
		}
		return a
	case Object:
		m := make(map[string]any, len(v.Members))
		for _, mem := range v.Members {
			m[mem.Key] = toAny(mem.Value) // last duplicate wins, as in encoding/json
		}
		return m
	}
	return nil
}

// decodeStd decodes data, which json.Valid accepts, the encoding/json way.
func decodeStd(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return x
}

// wantPos is the position of offset off in data, computed the slow way.
func wantPos(data []byte, off int) Pos {
	before := data[:off]
	nl := bytes.LastIndexByte(before, '\n')
	return Pos{
		Offset: off,
		Line:   1 + bytes.Count(before, []byte("\n")),
		Column: 1 + utf8.RuneCount(before[nl+1:]),
	}
}

// checkTree checks that every value and key position points at its start.
func checkTree(t testing.TB, data []byte, v *Value) {
	t.Helper()
	if got, want := v.Pos, wantPos(data, v.Pos.Offset); got != want {
		t.Fatalf("%s at %+v, want %+v", v.Kind, got, want)
	}
	first := "ntf-0123456789\"[{"
	switch v.Kind {
	case Null:
		first = "n"
	case Bool:
		first = "tf"
	case Number:
		first = "-0123456789"
	case String:
		first = `"`
	case Array:
		first = "["
	case Object:
		first = "{"
	}
	if !strings.ContainsRune(first, rune(data[v.Pos.Offset])) {
		t.Fatalf("%s at offset %d starts with %q", v.Kind, v.Pos.Offset, data[v.Pos.Offset])
	}
	for _, e := range v.Array {
		checkTree(t, data, e)
	}
	for _, m := range v.Members {
		if got, want := m.KeyPos, wantPos(data, m.KeyPos.Offset); got != want || data[got.Offset] != '"' {
			t.Fatalf("key %q at %+v, want %+v", m.Key, got, want)
		}
		checkTree(t, data, m.Value)
	}
}

func TestParseAccepts(t *testing.T) {
	policy, err := os.ReadFile("testdata/policy.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, in string }{
		{"null", `null`},
		{"true", `true`},
		{"false", ` false `},
		{"zero", `0`},
		{"negative zero", `-0`},
		{"integer", `-1234567890`},
		{"fraction", `3.14159`},
		{"exponent", `1.5e3`},
		{"exponent signs", `[1E+2, 1e-2, 0e0, -0.0E-0]`},
		{"huge", `123456789012345678901234567890e999`},
		{"empty string", `""`},
		{"escapes", `"\"\\\/\b\f\n\r\t"`},
		{"unicode escape", `"\u00e9\u4E2D"`},
		{"surrogate pair", `"\ud83d\ude00"`},
		{"lone high surrogate", `"\ud83d"`},
		{"lone low surrogate", `"\ude00x"`},
		{"high then non-surrogate", `"\ud83d\u0041"`},
		{"two highs then low", `"\ud83d\ud83d\ude00"`},
		{"high then bad escape text", `"\ud83d\\u"`},
		{"escaped U+FFFD", `"\ufffd"`},
		{"raw UTF-8", `"héllo 世界 😀"`},
		{"DEL and U+2028 raw", "\"\x7f\u2028\""},
		{"escape after multibyte", `"é\n"`},
		{"empty array", `[]`},
		{"empty object", `{}`},
		{"whitespace everywhere", " \t\r\n[ 1 ,\n\t{ \"a\" : [ ] , \"b\":{} } ] \r\n"},
		{"duplicate keys", `{"a":1,"a":2}`},
		{"nested", `{"a":[{"b":[null,true,false,"x",1]}]}`},
		{"iam policy", string(policy)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.in)
			if !json.Valid(data) {
				t.Fatalf("bad test: encoding/json rejects %q", tt.in)
			}
			v, err := Parse(data)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got, want := toAny(v), decodeStd(t, data); !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, want)
			}
			checkTree(t, data, v)
		})
	}
}

func TestParseValues(t *testing.T) {
	v, err := Parse([]byte(`{"n":1.5e3,"t":true,"f":false,"z":null,"a":[],"o":{},"k":"a","k":"b"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key  string
		kind Kind
		str  string
		b    bool
	}{
		{"n", Number, "1.5e3", false},
		{"t", Bool, "true", true},
		{"f", Bool, "false", false},
		{"z", Null, "", false},
		{"a", Array, "", false},
		{"o", Object, "", false},
		{"k", String, "a", false},
		{"k", String, "b", false},
	}
	if len(v.Members) != len(want) {
		t.Fatalf("got %d members, want %d", len(v.Members), len(want))
	}
	for i, w := range want {
		m := v.Members[i]
		if m.Key != w.key || m.Value.Kind != w.kind || m.Value.Str != w.str || m.Value.Bool != w.b {
			t.Errorf("member %d = %q %s %q %v, want %q %s %q %v",
				i, m.Key, m.Value.Kind, m.Value.Str, m.Value.Bool, w.key, w.kind, w.str, w.b)
		}
	}
	if m, ok := v.Get("k"); !ok || m.Value.Str != "a" {
		t.Errorf(`Get("k") = %v, %v; want the first "k"`, m, ok)
	}
	if _, ok := v.Get("K"); ok {
		t.Error(`Get("K") found a member; keys are case-sensitive`)
	}
	if _, ok := v.Members[0].Value.Get("n"); ok {
		t.Error("Get on a number found a member")
	}
	var nilValue *Value
	if _, ok := nilValue.Get("n"); ok {
		t.Error("Get on nil found a member")
	}
}

func TestParsePositions(t *testing.T) {
	// Multi-byte characters before a value must count one column each.
	in := "{\n  \"é世\": \"😀\", \"b\": [1,\n\t true]\n}"
	v, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  Pos
		want Pos
	}{
		{"object", v.Pos, Pos{0, 1, 1}},
		{"key é世", v.Members[0].KeyPos, Pos{4, 2, 3}},
		{"value 😀", v.Members[0].Value.Pos, Pos{13, 2, 9}},
		{"key b", v.Members[1].KeyPos, Pos{21, 2, 14}},
		{"array", v.Members[1].Value.Pos, Pos{26, 2, 19}},
		{"1", v.Members[1].Value.Array[0].Pos, Pos{27, 2, 20}},
		{"true", v.Members[1].Value.Array[1].Pos, Pos{32, 3, 3}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s at %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	if got, want := v.Members[0].Value.Pos.String(), "line 2, column 9"; got != want {
		t.Errorf("Pos.String() = %q, want %q", got, want)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"empty", ``, 1, 1, "unexpected end of input"},
		{"only space", " \n ", 2, 2, "unexpected end of input"},
		{"BOM", "\uFEFF{}", 1, 1, "unexpected byte order mark (U+FEFF) at start of input"},
		{"trailing data", `{} {}`, 1, 4, "unexpected data after top-level value"},
		{"two numbers", `1 2`, 1, 3, "unexpected data after top-level value"},
		{"trailing comma in object", `{"a":1,}`, 1, 8, "invalid character '}' looking for object key"},
		{"trailing comma in array", `[1,]`, 1, 4, "invalid character ']' looking for beginning of value"},
		{"missing comma", `[1 2]`, 1, 4, "invalid character '2' after array element"},
		{"missing colon", `{"a" 1}`, 1, 6, "invalid character '1' after object key"},
		{"missing member comma", `{"a":1 "b":2}`, 1, 8, "invalid character '\"' after object key:value pair"},
		{"single quotes", `{'a':1}`, 1, 2, `invalid character '\'' looking for object key`},
		{"unquoted key", `{a:1}`, 1, 2, "invalid character 'a' looking for object key"},
		{"line comment", "[1,\n// x\n2]", 2, 1, "invalid character '/' looking for beginning of value"},
		{"block comment", `/* x */ 1`, 1, 1, "invalid character '/' looking for beginning of value"},
		{"leading zero", `[01]`, 1, 3, "invalid character '1' after leading zero in numeric literal"},
		{"negative leading zero", `-012`, 1, 3, "invalid character '1' after leading zero in numeric literal"},
		{"plus sign", `+1`, 1, 1, "invalid character '+' looking for beginning of value"},
		{"bare minus", `[-]`, 1, 3, "invalid character ']' in numeric literal"},
		{"minus at end", `-`, 1, 2, "unexpected end of input"},
		{"leading dot", `.5`, 1, 1, "invalid character '.' looking for beginning of value"},
		{"trailing dot", `[1.]`, 1, 4, "invalid character ']' after decimal point in numeric literal"},
		{"dot at end", `1.`, 1, 3, "unexpected end of input"},
		{"empty exponent", `[1e]`, 1, 4, "invalid character ']' in exponent of numeric literal"},
		{"signed empty exponent", `[1e+]`, 1, 5, "invalid character ']' in exponent of numeric literal"},
		{"hex", `0x10`, 1, 2, "unexpected data after top-level value"},
		{"NaN", `NaN`, 1, 1, "invalid character 'N' looking for beginning of value"},
		{"Infinity", `-Infinity`, 1, 2, "invalid character 'I' in numeric literal"},
		{"misspelled true", `trUe`, 1, 3, "invalid character 'U' in literal true (expecting 'u')"},
		{"truncated null", `nul`, 1, 4, "unexpected end of input"},
		{"True", `True`, 1, 1, "invalid character 'T' looking for beginning of value"},
		{"unterminated string", `"abc`, 1, 5, "unexpected end of input"},
		{"unterminated escaped string", `"a\n`, 1, 5, "unexpected end of input"},
		{"backslash at end", `"a\`, 1, 4, "unexpected end of input"},
		{"raw newline in string", "\"a\nb\"", 1, 3, `invalid character '\n' in string literal`},
		{"raw tab in string", "[\"\\n\t\"]", 1, 5, `invalid character '\t' in string literal`},
		{"NUL in string", "\"\x00\"", 1, 2, `invalid character '\x00' in string literal`},
		{"invalid escape", `"ab\q"`, 1, 4, `invalid escape "\\q"`},
		{"escaped single quote", `"\'"`, 1, 2, `invalid escape "\\'"`},
		{"escaped multibyte", `"\é"`, 1, 2, `invalid escape "\\é"`},
		{"short unicode escape", `"\u12"`, 1, 2, `invalid escape "\\u12\""`},
		{"bad hex", `"x\u00g0"`, 1, 3, `invalid escape "\\u00g"`},
		{"truncated unicode escape", `"\u00`, 1, 6, "unexpected end of input"},
		{"bad escape after surrogate", `"\ud83d\u12"`, 1, 8, `invalid escape "\\u12\""`},
		{"invalid UTF-8 in string", "\"ab\xff\"", 1, 4, "invalid UTF-8"},
		{"truncated UTF-8 in string", "\"\xe4\xb8\"", 1, 2, "invalid UTF-8"},
		{"overlong UTF-8", "\"\xc0\xaf\"", 1, 2, "invalid UTF-8"},
		{"UTF-8 surrogate", "\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8"},
		{"invalid UTF-8 after escape", "\"\\n\xff\"", 1, 4, "invalid UTF-8"},
		{"invalid UTF-8 outside string", "[\xff]", 1, 2, "invalid UTF-8"},
		{"non-ASCII outside string", "[é]", 1, 2, "invalid character 'é' looking for beginning of value"},
		{"non-breaking space", "[\u00a01]", 1, 2, `invalid character '\u00a0' looking for beginning of value`},
		{"form feed", "[\f1]", 1, 2, `invalid character '\f' looking for beginning of value`},
		{"unclosed array", `[1,2`, 1, 5, "unexpected end of input"},
		{"unclosed object", "{\"a\":1\n", 2, 1, "unexpected end of input"},
		{"unmatched close", `[1}`, 1, 3, "invalid character '}' after array element"},
		// Rune columns: each multi-byte character before the error is one column.
		{"after multibyte", `{"é世😀": x}`, 1, 9, "invalid character 'x' looking for beginning of value"},
		{"line 3 after multibyte", "{\n  \"a\": \"ü\",\n  \"日本\": tru }", 3, 12, "invalid character ' ' in literal true (expecting 'e')"},
		{"line 4 trailing comma", "{\"Statement\": [\n  {\"Effect\": \"Allow\"},\n  {\"Sid\": \"ñ\"},\n  ]\n}", 4, 3, "invalid character ']' looking for beginning of value"},
		{"CRLF", "[\r\n1,\r\n\"ä\",\r\n x]", 4, 2, "invalid character 'x' looking for beginning of value"},
		{"line 5 bad escape", "{\n\n\n\n \"€\": \"€\\x\"}", 5, 9, `invalid escape "\\x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.in)
			v, err := Parse(data)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.in, toAny(v))
			}
			// encoding/json does not check UTF-8 inside strings; we do.
			if json.Valid(data) && tt.msg != "invalid UTF-8" {
				t.Errorf("bad test: encoding/json accepts %q", tt.in)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			want := SyntaxError{Pos: wantPos(data, se.Pos.Offset), Msg: tt.msg}
			want.Pos.Line, want.Pos.Column = tt.line, tt.col
			if *se != want {
				t.Errorf("Parse(%q) error\n got %+v\nwant %+v", tt.in, *se, want)
			}
			if got := wantPos(data, se.Pos.Offset); got != se.Pos {
				t.Errorf("offset %d is at %+v, error says %+v", se.Pos.Offset, got, se.Pos)
			}
			if got, want := err.Error(), want.Pos.String()+": "+tt.msg; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
		})
	}
}

func TestMaxDepth(t *testing.T) {
	nest := func(n int) []byte {
		return []byte(strings.Repeat(`[{"a":`, n) + "1" + strings.Repeat(`}]`, n))
	}
	tests := []struct {
		name     string
		in       []byte
		maxDepth int
		ok       bool
	}{
		{"default limit", nest(32), 0, true},
		{"default limit exceeded", []byte(strings.Repeat("[", 65) + strings.Repeat("]", 65)), 0, false},
		{"default exact", []byte(strings.Repeat("[", 64) + strings.Repeat("]", 64)), 0, true},
		{"negative means default", nest(32), -1, true},
		{"one", []byte(`[1]`), 1, true},
		{"one exceeded", []byte(`[[]]`), 1, false},
		{"object counts", []byte(`{"a":{}}`), 1, false},
		{"scalars do not count", []byte(`1`), 1, true},
		{"large", nest(5000), 10000, true},
		{"clamped", nest(5001), 1 << 30, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOptions(tt.in, Options{MaxDepth: tt.maxDepth})
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var se *SyntaxError
			if !errors.As(err, &se) || se.Msg != "nesting too deep" {
				t.Fatalf("got %v, want nesting too deep", err)
			}
		})
	}
	// The error points at the bracket that is one too deep.
	_, err := ParseOptions([]byte("[\n [\n  [1]]]"), Options{MaxDepth: 2})
	if got, want := err.Error(), "line 3, column 3: nesting too deep"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{Null: "null", Bool: "boolean", Number: "number", String: "string",
		Array: "array", Object: "object", 42: "Kind(42)"}
	for k, s := range want {
		if k.String() != s {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), s)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	policy, err := os.ReadFile("testdata/policy.json")
	if err != nil {
		b.Fatal(err)
	}
	inputs := []struct {
		name string
		data []byte
	}{
		{"policy-2KB", policy},
		{"escaped-2KB", []byte("[" + strings.Repeat(`"\u00e9\n\"x",`, 150) + "1]")},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				if _, err := Parse(in.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFields checks the member-name check policies and simulation files
// share: known names kept, an unknown name reported with the known name it
// equals ignoring case, a repeated name reported as a duplicate.
func TestFields(t *testing.T) {
	v, err := Parse([]byte(`{"a":1,"A":2,"b":3,"a":4,"c":null,"zz":5}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	out := v.Fields("root", []string{"a", "b", "c"}, func(f Field) {
		got = append(got, fmt.Sprintf("%s dup=%v suggest=%q at %s", f.Path, f.Duplicate, f.Suggest, f.KeyPos))
	})
	want := []string{
		`root.A dup=false suggest="a" at line 1, column 8`,
		`root.a dup=true suggest="" at line 1, column 20`,
		`root.zz dup=false suggest="" at line 1, column 35`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bad fields:\n got %q\nwant %q", got, want)
	}
	if len(out) != 3 || out["a"].Str != "1" || out["b"].Str != "3" || out["c"].Kind != Null {
		t.Errorf("Fields = %v, want a=1, b=3, c=null", out)
	}
	if JoinPath("", "k") != "k" || JoinPath("p", "k") != "p.k" {
		t.Errorf("JoinPath joins wrongly")
	}
}

// TestScalar checks that Scalar reads a scalar as Parse does, and refuses
// what Parse refuses.
func TestScalar(t *testing.T) {
	for _, in := range []string{`"a"`, `"a\"b\u00e9\ud83d\ude00\ud800"`, `""`, `"\x"`, `"a`, "\"a\nb\"", `true`, `false`, `null`, `tru`, `nul`,
		`0`, `-0`, `-1.5e+3`, `01`, `1.`, `-`, `1e`, `2E-7`, `x`, `[`, `"\u12"`, "\"\xff\""} {
		data := []byte(in + ",")
		k, text, end, ok := Scalar(data, string(data), 0)
		v, err := Parse([]byte(in))
		if (err == nil) != ok {
			t.Errorf("Scalar(%q) ok = %v, Parse error %v", in, ok, err)
			continue
		}
		if ok && (k != v.Kind || text != v.Str || end != len(in)) {
			t.Errorf("Scalar(%q) = %v %q %d, Parse gives %v %q", in, k, text, end, v.Kind, v.Str)
		}
	}
}
