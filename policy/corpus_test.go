package policy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// The corpus in testdata/corpus holds one JSON file per concept. Each file is
// an array of cases in the simulation format of `iamkit simulate`, plus a
// name, the AWS documentation page the expected answer comes from, and the
// expected answer. pending.json holds cases where the engine disagrees with
// AWS's documentation; they are run but reported as skipped until fixed.

// corpusCase is one simulation: a request, the policies that apply to it and
// the answer AWS documents.
type corpusCase struct {
	Name string `json:"name"`
	Doc  string `json:"doc"`
	// Pending says, in pending.json only, how the engine disagrees.
	Pending string `json:"pending,omitempty"`

	Request                 corpusRequest       `json:"request"`
	IdentityPolicies        []json.RawMessage   `json:"identityPolicies,omitempty"`
	PermissionsBoundary     json.RawMessage     `json:"permissionsBoundary,omitempty"`
	SessionPolicy           json.RawMessage     `json:"sessionPolicy,omitempty"`
	ResourcePolicy          json.RawMessage     `json:"resourcePolicy,omitempty"`
	ServiceControlPolicies  [][]json.RawMessage `json:"serviceControlPolicies,omitempty"`
	ResourceControlPolicies [][]json.RawMessage `json:"resourceControlPolicies,omitempty"`

	Expect corpusExpect `json:"expect"`

	file string // the corpus file, for messages
}

type corpusRequest struct {
	// Principal is "*" (anonymous), a service principal such as
	// "cloudtrail.amazonaws.com", or anything principal.Parse accepts.
	Principal       string `json:"principal"`
	Action          string `json:"action"`
	Resource        string `json:"resource"`
	ResourceAccount string `json:"resourceAccount,omitempty"`
	// Context values are a string (ctx.Set) or a list (ctx.SetList).
	Context                      map[string]json.RawMessage `json:"context,omitempty"`
	PrincipalTags                map[string]string          `json:"principalTags,omitempty"`
	PrincipalInManagementAccount bool                       `json:"principalInManagementAccount,omitempty"`
	ResourceInManagementAccount  bool                       `json:"resourceInManagementAccount,omitempty"`
}

type corpusExpect struct {
	Decision string `json:"decision"`
	// Reason is the name of a policy.Reason constant; empty means any.
	Reason string `json:"reason,omitempty"`
	// MissingContextValues, when present (even as []), must equal
	// Explain's list.
	MissingContextValues *[]string `json:"missingContextValues,omitempty"`
}

var reasonNames = map[string]policy.Reason{
	"ReasonNone":                         policy.ReasonNone,
	"ReasonGetCallerIdentity":            policy.ReasonGetCallerIdentity,
	"ReasonExplicitDeny":                 policy.ReasonExplicitDeny,
	"ReasonSCPNoAllow":                   policy.ReasonSCPNoAllow,
	"ReasonNoAllow":                      policy.ReasonNoAllow,
	"ReasonNoIdentityAllow":              policy.ReasonNoIdentityAllow,
	"ReasonBoundary":                     policy.ReasonBoundary,
	"ReasonSession":                      policy.ReasonSession,
	"ReasonFederatedNoSessionPolicy":     policy.ReasonFederatedNoSessionPolicy,
	"ReasonCrossAccountNoResourcePolicy": policy.ReasonCrossAccountNoResourcePolicy,
	"ReasonCrossAccountResource":         policy.ReasonCrossAccountResource,
	"ReasonTrustPolicy":                  policy.ReasonTrustPolicy,
	"ReasonKeyPolicy":                    policy.ReasonKeyPolicy,
	"ReasonSelfAssume":                   policy.ReasonSelfAssume,
	"ReasonAllowedIdentity":              policy.ReasonAllowedIdentity,
	"ReasonAllowedResource":              policy.ReasonAllowedResource,
	"ReasonAllowedTrust":                 policy.ReasonAllowedTrust,
	"ReasonAllowedCrossAccount":          policy.ReasonAllowedCrossAccount,
	"ReasonAllowedRoot":                  policy.ReasonAllowedRoot,
	"ReasonProtected":                    policy.ReasonProtected,
	"ReasonNoRequest":                    policy.ReasonNoRequest,
}

var decisionNames = map[string]policy.Decision{
	"allowed":      policy.Allowed,
	"explicitDeny": policy.ExplicitDeny,
	"implicitDeny": policy.ImplicitDeny,
}

