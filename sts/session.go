package sts

import (
	"time"
)

// SessionKind says how a set of credentials came to be.
type SessionKind uint8

// Session kinds.
const (
	// LongTerm is an IAM user's (or the root user's) access key: no token.
	LongTerm SessionKind = iota + 1
	// AssumedRole credentials come from AssumeRole.
	AssumedRole
	// Federated credentials come from GetFederationToken.
	Federated
	// SessionToken credentials come from GetSessionToken.
	SessionToken
)

// String names the kind.
func (k SessionKind) String() string {
	switch k {
	case LongTerm:
		return "LongTerm"
	case AssumedRole:
		return "AssumedRole"
	case Federated:
		return "Federated"
	case SessionToken:
		return "SessionToken"
	}
	return "Unknown"
}

// Session is an authenticated caller: who holds a set of credentials and
// everything the credentials carry. Temporary sessions travel inside their
// sealed session token; long-term ones come from the Directory.
type Session struct {
	Kind        SessionKind
	AccessKeyID string // AKIA... for LongTerm, ASIA... otherwise
	Account     string
	Partition   string // "aws" when empty

	// ARN is the caller's ARN: the user (or root) ARN for LongTerm and
	// SessionToken, arn:...:sts::ACCT:assumed-role/ROLE/SESSION for
	// AssumedRole, arn:...:sts::ACCT:federated-user/NAME for Federated.
	ARN string
	// UserID is aws:userid: AIDA... for a user, AROA...:SESSION for a role
	// session, ACCT:NAME for a federated user, the account ID for root.
	UserID string
	// SourceARN is the long-lived identity behind the session: the role ARN
	// (with path) for AssumedRole, the IAM user ARN for Federated and
	// SessionToken, the user ARN for LongTerm.
	SourceARN string
	// SourceID is the unique ID of SourceARN (AROA..., AIDA...).
	SourceID string
	// SessionName is the RoleSessionName (AssumedRole) or the Name
	// (Federated).
	SessionName string

	IssuedAt  time.Time // aws:TokenIssueTime
	ExpiresAt time.Time

	// Tags are the session tags (AssumedRole, Federated), including those
	// inherited as transitive through role chaining.
	Tags []Tag
	// TransitiveTagKeys lists the keys of Tags that pass to chained roles.
	TransitiveTagKeys []string
	// SourceIdentity is set once and carried through role chaining.
	SourceIdentity string

	// MFA is true when the session was created with an MFA code; MFATime
	// is when (aws:MultiFactorAuthAge counts from it).
	MFA     bool
	MFATime time.Time

	// Policy is the inline session policy JSON ("" for none) and PolicyARNs
	// the managed session policies.
	Policy     string
	PolicyARNs []string

	// Chained is true for a role session created with role credentials
	// (role chaining): its duration was capped at one hour.
	Chained bool

	// FederatedProvider is aws:FederatedProvider for a session from
	// AssumeRoleWithWebIdentity (or, chained, from one): the ARN of the
	// IAM identity provider; "" otherwise.
	FederatedProvider string
	// ProviderKeys are the condition keys that whoever issued the
	// credentials carries into every request of the session: an identity
	// provider's (for web identity PREFIX:amr, :aud, :id and :sub;
	// reference_policies_iam-condition-keys.html#cross-condition-keys-wif;
	// for SAML saml:namequalifier, :sub, :sub_type) or, for an EC2
	// instance-role session, EC2's (ec2:SourceInstanceARN,
	// ec2:RoleDelivery, aws:Ec2InstanceSourceVpc,
	// aws:Ec2InstanceSourcePrivateIPv4; see [EC2Delivery]).
	ProviderKeys []ProviderKey
}

// A ProviderKey is an identity provider's condition key and its values,
// multivalued (used with ForAnyValue/ForAllValues) when Multi is set.
type ProviderKey struct {
	Key    string
	Values []string
	Multi  bool
}

// Credentials are what STS hands out: an access key ID, its secret and, for
// temporary credentials, the session token and expiry.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey Secret
	SessionToken    string
	Expiration      time.Time
}
