// Package benchout reads the text that `go test -bench` prints and takes the
// median of each benchmark's runs (one line per -count).
package benchout

import (
	"bufio"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Result is the median of one benchmark's runs.
type Result struct {
	Name string // without the "Benchmark" prefix and the -GOMAXPROCS suffix
	Runs int
	// Metrics maps a unit ("ns/op", "B/op", "allocs/op", "policies/s", ...)
	// to the median value, Min to the smallest.
	Metrics map[string]float64
	Min     map[string]float64
}

var procs = regexp.MustCompile(`-[0-9]+$`)

// Read parses benchmark output and returns one Result per benchmark, in the
// order they first appear. Lines that are not benchmark results are skipped.
func Read(r io.Reader) ([]Result, error) {
	var order []string
	runs := map[string][]map[string]float64{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procs.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		m := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			m[f[i+1]] = v
		}
		if _, ok := runs[name]; !ok {
			order = append(order, name)
		}
		runs[name] = append(runs[name], m)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var out []Result
	for _, name := range order {
		res := Result{Name: name, Runs: len(runs[name]), Metrics: map[string]float64{}, Min: map[string]float64{}}
		units := map[string][]float64{}
		for _, m := range runs[name] {
			for u, v := range m {
				units[u] = append(units[u], v)
			}
		}
		for u, vs := range units {
			res.Metrics[u] = Median(vs)
			res.Min[u] = vs[0] // Median sorted vs
		}
		out = append(out, res)
	}
	return out, nil
}

// Median returns the median of vs (the mean of the middle two for an even
// count); it sorts vs.
func Median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}
