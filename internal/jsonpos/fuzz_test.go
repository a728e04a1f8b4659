package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks Parse against encoding/json: it never panics, it accepts
// exactly what json.Valid accepts (except that it also rejects invalid UTF-8
// in strings, and nesting beyond Options.MaxDepth), it decodes the same
// values, and every position it reports is consistent with its offset.
func FuzzParse(f *testing.F) {
	policy, err := os.ReadFile("testdata/policy.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(policy)
	for _, s := range []string{
		``, ` `, `null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-1E-10`, `01`, `1.`, `.1`, `1e`, `-`,
		`""`, `"\u00e9"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00\ud83d"`, `"\ud83d\u0041"`, `"\ud83d\\"`,
		`"\q"`, `"\u12"`, "\"\x01\"", "\"\xff\"", "\"\xed\xa0\x80\"", "\uFEFF{}", "\"é世😀\"", "\"\u2028\"",
		`[]`, `{}`, `[1,]`, `{"a":1,}`, `{"a":1,"a":2}`, `{"a" 1}`, `[1 2]`, `{} {}`,
		"[\n1,\r\n\t{\"b\":[null]}]", strings.Repeat("[", 65) + strings.Repeat("]", 65),
		strings.Repeat(`{"a":`, 70) + "1" + strings.Repeat("}", 70), `tru`, `nul`, `NaN`, `/* */1`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		var se *SyntaxError
		if err != nil {
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError: %v", err, err)
			}
			if se.Msg == "nesting too deep" {
				// Retry at encoding/json's own depth limit.
				v, err = ParseOptions(data, Options{MaxDepth: MaxDepthLimit})
				if err != nil && !errors.As(err, &se) {
					t.Fatalf("error %T is not a *SyntaxError: %v", err, err)
				}
			}
		}
		if err != nil {
			if se.Pos.Offset < 0 || se.Pos.Offset > len(data) {
				t.Fatalf("error offset %d outside input of %d bytes", se.Pos.Offset, len(data))
			}
			if want := wantPos(data, se.Pos.Offset); se.Pos != want {
				t.Fatalf("error at %+v, but offset %d is at %+v", se.Pos, se.Pos.Offset, want)
			}
		}
		valid := json.Valid(data)
		switch {
		case err == nil && !valid:
			t.Fatalf("Parse accepts %q; encoding/json rejects it", data)
		case err != nil && valid:
			if se.Msg != "invalid UTF-8" {
				t.Fatalf("Parse rejects %q (%v); encoding/json accepts it", data, err)
			}
			if r, size := utf8.DecodeRune(data[se.Pos.Offset:]); r != utf8.RuneError || size != 1 {
				t.Fatalf("invalid UTF-8 reported at valid %q", data[se.Pos.Offset:])
			}
		case err == nil:
			if !utf8.Valid(data) {
				t.Fatalf("Parse accepts invalid UTF-8 %q", data)
			}
			if got, want := toAny(v), decodeStd(t, data); !reflect.DeepEqual(got, want) {
				t.Fatalf("Parse(%q) = %#v; encoding/json gives %#v", data, got, want)
			}
			checkTree(t, data, v)
			// Re-encoding canonically and parsing again gives the same tree.
			canon := appendCanonical(nil, v)
			v2, err := ParseOptions(canon, Options{MaxDepth: MaxDepthLimit})
			if err != nil {
				t.Fatalf("canonical form %q: %v", canon, err)
			}
			if got, want := toAny(v2), toAny(v); !reflect.DeepEqual(got, want) {
				t.Fatalf("canonical form %q = %#v, want %#v", canon, got, want)
			}
		}
	})
}

// appendCanonical writes v compactly, keeping duplicate keys.
func appendCanonical(dst []byte, v *Value) []byte {
	switch v.Kind {
	case Null:
		return append(dst, "null"...)
	case String:
		return append(dst, Quote(v.Str)...)
	case Array:
		dst = append(dst, '[')
		for i, e := range v.Array {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendCanonical(dst, e)
		}
		return append(dst, ']')
	case Object:
		dst = append(dst, '{')
		for i, m := range v.Members {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, Quote(m.Key)...)
			dst = append(dst, ':')
			dst = appendCanonical(dst, m.Value)
		}
		return append(dst, '}')
	}
	return append(dst, v.Str...) // Bool and Number
}

// stdQuote is encoding/json's encoding of s without HTML escaping.
func stdQuote(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{`"\`, `"\"\\"`},
		{"<a & b>", `"<a & b>"`},
		{"\b\f\n\r\t", `"\b\f\n\r\t"`},
		{"\x00\x1f\x7f", `"\u0000\u001f` + "\x7f" + `"`},
		{"é世😀", `"é世😀"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"a\xffb\xe4\xb8", `"a\ufffdb\ufffd\ufffd"`},
		{"\ufffd", "\"\ufffd\""},
		{"arn:aws:s3:::bucket/${aws:username}/*", `"arn:aws:s3:::bucket/${aws:username}/*"`},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if got, want := Quote(tt.in), stdQuote(t, tt.in); got != want {
			t.Errorf("Quote(%q) = %s, encoding/json gives %s", tt.in, got, want)
		}
	}
}

// FuzzQuote checks Quote against encoding/json byte for byte.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "abc", "\"\\/", "\x00\b\f\n\r\t\x1f\x7f", "<>&", "é世😀", "\u2028\u2029", "\xff\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Quote(s), stdQuote(t, s); got != want {
			t.Fatalf("Quote(%q) = %s, encoding/json gives %s", s, got, want)
		}
	})
}
