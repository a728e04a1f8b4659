// Command iamkit simulates AWS authorization requests against IAM policies
// and validates policy documents, using the evaluation logic of package
// [github.com/iamkit/iamkit/policy], which follows
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html.
//
// Usage:
//
//	iamkit simulate --input FILE [--output json|text] [--batch]
//	iamkit validate FILE --type identity|resource|trust|scp|rcp|session|boundary
//	iamkit help [simulate|validate]
//
// FILE may be "-" for standard input. Flags may be written with one or two
// dashes, and "--flag=value" works as well as "--flag value".
//
// # Simulate
//
// simulate reads one simulation object (described below), evaluates its
// request as AWS would, and prints the decision. With --output text (the
// default) it prints a few lines for people; with --output json it prints
// one JSON object:
//
//	{"decision": "allowed" | "explicitDeny" | "implicitDeny",
//	 "reason": "allowed by an identity-based policy, and no other policy type denies or limits it",
//	 "source": "identity-based policy",
//	 "decisiveStatements": [STATEMENT, ...],
//	 "matchedStatements": [STATEMENT, ...],
//	 "missingContextValues": ["aws:SourceIp", ...]}
//
// where STATEMENT is
//
//	{"source": "identity-based policy", "level": 0, "policy": "identityPolicies[0]",
//	 "sid": "ReadReports", "index": 0, "line": 9, "column": 7, "effect": "Allow"}
//
// "source" at the top level is the kind of policy that decided and is
// omitted when none did (most implicit denies). The arrays are always
// present, possibly empty. decisiveStatements are the explicit denies, or
// the allow that granted access; matchedStatements are every statement whose
// action, resource, principal and conditions matched, in evaluation order.
// "level" is the organization level of an SCP or RCP (0 is the root) and 0
// for other policies. "line" and "column" locate the statement in the input
// file (1-based; columns count characters), also for a policy embedded as a
// JSON string. missingContextValues lists the condition keys that
// conditions tested but the request lacked, as AWS's policy simulator
// reports them.
//
// With --batch the input is JSON Lines: one simulation object per line,
// blank lines skipped. simulate writes exactly one JSON result per non-blank
// line, in order; a line that is not a valid simulation yields
// {"error": "line N: ..."} and the batch goes on. --batch implies
// --output json, and --output text is refused with it.
//
// # The simulation file
//
// A simulation is one JSON object:
//
//	{"request": {
//	   "principal": "arn:aws:iam::111111111111:role/app",
//	   "action": "s3:GetObject",
//	   "resource": "arn:aws:s3:::bucket/key",
//	   "resourceAccount": "111111111111",
//	   "context": {"aws:SourceIp": "203.0.113.5", "aws:TagKeys": ["a", "b"]}},
//	 "identityPolicies": [POLICY, ...],
//	 "permissionsBoundary": POLICY,
//	 "sessionPolicy": POLICY,
//	 "resourcePolicy": POLICY,
//	 "serviceControlPolicies": [[POLICY, ...], ...],
//	 "resourceControlPolicies": [[POLICY, ...], ...]}
//
// request, request.principal, request.action and request.resource are
// required; everything else is optional, and an optional field set to null
// is the same as an absent one. Unknown fields, at any level, and duplicate
// fields are errors.
//
// request fields:
//
//   - principal: the caller, as the ARN of an account root user, IAM user,
//     IAM role, role session (assumed-role), federated user, or SAML or OIDC
//     provider, a bare account ID (that account's root user), or "*" for an
//     anonymous caller. A role ARN stands for a session of that role.
//   - action: "service:Action", e.g. "s3:GetObject".
//   - resource: the resource ARN, or "*".
//   - resourceAccount: the 12-digit account that owns the resource. Absent
//     means the account in the resource ARN, or the caller's account when
//     the ARN has none (S3).
//   - context: condition keys and their values; each value is a string
//     (a single-valued key) or an array of strings (a multi-valued key, even
//     with one element). Values are typed by the condition operator that
//     reads them, so numbers, dates, IP addresses and booleans are written as
//     strings: "aws:MultiFactorAuthPresent": "true".
//   - principalInManagementAccount, resourceInManagementAccount (booleans):
//     the caller's, or the resource's, account is the organization's
//     management account, to which SCPs, or RCPs, do not apply.
//   - principalTags (an object of strings): the caller's tags, set as
//     aws:PrincipalTag/KEY.
//   - principalOrgId (a string) and principalOrgPaths (an array of strings):
//     aws:PrincipalOrgID and aws:PrincipalOrgPaths.
//   - currentTime (RFC 3339): the request time, set as aws:CurrentTime and
//     aws:EpochTime. Absent means neither key is set.
//   - userId: aws:userid (AIDA... for a user, AROA...:session for a role
//     session). Absent means derived where AWS's format allows it.
//
// The caller implies the global keys aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:userid and aws:username, as
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// says each is present; entries in context override them.
//
// Each POLICY is a policy document written as a JSON object, or as a JSON
// string holding the document, as AWS APIs pass policies. It is parsed as:
//
//   - identityPolicies: identity-based policies of the caller (for a role
//     session, the role's policies);
//   - permissionsBoundary: the caller's permissions boundary;
//   - sessionPolicy: the session policy passed when the session was created;
//   - resourcePolicy: the resource-based policy; a role trust policy when
//     the action is sts:AssumeRole, sts:AssumeRoleWithSAML or
//     sts:AssumeRoleWithWebIdentity and the resource is an IAM role ARN;
//   - serviceControlPolicies: the SCPs of the caller's account, one array
//     per organization level, root first and account last;
//   - resourceControlPolicies: the RCPs of the resource's account, by level
//     likewise.
//
// Absent serviceControlPolicies or resourceControlPolicies mean the account
// belongs to no organization. Policies are named after their field in
// results and messages: "identityPolicies[0]", "permissionsBoundary",
// "serviceControlPolicies[1][0]".
//
// Errors name the field and its line and column in the input file; for a
// problem inside a policy, the message gives the policy's name, the file
// position and the policy's own JSON path:
//
//	iamkit: simulate: identityPolicies[0]: line 7, column 15: Statement[0].Effect: must be "Allow" or "Deny"
//
// # Validate
//
// validate checks one policy document as a policy of the given type and
// prints each finding as
//
//	FILE:LINE:COLUMN: error|warning: PATH: message
//
// (LINE:COLUMN is left out when unknown, PATH when the finding concerns the
// whole document), then a summary line. Warnings flag documents AWS accepts
// but that likely do not do what their author meant, such as NotPrincipal
// with Allow.
//
// # Exit status
//
//   - 0: success. For simulate the decision itself, allowed or denied, does
//     not change the status; for validate, no error-level finding.
//   - 1: validate found at least one error; simulate --batch could not read
//     its input.
//   - 2: usage error, an unreadable file, or (without --batch) an invalid
//     simulation.
package main
