package federation

import (
	"encoding/base64"
	"testing"

	"github.com/beevik/etree"
)

// FuzzParseSAMLResponse: parsing any SAMLAssertion value, then verifying
// it, never panics, and nothing unsigned verifies.
func FuzzParseSAMLResponse(f *testing.F) {
	p := samlProvider(f)
	f.Add(mintWith(f, nil))
	f.Add(mintWith(f, func(o *SAMLResponseOptions) { o.Sign = SignBoth }))
	f.Add(base64.StdEncoding.EncodeToString([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`)))
	f.Fuzz(func(t *testing.T, b64 string) {
		r, err := ParseSAMLResponse(b64)
		if err != nil {
			return
		}
		id, err := p.Verify(r, samlRole, t0)
		if err == nil && !signedSubject[id.Subject] {
			t.Fatalf("verified a subject the IdP never signed: %+v", id)
		}
	})
}

// signedSubject are the NameIDs of the responses the fuzz targets'
// seeds carry: the only ones that can verify.
var signedSubject = map[string]bool{"alice@example.com": true, "bob@example.com": true}

// FuzzSAMLVerify: any XML document, sent as a response, never panics
// Verify, and verifies only to what the test IdP signed: mutations of a
// signed seed may move, wrap, duplicate or comment its elements, but the
// identity read is the signed one or none.
func FuzzSAMLVerify(f *testing.F) {
	p := samlProvider(f)
	raw := func(b64 string) []byte {
		b, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	bob := func(o *SAMLResponseOptions) { o.NameID, o.RoleSessionName = "bob@example.com", "bob" }
	valid := mintWith(f, nil)
	f.Add(raw(valid))
	f.Add(raw(mintWith(f, func(o *SAMLResponseOptions) { bob(o); o.Sign = SignResponse })))
	f.Add(raw(mintWith(f, func(o *SAMLResponseOptions) { o.Sign = SignBoth; o.Tags = []Tag{{"k", "v"}} })))
	// The shapes of the attack table, for the fuzzer to mutate further.
	f.Add(raw(mutate(f, valid, func(d *etree.Document) {
		a := assertionOf(d)
		d.Root().InsertChildAt(a.Index(), evilTwin(a))
	})))
	f.Add(raw(mutate(f, valid, func(d *etree.Document) {
		r := d.Root()
		a := assertionOf(d)
		ext := etree.NewElement("samlp:Extensions")
		r.InsertChildAt(a.Index(), ext)
		r.RemoveChild(a)
		ext.AddChild(a)
		r.AddChild(evilTwin(a))
	})))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := ParseSAMLResponse(base64.StdEncoding.EncodeToString(doc))
		if err != nil {
			return
		}
		id, err := p.Verify(r, samlRole, t0)
		if err != nil {
			return
		}
		if !signedSubject[id.Subject] || id.RoleARN != samlRole || id.Issuer != samlEntity {
			t.Fatalf("verified what the IdP never signed: %+v", id)
		}
	})
}
