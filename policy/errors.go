package policy

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformedPolicy is wrapped by every [*Error] whose findings include a
// syntax or grammar problem. AWS answers such documents with the error code
// MalformedPolicyDocument.
var ErrMalformedPolicy = errors.New("MalformedPolicyDocument")

// ErrPolicyTooLarge is wrapped by an [*Error] when the document exceeds the
// size quota of its policy type. IAM answers with LimitExceeded.
var ErrPolicyTooLarge = errors.New("LimitExceeded")

// Severity says whether a [Finding] makes the policy unusable.
type Severity uint8

// Severities, from most to least serious.
const (
	// SeverityError means AWS would reject the document.
	SeverityError Severity = iota + 1
	// SeverityWarning means AWS accepts the document but it likely does not
	// do what its author meant (for example NotPrincipal with Allow).
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// Finding is one problem found while validating a policy: what is wrong,
// where in the JSON (a path such as Statement[0].Effect and a line:column)
// and how serious it is.
type Finding struct {
	Severity Severity
	Path     string   // JSON path, "" for the whole document
	Pos      Position // zero when the document was not parsed from JSON
	Message  string
	err      error // ErrMalformedPolicy or ErrPolicyTooLarge
}

// String formats the finding as "line 4, column 9: Statement[0].Effect: message".
func (f Finding) String() string {
	var b strings.Builder
	if !f.Pos.IsZero() {
		b.WriteString(f.Pos.String())
		b.WriteString(": ")
	}
	if f.Path != "" {
		b.WriteString(f.Path)
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	return b.String()
}

// Error is returned by [Parse] and [New] when a policy has at least one
// error-level finding. It lists every error found, in document order.
type Error struct {
	Findings []Finding
}

// Error returns the first finding, prefixed with "policy: ", and how many more
// there are.
func (e *Error) Error() string {
	if len(e.Findings) == 0 {
		return "policy: invalid policy"
	}
	msg := "policy: " + e.Findings[0].String()
	if n := len(e.Findings) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Unwrap returns the sentinel errors of the findings so that errors.Is works
// with [ErrMalformedPolicy] and [ErrPolicyTooLarge].
func (e *Error) Unwrap() []error {
	var out []error
	seen := map[error]bool{}
	for _, f := range e.Findings {
		if f.err != nil && !seen[f.err] {
			seen[f.err] = true
			out = append(out, f.err)
		}
	}
	return out
}

// ErrorCode returns AWS's error code for the failure: LimitExceeded when the
// only problem is size, MalformedPolicyDocument otherwise.
func (e *Error) ErrorCode() string {
	for _, f := range e.Findings {
		if f.err != ErrPolicyTooLarge {
			return ErrMalformedPolicy.Error()
		}
	}
	if len(e.Findings) > 0 {
		return ErrPolicyTooLarge.Error()
	}
	return ErrMalformedPolicy.Error()
}
