package sts

// Request and response shapes of the STS API, named and typed as in
// aws-sdk-go-v2's service/sts. Constraints quoted on the fields are those of
// the botocore STS model (sts/2011-06-15 service-2.json) and of the API
// reference page of each operation; [AssumeRoleInput.Validate] and its
// siblings enforce them. Fields are declared in the model's member order,
// which is also the order in which validation errors are reported.
//
// Required string members are plain strings ("" is an empty value, not an
// absent one); optional members are pointers, nil when absent.

// PolicyDescriptorType names a managed policy to use as a managed session
// policy.
type PolicyDescriptorType struct {
	// Arn is the managed policy's ARN: 20 to 2048 characters of
	// [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+.
	// An empty Arn counts as absent and is not validated.
	Arn string
}

// AssumeRoleInput is the request of AssumeRole.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
type AssumeRoleInput struct {
	// RoleArn is the ARN of the role to assume. Required; 20 to 2048
	// characters of the ARN pattern (see [PolicyDescriptorType.Arn]).
	RoleArn string
	// RoleSessionName names the session. Required; 2 to 64 characters of
	// [\w+=,.@-]*.
	RoleSessionName string
	// PolicyArns are managed session policies: at most 10 (API reference;
	// the model sets no maximum), each a [PolicyDescriptorType].
	PolicyArns []PolicyDescriptorType
	// Policy is the inline session policy JSON: at least 1 character of
	// [\u0009\u000A\u000D\u0020-\u00FF]+. The API reference limits the
	// plaintext to 2048 characters (the current model sets no maximum for
	// AssumeRole; iamkit enforces 2048).
	Policy *string
	// DurationSeconds is the session's duration: 900 to 43200 here; the
	// role's MaxSessionDuration (and 3600 for role chaining) is checked when
	// the role is known. Default 3600.
	DurationSeconds *int32
	// Tags are session tags: at most 50. Key: 1 to 128 characters of
	// [\p{L}\p{Z}\p{N}_.:/=+\-@]+; Value: 0 to 256 characters of
	// [\p{L}\p{Z}\p{N}_.:/=+\-@]*. Keys are case-insensitive and must be
	// unique.
	Tags []Tag
	// TransitiveTagKeys lists the keys of Tags that pass to chained roles:
	// at most 50, each 1 to 128 characters of [\p{L}\p{Z}\p{N}_.:/=+\-@]+,
	// each one the key of a tag in Tags.
	TransitiveTagKeys []string
	// ExternalId is the external ID the role's trust policy may require:
	// 2 to 1224 characters of [\w+=,.@:\/-]*.
	ExternalId *string
	// SerialNumber identifies the caller's MFA device (its ARN for a virtual
	// device): 9 to 256 characters of [\w+=/:,.@-]*.
	SerialNumber *string
	// TokenCode is the MFA device's one-time code: exactly 6 characters of
	// [\d]*.
	TokenCode *string
	// SourceIdentity is the source identity to set on the session: 2 to 64
	// characters of [\w+=,.@-]*. AWS reserves values beginning "aws:"; the
	// pattern has no ':', so the pattern already rejects them.
	SourceIdentity *string
	// MinimumSessionTokenSize asks for a session token of at least this
	// many bytes (0 to 4096; 0 or nil leaves the size alone): STS pads the
	// token, inside its sealed part.
	MinimumSessionTokenSize *int32
}

// AssumedRoleUser identifies a role session.
type AssumedRoleUser struct {
	// AssumedRoleId is the role's unique ID and the session name,
	// "AROA...:SESSION" (aws:userid of the session).
	AssumedRoleId string
	// Arn is arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	Arn string
}

// AssumeRoleOutput is the response of AssumeRole.
type AssumeRoleOutput struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
	// PackedPolicySize is the percentage of the packed size limit that the
	// session policies and tags use.
	PackedPolicySize *int32
	// SourceIdentity is the session's source identity, when one is set.
	SourceIdentity *string
	// SessionTokenSize is the size in bytes of Credentials.SessionToken.
	SessionTokenSize *int32
}

