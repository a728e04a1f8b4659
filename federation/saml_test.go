package federation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/iamkit/iamkit/condition"
)

// AWS pages the expected answers come from.
const (
	docAWRWSAML     = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html"
	docCreateSAML   = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html"
	docSAMLProvider = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html"
	docSAMLAssert   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html"
	docSAMLKeys     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml"
	docSAMLTrouble  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html"
	docSAMLUserID   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_saml.html#CreatingSAML-userid"
	// Signature wrapping: Somorovsky et al., "On Breaking SAML: Be
	// Whoever You Want to Be" (USENIX Security 2012); comment
	// truncation: Duo Labs, VU#475445 (2018).
	refXSW      = "https://www.usenix.org/conference/usenixsecurity12/technical-sessions/presentation/somorovsky"
	refComments = "https://www.kb.cert.org/vuls/id/475445"
)

const (
	samlEntity  = "https://idp.example.com/saml"
	samlAcct    = "111111111111"
	samlName    = "ExampleIdP"
	samlProvARN = "arn:aws:iam::111111111111:saml-provider/ExampleIdP"
	samlRole    = "arn:aws:iam::111111111111:role/SAMLDeveloper"
)

var (
	samlOnce          sync.Once
	samlIdP, samlIdP2 *SAMLTestIdP // samlIdP2: same entity ID, another key
	samlIdPErr        error
)

func testIdPs(t testing.TB) (*SAMLTestIdP, *SAMLTestIdP) {
	t.Helper()
	samlOnce.Do(func() {
		if samlIdP, samlIdPErr = NewSAMLTestIdP(samlEntity, t0); samlIdPErr != nil {
			return
		}
		samlIdP2, samlIdPErr = NewSAMLTestIdP(samlEntity, t0)
	})
	if samlIdPErr != nil {
		t.Fatal(samlIdPErr)
	}
	return samlIdP, samlIdP2
}

func samlProvider(t testing.TB) *SAMLProvider {
	t.Helper()
	idp, _ := testIdPs(t)
	p, err := NewSAMLProvider(samlAcct, samlName, idp.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func samlOpts() SAMLResponseOptions {
	return SAMLResponseOptions{
		NameID:          "alice@example.com",
		Roles:           []SAMLRole{{samlRole, samlProvARN}},
		RoleSessionName: "alice@example.com",
	}
}

func mint(t testing.TB, idp *SAMLTestIdP, opt SAMLResponseOptions) string {
	t.Helper()
	b64, err := idp.Response(opt, t0)
	if err != nil {
		t.Fatal(err)
	}
	return b64
}

func mintWith(t testing.TB, mod func(*SAMLResponseOptions)) string {
	t.Helper()
	idp, _ := testIdPs(t)
	o := samlOpts()
	if mod != nil {
		mod(&o)
	}
	return mint(t, idp, o)
}

func verifySAML(p *SAMLProvider, b64, role string, now time.Time) (*SAMLIdentity, error) {
	r, err := ParseSAMLResponse(b64)
	if err != nil {
		return nil, err
	}
	return p.Verify(r, role, now)
}

// mutate decodes b64, lets mod change the document, and encodes it again.
func mutate(t testing.TB, b64 string, mod func(doc *etree.Document)) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	mod(doc)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(out)
}

// edit decodes b64, rewrites its text with f, and encodes it again.
func edit(t testing.TB, b64 string, f func(string) string) string {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(f(string(raw))))
}

