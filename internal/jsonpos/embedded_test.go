package jsonpos

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestValueEnd checks the scanner that finds where an embedded document
// ends.
func TestValueEnd(t *testing.T) {
	for _, s := range []string{`{}`, `{"a": "}\"]"}`, `[1, [2, {"b": []}]]`, `"x\\"`, `123`, `true`} {
		data := []byte(s + ` , "tail"]`)
		if got := ValueEnd(data, 0); got != len(s) {
			t.Errorf("ValueEnd(%q) = %d, want %d", data, got, len(s))
		}
	}
}

// TestEmbed maps positions of documents held as objects and as strings
// back to the file: each case marks the character of the document with «
// in the file and names its position in the document.
func TestEmbed(t *testing.T) {
	tests := []struct {
		name, file        string
		docLine, docCol   int
		wantLine, wantCol int
	}{
		{"object, first line", "{\"p\": {\"a\": 1}}", 1, 2, 1, 8},
		{"object, later line", "{\"p\": {\n  \"a\": 1}}", 2, 3, 2, 3},
		{"object, whole document", "{\n \"p\": {\"a\": 1}}", 0, 0, 2, 7},
		{"string, plain", `{"p": "{\"a\": 1}"}`, 1, 2, 1, 9},
		{"string, after an escaped newline", `{"p": "{\n\"a\": 1}"}`, 2, 1, 1, 11},
		{"string, after a \\u escape", `{"p": "\u00e9{\"a\"}"}`, 1, 3, 1, 15},
		// A surrogate pair is one character of the document and twelve
		// of the file.
		{"string, after a surrogate pair", `{"p": "\ud83d\ude00x"}`, 1, 2, 1, 20},
		{"string, past the end", `{"p": "ab"}`, 1, 9, 1, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.file)
			root, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := root.Get("p")
			e, ok := Embed(data, m.Value)
			if !ok {
				t.Fatal("Embed: not ok")
			}
			if m.Value.Kind == Object && string(e.Doc) != tt.file[m.Value.Pos.Offset:len(tt.file)-1] {
				t.Errorf("Doc = %q", e.Doc)
			}
			line, col := e.Pos(tt.docLine, tt.docCol)
			if line != tt.wantLine || col != tt.wantCol {
				t.Errorf("Pos(%d, %d) = %d, %d, want %d, %d", tt.docLine, tt.docCol, line, col, tt.wantLine, tt.wantCol)
			}
		})
	}
	root, _ := Parse([]byte(`{"p": 1}`))
	if _, ok := Embed([]byte(`{"p": 1}`), root.Members[0].Value); ok {
		t.Error("Embed of a number: ok")
	}
}

// TestEcho checks that echoed values are quoted as %q quotes them and cut
// to MaxEcho characters.
func TestEcho(t *testing.T) {
	long := strings.Repeat("é", MaxEcho) + "TAIL"
	for _, tt := range []struct{ in, echo, shorten string }{
		{"abc", `"abc"`, "abc"},
		{"a\"b\n", `"a\"b\n"`, "a\"b\n"},
		{long, `"` + strings.Repeat("é", MaxEcho) + `"...`, strings.Repeat("é", MaxEcho) + "..."},
	} {
		if got := Echo(tt.in); got != tt.echo {
			t.Errorf("Echo(%q) = %s, want %s", tt.in, got, tt.echo)
		}
		if got := Shorten(tt.in); got != tt.shorten {
			t.Errorf("Shorten(%q) = %q, want %q", tt.in, got, tt.shorten)
		}
	}
	if n := utf8.RuneCountInString(Echo(long)); n != MaxEcho+5 {
		t.Errorf("Echo of a long value is %d characters, want %d", n, MaxEcho+5)
	}
}

// TestCheckFields checks the shared messages for unknown, misspelt and
// repeated fields, and that null counts as absent.
func TestCheckFields(t *testing.T) {
	long := strings.Repeat("k", 100)
	data := []byte(`{"a": 1, "B": 2, "c": 3, "a": 4, "d": null, "` + long + `": 5}`)
	root, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	known := []string{"a", "b", "d"}
	for _, listKnown := range []bool{false, true} {
		var got []string
		out := root.CheckFields("obj", known, listKnown, func(path string, at Pos, format string, args ...any) {
			got = append(got, at.String()+": "+path+": "+fmt.Sprintf(format, args...))
		})
		if len(out) != 1 || out["a"] == nil || out["a"].Str != "1" {
			t.Errorf("fields = %v, want only the first a", out)
		}
		unknown := `unknown field "c"`
		if listKnown {
			unknown += " (known fields: a, b, d)"
		}
		cut := strings.Repeat("k", MaxEcho)
		longMsg := `unknown field "` + cut + `"...`
		if listKnown {
			longMsg += " (known fields: a, b, d)"
		}
		want := []string{
			`line 1, column 10: obj.B: unknown field "B" (field names are case-sensitive: did you mean "b"?)`,
			"line 1, column 18: obj.c: " + unknown,
			`line 1, column 26: obj.a: duplicate field "a"`,
			"line 1, column 45: obj." + cut + "...: " + longMsg,
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("listKnown=%v: messages\n%s\nwant\n%s", listKnown, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestReporting checks the readers that report through an Errorf.
func TestReporting(t *testing.T) {
	var got []string
	errorf := func(path string, at Pos, format string, args ...any) {
		got = append(got, fmt.Sprintf("%s %q: ", at, path)+fmt.Sprintf(format, args...))
	}
	if v := ParseReporting([]byte("{\n  \"a\": tru}"), errorf); v != nil {
		t.Errorf("ParseReporting of bad JSON = %v, want nil", v)
	}
	v := ParseReporting([]byte(`{"t": true, "n": 1}`), errorf)
	if v == nil {
		t.Fatal("ParseReporting of good JSON = nil")
	}
	if !v.Members[0].Value.AsBool("t", errorf) || v.Members[1].Value.AsBool("n", errorf) || (*Value)(nil).AsBool("absent", errorf) {
		t.Error("AsBool: wrong value")
	}
	want := []string{
		`line 2, column 11 "": invalid JSON: invalid character '}' in literal true (expecting 'e')`,
		`line 1, column 18 "n": must be true or false, not number`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("reports\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
