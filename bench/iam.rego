# IAM policy evaluation, data-driven: the statements are data (data.iam,
# built from the IAM JSON by opa.go) and these rules iterate them. This is the
# idiomatic way to run many similar policies in OPA: one generic module, the
# policies as data, so adding a statement needs no recompilation.
#
# data.iam holds "identity", "boundary", "session" and "resource" (lists of
# statements, each absent when the set has no such policy) and "scps" (a list
# of levels, root first, each a list of statements).
package iam

default decision := "implicitDeny"

decision := "explicitDeny" if explicit_deny

decision := "allowed" if {
	not explicit_deny
	allowed
}

action := lower(input.action)

# An explicit Deny in any policy wins.
explicit_deny if denies(data.iam.identity)

explicit_deny if denies(data.iam.boundary)

explicit_deny if denies(data.iam.session)

explicit_deny if denies(data.iam.resource)

explicit_deny if {
	some level in data.iam.scps
	denies(level)
}

denies(statements) if {
	some s in statements
	s.effect == "Deny"
	applies(s)
}

grants(statements) if {
	some s in statements
	s.effect == "Allow"
	applies(s)
}

# Every SCP level, root to account, must allow.
scps_allow if not data.iam.scps

scps_allow if {
	every level in data.iam.scps {
		grants(level)
	}
}

boundary_allows if not data.iam.boundary

boundary_allows if grants(data.iam.boundary)

session_allows if not data.iam.session

session_allows if grants(data.iam.session)

identity_allows if {
	grants(data.iam.identity)
	boundary_allows
	session_allows
}

cross_account if input.principal_account != input.resource_account

# Same account: the identity side or a resource-policy grant naming the
# caller (not its account, which only delegates) suffices; the boundary and
# the session policies limit both.
allowed if {
	scps_allow
	not cross_account
	identity_allows
}

allowed if {
	scps_allow
	not cross_account
	some s in data.iam.resource
	s.effect == "Allow"
	applies(s)
	names_caller(s)
	boundary_allows
	session_allows
}

# Cross-account: both sides must allow.
allowed if {
	scps_allow
	cross_account
	identity_allows
	grants(data.iam.resource)
}

# action_set holds the statement's Action (or NotAction) names, lower-cased;
# any_action is true for "*", not_action for NotAction.
applies(s) if {
	object.get(s.action_set, action, s.any_action) != s.not_action
	resource_matches(s)
	principal_matches(s)
	every c in s.conditions {
		condition_holds(c)
	}
}

# An extended statement has what the rules above cannot match: wildcard
# actions (action_globs), NotResource (not_resource) or resources with
# policy variables (resource_templates). The translation then lets the
# action and resource tests above pass (any_action, any_resource) and
# puts the real ones in a first condition, {"ext": true, "op": "Match", ...},
# so that plain statements cost what they did before the extensions.
ext_condition_holds(m) if {
	m.op == "Match"
	ext_action_listed(m) != m.not_action
	ext_resource_applies(m)
}

ext_action_listed(m) := true if {
	some g in m.action_globs
	glob.match(g, null, action)
} else := object.get(m.action_set, action, m.any_action)

ext_resource_applies(m) if {
	not m.not_resource
	ext_resource_matches(m)
}

ext_resource_applies(m) if {
	m.not_resource
	not ext_resource_matches(m)
}

ext_resource_matches(m) if resource_matches(m)

ext_resource_matches(m) if {
	some t in m.resource_templates
	glob.match(resolve(t), null, input.resource)
}

# resolve substitutes a template's policy variables from the request
# context; it is undefined when one of them is missing, so the template
# matches nothing, as in IAM.
resolve(t) := strings.replace_n({sprintf("${%s}", [k]): input.context[k] | some k in t.vars}, t.pattern) if {
	every k in t.vars {
		is_string(input.context[k])
	}
}

resource_matches(s) if s.any_resource

resource_matches(s) if input.resource in s.resources

resource_matches(s) if {
	some p in s.resource_prefixes
	startswith(input.resource, p)
}

resource_matches(s) if {
	some g in s.resource_globs
	glob.match(g, null, input.resource)
}

principal_matches(s) if not s.principal

principal_matches(s) if s.principal.any

principal_matches(s) if names_caller(s)

principal_matches(s) if input.principal_account in s.principal.accounts

names_caller(s) if s.principal.any

names_caller(s) if {
	some arn in s.principal.arns
	arn in input.principal_arns
}

# Conditions. A missing key makes a positive operator false and a negated
# one true, as in IAM.
condition_holds(c) if {
	c.op == "StringEquals"
	input.context[c.key] in c.values
}

condition_holds(c) if {
	c.op == "StringNotEquals"
	not input.context[c.key] in c.values
}

# The body above does not hold when the key is missing ("not x in y" with x
# undefined is not true in OPA), so a missing key needs its own body.
condition_holds(c) if {
	c.op == "StringNotEquals"
	not input.context[c.key]
}

condition_holds(c) if {
	c.op == "StringLike"
	some p in c.values
	glob.match(p, null, input.context[c.key])
}

condition_holds(c) if {
	c.op == "Bool"
	lower(input.context[c.key]) in c.values
}

condition_holds(c) if {
	c.op == "IpAddress"
	in_range(c)
}

condition_holds(c) if {
	c.op == "NotIpAddress"
	not in_range(c)
}

in_range(c) if {
	some cidr in c.values
	net.cidr_contains(cidr, input.context[c.key])
}

# Extended conditions (ext): ...IfExists (if_exists), values with policy
# variables (templates), the set operators, Date and Numeric operators.
# Plain conditions fail this body at its first line.
condition_holds(c) if {
	c.ext
	ext_condition_holds(c)
}

ext_condition_holds(c) if {
	c.if_exists
	object.get(input.context, c.key, null) == null
}

ext_condition_holds(c) if {
	c.op == "StringEquals"
	some t in c.templates
	input.context[c.key] == resolve(t)
}

ext_condition_holds(c) if {
	c.op == "StringLike"
	some t in c.templates
	glob.match(resolve(t), null, input.context[c.key])
}

# Set operators: a single-valued key is a set of one, an absent key the
# empty set.
ext_condition_holds(c) if {
	c.op == "ForAllValues:StringEquals"
	every v in request_values(c.key) {
		v in all_values(c)
	}
}

ext_condition_holds(c) if {
	c.op == "ForAnyValue:StringEquals"
	some v in request_values(c.key)
	v in all_values(c)
}

# Date and Numeric operators: the values are numbers (dates in
# nanoseconds), cmp says which comparison.
ext_condition_holds(c) if {
	c.kind == "date"
	t := time.parse_rfc3339_ns(input.context[c.key])
	some v in c.values
	compare(c.cmp, t, v)
}

ext_condition_holds(c) if {
	c.kind == "number"
	n := to_number(input.context[c.key])
	some v in c.values
	compare(c.cmp, n, v)
}

compare("gt", a, b) if a > b

compare("ge", a, b) if a >= b

compare("lt", a, b) if a < b

compare("le", a, b) if a <= b

compare("eq", a, b) if a == b

request_values(k) := v if {
	v := input.context[k]
	is_array(v)
} else := [v] if {
	v := input.context[k]
} else := []

all_values(c) := array.concat(c.values, [r | some t in object.get(c, "templates", []); r := resolve(t)])
