package federation

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

// XML namespaces of SAML 2.0 and XML-DSig.
const (
	nsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsProtocol  = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsMetadata  = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsDSig      = "http://www.w3.org/2000/09/xmldsig#"
)

// SAML values AWS reads.
const (
	statusSuccess   = "urn:oasis:names:tc:SAML:2.0:status:Success"
	methodBearer    = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
	nameIDFormat20  = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
	nameIDDefault   = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	awsAttrPrefix   = "https://aws.amazon.com/SAML/Attributes/"
	attrRole        = awsAttrPrefix + "Role"
	attrSessionName = awsAttrPrefix + "RoleSessionName"
	attrDuration    = awsAttrPrefix + "SessionDuration"
	attrSourceID    = awsAttrPrefix + "SourceIdentity"
	attrTransitive  = awsAttrPrefix + "TransitiveTagKeys"
	attrTagPrefix   = awsAttrPrefix + "PrincipalTag:"
)

// Limits of SAML providers and assertions: the SAMLAssertion member of
// AssumeRoleWithSAML is 4 to 100,000 characters
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html);
// the SAMLMetadataDocument of CreateSAMLProvider 1,000 to 10,000,000 and
// the provider's Name 1 to 128 characters of [\w._-]
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html).
const (
	MinSAMLAssertionLen = 4
	MaxSAMLAssertionLen = 100000
	MinSAMLMetadataLen  = 1000
	MaxSAMLMetadataLen  = 10000000
	maxSAMLNameLen      = 128
	// minSAMLKeyBits: "the x.509 certificate ... must use a key size of
	// at least 1024 bits" (troubleshoot_saml.html).
	minSAMLKeyBits = 1024
)

// SAML time rules. AWS does not publish its clock skew for SAML; this
// package allows SAMLClockSkew either side of NotBefore, NotOnOrAfter and
// IssueInstant. SAMLRedeemWindow is AWS's "Token must be redeemed within
// 5 minutes of issuance": a response is refused once its assertion's
// IssueInstant is that old, whatever its NotOnOrAfter says.
const (
	SAMLClockSkew    = time.Minute
	SAMLRedeemWindow = 5 * time.Minute
)

// SessionDuration attribute bounds (id_roles_providers_create_saml_assertions.html).
const (
	minSAMLSessionDuration = 900
	maxSAMLSessionDuration = 43200
)

// ErrIDPRejectedClaim: the identity provider rejected the claim
// (API_AssumeRoleWithSAML.html, Errors). Verify itself never returns it
// (the emulated providers reject nothing); it is here for callers that
// model a provider that does.
var ErrIDPRejectedClaim = &Error{Code: "IDPRejectedClaim"}

// ErrAccessDenied: AWS answers AccessDenied "Not authorized to perform
// sts:AssumeRoleWithSAML" when the response has no Subject with a NameID
// (troubleshoot_saml.html); the trust policy check is the caller's.
var ErrAccessDenied = &Error{Code: "AccessDenied"}

// AWS's messages for AssumeRoleWithSAML (troubleshoot_saml.html and
// answers quoted in users' reports). Where AWS's message is not known,
// msgSAMLInvalid is used.
const (
	msgSAMLInvalid      = "Invalid SAML response"
	msgSAMLBase64       = "Invalid base64 SAMLResponse"
	msgSAMLSignature    = "Response signature invalid"
	msgSAMLIssuer       = "Issuer not present in specified provider"
	msgSAMLConfirmation = "Responses must contain SubjectConfirmatonData with a Recipient and NotOnOrAfter" // AWS's spelling
	msgSAMLAudience     = "Response does not contain the required audience"
	msgSAMLRole         = "SAML Assertion doesn't contain the requested Role and Metadata in the attributes"
	msgSAMLNoSession    = "RoleSessionName is required in AuthnResponse"
	msgSAMLSessionName  = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"
	msgSAMLSourceID     = `Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"`
	msgSAMLExpired      = "Response has expired"
	msgSAMLRedeem       = "Token must be redeemed within 5 minutes of issuance"
	msgSAMLNotAuth      = "Not authorized to perform sts:AssumeRoleWithSAML"
)

func invalidSAML(msg, reason string) *Error {
	return &Error{Code: "InvalidIdentityToken", Message: msg, Reason: reason}
}

func expiredSAML(msg, reason string) *Error {
	return &Error{Code: "ExpiredTokenException", Message: msg, Reason: reason}
}

// A SAMLProvider is an IAM SAML 2.0 identity provider, as
// CreateSAMLProvider makes one from the IdP's metadata document
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html).
// A provider is read-only once made; it is safe for concurrent use.
type SAMLProvider struct {
	// ARN is arn:PARTITION:iam::ACCOUNT:saml-provider/NAME.
	ARN string
	// Name is the provider's friendly name, the last part of its ARN.
	Name string
	// EntityID is the metadata's entityID: the Issuer of the responses
	// the provider signs.
	EntityID string
	// Certificates are the metadata's signing certificates
	// (IDPSSODescriptor KeyDescriptors with use="signing" or no use).
	Certificates []*x509.Certificate
	// ValidUntil is the metadata's validUntil, zero when it has none.
	// It is kept for GetSAMLProvider; AWS does not document refusing
	// responses after it, and Verify does not.
	ValidUntil time.Time
	// Metadata is the metadata document as it was given.
	Metadata []byte
}

// NewSAMLProvider returns the provider name of account (in the aws
// partition) described by metadataXML, checked as CreateSAMLProvider
// checks them: a name of 1 to 128 characters of [\w._-]; a UTF-8
// metadata document (no byte order mark, no document type declaration)
// of 1,000 to 10,000,000 characters whose root is an md:EntityDescriptor
// with an entityID and an IDPSSODescriptor holding at least one signing
// certificate with an RSA key of at least 1024 bits.
func NewSAMLProvider(account, name string, metadataXML []byte) (*SAMLProvider, error) {
	return NewSAMLProviderIn("aws", account, name, metadataXML)
}

