package federation

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/condition"
)

// Error is a failed verification, with the code and message AWS STS
// answers AssumeRoleWithWebIdentity with. Compare with errors.Is against
// the sentinels: two *Error values match when their codes are equal.
type Error struct {
	Code    string // "InvalidIdentityToken", "ExpiredTokenException", ...
	Message string // AWS's message
	// Reason says precisely what failed, for logs and tests. It is never
	// part of Message: AWS's answers do not say which check failed.
	Reason string
}

// Error returns "federation: CODE: MESSAGE (REASON)".
func (e *Error) Error() string {
	s := "federation: " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

// The sentinels, with AWS's codes (API_AssumeRoleWithWebIdentity.html,
// Errors).
var (
	// ErrInvalidIdentityToken: the token is malformed, badly signed, for
	// another audience or issuer, or its key is unknown.
	ErrInvalidIdentityToken = &Error{Code: "InvalidIdentityToken"}
	// ErrExpiredToken: the token expired more than 5 minutes ago.
	ErrExpiredToken = &Error{Code: "ExpiredTokenException"}
	// ErrIDPCommunication: the provider's keys could not be fetched.
	ErrIDPCommunication = &Error{Code: "IDPCommunicationError"}
)

// AWS's messages.
const (
	msgInvalidToken = "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."
	msgAudience     = "Incorrect token audience"
	msgNoKey        = "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements"
	msgIDPComm      = "The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. This is often a transient error caused by network conditions. Retry the request a limited number of times and wait an increasing amount of time between attempts."
)

func invalidToken(reason string) *Error {
	return &Error{Code: "InvalidIdentityToken", Message: msgInvalidToken, Reason: reason}
}

// Token limits: the WebIdentityToken member is 4 to 20,000 characters
// (API_AssumeRoleWithWebIdentity.html), and AWS accepts a token up to 5
// minutes after its exp (id_roles_providers_oidc.html).
const (
	MinTokenLen = 4
	MaxTokenLen = 20000
	Leeway      = 5 * time.Minute
)

// SignatureAlgorithms are the algorithms AWS accepts for web identity
// tokens: RSA and ECDSA with SHA-256, -384 or -512.
var SignatureAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.ES256, jose.ES384, jose.ES512}

// A WebIdentityToken is a parsed, not yet verified, web identity token.
// Only its issuer is read before verification, to find the provider.
type WebIdentityToken struct {
	jws    *jose.JSONWebSignature
	issuer string
}

// ParseWebIdentityToken parses token in JWS compact serialization and
// reads its (unverified) issuer. It refuses, as InvalidIdentityToken, a
// token outside 4 to 20,000 characters, a JWE or JSON-serialized token, an
// alg outside [SignatureAlgorithms], a crit header, a nested token and a
// payload that is not a JSON object with a string iss.
func ParseWebIdentityToken(token string) (*WebIdentityToken, error) {
	if n := len(token); n < MinTokenLen || n > MaxTokenLen {
		return nil, invalidToken(fmt.Sprintf("token is %d characters, not %d to %d", n, MinTokenLen, MaxTokenLen))
	}
	if strings.Count(token, ".") != 2 {
		return nil, invalidToken("not a JWS in compact serialization (three dot-separated parts)")
	}
	jws, err := jose.ParseSignedCompact(token, SignatureAlgorithms)
	if err != nil {
		return nil, invalidToken("JWS: " + clip(err.Error()))
	}
	if len(jws.Signatures) != 1 {
		return nil, invalidToken("not exactly one signature")
	}
	h := jws.Signatures[0].Protected
	if _, ok := h.ExtraHeaders["crit"]; ok {
		return nil, invalidToken("crit header")
	}
	if cty, _ := h.ExtraHeaders[jose.HeaderContentType].(string); strings.EqualFold(cty, "JWT") {
		return nil, invalidToken("nested token (cty JWT)")
	}
	if h.JSONWebKey != nil || h.ExtraHeaders["jku"] != nil || h.ExtraHeaders["x5u"] != nil {
		// Keys come from the provider only; a token naming its own key
		// is refused rather than silently ignored.
		return nil, invalidToken("the token carries or points to its own key (jwk, jku or x5u header)")
	}
	var probe struct {
		Iss json.RawMessage `json:"iss"`
	}
	payload := jws.UnsafePayloadWithoutVerification()
	if err := json.Unmarshal(payload, &probe); err != nil {
		return nil, invalidToken("payload is not a JSON object")
	}
	var iss string
	if err := json.Unmarshal(probe.Iss, &iss); err != nil || iss == "" {
		return nil, invalidToken("no string iss claim")
	}
	return &WebIdentityToken{jws: jws, issuer: iss}, nil
}

