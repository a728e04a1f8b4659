package credentials

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamkit/iamkit/sts"
)

// Sources reported in [aws.Credentials.Source] by the providers of this
// package.
const (
	SourceAssumeRole      = "iamkit:AssumeRole"
	SourceGetSessionToken = "iamkit:GetSessionToken"
	SourceStatic          = "iamkit:Static"
)

// DefaultAssumeRoleDuration is the session duration an [AssumeRoleProvider]
// asks for when [AssumeRoleOptions.Duration] is zero: 15 minutes, the STS
// minimum, as stscreds.DefaultDuration ("expire as often as AWS permits").
const DefaultAssumeRoleDuration = 15 * time.Minute

// ErrMFATokenProvider is returned by Retrieve when a SerialNumber is set but
// no TokenProvider is, as stscreds does.
var ErrMFATokenProvider = errors.New("credentials: MFA SerialNumber is set, but TokenProvider is not")

// AssumeRoleOptions configure an [AssumeRoleProvider]. They mirror
// stscreds.AssumeRoleOptions of aws-sdk-go-v2; the zero value of each field
// means the default documented on it. Values are passed to
// [sts.Issuer.AssumeRole] unchanged, so an out-of-range value fails there
// with STS's ValidationError rather than being silently clamped.
type AssumeRoleOptions struct {
	// RoleSessionName names the role session. Default: "aws-go-sdk-" and
	// the Unix time in nanoseconds read from Now at the first Retrieve, as
	// stscreds does; the name is then kept for every refresh, so with an
	// injected clock it is deterministic.
	RoleSessionName string
	// Duration is the session's lifetime, truncated to whole seconds.
	// Default DefaultAssumeRoleDuration (15 minutes). STS accepts 15
	// minutes up to the role's MaxSessionDuration, and at most one hour
	// when the base credentials are themselves a role session (role
	// chaining).
	Duration time.Duration
	// ExternalID is passed as ExternalId, for trust policies that require
	// sts:ExternalId. Default none.
	ExternalID *string
	// Policy is an inline session policy (JSON). Default none.
	Policy *string
	// PolicyARNs name managed session policies. Default none.
	PolicyARNs []string
	// SerialNumber identifies the MFA device of the user behind the base
	// credentials. When set, TokenProvider must be set too; it is called on
	// every Retrieve (each refresh needs a fresh code: STS accepts a code
	// once).
	SerialNumber *string
	// TokenProvider returns the current MFA code, for example
	// stscreds.StdinTokenProvider, or sts.GenerateTOTP in tests.
	TokenProvider func() (string, error)
	// SourceIdentity is set on the session (and cannot change along a
	// chain). Default none.
	SourceIdentity *string
	// Tags are session tags, and TransitiveTagKeys the keys among them that
	// pass on to chained role sessions. Default none.
	Tags              []sts.Tag
	TransitiveTagKeys []string
	// Now is the clock used only for the default RoleSessionName. Default
	// time.Now; pass the issuer's clock for a deterministic name.
	Now func() time.Time
}

// AssumeRoleProvider is an [aws.CredentialsProvider] that assumes a role
// with an in-process [sts.Issuer], like stscreds.AssumeRoleProvider does
// with the STS service. Each Retrieve authenticates the credentials of the
// base provider with the issuer and calls AssumeRole: it does not cache,
// so wrap it in [aws.NewCredentialsCache]. It is safe for concurrent use.
type AssumeRoleProvider struct {
	issuer  *sts.Issuer
	base    aws.CredentialsProvider
	roleARN string
	opt     AssumeRoleOptions

	nameOnce sync.Once
	name     string
}

