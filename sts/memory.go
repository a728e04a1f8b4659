package sts

import (
	"context"
	"errors"
	"github.com/iamkit/iamkit/federation"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// Errors returned (wrapped in an [EntityError]) by [MemoryDirectory]'s Put
// methods.
var (
	// ErrInvalidEntity means an entity breaks one of IAM's rules (ARN
	// shape, unique ID prefix, name characters, durations, policy type).
	ErrInvalidEntity = errors.New("sts: invalid entity")
	// ErrEntityExists means an entity clashes with another one: a user,
	// group, role or managed policy name that differs only in case or path
	// from an existing one, or a unique ID or access key ID already held by
	// another entity.
	ErrEntityExists = errors.New("sts: entity already exists")
	// ErrLimitExceeded means a write would break one of IAM's quotas, such
	// as a second role in an instance profile (IAM's LimitExceeded).
	ErrLimitExceeded = errors.New("sts: limit exceeded")
	// ErrDeleteConflict means an entity cannot be deleted while another
	// one depends on it, such as a role in an instance profile (IAM's
	// DeleteConflict).
	ErrDeleteConflict = errors.New("sts: delete conflict")
)

// EntityError reports a directory entity that is unknown, invalid or
// clashing. It unwraps to [ErrNotFound], [ErrInvalidEntity],
// [ErrEntityExists], [ErrLimitExceeded] or [ErrDeleteConflict].
type EntityError struct {
	Kind   string // "account", "user", "group", "role", "managed policy", "resource policy", "access key", "instance profile"
	ID     string // the ARN, account ID or access key ID
	Reason string
	Err    error // the sentinel
}

// Error returns `sts: KIND "ID": REASON`.
func (e *EntityError) Error() string {
	return "sts: " + e.Kind + " " + strconv.Quote(e.ID) + ": " + e.Reason
}

// Unwrap returns the sentinel.
func (e *EntityError) Unwrap() error { return e.Err }

func dirNotFound(kind, id string) error {
	return &EntityError{Kind: kind, ID: id, Reason: "not found", Err: ErrNotFound}
}

func dirInvalid(kind, id, reason string) error {
	return &EntityError{Kind: kind, ID: id, Reason: reason, Err: ErrInvalidEntity}
}

func dirExists(kind, id, reason string) error {
	return &EntityError{Kind: kind, ID: id, Reason: reason, Err: ErrEntityExists}
}

// MemoryDirectory is a [Directory] held in memory, ready for tests, examples
// and small programs.
//
// It is safe for concurrent use. Lookups take no lock and, when they find
// the entity, allocate nothing: they read an immutable snapshot.
// Writes are serialized and copy-on-write: each one copies the index it
// changes and publishes a new snapshot, so a write costs time proportional
// to the number of entities of that kind. Put methods store deep copies, so
// callers may reuse their structs; values returned by lookups are shared
// and must not be modified. Policies are immutable and shared as they are.
//
// As in IAM, the names of users, groups, roles and managed policies are
// unique within an account regardless of case and path: there cannot be
// both Bob and bob, nor /a/bob and /b/bob. Lookups by ARN therefore match
// the name case-insensitively and the path exactly. Put with the ARN of an
// existing entity (exactly, name case included) replaces it; a different
// ARN for the same name is refused with [ErrEntityExists] (delete first to
// rename or move). References between entities (a user's groups, attached
// managed policy ARNs, the account of a user) are not checked, so entities
// may be stored in any order.
type MemoryDirectory struct {
	mu    sync.Mutex // serializes writers
	state atomic.Pointer[dirState]
	// batch: this is the staging directory of [MemoryDirectory.Batch],
	// written in place; failed is its first write error, closed set once
	// the batch is over.
	batch  bool
	failed error
	closed bool
}

var _ Directory = (*MemoryDirectory)(nil)

// dirState is one immutable snapshot. A writer copies the maps it changes.
type dirState struct {
	accounts  map[string]*Account
	users     map[string]*User
	keys      map[string]dirKeyRef // access key ID -> owner
	groups    map[string]*Group
	roles     map[string]*Role
	managed   map[string]dirManagedEntry
	resources map[string]*policy.Policy
	oidc      map[string]*federation.OIDCProvider
	saml      map[string]*federation.SAMLProvider
	profiles  map[string]*InstanceProfile
	uniqueIDs map[string]string // AIDA.../AROA.../AIPA... -> holder's ARN
	// owned marks the maps this state has already copied from the
	// published snapshot it came from, so a batch copies each map once;
	// zero in every published state.
	owned uint16
}

// The bits of dirState.owned, one per map.
const (
	ownAccounts uint16 = 1 << iota
	ownUsers
	ownKeys
	ownGroups
	ownRoles
	ownManaged
	ownResources
	ownOidc
	ownSaml
	ownProfiles
	ownUniqueIDs
)

// dirOwn returns m, copied unless s already owns its copy: a writer calls
// it before changing a map, so the published snapshot's map is never
// changed.
func dirOwn[K comparable, V any](s *dirState, bit uint16, m map[K]V) map[K]V {
	if s.owned&bit != 0 {
		return m
	}
	s.owned |= bit
	return dirCloneMap(m)
}

// The maps of named entities are keyed by "PARTITION:ACCOUNT:name" with the
// name in lower case: names are case-insensitive and unique in an account
// whatever their path. The root user's name is "".

type dirKeyRef struct {
	user *User
	i    int // index in user.AccessKeys
}

type dirManagedEntry struct {
	arn string
	p   *policy.Policy
}

var emptyDirState = &dirState{}

// NewMemoryDirectory returns an empty MemoryDirectory. The zero value is
// also ready to use.
func NewMemoryDirectory() *MemoryDirectory { return &MemoryDirectory{} }

func (d *MemoryDirectory) load() *dirState {
	if s := d.state.Load(); s != nil {
		return s
	}
	return emptyDirState
}

// update runs fn on a shallow copy of the current snapshot under the
// writer lock and publishes it if fn succeeds. fn must copy every map it
// modifies.
func (d *MemoryDirectory) update(fn func(s *dirState) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.batch {
		if d.closed {
			return errBatchClosed
		}
		// The staging state is private to the batch: change it in
		// place, each map copied once (dirOwn).
		return fn(d.state.Load())
	}
	s := *d.load()
	s.owned = 0
	if err := fn(&s); err != nil {
		return err
	}
	d.state.Store(&s)
	return nil
}

// errBatchClosed answers a write to a batch's staging directory after
// the batch ended.
var errBatchClosed = errors.New("sts: MemoryDirectory.Batch: the batch is over; write to the directory itself")

// Batch makes many writes as one: fn writes to tx, a staging directory
// that starts as a copy of d, and when fn returns nil every write is
// published at once. If fn returns an error, nothing is published. A write
// to tx that fails changes nothing, as outside a batch (every write checks
// before it changes anything), so fn may go on after one. Readers of d see the directory as it was before
// the batch or after it, never in between, as with single writes; other
// writers wait for the batch. Writes to tx cost no copy of the
// directory, so loading N entities in one batch takes O(N) time, where N
// single writes take O(N²). tx is for fn's goroutine only and must not
// be used after fn returns.
func (d *MemoryDirectory) Batch(fn func(tx *MemoryDirectory) error) error {
	if d.batch {
		return errors.New("sts: MemoryDirectory.Batch: batches do not nest")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	staged := *d.load()
	staged.owned = 0
	tx := &MemoryDirectory{batch: true}
	tx.state.Store(&staged)
	err := fn(tx)
	tx.mu.Lock()
	tx.closed = true
	tx.mu.Unlock()
	if err != nil {
		return err
	}
	staged.owned = 0
	published := staged
	d.state.Store(&published)
	return nil
}

// ---- Accounts

// PutAccount stores or replaces an account. The ID must be 12 digits and
// the partition empty (meaning "aws") or a known partition.
func (d *MemoryDirectory) PutAccount(a Account) error {
	if !principal.IsAccountID(a.ID) {
		return dirInvalid("account", a.ID, "ID must be 12 digits")
	}
	if a.Partition != "" && !principal.KnownPartition(a.Partition) {
		return dirInvalid("account", a.ID, "unknown partition "+strconv.Quote(a.Partition))
	}
	if a.OrgID != "" && !strings.HasPrefix(a.OrgID, "o-") {
		return dirInvalid("account", a.ID, `OrgID must begin with "o-"`)
	}
	a.SCPs = dirClonePolicyLevels(a.SCPs)
	a.RCPs = dirClonePolicyLevels(a.RCPs)
	a.DisabledRegions = slices.Clone(a.DisabledRegions)
	return d.update(func(s *dirState) error {
		s.accounts = dirOwn(s, ownAccounts, s.accounts)
		s.accounts[a.ID] = &a
		return nil
	})
}

// DeleteAccount removes an account.
func (d *MemoryDirectory) DeleteAccount(id string) error {
	return d.update(func(s *dirState) error {
		if _, ok := s.accounts[id]; !ok {
			return dirNotFound("account", id)
		}
		s.accounts = dirOwn(s, ownAccounts, s.accounts)
		delete(s.accounts, id)
		return nil
	})
}

// Account returns an account by ID.
func (d *MemoryDirectory) Account(_ context.Context, id string) (*Account, error) {
	if a := d.load().accounts[id]; a != nil {
		return a, nil
	}
	return nil, dirNotFound("account", id)
}

// ---- Users

// PutUser stores or replaces an IAM user or root user. The ARN must be
// arn:PARTITION:iam::ACCOUNT:user/PATH/NAME, or arn:PARTITION:iam::ACCOUNT:root
// with Root set. A user's UniqueID must begin with "AIDA" or be empty, when
// it is derived from the ARN with [DeterministicUniqueID]; the root user's
// is empty or the account ID. Access key IDs begin with "AKIA", have a
// secret, and are unique across the directory; MFA serial numbers are
// unique within the user and devices need a seed; tag keys are unique
// regardless of case (at most 50 tags, keys 1 to 128 characters, values up
// to 256).
func (d *MemoryDirectory) PutUser(u User) error {
	const kind = "user"
	n, reason := parseIAMARN(u.ARN, kind)
	if reason != "" {
		return dirInvalid(kind, u.ARN, reason)
	}
	switch {
	case u.Root != n.root && u.Root:
		return dirInvalid(kind, u.ARN, `a root user's ARN must be arn:PARTITION:iam::ACCOUNT:root`)
	case u.Root != n.root:
		return dirInvalid(kind, u.ARN, "an ARN ending in :root needs Root set")
	case u.Root && u.UniqueID != "" && u.UniqueID != n.account:
		return dirInvalid(kind, u.ARN, "a root user's UniqueID must be empty or the account ID")
	case !u.Root:
		if u.UniqueID == "" {
			u.UniqueID = DeterministicUniqueID("AIDA", u.ARN)
		}
		if reason := dirCheckUniqueID(u.UniqueID, "AIDA"); reason != "" {
			return dirInvalid(kind, u.ARN, reason)
		}
	}
	if reason := dirCheckTags(u.Tags); reason != "" {
		return dirInvalid(kind, u.ARN, reason)
	}
	for i, k := range u.AccessKeys {
		if reason := dirCheckAccessKeyID(k.ID); reason != "" {
			return dirInvalid(kind, u.ARN, "AccessKeys["+strconv.Itoa(i)+"]: "+reason)
		}
		if k.Secret.IsZero() {
			return dirInvalid(kind, u.ARN, "AccessKeys["+strconv.Itoa(i)+"]: empty secret")
		}
		for _, prev := range u.AccessKeys[:i] {
			if prev.ID == k.ID {
				return dirInvalid(kind, u.ARN, "access key "+strconv.Quote(k.ID)+" listed twice")
			}
		}
	}
	for i, m := range u.MFADevices {
		if len(m.SerialNumber) < 9 || len(m.SerialNumber) > 256 {
			return dirInvalid(kind, u.ARN, "MFADevices["+strconv.Itoa(i)+"]: serial number must be 9 to 256 characters")
		}
		if m.Seed.IsZero() {
			return dirInvalid(kind, u.ARN, "MFADevices["+strconv.Itoa(i)+"]: empty seed")
		}
		for _, prev := range u.MFADevices[:i] {
			if prev.SerialNumber == m.SerialNumber {
				return dirInvalid(kind, u.ARN, "MFA device "+strconv.Quote(m.SerialNumber)+" listed twice")
			}
		}
	}
	u.Policies = slices.Clone(u.Policies)
	u.ManagedPolicyARNs = slices.Clone(u.ManagedPolicyARNs)
	u.Groups = slices.Clone(u.Groups)
	u.Tags = slices.Clone(u.Tags)
	u.AccessKeys = slices.Clone(u.AccessKeys)
	u.MFADevices = slices.Clone(u.MFADevices)

	key := n.key()
	return d.update(func(s *dirState) error {
		old := s.users[key]
		if old != nil && old.ARN != u.ARN {
			return dirExists(kind, u.ARN, "the name is taken by "+strconv.Quote(old.ARN))
		}
		if u.UniqueID != "" && !u.Root {
			if holder, ok := s.uniqueIDs[u.UniqueID]; ok && holder != u.ARN {
				return dirExists(kind, u.ARN, "UniqueID "+strconv.Quote(u.UniqueID)+" is held by "+strconv.Quote(holder))
			}
		}
		for _, k := range u.AccessKeys {
			if ref, ok := s.keys[k.ID]; ok && ref.user != old {
				return dirExists(kind, u.ARN, "access key "+strconv.Quote(k.ID)+" belongs to "+strconv.Quote(ref.user.ARN))
			}
		}
		s.users = dirOwn(s, ownUsers, s.users)
		s.keys = dirOwn(s, ownKeys, s.keys)
		s.uniqueIDs = dirOwn(s, ownUniqueIDs, s.uniqueIDs)
		if old != nil {
			forgetUser(s, old)
		}
		nu := &u
		s.users[key] = nu
		for i, k := range nu.AccessKeys {
			s.keys[k.ID] = dirKeyRef{user: nu, i: i}
		}
		if nu.UniqueID != "" && !nu.Root {
			s.uniqueIDs[nu.UniqueID] = nu.ARN
		}
		return nil
	})
}

// forgetUser removes u's access keys and unique ID from s's (already
// copied) indexes.
func forgetUser(s *dirState, u *User) {
	for _, k := range u.AccessKeys {
		delete(s.keys, k.ID)
	}
	if u.UniqueID != "" && !u.Root {
		delete(s.uniqueIDs, u.UniqueID)
	}
}

// DeleteUser removes a user and its access keys, found as
// [MemoryDirectory.User] finds it.
func (d *MemoryDirectory) DeleteUser(arn string) error {
	return d.update(func(s *dirState) error {
		k, ok := iamLookupKey(nil, arn, "user")
		key := string(k)
		u := s.users[key]
		if !ok || u == nil || !iamSamePath(u.ARN, arn) {
			return dirNotFound("user", arn)
		}
		s.users = dirOwn(s, ownUsers, s.users)
		s.keys = dirOwn(s, ownKeys, s.keys)
		s.uniqueIDs = dirOwn(s, ownUniqueIDs, s.uniqueIDs)
		forgetUser(s, u)
		delete(s.users, key)
		return nil
	})
}

// User returns an IAM user or root user by ARN. The name matches
// case-insensitively, the path exactly.
func (d *MemoryDirectory) User(_ context.Context, arn string) (*User, error) {
	var buf [iamKeyBufSize]byte
	if key, ok := iamLookupKey(buf[:0], arn, "user"); ok {
		if u := d.load().users[string(key)]; u != nil && iamSamePath(u.ARN, arn) {
			return u, nil
		}
	}
	return nil, dirNotFound("user", arn)
}

// UserByAccessKey returns the user owning a long-term access key and the
// key itself (which may be Inactive).
func (d *MemoryDirectory) UserByAccessKey(_ context.Context, accessKeyID string) (*User, *AccessKey, error) {
	if ref, ok := d.load().keys[accessKeyID]; ok {
		return ref.user, &ref.user.AccessKeys[ref.i], nil
	}
	return nil, nil, dirNotFound("access key", accessKeyID)
}

// ---- Groups

// PutGroup stores or replaces an IAM group. The ARN must be
// arn:PARTITION:iam::ACCOUNT:group/PATH/NAME.
func (d *MemoryDirectory) PutGroup(g Group) error {
	const kind = "group"
	n, reason := parseIAMARN(g.ARN, kind)
	if reason != "" {
		return dirInvalid(kind, g.ARN, reason)
	}
	g.Policies = slices.Clone(g.Policies)
	g.ManagedPolicyARNs = slices.Clone(g.ManagedPolicyARNs)
	key := n.key()
	return d.update(func(s *dirState) error {
		if old := s.groups[key]; old != nil && old.ARN != g.ARN {
			return dirExists(kind, g.ARN, "the name is taken by "+strconv.Quote(old.ARN))
		}
		s.groups = dirOwn(s, ownGroups, s.groups)
		s.groups[key] = &g
		return nil
	})
}

// DeleteGroup removes a group, found as [MemoryDirectory.Group] finds it.
func (d *MemoryDirectory) DeleteGroup(arn string) error {
	return d.update(func(s *dirState) error {
		k, ok := iamLookupKey(nil, arn, "group")
		key := string(k)
		g := s.groups[key]
		if !ok || g == nil || !iamSamePath(g.ARN, arn) {
			return dirNotFound("group", arn)
		}
		s.groups = dirOwn(s, ownGroups, s.groups)
		delete(s.groups, key)
		return nil
	})
}

// Group returns an IAM group by ARN. The name matches case-insensitively,
// the path exactly.
func (d *MemoryDirectory) Group(_ context.Context, arn string) (*Group, error) {
	var buf [iamKeyBufSize]byte
	if key, ok := iamLookupKey(buf[:0], arn, "group"); ok {
		if g := d.load().groups[string(key)]; g != nil && iamSamePath(g.ARN, arn) {
			return g, nil
		}
	}
	return nil, dirNotFound("group", arn)
}

// ---- Roles

// Role session duration bounds (IAM CreateRole MaxSessionDuration, 3600 to
// 43200 seconds).
const (
	minMaxSessionDuration = time.Hour
	maxMaxSessionDuration = 12 * time.Hour
)

// PutRole stores or replaces an IAM role. The ARN must be
// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, the UniqueID begin with
// "AROA" (or be empty, when it is derived from the ARN with
// [DeterministicUniqueID]), MaxSessionDuration be zero (one hour) or from 1 to 12 hours, and
// TrustPolicy be parsed as policy.Trust. Tags follow the rules of PutUser.
func (d *MemoryDirectory) PutRole(r Role) error {
	const kind = "role"
	n, reason := parseIAMARN(r.ARN, kind)
	if reason != "" {
		return dirInvalid(kind, r.ARN, reason)
	}
	if r.UniqueID == "" {
		r.UniqueID = DeterministicUniqueID("AROA", r.ARN)
	}
	if reason := dirCheckUniqueID(r.UniqueID, "AROA"); reason != "" {
		return dirInvalid(kind, r.ARN, reason)
	}
	if r.MaxSessionDuration != 0 && (r.MaxSessionDuration < minMaxSessionDuration || r.MaxSessionDuration > maxMaxSessionDuration) {
		return dirInvalid(kind, r.ARN, "MaxSessionDuration "+r.MaxSessionDuration.String()+" is outside 1h to 12h (3600 to 43200 seconds)")
	}
	if r.TrustPolicy == nil {
		return dirInvalid(kind, r.ARN, "no TrustPolicy")
	}
	if t := r.TrustPolicy.Type(); t != policy.Trust {
		return dirInvalid(kind, r.ARN, "TrustPolicy is parsed as "+t.String()+", not trust")
	}
	if reason := dirCheckTags(r.Tags); reason != "" {
		return dirInvalid(kind, r.ARN, reason)
	}
	r.Policies = slices.Clone(r.Policies)
	r.ManagedPolicyARNs = slices.Clone(r.ManagedPolicyARNs)
	r.Tags = slices.Clone(r.Tags)
	key := n.key()
	return d.update(func(s *dirState) error {
		old := s.roles[key]
		if old != nil && old.ARN != r.ARN {
			return dirExists(kind, r.ARN, "the name is taken by "+strconv.Quote(old.ARN))
		}
		if holder, ok := s.uniqueIDs[r.UniqueID]; ok && holder != r.ARN {
			return dirExists(kind, r.ARN, "UniqueID "+strconv.Quote(r.UniqueID)+" is held by "+strconv.Quote(holder))
		}
		s.roles = dirOwn(s, ownRoles, s.roles)
		s.uniqueIDs = dirOwn(s, ownUniqueIDs, s.uniqueIDs)
		if old != nil {
			delete(s.uniqueIDs, old.UniqueID)
		}
		s.roles[key] = &r
		s.uniqueIDs[r.UniqueID] = r.ARN
		return nil
	})
}

// DeleteRole removes a role, found as [MemoryDirectory.Role] finds it. As
// in IAM, a role that an instance profile holds cannot be deleted
// ([ErrDeleteConflict]): remove it from the profile first.
func (d *MemoryDirectory) DeleteRole(arn string) error {
	return d.update(func(s *dirState) error {
		k, ok := iamLookupKey(nil, arn, "role")
		key := string(k)
		r := s.roles[key]
		if !ok || r == nil || !iamSamePath(r.ARN, arn) {
			return dirNotFound("role", arn)
		}
		for _, p := range s.profiles {
			if p.Role() == r.ARN {
				// IAM's DeleteConflict (API_DeleteRole.html).
				return &EntityError{Kind: "role", ID: arn, Err: ErrDeleteConflict,
					Reason: "Cannot delete entity, must remove roles from instance profile first."}
			}
		}
		s.roles = dirOwn(s, ownRoles, s.roles)
		s.uniqueIDs = dirOwn(s, ownUniqueIDs, s.uniqueIDs)
		delete(s.roles, key)
		delete(s.uniqueIDs, r.UniqueID)
		return nil
	})
}

// Role returns an IAM role by ARN. The name matches case-insensitively,
// the path exactly.
func (d *MemoryDirectory) Role(_ context.Context, arn string) (*Role, error) {
	var buf [iamKeyBufSize]byte
	if key, ok := iamLookupKey(buf[:0], arn, "role"); ok {
		if r := d.load().roles[string(key)]; r != nil && iamSamePath(r.ARN, arn) {
			return r, nil
		}
	}
	return nil, dirNotFound("role", arn)
}

// ---- Policies

// PutManagedPolicy stores or replaces a managed policy. The ARN must be
// arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME, where ACCOUNT may be "aws"
// for AWS managed policies, and p be parsed as policy.Identity or
// policy.Boundary.
func (d *MemoryDirectory) PutManagedPolicy(arn string, p *policy.Policy) error {
	const kind = "managed policy"
	n, reason := parseIAMARN(arn, "policy")
	switch {
	case reason != "":
		return dirInvalid(kind, arn, reason)
	case p == nil:
		return dirInvalid(kind, arn, "nil policy")
	case p.Type() != policy.Identity && p.Type() != policy.Boundary:
		return dirInvalid(kind, arn, "policy is parsed as "+p.Type().String()+", not identity")
	}
	key := n.key()
	return d.update(func(s *dirState) error {
		if old, ok := s.managed[key]; ok && old.arn != arn {
			return dirExists(kind, arn, "the name is taken by "+strconv.Quote(old.arn))
		}
		s.managed = dirOwn(s, ownManaged, s.managed)
		s.managed[key] = dirManagedEntry{arn: arn, p: p}
		return nil
	})
}

// DeleteManagedPolicy removes a managed policy, found as
// [MemoryDirectory.ManagedPolicy] finds it.
func (d *MemoryDirectory) DeleteManagedPolicy(arn string) error {
	return d.update(func(s *dirState) error {
		k, ok := iamLookupKey(nil, arn, "policy")
		key := string(k)
		e, found := s.managed[key]
		if !ok || !found || !iamSamePath(e.arn, arn) {
			return dirNotFound("managed policy", arn)
		}
		s.managed = dirOwn(s, ownManaged, s.managed)
		delete(s.managed, key)
		return nil
	})
}

// ManagedPolicy returns a managed policy by ARN. The name matches
// case-insensitively, the path exactly.
func (d *MemoryDirectory) ManagedPolicy(_ context.Context, arn string) (*policy.Policy, error) {
	var buf [iamKeyBufSize]byte
	if key, ok := iamLookupKey(buf[:0], arn, "policy"); ok {
		if e, found := d.load().managed[string(key)]; found && iamSamePath(e.arn, arn) {
			return e.p, nil
		}
	}
	return nil, dirNotFound("managed policy", arn)
}

// PutResourcePolicy stores or replaces the resource-based policy of a
// resource. resourceARN must be an ARN and p be parsed as policy.Resource.
// Resource ARNs match exactly (they are case-sensitive), except that an S3
// object ARN (arn:aws:s3:::bucket/key) finds its bucket's policy.
func (d *MemoryDirectory) PutResourcePolicy(resourceARN string, p *policy.Policy) error {
	const kind = "resource policy"
	if _, err := principal.ParseARN(resourceARN); err != nil {
		var ae *principal.ARNError
		reason := err.Error()
		if errors.As(err, &ae) {
			reason = ae.Reason
		}
		return dirInvalid(kind, resourceARN, reason)
	}
	switch {
	case p == nil:
		return dirInvalid(kind, resourceARN, "nil policy")
	case p.Type() != policy.Resource:
		return dirInvalid(kind, resourceARN, "policy is parsed as "+p.Type().String()+", not resource")
	}
	return d.update(func(s *dirState) error {
		s.resources = dirOwn(s, ownResources, s.resources)
		s.resources[resourceARN] = p
		return nil
	})
}

// PutOIDCProvider stores or replaces an OpenID Connect provider, checked
// with [federation.OIDCProvider.Validate]. The provider must not be
// changed afterwards.
func (d *MemoryDirectory) PutOIDCProvider(p *federation.OIDCProvider) error {
	const kind = "OIDC provider"
	if p == nil {
		return dirInvalid(kind, "", "nil provider")
	}
	if err := p.Validate(); err != nil {
		var pe *federation.ProviderError
		reason := err.Error()
		if errors.As(err, &pe) {
			reason = pe.Reason
		}
		return dirInvalid(kind, p.ARN, reason)
	}
	return d.update(func(s *dirState) error {
		s.oidc = dirOwn(s, ownOidc, s.oidc)
		s.oidc[p.ARN] = p
		return nil
	})
}

// DeleteOIDCProvider removes an OpenID Connect provider.
func (d *MemoryDirectory) DeleteOIDCProvider(arn string) error {
	return d.update(func(s *dirState) error {
		if _, ok := s.oidc[arn]; !ok {
			return dirNotFound("OIDC provider", arn)
		}
		s.oidc = dirOwn(s, ownOidc, s.oidc)
		delete(s.oidc, arn)
		return nil
	})
}

// OIDCProvider returns an OpenID Connect provider by its exact ARN.
func (d *MemoryDirectory) OIDCProvider(_ context.Context, arn string) (*federation.OIDCProvider, error) {
	if p := d.load().oidc[arn]; p != nil {
		return p, nil
	}
	return nil, dirNotFound("OIDC provider", arn)
}

// PutSAMLProvider stores or replaces a SAML provider, checked with
// [federation.SAMLProvider.Validate]. The provider must not be changed
// afterwards.
func (d *MemoryDirectory) PutSAMLProvider(p *federation.SAMLProvider) error {
	const kind = "SAML provider"
	if p == nil {
		return dirInvalid(kind, "", "nil provider")
	}
	if err := p.Validate(); err != nil {
		var pe *federation.ProviderError
		reason := err.Error()
		if errors.As(err, &pe) {
			reason = pe.Reason
		}
		return dirInvalid(kind, p.ARN, reason)
	}
	return d.update(func(s *dirState) error {
		s.saml = dirOwn(s, ownSaml, s.saml)
		s.saml[p.ARN] = p
		return nil
	})
}

// DeleteSAMLProvider removes a SAML provider.
func (d *MemoryDirectory) DeleteSAMLProvider(arn string) error {
	return d.update(func(s *dirState) error {
		if _, ok := s.saml[arn]; !ok {
			return dirNotFound("SAML provider", arn)
		}
		s.saml = dirOwn(s, ownSaml, s.saml)
		delete(s.saml, arn)
		return nil
	})
}

// SAMLProvider returns a SAML provider by its exact ARN.
func (d *MemoryDirectory) SAMLProvider(_ context.Context, arn string) (*federation.SAMLProvider, error) {
	if p := d.load().saml[arn]; p != nil {
		return p, nil
	}
	return nil, dirNotFound("SAML provider", arn)
}

// ---- Instance profiles

// maxProfileRoles is IAM's InstanceSessionsPerInstanceProfile quota, which
// cannot be raised (API_AddRoleToInstanceProfile.html).
const maxProfileRoles = 1

// PutInstanceProfile stores or replaces an instance profile, checked as
// CreateInstanceProfile and AddRoleToInstanceProfile check it. The ARN must
// be arn:PARTITION:iam::ACCOUNT:instance-profile/PATH/NAME with a name of 1
// to 128 characters of [\w+=,.@-] and a path as for roles; the UniqueID
// must begin with "AIPA" (or be empty, when it is derived from the ARN
// with [DeterministicUniqueID]). Roles holds at most one role ARN: a
// second answers [ErrLimitExceeded] with IAM's message "Cannot exceed quota
// for InstanceSessionsPerInstanceProfile: 1". The role must already be in
// the directory ([ErrNotFound], IAM's NoSuchEntity message "The role with
// name NAME cannot be found.") and in the profile's account; it is stored
// under the role's own ARN, whatever the case of the name given. A role may
// be in any number of profiles. Names are unique in an account regardless
// of case and path, as for roles. Tags follow the rules of PutUser.
func (d *MemoryDirectory) PutInstanceProfile(p InstanceProfile) error {
	const kind = "instance profile"
	n, reason := parseIAMARN(p.ARN, "instance-profile")
	if reason != "" {
		return dirInvalid(kind, p.ARN, reason)
	}
	if p.UniqueID == "" {
		p.UniqueID = DeterministicUniqueID("AIPA", p.ARN)
	}
	if reason := dirCheckUniqueID(p.UniqueID, "AIPA"); reason != "" {
		return dirInvalid(kind, p.ARN, reason)
	}
	if len(p.Roles) > maxProfileRoles {
		return &EntityError{Kind: kind, ID: p.ARN, Err: ErrLimitExceeded,
			Reason: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: " + strconv.Itoa(maxProfileRoles)}
	}
	roleNames := make([]iamName, len(p.Roles))
	for i, ra := range p.Roles {
		rn, reason := parseIAMARN(ra, "role")
		if reason != "" {
			return dirInvalid(kind, p.ARN, "Roles["+strconv.Itoa(i)+"] "+strconv.Quote(ra)+": "+reason)
		}
		if rn.partition != n.partition || rn.account != n.account {
			return dirInvalid(kind, p.ARN, "role "+strconv.Quote(ra)+" is not in the instance profile's account")
		}
		roleNames[i] = rn
	}
	if reason := dirCheckTags(p.Tags); reason != "" {
		return dirInvalid(kind, p.ARN, reason)
	}
	p.Roles = slices.Clone(p.Roles)
	p.Tags = slices.Clone(p.Tags)
	key := n.key()
	return d.update(func(s *dirState) error {
		for i, rn := range roleNames {
			r := s.roles[rn.key()]
			if r == nil || !iamSamePath(r.ARN, p.Roles[i]) {
				return &EntityError{Kind: kind, ID: p.ARN, Err: ErrNotFound,
					Reason: "The role with name " + rn.name + " cannot be found."}
			}
			p.Roles[i] = r.ARN
		}
		old := s.profiles[key]
		if old != nil && old.ARN != p.ARN {
			return dirExists(kind, p.ARN, "the name is taken by "+strconv.Quote(old.ARN))
		}
		if holder, ok := s.uniqueIDs[p.UniqueID]; ok && holder != p.ARN {
			return dirExists(kind, p.ARN, "UniqueID "+strconv.Quote(p.UniqueID)+" is held by "+strconv.Quote(holder))
		}
		s.profiles = dirOwn(s, ownProfiles, s.profiles)
		s.uniqueIDs = dirOwn(s, ownUniqueIDs, s.uniqueIDs)
		if old != nil {
			delete(s.uniqueIDs, old.UniqueID)
		}
		s.profiles[key] = &p
		s.uniqueIDs[p.UniqueID] = p.ARN
		return nil
	})
}

// DeleteInstanceProfile removes an instance profile, found as
// [MemoryDirectory.InstanceProfile] finds it. As in IAM, a profile that
// holds a role cannot be deleted ([ErrDeleteConflict]): put it again with
// no role first (RemoveRoleFromInstanceProfile).
func (d *MemoryDirectory) DeleteInstanceProfile(arn string) error {
	const kind = "instance profile"
	return d.update(func(s *dirState) error {
		k, ok := iamLookupKey(nil, arn, "instance-profile")
		key := string(k)
		p := s.profiles[key]
		if !ok || p == nil || !iamSamePath(p.ARN, arn) {
			return dirNotFound(kind, arn)
		}
		if len(p.Roles) > 0 {
			// IAM's DeleteConflict (API_DeleteInstanceProfile.html).
			return &EntityError{Kind: kind, ID: arn, Err: ErrDeleteConflict,
				Reason: "Cannot delete entity, must remove roles from instance profile first."}
		}
		s.profiles = dirOwn(s, ownProfiles, s.profiles)
		s.uniqueIDs = dirOwn(s, ownUniqueIDs, s.uniqueIDs)
		delete(s.profiles, key)
		delete(s.uniqueIDs, p.UniqueID)
		return nil
	})
}

// InstanceProfile returns an instance profile by ARN. The name matches
// case-insensitively, the path exactly.
func (d *MemoryDirectory) InstanceProfile(_ context.Context, arn string) (*InstanceProfile, error) {
	var buf [iamKeyBufSize]byte
	if key, ok := iamLookupKey(buf[:0], arn, "instance-profile"); ok {
		if p := d.load().profiles[string(key)]; p != nil && iamSamePath(p.ARN, arn) {
			return p, nil
		}
	}
	return nil, dirNotFound("instance profile", arn)
}

// DeleteResourcePolicy removes the resource-based policy of a resource.
func (d *MemoryDirectory) DeleteResourcePolicy(resourceARN string) error {
	return d.update(func(s *dirState) error {
		if _, ok := s.resources[resourceARN]; !ok {
			return dirNotFound("resource policy", resourceARN)
		}
		s.resources = dirOwn(s, ownResources, s.resources)
		delete(s.resources, resourceARN)
		return nil
	})
}

// ResourcePolicy returns the resource-based policy of a resource.
func (d *MemoryDirectory) ResourcePolicy(_ context.Context, resourceARN string) (*policy.Policy, error) {
	st := d.load()
	if p := st.resources[resourceARN]; p != nil {
		return p, nil
	}
	// An S3 object is governed by its bucket's policy.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
	if rest, ok := strings.CutPrefix(resourceARN, "arn:"); ok {
		if i := strings.Index(rest, ":s3:::"); i >= 0 {
			bucket, _, found := strings.Cut(rest[i+len(":s3:::"):], "/")
			if found {
				if p := st.resources["arn:"+rest[:i]+":s3:::"+bucket]; p != nil {
					return p, nil
				}
			}
		}
	}
	return nil, dirNotFound("resource policy", resourceARN)
}

// ---- ARNs and validation

// iamName is an IAM entity ARN taken apart.
type iamName struct {
	partition, account string
	path               string // "/" or "/a/b/"
	name               string // as written
	root               bool   // arn:...:root
}

// appendKey appends n's index key to dst.
func (n iamName) appendKey(dst []byte) []byte {
	dst = append(dst, n.partition...)
	dst = append(dst, ':')
	dst = append(dst, n.account...)
	dst = append(dst, ':')
	for i := 0; i < len(n.name); i++ {
		c := n.name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A' // names are ASCII
		}
		dst = append(dst, c)
	}
	return dst
}

func (n iamName) key() string { return string(n.appendKey(nil)) }

// iamKeyBufSize fits the keys of the usual partitions with a 128-byte name, so
// lookups build their key on the stack.
const iamKeyBufSize = 176

// Name lengths from the IAM API reference (UserName, RoleName 64;
// GroupName, PolicyName, InstanceProfileName 128) and the path limit (512).
var iamMaxNameLen = map[string]int{"user": 64, "role": 64, "group": 128, "policy": 128, "instance-profile": 128}

const iamMaxPathLen = 512

// parseIAMARN takes apart arn:PARTITION:iam::ACCOUNT:TYP/PATH/NAME (or
// arn:PARTITION:iam::ACCOUNT:root when typ is "user") and returns why it is
// malformed, or "". It does not allocate.
func parseIAMARN(arn, typ string) (n iamName, reason string) {
	rest, ok := strings.CutPrefix(arn, "arn:")
	if !ok {
		return n, `must begin with "arn:"`
	}
	if n.partition, rest, ok = strings.Cut(rest, ":"); !ok || !principal.KnownPartition(n.partition) {
		return n, "unknown partition"
	}
	if rest, ok = strings.CutPrefix(rest, "iam::"); !ok {
		return n, `service must be "iam" with no region`
	}
	if n.account, rest, ok = strings.Cut(rest, ":"); !ok {
		return n, "missing resource"
	}
	if !principal.IsAccountID(n.account) && !(typ == "policy" && n.account == "aws") {
		return n, "account ID must be 12 digits"
	}
	if typ == "user" && rest == "root" {
		n.root = true
		return n, ""
	}
	if rest, ok = strings.CutPrefix(rest, typ); !ok || !strings.HasPrefix(rest, "/") {
		return n, "resource must be " + typ + "/PATH/NAME"
	}
	i := strings.LastIndexByte(rest, '/')
	n.path, n.name = rest[:i+1], rest[i+1:]
	if len(n.path) > iamMaxPathLen {
		return n, "path longer than 512 characters"
	}
	for j := 0; j < len(n.path); j++ {
		if c := n.path[j]; c < 0x21 || c > 0x7e {
			return n, "path may only hold characters U+0021 to U+007E"
		}
	}
	if n.name == "" || len(n.name) > iamMaxNameLen[typ] {
		return n, "name must be 1 to " + strconv.Itoa(iamMaxNameLen[typ]) + " characters"
	}
	for j := 0; j < len(n.name); j++ {
		if !iamNameChar(n.name[j]) {
			return n, "name may only hold letters, digits and _+=,.@-"
		}
	}
	return n, ""
}

// iamNameChar reports whether c may appear in an IAM name: [\w+=,.@-].
func iamNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("_+=,.@-", c) >= 0
}

// iamLookupKey appends to dst the index key of an ARN being looked up.
func iamLookupKey(dst []byte, arn, typ string) ([]byte, bool) {
	n, reason := parseIAMARN(arn, typ)
	if reason != "" {
		return dst, false
	}
	return n.appendKey(dst), true
}

// iamSamePath reports whether two ARNs whose names already matched agree on
// everything before the name (the path in particular), exactly.
func iamSamePath(stored, asked string) bool {
	return stored[:strings.LastIndexByte(stored, '/')+1] == asked[:strings.LastIndexByte(asked, '/')+1]
}

// dirCheckUniqueID checks an IAM unique ID: the prefix, then upper-case
// letters and digits (AWS's are 21 characters; shorter ones are accepted
// for readable tests).
func dirCheckUniqueID(id, prefix string) string {
	if !strings.HasPrefix(id, prefix) || len(id) == len(prefix) {
		return "UniqueID " + strconv.Quote(id) + " must begin with " + strconv.Quote(prefix)
	}
	if len(id) > 128 || !dirUpperAlnum(id) {
		return "UniqueID " + strconv.Quote(id) + " must be at most 128 upper-case letters and digits"
	}
	return ""
}

func dirCheckAccessKeyID(id string) string {
	if !strings.HasPrefix(id, "AKIA") || len(id) < 16 || len(id) > 128 || !dirUpperAlnum(id) {
		return "access key ID " + strconv.Quote(id) + ` must be "AKIA" and upper-case letters and digits, 16 to 128 characters`
	}
	return ""
}

func dirUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// dirCheckTags applies IAM's tag rules: at most 50, keys 1 to 128 characters
// and unique regardless of case, values at most 256.
func dirCheckTags(tags []Tag) string {
	if len(tags) > 50 {
		return "more than 50 tags"
	}
	for i, t := range tags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > 128 {
			return "Tags[" + strconv.Itoa(i) + "]: key must be 1 to 128 characters"
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			return "Tags[" + strconv.Itoa(i) + "]: value longer than 256 characters"
		}
		for _, prev := range tags[:i] {
			if strings.EqualFold(prev.Key, t.Key) {
				return "tag key " + strconv.Quote(t.Key) + " appears twice (keys are case-insensitive)"
			}
		}
	}
	return ""
}

func dirCloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return make(map[K]V)
	}
	return maps.Clone(m)
}

func dirClonePolicyLevels(levels [][]*policy.Policy) [][]*policy.Policy {
	if levels == nil {
		return nil
	}
	out := make([][]*policy.Policy, len(levels))
	for i, l := range levels {
		out[i] = slices.Clone(l)
	}
	return out
}
