package sts

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Validation of STS requests, as AWS's request framework does it before the
// operation runs: every member is checked against the min/max length, range
// and pattern of the botocore STS model (sts/2011-06-15 service-2.json), all
// violations are collected, and the error is a ValidationError whose message
// has AWS's exact form:
//
//	1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2
//	2 validation errors detected: Value 'x' at 'a'...; Value 'y' at 'b'...
//
// What was checked against AWS's answers (an AWS STS probe suite and
// LocalStack snapshots recorded against AWS):
//   - lengths count Unicode code points (runes), not bytes or UTF-16 units;
//   - within one member the pattern violation comes before the length one
//     ("Value '' at 'roleArn' ... pattern ...; Value '' at 'roleArn' ...
//     Member must have length greater than or equal to 20");
//   - integers read "Member must have value greater than or equal to 900";
//   - list members are named 'tags.1.member.key' (1-based), as IAM and
//     CloudFormation print them.
//
// Not confirmed, chosen by analogy: the order across members (the model's
// member order is used), the rendering of a whole list in a list-size
// violation (Java's List.toString, tags as {Key: k,Value: v}), and the
// 10-ARN limit on PolicyArns and the 2048 limit on AssumeRole's Policy,
// which the current model does not carry (both reported in the same form).
//
// Checks that need more than the request (does the role exist, is the
// duration within the role's MaxSessionDuration, is RoleArn a role ARN) are
// the Issuer's.

// Patterns as the model spells them; they appear verbatim in messages.
const (
	patARN            = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	patSessionName    = `[\w+=,.@-]*`
	patExternalID     = `[\w+=,.@:\/-]*`
	patSerialNumber   = `[\w+=/:,.@-]*`
	patTokenCode      = `[\d]*`
	patSessionPolicy  = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	patTagKey         = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	patTagValue       = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	patAccessKeyID    = `[\w]*`
	maxSessionPolicy  = 2048
	maxPolicyArns     = 10
	maxTags           = 50
	maxTransitiveKeys = 50
)

// Go's regexp agrees with Java's on these: \w and \d are ASCII, \p{L},
// \p{Z} and \p{N} are Unicode categories, and escaped punctuation is literal.
var (
	reSessionName  = regexp.MustCompile(`^` + patSessionName + `$`)
	reExternalID   = regexp.MustCompile(`^` + patExternalID + `$`)
	reSerialNumber = regexp.MustCompile(`^` + patSerialNumber + `$`)
	reTokenCode    = regexp.MustCompile(`^` + patTokenCode + `$`)
	reTagKey       = regexp.MustCompile(`^` + patTagKey + `$`)
	reTagValue     = regexp.MustCompile(`^` + patTagValue + `$`)
	reAccessKeyID  = regexp.MustCompile(`^` + patAccessKeyID + `$`)
)

// strRule is the model's constraint on a string member.
type strRule struct {
	min, max int               // max < 0: none
	pattern  string            // as printed in the message
	match    func(string) bool // nil: no pattern
}

var (
	ruleARN            = strRule{20, 2048, patARN, isARNText}
	ruleSessionName    = strRule{2, 64, patSessionName, reSessionName.MatchString}
	ruleExternalID     = strRule{2, 1224, patExternalID, reExternalID.MatchString}
	ruleSerialNumber   = strRule{9, 256, patSerialNumber, reSerialNumber.MatchString}
	ruleTokenCode      = strRule{6, 6, patTokenCode, reTokenCode.MatchString}
	ruleSourceIdentity = strRule{2, 64, patSessionName, reSessionName.MatchString}
	ruleSessionPolicy  = strRule{1, maxSessionPolicy, patSessionPolicy, isPolicyText}
	ruleTagKey         = strRule{1, 128, patTagKey, reTagKey.MatchString}
	ruleTagValue       = strRule{0, 256, patTagValue, reTagValue.MatchString}
	ruleFederationName = strRule{2, 32, patSessionName, reSessionName.MatchString}
	ruleAccessKeyID    = strRule{16, 128, patAccessKeyID, reAccessKeyID.MatchString}
	ruleEncodedMessage = strRule{1, 10240, "", nil}
)

