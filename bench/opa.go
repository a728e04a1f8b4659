package bench

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/iamkit/iamkit/policy"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// The OPA translation: iam.rego is one generic module and each scenario's
// statements are data under data.iam, normalised once: actions lower-cased
// and split into exact names and "*", resources into exact ARNs, prefixes
// (a single trailing *, matched with startswith) and other globs
// (glob.match), Principal entries into role/user ARNs and accounts.

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
	data, err := opaData(docs)
	if err != nil {
		return nil, err
	}
	// A JSON round trip gives the plain types the store expects.
	raw, err := json.Marshal(map[string]any{"iam": data})
	if err != nil {
		return nil, err
	}
	var plain map[string]any
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, err
	}
	store := inmem.NewFromObjectWithOpts(plain, inmem.OptReturnASTValuesOnRead(true))
	q, err := rego.New(
		rego.Query("data.iam.decision"),
		rego.Module("iam.rego", iamRego),
		rego.Store(store),
	).PrepareForEval(context.Background())
	if err != nil {
		return nil, err
	}
	return &opaCompiled{query: q, accounts: docs.resource != nil}, nil
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
	for _, a := range append(st.Action, st.NotAction...) {
		switch {
		case a == "*" && len(st.NotAction) == 0:
			s["any_action"] = true
		case strings.ContainsAny(a, "*?"):
			return nil, fmt.Errorf("action %q: only exact actions and \"*\" are translated", a)
		default:
			set[strings.ToLower(a)] = true
		}
	}
	s["action_set"] = set
	s["any_action"] = s["any_action"] == true
	s["not_action"] = len(st.NotAction) > 0
	if len(st.NotResource) > 0 {
		return nil, fmt.Errorf("NotResource is not translated")
	}
	var exact, prefixes, globs []string
	for _, r := range st.Resource {
		switch {
		case r == "*":
			s["any_resource"] = true
		case strings.Contains(r, "$"):
			return nil, fmt.Errorf("resource %q: policy variables are not translated", r)
		case strings.IndexAny(r, "*?") == len(r)-1 && r[len(r)-1] == '*':
			prefixes = append(prefixes, r[:len(r)-1])
		case strings.ContainsAny(r, "*?"):
			globs = append(globs, r)
		default:
			exact = append(exact, r)
		}
	}
	for k, v := range map[string][]string{"resources": exact, "resource_prefixes": prefixes, "resource_globs": globs} {
		if len(v) > 0 {
			s[k] = v
		}
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
	var conds []any
	for _, c := range st.Condition {
		switch c.Operator {
		case "StringEquals", "StringNotEquals", "StringLike", "IpAddress", "NotIpAddress":
			conds = append(conds, map[string]any{"op": c.Operator, "key": c.Key, "values": c.Values})
		case "Bool":
			var vals []string
			for _, v := range c.Values {
				vals = append(vals, strings.ToLower(v))
			}
			conds = append(conds, map[string]any{"op": c.Operator, "key": c.Key, "values": vals})
		default:
			return nil, fmt.Errorf("condition operator %s is not translated", c.Operator)
		}
	}
	if conds != nil {
		s["conditions"] = conds
	}
	return s, nil
}

// Prepare builds the input document as a map, as a program that received the
// request's strings would, and converts it to an AST value once (what
// rego.EvalInput would do on every Eval).
func (c *opaCompiled) Prepare(r *Request) (Decider, error) {
	ctx := make(map[string]any, len(r.Context))
	for k, v := range r.Context {
		ctx[k] = v
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
