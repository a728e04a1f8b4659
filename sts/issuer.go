package sts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"github.com/iamkit/iamkit/federation"
	"io"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// Options configure an [Issuer]. Directory and Keys are required; the zero
// value of every other field means the documented default.
type Options struct {
	// Directory serves accounts, users, roles and policies.
	Directory Directory
	// Keys seal and open session tokens and authorization messages.
	Keys *KeyRing
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand is the source of randomness for identifiers: the access key
	// IDs of issued credentials. Default crypto/rand.Reader. Token nonces
	// and secret access keys always come from crypto/rand, whatever Rand
	// is, so a deterministic Rand (as tests and examples use) repeats
	// identifiers only, never a nonce or a secret.
	Rand io.Reader
	// Region is the region this STS endpoint serves, checked against each
	// account's DisabledRegions. Default "us-east-1".
	Region string
	// KeySource supplies the public keys of OIDC providers that have no
	// inline keys, for AssumeRoleWithWebIdentity. Nil: such providers'
	// tokens are refused (InvalidIdentityToken).
	KeySource federation.KeySource
	// MFA verifies MFA codes. Default NewTOTP(Now) with MFAStore as its
	// Store.
	MFA *TOTP
	// MFAStore keeps the replay and throttling state of the default MFA
	// verifier; nil means a process-local MemoryMFAStore. Issuers in
	// several processes serving the same sessions must share one (see
	// [MFAStore]). With MFA set, set MFA.Store instead: setting both is an
	// error.
	MFAStore MFAStore
}

// Issuer performs the STS operations: it authenticates callers, authorizes
// them with the policy engine and issues sealed temporary credentials. It
// holds no per-session state: a session lives entirely in its sealed token,
// so any number of Issuers sharing a key ring and a Directory can open and
// serve the same sessions. The one state it keeps is per MFA device: the
// last accepted TOTP step (replay protection) and the count of consecutive
// failures (throttling), in the [MFAStore] of Options.MFA or
// Options.MFAStore. The default store is in memory and per process, so
// several Issuers across processes, or one across restarts, must share a
// durable MFAStore, or a code used on one is accepted by another. An Issuer
// is safe for concurrent use.
type Issuer struct {
	dir       Directory
	keys      *KeyRing
	now       func() time.Time
	rand      io.Reader
	region    string
	mfa       *TOTP
	keySource federation.KeySource
}

// NewIssuer returns an Issuer.
func NewIssuer(opt Options) (*Issuer, error) {
	if opt.Directory == nil {
		return nil, errors.New("sts: Options.Directory is required")
	}
	if opt.Keys == nil {
		return nil, errors.New("sts: Options.Keys is required")
	}
	is := &Issuer{dir: opt.Directory, keys: opt.Keys, now: opt.Now, rand: opt.Rand, region: opt.Region, mfa: opt.MFA, keySource: opt.KeySource}
	if is.now == nil {
		is.now = time.Now
	}
	if is.rand == nil {
		is.rand = rand.Reader
	}
	if is.region == "" {
		is.region = "us-east-1"
	}
	if is.mfa == nil {
		is.mfa = &TOTP{Now: is.now, Store: opt.MFAStore}
	} else if opt.MFAStore != nil {
		return nil, errors.New("sts: set Options.MFAStore or Options.MFA.Store, not both")
	}
	return is, nil
}

// Region returns the region this Issuer serves: Options.Region, or
// "us-east-1" when that was empty. Front ends such as package stsapi
// require the SigV4 credential scope of each request to name it.
func (is *Issuer) Region() string { return is.region }

// Durations AWS documents for each operation.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
const (
	defaultRoleDuration    = 3600 * time.Second
	chainedRoleMaxDuration = 3600 * time.Second
	defaultTokenDuration   = 43200 * time.Second
	rootMaxDuration        = 3600 * time.Second
	// MaxSessionLifetime is the longest session STS issues (GetSessionToken
	// and GetFederationToken, 129,600 s); a token claiming more is invalid.
	MaxSessionLifetime = 129600 * time.Second
	// MaxIssueSkew is how far in the future a token's IssuedAt may lie,
	// for clocks that differ between servers (SigV4's 15 minutes).
	MaxIssueSkew = 15 * time.Minute
)

