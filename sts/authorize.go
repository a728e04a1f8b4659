package sts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// AuthorizeInput is one request to authorize for a session.
type AuthorizeInput struct {
	// Action is "service:Action", e.g. "s3:GetObject".
	Action string
	// Resource is the resource ARN, or "*".
	Resource string
	// ResourceAccount owns the resource; empty means the account in the
	// ARN, else the caller's account (S3 bucket ARNs carry none).
	ResourceAccount string
	// Context holds request-specific condition keys (aws:SourceIp,
	// s3:prefix, ...). They override the keys the session implies.
	Context *condition.Context
}

// Decision is the outcome of [Issuer.Authorize].
type Decision struct {
	// Explanation is the policy engine's decision and why.
	Explanation *policy.Explanation
	// Denial is set when the credentials themselves forbid the call (for
	// example IAM calls with GetSessionToken credentials without MFA),
	// before any policy is evaluated.
	Denial string
	// EncodedMessage is set on a denial: an opaque, sealed authorization
	// message that [Issuer.DecodeAuthorizationMessage] turns back into the
	// details, for callers allowed sts:DecodeAuthorizationMessage.
	EncodedMessage string
}

// Allowed reports whether the request is allowed.
func (d *Decision) Allowed() bool {
	return d.Denial == "" && d.Explanation != nil && d.Explanation.Decision == policy.Allowed
}

// Authorize decides whether the session may perform an action on a
// resource: it builds the request context the session implies (principal
// ARN, aws:userid, principal tags with session tags overriding the role's or
// user's, aws:TokenIssueTime, aws:SourceIdentity, MFA keys, organization
// keys, time) and evaluates the session's identity policies, permissions
// boundary, session policies, the account's SCPs, the resource's RCPs and
// its resource-based policy from the Directory.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func (is *Issuer) Authorize(ctx context.Context, caller *Session, in AuthorizeInput) (*Decision, error) {
	if caller == nil {
		return nil, errNoCaller()
	}
	_, d, err := is.authorize(ctx, caller, in, nil, nil, true)
	return d, err
}

// authorizeActions authorizes several actions on one resource for one
// caller, building the policy set and the request context once. It returns
// the first action denied and its decision, or "" when all are allowed.
// resourcePolicy, when not nil, stands for the resource's policy (a role's
// trust policy for sts:AssumeRole).
func (is *Issuer) authorizeActions(ctx context.Context, caller *Session, in AuthorizeInput, actions []string, resourcePolicy *policy.Policy) (string, *Decision, error) {
	return is.authorize(ctx, caller, in, actions, resourcePolicy, false)
}

// authorize evaluates in.Action, or each of actions, with the policies that
// apply to caller. With explain it always attaches the full explanation;
// otherwise only to a denial (allowed requests take the allocation-free
// path).
func (is *Issuer) authorize(ctx context.Context, caller *Session, in AuthorizeInput, actions []string, resourcePolicy *policy.Policy, explain bool) (string, *Decision, error) {
	if caller == nil {
		return "", nil, errNoCaller()
	}
	if actions == nil {
		actions = []string{in.Action}
	}
	for _, a := range actions {
		if denial := credentialLimits(caller, a); denial != "" {
			in.Action = a
			d := &Decision{Denial: denial, Explanation: &policy.Explanation{Decision: policy.ImplicitDeny}}
			return a, d, is.encode(d, caller, in)
		}
	}
	set, p, err := is.policySet(ctx, caller)
	if err != nil {
		return "", nil, err
	}
	reqCtx, err := is.sessionContext(ctx, caller, p)
	if err != nil {
		return "", nil, err
	}
	if in.Context != nil {
		for _, k := range in.Context.Keys() {
			v, _ := in.Context.Lookup(k)
			if v.Multi() {
				reqCtx.SetList(k, v.Strings())
			} else {
				reqCtx.Set(k, v.Strings()...)
			}
		}
	}
	req := &policy.Request{Principal: p, Resource: in.Resource, ResourceAccount: in.ResourceAccount, Context: reqCtx}
	if acct, err := is.account(ctx, caller.Account); err != nil {
		return "", nil, err
	} else if acct.Management {
		req.PrincipalInManagementAccount = true
	} else {
		set.SCPs = acct.SCPs
	}
	if resourcePolicy != nil {
		set.Resource = resourcePolicy
	} else if in.Resource != "*" {
		rp, err := is.dir.ResourcePolicy(ctx, in.Resource)
		switch {
		case err == nil:
			set.Resource = rp
		case !errors.Is(err, ErrNotFound):
			return "", nil, err
		}
	}
	resAcct := in.ResourceAccount
	if a, err := principal.ParseARN(in.Resource); err == nil && resAcct == "" {
		resAcct = a.Account
	}
	if resAcct == "" {
		resAcct = caller.Account
	}
	if acct, err := is.account(ctx, resAcct); err != nil {
		return "", nil, err
	} else if acct.Management {
		req.ResourceInManagementAccount = true
	} else {
		set.RCPs = acct.RCPs
	}
	var d *Decision
	for _, a := range actions {
		req.Action = a
		if !explain && set.Evaluate(req).Decision == policy.Allowed {
			continue
		}
		d = &Decision{Explanation: set.Explain(req)}
		if !d.Allowed() {
			in.Action = a
			return a, d, is.encode(d, caller, in)
		}
	}
	if d == nil {
		d = &Decision{Explanation: &policy.Explanation{Decision: policy.Allowed}}
	}
	return "", d, nil
}