// NewSAMLProviderIn is [NewSAMLProvider] in another partition: "aws",
// "aws-cn" or "aws-us-gov" (the partitions whose sign-in endpoints this
// package knows).
func NewSAMLProviderIn(partition, account, name string, metadataXML []byte) (*SAMLProvider, error) {
	if !principal.IsAccountID(account) {
		return nil, invalidProvider(name, "account "+strconv.Quote(clip(account))+" is not a 12-digit account ID")
	}
	if _, ok := signinHosts[partition]; !ok {
		return nil, invalidProvider(name, "partition "+strconv.Quote(clip(partition))+" has no known SAML sign-in endpoint (aws, aws-cn, aws-us-gov)")
	}
	if !samlNameRE.MatchString(name) {
		return nil, invalidProvider(name, "the name must be 1 to 128 characters of letters, digits and _.-")
	}
	p := &SAMLProvider{
		ARN:      "arn:" + partition + ":iam::" + account + ":saml-provider/" + name,
		Name:     name,
		Metadata: bytes.Clone(metadataXML),
	}
	md, err := parseSAMLMetadata(metadataXML)
	if err != nil {
		return nil, invalidProvider(p.ARN, "Could not parse metadata: "+err.Error())
	}
	p.EntityID, p.Certificates, p.ValidUntil = md.entityID, md.certs, md.validUntil
	return p, nil
}

var samlNameRE = regexp.MustCompile(`^[\w._-]{1,128}$`)

// Validate checks that p is a provider [NewSAMLProvider] could have made:
// its ARN names its Name, and it has an entity ID and usable signing
// certificates.
func (p *SAMLProvider) Validate() error {
	if p == nil {
		return invalidProvider("", "nil provider")
	}
	part, acct, ok := splitSAMLProviderARN(p.ARN)
	if !ok || acct == "" || !samlNameRE.MatchString(p.Name) || p.ARN != "arn:"+part+":iam::"+acct+":saml-provider/"+p.Name {
		return invalidProvider(p.ARN, "ARN "+strconv.Quote(clip(p.ARN))+" is not arn:PARTITION:iam::ACCOUNT:saml-provider/"+clip(p.Name))
	}
	if _, ok := signinHosts[part]; !ok {
		return invalidProvider(p.ARN, "partition "+strconv.Quote(part)+" has no known SAML sign-in endpoint")
	}
	if p.EntityID == "" {
		return invalidProvider(p.ARN, "no entity ID")
	}
	if len(p.Certificates) == 0 {
		return invalidProvider(p.ARN, "no signing certificate")
	}
	for i, c := range p.Certificates {
		if reason := checkSAMLCert(c); reason != "" {
			return invalidProvider(p.ARN, fmt.Sprintf("Certificates[%d]: %s", i, reason))
		}
	}
	return nil
}

// Account returns the account the provider belongs to.
func (p *SAMLProvider) Account() string {
	_, acct, _ := splitSAMLProviderARN(p.ARN)
	return acct
}

// Partition returns the partition of the provider's ARN.
func (p *SAMLProvider) Partition() string {
	part, _, _ := splitSAMLProviderARN(p.ARN)
	return part
}

// Doc is the saml:doc condition key of the provider's sessions:
// ACCOUNT/NAME (reference_policies_iam-condition-keys.html#condition-keys-saml).
func (p *SAMLProvider) Doc() string { return p.Account() + "/" + p.Name }

// NameQualifier is the NameQualifier AssumeRoleWithSAML answers for
// responses issued by issuer: BASE64(SHA1(issuer + ACCOUNT + "/" + NAME))
// (API_AssumeRoleWithSAML.html, NameQualifier).
func (p *SAMLProvider) NameQualifier(issuer string) string {
	sum := sha1.Sum([]byte(issuer + p.Account() + "/" + p.Name))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func splitSAMLProviderARN(arn string) (partition, account string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" ||
		!principal.IsAccountID(parts[4]) || !strings.HasPrefix(parts[5], "saml-provider/") {
		return "", "", false
	}
	return parts[1], parts[4], true
}

// samlMetadata is what a metadata document says.
type samlMetadata struct {
	entityID   string
	certs      []*x509.Certificate
	validUntil time.Time
}

func parseSAMLMetadata(b []byte) (*samlMetadata, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("the document is not UTF-8")
	}
	if n := utf8.RuneCount(b); n < MinSAMLMetadataLen || n > MaxSAMLMetadataLen {
		return nil, fmt.Errorf("the document is %d characters, not %d to %d", n, MinSAMLMetadataLen, MaxSAMLMetadataLen)
	}
	if bytes.HasPrefix(b, []byte("\uFEFF")) {
		// troubleshoot_saml.html: "encoded in UTF-8 format without a
		// byte order mark".
		return nil, errors.New("the document starts with a byte order mark")
	}
	doc, err := readXML(b)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if !isEl(root, nsMetadata, "EntityDescriptor") {
		return nil, errors.New("the root element is not an md:EntityDescriptor")
	}
	md := &samlMetadata{entityID: attr(root, "entityID")}
	if md.entityID == "" {
		return nil, errors.New("the EntityDescriptor has no entityID")
	}
	if v := attr(root, "validUntil"); v != "" {
		if md.validUntil, err = parseSAMLTime(v); err != nil {
			return nil, errors.New("validUntil is not an xs:dateTime")
		}
	}
	idps := children(root, nsMetadata, "IDPSSODescriptor")
	if len(idps) == 0 {
		return nil, errors.New("no IDPSSODescriptor")
	}
	for _, idp := range idps {
		for _, kd := range children(idp, nsMetadata, "KeyDescriptor") {
			if use, ok := attrOK(kd, "use"); ok && use != "signing" {
				continue
			}
			for _, ki := range children(kd, nsDSig, "KeyInfo") {
				for _, xd := range children(ki, nsDSig, "X509Data") {
					for _, xc := range children(xd, nsDSig, "X509Certificate") {
						c, err := parseCertText(xc)
						if err != nil {
							return nil, err
						}
						if !containsCert(md.certs, c) {
							md.certs = append(md.certs, c)
						}
					}
				}
			}
		}
	}
	if len(md.certs) == 0 {
		return nil, errors.New("the IDPSSODescriptor has no signing X509Certificate")
	}
	return md, nil
}

