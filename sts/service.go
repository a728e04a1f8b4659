package sts

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// Service principals of the compute services whose role sessions iamkit
// names ([ServiceSessionName]).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html
const (
	LambdaServicePrincipal   = "lambda.amazonaws.com"
	ECSTasksServicePrincipal = "ecs-tasks.amazonaws.com"
)

// Values of ec2:RoleDelivery: the version of the instance metadata service
// that delivered an instance role's credentials.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html
const (
	RoleDeliveryIMDSv1 = "1.0"
	RoleDeliveryIMDSv2 = "2.0"
)

// ServiceRequest is an AWS service assuming a role it was given (an
// instance profile's role, a function's execution role, a task role): the
// AssumeRole request and the keys the service puts in it.
type ServiceRequest struct {
	// Service is the service principal, such as "ec2.amazonaws.com":
	// the principal the trust policy must name, and aws:PrincipalServiceName.
	// Required.
	Service string
	// Input is the AssumeRole request: RoleArn and RoleSessionName
	// (see [ServiceSessionName]), and optionally a duration, session
	// policies, tags or an ExternalId. Required. With EC2 set, an empty
	// RoleSessionName is the instance ID, as EC2 names the session.
	Input *AssumeRoleInput
	// SourceArn is aws:SourceArn, the resource on whose behalf the service
	// acts (a function, a bucket, a topic). Empty leaves the key out, as
	// services that do not send it do.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
	SourceArn string
	// SourceAccount is aws:SourceAccount, the account that owns that
	// resource. Empty leaves the key out.
	SourceAccount string
	// EC2 makes the session an EC2 instance-role session; nil for other
	// services.
	EC2 *EC2Delivery
}

// EC2Delivery describes an EC2 instance whose instance-profile role
// credentials are being delivered. Its keys are sealed into the session and
// present in every request the credentials sign ("This key is included in
// the request context whenever the requester is signing requests with an
// Amazon EC2 role credential").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2instancesourcevpc
type EC2Delivery struct {
	// InstanceARN is ec2:SourceInstanceARN,
	// arn:PARTITION:ec2:REGION:ACCOUNT:instance/i-..., an instance of the
	// role's account. Required.
	InstanceARN string
	// RoleDelivery is ec2:RoleDelivery: [RoleDeliveryIMDSv2] ("2.0") for
	// credentials read with an IMDSv2 session token, [RoleDeliveryIMDSv1]
	// ("1.0") without one. Required: there is no default, so that a
	// forgotten value cannot pass a policy requiring IMDSv2.
	RoleDelivery string
	// SourceVPC is aws:Ec2InstanceSourceVpc, the instance's VPC ID
	// ("vpc-..."). Optional.
	SourceVPC string
	// SourcePrivateIPv4 is aws:Ec2InstanceSourcePrivateIPv4, the private
	// IPv4 address of the instance's primary network interface. Optional.
	SourcePrivateIPv4 string
}

var (
	reInstanceID   = regexp.MustCompile(`^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$`)
	reVPCID        = regexp.MustCompile(`^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$`)
	reFunctionName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
)

// instanceID returns the instance ID of an EC2 instance ARN.
func instanceID(a principal.ARN) (string, bool) {
	id, ok := strings.CutPrefix(a.Resource, "instance/")
	return id, ok && a.Service == "ec2" && a.Region != "" && reInstanceID.MatchString(id)
}

