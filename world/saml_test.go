package world

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/sts"
)

// Documentation the SAML provider rules come from:
//   - providers: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html
//   - the role's trust policy: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_for-idp_saml.html
//   - the call: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html

const (
	exampleCorpARN  = "arn:aws:iam::111111111111:saml-provider/ExampleCorp"
	samlEngineerARN = "arn:aws:iam::111111111111:role/saml-engineer"
)

// TestDefaultWorldSAMLIdP: the built-in world's test IdP signs responses
// that assume saml-engineer, with its principal tag as a session tag; a
// response for the regional sign-in endpoint does not meet the trust
// policy's SAML:aud.
func TestDefaultWorldSAMLIdP(t *testing.T) {
	w := Default()
	idp, ok := w.TestSAMLIdP("")
	if !ok || idp.Provider.ARN != exampleCorpARN {
		t.Fatalf("default test SAML IdP = %+v, %v", idp, ok)
	}
	if _, ok := w.TestSAMLIdP("arn:aws:iam::111111111111:saml-provider/Nobody"); ok {
		t.Error("found a test IdP for an unknown provider")
	}
	issuer, err := w.Issuer(sts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	assume := func(recipient string) (*sts.AssumeRoleWithSAMLOutput, error) {
		resp, err := idp.IdP.Response(federation.SAMLResponseOptions{NameID: "jdoe@example.com", RoleSessionName: "jdoe", Recipient: recipient,
			Roles: []federation.SAMLRole{{RoleARN: samlEngineerARN, ProviderARN: exampleCorpARN}},
			Tags:  []federation.Tag{{Key: "team", Value: "blue"}}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return issuer.AssumeRoleWithSAML(context.Background(), &sts.AssumeRoleWithSAMLInput{RoleArn: samlEngineerARN, PrincipalArn: exampleCorpARN, SAMLAssertion: resp})
	}
	out, err := assume("")
	if err != nil {
		t.Fatal(err)
	}
	if out.AssumedRoleUser.Arn != "arn:aws:sts::111111111111:assumed-role/saml-engineer/jdoe" || out.Issuer != "https://idp.example.com/saml" {
		t.Errorf("output %+v", out)
	}
	s, err := issuer.Authenticate(context.Background(), out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	for res, allowed := range map[string]bool{"arn:aws:s3:::example-team-docs/blue/plan.txt": true, "arn:aws:s3:::example-team-docs/red/plan.txt": false} {
		d, err := issuer.Authorize(context.Background(), s, sts.AuthorizeInput{Action: "s3:GetObject", Resource: res})
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed() != allowed {
			t.Errorf("s3:GetObject %s: allowed %v, want %v", res, d.Allowed(), allowed)
		}
	}
	if _, err := assume("https://us-east-1.signin.aws.amazon.com/saml"); err == nil {
		t.Error("a response for the regional endpoint met SAML:aud = https://signin.aws.amazon.com/saml")
	}
}

func TestSAMLProviderErrors(t *testing.T) {
	var kc struct {
		Key, Cert string
	}
	{
		var def struct {
			SAMLProviders []struct {
				TestIdP struct{ PrivateKey, Certificate string } `json:"testIdP"`
			} `json:"samlProviders"`
		}
		if err := json.Unmarshal(DefaultJSON(), &def); err != nil {
			t.Fatal(err)
		}
		kc.Key, kc.Cert = def.SAMLProviders[0].TestIdP.PrivateKey, def.SAMLProviders[0].TestIdP.Certificate
	}
	other, err := federation.NewSAMLTestIdP("https://other.example.com", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	otherMeta, _ := json.Marshal(string(other.Metadata()))
	const arn = `"arn":"arn:aws:iam::111111111111:saml-provider/Corp"`
	idp := func(entity, key, cert string) string {
		return `"testIdP":{"entityId":"` + entity + `","privateKey":"` + key + `","certificate":"` + cert + `"}`
	}
	tests := []struct {
		name, world string
		want        []string
	}{{
		name:  "neither metadata nor test IdP",
		world: `{"samlProviders":[{` + arn + `}]}`,
		want:  []string{`w.json:1:19: samlProviders[0]: needs metadata (the IdP's SAML metadata XML), metadataFile or a testIdP`},
	}, {
		name:  "not a SAML provider ARN",
		world: `{"samlProviders":[{"arn":"arn:aws:iam::111111111111:oidc-provider/x","metadata":"<x/>"}]}`,
		want:  []string{`w.json:1:26: samlProviders[0].arn: "arn:aws:iam::111111111111:oidc-provider/x" is not a SAML provider ARN (arn:aws:iam::ACCOUNT:saml-provider/NAME)`},
	}, {
		name:  "bad name",
		world: `{"samlProviders":[{"arn":"arn:aws:iam::111111111111:saml-provider/Bad Name",` + idp("https://idp.example.com/saml", kc.Key, kc.Cert) + `}]}`,
		want:  []string{`w.json:1:26: samlProviders[0].arn: the provider name "Bad Name" must be 1 to 128 characters of letters, digits and _.- (CreateSAMLProvider)`},
	}, {
		name:  "metadata too short",
		world: `{"samlProviders":[{` + arn + `,"metadata":"<md:EntityDescriptor/>"}]}`,
	}, {
		name:  "key not base64",
		world: `{"samlProviders":[{` + arn + `,` + idp("https://idp.example.com/saml", "not a key!", kc.Cert) + `}]}`,
		want:  []string{`w.json:1:139: samlProviders[0].testIdP.privateKey: must be an RSA private key, PEM or base64 DER (neither PEM nor base64; the key is not shown)`},
	}, {
		name:  "certificate of another key",
		world: `{"samlProviders":[{` + arn + `,` + idp("https://idp.example.com/saml", kc.Key, strings.TrimSpace(certBase64(other))) + `}]}`,
	}, {
		name:  "entity ID differs from the metadata's",
		world: `{"samlProviders":[{` + arn + `,"metadata":` + string(otherMeta) + `,` + idp("https://idp.example.com/saml", kc.Key, kc.Cert) + `}]}`,
	}, {
		name:  "defined twice",
		world: `{"samlProviders":[{` + arn + `,` + idp("https://idp.example.com/saml", kc.Key, kc.Cert) + `},{` + arn + `,"metadata":` + string(otherMeta) + `}]}`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("w.json", []byte(tt.world))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v is not a *Error", err)
			}
			msgs := strings.Split(we.Error(), "\n")
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, msgs); diff != "" {
					t.Errorf("messages (-want +got):\n%s", diff)
				}
			} else if len(msgs) != 1 {
				t.Errorf("messages %q, want one", msgs)
			}
			for _, m := range msgs {
				if strings.Contains(m, kc.Key[20:60]) {
					t.Errorf("message %q shows the private key", m)
				}
			}
		})
	}
}

func certBase64(idp *federation.SAMLTestIdP) string {
	b, _ := json.Marshal(idp.Cert.Raw) // []byte marshals as standard base64
	return strings.Trim(string(b), `"`)
}

// TestSAMLMetadataFile: metadataFile names the IdP's metadata document
// relative to the world file, as an IdP exports it.
func TestSAMLMetadataFile(t *testing.T) {
	idp, err := federation.NewSAMLTestIdP("https://adfs.example.com/adfs/services/trust", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "adfs-metadata.xml"), idp.Metadata(), 0o600); err != nil {
		t.Fatal(err)
	}
	world := `{"samlProviders":[{"arn":"arn:aws:iam::111111111111:saml-provider/ADFS","metadataFile":"adfs-metadata.xml"}]}`
	if err := os.WriteFile(filepath.Join(dir, "w.json"), []byte(world), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := LoadFile(filepath.Join(dir, "w.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Directory().SAMLProvider(context.Background(), "arn:aws:iam::111111111111:saml-provider/ADFS")
	if err != nil || p.EntityID != "https://adfs.example.com/adfs/services/trust" {
		t.Fatalf("provider %+v, %v", p, err)
	}
	for name, tc := range map[string]struct{ world, want string }{
		"from bytes": {world, "a world loaded from bytes reads no files"},
		"both":       {`{"samlProviders":[{"arn":"arn:aws:iam::111111111111:saml-provider/ADFS","metadata":"<x/>","metadataFile":"m.xml"}]}`, "give metadata or metadataFile, not both"},
	} {
		if _, err := Load("w.json", []byte(tc.world)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
	missing := filepath.Join(dir, "missing.json")
	if err := os.WriteFile(missing, []byte(strings.Replace(world, "adfs-metadata.xml", "nope.xml", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(missing); err == nil || !strings.Contains(err.Error(), "samlProviders[0].metadataFile") {
		t.Errorf("missing metadata file: %v", err)
	}
}
