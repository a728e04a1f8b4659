package sts

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// IdentityCenterSessionInput asks for a session of a role IAM Identity
// Center provisioned, for one of its users.
type IdentityCenterSessionInput struct {
	// RoleArn is the AWSReservedSSO_* role, under the path
	// /aws-reserved/sso.amazonaws.com/.
	RoleArn string
	// SAMLProviderArn is the instance's SAML provider in the role's
	// account (saml-provider/AWSSSO_..._DO_NOT_DELETE), which the role's
	// trust policy must allow.
	SAMLProviderArn string
	// RoleSessionName is the user's user name: 2 to 64 characters of
	// [\w+=,.@-].
	RoleSessionName string
	// Tags are the session tags from the instance's attributes for access
	// control. They are not transitive.
	Tags []Tag
	// Duration is the permission set's session duration: 15 minutes up to
	// the role's MaxSessionDuration. Zero means one hour.
	Duration time.Duration
}

// IdentityCenterSessionOutput is the issued session.
type IdentityCenterSessionOutput struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
}

// identityCenterRolePath begins the path of every role IAM Identity Center
// provisions (referencingpermissionsets.html), with or without a Region
// segment after it.
const identityCenterRolePath = "role/aws-reserved/sso.amazonaws.com/"

// signinAudience is each partition's SAML sign-in endpoint: the SAML:aud
// of the sessions Identity Center starts.
var signinAudience = map[string]string{
	"aws":        "https://signin.aws.amazon.com/saml",
	"aws-cn":     "https://signin.amazonaws.cn/saml",
	"aws-us-gov": "https://signin.amazonaws-us-gov.com/saml",
}

// IssueIdentityCenterSession issues the credentials of a session of an
// IAM Identity Center role, as the AWS access portal's GetRoleCredentials
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html)
// and the console sign-in hand them out. It is not an STS API: callers
// such as package identitycenter decide first that the user is assigned
// the permission set in the account.
//
// AssumeRoleWithSAML refuses these roles; Identity Center federates into
// them itself, through the account's AWSSSO_..._DO_NOT_DELETE SAML
// provider. This method does what that federation does, without a signed
// assertion: the role must exist, be named AWSReservedSSO_* under
// /aws-reserved/sso.amazonaws.com/, and its trust policy must allow
// sts:AssumeRoleWithSAML (and sts:TagSession with tags) for the provider
// with SAML:aud the partition's sign-in endpoint
// (https://signin.aws.amazon.com/saml), saml:iss its entity ID and saml:doc
// ACCOUNT/NAME. The session is an ordinary role session,
// arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_NAME_HEX/SESSION, sealed
// like every other, with aws:FederatedProvider the SAML provider; the
// account's Region check applies. Failures answer as AssumeRoleWithSAML
// does: ValidationError for malformed input, AccessDenied (wrapping a
// [TrustDenied] when the trust policy refuses) otherwise.
func (is *Issuer) IssueIdentityCenterSession(ctx context.Context, in *IdentityCenterSessionInput) (*IdentityCenterSessionOutput, error) {
	const action = "sts:AssumeRoleWithSAML"
	if in == nil {
		in = &IdentityCenterSessionInput{}
	}
	var v violations
	v.str("roleArn", in.RoleArn, ruleARN)
	v.str("principalArn", in.SAMLProviderArn, ruleARN)
	v.str("roleSessionName", in.RoleSessionName, ruleSessionName)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := validateTagKeys(in.Tags, nil); err != nil {
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
	name := roleARN.Resource[strings.LastIndexByte(roleARN.Resource, '/')+1:]
	if !strings.HasPrefix(roleARN.Resource, identityCenterRolePath) || !strings.HasPrefix(name, identityCenterRolePrefix) {
		return nil, denied(errors.New("not an IAM Identity Center role (role/aws-reserved/sso.amazonaws.com/.../AWSReservedSSO_*)"))
	}
	provARN, err := principal.ParseARN(in.SAMLProviderArn)
	if err != nil || provARN.Service != "iam" || !strings.HasPrefix(provARN.Resource, "saml-provider/") {
		return nil, newError(ErrValidation, "Principal ARN is invalid")
	}
	if provARN.Account != roleARN.Account || provARN.Partition != roleARN.Partition {
		return nil, newError(ErrValidation, "Principal exists outside the account of the Role being assumed.")
	}
	role, err := is.dir.Role(ctx, in.RoleArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, denied(err)
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
	dur := in.Duration
	if dur == 0 {
		dur = defaultRoleDuration
	}
	maxDur := role.MaxSessionDuration
	if maxDur == 0 {
		maxDur = defaultRoleDuration
	}
	if dur < 900*time.Second {
		var v violations
		v.add(strconv.FormatInt(int64(dur/time.Second), 10), "durationSeconds", "Member must have value greater than or equal to 900")
		return nil, v.err()
	}
	if dur > maxDur {
		return nil, newError(ErrValidation, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	prov, err := is.dir.SAMLProvider(ctx, in.SAMLProviderArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, denied(err)
		}
		return nil, err
	}

	caller, err := principal.Parse(prov.ARN)
	if err != nil {
		return nil, err
	}
	now := is.clock()
	rc := condition.NewContext()
	rc.SetCaller(condition.Caller{Principal: caller, Now: now})
	rc.Set("aws:RequestedRegion", is.region)
	rc.Set("aws:FederatedProvider", prov.ARN)
	rc.Set("sts:RoleSessionName", in.RoleSessionName)
	rc.Set("saml:aud", signinAudience[roleARN.Partition])
	rc.Set("saml:iss", prov.EntityID)
	rc.Set("saml:doc", prov.Doc())
	actions := []string{action}
	if len(in.Tags) > 0 {
		keys := make([]string, len(in.Tags))
		for i, t := range in.Tags {
			rc.Set("aws:RequestTag/"+t.Key, t.Value)
			keys[i] = t.Key
		}
		rc.SetList("aws:TagKeys", keys)
		actions = append(actions, "sts:TagSession")
	}
	set := &policy.Set{Resource: role.TrustPolicy}
	for _, a := range actions {
		r := &policy.Request{Principal: caller, Action: a, Resource: in.RoleArn, ResourceAccount: roleARN.Account, Context: rc}
		if res := set.Evaluate(r); res.Decision != policy.Allowed {
			return nil, denied(&TrustDenied{Action: a, Explanation: set.Explain(r)})
		}
	}

	s := newRoleSession(roleARN, role, &AssumeRoleInput{RoleArn: in.RoleArn, RoleSessionName: in.RoleSessionName}, now, dur)
	s.Tags = append([]Tag(nil), in.Tags...)
	s.FederatedProvider = prov.ARN
	creds, _, err := is.issue(s, nil)
	if err != nil {
		return nil, err
	}
	return &IdentityCenterSessionOutput{Credentials: creds, AssumedRoleUser: AssumedRoleUser{AssumedRoleId: s.UserID, Arn: s.ARN}}, nil
}
