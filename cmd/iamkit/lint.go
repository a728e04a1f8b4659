package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/lint"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

const lintUsage = `Usage: iamkit lint FILE... --type TYPE [--account ID] [--format text|json|sarif] [--fail-on LEVEL]
       iamkit lint --world FILE [--format text|json|sarif] [--fail-on LEVEL]

Checks policies for what is valid but wrong: IAM Access Analyzer's role
trust policy and PassRole checks with its finding types and issue codes,
and iamkit's own (a third party without ExternalId, OIDC trusts any token
passes, vacuous Denies, ...). See "go doc github.com/iamkit/iamkit/lint".

  --type TYPE      the policies' type: trust, identity, resource, scp, rcp,
                   session or boundary
  --account ID     the account the policies belong to: principals of other
                   accounts are third parties (trust policies)
  --trusted ID,... accounts of the same owner, which need no ExternalId
  --world FILE     lint every policy of a world file instead: each role's
                   trust policy (its account; the accounts of its
                   organization trusted), every user, group, role and
                   customer managed policy, resource policies, SCPs and
                   RCPs (AWS managed policies are AWS's, and skipped)
  --format F       text (default; colored on a terminal), json, or sarif
                   (SARIF 2.1.0, for code scanning)
  --fail-on LEVEL  exit 1 when a finding is at least LEVEL: error,
                   security (default: ERROR or SECURITY_WARNING), warning,
                   suggestion, or none

Exit status 1 when a finding fails (see --fail-on), 2 for usage errors and
unreadable files.
`

// lintTarget is one policy to lint: where it is and how to read it.
type lintTarget struct {
	file string
	what string // "roles[0].trustPolicy" for a world's policy, "" for a file
	src  []byte
	typ  policy.Type
	opt  lint.Options
	// pos maps a position in src to the file's.
	pos func(policy.Position) policy.Position
}

// lintResult is a target's findings, positions in its file.
type lintResult struct {
	File     string         `json:"file"`
	Policy   string         `json:"policy,omitempty"`
	Findings []lint.Finding `json:"findings"`
}

// runLint implements "iamkit lint".
func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer, tty bool) int {
	const cmd = "lint"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	typeName := fs.String("type", "", "")
	account := fs.String("account", "", "")
	trusted := fs.String("trusted", "", "")
	worldFile := fs.String("world", "", "")
	format := fs.String("format", "text", "")
	failOn := fs.String("fail-on", "security", "")
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, lintUsage)
				return 0
			}
			return usageError(stderr, cmd, err.Error())
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fail, ok := map[string]func(lint.FindingType) bool{
		"error":      func(t lint.FindingType) bool { return t == lint.Error },
		"security":   lint.FindingType.Failing,
		"warning":    func(t lint.FindingType) bool { return t != lint.Suggestion },
		"suggestion": func(lint.FindingType) bool { return true },
		"none":       func(lint.FindingType) bool { return false },
	}[*failOn]
	switch {
	case !ok:
		return usageError(stderr, cmd, fmt.Sprintf("--fail-on %q: want error, security, warning, suggestion or none", *failOn))
	case *format != "text" && *format != "json" && *format != "sarif":
		return usageError(stderr, cmd, fmt.Sprintf("--format %q: want text, json or sarif", *format))
	case *worldFile != "" && len(files) > 0:
		return usageError(stderr, cmd, "give policy FILEs or --world, not both")
	case *worldFile == "" && len(files) == 0:
		return usageError(stderr, cmd, "a policy FILE (or --world FILE) is required")
	case *worldFile == "" && *typeName == "":
		return usageError(stderr, cmd, "--type is required (trust, identity, resource, scp, rcp, session or boundary)")
	case *account != "" && !principal.IsAccountID(*account):
		return usageError(stderr, cmd, fmt.Sprintf("--account %q is not a 12-digit account ID", *account))
	}
	var targets []lintTarget
	if *worldFile != "" {
		data, err := os.ReadFile(*worldFile)
		if err != nil {
			fmt.Fprintf(stderr, "iamkit: lint: %v\n", err)
			return 2
		}
		targets, err = worldTargets(*worldFile, data)
		if err != nil {
			fmt.Fprintf(stderr, "iamkit: lint: %s: %v\n", *worldFile, err)
			return 2
		}
	} else {
		typ, err := policy.ParseType(*typeName)
		if err != nil {
			return usageError(stderr, cmd, fmt.Sprintf("unknown --type %q (want identity, resource, trust, scp, rcp, session or boundary)", *typeName))
		}
		opt := lint.Options{Account: *account}
		if *trusted != "" {
			opt.TrustedAccounts = strings.Split(*trusted, ",")
		}
		for _, name := range files {
			r, closeInput, err := openInput(name, stdin)
			if err != nil {
				fmt.Fprintf(stderr, "iamkit: lint: %v\n", err)
				return 2
			}
			data, err := io.ReadAll(r)
			closeInput()
			if err != nil {
				fmt.Fprintf(stderr, "iamkit: lint: %v\n", err)
				return 2
			}
			if name == "-" {
				name = "<stdin>"
			}
			targets = append(targets, lintTarget{file: name, src: data, typ: typ, opt: opt, pos: func(p policy.Position) policy.Position { return p }})
		}
	}
	var results []lintResult
	failed := false
	for _, t := range targets {
		fsd, err := lint.Check(t.src, t.typ, t.opt)
		if err != nil {
			fmt.Fprintf(stderr, "iamkit: lint: %s: %v\n", t.file, err)
			return 2
		}
		for i := range fsd {
			fsd[i].Pos = t.pos(fsd[i].Pos)
			if fail(fsd[i].Type) {
				failed = true
			}
		}
		results = append(results, lintResult{File: t.file, Policy: t.what, Findings: fsd})
	}
	w := bufio.NewWriter(stdout)
	switch *format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(results)
	case "sarif":
		_ = writeSARIF(w, results)
	default:
		writeLintText(w, results, tty)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "iamkit: lint: %v\n", err)
		return 2
	}
	if failed {
		return 1
	}
	return 0
}

