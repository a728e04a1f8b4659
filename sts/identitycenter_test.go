package sts

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
)

const (
	docGetRoleCredentials = "https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html"
	docReferencingPS      = "https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html"
	docPSSessionDuration  = "https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html"
	icProviderName        = "AWSSSO_0123456789abcdef_DO_NOT_DELETE"
	icRolePath            = "/aws-reserved/sso.amazonaws.com/"
)

var icIdPMetadata = sync.OnceValue(func() []byte {
	idp, err := federation.NewSAMLTestIdP("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/test", issT0)
	if err != nil {
		panic(err)
	}
	return idp.Metadata()
})

// icFixture holds, in issAcct, the SAML provider of an Identity Center
// instance and the role AWSReservedSSO_Developer_0123456789abcdef
// trusting it as Identity Center writes it.
type icFixture struct {
	*issFixture
	prov *federation.SAMLProvider
	role string
}

func icTrust(provARN string, actions string) string {
	return `{"Effect":"Allow","Principal":{"Federated":"` + provARN + `"},"Action":` + actions +
		`,"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}`
}

func newICFixture(t *testing.T) *icFixture {
	t.Helper()
	f := &icFixture{issFixture: newIssFixture(t)}
	var err error
	f.prov, err = federation.NewSAMLProvider(issAcct, icProviderName, icIdPMetadata())
	f.must(err)
	f.must(f.dir.PutSAMLProvider(f.prov))
	f.role = f.icRole(issAcct, icRolePath, "AWSReservedSSO_Developer_0123456789abcdef", icTrust(f.prov.ARN, `["sts:AssumeRoleWithSAML","sts:TagSession"]`))
	return f
}

func (f *icFixture) icRole(acct, path, name, trust string) string {
	f.t.Helper()
	arn := "arn:aws:iam::" + acct + ":role" + path + name
	f.must(f.dir.PutRole(Role{ARN: arn, TrustPolicy: issPolicy(policy.Trust, trust), MaxSessionDuration: 12 * time.Hour,
		Policies: []*policy.Policy{issPolicy(policy.Identity,
			`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-docs/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}`,
			`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"aws:FederatedProvider":"`+f.prov.ARN+`"}}}`)}}))
	return arn
}

func (f *icFixture) input(mod func(*IdentityCenterSessionInput)) *IdentityCenterSessionInput {
	in := &IdentityCenterSessionInput{RoleArn: f.role, SAMLProviderArn: f.prov.ARN, RoleSessionName: "alice@example.com",
		Tags: []Tag{{Key: "team", Value: "blue"}}, Duration: 8 * time.Hour}
	if mod != nil {
		mod(in)
	}
	return in
}

func TestIdentityCenterSession(t *testing.T) {
	f := newICFixture(t)
	out, err := f.is.IssueIdentityCenterSession(f.ctx, f.input(nil))
	f.must(err)
	// The session's ARN names the role without its path and the user
	// (referencingpermissionsets.html; API_GetRoleCredentials.html).
	wantARN := "arn:aws:sts::" + issAcct + ":assumed-role/AWSReservedSSO_Developer_0123456789abcdef/alice@example.com"
	if out.AssumedRoleUser.Arn != wantARN {
		t.Errorf("ARN %q, want %q (%s)", out.AssumedRoleUser.Arn, wantARN, docReferencingPS)
	}
	role, _ := f.dir.Role(f.ctx, f.role)
	if out.AssumedRoleUser.AssumedRoleId != role.UniqueID+":alice@example.com" {
		t.Errorf("AssumedRoleId %q", out.AssumedRoleUser.AssumedRoleId)
	}
	// The permission set's session duration (howtosessionduration.html).
	if want := issT0.Add(8 * time.Hour); !out.Credentials.Expiration.Equal(want) {
		t.Errorf("Expiration %v, want %v (%s)", out.Credentials.Expiration, want, docPSSessionDuration)
	}
	s := f.open(out.Credentials)
	if s.Kind != AssumedRole || s.ARN != wantARN || s.SourceARN != f.role || s.FederatedProvider != f.prov.ARN || s.SessionName != "alice@example.com" {
		t.Errorf("session %+v", s)
	}
	if len(s.TransitiveTagKeys) != 0 {
		t.Errorf("transitive keys %v", s.TransitiveTagKeys)
	}
	// The role's policies apply, with the session tags and
	// aws:FederatedProvider in the request context.
	if d := f.decide(s, "s3:GetObject", "arn:aws:s3:::team-docs/readme"); d.Allowed() {
		t.Errorf("GetObject without a resource tag allowed")
	}
	ctxd, err := f.is.Authorize(f.ctx, s, AuthorizeInput{Action: "s3:ListBucket", Resource: "arn:aws:s3:::team-docs"})
	f.must(err)
	if !ctxd.Allowed() {
		t.Errorf("aws:FederatedProvider is not the instance's provider: %v", ctxd.Explanation)
	}
	gci, err := f.is.GetCallerIdentity(f.ctx, s)
	f.must(err)
	if gci.Arn != wantARN || gci.Account != issAcct {
		t.Errorf("GetCallerIdentity %+v", gci)
	}
	// Default duration: one hour.
	out, err = f.is.IssueIdentityCenterSession(f.ctx, f.input(func(in *IdentityCenterSessionInput) { in.Duration = 0 }))
	f.must(err)
	if want := issT0.Add(time.Hour); !out.Credentials.Expiration.Equal(want) {
		t.Errorf("default Expiration %v", out.Credentials.Expiration)
	}
}

