package catalog

import "strings"

// globFold matches s against an Action-style pattern: '*' any run, '?' any
// one byte, ASCII case folded. The classic backtracking over the last star
// suffices for this glob and runs in O(len(p)*len(s)) at worst.
func globFold(p, s string) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '*':
				starP, starS = pi, si
				pi++
				continue
			case c == '?' || lower(c) == lower(s[si]):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		pi, si = starP+1, starS
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// templateMatch matches a condition key as a policy writes it against a
// catalogue key with placeholders, each standing for one or more bytes; the
// literal text is compared with ASCII case folded.
func templateMatch(tmpl, s string) bool {
	ti, si := 0, 0
	starT, starS := -1, 0
	for si < len(s) {
		if ti < len(tmpl) {
			if n := placeholderLen(tmpl[ti:]); n > 0 {
				// The placeholder takes s[si] and, on backtracking, more.
				starT, starS = ti+n, si+1
				ti, si = starT, starS
				continue
			}
			if lower(tmpl[ti]) == lower(s[si]) {
				ti++
				si++
				continue
			}
		}
		if starT < 0 {
			return false
		}
		starS++
		ti, si = starT, starS
	}
	return ti == len(tmpl)
}

// MatchResourceType returns the resource types of the action that an ARN
// fits, judged by their ARN formats; nil if none does or the action takes
// no resource types (only Resource "*").
//
// The ARN may be a Resource element value: '*' and '?' are IAM's wildcards,
// a policy variable (${aws:username}) may be anything and ${*}, ${?}, ${$}
// are the literal characters. A pattern fits a format when some ARN matches
// both, so "arn:aws:s3:::*" fits both bucket and object.
//
// In a format, ${Partition}, ${Region} and the like stand for one or more
// characters other than '/' and ':', and a literal '*' for any run. Names
// in the last place can hold paths (an IAM role's path, an S3 key, a log
// group "/aws/lambda/f", a qualified Lambda function "f:1"), so if no type
// fits that way a second pass lets a format's last placeholder take any
// characters — unless it is the whole resource part, as s3's
// ${BucketName} is: a bucket never fits "arn:aws:s3:::bucket/key". Thus
// dynamodb's table/t/index/i is an index and not a table, while
// iam's user/division/alice is still a user.
func MatchResourceType(action Action, arn string) []ResourceType {
	r := action.rec()
	if r.rts.n == 0 || !strings.HasPrefix(arn, "arn:") && !strings.HasPrefix(arn, "*") {
		return nil
	}
	t := tab()
	in := tokenizeInput(arn)
	var out []ResourceType
	for _, lenient := range []bool{false, true} {
		for i := r.rts.off; i < r.rts.off+r.rts.n; i++ {
			rt := t.arts[i].rt
			fs := t.rtypes[rt].formats
			for _, f := range t.strs[fs.off : fs.off+fs.n] {
				if formatMatch(f, lenient, in) {
					out = append(out, ResourceType{rt + 1})
					break
				}
			}
		}
		if out != nil {
			break
		}
	}
	return out
}

// Input and format tokens. An input token is a byte, any one byte (?) or
// any run (*); a format token is a byte, a placeholder (one or more bytes
// of a class) or any run.
type tokKind uint8

const (
	tLit tokKind = iota
	tOne
	tAny
	tVar     // one or more bytes other than '/' and ':'
	tVarPath // one or more of any byte: a last placeholder in the lenient pass
)

type tok struct {
	kind tokKind
	c    byte
}

func tokenizeInput(s string) []tok {
	out := make([]tok, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			out = append(out, tok{kind: tAny})
		case '?':
			out = append(out, tok{kind: tOne})
		case '$':
			if strings.HasPrefix(s[i:], "${") {
				if j := strings.IndexByte(s[i:], '}'); j > 0 {
					switch v := s[i+2 : i+j]; v {
					case "*", "?", "$":
						out = append(out, tok{kind: tLit, c: v[0]})
					default:
						out = append(out, tok{kind: tAny})
					}
					i += j
					continue
				}
			}
			out = append(out, tok{kind: tLit, c: c})
		default:
			out = append(out, tok{kind: tLit, c: c})
		}
	}
	return out
}

func tokenizeFormat(f string, lenient bool) []tok {
	// The resource part starts after the fifth colon.
	res := 0
	for n := 0; res < len(f) && n < 5; res++ {
		if f[res] == ':' {
			n++
		}
	}
	out := make([]tok, 0, len(f))
	for i := 0; i < len(f); i++ {
		if strings.HasPrefix(f[i:], "${") {
			if j := strings.IndexByte(f[i:], '}'); j > 0 {
				k := tVar
				if lenient && i+j+1 == len(f) && i > res {
					k = tVarPath
				}
				out = append(out, tok{kind: k})
				i += j
				continue
			}
		}
		if f[i] == '*' {
			out = append(out, tok{kind: tAny})
			continue
		}
		out = append(out, tok{kind: tLit, c: f[i]})
	}
	return out
}

// formatMatch reports whether some string matches both the format and the
// input pattern: a search over pairs of positions in the two token lists.
// A format position p is 2*i before token i, or 2*i+1 inside placeholder i
// after at least one byte.
func formatMatch(format string, lenient bool, in []tok) bool {
	ft := tokenizeFormat(format, lenient)
	n, m := len(ft), len(in)
	w := m + 1
	seen := make([]bool, (2*n+1)*w)
	stack := make([]int32, 0, 64)
	push := func(p, j int) {
		if id := p*w + j; !seen[id] {
			seen[id] = true
			stack = append(stack, int32(id))
		}
	}
	push(0, 0)
	for len(stack) > 0 {
		id := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		p, j := id/w, id%w
		if p == 2*n && j == m {
			return true
		}
		// Moves that consume nothing.
		if j < m && in[j].kind == tAny {
			push(p, j+1)
		}
		if p%2 == 1 {
			push(p+1, j)
		} else if p < 2*n && ft[p/2].kind == tAny {
			push(p+2, j)
		}
		if j == m {
			continue
		}
		// Moves that consume one byte on both sides.
		it := in[j]
		nj := j + 1
		if it.kind == tAny {
			nj = j
		}
		var fk tokKind
		var fc byte
		np := 0
		switch {
		case p%2 == 1:
			fk, np = ft[p/2].kind, p
		case p < 2*n:
			f := ft[p/2]
			fk, fc = f.kind, f.c
			switch fk {
			case tLit:
				np = p + 2
			case tAny:
				np = p
			default:
				np = p + 1
			}
		default:
			continue
		}
		ok := false
		switch fk {
		case tLit:
			ok = it.kind != tLit || it.c == fc
		case tAny, tVarPath:
			ok = true
		case tVar:
			ok = it.kind != tLit || it.c != '/' && it.c != ':'
		}
		if ok {
			push(np, nj)
		}
	}
	return false
}
