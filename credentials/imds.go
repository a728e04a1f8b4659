package credentials

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/sts"
)

// IMDS paths and headers.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
const (
	imdsTokenPath     = "/latest/api/token"
	imdsCredsPath     = "/latest/meta-data/iam/security-credentials/"
	imdsInstancePath  = "/latest/meta-data/instance-id"
	imdsTokenHeader   = "X-Aws-Ec2-Metadata-Token"
	imdsTTLHeader     = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	imdsMaxTokenTTL   = 21600 // seconds: six hours
	imdsDefaultID     = "i-0123456789abcdef0"
	imdsService       = "ec2.amazonaws.com"
	imdsTimeFormat    = "2006-01-02T15:04:05Z"
	imdsTokenVersion  = 1
	imdsTokenNonceLen = 16
)

// IMDSRefreshMargin is how long before expiry the IMDS handler replaces the
// role credentials it serves. AWS makes new credentials available "at
// least five minutes before the expiration of the old credentials"; iamkit
// takes 15 minutes, so a client never receives credentials with less than
// 15 minutes left — the threshold under which ec2rolecreds stops applying
// the credential cache's ExpiryWindow.
const IMDSRefreshMargin = 15 * time.Minute

// IMDSOptions configure [NewIMDSHandler]. Issuer and RoleARN are required;
// the zero value of every other field means its documented default.
type IMDSOptions struct {
	// Issuer issues the instance profile's role credentials.
	Issuer *sts.Issuer
	// RoleARN is the instance profile's role, assumed by the service
	// principal ec2.amazonaws.com with [sts.Issuer.AssumeRoleForService]:
	// its trust policy must trust that service.
	RoleARN string
	// InstanceID is the instance's ID, served at
	// /latest/meta-data/instance-id and used as the RoleSessionName, as EC2
	// does. Default "i-0123456789abcdef0".
	InstanceID string
	// Now is the clock for token lifetimes and credential refreshes.
	// Default time.Now. Give the issuer the same clock.
	Now func() time.Time
	// AllowIMDSv1 serves metadata to GET requests without a token
	// (HttpTokens "optional"). Default false: tokens are required
	// (HttpTokens "required"), as AWS recommends. A request that carries
	// an invalid token is refused either way.
	AllowIMDSv1 bool
	// Region is the instance's region, in its ARN
	// (ec2:SourceInstanceARN). Default the issuer's region.
	Region string
	// VPCID and PrivateIPv4, when set, are the instance's VPC and primary
	// private address: aws:Ec2InstanceSourceVpc and
	// aws:Ec2InstanceSourcePrivateIPv4 in every request of its sessions.
	VPCID, PrivateIPv4 string
}

// NewIMDSHandler returns an http.Handler that serves the credential part
// of the EC2 Instance Metadata Service, so that aws-sdk-go-v2's
// ec2rolecreds provider (and any SDK's instance profile provider) obtains
// role credentials from it unmodified:
//
//   - PUT /latest/api/token with X-aws-ec2-metadata-token-ttl-seconds
//     (1 to 21600) returns an IMDSv2 session token, echoing the TTL header.
//     A missing or invalid TTL answers 400; a request carrying
//     X-Forwarded-For answers 403, as IMDS refuses tokens to requests that
//     went through a proxy.
//   - GET /latest/meta-data/iam/security-credentials/ lists the role name.
//   - GET /latest/meta-data/iam/security-credentials/ROLE returns the role
//     credentials as IMDS does: Code "Success", LastUpdated, Type
//     "AWS-HMAC", AccessKeyId, SecretAccessKey, Token, Expiration.
//   - GET /latest/meta-data/instance-id returns InstanceID.
//
// GET requests need a valid token in X-aws-ec2-metadata-token unless
// AllowIMDSv1 is set: without one they answer 401. Other methods answer
// 405 and other paths 404.
//
// Tokens are stateless: a token is its expiry and a random nonce, signed
// with HMAC-SHA256 under a key drawn from crypto/rand when the handler is
// made (never from an injectable reader: a predictable key would let anyone
// forge tokens), so
// any number of requests can verify it with no shared state, and tokens do
// not survive the handler (as IMDS tokens do not survive a stop). The
// credentials are cached and replaced [IMDSRefreshMargin] before they
// expire; if the refresh fails, the old credentials are served for as long
// as they are valid.
//
// The handler opens no listener; serve it on 169.254.169.254 or loopback
// only.
func NewIMDSHandler(opt IMDSOptions) (http.Handler, error) {
	if opt.Issuer == nil {
		return nil, errors.New("credentials: IMDSOptions.Issuer is required")
	}
	a, err := principal.ParseARN(opt.RoleARN)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return nil, fmt.Errorf("credentials: IMDSOptions.RoleARN %q is not an IAM role ARN", opt.RoleARN)
	}
	h := &imdsHandler{
		issuer:     opt.Issuer,
		roleARN:    opt.RoleARN,
		roleName:   a.Resource[strings.LastIndexByte(a.Resource, '/')+1:],
		instanceID: opt.InstanceID,
		now:        opt.Now,
		v1:         opt.AllowIMDSv1,
		vpcID:      opt.VPCID,
		ipv4:       opt.PrivateIPv4,
	}
	if h.instanceID == "" {
		h.instanceID = imdsDefaultID
	}
	if h.now == nil {
		h.now = time.Now
	}
	if _, err := sts.ServiceSessionName(imdsService, h.instanceID); err != nil {
		return nil, fmt.Errorf("credentials: IMDSOptions.InstanceID: %w", err)
	}
	region := opt.Region
	if region == "" {
		region = opt.Issuer.Region()
	}
	h.instanceARN = "arn:" + a.Partition + ":ec2:" + region + ":" + a.Account + ":instance/" + h.instanceID
	rand.Read(h.key[:]) // crypto/rand.Read never fails (Go 1.24)
	return h, nil
}

