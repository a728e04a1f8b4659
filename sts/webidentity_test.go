package sts

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
)

const (
	docAWRWI       = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html"
	docOIDCGitHub  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html"
	docWIFKeys     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif"
	docWIFCarried  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#cross-condition-keys-wif"
	docFedProvider = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-federatedprovider"

	wiURL  = "https://token.actions.githubusercontent.com"
	wiHost = "token.actions.githubusercontent.com"
	wiMain = "repo:example-org/example-repo:ref:refs/heads/main"
)

// wiFixture is an issFixture with GitHub's OIDC provider in issAcct and a
// deploy role that trusts it for the main branch of one repository.
type wiFixture struct {
	*issFixture
	key    *ecdsa.PrivateKey
	prov   *federation.OIDCProvider
	deploy string
}

func newWIFixture(t *testing.T) *wiFixture {
	t.Helper()
	f := &wiFixture{issFixture: newIssFixture(t)}
	var err error
	if f.key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	f.prov, err = federation.NewOIDCProvider(issAcct, wiURL, []string{"sts.amazonaws.com"}, nil)
	f.must(err)
	f.prov.Keys = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "gh1", Use: "sig"}}}
	f.must(f.dir.PutOIDCProvider(f.prov))
	f.deploy = f.role(issAcct, "GitHubDeploy", []string{`{"Effect":"Allow","Principal":{"Federated":"` + f.prov.ARN + `"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + wiHost + `:aud":"sts.amazonaws.com"},` +
		`"StringLike":{"` + wiHost + `:sub":"repo:example-org/example-repo:ref:refs/heads/main"}}}`}, func(r *Role) {
		r.Policies = []*policy.Policy{issPolicy(policy.Identity,
			`{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"`+wiHost+`:sub":"`+wiMain+`"}}}`,
			`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:FederatedProvider":"`+f.prov.ARN+`"}}}`)}
	})
	return f
}

// token signs claims with the provider's key; nil mod gives a main-branch
// token valid for 10 minutes from the fixture's clock.
func (f *wiFixture) token(mod func(map[string]any)) string {
	f.t.Helper()
	now := f.clock.Now()
	c := map[string]any{"iss": wiURL, "sub": wiMain, "aud": "sts.amazonaws.com", "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
		"repository": "example-org/example-repo"}
	if mod != nil {
		mod(c)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: f.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "gh1"))
	f.must(err)
	b, err := json.Marshal(c)
	f.must(err)
	obj, err := s.Sign(b)
	f.must(err)
	tok, err := obj.CompactSerialize()
	f.must(err)
	return tok
}

func (f *wiFixture) assumeWI(roleARN, token string, mod func(*AssumeRoleWithWebIdentityInput)) (*AssumeRoleWithWebIdentityOutput, error) {
	in := &AssumeRoleWithWebIdentityInput{RoleArn: roleARN, RoleSessionName: "ci", WebIdentityToken: token}
	if mod != nil {
		mod(in)
	}
	return f.is.AssumeRoleWithWebIdentity(f.ctx, in)
}