// isARNText reports whether s matches the model's arnType pattern as AWS's
// Java regex engine reads it. Java's \uXXXX takes exactly four hex digits,
// so "\u10000-\u10FFFF" is U+1000, the range '0'-U+10FF and 'F': characters
// beyond the BMP are rejected (AWS answers a pattern violation for an ARN of
// emoji), and the class is in effect TAB, LF, CR, U+0020-U+D7FF and
// U+E000-U+FFFD.
func isARNText(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\t', r == '\n', r == '\r':
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		default:
			return false
		}
	}
	return true
}

// isPolicyText reports whether s matches [\u0009\u000A\u000D\u0020-\u00FF]+.
func isPolicyText(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xFF) {
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

// maxEcho is the most of a value an error message repeats, in runes: more
// than any member's limit (10,240, encodedMessage), so a value just over one is echoed
// whole, as AWS echoes it.
const maxEcho = 12288

// echo returns s for an error message: whole up to maxEcho runes, else its
// first maxEcho runes and "...". AWS repeats the value whole; a 900 KB
// Policy would then come back as a 900 KB error, so iamkit cuts it.
func echo(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	n := 0
	for i := range s {
		if n == maxEcho {
			return s[:i] + "..."
		}
		n++
	}
	return s
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

func (v *violations) optStr(member string, s *string, r strRule) {
	if s != nil {
		v.str(member, *s, r)
	}
}

func (v *violations) intRange(member string, p *int32, lo, hi int32) {
	if p == nil {
		return
	}
	if *p < lo {
		v.add(fmt.Sprint(*p), member, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
	if *p > hi {
		v.add(fmt.Sprint(*p), member, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

func (v *violations) listLen(member string, n, max int, render func() string) {
	if n > max {
		v.add(render(), member, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

func (v *violations) policyArns(arns []PolicyDescriptorType) {
	v.listLen("policyArns", len(arns), maxPolicyArns, func() string {
		return javaList(len(arns), func(i int) string { return "{Arn: " + arns[i].Arn + "}" })
	})
	for i, d := range arns {
		if d.Arn != "" {
			v.str(fmt.Sprintf("policyArns.%d.member.arn", i+1), d.Arn, ruleARN)
		}
	}
}

func (v *violations) tags(tags []Tag) {
	v.listLen("tags", len(tags), maxTags, func() string {
		return javaList(len(tags), func(i int) string {
			return "{Key: " + tags[i].Key + ",Value: " + tags[i].Value + "}"
		})
	})
	for i, t := range tags {
		v.str(fmt.Sprintf("tags.%d.member.key", i+1), t.Key, ruleTagKey)
		v.str(fmt.Sprintf("tags.%d.member.value", i+1), t.Value, ruleTagValue)
	}
}

func (v *violations) tagKeys(member string, keys []string) {
	v.listLen(member, len(keys), maxTransitiveKeys, func() string {
		return javaList(len(keys), func(i int) string { return keys[i] })
	})
	for i, k := range keys {
		v.str(fmt.Sprintf("%s.%d.member", member, i+1), k, ruleTagKey)
	}
}

// javaList renders a list as Java's List.toString does: "[a, b]".
func javaList(n int, elem func(int) string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(elem(i))
	}
	b.WriteByte(']')
	return b.String()
}

// err returns the ValidationError for the collected violations, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return newError(ErrValidation, "1 validation error detected: %s", v[0])
	}
	return newError(ErrValidation, "%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// validateTagKeys applies the session-tag rules AWS checks after the request
// passes validation, answering InvalidParameterValue with AWS's messages
// (recorded against AWS in LocalStack's STS snapshot tests): tag keys are
// case-insensitive and must be unique, and every transitive key must name a
// requested tag (compared case-insensitively). Conflicts with transitive
// tags inherited from the calling session are the Issuer's to check.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
func validateTagKeys(tags []Tag, transitive []string) error {
	keys := make(map[string]struct{}, len(tags))
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if _, dup := keys[k]; dup {
			return newError(ErrInvalidParameterValue, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		keys[k] = struct{}{}
	}
	for _, k := range transitive {
		if _, ok := keys[strings.ToLower(k)]; !ok {
			return newError(ErrInvalidParameterValue, "The specified transitive tag key must be included in the requested tags.")
		}
	}
	return nil
}

// Validate checks the request against AssumeRole's constraints and returns
// a ValidationError listing every violation, then an InvalidParameterValue
// error for duplicate tag keys or a transitive key that names no tag.
// The role-specific duration limit is checked by the Issuer.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func (in *AssumeRoleInput) Validate() error {
	if in == nil {
		in = &AssumeRoleInput{}
	}
	var v violations
	v.str("roleArn", in.RoleArn, ruleARN)
	v.str("roleSessionName", in.RoleSessionName, ruleSessionName)
	v.policyArns(in.PolicyArns)
	v.optStr("policy", in.Policy, ruleSessionPolicy)
	v.intRange("durationSeconds", in.DurationSeconds, 900, 43200)
	v.intRange("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, 4096)
	v.tags(in.Tags)
	v.tagKeys("transitiveTagKeys", in.TransitiveTagKeys)
	v.optStr("externalId", in.ExternalId, ruleExternalID)
	v.optStr("serialNumber", in.SerialNumber, ruleSerialNumber)
	v.optStr("tokenCode", in.TokenCode, ruleTokenCode)
	v.optStr("sourceIdentity", in.SourceIdentity, ruleSourceIdentity)
	if err := v.err(); err != nil {
		return err
	}
	return validateTagKeys(in.Tags, in.TransitiveTagKeys)
}

// Validate checks the request against GetSessionToken's constraints and
// returns a ValidationError listing every violation. The root user's
// one-hour limit is checked by the Issuer.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func (in *GetSessionTokenInput) Validate() error {
	if in == nil {
		return nil
	}
	var v violations
	v.intRange("durationSeconds", in.DurationSeconds, 900, 129600)
	v.intRange("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, 4096)
	v.optStr("serialNumber", in.SerialNumber, ruleSerialNumber)
	v.optStr("tokenCode", in.TokenCode, ruleTokenCode)
	return v.err()
}

// Validate checks the request against GetFederationToken's constraints and
// returns a ValidationError listing every violation, then an
// InvalidParameterValue error for duplicate tag keys.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func (in *GetFederationTokenInput) Validate() error {
	if in == nil {
		in = &GetFederationTokenInput{}
	}
	var v violations
	v.str("name", in.Name, ruleFederationName)
	v.optStr("policy", in.Policy, ruleSessionPolicy)
	v.policyArns(in.PolicyArns)
	v.intRange("durationSeconds", in.DurationSeconds, 900, 129600)
	v.intRange("minimumSessionTokenSize", in.MinimumSessionTokenSize, 0, 4096)
	v.tags(in.Tags)
	if err := v.err(); err != nil {
		return err
	}
	return validateTagKeys(in.Tags, nil)
}

// Validate checks the request against GetAccessKeyInfo's constraints and
// returns a ValidationError listing every violation.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
func (in *GetAccessKeyInfoInput) Validate() error {
	if in == nil {
		in = &GetAccessKeyInfoInput{}
	}
	var v violations
	v.str("accessKeyId", in.AccessKeyId, ruleAccessKeyID)
	return v.err()
}

// Validate checks the request against DecodeAuthorizationMessage's
// constraints and returns a ValidationError listing every violation.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
func (in *DecodeAuthorizationMessageInput) Validate() error {
	if in == nil {
		in = &DecodeAuthorizationMessageInput{}
	}
	var v violations
	v.str("encodedMessage", in.EncodedMessage, ruleEncodedMessage)
	return v.err()
}
