package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// Documentation pages the expected decisions come from.
const (
	evalLogicDoc    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
	crossAccountDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
	denyAllowDoc    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html"
	trustDoc        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage-assume.html"
	notPrincipalDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
	principalDoc    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
)

// iamkit runs the command in-process.
func iamkit(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// runeAt returns the character at a 1-based line and column of data.
func runeAt(data []byte, line, col int) rune {
	lines := strings.Split(string(data), "\n")
	if line < 1 || line > len(lines) {
		return utf8.RuneError
	}
	for i, r := range []rune(lines[line-1]) {
		if i == col-1 {
			return r
		}
	}
	return utf8.RuneError
}

// checkPositions checks that every reported statement position points at
// the statement's opening brace in the input file.
func checkPositions(t *testing.T, input []byte, res resultJSON) {
	t.Helper()
	all := append(append([]statementJSON{}, res.Decisive...), res.Matched...)
	for _, m := range res.Misses {
		all = append(all, m.statementJSON)
	}
	for _, st := range all {
		if r := runeAt(input, st.Line, st.Column); r != '{' {
			t.Errorf("%s Statement[%d] at line %d, column %d: input has %q there, want '{'", st.Policy, st.Index, st.Line, st.Column, r)
		}
	}
}

// TestSimulateJSON checks decisions, reasons and statement positions in JSON output.
func TestSimulateJSON(t *testing.T) {
	identity := func(sid string, idx, line, col int, effect string) statementJSON {
		return statementJSON{Source: "identity-based policy", Policy: "identityPolicies[0]", Sid: sid, Index: idx, Line: line, Column: col, Effect: effect}
	}
	bucket := func(line, col int) statementJSON {
		return statementJSON{Source: "resource-based policy", Policy: "resourcePolicy", Sid: "AnalyticsAccount", Line: line, Column: col, Effect: "Allow"}
	}
	// API_EvaluationResult.html: each policy type's own decision.
	types := func(kv ...string) []typeJSON {
		out := []typeJSON{}
		for i := 0; i+1 < len(kv); i += 2 {
			out = append(out, typeJSON{Source: kv[i], Decision: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		name, file, doc string
		want            resultJSON
	}{{
		// "If ... an identity-based policy ... allows the request" and
		// nothing denies, the request is allowed.
		name: "same-account identity allow", file: "allowed.json", doc: evalLogicDoc,
		want: resultJSON{
			Decision: "allowed",
			Reason:   "allowed by an identity-based policy, and no other policy type denies or limits it",
			Source:   "identity-based policy",
			Decisive: []statementJSON{identity("ReadReports", 0, 12, 9, "Allow")},
			Matched:  []statementJSON{identity("ReadReports", 0, 12, 9, "Allow")},
			Missing:  []string{},

			ReasonCode: "ALLOWED_BY_IDENTITY_POLICY", Misses: []missJSON{},
			PolicyTypes: types("identity-based policy", "allowed"),
		},
	}, {
		// "An explicit deny in any policy overrides any allows."
		name: "explicit deny overrides allow", file: "explicit_deny.json", doc: denyAllowDoc,
		want: resultJSON{
			Decision: "explicitDeny",
			Reason:   "an explicit deny overrides every allow",
			Source:   "identity-based policy",
			Decisive: []statementJSON{identity("DenyDeleteWithoutMFA", 1, 13, 9, "Deny")},
			Matched: []statementJSON{
				identity("AllObjects", 0, 12, 9, "Allow"),
				identity("DenyDeleteWithoutMFA", 1, 13, 9, "Deny"),
			},
			Missing: []string{},

			ReasonCode: "EXPLICIT_DENY", Misses: []missJSON{},
			PolicyTypes: types("identity-based policy", "explicitDeny"),
		},
	}, {
		// Cross-account access needs an allow from the identity-based
		// policy in the trusted account and from the resource-based policy
		// in the trusting account. The identity policy is passed as a JSON
		// string, so its position is that of the brace inside the string.
		name: "cross-account both allow", file: "cross_account_allowed.json", doc: crossAccountDoc,
		want: resultJSON{
			Decision: "allowed",
			Reason:   "cross-account request allowed by both the caller's identity-based policy and the resource-based policy",
			Source:   "identity-based policy",
			Decisive: []statementJSON{bucket(13, 19), identity("ReadReports", 0, 9, 48, "Allow")},
			Matched:  []statementJSON{bucket(13, 19), identity("ReadReports", 0, 9, 48, "Allow")},
			Missing:  []string{},

			ReasonCode: "ALLOWED_CROSS_ACCOUNT", Misses: []missJSON{},
			PolicyTypes: types("resource-based policy", "allowed", "identity-based policy", "allowed"),
		},
	}, {
		// A bucket policy naming the caller's account delegates to that
		// account's identity-based policies, which here do not allow.
		name: "cross-account without identity allow", file: "cross_account_implicit_deny.json", doc: crossAccountDoc + " and " + principalDoc,
		want: resultJSON{
			Decision: "implicitDeny",
			Reason:   "no identity-based policy of the caller allows the request",
			Source:   "identity-based policy",
			Decisive: []statementJSON{},
			Matched:  []statementJSON{bucket(14, 19)},
			Missing:  []string{},

			ReasonCode: "NO_IDENTITY_POLICY_ALLOWS",
			Misses: []missJSON{{statementJSON: identity("", 0, 10, 18, "Allow"), Element: "Resource", Code: "RESOURCE_NOT_MATCHED",
				Detail: `Resource ["arn:aws:s3:::analytics-scratch/*"] does not match "arn:aws:s3:::reports/2025/q1.csv"`}},
			PolicyTypes: types("resource-based policy", "allowed", "identity-based policy", "implicitDeny"),
		},
	}, {
		// The trust policy of the role must allow sts:AssumeRole; here it
		// names the caller's account (so the identity-based allow, which
		// matches, is needed as well) under a condition on a tag the caller
		// has and one on aws:SourceVpc, which the request lacks.
		name: "trust policy condition needs a missing key", file: "trust_missing_key.json", doc: trustDoc,
		want: resultJSON{
			Decision: "implicitDeny",
			Reason:   "the role's trust policy does not allow the caller to assume it",
			Source:   "resource-based policy",
			Decisive: []statementJSON{},
			Matched:  []statementJSON{{Source: "identity-based policy", Policy: "identityPolicies[0]", Line: 11, Column: 19, Effect: "Allow"}},
			Missing:  []string{"aws:SourceVpc"},

			// elements_condition_operators.html: a key the request lacks
			// makes the condition false.
			ReasonCode: "TRUST_POLICY_NO_ALLOW",
			Misses: []missJSON{{statementJSON: statementJSON{Source: "resource-based policy", Policy: "resourcePolicy", Line: 15, Column: 19, Effect: "Allow"},
				Element: "Condition", Code: "CONDITION_KEY_MISSING", Detail: "StringEquals aws:SourceVpc: the request has no aws:SourceVpc",
				Condition: &conditionJSON{Operator: "StringEquals", Key: "aws:SourceVpc", Values: []string{"vpc-0abc"}, RequestValues: []string{}, Missing: true}}},
			PolicyTypes: types("resource-based policy", "implicitDeny", "identity-based policy", "allowed"),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := iamkit(t, "", "simulate", "--input", "testdata/"+tt.file, "--output", "json")
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var got resultJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output %q: %v", stdout, err)
			}
			// missJSON embeds the unexported statementJSON.
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(missJSON{})); diff != "" {
				t.Errorf("%s: result mismatch (-want +got), expected per %s:\n%s", tt.file, tt.doc, diff)
			}
			checkPositions(t, input, got)
			if strings.Contains(stdout, "null") {
				t.Errorf("output has null: %s", stdout)
			}
		})
	}
}

// TestSimulateText checks the text output people read.
func TestSimulateText(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{{
		// reference_policies_evaluation-logic.html: an identity-based allow.
		name: "allowed", file: "allowed.json",
		want: `Decision: allowed
Reason:   allowed by an identity-based policy, and no other policy type denies or limits it
Code:     ALLOWED_BY_IDENTITY_POLICY
Source:   identity-based policy
Decisive statements:
  identity-based policy "identityPolicies[0]" Statement[0] (Sid "ReadReports") at line 12, column 9: Allow
`,
	}, {
		// reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html:
		// the explicit deny wins over the allow.
		name: "explicitDeny", file: "explicit_deny.json",
		want: `Decision: explicitDeny
Reason:   an explicit deny overrides every allow
Code:     EXPLICIT_DENY
Source:   identity-based policy
Decisive statements:
  identity-based policy "identityPolicies[0]" Statement[1] (Sid "DenyDeleteWithoutMFA") at line 13, column 9: Deny
Other matching statements:
  identity-based policy "identityPolicies[0]" Statement[0] (Sid "AllObjects") at line 12, column 9: Allow
Policy types:
  identity-based policy: explicitDeny
`,
	}, {
		// reference_policies_evaluation-logic-cross-account.html via the
		// trust policy page: the trust policy must allow.
		name: "implicitDeny", file: "trust_missing_key.json",
		want: `Decision: implicitDeny
Reason:   the role's trust policy does not allow the caller to assume it
Code:     TRUST_POLICY_NO_ALLOW
Source:   resource-based policy
Other matching statements:
  identity-based policy "identityPolicies[0]" Statement[0] at line 11, column 19: Allow
Missing context values:
  aws:SourceVpc
Why not:
  resource-based policy "resourcePolicy" Statement[0] at line 15, column 19: Allow
    CONDITION_KEY_MISSING: StringEquals aws:SourceVpc: the request has no aws:SourceVpc
Policy types:
  resource-based policy: implicitDeny
  identity-based policy: allowed
`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := iamkit(t, "", "simulate", "--input", "testdata/"+tt.file)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if diff := cmp.Diff(tt.want, stdout); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSimulateStdin reads the simulation from standard input.
func TestSimulateStdin(t *testing.T) {
	input, err := os.ReadFile("testdata/allowed.json")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := iamkit(t, string(input), "simulate", "--input", "-", "--output=json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, `{"decision":"allowed",`) {
		t.Errorf("stdout = %q", stdout)
	}
}

// TestSimulateWarnings checks that policy warnings go to standard error.
func TestSimulateWarnings(t *testing.T) {
	// NotPrincipal with Allow is accepted and evaluated, with a warning
	// (reference_policies_elements_notprincipal.html).
	in := `{"request": {"principal": "*", "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q1.csv", "resourceAccount": "111111111111"},
 "resourcePolicy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
   "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:user/alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}}}`
	code, stdout, stderr := iamkit(t, in, "simulate", "--input", "-")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, "Decision: allowed\n") {
		t.Errorf("stdout = %q, want an allow (%s)", stdout, notPrincipalDoc)
	}
	if want := "iamkit: simulate: resourcePolicy: line 3, column 20: warning: Statement[0].NotPrincipal: "; !strings.HasPrefix(stderr, want) {
		t.Errorf("stderr = %q, want prefix %q", stderr, want)
	}
}

// TestSimulateInputErrors checks that a bad simulation exits 2 with a message naming the field and its position in the file.
func TestSimulateInputErrors(t *testing.T) {
	tests := []struct {
		name, file, stdin, want string
	}{{
		name: "bad Effect in identityPolicies[0]", file: "testdata/bad_effect.json",
		want: `iamkit: simulate: identityPolicies[0]: line 8, column 30: Statement[0].Effect: must be "Allow" or "Deny"` + "\n",
	}, {
		name: "unknown fields", file: "testdata/unknown_field.json",
		want: `iamkit: simulate: request.Context: line 6, column 5: unknown field "Context" (field names are case-sensitive: did you mean "context"?)
iamkit: simulate: identityPolicy: line 8, column 3: unknown field "identityPolicy"
`,
	}, {
		name: "context value of the wrong type", file: "testdata/bad_context.json",
		want: "iamkit: simulate: request.context.aws:MultiFactorAuthAge: line 8, column 33: a context value must be a string or an array of strings, not number (write numbers and booleans as strings)\n",
	}, {
		name: "context list element of the wrong type", file: "-",
		stdin: `{"request": {"principal": "*", "action": "s3:GetObject", "resource": "*",` + "\n" + ` "context": {"aws:TagKeys": ["a", true]}}}`,
		want:  "iamkit: simulate: request.context.aws:TagKeys[1]: line 2, column 35: must be a string, not boolean\n",
	}, {
		name: "missing required fields", file: "-",
		stdin: `{"request": {"principal": "arn:aws:iam::111111111111:user/alice"}}`,
		want: `iamkit: simulate: request.action: line 1, column 13: missing required field
iamkit: simulate: request.resource: line 1, column 13: missing required field
`,
	}, {
		name: "bad principal", file: "-",
		stdin: `{"request": {"principal": "arn:aws:s3:::bucket", "action": "s3:GetObject", "resource": "*"}}`,
		want:  "iamkit: simulate: request.principal: line 1, column 27: ",
	}, {
		name: "invalid JSON", file: "-",
		stdin: "{\"request\": {\n}",
		want:  "iamkit: simulate: line 2, column 2: invalid JSON: ",
	}, {
		name: "policy of the wrong kind", file: "-",
		stdin: `{"request": {"principal": "*", "action": "s3:GetObject", "resource": "*"}, "serviceControlPolicies": [[42]]}`,
		want:  "iamkit: simulate: serviceControlPolicies[0][0]: line 1, column 104: a policy must be a JSON object or a JSON string holding one, not number\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := iamkit(t, tt.stdin, "simulate", "--input", tt.file)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d, stdout %q; want exit 2 and no output", code, stdout)
			}
			if strings.HasSuffix(tt.want, "\n") {
				if diff := cmp.Diff(tt.want, stderr); diff != "" {
					t.Errorf("stderr mismatch (-want +got):\n%s", diff)
				}
			} else if !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("stderr = %q, want prefix %q", stderr, tt.want)
			}
		})
	}
}