// credentialLimits applies what each kind of temporary credentials cannot
// do, whatever the policies say.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison
//
// iam:PassRole is a permission other services check, not an IAM API
// operation (it has no CloudTrail event of its own), so the limits on
// calling IAM do not apply to it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
func credentialLimits(caller *Session, action string) string {
	service, name, _ := strings.Cut(action, ":")
	iam, sts := strings.EqualFold(service, "iam"), strings.EqualFold(service, "sts")
	if iam && strings.EqualFold(name, "PassRole") {
		iam = false
	}
	switch caller.Kind {
	case SessionToken:
		if iam && !caller.MFA {
			return "credentials from GetSessionToken cannot call IAM API operations unless MFA information is included in the request"
		}
		if sts && !strings.EqualFold(name, "AssumeRole") && !strings.EqualFold(name, "GetCallerIdentity") {
			return "credentials from GetSessionToken can call only AssumeRole and GetCallerIdentity in STS"
		}
	case Federated:
		if iam {
			return "federated user credentials cannot call IAM API operations"
		}
		if sts && !strings.EqualFold(name, "GetCallerIdentity") {
			return "federated user credentials can call only GetCallerIdentity in STS"
		}
	case AssumedRole:
		if sts && (strings.EqualFold(name, "GetSessionToken") || strings.EqualFold(name, "GetFederationToken")) {
			return "role session credentials cannot call GetSessionToken or GetFederationToken"
		}
	}
	return ""
}

// policySet gathers the identity side of a session: identity policies,
// boundary and session policies, and the principal it evaluates as.
func (is *Issuer) policySet(ctx context.Context, s *Session) (*policy.Set, principal.Principal, error) {
	set := &policy.Set{}
	switch s.Kind {
	case AssumedRole:
		role, err := is.dir.Role(ctx, s.SourceARN)
		if err != nil {
			return nil, principal.Principal{}, fmt.Errorf("sts: session role: %w", err)
		}
		roleARN, err := principal.ParseARN(role.ARN)
		if err != nil {
			return nil, principal.Principal{}, err
		}
		p, err := principal.AssumedRoleOf(roleARN, s.SessionName)
		if err != nil {
			return nil, principal.Principal{}, err
		}
		if set.Identity, err = is.policies(ctx, role.Policies, role.ManagedPolicyARNs); err != nil {
			return nil, p, err
		}
		if set.PermissionsBoundary, err = is.boundary(ctx, role.PermissionsBoundaryARN); err != nil {
			return nil, p, err
		}
		if set.Session, err = is.sessionPolicySet(ctx, s); err != nil {
			return nil, p, err
		}
		return set, p, nil
	case LongTerm, SessionToken, Federated:
		u, err := is.dir.User(ctx, s.SourceARN)
		if err != nil {
			return nil, principal.Principal{}, fmt.Errorf("sts: session user: %w", err)
		}
		p, err := principal.Parse(s.ARN)
		if err != nil {
			return nil, p, err
		}
		if !u.Root {
			pols := append([]*policy.Policy(nil), u.Policies...)
			arns := append([]string(nil), u.ManagedPolicyARNs...)
			for _, g := range u.Groups {
				grp, err := is.dir.Group(ctx, g)
				if err != nil {
					return nil, p, fmt.Errorf("sts: group of %s: %w", u.ARN, err)
				}
				pols = append(pols, grp.Policies...)
				arns = append(arns, grp.ManagedPolicyARNs...)
			}
			if set.Identity, err = is.policies(ctx, pols, arns); err != nil {
				return nil, p, err
			}
			if set.PermissionsBoundary, err = is.boundary(ctx, u.PermissionsBoundaryARN); err != nil {
				return nil, p, err
			}
		}
		if s.Kind == Federated {
			if set.Session, err = is.sessionPolicySet(ctx, s); err != nil {
				return nil, p, err
			}
		}
		return set, p, nil
	}
	return nil, principal.Principal{}, fmt.Errorf("sts: unknown session kind %d", s.Kind)
}

