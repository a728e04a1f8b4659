package credentials

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/sts"
)

// Resolver finds the session and the secret access key behind an access key
// ID and, for temporary credentials, the session token. *sts.Issuer
// implements it. Its errors reach the caller of [Verifier.Verify] unchanged,
// so it should answer as AWS does: InvalidClientTokenId for unknown keys,
// ExpiredToken for expired sessions.
type Resolver interface {
	Resolve(ctx context.Context, accessKeyID, sessionToken string) (*sts.Session, sts.Secret, error)
}

// VerifierOptions configure a [Verifier]. Resolver is required; the zero
// value of every other field means the documented default.
type VerifierOptions struct {
	// Resolver finds the secret behind each access key ID.
	Resolver Resolver
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// MaxBodySize is the largest body read and hashed when a request does
	// not carry X-Amz-Content-Sha256 (the AWS Query protocol, as used by
	// STS). Larger bodies are refused with RequestEntityTooLarge. Default
	// 10 MiB; negative means the default.
	MaxBodySize int64
	// Service, if set, is the only service accepted in the credential
	// scope, such as "sts".
	Service string
	// Region, if set, is the only region accepted in the credential scope.
	Region string
}

// DefaultMaxBodySize is the default of [VerifierOptions.MaxBodySize].
const DefaultMaxBodySize = 10 << 20

// Errors this package returns besides the sts sentinels
// (sts.ErrSignatureDoesNotMatch, sts.ErrIncompleteSignature,
// sts.ErrMissingAuthenticationToken, sts.ErrRequestExpired,
// sts.ErrAccessDenied, and whatever the Resolver returns). Match them with
// errors.Is; like the sts sentinels they carry AWS's code and HTTP status.
var (
	// ErrRequestTimeTooSkewed: an S3-scoped header-signed request is more
	// than 15 minutes away from the server's clock (S3 ErrorResponses).
	ErrRequestTimeTooSkewed = sentinel("RequestTimeTooSkewed", http.StatusForbidden)
	// ErrAuthorizationQueryParameters: an S3-scoped presigned URL has
	// missing or malformed X-Amz-* query parameters (S3 ErrorResponses).
	ErrAuthorizationQueryParameters = sentinel("AuthorizationQueryParametersError", http.StatusBadRequest)
	// ErrRequestEntityTooLarge: the body to hash exceeds MaxBodySize, or
	// a limit the server set with http.MaxBytesReader.
	ErrRequestEntityTooLarge = sentinel("RequestEntityTooLarge", http.StatusRequestEntityTooLarge)
	// ErrInvalidArgument: X-Amz-Content-Sha256 is neither a SHA-256 hex
	// digest nor UNSIGNED-PAYLOAD.
	ErrInvalidArgument = sentinel("InvalidArgument", http.StatusBadRequest)
	// ErrNotImplemented: a STREAMING-* payload (aws-chunked) was sent.
	ErrNotImplemented = sentinel("NotImplemented", http.StatusNotImplemented)
	// ErrContentSHA256Mismatch is returned by the restored request body's
	// Read when the body does not hash to the signed X-Amz-Content-Sha256
	// in an s3 scope; other scopes get sts.ErrSignatureDoesNotMatch.
	ErrContentSHA256Mismatch = sentinel("XAmzContentSHA256Mismatch", http.StatusBadRequest)
)

func sentinel(code string, status int) *sts.Error {
	return &sts.Error{Code: code, HTTPStatus: status, Fault: smithy.FaultClient}
}

func newError(s *sts.Error, msg string) *sts.Error {
	return &sts.Error{Code: s.Code, Message: msg, HTTPStatus: s.HTTPStatus, Fault: s.Fault}
}

// The message AWS gives for every signature mismatch.
const msgSignatureDoesNotMatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// Algorithm and fixed values of SigV4.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
const (
	algorithm       = "AWS4-HMAC-SHA256"
	terminator      = "aws4_request"
	unsignedPayload = "UNSIGNED-PAYLOAD"
	emptySHA256     = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	amzDateLayout   = "20060102T150405Z"
	maxSkew         = 15 * time.Minute
	maxExpires      = 604800 // seven days, in seconds
	keyCacheSize    = 4096
)

// Verifier checks AWS Signature Version 4 on incoming HTTP requests, in the
// Authorization header or in a presigned URL's query string, exactly as AWS
// computes it. A Verifier is safe for concurrent use; it keeps derived
// signing keys in a bounded cache, so a caller signing many requests per
// day costs one key derivation.
type Verifier struct {
	res     Resolver
	now     func() time.Time
	maxBody int64
	service string
	region  string
	keys    keyCache
}

// NewVerifier returns a Verifier.
func NewVerifier(opt VerifierOptions) (*Verifier, error) {
	if opt.Resolver == nil {
		return nil, errors.New("credentials: VerifierOptions.Resolver is required")
	}
	v := &Verifier{res: opt.Resolver, now: opt.Now, maxBody: opt.MaxBodySize, service: opt.Service, region: opt.Region}
	if v.now == nil {
		v.now = time.Now
	}
	if v.maxBody <= 0 {
		v.maxBody = DefaultMaxBodySize
	}
	v.keys.m = make(map[keyID]*keyEntry)
	return v, nil
}

// Verified describes a request whose signature checked out.
type Verified struct {
	// Session is the caller, as the Resolver returned it.
	Session     *sts.Session
	AccessKeyID string
	// Region and Service are those of the credential scope.
	Region, Service string
	// SignedAt is the request's X-Amz-Date (or Date).
	SignedAt time.Time
	// Presigned is true for a signature in the query string.
	Presigned bool
	// SignedHeaders lists the header names covered by the signature,
	// lower-cased, in the order the signer gave them.
	SignedHeaders []string
}