// Issuer returns the token's iss claim, unverified: use it only to find
// the provider, then [OIDCProvider.Verify] the token.
func (t *WebIdentityToken) Issuer() string { return t.issuer }

// KeyID returns the token's kid header, unverified.
func (t *WebIdentityToken) KeyID() string { return t.jws.Signatures[0].Protected.KeyID }

// Algorithm returns the token's alg header.
func (t *WebIdentityToken) Algorithm() string { return t.jws.Signatures[0].Protected.Algorithm }

// A WebIdentity is what a verified token says.
type WebIdentity struct {
	Provider *OIDCProvider
	// Subject is the sub claim (AWS's SubjectFromWebIdentityToken).
	Subject string
	// Audience is the client ID the token was accepted for: azp when the
	// token has one in the provider's client IDs, else the first aud that
	// is.
	Audience string
	// Audiences is the aud claim; AuthorizedParty the azp claim.
	Audiences       []string
	AuthorizedParty string
	// AMR is the amr claim (authentication methods), when present.
	AMR []string
	// IssuedAt (zero without iat) and ExpiresAt are the token's times.
	IssuedAt, ExpiresAt time.Time
	// Tags and TransitiveTagKeys come from the
	// "https://aws.amazon.com/tags" claim, SourceIdentity from
	// "https://aws.amazon.com/source_identity"
	// (id_session-tags.html#id_session-tags_adding-assume-role-idp).
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// HasSourceIdentity tells a present but empty source_identity claim
	// from an absent one.
	HasSourceIdentity bool
}

// A Tag is a session tag a token asks for.
type Tag struct{ Key, Value string }

// Verify checks that t was issued by p, as AWS checks a web identity token
// (see the package doc), and returns what it says. keys supplies p's keys
// when p has no inline [OIDCProvider.Keys]; now is the current time.
func (p *OIDCProvider) Verify(ctx context.Context, t *WebIdentityToken, keys KeySource, now time.Time) (*WebIdentity, error) {
	if p == nil || t == nil || t.jws == nil {
		return nil, invalidToken("no provider or token")
	}
	sig := t.jws.Signatures[0].Protected
	cands, err := p.candidateKeys(ctx, keys, sig.KeyID, sig.Algorithm)
	if err != nil {
		return nil, err
	}
	var payload []byte
	for _, k := range cands {
		if payload, err = t.jws.Verify(k.Key); err == nil {
			break
		}
	}
	if payload == nil {
		return nil, invalidToken("signature does not verify with the provider's key")
	}
	c, perr := parseClaims(payload)
	if perr != nil {
		return nil, perr
	}
	if c.iss != p.URL {
		return nil, &Error{Code: "InvalidIdentityToken", Message: "No OpenIDConnect provider found in your account for " + clip(c.iss),
			Reason: "iss " + clip(c.iss) + " is not the provider URL " + p.URL}
	}
	w := &WebIdentity{Provider: p, Subject: c.sub, Audiences: c.aud, AuthorizedParty: c.azp, AMR: c.amr,
		Tags: c.tags, TransitiveTagKeys: c.transitive, SourceIdentity: c.sourceIdentity, HasSourceIdentity: c.hasSourceIdentity}
	switch {
	case c.azp != "" && contains(p.ClientIDs, c.azp):
		w.Audience = c.azp
	default:
		for _, a := range c.aud {
			if contains(p.ClientIDs, a) {
				w.Audience = a
				break
			}
		}
	}
	if w.Audience == "" {
		return nil, &Error{Code: "InvalidIdentityToken", Message: msgAudience, Reason: "neither azp nor aud is a client ID of " + p.ARN}
	}
	if c.sub == "" {
		return nil, invalidToken("no sub claim")
	}
	nowS := now.Unix()
	if !c.hasExp {
		return nil, invalidToken("no exp claim")
	}
	w.ExpiresAt = time.Unix(c.exp, 0).UTC()
	if now.Add(-Leeway).Unix() >= c.exp {
		return nil, &Error{Code: "ExpiredTokenException",
			Message: fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d", nowS, c.exp),
			Reason:  "exp plus 5 minutes has passed"}
	}
	limit := now.Add(Leeway).Unix()
	if c.hasNbf && c.nbf > limit {
		return nil, invalidToken("nbf more than 5 minutes in the future")
	}
	if c.hasIat {
		if c.iat > limit {
			return nil, invalidToken("iat more than 5 minutes in the future")
		}
		w.IssuedAt = time.Unix(c.iat, 0).UTC()
	}
	return w, nil
}