func (is *Issuer) policies(ctx context.Context, inline []*policy.Policy, arns []string) ([]*policy.Policy, error) {
	out := append([]*policy.Policy(nil), inline...)
	for _, a := range arns {
		p, err := is.dir.ManagedPolicy(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("sts: managed policy %s: %w", a, err)
		}
		out = append(out, p.WithName(a))
	}
	return out, nil
}

func (is *Issuer) boundary(ctx context.Context, arn string) (*policy.Policy, error) {
	if arn == "" {
		return nil, nil
	}
	p, err := is.dir.ManagedPolicy(ctx, arn)
	if err != nil {
		return nil, fmt.Errorf("sts: permissions boundary %s: %w", arn, err)
	}
	return p.WithName(arn), nil
}

// sessionPolicySet parses the session's inline policy (validated when the
// session was issued) and loads its managed session policies.
func (is *Issuer) sessionPolicySet(ctx context.Context, s *Session) ([]*policy.Policy, error) {
	var out []*policy.Policy
	if s.Policy != "" {
		p, err := policy.ParseWithOptions([]byte(s.Policy), policy.Session, policy.Options{Name: "session policy"})
		if err != nil {
			return nil, fmt.Errorf("sts: session policy: %w", err)
		}
		out = append(out, p)
	}
	for _, a := range s.PolicyARNs {
		p, err := is.dir.ManagedPolicy(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("sts: managed session policy %s: %w", a, err)
		}
		out = append(out, p.WithName(a))
	}
	return out, nil
}

// sessionContext builds the global condition keys a session implies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (is *Issuer) sessionContext(ctx context.Context, s *Session, p principal.Principal) (*condition.Context, error) {
	c := condition.NewContext()
	caller := condition.Caller{Principal: p, UserID: s.UserID, Now: is.now()}
	acct, err := is.account(ctx, s.Account)
	if err != nil {
		return nil, err
	}
	if acct.OrgID != "" {
		caller.OrgID = acct.OrgID
		if acct.OrgPath != "" {
			caller.OrgPaths = []string{acct.OrgPath}
		}
	}
	tags, err := is.principalTags(ctx, s)
	if err != nil {
		return nil, err
	}
	caller.Tags = tags
	c.SetCaller(caller)
	c.Set("aws:RequestedRegion", is.region)
	if s.Kind != LongTerm {
		// Temporary credentials carry their issue time and MFA state; for
		// long-term keys the MFA keys are absent.
		c.SetTime("aws:TokenIssueTime", s.IssuedAt)
		c.SetBool("aws:MultiFactorAuthPresent", s.MFA)
		if s.MFA {
			age := int64(is.now().Sub(s.MFATime) / time.Second)
			c.Set("aws:MultiFactorAuthAge", strconv.FormatInt(age, 10))
		}
	}
	if s.SourceIdentity != "" {
		c.Set("aws:SourceIdentity", s.SourceIdentity)
	}
	if s.FederatedProvider != "" {
		c.Set("aws:FederatedProvider", s.FederatedProvider)
	}
	setProviderKeys(c, s.ProviderKeys)
	return c, nil
}

// setProviderKeys puts the session's carried condition keys (an identity
// provider's, or EC2's for an instance-role session) into c.
func setProviderKeys(c *condition.Context, keys []ProviderKey) {
	for _, k := range keys {
		if k.Multi {
			c.SetList(k.Key, k.Values)
		} else {
			c.Set(k.Key, k.Values...)
		}
	}
}

// principalTags returns aws:PrincipalTag values: the role's or user's tags,
// overridden case-insensitively by session tags.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
func (is *Issuer) principalTags(ctx context.Context, s *Session) (map[string]string, error) {
	var base []Tag
	switch s.Kind {
	case AssumedRole:
		role, err := is.dir.Role(ctx, s.SourceARN)
		if err != nil {
			return nil, err
		}
		base = role.Tags
	case LongTerm, SessionToken, Federated:
		// A federated user keeps the IAM user's tags; "session tags
		// override a user tag with the same key".
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
		u, err := is.dir.User(ctx, s.SourceARN)
		if err != nil {
			return nil, err
		}
		base = u.Tags
	}
	out := map[string]string{}
	add := func(tags []Tag) {
		for _, t := range tags {
			for k := range out {
				if strings.EqualFold(k, t.Key) {
					delete(out, k)
				}
			}
			out[t.Key] = t.Value
		}
	}
	add(base)
	add(s.Tags)
	return out, nil
}

