package stsapi_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

const (
	docAWRSAML   = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html"
	samlRoleARN  = "arn:aws:iam::111111111111:role/saml-engineer"
	samlProvARN  = "arn:aws:iam::111111111111:saml-provider/ExampleCorp"
	samlEntityID = "https://idp.example.com/saml"
)

func samlServer(t testing.TB) (*httptest.Server, *federation.SAMLTestIdP) {
	t.Helper()
	idp, err := federation.NewSAMLTestIdP(samlEntityID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	p, err := federation.NewSAMLProvider("111111111111", "ExampleCorp", idp.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	dir := sts.NewMemoryDirectory()
	if err := dir.PutSAMLProvider(p); err != nil {
		t.Fatal(err)
	}
	if err := dir.PutRole(sts.Role{ARN: samlRoleARN, TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":"`+samlProvARN+`"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],
		"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`, policy.Trust)}); err != nil {
		t.Fatal(err)
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("stsapi-saml-test-key-0123456789abc")})
	if err != nil {
		t.Fatal(err)
	}
	is, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: is})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, idp
}

// TestAssumeRoleWithSAMLSDK: the Go SDK sends AssumeRoleWithSAML unsigned
// and reads AWS's response (docAWRSAML): Issuer, Audience, Subject,
// SubjectType and NameQualifier.
func TestAssumeRoleWithSAMLSDK(t *testing.T) {
	srv, idp := samlServer(t)
	resp := func(role string) string {
		r, err := idp.Response(federation.SAMLResponseOptions{NameID: "jdoe", RoleSessionName: "jdoe@example.com",
			Roles: []federation.SAMLRole{{RoleARN: role, ProviderARN: samlProvARN}},
			Tags:  []federation.Tag{{Key: "team", Value: "blue"}}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	out, err := anonymousClient(srv).AssumeRoleWithSAML(context.Background(), &awssts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(samlRoleARN), PrincipalArn: aws.String(samlProvARN), SAMLAssertion: aws.String(resp(samlRoleARN))})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte(samlEntityID + "111111111111/ExampleCorp"))
	if aws.ToString(out.Issuer) != samlEntityID || aws.ToString(out.Audience) != "https://signin.aws.amazon.com/saml" ||
		aws.ToString(out.Subject) != "jdoe" || aws.ToString(out.SubjectType) != "persistent" ||
		aws.ToString(out.NameQualifier) != base64.StdEncoding.EncodeToString(sum[:]) ||
		aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::111111111111:assumed-role/saml-engineer/jdoe@example.com" {
		t.Errorf("output Issuer %q Audience %q Subject %q/%q NameQualifier %q Arn %q", aws.ToString(out.Issuer), aws.ToString(out.Audience),
			aws.ToString(out.Subject), aws.ToString(out.SubjectType), aws.ToString(out.NameQualifier), aws.ToString(out.AssumedRoleUser.Arn))
	}
	// A response for another role: the Role attribute does not name it.
	_, err = anonymousClient(srv).AssumeRoleWithSAML(context.Background(), &awssts.AssumeRoleWithSAMLInput{
		RoleArn: aws.String(samlRoleARN), PrincipalArn: aws.String(samlProvARN), SAMLAssertion: aws.String(resp("arn:aws:iam::111111111111:role/other"))})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidIdentityToken" {
		t.Errorf("response for another role: %v, want InvalidIdentityToken", err)
	}
}

// BenchmarkAssumeRoleWithSAML measures the call through the issuer and
// over HTTP with the SDK, and the verification of the response alone (its
// parse, RSA-SHA256 signature check by goxmldsig and the rules).
func BenchmarkAssumeRoleWithSAML(b *testing.B) {
	srv, idp := samlServer(b)
	p, err := federation.NewSAMLProvider("111111111111", "ExampleCorp", idp.Metadata())
	if err != nil {
		b.Fatal(err)
	}
	resp, err := idp.Response(federation.SAMLResponseOptions{NameID: "jdoe", RoleSessionName: "jdoe",
		Roles: []federation.SAMLRole{{RoleARN: samlRoleARN, ProviderARN: samlProvARN}}, Lifetime: time.Hour}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("verify-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := federation.ParseSAMLResponse(resp)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := p.Verify(r, samlRoleARN, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("http-sdk", func(b *testing.B) {
		c := anonymousClient(srv)
		in := &awssts.AssumeRoleWithSAMLInput{RoleArn: aws.String(samlRoleARN), PrincipalArn: aws.String(samlProvARN), SAMLAssertion: aws.String(resp)}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.AssumeRoleWithSAML(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSignatureCheck is the bare signature verification each call
// needs (ES256 for the web identity tokens of these benchmarks, RSA-2048
// PKCS #1 v1.5 SHA-256 for SAML), to say how much of each call it is.
func BenchmarkSignatureCheck(b *testing.B) {
	digest := sha256.Sum256([]byte("a token's signing input"))
	b.Run("ES256", func(b *testing.B) {
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		sig, _ := ecdsa.SignASN1(rand.Reader, k, digest[:])
		b.ReportAllocs()
		for b.Loop() {
			if !ecdsa.VerifyASN1(&k.PublicKey, digest[:], sig) {
				b.Fatal("bad signature")
			}
		}
	})
	b.Run("RS256-2048", func(b *testing.B) {
		k, _ := rsa.GenerateKey(rand.Reader, 2048)
		sig, _ := rsa.SignPKCS1v15(rand.Reader, k, crypto.SHA256, digest[:])
		b.ReportAllocs()
		for b.Loop() {
			if err := rsa.VerifyPKCS1v15(&k.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}
