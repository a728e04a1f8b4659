// Package jsonpos is a small, strict JSON parser that remembers where every
// value and object key starts, so that iamkit can report policy errors as
// "line 4, column 9: Statement[0].Effect: ...".
//
// It accepts exactly the grammar of RFC 8259 (https://www.rfc-editor.org/rfc/rfc8259):
// no comments, trailing commas, single quotes, leading zeros, NaN or Infinity,
// no raw control characters in strings, and no invalid UTF-8 anywhere. A UTF-8
// byte order mark at the start of the input is rejected as well (RFC 8259
// section 8.1 forbids adding one). Nesting deeper than [Options.MaxDepth] is
// an error.
//
// Parsing yields a tree of [Value]s:
//
//	v, err := jsonpos.Parse(data)
//	if err != nil {
//		return err // a *jsonpos.SyntaxError: "line 3, column 7: ..."
//	}
//	if m, ok := v.Get("Version"); ok && m.Value.Kind == jsonpos.String {
//		fmt.Println(m.Value.Str, "at", m.Value.Pos)
//	}
//
// # Positions
//
// A [Pos] holds a byte offset plus a 1-based line and column. Lines are
// separated by '\n'; columns count runes (UTF-8 characters), not bytes, so a
// position matches what an editor shows.
//
// # Values
//
// Strings are decoded the way encoding/json decodes them (a lone UTF-16
// surrogate in a \u escape becomes U+FFFD). Numbers are kept as the literal
// text, so no precision is lost and the caller chooses how to interpret them.
// Object members stay in document order and duplicate keys are kept; the
// caller decides whether a duplicate is an error.
//
// Unescaped strings and numbers share one copy of the input, so a parsed
// tree keeps the whole input alive. A tree is never modified by this package
// and is safe for concurrent reads.
package jsonpos
