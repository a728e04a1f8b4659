package credentials

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

// ContainerOptions configure [NewContainerHandler].
type ContainerOptions struct {
	// Provider supplies the credentials served, for example an
	// [AssumeRoleProvider] for the task role. Required. The handler calls
	// its Retrieve for every request; pass an [aws.CredentialsCache] to
	// reuse credentials (its ExpiryWindow then makes the served Expiration
	// earlier by that window, so clients only refresh sooner).
	Provider aws.CredentialsProvider
	// AuthorizationToken, if set, must be the value of the Authorization
	// header of every request, as the SDKs send it from
	// AWS_CONTAINER_AUTHORIZATION_TOKEN (or the file named by
	// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE). It may not contain CR or LF.
	// Default: no authorization.
	AuthorizationToken string
}

// NewContainerHandler returns an http.Handler that serves credentials the
// way the ECS container credentials endpoint does, for the SDKs' container
// provider (aws-sdk-go-v2's endpointcreds, selected by
// AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI):
// GET on any path returns
//
//	{"AccessKeyId", "SecretAccessKey", "Token", "Expiration", "AccountId"}
//
// with Expiration in RFC 3339 UTC, left out for credentials that cannot
// expire, and AccountId left out when unknown. Errors are JSON
// {"code", "message"} with Content-Type application/json, the shape
// endpointcreds decodes: a missing Authorization header answers 401
// "Unauthorized", a wrong one 403 "AccessDenied", a method other than GET
// or HEAD 405; a provider error answers with its own code and HTTP status
// (an STS error's, such as 403 AccessDenied), or 500 "InternalError"
// without detail for errors that are not API errors.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html
//
// The handler opens no listener. The SDKs accept plain HTTP only from
// loopback hosts and the ECS/EKS link-local addresses, so serve it there.
func NewContainerHandler(opt ContainerOptions) (http.Handler, error) {
	if opt.Provider == nil {
		return nil, errors.New("credentials: ContainerOptions.Provider is required")
	}
	if strings.ContainsAny(opt.AuthorizationToken, "\r\n") {
		return nil, errors.New("credentials: ContainerOptions.AuthorizationToken contains CR or LF")
	}
	return &containerHandler{provider: opt.Provider, token: opt.AuthorizationToken}, nil
}

type containerHandler struct {
	provider aws.CredentialsProvider
	token    string
}

// String describes the handler without its authorization token.
func (h *containerHandler) String() string {
	return "credentials.ContainerHandler{AuthorizationToken: [REDACTED]}"
}

func (h *containerHandler) GoString() string           { return h.String() }
func (h *containerHandler) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, h.String()) }

// containerCredentials is the endpoint's JSON response.
type containerCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration,omitempty"`
	AccountID       string `json:"AccountId,omitempty"`
}

// containerError is the endpoint's JSON error, as endpointcreds reads it.
type containerError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (h *containerHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		containerJSON(w, http.StatusMethodNotAllowed, containerError{"MethodNotAllowed", "The method " + r.Method + " is not allowed."})
		return
	}
	if h.token != "" {
		got := r.Header.Values("Authorization")
		switch {
		case len(got) == 0:
			containerJSON(w, http.StatusUnauthorized, containerError{"Unauthorized", "The request has no Authorization header."})
			return
		case len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte(h.token)) != 1:
			containerJSON(w, http.StatusForbidden, containerError{"AccessDenied", "The authorization token is not valid."})
			return
		}
	}
	creds, err := h.provider.Retrieve(r.Context())
	if err != nil {
		status, body := http.StatusInternalServerError, containerError{"InternalError", "The credentials could not be retrieved."}
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			body = containerError{apiErr.ErrorCode(), apiErr.ErrorMessage()}
			var hs interface{ HTTPStatusCode() int }
			if errors.As(err, &hs) && hs.HTTPStatusCode() >= 400 && hs.HTTPStatusCode() <= 599 {
				status = hs.HTTPStatusCode()
			}
		}
		containerJSON(w, status, body)
		return
	}
	out := containerCredentials{
		AccessKeyID:     creds.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		Token:           creds.SessionToken,
		AccountID:       creds.AccountID,
	}
	if creds.CanExpire {
		out.Expiration = creds.Expires.UTC().Format(imdsTimeFormat)
	}
	containerJSON(w, http.StatusOK, out)
}

// containerJSON writes v with Content-Type exactly "application/json":
// endpointcreds decodes an error body only with that value.
func containerJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"InternalError","message":"The response could not be encoded."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
