package world

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/principal"
)

// samlNameRE is CreateSAMLProvider's Name pattern.
var samlNameRE = regexp.MustCompile(`^[\w._-]{1,128}$`)

var (
	worldSAMLFields    = []string{"arn", "metadata", "metadataFile", "testIdP"}
	worldSAMLIdPFields = []string{"entityId", "privateKey", "certificate"}
)

// A TestSAMLIdP is a world's test SAML identity provider: the IAM SAML
// provider it is registered as, and the IdP that signs responses for it
// ("iamkit mint saml").
type TestSAMLIdP struct {
	Provider *federation.SAMLProvider
	IdP      *federation.SAMLTestIdP
}

// TestSAMLIdPs returns the world's test SAML identity providers, in file
// order.
func (w *World) TestSAMLIdPs() []TestSAMLIdP { return append([]TestSAMLIdP(nil), w.samlIdPs...) }

// TestSAMLIdP returns the test IdP registered as the SAML provider
// providerARN, or, with providerARN "", the world's first.
func (w *World) TestSAMLIdP(providerARN string) (TestSAMLIdP, bool) {
	for _, t := range w.samlIdPs {
		if providerARN == "" || t.Provider.ARN == providerARN {
			return t, true
		}
	}
	return TestSAMLIdP{}, false
}

// samlProvider decodes and stores a SAML provider: its ARN, its IdP
// metadata XML, and optionally a test IdP (entity ID, RSA private key and
// certificate) that signs responses for it. Without metadata, the test
// IdP's own metadata registers the provider.
func (d *worldDecoder) samlProvider(path string, v *jsonpos.Value) *TestSAMLIdP {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldSAMLFields, "arn")
	if !ok || f["arn"] == nil {
		return nil
	}
	arnv := f["arn"]
	arn := d.str(path+".arn", arnv)
	metadata := d.str(path+".metadata", f["metadata"])
	metadataPos := jsonpos.Pos{}
	if mv := f["metadata"]; mv != nil {
		metadataPos = mv.Pos
	}
	if fv := f["metadataFile"]; fv != nil {
		file := d.str(path+".metadataFile", fv)
		switch {
		case f["metadata"] != nil:
			d.errorf(path+".metadataFile", fv.Pos, "give metadata or metadataFile, not both")
		case d.readFile == nil:
			d.errorf(path+".metadataFile", fv.Pos, "a world loaded from bytes reads no files; load it with LoadFile, or give metadata inline")
		case file != "":
			b, err := d.readFile(file)
			if err != nil {
				d.errorf(path+".metadataFile", fv.Pos, "%s", capQuoted(err.Error()))
			}
			metadata, metadataPos = string(b), fv.Pos
		}
	}
	var idp *federation.SAMLTestIdP
	if iv := f["testIdP"]; iv != nil {
		idp = d.samlTestIdP(path+".testIdP", iv)
	}
	if len(d.errs) > nerr {
		return nil
	}
	a, err := principal.ParseARN(arn)
	name, isSAML := strings.CutPrefix(a.Resource, "saml-provider/")
	if err != nil || a.Service != "iam" || a.Region != "" || !isSAML {
		d.errorf(path+".arn", arnv.Pos, "%s is not a SAML provider ARN (arn:aws:iam::ACCOUNT:saml-provider/NAME)", jsonpos.Echo(arn))
		return nil
	}
	if !samlNameRE.MatchString(name) {
		d.errorf(path+".arn", arnv.Pos, "the provider name %s must be 1 to 128 characters of letters, digits and _.- (CreateSAMLProvider)", jsonpos.Echo(name))
		return nil
	}
	at := arnv.Pos
	switch {
	case metadata == "" && idp == nil:
		d.errorf(path, v.Pos, "needs metadata (the IdP's SAML metadata XML), metadataFile or a testIdP")
		return nil
	case metadata == "":
		metadata = string(idp.Metadata())
	default:
		at = metadataPos
	}
	p, err := federation.NewSAMLProviderIn(a.Partition, a.Account, name, []byte(metadata))
	if err != nil {
		d.errorf(path+".metadata", at, "%s", capQuoted(providerReason(err)))
		return nil
	}
	if idp != nil {
		if p.EntityID != idp.EntityID {
			d.errorf(path+".testIdP.entityId", f["testIdP"].Pos, "is %s, but the metadata's entityID is %s", jsonpos.Echo(idp.EntityID), jsonpos.Echo(p.EntityID))
			return nil
		}
		if !hasCert(p, idp.Cert) {
			d.errorf(path+".testIdP.certificate", f["testIdP"].Pos, "is not a signing certificate of the metadata")
			return nil
		}
		d.keyHashes = append(d.keyHashes, sha256.Sum256(idp.Cert.RawSubjectPublicKeyInfo))
	}
	if !d.firstDefinition(path+".arn", "SAML provider", p.ARN, arnv.Pos) {
		return nil
	}
	d.put(path+".arn", arnv.Pos, d.dir.PutSAMLProvider(p))
	if idp == nil {
		return nil
	}
	return &TestSAMLIdP{Provider: p, IdP: idp}
}

