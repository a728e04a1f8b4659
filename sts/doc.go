// Package sts reproduces AWS Security Token Service as a library: it issues
// temporary credentials the way AWS STS does (AssumeRole, GetSessionToken,
// GetFederationToken, AssumeRoleWithWebIdentity, AssumeRoleWithSAML), answers GetCallerIdentity, GetAccessKeyInfo and
// DecodeAuthorizationMessage, and authorizes requests made with the
// credentials it issued, all in pure Go with no I/O of its own.
//
// The specification is the STS API reference,
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html, and the
// IAM User Guide pages on temporary credentials, role chaining, session tags
// and source identity; each rule's test names its page.
//
// # Usage
//
//	dir := sts.NewMemoryDirectory()            // or your own Directory
//	dir.PutRole(sts.Role{ARN: ..., TrustPolicy: ..., Policies: ...})
//	keys, _ := sts.NewKeyRing(sts.Key{ID: 1, Secret: secret32})
//	issuer, _ := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
//
//	caller, err := issuer.Authenticate(ctx, akid, secret, token)
//	out, err := issuer.AssumeRole(ctx, caller, &sts.AssumeRoleInput{
//		RoleArn: roleARN, RoleSessionName: "build", ExternalId: &extID})
//	session, err := issuer.Authenticate(ctx, out.Credentials.AccessKeyID,
//		out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
//	d, err := issuer.Authorize(ctx, session, sts.AuthorizeInput{
//		Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/key"})
//
// # Where entities come from
//
// A [Directory] serves accounts (organization, SCPs and RCPs per level),
// IAM users (policies, groups, boundary, tags, access keys, MFA devices),
// roles (trust policy, policies, boundary, tags, MaxSessionDuration) and
// managed and resource-based policies. The embedding program implements it
// over its own storage; [MemoryDirectory] is ready for tests and small
// programs. Identifiers are AWS-shaped ([NewUniqueID], [NewAccessKeyID]):
// access key IDs encode the owning account as AWS's do, so
// [AccountFromAccessKeyID] and GetAccessKeyInfo answer from the key alone.
//
// # Session tokens
//
// Temporary credentials are stateless: the session (who, which role, tags,
// source identity, MFA, session policies, expiry) is sealed into the session
// token with XChaCha20-Poly1305 under a [KeyRing] key, bound to its access
// key ID, together with the session's random secret access key, which is
// stored nowhere else. Any replica holding the key ring turns (access key ID, token) back
// into the session with [Issuer.Resolve] or [Issuer.Authenticate]. Rotate by
// putting a new key first in the ring and keeping old keys until their
// tokens expire. Revoke sessions the AWS way: a Deny on aws:TokenIssueTime
// in the role's policies.
//
// # Authorization
//
// Every operation authorizes with package policy exactly as AWS does: the
// caller's identity policies, boundary, session policies and SCPs, and for
// AssumeRole the role's trust policy (sts:TagSession with tags,
// sts:SetSourceIdentity with a source identity), with the condition keys
// sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity,
// sts:TransitiveTagKeys, aws:RequestTag/*, aws:TagKeys and the MFA keys.
// [Issuer.Authorize] evaluates any action for a session, with the global
// keys the session implies (aws:PrincipalArn is the role ARN for a role
// session, aws:userid is AROA...:session, aws:PrincipalTag merges role and
// session tags, aws:TokenIssueTime, aws:SourceIdentity, ...). A denial
// carries an encoded authorization message for DecodeAuthorizationMessage.
//
// Errors are [*Error] values with AWS's code, message and HTTP status; they
// satisfy smithy-go's APIError, so code written against the AWS SDK handles
// them unchanged.
//
// # Federation
//
// AssumeRoleWithWebIdentity and AssumeRoleWithSAML take no caller: the web
// identity token or SAML response is the proof, verified by package
// federation against the OIDC or SAML provider the role's account holds
// ([Directory.OIDCProvider], [Directory.SAMLProvider]; keys of OIDC
// providers without inline keys come from [Options.KeySource]). The role's
// trust policy is evaluated with the provider as the Federated principal
// and the condition keys AWS documents (the provider's aud, sub, amr, ...;
// saml:aud, saml:sub, saml:namequalifier, the SAML attribute keys, ...),
// plus aws:FederatedProvider; session tags and a source identity from the
// token or assertion need sts:TagSession and sts:SetSourceIdentity. The
// keys AWS carries into the session's later requests (web identity: amr,
// aud, id, sub; SAML: saml:namequalifier, saml:sub, saml:sub_type) and
// aws:FederatedProvider are sealed into the session and reach
// [Issuer.Authorize]. An AccessDenied from the trust policy wraps a
// [TrustDenied] with the explanation, which AWS's message never says.
//
// # Service roles and instance profiles
//
// A platform built on iamkit that launches workloads with roles makes the
// two checks AWS makes. When a user configures a service with a role,
// [Issuer.PassRole] (or [Issuer.PassInstanceProfile], for the one role of
// an [InstanceProfile] from [Directory.InstanceProfile]) authorizes
// iam:PassRole on the role ARN with iam:PassedToService and
// iam:AssociatedResourceArn, never across accounts
// (id_roles_use_passrole.html). When the service later assumes the role,
// [Issuer.AssumeRoleForServiceWith] evaluates the trust policy with the
// service principal and the confused-deputy keys aws:SourceArn and
// aws:SourceAccount (confused-deputy.html); for an EC2 instance-role
// session it seals ec2:SourceInstanceARN, ec2:RoleDelivery ("2.0" for
// IMDSv2, "1.0" for IMDSv1), aws:Ec2InstanceSourceVpc and
// aws:Ec2InstanceSourcePrivateIPv4 into the session, so that every
// request it signs carries them. [ServiceSessionName] gives the session
// name each service uses: the instance ID for EC2, the function name for
// Lambda, the task ID for ECS.
//
// # Documented choices
//
//   - AssumeRoleForServiceWith sets aws:SourceArn and aws:SourceAccount
//     only when the caller gives them: AWS has no public list of the
//     services that send them, and EC2 and Lambda are reported not to
//     send them for instance and execution roles. The EC2 keys are not in
//     EC2's own AssumeRole context (AWS documents them on requests signed
//     with the credentials), and a role chained from an instance role
//     does not keep them.
//   - PassRole answers "Cross-account pass role is not allowed." (the
//     words of AWS services such as Lambda; IAM documents the rule, not a
//     message) and, for an allowed role that does not exist, IAM's
//     NoSuchEntity; it checks the permission first, so it reveals nothing
//     about which roles exist to a caller without it. PassRole is a
//     permission, not an IAM call: federated-user and GetSessionToken
//     credentials may pass roles.
//   - MemoryDirectory refuses to delete a role that an instance profile
//     holds, or a profile that holds a role, with IAM's DeleteConflict.
//
//   - A role session assumed from a federated session (role chaining)
//     keeps the federated session's tags, transitive keys and source
//     identity as AWS documents, but not its provider keys or
//     aws:FederatedProvider: AWS does not document carrying them across
//     chaining.
//   - AssumeRoleWithSAML: the session lasts DurationSeconds or until the
//     assertion's SessionNotOnOrAfter, whichever is sooner; the
//     SessionDuration attribute is for console sessions and is not applied
//     (API_AssumeRoleWithSAML.html names only those two). Roles of IAM
//     Identity Center (AWSReservedSSO_*) are refused with AccessDenied,
//     since "AssumeRoleWithSAML will not work on IAM Identity Center
//     managed roles"; AWS does not document the code. A PrincipalArn that
//     names no provider of the account answers InvalidIdentityToken (AWS's
//     answer is not documented).
//   - AssumeRoleWithWebIdentity verifies OpenID Connect tokens only: a
//     ProviderId (the OAuth 2.0 providers www.amazon.com and
//     graph.facebook.com) is refused with InvalidParameterValue.

//   - PackedPolicySize: AWS's packed format is undocumented; iamkit reports
//     the DEFLATE size of the session policies, policy ARNs and tags against
//     2,048 bytes (see packedPolicySize).
//   - A session policy is kept in the token as text and parsed again when the
//     session is authorized; sessions with large policies give large tokens
//     (the worst case is documented in token.go).
//   - An MFA code is accepted once: the same code, or any code of the same or
//     an earlier time step, is refused afterwards for that device.
//   - Changing an inherited SourceIdentity fails with AccessDenied.
//   - MinimumSessionTokenSize (0 to 4,096) pads the token inside its sealed
//     claims; every response reports SessionTokenSize. AWS's newer
//     SessionTokenUtilization (a percentage of a maximum token size AWS
//     does not document) is not returned.
package sts