// GetSessionTokenInput is the request of GetSessionToken.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
type GetSessionTokenInput struct {
	// DurationSeconds is the session's duration: 900 to 129600 (3600 at
	// most for the root user). Default 43200.
	DurationSeconds *int32
	// SerialNumber identifies the caller's MFA device: 9 to 256 characters
	// of [\w+=/:,.@-]*.
	SerialNumber *string
	// TokenCode is the MFA device's one-time code: exactly 6 characters of
	// [\d]*.
	TokenCode *string
	// MinimumSessionTokenSize asks for a session token of at least this
	// many bytes (0 to 4096; 0 or nil leaves the size alone): STS pads the
	// token, inside its sealed part.
	MinimumSessionTokenSize *int32
}

// GetSessionTokenOutput is the response of GetSessionToken.
type GetSessionTokenOutput struct {
	Credentials Credentials
	// SessionTokenSize is the size in bytes of Credentials.SessionToken.
	SessionTokenSize *int32
}

// GetFederationTokenInput is the request of GetFederationToken.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
type GetFederationTokenInput struct {
	// Name is the federated user's name. Required; 2 to 32 characters of
	// [\w+=,.@-]*.
	Name string
	// Policy is the inline session policy JSON: 1 to 2048 characters of
	// [\u0009\u000A\u000D\u0020-\u00FF]+.
	Policy *string
	// PolicyArns are managed session policies: at most 10, each a
	// [PolicyDescriptorType].
	PolicyArns []PolicyDescriptorType
	// DurationSeconds is the session's duration: 900 to 129600 (3600 at
	// most for the root user). Default 43200.
	DurationSeconds *int32
	// Tags are session tags, constrained as in [AssumeRoleInput.Tags].
	Tags []Tag
	// MinimumSessionTokenSize asks for a session token of at least this
	// many bytes (0 to 4096; 0 or nil leaves the size alone): STS pads the
	// token, inside its sealed part.
	MinimumSessionTokenSize *int32
}

// FederatedUser identifies a federated user session.
type FederatedUser struct {
	// FederatedUserId is "ACCOUNT:NAME".
	FederatedUserId string
	// Arn is arn:PARTITION:sts::ACCOUNT:federated-user/NAME.
	Arn string
}

// GetFederationTokenOutput is the response of GetFederationToken.
type GetFederationTokenOutput struct {
	Credentials   Credentials
	FederatedUser FederatedUser
	// PackedPolicySize is the percentage of the packed size limit that the
	// session policies and tags use.
	PackedPolicySize *int32
	// SessionTokenSize is the size in bytes of Credentials.SessionToken.
	SessionTokenSize *int32
}

// GetCallerIdentityOutput is the response of GetCallerIdentity, which has no
// input.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
type GetCallerIdentityOutput struct {
	Account string // 12 digits
	Arn     string // the caller's ARN
	UserId  string // aws:userid of the caller
}

// GetAccessKeyInfoInput is the request of GetAccessKeyInfo.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
type GetAccessKeyInfoInput struct {
	// AccessKeyId is the access key ID to look up. Required; 16 to 128
	// characters of [\w]*.
	AccessKeyId string
}

// GetAccessKeyInfoOutput is the response of GetAccessKeyInfo.
type GetAccessKeyInfoOutput struct {
	Account string // the account that owns the key
}

// DecodeAuthorizationMessageInput is the request of
// DecodeAuthorizationMessage.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
type DecodeAuthorizationMessageInput struct {
	// EncodedMessage is the encoded authorization message. Required; 1 to
	// 10240 characters.
	EncodedMessage string
}

// DecodeAuthorizationMessageOutput is the response of
// DecodeAuthorizationMessage.
type DecodeAuthorizationMessageOutput struct {
	// DecodedMessage is the decoded message, a JSON document.
	DecodedMessage string
}