// resigned is a valid response whose assertion mod changes before the IdP
// signs it.
func resigned(t testing.TB, mod func(a *etree.Element)) string {
	t.Helper()
	idp, _ := testIdPs(t)
	doc, err := idp.responseDoc(samlOpts(), t0)
	if err != nil {
		t.Fatal(err)
	}
	a := assertionOf(doc)
	a.RemoveChild(a.SelectElement("Signature"))
	mod(a)
	signed, err := idp.sign(a)
	if err != nil {
		t.Fatal(err)
	}
	doc.Root().InsertChildAt(a.Index(), signed)
	doc.Root().RemoveChild(a)
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// attribute returns the Attribute element of a named name.
func attribute(a *etree.Element, name string) *etree.Element {
	for _, at := range a.FindElements(".//Attribute") {
		if at.SelectAttrValue("Name", "") == name {
			return at
		}
	}
	return nil
}

func find(el *etree.Element, local string) *etree.Element {
	if el.Tag == local {
		return el
	}
	for _, c := range el.ChildElements() {
		if f := find(c, local); f != nil {
			return f
		}
	}
	return nil
}

func assertionOf(doc *etree.Document) *etree.Element { return doc.Root().SelectElement("Assertion") }

// evilTwin is an unsigned copy of the assertion a claiming another user.
func evilTwin(a *etree.Element) *etree.Element {
	e := a.Copy()
	if s := e.SelectElement("Signature"); s != nil {
		e.RemoveChild(s)
	}
	find(e, "NameID").SetText("admin")
	for _, v := range e.FindElements(".//AttributeValue") {
		if v.Text() == "alice@example.com" {
			v.SetText("admin")
		}
	}
	return e
}

func TestNewSAMLProvider(t *testing.T) {
	t.Logf("AWS: %s; %s; %s", docCreateSAML, docSAMLProvider, docSAMLTrouble)
	idp, idp2 := testIdPs(t)
	md := idp.Metadata()
	p, err := NewSAMLProvider(samlAcct, samlName, md)
	if err != nil {
		t.Fatal(err)
	}
	if p.ARN != samlProvARN || p.Name != samlName || p.EntityID != samlEntity || len(p.Certificates) != 1 || !p.Certificates[0].Equal(idp.Cert) {
		t.Errorf("provider %+v", p)
	}
	if p.Account() != samlAcct || p.Partition() != "aws" || p.Doc() != "111111111111/ExampleIdP" {
		t.Errorf("account %q partition %q doc %q", p.Account(), p.Partition(), p.Doc())
	}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if cn, err := NewSAMLProviderIn("aws-cn", samlAcct, "x", md); err != nil || cn.ARN != "arn:aws-cn:iam::111111111111:saml-provider/x" {
		t.Errorf("aws-cn: %v %v", cn, err)
	}

	cert := func(c *x509.Certificate) string { return base64.StdEncoding.EncodeToString(c.Raw) }
	kd := func(use, c string) string {
		u := ""
		if use != "" {
			u = ` use="` + use + `"`
		}
		return `<md:KeyDescriptor` + u + `><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + c + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
	}
	// metadata builds a document with the given key descriptors, padded
	// past AWS's 1,000-character minimum.
	metadata := func(attrs, kds string) []byte {
		return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"` + attrs + `>
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` + kds + `
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
</md:IDPSSODescriptor>
<md:Organization><md:OrganizationName xml:lang="en">` + strings.Repeat("Example ", 80) + `</md:OrganizationName></md:Organization>
</md:EntityDescriptor>`)
	}
	ent := ` entityID="` + samlEntity + `"`

	// Two signing keys, one without use: both are taken; an encryption
	// key is not.
	two, err := NewSAMLProvider(samlAcct, "Two", metadata(ent+` validUntil="2030-01-01T00:00:00Z"`,
		kd("signing", cert(idp.Cert))+kd("", cert(idp2.Cert))+kd("encryption", cert(idp.Cert))))
	if err != nil {
		t.Fatal(err)
	}
	if len(two.Certificates) != 2 || !two.ValidUntil.Equal(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("certificates %d, validUntil %v", len(two.Certificates), two.ValidUntil)
	}

	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ec"}, NotBefore: t0, NotAfter: t0.AddDate(1, 0, 0)}
	ecDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ecKey.PublicKey, ecKey)
	if err != nil {
		t.Fatal(err)
	}
	ecCert := base64.StdEncoding.EncodeToString(ecDER)

	bad := []struct {
		name, acct, provName string
		md                   []byte
	}{
		{"empty name", samlAcct, "", md},
		{"129-character name", samlAcct, strings.Repeat("a", 129), md},
		{"name with a space", samlAcct, "My IdP", md},
		{"name with +", samlAcct, "a+b", md},
		{"name with /", samlAcct, "a/b", md},
		{"bad account", "1234", samlName, md},
		{"999 characters", samlAcct, samlName, []byte(strings.Repeat(" ", 999))},
		{"10,000,001 characters", samlAcct, samlName, append(append([]byte{}, md...), strings.Repeat(" ", MaxSAMLMetadataLen)...)},
		{"byte order mark", samlAcct, samlName, append([]byte("\uFEFF"), md...)},
		{"not UTF-8", samlAcct, samlName, append(append([]byte{}, md...), 0xff)},
		{"not XML", samlAcct, samlName, []byte(strings.Repeat("x", 1200))},
		{"DOCTYPE", samlAcct, samlName, []byte(`<!DOCTYPE md [<!ENTITY x "y">]>` + string(md[len(`<?xml version="1.0" encoding="UTF-8"?>`):]))},
		{"root is not EntityDescriptor", samlAcct, samlName, []byte(strings.Replace(strings.Replace(string(metadata(ent, kd("signing", cert(idp.Cert)))), "md:EntityDescriptor", "md:EntitiesDescriptor", -1), "", "", 1))},
		{"no entityID", samlAcct, samlName, metadata("", kd("signing", cert(idp.Cert)))},
		{"no IDPSSODescriptor", samlAcct, samlName, []byte(strings.Replace(string(metadata(ent, kd("signing", cert(idp.Cert)))), "md:IDPSSODescriptor", "md:SPSSODescriptor", -1))},
		{"encryption key only", samlAcct, samlName, metadata(ent, kd("encryption", cert(idp.Cert)))},
		{"certificate not base64", samlAcct, samlName, metadata(ent, kd("signing", "!!!"+strings.Repeat("A", 100)))},
		{"certificate not DER", samlAcct, samlName, metadata(ent, kd("signing", base64.StdEncoding.EncodeToString([]byte("hello"))))},
		{"ECDSA certificate", samlAcct, samlName, metadata(ent, kd("signing", ecCert))},
		{"validUntil not a date", samlAcct, samlName, metadata(ent+` validUntil="tomorrow"`, kd("signing", cert(idp.Cert)))},
		{"ISO-8859-1 declared", samlAcct, samlName, []byte(strings.Replace(string(md), `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1))},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSAMLProvider(tc.acct, tc.provName, tc.md)
			var pe *ProviderError
			if !errors.Is(err, ErrInvalidProvider) || !errors.As(err, &pe) || pe.Reason == "" {
				t.Errorf("err = %v, want a ProviderError", err)
			}
		})
	}
	if _, err := NewSAMLProviderIn("aws-iso", samlAcct, samlName, md); !errors.Is(err, ErrInvalidProvider) {
		t.Errorf("aws-iso: %v", err)
	}
	broken := *p
	broken.ARN = "arn:aws:iam::111111111111:saml-provider/Other"
	if err := broken.Validate(); !errors.Is(err, ErrInvalidProvider) {
		t.Errorf("ARN not naming Name accepted: %v", err)
	}
}

// TestSAMLRoundTrip: a valid response gives exactly the identity AWS
// describes, with NameQualifier computed by hand from the formula of
// API_AssumeRoleWithSAML.html.
func TestSAMLRoundTrip(t *testing.T) {
	t.Logf("AWS: %s; %s; %s", docAWRWSAML, docSAMLAssert, docSAMLUserID)
	p := samlProvider(t)
	b64 := mintWith(t, func(o *SAMLResponseOptions) {
		o.Roles = []SAMLRole{{"arn:aws:iam::111111111111:role/Other", samlProvARN}, {samlRole, samlProvARN}}
		o.SessionDuration = 1800 * time.Second
		o.SessionNotOnOrAfter = t0.Add(8 * time.Hour)
		o.SourceIdentity = "alice"
		o.Tags = []Tag{{"Project", "Marketing"}, {"CostCenter", "12345"}}
		o.TransitiveTagKeys = []string{"Project", "CostCenter"}
		o.Attributes = []SAMLAttribute{
			{"urn:oid:1.3.6.1.4.1.5923.1.1.1.1", []string{"staff", "member"}},
			{"urn:oid:1.3.6.1.4.1.5923.1.1.1.6", []string{"alice@example.edu"}},
		}
		o.Lifetime = 4 * time.Minute
	})
	got, err := verifySAML(p, b64, samlRole, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte("https://idp.example.com/saml" + "111111111111" + "/ExampleIdP"))
	want := &SAMLIdentity{
		Issuer:              samlEntity,
		Subject:             "alice@example.com",
		SubjectType:         "persistent",
		Audience:            "https://signin.aws.amazon.com/saml",
		Audiences:           []string{"urn:amazon:webservices"},
		NameQualifier:       base64.StdEncoding.EncodeToString(sum[:]),
		RoleARN:             samlRole,
		RoleSessionName:     "alice@example.com",
		SessionDuration:     30 * time.Minute,
		SessionNotOnOrAfter: t0.Add(8 * time.Hour),
		IssueInstant:        t0,
		NotOnOrAfter:        t0.Add(4 * time.Minute),
		Tags:                []Tag{{"CostCenter", "12345"}, {"Project", "Marketing"}},
		TransitiveTagKeys:   []string{"Project", "CostCenter"},
		SourceIdentity:      "alice",
		HasSourceIdentity:   true,
		Attributes: map[string][]string{
			attrRole:                           {"arn:aws:iam::111111111111:role/Other," + samlProvARN, samlRole + "," + samlProvARN},
			attrSessionName:                    {"alice@example.com"},
			attrDuration:                       {"1800"},
			attrSourceID:                       {"alice"},
			attrTagPrefix + "Project":          {"Marketing"},
			attrTagPrefix + "CostCenter":       {"12345"},
			attrTransitive:                     {"Project", "CostCenter"},
			"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": {"staff", "member"},
			"urn:oid:1.3.6.1.4.1.5923.1.1.1.6": {"alice@example.edu"},
		},
		AttributeKeys: map[string][]string{
			"saml:edupersonaffiliation":   {"staff", "member"},
			"saml:edupersonprincipalname": {"alice@example.edu"},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(SAMLIdentity{}, "Provider")); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
	if got.Provider != p {
		t.Error("Provider is not the verifying provider")
	}

	c := condition.NewContext()
	got.SetConditionKeys(c)
	for key, want := range map[string][]string{
		"saml:aud":                    {"https://signin.aws.amazon.com/saml"},
		"saml:iss":                    {samlEntity},
		"saml:sub":                    {"alice@example.com"},
		"saml:sub_type":               {"persistent"},
		"saml:namequalifier":          {base64.StdEncoding.EncodeToString(sum[:])},
		"saml:doc":                    {"111111111111/ExampleIdP"},
		"SAML:edupersonaffiliation":   {"staff", "member"},
		"saml:edupersonprincipalname": {"alice@example.edu"},
		"aws:FederatedProvider":       {samlProvARN},
	} {
		v, ok := c.Lookup(key)
		if !ok || fmt.Sprint(v.Strings()) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", key, v.Strings(), want)
		}
	}
	if v, _ := c.Lookup("saml:edupersonaffiliation"); !v.Multi() {
		t.Error("saml:edupersonaffiliation is not a list")
	}
	if v, _ := c.Lookup("saml:edupersonprincipalname"); v.Multi() {
		t.Error("saml:edupersonprincipalname is a list")
	}
}

// TestSAMLAccepts: each rule's accepting edge, with the page it comes
// from.
func TestSAMLAccepts(t *testing.T) {
	p := samlProvider(t)
	tests := []struct {
		name, doc string
		b64       string
		now       time.Time
		check     func(*SAMLIdentity) string
	}{
		{name: "assertion signed", doc: docAWRWSAML, b64: mintWith(t, nil)},
		{name: "response signed", doc: docAWRWSAML, b64: mintWith(t, func(o *SAMLResponseOptions) { o.Sign = SignResponse })},
		{name: "both signed", doc: docAWRWSAML, b64: mintWith(t, func(o *SAMLResponseOptions) { o.Sign = SignBoth })},
		{name: "regional recipient", doc: docSAMLAssert,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Recipient = "https://eu-west-1.signin.aws.amazon.com/saml" }),
			check: func(id *SAMLIdentity) string {
				return want(id.Audience, "https://eu-west-1.signin.aws.amazon.com/saml")
			}},
		{name: "static recipient", doc: docSAMLAssert,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Recipient = "https://signin.aws.amazon.com/static/saml" })},
		{name: "audience is the sign-in URL", doc: docSAMLAssert,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Audience = "https://signin.aws.amazon.com/saml" })},
		{name: "role pair in provider,role order", doc: docSAMLAssert,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Roles = []SAMLRole{{samlProvARN, samlRole}} })},
		{name: "role pair with a space after the comma", doc: docSAMLAssert,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Roles = []SAMLRole{{samlRole, " " + samlProvARN}} })},
		{name: "transient NameID", doc: docSAMLKeys,
			b64:   mintWith(t, func(o *SAMLResponseOptions) { o.NameIDFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient" }),
			check: func(id *SAMLIdentity) string { return want(id.SubjectType, "transient") }},
		{name: "emailAddress NameID keeps its full format", doc: docAWRWSAML,
			b64: mintWith(t, func(o *SAMLResponseOptions) {
				o.NameIDFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
			}),
			check: func(id *SAMLIdentity) string {
				return want(id.SubjectType, "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
			}},
		{name: "NameID without Format is unspecified", doc: docAWRWSAML,
			b64: resigned(t, func(a *etree.Element) { find(a, "NameID").RemoveAttr("Format") }),
			check: func(id *SAMLIdentity) string {
				return want(id.SubjectType, "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")
			}},
		{name: "used 4 min 59 s after issuance", doc: docSAMLTrouble, now: t0.Add(4*time.Minute + 59*time.Second),
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Lifetime = time.Hour })},
		{name: "NotOnOrAfter passed 59 s ago (clock skew)", doc: docSAMLAssert, now: t0.Add(2*time.Minute + 59*time.Second),
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Lifetime = 2 * time.Minute })},
		{name: "issued 59 s in the future (clock skew)", doc: docSAMLAssert, now: t0.Add(-59 * time.Second), b64: mintWith(t, nil)},
		{name: "SessionDuration 900", doc: docSAMLAssert,
			b64:   mintWith(t, func(o *SAMLResponseOptions) { o.SessionDuration = 900 * time.Second }),
			check: func(id *SAMLIdentity) string { return want(id.SessionDuration.String(), "15m0s") }},
		{name: "SessionDuration 43200", doc: docSAMLAssert,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.SessionDuration = 43200 * time.Second })},
		{name: "RoleSessionName of 2 and 64 characters", doc: docSAMLTrouble,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.RoleSessionName = "ab" })},
		{name: "RoleSessionName of 64 characters", doc: docSAMLTrouble,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.RoleSessionName = strings.Repeat("a", 62) + "+=" })},
		{name: "base64 in 76-character lines", doc: docAWRWSAML, b64: wrap(mintWith(t, nil), 76)},
		{name: "attribute values and NameID trimmed", doc: docSAMLAssert,
			b64: resigned(t, func(a *etree.Element) {
				attribute(a, attrSessionName).SelectElement("AttributeValue").SetText("\n    alice@example.com\n  ")
				find(a, "NameID").SetText("\n alice@example.com ")
			}),
			check: func(id *SAMLIdentity) string {
				return want(id.RoleSessionName+"|"+id.Subject, "alice@example.com|alice@example.com")
			}},
		{name: "several AttributeStatements", doc: docSAMLAssert,
			b64: resigned(t, func(a *etree.Element) {
				st := a.SelectElement("AttributeStatement")
				at := attribute(a, attrSessionName)
				st.RemoveChild(at)
				a.AddChild(etree.NewElement("saml:AttributeStatement"))
				a.ChildElements()[len(a.ChildElements())-1].AddChild(at)
			})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			now := tc.now
			if now.IsZero() {
				now = t0.Add(time.Minute)
			}
			id, err := verifySAML(p, tc.b64, samlRole, now)
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				if msg := tc.check(id); msg != "" {
					t.Error(msg)
				}
			}
		})
	}

	// AWS names no signature algorithm; goxmldsig's RSA methods are taken,
	// SHA-1 included (ADFS's older default).
	for _, m := range []string{dsig.RSASHA1SignatureMethod, dsig.RSASHA256SignatureMethod, dsig.RSASHA512SignatureMethod} {
		t.Run("signature method "+m, func(t *testing.T) {
			idp, _ := testIdPs(t)
			doc, err := idp.responseDoc(samlOpts(), t0)
			if err != nil {
				t.Fatal(err)
			}
			a := assertionOf(doc)
			a.RemoveChild(a.SelectElement("Signature"))
			ctx, err := dsig.NewSigningContext(idp.Key, [][]byte{idp.Cert.Raw})
			if err != nil {
				t.Fatal(err)
			}
			ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
			if err := ctx.SetSignatureMethod(m); err != nil {
				t.Fatal(err)
			}
			sig, err := ctx.ConstructSignature(a, true)
			if err != nil {
				t.Fatal(err)
			}
			a.InsertChildAt(1, sig)
			b, _ := doc.WriteToBytes()
			if _, err := verifySAML(p, base64.StdEncoding.EncodeToString(b), samlRole, t0); err != nil {
				t.Fatal(err)
			}
		})
	}

	t.Run("aws-cn provider and endpoint", func(t *testing.T) {
		t.Logf("AWS: %s", docSAMLAssert)
		idp, _ := testIdPs(t)
		cn, err := NewSAMLProviderIn("aws-cn", samlAcct, samlName, idp.Metadata())
		if err != nil {
			t.Fatal(err)
		}
		o := samlOpts()
		o.Roles = []SAMLRole{{"arn:aws-cn:iam::111111111111:role/SAMLDeveloper", cn.ARN}}
		o.Recipient = "https://signin.amazonaws.cn/saml"
		if _, err := verifySAML(cn, mint(t, idp, o), "arn:aws-cn:iam::111111111111:role/SAMLDeveloper", t0); err != nil {
			t.Fatal(err)
		}
		// The aws partition's endpoint is not China's.
		o.Recipient = "https://signin.aws.amazon.com/saml"
		if _, err := verifySAML(cn, mint(t, idp, o), "arn:aws-cn:iam::111111111111:role/SAMLDeveloper", t0); err == nil {
			t.Fatal("aws endpoint accepted by an aws-cn provider")
		}
	})
}

func want(got, want string) string {
	if got != want {
		return fmt.Sprintf("got %q, want %q", got, want)
	}
	return ""
}

func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

type samlReject struct {
	name     string
	doc      string // the AWS page or attack reference
	b64      string
	p        *SAMLProvider
	role     string
	now      time.Time
	wantCode string
	wantMsg  string // exact; "" means any
}

func runRejects(t *testing.T, tests []samlReject) {
	t.Helper()
	p := samlProvider(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("ref: %s", tc.doc)
			now, prov, role := tc.now, tc.p, tc.role
			if now.IsZero() {
				now = t0.Add(time.Minute)
			}
			if prov == nil {
				prov = p
			}
			if role == "" {
				role = samlRole
			}
			id, err := verifySAML(prov, tc.b64, role, now)
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (identity %+v), want a *federation.Error %s", err, id, tc.wantCode)
			}
			t.Logf("%s %q (%s)", fe.Code, fe.Message, fe.Reason)
			if fe.Code != tc.wantCode || (tc.wantMsg != "" && fe.Message != tc.wantMsg) {
				t.Errorf("got %s %q (%s), want %s %q", fe.Code, fe.Message, fe.Reason, tc.wantCode, tc.wantMsg)
			}
			if fe.Message == "" || fe.Reason == "" {
				t.Errorf("error without message or reason: %#v", fe)
			}
			if strings.Contains(fe.Message, fe.Reason) {
				t.Errorf("the reason %q leaks into the message", fe.Reason)
			}
		})
	}
}

// TestSAMLAttacks is the attack table: forged, wrapped, replayed and
// misdirected responses are all refused.
func TestSAMLAttacks(t *testing.T) {
	_, idp2 := testIdPs(t)
	valid := mintWith(t, nil)
	respSigned := mintWith(t, func(o *SAMLResponseOptions) { o.Sign = SignResponse })
	const inv, exp = "InvalidIdentityToken", "ExpiredTokenException"

	unsigned := mutate(t, valid, func(d *etree.Document) {
		a := assertionOf(d)
		a.RemoveChild(a.SelectElement("Signature"))
	})
	wrapExtensions := mutate(t, valid, func(d *etree.Document) {
		r := d.Root()
		a := assertionOf(d)
		ext := etree.NewElement("samlp:Extensions")
		r.InsertChildAt(a.Index(), ext)
		r.RemoveChild(a)
		ext.AddChild(a)
		r.AddChild(evilTwin(a))
	})
	siblingBefore := mutate(t, valid, func(d *etree.Document) {
		a := assertionOf(d)
		d.Root().InsertChildAt(a.Index(), evilTwin(a))
	})
	siblingAfter := mutate(t, valid, func(d *etree.Document) {
		a := assertionOf(d)
		d.Root().InsertChildAt(a.Index()+1, evilTwin(a))
	})
	// The signed assertion hidden inside the twin's SubjectConfirmationData.
	nested := mutate(t, valid, func(d *etree.Document) {
		a := assertionOf(d)
		e := evilTwin(a)
		d.Root().RemoveChild(a)
		find(e, "SubjectConfirmationData").AddChild(a)
		d.Root().AddChild(e)
	})
	// The assertion's signature moved up to the Response, beside a twin.
	movedSig := mutate(t, valid, func(d *etree.Document) {
		r := d.Root()
		a := assertionOf(d)
		sig := a.SelectElement("Signature")
		a.RemoveChild(sig)
		r.InsertChildAt(1, sig)
		r.RemoveChild(a)
		r.AddChild(evilTwin(a))
	})
	// A signed Response whose assertion is swapped for a twin.
	respSwapped := mutate(t, respSigned, func(d *etree.Document) {
		a := assertionOf(d)
		d.Root().InsertChildAt(a.Index(), evilTwin(a))
		d.Root().RemoveChild(a)
	})
	twoSigned := mutate(t, valid, func(d *etree.Document) {
		other := assertionOf(etreeDoc(t, mintWith(t, func(o *SAMLResponseOptions) { o.NameID = "bob"; o.RoleSessionName = "bob" })))
		d.Root().AddChild(other)
	})
	encrypted := mutate(t, valid, func(d *etree.Document) {
		a := assertionOf(d)
		e := etree.NewElement("saml:EncryptedAssertion")
		d.Root().InsertChildAt(a.Index(), e)
		d.Root().RemoveChild(a)
	})
	tamper := func(b64 string) string {
		return mutate(t, b64, func(d *etree.Document) {
			for _, v := range d.FindElements(".//AttributeValue") {
				if strings.HasPrefix(v.Text(), "alice") {
					v.SetText("blice" + v.Text()[5:])
				}
			}
		})
	}
	flipAttribute := tamper(valid)
	flipResponse := tamper(respSigned)
	doctype := edit(t, valid, func(s string) string {
		return strings.Replace(s, "?>", "?>\n<!DOCTYPE samlp:Response [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>", 1)
	})
	entity := edit(t, valid, func(s string) string {
		return strings.Replace(s, ">alice@example.com</saml:NameID>", ">&xxe;</saml:NameID>", 1)
	})
	external := edit(t, valid, func(s string) string {
		return strings.Replace(s, "?>", "?>\n<!DOCTYPE r SYSTEM \"file:///etc/passwd\">", 1)
	})
	oversized := mintWith(t, func(o *SAMLResponseOptions) {
		o.Attributes = []SAMLAttribute{{"pad", []string{strings.Repeat("x", MaxSAMLAssertionLen)}}}
	})
	otherProvider, err := NewSAMLProvider(samlAcct, "OtherIdP", samlIdP.Metadata())
	if err != nil {
		t.Fatal(err)
	}

	runRejects(t, []samlReject{
		{name: "unsigned response", doc: docSAMLTrouble, b64: unsigned, wantCode: inv, wantMsg: msgSAMLSignature},
		{name: "XSW: signed assertion wrapped in Extensions, unsigned twin", doc: refXSW, b64: wrapExtensions, wantCode: inv},
		{name: "XSW: unsigned twin before the signed assertion", doc: refXSW, b64: siblingBefore, wantCode: inv},
		{name: "XSW: unsigned twin after the signed assertion", doc: refXSW, b64: siblingAfter, wantCode: inv},
		{name: "XSW: signed assertion nested in the twin", doc: refXSW, b64: nested, wantCode: inv},
		{name: "XSW: assertion signature moved to the Response", doc: refXSW, b64: movedSig, wantCode: inv, wantMsg: msgSAMLSignature},
		{name: "XSW: signed Response, assertion swapped", doc: refXSW, b64: respSwapped, wantCode: inv, wantMsg: msgSAMLSignature},
		{name: "two signed assertions", doc: docSAMLAssert, b64: twoSigned, wantCode: inv},
		{name: "encrypted assertion (not supported)", doc: docSAMLAssert, b64: encrypted, wantCode: inv},
		{name: "signed by a certificate not in the metadata", doc: docSAMLTrouble, b64: mint(t, idp2, samlOpts()), wantCode: inv, wantMsg: msgSAMLSignature},
		{name: "attribute value changed under the assertion's signature", doc: docSAMLTrouble, b64: flipAttribute, wantCode: inv, wantMsg: msgSAMLSignature},
		{name: "attribute value changed under the response's signature", doc: docSAMLTrouble, b64: flipResponse, wantCode: inv, wantMsg: msgSAMLSignature},
		{name: "wrong Recipient", doc: docSAMLAssert, wantCode: inv,
			b64: mintWith(t, func(o *SAMLResponseOptions) {
				o.Recipient = "https://signin.evil.example/saml"
				o.Destination = "https://signin.aws.amazon.com/saml"
			})},
		{name: "Recipient on another path", doc: docSAMLAssert, wantCode: inv,
			b64: mintWith(t, func(o *SAMLResponseOptions) {
				o.Recipient = "https://signin.aws.amazon.com/saml/other"
				o.Destination = "https://signin.aws.amazon.com/saml"
			})},
		{name: "Recipient over http", doc: docSAMLAssert, wantCode: inv,
			b64: mintWith(t, func(o *SAMLResponseOptions) {
				o.Recipient = "http://signin.aws.amazon.com/saml"
				o.Destination = "https://signin.aws.amazon.com/saml"
			})},
		{name: "expired NotOnOrAfter", doc: docSAMLAssert, wantCode: exp, wantMsg: msgSAMLExpired, now: t0.Add(3*time.Minute + time.Second),
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Lifetime = 2 * time.Minute })},
		{name: "redeemed 5 minutes after issuance", doc: docSAMLTrouble, wantCode: exp, wantMsg: msgSAMLRedeem, now: t0.Add(5 * time.Minute),
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Lifetime = time.Hour })},
		{name: "IssueInstant in the future", doc: docSAMLAssert, wantCode: inv, now: t0.Add(-61 * time.Second), b64: valid},
		{name: "NotBefore in the future", doc: docSAMLAssert, wantCode: inv, b64: resigned(t, func(a *etree.Element) {
			a.SelectElement("Conditions").CreateAttr("NotBefore", "2026-12-02T12:02:01Z")
		})},
		{name: "wrong Destination", doc: docSAMLAssert, wantCode: inv,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Destination = "https://sp.evil.example/acs" })},
		{name: "wrong Audience", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLAudience,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.Audience = "urn:amazon:evil" })},
		{name: "Role pair naming another provider", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLRole,
			b64: mintWith(t, func(o *SAMLResponseOptions) {
				o.Roles = []SAMLRole{{samlRole, "arn:aws:iam::111111111111:saml-provider/OtherIdP"}}
			})},
		{name: "verified by the provider the pair does not name", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLRole,
			p: otherProvider, b64: valid},
		{name: "Role pair naming another role", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLRole,
			role: "arn:aws:iam::111111111111:role/Admin", b64: valid},
		{name: "Role attribute missing", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLRole,
			b64: resigned(t, func(a *etree.Element) {
				at := attribute(a, attrRole)
				at.Parent().RemoveChild(at)
			})},
		{name: "RoleSessionName with a space", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSessionName,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.RoleSessionName = "Alice Example" })},
		{name: "RoleSessionName of 1 character", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSessionName,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.RoleSessionName = "a" })},
		{name: "RoleSessionName of 65 characters", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSessionName,
			b64: mintWith(t, func(o *SAMLResponseOptions) { o.RoleSessionName = strings.Repeat("a", 65) })},
		{name: "DOCTYPE with entity expansion", doc: docAWRWSAML, b64: doctype, wantCode: inv},
		{name: "undeclared entity", doc: docAWRWSAML, b64: entity, wantCode: inv},
		{name: "external DTD", doc: docAWRWSAML, b64: external, wantCode: inv},
		{name: "oversized input", doc: docAWRWSAML, b64: oversized, wantCode: inv},
	})
}

func etreeDoc(t testing.TB, b64 string) *etree.Document {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(raw); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSAMLCommentInNameID: a comment added inside signed text after
// signing keeps the signature valid (exclusive canonicalization drops
// comments), so the text must be read whole from the signed copy:
// "admin@evil.example", never "admin" (VU#475445).
func TestSAMLCommentInNameID(t *testing.T) {
	t.Logf("ref: %s; AWS: %s", refComments, docSAMLAssert)
	p := samlProvider(t)
	for _, sign := range []SAMLSigning{SignAssertion, SignResponse, SignBoth} {
		b64 := mintWith(t, func(o *SAMLResponseOptions) {
			o.NameID, o.RoleSessionName, o.Sign = "admin@evil.example", "admin@evil.example", sign
		})
		b64 = edit(t, b64, func(s string) string {
			s = strings.Replace(s, ">admin@evil.example</saml:NameID>", ">admin<!---->@evil.example</saml:NameID>", 1)
			return strings.Replace(s, "<saml:AttributeValue>admin@evil.example<", "<saml:AttributeValue>admin<!-- x -->@evil.example<", 1)
		})
		if !strings.Contains(string(must(base64.StdEncoding.DecodeString(b64))), "admin<!---->@evil.example") {
			t.Fatal("the comment was not inserted")
		}
		id, err := verifySAML(p, b64, samlRole, t0)
		if err != nil {
			// Refusing is also safe; this package reads the canonical text.
			t.Fatalf("sign %d: %v", sign, err)
		}
		if id.Subject != "admin@evil.example" || id.RoleSessionName != "admin@evil.example" {
			t.Errorf("sign %d: Subject %q, RoleSessionName %q; want the whole text", sign, id.Subject, id.RoleSessionName)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestSAMLRejects: one case per rule of the AWS pages, each refused with
// AWS's code (and message, where AWS's is known).
func TestSAMLRejects(t *testing.T) {
	const inv, exp, denied = "InvalidIdentityToken", "ExpiredTokenException", "AccessDenied"
	sel := func(a *etree.Element, path string) *etree.Element {
		el := a.FindElement(path)
		if el == nil {
			t.Fatalf("no %s", path)
		}
		return el
	}
	remove := func(a *etree.Element, path string) {
		el := sel(a, path)
		el.Parent().RemoveChild(el)
	}
	setAttr := func(name string, values ...string) func(*etree.Element) {
		return func(a *etree.Element) {
			at := attribute(a, name)
			if at == nil {
				at = a.SelectElement("AttributeStatement").CreateElement("saml:Attribute")
				at.CreateAttr("Name", name)
			}
			for _, v := range at.SelectElements("AttributeValue") {
				at.RemoveChild(v)
			}
			for _, v := range values {
				at.CreateElement("saml:AttributeValue").SetText(v)
			}
		}
	}
	respSigned := func(mod func(r *etree.Element)) string {
		idp, _ := testIdPs(t)
		o := samlOpts()
		o.Sign = SignResponse
		doc, err := idp.responseDoc(o, t0)
		if err != nil {
			t.Fatal(err)
		}
		r := doc.Root()
		r.RemoveChild(r.SelectElement("Signature"))
		mod(r)
		signed, err := idp.sign(r)
		if err != nil {
			t.Fatal(err)
		}
		doc.SetRoot(signed)
		b, _ := doc.WriteToBytes()
		return base64.StdEncoding.EncodeToString(b)
	}
	idp, _ := testIdPs(t)
	runRejects(t, []samlReject{
		// troubleshoot_saml.html
		{name: "Issuer of another IdP", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLIssuer,
			b64: resigned(t, func(a *etree.Element) { sel(a, "Issuer").SetText("https://other.example.com/saml") })},
		{name: "no Issuer", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLIssuer,
			b64: resigned(t, func(a *etree.Element) { remove(a, "Issuer") })},
		{name: "Response Issuer of another IdP", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLIssuer,
			b64: respSigned(func(r *etree.Element) { r.SelectElement("Issuer").SetText("https://other.example.com/saml") })},
		{name: "no RoleSessionName", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLNoSession,
			b64: resigned(t, func(a *etree.Element) { at := attribute(a, attrSessionName); at.Parent().RemoveChild(at) })},
		{name: "two RoleSessionNames", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLSessionName,
			b64: resigned(t, setAttr(attrSessionName, "alice", "bob"))},
		{name: "SourceIdentity starting aws:", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSourceID,
			b64: resigned(t, setAttr(attrSourceID, "aws:alice"))},
		{name: "SourceIdentity of 1 character", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSourceID,
			b64: resigned(t, setAttr(attrSourceID, "a"))},
		{name: "SourceIdentity with a space", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSourceID,
			b64: resigned(t, setAttr(attrSourceID, "Alice Example"))},
		{name: "no NameID", doc: docSAMLTrouble, wantCode: denied, wantMsg: msgSAMLNotAuth,
			b64: resigned(t, func(a *etree.Element) { remove(a, "Subject/NameID") })},
		{name: "empty NameID", doc: docSAMLTrouble, wantCode: denied, wantMsg: msgSAMLNotAuth,
			b64: resigned(t, func(a *etree.Element) { sel(a, "Subject/NameID").SetText("") })},
		{name: "no Subject", doc: docSAMLTrouble, wantCode: denied, wantMsg: msgSAMLNotAuth,
			b64: resigned(t, func(a *etree.Element) { remove(a, "Subject") })},
		{name: "certificate expired", doc: docSAMLTrouble, wantCode: inv, wantMsg: msgSAMLSignature,
			now: idp.Cert.NotAfter.Add(time.Second), b64: mintAt(t, idp, samlOpts(), idp.Cert.NotAfter.Add(time.Second))},

		// id_roles_providers_create_saml_assertions.html, Subject
		{name: "two SubjectConfirmations", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLConfirmation,
			b64: resigned(t, func(a *etree.Element) {
				s := sel(a, "Subject")
				s.AddChild(s.SelectElement("SubjectConfirmation").Copy())
			})},
		{name: "holder-of-key confirmation", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLConfirmation,
			b64: resigned(t, func(a *etree.Element) {
				sel(a, "Subject/SubjectConfirmation").CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")
			})},
		{name: "no Recipient", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLConfirmation,
			b64: resigned(t, func(a *etree.Element) {
				sel(a, "Subject/SubjectConfirmation/SubjectConfirmationData").RemoveAttr("Recipient")
			})},
		{name: "no NotOnOrAfter", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLConfirmation,
			b64: resigned(t, func(a *etree.Element) {
				sel(a, "Subject/SubjectConfirmation/SubjectConfirmationData").RemoveAttr("NotOnOrAfter")
			})},
		{name: "no SubjectConfirmationData", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLConfirmation,
			b64: resigned(t, func(a *etree.Element) { remove(a, "Subject/SubjectConfirmation/SubjectConfirmationData") })},
		{name: "NotOnOrAfter not a date", doc: docSAMLAssert, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) {
				sel(a, "Subject/SubjectConfirmation/SubjectConfirmationData").CreateAttr("NotOnOrAfter", "soon")
			})},
		{name: "encrypted NameID", doc: docSAMLAssert, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) {
				remove(a, "Subject/NameID")
				sel(a, "Subject").InsertChildAt(0, etree.NewElement("saml:EncryptedID"))
			})},

		// Conditions and audience
		{name: "no Conditions", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLAudience,
			b64: resigned(t, func(a *etree.Element) { remove(a, "Conditions") })},
		{name: "no AudienceRestriction", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLAudience,
			b64: resigned(t, func(a *etree.Element) { remove(a, "Conditions/AudienceRestriction") })},
		{name: "a second AudienceRestriction for another SP", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLAudience,
			b64: resigned(t, func(a *etree.Element) {
				c := sel(a, "Conditions")
				ar := c.SelectElement("AudienceRestriction").Copy()
				ar.SelectElement("Audience").SetText("https://sp.example.com")
				c.AddChild(ar)
			})},
		{name: "unknown condition", doc: docSAMLAssert, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) { sel(a, "Conditions").CreateElement("saml:Condition") })},
		{name: "Conditions expired while the confirmation is not", doc: docSAMLAssert, wantCode: exp, wantMsg: msgSAMLExpired,
			now: t0.Add(2 * time.Minute), b64: resigned(t, func(a *etree.Element) {
				sel(a, "Conditions").CreateAttr("NotOnOrAfter", "2026-12-02T12:00:30Z")
			})},
		{name: "SessionNotOnOrAfter passed", doc: docAWRWSAML, wantCode: exp, wantMsg: msgSAMLExpired,
			b64: resigned(t, func(a *etree.Element) {
				sel(a, "AuthnStatement").CreateAttr("SessionNotOnOrAfter", "2026-12-02T12:00:30Z")
			})},

		// Attributes
		{name: "SessionDuration 899", doc: docSAMLAssert, wantCode: inv, b64: resigned(t, setAttr(attrDuration, "899"))},
		{name: "SessionDuration 43201", doc: docSAMLAssert, wantCode: inv, b64: resigned(t, setAttr(attrDuration, "43201"))},
		{name: "SessionDuration not a number", doc: docSAMLAssert, wantCode: inv, b64: resigned(t, setAttr(attrDuration, "1h"))},
		{name: "two SessionDurations", doc: docSAMLAssert, wantCode: inv, b64: resigned(t, setAttr(attrDuration, "900", "1800"))},
		{name: "PrincipalTag with two values", doc: docSAMLAssert, wantCode: inv,
			b64: resigned(t, setAttr(attrTagPrefix+"Project", "a", "b"))},
		{name: "Role value without a comma", doc: docSAMLAssert, wantCode: inv, wantMsg: msgSAMLRole,
			b64: resigned(t, setAttr(attrRole, samlRole))},
		{name: "Role value with an element inside", doc: docSAMLAssert, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) {
				attribute(a, attrRole).SelectElement("AttributeValue").CreateElement("x")
			})},
		{name: "encrypted attribute", doc: docSAMLAssert, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) { sel(a, "AttributeStatement").CreateElement("saml:EncryptedAttribute") })},

		// The Response
		{name: "Status Requester", doc: docAWRWSAML, wantCode: inv,
			b64: respSigned(func(r *etree.Element) {
				r.FindElement("Status/StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Requester")
			})},
		{name: "no Status", doc: docAWRWSAML, wantCode: inv,
			b64: respSigned(func(r *etree.Element) { r.RemoveChild(r.SelectElement("Status")) })},
		{name: "Response Version 1.1", doc: docAWRWSAML, wantCode: inv,
			b64: respSigned(func(r *etree.Element) { r.CreateAttr("Version", "1.1") })},
		{name: "Assertion Version 1.1", doc: docAWRWSAML, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) { a.CreateAttr("Version", "1.1") })},
		{name: "no IssueInstant", doc: docAWRWSAML, wantCode: inv,
			b64: resigned(t, func(a *etree.Element) { a.RemoveAttr("IssueInstant") })},
		{name: "Status forged on an unsigned envelope", doc: docAWRWSAML, wantCode: inv,
			b64: mutate(t, mintWith(t, nil), func(d *etree.Document) {
				d.Root().FindElement("Status/StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")
			})},
	})
}

func mintAt(t testing.TB, idp *SAMLTestIdP, opt SAMLResponseOptions, now time.Time) string {
	t.Helper()
	b64, err := idp.Response(opt, now)
	if err != nil {
		t.Fatal(err)
	}
	return b64
}

// TestParseSAMLResponse: the SAMLAssertion member's limits
// (API_AssumeRoleWithSAML.html) and what the XML reader refuses.
func TestParseSAMLResponse(t *testing.T) {
	t.Logf("AWS: %s", docAWRWSAML)
	b := base64.StdEncoding.EncodeToString
	deep := strings.Repeat("<a>", 70) + strings.Repeat("</a>", 70)
	resp := func(inner string) string {
		return b([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0">` + inner + `</samlp:Response>`))
	}
	for _, tc := range []struct {
		name, in, wantMsg string
	}{
		{"3 characters", "YWJ", msgSAMLInvalid},
		{"100,001 characters", strings.Repeat("A", MaxSAMLAssertionLen+1), msgSAMLInvalid},
		{"not base64", "not base64!", msgSAMLBase64},
		{"base64url", strings.ReplaceAll(strings.ReplaceAll(b([]byte("<?xml?>\xff\xfe\xfd")), "/", "_"), "+", "-"), msgSAMLBase64},
		{"unpadded", strings.TrimRight(b([]byte("<x/>a")), "="), msgSAMLBase64},
		{"not XML", b([]byte("hello, world")), msgSAMLInvalid},
		{"not UTF-8", b([]byte("<samlp:Response>\xff</samlp:Response>")), msgSAMLInvalid},
		{"an Assertion, not a Response", b([]byte(`<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>`)), msgSAMLInvalid},
		{"a Response in another namespace", b([]byte(`<Response xmlns="urn:evil"/>`)), msgSAMLInvalid},
		{"duplicate attribute", resp(`<x a="1" a="2"/>`), msgSAMLInvalid},
		{"nested 70 deep", resp(deep), msgSAMLInvalid},
		{"DOCTYPE", b([]byte(`<!DOCTYPE r><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`)), msgSAMLInvalid},
		{"two roots", b([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/><x/>`)), msgSAMLInvalid},
		{"text after the root", b([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>text`)), msgSAMLInvalid},
		{"UTF-16 declared", b([]byte(`<?xml version="1.0" encoding="UTF-16"?><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`)), msgSAMLInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSAMLResponse(tc.in)
			var fe *Error
			if !errors.As(err, &fe) || fe.Code != "InvalidIdentityToken" || fe.Message != tc.wantMsg || fe.Reason == "" {
				t.Fatalf("err = %#v, want InvalidIdentityToken %q", err, tc.wantMsg)
			}
			t.Logf("%s", fe.Reason)
		})
	}
	if _, err := ParseSAMLResponse(resp("")); err != nil {
		t.Errorf("a minimal Response: %v", err)
	}
}

