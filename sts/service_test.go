package sts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
)

// AWS pages the service-role rules come from.
const (
	docGlobalKeys     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
	docEC2SourceVPC   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2instancesourcevpc"
	docEC2PrivateIP   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2instancesourceprivateip4"
	docIMDSOptions    = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html"
	docEC2RoleSwitch  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html"
	docServiceRoles   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html"
	docEC2Permissions = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html#amazonec2-policy-keys"
)

const (
	svInstanceID  = "i-0123456789abcdef0"
	svInstanceARN = "arn:aws:ec2:us-east-1:111122223333:instance/" + svInstanceID
	svVPC         = "vpc-0a1b2c3d4e5f60718"
	svIP          = "10.0.1.23"
	svFunction    = "arn:aws:lambda:us-east-1:111122223333:function:resize"
	svBucket      = "arn:aws:s3:::example-bucket/photo.jpg"
)

func svTrust(service, cond string) string {
	s := `{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"`
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

// TestAssumeRoleForServiceTrust checks the trust policy of a service role
// with the keys the service sends: aws:SourceArn and aws:SourceAccount pin
// the resource the service acts for, so the service acting for another
// one is refused (the cross-service confused deputy).
func TestAssumeRoleForServiceTrust(t *testing.T) {
	t.Logf("rules: %s, %s", docConfusedDeputy, docServiceRoles)
	const otherFn = "arn:aws:lambda:us-east-1:444455556666:function:resize"
	tests := []struct {
		name    string
		trust   string
		req     ServiceRequest // Input.RoleArn is filled in
		wantErr error
		wantMsg string
	}{
		{"EC2 trusted", svTrust(EC2ServicePrincipal, ""), ServiceRequest{Service: EC2ServicePrincipal}, nil, ""},
		{"another service", svTrust(EC2ServicePrincipal, ""), ServiceRequest{Service: LambdaServicePrincipal}, ErrAccessDenied,
			"lambda.amazonaws.com is not authorized to perform: sts:AssumeRole on resource: " + issRoleARN(issAcct, "svc")},
		{"aws:SourceArn pinned, same function", svTrust(LambdaServicePrincipal, `{"ArnEquals":{"aws:SourceArn":"`+svFunction+`"}}`),
			ServiceRequest{Service: LambdaServicePrincipal, SourceArn: svFunction}, nil, ""},
		{"aws:SourceArn pinned, another source (confused deputy)", svTrust(LambdaServicePrincipal, `{"ArnEquals":{"aws:SourceArn":"`+svFunction+`"}}`),
			ServiceRequest{Service: LambdaServicePrincipal, SourceArn: otherFn}, ErrAccessDenied,
			"lambda.amazonaws.com is not authorized to perform: sts:AssumeRole on resource: " + issRoleARN(issAcct, "svc")},
		{"aws:SourceArn pinned, not sent", svTrust(LambdaServicePrincipal, `{"ArnEquals":{"aws:SourceArn":"`+svFunction+`"}}`),
			ServiceRequest{Service: LambdaServicePrincipal}, ErrAccessDenied, ""},
		{"aws:SourceArn wildcard for unknown parts", svTrust(LambdaServicePrincipal, `{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:111122223333:function:*"}}`),
			ServiceRequest{Service: LambdaServicePrincipal, SourceArn: "arn:aws:lambda:eu-west-1:111122223333:function:thumb"}, nil, ""},
		{"aws:SourceArn wildcard, another account", svTrust(LambdaServicePrincipal, `{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:111122223333:function:*"}}`),
			ServiceRequest{Service: LambdaServicePrincipal, SourceArn: otherFn}, ErrAccessDenied, ""},
		{"aws:SourceAccount pinned, same account", svTrust(LambdaServicePrincipal, `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`),
			ServiceRequest{Service: LambdaServicePrincipal, SourceAccount: issAcct}, nil, ""},
		{"aws:SourceAccount pinned, another account", svTrust(LambdaServicePrincipal, `{"StringEquals":{"aws:SourceAccount":"111122223333"}}`),
			ServiceRequest{Service: LambdaServicePrincipal, SourceAccount: issOther}, ErrAccessDenied, ""},
		// "use both when the ARN has no account", as an S3 bucket's has none.
		{"both keys for an S3 source", svTrust("s3.amazonaws.com", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::example-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}`),
			ServiceRequest{Service: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::example-bucket", SourceAccount: issAcct}, nil, ""},
		{"both keys for an S3 source, bucket of another owner", svTrust("s3.amazonaws.com", `{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::example-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}`),
			ServiceRequest{Service: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::example-bucket", SourceAccount: issOther}, ErrAccessDenied, ""},
		{"aws:PrincipalServiceName", `{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalServiceName":"ec2.amazonaws.com"}}}`,
			ServiceRequest{Service: LambdaServicePrincipal}, ErrAccessDenied, ""},
		{"no service", svTrust(EC2ServicePrincipal, ""), ServiceRequest{}, ErrValidation, ""},
		{"malformed aws:SourceArn", svTrust(EC2ServicePrincipal, ""), ServiceRequest{Service: EC2ServicePrincipal, SourceArn: "function:resize"}, ErrValidation, ""},
		{"malformed aws:SourceAccount", svTrust(EC2ServicePrincipal, ""), ServiceRequest{Service: EC2ServicePrincipal, SourceAccount: "1111"}, ErrValidation, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newIssFixture(t)
			roleARN := f.role(issAcct, "svc", []string{tt.trust}, nil)
			req := tt.req
			req.Input = &AssumeRoleInput{RoleArn: roleARN, RoleSessionName: "resize"}
			out, err := f.is.AssumeRoleForServiceWith(f.ctx, req)
			prCheck(t, err, tt.wantErr, tt.wantMsg)
			if err != nil {
				if errors.Is(err, ErrAccessDenied) {
					var td *TrustDenied
					if !errors.As(err, &td) || td.Explanation == nil {
						t.Errorf("AccessDenied does not wrap a TrustDenied: %v", err)
					}
				}
				return
			}
			if want := "arn:aws:sts::111122223333:assumed-role/svc/resize"; out.AssumedRoleUser.Arn != want {
				t.Errorf("Arn = %q, want %q", out.AssumedRoleUser.Arn, want)
			}
			// The source keys belong to the service's request, not to the
			// session.
			if s := f.open(out.Credentials); len(s.ProviderKeys) != 0 {
				t.Errorf("session carries %v", s.ProviderKeys)
			}
		})
	}

	// AssumeRoleForService is the same call without the source keys.
	f := newIssFixture(t)
	roleARN := f.role(issAcct, "svc", []string{svTrust(EC2ServicePrincipal, "")}, nil)
	if _, err := f.is.AssumeRoleForService(f.ctx, EC2ServicePrincipal, &AssumeRoleInput{RoleArn: roleARN, RoleSessionName: svInstanceID}); err != nil {
		t.Errorf("AssumeRoleForService: %v", err)
	}
	if _, err := f.is.AssumeRoleForService(f.ctx, EC2ServicePrincipal, &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "nobody"), RoleSessionName: svInstanceID}); !errors.Is(err, ErrAccessDenied) {
		t.Errorf("unknown role: err = %v, want AccessDenied", err)
	}
	if _, err := f.is.AssumeRoleForService(f.ctx, EC2ServicePrincipal, nil); !errors.Is(err, ErrValidation) {
		t.Errorf("nil input: err = %v, want ValidationError", err)
	}
}