// NewAssumeRoleProvider returns a provider of credentials for roleARN,
// assumed with the credentials base returns: an IAM user's long-term keys
// ([NewStaticProvider]), or temporary credentials of another provider —
// another AssumeRoleProvider for role chaining, or a [SessionTokenProvider]
// for an MFA session.
func NewAssumeRoleProvider(issuer *sts.Issuer, base aws.CredentialsProvider, roleARN string, optFns ...func(*AssumeRoleOptions)) *AssumeRoleProvider {
	p := &AssumeRoleProvider{issuer: issuer, base: base, roleARN: roleARN}
	for _, fn := range optFns {
		fn(&p.opt)
	}
	// Copy the slices so that later changes by the caller do not race with
	// Retrieve.
	p.opt.PolicyARNs = append([]string(nil), p.opt.PolicyARNs...)
	p.opt.Tags = append([]sts.Tag(nil), p.opt.Tags...)
	p.opt.TransitiveTagKeys = append([]string(nil), p.opt.TransitiveTagKeys...)
	if p.opt.Duration == 0 {
		p.opt.Duration = DefaultAssumeRoleDuration
	}
	if p.opt.Now == nil {
		p.opt.Now = time.Now
	}
	return p
}

// RoleSessionName returns the session name the provider uses, choosing the
// default on the first call if none was set.
func (p *AssumeRoleProvider) RoleSessionName() string {
	p.nameOnce.Do(func() {
		p.name = p.opt.RoleSessionName
		if p.name == "" {
			p.name = fmt.Sprintf("aws-go-sdk-%d", p.opt.Now().UTC().UnixNano())
		}
	})
	return p.name
}

// Retrieve assumes the role. Errors of the issuer are returned unchanged:
// they are *sts.Error values that satisfy smithy.APIError, so
// errors.As(err, &apiErr) and apiErr.ErrorCode() work as with the real STS.
func (p *AssumeRoleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if p.issuer == nil || p.base == nil {
		return aws.Credentials{Source: SourceAssumeRole}, errors.New("credentials: AssumeRoleProvider needs an issuer and a base provider")
	}
	in := &sts.AssumeRoleInput{
		RoleArn:           p.roleARN,
		RoleSessionName:   p.RoleSessionName(),
		Policy:            p.opt.Policy,
		Tags:              p.opt.Tags,
		TransitiveTagKeys: p.opt.TransitiveTagKeys,
		ExternalId:        p.opt.ExternalID,
		SourceIdentity:    p.opt.SourceIdentity,
	}
	secs := int32(p.opt.Duration / time.Second)
	in.DurationSeconds = &secs
	for _, arn := range p.opt.PolicyARNs {
		in.PolicyArns = append(in.PolicyArns, sts.PolicyDescriptorType{Arn: arn})
	}
	var err error
	if in.SerialNumber, in.TokenCode, err = mfaInput(p.opt.SerialNumber, p.opt.TokenProvider); err != nil {
		return aws.Credentials{Source: SourceAssumeRole}, err
	}
	caller, err := authenticateBase(ctx, p.issuer, p.base)
	if err != nil {
		return aws.Credentials{Source: SourceAssumeRole}, err
	}
	out, err := p.issuer.AssumeRole(ctx, caller, in)
	if err != nil {
		return aws.Credentials{Source: SourceAssumeRole}, err
	}
	return temporaryCredentials(out.Credentials, SourceAssumeRole, assumedRoleAccount(out.AssumedRoleUser.Arn)), nil
}

// SessionTokenOptions configure a [SessionTokenProvider]; the zero value of
// each field means its default.
type SessionTokenOptions struct {
	// Duration is the session's lifetime, truncated to whole seconds.
	// Default: STS's, 12 hours (one hour for the root user). STS accepts 15
	// minutes to 36 hours.
	Duration time.Duration
	// SerialNumber and TokenProvider prove MFA, as in [AssumeRoleOptions].
	SerialNumber  *string
	TokenProvider func() (string, error)
}

// SessionTokenProvider is an [aws.CredentialsProvider] that calls
// GetSessionToken with an in-process [sts.Issuer], typically to turn an IAM
// user's long-term keys and an MFA code into an MFA session. It does not
// cache; wrap it in [aws.NewCredentialsCache]. It is safe for concurrent
// use.
type SessionTokenProvider struct {
	issuer *sts.Issuer
	base   aws.CredentialsProvider
	opt    SessionTokenOptions
}

// NewSessionTokenProvider returns a provider of GetSessionToken credentials
// for the IAM user (or root user) whose long-term keys base returns.
func NewSessionTokenProvider(issuer *sts.Issuer, base aws.CredentialsProvider, optFns ...func(*SessionTokenOptions)) *SessionTokenProvider {
	p := &SessionTokenProvider{issuer: issuer, base: base}
	for _, fn := range optFns {
		fn(&p.opt)
	}
	return p
}