type imdsHandler struct {
	issuer     *sts.Issuer
	roleARN    string
	roleName   string
	instanceID string
	now        func() time.Time
	v1         bool
	key        [32]byte

	refreshMu sync.Mutex // one refresh at a time
	// cur holds the cached credentials: [0] delivered with IMDSv2, [1]
	// with IMDSv1, which differ in ec2:RoleDelivery.
	cur         [2]atomic.Pointer[imdsCreds]
	instanceARN string
	vpcID, ipv4 string
}

type imdsCreds struct {
	creds   sts.Credentials
	updated time.Time
}

// String describes the handler without its signing key or credentials.
func (h *imdsHandler) String() string {
	return "credentials.IMDSHandler{RoleARN: " + h.roleARN + ", InstanceID: " + h.instanceID + "}"
}

func (h *imdsHandler) GoString() string           { return h.String() }
func (h *imdsHandler) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, h.String()) }

func (h *imdsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == imdsTokenPath {
		h.serveToken(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		imdsError(w, http.StatusMethodNotAllowed)
		return
	}
	if !h.authorized(r) {
		imdsError(w, http.StatusUnauthorized)
		return
	}
	switch r.URL.Path {
	case imdsCredsPath, strings.TrimSuffix(imdsCredsPath, "/"):
		imdsText(w, h.roleName)
	case imdsCredsPath + h.roleName, imdsCredsPath + h.roleName + "/":
		h.serveCredentials(w, r)
	case imdsInstancePath:
		imdsText(w, h.instanceID)
	default:
		imdsError(w, http.StatusNotFound)
	}
}

func (h *imdsHandler) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", "PUT")
		imdsError(w, http.StatusMethodNotAllowed)
		return
	}
	if _, proxied := r.Header["X-Forwarded-For"]; proxied {
		imdsError(w, http.StatusForbidden)
		return
	}
	ttl, ok := parseTTL(r.Header.Values(imdsTTLHeader))
	if !ok {
		imdsError(w, http.StatusBadRequest)
		return
	}
	tok := h.newToken(h.now().Add(time.Duration(ttl) * time.Second))
	w.Header().Set(imdsTTLHeader, strconv.Itoa(ttl))
	imdsText(w, tok)
}