// svEC2Fixture holds the role web, trusting EC2, with the given identity
// statements, and returns a function issuing its instance-role session.
func svEC2Fixture(t *testing.T, stmts ...string) (*issFixture, func(d EC2Delivery) *Session) {
	f := newIssFixture(t)
	web := f.role(issAcct, "web", []string{svTrust(EC2ServicePrincipal, "")}, func(r *Role) {
		if len(stmts) > 0 {
			r.Policies = []*policy.Policy{issPolicy(policy.Identity, stmts...)}
		}
	})
	return f, func(d EC2Delivery) *Session {
		t.Helper()
		out, err := f.is.AssumeRoleForServiceWith(f.ctx, ServiceRequest{Service: EC2ServicePrincipal,
			Input: &AssumeRoleInput{RoleArn: web}, EC2: &d})
		f.must(err)
		return f.open(out.Credentials)
	}
}

var (
	svV2 = EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: RoleDeliveryIMDSv2, SourceVPC: svVPC, SourcePrivateIPv4: svIP}
	svV1 = EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: RoleDeliveryIMDSv1, SourceVPC: svVPC, SourcePrivateIPv4: svIP}
)

// TestEC2InstanceRoleSession checks that the EC2 keys of an instance-role
// session reach every request it signs: a policy on ec2:RoleDelivery lets
// IMDSv2-delivered credentials through and stops IMDSv1-delivered ones,
// ec2:SourceInstanceARN marks instance-role credentials, and
// aws:Ec2InstanceSourceVpc and aws:Ec2InstanceSourcePrivateIPv4 pin them
// to where they were delivered.
func TestEC2InstanceRoleSession(t *testing.T) {
	t.Logf("rules: %s, %s, %s, %s", docIMDSOptions, docEC2SourceVPC, docEC2PrivateIP, docEC2Permissions)
	read := issAllow([]string{"s3:GetObject"}, "arn:aws:s3:::example-bucket/*", "")
	tests := []struct {
		name     string
		doc      string
		stmts    []string
		delivery *EC2Delivery // nil: a service session without EC2 keys
		ctx      map[string]string
		want     bool
	}{
		// The documented way to require IMDSv2: deny NumericLessThan 2.0.
		{"deny IMDSv1: IMDSv2 credentials", docIMDSOptions, []string{read, issDeny([]string{"*"}, "*", `{"NumericLessThan":{"ec2:RoleDelivery":"2.0"}}`)}, &svV2, nil, true},
		{"deny IMDSv1: IMDSv1 credentials", docIMDSOptions, []string{read, issDeny([]string{"*"}, "*", `{"NumericLessThan":{"ec2:RoleDelivery":"2.0"}}`)}, &svV1, nil, false},
		{"allow only 2.0: IMDSv2 credentials", docIMDSOptions, []string{issAllow([]string{"s3:GetObject"}, "*", `{"NumericEquals":{"ec2:RoleDelivery":"2.0"}}`)}, &svV2, nil, true},
		{"allow only 2.0: IMDSv1 credentials", docIMDSOptions, []string{issAllow([]string{"s3:GetObject"}, "*", `{"NumericEquals":{"ec2:RoleDelivery":"2.0"}}`)}, &svV1, nil, false},
		{"allow only 2.0: no EC2 keys", docIMDSOptions, []string{issAllow([]string{"s3:GetObject"}, "*", `{"NumericEquals":{"ec2:RoleDelivery":"2.0"}}`)}, nil, nil, false},

		{"ec2:SourceInstanceARN present", docGlobalKeys, []string{issAllow([]string{"s3:GetObject"}, "*", `{"Null":{"ec2:SourceInstanceARN":"false"}}`)}, &svV2, nil, true},
		{"ec2:SourceInstanceARN absent outside EC2", docGlobalKeys, []string{issAllow([]string{"s3:GetObject"}, "*", `{"Null":{"ec2:SourceInstanceARN":"false"}}`)}, nil, nil, false},
		{"ec2:SourceInstanceARN names the instance", docEC2Permissions, []string{issAllow([]string{"s3:GetObject"}, "*", `{"ArnEquals":{"ec2:SourceInstanceARN":"`+svInstanceARN+`"}}`)}, &svV2, nil, true},
		{"ec2:SourceInstanceARN another instance", docEC2Permissions, []string{issAllow([]string{"s3:GetObject"}, "*", `{"ArnEquals":{"ec2:SourceInstanceARN":"arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210"}}`)}, &svV2, nil, false},

		// The page's RequireSameVPC statement, with aws:SourceVpc from the
		// request (a VPC endpoint's).
		{"same VPC", docEC2SourceVPC, []string{read, issDeny([]string{"*"}, "*", `{"StringNotEquals":{"aws:SourceVpc":"${aws:Ec2InstanceSourceVpc}"},"Null":{"ec2:SourceInstanceARN":"false"},"BoolIfExists":{"aws:ViaAWSService":"false"}}`)},
			&svV2, map[string]string{"aws:SourceVpc": svVPC}, true},
		{"credentials used from another VPC", docEC2SourceVPC, []string{read, issDeny([]string{"*"}, "*", `{"StringNotEquals":{"aws:SourceVpc":"${aws:Ec2InstanceSourceVpc}"},"Null":{"ec2:SourceInstanceARN":"false"},"BoolIfExists":{"aws:ViaAWSService":"false"}}`)},
			&svV2, map[string]string{"aws:SourceVpc": "vpc-0ffffffffffffffff"}, false},
		{"private IPv4 in range", docEC2PrivateIP, []string{issAllow([]string{"s3:GetObject"}, "*", `{"IpAddress":{"aws:Ec2InstanceSourcePrivateIPv4":"10.0.0.0/16"},"StringEquals":{"aws:Ec2InstanceSourceVpc":"`+svVPC+`"}}`)},
			&svV2, nil, true},
		{"private IPv4 out of range", docEC2PrivateIP, []string{issAllow([]string{"s3:GetObject"}, "*", `{"IpAddress":{"aws:Ec2InstanceSourcePrivateIPv4":"10.9.0.0/16"}}`)},
			&svV2, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Logf("doc: %s", tt.doc)
			f, issue := svEC2Fixture(t, tt.stmts...)
			var s *Session
			if tt.delivery != nil {
				s = issue(*tt.delivery)
			} else {
				out, err := f.is.AssumeRoleForService(f.ctx, EC2ServicePrincipal, &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "web"), RoleSessionName: svInstanceID})
				f.must(err)
				s = f.open(out.Credentials)
			}
			in := AuthorizeInput{Action: "s3:GetObject", Resource: svBucket}
			if tt.ctx != nil {
				in.Context = condition.NewContext()
				for k, v := range tt.ctx {
					in.Context.Set(k, v)
				}
			}
			d, err := f.is.Authorize(f.ctx, s, in)
			f.must(err)
			if d.Allowed() != tt.want {
				t.Errorf("allowed = %v, want %v: %v", d.Allowed(), tt.want, d.Explanation)
			}
		})
	}
}

