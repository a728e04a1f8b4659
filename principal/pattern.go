package principal

import (
	"errors"
	"strconv"
	"strings"
)

// Match says how a Pattern matched a caller. Callers use it to decide
// whether permissions boundaries and session policies limit a grant: they
// do for MatchRole and MatchAccount, not for MatchExact (see
// reference_policies_evaluation-logic.html).
type Match uint8

// The ways a Pattern can match.
const (
	NoMatch       Match = iota // the pattern does not name the caller
	MatchWildcard              // "*": everyone, including anonymous callers
	MatchAccount               // an account ID or :root ARN naming the caller's account
	MatchRole                  // a role ARN naming the caller's role (or the role caller itself)
	MatchExact                 // the pattern names exactly this caller
)

var matchNames = [...]string{
	NoMatch:       "NoMatch",
	MatchWildcard: "Wildcard",
	MatchAccount:  "Account",
	MatchRole:     "Role",
	MatchExact:    "Exact",
}

// String returns "NoMatch", "Wildcard", "Account", "Role" or "Exact".
func (m Match) String() string {
	if int(m) < len(matchNames) {
		return matchNames[m]
	}
	return "Match(" + strconv.Itoa(int(m)) + ")"
}

type patternKind uint8

const (
	patNone          patternKind = iota // zero Pattern: matches nothing
	patWildcard                         // "*"
	patAccount                          // account ID or arn:...:root
	patUser                             // arn:...:iam::ID:user/PATH/NAME
	patRole                             // arn:...:iam::ID:role/PATH/NAME
	patSession                          // arn:...:sts::ID:assumed-role/ROLE/SESSION
	patFederatedUser                    // arn:...:sts::ID:federated-user/NAME
	patService                          // "ec2.amazonaws.com"
	patProvider                         // saml-provider or oidc-provider ARN
	patWebIdentity                      // "accounts.google.com", "cognito-identity.amazonaws.com", ...
	patCanonicalUser                    // S3 canonical user ID
	patUniqueID                         // AIDA.../AROA... left behind by a deleted user or role
)

// Pattern is one entry of a policy statement's Principal or NotPrincipal
// element, such as {"AWS": "arn:aws:iam::123456789012:role/Admin"}, compiled
// once by ParsePattern. A Pattern is immutable and safe for concurrent use;
// Match does not allocate. The zero Pattern matches nothing.
type Pattern struct {
	typ, value string // as written
	kind       patternKind
	callerKind Kind // for patProvider: KindSAMLProvider or KindOIDCProvider
	partition  string
	account    string
	path       string
	name       string
	session    string
}

// ParsePattern compiles one Principal element entry. typ is the JSON key:
//
//   - "AWS": "*", a 12-digit account ID, or the ARN of an account
//     (arn:aws:iam::ID:root), IAM user, IAM role, role session
//     (arn:aws:sts::ID:assumed-role/ROLE/SESSION) or federated user.
//     A unique ID such as "AIDA..." or "AROA...", which AWS shows in place of
//     a deleted user or role, is accepted and matches no caller.
//   - "Service": "*" or a service principal such as "ec2.amazonaws.com".
//   - "Federated": "*", a saml-provider or oidc-provider ARN, or a web
//     identity provider name such as "accounts.google.com".
//   - "CanonicalUser": "*" or an Amazon S3 canonical user ID (64 hex digits).
//   - "*": the bare form "Principal": "*"; value must be "*".
//
// AWS forbids partial wildcards: a '*' or '?' anywhere but as the whole value
// is an error. Errors are *Error and wrap ErrInvalidPrincipal.
func ParsePattern(typ, value string) (Pattern, error) {
	p := Pattern{typ: typ, value: value}
	fail := func(reason string, err error) (Pattern, error) {
		return Pattern{}, &Error{Type: typ, Value: value, Reason: reason, Err: err}
	}
	switch typ {
	case "*", "AWS", "Service", "Federated", "CanonicalUser":
	default:
		return fail(`unknown principal type; want "AWS", "Service", "Federated", "CanonicalUser" or "*"`, nil)
	}
	if value == "*" {
		p.kind = patWildcard
		return p, nil
	}
	if typ == "*" {
		return fail(`the bare "Principal" form takes only "*"`, nil)
	}
	if value == "" {
		return fail("empty value", nil)
	}
	if strings.ContainsAny(value, "*?") {
		return fail(`wildcards are not allowed in principals except as the whole value "*"; use "*" with a condition on aws:PrincipalArn`, nil)
	}

	switch typ {
	case "AWS":
		if IsAccountID(value) {
			// A bare account ID carries no partition; partitions never share
			// callers, so it matches that account in whichever partition
			// evaluates the policy.
			p.kind, p.account = patAccount, value
			return p, nil
		}
		if isUniqueID(value) {
			p.kind = patUniqueID
			return p, nil
		}
		c, err := parseCallerARN(value)
		if err != nil {
			return fail(err.reason, err.err)
		}
		p.partition, p.account, p.path, p.name, p.session = c.ARN.Partition, c.Account, c.Path, c.Name, c.SessionName
		switch c.Kind {
		case KindAccount:
			p.kind = patAccount
		case KindUser:
			p.kind = patUser
		case KindRole:
			p.kind = patRole
		case KindAssumedRole:
			p.kind = patSession
		case KindFederatedUser:
			p.kind = patFederatedUser
		default:
			return fail(`a `+c.Kind.String()+` ARN belongs under "Federated", not "AWS"`, nil)
		}
	case "Service":
		if !isServiceName(value) {
			return fail(`want a service principal such as "ec2.amazonaws.com"`, nil)
		}
		p.kind, p.name = patService, value
	case "Federated":
		if strings.HasPrefix(value, "arn:") {
			c, err := parseCallerARN(value)
			if err != nil {
				return fail(err.reason, err.err)
			}
			if c.Kind != KindSAMLProvider && c.Kind != KindOIDCProvider {
				return fail(`"Federated" takes a saml-provider or oidc-provider ARN or a web identity provider name`, nil)
			}
			p.kind, p.callerKind = patProvider, c.Kind
			p.partition, p.account, p.name = c.ARN.Partition, c.Account, c.Name
			return p, nil
		}
		if !isServiceName(value) {
			return fail(`want a saml-provider or oidc-provider ARN or a web identity provider such as "accounts.google.com"`, nil)
		}
		p.kind, p.name = patWebIdentity, value
	case "CanonicalUser":
		if !isCanonicalUserID(value) {
			return fail("canonical user ID must be 64 hexadecimal digits", nil)
		}
		p.kind, p.name = patCanonicalUser, value
	}
	return p, nil
}

