package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/iamkit/iamkit/policy"
)

// maxBatchLine is the longest --batch line accepted; a longer line yields an
// error result and the batch goes on.
const maxBatchLine = 16 << 20

// resultJSON is the JSON form of a simulation's outcome; see doc.go.
type resultJSON struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	// ReasonCode is the reason's stable code (policy.Reason.Code), for
	// programs; reason is the sentence for people.
	ReasonCode string `json:"reasonCode,omitempty"`
	Source     string `json:"source,omitempty"`
	// Protection names the rule that refused a change to a resource AWS
	// owns (reason says so too).
	Protection string          `json:"protection,omitempty"`
	Decisive   []statementJSON `json:"decisiveStatements"`
	Matched    []statementJSON `json:"matchedStatements"`
	Missing    []string        `json:"missingContextValues"`
	// Misses says, for every other statement of the policies that
	// applied, which element did not match; PolicyTypes is each policy
	// type's own decision (see policy.Explanation).
	Misses      []missJSON `json:"misses"`
	PolicyTypes []typeJSON `json:"policyTypes"`
}

// missJSON is a statement that did not apply, located in the input file,
// and why.
type missJSON struct {
	statementJSON
	Element   string         `json:"element"`
	Code      string         `json:"code"`
	Detail    string         `json:"detail"`
	Condition *conditionJSON `json:"condition,omitempty"`
}

// conditionJSON is the condition that failed, with the request's values
// for its key.
type conditionJSON struct {
	Operator      string   `json:"operator"`
	Key           string   `json:"key"`
	Values        []string `json:"values"`
	RequestValues []string `json:"requestValues"`
	Missing       bool     `json:"missing"`
}

// typeJSON is one policy type's own decision: allowed, explicitDeny,
// implicitDeny or notApplicable.
type typeJSON struct {
	Source   string `json:"source"`
	Level    int    `json:"level"`
	Decision string `json:"decision"`
}

