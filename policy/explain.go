package policy

import (
	"fmt"
	"sort"
	"strings"
)

// Reason says in one code why a request was decided the way it was. Its
// String method gives the sentence shown to people.
type Reason uint8

// Reasons.
const (
	ReasonNone Reason = iota
	// ReasonGetCallerIdentity: sts:GetCallerIdentity needs no permission and
	// cannot be denied.
	ReasonGetCallerIdentity
	// ReasonExplicitDeny: a Deny statement matched.
	ReasonExplicitDeny
	// ReasonSCPNoAllow: some organization level has no SCP allowing the
	// request.
	ReasonSCPNoAllow
	// ReasonNoAllow: no policy allows the request.
	ReasonNoAllow
	// ReasonNoIdentityAllow: the identity side does not allow the request:
	// cross-account, with a grant delegated to the account, or when the
	// permissions boundary or a session policy allows but no identity-based
	// policy does (permissions are their intersection).
	ReasonNoIdentityAllow
	// ReasonBoundary: the permissions boundary does not allow the request.
	ReasonBoundary
	// ReasonSession: no session policy allows the request.
	ReasonSession
	// ReasonFederatedNoSessionPolicy: a federated user session created
	// without a session policy has no permissions.
	ReasonFederatedNoSessionPolicy
	// ReasonCrossAccountNoResourcePolicy: a cross-account request to a
	// resource with no resource-based policy.
	ReasonCrossAccountNoResourcePolicy
	// ReasonCrossAccountResource: the resource-based policy does not grant
	// the cross-account caller.
	ReasonCrossAccountResource
	// ReasonTrustPolicy: the role's trust policy does not allow the caller.
	ReasonTrustPolicy
	// ReasonKeyPolicy: the KMS key policy does not allow the caller.
	ReasonKeyPolicy
	// ReasonSelfAssume: a role session may assume its own role only when the
	// trust policy names the role or its account explicitly.
	ReasonSelfAssume
	// ReasonAllowedIdentity: an identity-based policy allows, and every
	// limiting policy allows too.
	ReasonAllowedIdentity
	// ReasonAllowedResource: the resource-based policy allows.
	ReasonAllowedResource
	// ReasonAllowedTrust: the trust policy names the caller and the
	// boundary and session policies allow.
	ReasonAllowedTrust
	// ReasonAllowedCrossAccount: both the caller's account and the
	// resource's policy allow.
	ReasonAllowedCrossAccount
	// ReasonAllowedRoot: the account root user acting in its own account.
	ReasonAllowedRoot
	// ReasonProtected: the policies allow the request, but it would change
	// a resource AWS owns, which no policy can grant; Result.Protection
	// names the rule.
	ReasonProtected
	// ReasonNoRequest: there was no request to evaluate (a nil *Request).
	ReasonNoRequest
)

var reasonText = [...]string{
	ReasonNone:                         "",
	ReasonGetCallerIdentity:            "sts:GetCallerIdentity requires no permission and cannot be denied",
	ReasonExplicitDeny:                 "an explicit deny overrides every allow",
	ReasonSCPNoAllow:                   "no service control policy at this organization level allows the request; every level must allow",
	ReasonNoAllow:                      "no policy allows the request, so it is implicitly denied",
	ReasonNoIdentityAllow:              "no identity-based policy of the caller allows the request",
	ReasonBoundary:                     "the permissions boundary does not allow the request",
	ReasonSession:                      "no session policy allows the request",
	ReasonFederatedNoSessionPolicy:     "a federated user session created without a session policy has no permissions",
	ReasonCrossAccountNoResourcePolicy: "cross-account request: the resource has no resource-based policy granting the caller's account",
	ReasonCrossAccountResource:         "cross-account request: the resource-based policy does not allow the caller",
	ReasonTrustPolicy:                  "the role's trust policy does not allow the caller to assume it",
	ReasonKeyPolicy:                    "the KMS key policy does not allow the caller, and IAM policies alone cannot grant access to a KMS key",
	ReasonSelfAssume:                   "a role can assume itself only when its trust policy names the role ARN or its account explicitly",
	ReasonAllowedIdentity:              "allowed by an identity-based policy, and no other policy type denies or limits it",
	ReasonAllowedResource:              "allowed by the resource-based policy",
	ReasonAllowedTrust:                 "the trust policy names the caller and the caller's permissions boundary and session policy allow",
	ReasonAllowedCrossAccount:          "cross-account request allowed by both the caller's identity-based policy and the resource-based policy",
	ReasonAllowedRoot:                  "the account root user has full access to its own account",
	ReasonProtected:                    "the resource is owned by AWS, and no policy can grant this change to it",
	ReasonNoRequest:                    "there is no request to evaluate (nil *Request)",
}