// TestEC2SessionCarriesKeys checks what the sealed session holds: the
// instance ID as session name (as EC2 names it), the four EC2 keys, intact
// through the token, and a token whose every byte is flipped is refused.
// A role chained from the instance role keeps none of the keys, but the
// chaining AssumeRole request, signed with the instance credentials,
// carries them to the next role's trust policy.
func TestEC2SessionCarriesKeys(t *testing.T) {
	t.Logf("rules: %s, %s, %s", docEC2RoleSwitch, docEC2SourceVPC, docRolesUse)
	f, _ := svEC2Fixture(t, issAllow([]string{"sts:AssumeRole"}, "*", ""))
	out, err := f.is.AssumeRoleForServiceWith(f.ctx, ServiceRequest{Service: EC2ServicePrincipal,
		Input: &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "web")}, EC2: &svV2})
	f.must(err)
	if want := "arn:aws:sts::111122223333:assumed-role/web/" + svInstanceID; out.AssumedRoleUser.Arn != want {
		t.Errorf("Arn = %q, want %q", out.AssumedRoleUser.Arn, want)
	}
	s := f.open(out.Credentials)
	want := []ProviderKey{
		{Key: "ec2:SourceInstanceARN", Values: []string{svInstanceARN}},
		{Key: "ec2:RoleDelivery", Values: []string{"2.0"}},
		{Key: "aws:Ec2InstanceSourceVpc", Values: []string{svVPC}},
		{Key: "aws:Ec2InstanceSourcePrivateIPv4", Values: []string{svIP}},
	}
	if diff := cmp.Diff(want, s.ProviderKeys); diff != "" {
		t.Errorf("sealed keys (-want +got):\n%s", diff)
	}
	if s.FederatedProvider != "" || s.SessionName != svInstanceID {
		t.Errorf("provider %q, session name %q", s.FederatedProvider, s.SessionName)
	}

	tok := []byte(out.Credentials.SessionToken)
	for i := range tok {
		b := append([]byte(nil), tok...)
		b[i] ^= 0x01
		if _, _, err := f.is.Resolve(f.ctx, out.Credentials.AccessKeyID, string(b)); err == nil {
			t.Fatalf("token with byte %d flipped accepted", i)
		}
	}

	next := f.role(issAcct, "next", []string{issTrust(issRoleARN(issAcct, "web"), []string{"sts:AssumeRole"},
		`{"ArnEquals":{"ec2:SourceInstanceARN":"`+svInstanceARN+`"},"StringEquals":{"ec2:RoleDelivery":"2.0"}}`)}, nil)
	chained := f.mustAssume(s, next, "chained")
	if len(chained.ProviderKeys) != 0 {
		t.Errorf("chained session keeps %v", chained.ProviderKeys)
	}
	out1, err := f.is.AssumeRoleForServiceWith(f.ctx, ServiceRequest{Service: EC2ServicePrincipal,
		Input: &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "web")}, EC2: &svV1})
	f.must(err)
	if _, _, err := f.assume(f.open(out1.Credentials), &AssumeRoleInput{RoleArn: next, RoleSessionName: "chained"}); !errors.Is(err, ErrAccessDenied) {
		t.Errorf("IMDSv1 credentials chaining to a role requiring 2.0: err = %v, want AccessDenied", err)
	}
}