// candidateKeys returns the keys that may have signed a token with kid and
// alg, or the error that there are none.
func (p *OIDCProvider) candidateKeys(ctx context.Context, src KeySource, kid, alg string) ([]jose.JSONWebKey, error) {
	var all []jose.JSONWebKey
	switch {
	case p.Keys != nil:
		all = p.Keys.Keys
	case src != nil:
		ks, err := src.Keys(ctx, p, kid)
		if err != nil {
			if errors.Is(err, ErrKeysUnavailable) || ctx.Err() != nil {
				return nil, &Error{Code: "IDPCommunicationError", Message: msgIDPComm, Reason: clip(err.Error())}
			}
			return nil, &Error{Code: "InvalidIdentityToken", Message: msgNoKey, Reason: clip(err.Error())}
		}
		all = ks
	default:
		return nil, &Error{Code: "InvalidIdentityToken", Message: msgNoKey, Reason: "the provider has no keys and no key source was given"}
	}
	var out []jose.JSONWebKey
	for i := range all {
		k := &all[i]
		if kid != "" && k.KeyID != kid {
			continue
		}
		if checkVerificationKey(k) != "" || (k.Algorithm != "" && k.Algorithm != alg) || !keyFits(k, alg) {
			continue
		}
		out = append(out, *k)
	}
	switch {
	case len(out) == 0 && kid != "":
		return nil, &Error{Code: "InvalidIdentityToken", Message: msgNoKey, Reason: "no " + alg + " key with kid " + clip(kid)}
	case len(out) == 0:
		return nil, &Error{Code: "InvalidIdentityToken", Message: msgNoKey, Reason: "no " + alg + " key"}
	case kid == "" && len(out) > 1:
		return nil, invalidToken("no kid header, and the provider has several keys")
	}
	return out, nil
}

// checkVerificationKey returns why k cannot verify web identity tokens, or
// "".
func checkVerificationKey(k *jose.JSONWebKey) string {
	if k.Use != "" && k.Use != "sig" {
		return "use is " + clip(k.Use) + ", not sig"
	}
	switch key := k.Key.(type) {
	case *rsa.PublicKey:
		if key.N.BitLen() < 2048 {
			return "RSA key shorter than 2048 bits"
		}
	case *ecdsa.PublicKey:
		switch key.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return "unsupported elliptic curve"
		}
	default:
		return "not an RSA or ECDSA public key"
	}
	return ""
}

// keyFits reports whether k's type fits alg.
func keyFits(k *jose.JSONWebKey, alg string) bool {
	switch key := k.Key.(type) {
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS")
	case *ecdsa.PublicKey:
		switch alg {
		case "ES256":
			return key.Curve == elliptic.P256()
		case "ES384":
			return key.Curve == elliptic.P384()
		case "ES512":
			return key.Curve == elliptic.P521()
		}
	}
	return false
}

// claims are the verified payload's claims that AWS reads.
type claims struct {
	iss, sub, azp          string
	aud, amr               []string
	exp, nbf, iat          int64
	hasExp, hasNbf, hasIat bool
	tags                   []Tag
	transitive             []string
	sourceIdentity         string
	hasSourceIdentity      bool
}

const (
	tagsClaim           = "https://aws.amazon.com/tags"
	sourceIdentityClaim = "https://aws.amazon.com/source_identity"
)