// reasonCodes are the reasons' stable codes, for programs and CI logs.
var reasonCodes = [...]string{
	ReasonNone:                         "",
	ReasonGetCallerIdentity:            "GET_CALLER_IDENTITY",
	ReasonExplicitDeny:                 "EXPLICIT_DENY",
	ReasonSCPNoAllow:                   "SCP_NO_ALLOW",
	ReasonNoAllow:                      "NO_POLICY_ALLOWS",
	ReasonNoIdentityAllow:              "NO_IDENTITY_POLICY_ALLOWS",
	ReasonBoundary:                     "BOUNDARY_NO_ALLOW",
	ReasonSession:                      "SESSION_POLICY_NO_ALLOW",
	ReasonFederatedNoSessionPolicy:     "FEDERATED_NO_SESSION_POLICY",
	ReasonCrossAccountNoResourcePolicy: "CROSS_ACCOUNT_NO_RESOURCE_POLICY",
	ReasonCrossAccountResource:         "CROSS_ACCOUNT_RESOURCE_POLICY_NO_ALLOW",
	ReasonTrustPolicy:                  "TRUST_POLICY_NO_ALLOW",
	ReasonKeyPolicy:                    "KEY_POLICY_NO_ALLOW",
	ReasonSelfAssume:                   "SELF_ASSUME_NOT_TRUSTED",
	ReasonAllowedIdentity:              "ALLOWED_BY_IDENTITY_POLICY",
	ReasonAllowedResource:              "ALLOWED_BY_RESOURCE_POLICY",
	ReasonAllowedTrust:                 "ALLOWED_BY_TRUST_POLICY",
	ReasonAllowedCrossAccount:          "ALLOWED_CROSS_ACCOUNT",
	ReasonAllowedRoot:                  "ALLOWED_ROOT_USER",
	ReasonProtected:                    "AWS_OWNED_RESOURCE",
	ReasonNoRequest:                    "NO_REQUEST",
}

// Code returns the reason's stable code, such as "EXPLICIT_DENY" or
// "NO_IDENTITY_POLICY_ALLOWS": unlike [Reason.String], it will not be
// reworded. ReasonNone's code is "".
func (r Reason) Code() string {
	if int(r) < len(reasonCodes) {
		return reasonCodes[r]
	}
	return fmt.Sprintf("REASON_%d", uint8(r))
}