// ANSI colors for the text format on a terminal.
var lintColors = map[lint.FindingType]string{
	lint.Error: "\x1b[1;31m", lint.SecurityWarning: "\x1b[1;35m", lint.Warning: "\x1b[33m", lint.Suggestion: "\x1b[36m",
}

// writeLintText writes findings grouped by policy: the location, type,
// code, message, and indented the fix and the page.
func writeLintText(w io.Writer, results []lintResult, tty bool) {
	counts := map[lint.FindingType]int{}
	for _, r := range results {
		if len(r.Findings) == 0 {
			continue
		}
		head := r.File
		if r.Policy != "" {
			head += " (" + r.Policy + ")"
		}
		fmt.Fprintln(w, head)
		for _, f := range r.Findings {
			counts[f.Type]++
			typ := string(f.Type)
			if tty {
				typ = lintColors[f.Type] + typ + "\x1b[0m"
			}
			fmt.Fprintf(w, "  %s:%d:%d: %s %s: ", r.File, f.Pos.Line, f.Pos.Column, typ, f.Code)
			if f.Path != "" {
				fmt.Fprint(w, f.Path, ": ")
			}
			fmt.Fprintln(w, f.Message)
			if f.Fix != "" {
				fmt.Fprintf(w, "      fix: %s\n", f.Fix)
			}
			fmt.Fprintf(w, "      see: %s\n", f.Learn)
		}
	}
	total := 0
	var parts []string
	for _, t := range []lint.FindingType{lint.Error, lint.SecurityWarning, lint.Warning, lint.Suggestion} {
		total += counts[t]
		if counts[t] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[t], t))
		}
	}
	if total == 0 {
		fmt.Fprintf(w, "%s: no findings\n", policies(len(results)))
		return
	}
	fmt.Fprintf(w, "%s: %s\n", policies(len(results)), strings.Join(parts, ", "))
}

