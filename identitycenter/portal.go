package identitycenter

import (
	"context"
	"slices"

	"github.com/iamkit/iamkit/sts"
)

// What the AWS access portal's API answers
// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/):
// ListAccounts, ListAccountRoles and GetRoleCredentials, for a user the
// caller has already authenticated (the portal's bearer token).

// AccountInfo is an account the user can access (ListAccounts'
// AccountInfo: accountId, accountName, emailAddress).
type AccountInfo struct {
	AccountID    string
	AccountName  string
	EmailAddress string
}

// RoleInfo is a role the user can take in an account (ListAccountRoles'
// RoleInfo): RoleName is the permission set's name.
type RoleInfo struct {
	AccountID string
	RoleName  string
}

// ListAccounts returns the accounts where the user is assigned at least
// one permission set, directly or through a group, sorted by ID. An
// unknown user is UnauthorizedException, as the portal answers a token
// whose user is gone.
func (in *Instance) ListAccounts(userID string) ([]AccountInfo, error) {
	s := in.load()
	if s.users[userID] == nil {
		return nil, newError(ErrUnauthorized, msgUnauthorized)
	}
	acc := s.access()[userID]
	out := make([]AccountInfo, 0, len(acc))
	for id := range acc {
		a := s.accounts[id]
		out = append(out, AccountInfo{AccountID: id, AccountName: a.Name, EmailAddress: a.Email})
	}
	slices.SortFunc(out, func(a, b AccountInfo) int {
		if a.AccountID < b.AccountID {
			return -1
		}
		if a.AccountID > b.AccountID {
			return 1
		}
		return 0
	})
	return out, nil
}

// ListAccountRoles returns the permission sets the user is assigned in an
// account, directly or through a group, sorted by name; none for an
// account the user has no access to.
func (in *Instance) ListAccountRoles(userID, accountID string) ([]RoleInfo, error) {
	s := in.load()
	if s.users[userID] == nil {
		return nil, newError(ErrUnauthorized, msgUnauthorized)
	}
	sets := s.access()[userID][accountID]
	out := make([]RoleInfo, len(sets))
	for i, n := range sets {
		out[i] = RoleInfo{AccountID: accountID, RoleName: n}
	}
	return out, nil
}

// HasAccess reports whether the user is assigned the permission set in the
// account, directly or through a group.
func (in *Instance) HasAccess(userID, accountID, permissionSet string) bool {
	s := in.load()
	return slices.Contains(s.access()[userID][accountID], permissionSet)
}

// RoleCredentials are the credentials GetRoleCredentials returns, with the
// session they belong to.
type RoleCredentials struct {
	// Credentials are the access key ID, secret access key, session token
	// and expiration (the portal's roleCredentials; expiration in epoch
	// milliseconds on the wire).
	sts.Credentials
	AccountID string
	// RoleName is the permission set's name.
	RoleName string
	// RoleARN is the provisioned AWSReservedSSO_ role.
	RoleARN string
	// AssumedRoleARN is the session's ARN,
	// arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_NAME_HEX/USERNAME,
	// and AssumedRoleID its aws:userid, AROA...:USERNAME.
	AssumedRoleARN, AssumedRoleID string
}

// RoleCredentials returns credentials of a session of a permission set's
// role in an account, for a user, as the portal's GetRoleCredentials does:
//
//   - an unknown user is UnauthorizedException ("Session token not found
//     or invalid");
//   - a permission set the user is not assigned in the account, directly
//     or through a group (or no such set or account), is
//     ForbiddenException ("No access"), what AWS answers;
//   - an assignment not yet provisioned is ResourceNotFoundException;
//
// then the issuer issues the session (sts.Issuer.IssueIdentityCenterSession):
// named after the user's user name, lasting the permission set's session
// duration (howtosessionduration.html), tagged with the user's attributes
// for access control (attributesforaccesscontrol.html). STS's own
// failures come back as sts errors: a user name that is not a valid
// RoleSessionName (2 to 64 characters of [\w+=,.@-]) is STS's
// ValidationError, a tag value outside STS's characters likewise.
//
// Assignments are read at the call, so removing a user from a group
// refuses its next call; sessions already issued last until they expire,
// as in AWS.
func (in *Instance) RoleCredentials(ctx context.Context, issuer *sts.Issuer, userID, accountID, roleName string) (*RoleCredentials, error) {
	s := in.load()
	u := s.users[userID]
	if u == nil {
		return nil, newError(ErrUnauthorized, msgUnauthorized)
	}
	if !slices.Contains(s.access()[userID][accountID], roleName) {
		return nil, newError(ErrForbidden, msgForbidden)
	}
	ps := s.permSets[roleName]
	rec, ok := s.provisioned[unit{accountID, roleName}]
	if !ok {
		return nil, errNotProvisioned(roleName, accountID)
	}
	out, err := issuer.IssueIdentityCenterSession(ctx, &sts.IdentityCenterSessionInput{
		RoleArn:         rec.arn,
		SAMLProviderArn: in.SAMLProviderARN(accountID),
		RoleSessionName: u.UserName,
		Tags:            sessionTags(s.abac, u),
		Duration:        ps.Duration(),
	})
	if err != nil {
		return nil, err
	}
	return &RoleCredentials{Credentials: out.Credentials, AccountID: accountID, RoleName: roleName,
		RoleARN: rec.arn, AssumedRoleARN: out.AssumedRoleUser.Arn, AssumedRoleID: out.AssumedRoleUser.AssumedRoleId}, nil
}

// ExpirationMillis returns the expiration as the portal's wire format
// has it: milliseconds since the Unix epoch.
func (c *RoleCredentials) ExpirationMillis() int64 { return c.Expiration.UnixMilli() }
