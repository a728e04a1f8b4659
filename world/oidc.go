package world

import (
	"crypto"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/principal"
)

var worldOIDCFields = []string{"arn", "clientIds", "thumbprints", "jwks", "signingKeys"}

// TestOIDCIssuers returns the world's test OIDC issuers, one per signing
// key of its oidcProviders, in file order: what "iamkit mint oidc" signs
// tokens with.
func (w *World) TestOIDCIssuers() []*federation.TestOIDCIssuer {
	return append([]*federation.TestOIDCIssuer(nil), w.oidcIssuers...)
}

// TestOIDCIssuer returns the first test issuer whose provider's URL is
// url, or, with url "", the world's first test issuer.
func (w *World) TestOIDCIssuer(url string) (*federation.TestOIDCIssuer, bool) {
	for _, is := range w.oidcIssuers {
		if url == "" || is.Provider().URL == url {
			return is, true
		}
	}
	return nil, false
}

// oidcProvider decodes and stores an OpenID Connect provider: its ARN
// (whose resource is the issuer URL without https://), client IDs,
// thumbprints, inline public keys (jwks) and the private keys of a test
// issuer (signingKeys), whose public parts join the provider's keys. It
// returns the test issuers.
func (d *worldDecoder) oidcProvider(path string, v *jsonpos.Value) []*federation.TestOIDCIssuer {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldOIDCFields, "arn", "clientIds")
	if !ok || f["arn"] == nil {
		return nil
	}
	arnv := f["arn"]
	arn := d.str(path+".arn", arnv)
	clientIDs := d.strings(path+".clientIds", f["clientIds"])
	thumbprints := d.strings(path+".thumbprints", f["thumbprints"])
	if len(d.errs) > nerr {
		return nil
	}
	a, err := principal.ParseARN(arn)
	host, isOIDC := strings.CutPrefix(a.Resource, "oidc-provider/")
	if err != nil || a.Service != "iam" || a.Region != "" || !isOIDC || host == "" {
		d.errorf(path+".arn", arnv.Pos, "%s is not an OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH)", jsonpos.Echo(arn))
		return nil
	}
	p, err := federation.NewOIDCProviderIn(a.Partition, a.Account, "https://"+host, clientIDs, thumbprints)
	if err != nil {
		d.errorf(path+".arn", arnv.Pos, "%s", capQuoted(providerReason(err)))
		return nil
	}
	var keys []jose.JSONWebKey
	if jv := f["jwks"]; jv != nil {
		keys = d.jwks(path+".jwks", jv)
	}
	var issuers []*federation.TestOIDCIssuer
	for i, kv := range d.array(path+".signingKeys", f["signingKeys"]) {
		kp := fmt.Sprintf("%s.signingKeys[%d]", path, i)
		key, ok := d.jwk(kp, kv)
		if !ok {
			continue
		}
		is, err := federation.NewTestOIDCIssuer(p, key)
		if err != nil {
			d.errorf(kp, kv.Pos, "%s", capQuoted(strings.TrimPrefix(err.Error(), "federation: ")))
			continue
		}
		pub := is.PublicKey()
		if tp, err := pub.Thumbprint(crypto.SHA256); err == nil {
			d.keyHashes = append(d.keyHashes, sha256.Sum256(tp))
		}
		keys = append(keys, pub)
		issuers = append(issuers, is)
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.KeyID] {
			d.errorf(path, v.Pos, "two keys have the key ID %s", jsonpos.Echo(k.KeyID))
		}
		seen[k.KeyID] = true
	}
	if f["jwks"] != nil || f["signingKeys"] != nil {
		p.Keys = &jose.JSONWebKeySet{Keys: keys}
	}
	if len(d.errs) > nerr || !d.firstDefinition(path+".arn", "OIDC provider", p.ARN, arnv.Pos) {
		return nil
	}
	if p.ARN != arn {
		d.errorf(path+".arn", arnv.Pos, "the ARN of the provider for %s is %s", jsonpos.Echo(p.URL), jsonpos.Echo(p.ARN))
		return nil
	}
	d.put(path+".arn", arnv.Pos, d.dir.PutOIDCProvider(p))
	return issuers
}

// providerReason is the reason of a federation.ProviderError.
func providerReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "federation:") {
		return msg[i+2:]
	}
	return msg
}

// jwks decodes an inline JSON Web Key Set of public signing keys.
func (d *worldDecoder) jwks(path string, v *jsonpos.Value) []jose.JSONWebKey {
	f, ok := d.object(path, v, []string{"keys"}, "keys")
	if !ok {
		return nil
	}
	var keys []jose.JSONWebKey
	for i, kv := range d.array(path+".keys", f["keys"]) {
		kp := fmt.Sprintf("%s.keys[%d]", path, i)
		key, ok := d.jwk(kp, kv)
		if !ok {
			continue
		}
		if !key.IsPublic() {
			// Refused rather than stripped: a private key pasted here
			// is a mistake to point out, and serving it is a leak.
			d.errorf(kp, kv.Pos, "holds a private key; jwks takes public keys (a test issuer's private key goes in signingKeys)")
			continue
		}
		if key.Use != "" && key.Use != "sig" {
			d.errorf(kp, kv.Pos, "use is %s, not sig", jsonpos.Echo(key.Use))
			continue
		}
		keys = append(keys, key)
	}
	return keys
}

// jwk decodes one JSON Web Key (RFC 7517) with a key ID. Messages never
// repeat key material.
func (d *worldDecoder) jwk(path string, v *jsonpos.Value) (jose.JSONWebKey, bool) {
	var key jose.JSONWebKey
	if v.Kind != jsonpos.Object {
		d.errorf(path, v.Pos, "must be a JSON Web Key object, not %s", v.Kind)
		return key, false
	}
	doc, _ := jsonpos.Embed(d.data, v)
	if err := json.Unmarshal(doc.Doc, &key); err != nil {
		d.errorf(path, v.Pos, "not a valid JSON Web Key (RFC 7517): %s", jwkReason(err))
		return key, false
	}
	if _, symmetric := key.Key.([]byte); symmetric {
		d.errorf(path, v.Pos, "a symmetric key cannot sign web identity tokens (AWS accepts RSA and ECDSA signatures only)")
		return key, false
	}
	if key.KeyID == "" {
		d.errorf(path, v.Pos, "missing kid (key ID)")
		return key, false
	}
	return key, true
}

// jwkReason is go-jose's complaint about a key without its prefix; it
// names fields, never their values.
func jwkReason(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "go-jose/go-jose: ")
	return capQuoted(msg)
}
