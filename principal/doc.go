// Package principal models who makes an AWS request and how a policy's
// Principal or NotPrincipal element names them.
//
// It follows these AWS pages:
//
//   - ARN syntax and partitions:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
//   - IAM ARNs, names, paths and unique IDs:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
//   - The Principal element:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
//   - aws:PrincipalArn and aws:PrincipalType:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
//
// # Values
//
// [ARN] is an Amazon Resource Name and [Principal] a caller; both are small
// comparable values with Parse, MustParse and String, and a zero value that
// means "none". [Pattern] is one Principal element entry compiled by
// [ParsePattern]; its Match method does not allocate and reports a [Match]
// saying how the caller was named, which the policy evaluator needs because
// naming a role or an account leaves the grant subject to permissions
// boundaries and session policies, while naming a user or a session does not.
//
// # Usage
//
//	pat, err := principal.ParsePattern("AWS", "arn:aws:iam::123456789012:role/Admin")
//	if err != nil { ... } // malformed entries fail here, not at evaluation
//	caller := principal.MustParse("arn:aws:sts::123456789012:assumed-role/Admin/alice")
//	pat.Match(&caller) // principal.MatchRole
//
// # Matching rules
//
//   - "*" (bare, or as the whole value under any key) matches every caller,
//     anonymous ones included: [MatchWildcard].
//   - A 12-digit account ID and arn:PARTITION:iam::ID:root are the same
//     thing: every IAM principal of the account (root user, users, roles,
//     role sessions, federated users), not only the root user, and never
//     anonymous callers, services or identity providers: [MatchAccount].
//     A bare account ID carries no partition and matches in any partition,
//     because partitions never share callers.
//   - A role ARN matches the role and every session of it: [MatchRole].
//     A session ARN matches only that session: [MatchExact]. AWS forbids
//     "*" for "all sessions" or "all users", and any partial wildcard, so
//     [ParsePattern] rejects them; use "*" with a condition on
//     aws:PrincipalArn instead.
//   - User, federated-user, service, provider and canonical-user entries
//     match exactly that caller: [MatchExact].
//   - The partition must match for every ARN entry (arn:aws-cn is not
//     arn:aws).
//
// Documented choices:
//
//   - User names are compared case-sensitively, because the Principal page
//     says "the user name part of the ARN is case sensitive". The user path
//     is compared exactly too.
//   - Role names are compared with [strings.EqualFold]: IAM names are
//     unique per account regardless of case ("you cannot create resources
//     named both MyResource and myresource"), so a role ARN names one role
//     whatever its case. The role path is ignored, since session ARNs
//     (arn:aws:sts::ID:assumed-role/ROLE/SESSION) omit it and names are
//     unique per account.
//   - Session names, federated-user names, account IDs, service names,
//     provider names and canonical IDs are compared exactly.
//   - A unique ID such as "AIDA..." or "AROA...", which AWS shows in place
//     of a deleted user or role, parses but matches nothing.
//   - A bare account ID given to [Parse] is the root user in the "aws"
//     partition.
//   - [KnownPartition] accepts aws, aws-cn, aws-us-gov and the aws-iso
//     family; reference-arns.html lists no other partitions.
package principal
