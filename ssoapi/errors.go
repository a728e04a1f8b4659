package ssoapi

import (
	"encoding/json"
	"net/http"
)

// oidcError is an SSO OIDC error as the API sends it: the exception's
// name in __type (and the x-amzn-ErrorType header), the OAuth 2.0 error
// code in "error" and a description in "error_description"
// (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html#API_CreateToken_Errors;
// the shapes are the ssooidc client's, which reads exactly these members).
type oidcError struct {
	code        string // AuthorizationPendingException, ...
	status      int
	oauth       string // authorization_pending, ...
	description string
}

func (e *oidcError) Error() string { return "ssoapi: " + e.code + ": " + e.description }

func newOIDCError(code string, status int, oauth, description string) *oidcError {
	return &oidcError{code: code, status: status, oauth: oauth, description: description}
}

// The SSO OIDC errors, with their HTTP statuses as AWS sends them (all
// 400 but InvalidClientException 401 and InternalServerException 500).
func errInvalidRequest(d string) *oidcError {
	return newOIDCError("InvalidRequestException", 400, "invalid_request", d)
}
func errInvalidClient(d string) *oidcError {
	return newOIDCError("InvalidClientException", 401, "invalid_client", d)
}
func errInvalidGrant(d string) *oidcError {
	return newOIDCError("InvalidGrantException", 400, "invalid_grant", d)
}
func errUnauthorizedClient(d string) *oidcError {
	return newOIDCError("UnauthorizedClientException", 400, "unauthorized_client", d)
}
func errUnsupportedGrantType(d string) *oidcError {
	return newOIDCError("UnsupportedGrantTypeException", 400, "unsupported_grant_type", d)
}
func errInvalidScope(d string) *oidcError {
	return newOIDCError("InvalidScopeException", 400, "invalid_scope", d)
}
func errAuthorizationPending() *oidcError {
	return newOIDCError("AuthorizationPendingException", 400, "authorization_pending", "The user has not yet approved the request.")
}
func errSlowDown() *oidcError {
	return newOIDCError("SlowDownException", 400, "slow_down", "Polling too fast: wait the interval, now 5 seconds longer, between requests.")
}
func errExpiredToken(d string) *oidcError {
	return newOIDCError("ExpiredTokenException", 400, "expired_token", d)
}
func errAccessDenied(d string) *oidcError {
	return newOIDCError("AccessDeniedException", 400, "access_denied", d)
}
func errInvalidClientMetadata(d string) *oidcError {
	return newOIDCError("InvalidClientMetadataException", 400, "invalid_client_metadata", d)
}
func errInvalidRedirectURI(d string) *oidcError {
	return newOIDCError("InvalidRedirectUriException", 400, "invalid_redirect_uri", d)
}
func errInternal() *oidcError {
	return newOIDCError("InternalServerException", 500, "server_error", "An internal error occurred.")
}

// portalError is a portal API error: __type and "message"
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/CommonErrors.html
// and each operation's Errors section).
type portalError struct {
	code    string
	status  int
	message string
}

func (e *portalError) Error() string { return "ssoapi: " + e.code + ": " + e.message }

// msgUnauthorized is what the portal answers an unknown, expired or
// revoked token, word for word.
const msgUnauthorized = "Session token not found or invalid"

func errPortalUnauthorized() *portalError {
	return &portalError{"UnauthorizedException", http.StatusUnauthorized, msgUnauthorized}
}
func errPortalInvalidRequest(m string) *portalError {
	return &portalError{"InvalidRequestException", http.StatusBadRequest, m}
}
func errPortalTooManyRequests() *portalError {
	return &portalError{"TooManyRequestsException", http.StatusTooManyRequests, "Rate exceeded"}
}

// writeJSONError writes an error body with __type and the members, and
// the x-amzn-ErrorType header the restJson1 protocol also reads.
func writeJSONError(w http.ResponseWriter, status int, code string, members map[string]string) {
	body := map[string]string{"__type": code}
	for k, v := range members {
		body[k] = v
	}
	w.Header().Set("x-amzn-ErrorType", code)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"__type":"InternalServerException","message":"An internal error occurred."}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// Tokens and credentials must not be cached (RFC 6749 section 5.1).
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
