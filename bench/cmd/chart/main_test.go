package main

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func TestSVGWellFormed(t *testing.T) {
	series := map[string]map[int]float64{
		"iamkit": {5: 400, 50: 520, 500: 1100, 5000: 20000},
		"cedar":  {5: 2300, 50: 4800, 500: 39000, 5000: 700000},
	}
	out := svg([]string{"iamkit", "cedar"}, series)
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
	if lines != 2 {
		t.Errorf("got %d polylines, want 2", lines)
	}
	for _, want := range []string{">iamkit<", ">cedar<", ">5000<", "100 ns", "1 ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}
