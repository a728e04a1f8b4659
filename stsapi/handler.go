// Package stsapi serves the AWS STS Query protocol over HTTP, so that the
// AWS SDKs, the AWS CLI and boto3 can call an in-process [sts.Issuer]
// unmodified: form-encoded requests (Action=...&Version=2011-06-15&...)
// signed with SigV4, XML responses in AWS's namespace with a RequestId, and
// errors as AWS's ErrorResponse with AWS's codes and HTTP statuses and the
// x-amzn-RequestId header.
//
// The protocol is described in
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonParameters.html,
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html and
// the response examples of each operation's API reference page.
//
// Every request must be signed except AssumeRoleWithWebIdentity and
// AssumeRoleWithSAML, which the SDKs send anonymously: the web identity
// token or SAML assertion is the proof of identity
// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html:
// "Calling AssumeRoleWithWebIdentity does not require the use of AWS
// security credentials"). A signed call of either is verified like any
// other, and its caller is then ignored.
//
// A [Handler] is an http.Handler with no listener of its own; serve it with
// net/http (the iamkit command's "serve" does) or httptest in tests.
package stsapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/sts"
)

// Namespace is the XML namespace of STS responses.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// APIVersion is the only Version the Query protocol accepts.
const APIVersion = "2011-06-15"

// maxFormSize bounds a request body. The largest legal request (a 2,048
// character policy, ten policy ARNs, fifty tags, a 10,240 character
// authorization message, all form-encoded) is well under it.
const maxFormSize = 256 << 10

// Options configure a [Handler].
type Options struct {
	// Issuer performs the operations. Required.
	Issuer *sts.Issuer
	// Verifier checks request signatures. Default: a verifier over Issuer
	// for the "sts" service in Region with Now, which reads at most the
	// largest legal request body.
	Verifier *credentials.Verifier
	// Region is the only region accepted in a request's SigV4 credential
	// scope by the default Verifier; a request signed for another region
	// is answered 403 SignatureDoesNotMatch, as AWS does. Default
	// Issuer.Region(). Ignored when Verifier is set.
	Region string
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand generates request IDs. Default crypto/rand.Reader.
	Rand io.Reader
}

// Handler serves the STS Query protocol. It is safe for concurrent use.
type Handler struct {
	issuer   *sts.Issuer
	verifier *credentials.Verifier
	rand     io.Reader
}

// NewHandler returns a Handler.
func NewHandler(opt Options) (*Handler, error) {
	if opt.Issuer == nil {
		return nil, errors.New("stsapi: Options.Issuer is required")
	}
	h := &Handler{issuer: opt.Issuer, verifier: opt.Verifier, rand: opt.Rand}
	if h.rand == nil {
		h.rand = rand.Reader
	}
	if h.verifier == nil {
		region := opt.Region
		if region == "" {
			region = opt.Issuer.Region()
		}
		v, err := credentials.NewVerifier(credentials.VerifierOptions{Resolver: opt.Issuer, Now: opt.Now, Service: "sts", Region: region,
			MaxBodySize: maxFormSize})
		if err != nil {
			return nil, err
		}
		h.verifier = v
	}
	return h, nil
}

// ActionRecorder receives the Action of the request a [Handler] serves,
// so that middleware around the handler (a request logger) can name the
// operation without reading the body itself. Create one per request with
// [WithActionRecorder]. It is safe for concurrent use.
type ActionRecorder struct {
	action atomic.Pointer[string]
}

type actionRecorderKey struct{}

// WithActionRecorder returns a context carrying a new ActionRecorder, and
// the recorder. Serve the request with that context
// (r.WithContext(ctx)); after ServeHTTP returns, rec.Action() names the
// STS action the request asked for.
func WithActionRecorder(ctx context.Context) (context.Context, *ActionRecorder) {
	rec := &ActionRecorder{}
	return context.WithValue(ctx, actionRecorderKey{}, rec), rec
}

// Action returns the STS action the handler parsed from the request, such
// as "AssumeRole": only the name of an action the handler implements, so
// client text is never repeated. It is "" when the request named none, an
// unknown one, or failed before its parameters were read (an unsigned or
// badly signed request, a body too large).
func (r *ActionRecorder) Action() string {
	if r == nil {
		return ""
	}
	if p := r.action.Load(); p != nil {
		return *p
	}
	return ""
}