func TestAssumeRoleWithWebIdentityGitHub(t *testing.T) {
	t.Logf("AWS: %s; %s; %s", docAWRWI, docOIDCGitHub, docWIFKeys)
	f := newWIFixture(t)
	out, err := f.assumeWI(f.deploy, f.token(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.SubjectFromWebIdentityToken != wiMain || out.Audience != "sts.amazonaws.com" || out.Provider != wiURL {
		t.Errorf("output %+v", out)
	}
	if want := "arn:aws:sts::" + issAcct + ":assumed-role/GitHubDeploy/ci"; out.AssumedRoleUser.Arn != want {
		t.Errorf("AssumedRoleUser.Arn %s, want %s", out.AssumedRoleUser.Arn, want)
	}
	if !strings.HasPrefix(out.AssumedRoleUser.AssumedRoleId, "AROA") || !strings.HasSuffix(out.AssumedRoleUser.AssumedRoleId, ":ci") {
		t.Errorf("AssumedRoleId %s", out.AssumedRoleUser.AssumedRoleId)
	}
	if got := out.Credentials.Expiration.Sub(f.clock.Now().Truncate(time.Second)); got != time.Hour {
		t.Errorf("default duration %v, want 1h", got)
	}
	s := f.open(out.Credentials)
	if s.Kind != AssumedRole || s.FederatedProvider != f.prov.ARN {
		t.Errorf("session kind %v provider %q", s.Kind, s.FederatedProvider)
	}

	// The keys AWS carries into later requests (sub, aud) and
	// aws:FederatedProvider reach the role session's requests.
	t.Logf("AWS: %s; %s", docWIFCarried, docFedProvider)
	for _, action := range []string{"s3:PutObject", "s3:GetObject"} {
		if d := f.decide(s, action, "arn:aws:s3:::artifacts/x"); !d.Allowed() {
			t.Errorf("%s by the web identity session: denied (%s)", action, d.Denial)
		}
	}
	// Role session credentials cannot call GetSessionToken or
	// GetFederationToken (API_AssumeRoleWithWebIdentity.html).
	if _, err := f.is.GetSessionToken(f.ctx, s, nil); err == nil {
		t.Error("GetSessionToken with web identity credentials succeeded")
	}

	denied := "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	for name, mod := range map[string]func(map[string]any){
		"another repository": func(c map[string]any) { c["sub"] = "repo:evil-org/example-repo:ref:refs/heads/main" },
		"a pull request":     func(c map[string]any) { c["sub"] = "repo:example-org/example-repo:pull_request" },
		"another branch":     func(c map[string]any) { c["sub"] = "repo:example-org/example-repo:ref:refs/heads/dev" },
		// A custom claim is no condition key, so it cannot satisfy the
		// trust policy (AWS ignores custom claims).
		"custom claim only": func(c map[string]any) { c["sub"] = "x"; c["ref"] = "refs/heads/main" },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.assumeWI(f.deploy, f.token(mod), nil)
			wantAPIError(t, err, "AccessDenied", denied)
		})
	}
}

func TestAssumeRoleWithWebIdentityErrors(t *testing.T) {
	t.Logf("AWS: %s", docAWRWI)
	f := newWIFixture(t)
	other := newWIFixture(t) // another key, same URL
	tests := []struct {
		name, code, msg string
		role            string
		token           func() string
		mod             func(*AssumeRoleWithWebIdentityInput)
	}{
		{name: "no provider for the issuer", code: "InvalidIdentityToken", msg: "No OpenIDConnect provider found in your account for https://gitlab.com",
			token: func() string { return f.token(func(c map[string]any) { c["iss"] = "https://gitlab.com" }) }},
		{name: "provider in another account than the role's", code: "InvalidIdentityToken", msg: "No OpenIDConnect provider found in your account for " + wiURL,
			role: f.role(issOther, "x", []string{`{"Effect":"Allow","Principal":{"Federated":"*"},"Action":"sts:AssumeRoleWithWebIdentity"}`}, nil)},
		{name: "signed by another key", code: "InvalidIdentityToken", token: func() string { return other.token(nil) }},
		{name: "other audience", code: "InvalidIdentityToken", msg: "Incorrect token audience",
			token: func() string { return f.token(func(c map[string]any) { c["aud"] = "https://kubernetes.default.svc" }) }},
		{name: "expired", code: "ExpiredTokenException", msg: "Token expired: current date/time",
			token: func() string {
				return f.token(func(c map[string]any) { c["exp"] = f.clock.Now().Add(-6 * time.Minute).Unix() })
			}},
		{name: "not a JWT", code: "InvalidIdentityToken", token: func() string { return "not-a-jwt" }},
		{name: "role does not exist", code: "AccessDenied", msg: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
			role: issRoleARN(issAcct, "nope")},
		{name: "duration over the role's maximum", code: "ValidationError",
			msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
			mod: func(in *AssumeRoleWithWebIdentityInput) { in.DurationSeconds = issSec(7200) }},
		{name: "token of 3 characters", code: "ValidationError", token: func() string { return "abc" }},
		{name: "session tags without sts:TagSession", code: "AccessDenied",
			token: func() string {
				return f.token(func(c map[string]any) {
					c["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": map[string]any{"team": []string{"infra"}}}
				})
			}},
		{name: "source identity without sts:SetSourceIdentity", code: "AccessDenied",
			token: func() string {
				return f.token(func(c map[string]any) { c["https://aws.amazon.com/source_identity"] = "alice" })
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			role := tc.role
			if role == "" {
				role = f.deploy
			}
			tok := ""
			if tc.token != nil {
				tok = tc.token()
			} else {
				tok = f.token(nil)
			}
			_, err := f.assumeWI(role, tok, tc.mod)
			wantAPIError(t, err, tc.code, "")
			if tc.msg != "" && !strings.Contains(fmt.Sprint(err), tc.msg) {
				t.Errorf("err = %v, want message %q", err, tc.msg)
			}
		})
	}
}