// TestSimulateBatch runs three simulations, one of them invalid, in one batch.
func TestSimulateBatch(t *testing.T) {
	input, err := os.ReadFile("testdata/batch.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := iamkit(t, string(input), "simulate", "--batch", "--input", "-")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	var got []map[string]any
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, m)
	}
	stmt := map[string]any{"source": "identity-based policy", "level": 0.0, "policy": "identityPolicies[0]", "sid": "", "index": 0.0, "line": 1.0, "column": 184.0, "effect": "Allow"}
	want := []map[string]any{{
		// reference_policies_evaluation-logic.html: identity-based allow.
		"decision": "allowed", "reason": "allowed by an identity-based policy, and no other policy type denies or limits it",
		"source": "identity-based policy", "decisiveStatements": []any{stmt}, "matchedStatements": []any{stmt},
		"missingContextValues": []any{},
		"reasonCode":           "ALLOWED_BY_IDENTITY_POLICY", "misses": []any{},
		"policyTypes": []any{map[string]any{"source": "identity-based policy", "level": 0.0, "decision": "allowed"}},
	}, {
		// Line 2 is blank and skipped; line 3 has a bad Effect.
		"error": `line 3: identityPolicies[0]: line 3, column 194: Statement[0].Effect: must be "Allow" or "Deny"`,
	}, {
		// reference_policies_evaluation-logic.html: no allow, implicit deny.
		"decision": "implicitDeny", "reason": "no policy allows the request, so it is implicitly denied",
		"decisiveStatements": []any{}, "matchedStatements": []any{}, "missingContextValues": []any{},
		"reasonCode": "NO_POLICY_ALLOWS",
		"misses": []any{map[string]any{"source": "identity-based policy", "level": 0.0, "policy": "identityPolicies[0]", "sid": "", "index": 0.0,
			"line": 4.0, "column": 184.0, "effect": "Allow", "element": "Action", "code": "ACTION_NOT_MATCHED",
			"detail": `Action ["s3:GetObject"] does not match "s3:PutObject"`}},
		"policyTypes": []any{map[string]any{"source": "identity-based policy", "level": 0.0, "decision": "implicitDeny"}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("batch results mismatch (-want +got):\n%s", diff)
	}
}

// TestSimulateBatchEdges covers CRLF endings, a missing final newline and a line that is not JSON.
func TestSimulateBatchEdges(t *testing.T) {
	// CRLF line endings, a last line without a newline, and a line that is
	// not JSON at all.
	in := "\r\n" + `{"request": {"principal": "*", "action": "sts:GetCallerIdentity", "resource": "*"}}` + "\r\n" + "not json"
	code, stdout, stderr := iamkit(t, in, "simulate", "--input", "-", "--batch", "--output", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), stdout)
	}
	if !strings.HasPrefix(lines[0], `{"decision":"allowed",`) {
		t.Errorf("line 1 = %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], `{"error":"line 3: line 3, column 2: invalid JSON: `) {
		t.Errorf("line 2 = %s", lines[1])
	}

	// The same policy on two lines, the second indented: parsed once,
	// located on each line.
	sim := `{"request": {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject", "resource": "*"}, "identityPolicies": [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}`
	in = sim + "\n    " + sim + "\n"
	code, stdout, stderr = iamkit(t, in, "simulate", "--input", "-", "--batch")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got []resultJSON
	for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var r resultJSON
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if len(got) != 2 || len(got[0].Decisive) != 1 || len(got[1].Decisive) != 1 {
		t.Fatalf("results = %+v", got)
	}
	for i, r := range got {
		checkPositions(t, []byte(in), r) // positions are batch-file positions
		if d := r.Decisive[0]; d.Line != i+1 {
			t.Errorf("result %d: statement on line %d, want %d", i, d.Line, i+1)
		}
	}
	if c0, c1 := got[0].Decisive[0].Column, got[1].Decisive[0].Column; c1 != c0+4 {
		t.Errorf("indented line: column %d, want %d", c1, c0+4)
	}
}

// TestValidate checks validate's findings, summary and exit status.
func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{{
		// Identity-based policies may not name a Principal
		// (reference_policies_elements_principal.html).
		name: "error", args: []string{"validate", "testdata/identity_invalid.json", "--type", "identity"}, code: 1,
		want: `testdata/identity_invalid.json:7:20: error: Statement[0].Principal: Policy document should not specify a principal (identity policies apply to the identity they are attached to)
testdata/identity_invalid.json: 1 error, 0 warnings
`,
	}, {
		// NotPrincipal with Allow is accepted but discouraged
		// (reference_policies_elements_notprincipal.html); flags first.
		name: "warning only", args: []string{"validate", "--type=resource", "testdata/bucket_notprincipal.json"}, code: 0,
		want: `testdata/bucket_notprincipal.json:7:23: warning: Statement[0].NotPrincipal: NotPrincipal with Allow grants access to every principal not listed, including anonymous users; AWS strongly recommends against it
testdata/bucket_notprincipal.json: 0 errors, 1 warning
`,
	}, {
		name: "valid", args: []string{"validate", "-type", "Identity", "testdata/identity_valid.json"}, code: 0,
		want: "testdata/identity_valid.json: valid identity policy\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := iamkit(t, "", tt.args...)
			if code != tt.code || stderr != "" {
				t.Errorf("exit %d, stderr %q; want exit %d", code, stderr, tt.code)
			}
			if diff := cmp.Diff(tt.want, stdout); diff != "" {
				t.Errorf("output mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUsage checks usage errors (exit 2) and help (exit 0).
func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		// out is a prefix of stdout, errOut a substring of stderr.
		out, errOut string
	}{
		{"no arguments", nil, 2, "", "Usage:"},
		{"unknown command", []string{"frob"}, 2, "", `unknown command "frob"`},
		{"help", []string{"help"}, 0, "iamkit evaluates", ""},
		{"-h", []string{"-h"}, 0, "iamkit evaluates", ""},
		{"help simulate", []string{"help", "simulate"}, 0, "Usage: iamkit simulate", ""},
		{"simulate -h", []string{"simulate", "-h"}, 0, "Usage: iamkit simulate", ""},
		{"validate --help", []string{"validate", "--help"}, 0, "Usage: iamkit validate", ""},
		{"simulate without input", []string{"simulate"}, 2, "", "--input FILE is required"},
		{"simulate bad output", []string{"simulate", "--input", "x", "--output", "xml"}, 2, "", `--output must be json or text, not "xml"`},
		{"simulate batch text", []string{"simulate", "--input", "x", "--batch", "--output", "text"}, 2, "", "--output text is not supported"},
		{"simulate unknown flag", []string{"simulate", "--inptu", "x"}, 2, "", "flag provided but not defined: -inptu"},
		{"simulate extra argument", []string{"simulate", "--input", "x", "y"}, 2, "", `unexpected argument "y"`},
		{"simulate missing file", []string{"simulate", "--input", "testdata/nonexistent.json"}, 2, "", "nonexistent.json"},
		{"validate without file", []string{"validate", "--type", "identity"}, 2, "", "a policy FILE is required"},
		{"validate without type", []string{"validate", "testdata/identity_valid.json"}, 2, "", "--type is required"},
		{"validate bad type", []string{"validate", "x", "--type", "group"}, 2, "", `unknown --type "group"`},
		{"validate two files", []string{"validate", "a", "b", "--type", "scp"}, 2, "", "one FILE at a time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := iamkit(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.HasPrefix(stdout, tt.out) || tt.out == "" && stdout != "" {
				t.Errorf("stdout = %q, want prefix %q", stdout, tt.out)
			}
			if !strings.Contains(stderr, tt.errOut) || tt.errOut == "" && stderr != "" {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.errOut)
			}
		})
	}
}

// TestStringPolicyPositions checks that positions inside a policy passed as
// a JSON string, with escapes of every width, point into the file.
func TestStringPolicyPositions(t *testing.T) {
	in := `{"request": {"principal": "arn:aws:iam::111111111111:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
 "identityPolicies": ["{\n \"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:Get\u004fbject\", \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\": {\"aws:userid\": \"caf\u00e9\\t\/\"}}},\n\t{\"Effect\": \"Deny\", \"Action\": \"s3:Put*\", \"Resource\": \"*\"}, {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}"]}`
	code, stdout, stderr := iamkit(t, in, "simulate", "--input", "-", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got resultJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Matched) != 2 {
		t.Fatalf("matched %d statements, want 2: %s", len(got.Matched), stdout)
	}
	checkPositions(t, []byte(in), got)

	// A surrogate pair (one character, twelve in the file) before an error
	// on the same line; U+1F600 is outside IAM's character set.
	in = `{"request": {"principal": "*", "action": "s3:GetObject", "resource": "*"},
  "resourcePolicy": "{\"Statement\": {\"Sid\": \"\ud83d\ude00\", \"Effect\": \"Alow\"}}"}`
	code, _, stderr = iamkit(t, in, "simulate", "--input", "-")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	line2 := strings.Split(in, "\n")[1]
	col := func(s string) int { return utf8.RuneCountInString(line2[:strings.Index(line2, s)]) + 1 }
	for _, want := range []string{
		fmt.Sprintf("resourcePolicy: line 2, column %d: character U+1F600 is not allowed", col(`\ud83d`)),
		fmt.Sprintf("resourcePolicy: line 2, column %d: Statement[0].Effect: must be", col(`\"Alow`)),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr = %q, want it to contain %q", stderr, want)
		}
	}
}

// BenchmarkSimulateBatch measures --batch throughput per input line.
func BenchmarkSimulateBatch(b *testing.B) {
	line, err := os.ReadFile("testdata/allowed.json")
	if err != nil {
		b.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, line); err != nil {
		b.Fatal(err)
	}
	in := bytes.Repeat(append(compact.Bytes(), '\n'), 100)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if code := run([]string{"simulate", "--batch", "--input", "-"}, bytes.NewReader(in), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// variedBatch is n simulation lines over distinct policies, a quarter of
// them repeating an earlier line's, with the requests varying.
func variedBatch(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		p := i
		if i%4 == 3 {
			p = i / 2 // a repeated policy
		}
		fmt.Fprintf(&b, `{"request":{"principal":"arn:aws:iam::111111111111:role/app","action":"s3:GetObject","resource":"arn:aws:s3:::bucket-%d/key-%d","context":{"aws:SourceIp":"203.0.113.%d"}},`+
			`"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-%d/*","arn:aws:s3:::bucket-%d"],`+
			`"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}]}`+"\n", p, i, i%250, p, p)
	}
	return b.Bytes()
}

// BenchmarkSimulateBatchVaried measures --batch on 3,000 lines of varied
// policies (issue 16: under 75 µs per line end to end).
func BenchmarkSimulateBatchVaried(b *testing.B) {
	in := variedBatch(3000)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if code := run([]string{"simulate", "--batch", "--input", "-"}, bytes.NewReader(in), io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/3000, "ns/line")
}

// TestSimulateBatchOrder: results come out in input order whatever the
// workers' pace, one per non-blank line, errors in place.
func TestSimulateBatchOrder(t *testing.T) {
	in := variedBatch(500)
	lines := bytes.Split(bytes.TrimSuffix(in, []byte("\n")), []byte("\n"))
	lines[100] = []byte(`{"request": 1}`)
	lines = append(lines[:200], append([][]byte{[]byte("   ")}, lines[200:]...)...)
	var out bytes.Buffer
	if code := run([]string{"simulate", "--batch", "--input", "-"}, bytes.NewReader(bytes.Join(lines, []byte("\n"))), &out, io.Discard); code != 0 {
		t.Fatalf("exit %d", code)
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != 500 {
		t.Fatalf("%d results for 500 simulations", len(got))
	}
	for i, l := range got {
		switch {
		case i == 100:
			if !strings.Contains(l, `"error":"line 101: `) {
				t.Errorf("line 101: %s", l)
			}
		case !strings.Contains(l, `"decision":"allowed"`):
			t.Errorf("result %d: %s", i, l)
		}
	}
}
