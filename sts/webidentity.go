package sts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// AssumeRoleWithWebIdentityInput is the request of
// AssumeRoleWithWebIdentity.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
type AssumeRoleWithWebIdentityInput struct {
	// RoleArn is the role to assume: see [AssumeRoleInput.RoleArn].
	RoleArn string
	// RoleSessionName names the session: see
	// [AssumeRoleInput.RoleSessionName].
	RoleSessionName string
	// WebIdentityToken is the OpenID Connect ID token or OAuth 2.0 access
	// token: 4 to 20,000 characters.
	WebIdentityToken string
	// ProviderId is only for the OAuth 2.0 providers www.amazon.com and
	// graph.facebook.com: 4 to 2048 characters. iamkit verifies OIDC
	// tokens only and refuses a ProviderId (see the package doc).
	ProviderId *string
	// PolicyArns and Policy are session policies, as for AssumeRole.
	PolicyArns []PolicyDescriptorType
	Policy     *string
	// DurationSeconds: 900 to the role's MaxSessionDuration; default 3600.
	DurationSeconds *int32
	// MinimumSessionTokenSize pads the session token: 0 to 4096.
	MinimumSessionTokenSize *int32
}

// AssumeRoleWithWebIdentityOutput is the response of
// AssumeRoleWithWebIdentity.
type AssumeRoleWithWebIdentityOutput struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
	// SubjectFromWebIdentityToken is the token's sub claim.
	SubjectFromWebIdentityToken string
	// Audience is the client ID the token was accepted for.
	Audience string
	// Provider is the token's issuer (iss).
	Provider         string
	SourceIdentity   *string
	PackedPolicySize *int32
	SessionTokenSize *int32
}

// Validate checks the request against AssumeRoleWithWebIdentity's
// constraints and returns a ValidationError listing every violation.
func (in *AssumeRoleWithWebIdentityInput) Validate() error {
	if in == nil {
		in = &AssumeRoleWithWebIdentityInput{}
	}
	var v violations
	v.str("roleArn", in.RoleArn, ruleARN)
	v.str("roleSessionName", in.RoleSessionName, ruleSessionName)
	v.str("webIdentityToken", in.WebIdentityToken, ruleWebIdentityToken)
	v.optStr("providerId", in.ProviderId, ruleProviderID)
	v.policyArns(in.PolicyArns)
	v.optStr("policy", in.Policy, ruleSessionPolicy)
	v.intRange("durationSeconds", in.DurationSeconds, 900, 43200)
	v.intRange("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, 4096)
	return v.err()
}

var (
	ruleWebIdentityToken = strRule{federation.MinTokenLen, federation.MaxTokenLen, "", nil}
	ruleProviderID       = strRule{4, 2048, "", nil}
)

// webIdentityCarriedKeys are the claim keys AWS carries from the
// AssumeRoleWithWebIdentity request into every request of the session
// (reference_policies_iam-condition-keys.html#cross-condition-keys-wif).
var webIdentityCarriedKeys = []string{"amr", "aud", "id", "sub"}

// AssumeRoleWithWebIdentity returns temporary credentials for a role to the
// holder of a web identity token, as AWS STS does: the call is not signed,
// the token is the only authentication. The token's issuer must be an
// OIDC provider in the role's account ([Directory.OIDCProvider]), the
// token must verify against it ([federation.OIDCProvider.Verify], with
// [Options.KeySource] for providers without inline keys), and the role's
// trust policy must allow sts:AssumeRoleWithWebIdentity for the provider
// with the token's condition keys, plus sts:TagSession when the token
// carries session tags and sts:SetSourceIdentity when it carries a source
// identity.
func (is *Issuer) AssumeRoleWithWebIdentity(ctx context.Context, in *AssumeRoleWithWebIdentityInput) (*AssumeRoleWithWebIdentityOutput, error) {
	const action = "sts:AssumeRoleWithWebIdentity"
	if in == nil {
		in = &AssumeRoleWithWebIdentityInput{}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.ProviderId != nil {
		return nil, newError(ErrInvalidParameterValue, "ProviderId is only for the OAuth 2.0 providers www.amazon.com and graph.facebook.com, which iamkit does not verify; omit it for OpenID Connect tokens.")
	}
	denied := func() error { return newError(ErrAccessDenied, "Not authorized to perform %s", action) }
	roleARN, err := parseRoleARN(in.RoleArn)
	if err != nil {
		return nil, err
	}
	role, err := is.dir.Role(ctx, in.RoleArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, denied()
		}
		return nil, err
	}
	acct, err := is.account(ctx, roleARN.Account)
	if err != nil {
		return nil, err
	}
	if err := is.checkRegion(acct); err != nil {
		return nil, err
	}
	dur, err := roleDuration(in.DurationSeconds, role, false)
	if err != nil {
		return nil, err
	}

	// The token: its issuer names the provider in the role's account.
	tok, err := federation.ParseWebIdentityToken(in.WebIdentityToken)
	if err != nil {
		return nil, fromFederation(err)
	}
	iss := tok.Issuer()
	noProvider := func(cause error) error {
		e := newError(ErrInvalidIdentityToken, "No OpenIDConnect provider found in your account for %s", echo(iss))
		e.Err = cause
		return e
	}
	host, ok := strings.CutPrefix(iss, "https://")
	if !ok {
		return nil, noProvider(errors.New("iss is not an https URL"))
	}
	partition := roleARN.Partition
	provARN := "arn:" + partition + ":iam::" + roleARN.Account + ":oidc-provider/" + host
	prov, err := is.dir.OIDCProvider(ctx, provARN)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, noProvider(err)
		}
		return nil, err
	}
	// One reading of the clock for the whole call: the token is judged at
	// it, and the session is issued at it in whole seconds.
	at := is.now()
	now := at.UTC().Truncate(time.Second)
	w, err := prov.Verify(ctx, tok, is.keySource, at)
	if err != nil {
		return nil, fromFederation(err)
	}

	tags := make([]Tag, len(w.Tags))
	for i, t := range w.Tags {
		tags[i] = Tag{Key: t.Key, Value: t.Value}
	}
	if err := checkClaimTags(tags, w.TransitiveTagKeys, w.HasSourceIdentity, w.SourceIdentity); err != nil {
		return nil, err
	}
	_, policyARNs, packed, err := is.sessionPolicies(ctx, in.Policy, in.PolicyArns, tags)
	if err != nil {
		return nil, err
	}

	// The trust policy decides, with the provider as the principal and
	// the token's keys in the request context.
	caller, err := principal.Parse(prov.ARN)
	if err != nil {
		return nil, err
	}
	rc := condition.NewContext()
	rc.SetCaller(condition.Caller{Principal: caller, Now: at})
	rc.Set("aws:RequestedRegion", is.region)
	rc.Set("aws:FederatedProvider", prov.ARN)
	rc.Set("sts:RoleSessionName", in.RoleSessionName)
	w.SetConditionKeys(rc)
	if err := federatedTrust(role, roleARN, in.RoleArn, caller, rc, action,
		federatedClaims{tags, w.TransitiveTagKeys, w.HasSourceIdentity, w.SourceIdentity}); err != nil {
		return nil, err
	}

	s := newRoleSession(roleARN, role, &AssumeRoleInput{RoleArn: in.RoleArn, RoleSessionName: in.RoleSessionName, Policy: in.Policy}, now, dur)
	s.Tags, s.TransitiveTagKeys, s.SourceIdentity, s.PolicyARNs = tags, w.TransitiveTagKeys, w.SourceIdentity, policyARNs
	s.FederatedProvider = prov.ARN
	pre := prov.ConditionPrefix() + ":"
	keys := make([]string, len(webIdentityCarriedKeys))
	for i, k := range webIdentityCarriedKeys {
		keys[i] = pre + k
	}
	s.ProviderKeys = carriedKeys(rc, keys)
	creds, size, err := is.issue(s, in.MinimumSessionTokenSize)
	if err != nil {
		return nil, err
	}
	out := &AssumeRoleWithWebIdentityOutput{Credentials: creds,
		AssumedRoleUser:             AssumedRoleUser{AssumedRoleId: s.UserID, Arn: s.ARN},
		SubjectFromWebIdentityToken: w.Subject, Audience: w.Audience, Provider: iss,
		PackedPolicySize: packed, SessionTokenSize: size}
	if w.HasSourceIdentity {
		out.SourceIdentity = &s.SourceIdentity
	}
	return out, nil
}