func parseCertText(el *etree.Element) (*x509.Certificate, error) {
	text, err := textOf(el)
	if err != nil {
		return nil, errors.New("X509Certificate: " + err.Error())
	}
	der, err := base64.StdEncoding.DecodeString(stripSpace(text))
	if err != nil {
		return nil, errors.New("X509Certificate is not base64")
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, errors.New("X509Certificate: " + clip(err.Error()))
	}
	if reason := checkSAMLCert(c); reason != "" {
		return nil, errors.New("X509Certificate: " + reason)
	}
	return c, nil
}

// checkSAMLCert returns why c cannot verify SAML responses, or "".
func checkSAMLCert(c *x509.Certificate) string {
	if c == nil {
		return "nil certificate"
	}
	k, ok := c.PublicKey.(interface{ Size() int })
	if c.PublicKeyAlgorithm != x509.RSA || !ok {
		return "not an RSA key"
	}
	if k.Size()*8 < minSAMLKeyBits {
		return fmt.Sprintf("RSA key shorter than %d bits", minSAMLKeyBits)
	}
	return ""
}

func containsCert(l []*x509.Certificate, c *x509.Certificate) bool {
	for _, x := range l {
		if x.Equal(c) {
			return true
		}
	}
	return false
}

// A SAMLResponse is a parsed, not yet verified, SAML 2.0 Response. Nothing
// in it is believed before [SAMLProvider.Verify] checks its signature.
type SAMLResponse struct {
	doc *etree.Document
}

// ParseSAMLResponse decodes b64, the SAMLAssertion parameter of
// AssumeRoleWithSAML (a base64-encoded samlp:Response), and parses its XML.
// It refuses, as InvalidIdentityToken, a value outside 4 to 100,000
// characters, bad base64 (ASCII whitespace is ignored, as in an HTML form
// post), XML that is not UTF-8 or not well-formed, a document type
// declaration (and so any entity), duplicate attributes, and a root that
// is not a samlp:Response.
func ParseSAMLResponse(b64 string) (*SAMLResponse, error) {
	if n := utf8.RuneCountInString(b64); n < MinSAMLAssertionLen || n > MaxSAMLAssertionLen {
		return nil, invalidSAML(msgSAMLInvalid, fmt.Sprintf("SAMLAssertion is %d characters, not %d to %d", n, MinSAMLAssertionLen, MaxSAMLAssertionLen))
	}
	raw, err := base64.StdEncoding.DecodeString(stripSpace(b64))
	if err != nil {
		return nil, invalidSAML(msgSAMLBase64, "SAMLAssertion is not standard base64")
	}
	if !utf8.Valid(raw) {
		return nil, invalidSAML(msgSAMLInvalid, "the response is not UTF-8")
	}
	doc, err := readXML(raw)
	if err != nil {
		return nil, invalidSAML(msgSAMLInvalid, "XML: "+err.Error())
	}
	if !isEl(doc.Root(), nsProtocol, "Response") {
		return nil, invalidSAML(msgSAMLInvalid, "the root element is not a samlp:Response")
	}
	return &SAMLResponse{doc: doc}, nil
}

