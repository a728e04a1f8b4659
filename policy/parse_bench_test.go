package policy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// parseBenchCase is one input of BenchmarkParsePolicy.
type parseBenchCase struct {
	name string
	data []byte
	opt  policy.Options
}

// parseBenchCases returns the policies BenchmarkParsePolicy parses, by size:
// one statement, the 5-statement corpus case, the typical 2,331-byte
// identity policy of the bench/ module (testdata/parse/typical.json), a
// generated policy of 100 statements and a 10 KB role policy
// (testdata/parse/role-10k.json, under the 10,240-character quota of a
// role's inline policies).
func parseBenchCases(tb testing.TB) []parseBenchCase {
	tb.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "parse", name))
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
	return []parseBenchCase{
		{name: "1-statement", data: []byte(`{"Version":"2012-10-17","Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::corp-data/*"}}`)},
		{name: "5-statements", data: []byte(benchCase(tb, "bench: identity-5").IdentityPolicies[0])},
		{name: "typical-2331B", data: read("typical.json")},
		{name: "100-statements", data: generatedPolicy(100), opt: policy.Options{MaxSize: -1}},
		{name: "role-10KB", data: read("role-10k.json"), opt: policy.Options{MaxSize: 10240}},
	}
}

// generatedPolicy is the identity policy of generatedSet: n statements,
// each allowing two S3 actions on its own bucket under a principal-tag
// condition.
func generatedPolicy(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`, i, i)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// BenchmarkParsePolicy measures Parse (parse, validate and compile) per
// policy size. Besides time and allocations it reports the heap a compiled
// policy keeps alive (retained-B/policy, measured over 200 policies held at
// once) and that figure over the size of the JSON (retained/JSON).
func BenchmarkParsePolicy(b *testing.B) {
	for _, bc := range parseBenchCases(b) {
		b.Run(bc.name, func(b *testing.B) {
			if _, err := policy.ParseWithOptions(bc.data, policy.Identity, bc.opt); err != nil {
				b.Fatal(err)
			}
			retained := retainedBytes(b, bc.data, bc.opt)
			b.SetBytes(int64(len(bc.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := policy.ParseWithOptions(bc.data, policy.Identity, bc.opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(retained, "retained-B/policy")
			b.ReportMetric(retained/float64(len(bc.data)), "retained/JSON")
		})
	}
}

// retainedBytes returns the live heap per compiled policy while 200 of them
// are held.
func retainedBytes(tb testing.TB, data []byte, opt policy.Options) float64 {
	const n = 200
	keep := make([]*policy.Policy, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range keep {
		p, err := policy.ParseWithOptions(data, policy.Identity, opt)
		if err != nil {
			tb.Fatal(err)
		}
		keep[i] = p
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
}
