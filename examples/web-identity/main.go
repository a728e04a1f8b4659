// Command web-identity shows web identity federation as AWS STS runs it
// (AssumeRoleWithWebIdentity): machines outside AWS get role credentials
// for an OpenID Connect token, with no IAM user and no long-term key.
//
// Two identity providers, two roles:
//
//   - GitHub Actions. The role "github-deploy" trusts GitHub's provider for
//     one repository's main branch: its trust policy tests
//     token.actions.githubusercontent.com:sub and :aud. A workflow on main
//     gets credentials; another repository, a pull request and a workflow
//     that only sets a custom claim do not (custom claims are no condition
//     keys).
//   - EKS (IAM roles for service accounts). The role "payments-api" trusts
//     the cluster's provider for one service account. The pod's projected
//     token (audience sts.amazonaws.com) works; the pod's default service
//     account token (audience https://kubernetes.default.svc) is refused
//     with "Incorrect token audience".
//
// The identity providers' keys are generated here and the tokens signed
// with them, standing in for GitHub's and the cluster's signers.
//
// Run it with:
//
//	go run ./examples/web-identity
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "web-identity:", err)
		os.Exit(1)
	}
}

const account = "111122223333"

// idp is an identity provider: its IAM registration and its signing key.
type idp struct {
	provider *federation.OIDCProvider
	key      *ecdsa.PrivateKey
}

func newIDP(url, clientID string) (*idp, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	p, err := federation.NewOIDCProvider(account, url, []string{clientID}, nil)
	if err != nil {
		return nil, err
	}
	p.Keys = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Use: "sig", Algorithm: "ES256"}}}
	return &idp{provider: p, key: key}, nil
}

// token signs claims as the provider would, valid for 10 minutes from now.
func (i *idp) token(now time.Time, claims map[string]any) (string, error) {
	claims["iss"] = i.provider.URL
	claims["iat"], claims["exp"] = now.Unix(), now.Add(10*time.Minute).Unix()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: i.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := s.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// trust is a trust policy letting provider's tokens assume a role when
// their PREFIX:aud is sts.amazonaws.com and PREFIX:sub matches sub.
func trust(p *federation.OIDCProvider, sub string) (*policy.Policy, error) {
	pre := p.ConditionPrefix()
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":%q},"Action":"sts:AssumeRoleWithWebIdentity",
		"Condition":{"StringEquals":{%q:"sts.amazonaws.com"},"StringLike":{%q:%q}}}]}`,
		p.ARN, pre+":aud", pre+":sub", sub)
	return policy.Parse([]byte(doc), policy.Trust)
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

	github, err := newIDP("https://token.actions.githubusercontent.com", "sts.amazonaws.com")
	if err != nil {
		return err
	}
	eks, err := newIDP("https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "sts.amazonaws.com")
	if err != nil {
		return err
	}
	dir := sts.NewMemoryDirectory()
	for _, i := range []*idp{github, eks} {
		if err := dir.PutOIDCProvider(i.provider); err != nil {
			return err
		}
	}
	for name, tp := range map[string]struct {
		p   *federation.OIDCProvider
		sub string
	}{
		"github-deploy": {github.provider, "repo:example-org/example-repo:ref:refs/heads/main"},
		"payments-api":  {eks.provider, "system:serviceaccount:payments:api"},
	} {
		t, err := trust(tp.p, tp.sub)
		if err != nil {
			return err
		}
		if err := dir.PutRole(sts.Role{ARN: "arn:aws:iam::" + account + ":role/" + name, TrustPolicy: t}); err != nil {
			return err
		}
	}
	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("web-identity-example-master-key-0123456789")})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: ring, Now: func() time.Time { return now }})
	if err != nil {
		return err
	}

	try := func(what, role string, i *idp, claims map[string]any) error {
		tok, err := i.token(now, claims)
		if err != nil {
			return err
		}
		out, err := issuer.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: "arn:aws:iam::" + account + ":role/" + role, RoleSessionName: "ci", WebIdentityToken: tok})
		fmt.Fprintf(w, "%s\n  token:   sub %v, aud %v\n", what, claims["sub"], claims["aud"])
		var apiErr *sts.Error
		switch {
		case err == nil:
			fmt.Fprintf(w, "  allowed: %s (subject %s, audience %s)\n", out.AssumedRoleUser.Arn, out.SubjectFromWebIdentityToken, out.Audience)
		case errors.As(err, &apiErr):
			fmt.Fprintf(w, "  refused: %s: %s\n", apiErr.Code, apiErr.Message)
			var why *sts.TrustDenied
			if errors.As(err, &why) {
				fmt.Fprintf(w, "  why:     %s\n", why.Explanation)
			}
		default:
			return err
		}
		return nil
	}
	gh := func(sub string) map[string]any {
		return map[string]any{"sub": sub, "aud": "sts.amazonaws.com", "repository": "example-org/example-repo"}
	}
	steps := []struct {
		what, role string
		i          *idp
		claims     map[string]any
	}{
		{"GitHub Actions, example-org/example-repo on main:", "github-deploy", github, gh("repo:example-org/example-repo:ref:refs/heads/main")},
		{"GitHub Actions, a fork (evil-org/example-repo) on main:", "github-deploy", github, gh("repo:evil-org/example-repo:ref:refs/heads/main")},
		{"GitHub Actions, a pull request:", "github-deploy", github, gh("repo:example-org/example-repo:pull_request")},
		{"GitHub Actions, only a custom claim says main:", "github-deploy", github,
			map[string]any{"sub": "repo:example-org/example-repo:environment:prod", "aud": "sts.amazonaws.com", "ref": "refs/heads/main"}},
		{"EKS pod, projected token of service account payments/api:", "payments-api", eks,
			map[string]any{"sub": "system:serviceaccount:payments:api", "aud": "sts.amazonaws.com"}},
		{"EKS pod, the default service account token:", "payments-api", eks,
			map[string]any{"sub": "system:serviceaccount:payments:api", "aud": "https://kubernetes.default.svc"}},
		{"EKS pod of another service account:", "payments-api", eks,
			map[string]any{"sub": "system:serviceaccount:payments:batch", "aud": "sts.amazonaws.com"}},
	}
	for _, s := range steps {
		if err := try(s.what, s.role, s.i, s.claims); err != nil {
			return err
		}
	}
	return nil
}