// requestID returns an AWS-style request ID (a UUID).
func (h *Handler) requestID() string {
	var b [16]byte
	if _, err := io.ReadFull(h.rand, b[:]); err != nil {
		return "00000000-0000-4000-8000-000000000000"
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// ServeHTTP answers one STS call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := h.requestID()
	w.Header().Set("x-amzn-RequestId", id)
	result, err := h.serve(r)
	if err != nil {
		writeError(w, id, err)
		return
	}
	writeResult(w, id, result)
}

func (h *Handler) serve(r *http.Request) (response, error) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return nil, apiError("InvalidAction", http.StatusBadRequest, "The HTTP method %s is not supported; use POST or GET.", credentials.Printable(r.Method))
	}
	if r.ContentLength > maxFormSize {
		return nil, errTooLarge()
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxFormSize)
	var form url.Values
	var caller *sts.Session
	if unsigned(r) {
		// Only the anonymous actions may go unsigned; anything else gets
		// the verifier's answer (MissingAuthenticationToken).
		body, f, err := readFormKeep(r)
		var tooBig *sts.Error
		if errors.As(err, &tooBig) && tooBig.HTTPStatus == http.StatusRequestEntityTooLarge {
			return nil, err
		}
		if op := operations[f.Get("Action")]; err != nil || op == nil || !op.anonymous {
			r.Body = io.NopCloser(bytes.NewReader(body))
			_, err := h.verifier.Verify(r)
			if err == nil {
				err = apiError("MissingAuthenticationToken", http.StatusForbidden, "Request is missing Authentication Token")
			}
			return nil, err
		}
		form = f
	} else {
		verified, err := h.verifier.Verify(r)
		if err != nil {
			// The verifier reads the body to hash it: a body over its
			// limit or ours (chunked bodies have no Content-Length to
			// check first) is a 413, never an internal failure.
			var limit *http.MaxBytesError
			if errors.Is(err, credentials.ErrRequestEntityTooLarge) || errors.As(err, &limit) {
				return nil, errTooLarge()
			}
			return nil, err
		}
		caller = verified.Session
		if form, err = readForm(r); err != nil {
			return nil, err
		}
	}
	action := form.Get("Action")
	if action == "" {
		return nil, apiError("MissingAction", http.StatusBadRequest, "Missing Action")
	}
	op, ok := operations[action]
	if ok {
		if rec, _ := r.Context().Value(actionRecorderKey{}).(*ActionRecorder); rec != nil {
			rec.action.Store(&op.name)
		}
	}
	if v := form.Get("Version"); v != APIVersion {
		if v == "" {
			return nil, apiError("MissingParameter", http.StatusBadRequest, "The request must contain the parameter Version")
		}
		return nil, apiError("InvalidAction", http.StatusBadRequest, "Could not find operation %s for version %s", credentials.Printable(action), credentials.Printable(v))
	}
	if !ok {
		return nil, apiError("InvalidAction", http.StatusBadRequest, "Could not find operation %s for version %s", credentials.Printable(action), APIVersion)
	}
	if op.anonymous {
		caller = nil
	}
	return op.run(r.Context(), h.issuer, caller, params(form))
}

// errTooLarge answers a body over maxFormSize.
func errTooLarge() *sts.Error {
	return apiError("ValidationError", http.StatusRequestEntityTooLarge, "Request body too large (at most %d bytes).", maxFormSize)
}

// readForm reads the Query parameters: the URL's, and for POST the
// form-encoded body.
func readForm(r *http.Request) (url.Values, error) {
	_, form, err := readFormKeep(r)
	return form, err
}

// unsigned reports whether r carries no SigV4 signature at all: no
// Authorization header and no X-Amz-Algorithm query parameter.
func unsigned(r *http.Request) bool {
	if _, ok := r.Header["Authorization"]; ok {
		return false
	}
	return !r.URL.Query().Has("X-Amz-Algorithm")
}

// readFormKeep is readForm that also returns the body it read.
func readFormKeep(r *http.Request) ([]byte, url.Values, error) {
	form := r.URL.Query()
	var body []byte
	if r.Method == http.MethodPost && r.Body != nil {
		var err error
		body, err = io.ReadAll(r.Body)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, nil, errTooLarge()
			}
			// The verifier's body check (a body that does not hash to the
			// signed X-Amz-Content-Sha256) answers in AWS's words already.
			var apiErr *sts.Error
			if errors.As(err, &apiErr) {
				return nil, nil, apiErr
			}
			return nil, nil, apiError("MalformedQueryString", http.StatusBadRequest, "The request body could not be read.")
		}
		if ct := r.Header.Get("Content-Type"); len(body) > 0 && ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			return nil, nil, apiError("MalformedQueryString", http.StatusBadRequest, "Content-Type %s is not supported; the STS Query protocol is application/x-www-form-urlencoded.", credentials.Printable(ct))
		}
		bodyForm, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, apiError("MalformedQueryString", http.StatusBadRequest, "The request body is not valid form encoding: %s", credentials.Printable(err.Error()))
		}
		for k, v := range bodyForm {
			form[k] = append(form[k], v...)
		}
	}
	return body, form, nil
}

