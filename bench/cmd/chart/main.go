// Command chart reads `go test -bench` output on standard input and writes an
// SVG line chart of the median ns/op of BenchmarkEngines/statements-N/<engine>
// against N, on log-log axes, one line per engine. It needs no external tool.
//
//	go test -run='^$' -bench=. -benchmem -count=10 . | tee results.txt
//	go run ./cmd/chart -o statements.svg < results.txt
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/iamkit/iamkit/bench/internal/benchout"
)

func main() {
	out := flag.String("o", "statements.svg", "output `file`")
	flag.Parse()
	results, err := benchout.Read(os.Stdin)
	if err != nil {
		fail(err)
	}
	series := map[string]map[int]float64{} // engine -> N -> ns/op
	var engines []string
	for _, r := range results {
		parts := strings.Split(r.Name, "/")
		if len(parts) != 3 || parts[0] != "Engines" || !strings.HasPrefix(parts[1], "statements-") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(parts[1], "statements-"))
		if err != nil {
			continue
		}
		if series[parts[2]] == nil {
			series[parts[2]] = map[int]float64{}
			engines = append(engines, parts[2])
		}
		series[parts[2]][n] = r.Metrics["ns/op"]
	}
	if len(series) == 0 {
		fail(fmt.Errorf("no BenchmarkEngines/statements-N results on standard input"))
	}
	if err := os.WriteFile(*out, []byte(svg(engines, series)), 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "chart:", err)
	os.Exit(1)
}

const (
	width, height = 720, 460
	left, right   = 90, 150
	top, bottom   = 50, 60
)

var colors = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"}

func svg(engines []string, series map[string]map[int]float64) string {
	var ns []int
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for n, v := range s {
			if !slices.Contains(ns, n) {
				ns = append(ns, n)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	slices.Sort(ns)
	// Axes span whole decades.
	xlo, xhi := math.Floor(math.Log10(float64(ns[0]))), math.Ceil(math.Log10(float64(ns[len(ns)-1])))
	ylo, yhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if xhi == xlo {
		xhi++
	}
	if yhi == ylo {
		yhi++
	}
	pw, ph := float64(width-left-right), float64(height-top-bottom)
	x := func(n float64) float64 { return left + (math.Log10(n)-xlo)/(xhi-xlo)*pw }
	y := func(v float64) float64 { return top + (yhi-math.Log10(v))/(yhi-ylo)*ph }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	fmt.Fprintf(&b, `<text x="%d" y="25" font-size="15" font-weight="bold">Time per decision vs. statements in the policy set (log-log)</text>`+"\n", left)
	for e := ylo; e <= yhi; e++ {
		yy := y(math.Pow(10, e))
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`+"\n", left, yy, width-right, yy)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", left-8, yy, duration(math.Pow(10, e)))
	}
	for e := xlo; e <= xhi; e++ {
		xx := x(math.Pow(10, e))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#eee"/>`+"\n", xx, top, xx, height-bottom)
	}
	for _, n := range ns {
		xx := x(float64(n))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#999"/>`+"\n", xx, height-bottom, xx, height-bottom+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`+"\n", xx, height-bottom+20, n)
	}
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.0f" height="%.0f" fill="none" stroke="#333"/>`+"\n", left, top, pw, ph)
	fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">statements (N)</text>`+"\n", left+pw/2, height-15)
	fmt.Fprintf(&b, `<text transform="translate(20 %.1f) rotate(-90)" text-anchor="middle">time per decision (median ns/op)</text>`+"\n", top+ph/2)
	for i, eng := range engines {
		c := colors[i%len(colors)]
		var pts []string
		for _, n := range ns {
			if v, ok := series[eng][n]; ok {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(float64(n)), y(v)))
			}
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), c)
		for _, n := range ns {
			if v, ok := series[eng][n]; ok {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s, N=%d: %s</title></circle>`+"\n", x(float64(n)), y(v), c, eng, n, duration(v))
			}
		}
		ly := top + 20 + 22*i
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`+"\n", width-right+15, ly, width-right+40, ly, c)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle">%s</text>`+"\n", width-right+47, ly, eng)
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
