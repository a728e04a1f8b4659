package sts

import (
	"context"
	"errors"
	"strings"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

// PassRoleInput is a role passed to an AWS service: what a platform built
// on iamkit checks before it configures a service with a role (launches an
// instance with an instance profile, creates a function with an execution
// role, registers a task definition with a task role).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
type PassRoleInput struct {
	// RoleArn is the role passed. Required; an IAM role ARN of the
	// caller's account.
	RoleArn string
	// Service is the service principal the role is passed to, such as
	// "ec2.amazonaws.com" or "lambda.amazonaws.com": the request's
	// iam:PassedToService. Required.
	Service string
	// AssociatedResourceArn is the resource the role will be used with,
	// such as the instance ARN arn:aws:ec2:REGION:ACCOUNT:instance/ID: the
	// request's iam:AssociatedResourceArn. Optional; empty leaves the key
	// out of the request, as services that do not send it do.
	AssociatedResourceArn string
}

// Validate checks that RoleArn is an ARN of 20 to 2048 characters (the
// members' constraint in every API that takes a role ARN), that Service is
// not empty and that AssociatedResourceArn, when set, is an ARN; it answers
// a ValidationError in AWS's form.
func (in *PassRoleInput) Validate() error {
	if in == nil {
		in = &PassRoleInput{}
	}
	var v violations
	v.str("roleArn", in.RoleArn, ruleARN)
	v.str("service", in.Service, strRule{min: 1, max: -1})
	if in.AssociatedResourceArn != "" {
		v.str("associatedResourceArn", in.AssociatedResourceArn, ruleARN)
	}
	return v.err()
}

// passRoleAction is the permission a caller needs on the role ARN.
const passRoleAction = "iam:PassRole"

// PassRole decides whether the caller may pass a role to a service, as the
// service asks IAM before it accepts the role: iam:PassRole on the role
// ARN, authorized like [Issuer.Authorize] (the caller's identity policies,
// permissions boundary, session policies and the account's SCPs), with
// iam:PassedToService and iam:AssociatedResourceArn in the request
// context. The role's trust policy plays no part: it decides later, when
// the service assumes the role ([Issuer.AssumeRoleForServiceWith]).
//
// It answers as AWS does:
//   - a nil caller: MissingAuthenticationToken, as every operation;
//   - a role of another account (or partition): AccessDenied "Cross-account
//     pass role is not allowed.", before any policy is read ("You can only
//     use the PassRole permission to pass an IAM role to a service that
//     shares the same AWS account"; the message is the one AWS services
//     such as Lambda answer);
//   - a denial: AccessDenied "User: CALLER is not authorized to perform:
//     iam:PassRole on resource: ROLE" (with " with an explicit deny" when a
//     Deny statement decided);
//   - an allowed pass of a role that does not exist: NoSuchEntity "The
//     role with name NAME cannot be found." Authorization comes first, so
//     a caller without the permission learns nothing about which roles
//     exist.
//
// iam:PassRole is a permission, not an IAM API operation, so the limits on
// calling IAM with federated-user or GetSessionToken credentials do not
// apply to it. Tag conditions on the role (aws:ResourceTag) are not set:
// AWS warns that they do not reliably control PassRole.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService
func (is *Issuer) PassRole(ctx context.Context, caller *Session, in *PassRoleInput) error {
	if caller == nil {
		return errNoCaller()
	}
	if err := in.Validate(); err != nil {
		return err
	}
	roleARN, err := parseRoleARN(in.RoleArn)
	if err != nil {
		return err
	}
	if roleARN.Account != caller.Account || roleARN.Partition != sessionPartition(caller) {
		return newError(ErrAccessDenied, "Cross-account pass role is not allowed.")
	}
	rc := condition.NewContext()
	rc.Set("iam:PassedToService", in.Service)
	if in.AssociatedResourceArn != "" {
		rc.Set("iam:AssociatedResourceArn", in.AssociatedResourceArn)
	}
	req := AuthorizeInput{Action: passRoleAction, Resource: in.RoleArn, Context: rc}
	denied, d, err := is.authorizeActions(ctx, caller, req, nil, nil)
	if err != nil {
		return err
	}
	if denied != "" {
		e := accessDenied(caller, passRoleAction, in.RoleArn, d)
		e.Err = &PassRoleDenied{Decision: d}
		return e
	}
	if _, err := is.dir.Role(ctx, in.RoleArn); err != nil {
		if errors.Is(err, ErrNotFound) {
			name := roleARN.Resource[strings.LastIndexByte(roleARN.Resource, '/')+1:]
			e := newError(ErrNoSuchEntity, "The role with name %s cannot be found.", name)
			e.Err = err
			return e
		}
		return err
	}
	return nil
}

// PassRoleDenied is the cause of an AccessDenied answer to
// [Issuer.PassRole]: the decision, with the policy engine's explanation and
// the encoded authorization message. AWS's message says neither; find it
// with errors.As, for tests and logs.
type PassRoleDenied struct {
	Decision *Decision
}

// Error says why iam:PassRole was denied.
func (e *PassRoleDenied) Error() string {
	if e.Decision != nil && e.Decision.Denial != "" {
		return "iam:PassRole denied: " + e.Decision.Denial
	}
	if e.Decision != nil && e.Decision.Explanation != nil {
		return "iam:PassRole denied: " + e.Decision.Explanation.String()
	}
	return "iam:PassRole denied"
}

// EC2ServicePrincipal is the service principal of Amazon EC2, to which
// instance profiles pass their role and which assumes instance roles.
const EC2ServicePrincipal = "ec2.amazonaws.com"

// PassInstanceProfileInput is an instance profile given to EC2 (RunInstances
// or AssociateIamInstanceProfile with an IamInstanceProfile).
type PassInstanceProfileInput struct {
	// InstanceProfileArn names the profile. Required.
	InstanceProfileArn string
	// Service is iam:PassedToService; empty means [EC2ServicePrincipal].
	Service string
	// AssociatedResourceArn is iam:AssociatedResourceArn, the instance
	// ARN; optional.
	AssociatedResourceArn string
}

// PassInstanceProfile resolves an instance profile and authorizes passing
// its role as [Issuer.PassRole] does, and returns the profile (whose
// [InstanceProfile.Role] the service then assumes). A profile that does not
// exist answers NoSuchEntity "Instance Profile NAME cannot be found.", as
// IAM's GetInstanceProfile does; a profile of another account answers
// "Cross-account pass role is not allowed." as PassRole does. A profile
// with no role passes no role: it needs no permission and is returned as
// it is (an instance launched with it gets no credentials).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
func (is *Issuer) PassInstanceProfile(ctx context.Context, caller *Session, in *PassInstanceProfileInput) (*InstanceProfile, error) {
	if caller == nil {
		return nil, errNoCaller()
	}
	if in == nil {
		in = &PassInstanceProfileInput{}
	}
	var v violations
	v.str("instanceProfileArn", in.InstanceProfileArn, ruleARN)
	if in.AssociatedResourceArn != "" {
		v.str("associatedResourceArn", in.AssociatedResourceArn, ruleARN)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	a, err := principal.ParseARN(in.InstanceProfileArn)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "instance-profile/") {
		return nil, newError(ErrValidation, "%s is invalid", in.InstanceProfileArn)
	}
	if a.Account != caller.Account || a.Partition != sessionPartition(caller) {
		return nil, newError(ErrAccessDenied, "Cross-account pass role is not allowed.")
	}
	p, err := is.dir.InstanceProfile(ctx, in.InstanceProfileArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			e := newError(ErrNoSuchEntity, "Instance Profile %s cannot be found.", a.Resource[strings.LastIndexByte(a.Resource, '/')+1:])
			e.Err = err
			return nil, e
		}
		return nil, err
	}
	if p.Role() == "" {
		return p, nil
	}
	service := in.Service
	if service == "" {
		service = EC2ServicePrincipal
	}
	if err := is.PassRole(ctx, caller, &PassRoleInput{RoleArn: p.Role(), Service: service, AssociatedResourceArn: in.AssociatedResourceArn}); err != nil {
		return nil, err
	}
	return p, nil
}

// sessionPartition is the session's partition, "aws" when unset.
func sessionPartition(s *Session) string {
	if s.Partition == "" {
		return "aws"
	}
	return s.Partition
}