// params reads typed parameters from a form, remembering the first error.
type params url.Values

func (p params) str(name string) string { return url.Values(p).Get(name) }

func (p params) opt(name string) *string {
	if v, ok := p[name]; ok && len(v) > 0 {
		s := v[0]
		return &s
	}
	return nil
}

func (p params) int32(name string) (*int32, error) {
	s := p.opt(name)
	if s == nil {
		return nil, nil
	}
	n, err := strconv.ParseInt(*s, 10, 32)
	if err != nil {
		return nil, apiError("ValidationError", http.StatusBadRequest, "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must be a number", credentials.Printable(*s), lowerFirst(name))
	}
	v := int32(n)
	return &v, nil
}

// list reads the Query protocol's list encoding, NAME.member.1,
// NAME.member.2, ..., stopping at the first gap.
func (p params) list(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := p[fmt.Sprintf("%s.member.%d", name, i)]
		if !ok || len(v) == 0 {
			return out
		}
		out = append(out, v[0])
	}
}

func (p params) tags() []sts.Tag {
	var out []sts.Tag
	for i := 1; ; i++ {
		k, kok := p[fmt.Sprintf("Tags.member.%d.Key", i)]
		v, vok := p[fmt.Sprintf("Tags.member.%d.Value", i)]
		if !kok && !vok {
			return out
		}
		t := sts.Tag{}
		if len(k) > 0 {
			t.Key = k[0]
		}
		if len(v) > 0 {
			t.Value = v[0]
		}
		out = append(out, t)
	}
}

func (p params) policyARNs() []sts.PolicyDescriptorType {
	var out []sts.PolicyDescriptorType
	for i := 1; ; i++ {
		v, ok := p[fmt.Sprintf("PolicyArns.member.%d.arn", i)]
		if !ok || len(v) == 0 {
			return out
		}
		out = append(out, sts.PolicyDescriptorType{Arn: v[0]})
	}
}

// required reports AWS's error for absent required parameters.
func (p params) required(names ...string) error {
	var missing []string
	for _, n := range names {
		if _, ok := p[n]; !ok {
			missing = append(missing, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(n)))
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return apiError("ValidationError", http.StatusBadRequest, "1 validation error detected: %s", missing[0])
	}
	return apiError("ValidationError", http.StatusBadRequest, "%d validation errors detected: %s", len(missing), strings.Join(missing, "; "))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// response is an operation's result element, marshalled inside
// <ActionResponse> with its ResponseMetadata.
type response interface{ action() string }

type operationFunc func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error)

// operation is one STS action: its name (the map key, kept so recording it
// stores a pointer to a constant string) and its implementation.
type operation struct {
	name string
	run  operationFunc
	// anonymous: the action is served unsigned (its caller is nil).
	anonymous bool
}

var operations = func() map[string]*operation {
	m := make(map[string]*operation, len(operationFuncs))
	for name, f := range operationFuncs {
		m[name] = &operation{name: name, run: f, anonymous: anonymousActions[name]}
	}
	return m
}()

// anonymousActions are the actions the SDKs send unsigned.
var anonymousActions = map[string]bool{"AssumeRoleWithWebIdentity": true, "AssumeRoleWithSAML": true}

