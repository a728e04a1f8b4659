package identitycenter

import (
	"fmt"
	"strconv"

	"github.com/aws/smithy-go"
)

// Error is an IAM Identity Center error as AWS reports it: the error code
// of the JSON protocol's __type, the message and the HTTP status. It
// satisfies smithy-go's [smithy.APIError], so code written against the
// SDK's ssoadmin, identitystore and sso clients handles it unchanged.
//
// Compare errors with errors.Is against the sentinels below: two *Error
// values match when their codes are equal, whatever their messages.
type Error struct {
	Code       string // "ValidationException", "ConflictException", ...
	Message    string
	HTTPStatus int
	Fault      smithy.ErrorFault
	// Err is an optional cause for errors.Unwrap; it never shows in
	// Message.
	Err error
}

// Error returns "identitycenter: <Code>: <Message>".
func (e *Error) Error() string {
	if e.Message == "" {
		return "identitycenter: " + e.Code
	}
	return "identitycenter: " + e.Code + ": " + e.Message
}

// ErrorCode returns AWS's error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns AWS's error message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault returns who is at fault.
func (e *Error) ErrorFault() smithy.ErrorFault { return e.Fault }

// HTTPStatusCode returns the HTTP status AWS answers with.
func (e *Error) HTTPStatusCode() int { return e.HTTPStatus }

// Unwrap returns the cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

// Sentinels, with AWS's codes and HTTP statuses: the administration API
// (https://docs.aws.amazon.com/singlesignon/latest/APIReference/CommonErrors.html
// and each operation's Errors section; the Identity Store API answers the
// same codes) and the portal API
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html).
var (
	// ErrValidation: a request member breaks a constraint of the API.
	ErrValidation = sentinel("ValidationException", 400, smithy.FaultClient)
	// ErrConflict: the request clashes with the current state (a name
	// already taken, an entity still in use).
	ErrConflict = sentinel("ConflictException", 409, smithy.FaultClient)
	// ErrResourceNotFound: a user, group, permission set, account or role
	// the request names does not exist.
	ErrResourceNotFound = sentinel("ResourceNotFoundException", 404, smithy.FaultClient)
	// ErrServiceQuotaExceeded: the request would exceed one of Identity
	// Center's quotas (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html).
	ErrServiceQuotaExceeded = sentinel("ServiceQuotaExceededException", 402, smithy.FaultClient)

	// ErrUnauthorized is the portal's answer to an unknown or invalid
	// caller: "Session token not found or invalid" (HTTP 401).
	ErrUnauthorized = sentinel("UnauthorizedException", 401, smithy.FaultClient)
	// ErrForbidden is the portal's answer to GetRoleCredentials for a role
	// the user is not assigned: "No access" (HTTP 403). The API reference
	// does not list it; it is what AWS answers
	// (https://github.com/ministryofjustice/modernisation-platform/pull/10161).
	ErrForbidden = sentinel("ForbiddenException", 403, smithy.FaultClient)
	// ErrInvalidRequest is the portal's answer to a malformed request.
	ErrInvalidRequest = sentinel("InvalidRequestException", 400, smithy.FaultClient)
)

// Messages AWS answers with, word for word.
const (
	msgUnauthorized = "Session token not found or invalid"
	msgForbidden    = "No access"
)

func sentinel(code string, status int, fault smithy.ErrorFault) *Error {
	return &Error{Code: code, HTTPStatus: status, Fault: fault}
}

// newError returns an *Error with sentinel's code, status and fault and
// the formatted message (used verbatim without args).
func newError(sentinel *Error, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Code: sentinel.Code, Message: msg, HTTPStatus: sentinel.HTTPStatus, Fault: sentinel.Fault}
}

// ProvisionError reports a permission set that could not be provisioned
// into one account, as DescribePermissionSetProvisioningStatus reports a
// FAILED request with its FailureReason. The account keeps what was
// provisioned there before.
type ProvisionError struct {
	PermissionSet string // the permission set's name
	AccountID     string
	// FailureReason says what is wrong, naming the policy and account.
	FailureReason string
	// Err is the cause, if any (a Directory error).
	Err error
}

// Error returns `identitycenter: provisioning permission set "NAME" in account ACCT: REASON`.
func (e *ProvisionError) Error() string {
	return "identitycenter: provisioning permission set " + strconv.Quote(e.PermissionSet) +
		" in account " + e.AccountID + ": " + e.FailureReason
}

// Unwrap returns the cause, if any.
func (e *ProvisionError) Unwrap() error { return e.Err }
