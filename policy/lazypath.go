package policy

import "strconv"

// path is the JSON path of an element as findings name it
// (Statement[1].Condition.StringLike.s3:prefix[0]): a chain of steps that
// lives on the callers' stacks and is rendered only when a finding is
// reported, so that a valid policy builds no path at all. The nil *path is
// the document itself.
type path struct {
	up    *path
	key   string // a member name, when index < 0
	index int    // an array index, or -1
}

// field returns the path of member key of the object at p.
func (p *path) field(key string) path { return path{up: p, key: key, index: -1} }

// elem returns the path of element i of the array at p.
func (p *path) elem(i int) path { return path{up: p, index: i} }

// String renders the path: members joined by '.', indexes as [i].
func (p *path) String() string {
	if p == nil {
		return ""
	}
	var buf [96]byte
	return string(p.appendTo(buf[:0]))
}

func (p *path) appendTo(b []byte) []byte {
	if p == nil {
		return b
	}
	b = p.up.appendTo(b)
	if p.index >= 0 {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.index), 10)
		return append(b, ']')
	}
	if p.up != nil {
		b = append(b, '.')
	}
	return append(b, p.key...)
}

// sidFinder finds repeated Sids. Policies have few statements, so the
// statements before are compared one by one, unless there are more than
// maxScan of them.
type sidFinder struct {
	stmts []Statement
	last  map[string]int // with many statements: Sid -> last statement so far
}

// earlier returns the last statement before i with the Sid of statement i,
// if i has one. It must be called for every i in order.
func (f *sidFinder) earlier(i int) (int, bool) {
	sid := f.stmts[i].Sid
	if len(f.stmts) > maxScan {
		if f.last == nil {
			f.last = make(map[string]int)
		}
		if sid == "" {
			return 0, false
		}
		j, ok := f.last[sid]
		f.last[sid] = i
		return j, ok
	}
	if sid == "" {
		return 0, false
	}
	for j := i - 1; j >= 0; j-- {
		if f.stmts[j].Sid == sid {
			return j, true
		}
	}
	return 0, false
}
