package federation

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"strconv"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// A SAMLTestIdP is a SAML 2.0 identity provider for local testing only:
// it signs whatever responses it is asked for, with a key that lives in
// memory. It gives the metadata to register as a [SAMLProvider] and the
// base64 SAMLAssertion that AssumeRoleWithSAML takes. Never register its
// metadata in a real AWS account.
type SAMLTestIdP struct {
	// Key signs responses; it must be an RSA key (IAM's SAML providers
	// take RSA certificates).
	Key crypto.Signer
	// Cert is Key's certificate, published in the metadata.
	Cert *x509.Certificate
	// EntityID is the IdP's entity ID, the Issuer of its responses.
	EntityID string
}

// NewSAMLTestIdP returns a test IdP named entityID with a new 2048-bit
// RSA key and a self-signed certificate valid from an hour before now for
// ten years.
func NewSAMLTestIdP(entityID string, now time.Time) (*SAMLTestIdP, error) {
	if entityID == "" {
		return nil, errors.New("federation: a SAML test IdP needs an entity ID")
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: clip(entityID)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &SAMLTestIdP{Key: key, Cert: cert, EntityID: entityID}, nil
}

// Metadata returns the IdP's SAML metadata: an md:EntityDescriptor with
// its entity ID and its certificate as the signing key, as
// [NewSAMLProvider] (and CreateSAMLProvider) take it.
func (idp *SAMLTestIdP) Metadata() []byte {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	ed := doc.CreateElement("md:EntityDescriptor")
	ed.CreateAttr("xmlns:md", nsMetadata)
	ed.CreateAttr("xmlns:ds", nsDSig)
	ed.CreateAttr("entityID", idp.EntityID)
	sso := ed.CreateElement("md:IDPSSODescriptor")
	sso.CreateAttr("WantAuthnRequestsSigned", "false")
	sso.CreateAttr("protocolSupportEnumeration", nsProtocol)
	kd := sso.CreateElement("md:KeyDescriptor")
	kd.CreateAttr("use", "signing")
	kd.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
		SetText(base64.StdEncoding.EncodeToString(idp.Cert.Raw))
	sso.CreateElement("md:NameIDFormat").SetText(nameIDFormat20 + "persistent")
	sso.CreateElement("md:NameIDFormat").SetText(nameIDFormat20 + "transient")
	s := sso.CreateElement("md:SingleSignOnService")
	s.CreateAttr("Binding", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect")
	s.CreateAttr("Location", "https://idp.invalid/saml/sso")
	doc.Indent(2)
	b, _ := doc.WriteToBytes()
	return b
}

// A SAMLRole is one value of the Role attribute: a role and the SAML
// provider that may assume it.
type SAMLRole struct{ RoleARN, ProviderARN string }

// A SAMLAttribute is an attribute of an assertion, by Name.
type SAMLAttribute struct {
	Name   string
	Values []string
}

// SAMLSigning says which elements of a response a [SAMLTestIdP] signs.
type SAMLSigning int

const (
	// SignAssertion signs the Assertion only (the zero value).
	SignAssertion SAMLSigning = iota
	// SignResponse signs the Response only.
	SignResponse
	// SignBoth signs the Assertion, then the Response around it.
	SignBoth
)

// SAMLResponseOptions describe the response a [SAMLTestIdP] issues. The
// zero value of a field means its default.
type SAMLResponseOptions struct {
	// NameID is the Subject's NameID (required).
	NameID string
	// NameIDFormat is its Format; default
	// urn:oasis:names:tc:SAML:2.0:nameid-format:persistent.
	NameIDFormat string
	// Roles are the values of the Role attribute (at least one).
	Roles []SAMLRole
	// RoleSessionName is the RoleSessionName attribute (required).
	RoleSessionName string
	// SessionDuration, when not 0, is the SessionDuration attribute, in
	// whole seconds.
	SessionDuration time.Duration
	// SessionNotOnOrAfter, when not zero, is the AuthnStatement's.
	SessionNotOnOrAfter time.Time
	// SourceIdentity, when not "", is the SourceIdentity attribute.
	SourceIdentity string
	// Tags are PrincipalTag:KEY attributes, TransitiveTagKeys the
	// TransitiveTagKeys attribute.
	Tags              []Tag
	TransitiveTagKeys []string
	// Attributes are further attributes (eduPerson, mail, ...).
	Attributes []SAMLAttribute
	// Recipient is the SubjectConfirmationData's Recipient; default
	// https://signin.aws.amazon.com/saml.
	Recipient string
	// Destination is the Response's Destination; default Recipient.
	Destination string
	// Audience is the AudienceRestriction's; default
	// urn:amazon:webservices.
	Audience string
	// Lifetime is how long after now the response is valid
	// (NotOnOrAfter); default 5 minutes.
	Lifetime time.Duration
	// Sign says what is signed; default the Assertion.
	Sign SAMLSigning
}

// Response returns a signed SAML response issued at now, base64-encoded
// as the SAMLAssertion parameter of AssumeRoleWithSAML.
func (idp *SAMLTestIdP) Response(opt SAMLResponseOptions, now time.Time) (string, error) {
	doc, err := idp.responseDoc(opt, now)
	if err != nil {
		return "", err
	}
	b, err := doc.WriteToBytes()
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

func (idp *SAMLTestIdP) responseDoc(opt SAMLResponseOptions, now time.Time) (*etree.Document, error) {
	switch {
	case idp == nil || idp.Key == nil || idp.Cert == nil:
		return nil, errors.New("federation: the SAML test IdP has no key or certificate")
	case opt.NameID == "":
		return nil, errors.New("federation: SAMLResponseOptions.NameID is required")
	case len(opt.Roles) == 0:
		return nil, errors.New("federation: SAMLResponseOptions.Roles needs at least one role")
	case opt.RoleSessionName == "":
		return nil, errors.New("federation: SAMLResponseOptions.RoleSessionName is required")
	}
	if opt.NameIDFormat == "" {
		opt.NameIDFormat = nameIDFormat20 + "persistent"
	}
	if opt.Recipient == "" {
		opt.Recipient = "https://signin.aws.amazon.com/saml"
	}
	if opt.Destination == "" {
		opt.Destination = opt.Recipient
	}
	if opt.Audience == "" {
		opt.Audience = "urn:amazon:webservices"
	}
	if opt.Lifetime <= 0 {
		opt.Lifetime = 5 * time.Minute
	}
	now = now.UTC()
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	respID, err := newSAMLID()
	if err != nil {
		return nil, err
	}
	asID, err := newSAMLID()
	if err != nil {
		return nil, err
	}

	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", nsAssertion)
	a.CreateAttr("ID", asID)
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", ts(now))
	a.CreateElement("saml:Issuer").SetText(idp.EntityID)
	subj := a.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", opt.NameIDFormat)
	nid.SetText(opt.NameID)
	sc := subj.CreateElement("saml:SubjectConfirmation")
	sc.CreateAttr("Method", methodBearer)
	scd := sc.CreateElement("saml:SubjectConfirmationData")
	scd.CreateAttr("NotOnOrAfter", ts(now.Add(opt.Lifetime)))
	scd.CreateAttr("Recipient", opt.Recipient)
	conds := a.CreateElement("saml:Conditions")
	conds.CreateAttr("NotBefore", ts(now))
	conds.CreateAttr("NotOnOrAfter", ts(now.Add(opt.Lifetime)))
	conds.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(opt.Audience)
	authn := a.CreateElement("saml:AuthnStatement")
	authn.CreateAttr("AuthnInstant", ts(now))
	authn.CreateAttr("SessionIndex", asID)
	if !opt.SessionNotOnOrAfter.IsZero() {
		authn.CreateAttr("SessionNotOnOrAfter", ts(opt.SessionNotOnOrAfter))
	}
	authn.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")

	st := a.CreateElement("saml:AttributeStatement")
	add := func(name string, values ...string) {
		at := st.CreateElement("saml:Attribute")
		at.CreateAttr("Name", name)
		at.CreateAttr("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:uri")
		for _, v := range values {
			at.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
	roles := make([]string, len(opt.Roles))
	for i, r := range opt.Roles {
		roles[i] = r.RoleARN + "," + r.ProviderARN
	}
	add(attrRole, roles...)
	add(attrSessionName, opt.RoleSessionName)
	if opt.SessionDuration != 0 {
		add(attrDuration, strconv.FormatInt(int64(opt.SessionDuration/time.Second), 10))
	}
	if opt.SourceIdentity != "" {
		add(attrSourceID, opt.SourceIdentity)
	}
	for _, t := range opt.Tags {
		add(attrTagPrefix+t.Key, t.Value)
	}
	if len(opt.TransitiveTagKeys) > 0 {
		add(attrTransitive, opt.TransitiveTagKeys...)
	}
	for _, at := range opt.Attributes {
		add(at.Name, at.Values...)
	}

	if opt.Sign == SignAssertion || opt.Sign == SignBoth {
		if a, err = idp.sign(a); err != nil {
			return nil, err
		}
	}

	r := etree.NewElement("samlp:Response")
	r.CreateAttr("xmlns:samlp", nsProtocol)
	r.CreateAttr("xmlns:saml", nsAssertion)
	r.CreateAttr("ID", respID)
	r.CreateAttr("Version", "2.0")
	r.CreateAttr("IssueInstant", ts(now))
	r.CreateAttr("Destination", opt.Destination)
	r.CreateElement("saml:Issuer").SetText(idp.EntityID)
	r.CreateElement("samlp:Status").CreateElement("samlp:StatusCode").CreateAttr("Value", statusSuccess)
	r.AddChild(a)
	if opt.Sign == SignResponse || opt.Sign == SignBoth {
		if r, err = idp.sign(r); err != nil {
			return nil, err
		}
	}
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	doc.SetRoot(r)
	return doc, nil
}

// sign returns el with an enveloped signature (exclusive
// canonicalization, RSA-SHA256) placed after its Issuer, as SAML's
// schema wants it.
func (idp *SAMLTestIdP) sign(el *etree.Element) (*etree.Element, error) {
	ctx, err := dsig.NewSigningContext(idp.Key, [][]byte{idp.Cert.Raw})
	if err != nil {
		return nil, err
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	sig, err := ctx.ConstructSignature(el, true)
	if err != nil {
		return nil, err
	}
	out := el.Copy()
	at := 0
	for i, t := range out.Child {
		if c, ok := t.(*etree.Element); ok && c.Tag == "Issuer" {
			at = i + 1
			break
		}
	}
	out.InsertChildAt(at, sig)
	return out, nil
}

func newSAMLID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "_" + hex.EncodeToString(b[:]), nil
}
