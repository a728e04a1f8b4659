// Package policy parses, validates, compiles and evaluates AWS IAM policies
// exactly as AWS documents them, for every policy type: identity-based
// policies, permissions boundaries, session policies, resource-based policies
// (including role trust policies and KMS key policies), service control
// policies (SCPs) and resource control policies (RCPs).
//
// The specification is AWS's documentation, chiefly
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// and the pages it links; each rule's test names the page its expected
// answer comes from.
//
// # Usage
//
//	p, err := policy.Parse(data, policy.Identity) // validate + compile once
//	set := &policy.Set{Identity: []*policy.Policy{p}}
//	ctx := condition.NewContext()
//	ctx.SetCaller(condition.Caller{Principal: caller, Now: now})
//	res := set.Evaluate(&policy.Request{Principal: caller,
//		Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key", Context: ctx})
//	if res.Decision == policy.Allowed { ... }
//
// [Set.Evaluate] allocates nothing; [Set.Explain] also lists every matching
// statement (policy, Sid, index, line:column) and the condition keys the
// request lacked (AWS's MissingContextValues).
//
// # Parsing and validation
//
// [Parse] accepts Version, Id and Statement (an object or an array); each
// statement accepts Sid, Effect, Principal or NotPrincipal, Action or
// NotAction, Resource or NotResource, and Condition. Element names are
// case-sensitive, duplicates are errors, and every error names its JSON path
// and line:column. Rules per type:
//
//   - Identity, Boundary, Session and SCP policies may not name a Principal.
//   - Resource policies must name a Principal or NotPrincipal; NotPrincipal
//     with Allow is accepted (AWS evaluates it) and reported as a warning
//     by [Validate].
//   - Trust policies must name a Principal, may not use NotPrincipal, may
//     not have Resource or NotResource, and may only name STS actions.
//   - RCPs are Deny-only, with "Principal": "*", no NotPrincipal and no
//     NotAction, except the RCPFullAWSAccess statement.
//   - Sids are unique within a policy; in policies stored by IAM or
//     Organizations (every type but Resource) they are letters and digits.
//   - Size quotas per type, see [SizeLimit]; the character set is tab,
//     line feed, carriage return and U+0020 to U+00FF.
//
// A parsed policy keeps its [Document]; [Policy.MarshalJSON] writes it in a
// canonical form that parses back to an equal Document.
//
// # Matching
//
// Actions match case-insensitively with * and ?. Resources match
// case-sensitively, each of the six ARN parts separately (a wildcard does not
// cross a colon except in the resource part, which runs to the end). Policy
// variables are substituted in the resource part of Resource and NotResource
// and in String and Arn condition values, only in version 2012-10-17
// policies; an unresolved variable makes that entry match nothing. The
// Principal element follows package principal.
//
// # Evaluation
//
// [Set.Evaluate] follows AWS's evaluation flow:
//
//  1. sts:GetCallerIdentity is always allowed, even against an explicit deny.
//  2. An explicit Deny in any applicable policy wins: RCPs, SCPs, the
//     resource-based policy, identity-based policies, the permissions
//     boundary and session policies.
//  3. SCPs must allow at every level, root to account. They apply to every
//     IAM principal of a member account, the root user included, and cap
//     grants made by resource-based policies too; they do not apply to the
//     management account ([Request.PrincipalInManagementAccount]) or to
//     service-linked roles (role path /aws-service-role/).
//  4. RCPs only deny: RCPFullAWSAccess is attached at every level, so a level
//     without a matching statement does not block. They apply only to the
//     services in [RCPServices], to callers of any account including
//     anonymous ones, not to resources of the management account, not to
//     service-linked roles and not to kms:RetireGrant.
//  5. Callers outside IAM (anonymous, AWS services, SAML and OIDC
//     providers, canonical users) have no identity side: the resource-based
//     policy alone must allow.
//  6. Cross-account: the caller's identity-based policies (limited by its
//     boundary and session policies) and the resource-based policy must
//     both allow. A resource policy naming the caller's account counts.
//  7. Same account: an allow in either the identity-based or the
//     resource-based policy suffices, except that
//     - a resource-based policy naming the IAM user, the role session or
//     the federated user, or using "Principal": "*" with a positive
//     aws:PrincipalArn condition, is not limited by the boundary or the
//     session policy;
//     - one naming the role ARN (for a session of that role), "*" without
//     aws:PrincipalArn, or NotPrincipal, grants but is limited by the
//     boundary and the session policy;
//     - one naming the account (ID or :root) delegates to the account's
//     identity-based policies and grants nothing by itself.
//  8. Role trust policies and KMS key policies must allow even in the same
//     account. A trust policy naming the caller stands in for the
//     identity-based allow, but the caller's boundary, session policies and
//     SCPs still apply; naming the account requires an identity-based allow.
//     A role session assuming its own role needs a trust policy naming the
//     role ARN or its account; "*" is not enough.
//  9. A federated user session (GetFederationToken) with no session policy
//     has no permissions, except through a resource-based policy naming the
//     federated user.
//  10. The root user has full access to its own account (SCPs and explicit
//     denies still apply).
//  11. A Deny statement with NotPrincipal always applies to a caller that has
//     a permissions boundary, whatever the NotPrincipal lists.
//  12. No policy can grant changes to what AWS owns: AWS managed policies,
//     IAM Identity Center's AWSReservedSSO_ roles, the policies of
//     service-linked roles and alias/aws/ KMS aliases (see [Protected] and
//     [ProtectionRule]). A request the policies would allow is an implicit
//     deny with [ReasonProtected] and [Result.Protection] naming the rule.
//     An explicit deny is still reported as explicitDeny, and a request the
//     policies do not allow keeps its own reason: AWS authorizes first and
//     refuses the change to its resource only after (UnmodifiableEntity).
//
// The actions a role's trust policy governs on the role are listed once, in
// [TrustActions]. A nil *Set evaluates as an empty Set, and a nil *Request
// is an implicit deny with [ReasonNoRequest]; neither panics.
//
// # Documented choices
//
// Where AWS's documentation is silent:
//   - "Principal": "*" without an aws:PrincipalArn condition, and
//     NotPrincipal, are limited by boundaries and session policies.
//   - Not modelled: AWS applies a resource policy naming the IAM user who
//     created a federated user session to that session (limited by its
//     session policy); a [Request] carries no link from the session to that
//     user, so only the federated-user ARN matches the session.
//   - A request on a KMS key ARN (arn:...:kms:...:key/...) needs its key
//     policy to allow, and an STS action on a role ARN needs the role's trust
//     policy to allow, even when the Set holds no resource-based policy.
//   - A NotPrincipal statement excludes a caller only when every principal
//     the caller acts as is listed: itself, its role for a role session,
//     and its account, as the NotPrincipal page's examples show.
//   - Resource policies other than trust policies must have Resource or
//     NotResource (the S3 rule).
//   - The protection rules for Identity Center roles and service-linked
//     roles do not bind AWS service principals and service-linked roles,
//     which act for AWS (Identity Center's service-linked role manages its
//     roles).
//   - The SCP size quota is 10,240 characters, the current Organizations
//     quota page's figure (earlier pages said 5,120).
//
// Policies are immutable once built and safe for concurrent use.
package policy
