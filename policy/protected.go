package policy

import (
	"strings"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

// ProtectionRule names one rule by which AWS refuses changes to resources
// that AWS owns, whatever the policies allow. The zero value,
// ProtectionNone, means no rule applied.
type ProtectionRule uint8

// Protection rules, in the order [Protected] tries them.
const (
	ProtectionNone ProtectionRule = iota
	// ProtectionAWSManagedPolicy: AWS managed policies
	// (arn:PARTITION:iam::aws:policy/...) cannot be created, changed,
	// tagged or deleted.
	ProtectionAWSManagedPolicy
	// ProtectionIdentityCenterRole: the roles IAM Identity Center creates
	// for permission sets (role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*,
	// also with a region segment before the name) are modified only by AWS.
	ProtectionIdentityCenterRole
	// ProtectionServiceLinkedRole: the trust and permissions policies of a
	// service-linked role (role/aws-service-role/...) belong to its service,
	// and the role is deleted only with iam:DeleteServiceLinkedRole.
	ProtectionServiceLinkedRole
	// ProtectionAWSManagedKeyAlias: the aliases of AWS managed KMS keys
	// (alias/aws/...) cannot be created, updated or deleted.
	ProtectionAWSManagedKeyAlias
)

// protection is one row of the protections table.
type protection struct {
	name    string   // short name, as simulate prints it
	service string   // the actions' service prefix, lower case
	actions []string // action names after "service:", compared case-insensitively
	// resources are ARN patterns, matched case-sensitively as Resource
	// elements are.
	resources []string
	// exemptServices: the rule does not bind AWS itself, acting as a service
	// principal or a service-linked role (IAM Identity Center's
	// service-linked role manages its AWSReservedSSO_ roles).
	exemptServices bool
	message        string // what AWS says, in its words where it has them
	doc            string // the AWS page the rule comes from

	compiled []condition.ARNPattern
}

// protections is every protection rule, indexed by ProtectionRule. It is
// the one place the rules live.
var protections = [...]protection{
	ProtectionNone: {},
	ProtectionAWSManagedPolicy: {
		name:    "aws-managed-policy",
		service: "iam",
		actions: []string{"CreatePolicy", "CreatePolicyVersion", "DeletePolicy", "DeletePolicyVersion",
			"SetDefaultPolicyVersion", "TagPolicy", "UntagPolicy"},
		resources: []string{"arn:*:iam::aws:policy/*"},
		message:   "You cannot change the permissions defined in AWS managed policies.",
		doc:       "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html",
	},
	ProtectionIdentityCenterRole: {
		name:    "identity-center-role",
		service: "iam",
		actions: []string{"AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy",
			"UpdateAssumeRolePolicy", "PutRolePermissionsBoundary", "DeleteRolePermissionsBoundary",
			"DeleteRole", "UpdateRole", "UpdateRoleDescription", "TagRole", "UntagRole"},
		resources: []string{
			"arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_*",
			"arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_*",
		},
		exemptServices: true,
		message:        "Cannot perform the operation on the protected role: this role is only modifiable by AWS (IAM Identity Center manages the roles of its permission sets).",
		doc:            "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSSOServiceRolePolicy.html",
	},
	ProtectionServiceLinkedRole: {
		name:    "service-linked-role",
		service: "iam",
		actions: []string{"UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy",
			"AttachRolePolicy", "DetachRolePolicy", "DeleteRole"},
		resources:      []string{"arn:*:iam::*:role/aws-service-role/*"},
		exemptServices: true,
		message:        "Service-linked roles are protected AWS resources: the linked service defines their trust and permissions policies, and they are deleted only with iam:DeleteServiceLinkedRole.",
		doc:            "https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html",
	},
	ProtectionAWSManagedKeyAlias: {
		name:      "aws-managed-key-alias",
		service:   "kms",
		actions:   []string{"CreateAlias", "DeleteAlias", "UpdateAlias"},
		resources: []string{"arn:*:kms:*:*:alias/aws/*"},
		message:   "The alias/aws/ prefix is reserved for AWS managed keys.",
		doc:       "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
	},
}

func init() {
	for i := range protections {
		p := &protections[i]
		for _, r := range p.resources {
			pat, err := condition.CompileARNPattern(r, condition.PatternOptions{Wildcards: true})
			if err != nil {
				panic("policy: protection " + p.name + ": " + err.Error())
			}
			p.compiled = append(p.compiled, pat)
		}
	}
}

// Name returns the rule's short name ("aws-managed-policy"), or "" for
// ProtectionNone.
func (p ProtectionRule) Name() string {
	if int(p) < len(protections) {
		return protections[p].name
	}
	return ""
}

// String returns what AWS says when it refuses a request under the rule.
func (p ProtectionRule) String() string {
	if int(p) < len(protections) {
		return protections[p].message
	}
	return ""
}

// Doc returns the AWS documentation page the rule comes from.
func (p ProtectionRule) Doc() string {
	if int(p) < len(protections) {
		return protections[p].doc
	}
	return ""
}

// MarshalText returns [ProtectionRule.Name].
func (p ProtectionRule) MarshalText() ([]byte, error) { return []byte(p.Name()), nil }

// Protected returns the rule that forbids caller to perform action on
// resource, a resource AWS owns, or ProtectionNone. Actions compare
// case-insensitively and resource ARNs case-sensitively, as in policies.
// It allocates nothing.
func Protected(caller *principal.Principal, action, resource string) ProtectionRule {
	// Every rule is for iam or kms: anything else returns at once.
	if len(action) < 5 || action[3] != ':' {
		return ProtectionNone
	}
	svc := action[:3]
	if !strings.EqualFold(svc, "iam") && !strings.EqualFold(svc, "kms") {
		return ProtectionNone
	}
	name := action[4:]
	for i := 1; i < len(protections); i++ {
		p := &protections[i]
		if !strings.EqualFold(svc, p.service) || !p.hasAction(name) {
			continue
		}
		if p.exemptServices && caller != nil && (caller.Kind == principal.KindService || caller.IsServiceLinkedRole()) {
			continue
		}
		for j := range p.compiled {
			if p.compiled[j].Match(resource, emptyContext) {
				return ProtectionRule(i)
			}
		}
	}
	return ProtectionNone
}

func (p *protection) hasAction(name string) bool {
	for _, a := range p.actions {
		if strings.EqualFold(name, a) {
			return true
		}
	}
	return false
}

// protect turns an allow of a change to an AWS-owned resource into the
// implicit deny of its protection rule.
func protect(r *Request, out *Result) {
	if rule := Protected(&r.Principal, r.Action, r.Resource); rule != ProtectionNone {
		*out = Result{Decision: ImplicitDeny, Reason: ReasonProtected, Protection: rule}
	}
}