// parseTTL accepts exactly one header value of 1 to 5 ASCII digits whose
// value is 1 to 21600.
func parseTTL(vals []string) (int, bool) {
	if len(vals) != 1 || len(vals[0]) == 0 || len(vals[0]) > 5 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(vals[0]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n >= 1 && n <= imdsMaxTokenTTL
}

// A token is base64url(version | expiry UnixNano | nonce | HMAC-SHA256 of
// the preceding bytes).
const imdsTokenLen = 1 + 8 + imdsTokenNonceLen + sha256.Size

func (h *imdsHandler) newToken(expires time.Time) string {
	var b [imdsTokenLen]byte
	b[0] = imdsTokenVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(expires.UnixNano()))
	rand.Read(b[9 : 9+imdsTokenNonceLen])
	mac := hmac.New(sha256.New, h.key[:])
	mac.Write(b[:9+imdsTokenNonceLen])
	mac.Sum(b[:9+imdsTokenNonceLen])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// validToken reports whether tok is a token of this handler that has not
// expired. Every failure looks the same from outside.
func (h *imdsHandler) validToken(tok string) bool {
	if base64.RawURLEncoding.DecodedLen(len(tok)) != imdsTokenLen {
		return false
	}
	var b [imdsTokenLen]byte
	n, err := base64.RawURLEncoding.Strict().Decode(b[:], []byte(tok))
	if err != nil || n != imdsTokenLen || b[0] != imdsTokenVersion {
		return false
	}
	mac := hmac.New(sha256.New, h.key[:])
	mac.Write(b[:9+imdsTokenNonceLen])
	if !hmac.Equal(mac.Sum(nil), b[9+imdsTokenNonceLen:]) {
		return false
	}
	return h.now().UnixNano() < int64(binary.BigEndian.Uint64(b[1:9]))
}

func (h *imdsHandler) authorized(r *http.Request) bool {
	toks := r.Header.Values(imdsTokenHeader)
	if len(toks) == 0 {
		return h.v1
	}
	return len(toks) == 1 && h.validToken(toks[0])
}

func (h *imdsHandler) serveCredentials(w http.ResponseWriter, r *http.Request) {
	// A request that got here without a token is IMDSv1 (allowed).
	v1 := len(r.Header.Values(imdsTokenHeader)) == 0
	c, err := h.credentials(r.Context(), v1)
	var buf bytes.Buffer
	if err != nil {
		code, msg := "InternalError", "An internal error occurred."
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			code, msg = apiErr.ErrorCode(), apiErr.ErrorMessage()
			if code == sts.ErrAccessDenied.Code {
				// IMDS's answer when the role's trust policy refuses EC2.
				code = "AssumeRoleUnauthorizedAccess"
				msg = "EC2 cannot assume the role " + h.roleName + ". Please see documentation at https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html."
			}
		}
		imdsJSON(&buf, "Code", code, "Message", msg, "LastUpdated", h.now().UTC().Format(imdsTimeFormat))
	} else {
		imdsJSON(&buf,
			"Code", "Success",
			"LastUpdated", c.updated.UTC().Format(imdsTimeFormat),
			"Type", "AWS-HMAC",
			"AccessKeyId", c.creds.AccessKeyID,
			"SecretAccessKey", c.creds.SecretAccessKey.Reveal(),
			"Token", c.creds.SessionToken,
			"Expiration", c.creds.Expiration.UTC().Format(imdsTimeFormat))
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// credentials returns the cached role credentials of the delivery (v1:
// IMDSv1), refreshing them when they are within IMDSRefreshMargin of
// expiry. Refreshes are serialized. Sessions carry the EC2 keys AWS sets
// for instance-role credentials (ec2:SourceInstanceARN, ec2:RoleDelivery
// "2.0" or "1.0", and the VPC and address when given):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2instancesourcevpc
// and configuring-instance-metadata-options.html.
func (h *imdsHandler) credentials(ctx context.Context, v1 bool) (*imdsCreds, error) {
	slot, delivery := 0, sts.RoleDeliveryIMDSv2
	if v1 {
		slot, delivery = 1, sts.RoleDeliveryIMDSv1
	}
	if c := h.cur[slot].Load(); c != nil && h.fresh(c, h.now()) {
		return c, nil
	}
	h.refreshMu.Lock()
	defer h.refreshMu.Unlock()
	now := h.now()
	c := h.cur[slot].Load()
	if c != nil && h.fresh(c, now) {
		return c, nil // another request refreshed them meanwhile
	}
	out, err := h.issuer.AssumeRoleForServiceWith(ctx, sts.ServiceRequest{Service: imdsService,
		Input: &sts.AssumeRoleInput{RoleArn: h.roleARN, RoleSessionName: h.instanceID},
		EC2:   &sts.EC2Delivery{InstanceARN: h.instanceARN, RoleDelivery: delivery, SourceVPC: h.vpcID, SourcePrivateIPv4: h.ipv4}})
	if err != nil {
		if c != nil && now.Before(c.creds.Expiration) {
			return c, nil
		}
		return nil, err
	}
	c = &imdsCreds{creds: out.Credentials, updated: now}
	h.cur[slot].Store(c)
	return c, nil
}

func (h *imdsHandler) fresh(c *imdsCreds, now time.Time) bool {
	return now.Before(c.creds.Expiration.Add(-IMDSRefreshMargin))
}

// imdsJSON writes a flat JSON object of string members in the layout IMDS
// uses: one member a line, " : " between name and value.
func imdsJSON(buf *bytes.Buffer, kv ...string) {
	buf.WriteString("{\n")
	for i := 0; i+1 < len(kv); i += 2 {
		name, _ := json.Marshal(kv[i])
		val, _ := json.Marshal(kv[i+1])
		buf.WriteString("  ")
		buf.Write(name)
		buf.WriteString(" : ")
		buf.Write(val)
		if i+2 < len(kv) {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("}")
}

func imdsText(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", strconv.Itoa(len(s)))
	_, _ = io.WriteString(w, s)
}

func imdsError(w http.ResponseWriter, status int) {
	http.Error(w, strconv.Itoa(status)+" - "+http.StatusText(status), status)
}
