package policy

import (
	"math/bits"
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

// Small policies (indexThreshold statements or fewer) get an action table
// instead: every action the policy names literally (no * or ?), lower-cased,
// maps to the statements whose Action or NotAction matches it, found when
// the policy is compiled by the same matchers evaluation uses. A request
// for one of those actions (the usual case: policies mostly list actions by
// name) then visits exactly those statements and skips the action
// comparisons; any other request scans with the service mask. Action
// patterns hold no policy variables, so the lists do not depend on the
// request.

// actionTable is an open-addressing hash table of the literal actions,
// keyed by their packed words (as lowerAction packs a request's action).
type actionTable struct {
	slots []actionSlot // a power of two in length, at most half full
	shift uint8        // 64 - log2(len(slots)): the hash's top bits index
}

// actionSlot is one literal action and its statements.
type actionSlot struct {
	n     int       // the action's length in bytes; 0 marks an empty slot
	words [2]uint64 // its first sixteen bytes, packed
	more  []uint64  // its further words, for actions longer than 16 bytes
	stmts []int32   // the statements whose Action matches it, in order
}

// actionHash hashes the first two packed words of an action.
func actionHash(w0, w1 uint64) uint64 {
	return (w0 ^ bits.RotateLeft64(w1, 31)) * 0x9e3779b97f4a7c15
}

// lookup returns the statements matching the packed request action of n
// bytes, and false when the policy does not name that action literally.
func (t *actionTable) lookup(words *[8]uint64, n int) ([]int32, bool) {
	mask := uint64(len(t.slots) - 1)
	for h := actionHash(words[0], words[1]) >> (t.shift & 63); ; h++ {
		s := &t.slots[h&mask]
		if s.n == 0 {
			return nil, false
		}
		if s.n == n && s.words[0] == words[0] && s.words[1] == words[1] && s.moreMatch(words) {
			return s.stmts, true
		}
	}
}

// moreMatch compares the words after the first two.
func (s *actionSlot) moreMatch(words *[8]uint64) bool {
	for i, w := range s.more {
		if words[(i+2)&7] != w {
			return false
		}
	}
	return true
}

// buildActionTable fills p.actions for a small policy that names actions
// literally; infos are its actions as the compiler read them.
func (p *Policy) buildActionTable(infos []actionInfo) {
	n := 0
	for i := range infos {
		if infos[i].literal {
			n++
		}
	}
	if n == 0 {
		return
	}
	size := 4
	for size < 2*n {
		size *= 2
	}
	mask := uint64(size - 1)
	t := actionTable{slots: make([]actionSlot, size), shift: uint8(64 - bits.TrailingZeros(uint(size)))}
	// The slots' lists share one slice of statements and one of words
	// (earlier lists keep the old array when one grows).
	stmts := make([]int32, 0, 2*n)
	more := []uint64(nil)
	in := evalInput{ctx: emptyContext}
	for k := range infos {
		info := &infos[k]
		if !info.literal {
			continue
		}
		// A literal action is packed as lowerAction packs a request's.
		var words [8]uint64
		copy(words[:], info.word.words)
		lower := info.lower
		if _, dup := t.lookup(&words, len(lower)); dup {
			continue
		}
		slot := actionSlot{n: len(lower), words: [2]uint64{words[0], words[1]}}
		if w := len(info.word.words); w > 2 {
			if more == nil {
				more = make([]uint64, 0, 6*n)
			}
			start := len(more)
			more = append(more, words[2:w]...)
			slot.more = more[start:len(more):len(more)]
		}
		in.action = lower
		start := len(stmts)
		for i := range p.stmts {
			// A statement for other services matches none of its actions,
			// as the scan's service mask says.
			if p.svcMasks[i]&info.bit != 0 && p.stmts[i].matchActionPatterns(&in) {
				stmts = append(stmts, int32(i))
			}
		}
		if len(stmts) > start {
			slot.stmts = stmts[start:len(stmts):len(stmts)]
		}
		h := actionHash(words[0], words[1]) >> t.shift
		for t.slots[h&mask].n != 0 {
			h++
		}
		t.slots[h&mask] = slot
	}
	p.actions = t
}
