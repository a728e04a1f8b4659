package sts

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"
)

// Codes and statuses: the "error" of each exception shape in the botocore
// STS model (sts/2011-06-15 service-2.json) and
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html;
// InvalidParameterValue as AWS answers for duplicate session tag keys
// (LocalStack's STS snapshot, recorded against AWS).
func TestSentinelCodes(t *testing.T) {
	tests := []struct {
		err    *Error
		code   string
		status int
	}{
		{ErrValidation, "ValidationError", 400},
		{ErrInvalidParameterValue, "InvalidParameterValue", 400},
		{ErrMalformedPolicyDocument, "MalformedPolicyDocument", 400},
		{ErrPackedPolicyTooLarge, "PackedPolicyTooLarge", 400},
		{ErrAccessDenied, "AccessDenied", 403},
		{ErrExpiredTokenException, "ExpiredTokenException", 400},
		{ErrRegionDisabled, "RegionDisabledException", 403},
		{ErrInvalidAuthorizationMessage, "InvalidAuthorizationMessageException", 400},
		{ErrIDPRejectedClaim, "IDPRejectedClaim", 403},
		{ErrInvalidIdentityToken, "InvalidIdentityToken", 400},
		{ErrIDPCommunicationError, "IDPCommunicationError", 400},
		{ErrExpiredToken, "ExpiredToken", 403},
		{ErrInvalidClientTokenID, "InvalidClientTokenId", 403},
		{ErrSignatureDoesNotMatch, "SignatureDoesNotMatch", 403},
		{ErrIncompleteSignature, "IncompleteSignature", 400},
		{ErrMissingAuthenticationToken, "MissingAuthenticationToken", 403},
		{ErrRequestExpired, "RequestExpired", 400},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if tt.err.ErrorCode() != tt.code || tt.err.HTTPStatusCode() != tt.status {
				t.Errorf("got %s %d, want %s %d", tt.err.ErrorCode(), tt.err.HTTPStatusCode(), tt.code, tt.status)
			}
			if tt.err.ErrorFault() != smithy.FaultClient {
				t.Errorf("fault = %v, want client", tt.err.ErrorFault())
			}
			if tt.err.ErrorMessage() != "" {
				t.Errorf("sentinel has message %q", tt.err.ErrorMessage())
			}
		})
	}
}

func TestErrorAsAPIError(t *testing.T) {
	cause := errors.New("token: bad seal")
	e := newError(ErrInvalidClientTokenID, "The security token included in the request is invalid.")
	e.Err = cause
	var err error = fmt.Errorf("wrapped: %w", e)

	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatal("errors.As into smithy.APIError failed")
	}
	if api.ErrorCode() != "InvalidClientTokenId" || api.ErrorMessage() != "The security token included in the request is invalid." || api.ErrorFault() != smithy.FaultClient {
		t.Errorf("got %q %q %v", api.ErrorCode(), api.ErrorMessage(), api.ErrorFault())
	}
	var se *Error
	if !errors.As(err, &se) || se.HTTPStatusCode() != 403 {
		t.Errorf("errors.As into *Error: %v", se)
	}
	if !errors.Is(err, ErrInvalidClientTokenID) {
		t.Error("errors.Is(err, ErrInvalidClientTokenID) = false")
	}
	if errors.Is(err, ErrAccessDenied) {
		t.Error("errors.Is(err, ErrAccessDenied) = true")
	}
	if !errors.Is(err, cause) {
		t.Error("errors.Is(err, cause) = false: Unwrap lost the cause")
	}
	if got, want := e.Error(), "sts: InvalidClientTokenId: The security token included in the request is invalid."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := ErrAccessDenied.Error(); got != "sts: AccessDenied" {
		t.Errorf("sentinel Error() = %q", got)
	}
}

func TestNewError(t *testing.T) {
	e := newError(ErrAccessDenied, "User: %s is not authorized to perform: %s", "arn:aws:iam::123456789012:user/bob", "sts:AssumeRole")
	if e.Code != "AccessDenied" || e.HTTPStatus != 403 || e.Fault != smithy.FaultClient {
		t.Errorf("newError copied %+v", e)
	}
	if want := "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:AssumeRole"; e.Message != want {
		t.Errorf("Message = %q, want %q", e.Message, want)
	}
	if ErrAccessDenied.Message != "" {
		t.Error("newError modified the sentinel")
	}
	var nilErr *Error
	if ErrAccessDenied.Is(nilErr) {
		t.Error("Is(nil *Error) = true")
	}
}