// loadCorpus reads one corpus file, rejecting unknown fields so that a
// misspelt field cannot silently drop a policy from a case.
func loadCorpus(tb testing.TB, file string) []corpusCase {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cases []corpusCase
	if err := dec.Decode(&cases); err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	for i := range cases {
		cases[i].file = filepath.Base(file)
	}
	return cases
}

// corpusFiles lists the corpus files, pending.json included.
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatal("no corpus files in testdata/corpus")
	}
	return files
}

// benchCase returns the named case of testdata/corpus/bench.json.
func benchCase(tb testing.TB, name string) corpusCase {
	tb.Helper()
	for _, c := range loadCorpus(tb, filepath.Join("testdata", "corpus", "bench.json")) {
		if c.Name == name {
			return c
		}
	}
	tb.Fatalf("bench.json has no case %q", name)
	return corpusCase{}
}

func isRoleARN(s string) bool {
	a, err := principal.ParseARN(s)
	return err == nil && a.Service == "iam" && strings.HasPrefix(a.Resource, "role/")
}

func (c *corpusCase) resourceType() policy.Type {
	if policy.IsTrustAction(c.Request.Action) && isRoleARN(c.Request.Resource) {
		return policy.Trust
	}
	return policy.Resource
}

func parseCorpusPolicy(tb testing.TB, raw json.RawMessage, typ policy.Type, name string) *policy.Policy {
	tb.Helper()
	p, err := policy.ParseWithOptions(raw, typ, policy.Options{Name: name})
	if err != nil {
		tb.Fatalf("%s policy %s: %v\n%s", typ, name, err, raw)
	}
	return p
}

func parseCaller(tb testing.TB, s string) principal.Principal {
	tb.Helper()
	if !strings.HasPrefix(s, "arn:") && strings.HasSuffix(s, ".amazonaws.com") {
		return principal.ServicePrincipal(s)
	}
	p, err := principal.Parse(s)
	if err != nil {
		tb.Fatalf("request.principal: %v", err)
	}
	return p
}

// build turns the case into the Set and Request that Set.Evaluate takes.
func (c *corpusCase) build(tb testing.TB) (*policy.Set, *policy.Request) {
	tb.Helper()
	set := &policy.Set{}
	for i, raw := range c.IdentityPolicies {
		set.Identity = append(set.Identity, parseCorpusPolicy(tb, raw, policy.Identity, fmt.Sprintf("identity[%d]", i)))
	}
	if len(c.PermissionsBoundary) > 0 {
		set.PermissionsBoundary = parseCorpusPolicy(tb, c.PermissionsBoundary, policy.Boundary, "boundary")
	}
	if len(c.SessionPolicy) > 0 {
		set.Session = []*policy.Policy{parseCorpusPolicy(tb, c.SessionPolicy, policy.Session, "session")}
	}
	if len(c.ResourcePolicy) > 0 {
		typ := c.resourceType()
		set.Resource = parseCorpusPolicy(tb, c.ResourcePolicy, typ, typ.String())
	}
	for lvl, ps := range c.ServiceControlPolicies {
		level := []*policy.Policy{}
		for i, raw := range ps {
			level = append(level, parseCorpusPolicy(tb, raw, policy.SCP, fmt.Sprintf("scp[%d][%d]", lvl, i)))
		}
		set.SCPs = append(set.SCPs, level)
	}
	for lvl, ps := range c.ResourceControlPolicies {
		level := []*policy.Policy{}
		for i, raw := range ps {
			level = append(level, parseCorpusPolicy(tb, raw, policy.RCP, fmt.Sprintf("rcp[%d][%d]", lvl, i)))
		}
		set.RCPs = append(set.RCPs, level)
	}

	r := &c.Request
	caller := parseCaller(tb, r.Principal)
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller, Tags: r.PrincipalTags})
	for k, raw := range r.Context {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			ctx.Set(k, s)
			continue
		}
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			tb.Fatalf("request.context[%q]: want a string or a list of strings, got %s", k, raw)
		}
		ctx.SetList(k, list)
	}
	return set, &policy.Request{
		Principal:                    caller,
		Action:                       r.Action,
		Resource:                     r.Resource,
		ResourceAccount:              r.ResourceAccount,
		Context:                      ctx,
		PrincipalInManagementAccount: r.PrincipalInManagementAccount,
		ResourceInManagementAccount:  r.ResourceInManagementAccount,
	}
}

