package principal

import (
	"errors"
	"strconv"
	"strings"
)

// ErrInvalidPrincipal is the sentinel wrapped by every error Parse and
// ParsePattern return.
var ErrInvalidPrincipal = errors.New("principal: invalid principal")

// Error describes why a caller string or a Principal element entry is
// invalid. It unwraps to ErrInvalidPrincipal and, when the value was a
// malformed ARN, also to the *ARNError (and so to ErrInvalidARN).
type Error struct {
	Type   string // the Principal element key ("AWS", "Service", ...); "" for Parse
	Value  string // the value as written
	Reason string // what is wrong with it
	Err    error  // underlying error, such as an *ARNError; may be nil
}

// Error returns `principal: invalid "AWS" principal "<value>": <reason>`
// (without the type for errors from Parse).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("principal: invalid ")
	if e.Type != "" {
		b.WriteString(strconv.Quote(e.Type))
		b.WriteByte(' ')
	}
	b.WriteString("principal ")
	b.WriteString(strconv.Quote(e.Value))
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns ErrInvalidPrincipal and the underlying error, if any.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidPrincipal}
	}
	return []error{ErrInvalidPrincipal, e.Err}
}

// Kind says what sort of caller a Principal is.
type Kind uint8

// The kinds of caller.
const (
	KindUnknown       Kind = iota // zero value: no principal
	KindAnonymous                 // unauthenticated caller ("*")
	KindAccount                   // the account root user: arn:aws:iam::ID:root
	KindUser                      // IAM user: arn:aws:iam::ID:user/PATH/NAME
	KindRole                      // IAM role as a caller: some session of the role
	KindAssumedRole               // role session: arn:aws:sts::ID:assumed-role/ROLE/SESSION
	KindFederatedUser             // GetFederationToken session: arn:aws:sts::ID:federated-user/NAME
	KindService                   // AWS service principal such as "s3.amazonaws.com"
	KindSAMLProvider              // arn:aws:iam::ID:saml-provider/NAME
	KindOIDCProvider              // arn:aws:iam::ID:oidc-provider/HOST/PATH, or a web identity provider name
	KindCanonicalUser             // Amazon S3 canonical user ID
)

var kindNames = [...]string{
	KindUnknown:       "Unknown",
	KindAnonymous:     "Anonymous",
	KindAccount:       "Account",
	KindUser:          "User",
	KindRole:          "Role",
	KindAssumedRole:   "AssumedRole",
	KindFederatedUser: "FederatedUser",
	KindService:       "Service",
	KindSAMLProvider:  "SAMLProvider",
	KindOIDCProvider:  "OIDCProvider",
	KindCanonicalUser: "CanonicalUser",
}

// String returns the kind's name, such as "AssumedRole", or "Unknown".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Unknown"
}

// Principal is a caller: who makes a request. It is a small comparable value;
// the zero value (KindUnknown) is no principal at all.
type Principal struct {
	Kind          Kind
	ARN           ARN    // zero for anonymous, service and canonical-user callers
	Account       string // 12-digit account ID, "" when none
	Path          string // user or role path ("/" when none); for KindAssumedRole the role's path if known, else "/"; "" for other kinds
	Name          string // user, role (also for KindAssumedRole), federated user, or SAML/OIDC provider name
	SessionName   string // KindAssumedRole only
	Service       string // KindService only, e.g. "s3.amazonaws.com"
	CanonicalUser string // KindCanonicalUser only
}

// Anonymous returns the unauthenticated caller.
func Anonymous() Principal { return Principal{Kind: KindAnonymous} }

// ServicePrincipal returns an AWS service caller such as "ec2.amazonaws.com".
func ServicePrincipal(name string) Principal {
	return Principal{Kind: KindService, Service: name}
}

// CanonicalUserPrincipal returns an Amazon S3 canonical user caller.
func CanonicalUserPrincipal(id string) Principal {
	return Principal{Kind: KindCanonicalUser, CanonicalUser: id}
}

