// Package identitycenter models AWS IAM Identity Center as a library: an
// instance's identity store (users, groups, memberships), the accounts of
// its organization, permission sets, account assignments and attributes
// for access control; provisioning of the permission sets into each
// account's IAM as AWS does it (the AWSReservedSSO_ roles and the
// AWSSSO_..._DO_NOT_DELETE SAML provider); and what the AWS access
// portal answers a signed-in user: the accounts and roles it can take,
// and credentials of a session of each, sealed by package sts like every
// other session.
//
// The specification is the IAM Identity Center User Guide
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/), its API
// reference (https://docs.aws.amazon.com/singlesignon/latest/APIReference/),
// the Identity Store API reference and the portal API reference
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/);
// each rule's test names its page.
//
// # Usage
//
//	ic, _ := identitycenter.New(identitycenter.Options{IdentityStoreID: "d-0000000000"})
//	ic.PutAccount(identitycenter.Account{ID: "111111111111", Name: "dev"})
//	alice, _ := ic.CreateUser(identitycenter.User{UserName: "alice", DisplayName: "Alice"})
//	ic.CreatePermissionSet(identitycenter.PermissionSet{Name: "ReadOnly",
//		ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}})
//	ic.CreateAccountAssignment(identitycenter.Assignment{AccountID: "111111111111",
//		PermissionSet: "ReadOnly", PrincipalType: identitycenter.PrincipalUser, PrincipalID: alice.ID})
//	ic.Provision(ctx, dir)                   // dir: *sts.MemoryDirectory
//	creds, err := ic.RoleCredentials(ctx, issuer, alice.ID, "111111111111", "ReadOnly")
//
// # Provisioning
//
// Changes to the instance change only the instance; [Instance.Provision]
// writes the roles into a [Target] (an *sts.MemoryDirectory), as AWS
// provisions on CreateAccountAssignment and ProvisionPermissionSet and
// deletes a role with the last assignment of its permission set in an
// account. Roles are named AWSReservedSSO_<PermissionSetName>_<16 hex>
// under /aws-reserved/sso.amazonaws.com/ (with the home Region after it
// outside us-east-1), trust the account's SAML provider for
// sts:AssumeRoleWithSAML and sts:TagSession with SAML:aud
// https://signin.aws.amazon.com/saml, and carry the permission set's
// policies and boundary. package policy protects them: no IAM action of a
// customer can change them (policy.ProtectionIdentityCenterRole).
//
// # Sessions
//
// [Instance.RoleCredentials] is GetRoleCredentials: it checks that the
// user is assigned the permission set in the account (directly or through
// a group), then has the sts.Issuer issue a session of the role named
// after the user (sts.Issuer.IssueIdentityCenterSession, since
// AssumeRoleWithSAML refuses these roles as AWS's does), for the
// permission set's session duration, with the attributes for access
// control as session tags. The credentials open with Issuer.Authenticate,
// credentials.Verifier and Issuer.Authorize like any other. Sign-in
// (passwords, MFA, tokens) is the portal's business, not this package's.
//
// # Documented choices
//
// Where AWS is silent or cannot be reproduced:
//
//   - Identifiers are derived, not random: the instance ID from the
//     identity store ID, user and group IDs from their names, permission
//     set ARNs from their names, role suffixes as SHA-256 over the
//     instance ARN, the permission set ARN, the account and a generation
//     (so a role re-created after its last assignment went gets a new
//     suffix, as AWS's does), and the SAML provider's 16 hex digits from
//     the instance ARN (the same in every account). A world file thus
//     loads into the same names every time.
//   - The SAML provider's metadata is synthetic (a federation.SAMLTestIdP
//     made for the instance, or Options.IdPMetadata): AWS's cannot be
//     reproduced, and no assertion is ever signed with it.
//   - The roles' trust policy is the shape AWS writes in exported roles;
//     AWS does not document it.
//   - Provisioned roles have a MaxSessionDuration of 12 hours, as AWS's
//     (howtosessionduration.html); the session lasts the permission set's
//     session duration.
//   - User names and group display names are unique regardless of case
//     and found by UserByName and GroupByName regardless of case;
//     permission set names are unique regardless of case but named
//     exactly in assignments and by the portal.
//   - Deleting a user or group deletes its memberships and assignments.
//     Deleting a permission set or account that still has assignments is
//     a ConflictException. Assigning what is already assigned succeeds.
//   - The SAML provider is created in an account the first time a role is
//     provisioned there and never deleted.
//   - An attribute for access control that a user has no value for gives
//     no session tag; the session tags are not transitive.
//   - Messages of ConflictException and ResourceNotFoundException are
//     iamkit's where AWS's are not documented; codes and HTTP statuses are
//     AWS's. GetRoleCredentials for a role the user may not take answers
//     ForbiddenException "No access", what AWS answers though the API
//     reference does not list it.
package identitycenter
