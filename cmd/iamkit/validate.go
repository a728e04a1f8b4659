package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamkit/iamkit/lint"
	"github.com/iamkit/iamkit/policy"
)

// runValidate implements "iamkit validate"; args follow the command name.
func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	typeName := fs.String("type", "", "")
	// Flags may come before or after FILE: parse, take one positional
	// argument, and parse what follows it again.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, validateUsage)
				return 0
			}
			return usageError(stderr, "validate", err.Error())
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(files) == 0:
		return usageError(stderr, "validate", "a policy FILE is required")
	case len(files) > 1:
		return usageError(stderr, "validate", fmt.Sprintf("one FILE at a time, got %d", len(files)))
	case *typeName == "":
		return usageError(stderr, "validate", "--type is required (identity, resource, trust, scp, rcp, session or boundary)")
	}
	typ, err := policy.ParseType(*typeName)
	if err != nil {
		return usageError(stderr, "validate", fmt.Sprintf("unknown --type %q (want identity, resource, trust, scp, rcp, session or boundary)", *typeName))
	}
	name := files[0]
	r, closeInput, err := openInput(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: validate: %v\n", err)
		return 2
	}
	defer closeInput()
	data, err := io.ReadAll(r)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: validate: %v\n", err)
		return 2
	}
	if name == "-" {
		name = "<stdin>"
	}
	w := bufio.NewWriter(stdout)
	var nerr, nwarn int
	for _, f := range policy.Validate(data, typ) {
		if f.Severity == policy.SeverityError {
			nerr++
		} else {
			nwarn++
		}
		fmt.Fprint(w, name, ":")
		if !f.Pos.IsZero() {
			fmt.Fprintf(w, "%d:%d:", f.Pos.Line, f.Pos.Column)
		}
		fmt.Fprintf(w, " %s: ", f.Severity)
		if f.Path != "" {
			fmt.Fprint(w, f.Path, ": ")
		}
		fmt.Fprintln(w, f.Message)
	}
	// Then Access Analyzer's checks, against AWS's service reference
	// (unknown actions and keys, operator types, resource types) and the
	// rest of lint's, once the policy reads as one.
	if nerr == 0 {
		fs, err := lint.Check(data, typ, lint.Options{})
		if err == nil {
			for _, f := range fs {
				if f.Code == "ALLOW_WITH_NOTPRINCIPAL" {
					continue // policy.Validate's own warning says it
				}
				if f.Type == lint.Error {
					nerr++
				} else {
					nwarn++
				}
				fmt.Fprintf(w, "%s:%d:%d: %s %s: ", name, f.Pos.Line, f.Pos.Column, strings.ToLower(string(f.Type)), f.Code)
				if f.Path != "" {
					fmt.Fprint(w, f.Path, ": ")
				}
				fmt.Fprint(w, f.Message)
				if f.Fix != "" {
					fmt.Fprint(w, " (", f.Fix, ")")
				}
				fmt.Fprintln(w)
			}
		}
	}
	if nerr == 0 && nwarn == 0 {
		fmt.Fprintf(w, "%s: valid %s policy\n", name, typ)
	} else {
		fmt.Fprintf(w, "%s: %s, %s\n", name, plural(nerr, "error"), plural(nwarn, "warning"))
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "iamkit: validate: %v\n", err)
		return 2
	}
	if nerr > 0 {
		return 1
	}
	return 0
}

// plural returns "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