type callerARNError struct {
	reason string
	err    error
}

func parseCallerARN(s string) (Principal, *callerARNError) {
	a, err := ParseARN(s)
	if err != nil {
		var ae *ARNError
		errors.As(err, &ae)
		return Principal{}, &callerARNError{ae.Reason, err}
	}
	c, reason := principalFromARN(a)
	if reason != "" {
		return Principal{}, &callerARNError{reason, nil}
	}
	return c, nil
}

// Type returns the Principal element key the pattern was parsed with.
func (p Pattern) Type() string { return p.typ }

// Value returns the pattern's value as written in the policy.
func (p Pattern) Value() string { return p.value }

// String returns the pattern in policy form, such as {"AWS":"123456789012"},
// or "*" for the bare wildcard form.
func (p Pattern) String() string {
	if p.typ == "*" {
		return strconv.Quote(p.value)
	}
	if p.kind == patNone {
		return "<none>"
	}
	return "{" + strconv.Quote(p.typ) + ":" + strconv.Quote(p.value) + "}"
}

// Match reports whether the pattern names caller, and how. A nil caller or
// the zero Principal matches nothing. Match does not allocate.
func (p Pattern) Match(caller *Principal) Match {
	if caller == nil || caller.Kind == KindUnknown {
		return NoMatch
	}
	c := caller
	switch p.kind {
	case patWildcard:
		return MatchWildcard
	case patAccount:
		if c.HasIdentityPolicies() && c.Account == p.account && (p.partition == "" || c.ARN.Partition == p.partition) {
			return MatchAccount
		}
	case patUser:
		// The user name in a Principal ARN is case sensitive
		// (reference_policies_elements_principal.html#principal-users).
		if c.Kind == KindUser && p.sameAccount(c) && c.Name == p.name && c.Path == p.path {
			return MatchExact
		}
	case patRole:
		// Role names are unique per account regardless of case; session ARNs
		// carry no path, so the path is not compared.
		if (c.Kind == KindRole || c.Kind == KindAssumedRole) && p.sameAccount(c) && strings.EqualFold(c.Name, p.name) {
			return MatchRole
		}
	case patSession:
		if c.Kind == KindAssumedRole && p.sameAccount(c) && strings.EqualFold(c.Name, p.name) && c.SessionName == p.session {
			return MatchExact
		}
	case patFederatedUser:
		if c.Kind == KindFederatedUser && p.sameAccount(c) && c.Name == p.name {
			return MatchExact
		}
	case patService:
		if c.Kind == KindService && c.Service == p.name {
			return MatchExact
		}
	case patProvider:
		if c.Kind == p.callerKind && p.sameAccount(c) && c.Name == p.name {
			return MatchExact
		}
	case patWebIdentity:
		if (c.Kind == KindOIDCProvider && c.Name == p.name) || (c.Kind == KindService && c.Service == p.name) {
			return MatchExact
		}
	case patCanonicalUser:
		if c.Kind == KindCanonicalUser && c.CanonicalUser == p.name {
			return MatchExact
		}
	}
	return NoMatch
}

func (p *Pattern) sameAccount(c *Principal) bool {
	return c.Account == p.account && c.ARN.Partition == p.partition
}

// isServiceName reports whether s looks like a DNS name such as
// "ec2.amazonaws.com" or "accounts.google.com".
func isServiceName(s string) bool {
	if !strings.Contains(s, ".") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func isCanonicalUserID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// isUniqueID reports whether s is an IAM user or role unique ID (AIDA..., AROA...).
// See reference_identifiers.html#identifiers-unique-ids.
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || !(strings.HasPrefix(s, "AIDA") || strings.HasPrefix(s, "AROA")) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
