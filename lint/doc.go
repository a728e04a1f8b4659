// Package lint checks IAM policies for what is valid but wrong: the role
// trust policy checks of IAM Access Analyzer's policy validation, with its
// finding types and issue codes
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html),
// and checks no Access Analyzer code covers, each with the AWS (or
// identity provider) page that motivates it.
//
// [Check] reads a policy document with positions and returns [Finding]
// values: a type (ERROR, SECURITY_WARNING, WARNING, SUGGESTION), a code,
// the statement, JSON path and line:column, a message, a fix and the page.
// It does not repeat structural validation ([policy.Validate] and
// "iamkit validate" do that); it reads what it can of a malformed policy.
//
// # Role trust policies (policy.Trust)
//
// Access Analyzer's codes:
//   - ERROR ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL,
//     ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: NotPrincipal, Resource or
//     NotResource in a trust policy.
//   - ERROR ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL: a wildcard
//     inside a principal ARN ("role/app-*"), which matches nothing.
//   - ERROR MISMATCHED_ACTION_FOR_PRINCIPAL: a SAML provider without
//     sts:AssumeRoleWithSAML alone, an OIDC provider without
//     sts:AssumeRoleWithWebIdentity alone, an AWS or service principal
//     with either.
//   - ERROR MISSING_ACTION_FOR_CONDITION_KEY: a condition on session tags
//     (aws:RequestTag/*, aws:TagKeys, sts:TransitiveTagKeys) without
//     sts:TagSession.
//   - ERROR INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY,
//     INVALID_SERVICE_PRINCIPAL_FORMAT.
//   - SECURITY_WARNING MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL (no
//     condition on the provider's claims), MISSING_GITHUB_REPO_CONDITION_KEY
//     (GitHub Actions without a sub condition),
//     RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL (a service principal without
//     aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or
//     aws:SourceOrgPaths; EC2 and Lambda, whose trust policies AWS writes
//     without them, are exempt).
//   - WARNING SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED (a wildcard sub),
//     POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA (2,048 characters
//     without white space).
//
// iamkit's own:
//   - SECURITY_WARNING MISSING_EXTERNAL_ID: with [Options.Account], a
//     principal of another account (not in TrustedAccounts) may assume the
//     role without an sts:ExternalId condition (confused deputy;
//     id_roles_common-scenarios_third-party.html). Access Analyzer has no
//     such check.
//   - SECURITY_WARNING PUBLIC_ROLE_TRUST: "Principal": "*" or {"AWS": "*"}
//     with no condition.
//   - SECURITY_WARNING OIDC_SHARED_ISSUER_WITHOUT_SUBJECT: an issuer that
//     serves everyone (accounts.google.com, app.terraform.io, gitlab.com,
//     CircleCI, Cognito) trusted on its audience alone.
//   - SECURITY_WARNING GITHUB_SUBJECT_OWNER_WILDCARD: a sub pattern with a
//     wildcard before the repository owner ("repo:*", "repo:org*/").
//   - SUGGESTION GITHUB_IMMUTABLE_SUBJECT: sub patterns in the old form
//     only (repo:OWNER/REPO:...); an organization that turns on GitHub's
//     immutable subjects (repo:OWNER@ID/REPO@ID:...) stops matching them.
//   - SUGGESTION SAME_ACCOUNT_ROOT_PRINCIPAL: the role's own account root,
//     where one role or user may have been meant.
//
// # Identity policies
//
//   - SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE,
//     PASS_ROLE_WITH_STAR_IN_NOTRESOURCE (without iam:PassedToService) and
//     PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE (a wildcard action that
//     includes iam:PassRole, on every role).
//
// # Every policy type
//
//   - SECURITY_WARNING ALLOW_WITH_NOTPRINCIPAL (resource policies),
//     FORALLVALUES_WITH_SINGLE_VALUED_KEY (on the single-valued keys this
//     package knows).
//   - SECURITY_WARNING FORALLVALUES_ALLOWS_MISSING_KEY (iamkit's): an Allow
//     with ForAllValues and no Null check applies to requests without the
//     key (reference_policies_condition-single-vs-multi-valued-context-keys.html).
//   - WARNING VACUOUS_DENY (iamkit's): a Deny whose condition is false when
//     the request lacks a key that requests often lack (MFA, VPC, source,
//     tag keys...), so such requests are not denied; AWS's example is
//     "Bool": {"aws:MultiFactorAuthPresent": "false"}, which does not
//     deny long-term keys (use BoolIfExists).
//
// # Against AWS's service reference (package catalog)
//
//   - ERROR INVALID_SERVICE_IN_ACTION (a service prefix that does not
//     exist, with "did you mean"), WARNING UNKNOWN_ACTION (an action its
//     service does not have, "s3:GetObjects" → "did you mean s3:GetObject?",
//     or a pattern that matches none).
//   - ERROR INVALID_SERVICE_CONDITION_KEY (a key its service does not
//     define); WARNING CONDITION_KEY_NOT_FOR_ACTIONS (a key no action of the
//     statement supports, so requests never carry it).
//   - ERROR CONDITION_TYPE_MISMATCH (a Date operator on a Numeric key, Bool
//     on a String key...: reference_policies_elements_condition_operators.html),
//     SECURITY_WARNING FORALLVALUES_WITH_SINGLE_VALUED_KEY (the key's type is
//     not an ArrayOf type), ERROR NULL_IF_EXISTS.
//   - WARNING UNSUPPORTED_RESOURCE_ARN_IN_POLICY: a Resource ARN that fits no
//     resource type of the statement's actions.
//
// The catalogue's dataset has no list of the global keys (aws:SourceIp,
// aws:PrincipalArn, ...): those keys, and policy variables, are not checked
// against it; identity providers' keys (accounts.google.com:aud, saml:sub)
// are not a service's and are not checked either.
//
// # Layering
//
// lint imports policy, principal, catalog and internal/jsonpos; the iamkit
// command's "lint" uses it. Nothing below imports lint.
package lint