// authorizationMessage is the decoded form of an encoded authorization
// message, shaped like AWS's DecodedMessage.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
type authorizationMessage struct {
	Allowed           bool                       `json:"allowed"`
	ExplicitDeny      bool                       `json:"explicitDeny"`
	MatchedStatements messageItems[msgStatement] `json:"matchedStatements"`
	Failures          messageItems[any]          `json:"failures"`
	Context           messageContext             `json:"context"`
	Reason            string                     `json:"reason,omitempty"`
}

type messageItems[T any] struct {
	Items []T `json:"items"`
}

type msgStatement struct {
	StatementID string `json:"statementId"`
	Effect      string `json:"effect"`
	Source      string `json:"source"`
	Policy      string `json:"policy,omitempty"`
	Index       int    `json:"index"`
	Line        int    `json:"line,omitempty"`
	Column      int    `json:"column,omitempty"`
}

type messageContext struct {
	Principal struct {
		ID  string `json:"id"`
		ARN string `json:"arn"`
	} `json:"principal"`
	Action     string                  `json:"action"`
	Resource   string                  `json:"resource"`
	Conditions messageItems[condEntry] `json:"conditions"`
}

type condEntry struct {
	Key    string                   `json:"key"`
	Values messageItems[valueEntry] `json:"values"`
}

type valueEntry struct {
	Value string `json:"value"`
}

// encode seals the details of a denial into d.EncodedMessage.
func (is *Issuer) encode(d *Decision, caller *Session, in AuthorizeInput) error {
	m := authorizationMessage{Reason: d.Denial, Failures: messageItems[any]{Items: []any{}}}
	m.MatchedStatements.Items = []msgStatement{}
	m.Context.Conditions.Items = []condEntry{}
	if e := d.Explanation; e != nil {
		m.Allowed = e.Decision == policy.Allowed
		m.ExplicitDeny = e.Decision == policy.ExplicitDeny
		if m.Reason == "" {
			m.Reason = e.Reason.String()
		}
		for _, s := range e.Matched {
			m.MatchedStatements.Items = append(m.MatchedStatements.Items, msgStatement{StatementID: s.Sid, Effect: s.Effect.String(),
				Source: s.Source.String(), Policy: s.Policy, Index: s.Index, Line: s.Position.Line, Column: s.Position.Column})
		}
	}
	m.Context.Principal.ID = caller.UserID
	m.Context.Principal.ARN = caller.ARN
	m.Context.Action = in.Action
	m.Context.Resource = in.Resource
	if in.Context != nil {
		for _, k := range in.Context.Keys() {
			v, _ := in.Context.Lookup(k)
			ce := condEntry{Key: k}
			for _, s := range v.Strings() {
				ce.Values.Items = append(ce.Values.Items, valueEntry{Value: s})
			}
			m.Context.Conditions.Items = append(m.Context.Conditions.Items, ce)
		}
	}
	plain, err := json.Marshal(m)
	if err != nil {
		return err
	}
	d.EncodedMessage, err = is.keys.SealMessage(plain)
	return err
}

// DecodeAuthorizationMessage decodes the message of a denied request, for
// a caller allowed sts:DecodeAuthorizationMessage.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
func (is *Issuer) DecodeAuthorizationMessage(ctx context.Context, caller *Session, in *DecodeAuthorizationMessageInput) (*DecodeAuthorizationMessageOutput, error) {
	if caller == nil {
		return nil, errNoCaller()
	}
	if in == nil {
		in = &DecodeAuthorizationMessageInput{} // validation reports the missing member
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := is.stsCallAllowed(caller, "DecodeAuthorizationMessage"); err != nil {
		return nil, err
	}
	if err := is.requirePermission(ctx, caller, "sts:DecodeAuthorizationMessage", "*"); err != nil {
		return nil, err
	}
	plain, err := is.keys.OpenMessage(in.EncodedMessage)
	if err != nil {
		e := newError(ErrInvalidAuthorizationMessage, "The specified message is not valid.")
		e.Err = err
		return nil, e
	}
	return &DecodeAuthorizationMessageOutput{DecodedMessage: string(plain)}, nil
}
