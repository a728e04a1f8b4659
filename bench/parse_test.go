package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/iamkit/iamkit/policy"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/util"
)

// The parse and compile comparison: what each engine does with a policy
// before it can decide its first request.
//
//   - iamkit: policy.ParseWithOptions of the IAM JSON (parse, validate,
//     compile) into a *policy.Policy.
//   - cedar-text: the Cedar translation as a policy file,
//     cedar.NewPolicyListFromBytes (parse and compile every policy) and a
//     PolicySet keyed by each policy's @id annotation.
//   - cedar-json: the same policy set in Cedar's JSON policy format,
//     PolicySet.UnmarshalJSON (decode and compile).
//   - opa: the data document of iam.rego as JSON, decoded into an
//     in-memory store, and rego.New(...).PrepareForEval, which parses and
//     compiles iam.rego and plans the query: a cold start.
//   - opa-data: the same with iam.rego compiled once beforehand and shared
//     (rego.Compiler): what a new policy set costs a running OPA in the
//     data-driven style, where policies are data and the module is fixed.
//
// The translations to Cedar and to OPA's data are made once, outside the
// timed loop, by cedar.go and opa.go, the same code TestEnginesAgree checks.

// parsePolicyDir holds the policies of policy.BenchmarkParsePolicy, which this
// comparison reuses so that its iamkit figures and the main module's agree.
var parsePolicyDir = filepath.Join("..", "policy", "testdata")

// A parseCase is one policy in each engine's input form, and requests that
// every engine's compiled form must decide alike.
type parseCase struct {
	name      string // "<what>-<bytes of IAM JSON>B"
	iam       []byte
	opt       policy.Options
	cedar     []byte // Cedar policy text
	cedarJSON []byte // Cedar JSON policy set
	opaData   []byte // data.json for iam.rego
	requests  []parseRequest
}

// parseRequest is a request and its decision. cedarLooser marks a request
// that IAM denies but the Cedar translation allows, because a policy
// variable inside a pattern becomes * there (see cedar.go).
type parseRequest struct {
	Request
	cedarLooser bool
}

// parseEngine is one engine's compile step, on that engine's input.
type parseEngine struct {
	name  string
	input func(*parseCase) []byte
	// extra counts the bytes parsed besides the input (iam.rego).
	extra   int
	compile func(pc *parseCase, in []byte) (any, error)
	// compiled wraps a compile result to decide requests.
	compiled func(pc *parseCase, v any) Compiled
}

var parseEngines = []parseEngine{
	{
		name:  "iamkit",
		input: func(pc *parseCase) []byte { return pc.iam },
		compile: func(pc *parseCase, in []byte) (any, error) {
			return policy.ParseWithOptions(in, policy.Identity, pc.opt)
		},
		compiled: func(_ *parseCase, v any) Compiled {
			return &iamkitCompiled{set: &policy.Set{Identity: []*policy.Policy{v.(*policy.Policy)}}}
		},
	},
	{
		name:    "cedar-text",
		input:   func(pc *parseCase) []byte { return pc.cedar },
		compile: func(_ *parseCase, in []byte) (any, error) { return cedarSetFromText(in) },
		compiled: func(pc *parseCase, v any) Compiled {
			return newCedarCompiled(v.(*cedar.PolicySet), string(pc.cedar))
		},
	},
	{
		name:    "cedar-json",
		input:   func(pc *parseCase) []byte { return pc.cedarJSON },
		compile: func(_ *parseCase, in []byte) (any, error) { return cedarSetFromJSON(in) },
		compiled: func(pc *parseCase, v any) Compiled {
			return newCedarCompiled(v.(*cedar.PolicySet), string(pc.cedar))
		},
	},
	{
		name:  "opa",
		input: func(pc *parseCase) []byte { return pc.opaData },
		extra: len(iamRego),
		compile: func(_ *parseCase, in []byte) (any, error) {
			q, err := opaPrepare(in)
			return &q, err
		},
		compiled: func(_ *parseCase, v any) Compiled {
			return &opaCompiled{query: *v.(*rego.PreparedEvalQuery)}
		},
	},
	{
		name:  "opa-data",
		input: func(pc *parseCase) []byte { return pc.opaData },
		compile: func(_ *parseCase, in []byte) (any, error) {
			q, err := opaPrepareData(in)
			return &q, err
		},
		compiled: func(_ *parseCase, v any) Compiled {
			return &opaCompiled{query: *v.(*rego.PreparedEvalQuery)}
		},
	},
}

