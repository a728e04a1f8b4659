// Package condition evaluates the Condition element of AWS IAM policies and
// matches the wildcard and policy-variable patterns that the Action,
// Resource and String/Arn condition values share.
//
// It follows the IAM User Guide:
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_logic_multiple_context_keys_or_values.html
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
//   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
//
// Everything is compiled once and evaluated many times: [Compile] parses the
// operator and every value (numbers, dates, CIDR blocks, base64, patterns),
// and a [Context] parses each request value into its typed forms when it is
// set, so [Condition.Eval], [Pattern.Match] and [ARNPattern.Match] only
// compare and never allocate.
//
//	c, err := condition.Compile("StringLike", "s3:prefix",
//		[]condition.Literal{{Text: "home/${aws:username}/*"}},
//		condition.CompileOptions{Variables: true})
//	...
//	ctx := condition.NewContext()
//	ctx.Set("aws:username", "alice")
//	ctx.Set("s3:prefix", "home/alice/notes.txt")
//	ok, missing := c.Eval(ctx) // true, false
//
// # Evaluation rules
//
// Within one condition the values are ORed. Negated operators
// (StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike,
// NumericNotEquals, DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike)
// are true only when the context value matches none of the values. When the
// key is absent from the request, positive operators are false, negated
// operators true, ...IfExists operators true, ForAllValues true and
// ForAnyValue false; Eval reports the key as missing in each case. Null
// "true" is true when the key is absent, Null "false" when it is present.
// Key names are case-insensitive, including the part after '/' in keys such
// as aws:PrincipalTag/team; values are case-sensitive (except for the
// ...IgnoreCase operators).
//
// ForAllValues is true when every context value satisfies the operator, and
// so for an empty list; with a negated operator every context value must
// match none of the policy values. ForAnyValue is true when at least one
// context value does, and so false for an empty list.
//
// ArnEquals and ArnLike are the same operator, as AWS documents them: each of
// the six colon-separated parts of the ARN is matched separately, with '*'
// and '?' wildcards that never cross a colon, except in the resource part,
// which is everything after the fifth colon.
//
// # Choices where AWS is silent
//
// These are iamkit's documented decisions:
//   - A multi-valued context key used with an operator that has no
//     ForAllValues/ForAnyValue prefix is true for a positive operator when
//     any context value matches, and for a negated operator when no context
//     value matches any policy value (an empty list: positive false, negated
//     true).
//   - A context value that cannot be read as the operator's type ("abc" with
//     NumericEquals, "x" with IpAddress) matches no policy value; a negated
//     operator therefore counts it as matching none.
//   - Null treats a key set to an empty list as absent, as the multi-valued
//     condition examples do when they pair ForAllValues with Null "false".
//   - A condition needs at least one value.
//   - Policy variables are substituted only in String* and Arn* condition
//     values, and only with [CompileOptions.Variables]. In Arn* condition
//     values a variable may appear in any of the six parts (a colon inside
//     ${...} does not split parts); [CompileARNPattern], used for Resource
//     elements, allows variables only in the resource part, as AWS documents
//     for Resource.
//   - A variable whose key is absent or multi-valued resolves to its default
//     if it has one; otherwise the policy value that contains it matches
//     nothing. Inside a default, two single quotes in a row stand for one.
//   - IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) in the request are the IPv4
//     address they carry, so an IPv4 CIDR block matches them.
//   - Dates are accepted as RFC 3339 / ISO 8601 date-times (with "Z", an
//     offset, or no zone meaning UTC; with or without fractional seconds or
//     seconds), date-only values (midnight UTC), the ISO 8601 basic format
//     (20200101T000000Z), and epoch seconds (an integer, optionally with a
//     fraction). Numbers are decimal, with an optional sign, fraction and
//     exponent.
//   - StringEqualsIgnoreCase compares with Unicode simple case folding, as
//     strings.EqualFold does. [PatternOptions.FoldCase] (for Action) folds
//     ASCII only.
//
// # Request context
//
// [Context.SetCaller] sets the global keys that describe the caller, each
// only where reference_policies_condition-keys.html says it is present (for
// example aws:username for IAM users only).
package condition
