package benchout

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	in := `goos: linux
BenchmarkEngines/five/iamkit-2         	 1000000	       348.8 ns/op	       0 B/op	       0 allocs/op
BenchmarkEngines/five/iamkit-2         	 1000000	       350.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkEngines/five/iamkit-2         	 1000000	       400.0 ns/op	       0 B/op	       0 allocs/op
BenchmarkEngines/five/cedar            	   44629	      7726 ns/op	    2056 B/op	      23 allocs/op
BenchmarkParse/iamkit-2331B-2          	    2342	    191270 ns/op	  12.19 MB/s	      5228 policies/s	   68227 B/op	     648 allocs/op
PASS
`
	got, err := Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d results, want 3: %+v", len(got), got)
	}
	if r := got[0]; r.Name != "Engines/five/iamkit" || r.Runs != 3 || r.Metrics["ns/op"] != 350 || r.Min["ns/op"] != 348.8 {
		t.Errorf("got %+v, want Engines/five/iamkit, 3 runs, median 350 ns/op", r)
	}
	if r := got[1]; r.Name != "Engines/five/cedar" || r.Metrics["allocs/op"] != 23 {
		t.Errorf("got %+v", r)
	}
	if r := got[2]; r.Name != "Parse/iamkit-2331B" || r.Metrics["policies/s"] != 5228 || r.Metrics["MB/s"] != 12.19 {
		t.Errorf("got %+v", r)
	}
}
