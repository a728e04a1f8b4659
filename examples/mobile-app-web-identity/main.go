// Command mobile-app-web-identity shows AWS's pattern for a mobile app
// whose users upload to S3: no access key ships in the app; each user signs
// in, trades an identity token for temporary role credentials
// (AssumeRoleWithWebIdentity), and one role policy, written with the policy
// variable ${cognito-identity.amazonaws.com:sub}, scopes every user's
// credentials to that user's own prefix.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html
// https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html
//
// The app uses an Amazon Cognito identity pool with the basic (classic)
// flow: GetId and GetOpenIdToken give the signed-in user an OpenID Connect
// token issued by https://cognito-identity.amazonaws.com, whose aud is the
// identity pool ID, whose sub is the user's identity ID, and whose amr says
// "authenticated" (with the provider the user signed in with) or
// "unauthenticated"; the app then calls AssumeRoleWithWebIdentity itself
// (authentication-flow.html, role-trust-and-permissions.html). The role
// "photo-uploader" trusts the Federated principal
// cognito-identity.amazonaws.com for the pool's aud and an amr of
// "authenticated", as Cognito's documentation writes it; its permission
// policy is the documentation's "Example 2" for the bucket "photos".
//
// In AWS, cognito-identity.amazonaws.com is a built-in provider: no IAM
// OIDC provider is created for it, and its tokens for any identity pool of
// any customer reach STS, so the trust policy's aud condition is what keeps
// other pools out. iamkit verifies only tokens of an OIDC provider
// registered in the role's account, so the example registers one for
// https://cognito-identity.amazonaws.com whose client IDs stand for the
// identity pools (this app's and another customer's), and a stand-in key
// signs the tokens in place of Cognito's.
//
// Run it with:
//
//	go run ./examples/mobile-app-web-identity
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mobile-app-web-identity:", err)
		os.Exit(1)
	}
}

// fixedRand is a deterministic randomness source so the output is the same
// on every run; real programs leave Options.Rand nil (crypto/rand).
type fixedRand struct{ n byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n = r.n*31 + 7
		p[i] = r.n
	}
	return len(p), nil
}

const (
	account = "111111111111"
	roleARN = "arn:aws:iam::" + account + ":role/photo-uploader"
	bucket  = "photos"
	// The app's identity pool, and another customer's (the IDs are the
	// examples of iam-roles.html).
	poolID      = "us-east-1:12345678-abcd-abcd-abcd-123456790ab"
	otherPoolID = "us-east-1:98765432-dcba-dcba-dcba-123456790ab"
	// Identity IDs, the sub of each user's token.
	aliceID = "us-east-1:12345678-1234-1234-1234-123456790ab"
	bobID   = "us-east-1:98765432-1234-1234-1243-123456790ab"
	guestID = "us-east-1:55555555-1234-1234-1234-123456790ab"
	// userPool is the Cognito user pool alice signs in with, as it appears
	// in the amr claim.
	userPool = "cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE"
)