// writeSARIF writes the findings as SARIF 2.1.0
// (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), as
// GitHub code scanning reads it.
func writeSARIF(w io.Writer, results []lintResult) error {
	type msg struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription msg    `json:"shortDescription"`
		HelpURI          string `json:"helpUri"`
		Properties       struct {
			FindingType string `json:"findingType"`
		} `json:"properties"`
	}
	type region struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region region `json:"region"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	rules := map[string]rule{}
	var out []result
	for _, r := range results {
		for _, f := range r.Findings {
			if _, ok := rules[f.Code]; !ok {
				ru := rule{ID: f.Code, ShortDescription: msg{strings.ReplaceAll(strings.ToLower(f.Code), "_", " ")}, HelpURI: f.Learn}
				ru.Properties.FindingType = string(f.Type)
				rules[f.Code] = ru
			}
			level := "warning"
			switch f.Type {
			case lint.Error:
				level = "error"
			case lint.Suggestion:
				level = "note"
			}
			text := f.Message
			if f.Path != "" {
				text = f.Path + ": " + text
			}
			if f.Fix != "" {
				text += " Fix: " + f.Fix
			}
			var loc location
			loc.PhysicalLocation.ArtifactLocation.URI = r.File
			loc.PhysicalLocation.Region = region{StartLine: max(f.Pos.Line, 1), StartColumn: max(f.Pos.Column, 1)}
			out = append(out, result{RuleID: f.Code, Level: level, Message: msg{text}, Locations: []location{loc}})
		}
	}
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	ruleList := make([]rule, 0, len(ids))
	for _, id := range ids {
		ruleList = append(ruleList, rules[id])
	}
	if out == nil {
		out = []result{}
	}
	doc := map[string]any{
		"version": "2.1.0",
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"runs": []any{map[string]any{
			"tool":    map[string]any{"driver": map[string]any{"name": "iamkit", "informationUri": "https://github.com/iamkit/iamkit", "rules": ruleList}},
			"results": out,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// worldTargets lists every policy of a world file with its type and the
// options its place implies. The world's own checks are "iamkit serve"'s
// and package world's; lint reads what it can.
func worldTargets(file string, data []byte) ([]lintTarget, error) {
	root, err := jsonpos.Parse(data)
	if err != nil {
		return nil, err
	}
	if root.Kind != jsonpos.Object {
		return nil, errors.New("a world file is a JSON object")
	}
	// Accounts of one organization trust each other.
	orgOf := map[string]string{}
	if m, ok := root.Get("accounts"); ok {
		for _, a := range m.Value.Array {
			id, _ := a.Get("id")
			org, _ := a.Get("orgId")
			if id != nil && org != nil {
				orgOf[id.Value.Str] = org.Value.Str
			}
		}
	}
	orgPeers := func(acct string) []string {
		var out []string
		if org := orgOf[acct]; org != "" {
			for a, o := range orgOf {
				if o == org && a != acct {
					out = append(out, a)
				}
			}
		}
		sort.Strings(out)
		return out
	}
	var targets []lintTarget
	add := func(what string, v *jsonpos.Value, typ policy.Type, opt lint.Options) {
		e, ok := jsonpos.Embed(data, v)
		if !ok {
			return
		}
		targets = append(targets, lintTarget{file: file, what: what, src: e.Doc, typ: typ, opt: opt,
			pos: func(p policy.Position) policy.Position {
				l, c := e.Pos(p.Line, p.Column)
				return policy.Position{Line: l, Column: c}
			}})
	}
	each := func(section string, fn func(path string, v *jsonpos.Value)) {
		m, ok := root.Get(section)
		if !ok {
			return
		}
		for i, v := range m.Value.Array {
			fn(fmt.Sprintf("%s[%d]", section, i), v)
		}
	}
	inline := func(path string, v *jsonpos.Value) {
		if m, ok := v.Get("policies"); ok {
			for j, p := range m.Value.Array {
				add(fmt.Sprintf("%s.policies[%d]", path, j), p, policy.Identity, lint.Options{})
			}
		}
	}
	each("users", func(path string, v *jsonpos.Value) { inline(path, v) })
	each("groups", func(path string, v *jsonpos.Value) { inline(path, v) })
	each("roles", func(path string, v *jsonpos.Value) {
		if m, ok := v.Get("trustPolicy"); ok {
			var acct string
			if a, ok := v.Get("arn"); ok {
				if arn, err := principal.ParseARN(a.Value.Str); err == nil {
					acct = arn.Account
				}
			}
			add(path+".trustPolicy", m.Value, policy.Trust, lint.Options{Account: acct, TrustedAccounts: orgPeers(acct)})
		}
		inline(path, v)
	})
	each("managedPolicies", func(path string, v *jsonpos.Value) {
		// AWS managed policies are AWS's to write, not the world's
		// author's: AdministratorAccess is meant to allow everything.
		if a, ok := v.Get("arn"); ok && strings.HasPrefix(a.Value.Str, "arn:aws:iam::aws:policy/") {
			return
		}
		if m, ok := v.Get("document"); ok {
			add(path+".document", m.Value, policy.Identity, lint.Options{})
		}
	})
	each("resourcePolicies", func(path string, v *jsonpos.Value) {
		if m, ok := v.Get("document"); ok {
			add(path+".document", m.Value, policy.Resource, lint.Options{})
		}
	})
	each("accounts", func(path string, v *jsonpos.Value) {
		for _, kind := range []struct {
			key string
			typ policy.Type
		}{{"scps", policy.SCP}, {"rcps", policy.RCP}} {
			if m, ok := v.Get(kind.key); ok {
				for l, level := range m.Value.Array {
					for j, p := range level.Array {
						add(fmt.Sprintf("%s.%s[%d][%d]", path, kind.key, l, j), p, kind.typ, lint.Options{})
					}
				}
			}
		}
	})
	return targets, nil
}

func policies(n int) string {
	if n == 1 {
		return "1 policy"
	}
	return fmt.Sprintf("%d policies", n)
}
