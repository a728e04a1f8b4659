package identitycenter

import (
	"maps"
	"slices"
	"strconv"
)

// User is a user of the identity store
// (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_User.html).
type User struct {
	// ID is the user's identifier, the PrincipalId of its assignments:
	// the identity store's ten hex digits, "-" and a UUID. CreateUser
	// derives it from the user name when empty.
	ID string
	// UserName identifies the user at sign-in and names its role
	// sessions: 1 to 128 letters, marks, symbols, numbers and
	// punctuation, not <>;:%. Unique regardless of case. "Administrator"
	// and "AWSAdministrators" are reserved.
	UserName string
	// DisplayName is required in IAM Identity Center: 1 to 1,024
	// characters.
	DisplayName string
	// Name is the user's name; each part is empty or 1 to 1,024
	// characters.
	Name Name
	// Emails holds at most one email address (the API's "Fixed number of
	// 1 item").
	Emails []Email
	// Attributes are the user's further attributes, keyed by their path
	// as the attribute mappings table names them, the part inside
	// "${path:...}": "title", "enterprise.department",
	// "enterprise.costCenter", `addresses[type eq "work"].locality`, ...
	// (see [SupportedAttributePaths]). Values are 1 to 1,024 characters.
	Attributes map[string]string
}

// Name is a user's name.
type Name struct {
	GivenName, FamilyName, MiddleName, Formatted string
}

// Email is an email address of a user.
type Email struct {
	Value   string // 1 to 1,024 characters
	Type    string // "work", "home", ...: empty or 1 to 1,024 characters
	Primary bool
}

// Group is a group of the identity store
// (https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_Group.html).
type Group struct {
	// ID is the group's identifier; CreateGroup derives it from the
	// display name when empty.
	ID string
	// DisplayName names the group: 1 to 1,024 characters, unique
	// regardless of case; "Administrator" and "AWSAdministrators" are
	// reserved.
	DisplayName string
	// Description is empty or 1 to 1,024 characters.
	Description string
}

// freeID derives the ID of a new user or group from its name, the first
// time the name is used; a name used again (after a rename or deletion)
// gets the next free one, so an ID never names two principals.
func (s *state) freeID(storeID, kind, name string) string {
	for n := 0; ; n++ {
		key := fold(name)
		if n > 0 {
			key += "\x00" + strconv.Itoa(n)
		}
		id := principalID(storeID, kind, key)
		if s.users[id] == nil && s.groups[id] == nil && !s.usedIDs[id] {
			return id
		}
	}
}

// reservedNames cannot name users or groups (API_CreateUser.html UserName).
var reservedNames = []string{"administrator", "awsadministrators"}

func (u *User) validate() error {
	var v violations
	v.str("userName", u.UserName, ruleUserName)
	if slices.Contains(reservedNames, fold(u.UserName)) {
		v.addf("Value '%s' at 'userName' failed to satisfy constraint: Administrator and AWSAdministrators are reserved names", u.UserName)
	}
	v.str("displayName", u.DisplayName, ruleIdentityText)
	v.opt("name.givenName", u.Name.GivenName, ruleIdentityText)
	v.opt("name.familyName", u.Name.FamilyName, ruleIdentityText)
	v.opt("name.middleName", u.Name.MiddleName, ruleIdentityText)
	v.opt("name.formatted", u.Name.Formatted, ruleIdentityText)
	if len(u.Emails) > 1 {
		v.addf("Value at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1")
	}
	for i, e := range u.Emails {
		m := "emails." + strconv.Itoa(i+1) + ".member."
		v.str(m+"value", e.Value, ruleIdentityText)
		v.opt(m+"type", e.Type, ruleIdentityText)
	}
	for _, k := range slices.Sorted(maps.Keys(u.Attributes)) {
		if !attributePaths[k] || typedPaths[k] {
			v.addf("Value '%s' at 'attributes' failed to satisfy constraint: Member must be one of the supported attribute paths other than userName, displayName, name.givenName, name.familyName and emails[primary eq true].value", echo(k))
			continue
		}
		v.str("attributes."+k, u.Attributes[k], ruleIdentityText)
	}
	if u.ID != "" {
		v.str("userId", u.ID, rulePrincipalID)
	}
	return v.err()
}

func (u User) clone() *User {
	u.Emails = slices.Clone(u.Emails)
	u.Attributes = maps.Clone(u.Attributes)
	return &u
}