// TestAssumeRoleWithWebIdentityTags: tags and a source identity from the
// token's claims need sts:TagSession and sts:SetSourceIdentity in the
// trust policy, then become the session's
// (id_session-tags.html#id_session-tags_adding-assume-role-idp).
func TestAssumeRoleWithWebIdentityTags(t *testing.T) {
	t.Logf("AWS: %s", docSessionTags)
	f := newWIFixture(t)
	role := f.role(issAcct, "tagged", []string{`{"Effect":"Allow","Principal":{"Federated":"` + f.prov.ARN + `"},` +
		`"Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"aws:RequestTag/team":"infra"}}}`}, nil)
	tok := f.token(func(c map[string]any) {
		c["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": map[string]any{"team": []string{"infra"}}, "transitive_tag_keys": []string{"team"}}
		c["https://aws.amazon.com/source_identity"] = "alice"
	})
	out, err := f.assumeWI(role, tok, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.SourceIdentity == nil || *out.SourceIdentity != "alice" {
		t.Errorf("SourceIdentity %v", out.SourceIdentity)
	}
	s := f.open(out.Credentials)
	if fmt.Sprint(s.Tags) != "[{team infra}]" || fmt.Sprint(s.TransitiveTagKeys) != "[team]" || s.SourceIdentity != "alice" {
		t.Errorf("session tags %v transitive %v source %q", s.Tags, s.TransitiveTagKeys, s.SourceIdentity)
	}
	if len(s.ProviderKeys) != 2 {
		t.Errorf("carried keys %v, want sub and aud", s.ProviderKeys)
	}
}

// TestAssumeRoleWithWebIdentityKeySource: a provider without inline keys
// gets them from Options.KeySource; an unreachable source is
// IDPCommunicationError (API_AssumeRoleWithWebIdentity.html, Errors).
func TestAssumeRoleWithWebIdentityKeySource(t *testing.T) {
	t.Logf("AWS: %s", docAWRWI)
	f := newWIFixture(t)
	keys := f.prov.Keys
	p, err := federation.NewOIDCProvider(issAcct, wiURL, []string{"sts.amazonaws.com"}, nil)
	f.must(err)
	f.must(f.dir.PutOIDCProvider(p))
	for _, tc := range []struct {
		name string
		src  federation.KeySource
		code string
	}{
		{"keys from the source", wiKeys{keys: keys}, ""},
		{"source unreachable", wiKeys{err: federation.ErrKeysUnavailable}, "IDPCommunicationError"},
		{"no source", nil, "InvalidIdentityToken"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			is, err := NewIssuer(Options{Directory: f.dir, Keys: f.is.keys, Now: f.clock.Now, KeySource: tc.src})
			f.must(err)
			_, err = is.AssumeRoleWithWebIdentity(f.ctx, &AssumeRoleWithWebIdentityInput{RoleArn: f.deploy, RoleSessionName: "ci", WebIdentityToken: f.token(nil)})
			if tc.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, tc.code, "")
		})
	}
}

type wiKeys struct {
	keys *jose.JSONWebKeySet
	err  error
}

func (k wiKeys) Keys(_ context.Context, _ *federation.OIDCProvider, kid string) ([]jose.JSONWebKey, error) {
	if k.err != nil {
		return nil, fmt.Errorf("jwks: %w", k.err)
	}
	return k.keys.Key(kid), nil
}

// TestAssumeRoleWithWebIdentityTrustDenied: behind AWS's bare AccessDenied,
// errors.As finds which action the trust policy refused and why.
func TestAssumeRoleWithWebIdentityTrustDenied(t *testing.T) {
	f := newWIFixture(t)
	_, err := f.assumeWI(f.deploy, f.token(func(c map[string]any) { c["sub"] = "repo:example-org/example-repo:pull_request" }), nil)
	var td *TrustDenied
	if !errors.As(err, &td) || td.Action != "sts:AssumeRoleWithWebIdentity" || td.Explanation == nil {
		t.Fatalf("err = %v, want a TrustDenied cause", err)
	}
	if td.Explanation.Decision != policy.ImplicitDeny {
		t.Errorf("decision %v", td.Explanation.Decision)
	}
	t.Log(td)
	if strings.Contains(err.Error(), "pull_request") {
		t.Error("the token's claims leak into AWS's message")
	}
}
