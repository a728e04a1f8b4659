package sts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/principal"
)

// AssumeRoleWithSAMLInput is the request of AssumeRoleWithSAML
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html).
type AssumeRoleWithSAMLInput struct {
	// RoleArn is the role to assume.
	RoleArn string
	// PrincipalArn is the SAML provider in IAM that describes the IdP:
	// arn:aws:iam::ACCOUNT:saml-provider/NAME.
	PrincipalArn string
	// SAMLAssertion is the base64-encoded SAML authentication response
	// the IdP sent: 4 to 100,000 characters.
	SAMLAssertion string
	// PolicyArns and Policy are session policies, as for AssumeRole.
	PolicyArns []PolicyDescriptorType
	Policy     *string
	// DurationSeconds: 900 to the role's MaxSessionDuration; default 3600.
	// The session also ends at the assertion's SessionNotOnOrAfter.
	DurationSeconds *int32
	// MinimumSessionTokenSize pads the session token: 0 to 4096.
	MinimumSessionTokenSize *int32
}

// AssumeRoleWithSAMLOutput is the response of AssumeRoleWithSAML.
type AssumeRoleWithSAMLOutput struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
	// Audience is the Recipient of the assertion's
	// SubjectConfirmationData.
	Audience string
	// Issuer is the assertion's Issuer.
	Issuer string
	// Subject is the NameID; SubjectType its format ("persistent",
	// "transient", or the full format URI).
	Subject, SubjectType string
	// NameQualifier is Base64(SHA1(Issuer + AccountID + "/" + ProviderName)).
	NameQualifier    string
	SourceIdentity   *string
	PackedPolicySize *int32
	SessionTokenSize *int32
}

