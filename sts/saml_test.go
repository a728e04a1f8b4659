package sts

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
)

const (
	docAWRSAML     = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html"
	docSAMLKeys    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml"
	docSAMLTags    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-saml"
	docSAMLRoles   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_for-idp_saml.html"
	samlEntityID   = "https://idp.example.com/saml"
	samlSigninAWS  = "https://signin.aws.amazon.com/saml"
	samlEngineerNm = "saml-engineer"
)

// samlFixture is an issFixture with a SAML provider ExampleCorp in issAcct
// and the role saml-engineer trusting it as AWS's console wizard writes
// the trust policy (docSAMLRoles).
type samlFixture struct {
	*issFixture
	idp      *federation.SAMLTestIdP
	prov     *federation.SAMLProvider
	engineer string
}

func newSAMLFixture(t *testing.T) *samlFixture {
	t.Helper()
	f := &samlFixture{issFixture: newIssFixture(t)}
	var err error
	f.idp, err = federation.NewSAMLTestIdP(samlEntityID, f.clock.Now())
	f.must(err)
	f.prov, err = federation.NewSAMLProvider(issAcct, "ExampleCorp", f.idp.Metadata())
	f.must(err)
	f.must(f.dir.PutSAMLProvider(f.prov))
	f.engineer = f.role(issAcct, samlEngineerNm, []string{`{"Effect":"Allow","Principal":{"Federated":"` + f.prov.ARN + `"},` +
		`"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"` + samlSigninAWS + `"}}}`},
		func(r *Role) {
			r.UniqueID = DeterministicUniqueID("AROA", r.ARN)
			r.MaxSessionDuration = 4 * time.Hour
			r.Policies = []*policy.Policy{issPolicy(policy.Identity,
				`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-docs/*","Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}`,
				`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"saml:sub":"jdoe@example.com"}}}`,
				`{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:FederatedProvider":"`+f.prov.ARN+`"}}}`)}
		})
	return f
}

// samlUniqueID gives a role whose name the fixture cannot derive an ID
// from a unique ID as IAM would.
func samlUniqueID(r *Role) { r.UniqueID = DeterministicUniqueID("AROA", r.ARN) }

// response is a signed response for jdoe naming role with the fixture's
// provider; mod changes the options.
func (f *samlFixture) response(role string, mod func(*federation.SAMLResponseOptions)) string {
	f.t.Helper()
	opt := federation.SAMLResponseOptions{NameID: "jdoe@example.com", RoleSessionName: "jdoe",
		Roles: []federation.SAMLRole{{RoleARN: role, ProviderARN: f.prov.ARN}}}
	if mod != nil {
		mod(&opt)
	}
	r, err := f.idp.Response(opt, f.clock.Now())
	f.must(err)
	return r
}

func (f *samlFixture) assume(role, principalARN, resp string, mod func(*AssumeRoleWithSAMLInput)) (*AssumeRoleWithSAMLOutput, error) {
	in := &AssumeRoleWithSAMLInput{RoleArn: role, PrincipalArn: principalARN, SAMLAssertion: resp}
	if mod != nil {
		mod(in)
	}
	return f.is.AssumeRoleWithSAML(f.ctx, in)
}