// clock returns the current time as AWS states it: UTC, whole seconds, no
// monotonic reading.
func (is *Issuer) clock() time.Time { return is.now().UTC().Truncate(time.Second) }

// errNoCaller answers an operation called without a caller session.
func errNoCaller() *Error {
	return newError(ErrMissingAuthenticationToken, "Request is missing Authentication Token")
}

// Authenticate turns the credentials a caller presents into its [Session]:
// a long-term access key (AKIA..., no token) is looked up in the Directory;
// temporary credentials (ASIA...) are opened from their session token,
// without any lookup. The secret is compared in constant time. Failures
// answer as AWS does: InvalidClientTokenId for unknown or malformed
// credentials, ExpiredToken for an expired session, SignatureDoesNotMatch
// for a wrong secret.
func (is *Issuer) Authenticate(ctx context.Context, accessKeyID string, secret Secret, sessionToken string) (*Session, error) {
	s, want, err := is.Resolve(ctx, accessKeyID, sessionToken)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(want.Reveal()), []byte(secret.Reveal())) != 1 {
		return nil, newError(ErrSignatureDoesNotMatch, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
	}
	return s, nil
}

// Resolve finds the session behind an access key ID (and its session token,
// for temporary credentials) and returns it with the secret access key that
// belongs to it, for a signature verifier to check a request's signature.
func (is *Issuer) Resolve(ctx context.Context, accessKeyID, sessionToken string) (*Session, Secret, error) {
	invalid := func(cause error) error {
		e := newError(ErrInvalidClientTokenID, "The security token included in the request is invalid.")
		e.Err = cause
		return e
	}
	switch {
	case strings.HasPrefix(accessKeyID, "ASIA"):
		if sessionToken == "" {
			return nil, Secret{}, invalid(errors.New("temporary access key without a session token"))
		}
		s, secret, err := is.keys.Open(accessKeyID, sessionToken)
		if err != nil {
			return nil, Secret{}, invalid(err)
		}
		now := is.now()
		if s.IssuedAt.After(now.Add(MaxIssueSkew)) {
			return nil, Secret{}, invalid(&TokenError{"IssuedAt in the future beyond MaxIssueSkew"})
		}
		if life := s.ExpiresAt.Sub(s.IssuedAt); life <= 0 || life > MaxSessionLifetime {
			return nil, Secret{}, invalid(&TokenError{"lifetime outside (0, MaxSessionLifetime]"})
		}
		if !now.Before(s.ExpiresAt) {
			return nil, Secret{}, newError(ErrExpiredToken, "The security token included in the request is expired")
		}
		return s, secret, nil
	case strings.HasPrefix(accessKeyID, "AKIA"):
		if sessionToken != "" {
			return nil, Secret{}, invalid(errors.New("long-term access key with a session token"))
		}
		u, key, err := is.dir.UserByAccessKey(ctx, accessKeyID)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, Secret{}, invalid(err)
			}
			return nil, Secret{}, err
		}
		if key.Inactive {
			return nil, Secret{}, invalid(errors.New("inactive access key"))
		}
		a, err := principal.ParseARN(u.ARN)
		if err != nil {
			return nil, Secret{}, fmt.Errorf("sts: directory user %q: %w", u.ARN, err)
		}
		s := &Session{Kind: LongTerm, AccessKeyID: accessKeyID, Account: a.Account, Partition: a.Partition,
			ARN: u.ARN, UserID: u.UniqueID, SourceARN: u.ARN, SourceID: u.UniqueID}
		if u.Root {
			s.UserID = a.Account
		}
		return s, key.Secret, nil
	}
	return nil, Secret{}, invalid(errors.New("unknown access key ID prefix"))
}

// GetCallerIdentity returns who the caller is. It needs no permission and
// an explicit deny cannot stop it.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func (is *Issuer) GetCallerIdentity(ctx context.Context, caller *Session) (*GetCallerIdentityOutput, error) {
	if caller == nil {
		return nil, errNoCaller()
	}
	return &GetCallerIdentityOutput{Account: caller.Account, Arn: caller.ARN, UserId: caller.UserID}, nil
}

