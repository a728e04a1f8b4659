package principal

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalidARN is the sentinel wrapped by every error ParseARN returns.
var ErrInvalidARN = errors.New("principal: invalid ARN")

// ARNError describes why a string is not a valid ARN. It unwraps to
// ErrInvalidARN.
type ARNError struct {
	Input  string // the string given to ParseARN
	Reason string // what is wrong with it
}

// Error returns `principal: invalid ARN "<input>": <reason>`.
func (e *ARNError) Error() string {
	return "principal: invalid ARN " + strconv.Quote(e.Input) + ": " + e.Reason
}

// Unwrap returns ErrInvalidARN.
func (e *ARNError) Unwrap() error { return ErrInvalidARN }

// ARN is an Amazon Resource Name,
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. It is a small comparable
// value; the zero value means "no ARN" and prints as "".
type ARN struct {
	Partition string // "aws", "aws-cn", "aws-us-gov", "aws-iso", ...
	Service   string // service namespace, e.g. "iam", "sts", "s3"
	Region    string // empty for global resources such as IAM
	Account   string // 12-digit account ID, "aws" for AWS managed policies, or empty
	Resource  string // everything after the fifth colon; may contain ':' and '/'
}

// ParseARN parses s as an ARN. The resource part is everything after the
// fifth colon. The partition must be known (see KnownPartition), the service
// non-empty lowercase letters, digits and '-', the region empty or of the same
// alphabet, the account empty, 12 digits or "aws" (AWS managed policies), and
// the resource non-empty. Control characters and invalid UTF-8 are rejected.
// Errors are *ARNError and wrap ErrInvalidARN.
func ParseARN(s string) (ARN, error) {
	fail := func(reason string) (ARN, error) {
		return ARN{}, &ARNError{Input: s, Reason: reason}
	}
	if s == "" {
		return fail("empty string")
	}
	if !utf8.ValidString(s) {
		return fail("invalid UTF-8")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return fail("control character at byte " + strconv.Itoa(i))
		}
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 {
		return fail("want 6 colon-separated parts, got " + strconv.Itoa(len(parts)))
	}
	if parts[0] != "arn" {
		return fail(`must begin with "arn:"`)
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case a.Partition == "":
		return fail("missing partition")
	case !KnownPartition(a.Partition):
		return fail("unknown partition " + strconv.Quote(a.Partition))
	case a.Service == "":
		return fail("missing service")
	case !isLowerToken(a.Service):
		return fail("service " + strconv.Quote(a.Service) + " must be lowercase letters, digits and '-'")
	case a.Region != "" && !isLowerToken(a.Region):
		return fail("region " + strconv.Quote(a.Region) + " must be lowercase letters, digits and '-'")
	case a.Account != "" && a.Account != "aws" && !IsAccountID(a.Account):
		return fail("account ID must be 12 digits, got " + strconv.Quote(a.Account))
	case a.Resource == "":
		return fail("missing resource")
	}
	return a, nil
}

// MustParseARN is like ParseARN but panics on error. It is meant for tests
// and package-level variables.
func MustParseARN(s string) ARN {
	a, err := ParseARN(s)
	if err != nil {
		panic(err)
	}
	return a
}

// String returns the ARN in its textual form, or "" for the zero ARN.
// For any a returned by ParseARN, ParseARN(a.String()) == a.
func (a ARN) String() string {
	if a.IsZero() {
		return ""
	}
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// IsZero reports whether a is the zero ARN.
func (a ARN) IsZero() bool { return a == ARN{} }

// MarshalText implements encoding.TextMarshaler. The zero ARN marshals to
// empty text.
func (a ARN) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. Empty text yields the
// zero ARN; anything else must satisfy ParseARN.
func (a *ARN) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = ARN{}
		return nil
	}
	p, err := ParseARN(string(b))
	if err != nil {
		return err
	}
	*a = p
	return nil
}

// IsAccountID reports whether s is an AWS account ID: exactly 12 ASCII digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// KnownPartition reports whether p is an AWS partition: "aws", "aws-cn",
// "aws-us-gov", or an ISO partition ("aws-iso" and any "aws-iso-" name such
// as "aws-iso-b", "aws-iso-e", "aws-iso-f").
func KnownPartition(p string) bool {
	switch p {
	case "aws", "aws-cn", "aws-us-gov", "aws-iso":
		return true
	}
	rest, ok := strings.CutPrefix(p, "aws-iso-")
	return ok && rest != "" && isLowerToken(rest)
}

// isLowerToken reports whether s is non-empty and made only of [a-z0-9-].
func isLowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