// TestEC2DeliveryValidation checks the EC2 keys before anything is issued.
func TestEC2DeliveryValidation(t *testing.T) {
	t.Logf("rules: %s, %s", docEC2Permissions, docPassRole)
	tests := []struct {
		name string
		d    EC2Delivery
	}{
		{"not an ARN", EC2Delivery{InstanceARN: svInstanceID, RoleDelivery: "2.0"}},
		{"not an instance", EC2Delivery{InstanceARN: "arn:aws:ec2:us-east-1:111122223333:volume/vol-0123456789abcdef0", RoleDelivery: "2.0"}},
		{"malformed instance ID", EC2Delivery{InstanceARN: "arn:aws:ec2:us-east-1:111122223333:instance/i-xyz", RoleDelivery: "2.0"}},
		{"no region", EC2Delivery{InstanceARN: "arn:aws:ec2::111122223333:instance/" + svInstanceID, RoleDelivery: "2.0"}},
		{"instance of another account", EC2Delivery{InstanceARN: "arn:aws:ec2:us-east-1:444455556666:instance/" + svInstanceID, RoleDelivery: "2.0"}},
		{"no delivery version", EC2Delivery{InstanceARN: svInstanceARN}},
		{"unknown delivery version", EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: "3.0"}},
		{"delivery version 2", EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: "2"}},
		{"malformed VPC", EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: "2.0", SourceVPC: "my-vpc"}},
		{"public IPv4", EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: "2.0", SourcePrivateIPv4: "54.1.2.3"}},
		{"IPv6", EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: "2.0", SourcePrivateIPv4: "fd00::1"}},
		{"not an address", EC2Delivery{InstanceARN: svInstanceARN, RoleDelivery: "2.0", SourcePrivateIPv4: "10.0.0.0/8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := svEC2Fixture(t)
			d := tt.d
			_, err := f.is.AssumeRoleForServiceWith(f.ctx, ServiceRequest{Service: EC2ServicePrincipal,
				Input: &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "web"), RoleSessionName: svInstanceID}, EC2: &d})
			if !errors.Is(err, ErrValidation) {
				t.Fatalf("err = %v, want ValidationError", err)
			}
		})
	}
	// The caller's input is not modified when the session name is filled in.
	f, _ := svEC2Fixture(t)
	in := &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "web")}
	d := svV2
	if _, err := f.is.AssumeRoleForServiceWith(f.ctx, ServiceRequest{Service: EC2ServicePrincipal, Input: in, EC2: &d}); err != nil {
		t.Fatal(err)
	}
	if in.RoleSessionName != "" {
		t.Errorf("input changed: RoleSessionName = %q", in.RoleSessionName)
	}
}