// GetAccessKeyInfo returns the account that owns an access key ID, decoded
// from the ID itself. Like AWS, it does not say whether the key exists.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
func (is *Issuer) GetAccessKeyInfo(ctx context.Context, caller *Session, in *GetAccessKeyInfoInput) (*GetAccessKeyInfoOutput, error) {
	if in == nil {
		in = &GetAccessKeyInfoInput{} // validation reports the missing members
	}
	if err := is.stsCallAllowed(caller, "GetAccessKeyInfo"); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	acct, err := AccountFromAccessKeyID(in.AccessKeyId)
	if err != nil {
		e := newError(ErrValidation, "1 validation error detected: Value '%s' at 'accessKeyId' failed to satisfy constraint: Member must be a valid access key ID", echo(in.AccessKeyId))
		e.Err = err
		return nil, e
	}
	if err := is.requirePermission(ctx, caller, "sts:GetAccessKeyInfo", "*"); err != nil {
		return nil, err
	}
	return &GetAccessKeyInfoOutput{Account: acct}, nil
}

// stsCallAllowed enforces what each kind of credentials may call in STS:
// federated users only GetCallerIdentity; role sessions and GetSessionToken
// sessions neither GetSessionToken nor GetFederationToken; the root user no
// AssumeRole.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison
func (is *Issuer) stsCallAllowed(caller *Session, op string) error {
	if caller == nil {
		return errNoCaller()
	}
	switch caller.Kind {
	case Federated:
		switch op {
		case "GetCallerIdentity":
		case "GetSessionToken", "GetFederationToken":
			// AWS's words for any session credentials.
			return newError(ErrAccessDenied, "Cannot call %s with session credentials", op)
		default:
			// AWS documents the rule, not its message.
			return newError(ErrAccessDenied, "Cannot call %s with session credentials of a federated user", op)
		}
	case AssumedRole, SessionToken:
		if op == "GetSessionToken" || op == "GetFederationToken" {
			return newError(ErrAccessDenied, "Cannot call %s with session credentials", op)
		}
	}
	return nil
}

// requirePermission authorizes caller for action on resource and answers
// AccessDenied in AWS's words when it is not allowed.
func (is *Issuer) requirePermission(ctx context.Context, caller *Session, action, resource string) error {
	denied, d, err := is.authorizeActions(ctx, caller, AuthorizeInput{Action: action, Resource: resource}, nil, nil)
	if err != nil {
		return err
	}
	if denied != "" {
		return accessDenied(caller, action, resource, d)
	}
	return nil
}

// accessDenied words a denial as STS does: "User: CALLER is not authorized
// to perform: ACTION on resource: RESOURCE", with " with an explicit deny"
// when a Deny statement decided.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func accessDenied(caller *Session, action, resource string, d *Decision) *Error {
	how := ""
	if d != nil && d.Explanation != nil && d.Explanation.Decision == policy.ExplicitDeny {
		how = " with an explicit deny"
	}
	return newError(ErrAccessDenied, "User: %s is not authorized to perform: %s on resource: %s%s", caller.ARN, action, resource, how)
}

// region checks that STS is enabled in this region for the account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html
func (is *Issuer) checkRegion(acct *Account) error {
	for _, r := range acct.DisabledRegions {
		if r == is.region {
			return newError(ErrRegionDisabled, "STS is not activated in this region for account:%s. Your account administrator can activate STS in this region using the IAM Console.", acct.ID)
		}
	}
	return nil
}

func (is *Issuer) account(ctx context.Context, id string) (*Account, error) {
	a, err := is.dir.Account(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return &Account{ID: id}, nil // an account the directory does not describe: no organization
	}
	return a, err
}

// duration resolves DurationSeconds against a default and a maximum.
func duration(in *int32, def time.Duration) time.Duration {
	if in == nil {
		return def
	}
	return time.Duration(*in) * time.Second
}

