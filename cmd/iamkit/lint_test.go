package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/lint"
	"github.com/iamkit/iamkit/policy"
)

// badTrust is a trust policy with an ERROR (a SAML provider used with
// sts:AssumeRole) and a SECURITY_WARNING (a third party without
// ExternalId), per access-analyzer-reference-policy-checks.html and
// confused-deputy.html.
const badTrust = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111111111111:saml-provider/Corp"}, "Action": "sts:AssumeRole"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}`

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLintText(t *testing.T) {
	file := writeTemp(t, "trust.json", badTrust)
	code, stdout, stderr := iamkit(t, "", "lint", file, "--type", "trust", "--account", "111111111111")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		file + ":2:99: ERROR MISMATCHED_ACTION_FOR_PRINCIPAL: Statement[0].Action:",
		file + ":3:44: SECURITY_WARNING MISSING_EXTERNAL_ID: Statement[1].Principal.AWS:",
		"fix: ", "see: https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
		"1 policy: 1 ERROR, 1 SECURITY_WARNING",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Error("colors when not a terminal")
	}
	// --fail-on none: the findings are printed, the exit is 0; without
	// --account no third party is known.
	if code, _, _ := iamkit(t, "", "lint", file, "--type", "trust", "--fail-on", "none"); code != 0 {
		t.Errorf("--fail-on none: exit %d", code)
	}
	clean := writeTemp(t, "clean.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	if code, stdout, _ := iamkit(t, "", "lint", clean, "--type", "trust"); code != 0 || !strings.Contains(stdout, "1 policy: no findings") {
		t.Errorf("clean policy: exit %d\n%s", code, stdout)
	}
}

func TestLintJSONAndSARIF(t *testing.T) {
	file := writeTemp(t, "trust.json", badTrust)
	_, stdout, _ := iamkit(t, "", "lint", file, "--type", "trust", "--account", "111111111111", "--format", "json")
	var res []lintResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if len(res) != 1 || len(res[0].Findings) != 2 || res[0].Findings[0].Code != "MISMATCHED_ACTION_FOR_PRINCIPAL" || res[0].Findings[1].Pos.Line != 3 {
		t.Errorf("json %+v", res)
	}
	_, stdout, _ = iamkit(t, "", "lint", file, "--type", "trust", "--account", "111111111111", "--format", "sarif")
	var sarif struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID, HelpURI string }
				}
			}
			Results []struct {
				RuleID, Level string
				Locations     []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &sarif); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	r := sarif.Runs[0]
	if sarif.Version != "2.1.0" || r.Tool.Driver.Name != "iamkit" || len(r.Tool.Driver.Rules) != 2 || len(r.Results) != 2 ||
		r.Results[0].Level != "error" || r.Results[1].Level != "warning" ||
		r.Results[1].Locations[0].PhysicalLocation.ArtifactLocation.URI != file || r.Results[1].Locations[0].PhysicalLocation.Region.StartLine != 3 {
		t.Errorf("sarif %+v", sarif)
	}
}

func TestLintErrors(t *testing.T) {
	file := writeTemp(t, "trust.json", badTrust)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lint"}, "a policy FILE"},
		{[]string{"lint", file}, "--type is required"},
		{[]string{"lint", file, "--type", "bogus"}, "unknown --type"},
		{[]string{"lint", file, "--type", "trust", "--format", "xml"}, "--format"},
		{[]string{"lint", file, "--type", "trust", "--fail-on", "maybe"}, "--fail-on"},
		{[]string{"lint", file, "--world", file}, "not both"},
		{[]string{"lint", file, "--type", "trust", "--account", "12"}, "not a 12-digit"},
		{[]string{"lint", "/nonexistent.json", "--type", "trust"}, "no such file"},
	} {
		code, _, stderr := iamkit(t, "", tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

// TestLintRepositoryPolicies: the built-in world and the policies of this
// command's test data lint without a failing finding, except where a file
// is there to show one (issue 15: the repository's own policies come out
// clean).
func TestLintRepositoryPolicies(t *testing.T) {
	code, stdout, _ := iamkit(t, "", "lint", "--world", "../../world/default.json")
	if code != 0 {
		t.Errorf("the built-in world: exit %d\n%s", code, stdout)
	}
	expected := map[string]string{
		"bucket_notprincipal.json": "ALLOW_WITH_NOTPRINCIPAL", // the file shows NotPrincipal's pitfall
	}
	files, _ := filepath.Glob("testdata/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := jsonpos.Parse(data)
		if err != nil || root.Kind != jsonpos.Object {
			continue
		}
		var got []string
		lintOne := func(v *jsonpos.Value, typ policy.Type) {
			e, ok := jsonpos.Embed(data, v)
			if !ok {
				return
			}
			fs, err := lint.Check(e.Doc, typ, lint.Options{})
			if err != nil {
				return // malformed on purpose; validate's to report
			}
			for _, x := range fs {
				if x.Type.Failing() {
					got = append(got, x.Code)
				}
			}
		}
		if _, ok := root.Get("Statement"); ok {
			// A policy file for validate, its type in its name.
			for prefix, typ := range map[string]policy.Type{"bucket_": policy.Resource, "identity_": policy.Identity, "trust_": policy.Trust} {
				if strings.HasPrefix(filepath.Base(f), prefix) {
					lintOne(root, typ)
				}
			}
		}
		if m, ok := root.Get("identityPolicies"); ok {
			for _, p := range m.Value.Array {
				lintOne(p, policy.Identity)
			}
		}
		if m, ok := root.Get("resourcePolicy"); ok {
			typ := policy.Resource
			if req, ok := root.Get("request"); ok {
				if a, ok := req.Value.Get("action"); ok && policy.IsTrustAction(a.Value.Str) {
					typ = policy.Trust
				}
			}
			lintOne(m.Value, typ)
		}
		want := expected[filepath.Base(f)]
		if strings.Join(got, ",") != want {
			t.Errorf("%s: failing findings %v, want %q", f, got, want)
		}
	}
}
