package identitycenter

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/iamkit/iamkit/policy"
)

// Options configure an [Instance]. The zero value of every field means its
// documented default.
type Options struct {
	// IdentityStoreID is the instance's identity store: "d-" and ten
	// lower-case hexadecimal digits. Default "d-0000000000".
	IdentityStoreID string
	// InstanceID is "ssoins-" and 16 letters, digits, "-" or "."
	// (API_InstanceMetadata.html). Default: derived from IdentityStoreID.
	InstanceID string
	// Region is the instance's home Region, where its identity source is
	// hosted. Default "us-east-1". Outside us-east-1 the provisioned roles'
	// path carries the Region (referencingpermissionsets.html).
	Region string
	// Partition is "aws" (the default), "aws-cn" or "aws-us-gov".
	Partition string
	// StartURL is the AWS access portal URL. Default
	// https://IDENTITYSTOREID.awsapps.com/start.
	StartURL string
	// IdPMetadata is the SAML metadata of the identity provider the
	// instance registers in every account it provisions into (the
	// AWSSSO_..._DO_NOT_DELETE provider). Nil means a synthetic one: a
	// federation.SAMLTestIdP with a new RSA key, made when first needed.
	// AWS's real metadata cannot be reproduced; nothing in iamkit signs
	// with the key, since sessions are issued directly
	// (sts.Issuer.IssueIdentityCenterSession).
	IdPMetadata []byte
	// Now is the clock, for the synthetic IdP's certificate and entity
	// creation dates. Default time.Now. Sessions use the sts.Issuer's
	// clock.
	Now func() time.Time
}

// An Instance is an IAM Identity Center instance: its identity store
// (users, groups, memberships), the accounts of its organization, its
// permission sets, account assignments and attributes for access control,
// and a record of the roles it provisioned.
//
// An Instance is safe for concurrent use. Reads (lookups, the portal's
// listings, RoleCredentials) take no lock: they read an immutable
// snapshot. Writes are serialized and copy-on-write. Values returned are
// copies the caller may keep and modify.
type Instance struct {
	partition, region, storeID, instanceID, instanceARN, startURL string
	samlName                                                      string
	now                                                           func() time.Time

	metaOnce sync.Once
	metadata []byte
	metaErr  error

	mu    sync.Mutex // serializes writers and Provision
	state atomic.Pointer[state]
}

// state is one immutable snapshot of an Instance. A writer copies the
// struct and every map it changes.
type state struct {
	users       map[string]*User  // ID -> user
	userNames   map[string]string // folded UserName -> ID
	groups      map[string]*Group // ID -> group
	groupNames  map[string]string // folded DisplayName -> ID
	members     map[member]struct{}
	usedIDs     map[string]bool // IDs of deleted users and groups, never given again
	accounts    map[string]*Account
	permSets    map[string]*PermissionSet // Name -> set
	permFold    map[string]string         // folded Name -> Name
	assignments map[Assignment]struct{}
	abac        []AccessControlAttribute

	provisioned map[unit]provisionedRole
	nextGen     map[unit]int              // generation of the next role of a unit
	trust       map[string]*policy.Policy // account -> its roles' trust policy

	index *lazyIndex // derived, built on first use
}

type member struct{ groupID, userID string }

// unit is one permission set in one account: one provisioned role.
type unit struct{ account, permissionSet string }

type provisionedRole struct {
	arn        string
	generation int
}

var (
	reIdentityStoreID = regexp.MustCompile(`^d-[0-9a-f]{10}$`)
	reInstanceID      = regexp.MustCompile(`^ssoins-[a-zA-Z0-9-.]{16}$`)
	reRegion          = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
)