func TestAssumeRoleWithSAML(t *testing.T) {
	t.Logf("AWS: %s; %s", docAWRSAML, docSAMLKeys)
	f := newSAMLFixture(t)
	out, err := f.assume(f.engineer, f.prov.ARN, f.response(f.engineer, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte(samlEntityID + issAcct + "/ExampleCorp"))
	want := AssumeRoleWithSAMLOutput{Audience: samlSigninAWS, Issuer: samlEntityID, Subject: "jdoe@example.com", SubjectType: "persistent",
		NameQualifier: base64.StdEncoding.EncodeToString(sum[:])}
	if out.Audience != want.Audience || out.Issuer != want.Issuer || out.Subject != want.Subject || out.SubjectType != want.SubjectType || out.NameQualifier != want.NameQualifier {
		t.Errorf("output %+v, want %+v", out, want)
	}
	if w := "arn:aws:sts::" + issAcct + ":assumed-role/" + samlEngineerNm + "/jdoe"; out.AssumedRoleUser.Arn != w {
		t.Errorf("AssumedRoleUser.Arn %s, want %s", out.AssumedRoleUser.Arn, w)
	}
	if got := out.Credentials.Expiration.Sub(f.clock.Now().Truncate(time.Second)); got != time.Hour {
		t.Errorf("default duration %v, want 1h", got)
	}
	s := f.open(out.Credentials)
	if s.FederatedProvider != f.prov.ARN {
		t.Errorf("session provider %q", s.FederatedProvider)
	}
	var carried []string
	for _, k := range s.ProviderKeys {
		carried = append(carried, k.Key+"="+strings.Join(k.Values, ","))
	}
	if got := strings.Join(carried, " "); got != "saml:namequalifier="+want.NameQualifier+" saml:sub=jdoe@example.com saml:sub_type=persistent" {
		t.Errorf("carried keys %s", got)
	}
	// saml:sub and aws:FederatedProvider reach the session's requests.
	for _, action := range []string{"s3:ListBucket", "s3:PutObject"} {
		if d := f.decide(s, action, "arn:aws:s3:::team-docs"); !d.Allowed() {
			t.Errorf("%s: denied (%s)", action, d.Denial)
		}
	}
	// Role session credentials cannot call GetSessionToken
	// (API_GetSessionToken.html: IAM users or the root user only).
	if _, err := f.is.GetSessionToken(f.ctx, s, nil); err == nil {
		t.Error("GetSessionToken with SAML credentials succeeded")
	}
}

// TestAssumeRoleWithSAMLDuration: DurationSeconds up to the role's maximum,
// cut short by SessionNotOnOrAfter (docAWRSAML: "whichever is shorter").
func TestAssumeRoleWithSAMLDuration(t *testing.T) {
	t.Logf("AWS: %s", docAWRSAML)
	f := newSAMLFixture(t)
	now := f.clock.Now().Truncate(time.Second)
	for _, tc := range []struct {
		name     string
		seconds  int32
		notAfter time.Duration
		want     time.Duration
	}{
		{"DurationSeconds", 7200, 0, 2 * time.Hour},
		{"SessionNotOnOrAfter sooner", 7200, 20 * time.Minute, 20 * time.Minute},
		{"SessionNotOnOrAfter later", 900, 3 * time.Hour, 15 * time.Minute},
		// SessionDuration is for console sessions; the API session
		// follows DurationSeconds.
		{"SessionDuration attribute ignored", 3600, 0, time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.response(f.engineer, func(o *federation.SAMLResponseOptions) {
				if tc.notAfter != 0 {
					o.SessionNotOnOrAfter = now.Add(tc.notAfter)
				}
				o.SessionDuration = 900 * time.Second
			})
			out, err := f.assume(f.engineer, f.prov.ARN, resp, func(in *AssumeRoleWithSAMLInput) { in.DurationSeconds = issSec(tc.seconds) })
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Credentials.Expiration.Sub(now); got != tc.want {
				t.Errorf("session lasts %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAssumeRoleWithSAMLErrors(t *testing.T) {
	t.Logf("AWS: %s; %s", docAWRSAML, docSAMLRoles)
	f := newSAMLFixture(t)
	other := newSAMLFixture(t) // another IdP key under the same name
	sso := f.role(issAcct, "AWSReservedSSO_Admin_0123456789abcdef", []string{`{"Effect":"Allow","Principal":{"Federated":"` + f.prov.ARN + `"},"Action":"sts:AssumeRoleWithSAML"}`}, samlUniqueID)
	strict := f.role(issAcct, "global-only", []string{`{"Effect":"Allow","Principal":{"Federated":"` + f.prov.ARN + `"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"` + samlSigninAWS + `"}}}`}, samlUniqueID)
	tests := []struct {
		name, code, msg string
		role, principal string
		resp            func() string
		mod             func(*AssumeRoleWithSAMLInput)
	}{
		{name: "signed by another IdP key", code: "InvalidIdentityToken", msg: "Response signature invalid", resp: func() string { return other.response(f.engineer, nil) }},
		{name: "not base64", code: "InvalidIdentityToken", resp: func() string { return "!!!!not base64!!!!" }},
		{name: "role pair names another provider", code: "InvalidIdentityToken",
			resp: func() string {
				return f.response(f.engineer, func(o *federation.SAMLResponseOptions) {
					o.Roles = []federation.SAMLRole{{RoleARN: f.engineer, ProviderARN: "arn:aws:iam::" + issAcct + ":saml-provider/Other"}}
				})
			}},
		{name: "provider in another account", code: "ValidationError", msg: "Principal exists outside the account of the Role being assumed.",
			principal: "arn:aws:iam::" + issOther + ":saml-provider/ExampleCorp"},
		{name: "not a provider ARN", code: "ValidationError", msg: "Principal ARN is invalid", principal: "arn:aws:iam::" + issAcct + ":role/ExampleCorpX"},
		{name: "unknown provider", code: "InvalidIdentityToken", principal: "arn:aws:iam::" + issAcct + ":saml-provider/Nobody"},
		{name: "role does not exist", code: "AccessDenied", msg: "Not authorized to perform sts:AssumeRoleWithSAML", role: issRoleARN(issAcct, "nope")},
		{name: "Identity Center role", code: "AccessDenied", msg: "Not authorized to perform sts:AssumeRoleWithSAML", role: sso,
			resp: func() string { return f.response(sso, nil) }},
		{name: "regional recipient, trust policy on the global one", code: "AccessDenied", role: strict,
			resp: func() string {
				return f.response(strict, func(o *federation.SAMLResponseOptions) { o.Recipient = "https://us-east-1.signin.aws.amazon.com/saml" })
			}},
		{name: "principal tags without sts:TagSession", code: "AccessDenied", role: strict,
			resp: func() string {
				return f.response(strict, func(o *federation.SAMLResponseOptions) { o.Tags = []federation.Tag{{Key: "team", Value: "blue"}} })
			}},
		{name: "source identity without sts:SetSourceIdentity", code: "AccessDenied",
			resp: func() string {
				return f.response(f.engineer, func(o *federation.SAMLResponseOptions) { o.SourceIdentity = "jdoe" })
			}},
		{name: "duration over the role's maximum", code: "ValidationError", msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
			mod: func(in *AssumeRoleWithSAMLInput) { in.DurationSeconds = issSec(5 * 3600) }},
		{name: "assertion of 3 characters", code: "ValidationError", resp: func() string { return "abc" }},
		{name: "SessionNotOnOrAfter passed", code: "ExpiredTokenException",
			resp: func() string {
				return f.response(f.engineer, func(o *federation.SAMLResponseOptions) { o.SessionNotOnOrAfter = f.clock.Now().Add(-time.Second) })
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			role, prin := tc.role, tc.principal
			if role == "" {
				role = f.engineer
			}
			if prin == "" {
				prin = f.prov.ARN
			}
			var resp string
			if tc.resp != nil {
				resp = tc.resp()
			} else {
				resp = f.response(role, nil)
			}
			_, err := f.assume(role, prin, resp, tc.mod)
			wantAPIError(t, err, tc.code, "")
			if tc.msg != "" && !strings.Contains(fmt.Sprint(err), tc.msg) {
				t.Errorf("err = %v, want message %q", err, tc.msg)
			}
		})
	}
}

// TestAssumeRoleWithSAMLTags: PrincipalTag attributes become session tags
// (with sts:TagSession in the trust policy), so an ABAC policy on
// aws:PrincipalTag decides (docSAMLTags).
func TestAssumeRoleWithSAMLTags(t *testing.T) {
	t.Logf("AWS: %s", docSAMLTags)
	f := newSAMLFixture(t)
	f.must(f.dir.PutResourcePolicy("arn:aws:s3:::team-docs", issPolicy(policy.Resource,
		`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-docs/blue/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`)))
	resp := f.response(f.engineer, func(o *federation.SAMLResponseOptions) {
		o.Tags = []federation.Tag{{Key: "team", Value: "blue"}, {Key: "cost-center", Value: "1234"}}
		o.TransitiveTagKeys = []string{"team"}
	})
	out, err := f.assume(f.engineer, f.prov.ARN, resp, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := f.open(out.Credentials)
	if fmt.Sprint(s.Tags) != "[{cost-center 1234} {team blue}]" || fmt.Sprint(s.TransitiveTagKeys) != "[team]" {
		t.Errorf("session tags %v, transitive %v", s.Tags, s.TransitiveTagKeys)
	}
	if d := f.decide(s, "s3:GetObject", "arn:aws:s3:::team-docs/blue/plan.txt"); !d.Allowed() {
		t.Errorf("blue team's document: denied (%s)", d.Denial)
	}
}

// TestSAMLSessionChaining: a role session from SAML assumes another role;
// transitive session tags and the source identity carry over, other tags
// do not (id_session-tags.html#id_session-tags_role-chaining,
// id_credentials_temp_control-access_monitor.html), and neither do the
// provider keys (sts's package doc: AWS does not document carrying them).
func TestSAMLSessionChaining(t *testing.T) {
	t.Logf("AWS: %s", docSAMLTags)
	f := newSAMLFixture(t)
	tagged := f.role(issAcct, "tagged", []string{`{"Effect":"Allow","Principal":{"Federated":"` + f.prov.ARN + `"},` +
		`"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"]}`}, func(r *Role) {
		samlUniqueID(r)
		r.Policies = []*policy.Policy{issPolicy(policy.Identity, `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`)}
	})
	next := f.role(issAcct, "next", []string{`{"Effect":"Allow","Principal":{"AWS":"` + tagged + `"},"Action":["sts:AssumeRole","sts:TagSession"]}`}, samlUniqueID)
	out, err := f.assume(tagged, f.prov.ARN, f.response(tagged, func(o *federation.SAMLResponseOptions) {
		o.Tags = []federation.Tag{{Key: "team", Value: "blue"}, {Key: "cost-center", Value: "1234"}}
		o.TransitiveTagKeys = []string{"team"}
		o.SourceIdentity = "jdoe"
	}), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := f.open(out.Credentials)
	chained, err := f.is.AssumeRole(f.ctx, s, &AssumeRoleInput{RoleArn: next, RoleSessionName: "chained"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.open(chained.Credentials)
	if fmt.Sprint(c.Tags) != "[{team blue}]" || c.SourceIdentity != "jdoe" || len(c.ProviderKeys) != 0 || c.FederatedProvider != "" {
		t.Errorf("chained session: tags %v, source identity %q, provider keys %v, provider %q", c.Tags, c.SourceIdentity, c.ProviderKeys, c.FederatedProvider)
	}
}