// TestSAMLAttributeKeys: each row of AWS's attribute tables
// (id_roles_providers_create_saml_assertions.html#saml-attribute-mapping)
// becomes its saml: key, a list where the condition keys page marks it
// "[]".
func TestSAMLAttributeKeys(t *testing.T) {
	t.Logf("AWS: %s#saml-attribute-mapping; %s", docSAMLAssert, docSAMLKeys)
	p := samlProvider(t)
	for _, tc := range []struct {
		name, key string
		list      bool
	}{
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "saml:edupersonaffiliation", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.2", "saml:edupersonnickname", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.3", "saml:edupersonorgdn", false},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.4", "saml:edupersonorgunitdn", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.5", "saml:edupersonprimaryaffiliation", false},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "saml:edupersonprincipalname", false},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.7", "saml:edupersonentitlement", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.8", "saml:edupersonprimaryorgunitdn", false},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.9", "saml:edupersonscopedaffiliation", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.10", "saml:edupersontargetedid", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.1.1.11", "saml:edupersonassurance", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.2.1.2", "saml:eduorghomepageuri", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.2.1.3", "saml:eduorgidentityauthnpolicyuri", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "saml:eduorglegalname", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.2.1.5", "saml:eduorgsuperioruri", true},
		{"urn:oid:1.3.6.1.4.1.5923.1.2.1.6", "saml:eduorgwhitepagesuri", true},
		{"urn:oid:2.5.4.3", "saml:cn", true},
		{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", "saml:name", false},
		{"http://schemas.xmlsoap.org/claims/CommonName", "saml:commonName", false},
		{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "saml:givenName", false},
		{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "saml:surname", false},
		{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "saml:mail", false},
		{"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid", "saml:primaryGroupSID", false},
		{"2.5.4.3", "saml:commonName", false},
		{"2.5.4.4", "saml:surname", false},
		{"2.4.5.42", "saml:givenName", false}, // AWS's spelling
		{"2.5.4.42", "saml:givenName", false},
		{"2.5.4.45", "saml:x500UniqueIdentifier", false},
		{"0.9.2342.19200300100.1.1", "saml:uid", false}, // AWS's spelling
		{"0.9.2342.19200300.100.1.1", "saml:uid", false},
		{"0.9.2342.19200300100.1.3", "saml:mail", false}, // AWS's spelling
		{"0.9.2342.19200300.100.1.3", "saml:mail", false},
		{"0.9.2342.19200300.100.1.45", "saml:organizationStatus", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b64 := mintWith(t, func(o *SAMLResponseOptions) {
				o.Attributes = []SAMLAttribute{{tc.name, []string{"v1", "v2"}}}
			})
			id, err := verifySAML(p, b64, samlRole, t0)
			if err != nil {
				t.Fatal(err)
			}
			c := condition.NewContext()
			id.SetConditionKeys(c)
			v, ok := c.Lookup(tc.key)
			switch {
			case !ok:
				t.Fatalf("no %s", tc.key)
			case tc.list && (!v.Multi() || fmt.Sprint(v.Strings()) != "[v1 v2]"):
				t.Errorf("%s = %v (multi %v), want the list [v1 v2]", tc.key, v.Strings(), v.Multi())
			case !tc.list && (v.Multi() || fmt.Sprint(v.Strings()) != "[v1]"):
				t.Errorf("%s = %v (multi %v), want the single value v1", tc.key, v.Strings(), v.Multi())
			}
		})
	}

	t.Run("one claim per key: the first wins", func(t *testing.T) {
		b64 := mintWith(t, func(o *SAMLResponseOptions) {
			o.Attributes = []SAMLAttribute{
				{"http://schemas.xmlsoap.org/claims/CommonName", []string{"AD Name"}},
				{"2.5.4.3", []string{"X500 Name"}},
			}
		})
		id, err := verifySAML(p, b64, samlRole, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got := id.AttributeKeys["saml:commonName"]; fmt.Sprint(got) != "[AD Name]" {
			t.Errorf("saml:commonName = %v", got)
		}
	})

	t.Run("other attributes are not keys", func(t *testing.T) {
		b64 := mintWith(t, func(o *SAMLResponseOptions) {
			o.Attributes = []SAMLAttribute{{"urn:oid:0.9.2342.19200300.100.1.3", []string{"alice@example.com"}}, {"department", []string{"eng"}}}
			o.Tags = []Tag{{"team", "infra"}}
		})
		id, err := verifySAML(p, b64, samlRole, t0)
		if err != nil {
			t.Fatal(err)
		}
		c := condition.NewContext()
		id.SetConditionKeys(c)
		// saml:aud iss sub sub_type namequalifier doc and aws:FederatedProvider.
		if keys := c.Keys(); len(keys) != 7 {
			t.Errorf("keys %v, want the 6 saml: keys and aws:FederatedProvider", keys)
		}
		if fmt.Sprint(id.Tags) != "[{team infra}]" {
			t.Errorf("tags %v", id.Tags)
		}
	})
}