// sessionPolicies parses the inline session policy and loads the managed
// ones; it returns them with the packed size percentage AWS reports.
func (is *Issuer) sessionPolicies(ctx context.Context, inline *string, arns []PolicyDescriptorType, tags []Tag) ([]*policy.Policy, []string, *int32, error) {
	var out []*policy.Policy
	var names []string
	if inline != nil {
		p, err := policy.ParseWithOptions([]byte(*inline), policy.Session, policy.Options{Name: "session policy"})
		if err != nil {
			e := newError(ErrMalformedPolicyDocument, "%s", strings.TrimPrefix(err.Error(), "policy: "))
			e.Err = err
			return nil, nil, nil, e
		}
		out = append(out, p)
	}
	for _, d := range arns {
		p, err := is.dir.ManagedPolicy(ctx, d.Arn)
		if err != nil {
			if errors.Is(err, ErrNotFound) {
				return nil, nil, nil, newError(ErrMalformedPolicyDocument, "Policy %s does not exist or is not attachable.", d.Arn)
			}
			return nil, nil, nil, err
		}
		out = append(out, p.WithName(d.Arn))
		names = append(names, d.Arn)
	}
	size, err := packedPolicySize(inline, arns, tags)
	if err != nil {
		return nil, nil, nil, err
	}
	return out, names, size, nil
}

// mergeTags returns the session's tags: inherited transitive tags first,
// then the new ones. A new tag may not reuse an inherited transitive key,
// and keys are compared case-insensitively.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining
func mergeTags(inherited []Tag, inheritedKeys []string, tags []Tag, transitive []string) ([]Tag, []string, error) {
	// Only the calling session's transitive tags pass down the chain.
	var out []Tag
	for _, t := range inherited {
		for _, k := range inheritedKeys {
			if strings.EqualFold(k, t.Key) {
				out = append(out, t)
				break
			}
		}
	}
	keys := append([]string(nil), inheritedKeys...)
	for _, t := range tags {
		for _, k := range inheritedKeys {
			if strings.EqualFold(k, t.Key) {
				e := newError(ErrInvalidParameterValue, "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
				e.Err = fmt.Errorf("tag key %q", t.Key)
				return nil, nil, e
			}
		}
		out = append(out, t)
	}
	keys = append(keys, transitive...)
	return out, keys, nil
}

// AssumeRole returns temporary credentials for a role, after checking the
// caller's permission (identity policies, boundary, session policies and
// SCPs) and the role's trust policy exactly as AWS does; with tags it also
// needs sts:TagSession, with SourceIdentity sts:SetSourceIdentity.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func (is *Issuer) AssumeRole(ctx context.Context, caller *Session, in *AssumeRoleInput) (*AssumeRoleOutput, error) {
	if in == nil {
		in = &AssumeRoleInput{} // validation reports the missing members
	}
	if caller == nil {
		return nil, errNoCaller()
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := is.stsCallAllowed(caller, "AssumeRole"); err != nil {
		return nil, err
	}
	if caller.Kind == LongTerm && caller.ARN == rootARN(caller) {
		return nil, newError(ErrAccessDenied, "Roles may not be assumed by root accounts.")
	}
	roleARN, err := parseRoleARN(in.RoleArn)
	if err != nil {
		return nil, err
	}
	role, err := is.dir.Role(ctx, in.RoleArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, accessDenied(caller, "sts:AssumeRole", in.RoleArn, nil)
		}
		return nil, err
	}
	roleAcct, err := is.account(ctx, roleARN.Account)
	if err != nil {
		return nil, err
	}
	if err := is.checkRegion(roleAcct); err != nil {
		return nil, err
	}

	// Durations: 900 s up to the role's maximum; one hour when chaining.
	chained := caller.Kind == AssumedRole
	dur, err := roleDuration(in.DurationSeconds, role, chained)
	if err != nil {
		return nil, err
	}

	// SourceIdentity is set once and never changes along a chain.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
	sourceIdentity := caller.SourceIdentity
	if in.SourceIdentity != nil {
		if caller.SourceIdentity != "" && *in.SourceIdentity != caller.SourceIdentity {
			return nil, newError(ErrAccessDenied, "SourceIdentity is already set to %s for this session and cannot be changed.", caller.SourceIdentity)
		}
		sourceIdentity = *in.SourceIdentity
	}

	tags, transitive, err := mergeTags(caller.Tags, caller.TransitiveTagKeys, in.Tags, in.TransitiveTagKeys)
	if err != nil {
		return nil, err
	}
	if !chained {
		// Only role sessions pass transitive tags on.
		tags, transitive = append([]Tag(nil), in.Tags...), append([]string(nil), in.TransitiveTagKeys...)
	}
	_, policyARNs, packed, err := is.sessionPolicies(ctx, in.Policy, in.PolicyArns, in.Tags)
	if err != nil {
		return nil, err
	}

	// MFA, verified against the calling user's devices.
	now := is.clock()
	mfa, mfaTime, err := is.checkMFA(ctx, caller, in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, err
	}

	// Authorization: the request context the trust policy sees.
	req := AuthorizeInput{Action: "sts:AssumeRole", Resource: in.RoleArn, Context: condition.NewContext()}
	rc := req.Context
	rc.Set("sts:RoleSessionName", in.RoleSessionName)
	if in.ExternalId != nil {
		rc.Set("sts:ExternalId", *in.ExternalId)
	}
	if in.SourceIdentity != nil {
		rc.Set("sts:SourceIdentity", *in.SourceIdentity)
	}
	if len(in.TransitiveTagKeys) > 0 {
		rc.SetList("sts:TransitiveTagKeys", in.TransitiveTagKeys)
	}
	if len(in.Tags) > 0 {
		keys := make([]string, len(in.Tags))
		for i, t := range in.Tags {
			rc.Set("aws:RequestTag/"+t.Key, t.Value)
			keys[i] = t.Key
		}
		rc.SetList("aws:TagKeys", keys)
	}
	if mfa {
		rc.SetBool("aws:MultiFactorAuthPresent", true)
		rc.Set("aws:MultiFactorAuthAge", "0")
	}
	actions := []string{"sts:AssumeRole"}
	if len(in.Tags) > 0 || len(in.TransitiveTagKeys) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if in.SourceIdentity != nil {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	if denied, d, err := is.authorizeActions(ctx, caller, req, actions, role.TrustPolicy); err != nil {
		return nil, err
	} else if denied != "" {
		return nil, accessDenied(caller, denied, in.RoleArn, d)
	}

	s := newRoleSession(roleARN, role, in, now, dur)
	s.Tags, s.TransitiveTagKeys, s.SourceIdentity = tags, transitive, sourceIdentity
	s.MFA, s.MFATime, s.PolicyARNs, s.Chained = mfa, mfaTime, policyARNs, chained
	creds, size, err := is.issue(s, in.MinimumSessionTokenSize)
	if err != nil {
		return nil, err
	}
	out := &AssumeRoleOutput{Credentials: creds, AssumedRoleUser: AssumedRoleUser{AssumedRoleId: s.UserID, Arn: s.ARN},
		PackedPolicySize: packed, SessionTokenSize: size}
	if sourceIdentity != "" {
		out.SourceIdentity = &sourceIdentity
	}
	return out, nil
}

// parseRoleARN checks that arn names an IAM role.
func parseRoleARN(arn string) (principal.ARN, error) {
	a, err := principal.ParseARN(arn)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return principal.ARN{}, newError(ErrValidation, "%s is invalid", arn)
	}
	return a, nil
}