func hasCert(p *federation.SAMLProvider, c *x509.Certificate) bool {
	for _, pc := range p.Certificates {
		if bytes.Equal(pc.Raw, c.Raw) {
			return true
		}
	}
	return false
}

// samlTestIdP decodes a test IdP: its entity ID, an RSA private key
// (PKCS #8 or PKCS #1) and its certificate, each PEM or base64 DER.
// Messages never repeat the key.
func (d *worldDecoder) samlTestIdP(path string, v *jsonpos.Value) *federation.SAMLTestIdP {
	f, ok := d.object(path, v, worldSAMLIdPFields, "entityId", "privateKey", "certificate")
	if !ok {
		return nil
	}
	entityID := d.str(path+".entityId", f["entityId"])
	keyText := d.str(path+".privateKey", f["privateKey"])
	certText := d.str(path+".certificate", f["certificate"])
	if entityID == "" || keyText == "" || certText == "" {
		return nil
	}
	var key crypto.Signer
	if der, err := pemOrBase64(keyText, "PRIVATE KEY", "RSA PRIVATE KEY"); err != nil {
		d.errorf(path+".privateKey", f["privateKey"].Pos, "must be an RSA private key, PEM or base64 DER (%v; the key is not shown)", err)
	} else if k, err := parseRSAKey(der); err != nil {
		d.errorf(path+".privateKey", f["privateKey"].Pos, "must be an RSA private key, PEM or base64 DER (%v; the key is not shown)", err)
	} else {
		key = k
	}
	var cert *x509.Certificate
	if der, err := pemOrBase64(certText, "CERTIFICATE"); err != nil {
		d.errorf(path+".certificate", f["certificate"].Pos, "must be an X.509 certificate, PEM or base64 DER (%v)", err)
	} else if c, err := x509.ParseCertificate(der); err != nil {
		d.errorf(path+".certificate", f["certificate"].Pos, "must be an X.509 certificate, PEM or base64 DER (%s)", capQuoted(err.Error()))
	} else {
		cert = c
	}
	if key == nil || cert == nil {
		return nil
	}
	if pub, ok := cert.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(key.Public()) {
		d.errorf(path+".certificate", f["certificate"].Pos, "is not the certificate of privateKey")
		return nil
	}
	return &federation.SAMLTestIdP{Key: key, Cert: cert, EntityID: entityID}
}

// pemOrBase64 returns the DER bytes of a PEM block of one of the types, or
// of standard base64 text.
func pemOrBase64(s string, types ...string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-----BEGIN") {
		b, rest := pem.Decode([]byte(s))
		if b == nil {
			return nil, errors.New("not valid PEM")
		}
		if len(bytes.TrimSpace(rest)) > 0 {
			return nil, errors.New("more than one PEM block")
		}
		for _, t := range types {
			if b.Type == t {
				return b.Bytes, nil
			}
		}
		return nil, fmt.Errorf("a PEM block of type %s, not %s", jsonpos.Echo(b.Type), strings.Join(types, " or "))
	}
	b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, errors.New("neither PEM nor base64")
	}
	return b, nil
}

func parseRSAKey(der []byte) (*rsa.PrivateKey, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("not a PKCS #8 or PKCS #1 private key")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key (IAM's SAML providers take RSA certificates)")
	}
	return rk, nil
}