// TestSAMLTamper flips a bit of each byte of a signed response: every
// variant is refused, or verifies to the very same identity (a flip in
// whitespace, the XML declaration or the base64 of the signature's
// KeyInfo that canonicalization or the certificate check ignores).
func TestSAMLTamper(t *testing.T) {
	p := samlProvider(t)
	for _, sign := range []SAMLSigning{SignAssertion, SignResponse} {
		b64 := mintWith(t, func(o *SAMLResponseOptions) {
			o.Sign = sign
			o.Tags = []Tag{{"Project", "Marketing"}}
		})
		want, err := verifySAML(p, b64, samlRole, t0)
		if err != nil {
			t.Fatal(err)
		}
		raw := must(base64.StdEncoding.DecodeString(b64))
		step := 1
		if testing.Short() {
			step = 7
		}
		accepted := 0
		for i := 0; i < len(raw); i += step {
			b := append([]byte{}, raw...)
			b[i] ^= 0x01
			id, err := verifySAML(p, base64.StdEncoding.EncodeToString(b), samlRole, t0)
			if err != nil {
				continue
			}
			accepted++
			if diff := cmp.Diff(want, id, cmpopts.IgnoreFields(SAMLIdentity{}, "Provider")); diff != "" {
				t.Fatalf("sign %d, byte %d (%q) flipped: accepted as another identity:\n%s", sign, i, raw[i], diff)
			}
		}
		t.Logf("sign %d: %d bytes, %d flips still verify to the same identity", sign, len(raw), accepted)
	}
}