// readXML parses b with etree, refusing what an assertion or metadata
// document never needs and an attacker could use: document type
// declarations (entity definitions, external references), undeclared
// entities (encoding/xml's strict mode), charsets other than UTF-8,
// duplicate attributes and nesting deeper than 64 elements.
func readXML(b []byte) (*etree.Document, error) {
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{
		CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
			if strings.EqualFold(charset, "utf-8") {
				return r, nil
			}
			return nil, errors.New("encoding " + strconv.Quote(clip(charset)) + " is not UTF-8")
		},
		PreserveDuplicateAttrs: true,
		MaxDepth:               64,
	}
	if err := doc.ReadFromBytes(b); err != nil {
		return nil, errors.New(clip(err.Error()))
	}
	if doc.Root() == nil {
		return nil, errors.New("no root element")
	}
	roots := 0
	for _, t := range doc.Child {
		switch t := t.(type) {
		case *etree.Element:
			roots++
		case *etree.CharData:
			if strings.Trim(t.Data, " \t\r\n") != "" {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if roots != 1 {
		return nil, errors.New("several root elements")
	}
	if err := checkTokens(&doc.Element); err != nil {
		return nil, err
	}
	return doc, nil
}

func checkTokens(el *etree.Element) error {
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Directive:
			return errors.New("document type declarations are not allowed")
		case *etree.Element:
			seen := make(map[string]bool, len(t.Attr))
			for _, a := range t.Attr {
				k := a.Space + ":" + a.Key
				if seen[k] {
					return errors.New("element " + clip(t.FullTag()) + " has a duplicate attribute " + clip(a.FullKey()))
				}
				seen[k] = true
			}
			if err := checkTokens(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// A SAMLIdentity is what a verified SAML response says, read only from
// the signed element.
type SAMLIdentity struct {
	Provider *SAMLProvider
	// Issuer is the assertion's Issuer, equal to the provider's EntityID.
	Issuer string
	// Subject is the NameID; SubjectType its Format with
	// "urn:oasis:names:tc:SAML:2.0:nameid-format:" removed ("persistent",
	// "transient"), other formats unchanged, and the SAML default
	// "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" when the
	// NameID has no Format.
	Subject, SubjectType string
	// Audience is the Recipient of the SubjectConfirmationData (AWS's
	// Audience output and saml:aud); Audiences are the
	// AudienceRestriction values.
	Audience  string
	Audiences []string
	// NameQualifier is BASE64(SHA1(Issuer + ACCOUNT + "/" + NAME)).
	NameQualifier string
	// RoleARN is the role of the Role attribute pair that named the
	// requested role and this provider.
	RoleARN string
	// RoleSessionName is the RoleSessionName attribute.
	RoleSessionName string
	// SessionDuration is the SessionDuration attribute, 0 when absent.
	// It can only shorten an API session.
	SessionDuration time.Duration
	// SessionNotOnOrAfter is the AuthnStatement's SessionNotOnOrAfter,
	// zero when absent: the caller bounds the session's expiry by it.
	SessionNotOnOrAfter time.Time
	// IssueInstant is the assertion's; NotOnOrAfter the earlier of the
	// SubjectConfirmationData's and the Conditions'.
	IssueInstant, NotOnOrAfter time.Time
	// Tags are the PrincipalTag:KEY attributes, sorted by key;
	// TransitiveTagKeys the TransitiveTagKeys attribute;
	// SourceIdentity the SourceIdentity attribute (HasSourceIdentity
	// tells an empty one from none).
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	HasSourceIdentity bool
	// Attributes are the values of every attribute of the assertion, by
	// Name (values that are not text are left out).
	Attributes map[string][]string
	// AttributeKeys are the saml: condition keys AWS derives from
	// well-known attributes (eduPerson, eduOrg, Active Directory,
	// X.500), by key name ("saml:edupersonaffiliation", "saml:mail", ...).
	AttributeKeys map[string][]string
}

// Verify checks resp as AWS checks the SAMLAssertion of an
// AssumeRoleWithSAML request whose PrincipalArn is p and whose RoleArn is
// roleARN (see the package doc), and returns what it says. now is the
// current time.
//
// The signature is checked first, by goxmldsig with p's certificates,
// over the Response or over its one Assertion; everything Verify returns
// is read from the copy of the signed element that goxmldsig returns,
// never from the document as sent.
func (p *SAMLProvider) Verify(resp *SAMLResponse, roleARN string, now time.Time) (*SAMLIdentity, error) {
	if p == nil || resp == nil || resp.doc == nil {
		return nil, invalidSAML(msgSAMLInvalid, "no provider or response")
	}
	root := resp.doc.Root()
	if err := checkStructure(root); err != nil {
		return nil, err
	}
	a, signedResp, err := p.validateSignatures(root, now)
	if err != nil {
		return nil, err
	}
	// Status and Destination come from the signed Response when it is
	// signed; otherwise from the envelope, which can only make Verify
	// refuse.
	envelope := root
	if signedResp != nil {
		envelope = signedResp
	}
	if err := checkEnvelope(envelope, p); err != nil {
		return nil, err
	}
	return p.readAssertion(a, roleARN, now)
}

// checkStructure refuses what no honest response has, before any
// signature is checked: the one Assertion must be a child of the
// Response, and no other Assertion may hide anywhere in the document (a
// signed assertion wrapped in Extensions, or an unsigned twin beside it).
func checkStructure(root *etree.Element) *Error {
	var assertions, encrypted int
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		for _, c := range el.ChildElements() {
			switch {
			case isEl(c, nsAssertion, "Assertion"):
				assertions++
			case isEl(c, nsAssertion, "EncryptedAssertion"):
				encrypted++
			}
			walk(c)
		}
	}
	walk(root)
	switch {
	case encrypted > 0:
		return invalidSAML(msgSAMLInvalid, "encrypted assertions are not supported")
	case assertions == 0:
		return invalidSAML(msgSAMLInvalid, "the response has no Assertion")
	case assertions > 1:
		return invalidSAML(msgSAMLInvalid, fmt.Sprintf("the response has %d Assertions; exactly one is allowed", assertions))
	case len(children(root, nsAssertion, "Assertion")) != 1:
		return invalidSAML(msgSAMLInvalid, "the Assertion is not a child of the Response")
	}
	if n := len(children(root, nsDSig, "Signature")); n > 1 {
		return invalidSAML(msgSAMLSignature, "the Response has several Signatures")
	}
	return nil
}

// validateSignatures checks the signatures of the Response and of its
// Assertion and returns the signed copy of the Assertion to read, and the
// signed copy of the Response when the Response is signed. At least one of
// the two must be signed by a certificate of p; a signature that is
// present must be valid.
func (p *SAMLProvider) validateSignatures(root *etree.Element, now time.Time) (assertion, signedResp *etree.Element, err *Error) {
	orig := children(root, nsAssertion, "Assertion")[0]
	if len(children(root, nsDSig, "Signature")) == 1 {
		v, verr := p.validate(root, now)
		if verr != nil {
			return nil, nil, invalidSAML(msgSAMLSignature, "Response signature: "+clip(verr.Error()))
		}
		signedResp = v
		as := children(v, nsAssertion, "Assertion")
		if len(as) != 1 {
			return nil, nil, invalidSAML(msgSAMLInvalid, "the signed Response does not hold exactly one Assertion")
		}
		assertion = as[0]
		if len(children(assertion, nsDSig, "Signature")) == 0 {
			return assertion, signedResp, nil
		}
		// Also signed inside: that signature must hold too.
		orig = assertion
	}
	if n := len(children(orig, nsDSig, "Signature")); n != 1 {
		if signedResp == nil && n == 0 {
			return nil, nil, invalidSAML(msgSAMLSignature, "neither the Response nor the Assertion is signed")
		}
		return nil, nil, invalidSAML(msgSAMLSignature, "the Assertion has several Signatures")
	}
	ctx, cerr := etreeutils.NSBuildParentContext(orig)
	if cerr != nil {
		return nil, nil, invalidSAML(msgSAMLInvalid, "namespaces: "+clip(cerr.Error()))
	}
	detached, derr := etreeutils.NSDetatch(ctx, orig)
	if derr != nil {
		return nil, nil, invalidSAML(msgSAMLInvalid, "namespaces: "+clip(derr.Error()))
	}
	v, verr := p.validate(detached, now)
	if verr != nil {
		return nil, nil, invalidSAML(msgSAMLSignature, "Assertion signature: "+clip(verr.Error()))
	}
	return v, signedResp, nil
}

// validate checks the enveloped signature of el with goxmldsig and returns
// the signed copy it gives. Each of p's certificates is tried on its own,
// so that a signature without KeyInfo verifies with any of them (goxmldsig
// takes a signature without KeyInfo only when its store holds one
// certificate). goxmldsig also refuses a certificate outside its validity
// period at now.
func (p *SAMLProvider) validate(el *etree.Element, now time.Time) (*etree.Element, error) {
	var first error
	for _, c := range p.Certificates {
		vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{c}})
		vc.Clock = dsig.NewFakeClockAt(now)
		v, err := vc.Validate(el)
		if err == nil {
			return v, nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = errors.New("the provider has no certificate")
	}
	return nil, first
}

// checkEnvelope checks the Response's Version, Status, Issuer and
// Destination.
func checkEnvelope(r *etree.Element, p *SAMLProvider) *Error {
	if v := attr(r, "Version"); v != "2.0" {
		return invalidSAML(msgSAMLInvalid, "Response Version is "+strconv.Quote(clip(v))+", not 2.0")
	}
	code := ""
	if st := children(r, nsProtocol, "Status"); len(st) == 1 {
		if sc := children(st[0], nsProtocol, "StatusCode"); len(sc) == 1 {
			code = attr(sc[0], "Value")
		}
	}
	if code != statusSuccess {
		return invalidSAML(msgSAMLInvalid, "the Response's StatusCode is "+strconv.Quote(clip(code))+", not Success")
	}
	switch iss := children(r, nsAssertion, "Issuer"); len(iss) {
	case 0:
	case 1:
		if t, err := textOf(iss[0]); err != nil || t != p.EntityID {
			return invalidSAML(msgSAMLIssuer, "the Response's Issuer "+strconv.Quote(clip(t))+" is not the provider's entity ID")
		}
	default:
		return invalidSAML(msgSAMLInvalid, "the Response has several Issuers")
	}
	if d, ok := attrOK(r, "Destination"); ok && !p.isRecipient(d) {
		return invalidSAML(msgSAMLInvalid, "Destination "+strconv.Quote(clip(d))+" is not an AWS sign-in endpoint")
	}
	return nil
}

// readAssertion reads the signed assertion a.
func (p *SAMLProvider) readAssertion(a *etree.Element, roleARN string, now time.Time) (*SAMLIdentity, error) {
	if v := attr(a, "Version"); v != "2.0" {
		return nil, invalidSAML(msgSAMLInvalid, "Assertion Version is "+strconv.Quote(clip(v))+", not 2.0")
	}
	id := &SAMLIdentity{Provider: p}

	// Issuer (troubleshoot_saml.html: "Issuer not present in specified
	// provider").
	iss, err := one(a, nsAssertion, "Issuer", msgSAMLIssuer)
	if err != nil {
		return nil, err
	}
	if id.Issuer, err = text(iss, "Issuer"); err != nil {
		return nil, err
	}
	if id.Issuer != p.EntityID {
		return nil, invalidSAML(msgSAMLIssuer, "Issuer "+strconv.Quote(clip(id.Issuer))+" is not the provider's entity ID "+strconv.Quote(clip(p.EntityID)))
	}

	// IssueInstant, and AWS's 5 minutes to redeem.
	ii, ok := attrOK(a, "IssueInstant")
	if !ok {
		return nil, invalidSAML(msgSAMLInvalid, "the Assertion has no IssueInstant")
	}
	if id.IssueInstant, err = samlTime(ii, "IssueInstant"); err != nil {
		return nil, err
	}
	if id.IssueInstant.After(now.Add(SAMLClockSkew)) {
		return nil, invalidSAML(msgSAMLInvalid, "IssueInstant is in the future")
	}
	if !now.Before(id.IssueInstant.Add(SAMLRedeemWindow)) {
		return nil, expiredSAML(msgSAMLRedeem, "IssueInstant is 5 minutes old or older")
	}

	if err := id.readSubject(a, p, now); err != nil {
		return nil, err
	}
	if err := id.readConditions(a, p, now); err != nil {
		return nil, err
	}
	if err := id.readAuthn(a, now); err != nil {
		return nil, err
	}
	if err := id.readAttributes(a, p, roleARN); err != nil {
		return nil, err
	}
	id.NameQualifier = p.NameQualifier(id.Issuer)
	return id, nil
}

func (id *SAMLIdentity) readSubject(a *etree.Element, p *SAMLProvider, now time.Time) *Error {
	subjects := children(a, nsAssertion, "Subject")
	if len(subjects) != 1 {
		return &Error{Code: "AccessDenied", Message: msgSAMLNotAuth, Reason: fmt.Sprintf("the Assertion has %d Subjects, not 1", len(subjects))}
	}
	s := subjects[0]
	if len(children(s, nsAssertion, "EncryptedID")) > 0 {
		return invalidSAML(msgSAMLInvalid, "encrypted NameIDs are not supported")
	}
	names := children(s, nsAssertion, "NameID")
	if len(names) != 1 {
		return &Error{Code: "AccessDenied", Message: msgSAMLNotAuth, Reason: fmt.Sprintf("the Subject has %d NameIDs, not 1", len(names))}
	}
	var err *Error
	if id.Subject, err = text(names[0], "NameID"); err != nil {
		return err
	}
	if id.Subject == "" {
		return &Error{Code: "AccessDenied", Message: msgSAMLNotAuth, Reason: "the NameID is empty"}
	}
	switch f, ok := attrOK(names[0], "Format"); {
	case !ok || f == "":
		id.SubjectType = nameIDDefault
	default:
		id.SubjectType = strings.TrimPrefix(f, nameIDFormat20)
	}

	// "There must be exactly one SubjectConfirmation element with a
	// SubjectConfirmationData element that includes both the
	// NotOnOrAfter attribute and a Recipient attribute"
	// (id_roles_providers_create_saml_assertions.html).
	scs := children(s, nsAssertion, "SubjectConfirmation")
	if len(scs) != 1 {
		return invalidSAML(msgSAMLConfirmation, fmt.Sprintf("the Subject has %d SubjectConfirmations, not 1", len(scs)))
	}
	if m := attr(scs[0], "Method"); m != methodBearer {
		return invalidSAML(msgSAMLConfirmation, "SubjectConfirmation Method "+strconv.Quote(clip(m))+" is not bearer")
	}
	scd := children(scs[0], nsAssertion, "SubjectConfirmationData")
	if len(scd) != 1 {
		return invalidSAML(msgSAMLConfirmation, "no single SubjectConfirmationData")
	}
	rcpt, okR := attrOK(scd[0], "Recipient")
	noa, okN := attrOK(scd[0], "NotOnOrAfter")
	if !okR || !okN {
		return invalidSAML(msgSAMLConfirmation, "SubjectConfirmationData lacks Recipient or NotOnOrAfter")
	}
	if !p.isRecipient(rcpt) {
		return invalidSAML(msgSAMLInvalid, "Recipient "+strconv.Quote(clip(rcpt))+" is not an AWS sign-in endpoint")
	}
	id.Audience = rcpt
	t, err := samlTime(noa, "SubjectConfirmationData NotOnOrAfter")
	if err != nil {
		return err
	}
	if !now.Before(t.Add(SAMLClockSkew)) {
		return expiredSAML(msgSAMLExpired, "SubjectConfirmationData NotOnOrAfter has passed")
	}
	id.NotOnOrAfter = t
	if nb, ok := attrOK(scd[0], "NotBefore"); ok {
		t, err := samlTime(nb, "SubjectConfirmationData NotBefore")
		if err != nil {
			return err
		}
		if t.After(now.Add(SAMLClockSkew)) {
			return invalidSAML(msgSAMLInvalid, "SubjectConfirmationData NotBefore is in the future")
		}
	}
	return nil
}

func (id *SAMLIdentity) readConditions(a *etree.Element, p *SAMLProvider, now time.Time) *Error {
	conds := children(a, nsAssertion, "Conditions")
	if len(conds) != 1 {
		return invalidSAML(msgSAMLAudience, fmt.Sprintf("the Assertion has %d Conditions, not 1", len(conds)))
	}
	c := conds[0]
	if nb, ok := attrOK(c, "NotBefore"); ok {
		t, err := samlTime(nb, "Conditions NotBefore")
		if err != nil {
			return err
		}
		if t.After(now.Add(SAMLClockSkew)) {
			return invalidSAML(msgSAMLInvalid, "Conditions NotBefore is in the future")
		}
	}
	if noa, ok := attrOK(c, "NotOnOrAfter"); ok {
		t, err := samlTime(noa, "Conditions NotOnOrAfter")
		if err != nil {
			return err
		}
		if !now.Before(t.Add(SAMLClockSkew)) {
			return expiredSAML(msgSAMLExpired, "Conditions NotOnOrAfter has passed")
		}
		if t.Before(id.NotOnOrAfter) {
			id.NotOnOrAfter = t
		}
	}
	restrictions := 0
	for _, el := range c.ChildElements() {
		switch {
		case isEl(el, nsAssertion, "AudienceRestriction"):
			restrictions++
			ok := false
			for _, au := range children(el, nsAssertion, "Audience") {
				v, err := text(au, "Audience")
				if err != nil {
					return err
				}
				id.Audiences = append(id.Audiences, v)
				ok = ok || p.isAudience(v)
			}
			// SAML core 2.5.1.4: each AudienceRestriction must be met.
			if !ok {
				return invalidSAML(msgSAMLAudience, "an AudienceRestriction names no AWS audience")
			}
		case isEl(el, nsAssertion, "OneTimeUse"), isEl(el, nsAssertion, "ProxyRestriction"):
		default:
			// SAML core 2.5.1: an unknown condition is Indeterminate.
			return invalidSAML(msgSAMLInvalid, "unsupported condition "+clip(el.FullTag()))
		}
	}
	if restrictions == 0 {
		return invalidSAML(msgSAMLAudience, "no AudienceRestriction")
	}
	return nil
}

func (id *SAMLIdentity) readAuthn(a *etree.Element, now time.Time) *Error {
	for _, as := range children(a, nsAssertion, "AuthnStatement") {
		v, ok := attrOK(as, "SessionNotOnOrAfter")
		if !ok {
			continue
		}
		t, err := samlTime(v, "SessionNotOnOrAfter")
		if err != nil {
			return err
		}
		if !now.Before(t) {
			return expiredSAML(msgSAMLExpired, "the AuthnStatement's SessionNotOnOrAfter has passed")
		}
		if id.SessionNotOnOrAfter.IsZero() || t.Before(id.SessionNotOnOrAfter) {
			id.SessionNotOnOrAfter = t
		}
	}
	return nil
}

var (
	samlSessionNameRE = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	samlDurationRE    = regexp.MustCompile(`^[0-9]{1,6}$`)
)

func (id *SAMLIdentity) readAttributes(a *etree.Element, p *SAMLProvider, roleARN string) *Error {
	attrs := map[string][]string{}
	var order []string
	for _, st := range children(a, nsAssertion, "AttributeStatement") {
		if len(children(st, nsAssertion, "EncryptedAttribute")) > 0 {
			return invalidSAML(msgSAMLInvalid, "encrypted attributes are not supported")
		}
		for _, at := range children(st, nsAssertion, "Attribute") {
			name := attr(at, "Name")
			if _, seen := attrs[name]; !seen {
				order = append(order, name)
				attrs[name] = []string{}
			}
			aws := strings.HasPrefix(name, awsAttrPrefix)
			for _, v := range children(at, nsAssertion, "AttributeValue") {
				s, err := textOf(v)
				if err != nil {
					if aws {
						return invalidSAML(msgSAMLInvalid, "attribute "+clip(name)+": "+err.Error())
					}
					continue
				}
				attrs[name] = append(attrs[name], strings.TrimSpace(s))
			}
		}
	}
	id.Attributes = attrs

	// Role: "roleArn,providerArn" pairs, in either order.
	for _, v := range attrs[attrRole] {
		r, pr, ok := strings.Cut(v, ",")
		if !ok {
			continue
		}
		r, pr = strings.TrimSpace(r), strings.TrimSpace(pr)
		if (r == roleARN && pr == p.ARN) || (pr == roleARN && r == p.ARN) {
			id.RoleARN = roleARN
			break
		}
	}
	if id.RoleARN == "" {
		reason := "no Role attribute pair names " + clip(roleARN) + " and " + p.ARN
		if _, ok := attrs[attrRole]; !ok {
			reason = "no Role attribute"
		}
		return invalidSAML(msgSAMLRole, reason)
	}

	sn, ok := attrs[attrSessionName]
	switch {
	case !ok || len(sn) == 0:
		return invalidSAML(msgSAMLNoSession, "no RoleSessionName attribute value")
	case len(sn) > 1:
		return invalidSAML(msgSAMLSessionName, "several RoleSessionName values")
	case !samlSessionNameRE.MatchString(sn[0]):
		return invalidSAML(msgSAMLSessionName, "RoleSessionName "+strconv.Quote(clip(sn[0]))+" does not match")
	}
	id.RoleSessionName = sn[0]

	if d, ok := attrs[attrDuration]; ok {
		if len(d) != 1 || !samlDurationRE.MatchString(d[0]) {
			return invalidSAML(msgSAMLInvalid, "SessionDuration is not one integer")
		}
		n, _ := strconv.Atoi(d[0])
		if n < minSAMLSessionDuration || n > maxSAMLSessionDuration {
			return invalidSAML(msgSAMLInvalid, fmt.Sprintf("SessionDuration %d is not %d to %d", n, minSAMLSessionDuration, maxSAMLSessionDuration))
		}
		id.SessionDuration = time.Duration(n) * time.Second
	}

	if s, ok := attrs[attrSourceID]; ok {
		if len(s) != 1 || !samlSessionNameRE.MatchString(s[0]) || strings.HasPrefix(s[0], "aws:") {
			return invalidSAML(msgSAMLSourceID, "SourceIdentity is not one valid value")
		}
		id.SourceIdentity, id.HasSourceIdentity = s[0], true
	}

	for _, name := range order {
		key, ok := strings.CutPrefix(name, attrTagPrefix)
		if !ok {
			continue
		}
		vals := attrs[name]
		if len(vals) != 1 {
			return invalidSAML(msgSAMLInvalid, "PrincipalTag:"+clip(key)+" needs exactly one value")
		}
		id.Tags = append(id.Tags, Tag{Key: key, Value: vals[0]})
	}
	sortTags(id.Tags)
	if t, ok := attrs[attrTransitive]; ok {
		id.TransitiveTagKeys = t
	}

	// Only one claim per key is mapped (the AWS page's note): the first
	// attribute, in document order, wins.
	for _, name := range order {
		key, ok := samlAttributeKeys[name]
		if !ok || len(attrs[name]) == 0 {
			continue
		}
		if id.AttributeKeys == nil {
			id.AttributeKeys = map[string][]string{}
		}
		if _, done := id.AttributeKeys[key]; !done {
			id.AttributeKeys[key] = attrs[name]
		}
	}
	return nil
}

// samlAttributeKeys maps attribute Names to the saml: condition keys AWS
// gives them, from the tables of
// id_roles_providers_create_saml_assertions.html#saml-attribute-mapping.
// AWS's X.500 table misspells three OIDs (2.4.5.42 for givenName,
// 0.9.2342.19200300100.1.1 and ...1.3 for uid and mail); both the table's
// and the correct spellings are mapped. The AD primarygroupsid claim maps
// to saml:primaryGroupSID (the key the Service Authorization Reference
// lists; an older table said uid).
var samlAttributeKeys = map[string]string{
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":  "saml:edupersonaffiliation",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.2":  "saml:edupersonnickname",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.3":  "saml:edupersonorgdn",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.4":  "saml:edupersonorgunitdn",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.5":  "saml:edupersonprimaryaffiliation",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.6":  "saml:edupersonprincipalname",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.7":  "saml:edupersonentitlement",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.8":  "saml:edupersonprimaryorgunitdn",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.9":  "saml:edupersonscopedaffiliation",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.10": "saml:edupersontargetedid",
	"urn:oid:1.3.6.1.4.1.5923.1.1.1.11": "saml:edupersonassurance",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.2":  "saml:eduorghomepageuri",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.3":  "saml:eduorgidentityauthnpolicyuri",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.4":  "saml:eduorglegalname",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.5":  "saml:eduorgsuperioruri",
	"urn:oid:1.3.6.1.4.1.5923.1.2.1.6":  "saml:eduorgwhitepagesuri",
	"urn:oid:2.5.4.3":                   "saml:cn",

	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name":              "saml:name",
	"http://schemas.xmlsoap.org/claims/CommonName":                            "saml:commonName",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname":         "saml:givenName",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname":           "saml:surname",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress":      "saml:mail",
	"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid": "saml:primaryGroupSID",

	"2.5.4.3":                    "saml:commonName",
	"2.5.4.4":                    "saml:surname",
	"2.4.5.42":                   "saml:givenName",
	"2.5.4.42":                   "saml:givenName",
	"2.5.4.45":                   "saml:x500UniqueIdentifier",
	"0.9.2342.19200300100.1.1":   "saml:uid",
	"0.9.2342.19200300.100.1.1":  "saml:uid",
	"0.9.2342.19200300100.1.3":   "saml:mail",
	"0.9.2342.19200300.100.1.3":  "saml:mail",
	"0.9.2342.19200300.100.1.45": "saml:organizationStatus",
}

// samlListKeys are the saml: keys whose values are lists ("[]" on the
// condition keys page); the others take one value.
var samlListKeys = map[string]bool{
	"saml:cn": true, "saml:edupersonaffiliation": true, "saml:edupersonassurance": true,
	"saml:edupersonentitlement": true, "saml:edupersonnickname": true, "saml:edupersonorgunitdn": true,
	"saml:edupersonscopedaffiliation": true, "saml:edupersontargetedid": true, "saml:eduorghomepageuri": true,
	"saml:eduorgidentityauthnpolicyuri": true, "saml:eduorglegalname": true, "saml:eduorgsuperioruri": true,
	"saml:eduorgwhitepagesuri": true,
}

// SetConditionKeys puts the keys AWS gives a trust policy for this
// response into c (reference_policies_iam-condition-keys.html#condition-keys-saml):
// saml:aud (the Recipient, not the Audience), saml:iss, saml:sub,
// saml:sub_type, saml:namequalifier, saml:doc (ACCOUNT/NAME), the
// attribute keys of [SAMLIdentity.AttributeKeys] (list keys as lists,
// the others single-valued with their first value), and
// aws:FederatedProvider (the provider's ARN).
func (id *SAMLIdentity) SetConditionKeys(c *condition.Context) {
	c.Set("saml:aud", id.Audience)
	c.Set("saml:iss", id.Issuer)
	c.Set("saml:sub", id.Subject)
	c.Set("saml:sub_type", id.SubjectType)
	c.Set("saml:namequalifier", id.NameQualifier)
	c.Set("saml:doc", id.Provider.Doc())
	for k, v := range id.AttributeKeys {
		if samlListKeys[k] {
			c.SetList(k, v)
		} else {
			c.Set(k, v[0])
		}
	}
	c.Set("aws:FederatedProvider", id.Provider.ARN)
}

// signinHosts are the sign-in hosts of each partition: the host of the
// global endpoint and the suffix of the regional ones
// (https://REGION.signin.aws.amazon.com/saml).
var signinHosts = map[string]string{
	"aws":        "signin.aws.amazon.com",
	"aws-cn":     "signin.amazonaws.cn",
	"aws-us-gov": "signin.amazonaws-us-gov.com",
}

// samlAudiences are the SP entity IDs of AWS's sign-in metadata, per
// partition (urn:amazon:webservices in saml-metadata.xml; the China and
// GovCloud names are inferred from their metadata).
var samlAudiences = map[string][]string{
	"aws":        {"urn:amazon:webservices"},
	"aws-cn":     {"urn:amazon:webservices:cn-north-1", "urn:amazon:webservices"},
	"aws-us-gov": {"urn:amazon:webservices:govcloud", "urn:amazon:webservices"},
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// isRecipient reports whether u is an AWS SAML sign-in endpoint of p's
// partition: https://HOST/saml or https://HOST/static/saml, HOST being
// the global sign-in host or REGION.HOST
// (id_roles_providers_create_saml_assertions.html).
func (p *SAMLProvider) isRecipient(u string) bool {
	base := signinHosts[p.Partition()]
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok || base == "" {
		return false
	}
	host, path, _ := strings.Cut(rest, "/")
	if path != "saml" && path != "static/saml" {
		return false
	}
	if host == base {
		return true
	}
	region, ok := strings.CutSuffix(host, "."+base)
	return ok && regionRE.MatchString(region)
}

// isAudience reports whether v is an audience AWS accepts: its SP entity
// ID or one of its sign-in endpoints ("specify either
// https://signin.aws.amazon.com/saml or urn:amazon:webservices").
func (p *SAMLProvider) isAudience(v string) bool {
	for _, a := range samlAudiences[p.Partition()] {
		if v == a {
			return true
		}
	}
	return p.isRecipient(v)
}

// XML helpers. Elements are matched by namespace URI and local name,
// never by prefix; attributes only when unqualified.

func isEl(el *etree.Element, ns, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == ns
}

func children(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if isEl(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

func attrOK(el *etree.Element, key string) (string, bool) {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

func attr(el *etree.Element, key string) string {
	v, _ := attrOK(el, key)
	return v
}

// one returns the single child ns:local of el, or an error with msg.
func one(el *etree.Element, ns, local, msg string) (*etree.Element, *Error) {
	l := children(el, ns, local)
	if len(l) != 1 {
		return nil, invalidSAML(msg, fmt.Sprintf("%s has %d %s elements, not 1", el.Tag, len(l), local))
	}
	return l[0], nil
}

// textOf returns all the character data of el, comments skipped, so that
// "admin<!---->@evil" reads "admin@evil", never "admin"; an element
// child is an error.
func textOf(el *etree.Element) (string, error) {
	var b strings.Builder
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.CharData:
			b.WriteString(t.Data)
		case *etree.Element:
			return "", errors.New(el.Tag + " holds an element, not text")
		}
	}
	return b.String(), nil
}

// text is textOf with surrounding XML whitespace removed, as an error
// naming what.
func text(el *etree.Element, what string) (string, *Error) {
	s, err := textOf(el)
	if err != nil {
		return "", invalidSAML(msgSAMLInvalid, what+": "+err.Error())
	}
	return strings.Trim(s, " \t\r\n"), nil
}

func samlTime(v, what string) (time.Time, *Error) {
	t, err := parseSAMLTime(v)
	if err != nil {
		return time.Time{}, invalidSAML(msgSAMLInvalid, what+" "+strconv.Quote(clip(v))+" is not an xs:dateTime")
	}
	return t, nil
}

// parseSAMLTime parses an xs:dateTime as SAML uses it (UTC, "Z"; other
// offsets are accepted; fractional seconds optional).
func parseSAMLTime(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
}
