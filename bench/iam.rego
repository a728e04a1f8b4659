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