var operationFuncs = map[string]operationFunc{
	"AssumeRole": func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error) {
		if err := p.required("RoleArn", "RoleSessionName"); err != nil {
			return nil, err
		}
		dur, err := p.int32("DurationSeconds")
		if err != nil {
			return nil, err
		}
		minSize, err := p.int32("MinimumSessionTokenSize")
		if err != nil {
			return nil, err
		}
		in := &sts.AssumeRoleInput{RoleArn: p.str("RoleArn"), RoleSessionName: p.str("RoleSessionName"), DurationSeconds: dur, MinimumSessionTokenSize: minSize,
			ExternalId: p.opt("ExternalId"), Policy: p.opt("Policy"), SerialNumber: p.opt("SerialNumber"), TokenCode: p.opt("TokenCode"),
			SourceIdentity: p.opt("SourceIdentity"), PolicyArns: p.policyARNs(), Tags: p.tags(), TransitiveTagKeys: p.list("TransitiveTagKeys")}
		out, err := is.AssumeRole(ctx, caller, in)
		if err != nil {
			return nil, err
		}
		return &assumeRoleResult{SourceIdentity: out.SourceIdentity,
			AssumedRoleUser: xmlAssumedRoleUser{AssumedRoleID: out.AssumedRoleUser.AssumedRoleId, Arn: out.AssumedRoleUser.Arn},
			Credentials:     toXMLCredentials(out.Credentials), PackedPolicySize: out.PackedPolicySize, SessionTokenSize: out.SessionTokenSize}, nil
	},
	"AssumeRoleWithWebIdentity": func(ctx context.Context, is *sts.Issuer, _ *sts.Session, p params) (response, error) {
		if err := p.required("RoleArn", "RoleSessionName", "WebIdentityToken"); err != nil {
			return nil, err
		}
		dur, err := p.int32("DurationSeconds")
		if err != nil {
			return nil, err
		}
		minSize, err := p.int32("MinimumSessionTokenSize")
		if err != nil {
			return nil, err
		}
		in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: p.str("RoleArn"), RoleSessionName: p.str("RoleSessionName"),
			WebIdentityToken: p.str("WebIdentityToken"), ProviderId: p.opt("ProviderId"), DurationSeconds: dur,
			MinimumSessionTokenSize: minSize, Policy: p.opt("Policy"), PolicyArns: p.policyARNs()}
		out, err := is.AssumeRoleWithWebIdentity(ctx, in)
		if err != nil {
			return nil, err
		}
		return &assumeRoleWithWebIdentityResult{SubjectFromWebIdentityToken: out.SubjectFromWebIdentityToken, Audience: out.Audience,
			AssumedRoleUser: xmlAssumedRoleUser{AssumedRoleID: out.AssumedRoleUser.AssumedRoleId, Arn: out.AssumedRoleUser.Arn},
			Credentials:     toXMLCredentials(out.Credentials), SourceIdentity: out.SourceIdentity, Provider: out.Provider,
			PackedPolicySize: out.PackedPolicySize, SessionTokenSize: out.SessionTokenSize}, nil
	},
	"AssumeRoleWithSAML": func(ctx context.Context, is *sts.Issuer, _ *sts.Session, p params) (response, error) {
		if err := p.required("RoleArn", "PrincipalArn", "SAMLAssertion"); err != nil {
			return nil, err
		}
		dur, err := p.int32("DurationSeconds")
		if err != nil {
			return nil, err
		}
		minSize, err := p.int32("MinimumSessionTokenSize")
		if err != nil {
			return nil, err
		}
		in := &sts.AssumeRoleWithSAMLInput{RoleArn: p.str("RoleArn"), PrincipalArn: p.str("PrincipalArn"),
			SAMLAssertion: p.str("SAMLAssertion"), DurationSeconds: dur, MinimumSessionTokenSize: minSize,
			Policy: p.opt("Policy"), PolicyArns: p.policyARNs()}
		out, err := is.AssumeRoleWithSAML(ctx, in)
		if err != nil {
			return nil, err
		}
		return &assumeRoleWithSAMLResult{Issuer: out.Issuer, Audience: out.Audience,
			AssumedRoleUser: xmlAssumedRoleUser{AssumedRoleID: out.AssumedRoleUser.AssumedRoleId, Arn: out.AssumedRoleUser.Arn},
			Credentials:     toXMLCredentials(out.Credentials), SourceIdentity: out.SourceIdentity,
			PackedPolicySize: out.PackedPolicySize, NameQualifier: out.NameQualifier, Subject: out.Subject,
			SubjectType: out.SubjectType, SessionTokenSize: out.SessionTokenSize}, nil
	},
	"GetSessionToken": func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error) {
		dur, err := p.int32("DurationSeconds")
		if err != nil {
			return nil, err
		}
		minSize, err := p.int32("MinimumSessionTokenSize")
		if err != nil {
			return nil, err
		}
		out, err := is.GetSessionToken(ctx, caller, &sts.GetSessionTokenInput{DurationSeconds: dur, SerialNumber: p.opt("SerialNumber"),
			TokenCode: p.opt("TokenCode"), MinimumSessionTokenSize: minSize})
		if err != nil {
			return nil, err
		}
		return &getSessionTokenResult{Credentials: toXMLCredentials(out.Credentials), SessionTokenSize: out.SessionTokenSize}, nil
	},
	"GetFederationToken": func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error) {
		if err := p.required("Name"); err != nil {
			return nil, err
		}
		dur, err := p.int32("DurationSeconds")
		if err != nil {
			return nil, err
		}
		minSize, err := p.int32("MinimumSessionTokenSize")
		if err != nil {
			return nil, err
		}
		out, err := is.GetFederationToken(ctx, caller, &sts.GetFederationTokenInput{Name: p.str("Name"), DurationSeconds: dur,
			Policy: p.opt("Policy"), PolicyArns: p.policyARNs(), Tags: p.tags(), MinimumSessionTokenSize: minSize})
		if err != nil {
			return nil, err
		}
		return &getFederationTokenResult{Credentials: toXMLCredentials(out.Credentials),
			FederatedUser:    xmlFederatedUser{FederatedUserID: out.FederatedUser.FederatedUserId, Arn: out.FederatedUser.Arn},
			PackedPolicySize: out.PackedPolicySize, SessionTokenSize: out.SessionTokenSize}, nil
	},
	"GetCallerIdentity": func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error) {
		out, err := is.GetCallerIdentity(ctx, caller)
		if err != nil {
			return nil, err
		}
		return &getCallerIdentityResult{Arn: out.Arn, UserID: out.UserId, Account: out.Account}, nil
	},
	"GetAccessKeyInfo": func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error) {
		if err := p.required("AccessKeyId"); err != nil {
			return nil, err
		}
		out, err := is.GetAccessKeyInfo(ctx, caller, &sts.GetAccessKeyInfoInput{AccessKeyId: p.str("AccessKeyId")})
		if err != nil {
			return nil, err
		}
		return &getAccessKeyInfoResult{Account: out.Account}, nil
	},
	"DecodeAuthorizationMessage": func(ctx context.Context, is *sts.Issuer, caller *sts.Session, p params) (response, error) {
		if err := p.required("EncodedMessage"); err != nil {
			return nil, err
		}
		out, err := is.DecodeAuthorizationMessage(ctx, caller, &sts.DecodeAuthorizationMessageInput{EncodedMessage: p.str("EncodedMessage")})
		if err != nil {
			return nil, err
		}
		return &decodeAuthorizationMessageResult{DecodedMessage: out.DecodedMessage}, nil
	},
}

