package policy_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/policy"
)

// checkFastAgrees checks the one-pass parser against the tree parser on
// one document: when the one-pass parser accepts it, the tree parser must
// report nothing and decode the same Document and statement positions.
// It reports whether the one-pass parser accepted it.
func checkFastAgrees(t *testing.T, data []byte, typ policy.Type) bool {
	t.Helper()
	doc, pos, ok := policy.FastDocument(data, typ)
	if !ok {
		return false
	}
	tdoc, tpos, findings, json := policy.TreeDocument(data, typ)
	if !json || len(findings) > 0 {
		t.Fatalf("one-pass parser accepted a %s policy the tree parser reports (%v):\n%s", typ, findings, data)
	}
	if diff := cmp.Diff(tdoc, doc); diff != "" {
		t.Fatalf("one-pass parser decoded a %s policy differently (-tree +one-pass):\n%s\n%s", typ, diff, data)
	}
	if diff := cmp.Diff(tpos, pos); diff != "" {
		t.Fatalf("one-pass parser placed statements differently (-tree +one-pass):\n%s\n%s", diff, data)
	}
	return true
}

// TestFastParseAgrees runs checkFastAgrees on the mutated policies of
// TestLazyPathsGolden, and checks that the benchmark policies take the
// one-pass path.
func TestFastParseAgrees(t *testing.T) {
	accepted := 0
	for _, c := range mutatedPolicies(t, goldenCount) {
		if checkFastAgrees(t, c.data, c.typ) {
			accepted++
		}
	}
	t.Logf("the one-pass parser accepted %d of %d mutated policies", accepted, goldenCount)
	if accepted < 300 {
		t.Errorf("the one-pass parser accepted only %d of %d mutated policies", accepted, goldenCount)
	}
	for _, bc := range parseBenchCases(t) {
		if _, _, ok := policy.FastDocument(bc.data, policy.Identity); !ok && bc.opt.MaxSize == 0 {
			t.Errorf("%s: the one-pass parser refused it", bc.name)
		}
	}
}

// FuzzFastParse checks the one-pass parser against the tree parser.
func FuzzFastParse(f *testing.F) {
	for _, b := range goldenBases {
		f.Add([]byte(b.text), uint8(b.typ))
	}
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"NumericLessThan":{"k":[1,-2.5e3]},"Bool":{"b":true}}}}`), uint8(policy.Identity))
	f.Add([]byte("{\"Statement\":[{\"Sid\":\"\\u0041\",\"Principal\":{\"AWS\":[\"1\"]},\"Action\":\"a:b\"}]}\n"), uint8(policy.Resource))
	f.Fuzz(func(t *testing.T, data []byte, typ uint8) {
		checkFastAgrees(t, data, policy.Type(typ%7+1))
	})
}