// Validate checks the request against AssumeRoleWithSAML's constraints
// and returns a ValidationError listing every violation.
func (in *AssumeRoleWithSAMLInput) Validate() error {
	if in == nil {
		in = &AssumeRoleWithSAMLInput{}
	}
	var v violations
	v.str("roleArn", in.RoleArn, ruleARN)
	v.str("principalArn", in.PrincipalArn, ruleARN)
	v.str("sAMLAssertion", in.SAMLAssertion, ruleSAMLAssertion)
	v.policyArns(in.PolicyArns)
	v.optStr("policy", in.Policy, ruleSessionPolicy)
	v.intRange("durationSeconds", in.DurationSeconds, 900, 43200)
	v.intRange("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, 4096)
	return v.err()
}

var ruleSAMLAssertion = strRule{4, 100000, "", nil}

// samlCarriedKeys are the saml: keys AWS carries from the
// AssumeRoleWithSAML request into every request of the session
// (reference_policies_iam-condition-keys.html#condition-keys-saml).
var samlCarriedKeys = []string{"saml:namequalifier", "saml:sub", "saml:sub_type"}

// identityCenterRolePrefix begins the names of the roles IAM Identity
// Center provisions.
const identityCenterRolePrefix = "AWSReservedSSO_"

// AssumeRoleWithSAML returns temporary credentials for a role to the
// holder of a SAML authentication response, as AWS STS does: the call is
// not signed, the response is the only authentication. PrincipalArn must
// be a SAML provider in the role's account ([Directory.SAMLProvider]), the
// response must verify against it ([federation.SAMLProvider.Verify]: its
// signature, issuer, recipient, audience, times, and a Role attribute
// pair naming RoleArn and PrincipalArn), and the role's trust policy must
// allow sts:AssumeRoleWithSAML for the provider with the response's saml:
// condition keys, plus sts:TagSession when it carries PrincipalTag
// attributes and sts:SetSourceIdentity when it carries a SourceIdentity.
//
// The session lasts DurationSeconds (default one hour, at most the role's
// MaxSessionDuration) or until the response's SessionNotOnOrAfter,
// whichever is sooner. The SessionDuration attribute governs console
// sessions only and does not shorten an API session (the API page bounds
// the session by DurationSeconds and SessionNotOnOrAfter alone). Roles of
// IAM Identity Center (AWSReservedSSO_*) are refused with AccessDenied: "AssumeRoleWithSAML will not work on IAM Identity
// Center managed roles" (API_AssumeRoleWithSAML.html).
func (is *Issuer) AssumeRoleWithSAML(ctx context.Context, in *AssumeRoleWithSAMLInput) (*AssumeRoleWithSAMLOutput, error) {
	const action = "sts:AssumeRoleWithSAML"
	if in == nil {
		in = &AssumeRoleWithSAMLInput{}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	denied := func(cause error) error {
		e := newError(ErrAccessDenied, "Not authorized to perform %s", action)
		e.Err = cause
		return e
	}
	roleARN, err := parseRoleARN(in.RoleArn)
	if err != nil {
		return nil, err
	}
	provARN, err := principal.ParseARN(in.PrincipalArn)
	if err != nil || provARN.Service != "iam" || !strings.HasPrefix(provARN.Resource, "saml-provider/") {
		return nil, newError(ErrValidation, "Principal ARN is invalid")
	}
	if provARN.Account != roleARN.Account || provARN.Partition != roleARN.Partition {
		return nil, newError(ErrValidation, "Principal exists outside the account of the Role being assumed.")
	}
	if name := roleARN.Resource[strings.LastIndexByte(roleARN.Resource, '/')+1:]; strings.HasPrefix(name, identityCenterRolePrefix) {
		return nil, denied(errors.New("AssumeRoleWithSAML will not work on IAM Identity Center managed roles (AWSReservedSSO_*)"))
	}
	role, err := is.dir.Role(ctx, in.RoleArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, denied(nil)
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
	prov, err := is.dir.SAMLProvider(ctx, in.PrincipalArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			// AWS's message for an unknown provider is not documented;
			// the IdP's response cannot be checked without one.
			e := newError(ErrInvalidIdentityToken, "SAML provider %s does not exist in the account of the role", echo(in.PrincipalArn))
			e.Err = err
			return nil, e
		}
		return nil, err
	}

	resp, err := federation.ParseSAMLResponse(in.SAMLAssertion)
	if err != nil {
		return nil, fromFederation(err)
	}
	// One reading of the clock for the whole call: the response is judged
	// at it, and the session is issued at it in whole seconds.
	at := is.now()
	now := at.UTC().Truncate(time.Second)
	id, err := prov.Verify(resp, in.RoleArn, at)
	if err != nil {
		return nil, fromFederation(err)
	}
	tags := make([]Tag, len(id.Tags))
	for i, t := range id.Tags {
		tags[i] = Tag{Key: t.Key, Value: t.Value}
	}
	if err := checkClaimTags(tags, id.TransitiveTagKeys, id.HasSourceIdentity, id.SourceIdentity); err != nil {
		return nil, err
	}
	_, policyARNs, packed, err := is.sessionPolicies(ctx, in.Policy, in.PolicyArns, tags)
	if err != nil {
		return nil, err
	}

	// The trust policy decides, with the provider as the principal and
	// the response's keys in the request context.
	caller, err := principal.Parse(prov.ARN)
	if err != nil {
		return nil, err
	}
	rc := condition.NewContext()
	rc.SetCaller(condition.Caller{Principal: caller, Now: now})
	rc.Set("aws:RequestedRegion", is.region)
	rc.Set("aws:FederatedProvider", prov.ARN)
	rc.Set("sts:RoleSessionName", id.RoleSessionName)
	id.SetConditionKeys(rc)
	if err := federatedTrust(role, roleARN, in.RoleArn, caller, rc, action,
		federatedClaims{tags, id.TransitiveTagKeys, id.HasSourceIdentity, id.SourceIdentity}); err != nil {
		return nil, err
	}

	if !id.SessionNotOnOrAfter.IsZero() {
		if left := id.SessionNotOnOrAfter.Sub(now); left < dur {
			dur = left
		}
		if dur <= 0 {
			return nil, newError(ErrExpiredTokenException, "Token expired: the SessionNotOnOrAfter of the SAML response has passed")
		}
	}
	s := newRoleSession(roleARN, role, &AssumeRoleInput{RoleArn: in.RoleArn, RoleSessionName: id.RoleSessionName, Policy: in.Policy}, now, dur)
	s.Tags, s.TransitiveTagKeys, s.SourceIdentity, s.PolicyARNs = tags, id.TransitiveTagKeys, id.SourceIdentity, policyARNs
	s.FederatedProvider = prov.ARN
	s.ProviderKeys = carriedKeys(rc, samlCarriedKeys)
	creds, size, err := is.issue(s, in.MinimumSessionTokenSize)
	if err != nil {
		return nil, err
	}
	out := &AssumeRoleWithSAMLOutput{Credentials: creds,
		AssumedRoleUser: AssumedRoleUser{AssumedRoleId: s.UserID, Arn: s.ARN},
		Audience:        id.Audience, Issuer: id.Issuer, Subject: id.Subject, SubjectType: id.SubjectType,
		NameQualifier: id.NameQualifier, PackedPolicySize: packed, SessionTokenSize: size}
	if id.HasSourceIdentity {
		out.SourceIdentity = &s.SourceIdentity
	}
	return out, nil
}
