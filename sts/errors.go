package sts

import (
	"fmt"

	"github.com/aws/smithy-go"
)

// Error is an STS error as AWS reports it: the error code of the Query
// protocol's <Error><Code>, the message, and the HTTP status. It satisfies
// smithy-go's [smithy.APIError], so code written against aws-sdk-go-v2
// (errors.As(err, &apiErr); apiErr.ErrorCode()) handles it unchanged.
//
// Compare errors with errors.Is against the sentinels below: two *Error
// values match when their codes are equal, whatever their messages.
type Error struct {
	Code       string // "ValidationError", "AccessDenied", ...
	Message    string
	HTTPStatus int
	Fault      smithy.ErrorFault // smithy.FaultClient for every STS error
	// Err is an optional cause for errors.Unwrap. It is never shown in
	// Message, so internal detail does not leak to the caller.
	Err error
}

// Error returns "sts: <Code>: <Message>", or "sts: <Code>" without a message.
func (e *Error) Error() string {
	if e.Message == "" {
		return "sts: " + e.Code
	}
	return "sts: " + e.Code + ": " + e.Message
}

// ErrorCode returns AWS's error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns AWS's error message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault returns who is at fault: the client, for every STS error.
func (e *Error) ErrorFault() smithy.ErrorFault { return e.Fault }

// HTTPStatusCode returns the HTTP status STS answers with.
func (e *Error) HTTPStatusCode() int { return e.HTTPStatus }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, ErrAccessDenied) holds for any AccessDenied error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

// The sentinels carry AWS's code and HTTP status and no message; match them
// with errors.Is. Codes and statuses are those of the botocore STS model
// (sts/2011-06-15 service-2.json, "error" of each exception shape) and of
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html.
var (
	// ErrValidation: an input fails a constraint of the API.
	ErrValidation = sentinel("ValidationError", 400)
	// ErrInvalidParameterValue: an input is well formed but not acceptable,
	// such as duplicate session tag keys.
	ErrInvalidParameterValue = sentinel("InvalidParameterValue", 400)
	// ErrMalformedPolicyDocument: a session policy is not valid.
	ErrMalformedPolicyDocument = sentinel("MalformedPolicyDocument", 400)
	// ErrPackedPolicyTooLarge: session policies and tags exceed the packed size.
	ErrPackedPolicyTooLarge = sentinel("PackedPolicyTooLarge", 400)
	// ErrAccessDenied: the caller is not allowed to do this.
	ErrAccessDenied = sentinel("AccessDenied", 403)
	// ErrExpiredTokenException: a web identity or SAML token has expired.
	ErrExpiredTokenException = sentinel("ExpiredTokenException", 400)
	// ErrRegionDisabled: STS is not activated in the region for the account.
	ErrRegionDisabled = sentinel("RegionDisabledException", 403)
	// ErrInvalidAuthorizationMessage: DecodeAuthorizationMessage got a
	// message it cannot decode.
	ErrInvalidAuthorizationMessage = sentinel("InvalidAuthorizationMessageException", 400)
	// ErrIDPRejectedClaim: the identity provider rejected the claim.
	ErrIDPRejectedClaim = sentinel("IDPRejectedClaim", 403)
	// ErrInvalidIdentityToken: a web identity token is not valid.
	ErrInvalidIdentityToken = sentinel("InvalidIdentityToken", 400)
	// ErrIDPCommunicationError: the identity provider could not be reached.
	ErrIDPCommunicationError = sentinel("IDPCommunicationError", 400)
	// ErrNoSuchEntity: IAM's answer for a role or instance profile that
	// does not exist, as [Issuer.PassRole] and [Issuer.PassInstanceProfile]
	// give it (IAM API reference, CommonErrors and each operation's Errors).
	ErrNoSuchEntity = sentinel("NoSuchEntity", 404)

	// Errors of signed requests (CommonErrors.html).

	// ErrExpiredToken: the session token of the request has expired.
	ErrExpiredToken = sentinel("ExpiredToken", 403)
	// ErrInvalidClientTokenID: the access key ID or session token is unknown.
	ErrInvalidClientTokenID = sentinel("InvalidClientTokenId", 403)
	// ErrSignatureDoesNotMatch: the request signature does not verify.
	ErrSignatureDoesNotMatch = sentinel("SignatureDoesNotMatch", 403)
	// ErrIncompleteSignature: the request signature is not complete.
	ErrIncompleteSignature = sentinel("IncompleteSignature", 400)
	// ErrMissingAuthenticationToken: the request is not signed.
	ErrMissingAuthenticationToken = sentinel("MissingAuthenticationToken", 403)
	// ErrRequestExpired: the request's date is outside the allowed skew.
	ErrRequestExpired = sentinel("RequestExpired", 400)
)

func sentinel(code string, status int) *Error {
	return &Error{Code: code, HTTPStatus: status, Fault: smithy.FaultClient}
}

// newError returns a new *Error with sentinel's code, status and fault and
// the formatted message. With no args the format is used verbatim.
func newError(sentinel *Error, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{
		Code:       sentinel.Code,
		Message:    msg,
		HTTPStatus: sentinel.HTTPStatus,
		Fault:      sentinel.Fault,
	}
}
