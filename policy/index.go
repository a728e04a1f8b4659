package policy

import (
	"sort"
	"strings"
)

// Large policies (more than indexThreshold statements) are indexed twice so
// that evaluation visits only the statements that could match:
//
//   - by service prefix: the statements whose actions all name a service
//     are filed under each lower-cased prefix they name; the others (a
//     wildcard in the prefix, NotAction) under "any service";
//   - within each of those groups, by the literal start of the Resource
//     patterns: a statement whose every Resource entry begins with literal
//     text (up to its first *, ? or $) is filed under each such prefix; a
//     request resource R can only match statements filed under a prefix of
//     R. Statements without such a prefix (NotResource, "*", a wildcard in
//     the first characters, trust policies) stay in the group's rest list.
//
// Evaluation merges the candidate lists in document order, so the first
// deny and the strongest allow are those a full scan finds (a randomized
// test checks this against a linear scan).

// resIndex files one service group's statements by resource prefix.
type resIndex struct {
	lengths  []int              // distinct prefix lengths, ascending
	byPrefix map[string][]int32 // literal prefix -> statements, in order
	rest     []int32            // statements without a literal prefix
}

// maxMergeLists bounds the candidate lists merged without allocating; an
// evaluation needing more falls back to the service-level lists.
const maxMergeLists = 16

// literalPrefix returns the text of a Resource pattern before its first
// wildcard or variable, or "" when it has none worth indexing.
func literalPrefix(pattern string) string {
	if i := strings.IndexAny(pattern, "*?$"); i >= 0 {
		pattern = pattern[:i]
	}
	// "arn:aws:s3:::" alone separates nothing within a service group.
	if strings.Count(pattern, ":") < 5 || strings.HasSuffix(pattern, ":") && strings.Count(pattern, ":") == 5 {
		return ""
	}
	return pattern
}

// buildResIndex files stmts (indices into p.stmts, in order) by resource.
func (p *Policy) buildResIndex(stmts []int32) *resIndex {
	ri := &resIndex{byPrefix: map[string][]int32{}}
	lengths := map[int]bool{}
	for _, i := range stmts {
		st := &p.stmts[i]
		doc := p.doc.Statements[i]
		if st.noResource || st.notResource {
			ri.rest = append(ri.rest, i)
			continue
		}
		var prefixes []string
		for _, r := range doc.Resource {
			pre := literalPrefix(r)
			if pre == "" {
				prefixes = nil
				break
			}
			prefixes = append(prefixes, pre)
		}
		if prefixes == nil {
			ri.rest = append(ri.rest, i)
			continue
		}
		seen := map[string]bool{}
		for _, pre := range prefixes {
			if !seen[pre] {
				seen[pre] = true
				ri.byPrefix[pre] = append(ri.byPrefix[pre], i)
				lengths[len(pre)] = true
			}
		}
	}
	for l := range lengths {
		ri.lengths = append(ri.lengths, l)
	}
	sort.Ints(ri.lengths)
	return ri
}

// candidates adds to m the lists of statements that may match resource.
// It reports false when there are more lists than m holds.
func (ri *resIndex) candidates(resource string, m *merger) bool {
	if ri == nil {
		return true
	}
	if len(ri.rest) > 0 && !m.add(ri.rest) {
		return false
	}
	for _, l := range ri.lengths {
		if l > len(resource) {
			break
		}
		if list := ri.byPrefix[resource[:l]]; len(list) > 0 && !m.add(list) {
			return false
		}
	}
	return true
}

// merger walks up to maxMergeLists sorted lists of statement indices in
// ascending order, without allocating. A statement filed under two
// prefixes of the same resource appears in two lists; it is visited once.
type merger struct {
	lists [maxMergeLists][]int32
	n     int
	last  int32
}

func (m *merger) add(list []int32) bool {
	if m.n == len(m.lists) {
		return false
	}
	m.lists[m.n] = list
	m.n++
	return true
}

// next returns the smallest index not yet returned.
func (m *merger) next() (int32, bool) {
	for {
		best := -1
		for k := 0; k < m.n; k++ {
			if len(m.lists[k]) > 0 && (best < 0 || m.lists[k][0] < m.lists[best][0]) {
				best = k
			}
		}
		if best < 0 {
			return 0, false
		}
		i := m.lists[best][0]
		m.lists[best] = m.lists[best][1:]
		if i != m.last {
			m.last = i
			return i, true
		}
	}
}
