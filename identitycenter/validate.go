package identitycenter

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validation as AWS's request framework does it: each member is checked
// against the length and pattern of the Identity Center and Identity Store
// API references, every violation is collected, and the error is a
// ValidationException in AWS's form:
//
//	1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+
//
// Lengths count Unicode code points. Members are named as the API names
// them (camelCase; list elements 'managedPolicies.1.member').

// strRule is a member's constraint: lengths and an optional pattern.
type strRule struct {
	min, max int
	pattern  string            // as AWS prints it
	match    func(string) bool // nil: no pattern
}

// Patterns from the API references.
const (
	// API_PermissionSet.html
	patPermissionSetName = `[\w+=,.@-]+`
	patDescription       = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`
	patRelayState        = `[a-zA-Z0-9&$@#\\\/%?=~\-_'"|!:,.;*+\[\]\ \(\)\{\}]+`
	patDuration          = `(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?`
	// API_AttachManagedPolicyToPermissionSet.html
	patManagedPolicyARN = `arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::aws:policy/[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]+`
	// API_CustomerManagedPolicyReference.html
	patCMPName = `[\w+=,.@-]+`
	patCMPPath = `((/[A-Za-z0-9\.,\+@=_-]+)*)/`
	// API_PutInlinePolicyToPermissionSet.html
	patInlinePolicy = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	// API_AccessControlAttribute.html, API_AccessControlAttributeValue.html
	patACAKey    = `[\p{L}\p{Z}\p{N}_.:\/=+\-@]+`
	patACASource = `[\p{L}\p{Z}\p{N}_.:\/=+\-@\[\]\{\}\$\\"]*`
	// IdentityStoreAPIReference API_CreateUser.html, API_CreateGroup.html
	patIdentityText = `[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r  　]+`
	patUserName     = `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`
	patPrincipalID  = `([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}`
	patAccountID    = `\d{12}`
)

var (
	rePermissionSetName = regexp.MustCompile(`^` + patPermissionSetName + `$`)
	reManagedPolicyARN  = regexp.MustCompile(`^` + patManagedPolicyARN + `$`)
	reCMPName           = regexp.MustCompile(`^` + patCMPName + `$`)
	reCMPPath           = regexp.MustCompile(`^` + patCMPPath + `$`)
	reACAKey            = regexp.MustCompile(`^` + patACAKey + `$`)
	reACASource         = regexp.MustCompile(`^` + patACASource + `$`)
	rePrincipalID       = regexp.MustCompile(`^` + patPrincipalID + `$`)
	reAccountID         = regexp.MustCompile(`^` + patAccountID + `$`)
	// Go's RE2 has no look-ahead: reDuration is patDuration without
	// "(?=\d|T\d)", which isDuration checks by hand.
	reDuration = regexp.MustCompile(`^(-?)P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)
	// The relay state's class, spelled for RE2.
	reRelayState = regexp.MustCompile(`^[a-zA-Z0-9&$@#\\/%?=~\-_'"|!:,.;*+\[\] (){}]+$`)
)

var (
	rulePermissionSetName = strRule{1, 32, patPermissionSetName, rePermissionSetName.MatchString}
	ruleDescription       = strRule{1, 700, patDescription, isDescriptionText}
	ruleRelayState        = strRule{1, 240, patRelayState, reRelayState.MatchString}
	ruleDuration          = strRule{1, 100, patDuration, isDuration}
	ruleManagedPolicyARN  = strRule{20, 2048, patManagedPolicyARN, reManagedPolicyARN.MatchString}
	ruleCMPName           = strRule{1, 128, patCMPName, reCMPName.MatchString}
	ruleCMPPath           = strRule{1, 512, patCMPPath, reCMPPath.MatchString}
	ruleInlinePolicy      = strRule{1, maxInlinePolicyBytes, patInlinePolicy, isInlinePolicyText}
	ruleACAKey            = strRule{1, 128, patACAKey, reACAKey.MatchString}
	ruleACASource         = strRule{0, 256, patACASource, reACASource.MatchString}
	ruleUserName          = strRule{1, 128, patUserName, isUserName}
	ruleIdentityText      = strRule{1, 1024, patIdentityText, isIdentityText}
	rulePrincipalID       = strRule{1, 47, patPrincipalID, rePrincipalID.MatchString}
	ruleAccountID         = strRule{12, 12, patAccountID, reAccountID.MatchString}
)

func isDuration(s string) bool {
	if !reDuration.MatchString(s) {
		return false
	}
	// The look-ahead: P must be followed by a digit or by T and a digit.
	rest := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "P")
	rest = strings.TrimPrefix(rest, "T")
	return rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

func isDescriptionText(s string) bool {
	for _, r := range s {
		if !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r >= 0xa1 && r <= 0xff) {
			return false
		}
	}
	return true
}

func isInlinePolicyText(s string) bool {
	for _, r := range s {
		if !(r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xff) {
			return false
		}
	}
	return true
}

// isUserName: letters, marks, symbols, numbers and punctuation, without
// the characters <>;:% that the Identity Store excludes (its
// DescribeUser UserName documentation).
func isUserName(s string) bool {
	for _, r := range s {
		if strings.ContainsRune("<>;:%", r) || !(unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P)) {
			return false
		}
	}
	return true
}

func isIdentityText(s string) bool {
	for _, r := range s {
		if !(unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) ||
			r == '\t' || r == '\n' || r == '\r' || r == ' ' || r == '\u00a0' || r == '\u3000') {
			return false
		}
	}
	return true
}

// violations collects validation failures in the order they are found.
type violations []string

func (v *violations) add(value, member, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", echo(value), member, constraint))
}

// maxEcho bounds how much of a value a message repeats (in bytes): more
// than any member's limit, so values just over one come back whole.
const maxEcho = 33000

func echo(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	i := maxEcho
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

func (v *violations) str(member, s string, r strRule) {
	if r.match != nil && !r.match(s) {
		v.add(s, member, "Member must satisfy regular expression pattern: "+r.pattern)
	}
	n := utf8.RuneCountInString(s)
	if n < r.min {
		v.add(s, member, fmt.Sprintf("Member must have length greater than or equal to %d", r.min))
	}
	if r.max >= 0 && n > r.max {
		v.add(s, member, fmt.Sprintf("Member must have length less than or equal to %d", r.max))
	}
}

// opt checks s only when it is set: optional members are empty when
// absent.
func (v *violations) opt(member, s string, r strRule) {
	if s != "" {
		v.str(member, s, r)
	}
}

func (v *violations) addf(format string, args ...any) { *v = append(*v, fmt.Sprintf(format, args...)) }

// err returns the ValidationException for the collected violations, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return newError(ErrValidation, "1 validation error detected: %s", v[0])
	}
	return newError(ErrValidation, "%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}