// TrustDenied is the cause of an AccessDenied answer to
// AssumeRoleWithWebIdentity: the action the role's trust policy did not
// allow and the evaluation's explanation. AWS's message says neither;
// find it with errors.As, for tests and logs.
type TrustDenied struct {
	Action      string
	Explanation *policy.Explanation
}

// Error says which action the trust policy does not allow, and why.
func (e *TrustDenied) Error() string {
	return "the trust policy does not allow " + e.Action + ": " + e.Explanation.String()
}

// checkClaimTags applies AssumeRole's rules for Tags, TransitiveTagKeys
// and SourceIdentity to what a token's claims ask for; AWS documents the
// same limits for tags passed by an identity provider
// (id_session-tags.html#id_session-tags_adding-assume-role-idp).
func checkClaimTags(tags []Tag, transitive []string, hasSource bool, source string) error {
	var v violations
	v.tags(tags)
	v.tagKeys("transitiveTagKeys", transitive)
	if hasSource {
		v.str("sourceIdentity", source, ruleSourceIdentity)
	}
	if err := v.err(); err != nil {
		return err
	}
	return validateTagKeys(tags, transitive)
}

// fromFederation turns a federation failure into the STS error AWS
// answers with; the federation error stays the cause.
func fromFederation(err error) error {
	var fe *federation.Error
	if !errors.As(err, &fe) {
		return err
	}
	sentinel := ErrInvalidIdentityToken
	switch fe.Code {
	case federation.ErrExpiredToken.Code:
		sentinel = ErrExpiredTokenException
	case federation.ErrIDPCommunication.Code:
		sentinel = ErrIDPCommunicationError
	case federation.ErrAccessDenied.Code:
		sentinel = ErrAccessDenied
	case federation.ErrIDPRejectedClaim.Code:
		sentinel = ErrIDPRejectedClaim
	}
	e := newError(sentinel, "%s", fe.Message)
	e.Err = fe
	return e
}