// CreateUser adds a user to the identity store and returns it with its ID.
// A user name already taken, regardless of case, or an ID already held, is
// a ConflictException.
func (in *Instance) CreateUser(u User) (User, error) {
	if err := u.validate(); err != nil {
		return User{}, err
	}
	nu := u.clone()
	err := in.update(func(s *state) error {
		if id, ok := s.userNames[fold(u.UserName)]; ok {
			return newError(ErrConflict, "Duplicate UserName: a user named %s already exists (%s)", s.users[id].UserName, id)
		}
		if nu.ID == "" {
			nu.ID = s.freeID(in.storeID, "user", u.UserName)
		} else if s.users[nu.ID] != nil || s.groups[nu.ID] != nil || s.usedIDs[nu.ID] {
			return newError(ErrConflict, "Duplicate ID %s", nu.ID)
		}
		s.users, s.userNames = cloneMap(s.users), cloneMap(s.userNames)
		s.users[nu.ID] = nu
		s.userNames[fold(nu.UserName)] = nu.ID
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return *nu.clone(), nil
}

// UpdateUser replaces the user with u's ID. Its user name may change if the
// new one is free.
func (in *Instance) UpdateUser(u User) error {
	if err := u.validate(); err != nil {
		return err
	}
	nu := u.clone()
	return in.update(func(s *state) error {
		old := s.users[u.ID]
		if old == nil {
			return errNoUser(u.ID)
		}
		if id, ok := s.userNames[fold(u.UserName)]; ok && id != u.ID {
			return newError(ErrConflict, "Duplicate UserName: a user named %s already exists (%s)", s.users[id].UserName, id)
		}
		s.users, s.userNames = cloneMap(s.users), cloneMap(s.userNames)
		delete(s.userNames, fold(old.UserName))
		s.users[nu.ID] = nu
		s.userNames[fold(nu.UserName)] = nu.ID
		return nil
	})
}

// DeleteUser removes a user with its group memberships and account
// assignments, so the next provisioning removes the roles only it was
// assigned.
func (in *Instance) DeleteUser(id string) error {
	return in.update(func(s *state) error {
		u := s.users[id]
		if u == nil {
			return errNoUser(id)
		}
		s.users, s.userNames = cloneMap(s.users), cloneMap(s.userNames)
		delete(s.users, id)
		delete(s.userNames, fold(u.UserName))
		s.usedIDs = cloneMap(s.usedIDs)
		s.usedIDs[id] = true
		s.members = deleteWhere(s.members, func(m member) bool { return m.userID == id })
		s.assignments = deleteWhere(s.assignments, func(a Assignment) bool { return a.PrincipalType == PrincipalUser && a.PrincipalID == id })
		return nil
	})
}

// deleteWhere returns m without the keys f selects, cloned if any is.
func deleteWhere[K comparable](m map[K]struct{}, f func(K) bool) map[K]struct{} {
	var out map[K]struct{}
	for k := range m {
		if f(k) {
			if out == nil {
				out = maps.Clone(m)
			}
			delete(out, k)
		}
	}
	if out == nil {
		return m
	}
	return out
}

func errNoUser(id string) error {
	return newError(ErrResourceNotFound, "USER not found: %s", id)
}

func errNoGroup(id string) error {
	return newError(ErrResourceNotFound, "GROUP not found: %s", id)
}

// User returns a user by ID.
func (in *Instance) User(id string) (User, error) {
	if u := in.load().users[id]; u != nil {
		return *u.clone(), nil
	}
	return User{}, errNoUser(id)
}

// UserByName returns a user by user name, matched regardless of case (as
// GetUserId finds one by its userName).
func (in *Instance) UserByName(name string) (User, error) {
	s := in.load()
	if id, ok := s.userNames[fold(name)]; ok {
		return *s.users[id].clone(), nil
	}
	return User{}, newError(ErrResourceNotFound, "USER not found: %s", name)
}

// Users returns every user, by ID.
func (in *Instance) Users() []User {
	s := in.load()
	out := sortedValues(s.users)
	for i := range out {
		out[i] = *out[i].clone()
	}
	return out
}

func (g *Group) validate() error {
	var v violations
	v.str("displayName", g.DisplayName, ruleIdentityText)
	if slices.Contains(reservedNames, fold(g.DisplayName)) {
		v.addf("Value '%s' at 'displayName' failed to satisfy constraint: Administrator and AWSAdministrators are reserved names", g.DisplayName)
	}
	v.opt("description", g.Description, ruleIdentityText)
	if g.ID != "" {
		v.str("groupId", g.ID, rulePrincipalID)
	}
	return v.err()
}

// CreateGroup adds a group and returns it with its ID. A display name
// already taken, regardless of case, is a ConflictException.
func (in *Instance) CreateGroup(g Group) (Group, error) {
	if err := g.validate(); err != nil {
		return Group{}, err
	}
	ng := g
	err := in.update(func(s *state) error {
		if id, ok := s.groupNames[fold(g.DisplayName)]; ok {
			return newError(ErrConflict, "Duplicate GroupDisplayName: a group named %s already exists (%s)", s.groups[id].DisplayName, id)
		}
		if ng.ID == "" {
			ng.ID = s.freeID(in.storeID, "group", g.DisplayName)
		} else if s.groups[ng.ID] != nil || s.users[ng.ID] != nil || s.usedIDs[ng.ID] {
			return newError(ErrConflict, "Duplicate ID %s", ng.ID)
		}
		s.groups, s.groupNames = cloneMap(s.groups), cloneMap(s.groupNames)
		s.groups[ng.ID] = &ng
		s.groupNames[fold(ng.DisplayName)] = ng.ID
		return nil
	})
	if err != nil {
		return Group{}, err
	}
	return ng, nil
}

// DeleteGroup removes a group with its memberships and account
// assignments.
func (in *Instance) DeleteGroup(id string) error {
	return in.update(func(s *state) error {
		g := s.groups[id]
		if g == nil {
			return errNoGroup(id)
		}
		s.groups, s.groupNames = cloneMap(s.groups), cloneMap(s.groupNames)
		delete(s.groups, id)
		delete(s.groupNames, fold(g.DisplayName))
		s.usedIDs = cloneMap(s.usedIDs)
		s.usedIDs[id] = true
		s.members = deleteWhere(s.members, func(m member) bool { return m.groupID == id })
		s.assignments = deleteWhere(s.assignments, func(a Assignment) bool { return a.PrincipalType == PrincipalGroup && a.PrincipalID == id })
		return nil
	})
}

// Group returns a group by ID.
func (in *Instance) Group(id string) (Group, error) {
	if g := in.load().groups[id]; g != nil {
		return *g, nil
	}
	return Group{}, errNoGroup(id)
}

// GroupByName returns a group by display name, matched regardless of
// case.
func (in *Instance) GroupByName(name string) (Group, error) {
	s := in.load()
	if id, ok := s.groupNames[fold(name)]; ok {
		return *s.groups[id], nil
	}
	return Group{}, newError(ErrResourceNotFound, "GROUP not found: %s", name)
}

// Groups returns every group, by ID.
func (in *Instance) Groups() []Group { return sortedValues(in.load().groups) }

// CreateGroupMembership makes a user a member of a group. An existing
// membership is a ConflictException, as the Identity Store answers
// (API_CreateGroupMembership.html).
func (in *Instance) CreateGroupMembership(groupID, userID string) error {
	return in.update(func(s *state) error {
		if s.groups[groupID] == nil {
			return errNoGroup(groupID)
		}
		if s.users[userID] == nil {
			return errNoUser(userID)
		}
		m := member{groupID, userID}
		if _, ok := s.members[m]; ok {
			return newError(ErrConflict, "Member and Group relationship already exists")
		}
		s.members = cloneMap(s.members)
		s.members[m] = struct{}{}
		return nil
	})
}

// DeleteGroupMembership removes a user from a group. Access through the
// group ends at once: the next RoleCredentials is refused.
func (in *Instance) DeleteGroupMembership(groupID, userID string) error {
	return in.update(func(s *state) error {
		m := member{groupID, userID}
		if _, ok := s.members[m]; !ok {
			return newError(ErrResourceNotFound, "GROUP_MEMBERSHIP not found: %s in %s", userID, groupID)
		}
		s.members = cloneMap(s.members)
		delete(s.members, m)
		return nil
	})
}

// GroupsOfUser returns the IDs of the groups a user is a member of, sorted
// (ListGroupMembershipsForMember).
func (in *Instance) GroupsOfUser(userID string) ([]string, error) {
	s := in.load()
	if s.users[userID] == nil {
		return nil, errNoUser(userID)
	}
	var out []string
	for m := range s.members {
		if m.userID == userID {
			out = append(out, m.groupID)
		}
	}
	slices.Sort(out)
	return out, nil
}

// MembersOfGroup returns the IDs of a group's members, sorted
// (ListGroupMemberships).
func (in *Instance) MembersOfGroup(groupID string) ([]string, error) {
	s := in.load()
	if s.groups[groupID] == nil {
		return nil, errNoGroup(groupID)
	}
	var out []string
	for m := range s.members {
		if m.groupID == groupID {
			out = append(out, m.userID)
		}
	}
	slices.Sort(out)
	return out, nil
}