func TestIdentityCenterSessionTags(t *testing.T) {
	f := newICFixture(t)
	out, err := f.is.IssueIdentityCenterSession(f.ctx, f.input(nil))
	f.must(err)
	s := f.open(out.Credentials)
	f.must(f.dir.PutResourcePolicy("arn:aws:s3:::team-docs", issPolicy(policy.Resource,
		`{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-docs/*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}}`)))
	d, err := f.is.Authorize(f.ctx, s, AuthorizeInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::team-docs/x"})
	f.must(err)
	if d.Explanation.Decision == policy.ExplicitDeny {
		t.Errorf("aws:PrincipalTag/team is not blue: %v", d.Explanation)
	}
	if len(s.Tags) != 1 || s.Tags[0] != (Tag{Key: "team", Value: "blue"}) {
		t.Errorf("tags %v", s.Tags)
	}
}

func TestIdentityCenterSessionRefusals(t *testing.T) {
	f := newICFixture(t)
	plain := f.role2(issAcct, "/", "Developer", icTrust(f.prov.ARN, `["sts:AssumeRoleWithSAML","sts:TagSession"]`))
	wrongPath := f.icRole(issAcct, "/", "AWSReservedSSO_Fake_0123456789abcdef", icTrust(f.prov.ARN, `["sts:AssumeRoleWithSAML","sts:TagSession"]`))
	noTag := f.icRole(issAcct, icRolePath+"eu-west-2/", "AWSReservedSSO_NoTag_0123456789abcdef", icTrust(f.prov.ARN, `"sts:AssumeRoleWithSAML"`))
	otherProv := f.icRole(issAcct, icRolePath, "AWSReservedSSO_Other_0123456789abcdef", icTrust("arn:aws:iam::"+issAcct+":saml-provider/Other", `["sts:AssumeRoleWithSAML","sts:TagSession"]`))
	offProv, err := federation.NewSAMLProvider(issOffAcct, icProviderName, icIdPMetadata())
	f.must(err)
	f.must(f.dir.PutSAMLProvider(offProv))
	off := f.icRole(issOffAcct, icRolePath, "AWSReservedSSO_Off_0123456789abcdef", icTrust(offProv.ARN, `["sts:AssumeRoleWithSAML","sts:TagSession"]`))
	tests := []struct {
		name string
		mod  func(*IdentityCenterSessionInput)
		want *Error
		msg  string
	}{
		{"ok", nil, nil, ""},
		{"region segment", func(in *IdentityCenterSessionInput) { in.RoleArn, in.Tags = noTag, nil }, nil, ""},
		{"not an Identity Center role", func(in *IdentityCenterSessionInput) { in.RoleArn = plain }, ErrAccessDenied, "Not authorized to perform sts:AssumeRoleWithSAML"},
		{"AWSReservedSSO name outside the path", func(in *IdentityCenterSessionInput) { in.RoleArn = wrongPath }, ErrAccessDenied, ""},
		{"missing role", func(in *IdentityCenterSessionInput) {
			in.RoleArn = "arn:aws:iam::" + issAcct + ":role" + icRolePath + "AWSReservedSSO_Gone_0123456789abcdef"
		}, ErrAccessDenied, ""},
		{"missing provider", func(in *IdentityCenterSessionInput) {
			in.SAMLProviderArn = "arn:aws:iam::" + issAcct + ":saml-provider/Gone"
		}, ErrAccessDenied, ""},
		{"trust names another provider", func(in *IdentityCenterSessionInput) { in.RoleArn = otherProv }, ErrAccessDenied, ""},
		{"tags without sts:TagSession", func(in *IdentityCenterSessionInput) { in.RoleArn = noTag }, ErrAccessDenied, ""},
		{"provider of another account", func(in *IdentityCenterSessionInput) { in.SAMLProviderArn = offProv.ARN }, ErrValidation, "Principal exists outside the account of the Role being assumed."},
		{"not a provider ARN", func(in *IdentityCenterSessionInput) { in.SAMLProviderArn = f.role }, ErrValidation, "Principal ARN is invalid"},
		{"over the role's maximum", func(in *IdentityCenterSessionInput) { in.Duration = 13 * time.Hour }, ErrValidation, "exceeds the MaxSessionDuration"},
		{"under 15 minutes", func(in *IdentityCenterSessionInput) { in.Duration = time.Minute }, ErrValidation, "greater than or equal to 900"},
		{"session name with a space", func(in *IdentityCenterSessionInput) { in.RoleSessionName = "Alice Doe" }, ErrValidation, "roleSessionName"},
		{"session name too long", func(in *IdentityCenterSessionInput) { in.RoleSessionName = strings.Repeat("a", 65) }, ErrValidation, "64"},
		{"tag value character", func(in *IdentityCenterSessionInput) { in.Tags = []Tag{{Key: "team", Value: "a,b"}} }, ErrValidation, "tags.1.member.value"},
		{"duplicate tag keys", func(in *IdentityCenterSessionInput) {
			in.Tags = []Tag{{Key: "team", Value: "a"}, {Key: "Team", Value: "b"}}
		}, ErrInvalidParameterValue, "Duplicate tag keys"},
		{"region disabled", func(in *IdentityCenterSessionInput) { in.RoleArn, in.SAMLProviderArn = off, offProv.ARN }, ErrRegionDisabled, ""},
		{"nil input", func(in *IdentityCenterSessionInput) { *in = IdentityCenterSessionInput{} }, ErrValidation, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.is.IssueIdentityCenterSession(f.ctx, f.input(tt.mod))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("IssueIdentityCenterSession: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("IssueIdentityCenterSession = %v, want %s containing %q", err, tt.want.Code, tt.msg)
			}
		})
	}
	// A trust policy refusal carries the explanation.
	_, err = f.is.IssueIdentityCenterSession(f.ctx, f.input(func(in *IdentityCenterSessionInput) { in.RoleArn = noTag }))
	var td *TrustDenied
	if !errors.As(err, &td) || td.Action != "sts:TagSession" {
		t.Errorf("TrustDenied %+v from %v", td, err)
	}
	if _, err := f.is.IssueIdentityCenterSession(f.ctx, nil); !errors.Is(err, ErrValidation) {
		t.Errorf("nil input: %v", err)
	}
}

