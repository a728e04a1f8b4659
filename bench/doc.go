// Package bench compares iamkit's policy evaluation with Cedar (cedar-go) and
// OPA (Rego) on the same IAM scenarios. It is a nested module so that
// importers of iamkit never download either engine.
//
// Each scenario is written once, as AWS IAM JSON (scenario.go). iamkit
// evaluates it directly; cedar.go and opa.go translate the parsed documents
// into a Cedar policy set and into data for one generic Rego module
// (iam.rego). TestEnginesAgree checks that all three engines give the
// expected decision (allowed, explicit deny, implicit deny) for every request
// of every scenario; BenchmarkEngines/<scenario>/<engine> times them.
// BenchmarkParseCompile/<policy>/<engine> times what each engine does with a
// policy before its first decision (parse and compile, from IAM JSON, Cedar
// text or JSON, OPA data), with the heap a compiled copy retains;
// TestParseEquivalents checks that the compiled forms decide alike.
// README.md gives the commands, the results and how each scenario is
// expressed in each engine.
package bench
