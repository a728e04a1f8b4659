package sts

import (
	"errors"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// AWS pages the PassRole rules come from.
const (
	docPassRole        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
	docPassedToService = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService"
	docAssociatedRes   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_AssociatedResourceArn"
	docSCPs            = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html"
	docBoundaries      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
)

const (
	prWebRole  = "arn:aws:iam::111122223333:role/web"
	prXYZRole  = "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-web"
	prDevARN   = "arn:aws:iam::111122223333:user/dev"
	prInstance = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"
	prEC2Trust = `{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}`
)

// prPassToEC2 allows passing the web role to EC2 only (the example policy
// of id_roles_use_passrole.html and repost's iam-passrole-error).
var prPassToEC2 = issAllow([]string{"iam:PassRole"}, prWebRole, `{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}`)

// newPassRoleFixture holds the web and XYZ roles, trusting EC2, and a role
// of another account.
func newPassRoleFixture(t *testing.T) *issFixture {
	f := newIssFixture(t)
	f.role(issAcct, "web", []string{prEC2Trust}, nil)
	f.role(issAcct, "EC2-roles-for-XYZ-web", []string{prEC2Trust}, func(r *Role) { r.UniqueID = "" }) // derived
	f.role(issOther, "web", []string{prEC2Trust}, nil)
	return f
}

// prDev stores the user dev with the given identity statements.
func prDev(f *issFixture, stmts ...string) *Session {
	return f.user(issAcct, "dev", func(u *User) {
		if len(stmts) > 0 {
			u.Policies = []*policy.Policy{issPolicy(policy.Identity, stmts...)}
		}
	})
}

func prDenied(role string) string {
	return "User: " + prDevARN + " is not authorized to perform: iam:PassRole on resource: " + role
}

// TestPassRole checks iam:PassRole as AWS evaluates it: on the role ARN,
// with iam:PassedToService and iam:AssociatedResourceArn, through the
// caller's identity policies, boundary and the account's SCPs, never
// across accounts, answering AWS's AccessDenied message.
func TestPassRole(t *testing.T) {
	t.Logf("rules: %s, %s, %s", docPassRole, docPassedToService, docAssociatedRes)
	tests := []struct {
		name    string
		doc     string
		setup   func(f *issFixture) *Session
		in      PassRoleInput
		wantErr error  // nil: allowed
		wantMsg string // the *Error's message, when checked
	}{
		{
			name:  "allowed to the service the condition names",
			doc:   docPassedToService,
			setup: func(f *issFixture) *Session { return prDev(f, prPassToEC2) },
			in:    PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
		},
		{
			name:    "denied to another service by iam:PassedToService",
			doc:     docPassedToService,
			setup:   func(f *issFixture) *Session { return prDev(f, prPassToEC2) },
			in:      PassRoleInput{RoleArn: prWebRole, Service: "lambda.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name: "iam:PassedToService with StringLike",
			doc:  docPassedToService,
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:PassRole"}, "*", `{"StringLike":{"iam:PassedToService":"ec2.*"}}`))
			},
			in: PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
		},
		{
			name: "wildcard resource matches the role",
			doc:  docPassRole, // "roles ... with names that begin with EC2-roles-for-XYZ-"
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:GetRole", "iam:PassRole"}, "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*", ""))
			},
			in: PassRoleInput{RoleArn: prXYZRole, Service: "ec2.amazonaws.com"},
		},
		{
			name: "wildcard resource does not match another role",
			doc:  docPassRole,
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:GetRole", "iam:PassRole"}, "arn:aws:iam::111122223333:role/EC2-roles-for-XYZ-*", ""))
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name:  "resource * and action iam:*",
			doc:   docPassRole,
			setup: func(f *issFixture) *Session { return prDev(f, issAllow([]string{"iam:*"}, "*", "")) },
			in:    PassRoleInput{RoleArn: prWebRole, Service: "ecs-tasks.amazonaws.com"},
		},
		{
			name:    "no policy",
			doc:     docPassRole,
			setup:   func(f *issFixture) *Session { return prDev(f) },
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name: "explicit deny",
			doc:  docPassRole,
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:PassRole"}, "*", ""), issDeny([]string{"iam:PassRole"}, prWebRole, ""))
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole) + " with an explicit deny",
		},
		{
			name: "iam:AssociatedResourceArn matches",
			doc:  docAssociatedRes,
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:PassRole"}, prWebRole, `{"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:ec2:us-east-1:111122223333:instance/*"}}`))
			},
			in: PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com", AssociatedResourceArn: prInstance},
		},
		{
			name: "iam:AssociatedResourceArn of another region",
			doc:  docAssociatedRes,
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:PassRole"}, prWebRole, `{"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:ec2:us-east-1:111122223333:instance/*"}}`))
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com", AssociatedResourceArn: "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name: "iam:AssociatedResourceArn absent",
			doc:  docAssociatedRes, // a condition on a missing key does not match
			setup: func(f *issFixture) *Session {
				return prDev(f, issAllow([]string{"iam:PassRole"}, prWebRole, `{"ArnLike":{"iam:AssociatedResourceArn":"arn:aws:ec2:us-east-1:111122223333:instance/*"}}`))
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name:    "role of another account",
			doc:     docPassRole, // "You can only use the PassRole permission to pass an IAM role to a service that shares the same AWS account."
			setup:   func(f *issFixture) *Session { return prDev(f, issAllow([]string{"iam:PassRole"}, "*", "")) },
			in:      PassRoleInput{RoleArn: issRoleARN(issOther, "web"), Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: "Cross-account pass role is not allowed.",
		},
		{
			name:    "role of another partition",
			doc:     docPassRole,
			setup:   func(f *issFixture) *Session { return prDev(f, issAllow([]string{"iam:PassRole"}, "*", "")) },
			in:      PassRoleInput{RoleArn: "arn:aws-cn:iam::111122223333:role/web", Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: "Cross-account pass role is not allowed.",
		},
		{
			name: "SCP denies passing to another service",
			doc:  docSCPs,
			setup: func(f *issFixture) *Session {
				scp := issPolicy(policy.SCP,
					`{"Effect":"Allow","Action":"*","Resource":"*"}`,
					`{"Effect":"Deny","Action":"iam:PassRole","Resource":"*","Condition":{"StringNotEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`)
				f.must(f.dir.PutAccount(Account{ID: issAcct, OrgID: "o-exampleorg", SCPs: [][]*policy.Policy{{scp}}}))
				return prDev(f, issAllow([]string{"iam:PassRole"}, "*", ""))
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "lambda.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole) + " with an explicit deny",
		},
		{
			name: "SCP allows what it does not deny",
			doc:  docSCPs,
			setup: func(f *issFixture) *Session {
				scp := issPolicy(policy.SCP,
					`{"Effect":"Allow","Action":"*","Resource":"*"}`,
					`{"Effect":"Deny","Action":"iam:PassRole","Resource":"*","Condition":{"StringNotEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`)
				f.must(f.dir.PutAccount(Account{ID: issAcct, OrgID: "o-exampleorg", SCPs: [][]*policy.Policy{{scp}}}))
				return prDev(f, issAllow([]string{"iam:PassRole"}, "*", ""))
			},
			in: PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
		},
		{
			name: "SCP that allows no IAM",
			doc:  docSCPs, // an SCP allow is needed at every level
			setup: func(f *issFixture) *Session {
				scp := issPolicy(policy.SCP, `{"Effect":"Allow","Action":"s3:*","Resource":"*"}`)
				f.must(f.dir.PutAccount(Account{ID: issAcct, OrgID: "o-exampleorg", SCPs: [][]*policy.Policy{{scp}}}))
				return prDev(f, issAllow([]string{"iam:PassRole"}, "*", ""))
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name: "permissions boundary without iam:PassRole",
			doc:  docBoundaries,
			setup: func(f *issFixture) *Session {
				f.must(f.dir.PutManagedPolicy("arn:aws:iam::111122223333:policy/s3-only", issPolicy(policy.Boundary, issAllow([]string{"s3:*"}, "*", ""))))
				return f.user(issAcct, "dev", func(u *User) {
					u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"iam:PassRole"}, "*", ""))}
					u.PermissionsBoundaryARN = "arn:aws:iam::111122223333:policy/s3-only"
				})
			},
			in:      PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied(prWebRole),
		},
		{
			name:    "role that does not exist, allowed",
			doc:     docPassRole,
			setup:   func(f *issFixture) *Session { return prDev(f, issAllow([]string{"iam:PassRole"}, "*", "")) },
			in:      PassRoleInput{RoleArn: "arn:aws:iam::111122223333:role/app/nobody", Service: "ec2.amazonaws.com"},
			wantErr: ErrNoSuchEntity, wantMsg: "The role with name nobody cannot be found.",
		},
		{
			name:    "role that does not exist, not allowed: no oracle",
			doc:     docPassRole,
			setup:   func(f *issFixture) *Session { return prDev(f, prPassToEC2) },
			in:      PassRoleInput{RoleArn: "arn:aws:iam::111122223333:role/nobody", Service: "ec2.amazonaws.com"},
			wantErr: ErrAccessDenied, wantMsg: prDenied("arn:aws:iam::111122223333:role/nobody"),
		},
		{
			name:    "not a role ARN",
			setup:   func(f *issFixture) *Session { return prDev(f, issAllow([]string{"iam:PassRole"}, "*", "")) },
			in:      PassRoleInput{RoleArn: prDevARN, Service: "ec2.amazonaws.com"},
			wantErr: ErrValidation, wantMsg: prDevARN + " is invalid",
		},
		{
			name:    "no role",
			setup:   func(f *issFixture) *Session { return prDev(f) },
			in:      PassRoleInput{Service: "ec2.amazonaws.com"},
			wantErr: ErrValidation,
			wantMsg: "2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: " + patARN +
				"; Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
		},
		{
			name:    "no service",
			setup:   func(f *issFixture) *Session { return prDev(f) },
			in:      PassRoleInput{RoleArn: prWebRole},
			wantErr: ErrValidation,
			wantMsg: "1 validation error detected: Value '' at 'service' failed to satisfy constraint: Member must have length greater than or equal to 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.doc != "" {
				t.Logf("doc: %s", tt.doc)
			}
			f := newPassRoleFixture(t)
			caller := tt.setup(f)
			in := tt.in
			err := f.is.PassRole(f.ctx, caller, &in)
			prCheck(t, err, tt.wantErr, tt.wantMsg)
		})
	}
}

func prCheck(t *testing.T, err, wantErr error, wantMsg string) {
	t.Helper()
	if wantErr == nil {
		if err != nil {
			t.Fatalf("err = %v, want allowed", err)
		}
		return
	}
	var e *Error
	if !errors.Is(err, wantErr) || !errors.As(err, &e) {
		t.Fatalf("err = %v, want %v", err, wantErr)
	}
	if wantMsg != "" && e.Message != wantMsg {
		t.Errorf("message:\n got %q\nwant %q", e.Message, wantMsg)
	}
}

// TestPassRoleCallers checks PassRole for each kind of caller: a role
// session (its role's policies and the session policy limit it), a
// federated user (whose credentials may not call IAM, but PassRole is a
// permission other services check, not an IAM call) and no caller.
func TestPassRoleCallers(t *testing.T) {
	t.Logf("rules: %s, %s", docPassRole, docTempRequest)
	f := newPassRoleFixture(t)
	pass := issAllow([]string{"iam:PassRole"}, prWebRole, `{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}`)
	admin := prDev(f, pass, issAllow([]string{"sts:AssumeRole", "sts:GetFederationToken"}, "*", ""))
	deployer := f.role(issAcct, "deployer", []string{issTrust(prDevARN, []string{"sts:AssumeRole"}, "")}, func(r *Role) {
		r.Policies = []*policy.Policy{issPolicy(policy.Identity, pass)}
	})
	roleSession := f.mustAssume(admin, deployer, "ci")
	s3Only := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	_, limited, err := f.assume(admin, &AssumeRoleInput{RoleArn: deployer, RoleSessionName: "ci", Policy: &s3Only})
	f.must(err)
	passPolicy := `{"Version":"2012-10-17","Statement":[` + pass + `]}`
	_, fed, err := f.federate(admin, &GetFederationTokenInput{Name: "broker-user", Policy: &passPolicy})
	f.must(err)

	ec2 := &PassRoleInput{RoleArn: prWebRole, Service: "ec2.amazonaws.com"}
	tests := []struct {
		name    string
		caller  *Session
		wantErr error
		wantMsg string
	}{
		{"IAM user", admin, nil, ""},
		{"role session", roleSession, nil, ""},
		{"role session limited by its session policy", limited, ErrAccessDenied,
			"User: arn:aws:sts::111122223333:assumed-role/deployer/ci is not authorized to perform: iam:PassRole on resource: " + prWebRole},
		{"federated user with a session policy", fed, nil, ""},
		{"no caller", nil, ErrMissingAuthenticationToken, "Request is missing Authentication Token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prCheck(t, f.is.PassRole(f.ctx, tt.caller, ec2), tt.wantErr, tt.wantMsg)
		})
	}

	// A denial carries the decision: the explanation and the encoded
	// authorization message.
	err = f.is.PassRole(f.ctx, limited, ec2)
	var pd *PassRoleDenied
	if !errors.As(err, &pd) || pd.Decision == nil || pd.Decision.EncodedMessage == "" || pd.Error() == "" {
		t.Fatalf("err = %v, want a PassRoleDenied with an encoded message", err)
	}
}

// TestPassInstanceProfile checks passing an instance profile to EC2: its
// one role is passed as PassRole passes it, to ec2.amazonaws.com by
// default; an unknown profile answers IAM's NoSuchEntity; a profile with no
// role passes nothing.
func TestPassInstanceProfile(t *testing.T) {
	t.Logf("rules: %s, %s", docInstanceProfiles, docPassRole)
	const (
		webProfile   = "arn:aws:iam::111122223333:instance-profile/web"
		emptyProfile = "arn:aws:iam::111122223333:instance-profile/empty"
	)
	setup := func(t *testing.T) *issFixture {
		f := newPassRoleFixture(t)
		f.must(f.dir.PutInstanceProfile(InstanceProfile{ARN: webProfile, Roles: []string{prWebRole}}))
		f.must(f.dir.PutInstanceProfile(InstanceProfile{ARN: emptyProfile}))
		f.must(f.dir.PutInstanceProfile(InstanceProfile{ARN: "arn:aws:iam::444455556666:instance-profile/web", Roles: []string{issRoleARN(issOther, "web")}}))
		return f
	}
	tests := []struct {
		name     string
		stmts    []string
		in       PassInstanceProfileInput
		wantRole string
		wantErr  error
		wantMsg  string
	}{
		{"to EC2 by default", []string{prPassToEC2}, PassInstanceProfileInput{InstanceProfileArn: webProfile}, prWebRole, nil, ""},
		{"name case", []string{prPassToEC2}, PassInstanceProfileInput{InstanceProfileArn: "arn:aws:iam::111122223333:instance-profile/WEB"}, prWebRole, nil, ""},
		{"to another service", []string{prPassToEC2}, PassInstanceProfileInput{InstanceProfileArn: webProfile, Service: "lambda.amazonaws.com"}, "", ErrAccessDenied, prDenied(prWebRole)},
		{"no permission", nil, PassInstanceProfileInput{InstanceProfileArn: webProfile}, "", ErrAccessDenied, prDenied(prWebRole)},
		{"instance ARN condition", []string{issAllow([]string{"iam:PassRole"}, prWebRole, `{"ArnEquals":{"iam:AssociatedResourceArn":"`+prInstance+`"}}`)},
			PassInstanceProfileInput{InstanceProfileArn: webProfile, AssociatedResourceArn: prInstance}, prWebRole, nil, ""},
		{"profile with no role", nil, PassInstanceProfileInput{InstanceProfileArn: emptyProfile}, "", nil, ""},
		{"unknown profile", []string{prPassToEC2}, PassInstanceProfileInput{InstanceProfileArn: "arn:aws:iam::111122223333:instance-profile/ops/nobody"}, "", ErrNoSuchEntity,
			"Instance Profile nobody cannot be found."},
		{"profile of another account", []string{issAllow([]string{"iam:PassRole"}, "*", "")}, PassInstanceProfileInput{InstanceProfileArn: "arn:aws:iam::444455556666:instance-profile/web"}, "", ErrAccessDenied,
			"Cross-account pass role is not allowed."},
		{"not a profile ARN", nil, PassInstanceProfileInput{InstanceProfileArn: prWebRole}, "", ErrValidation, prWebRole + " is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			caller := prDev(f, tt.stmts...)
			in := tt.in
			p, err := f.is.PassInstanceProfile(f.ctx, caller, &in)
			prCheck(t, err, tt.wantErr, tt.wantMsg)
			if err == nil && p.Role() != tt.wantRole {
				t.Errorf("role = %q, want %q", p.Role(), tt.wantRole)
			}
		})
	}
	f := setup(t)
	if _, err := f.is.PassInstanceProfile(f.ctx, nil, &PassInstanceProfileInput{InstanceProfileArn: webProfile}); !errors.Is(err, ErrMissingAuthenticationToken) {
		t.Errorf("no caller: err = %v, want MissingAuthenticationToken", err)
	}
}
