// Command parsechart reads `go test -bench` output on standard input and
// writes an SVG chart of BenchmarkParseCompile/<case>-<bytes>B/<engine>: the
// median time to parse and compile a policy (left) and the heap a compiled
// copy retains (right), against the size of the IAM JSON, on log-log axes,
// one line per engine. It needs no external tool.
//
//	go test -run='^$' -bench=Parse -benchmem -count=5 . > parse-results.txt
//	go run ./cmd/parsechart -o parse.svg < parse-results.txt
package main

import (
	"cmp"
	"flag"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/iamkit/iamkit/bench/internal/benchout"
)

// A point is one engine's medians for one policy size.
type point struct {
	size     float64 // bytes of IAM JSON
	ns       float64
	retained float64
}

var caseSize = regexp.MustCompile(`-([0-9]+)B$`)

func main() {
	out := flag.String("o", "parse.svg", "output `file`")
	flag.Parse()
	results, err := benchout.Read(os.Stdin)
	if err != nil {
		fail(err)
	}
	engines, series := collect(results)
	if len(series) == 0 {
		fail(fmt.Errorf("no BenchmarkParseCompile/<case>-<bytes>B/<engine> results on standard input"))
	}
	if err := os.WriteFile(*out, []byte(svg(engines, series)), 0o644); err != nil {
		fail(err)
	}
}

// collect groups the ParseCompile results by engine, in order of first
// appearance, each engine's points by size.
func collect(results []benchout.Result) ([]string, map[string][]point) {
	series := map[string][]point{}
	var engines []string
	for _, r := range results {
		parts := strings.Split(r.Name, "/")
		if len(parts) != 3 || parts[0] != "ParseCompile" {
			continue
		}
		m := caseSize.FindStringSubmatch(parts[1])
		if m == nil {
			continue
		}
		size, _ := strconv.ParseFloat(m[1], 64)
		if _, ok := series[parts[2]]; !ok {
			engines = append(engines, parts[2])
		}
		series[parts[2]] = append(series[parts[2]], point{size: size, ns: r.Metrics["ns/op"], retained: r.Metrics["retained-B"]})
	}
	for _, pts := range series {
		slices.SortFunc(pts, func(a, b point) int { return cmp.Compare(a.size, b.size) })
	}
	return engines, series
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "parsechart:", err)
	os.Exit(1)
}

const (
	width, height = 990, 470
	panelW        = 330
	top, bottom   = 60, 60
)

// panel lefts: two panels side by side, the legend on the right.
var panelLeft = [2]float64{85, 85 + panelW + 95}

var colors = []string{"#1f77b4", "#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"}

// decades returns the whole decades that span vs.
func decades(vs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if v > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	lo, hi = math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if hi == lo {
		hi++
	}
	return lo, hi
}

func svg(engines []string, series map[string][]point) string {
	var sizes, times, kept []float64
	for _, pts := range series {
		for _, p := range pts {
			sizes, times, kept = append(sizes, p.size), append(times, p.ns), append(kept, p.retained)
		}
	}
	xlo, xhi := decades(sizes)
	ph := float64(height - top - bottom)

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%.0f" y="25" font-size="15" font-weight="bold">Parse and compile one policy: time and retained heap vs. policy size (log-log)</text>`+"\n", panelLeft[0])

	panels := []struct {
		title string
		vals  []float64
		val   func(point) float64
		label func(float64) string
	}{
		{"time to parse and compile (median ns/op)", times, func(p point) float64 { return p.ns }, duration},
		{"heap retained per compiled copy (retained-B)", kept, func(p point) float64 { return p.retained }, byteSize},
	}
	for pi, pn := range panels {
		left := panelLeft[pi]
		ylo, yhi := decades(pn.vals)
		x := func(v float64) float64 { return left + (math.Log10(v)-xlo)/(xhi-xlo)*panelW }
		y := func(v float64) float64 { return top + (yhi-math.Log10(v))/(yhi-ylo)*ph }
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" font-size="13">%s</text>`+"\n", left, top-12, pn.title)
		for e := ylo; e <= yhi; e++ {
			yy := y(math.Pow(10, e))
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/>`+"\n", left, yy, left+panelW, yy)
			fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", left-8, yy, pn.label(math.Pow(10, e)))
		}
		for e := xlo; e <= xhi; e++ {
			xx := x(math.Pow(10, e))
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#eee"/>`+"\n", xx, top, xx, height-bottom)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", xx, height-bottom+18, byteSize(math.Pow(10, e)))
		}
		fmt.Fprintf(&b, `<rect x="%.0f" y="%d" width="%d" height="%.0f" fill="none" stroke="#333"/>`+"\n", left, top, panelW, ph)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">size of the IAM policy JSON</text>`+"\n", left+panelW/2, height-bottom+40)
		for i, eng := range engines {
			c := colors[i%len(colors)]
			dash := ""
			if strings.Contains(eng, "-") {
				dash = ` stroke-dasharray="6 3"`
			}
			var pts []string
			for _, p := range series[eng] {
				if v := pn.val(p); v > 0 {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(p.size), y(v)))
				}
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), c, dash)
			for _, p := range series[eng] {
				if v := pn.val(p); v > 0 {
					fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s, %s policy: %s</title></circle>`+"\n",
						x(p.size), y(v), c, eng, byteSize(p.size), pn.label(v))
				}
			}
		}
	}
	lx := panelLeft[1] + panelW + 20
	for i, eng := range engines {
		c := colors[i%len(colors)]
		dash := ""
		if strings.Contains(eng, "-") {
			dash = ` stroke-dasharray="6 3"`
		}
		ly := top + 10 + 22*i
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%d" x2="%.0f" y2="%d" stroke="%s" stroke-width="2"%s/>`+"\n", lx, ly, lx+25, ly, c, dash)
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" dominant-baseline="middle">%s</text>`+"\n", lx+32, ly, eng)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// duration formats nanoseconds as 10 ns, 1 µs, 100 ms, ...
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return strconv.FormatFloat(ns/1e9, 'g', 3, 64) + " s"
	case ns >= 1e6:
		return strconv.FormatFloat(ns/1e6, 'g', 3, 64) + " ms"
	case ns >= 1e3:
		return strconv.FormatFloat(ns/1e3, 'g', 3, 64) + " µs"
	}
	return strconv.FormatFloat(ns, 'g', 3, 64) + " ns"
}

// byteSize formats bytes as 100 B, 1 KB, 10 MB, ... (1 KB = 1,000 B).
func byteSize(n float64) string {
	switch {
	case n >= 1e6:
		return strconv.FormatFloat(n/1e6, 'g', 3, 64) + " MB"
	case n >= 1e3:
		return strconv.FormatFloat(n/1e3, 'g', 3, 64) + " KB"
	}
	return strconv.FormatFloat(n, 'g', 3, 64) + " B"
}
