package main

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/bench/internal/benchout"
)

const sample = `goos: linux
BenchmarkParseCompile/1-statement-130B/iamkit-2     	  100	      7636 ns/op	  17.02 MB/s	      1976 retained-B	    2056 B/op	      15 allocs/op
BenchmarkParseCompile/1-statement-130B/iamkit-2     	  100	      7000 ns/op	  17.02 MB/s	      1976 retained-B	    2056 B/op	      15 allocs/op
BenchmarkParseCompile/1-statement-130B/opa-2        	   10	  8128708 ns/op	   0.02 MB/s	    450828 retained-B	 1584627 B/op	   29973 allocs/op
BenchmarkParseCompile/typical-2331B/iamkit-2        	  100	     67449 ns/op	  34.56 MB/s	     26895 retained-B	   27171 B/op	      40 allocs/op
BenchmarkParseCompile/typical-2331B/opa-2           	   10	   4571534 ns/op	   1.94 MB/s	    473136 retained-B	 1626776 B/op	   30741 allocs/op
BenchmarkParseCompile/role-10139B/opa-data-2        	  100	    134917 ns/op	  19.48 MB/s	     30790 retained-B	   66200 B/op	    1095 allocs/op
BenchmarkParse/iamkit-2331B-2                       	  100	    144838 ns/op
`

func TestSVG(t *testing.T) {
	results, err := benchout.Read(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	engines, series := collect(results)
	if got := strings.Join(engines, ","); got != "iamkit,opa,opa-data" {
		t.Fatalf("engines %s, want iamkit,opa,opa-data", got)
	}
	if p := series["iamkit"]; len(p) != 2 || p[0].size != 130 || p[0].ns != 7318 || p[1].retained != 26895 {
		t.Fatalf("iamkit points %+v", p)
	}
	out := svg(engines, series)
	d := xml.NewDecoder(strings.NewReader(out))
	lines := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "polyline" {
			lines++
		}
	}
	if lines != 2*len(engines) {
		t.Errorf("got %d polylines, want %d (two panels)", lines, 2*len(engines))
	}
	for _, want := range []string{">iamkit<", ">opa-data<", "1 ms", "100 KB", "10 KB", "retained"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}