// keys checks the delivery against the role's account and returns the
// condition keys it seals into the session.
func (e *EC2Delivery) keys(roleARN principal.ARN) ([]ProviderKey, error) {
	a, err := principal.ParseARN(e.InstanceARN)
	if _, ok := instanceID(a); err != nil || !ok {
		return nil, newError(ErrValidation, "ec2:SourceInstanceARN %s is not an EC2 instance ARN", echo(e.InstanceARN))
	}
	if a.Account != roleARN.Account || a.Partition != roleARN.Partition {
		// A role is passed to EC2 only within its account (id_roles_use_passrole.html).
		return nil, newError(ErrValidation, "ec2:SourceInstanceARN %s is not an instance of the role's account", e.InstanceARN)
	}
	if e.RoleDelivery != RoleDeliveryIMDSv1 && e.RoleDelivery != RoleDeliveryIMDSv2 {
		return nil, newError(ErrValidation, "ec2:RoleDelivery must be %q or %q, not %q", RoleDeliveryIMDSv1, RoleDeliveryIMDSv2, echo(e.RoleDelivery))
	}
	keys := []ProviderKey{
		{Key: "ec2:SourceInstanceARN", Values: []string{e.InstanceARN}},
		{Key: "ec2:RoleDelivery", Values: []string{e.RoleDelivery}},
	}
	if e.SourceVPC != "" {
		if !reVPCID.MatchString(e.SourceVPC) {
			return nil, newError(ErrValidation, "aws:Ec2InstanceSourceVpc %s is not a VPC ID", echo(e.SourceVPC))
		}
		keys = append(keys, ProviderKey{Key: "aws:Ec2InstanceSourceVpc", Values: []string{e.SourceVPC}})
	}
	if e.SourcePrivateIPv4 != "" {
		ip, err := netip.ParseAddr(e.SourcePrivateIPv4)
		if err != nil || !ip.Is4() || !ip.IsPrivate() {
			return nil, newError(ErrValidation, "aws:Ec2InstanceSourcePrivateIPv4 %s is not a private IPv4 address", echo(e.SourcePrivateIPv4))
		}
		keys = append(keys, ProviderKey{Key: "aws:Ec2InstanceSourcePrivateIPv4", Values: []string{ip.String()}})
	}
	return keys, nil
}

// ServiceSessionName returns the RoleSessionName a compute service gives
// the role session it creates for a resource, which then appears in the
// session's ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/NAME):
//
//   - ec2.amazonaws.com: the instance ID, from an ID (i-0123456789abcdef0)
//     or an instance ARN;
//   - lambda.amazonaws.com: the function name, from a name or a function
//     ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]);
//   - ecs-tasks.amazonaws.com: the task ID, from an ID or a task ARN
//     (arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID, or the older
//     arn:aws:ecs:REGION:ACCOUNT:task/ID).
//
// Other services, malformed resources and names that are not a valid
// RoleSessionName (2 to 64 characters of [\w+=,.@-], so a one-letter
// function name) are an error. AWS does not document these names in one
// place; they are the ones its services' sessions carry in CloudTrail and
// in GetCallerIdentity.
func ServiceSessionName(service, resource string) (string, error) {
	name := resource
	a, arnErr := principal.ParseARN(resource)
	isARN := arnErr == nil
	switch service {
	case EC2ServicePrincipal:
		if isARN {
			id, ok := instanceID(a)
			if !ok {
				return "", fmt.Errorf("sts: %q is not an EC2 instance ARN", resource)
			}
			name = id
		} else if !reInstanceID.MatchString(name) {
			return "", fmt.Errorf("sts: %q is not an EC2 instance ID", resource)
		}
	case LambdaServicePrincipal:
		if isARN {
			fn, ok := strings.CutPrefix(a.Resource, "function:")
			if !ok || a.Service != "lambda" {
				return "", fmt.Errorf("sts: %q is not a Lambda function ARN", resource)
			}
			name, _, _ = strings.Cut(fn, ":") // drop a version or alias
		}
		if !reFunctionName.MatchString(name) {
			return "", fmt.Errorf("sts: %q is not a Lambda function name", resource)
		}
	case ECSTasksServicePrincipal:
		if isARN {
			rest, ok := strings.CutPrefix(a.Resource, "task/")
			if !ok || a.Service != "ecs" {
				return "", fmt.Errorf("sts: %q is not an ECS task ARN", resource)
			}
			name = rest[strings.LastIndexByte(rest, '/')+1:]
		}
	default:
		return "", fmt.Errorf("sts: no session name convention for service %q", service)
	}
	if n := len(name); n < 2 || n > 64 || !reSessionName.MatchString(name) {
		return "", fmt.Errorf("sts: %q is not a valid RoleSessionName (2 to 64 characters of %s)", name, patSessionName)
	}
	return name, nil
}