// iamCompiler is iam.rego, parsed and compiled once.
var iamCompiler = sync.OnceValues(func() (*ast.Compiler, error) {
	return ast.CompileModules(map[string]string{"iam.rego": iamRego})
})

// opaPrepareData is opaPrepare with iam.rego already compiled: decode the
// data document into a store and prepare the query against it.
func opaPrepareData(data []byte) (rego.PreparedEvalQuery, error) {
	c, err := iamCompiler()
	if err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	var doc map[string]any
	if err := util.UnmarshalJSON(data, &doc); err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	store := inmem.NewFromObjectWithOpts(doc, inmem.OptReturnASTValuesOnRead(true), inmem.OptRoundTripOnWrite(false))
	return rego.New(
		rego.Query("data.iam.decision"),
		rego.Compiler(c),
		rego.Store(store),
	).PrepareForEval(context.Background())
}

// parseCases returns the five policies of policy.BenchmarkParsePolicy, by
// size, translated for Cedar and OPA.
func parseCases(tb testing.TB) []*parseCase {
	tb.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(parsePolicyDir, "parse", name))
		if err != nil {
			tb.Fatal(err)
		}
		return data
	}
	cases := []*parseCase{
		{name: "1-statement", iam: []byte(oneStatementPolicy), requests: oneStatementRequests()},
		{name: "5-statements", iam: identity5Policy(tb), requests: identity5Requests()},
		{name: "typical", iam: read("typical.json"), requests: typicalRequests()},
		{name: "100-statements", iam: generatedPolicy(100), opt: policy.Options{MaxSize: -1}, requests: generatedRequests()},
		{name: "role", iam: read("role-10k.json"), opt: policy.Options{MaxSize: 10240}, requests: roleRequests()},
	}
	for _, pc := range cases {
		pc.name = fmt.Sprintf("%s-%dB", pc.name, len(pc.iam))
		s := &Scenario{Name: pc.name, Identity: []string{string(pc.iam)}, maxSizeOff: true}
		text, err := CedarSource(s)
		if err != nil {
			tb.Fatalf("%s: Cedar translation: %v", pc.name, err)
		}
		pc.cedar = []byte(text)
		set, err := cedarSetFromText(pc.cedar)
		if err != nil {
			tb.Fatalf("%s: %v\n%s", pc.name, err, text)
		}
		if pc.cedarJSON, err = set.MarshalJSON(); err != nil {
			tb.Fatal(err)
		}
		docs, err := loadDocuments(s)
		if err != nil {
			tb.Fatal(err)
		}
		if pc.opaData, err = opaDataJSON(docs); err != nil {
			tb.Fatalf("%s: OPA translation: %v", pc.name, err)
		}
	}
	return cases
}

const oneStatementPolicy = `{"Version":"2012-10-17","Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::corp-data/*"}}`