// Parse parses a caller. It accepts "*" (anonymous), a bare 12-digit account
// ID (the root user of that account, in the "aws" partition), or the ARN of
// an account root user, IAM user, IAM role, role session (assumed-role),
// federated user, SAML provider or OIDC provider. Any other ARN (an S3
// bucket, an IAM group, ...) and any value containing a wildcard is an error.
// Errors are *Error and wrap ErrInvalidPrincipal.
func Parse(s string) (Principal, error) {
	if s == "*" {
		return Anonymous(), nil
	}
	if IsAccountID(s) {
		return rootPrincipal("aws", s), nil
	}
	if strings.ContainsAny(s, "*?") {
		return Principal{}, &Error{Value: s, Reason: "a caller cannot contain wildcards"}
	}
	a, err := ParseARN(s)
	if err != nil {
		var ae *ARNError
		errors.As(err, &ae)
		return Principal{}, &Error{Value: s, Reason: ae.Reason, Err: err}
	}
	p, reason := principalFromARN(a)
	if reason != "" {
		return Principal{}, &Error{Value: s, Reason: reason}
	}
	return p, nil
}

// MustParse is like Parse but panics on error. It is meant for tests.
func MustParse(s string) Principal {
	p, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return p
}

// AssumedRoleOf returns the session sessionName of the IAM role role, keeping
// the role's path (which the session ARN itself omits).
func AssumedRoleOf(role ARN, sessionName string) (Principal, error) {
	r, reason := principalFromARN(role)
	if reason == "" && r.Kind != KindRole {
		reason = "not an IAM role ARN"
	}
	if reason == "" {
		reason = checkName("role session name", sessionName, 2, 64)
	}
	if reason != "" {
		return Principal{}, &Error{Value: role.String(), Reason: reason}
	}
	return Principal{
		Kind:        KindAssumedRole,
		ARN:         ARN{Partition: role.Partition, Service: "sts", Account: role.Account, Resource: "assumed-role/" + r.Name + "/" + sessionName},
		Account:     role.Account,
		Path:        r.Path,
		Name:        r.Name,
		SessionName: sessionName,
	}, nil
}

func rootPrincipal(partition, account string) Principal {
	return Principal{
		Kind:    KindAccount,
		ARN:     ARN{Partition: partition, Service: "iam", Account: account, Resource: "root"},
		Account: account,
	}
}

// principalFromARN classifies a parsed ARN as a caller. It returns a
// non-empty reason when the ARN does not name a principal.
func principalFromARN(a ARN) (Principal, string) {
	if a.Service != "iam" && a.Service != "sts" {
		return Principal{}, "service " + strconv.Quote(a.Service) + " does not issue principals; want iam or sts"
	}
	if a.Region != "" {
		return Principal{}, "principal ARNs have no region"
	}
	if !IsAccountID(a.Account) {
		return Principal{}, "principal ARNs need a 12-digit account ID"
	}
	typ, rest, _ := strings.Cut(a.Resource, "/")
	p := Principal{ARN: a, Account: a.Account}
	var reason string
	switch a.Service + ":" + typ {
	case "iam:root":
		if a.Resource != "root" {
			return Principal{}, "unexpected text after \"root\""
		}
		p.Kind = KindAccount
	case "iam:user", "iam:role":
		p.Kind = KindUser
		if typ == "role" {
			p.Kind = KindRole
		}
		i := strings.LastIndexByte(rest, '/')
		p.Path, p.Name = "/"+rest[:i+1], rest[i+1:]
		reason = checkName(typ+" name", p.Name, 1, 64)
		if reason == "" {
			reason = checkPath(p.Path)
		}
	case "sts:assumed-role":
		p.Kind = KindAssumedRole
		p.Path = "/"
		var ok bool
		p.Name, p.SessionName, ok = strings.Cut(rest, "/")
		if !ok {
			return Principal{}, "want assumed-role/ROLE-NAME/SESSION-NAME"
		}
		reason = checkName("role name", p.Name, 1, 64)
		if reason == "" {
			reason = checkName("role session name", p.SessionName, 2, 64)
		}
	case "sts:federated-user":
		p.Kind = KindFederatedUser
		p.Name = rest
		reason = checkName("federated user name", p.Name, 2, 32)
	case "iam:saml-provider":
		p.Kind = KindSAMLProvider
		p.Name = rest
		reason = checkName("SAML provider name", p.Name, 1, 128)
	case "iam:oidc-provider":
		p.Kind = KindOIDCProvider
		p.Name = rest
		if rest == "" || strings.HasPrefix(rest, "/") || strings.HasSuffix(rest, "/") {
			reason = "want oidc-provider/HOST[/PATH]"
		} else if !isPrintableASCII(rest) {
			reason = "OIDC provider URL must be printable ASCII without spaces"
		}
	default:
		return Principal{}, strconv.Quote(a.Service+":"+typ) + " is not a principal; want iam root, user, role, saml-provider, oidc-provider or sts assumed-role, federated-user"
	}
	if reason != "" {
		return Principal{}, reason
	}
	return p, ""
}