func TestSAMLTestIdP(t *testing.T) {
	idp, _ := testIdPs(t)
	if _, err := NewSAMLTestIdP("", t0); err == nil {
		t.Error("an IdP without entity ID")
	}
	for name, o := range map[string]SAMLResponseOptions{
		"no NameID":          {Roles: samlOpts().Roles, RoleSessionName: "a1"},
		"no Roles":           {NameID: "a", RoleSessionName: "a1"},
		"no RoleSessionName": {NameID: "a", Roles: samlOpts().Roles},
	} {
		if _, err := idp.Response(o, t0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := (&SAMLTestIdP{EntityID: "x"}).Response(samlOpts(), t0); err == nil {
		t.Error("an IdP without key")
	}
	// Its metadata is what CreateSAMLProvider accepts.
	md := idp.Metadata()
	if n := len(md); n < MinSAMLMetadataLen || n > MaxSAMLMetadataLen {
		t.Errorf("metadata of %d bytes", n)
	}
}

// ExampleSAMLProvider_Verify registers a test IdP's metadata as an IAM
// SAML provider and verifies a response it signs, as AssumeRoleWithSAML
// does before the role's trust policy is evaluated.
func ExampleSAMLProvider_Verify() {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	idp, err := NewSAMLTestIdP("https://idp.example.com/saml", now)
	if err != nil {
		panic(err)
	}
	provider, err := NewSAMLProvider("111111111111", "ExampleIdP", idp.Metadata())
	if err != nil {
		panic(err)
	}
	const role = "arn:aws:iam::111111111111:role/SAMLDeveloper"
	assertion, err := idp.Response(SAMLResponseOptions{
		NameID:          "alice@example.com",
		Roles:           []SAMLRole{{RoleARN: role, ProviderARN: provider.ARN}},
		RoleSessionName: "alice@example.com",
		Tags:            []Tag{{Key: "Project", Value: "Marketing"}},
	}, now)
	if err != nil {
		panic(err)
	}

	resp, err := ParseSAMLResponse(assertion)
	if err != nil {
		panic(err)
	}
	id, err := provider.Verify(resp, role, now.Add(time.Minute))
	if err != nil {
		panic(err)
	}
	fmt.Println("Subject:", id.Subject, id.SubjectType)
	fmt.Println("Issuer:", id.Issuer)
	fmt.Println("Audience:", id.Audience)
	fmt.Println("NameQualifier:", id.NameQualifier)
	fmt.Println("RoleSessionName:", id.RoleSessionName)
	fmt.Println("Tags:", id.Tags)

	c := condition.NewContext()
	id.SetConditionKeys(c)
	doc, _ := c.Lookup("saml:doc")
	fmt.Println(doc.Strings())

	// A response for a role the IdP did not name is refused.
	_, err = provider.Verify(resp, "arn:aws:iam::111111111111:role/Admin", now)
	fmt.Println(err.(*Error).Code, err.(*Error).Message)
	// Output:
	// Subject: alice@example.com persistent
	// Issuer: https://idp.example.com/saml
	// Audience: https://signin.aws.amazon.com/saml
	// NameQualifier: hK4ZjQ9U6lFljVYVeDiIRFdQV98=
	// RoleSessionName: alice@example.com
	// Tags: [{Project Marketing}]
	// [111111111111/ExampleIdP]
	// InvalidIdentityToken SAML Assertion doesn't contain the requested Role and Metadata in the attributes
}