func parseClaims(payload []byte) (*claims, *Error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(payload, &m); err != nil || m == nil {
		return nil, invalidToken("payload is not a JSON object")
	}
	c := &claims{}
	var err error
	str := func(name string, dst *string) {
		if raw, ok := m[name]; ok && err == nil {
			if json.Unmarshal(raw, dst) != nil {
				err = invalidToken(name + " is not a string")
			}
		}
	}
	list := func(name string, dst *[]string) {
		raw, ok := m[name]
		if !ok || err != nil {
			return
		}
		if l, ok := stringOrList(raw); ok {
			*dst = l
			return
		}
		err = invalidToken(name + " is not a string or a list of strings")
	}
	num := func(name string, dst *int64, has *bool) {
		raw, ok := m[name]
		if !ok || err != nil {
			return
		}
		// AWS: "timestamps ... must be integer/long". A JSON string
		// would decode into a json.Number: refuse it first.
		if len(raw) == 0 || raw[0] == '"' {
			err = invalidToken(name + " is not a number")
			return
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var n json.Number
		if d.Decode(&n) != nil {
			err = invalidToken(name + " is not a number")
			return
		}
		v, perr := n.Int64()
		if perr != nil {
			err = invalidToken(name + " is not an integer")
			return
		}
		*dst, *has = v, true
	}
	str("iss", &c.iss)
	str("sub", &c.sub)
	str("azp", &c.azp)
	list("aud", &c.aud)
	list("amr", &c.amr)
	num("exp", &c.exp, &c.hasExp)
	num("nbf", &c.nbf, &c.hasNbf)
	num("iat", &c.iat, &c.hasIat)
	if _, ok := m[sourceIdentityClaim]; ok && err == nil {
		c.hasSourceIdentity = true
		str(sourceIdentityClaim, &c.sourceIdentity)
	}
	if err != nil {
		return nil, err.(*Error)
	}
	if raw, ok := m[tagsClaim]; ok {
		if e := c.parseTags(raw); e != nil {
			return nil, e
		}
	}
	return c, nil
}

// parseTags reads {"principal_tags": {"K": ["v"]}, "transitive_tag_keys":
// ["K"]}; a value is a one-element list of strings (AWS's form) or a
// string.
func (c *claims) parseTags(raw json.RawMessage) *Error {
	var t struct {
		PrincipalTags     map[string]json.RawMessage `json:"principal_tags"`
		TransitiveTagKeys []string                   `json:"transitive_tag_keys"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return invalidToken(tagsClaim + " is not {principal_tags: {KEY: [VALUE]}, transitive_tag_keys: [KEY]}")
	}
	for k, v := range t.PrincipalTags {
		l, ok := stringOrList(v)
		if !ok || len(l) != 1 {
			return invalidToken(tagsClaim + ": principal tag " + clip(k) + " needs exactly one string value")
		}
		c.tags = append(c.tags, Tag{Key: k, Value: l[0]})
	}
	// Map order is random: sort for stable sessions.
	sortTags(c.tags)
	c.transitive = t.TransitiveTagKeys
	return nil
}

func sortTags(t []Tag) {
	for i := 1; i < len(t); i++ {
		for j := i; j > 0 && t[j].Key < t[j-1].Key; j-- {
			t[j], t[j-1] = t[j-1], t[j]
		}
	}
}

func stringOrList(raw json.RawMessage) ([]string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}, true
	}
	var l []string
	if json.Unmarshal(raw, &l) == nil && l != nil {
		return l, true
	}
	return nil, false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SetConditionKeys puts the keys AWS gives a trust policy for this token
// into c, named after the provider
// (reference_policies_iam-condition-keys.html#condition-keys-wif):
// PREFIX:aud (the accepted [WebIdentity.Audience]), PREFIX:oaud (the aud
// claim, when the audience came from azp), PREFIX:azp, PREFIX:sub and
// PREFIX:amr (multivalued). Other claims are not keys: AWS ignores them.
func (w *WebIdentity) SetConditionKeys(c *condition.Context) {
	pre := w.Provider.ConditionPrefix() + ":"
	c.Set(pre+"aud", w.Audience)
	if w.AuthorizedParty != "" {
		c.Set(pre+"azp", w.AuthorizedParty)
		if w.Audience == w.AuthorizedParty && len(w.Audiences) > 0 {
			c.SetList(pre+"oaud", w.Audiences)
		}
	}
	c.Set(pre+"sub", w.Subject)
	if w.AMR != nil {
		c.SetList(pre+"amr", w.AMR)
	}
}
