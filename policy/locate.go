package policy

import (
	"strconv"
	"strings"

	"github.com/iamkit/iamkit/internal/jsonpos"
)

// locator finds where the element at a JSON path (as findings name them,
// e.g. Statement[1].Condition.StringLike.s3:prefix[0]) is in the parsed
// tree. Paths are resolved only when a finding needs a position, so parsing
// builds no index.
type locator struct {
	root  *jsonpos.Value
	data  []byte     // the document, when root is yet to be parsed
	stmts []Position // where each statement starts
}

// locate returns the position of the element at path. For a condition
// operator or key it is the position of its name, for everything else the
// position of its value. ok is false when the path names nothing in the
// tree.
func (l *locator) locate(path string) (Position, bool) {
	if l.root == nil && l.data != nil {
		// A document the one-pass parser read: parse the tree for the
		// first finding that needs a position.
		l.root, _ = jsonpos.Parse(l.data)
		l.data = nil
	}
	if l.root == nil || l.root.Kind != jsonpos.Object {
		return Position{}, false
	}
	v := l.root
	key, rest := splitSegment(path)
	m, ok := v.Get(key)
	if !ok {
		return Position{}, false
	}
	v = m.Value
	if key == "Statement" {
		// Statement[i]: an array element, or the object itself when the
		// policy has a single statement.
		i, r, ok := splitIndex(rest)
		if !ok {
			return toPos(v.Pos), rest == ""
		}
		switch {
		case v.Kind == jsonpos.Array && i < len(v.Array):
			v = v.Array[i]
		case v.Kind == jsonpos.Object && i == 0:
		default:
			return Position{}, false
		}
		if r == "" {
			return toPos(v.Pos), true
		}
		if v, key, rest, ok = member(v, r); !ok {
			return Position{}, false
		}
		if key == "Condition" {
			return locateCondition(v, rest)
		}
		if key == "Principal" || key == "NotPrincipal" {
			if rest == "" {
				return toPos(v.Pos), true
			}
			if v, _, rest, ok = member(v, rest); !ok {
				return Position{}, false
			}
		}
	}
	return locateListElement(v, rest)
}

// member steps from the object v into the member a leading ".Key" of path
// names, returning its value, the key and the rest of the path.
func member(v *jsonpos.Value, path string) (*jsonpos.Value, string, string, bool) {
	if path == "" || path[0] != '.' || v.Kind != jsonpos.Object {
		return nil, "", "", false
	}
	key, rest := splitSegment(path[1:])
	m, ok := v.Get(key)
	if !ok {
		return nil, "", "", false
	}
	return m.Value, key, rest, true
}

// locateCondition resolves .OPERATOR[.KEY[[i]]] inside a Condition element.
func locateCondition(v *jsonpos.Value, rest string) (Position, bool) {
	if rest == "" {
		return toPos(v.Pos), true
	}
	if rest[0] != '.' || v.Kind != jsonpos.Object {
		return Position{}, false
	}
	rest = rest[1:]
	// Operators contain no '.'; condition keys may, so the key is the rest
	// of the path less a trailing [i].
	op, keyPath, hasKey := strings.Cut(rest, ".")
	m, ok := v.Get(op)
	if !ok {
		return Position{}, false
	}
	if !hasKey {
		return toPos(m.KeyPos), true
	}
	if m.Value.Kind != jsonpos.Object {
		return Position{}, false
	}
	if strings.HasSuffix(keyPath, "]") {
		if j := strings.LastIndexByte(keyPath, '['); j >= 0 {
			if km, ok := m.Value.Get(keyPath[:j]); ok {
				return locateListElement(km.Value, keyPath[j:])
			}
		}
	}
	km, ok := m.Value.Get(keyPath)
	if !ok {
		return Position{}, false
	}
	return toPos(km.KeyPos), true
}

// locateListElement resolves an optional [i] on a string-or-array element.
func locateListElement(v *jsonpos.Value, rest string) (Position, bool) {
	if rest == "" {
		return toPos(v.Pos), true
	}
	i, r, ok := splitIndex(rest)
	if !ok || r != "" {
		return Position{}, false
	}
	switch {
	case v.Kind == jsonpos.Array && i < len(v.Array):
		return toPos(v.Array[i].Pos), true
	case v.Kind != jsonpos.Array && i == 0:
		return toPos(v.Pos), true
	}
	return Position{}, false
}

// splitSegment splits "Key.rest" or "Key[i]rest" after its first key.
func splitSegment(path string) (key, rest string) {
	if i := strings.IndexAny(path, ".["); i >= 0 {
		return path[:i], path[i:]
	}
	return path, ""
}

// splitIndex reads a leading "[i]".
func splitIndex(s string) (int, string, bool) {
	if !strings.HasPrefix(s, "[") {
		return 0, s, false
	}
	j := strings.IndexByte(s, ']')
	if j < 0 {
		return 0, s, false
	}
	i, err := strconv.Atoi(s[1:j])
	if err != nil || i < 0 {
		return 0, s, false
	}
	return i, s[j+1:], true
}