// AssumeRoleForServiceWith returns credentials for a role assumed by an AWS
// service principal, as [Issuer.AssumeRoleForService] does, with what the
// service puts in its request. The role's trust policy alone decides (the
// service has no identity-based policies), evaluated with the service as
// principal and sts:RoleSessionName, sts:ExternalId,
// aws:PrincipalServiceName, aws:PrincipalIsAWSService, and aws:SourceArn
// and aws:SourceAccount when given, so a trust policy that pins them
// refuses the service acting for another resource (the confused deputy).
// A refusal answers AccessDenied "SERVICE is not authorized to perform:
// sts:AssumeRole on resource: ROLE" wrapping a [TrustDenied].
//
// For an EC2 instance-role session (EC2 set), ec2:SourceInstanceARN,
// ec2:RoleDelivery, aws:Ec2InstanceSourceVpc and
// aws:Ec2InstanceSourcePrivateIPv4 are sealed into the session and reach
// every later request it signs ([Issuer.Authorize], and the trust policy
// of a role it assumes); a role chained from it does not keep them, as
// AWS documents them only for EC2 role credentials. They are not in the
// trust policy's context: AWS documents them on requests signed with the
// credentials, not on EC2's own AssumeRole.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
func (is *Issuer) AssumeRoleForServiceWith(ctx context.Context, req ServiceRequest) (*AssumeRoleOutput, error) {
	var in AssumeRoleInput
	if req.Input != nil {
		in = *req.Input // a copy: the session name may be filled in
	}
	if req.Service == "" {
		return nil, newError(ErrValidation, "1 validation error detected: Value '' at 'service' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if in.RoleSessionName == "" && req.EC2 != nil {
		if a, err := principal.ParseARN(req.EC2.InstanceARN); err == nil {
			if id, ok := instanceID(a); ok {
				in.RoleSessionName = id
			}
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	roleARN, err := parseRoleARN(in.RoleArn)
	if err != nil {
		return nil, err
	}
	if req.SourceArn != "" {
		if _, err := principal.ParseARN(req.SourceArn); err != nil {
			return nil, newError(ErrValidation, "aws:SourceArn %s is not an ARN", echo(req.SourceArn))
		}
	}
	if req.SourceAccount != "" && !principal.IsAccountID(req.SourceAccount) {
		return nil, newError(ErrValidation, "aws:SourceAccount %s is not a 12-digit account ID", echo(req.SourceAccount))
	}
	var ec2Keys []ProviderKey
	if req.EC2 != nil {
		if ec2Keys, err = req.EC2.keys(roleARN); err != nil {
			return nil, err
		}
	}
	denied := newError(ErrAccessDenied, "%s is not authorized to perform: sts:AssumeRole on resource: %s", req.Service, in.RoleArn)
	role, err := is.dir.Role(ctx, in.RoleArn)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, denied
		}
		return nil, err
	}
	dur, err := roleDuration(in.DurationSeconds, role, false)
	if err != nil {
		return nil, err
	}
	_, policyARNs, packed, err := is.sessionPolicies(ctx, in.Policy, in.PolicyArns, in.Tags)
	if err != nil {
		return nil, err
	}
	rc := condition.NewContext()
	rc.Set("sts:RoleSessionName", in.RoleSessionName)
	rc.Set("aws:PrincipalServiceName", req.Service)
	rc.SetBool("aws:PrincipalIsAWSService", true)
	if in.ExternalId != nil {
		rc.Set("sts:ExternalId", *in.ExternalId)
	}
	if req.SourceArn != "" {
		rc.Set("aws:SourceArn", req.SourceArn)
	}
	if req.SourceAccount != "" {
		rc.Set("aws:SourceAccount", req.SourceAccount)
	}
	set := &policy.Set{Resource: role.TrustPolicy}
	pr := &policy.Request{Principal: principal.ServicePrincipal(req.Service), Action: "sts:AssumeRole", Resource: in.RoleArn, Context: rc}
	if set.Evaluate(pr).Decision != policy.Allowed {
		denied.Err = &TrustDenied{Action: "sts:AssumeRole", Explanation: set.Explain(pr)}
		return nil, denied
	}
	s := newRoleSession(roleARN, role, &in, is.clock(), dur)
	s.Tags, s.PolicyARNs = append([]Tag(nil), in.Tags...), policyARNs
	s.ProviderKeys = ec2Keys
	creds, size, err := is.issue(s, in.MinimumSessionTokenSize)
	if err != nil {
		return nil, err
	}
	return &AssumeRoleOutput{Credentials: creds, AssumedRoleUser: AssumedRoleUser{AssumedRoleId: s.UserID, Arn: s.ARN},
		PackedPolicySize: packed, SessionTokenSize: size}, nil
}