// XML shapes, as in each operation's API reference example.

type xmlCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

func toXMLCredentials(c sts.Credentials) xmlCredentials {
	return xmlCredentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey.Reveal(), SessionToken: c.SessionToken,
		Expiration: c.Expiration.UTC().Format("2006-01-02T15:04:05Z")}
}

type xmlAssumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId"`
	Arn           string `xml:"Arn"`
}

type xmlFederatedUser struct {
	FederatedUserID string `xml:"FederatedUserId"`
	Arn             string `xml:"Arn"`
}

type assumeRoleResult struct {
	SourceIdentity   *string            `xml:"SourceIdentity,omitempty"`
	AssumedRoleUser  xmlAssumedRoleUser `xml:"AssumedRoleUser"`
	Credentials      xmlCredentials     `xml:"Credentials"`
	PackedPolicySize *int32             `xml:"PackedPolicySize,omitempty"`
	SessionTokenSize *int32             `xml:"SessionTokenSize,omitempty"`
}

func (*assumeRoleResult) action() string { return "AssumeRole" }

// assumeRoleWithWebIdentityResult is AssumeRoleWithWebIdentityResult, in
// the order of the API reference's response example.
type assumeRoleWithWebIdentityResult struct {
	SubjectFromWebIdentityToken string             `xml:"SubjectFromWebIdentityToken"`
	Audience                    string             `xml:"Audience"`
	AssumedRoleUser             xmlAssumedRoleUser `xml:"AssumedRoleUser"`
	Credentials                 xmlCredentials     `xml:"Credentials"`
	SourceIdentity              *string            `xml:"SourceIdentity,omitempty"`
	Provider                    string             `xml:"Provider"`
	PackedPolicySize            *int32             `xml:"PackedPolicySize,omitempty"`
	SessionTokenSize            *int32             `xml:"SessionTokenSize,omitempty"`
}