// sigRequest is what Verify extracts from a request before checking it.
type sigRequest struct {
	presigned     bool
	accessKeyID   string
	scope         string // date/region/service/aws4_request
	date          string // YYYYMMDD of the scope
	region        string
	service       string
	signedHeaders string
	signature     string
	amzDate       string // the ISO 8601 basic timestamp in the string to sign
	signedAt      time.Time
	dateHeader    string // "x-amz-date" or "date": the header the date came from
	token         string
	payload       string // the signed payload hash; "" when the body must be hashed
	expires       int64  // X-Amz-Expires in seconds; -1 when absent
}

// Verify checks the SigV4 signature of r. On success it returns who signed
// it; when the signature covers the body through X-Amz-Content-Sha256 the
// body is checked as the handler reads it (at EOF, ErrContentSHA256Mismatch
// in an s3 scope, SignatureDoesNotMatch in any other: those services hash
// the payload themselves, so a different body is a signature mismatch),
// and when it does not, the body is read (up to MaxBodySize), hashed and
// put back, so the handler can still read it.
//
// Failures are *sts.Error values carrying AWS's code, HTTP status and
// message: MissingAuthenticationToken, IncompleteSignature,
// SignatureDoesNotMatch, RequestExpired, and the Resolver's
// InvalidClientTokenId and ExpiredToken, among others. Verify never panics
// on malformed input.
func (v *Verifier) Verify(r *http.Request) (*Verified, error) {
	if r == nil || r.URL == nil {
		return nil, newError(sts.ErrMissingAuthenticationToken, "Request is missing Authentication Token")
	}
	now := v.now().UTC()
	var sr sigRequest
	sr.expires = -1
	auth, hasAuth := r.Header["Authorization"]
	presigned := hasQueryKey(r.URL.RawQuery, "X-Amz-Algorithm")
	var err *sts.Error
	switch {
	case hasAuth && presigned:
		// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
		err = newError(sts.ErrIncompleteSignature, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified")
	case hasAuth:
		err = v.parseHeaderAuth(r, auth, &sr)
	case presigned:
		err = v.parseQueryAuth(r, &sr)
	default:
		err = newError(sts.ErrMissingAuthenticationToken, "Request is missing Authentication Token")
	}
	if err != nil {
		return nil, err
	}
	if err := v.checkScope(&sr); err != nil {
		return nil, err
	}
	if err := checkTime(&sr, now); err != nil {
		return nil, err
	}

	session, secret, rerr := v.res.Resolve(r.Context(), sr.accessKeyID, sr.token)
	if rerr != nil {
		return nil, rerr
	}
	if session == nil {
		return nil, newError(sts.ErrInvalidClientTokenID, "The security token included in the request is invalid.")
	}
	key := v.keys.signingKey(sr.accessKeyID, sr.date, sr.region, sr.service, secret)

	if err := v.checkSignature(r, &sr, &key); err != nil {
		return nil, err
	}
	return &Verified{
		Session: session, AccessKeyID: sr.accessKeyID, Region: sr.region, Service: sr.service,
		SignedAt: sr.signedAt, Presigned: sr.presigned, SignedHeaders: splitSignedHeaders(sr.signedHeaders),
	}, nil
}

// parseHeaderAuth reads the Authorization header form.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
func (v *Verifier) parseHeaderAuth(r *http.Request, auth []string, sr *sigRequest) *sts.Error {
	if len(auth) != 1 {
		return newError(sts.ErrIncompleteSignature, "Only one Authorization header is allowed.")
	}
	a, err := parseAuthorization(auth[0])
	if err != nil {
		return err
	}
	sr.signedHeaders, sr.signature = a.signedHeaders, a.signature
	if err := parseCredential(a.credential, sr, false); err != nil {
		return err
	}

	// The date: X-Amz-Date, else Date.
	if d, ok := r.Header["X-Amz-Date"]; ok && len(d) > 0 {
		t, ok := parseAmzDate(d[0])
		if !ok || len(d) != 1 {
			return newError(sts.ErrIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '"+printable(strings.Join(d, ","))+"'. See http://en.wikipedia.org/wiki/ISO_8601")
		}
		sr.amzDate, sr.signedAt, sr.dateHeader = d[0], t, "x-amz-date"
	} else if d, ok := r.Header["Date"]; ok && len(d) > 0 {
		t, err := http.ParseTime(d[0])
		if err != nil || len(d) != 1 {
			return newError(sts.ErrIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '"+printable(strings.Join(d, ","))+"'. See http://en.wikipedia.org/wiki/ISO_8601")
		}
		sr.signedAt = t.UTC()
		sr.amzDate, sr.dateHeader = sr.signedAt.Format(amzDateLayout), "date"
	} else {
		return newError(sts.ErrIncompleteSignature, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}

	if tok, ok := r.Header["X-Amz-Security-Token"]; ok {
		if len(tok) != 1 {
			return newError(sts.ErrInvalidClientTokenID, "The security token included in the request is invalid.")
		}
		sr.token = tok[0]
	}
	if err := checkSignedHeaders(sr); err != nil {
		return err
	}

	// X-Amz-Content-Sha256, when present, is the payload hash.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
	if h, ok := r.Header["X-Amz-Content-Sha256"]; ok {
		if len(h) != 1 {
			return newError(ErrInvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value.")
		}
		p, err := payloadHash(h[0], sr.service)
		if err != nil {
			return err
		}
		sr.payload = p
	}
	return nil
}

// authorization is a parsed Authorization header.
type authorization struct {
	credential, signedHeaders, signature string
}

// parseAuthorization parses "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
// The messages are those AWS answers with.
func parseAuthorization(h string) (authorization, *sts.Error) {
	var a authorization
	alg, rest, _ := strings.Cut(strings.TrimLeft(h, " "), " ")
	if alg != algorithm {
		if alg == "" {
			return a, newError(sts.ErrIncompleteSignature, "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter.")
		}
		return a, newError(sts.ErrIncompleteSignature, "Unsupported AWS 'algorithm': '"+printable(alg)+"'.")
	}
	var seen [3]bool
	for rest != "" {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		part = strings.Trim(part, " ")
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			sum := sha256.Sum256([]byte(h))
			return a, newError(sts.ErrIncompleteSignature, "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '"+base64.StdEncoding.EncodeToString(sum[:])+"'.")
		}
		var i int
		switch k {
		case "Credential":
			i, a.credential = 0, val
		case "SignedHeaders":
			i, a.signedHeaders = 1, val
		case "Signature":
			i, a.signature = 2, val
		default:
			continue
		}
		if seen[i] {
			return a, newError(sts.ErrIncompleteSignature, "Authorization header has a duplicate '"+k+"' parameter.")
		}
		seen[i] = true
	}
	var msg []string
	if a.credential == "" {
		msg = append(msg, "Authorization header requires 'Credential' parameter.")
	}
	if a.signature == "" {
		msg = append(msg, "Authorization header requires 'Signature' parameter.")
	}
	if a.signedHeaders == "" {
		msg = append(msg, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if msg != nil {
		return a, newError(sts.ErrIncompleteSignature, strings.Join(msg, " "))
	}
	return a, nil
}

// parseCredential splits AKID/YYYYMMDD/region/service/aws4_request.
func parseCredential(c string, sr *sigRequest, query bool) *sts.Error {
	incomplete := sts.ErrIncompleteSignature
	if query && sr.service == "s3" {
		incomplete = ErrAuthorizationQueryParameters
	}
	bad := func() *sts.Error {
		return newError(incomplete, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"+printable(c)+"'")
	}
	if strings.Count(c, "/") != 4 {
		return bad()
	}
	var parts [5]string
	rest := c
	for i := range parts {
		parts[i], rest, _ = strings.Cut(rest, "/")
		if parts[i] == "" {
			return bad()
		}
	}
	if parts[4] != terminator {
		return newError(incomplete, "Credential should be scoped with a valid terminator: 'aws4_request', not '"+printable(parts[4])+"'.")
	}
	if len(parts[1]) != 8 || !allDigits(parts[1]) {
		return newError(incomplete, "Credential should be scoped to a valid date, not '"+printable(parts[1])+"'.")
	}
	sr.accessKeyID, sr.date, sr.region, sr.service = parts[0], parts[1], parts[2], parts[3]
	sr.scope = c[len(parts[0])+1:]
	return nil
}

// checkSignedHeaders enforces the headers AWS requires to be signed: host,
// and the header that carries the date.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
func checkSignedHeaders(sr *sigRequest) *sts.Error {
	incomplete := sts.ErrIncompleteSignature
	if sr.presigned && sr.service == "s3" {
		incomplete = ErrAuthorizationQueryParameters
	}
	var host, date bool
	rest := sr.signedHeaders
	for first := true; first || rest != ""; first = false {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		if name == "" {
			return newError(incomplete, "SignedHeaders must be a list of header names separated by ';', got '"+printable(sr.signedHeaders)+"'.")
		}
		switch name {
		case "host":
			host = true
		case sr.dateHeader:
			date = true
		}
	}
	if !host {
		return newError(incomplete, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if !sr.presigned && !date {
		h := "X-Amz-Date"
		if sr.dateHeader == "date" {
			h = "Date"
		}
		return newError(incomplete, "'"+h+"' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return nil
}

// parseQueryAuth reads the presigned URL form.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
func (v *Verifier) parseQueryAuth(r *http.Request, sr *sigRequest) *sts.Error {
	sr.presigned = true
	var vals [8]string
	var seen [8]bool
	names := [8]string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Expires", "X-Amz-Security-Token", "X-Amz-Content-Sha256"}
	var dup string
	forEachQueryPair(r.URL.RawQuery, func(rawKey, rawVal string) {
		if !strings.HasPrefix(rawKey, "X-") && !strings.Contains(rawKey, "%") {
			return
		}
		k := queryUnescape(rawKey)
		for i, n := range names {
			if k == n {
				if seen[i] {
					dup = n
				}
				seen[i], vals[i] = true, queryUnescape(rawVal)
			}
		}
	})
	// The scope's service decides between S3's error codes and the others',
	// so peek at it before reporting anything.
	if _, rest, ok := strings.Cut(vals[1], "/"); ok {
		parts := strings.Split(rest, "/")
		if len(parts) > 2 {
			sr.service = parts[2]
		}
	}
	incomplete := sts.ErrIncompleteSignature
	if sr.service == "s3" {
		incomplete = ErrAuthorizationQueryParameters
	}
	if dup != "" {
		return newError(incomplete, "AWS query-string parameters must not repeat '"+dup+"'. Re-examine the query-string parameters.")
	}
	if vals[0] != algorithm {
		if vals[0] == "" {
			return newError(incomplete, "AWS query-string parameters must include 'X-Amz-Algorithm'. Re-examine the query-string parameters.")
		}
		return newError(incomplete, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\" and \"AWS4-ECDSA-P256-SHA256\"")
	}
	required := [...]int{1, 2, 3, 4}
	var missing []string
	for _, i := range required {
		if vals[i] == "" {
			missing = append(missing, "'"+names[i]+"'")
		}
	}
	if sr.service == "s3" && !seen[5] {
		missing = append(missing, "'X-Amz-Expires'")
	}
	if missing != nil {
		return newError(incomplete, "AWS query-string parameters must include "+strings.Join(missing, ", ")+". Re-examine the query-string parameters.")
	}
	if err := parseCredential(vals[1], sr, true); err != nil {
		return err
	}
	t, ok := parseAmzDate(vals[2])
	if !ok {
		return newError(incomplete, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
	}
	sr.amzDate, sr.signedAt = vals[2], t
	sr.signedHeaders, sr.signature, sr.token = vals[3], vals[4], vals[6]
	if seen[5] {
		e := vals[5]
		switch {
		case e != "" && e[0] == '-' && allDigits(e[1:]):
			return newError(incomplete, "X-Amz-Expires must be non-negative")
		case !allDigits(e):
			return newError(incomplete, "X-Amz-Expires should be a number")
		}
		n, err := strconv.ParseInt(e, 10, 64)
		if err != nil || n > maxExpires {
			return newError(incomplete, "X-Amz-Expires must be less than a week (in seconds) that is; 604800")
		}
		if n == 0 {
			return newError(incomplete, "X-Amz-Expires must be greater than 0")
		}
		sr.expires = n
	}
	if err := checkSignedHeaders(sr); err != nil {
		return err
	}
	// S3 presigned URLs sign UNSIGNED-PAYLOAD; other services' presigned
	// URLs (botocore's SigV4QueryAuth, the Go SDK's STS presigner) sign
	// the body's hash, usually of the empty body, so that is tried first.
	if sr.service == "s3" {
		sr.payload = unsignedPayload
	}
	if seen[7] {
		p, err := payloadHash(vals[7], sr.service)
		if err != nil {
			return err
		}
		sr.payload = p
	}
	return nil
}

// payloadHash validates an X-Amz-Content-Sha256 value for the scope's
// service.
//
// UNSIGNED-PAYLOAD is S3's alone (sig-v4-header-based-auth.html): other
// services hash the payload themselves, so for them it would leave the
// body, which carries the Query protocol's Action and parameters, outside
// the signature, and a captured GetCallerIdentity header set could be
// replayed with any other body. AWS answers such a request with
// SignatureDoesNotMatch (its own hash of the body is not what was
// signed); so do we, with a message that says why.
func payloadHash(h, service string) (string, *sts.Error) {
	switch {
	case h == unsignedPayload && service == "s3":
		return h, nil
	case h == unsignedPayload:
		return "", newError(sts.ErrSignatureDoesNotMatch, "x-amz-content-sha256 UNSIGNED-PAYLOAD is accepted only for Amazon S3; sign the SHA-256 digest of the request body.")
	case strings.HasPrefix(h, "STREAMING-"):
		return "", newError(ErrNotImplemented, "x-amz-content-sha256 '"+printable(h)+"' (aws-chunked payload signing) is not supported; sign the whole payload or use UNSIGNED-PAYLOAD.")
	case len(h) == 64 && isHex(h):
		return h, nil
	}
	return "", newError(ErrInvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value.")
}

// checkScope compares the credential scope with the Verifier's service and
// region, and its date with the request's.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html
func (v *Verifier) checkScope(sr *sigRequest) *sts.Error {
	if v.service != "" && sr.service != v.service {
		return newError(sts.ErrSignatureDoesNotMatch, "Credential should be scoped to correct service: '"+v.service+"'. ")
	}
	if v.region != "" && sr.region != v.region {
		// AWS's wire text names the scope's region and ends in ". ", as
		// STS answers it (the IAM troubleshooting page abbreviates it to
		// "Credential should be scoped to a valid Region, not region-code").
		return newError(sts.ErrSignatureDoesNotMatch, "Credential should be scoped to a valid region, not '"+printable(sr.region)+"'. ")
	}
	if sr.amzDate[:8] != sr.date {
		return newError(sts.ErrSignatureDoesNotMatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+sr.date+"' != '"+sr.amzDate[:8]+"', from '"+sr.amzDate+"'.")
	}
	return nil
}

// checkTime enforces the 15-minute window of header signatures and the
// X-Amz-Expires lifetime of presigned URLs.
func checkTime(sr *sigRequest, now time.Time) *sts.Error {
	s3 := sr.service == "s3"
	if sr.presigned && sr.expires >= 0 {
		if now.After(sr.signedAt.Add(time.Duration(sr.expires) * time.Second)) {
			if s3 {
				return newError(sts.ErrAccessDenied, "Request has expired")
			}
			return newError(sts.ErrRequestExpired, "Request has expired.")
		}
		if sr.signedAt.After(now.Add(maxSkew)) {
			if s3 {
				return newError(sts.ErrAccessDenied, "Request is not valid yet")
			}
			return newError(sts.ErrRequestExpired, "Request is not yet valid.")
		}
		return nil
	}
	early, late := now.Add(-maxSkew), now.Add(maxSkew)
	switch {
	case sr.signedAt.Before(early):
		if s3 {
			return newError(ErrRequestTimeTooSkewed, "The difference between the request time and the current time is too large.")
		}
		return newError(sts.ErrSignatureDoesNotMatch, "Signature expired: "+sr.amzDate+" is now earlier than "+early.Format(amzDateLayout)+" ("+now.Format(amzDateLayout)+" - 15 min.)")
	case sr.signedAt.After(late):
		if s3 {
			return newError(ErrRequestTimeTooSkewed, "The difference between the request time and the current time is too large.")
		}
		return newError(sts.ErrSignatureDoesNotMatch, "Signature not yet current: "+sr.amzDate+" is still later than "+late.Format(amzDateLayout)+" ("+now.Format(amzDateLayout)+" + 15 min.)")
	}
	return nil
}

// Variants of the canonical request tried in turn. Clients disagree on a
// few details that AWS accepts either way; each variant is only tried when
// the request has the feature it concerns.
const (
	// varPath: the other canonical URI. For most services the Go SDK signs
	// the path as sent, while botocore first removes dot segments and
	// repeated slashes (RFC 3986 5.2.4). For S3, the path as sent versus
	// the decoded path re-encoded strictly.
	varPath = 1 << iota
	// varPayload: for presigned URLs to services other than S3 whose body
	// is empty, UNSIGNED-PAYLOAD instead of the hash of the empty body.
	varPayload
	// varSpace: header values with tabs: botocore collapses every
	// whitespace run, the Go SDK only runs of spaces.
	varSpace
	// varHost: Host with a default port (:80, :443) is signed without it.
	varHost
	numVariants = 1 << 4
)

// checkSignature computes the signature of r and compares it with the one
// the request carries.
func (v *Verifier) checkSignature(r *http.Request, sr *sigRequest, key *[32]byte) error {
	var want [32]byte
	if !decodeSignature(&want, sr.signature) {
		return newError(sts.ErrSignatureDoesNotMatch, msgSignatureDoesNotMatch)
	}

	b := getBuf()
	defer putBuf(b)
	c := canon{r: r, sr: sr, v: v}
	applicable := 0
	for variant := 0; variant < numVariants; variant++ {
		if variant == 1 {
			// The plain form failed: find which variants apply.
			applicable = c.applicable()
		}
		if variant&^applicable != 0 {
			continue
		}
		ok, err := c.try(b, variant, key, &want)
		if err != nil {
			return err
		}
		if ok {
			return c.finish()
		}
	}
	return newError(sts.ErrSignatureDoesNotMatch, msgSignatureDoesNotMatch)
}

// decodeSignature decodes 64 hex digits into dst.
func decodeSignature(dst *[32]byte, s string) bool {
	if len(s) != 64 || !isHex(s) {
		return false
	}
	for i := range dst {
		dst[i] = unhex(s[2*i])<<4 | unhex(s[2*i+1])
	}
	return true
}

// canon builds canonical requests for one request.
type canon struct {
	r        *http.Request
	sr       *sigRequest
	v        *Verifier
	bodyHash [64]byte // hex SHA-256 of the body, once read
	hashed   bool
}

func (c *canon) applicable() int {
	mask := 0
	if _, ok := c.altPath(nil); ok {
		mask |= varPath
	}
	// UNSIGNED-PAYLOAD outside S3 leaves the body unsigned, so it is only
	// tried when there is no body to leave out; the plain form, tried
	// first, has hashed it.
	if c.sr.presigned && c.sr.payload == "" && c.hashed && string(c.bodyHash[:]) == emptySHA256 {
		mask |= varPayload
	}
	rest := c.sr.signedHeaders
	for rest != "" {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		if name == "host" {
			continue
		}
		for _, val := range c.headerValues(name) {
			if strings.ContainsAny(val, "\t\n\v\f\r") {
				mask |= varSpace
			}
		}
	}
	if _, ok := stripDefaultPort(c.host()); ok {
		mask |= varHost
	}
	return mask
}

// try builds the canonical request of one variant and checks it.
func (c *canon) try(b *[]byte, variant int, key, want *[32]byte) (bool, error) {
	payload := c.sr.payload
	if variant&varPayload != 0 {
		payload = unsignedPayload
	} else if payload == "" && !c.hashed {
		if err := c.hashBody(); err != nil {
			return false, err
		}
		c.hashed = true
	}
	buf := (*b)[:0]
	buf = c.appendCanonicalRequest(buf, variant, payload)
	creq := sha256.Sum256(buf)

	// String to sign, after the canonical request in the same buffer.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#create-string-to-sign
	start := len(buf)
	buf = append(buf, algorithm...)
	buf = append(buf, '\n')
	buf = append(buf, c.sr.amzDate...)
	buf = append(buf, '\n')
	buf = append(buf, c.sr.scope...)
	buf = append(buf, '\n')
	buf = hex.AppendEncode(buf, creq[:])
	var got [32]byte
	buf = hmacSHA256(buf, key, start, &got)
	*b = buf
	return hmac.Equal(got[:], want[:]), nil
}

// finish arranges for the body to be checked against a signed payload hash.
func (c *canon) finish() error {
	p := c.sr.payload
	if p == "" || p == unsignedPayload {
		return nil
	}
	r := c.r
	if r.Body == nil || r.Body == http.NoBody {
		if !strings.EqualFold(p, emptySHA256) {
			return bodyMismatch(c.sr.service)
		}
		return nil
	}
	want, _ := hex.DecodeString(p)
	r.Body = &checkedBody{rc: r.Body, h: sha256.New(), want: want, service: c.sr.service}
	return nil
}

// hashBody reads the body (at most MaxBodySize), puts it back for the
// handler and records its hex SHA-256.
func (c *canon) hashBody() error {
	r := c.r
	if r.Body == nil || r.Body == http.NoBody {
		copy(c.bodyHash[:], emptySHA256)
		return nil
	}
	tooLarge := func() error {
		return newError(ErrRequestEntityTooLarge, "The request body exceeds the maximum size of "+strconv.FormatInt(c.v.maxBody, 10)+" bytes that can be verified without X-Amz-Content-Sha256.")
	}
	if r.ContentLength > c.v.maxBody {
		return tooLarge()
	}
	// Read into a buffer sized by Content-Length (plus one byte to see
	// EOF), growing only for bodies of unknown length.
	size := int64(512)
	if r.ContentLength >= 0 {
		size = r.ContentLength + 1
	}
	data := make([]byte, 0, size)
	var err error
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		var n int
		n, err = r.Body.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil || int64(len(data)) > c.v.maxBody {
			break
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	// A limit the server put on the body (http.MaxBytesReader) is the
	// same refusal as ours.
	var limit *http.MaxBytesError
	if errors.As(err, &limit) {
		return tooLarge()
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("credentials: reading request body: %w", err)
	}
	if int64(len(data)) > c.v.maxBody {
		return tooLarge()
	}
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	sum := sha256.Sum256(data)
	hex.Encode(c.bodyHash[:], sum[:])
	return nil
}

// appendCanonicalRequest writes the canonical request:
// method \n URI \n query \n headers \n signed-headers \n payload-hash.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#create-canonical-request
func (c *canon) appendCanonicalRequest(buf []byte, variant int, payload string) []byte {
	method := c.r.Method
	if method == "" {
		method = http.MethodGet
	}
	buf = append(buf, method...)
	buf = append(buf, '\n')
	if variant&varPath != 0 {
		buf, _ = c.altPath(buf)
	} else {
		buf = c.appendURI(buf)
	}
	buf = append(buf, '\n')
	buf = appendCanonicalQuery(buf, c.r.URL.RawQuery, c.sr.presigned)
	buf = append(buf, '\n')
	rest := c.sr.signedHeaders
	for rest != "" {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		buf = append(buf, name...)
		buf = append(buf, ':')
		if name == "host" {
			h := c.host()
			if variant&varHost != 0 {
				h, _ = stripDefaultPort(h)
			}
			buf = appendTrimmed(buf, h, false)
		} else {
			for i, val := range c.headerValues(name) {
				if i > 0 {
					buf = append(buf, ',')
				}
				buf = appendTrimmed(buf, val, variant&varSpace != 0)
			}
		}
		buf = append(buf, '\n')
	}
	buf = append(buf, '\n')
	buf = append(buf, c.sr.signedHeaders...)
	buf = append(buf, '\n')
	if payload == "" {
		return append(buf, c.bodyHash[:]...)
	}
	return append(buf, payload...)
}

// escapedPath returns the path as the client sent it, like the SDK's
// GetURIPath: from URL.Opaque ("//host/path") when set, else EscapedPath.
func (c *canon) escapedPath() string {
	u := c.r.URL
	p := ""
	if u.Opaque != "" {
		o := u.Opaque
		if i := strings.IndexByte(o, '?'); i >= 0 {
			o = o[:i]
		}
		o = strings.TrimPrefix(o, "//")
		if i := strings.IndexByte(o, '/'); i >= 0 {
			p = o[i:]
		}
	} else {
		p = u.EscapedPath()
	}
	if p == "" {
		p = "/"
	}
	return p
}

// appendURI writes the canonical URI. Every service but S3 encodes the
// already-escaped path once more ("each path segment must be URI-encoded
// twice"); S3 uses it as sent.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
func (c *canon) appendURI(buf []byte) []byte {
	p := c.escapedPath()
	if c.sr.service == "s3" {
		return append(buf, p...)
	}
	return appendEscaped(buf, p, false)
}

// altPath appends the other canonical URI (see varPath); ok is false
// when there is none or it is the same as appendURI's.
func (c *canon) altPath(buf []byte) (out []byte, ok bool) {
	p := c.escapedPath()
	if c.sr.service == "s3" {
		dp := c.r.URL.Path
		if c.r.URL.Opaque != "" || dp == "" {
			return buf, false
		}
		var sb [256]byte
		if string(appendEscaped(sb[:0], dp, false)) == p {
			return buf, false
		}
		return appendEscaped(buf, dp, false), true
	}
	if !needsDotRemoval(p) {
		return buf, false
	}
	return appendEscaped(buf, removeDotSegments(p), false), true
}

// host is the Host header as received (r.Host), or the URL's host for
// client-side requests.
func (c *canon) host() string {
	if c.r.Host != "" {
		return c.r.Host
	}
	return c.r.URL.Host
}

// headerValues returns the values of a signed header, found without
// allocating. Content-Length, which net/http moves out of the header map
// on client requests, comes from r.ContentLength.
func (c *canon) headerValues(name string) []string {
	var kb [64]byte
	k := canonicalHeaderKey(kb[:0], name)
	vals := c.r.Header[string(k)]
	if vals == nil && name != string(k) {
		vals = c.r.Header[name]
	}
	if vals == nil && name == "content-length" && c.r.ContentLength > 0 {
		return []string{strconv.FormatInt(c.r.ContentLength, 10)}
	}
	return vals
}

// canonicalHeaderKey is textproto.CanonicalMIMEHeaderKey into dst.
func canonicalHeaderKey(dst []byte, s string) []byte {
	upper := true
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case upper && 'a' <= ch && ch <= 'z':
			ch -= 'a' - 'A'
		case !upper && 'A' <= ch && ch <= 'Z':
			ch += 'a' - 'A'
		}
		dst = append(dst, ch)
		upper = ch == '-'
	}
	return dst
}

// appendTrimmed writes a header value with leading and trailing whitespace
// removed and runs of spaces collapsed (the SDK's StripExcessSpaces), or,
// with allSpace, runs of any whitespace collapsed to one space (botocore).
func appendTrimmed(buf []byte, s string, allSpace bool) []byte {
	s = strings.TrimSpace(s)
	space := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		isSpace := ch == ' ' || allSpace && (ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r')
		if isSpace {
			if !space {
				buf = append(buf, ' ')
			}
			space = true
			continue
		}
		space = false
		buf = append(buf, ch)
	}
	return buf
}

// appendCanonicalQuery writes the canonical query string: every name and
// value decoded and re-encoded the RFC 3986 way, sorted by name and then
// value after encoding, X-Amz-Signature left out of presigned URLs.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
func appendCanonicalQuery(buf []byte, raw string, presigned bool) []byte {
	if raw == "" {
		return buf
	}
	// Encode every pair after the end of buf, then sort and copy them.
	type pair struct{ k0, k1, v1 int }
	var pairsArr [16]pair
	pairs := pairsArr[:0]
	start := len(buf)
	rest := raw
	for rest != "" {
		var p string
		p, rest, _ = strings.Cut(rest, "&")
		if p == "" {
			continue
		}
		k, val, _ := strings.Cut(p, "=")
		k0 := len(buf)
		buf = appendQueryComponent(buf, k)
		k1 := len(buf)
		if presigned && string(buf[k0:k1]) == "X-Amz-Signature" {
			buf = buf[:k0]
			continue
		}
		buf = appendQueryComponent(buf, val)
		pairs = append(pairs, pair{k0, k1, len(buf)})
	}
	end := len(buf)
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := bytes.Compare(buf[a.k0:a.k1], buf[b.k0:b.k1]); c != 0 {
			return c
		}
		return bytes.Compare(buf[a.k1:a.v1], buf[b.k1:b.v1])
	})
	// Write the sorted pairs after the encoded ones, then move them down.
	for i, p := range pairs {
		if i > 0 {
			buf = append(buf, '&')
		}
		buf = append(buf, buf[p.k0:p.k1]...)
		buf = append(buf, '=')
		buf = append(buf, buf[p.k1:p.v1]...)
	}
	n := copy(buf[start:], buf[end:])
	return buf[:start+n]
}

// appendQueryComponent decodes one raw query name or value (%XX, and '+'
// as a space, as net/url does) and re-encodes it: everything but A-Z a-z
// 0-9 - _ . ~ as %XX with upper-case hex. A '%' not followed by two hex
// digits stands for itself.
func appendQueryComponent(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '+':
			ch = ' '
		case ch == '%' && i+2 < len(s) && isHexByte(s[i+1]) && isHexByte(s[i+2]):
			ch = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		buf = appendEscapedByte(buf, ch)
	}
	return buf
}

// appendEscaped URI-encodes s, leaving '/' alone unless encodeSlash.
func appendEscaped(buf []byte, s string, encodeSlash bool) []byte {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '/' && !encodeSlash {
			buf = append(buf, ch)
			continue
		}
		buf = appendEscapedByte(buf, ch)
	}
	return buf
}

const upperHex = "0123456789ABCDEF"

func appendEscapedByte(buf []byte, ch byte) []byte {
	if unreserved(ch) {
		return append(buf, ch)
	}
	return append(buf, '%', upperHex[ch>>4], upperHex[ch&15])
}

func unreserved(ch byte) bool {
	return 'A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' ||
		ch == '-' || ch == '_' || ch == '.' || ch == '~'
}

// needsDotRemoval reports whether p has an empty, "." or ".." segment.
func needsDotRemoval(p string) bool {
	return strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") ||
		strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..") || p == "." || p == ".."
}

// removeDotSegments drops empty, "." and ".." segments, keeping a leading
// and a trailing slash, as botocore's normalize_url_path does.
func removeDotSegments(p string) string {
	var out []string
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	s := strings.Join(out, "/")
	if strings.HasPrefix(p, "/") {
		s = "/" + s
	}
	if strings.HasSuffix(p, "/") && len(out) > 0 {
		s += "/"
	}
	if s == "" {
		s = "/"
	}
	return s
}

// stripDefaultPort removes ":80" or ":443" from a host; ok reports whether
// it did.
func stripDefaultPort(h string) (string, bool) {
	for _, port := range []string{":443", ":80"} {
		if strings.HasSuffix(h, port) && !strings.HasSuffix(h, "]") {
			return h[:len(h)-len(port)], true
		}
	}
	return h, false
}

// forEachQueryPair calls fn with the raw name and value of each pair.
func forEachQueryPair(raw string, fn func(k, v string)) {
	for raw != "" {
		var p string
		p, raw, _ = strings.Cut(raw, "&")
		if p == "" {
			continue
		}
		k, val, _ := strings.Cut(p, "=")
		fn(k, val)
	}
}

// hasQueryKey reports whether the raw query has a pair named key (compared
// after decoding).
func hasQueryKey(raw, key string) bool {
	if raw == "" {
		return false
	}
	if !strings.Contains(raw, key) && !strings.Contains(raw, "%") {
		return false
	}
	found := false
	forEachQueryPair(raw, func(k, _ string) {
		if !found && (k == key || strings.Contains(k, "%") && queryUnescape(k) == key) {
			found = true
		}
	})
	return found
}

// queryUnescape decodes like appendQueryComponent, without re-encoding.
func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '+':
			ch = ' '
		case ch == '%' && i+2 < len(s) && isHexByte(s[i+1]) && isHexByte(s[i+2]):
			ch = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		}
		b = append(b, ch)
	}
	return string(b)
}

func isHexByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHexByte(s[i]) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// printable is [Printable].
func printable(s string) string { return Printable(s) }

// Printable makes client input safe to quote in an error message: at most
// 128 bytes of it followed by "..." when it is longer, with control
// characters and invalid UTF-8 replaced by '?'. Every error of this package
// and of package stsapi that echoes what a client sent goes through it, so
// a huge or binary value never comes back whole.
func Printable(s string) string {
	const max = 128
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

// parseAmzDate parses the ISO 8601 basic format 20060102T150405Z without
// allocating.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != 16 || s[8] != 'T' || s[15] != 'Z' || !allDigits(s[:8]) || !allDigits(s[9:15]) {
		return time.Time{}, false
	}
	n := func(i, j int) int {
		v := 0
		for _, c := range []byte(s[i:j]) {
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := n(0, 4), n(4, 6), n(6, 8), n(9, 11), n(11, 13), n(13, 15)
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // 31 February and the like
		return time.Time{}, false
	}
	return t, true
}

// splitSignedHeaders splits "host;x-amz-date" into its names.
func splitSignedHeaders(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// checkedBody hashes the body as the handler reads it and fails the read
// that reaches EOF when the digest differs from the signed one.
type checkedBody struct {
	rc   io.ReadCloser
	h    hash.Hash
	want []byte
	err  error
	// service is the credential scope's, which picks the error.
	service string
}

// bodyMismatch is the error for a body that does not hash to the signed
// X-Amz-Content-Sha256: S3's XAmzContentSHA256Mismatch
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), and
// for every other service, which computes the payload hash itself, the
// plain SignatureDoesNotMatch.
func bodyMismatch(service string) *sts.Error {
	if service == "s3" {
		return newError(ErrContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return newError(sts.ErrSignatureDoesNotMatch, msgSignatureDoesNotMatch)
}

func (b *checkedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	b.h.Write(p[:n])
	if err == io.EOF && !bytes.Equal(b.h.Sum(nil), b.want) {
		b.err = bodyMismatch(b.service)
		return n, b.err
	}
	return n, err
}

func (b *checkedBody) Close() error { return b.rc.Close() }

// hmacSHA256 writes HMAC-SHA256(key, buf[start:]) into out, using buf's
// tail as scratch space, without allocating. It returns buf, possibly
// grown.
func hmacSHA256(buf []byte, key *[32]byte, start int, out *[32]byte) []byte {
	const block = 64
	msgEnd := len(buf)
	// inner = SHA256((K ^ ipad) || msg): lay the padded key before the
	// message by writing pad+msg at the end of buf.
	for i := 0; i < block; i++ {
		k := byte(0)
		if i < len(key) {
			k = key[i]
		}
		buf = append(buf, k^0x36)
	}
	buf = append(buf, buf[start:msgEnd]...)
	inner := sha256.Sum256(buf[msgEnd:])
	buf = buf[:msgEnd]
	for i := 0; i < block; i++ {
		k := byte(0)
		if i < len(key) {
			k = key[i]
		}
		buf = append(buf, k^0x5c)
	}
	buf = append(buf, inner[:]...)
	*out = sha256.Sum256(buf[msgEnd:])
	return buf[:msgEnd]
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) > 64<<10 {
		return // do not keep huge buffers
	}
	*b = (*b)[:0]
	bufPool.Put(b)
}

// keyCache holds derived signing keys. Entries remember the secret they
// were derived from, so a key whose secret changed is derived anew.
type keyCache struct {
	mu sync.RWMutex
	m  map[keyID]*keyEntry
}

type keyID struct{ accessKeyID, date, region, service string }

type keyEntry struct {
	secret sts.Secret
	key    [32]byte
}

// signingKey returns HMAC chain "AWS4"+secret → date → region → service →
// "aws4_request".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key
func (kc *keyCache) signingKey(akid, date, region, service string, secret sts.Secret) [32]byte {
	id := keyID{akid, date, region, service}
	kc.mu.RLock()
	e := kc.m[id]
	kc.mu.RUnlock()
	if e != nil && e.secret.Equal(secret) {
		return e.key
	}
	k := deriveKey(secret.Reveal(), date, region, service)
	ne := &keyEntry{secret: secret, key: k}
	id = keyID{strings.Clone(akid), strings.Clone(date), strings.Clone(region), strings.Clone(service)}
	kc.mu.Lock()
	if len(kc.m) >= keyCacheSize {
		// Evict an arbitrary tenth; map iteration order is random enough
		// for a cache that only saves four HMACs per miss.
		n := keyCacheSize / 10
		for old := range kc.m {
			delete(kc.m, old)
			if n--; n == 0 {
				break
			}
		}
	}
	kc.m[id] = ne
	kc.mu.Unlock()
	return k
}

func deriveKey(secret, date, region, service string) [32]byte {
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), date)
	k = mac(k, region)
	k = mac(k, service)
	k = mac(k, terminator)
	var out [32]byte
	copy(out[:], k)
	return out
}