// identity5Policy is the identity policy of the corpus case "bench:
// identity-5", as written in the corpus file.
func identity5Policy(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(parsePolicyDir, "corpus", "bench.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []struct {
		Name             string            `json:"name"`
		IdentityPolicies []json.RawMessage `json:"identityPolicies"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatal(err)
	}
	for _, c := range cases {
		if c.Name == "bench: identity-5" {
			return c.IdentityPolicies[0]
		}
	}
	tb.Fatal(`bench.json has no case "bench: identity-5"`)
	return nil
}

// generatedPolicy is policy.generatedPolicy, the 100-statement case of
// policy.BenchmarkParsePolicy: n statements, each allowing two S3 actions on
// its own bucket under a principal-tag condition.
func generatedPolicy(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`, i, i)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// kv builds a context map from alternating keys and values.
func kv(pairs ...string) map[string]string {
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

func req(name, action, resource string, ctx map[string]string, want policy.Decision) parseRequest {
	return parseRequest{Request: Request{Name: name, Principal: alice, Action: action, Resource: resource, Context: ctx, Want: want}}
}

func oneStatementRequests() []parseRequest {
	return []parseRequest{
		req("allowed", "s3:GetObject", "arn:aws:s3:::corp-data/reports/q3.csv", nil, policy.Allowed),
		req("other action", "s3:PutObject", "arn:aws:s3:::corp-data/reports/q3.csv", nil, policy.ImplicitDeny),
		req("other bucket", "s3:GetObject", "arn:aws:s3:::corp-logs/x", nil, policy.ImplicitDeny),
	}
}

func identity5Requests() []parseRequest {
	home := "arn:aws:s3:::corp-home/home/alice/notes.txt"
	inside := kv("aws:SourceIp", "203.0.113.5", "aws:ViaAWSService", "false", "aws:RequestedRegion", "us-east-1",
		"aws:username", "alice", "aws:PrincipalTag/team", "blue")
	outside := kv("aws:SourceIp", "192.0.2.10", "aws:ViaAWSService", "false", "aws:username", "alice")
	tagged := req("home folder (the corpus request)", "s3:PutObject", home, inside, policy.Allowed)
	tagged.Lists = map[string][]string{"aws:TagKeys": {"project"}}
	untagged := req("home folder, other tag key", "s3:PutObject", home, inside, policy.ImplicitDeny)
	untagged.Lists = map[string][]string{"aws:TagKeys": {"cost-center"}}
	bob := tagged
	bob.Name, bob.Resource, bob.Want, bob.cedarLooser = "bob's home folder", "arn:aws:s3:::corp-home/home/bob/notes.txt", policy.ImplicitDeny, true
	secret := "arn:aws:secretsmanager:us-east-1:111122223333:secret:team/db-AbCdEf"
	return []parseRequest{
		tagged,
		untagged,
		bob,
		req("S3 outside the corporate network", "s3:GetObject", home, outside, policy.ExplicitDeny),
		req("team secret", "secretsmanager:GetSecretValue", secret, kv("aws:ResourceTag/team", "blue", "aws:PrincipalTag/team", "blue"), policy.Allowed),
		req("other team's secret", "secretsmanager:GetSecretValue", secret, kv("aws:ResourceTag/team", "red", "aws:PrincipalTag/team", "blue"), policy.ImplicitDeny),
		req("describe", "ec2:DescribeInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc", kv("aws:RequestedRegion", "us-east-1"), policy.Allowed),
		req("describe, other region", "ec2:DescribeInstances", "arn:aws:ec2:ap-south-1:111122223333:instance/i-0abc", kv("aws:RequestedRegion", "ap-south-1"), policy.ImplicitDeny),
	}
}

func typicalRequests() []parseRequest {
	home := "arn:aws:s3:::corp-home/home/alice/notes.txt"
	office := kv("aws:SourceIp", "203.0.113.5", "aws:username", "alice")
	encrypted := kv("aws:SourceIp", "203.0.113.5", "aws:username", "alice", "s3:x-amz-server-side-encryption", "aws:kms")
	bob := req("bob's home folder", "s3:GetObject", "arn:aws:s3:::corp-home/home/bob/notes.txt", office, policy.ImplicitDeny)
	bob.cedarLooser = true
	table := "arn:aws:dynamodb:us-east-1:111122223333:table/app-orders"
	ownKeys := req("own tenant's items", "dynamodb:Query", table, kv("aws:PrincipalTag/tenant", "t1"), policy.Allowed)
	ownKeys.Lists = map[string][]string{"dynamodb:LeadingKeys": {"t1"}}
	otherKeys := req("another tenant's items", "dynamodb:Query", table, kv("aws:PrincipalTag/tenant", "t1"), policy.ImplicitDeny)
	otherKeys.Lists = map[string][]string{"dynamodb:LeadingKeys": {"t1", "t2"}}
	return []parseRequest{
		req("read home folder", "s3:GetObject", home, office, policy.Allowed),
		req("unencrypted upload", "s3:PutObject", home, office, policy.ExplicitDeny),
		req("encrypted upload", "s3:PutObject", home, encrypted, policy.Allowed),
		req("home folder from outside", "s3:GetObject", home, kv("aws:SourceIp", "192.0.2.10", "aws:username", "alice"), policy.ImplicitDeny),
		bob,
		req("list home", "s3:ListBucket", "arn:aws:s3:::corp-home", kv("s3:prefix", "home/alice/docs/", "aws:username", "alice"), policy.Allowed),
		req("list other home", "s3:ListBucket", "arn:aws:s3:::corp-home", kv("s3:prefix", "hr/", "aws:username", "alice"), policy.ImplicitDeny),
		ownKeys,
		otherKeys,
		req("describe", "ec2:DescribeInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc",
			kv("aws:RequestedRegion", "eu-west-1", "aws:SecureTransport", "true"), policy.Allowed),
		req("IAM change", "iam:CreateUser", "arn:aws:iam::111122223333:user/mallory", kv("aws:CurrentTime", "2025-06-01T00:00:00Z"), policy.ExplicitDeny),
		req("IAM change before 2024", "iam:CreateUser", "arn:aws:iam::111122223333:user/mallory", kv("aws:CurrentTime", "2023-06-01T00:00:00Z"), policy.ImplicitDeny),
	}
}

func generatedRequests() []parseRequest {
	return []parseRequest{
		req("team blue", "s3:GetObject", "arn:aws:s3:::bucket-98/x", kv("aws:PrincipalTag/team", "blue"), policy.Allowed),
		req("team red", "s3:GetObject", "arn:aws:s3:::bucket-98/x", kv("aws:PrincipalTag/team", "red"), policy.ImplicitDeny),
		req("no such bucket", "s3:PutObject", "arn:aws:s3:::bucket-100/x", kv("aws:PrincipalTag/team", "blue"), policy.ImplicitDeny),
	}
}

func roleRequests() []parseRequest {
	data := "arn:aws:s3:::app-prod-data/blue/report.csv"
	fn := "arn:aws:lambda:us-east-1:111122223333:function:app-prod-api"
	team := func(more ...string) map[string]string {
		return kv(append([]string{"aws:PrincipalTag/team", "blue", "s3:x-amz-server-side-encryption", "aws:kms"}, more...)...)
	}
	otherTeam := req("other team's data", "s3:GetObject", "arn:aws:s3:::app-prod-data/red/report.csv", team(), policy.ImplicitDeny)
	otherTeam.cedarLooser = true
	return []parseRequest{
		req("team data", "s3:GetObject", data, team(), policy.Allowed),
		req("team data, stale MFA", "s3:GetObject", data, team("aws:MultiFactorAuthPresent", "false", "aws:MultiFactorAuthAge", "7200"), policy.ExplicitDeny),
		req("team data, MFA", "s3:GetObject", data, team("aws:MultiFactorAuthPresent", "true", "aws:MultiFactorAuthAge", "7200"), policy.Allowed),
		otherTeam,
		req("after 2030", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
			kv("kms:ViaService", "s3.us-east-1.amazonaws.com", "aws:CurrentTime", "2031-01-01T00:00:00Z"), policy.ExplicitDeny),
		req("invoke from the VPC", "lambda:InvokeFunction", fn, kv("aws:SourceIp", "10.1.2.3"), policy.Allowed),
		req("invoke from outside", "lambda:InvokeFunction", fn, kv("aws:SourceIp", "203.0.113.5"), policy.ImplicitDeny),
		req("describe", "ec2:DescribeInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc", kv("aws:RequestedRegion", "eu-west-1"), policy.Allowed),
	}
}

// TestParseEquivalents compiles every parse case with every engine, from the
// input the benchmark times, and checks that each compiled form decides
// every request of the case as IAM does (save the requests marked
// cedarLooser, which Cedar must allow), so that the engines compile
// equivalent policies.
func TestParseEquivalents(t *testing.T) {
	for _, pc := range parseCases(t) {
		t.Run(pc.name, func(t *testing.T) {
			var allowed, denied bool
			for _, r := range pc.requests {
				allowed = allowed || r.Want == policy.Allowed
				denied = denied || r.Want != policy.Allowed
			}
			if !allowed || !denied {
				t.Fatal("a case needs an allowed and a denied request")
			}
			for _, e := range parseEngines {
				v, err := e.compile(pc, e.input(pc))
				if err != nil {
					t.Fatalf("%s: %v", e.name, err)
				}
				c := e.compiled(pc, v)
				for _, r := range pc.requests {
					want := r.Want
					if r.cedarLooser && strings.HasPrefix(e.name, "cedar") {
						want = policy.Allowed
					}
					d, err := c.Prepare(&r.Request)
					if err != nil {
						t.Fatalf("%s: %s: %v", e.name, r.Name, err)
					}
					if got, err := d.Decide(); err != nil {
						t.Errorf("%s: %s: %v", e.name, r.Name, err)
					} else if got != want {
						t.Errorf("%s: %s: got %v, want %v", e.name, r.Name, got, want)
					}
				}
			}
			t.Logf("input bytes: IAM JSON %d, Cedar text %d, Cedar JSON %d, OPA data %d (+ iam.rego %d)",
				len(pc.iam), len(pc.cedar), len(pc.cedarJSON), len(pc.opaData), len(iamRego))
		})
	}
}

// TestParseCasesAreThePolicyBenchmarks checks that the typical case is the
// bench's typicalPolicy, byte for byte.
func TestParseCasesAreThePolicyBenchmarks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(parsePolicyDir, "parse", "typical.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, []byte(typicalPolicy)) {
		t.Error("policy/testdata/parse/typical.json differs from typicalPolicy")
	}
}

// BenchmarkParseCompile times each engine's compile step per policy size
// (ParseCompile/<case>/<engine>) and reports, as retained-B, the heap one
// compiled copy keeps alive, measured over 100 copies held at once.
// SetBytes is the size of what the engine parses (IAM JSON, Cedar text,
// Cedar JSON, OPA data and, for opa, iam.rego); the case name gives the
// IAM JSON's.
func BenchmarkParseCompile(b *testing.B) {
	for _, pc := range parseCases(b) {
		b.Run(pc.name, func(b *testing.B) {
			for _, e := range parseEngines {
				b.Run(e.name, func(b *testing.B) {
					in := e.input(pc)
					if _, err := e.compile(pc, in); err != nil {
						b.Fatal(err)
					}
					retained := retainedPerCopy(b, in, func(in []byte) (any, error) { return e.compile(pc, in) })
					b.SetBytes(int64(len(in) + e.extra))
					b.ReportAllocs()
					for b.Loop() {
						if _, err := e.compile(pc, in); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(retained, "retained-B")
				})
			}
		})
	}
}

// retainedPerCopy returns the live heap per compiled copy while 100 copies,
// each compiled from its own copy of the input, are held. An input copy
// counts only if the compiled form keeps it alive.
func retainedPerCopy(tb testing.TB, in []byte, compile func([]byte) (any, error)) float64 {
	const n = 100
	keep := make([]any, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range keep {
		v, err := compile(bytes.Clone(in))
		if err != nil {
			tb.Fatal(err)
		}
		keep[i] = v
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
}
