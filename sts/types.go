package sts

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"github.com/iamkit/iamkit/federation"
	"log/slog"
	"time"

	"github.com/iamkit/iamkit/policy"
)

// Secret is a secret value: a secret access key or a TOTP seed. It never
// prints: String, GoString, Format, LogValue and MarshalJSON all redact it,
// and because the value sits behind a pointer, even fmt's reflection (a
// Secret inside an unexported field of another struct, where fmt cannot
// call methods) shows only an address. Use [Secret.Reveal] where the secret
// must really be read. The zero Secret is empty. Secrets compare with
// [Secret.Equal], not ==.
type Secret struct{ v *string }

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret { return Secret{v: &s} }

const redacted = "[REDACTED]"

// String returns "[REDACTED]".
func (Secret) String() string { return redacted }

// GoString returns "[REDACTED]".
func (Secret) GoString() string { return redacted }

// Format prints "[REDACTED]" for every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns "[REDACTED]" for log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON writes "[REDACTED]", so encoding a struct that holds a Secret
// never writes the secret.
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// Reveal returns the secret itself.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// Equal reports whether two secrets hold the same value, in time that
// depends only on their lengths, without allocating.
func (s Secret) Equal(o Secret) bool {
	a, b := s.Reveal(), o.Reveal()
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return subtle.ConstantTimeByteEq(v, 0) == 1
}

// Tag is a session or principal tag.
type Tag struct {
	Key   string
	Value string
}

// Account is an AWS account as the Directory knows it.
type Account struct {
	ID        string // 12 digits
	Partition string // "aws" when empty
	// OrgID is the organization ID ("o-..."), empty when the account is in
	// no organization.
	OrgID string
	// OrgPath is the account's aws:PrincipalOrgPaths entry,
	// "o-xxx/r-xxx/ou-xxx/" (root, OUs), empty without an organization.
	OrgPath string
	// Management is true for the organization's management account: SCPs
	// and RCPs do not apply to it.
	Management bool
	// SCPs and RCPs list the policies in force by organization level, root
	// first and the account last.
	SCPs [][]*policy.Policy
	RCPs [][]*policy.Policy
	// DisabledRegions lists regions not enabled for the account; STS
	// answers RegionDisabledException there.
	DisabledRegions []string
}

// AccessKey is a long-term access key of an IAM user or the root user.
type AccessKey struct {
	ID       string // AKIA...
	Secret   Secret
	Inactive bool
	Created  time.Time
}

// MFADevice is a virtual MFA device (TOTP, RFC 6238).
type MFADevice struct {
	// SerialNumber is the device ARN, arn:aws:iam::ACCT:mfa/NAME.
	SerialNumber string
	// Seed is the TOTP shared secret (raw bytes, not base32).
	Seed Secret
}

// User is an IAM user. The root user of an account is a User whose Root
// field is true and whose ARN is arn:PART:iam::ACCT:root.
type User struct {
	ARN      string // arn:aws:iam::ACCT:user/PATH/NAME
	UniqueID string // AIDA...
	Root     bool
	// Policies are the user's inline policies; ManagedPolicyARNs name
	// managed policies served by Directory.ManagedPolicy.
	Policies          []*policy.Policy
	ManagedPolicyARNs []string
	Groups            []string // group ARNs
	// PermissionsBoundaryARN names the managed policy used as boundary.
	PermissionsBoundaryARN string
	Tags                   []Tag
	AccessKeys             []AccessKey
	MFADevices             []MFADevice
}

// Group is an IAM group.
type Group struct {
	ARN               string
	Policies          []*policy.Policy
	ManagedPolicyARNs []string
}

// Role is an IAM role.
type Role struct {
	ARN      string // arn:aws:iam::ACCT:role/PATH/NAME
	UniqueID string // AROA...
	// TrustPolicy is the role's trust policy (parsed as policy.Trust).
	TrustPolicy            *policy.Policy
	Policies               []*policy.Policy
	ManagedPolicyARNs      []string
	PermissionsBoundaryARN string
	Tags                   []Tag
	// MaxSessionDuration is 1 to 12 hours; zero means 1 hour.
	MaxSessionDuration time.Duration
	// ServiceLinked marks a service-linked role (SCPs do not apply).
	ServiceLinked bool
}

// ErrNotFound is returned (wrapped) by a Directory when an entity does not
// exist.
var ErrNotFound = errors.New("sts: not found")

// Directory serves the IAM entities STS needs. The embedding program
// implements it over its own storage; [MemoryDirectory] is a ready
// in-memory implementation. Methods return an error wrapping [ErrNotFound]
// for unknown entities. Returned values must not be modified by the caller
// or the Directory afterwards (replace them instead).
type Directory interface {
	Account(ctx context.Context, id string) (*Account, error)
	// User returns an IAM user by ARN (also arn:...:root for the root user).
	User(ctx context.Context, arn string) (*User, error)
	// UserByAccessKey finds the user (or root user) owning a long-term
	// access key, and the key.
	UserByAccessKey(ctx context.Context, accessKeyID string) (*User, *AccessKey, error)
	Group(ctx context.Context, arn string) (*Group, error)
	Role(ctx context.Context, arn string) (*Role, error)
	// ManagedPolicy returns a managed policy by ARN, parsed as
	// policy.Identity.
	ManagedPolicy(ctx context.Context, arn string) (*policy.Policy, error)
	// ResourcePolicy returns the resource-based policy of a resource, or an
	// error wrapping ErrNotFound when it has none.
	ResourcePolicy(ctx context.Context, resourceARN string) (*policy.Policy, error)
	// OIDCProvider returns an IAM OpenID Connect provider by ARN
	// (arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST/PATH, matched
	// exactly: provider URLs are case-sensitive), or an error wrapping
	// ErrNotFound.
	OIDCProvider(ctx context.Context, arn string) (*federation.OIDCProvider, error)
	// SAMLProvider returns an IAM SAML identity provider by ARN
	// (arn:PARTITION:iam::ACCOUNT:saml-provider/NAME), or an error
	// wrapping ErrNotFound.
	SAMLProvider(ctx context.Context, arn string) (*federation.SAMLProvider, error)
	// InstanceProfile returns an IAM instance profile by ARN
	// (arn:PARTITION:iam::ACCOUNT:instance-profile/PATH/NAME), or an error
	// wrapping ErrNotFound.
	InstanceProfile(ctx context.Context, arn string) (*InstanceProfile, error)
}