func (*assumeRoleWithWebIdentityResult) action() string { return "AssumeRoleWithWebIdentity" }

// assumeRoleWithSAMLResult is AssumeRoleWithSAMLResult, in the order of
// the API reference's response example.
type assumeRoleWithSAMLResult struct {
	Issuer           string             `xml:"Issuer"`
	AssumedRoleUser  xmlAssumedRoleUser `xml:"AssumedRoleUser"`
	Credentials      xmlCredentials     `xml:"Credentials"`
	Audience         string             `xml:"Audience"`
	SourceIdentity   *string            `xml:"SourceIdentity,omitempty"`
	PackedPolicySize *int32             `xml:"PackedPolicySize,omitempty"`
	NameQualifier    string             `xml:"NameQualifier"`
	Subject          string             `xml:"Subject"`
	SubjectType      string             `xml:"SubjectType"`
	SessionTokenSize *int32             `xml:"SessionTokenSize,omitempty"`
}

func (*assumeRoleWithSAMLResult) action() string { return "AssumeRoleWithSAML" }

type getSessionTokenResult struct {
	Credentials      xmlCredentials `xml:"Credentials"`
	SessionTokenSize *int32         `xml:"SessionTokenSize,omitempty"`
}

func (*getSessionTokenResult) action() string { return "GetSessionToken" }

type getFederationTokenResult struct {
	Credentials      xmlCredentials   `xml:"Credentials"`
	FederatedUser    xmlFederatedUser `xml:"FederatedUser"`
	PackedPolicySize *int32           `xml:"PackedPolicySize,omitempty"`
	SessionTokenSize *int32           `xml:"SessionTokenSize,omitempty"`
}

func (*getFederationTokenResult) action() string { return "GetFederationToken" }

type getCallerIdentityResult struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

func (*getCallerIdentityResult) action() string { return "GetCallerIdentity" }

type getAccessKeyInfoResult struct {
	Account string `xml:"Account"`
}

func (*getAccessKeyInfoResult) action() string { return "GetAccessKeyInfo" }

type decodeAuthorizationMessageResult struct {
	DecodedMessage string `xml:"DecodedMessage"`
}

func (*decodeAuthorizationMessageResult) action() string { return "DecodeAuthorizationMessage" }

// writeResult writes <ActionResponse xmlns=...><ActionResult>...</ActionResult>
// <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata></ActionResponse>.
func writeResult(w http.ResponseWriter, id string, r response) {
	type metadata struct {
		RequestID string `xml:"RequestId"`
	}
	body, err := xml.Marshal(struct {
		XMLName  xml.Name
		Xmlns    string `xml:"xmlns,attr"`
		Result   any
		Metadata metadata `xml:"ResponseMetadata"`
	}{XMLName: xml.Name{Local: r.action() + "Response"}, Xmlns: Namespace,
		Result:   resultElement{name: r.action() + "Result", v: r},
		Metadata: metadata{RequestID: id}})
	if err != nil {
		writeError(w, id, apiError("InternalFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error."))
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// resultElement marshals v under the element name.
type resultElement struct {
	name string
	v    any
}

// MarshalXML writes v as <name>...</name>.
func (e resultElement) MarshalXML(enc *xml.Encoder, _ xml.StartElement) error {
	return enc.EncodeElement(e.v, xml.StartElement{Name: xml.Name{Local: e.name}})
}

// apiError builds an error with an AWS code that package sts has no
// sentinel for (protocol-level errors).
func apiError(code string, status int, format string, args ...any) *sts.Error {
	return &sts.Error{Code: code, HTTPStatus: status, Message: fmt.Sprintf(format, args...)}
}

// writeError writes AWS's ErrorResponse for err.
func writeError(w http.ResponseWriter, id string, err error) {
	var apiErr *sts.Error
	if !errors.As(err, &apiErr) {
		apiErr = apiError("InternalFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error.")
	}
	status := apiErr.HTTPStatus
	if status == 0 {
		status = http.StatusBadRequest
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	type errorBody struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	body, _ := xml.Marshal(struct {
		XMLName   xml.Name  `xml:"ErrorResponse"`
		Xmlns     string    `xml:"xmlns,attr"`
		Error     errorBody `xml:"Error"`
		RequestID string    `xml:"RequestId"`
	}{Xmlns: Namespace, Error: errorBody{Type: typ, Code: apiErr.Code, Message: apiErr.Message}, RequestID: id})
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
