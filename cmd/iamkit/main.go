package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// main runs the command line and exits with its status.
func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `iamkit evaluates AWS IAM policies and serves AWS STS as AWS does.

Usage:
  iamkit simulate --input FILE [--output json|text] [--batch]
  iamkit validate FILE --type identity|resource|trust|scp|rcp|session|boundary
  iamkit serve [--world FILE] [--addr 127.0.0.1:8080] [--region us-east-1]
  iamkit credential-process --role-arn ARN [--world FILE] [--external-id ID] ...
  iamkit mint oidc --sub SUB [--aud AUD] [--claim NAME=VALUE]... [--world FILE]
  iamkit mint saml --subject NAME --role ROLE_ARN,PROVIDER_ARN [--attribute NAME=VALUE]... [--world FILE]
  iamkit exec --role ARN [--world FILE] [--function-name NAME] -- COMMAND [ARG...]
  iamkit lint FILE... --type TYPE [--account ID] [--format text|json|sarif]
  iamkit lint --world FILE [--format text|json|sarif]
  iamkit sso login --profile NAME [--endpoint-url URL]
  iamkit help [simulate|validate|serve|credential-process|mint|exec|lint|sso]

FILE may be "-" for standard input. Run "iamkit help simulate" for the
simulation file format summary, or see the package documentation
(go doc github.com/iamkit/iamkit/cmd/iamkit).
`

const simulateUsage = `Usage: iamkit simulate --input FILE [--output json|text] [--batch]

Evaluates the request of a simulation file against its policies and prints
the decision, the reason and the statements that decided.

  --input FILE    the simulation file ("-" for standard input)
  --output FORMAT text (default) or json
  --batch         read JSON Lines, one simulation per line, and write one
                  JSON result per line (implies --output json)

A simulation file is one JSON object:

  {"request": {"principal": "arn:aws:iam::111111111111:role/app",
               "action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/key",
               "resourceAccount": "111111111111",
               "context": {"aws:SourceIp": "203.0.113.5", "aws:TagKeys": ["a", "b"]}},
   "identityPolicies": [POLICY, ...], "permissionsBoundary": POLICY,
   "sessionPolicy": POLICY, "resourcePolicy": POLICY,
   "serviceControlPolicies": [[POLICY, ...], ...],
   "resourceControlPolicies": [[POLICY, ...], ...]}

POLICY is a policy document, as a JSON object or a JSON string.
SCP and RCP arrays list organization levels, root first and account last.
`

const validateUsage = `Usage: iamkit validate FILE --type TYPE

Checks FILE as a policy of TYPE (identity, resource, trust, scp, rcp,
session or boundary) and prints each finding as
FILE:LINE:COLUMN: error|warning: PATH: message. Exits 1 if any finding is
an error.
`

// run is the whole program: it runs the command named by args (the
// arguments after the program name) and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "simulate":
		return runSimulate(args[1:], stdin, stdout, stderr)
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "credential-process":
		return runCredentialProcess(args[1:], stdout, stderr, os.Getenv)
	case "mint":
		return runMint(args[1:], stdout, stderr, time.Now)
	case "exec":
		return runExec(args[1:], stdin, stdout, stderr, os.Environ())
	case "lint":
		return runLint(args[1:], stdin, stdout, stderr, isTerminal(stdout))
	case "sso":
		return runSSO(args[1:], stdout, stderr, os.Getenv)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			switch args[1] {
			case "simulate":
				fmt.Fprint(stdout, simulateUsage)
				return 0
			case "validate":
				fmt.Fprint(stdout, validateUsage)
				return 0
			case "serve":
				fmt.Fprint(stdout, serveUsage)
				return 0
			case "credential-process":
				fmt.Fprint(stdout, credentialProcessUsage)
				return 0
			case "mint":
				fmt.Fprint(stdout, mintUsage)
				return 0
			case "exec":
				fmt.Fprint(stdout, execUsage)
				return 0
			case "lint":
				fmt.Fprint(stdout, lintUsage)
				return 0
			case "sso":
				fmt.Fprint(stdout, ssoUsage)
				return 0
			}
			return usageError(stderr, "", fmt.Sprintf("no help for %q", args[1]))
		}
		fmt.Fprint(stdout, usage)
		return 0
	}
	return usageError(stderr, "", fmt.Sprintf("unknown command %q", args[0]))
}

// usageError reports a usage mistake and returns exit status 2.
func usageError(stderr io.Writer, cmd, msg string) int {
	prefix := "iamkit: "
	help := `run "iamkit help" for usage`
	if cmd != "" {
		prefix += cmd + ": "
		help = `run "iamkit help ` + cmd + `" for usage`
	}
	fmt.Fprintf(stderr, "%s%s\n%s\n", prefix, msg, help)
	return 2
}

// openInput opens FILE, or returns stdin for "-".
func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "-" {
		if stdin == nil {
			return nil, nil, errors.New("no standard input")
		}
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// isTerminal reports whether w is a terminal (for colored output).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