// Retrieve calls GetSessionToken. Issuer errors are returned unchanged, as
// by [AssumeRoleProvider.Retrieve].
func (p *SessionTokenProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if p.issuer == nil || p.base == nil {
		return aws.Credentials{Source: SourceGetSessionToken}, errors.New("credentials: SessionTokenProvider needs an issuer and a base provider")
	}
	in := &sts.GetSessionTokenInput{}
	if p.opt.Duration != 0 {
		secs := int32(p.opt.Duration / time.Second)
		in.DurationSeconds = &secs
	}
	var err error
	if in.SerialNumber, in.TokenCode, err = mfaInput(p.opt.SerialNumber, p.opt.TokenProvider); err != nil {
		return aws.Credentials{Source: SourceGetSessionToken}, err
	}
	caller, err := authenticateBase(ctx, p.issuer, p.base)
	if err != nil {
		return aws.Credentials{Source: SourceGetSessionToken}, err
	}
	out, err := p.issuer.GetSessionToken(ctx, caller, in)
	if err != nil {
		return aws.Credentials{Source: SourceGetSessionToken}, err
	}
	return temporaryCredentials(out.Credentials, SourceGetSessionToken, caller.Account), nil
}

// NewStaticProvider returns a provider of long-term credentials: an access
// key ID (AKIA...) and its secret. The credentials never expire
// (CanExpire is false) and carry accountID. The provider never prints its
// secret: String, GoString, Format and LogValue redact it.
func NewStaticProvider(accessKeyID string, secret sts.Secret, accountID string) aws.CredentialsProvider {
	return staticProvider{id: accessKeyID, secret: secret, account: accountID}
}

type staticProvider struct {
	id      string
	secret  sts.Secret
	account string
}

func (s staticProvider) Retrieve(context.Context) (aws.Credentials, error) {
	if s.id == "" || s.secret.IsZero() {
		return aws.Credentials{Source: SourceStatic}, errors.New("credentials: static credentials are empty")
	}
	return aws.Credentials{AccessKeyID: s.id, SecretAccessKey: s.secret.Reveal(), Source: SourceStatic, AccountID: s.account}, nil
}

// String shows the access key ID and account, never the secret.
func (s staticProvider) String() string {
	return "credentials.StaticProvider{AccessKeyID: " + s.id + ", SecretAccessKey: [REDACTED], AccountID: " + s.account + "}"
}

func (s staticProvider) GoString() string           { return s.String() }
func (s staticProvider) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }
func (s staticProvider) LogValue() slog.Value       { return slog.StringValue(s.String()) }

// authenticateBase retrieves the base credentials and opens them with the
// issuer: long-term keys are looked up, temporary ones opened from their
// session token.
func authenticateBase(ctx context.Context, issuer *sts.Issuer, base aws.CredentialsProvider) (*sts.Session, error) {
	creds, err := base.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	return issuer.Authenticate(ctx, creds.AccessKeyID, sts.NewSecret(creds.SecretAccessKey), creds.SessionToken)
}

// mfaInput asks the token provider for a code when a serial number is set.
func mfaInput(serial *string, tokens func() (string, error)) (*string, *string, error) {
	if serial == nil {
		return nil, nil, nil
	}
	if tokens == nil {
		return nil, nil, ErrMFATokenProvider
	}
	code, err := tokens()
	if err != nil {
		return nil, nil, fmt.Errorf("credentials: MFA token provider: %w", err)
	}
	s := *serial
	return &s, &code, nil
}

func temporaryCredentials(c sts.Credentials, source, account string) aws.Credentials {
	return aws.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey.Reveal(),
		SessionToken:    c.SessionToken,
		Source:          source,
		CanExpire:       true,
		Expires:         c.Expiration,
		AccountID:       account,
	}
}

// assumedRoleAccount returns field 5 of an ARN, the account, as stscreds does for
// the AssumedRoleUser ARN ("" if arn has fewer fields).
func assumedRoleAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}