// role2 stores a role that is not Identity Center's.
func (f *icFixture) role2(acct, path, name, trust string) string {
	f.t.Helper()
	arn := "arn:aws:iam::" + acct + ":role" + path + name
	f.must(f.dir.PutRole(Role{ARN: arn, TrustPolicy: issPolicy(policy.Trust, trust), MaxSessionDuration: 12 * time.Hour}))
	return arn
}

func TestIdentityCenterRolesRefuseAssumeRoleWithSAML(t *testing.T) {
	// API_AssumeRoleWithSAML.html: "AssumeRoleWithSAML will not work on IAM
	// Identity Center managed roles." The portal's path is the only way in.
	f := newICFixture(t)
	_, err := f.is.AssumeRoleWithSAML(f.ctx, &AssumeRoleWithSAMLInput{RoleArn: f.role, PrincipalArn: f.prov.ARN, SAMLAssertion: "PHNhbWxwOlJlc3BvbnNlLz4="})
	if !errors.Is(err, ErrAccessDenied) {
		t.Errorf("AssumeRoleWithSAML on an AWSReservedSSO role: %v (%s)", err, docAWRSAML)
	}
	_ = docGetRoleCredentials
}

func TestIdentityCenterRoleProtected(t *testing.T) {
	// The roles are modifiable only by AWS (policy.ProtectionIdentityCenterRole):
	// an administrator with AdministratorAccess, and the role's own session,
	// are refused iam:PutRolePolicy on them.
	f := newICFixture(t)
	admin := f.user(issAcct, "admin", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, `{"Effect":"Allow","Action":"*","Resource":"*"}`)}
	})
	out, err := f.is.IssueIdentityCenterSession(f.ctx, f.input(nil))
	f.must(err)
	for _, s := range []*Session{admin} {
		for _, action := range []string{"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole"} {
			d := f.decide(s, action, f.role)
			if d.Allowed() || d.Explanation.Reason != policy.ReasonProtected || d.Explanation.Protection != policy.ProtectionIdentityCenterRole {
				t.Errorf("%s by %s: %v", action, s.ARN, d.Explanation)
			}
		}
		if d := f.decide(s, "iam:GetRole", f.role); !d.Allowed() {
			t.Errorf("iam:GetRole by %s refused: %v", s.ARN, d.Explanation)
		}
	}
	_ = out
}