// statementJSON is one statement of a [resultJSON], located in the input
// file.
type statementJSON struct {
	Source string `json:"source"`
	Level  int    `json:"level"`
	Policy string `json:"policy"`
	Sid    string `json:"sid"`
	Index  int    `json:"index"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Effect string `json:"effect"`
}

// errorJSON is the --batch result for a line that is not a valid
// simulation.
type errorJSON struct {
	Error string `json:"error"`
}

// runSimulate implements "iamkit simulate"; args follow the command name.
func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	input := fs.String("input", "", "")
	output := fs.String("output", "", "")
	batch := fs.Bool("batch", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, simulateUsage)
			return 0
		}
		return usageError(stderr, "simulate", err.Error())
	}
	switch {
	case fs.NArg() > 0:
		return usageError(stderr, "simulate", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *input == "":
		return usageError(stderr, "simulate", "--input FILE is required (use --input - for standard input)")
	case *output != "" && *output != "json" && *output != "text":
		return usageError(stderr, "simulate", fmt.Sprintf("--output must be json or text, not %q", *output))
	case *batch && *output == "text":
		return usageError(stderr, "simulate", "--batch writes JSON Lines; --output text is not supported with it")
	}
	r, closeInput, err := openInput(*input, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: simulate: %v\n", err)
		return 2
	}
	defer closeInput()
	if *batch {
		return simulateBatch(r, stdout, stderr)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: simulate: %v\n", err)
		return 2
	}
	sim, err := decodeSimulation(data, 0, nil)
	if err != nil {
		var ie *inputError
		if errors.As(err, &ie) {
			for _, m := range ie.msgs {
				fmt.Fprintf(stderr, "iamkit: simulate: %s\n", m)
			}
		} else {
			fmt.Fprintf(stderr, "iamkit: simulate: %v\n", err)
		}
		return 2
	}
	w := bufio.NewWriter(stdout)
	if len(sim.actions) > 1 || len(sim.resources) > 1 {
		sim.writePairs(w, *output == "json")
		if *output != "json" {
			sim.writeWarnings(stderr)
		}
	} else {
		e := sim.set.Explain(&sim.req)
		if *output == "json" {
			writeJSON(w, sim.result(e))
		} else {
			sim.writeText(w, e)
			sim.writeWarnings(stderr)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "iamkit: simulate: %v\n", err)
		return 1
	}
	return 0
}

// pairJSON is the result of one (action, resource) pair of a request
// that lists several, as simulate-custom-policy's EvaluationResults.
type pairJSON struct {
	Action   string `json:"evalActionName"`
	Resource string `json:"evalResourceName"`
	resultJSON
}

// writePairs evaluates every (action, resource) pair, actions outer, as
// aws iam simulate-custom-policy does
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html),
// and writes {"evaluationResults": [...]} or one text block per pair.
func (s *simulation) writePairs(w io.Writer, asJSON bool) {
	var results []pairJSON
	for _, a := range s.actions {
		for _, r := range s.resources {
			req := s.req
			req.Action, req.Resource = a, r
			e := s.set.Explain(&req)
			if asJSON {
				results = append(results, pairJSON{Action: a, Resource: r, resultJSON: s.result(e)})
				continue
			}
			fmt.Fprintf(w, "%s on %s:\n", a, r)
			var block bytes.Buffer
			s.writeText(&block, e)
			for _, l := range strings.SplitAfter(strings.TrimSuffix(block.String(), "\n"), "\n") {
				fmt.Fprint(w, "  ", l)
			}
			fmt.Fprintln(w)
		}
	}
	if asJSON {
		writeJSON(w, struct {
			Results []pairJSON `json:"evaluationResults"`
		}{results})
	}
}

// simulateBatch evaluates one simulation per non-blank line of r and writes
// one JSON result per line to stdout, in input order. Lines are decoded
// and evaluated by a worker per CPU; an ordered writer puts the results
// back in sequence.
func simulateBatch(r io.Reader, stdout, stderr io.Writer) int {
	workers := runtime.GOMAXPROCS(0)
	type job struct {
		n       int
		line    []byte
		tooLong bool
		out     chan []byte
	}
	jobs := make(chan job, 4*workers)
	order := make(chan chan []byte, 64*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker keeps its own cache of parsed policies: a
			// batch often repeats a policy on many lines.
			cache := &policyCache{}
			var buf bytes.Buffer
			for j := range jobs {
				buf.Reset()
				if j.tooLong {
					writeJSON(&buf, errorJSON{Error: fmt.Sprintf("line %d: longer than %d bytes", j.n, maxBatchLine)})
				} else if sim, derr := decodeSimulation(j.line, j.n-1, cache); derr != nil {
					writeJSON(&buf, errorJSON{Error: "line " + strconv.Itoa(j.n) + ": " + derr.Error()})
				} else {
					writeJSON(&buf, sim.result(sim.set.Explain(&sim.req)))
				}
				j.out <- bytes.Clone(buf.Bytes())
			}
		}()
	}
	written := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(stdout, 64<<10)
		for ch := range order {
			_, _ = w.Write(<-ch)
		}
		written <- w.Flush()
	}()
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	var readErr error
	for n := 1; ; n++ {
		var tooLong bool
		var err error
		line, tooLong, err = readLine(br, line[:0])
		if err != nil && err != io.EOF {
			readErr = fmt.Errorf("reading line %d: %v", n, err)
			break
		}
		if tooLong || len(bytes.TrimSpace(line)) > 0 {
			out := make(chan []byte, 1)
			order <- out
			jobs <- job{n: n, line: bytes.Clone(line), tooLong: tooLong, out: out}
		}
		if err == io.EOF {
			break
		}
	}
	close(jobs)
	wg.Wait()
	close(order)
	werr := <-written
	if readErr != nil {
		fmt.Fprintf(stderr, "iamkit: simulate: %v\n", readErr)
		return 1
	}
	if werr != nil {
		fmt.Fprintf(stderr, "iamkit: simulate: %v\n", werr)
		return 1
	}
	return 0
}

// readLine appends the next line of br, without its line ending, to buf. A
// line longer than maxBatchLine is skipped and reported as tooLong. err is
// io.EOF after the last line.
func readLine(br *bufio.Reader, buf []byte) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > maxBatchLine+2 { // room for "\r\n"
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		return buf, tooLong, err
	}
}

// writeJSON writes v as one line of JSON. Encoding the result types cannot
// fail, and write errors surface when w is flushed.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// result converts an explanation into its JSON form, with statement
// positions in the input file.
func (s *simulation) result(e *policy.Explanation) resultJSON {
	res := resultJSON{
		Decision:    e.Decision.String(),
		Reason:      reason(e),
		ReasonCode:  e.Reason.Code(),
		Source:      e.Source.String(),
		Protection:  e.Protection.Name(),
		Decisive:    s.statements(e.Decisive),
		Matched:     s.statements(e.Matched),
		Missing:     append([]string{}, e.MissingContextValues...),
		Misses:      make([]missJSON, 0, len(e.Misses)),
		PolicyTypes: make([]typeJSON, 0, len(e.PolicyTypes)),
	}
	for _, m := range e.Misses {
		mj := missJSON{statementJSON: s.statement(m.StatementMatch), Element: m.Element, Code: m.Code, Detail: m.Detail}
		if c := m.Condition; c != nil {
			mj.Condition = &conditionJSON{Operator: c.Operator, Key: c.Key, Values: append([]string{}, c.Values...),
				RequestValues: append([]string{}, c.RequestValues...), Missing: c.Missing}
		}
		res.Misses = append(res.Misses, mj)
	}
	for _, d := range e.PolicyTypes {
		res.PolicyTypes = append(res.PolicyTypes, typeJSON{Source: d.Source.String(), Level: d.Level, Decision: d.Outcome()})
	}
	return res
}

// reason returns the explanation's reason as a sentence, naming the
// organization level whose SCPs did not allow.
func reason(e *policy.Explanation) string {
	r := e.Reason.String()
	if e.Reason == policy.ReasonSCPNoAllow {
		r += fmt.Sprintf(" (level %d)", e.SCPLevel)
	}
	if e.Protection != policy.ProtectionNone {
		r += fmt.Sprintf(" (rule %s: %s)", e.Protection.Name(), e.Protection)
	}
	return r
}

// statements converts matches to their JSON form, never nil.
func (s *simulation) statements(ms []policy.StatementMatch) []statementJSON {
	out := make([]statementJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, s.statement(m))
	}
	return out
}

// statement converts one match to its JSON form, located in the input
// file.
func (s *simulation) statement(m policy.StatementMatch) statementJSON {
	m = s.locate(m)
	return statementJSON{
		Source: m.Source.String(),
		Level:  m.Level,
		Policy: m.Policy,
		Sid:    m.Sid,
		Index:  m.Index,
		Line:   m.Position.Line,
		Column: m.Position.Column,
		Effect: m.Effect.String(),
	}
}

// locate returns m with its position translated from its policy's document
// to the input file.
func (s *simulation) locate(m policy.StatementMatch) policy.StatementMatch {
	if where := s.where[m.Policy]; where != nil && !m.Position.IsZero() {
		m.Position = where(m.Position)
	}
	return m
}

// writeText writes the outcome for people.
func (s *simulation) writeText(w io.Writer, e *policy.Explanation) {
	fmt.Fprintf(w, "Decision: %s\n", e.Decision)
	if e.Reason != policy.ReasonNone {
		fmt.Fprintf(w, "Reason:   %s\n", reason(e))
		fmt.Fprintf(w, "Code:     %s\n", e.Reason.Code())
	}
	if e.Source != policy.SourceNone {
		fmt.Fprintf(w, "Source:   %s\n", e.Source)
	}
	if e.Protection != policy.ProtectionNone {
		fmt.Fprintf(w, "Protection: %s (%s)\n", e.Protection.Name(), e.Protection.Doc())
	}
	if len(e.Decisive) > 0 {
		fmt.Fprintln(w, "Decisive statements:")
		for _, m := range e.Decisive {
			fmt.Fprintf(w, "  %s\n", s.locate(m))
		}
	}
	var others []policy.StatementMatch
	for _, m := range e.Matched {
		if !containsMatch(e.Decisive, m) {
			others = append(others, m)
		}
	}
	if len(others) > 0 {
		fmt.Fprintln(w, "Other matching statements:")
		for _, m := range others {
			fmt.Fprintf(w, "  %s\n", s.locate(m))
		}
	}
	if len(e.MissingContextValues) > 0 {
		fmt.Fprintln(w, "Missing context values:")
		for _, k := range e.MissingContextValues {
			fmt.Fprintf(w, "  %s\n", k)
		}
	}
	if e.Decision == policy.Allowed {
		return
	}
	// Why not: for an implicit deny, what kept each other statement from
	// applying (an explicit deny's reason is its decisive statement); for
	// any denial, what each policy type decided.
	if e.Decision == policy.ImplicitDeny && len(e.Misses) > 0 {
		fmt.Fprintln(w, "Why not:")
		for _, m := range e.Misses {
			fmt.Fprintf(w, "  %s\n    %s: %s\n", s.locate(m.StatementMatch), m.Code, m.Detail)
		}
	}
	if len(e.PolicyTypes) > 0 {
		fmt.Fprintln(w, "Policy types:")
		for _, d := range e.PolicyTypes {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
}

// containsMatch reports whether list holds m.
func containsMatch(list []policy.StatementMatch, m policy.StatementMatch) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}

// writeWarnings writes the warnings of every policy of the simulation, such
// as NotPrincipal with Allow, located in the input file.
func (s *simulation) writeWarnings(w io.Writer) {
	each := func(p *policy.Policy) {
		if p == nil {
			return
		}
		for _, f := range p.Warnings() {
			msg := "iamkit: simulate: " + p.Name() + ": "
			if where := s.where[p.Name()]; where != nil && !f.Pos.IsZero() {
				msg += where(f.Pos).String() + ": "
			}
			msg += "warning: "
			if f.Path != "" {
				msg += f.Path + ": "
			}
			fmt.Fprintln(w, msg+f.Message)
		}
	}
	set := &s.set
	for _, levels := range [][][]*policy.Policy{set.SCPs, set.RCPs} {
		for _, lv := range levels {
			for _, p := range lv {
				each(p)
			}
		}
	}
	for _, p := range set.Identity {
		each(p)
	}
	each(set.PermissionsBoundary)
	for _, p := range set.Session {
		each(p)
	}
	each(set.Resource)
}
