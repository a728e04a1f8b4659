package jsonpos

// Scalar reads the string, number, true, false or null that starts at
// data[i] exactly as [Parse] reads it, for a caller that walks JSON it
// expects to be valid and wants Parse's decoding without its tree. src
// must be string(data): strings without escapes and numbers are cut from
// it. ok is false when no well-formed scalar starts at i; Parse then
// reports the error.
func Scalar(data []byte, src string, i int) (k Kind, text string, end int, ok bool) {
	if i >= len(data) {
		return 0, "", 0, false
	}
	p := parser{data: data, src: src, i: i, line: 1, col: 1}
	switch c := data[i]; {
	case c == '"':
		k, text = String, p.string()
	case c == 't':
		k, text = Bool, "true"
		p.literal(text)
	case c == 'f':
		k, text = Bool, "false"
		p.literal(text)
	case c == 'n':
		k = Null
		p.literal("null")
	case c == '-' || isDigit(c):
		k, text = Number, p.number()
	default:
		return 0, "", 0, false
	}
	if p.err != nil {
		return 0, "", 0, false
	}
	return k, text, p.i, true
}