// checkName validates an IAM or STS name against the documented character
// set [\w+=,.@-] and length limits.
func checkName(what, s string, minLen, maxLen int) string {
	if s == "" {
		return "missing " + what
	}
	if len(s) < minLen || len(s) > maxLen {
		return what + " must be " + strconv.Itoa(minLen) + " to " + strconv.Itoa(maxLen) + " characters"
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return what + " " + strconv.Quote(s) + " may contain only letters, digits and _+=,.@-"
		}
	}
	return ""
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_+=,.@-", c) >= 0
}

// checkPath validates an IAM path: "/" or "/.../" of printable ASCII.
func checkPath(p string) string {
	if len(p) > 512 {
		return "path longer than 512 characters"
	}
	if !isPrintableASCII(p) {
		return "path must be printable ASCII"
	}
	return ""
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// String returns "*" for the anonymous caller, the service name for a
// service, the canonical ID for a canonical user, and the ARN otherwise
// ("" for the zero Principal).
func (p Principal) String() string {
	switch p.Kind {
	case KindAnonymous:
		return "*"
	case KindService:
		return p.Service
	case KindCanonicalUser:
		return p.CanonicalUser
	case KindOIDCProvider:
		if p.ARN.IsZero() {
			return p.Name
		}
	}
	return p.ARN.String()
}

// RoleARN returns the IAM role behind a role or role-session caller:
// for KindRole its own ARN, for KindAssumedRole
// arn:PARTITION:iam::ACCOUNT:role{Path}{Name}. Other kinds return false.
func (p Principal) RoleARN() (ARN, bool) {
	switch p.Kind {
	case KindRole:
		return p.ARN, true
	case KindAssumedRole:
		path := p.Path
		if path == "" {
			path = "/"
		}
		return ARN{Partition: p.ARN.Partition, Service: "iam", Account: p.Account, Resource: "role" + path + p.Name}, true
	}
	return ARN{}, false
}

// PrincipalARN returns the value of the aws:PrincipalArn condition key: the
// user ARN, the role ARN for a role or role session, the federated-user ARN,
// arn:PARTITION:iam::ID:root for the root user, and "" for callers without
// one (anonymous, services, providers, canonical users).
func (p Principal) PrincipalARN() string {
	switch p.Kind {
	case KindAccount, KindUser, KindFederatedUser:
		return p.ARN.String()
	case KindRole, KindAssumedRole:
		r, _ := p.RoleARN()
		return r.String()
	}
	return ""
}

// PrincipalType returns the value of the aws:PrincipalType condition key:
// "Account" (root user), "User", "FederatedUser", "AssumedRole" (role
// sessions; a KindRole caller is some session of the role) or "Anonymous";
// "" for other kinds.
func (p Principal) PrincipalType() string {
	switch p.Kind {
	case KindAccount:
		return "Account"
	case KindUser:
		return "User"
	case KindFederatedUser:
		return "FederatedUser"
	case KindRole, KindAssumedRole:
		return "AssumedRole"
	case KindAnonymous:
		return "Anonymous"
	}
	return ""
}

// IsServiceLinkedRole reports whether p is a role, or a session of a role,
// whose path starts with "/aws-service-role/". A session parsed from its ARN
// alone has path "/" (session ARNs omit the path), so it reports false unless
// the path was filled in, for example by AssumedRoleOf.
func (p Principal) IsServiceLinkedRole() bool {
	return (p.Kind == KindRole || p.Kind == KindAssumedRole) && strings.HasPrefix(p.Path, "/aws-service-role/")
}

// HasIdentityPolicies reports whether p belongs to an AWS account's IAM and
// so is subject to identity-based policies: the root user, users, roles,
// role sessions and federated users. Anonymous callers, services, SAML/OIDC
// providers and canonical users return false.
func (p Principal) HasIdentityPolicies() bool { return p.Kind.HasIdentityPolicies() }

// HasIdentityPolicies reports whether callers of kind k are subject to
// identity-based policies; see [Principal.HasIdentityPolicies].
func (k Kind) HasIdentityPolicies() bool {
	return k >= KindAccount && k <= KindFederatedUser
}