// String returns the reason as a sentence.
func (r Reason) String() string {
	if int(r) < len(reasonText) {
		return reasonText[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// StatementMatch describes one statement that applied to the request.
type StatementMatch struct {
	Source   Source   // where the policy sits in the Set
	Level    int      // organization level for SCPs and RCPs (0 = root)
	Policy   string   // the policy's name (Options.Name or Id)
	Sid      string   // the statement's Sid
	Index    int      // the statement's index in its policy
	Position Position // where the statement starts in the policy JSON
	Effect   Effect
}

// String formats the match as `identity-based policy "app" Statement[1] (Sid "Read") at line 4, column 5: Allow`.
func (m StatementMatch) String() string {
	var b strings.Builder
	b.WriteString(m.Source.String())
	if m.Source == SourceSCP || m.Source == SourceRCP {
		fmt.Fprintf(&b, " (level %d)", m.Level)
	}
	if m.Policy != "" {
		fmt.Fprintf(&b, " %q", m.Policy)
	}
	fmt.Fprintf(&b, " Statement[%d]", m.Index)
	if m.Sid != "" {
		fmt.Fprintf(&b, " (Sid %q)", m.Sid)
	}
	if !m.Position.IsZero() {
		fmt.Fprintf(&b, " at %s", m.Position)
	}
	fmt.Fprintf(&b, ": %s", m.Effect)
	return b.String()
}

// Explanation is the detailed outcome of [Set.Explain].
type Explanation struct {
	Decision Decision
	Reason   Reason
	// Source is the policy type that allowed or blocked the request.
	Source Source
	// Decisive lists the statements that decided: the explicit denies, or
	// the allow that granted access. Empty for most implicit denies.
	Decisive []StatementMatch
	// Matched lists every statement whose Action, Resource, Principal and
	// Condition all matched, in evaluation order.
	Matched []StatementMatch
	// MissingContextValues lists, sorted and without duplicates, the
	// condition keys that a condition tested but the request context
	// lacked, as AWS's policy simulator reports them.
	MissingContextValues []string
	// SCPLevel is the organization level whose SCPs did not allow, when
	// Reason is ReasonSCPNoAllow.
	SCPLevel int
	// Protection is the rule that refused a change to a resource AWS owns,
	// when Reason is ReasonProtected. Matched still lists the statements
	// that would have allowed the request.
	Protection ProtectionRule
	// Misses says, for every statement of every policy that applied to
	// the request (see PolicyTypes) and is not in Matched, which element
	// missed, in evaluation order: together Matched and Misses account for
	// each of those statements once.
	Misses []StatementMiss
	// PolicyTypes is each policy type's own decision, one entry per type
	// in the Set (and per organization level for SCPs and RCPs), in
	// evaluation order, as AWS's policy simulator reports
	// OrganizationsDecisionDetail and PermissionsBoundaryDecisionDetail
	// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html).
	PolicyTypes []TypeDecision
}

// String returns a one-line summary for people.
func (e *Explanation) String() string {
	var b strings.Builder
	b.WriteString(e.Decision.String())
	if e.Reason != ReasonNone {
		b.WriteString(": ")
		b.WriteString(e.Reason.String())
		if e.Reason == ReasonSCPNoAllow {
			fmt.Fprintf(&b, " (level %d)", e.SCPLevel)
		}
		if e.Protection != ProtectionNone {
			fmt.Fprintf(&b, " (rule %s: %s)", e.Protection.Name(), e.Protection)
		}
	}
	for _, d := range e.Decisive {
		b.WriteString("; ")
		b.WriteString(d.String())
	}
	return b.String()
}

type tracer struct {
	matched []StatementMatch
	refs    []StatementRef
	srcs    []Source
	missing map[string]bool
	// scanned is set once the evaluation has scanned the policies (never
	// for sts:GetCallerIdentity); rcps, scps and identity then say which
	// types applied (see applicability).
	scanned, rcps, scps, identity bool
}

func (t *tracer) record(src Source, p *Policy, i, lvl int) {
	t.matched = append(t.matched, p.statementMatch(src, i, lvl))
	t.refs = append(t.refs, StatementRef{Policy: p, Index: i, Level: lvl})
	t.srcs = append(t.srcs, src)
}

func (t *tracer) missingKey(k string) {
	if t.missing == nil {
		t.missing = map[string]bool{}
	}
	t.missing[k] = true
}

// firstDeny returns the explicit deny found in evaluation order, when
// tracing (which scans every policy instead of stopping at the first deny).
func (t *tracer) firstDeny() (Result, bool) {
	for i, m := range t.matched {
		if m.Effect == Deny {
			return Result{Decision: ExplicitDeny, Reason: ReasonExplicitDeny, Source: t.srcs[i], Statement: t.refs[i]}, true
		}
	}
	return Result{}, false
}

func (t *tracer) explanation(res Result) *Explanation {
	e := &Explanation{Decision: res.Decision, Reason: res.Reason, Source: res.Source, Matched: t.matched, Protection: res.Protection}
	if res.Reason == ReasonSCPNoAllow {
		e.SCPLevel = res.Statement.Level
	}
	switch {
	case res.Decision == ExplicitDeny:
		for _, m := range t.matched {
			if m.Effect == Deny {
				e.Decisive = append(e.Decisive, m)
			}
		}
	case !res.Statement.IsZero():
		for i, ref := range t.refs {
			if ref == res.Statement || ref == res.ResourceStatement {
				e.Decisive = append(e.Decisive, t.matched[i])
			}
		}
	}
	for k := range t.missing {
		e.MissingContextValues = append(e.MissingContextValues, k)
	}
	sort.Strings(e.MissingContextValues)
	return e
}