// TestServiceSessionName checks the session name each compute service
// gives its role sessions: the instance ID for EC2, the function name for
// Lambda, the task ID for ECS.
func TestServiceSessionName(t *testing.T) {
	t.Logf("rules: %s, %s", docEC2RoleSwitch, docServiceRoles)
	tests := []struct {
		service, resource, want string // want "": an error
	}{
		{EC2ServicePrincipal, svInstanceID, svInstanceID},
		{EC2ServicePrincipal, svInstanceARN, svInstanceID},
		{EC2ServicePrincipal, "i-0123abcd", "i-0123abcd"}, // the older 8-digit IDs
		{EC2ServicePrincipal, "arn:aws-cn:ec2:cn-north-1:111122223333:instance/i-0123456789abcdef0", svInstanceID},
		{EC2ServicePrincipal, "i-XYZ", ""},
		{EC2ServicePrincipal, "arn:aws:ec2:us-east-1:111122223333:volume/vol-0123456789abcdef0", ""},
		{LambdaServicePrincipal, "resize", "resize"},
		{LambdaServicePrincipal, svFunction, "resize"},
		{LambdaServicePrincipal, svFunction + ":prod", "resize"},
		{LambdaServicePrincipal, svFunction + ":7", "resize"},
		{LambdaServicePrincipal, "my_function-2", "my_function-2"},
		{LambdaServicePrincipal, strings.Repeat("f", 64), strings.Repeat("f", 64)},
		{LambdaServicePrincipal, strings.Repeat("f", 65), ""},
		{LambdaServicePrincipal, "a", ""}, // a valid function name, too short a session name
		{LambdaServicePrincipal, "re size", ""},
		{LambdaServicePrincipal, "arn:aws:lambda:us-east-1:111122223333:layer:deps", ""},
		{ECSTasksServicePrincipal, "arn:aws:ecs:us-east-1:111122223333:task/prod/0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"},
		{ECSTasksServicePrincipal, "arn:aws:ecs:us-east-1:111122223333:task/1dc5c17a-422b-4dc4-b493-371970c6c4d6", "1dc5c17a-422b-4dc4-b493-371970c6c4d6"},
		{ECSTasksServicePrincipal, "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"},
		{ECSTasksServicePrincipal, "arn:aws:ecs:us-east-1:111122223333:service/prod/web", ""},
		{"codebuild.amazonaws.com", "build", ""},
	}
	for _, tt := range tests {
		t.Run(tt.service+"/"+tt.resource, func(t *testing.T) {
			got, err := ServiceSessionName(tt.service, tt.resource)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("= %q, want an error", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("= %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// A platform launches an instance with the instance profile web: it checks
// that the launching user may pass the profile's role to EC2, then issues
// the instance-role credentials as EC2 does, delivered through IMDSv2. A
// policy on ec2:RoleDelivery refuses the same role's credentials when
// IMDSv1 delivered them.
func ExampleIssuer_AssumeRoleForServiceWith() {
	ctx := context.Background()
	dir := NewMemoryDirectory()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(dir.PutUser(User{ARN: "arn:aws:iam::111122223333:user/ops",
		AccessKeys: []AccessKey{{ID: "AKIAIOSFODNN7EXAMPLE", Secret: NewSecret("ops-secret")}},
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/web",
			"Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`, policy.Identity)}}))
	must(dir.PutRole(Role{ARN: "arn:aws:iam::111122223333:role/web",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"},
			{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"ec2:RoleDelivery":"2.0"}}}]}`, policy.Identity)}}))
	must(dir.PutInstanceProfile(InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/web",
		Roles: []string{"arn:aws:iam::111122223333:role/web"}}))
	keys, err := NewKeyRing(Key{ID: 1, Secret: NewSecret("example-master-key-of-at-least-32-bytes")})
	must(err)
	issuer, err := NewIssuer(Options{Directory: dir, Keys: keys})
	must(err)

	ops, err := issuer.Authenticate(ctx, "AKIAIOSFODNN7EXAMPLE", NewSecret("ops-secret"), "")
	must(err)
	const instance = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"
	profile, err := issuer.PassInstanceProfile(ctx, ops, &PassInstanceProfileInput{
		InstanceProfileArn: "arn:aws:iam::111122223333:instance-profile/web", AssociatedResourceArn: instance})
	must(err)

	for _, delivery := range []string{RoleDeliveryIMDSv2, RoleDeliveryIMDSv1} {
		out, err := issuer.AssumeRoleForServiceWith(ctx, ServiceRequest{
			Service: EC2ServicePrincipal,
			Input:   &AssumeRoleInput{RoleArn: profile.Role()}, // session name: the instance ID
			EC2:     &EC2Delivery{InstanceARN: instance, RoleDelivery: delivery},
		})
		must(err)
		c := out.Credentials
		s, err := issuer.Authenticate(ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
		must(err)
		d, err := issuer.Authorize(ctx, s, AuthorizeInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/index.html"})
		must(err)
		fmt.Println(out.AssumedRoleUser.Arn, "ec2:RoleDelivery", delivery, d.Explanation.Decision)
	}
	// Output:
	// arn:aws:sts::111122223333:assumed-role/web/i-0123456789abcdef0 ec2:RoleDelivery 2.0 allowed
	// arn:aws:sts::111122223333:assumed-role/web/i-0123456789abcdef0 ec2:RoleDelivery 1.0 explicitDeny
}
