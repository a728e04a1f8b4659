package bench

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iamkit/iamkit/policy"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/util"
)

// The OPA translation: iam.rego is one generic module and each scenario's
// statements are data under data.iam, normalised once: actions lower-cased
// and split into exact names, "*" and wildcard patterns (glob.match),
// resources into exact ARNs, prefixes (a single trailing *, matched with
// startswith), other globs (glob.match) and templates (patterns with policy
// variables, substituted from the request context before glob.match),
// Principal entries into role/user ARNs and accounts.

//go:embed iam.rego
var iamRego string

type opaEngine struct{}

func (opaEngine) Name() string { return "opa" }

type opaCompiled struct {
	query    rego.PreparedEvalQuery
	accounts bool // the rules read principal_account/resource_account
}

func (opaEngine) Compile(s *Scenario) (Compiled, error) {
	docs, err := loadDocuments(s)
	if err != nil {
		return nil, err
	}
	data, err := opaDataJSON(docs)
	if err != nil {
		return nil, err
	}
	q, err := opaPrepare(data)
	if err != nil {
		return nil, err
	}
	return &opaCompiled{query: q, accounts: docs.resource != nil}, nil
}

// opaDataJSON returns the data document of a scenario, {"iam": ...}, as the
// JSON a program would store and load.
func opaDataJSON(d *documents) ([]byte, error) {
	data, err := opaData(d)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"iam": data})
}

// opaPrepare is what OPA does before its first evaluation: decode the data
// document, put it in an in-memory store (converted to AST values once, no
// second JSON round trip: the decoded values are the store's alone), parse
// and compile iam.rego, and prepare the query.
func opaPrepare(data []byte) (rego.PreparedEvalQuery, error) {
	var doc map[string]any
	if err := util.UnmarshalJSON(data, &doc); err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	store := inmem.NewFromObjectWithOpts(doc, inmem.OptReturnASTValuesOnRead(true), inmem.OptRoundTripOnWrite(false))
	return rego.New(
		rego.Query("data.iam.decision"),
		rego.Module("iam.rego", iamRego),
		rego.Store(store),
	).PrepareForEval(context.Background())
}

func opaData(d *documents) (map[string]any, error) {
	data := map[string]any{}
	add := func(key string, docs []policy.Document) error {
		stmts, err := opaStatements(docs)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		data[key] = stmts
		return nil
	}
	if err := add("identity", d.identity); err != nil {
		return nil, err
	}
	if d.boundary != nil {
		if err := add("boundary", []policy.Document{*d.boundary}); err != nil {
			return nil, err
		}
	}
	if len(d.session) > 0 {
		if err := add("session", d.session); err != nil {
			return nil, err
		}
	}
	if d.resource != nil {
		if err := add("resource", []policy.Document{*d.resource}); err != nil {
			return nil, err
		}
	}
	if len(d.scps) > 0 {
		var levels []any
		for _, docs := range d.scps {
			stmts, err := opaStatements(docs)
			if err != nil {
				return nil, err
			}
			levels = append(levels, stmts)
		}
		data["scps"] = levels
	}
	return data, nil
}

