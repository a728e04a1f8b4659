package identitycenter

import (
	"cmp"
	"maps"
	"slices"
	"sync"
)

// PrincipalType says whether an assignment names a user or a group.
type PrincipalType string

// Principal types (API_CreateAccountAssignment.html).
const (
	PrincipalUser  PrincipalType = "USER"
	PrincipalGroup PrincipalType = "GROUP"
)

// Assignment gives a user, or every member of a group, a permission set in
// an account (API_CreateAccountAssignment.html; the target type is always
// AWS_ACCOUNT).
type Assignment struct {
	AccountID string
	// PermissionSet is the permission set's name.
	PermissionSet string
	PrincipalType PrincipalType
	PrincipalID   string
}

// CreateAccountAssignment assigns a permission set in an account of the
// organization to a user or group, which must exist
// (ResourceNotFoundException). Assigning again what is already assigned
// does nothing. A 251st permission set in one account is refused with
// ServiceQuotaExceededException (limits.html). The role appears in the
// account at the next [Instance.Provision].
func (in *Instance) CreateAccountAssignment(a Assignment) error {
	if err := a.validate(); err != nil {
		return err
	}
	return in.update(func(s *state) error {
		if err := s.resolve(a); err != nil {
			return err
		}
		if _, ok := s.assignments[a]; ok {
			return nil
		}
		sets := map[string]bool{a.PermissionSet: true}
		for b := range s.assignments {
			if b.AccountID == a.AccountID {
				sets[b.PermissionSet] = true
			}
		}
		if len(sets) > maxSetsPerAccount {
			return newError(ErrServiceQuotaExceeded, "Account %s already has %d provisioned permission sets, the quota", a.AccountID, maxSetsPerAccount)
		}
		s.assignments = cloneMap(s.assignments)
		s.assignments[a] = struct{}{}
		return nil
	})
}

// DeleteAccountAssignment removes an assignment. Access through it ends
// at once; when it was the last one of its permission set in the account,
// the next [Instance.Provision] deletes the role (referencingpermissionsets.html).
func (in *Instance) DeleteAccountAssignment(a Assignment) error {
	if err := a.validate(); err != nil {
		return err
	}
	return in.update(func(s *state) error {
		if _, ok := s.assignments[a]; !ok {
			return newError(ErrResourceNotFound, "Account assignment not found: %s %s has no %s in %s", a.PrincipalType, a.PrincipalID, a.PermissionSet, a.AccountID)
		}
		s.assignments = cloneMap(s.assignments)
		delete(s.assignments, a)
		return nil
	})
}

// AccountAssignments returns every assignment, sorted by account,
// permission set, principal type and ID.
func (in *Instance) AccountAssignments() []Assignment {
	out := slices.Collect(maps.Keys(in.load().assignments))
	slices.SortFunc(out, func(a, b Assignment) int {
		return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.PermissionSet, b.PermissionSet),
			cmp.Compare(a.PrincipalType, b.PrincipalType), cmp.Compare(a.PrincipalID, b.PrincipalID))
	})
	return out
}

func (a *Assignment) validate() error {
	var v violations
	v.str("targetId", a.AccountID, ruleAccountID)
	v.str("permissionSet", a.PermissionSet, rulePermissionSetName)
	if a.PrincipalType != PrincipalUser && a.PrincipalType != PrincipalGroup {
		v.add(string(a.PrincipalType), "principalType", "Member must satisfy enum value set: [USER, GROUP]")
	}
	v.str("principalId", a.PrincipalID, rulePrincipalID)
	return v.err()
}

// resolve checks that what a names exists.
func (s *state) resolve(a Assignment) error {
	if s.accounts[a.AccountID] == nil {
		return newError(ErrResourceNotFound, "Account %s is not in the organization", a.AccountID)
	}
	if s.permSets[a.PermissionSet] == nil {
		return errNoPermissionSet(a.PermissionSet)
	}
	if a.PrincipalType == PrincipalUser && s.users[a.PrincipalID] == nil {
		return errNoUser(a.PrincipalID)
	}
	if a.PrincipalType == PrincipalGroup && s.groups[a.PrincipalID] == nil {
		return errNoGroup(a.PrincipalID)
	}
	return nil
}

// lazyIndex is derived from a snapshot the first time it is needed:
// which permission sets each user has in each account, directly or
// through a group.
type lazyIndex struct {
	once   sync.Once
	access map[string]map[string][]string // user ID -> account -> sorted set names
}

func (s *state) access() map[string]map[string][]string {
	s.index.once.Do(func() {
		byGroup := map[string][]string{}
		for m := range s.members {
			byGroup[m.groupID] = append(byGroup[m.groupID], m.userID)
		}
		acc := map[string]map[string][]string{}
		add := func(user, account, set string) {
			if acc[user] == nil {
				acc[user] = map[string][]string{}
			}
			if !slices.Contains(acc[user][account], set) {
				acc[user][account] = append(acc[user][account], set)
			}
		}
		for a := range s.assignments {
			if a.PrincipalType == PrincipalUser {
				add(a.PrincipalID, a.AccountID, a.PermissionSet)
				continue
			}
			for _, u := range byGroup[a.PrincipalID] {
				add(u, a.AccountID, a.PermissionSet)
			}
		}
		for _, accounts := range acc {
			for _, sets := range accounts {
				slices.Sort(sets)
			}
		}
		s.index.access = acc
	})
	return s.index.access
}
