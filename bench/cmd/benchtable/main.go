// Command benchtable reads `go test -bench` output on standard input and
// prints, as a Markdown table, the median ns/op, B/op and allocs/op of each
// BenchmarkEngines/<scenario>/<engine> and the ratio of iamkit's ns/op to
// each other engine's in the same run, from the medians (0.01 means iamkit takes 1% of the
// other engine's time).
//
//	go test -run='^$' -bench=. -benchmem -count=10 . | tee results.txt
//	go run ./cmd/benchtable < results.txt
//
// With -parse it prints instead the table of BenchmarkParseCompile/<case>/<engine>:
// median ns/op, B/op, allocs/op and retained-B, and iamkit's ns/op and
// retained-B over each other engine's.
//
//	go run ./cmd/benchtable -parse < parse-results.txt
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/iamkit/iamkit/bench/internal/benchout"
)

func main() {
	parse := flag.Bool("parse", false, "print the ParseCompile table")
	flag.Parse()
	results, err := benchout.Read(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if *parse {
		parseTable(results)
		return
	}
	type row struct {
		scenario, engine string
		m, min           map[string]float64
		runs             int
	}
	var rows []row
	iamkit := map[string]float64{}
	for _, r := range results {
		parts := strings.Split(r.Name, "/")
		if len(parts) == 3 && parts[0] == "Engines" {
			rows = append(rows, row{parts[1], parts[2], r.Metrics, r.Min, r.Runs})
			if parts[2] == "iamkit" {
				iamkit[parts[1]] = r.Metrics["ns/op"]
			}
		}
	}
	fmt.Println("| scenario | engine | ns/op (median) | ns/op (min) | B/op | allocs/op | iamkit/engine ns/op | runs |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		ratio := "—"
		if ns := r.m["ns/op"]; r.engine != "iamkit" && ns > 0 && iamkit[r.scenario] > 0 {
			q := iamkit[r.scenario] / ns
			if q <= 1 {
				ratio = fmt.Sprintf("%.2g (iamkit %s× faster)", q, group(1/q))
			} else {
				ratio = fmt.Sprintf("%.2g (iamkit %s× slower)", q, group(q))
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %d |\n", r.scenario, r.engine,
			group(r.m["ns/op"]), group(r.min["ns/op"]), group(r.m["B/op"]), group(r.m["allocs/op"]), ratio, r.runs)
	}
	for _, r := range results {
		if strings.HasPrefix(r.Name, "Parse/") {
			fmt.Printf("\n%s: %s ns/op, %s policies/s, %.1f MB/s, %s B/op, %s allocs/op (median of %d)\n",
				r.Name, group(r.Metrics["ns/op"]), group(r.Metrics["policies/s"]), r.Metrics["MB/s"],
				group(r.Metrics["B/op"]), group(r.Metrics["allocs/op"]), r.Runs)
		}
	}
}

// parseTable prints the BenchmarkParseCompile results, one row per case and
// engine, in the order of the run.
func parseTable(results []benchout.Result) {
	iamkit := map[string]benchout.Result{}
	for _, r := range results {
		if parts := strings.Split(r.Name, "/"); len(parts) == 3 && parts[0] == "ParseCompile" && parts[2] == "iamkit" {
			iamkit[parts[1]] = r
		}
	}
	fmt.Println("| policy | engine | ns/op (median) | ns/op (min) | B/op | allocs/op | retained-B | iamkit/engine ns/op | iamkit/engine retained-B | runs |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		parts := strings.Split(r.Name, "/")
		if len(parts) != 3 || parts[0] != "ParseCompile" {
			continue
		}
		timeRatio, memRatio := "—", "—"
		if ik, ok := iamkit[parts[1]]; ok && parts[2] != "iamkit" {
			timeRatio = ratio(ik.Metrics["ns/op"], r.Metrics["ns/op"], "faster", "slower")
			memRatio = ratio(ik.Metrics["retained-B"], r.Metrics["retained-B"], "less", "more")
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", parts[1], parts[2],
			group(r.Metrics["ns/op"]), group(r.Min["ns/op"]), group(r.Metrics["B/op"]), group(r.Metrics["allocs/op"]),
			group(r.Metrics["retained-B"]), timeRatio, memRatio, r.Runs)
	}
}

// ratio formats a/b with how many times iamkit is better or worse.
func ratio(a, b float64, better, worse string) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	q := a / b
	if q <= 1 {
		return fmt.Sprintf("%.2g (%s× %s)", q, group(1/q), better)
	}
	return fmt.Sprintf("%.2g (%s× %s)", q, group(q), worse)
}

// group formats v with thousands separators, without decimals from 100 up.
func group(v float64) string {
	if v < 100 {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".")
	}
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
