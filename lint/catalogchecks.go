package lint

import (
	"fmt"
	"strings"

	"github.com/iamkit/iamkit/catalog"
)

// Pages of the catalogue checks.
const (
	pageSAR       = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"
	pageOperators = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
)

// catalogChecks checks a statement against AWS's service reference
// (package catalog): the services and actions it names, the condition keys
// it tests and the operators it tests them with, and the resources its
// actions can take.
func (c *checker) catalogChecks(s *statement) {
	var known []catalog.Action // the actions of the statement the catalogue knows
	for _, a := range s.action {
		acts, ok := c.action(s, a)
		if ok {
			known = append(known, acts...)
		}
	}
	for _, a := range s.notAction {
		c.action(s, a)
	}
	for _, cd := range s.conditions {
		c.conditionKey(s, cd, known)
	}
	if len(known) > 0 && len(s.action) > 0 {
		c.resources(s, known)
	}
}

// action checks one Action value: its service must exist and the action
// (or, for a pattern, some action) in it. It returns the actions it names.
func (c *checker) action(s *statement, a located) ([]catalog.Action, bool) {
	if a.s == "*" {
		return nil, false
	}
	svc, name, ok := strings.Cut(a.s, ":")
	if !ok {
		return nil, false // policy.Validate reports the shape
	}
	if strings.ContainsAny(svc, "*?") {
		return nil, false
	}
	service, ok := catalog.LookupService(strings.ToLower(svc))
	if !ok {
		c.add(Error, "INVALID_SERVICE_IN_ACTION", s.index, stmtPath(s, "Action"), a.pos,
			fmt.Sprintf("the service %q of %q does not exist", svc, a.s), didYouMean(svc, servicePrefixes(), "use a service prefix of the Service Authorization Reference"), pageSAR)
		return nil, false
	}
	if strings.ContainsAny(name, "*?") {
		acts := catalog.Expand(a.s)
		if len(acts) == 0 {
			c.add(Warning, "UNKNOWN_ACTION", s.index, stmtPath(s, "Action"), a.pos,
				fmt.Sprintf("%q matches no action of %s", a.s, service.Prefix()), "check the pattern against the service's actions", pageSAR)
		}
		return acts, len(acts) > 0
	}
	act, ok := catalog.Lookup(a.s)
	if !ok {
		var names []string
		for _, x := range service.Actions() {
			names = append(names, x.Name())
		}
		fix := didYouMean(name, names, "use an action of "+service.Prefix())
		c.add(Warning, "UNKNOWN_ACTION", s.index, stmtPath(s, "Action"), a.pos,
			fmt.Sprintf("the action %q does not exist in %s", a.s, service.Prefix()), strings.Replace(fix, `"`, `"`+service.Prefix()+":", 1), pageSAR)
		return nil, false
	}
	return []catalog.Action{act}, true
}

// conditionKey checks a condition's key: a service key must exist, fit
// some action of the statement, and be tested with an operator of its
// type; a set operator needs a multivalued key, and Null takes no
// IfExists.
func (c *checker) conditionKey(s *statement, cd cond, acts []catalog.Action) {
	if cd.base() == "Null" && cd.ifExists() {
		c.add(Error, "NULL_IF_EXISTS", s.index, stmtPath(s, "Condition"), cd.pos,
			"the Null operator has no IfExists form: it already tests whether the key is present", `use "Null"`, pageOperators)
	}
	prefix, _, ok := strings.Cut(cd.key, ":")
	if !ok || strings.EqualFold(prefix, "aws") {
		// Global keys are not in the catalogue's data (see package
		// catalog); their types are not checked here.
		key, found := catalog.ConditionKey(cd.key)
		if found {
			c.keyType(s, cd, key)
		}
		return
	}
	if _, known := catalog.LookupService(strings.ToLower(prefix)); !known {
		return // an identity provider's keys (accounts.google.com:aud, saml:sub...)
	}
	key, found := catalog.ConditionKey(cd.key)
	if !found {
		c.add(Error, "INVALID_SERVICE_CONDITION_KEY", s.index, stmtPath(s, "Condition"), cd.pos,
			fmt.Sprintf("the condition key %q does not exist in %s", cd.key, strings.ToLower(prefix)), "use a condition key the service defines", pageSAR)
		return
	}
	if len(acts) > 0 {
		fits := false
		for _, a := range acts {
			if a.HasConditionKey(cd.key) {
				fits = true
				break
			}
		}
		if !fits {
			c.add(Warning, "CONDITION_KEY_NOT_FOR_ACTIONS", s.index, stmtPath(s, "Condition"), cd.pos,
				fmt.Sprintf("no action of the statement supports %q, so requests never have it: the condition is false, or true for a negated operator or IfExists", cd.key),
				"move the condition to a statement of actions that support it", pageSAR)
		}
	}
	c.keyType(s, cd, key)
}