func opaStatements(docs []policy.Document) ([]any, error) {
	out := []any{}
	for _, doc := range docs {
		for _, st := range doc.Statements {
			s, err := opaStatement(st)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func opaStatement(st policy.Statement) (map[string]any, error) {
	s := map[string]any{"effect": st.Effect.String(), "conditions": []any{}}
	set := map[string]any{}
	var globs []string
	for _, a := range append(st.Action, st.NotAction...) {
		switch {
		case a == "*" && len(st.NotAction) == 0:
			s["any_action"] = true
		case strings.ContainsAny(a, "*?"):
			globs = append(globs, strings.ToLower(a))
		default:
			set[strings.ToLower(a)] = true
		}
	}
	s["any_action"] = s["any_action"] == true
	s["not_action"] = len(st.NotAction) > 0
	if globs != nil {
		s["action_globs"] = globs
	}
	resources := st.Resource
	if len(st.NotResource) > 0 {
		resources = st.NotResource
		s["not_resource"] = true
	}
	var exact, prefixes, globbed []string
	var templates []any
	for _, r := range resources {
		switch {
		case r == "*":
			s["any_resource"] = true
		case strings.Contains(r, "$"):
			t, err := opaTemplate(r)
			if err != nil {
				return nil, err
			}
			templates = append(templates, t)
		case strings.IndexAny(r, "*?") == len(r)-1 && r[len(r)-1] == '*':
			prefixes = append(prefixes, r[:len(r)-1])
		case strings.ContainsAny(r, "*?"):
			globbed = append(globbed, r)
		default:
			exact = append(exact, r)
		}
	}
	for k, v := range map[string][]string{"resources": exact, "resource_prefixes": prefixes, "resource_globs": globbed} {
		if len(v) > 0 {
			s[k] = v
		}
	}
	if templates != nil {
		s["resource_templates"] = templates
	}
	s["action_set"] = set
	var conds []any
	if globs != nil || templates != nil || s["not_resource"] == true {
		// An extended statement (see iam.rego): its action and resource
		// tests move into a first condition.
		match := map[string]any{"ext": true, "op": "Match"}
		for _, k := range []string{"action_set", "any_action", "not_action", "action_globs", "not_resource",
			"any_resource", "resources", "resource_prefixes", "resource_globs", "resource_templates"} {
			if v, ok := s[k]; ok {
				match[k] = v
				delete(s, k)
			}
		}
		s["action_set"], s["any_action"], s["not_action"], s["any_resource"] = map[string]any{}, true, false, true
		conds = append(conds, match)
	}
	if st.NotPrincipal != nil {
		return nil, fmt.Errorf("NotPrincipal is not translated")
	}
	if p := st.Principal; p != nil {
		if len(p.Service)+len(p.Federated)+len(p.CanonicalUser) > 0 {
			return nil, fmt.Errorf("only AWS principals are translated")
		}
		pr := map[string]any{"arns": []string{}, "accounts": []string{}}
		var arns, accounts []string
		for _, a := range p.AWS {
			if a == "*" {
				pr["any"] = true
			} else if acct, ok := accountEntry(a); ok {
				accounts = append(accounts, acct)
			} else {
				arns = append(arns, a)
			}
		}
		if p.Wildcard {
			pr["any"] = true
		}
		if arns != nil {
			pr["arns"] = arns
		}
		if accounts != nil {
			pr["accounts"] = accounts
		}
		s["principal"] = pr
	}
	for _, c := range st.Condition {
		cond, err := opaCondition(c)
		if err != nil {
			return nil, err
		}
		conds = append(conds, cond)
	}
	if conds != nil {
		s["conditions"] = conds
	}
	return s, nil
}

// opaTemplate is a pattern with policy variables, resolved from the request
// context when evaluated: {"pattern": "...${aws:username}...", "vars":
// ["aws:username"]}.
func opaTemplate(v string) (map[string]any, error) {
	_, vars, err := splitVariables(v)
	if err != nil {
		return nil, err
	}
	return map[string]any{"pattern": v, "vars": vars}, nil
}

// opaComparisons are the suffixes of the Date and Numeric operators.
var opaComparisons = map[string]string{
	"GreaterThan": "gt", "GreaterThanEquals": "ge", "LessThan": "lt", "LessThanEquals": "le", "Equals": "eq",
}

// opaCondition is one condition as data: {"op", "key", "values"}, plus
// "templates" for values with policy variables, "if_exists" for
// ...IfExists, and for Date and Numeric operators "kind" ("date" or
// "number") and "cmp" with the values as numbers (dates in nanoseconds);
// "ext" marks a condition that needs the extended rules.
func opaCondition(c policy.Condition) (map[string]any, error) {
	op, ifExists := strings.CutSuffix(c.Operator, "IfExists")
	out := map[string]any{"op": op, "key": c.Key}
	if ifExists {
		out["if_exists"] = true
	}
	values := []any{}
	var templates []any
	switch {
	case op == "StringEquals" || op == "StringLike" || op == "ForAllValues:StringEquals" || op == "ForAnyValue:StringEquals":
		for _, v := range c.Values {
			if strings.Contains(v, "${") {
				t, err := opaTemplate(v)
				if err != nil {
					return nil, err
				}
				templates = append(templates, t)
			} else {
				values = append(values, v)
			}
		}
	case op == "StringNotEquals" || op == "IpAddress" || op == "NotIpAddress":
		for _, v := range c.Values {
			if strings.Contains(v, "${") {
				return nil, fmt.Errorf("%s value %q: policy variables are not translated", c.Operator, v)
			}
			values = append(values, v)
		}
	case op == "Bool":
		for _, v := range c.Values {
			values = append(values, strings.ToLower(v))
		}
	case strings.HasPrefix(op, "Date") && opaComparisons[op[4:]] != "":
		out["kind"], out["cmp"] = "date", opaComparisons[op[4:]]
		for _, v := range c.Values {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, fmt.Errorf("%s %q: only RFC 3339 dates are translated", op, v)
			}
			values = append(values, t.UnixNano())
		}
	case strings.HasPrefix(op, "Numeric") && opaComparisons[op[7:]] != "":
		out["kind"], out["cmp"] = "number", opaComparisons[op[7:]]
		for _, v := range c.Values {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("%s %q: not a number", op, v)
			}
			values = append(values, n)
		}
	default:
		return nil, fmt.Errorf("condition operator %s is not translated", c.Operator)
	}
	out["values"] = values
	if templates != nil {
		out["templates"] = templates
	}
	// What the plain condition rules cannot decide is extended (see
	// iam.rego).
	if ifExists || templates != nil || out["kind"] != nil || strings.Contains(op, ":") {
		out["ext"] = true
	}
	return out, nil
}

// Prepare builds the input document as a map, as a program that received the
// request's strings would, and converts it to an AST value once (what
// rego.EvalInput would do on every Eval).
func (c *opaCompiled) Prepare(r *Request) (Decider, error) {
	ctx := make(map[string]any, len(r.Context)+len(r.Lists))
	for k, v := range r.Context {
		ctx[k] = v
	}
	for k, vs := range r.Lists {
		list := make([]any, len(vs))
		for i, v := range vs {
			list[i] = v
		}
		ctx[k] = list
	}
	input := map[string]any{
		"principal": r.Principal,
		"action":    r.Action,
		"resource":  r.Resource,
		"context":   ctx,
	}
	if c.accounts {
		who, err := parseCaller(r.Principal)
		if err != nil {
			return nil, err
		}
		arns := []any{who.arn}
		if who.roleARN != "" {
			arns = append(arns, who.roleARN)
		}
		input["principal_arns"] = arns
		input["principal_account"] = who.account
		input["resource_account"] = resourceAccount(r, who)
	}
	v, err := ast.InterfaceToValue(input)
	if err != nil {
		return nil, err
	}
	return &opaDecider{query: &c.query, input: v}, nil
}

type opaDecider struct {
	query *rego.PreparedEvalQuery
	input ast.Value
}

func (d *opaDecider) Decide() (policy.Decision, error) {
	rs, err := d.query.Eval(context.Background(), rego.EvalParsedInput(d.input))
	if err != nil {
		return 0, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return 0, fmt.Errorf("opa: unexpected result %v", rs)
	}
	switch rs[0].Expressions[0].Value {
	case "allowed":
		return policy.Allowed, nil
	case "explicitDeny":
		return policy.ExplicitDeny, nil
	case "implicitDeny":
		return policy.ImplicitDeny, nil
	}
	return 0, fmt.Errorf("opa: unexpected decision %v", rs[0].Expressions[0].Value)
}