// New returns an Instance with no users, groups, accounts or permission
// sets.
func New(opt Options) (*Instance, error) {
	in := &Instance{partition: opt.Partition, region: opt.Region, storeID: opt.IdentityStoreID,
		instanceID: opt.InstanceID, startURL: opt.StartURL, now: opt.Now}
	if in.partition == "" {
		in.partition = "aws"
	}
	if in.region == "" {
		in.region = "us-east-1"
	}
	if in.storeID == "" {
		in.storeID = "d-0000000000"
	}
	if in.now == nil {
		in.now = time.Now
	}
	var v violations
	switch in.partition {
	case "aws", "aws-cn", "aws-us-gov":
	default:
		v.addf("Partition %q is not aws, aws-cn or aws-us-gov", in.partition)
	}
	if !reRegion.MatchString(in.region) {
		v.addf("Region %q is not a Region name", in.region)
	}
	if !reIdentityStoreID.MatchString(in.storeID) {
		v.addf(`IdentityStoreID %q is not "d-" and ten lower-case hex digits`, in.storeID)
	}
	if in.instanceID == "" {
		in.instanceID = defaultInstanceID(in.storeID)
	} else if !reInstanceID.MatchString(in.instanceID) {
		v.addf("InstanceID %q does not match ssoins-[a-zA-Z0-9-.]{16}", in.instanceID)
	}
	if in.startURL == "" {
		in.startURL = "https://" + in.storeID + ".awsapps.com/start"
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	in.instanceARN = "arn:" + in.partition + ":sso:::instance/" + in.instanceID
	in.samlName = samlProviderName(in.instanceARN)
	if opt.IdPMetadata != nil {
		in.metadata = slices.Clone(opt.IdPMetadata)
		in.metaOnce.Do(func() {})
	}
	in.state.Store(&state{index: &lazyIndex{}})
	return in, nil
}

// InstanceARN returns arn:PARTITION:sso:::instance/ssoins-....
func (in *Instance) InstanceARN() string { return in.instanceARN }

// IdentityStoreID returns the identity store's ID, "d-...".
func (in *Instance) IdentityStoreID() string { return in.storeID }

// Region returns the instance's home Region.
func (in *Instance) Region() string { return in.region }

// Partition returns the instance's partition.
func (in *Instance) Partition() string { return in.partition }

// StartURL returns the AWS access portal URL.
func (in *Instance) StartURL() string { return in.startURL }

func (in *Instance) load() *state { return in.state.Load() }

// update runs fn on a shallow copy of the current snapshot under the
// writer lock and publishes it if fn succeeds. fn must clone every map it
// modifies (cloneMap).
func (in *Instance) update(fn func(s *state) error) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.updateLocked(fn)
}

func (in *Instance) updateLocked(fn func(s *state) error) error {
	s := *in.load()
	if err := fn(&s); err != nil {
		return err
	}
	s.index = &lazyIndex{}
	in.state.Store(&s)
	return nil
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return make(map[K]V)
	}
	return maps.Clone(m)
}

// fold is the case-insensitive key of a name.
func fold(s string) string { return strings.ToLower(s) }

// sortedValues returns m's values in key order.
func sortedValues[V any](m map[string]*V) []V {
	keys := slices.Sorted(maps.Keys(m))
	out := make([]V, len(keys))
	for i, k := range keys {
		out[i] = *m[k]
	}
	return out
}

// ---- Accounts

// Account is an AWS account of the instance's organization, as the portal
// lists it (ListAccounts' AccountInfo).
type Account struct {
	// ID is the 12-digit account ID.
	ID string
	// Name is the account's name: 1 to 50 printable ASCII characters
	// (Organizations API_Account.html). Empty means the ID.
	Name string
	// Email is the account's email address: empty, or 6 to 64 characters
	// with an "@".
	Email string
}

// PutAccount adds an account to the instance's organization, or replaces
// its name and email. Only accounts of the organization can be assigned.
func (in *Instance) PutAccount(a Account) error {
	var v violations
	v.str("accountId", a.ID, ruleAccountID)
	if a.Name == "" {
		a.Name = a.ID
	}
	if n := utf8.RuneCountInString(a.Name); n > 50 || !isPrintableASCII(a.Name) {
		v.addf("Value '%s' at 'name' failed to satisfy constraint: Member must be 1 to 50 characters of U+0020 to U+007E", echo(a.Name))
	}
	if a.Email != "" && (len(a.Email) < 6 || len(a.Email) > 64 || !strings.Contains(a.Email, "@")) {
		v.addf("Value '%s' at 'email' failed to satisfy constraint: Member must be an email address of 6 to 64 characters", echo(a.Email))
	}
	if err := v.err(); err != nil {
		return err
	}
	return in.update(func(s *state) error {
		s.accounts = cloneMap(s.accounts)
		s.accounts[a.ID] = &a
		return nil
	})
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// DeleteAccount removes an account from the organization. An account that
// still has assignments is refused with ConflictException.
func (in *Instance) DeleteAccount(id string) error {
	return in.update(func(s *state) error {
		if s.accounts[id] == nil {
			return newError(ErrResourceNotFound, "Account %s is not in the organization", id)
		}
		for a := range s.assignments {
			if a.AccountID == id {
				return newError(ErrConflict, "Account %s has account assignments; delete them first", id)
			}
		}
		s.accounts = cloneMap(s.accounts)
		delete(s.accounts, id)
		return nil
	})
}

// Account returns an account of the organization.
func (in *Instance) Account(id string) (Account, error) {
	if a := in.load().accounts[id]; a != nil {
		return *a, nil
	}
	return Account{}, newError(ErrResourceNotFound, "Account %s is not in the organization", id)
}

// Accounts returns the organization's accounts, by ID.
func (in *Instance) Accounts() []Account { return sortedValues(in.load().accounts) }
