package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
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