// formatExplanation writes everything Explain found, for failure messages.
func formatExplanation(e *policy.Explanation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %s\n", e)
	if e.Source != policy.SourceNone {
		fmt.Fprintf(&b, "  source: %s\n", e.Source)
	}
	if len(e.Matched) == 0 {
		b.WriteString("  matched: none\n")
	}
	for _, m := range e.Matched {
		fmt.Fprintf(&b, "  matched: %s\n", m)
	}
	if len(e.MissingContextValues) > 0 {
		fmt.Fprintf(&b, "  missing context values: %s\n", strings.Join(e.MissingContextValues, ", "))
	}
	return b.String()
}

// check evaluates the case and returns every way the outcome differs from
// the expected one; nil means it agrees.
func (c *corpusCase) check(tb testing.TB) []string {
	tb.Helper()
	set, req := c.build(tb)
	res := set.Evaluate(req)
	exp := set.Explain(req)

	var diffs []string
	want := decisionNames[c.Expect.Decision]
	if res.Decision != want {
		diffs = append(diffs, fmt.Sprintf("Evaluate decision = %s, want %s", res.Decision, want))
	}
	if c.Expect.Reason != "" {
		if wr := reasonNames[c.Expect.Reason]; res.Reason != wr {
			diffs = append(diffs, fmt.Sprintf("Evaluate reason = %q, want %s (%q)", res.Reason, c.Expect.Reason, wr))
		}
	}
	if exp.Decision != res.Decision || exp.Reason != res.Reason || exp.Source != res.Source {
		diffs = append(diffs, fmt.Sprintf("Explain = (%s, %q, %s), Evaluate = (%s, %q, %s)",
			exp.Decision, exp.Reason, exp.Source, res.Decision, res.Reason, res.Source))
	}
	if c.Expect.MissingContextValues != nil {
		if d := cmp.Diff(*c.Expect.MissingContextValues, exp.MissingContextValues, cmpEmptyIsNil); d != "" {
			diffs = append(diffs, "MissingContextValues (-want +got):\n"+d)
		}
	}
	if len(diffs) > 0 {
		diffs = append(diffs, "doc: "+c.Doc, "Explain:\n"+formatExplanation(exp))
	}
	return diffs
}

var cmpEmptyIsNil = cmp.FilterValues(func(x, y []string) bool { return len(x) == 0 && len(y) == 0 }, cmp.Ignore())

// validate checks the case itself, before it is evaluated.
func (c *corpusCase) validate() error {
	switch {
	case c.Name == "":
		return fmt.Errorf("a case has no name")
	case !strings.HasPrefix(c.Doc, "https://docs.aws.amazon.com/"):
		return fmt.Errorf("doc %q: want the AWS documentation page the expected answer comes from", c.Doc)
	case c.Request.Principal == "" || c.Request.Action == "" || c.Request.Resource == "":
		return fmt.Errorf("request needs principal, action and resource")
	case c.file == "pending.json" && c.Pending == "":
		return fmt.Errorf("a pending case must say how the engine disagrees")
	case c.file != "pending.json" && c.Pending != "":
		return fmt.Errorf("pending is only for pending.json")
	}
	if _, ok := decisionNames[c.Expect.Decision]; !ok {
		return fmt.Errorf("expect.decision %q: want allowed, explicitDeny or implicitDeny", c.Expect.Decision)
	}
	if _, ok := reasonNames[c.Expect.Reason]; c.Expect.Reason != "" && !ok {
		return fmt.Errorf("expect.reason %q is not a policy.Reason constant", c.Expect.Reason)
	}
	return nil
}

func TestCorpus(t *testing.T) {
	names := map[string]string{}
	for _, file := range corpusFiles(t) {
		cases := loadCorpus(t, file)
		if len(cases) == 0 && filepath.Base(file) != "pending.json" {
			t.Errorf("%s: no cases", file)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) {
					if err := c.validate(); err != nil {
						t.Fatalf("%s: %q: %v", c.file, c.Name, err)
					}
					if prev, dup := names[c.Name]; dup {
						t.Fatalf("case name %q is also used in %s", c.Name, prev)
					}
					names[c.Name] = c.file
					diffs := c.check(t)
					if c.Pending != "" {
						if len(diffs) == 0 {
							t.Fatalf("pending case now agrees with AWS: move it from pending.json to its concept's file (%s)", c.Doc)
						}
						t.Skipf("engine disagrees: %s\n%s", c.Pending, strings.Join(diffs, "\n"))
					}
					if len(diffs) > 0 {
						t.Errorf("%s: %q\n%s", c.file, c.Name, strings.Join(diffs, "\n"))
					}
				})
			}
		})
	}
}