// trustPolicy is Cognito's trust policy for an authenticated role
// (role-trust-and-permissions.html with amr "authenticated").
const trustPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "cognito-identity.amazonaws.com"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "cognito-identity.amazonaws.com:aud": "` + poolID + `"
        },
        "ForAnyValue:StringLike": {
          "cognito-identity.amazonaws.com:amr": "authenticated"
        }
      }
    }
  ]
}`

// accessPolicy is "Example 2: Allow an identity to have both read and write
// access to identity specific paths in S3" of iam-roles.html, for the
// bucket photos.
const accessPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Action": ["s3:ListBucket"],
      "Effect": "Allow",
      "Resource": ["arn:aws:s3:::` + bucket + `"],
      "Condition": {"StringLike": {"s3:prefix": ["${cognito-identity.amazonaws.com:sub}/*"]}}
    },
    {
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Effect": "Allow",
      "Resource": ["arn:aws:s3:::` + bucket + `/${cognito-identity.amazonaws.com:sub}/*"]
    }
  ]
}`

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 18, 0, 0, 0, time.UTC)

	// Cognito's issuer, registered as an OIDC provider (see the package
	// doc), with a stand-in signing key generated at each run: nothing
	// printed depends on it.
	cognito, err := federation.NewOIDCProvider(account, "https://cognito-identity.amazonaws.com", []string{poolID, otherPoolID}, nil)
	if err != nil {
		return err
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	signer, err := federation.NewTestOIDCIssuer(cognito, jose.JSONWebKey{Key: priv, KeyID: "stand-in-1", Algorithm: "ES256", Use: "sig"})
	if err != nil {
		return err
	}
	cognito.Keys = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{signer.PublicKey()}}

	dir := sts.NewMemoryDirectory()
	if err := dir.PutOIDCProvider(cognito); err != nil {
		return err
	}
	access, err := policy.ParseWithOptions([]byte(accessPolicy), policy.Identity, policy.Options{Name: "photos-per-identity"})
	if err != nil {
		return err
	}
	if err := dir.PutRole(sts.Role{ARN: roleARN, TrustPolicy: policy.MustParse(trustPolicy, policy.Trust),
		Policies: []*policy.Policy{access}}); err != nil {
		return err
	}
	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("m", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: ring, Now: func() time.Time { return now }, Rand: &fixedRand{}})
	if err != nil {
		return err
	}

	// signIn is the app on a user's phone: Cognito's GetOpenIdToken (a
	// token valid for 10 minutes, API_GetOpenIdToken.html), then
	// AssumeRoleWithWebIdentity with it. It returns the session that S3
	// would see for the credentials.
	signIn := func(title, aud, sub string, amr ...string) (*sts.Session, error) {
		fmt.Fprintf(w, "%s\n", title)
		tok, err := signer.Mint(map[string]any{"aud": aud, "sub": sub, "amr": amr}, now, 10*time.Minute)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "   token from %s: aud %s, sub %s, amr [%s]\n", cognito.URL, aud, sub, strings.Join(amr, ", "))
		// The session name is the app's choice and proves nothing about
		// the user; the token's sub, carried into the session, does.
		out, err := issuer.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: roleARN, RoleSessionName: "photo-app", WebIdentityToken: tok})
		if err != nil {
			var apiErr *sts.Error
			if !errors.As(err, &apiErr) {
				return nil, err
			}
			fmt.Fprintf(w, "   refused: %s: %s\n", apiErr.ErrorCode(), apiErr.ErrorMessage())
			var why *sts.TrustDenied
			if errors.As(err, &why) {
				fmt.Fprintf(w, "   why:     %s\n", why.Explanation)
			}
			return nil, nil
		}
		fmt.Fprintf(w, "   granted: %s until %s\n", out.AssumedRoleUser.Arn, out.Credentials.Expiration.Format(time.RFC3339))
		fmt.Fprintf(w, "            SubjectFromWebIdentityToken %s, Audience %s, Provider %s\n",
			out.SubjectFromWebIdentityToken, out.Audience, out.Provider)
		s, err := issuer.Authenticate(ctx, out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "   the credentials carry into every request:\n")
		for _, k := range s.ProviderKeys {
			fmt.Fprintf(w, "      %s = %s\n", k.Key, strings.Join(k.Values, ", "))
		}
		return s, nil
	}
	// s3 asks what S3 would decide: object actions on photos/KEY, and
	// s3:ListBucket on the bucket with s3:prefix.
	s3 := func(s *sts.Session, action, key string) error {
		in := sts.AuthorizeInput{Action: action, Resource: "arn:aws:s3:::" + bucket + "/" + key}
		what := in.Resource
		if action == "s3:ListBucket" {
			in.Resource = "arn:aws:s3:::" + bucket
			in.Context = condition.NewContext()
			in.Context.Set("s3:prefix", key)
			what = in.Resource + " with s3:prefix " + key
		}
		d, err := issuer.Authorize(ctx, s, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s on %s: %s (%s)\n", action, what, d.Explanation.Decision, d.Explanation.Reason)
		return nil
	}

	fmt.Fprintf(w, "The role %s\n", roleARN)
	fmt.Fprintf(w, "   trusts cognito-identity.amazonaws.com for aud %s and an amr of \"authenticated\"\n", poolID)
	fmt.Fprintf(w, "   allows s3:GetObject and s3:PutObject on arn:aws:s3:::%s/${cognito-identity.amazonaws.com:sub}/*\n", bucket)
	fmt.Fprintf(w, "   and s3:ListBucket on arn:aws:s3:::%s for s3:prefix ${cognito-identity.amazonaws.com:sub}/*\n\n", bucket)

	alice, err := signIn("1. alice signs in to the app through the Cognito user pool", poolID, aliceID, "authenticated", userPool)
	if err != nil {
		return err
	}
	if alice == nil {
		return errors.New("alice got no credentials")
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "2. What alice's credentials may do in the bucket\n")
	for _, q := range []struct{ action, key string }{
		{"s3:PutObject", aliceID + "/beach.jpg"},
		{"s3:GetObject", aliceID + "/beach.jpg"},
		{"s3:ListBucket", aliceID + "/"},
		{"s3:PutObject", bobID + "/beach.jpg"},
		{"s3:GetObject", bobID + "/passport.jpg"},
		{"s3:ListBucket", bobID + "/"},
		{"s3:PutObject", "beach.jpg"},
	} {
		if err := s3(alice, q.action, q.key); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)

	bob, err := signIn("3. bob signs in with Facebook: the same role, the same policy, his own prefix", poolID, bobID, "authenticated", "graph.facebook.com")
	if err != nil {
		return err
	}
	if bob == nil {
		return errors.New("bob got no credentials")
	}
	for _, q := range []struct{ action, key string }{
		{"s3:PutObject", bobID + "/dog.jpg"},
		{"s3:GetObject", aliceID + "/beach.jpg"},
	} {
		if err := s3(bob, q.action, q.key); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)

	if _, err := signIn("4. A guest who has not signed in: an unauthenticated identity of the same pool", poolID, guestID, "unauthenticated"); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if _, err := signIn("5. A signed-in user of another customer's identity pool (cognito-identity.amazonaws.com serves every pool)",
		otherPoolID, "us-east-1:66666666-1234-1234-1234-123456790ab", "authenticated", "graph.facebook.com"); err != nil {
		return err
	}
	return nil
}