// roleDuration resolves DurationSeconds for a role: 900 s up to the role's
// MaxSessionDuration (one hour by default), and at most one hour when
// chaining, each with AWS's message.
func roleDuration(seconds *int32, role *Role, chained bool) (time.Duration, error) {
	maxDur := role.MaxSessionDuration
	if maxDur == 0 {
		maxDur = defaultRoleDuration
	}
	dur := duration(seconds, defaultRoleDuration)
	if chained && dur > chainedRoleMaxDuration {
		return 0, newError(ErrValidation, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	if dur > maxDur {
		return 0, newError(ErrValidation, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	return dur, nil
}

// newRoleSession returns the session of a role named by in, issued now.
func newRoleSession(roleARN principal.ARN, role *Role, in *AssumeRoleInput, now time.Time, dur time.Duration) *Session {
	name := roleARN.Resource[strings.LastIndexByte(roleARN.Resource, '/')+1:]
	s := &Session{Kind: AssumedRole, Account: roleARN.Account, Partition: roleARN.Partition,
		ARN:       fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", roleARN.Partition, roleARN.Account, name, in.RoleSessionName),
		UserID:    role.UniqueID + ":" + in.RoleSessionName,
		SourceARN: in.RoleArn, SourceID: role.UniqueID, SessionName: in.RoleSessionName,
		IssuedAt: now, ExpiresAt: now.Add(dur)}
	if in.Policy != nil {
		s.Policy = *in.Policy
	}
	return s
}

// issue gives a session its access key ID and seals it, padding the token
// to minSize bytes when asked (MinimumSessionTokenSize). It also returns the
// token's size for the response's SessionTokenSize.
func (is *Issuer) issue(s *Session, minSize *int32) (Credentials, *int32, error) {
	id, err := NewAccessKeyID("ASIA", s.Account, is.rand)
	if err != nil {
		return Credentials{}, nil, err
	}
	s.AccessKeyID = id
	// AWS states times in whole seconds, UTC: the sealed times and the
	// returned Expiration are the same instant.
	s.IssuedAt = s.IssuedAt.UTC().Truncate(time.Second)
	s.ExpiresAt = s.ExpiresAt.UTC().Truncate(time.Second)
	minLen := 0
	if minSize != nil {
		minLen = int(*minSize)
	}
	token, secret, err := is.keys.SealPadded(s, minLen)
	if err != nil {
		return Credentials{}, nil, err
	}
	size := int32(len(token))
	return Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Expiration: s.ExpiresAt}, &size, nil
}

func rootARN(s *Session) string {
	part := s.Partition
	if part == "" {
		part = "aws"
	}
	return "arn:" + part + ":iam::" + s.Account + ":root"
}

// checkMFA verifies an MFA code against the calling user's devices.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
func (is *Issuer) checkMFA(ctx context.Context, caller *Session, serial, code *string) (bool, time.Time, error) {
	if serial == nil && code == nil {
		return false, time.Time{}, nil
	}
	if serial == nil || code == nil {
		return false, time.Time{}, newError(ErrValidation, "SerialNumber and TokenCode must be specified together")
	}
	failed := newError(ErrAccessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	if caller.Kind != LongTerm && caller.Kind != SessionToken {
		return false, time.Time{}, failed
	}
	u, err := is.dir.User(ctx, caller.SourceARN)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return false, time.Time{}, failed
		}
		return false, time.Time{}, err
	}
	for _, d := range u.MFADevices {
		if d.SerialNumber != *serial {
			continue
		}
		_, err := is.mfa.VerifyDevice(ctx, MFADeviceKey{UserARN: u.ARN, SerialNumber: d.SerialNumber}, []byte(d.Seed.Reveal()), *code)
		if err != nil {
			if !errors.Is(err, ErrInvalidMFACode) && !errors.Is(err, ErrMFACodeReused) && !errors.Is(err, ErrMFALocked) {
				return false, time.Time{}, err // the store failed
			}
			// A wrong, reused or locked-out code: one answer, no oracle.
			failed.Err = err
			return false, time.Time{}, failed
		}
		return true, is.clock(), nil
	}
	return false, time.Time{}, failed
}

// longTermTokenDuration checks what GetSessionToken and GetFederationToken
// share: only long-term credentials may call them, STS must be enabled in
// the region for the account, and the duration defaults to 12 hours, capped
// at one hour for the root user.
func (is *Issuer) longTermTokenDuration(ctx context.Context, caller *Session, op string, seconds *int32) (time.Duration, error) {
	if err := is.stsCallAllowed(caller, op); err != nil {
		return 0, err
	}
	if caller.Kind != LongTerm {
		return 0, newError(ErrAccessDenied, "Cannot call %s with session credentials", op)
	}
	acct, err := is.account(ctx, caller.Account)
	if err != nil {
		return 0, err
	}
	if err := is.checkRegion(acct); err != nil {
		return 0, err
	}
	dur := duration(seconds, defaultTokenDuration)
	if caller.ARN == rootARN(caller) && dur > rootMaxDuration {
		dur = rootMaxDuration
	}
	return dur, nil
}

// GetSessionToken returns temporary credentials for an IAM user or the root
// user, typically to prove MFA. It needs no permission; only long-term
// credentials may call it. Root sessions last at most one hour.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func (is *Issuer) GetSessionToken(ctx context.Context, caller *Session, in *GetSessionTokenInput) (*GetSessionTokenOutput, error) {
	if caller == nil {
		return nil, errNoCaller()
	}
	if in == nil {
		in = &GetSessionTokenInput{} // every parameter is optional
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	dur, err := is.longTermTokenDuration(ctx, caller, "GetSessionToken", in.DurationSeconds)
	if err != nil {
		return nil, err
	}
	mfa, mfaTime, err := is.checkMFA(ctx, caller, in.SerialNumber, in.TokenCode)
	if err != nil {
		return nil, err
	}
	now := is.clock()
	s := &Session{Kind: SessionToken, Account: caller.Account, Partition: caller.Partition, ARN: caller.ARN,
		UserID: caller.UserID, SourceARN: caller.SourceARN, SourceID: caller.SourceID,
		IssuedAt: now, ExpiresAt: now.Add(dur), MFA: mfa, MFATime: mfaTime}
	creds, size, err := is.issue(s, in.MinimumSessionTokenSize)
	if err != nil {
		return nil, err
	}
	return &GetSessionTokenOutput{Credentials: creds, SessionTokenSize: size}, nil
}

// GetFederationToken returns temporary credentials for a federated user
// named by the caller, an IAM user with long-term credentials. The session's
// permissions are the intersection of the user's policies and the session
// policies passed here; with none, the session has no permissions.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func (is *Issuer) GetFederationToken(ctx context.Context, caller *Session, in *GetFederationTokenInput) (*GetFederationTokenOutput, error) {
	if caller == nil {
		return nil, errNoCaller()
	}
	if in == nil {
		in = &GetFederationTokenInput{} // validation reports the missing members
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	dur, err := is.longTermTokenDuration(ctx, caller, "GetFederationToken", in.DurationSeconds)
	if err != nil {
		return nil, err
	}
	_, policyARNs, packed, err := is.sessionPolicies(ctx, in.Policy, in.PolicyArns, in.Tags)
	if err != nil {
		return nil, err
	}
	part := caller.Partition
	if part == "" {
		part = "aws"
	}
	fedARN := fmt.Sprintf("arn:%s:sts::%s:federated-user/%s", part, caller.Account, in.Name)
	req := AuthorizeInput{Action: "sts:GetFederationToken", Resource: fedARN, Context: condition.NewContext()}
	if len(in.Tags) > 0 {
		keys := make([]string, len(in.Tags))
		for i, t := range in.Tags {
			req.Context.Set("aws:RequestTag/"+t.Key, t.Value)
			keys[i] = t.Key
		}
		req.Context.SetList("aws:TagKeys", keys)
	}
	actions := []string{"sts:GetFederationToken"}
	if len(in.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if denied, d, err := is.authorizeActions(ctx, caller, req, actions, nil); err != nil {
		return nil, err
	} else if denied != "" {
		return nil, accessDenied(caller, denied, fedARN, d)
	}
	now := is.clock()
	s := &Session{Kind: Federated, Account: caller.Account, Partition: caller.Partition, ARN: fedARN,
		UserID: caller.Account + ":" + in.Name, SourceARN: caller.SourceARN, SourceID: caller.SourceID,
		SessionName: in.Name, IssuedAt: now, ExpiresAt: now.Add(dur), Tags: append([]Tag(nil), in.Tags...),
		PolicyARNs: policyARNs}
	if in.Policy != nil {
		s.Policy = *in.Policy
	}
	creds, size, err := is.issue(s, in.MinimumSessionTokenSize)
	if err != nil {
		return nil, err
	}
	return &GetFederationTokenOutput{Credentials: creds, FederatedUser: FederatedUser{FederatedUserId: s.UserID, Arn: fedARN},
		PackedPolicySize: packed, SessionTokenSize: size}, nil
}

// AssumeRoleForService returns credentials for a role assumed by an AWS
// service principal, such as "ec2.amazonaws.com" for an instance profile or
// "ecs-tasks.amazonaws.com" for a task role: the role's trust policy alone
// decides, as the service has no identity-based policies. It is
// [Issuer.AssumeRoleForServiceWith] with no aws:SourceArn, aws:SourceAccount
// or EC2 keys; use that to pass them.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
func (is *Issuer) AssumeRoleForService(ctx context.Context, service string, in *AssumeRoleInput) (*AssumeRoleOutput, error) {
	return is.AssumeRoleForServiceWith(ctx, ServiceRequest{Service: service, Input: in})
}
