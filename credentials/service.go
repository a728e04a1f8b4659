package credentials

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamkit/iamkit/sts"
)

// SourceServiceRole is the Source of credentials from a
// [ServiceRoleProvider].
const SourceServiceRole = "iamkit:ServiceRole"

// A ServiceRoleProvider is an aws.CredentialsProvider of a role assumed by
// an AWS service for a workload, as ECS assumes a task role
// ("ecs-tasks.amazonaws.com", the session named after the task ID) or
// Lambda an execution role ("lambda.amazonaws.com", named after the
// function): the role's trust policy must trust the service principal
// ([sts.Issuer.AssumeRoleForService]). Serve it with [NewContainerHandler]
// for the container credentials endpoint; wrap it in an
// aws.CredentialsCache to reuse credentials until they near expiry.
type ServiceRoleProvider struct {
	issuer      *sts.Issuer
	service     string
	roleARN     string
	sessionName string
	duration    time.Duration
	// sourceArn and sourceAccount are the confused-deputy keys the
	// service puts in the request (aws:SourceArn, aws:SourceAccount).
	sourceArn, sourceAccount string
}

// NewServiceRoleProvider returns a provider of sessions of roleARN, named
// sessionName, assumed by service, lasting duration (0: one hour).
func NewServiceRoleProvider(issuer *sts.Issuer, service, roleARN, sessionName string, duration time.Duration) *ServiceRoleProvider {
	if duration == 0 {
		duration = time.Hour
	}
	return &ServiceRoleProvider{issuer: issuer, service: service, roleARN: roleARN, sessionName: sessionName, duration: duration}
}

// WithSource returns a copy of p whose requests carry aws:SourceArn and
// aws:SourceAccount ("" leaves one out), as a service sends them for the
// resource it acts for (an ECS task's ARN and account), so that a trust
// policy guarding against the confused deputy can check them
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
func (p *ServiceRoleProvider) WithSource(sourceArn, sourceAccount string) *ServiceRoleProvider {
	c := *p
	c.sourceArn, c.sourceAccount = sourceArn, sourceAccount
	return &c
}

// Retrieve assumes the role for the service. Errors of the issuer are
// returned unchanged (*sts.Error, a smithy.APIError).
func (p *ServiceRoleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if p.issuer == nil {
		return aws.Credentials{Source: SourceServiceRole}, errors.New("credentials: ServiceRoleProvider needs an issuer")
	}
	secs := int32(p.duration / time.Second)
	out, err := p.issuer.AssumeRoleForServiceWith(ctx, sts.ServiceRequest{Service: p.service,
		Input:     &sts.AssumeRoleInput{RoleArn: p.roleARN, RoleSessionName: p.sessionName, DurationSeconds: &secs},
		SourceArn: p.sourceArn, SourceAccount: p.sourceAccount})
	if err != nil {
		return aws.Credentials{Source: SourceServiceRole}, err
	}
	return temporaryCredentials(out.Credentials, SourceServiceRole, assumedRoleAccount(out.AssumedRoleUser.Arn)), nil
}