// keyType checks the operator against the key's type.
func (c *checker) keyType(s *statement, cd cond, key catalog.Key) {
	typ := key.Type()
	if q := cd.qualifier(); q != "" && !typ.IsArray() && !singleValued[strings.ToLower(cd.key)] {
		c.add(SecurityWarning, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", s.index, stmtPath(s, "Condition"), cd.pos,
			fmt.Sprintf("%s with %s, a single-valued key (%s)", q, cd.key, typ), "drop "+q+":", pageMultivalued)
	}
	family := operatorFamily(cd.base())
	if family == "" {
		return
	}
	if ok := fitsType(family, typ.Elem()); !ok {
		c.add(Error, "CONDITION_TYPE_MISMATCH", s.index, stmtPath(s, "Condition"), cd.pos,
			fmt.Sprintf("%s compares %s values, but %s is of type %s", cd.op, family, cd.key, typ),
			"use an operator for "+string(typ.Elem())+" values", pageOperators)
	}
}

// operatorFamily is the type of values an operator compares.
func operatorFamily(op string) string {
	switch {
	case strings.HasPrefix(op, "String"):
		return "String"
	case strings.HasPrefix(op, "Numeric"):
		return "Numeric"
	case strings.HasPrefix(op, "Date"):
		return "Date"
	case op == "Bool":
		return "Bool"
	case op == "IpAddress" || op == "NotIpAddress":
		return "IPAddress"
	case strings.HasPrefix(op, "Arn"):
		return "ARN"
	case strings.HasPrefix(op, "Binary"):
		return "Binary"
	}
	return ""
}

// fitsType reports whether an operator family fits a key type, as
// reference_policies_elements_condition_operators.html pairs them: String
// operators also take ARN keys (AWS recommends Arn operators, but String
// ones work), Arn operators only ARN keys.
func fitsType(family string, t catalog.KeyType) bool {
	switch family {
	case "String":
		return t == catalog.TypeString || t == catalog.TypeARN
	case "ARN":
		return t == catalog.TypeARN
	}
	return string(t) == family
}

// resources checks that each Resource fits some resource type of some
// action of the statement.
func (c *checker) resources(s *statement, acts []catalog.Action) {
	for _, r := range s.resource {
		if r.s == "*" || !strings.HasPrefix(r.s, "arn:") {
			continue
		}
		fits, anyTypes := false, false
		for _, a := range acts {
			if len(a.ResourceTypes()) == 0 {
				fits = true // an action of no resource type takes "*" only; others may still fit
				break
			}
			anyTypes = true
			if len(catalog.MatchResourceType(a, r.s)) > 0 {
				fits = true
				break
			}
		}
		if anyTypes && !fits {
			c.add(Warning, "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", s.index, stmtPath(s, "Resource"), r.pos,
				fmt.Sprintf("%q fits no resource type of the statement's actions, so the statement grants nothing on it", r.s),
				"check the ARN's service, resource type and path against the actions' resource types", pageSAR)
		}
	}
}

func servicePrefixes() []string {
	var out []string
	for _, s := range catalog.Services() {
		out = append(out, s.Prefix())
	}
	return out
}

// didYouMean suggests the nearest of names to s (case-insensitive edit
// distance), when one is close enough, or says otherwise.
func didYouMean(s string, names []string, otherwise string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, n := range names {
		if d := editDistance(ls, strings.ToLower(n), bestD); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" && bestD <= max(2, len(s)/4) {
		return fmt.Sprintf("did you mean %q?", best)
	}
	return otherwise
}

// editDistance is the Levenshtein distance of a and b, or a value >= limit
// once it must be (names are short; the rows are reused).
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
