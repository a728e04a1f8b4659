package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/world"
)

const (
	githubDeployARN = "arn:aws:iam::111111111111:role/github-deploy"
	githubMainSub   = "repo:example-org/example-repo:ref:refs/heads/main"
)

// TestMintOIDC: the token "iamkit mint oidc" prints verifies as the
// built-in world's GitHub test issuer, carries the claims asked for, and
// assumes github-deploy only for the main branch of example-repo
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
func TestMintOIDC(t *testing.T) {
	code, stdout, stderr := iamkit(t, "", "mint", "oidc", "--sub", githubMainSub, "--ttl", "5m",
		"--claim", "repository=example-org/example-repo", "--claim", `https://aws.amazon.com/tags={"principal_tags":{"team":["blue"]}}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	tok := strings.TrimSpace(stdout)
	pt, err := federation.ParseWebIdentityToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	if pt.Issuer() != "https://token.actions.githubusercontent.com" || pt.Algorithm() != "ES256" || pt.KeyID() != "iamkit-test-github-1" {
		t.Errorf("token iss %s alg %s kid %s", pt.Issuer(), pt.Algorithm(), pt.KeyID())
	}
	is, _ := world.Default().TestOIDCIssuer("")
	wi, err := is.Provider().Verify(context.Background(), pt, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if wi.Subject != githubMainSub || wi.Audience != "sts.amazonaws.com" || wi.ExpiresAt.Sub(wi.IssuedAt) != 5*time.Minute ||
		len(wi.Tags) != 1 || wi.Tags[0] != (federation.Tag{Key: "team", Value: "blue"}) {
		t.Errorf("verified %+v", wi)
	}
	issuer, err := world.Default().Issuer(sts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	assume := func(tok string) error {
		_, err := issuer.AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: githubDeployARN, RoleSessionName: "ci", WebIdentityToken: tok})
		return err
	}
	// The tags claim needs sts:TagSession, which github-deploy's trust
	// policy does not grant (id_session-tags.html).
	if err := assume(tok); err == nil {
		t.Error("a token with session tags assumed github-deploy, whose trust policy lacks sts:TagSession")
	}
	_, stdout, _ = iamkit(t, "", "mint", "oidc", "--sub", githubMainSub)
	if err := assume(strings.TrimSpace(stdout)); err != nil {
		t.Errorf("main branch: %v", err)
	}
	_, stdout, _ = iamkit(t, "", "mint", "oidc", "--sub", "repo:example-org/other:ref:refs/heads/main")
	var se *sts.Error
	if err := assume(strings.TrimSpace(stdout)); !errors.As(err, &se) || se.Code != "AccessDenied" {
		t.Errorf("another repository: %v, want AccessDenied", err)
	}
}

func TestMintOIDCErrors(t *testing.T) {
	noIssuers := t.TempDir() + "/w.json"
	if err := os.WriteFile(noIssuers, []byte(`{"users":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"mint"}, 2, "mint what?"},
		{[]string{"mint", "saml2"}, 2, `"saml2" is neither oidc nor saml`},
		{[]string{"mint", "oidc"}, 2, "--sub SUB is required"},
		{[]string{"mint", "oidc", "--sub", "s", "--ttl", "forever"}, 2, "not a duration"},
		{[]string{"mint", "oidc", "--sub", "s", "--ttl", "48h"}, 2, "outside 1s to 24h0m0s"},
		{[]string{"mint", "oidc", "--sub", "s", "--claim", "novalue"}, 2, "not NAME=VALUE"},
		{[]string{"mint", "oidc", "--sub", "s", "--claim", "exp=1"}, 2, "the issuer sets exp"},
		{[]string{"mint", "oidc", "--sub", "s", "--claim", "aud=x"}, 2, "use --aud"},
		{[]string{"mint", "oidc", "--sub", "s", "--claim", "x={bad"}, 2, "not JSON"},
		{[]string{"mint", "oidc", "--sub", "s", "--issuer", "https://example.com"}, 2, `no test OIDC issuer "https://example.com": it has https://token.actions.githubusercontent.com`},
		{[]string{"mint", "oidc", "--sub", "s", "--world", noIssuers}, 2, "has no test OIDC issuer: it has none"},
		{[]string{"mint", "oidc", "--sub", "s", "extra"}, 2, `unexpected argument "extra"`},
	} {
		code, _, stderr := iamkit(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	code, stdout, _ := iamkit(t, "", "help", "mint")
	if code != 0 || !strings.Contains(stdout, "iamkit mint oidc") {
		t.Errorf("help mint: %d %q", code, stdout)
	}
	// The --claim value is JSON when it looks like JSON.
	for in, want := range map[string]string{"plain": `"plain"`, `["a","b"]`: `["a","b"]`, `{"k":1}`: `{"k":1}`} {
		v, err := claimValue(in)
		b, _ := json.Marshal(v)
		if err != nil || string(b) != want {
			t.Errorf("claimValue(%q) = %s, %v; want %s", in, b, err, want)
		}
	}
}

const (
	samlEngineerARN = "arn:aws:iam::111111111111:role/saml-engineer"
	exampleCorpARN  = "arn:aws:iam::111111111111:saml-provider/ExampleCorp"
)

// TestMintSAML: the response "iamkit mint saml" prints verifies as the
// built-in world's ExampleCorp and says what the flags asked for
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html),
// and assumes saml-engineer with its principal tag.
func TestMintSAML(t *testing.T) {
	code, stdout, stderr := iamkit(t, "", "mint", "saml", "--subject", "jdoe@example.com", "--role", samlEngineerARN+","+exampleCorpARN,
		"--attribute", "PrincipalTag:team=blue", "--attribute", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6=jdoe@example.com",
		"--attribute", "https://aws.amazon.com/SAML/Attributes/PrincipalTag:cost-center=1234")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	resp := strings.TrimSpace(stdout)
	idp, _ := world.Default().TestSAMLIdP("")
	parsed, err := federation.ParseSAMLResponse(resp)
	if err != nil {
		t.Fatal(err)
	}
	id, err := idp.Provider.Verify(parsed, samlEngineerARN, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "jdoe@example.com" || id.RoleSessionName != "jdoe" || fmt.Sprint(id.Tags) != "[{cost-center 1234} {team blue}]" ||
		fmt.Sprint(id.AttributeKeys["saml:edupersonprincipalname"]) != "[jdoe@example.com]" {
		t.Errorf("identity %+v", id)
	}
	issuer, err := world.Default().Issuer(sts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := issuer.AssumeRoleWithSAML(context.Background(), &sts.AssumeRoleWithSAMLInput{RoleArn: samlEngineerARN, PrincipalArn: exampleCorpARN, SAMLAssertion: resp})
	if err != nil {
		t.Fatal(err)
	}
	if out.AssumedRoleUser.Arn != "arn:aws:sts::111111111111:assumed-role/saml-engineer/jdoe" {
		t.Errorf("session %s", out.AssumedRoleUser.Arn)
	}
}

func TestMintSAMLErrors(t *testing.T) {
	role := samlEngineerARN + "," + exampleCorpARN
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"mint", "saml", "--role", role}, "--subject NAME is required"},
		{[]string{"mint", "saml", "--subject", "s"}, "--role ROLE_ARN,PROVIDER_ARN is required"},
		{[]string{"mint", "saml", "--subject", "s", "--role", samlEngineerARN}, "is not ROLE_ARN,PROVIDER_ARN"},
		{[]string{"mint", "saml", "--subject", "s", "--role", role, "--ttl", "2h"}, "outside 1s to 1h0m0s"},
		{[]string{"mint", "saml", "--subject", "s", "--role", role, "--attribute", "Role=x"}, "use --role"},
		{[]string{"mint", "saml", "--subject", "s", "--role", role, "--attribute", "novalue"}, "not NAME=VALUE"},
		{[]string{"mint", "saml", "--subject", "s", "--role", samlEngineerARN + ",arn:aws:iam::111111111111:saml-provider/Other"},
			`no test SAML IdP for "arn:aws:iam::111111111111:saml-provider/Other": it has ` + exampleCorpARN},
	} {
		code, _, stderr := iamkit(t, "", tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
