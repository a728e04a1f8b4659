package policy

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/internal/jsonpos"
)

// TestPathString checks that a lazily rendered path is the string the
// parser used to build eagerly, with jsonpos.JoinPath for members and
// fmt.Sprintf("%s[%d]") for elements, on random paths.
func TestPathString(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"Statement", "Condition", "StringLike", "s3:prefix", "a.b", "", "k[0]", "é"}
	for range 2000 {
		var nodes [8]path
		var p *path
		eager := ""
		for i := range r.IntN(len(nodes)) {
			if r.IntN(3) == 0 {
				n := r.IntN(200)
				nodes[i] = p.elem(n)
				eager = fmt.Sprintf("%s[%d]", eager, n)
			} else {
				k := keys[r.IntN(len(keys))]
				nodes[i] = p.field(k)
				eager = jsonpos.JoinPath(eager, k)
			}
			p = &nodes[i]
		}
		// JoinPath drops the dot after an empty path; only a member of
		// the document itself could be named "", and it has no members.
		if nodes[0].key == "" && nodes[0].index < 0 && p != nil && p != &nodes[0] {
			continue
		}
		if got := p.String(); got != eager {
			t.Fatalf("path renders %q, want %q", got, eager)
		}
	}
}

// TestDupFinderLong checks that objects longer than maxScan, whose names
// go into a map, find the same repeats as a scan would.
func TestDupFinderLong(t *testing.T) {
	var members []jsonpos.Member
	for i := range 3 * maxScan {
		members = append(members, jsonpos.Member{Key: fmt.Sprintf("Key%d", i)})
	}
	members = append(members, jsonpos.Member{Key: "KEY7"}, jsonpos.Member{Key: "Key80"})
	for _, fold := range []bool{false, true} {
		d := dupFinder{fold: fold}
		var dups []int
		for i := range members {
			if d.seen(members, i) {
				dups = append(dups, i)
			}
		}
		want := []int{3*maxScan + 1}
		if fold {
			want = []int{3 * maxScan, 3*maxScan + 1}
		}
		if fmt.Sprint(dups) != fmt.Sprint(want) {
			t.Errorf("fold=%v: repeats at %v, want %v", fold, dups, want)
		}
	}
}

// TestReadAction checks what readAction tells of an action against what
// the compiler computed from it one use at a time: the packed words of
// newWordAction, the lower-cased text, the service bit, whether the
// service prefix is literal and whether it is an action table key.
func TestReadAction(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"s3", ":", "Get", "OBJECT", "*", "?", "a", "12345678", "é"}
	for range 5000 {
		var a string
		for range r.IntN(12) {
			a += pieces[r.IntN(len(pieces))]
		}
		lower := make([]byte, len(a)+8+r.IntN(3))
		for i := range lower {
			lower[i] = byte(r.IntN(256)) // what other actions left there
		}
		slab := make([]uint64, 20)
		got, rest := readAction(a, lower, slab)
		want, ok := newWordAction(a)
		if got.packed != ok || ok && fmt.Sprint(got.word) != fmt.Sprint(want) {
			t.Fatalf("%q: packed %v %+v, newWordAction %v %+v", a, got.packed, got.word, ok, want)
		}
		if ok && len(rest) != 20-len(got.word.words) || !ok && len(rest) != 20 {
			t.Fatalf("%q: %d words left of 20", a, len(rest))
		}
		svc, _, colon := strings.Cut(a, ":")
		if got.lower != strings.Map(func(r rune) rune {
			if 'A' <= r && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, a) || got.bit != serviceBit(a) || got.anyService != (!colon || strings.ContainsAny(svc, "*?")) ||
			got.literal != (len(a) > 0 && len(a) <= 64 && !strings.ContainsAny(a, "*?")) {
			t.Fatalf("%q: read %+v", a, got)
		}
	}
}
