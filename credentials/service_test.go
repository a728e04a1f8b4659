package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/sts"
)

// TestServiceRoleProvider: the provider's sessions are the role assumed by
// the service, named as asked, for the duration asked; a service the trust
// policy does not name is AccessDenied
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html).
func TestServiceRoleProvider(t *testing.T) {
	f := newCPFixture(t, newCPClock(cpT0).Now)
	p := NewServiceRoleProvider(f.issuer, "ec2.amazonaws.com", cpInstanceRoleARN, "i-0abc", 30*time.Minute)
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Source != SourceServiceRole || !c.CanExpire || !strings.HasPrefix(c.AccessKeyID, "ASIA") || c.Expires.Sub(cpT0) != 30*time.Minute {
		t.Errorf("credentials source %q expires %v", c.Source, c.Expires)
	}
	s := f.session(t, c)
	if !strings.HasSuffix(s.ARN, "/i-0abc") {
		t.Errorf("session %s", s.ARN)
	}
	_, err = NewServiceRoleProvider(f.issuer, "lambda.amazonaws.com", cpInstanceRoleARN, "fn", 0).Retrieve(context.Background())
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Errorf("lambda assuming the instance role: %v", err)
	}
	if _, err := NewServiceRoleProvider(nil, "ec2.amazonaws.com", cpInstanceRoleARN, "x", 0).Retrieve(context.Background()); err == nil {
		t.Error("nil issuer: no error")
	}
}

// TestServiceRoleProviderSource: the source keys reach the trust policy,
// so a role guarding against the confused deputy admits only its own
// account's resources (confused-deputy.html).
func TestServiceRoleProviderSource(t *testing.T) {
	ctx := context.Background()
	role := "arn:aws:iam::111122223333:role/guarded-task"
	dir := sts.NewMemoryDirectory()
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("service-role-provider-test-key-0123")})
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.PutRole(sts.Role{ARN: role, UniqueID: "AROAGUARDEDTASK00001", TrustPolicy: cpTrust(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`)}); err != nil {
		t.Fatal(err)
	}
	p := NewServiceRoleProvider(issuer, "ecs-tasks.amazonaws.com", role, "task1", 0)
	if _, err := p.Retrieve(ctx); err == nil {
		t.Error("assumed without aws:SourceAccount")
	}
	if _, err := p.WithSource("", "999999999999").Retrieve(ctx); err == nil {
		t.Error("assumed for another account's task")
	}
	if _, err := p.WithSource("arn:aws:ecs:us-east-1:111122223333:task/c/task1", "111122223333").Retrieve(ctx); err != nil {
		t.Errorf("own account's task: %v", err)
	}
}
