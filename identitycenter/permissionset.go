package identitycenter

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/iamkit/iamkit/policy"
)

// PermissionSet is a template of permissions that Identity Center
// provisions as an IAM role into each account where it is assigned
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html).
type PermissionSet struct {
	// Name is 1 to 32 characters of [\w+=,.@-], unique in the instance
	// regardless of case. It names the provisioned roles and is the
	// roleName the portal lists and takes.
	Name string
	// ARN is arn:PARTITION:sso:::permissionSet/INSTANCE/ps-HEX, set by
	// CreatePermissionSet (derived from the instance and the name).
	ARN string
	// Description is empty or 1 to 700 characters.
	Description string
	// SessionDuration is how long its sessions last, in ISO 8601
	// ("PT1H", "PT8H", "PT90M"): 1 to 12 hours; empty means PT1H
	// (howtosessionduration.html).
	SessionDuration string
	// RelayState is where the console sends users after sign-in: empty or
	// 1 to 240 characters.
	RelayState string
	// ManagedPolicies are AWS managed policy ARNs
	// (arn:aws:iam::aws:policy/...).
	ManagedPolicies []string
	// CustomerManagedPolicies reference policies by name and path; each
	// is resolved in every account the set is provisioned into, and must
	// exist there. ManagedPolicies and CustomerManagedPolicies together
	// hold at most 20 (limits.html).
	CustomerManagedPolicies []CustomerManagedPolicyReference
	// InlinePolicy is the permission set's one inline policy, a JSON
	// identity-based policy: at most 32,768 bytes and 10,240 characters
	// not counting white space (limits.html). Empty means none.
	InlinePolicy string
	// PermissionsBoundary, when set, is the provisioned roles' permissions
	// boundary.
	PermissionsBoundary *PermissionsBoundary
	// CreatedDate is when the set was created.
	CreatedDate time.Time

	inline   *policy.Policy // parsed InlinePolicy
	duration time.Duration  // parsed SessionDuration
}

// CustomerManagedPolicyReference names a customer managed policy that
// must exist in each account (API_CustomerManagedPolicyReference.html).
type CustomerManagedPolicyReference struct {
	// Name is 1 to 128 characters of [\w+=,.@-].
	Name string
	// Path is "/" (the default when empty) or /a/b/: at most 512
	// characters.
	Path string
}

// ARN returns the policy's ARN in an account:
// arn:PARTITION:iam::ACCOUNT:policy PATH NAME.
func (r CustomerManagedPolicyReference) ARN(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":policy" + r.path() + r.Name
}

func (r CustomerManagedPolicyReference) path() string {
	if r.Path == "" {
		return "/"
	}
	return r.Path
}

// PermissionsBoundary is a permission set's boundary: an AWS managed
// policy or a customer managed policy reference, not both
// (API_PermissionsBoundary.html).
type PermissionsBoundary struct {
	ManagedPolicyARN               string
	CustomerManagedPolicyReference *CustomerManagedPolicyReference
}

// Limits of permission sets (limits.html).
const (
	maxPermissionSets       = 2000
	maxPoliciesPerSet       = 20
	maxInlinePolicyBytes    = 32768
	maxInlinePolicyNonSpace = 10240
	maxSetsPerAccount       = 250
	minSessionDuration      = time.Hour
	maxSessionDuration      = 12 * time.Hour
	defaultSessionDuration  = "PT1H"
	inlinePolicyName        = "AwsSSOInlinePolicy"
	roleMaxSessionDuration  = 12 * time.Hour
)

// Duration returns the session duration as a time.Duration (one hour
// when SessionDuration is empty).
func (ps *PermissionSet) Duration() time.Duration {
	if ps.duration != 0 {
		return ps.duration
	}
	d, err := parseISODuration(ps.sessionDuration())
	if err != nil {
		return time.Hour
	}
	return d
}

func (ps *PermissionSet) sessionDuration() string {
	if ps.SessionDuration == "" {
		return defaultSessionDuration
	}
	return ps.SessionDuration
}

// parseISODuration reads an ISO 8601 duration matching patDuration.
// Years and months have no fixed length; any that is not zero makes the
// duration out of range here (longer than any session).
func parseISODuration(s string) (time.Duration, error) {
	m := reDuration.FindStringSubmatch(s)
	if m == nil || !isDuration(s) {
		return 0, strconv.ErrSyntax
	}
	if m[1] == "-" {
		return -1, nil
	}
	var total float64
	num := func(x string) float64 {
		if x == "" {
			return 0
		}
		f, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return math.Inf(1)
		}
		return f
	}
	if num(m[2]) != 0 || num(m[3]) != 0 {
		return math.MaxInt64, nil
	}
	days := num(m[4])
	if m[5] == "W" {
		days *= 7
	}
	total = days*24*3600 + num(m[6])*3600 + num(m[7])*60 + num(m[8])
	if total > float64(math.MaxInt64/int64(time.Second)) {
		return math.MaxInt64, nil
	}
	return time.Duration(total * float64(time.Second)), nil
}

func (ps *PermissionSet) clone() *PermissionSet {
	c := *ps
	c.ManagedPolicies = slices.Clone(ps.ManagedPolicies)
	c.CustomerManagedPolicies = slices.Clone(ps.CustomerManagedPolicies)
	if ps.PermissionsBoundary != nil {
		b := *ps.PermissionsBoundary
		if b.CustomerManagedPolicyReference != nil {
			r := *b.CustomerManagedPolicyReference
			b.CustomerManagedPolicyReference = &r
		}
		c.PermissionsBoundary = &b
	}
	return &c
}

// check validates ps as CreatePermissionSet, AttachManagedPolicyToPermissionSet,
// AttachCustomerManagedPolicyReferenceToPermissionSet,
// PutInlinePolicyToPermissionSet and PutPermissionsBoundaryToPermissionSet
// do, and fills in the parsed inline policy and duration.
func (in *Instance) check(ps *PermissionSet) error {
	var v violations
	v.str("name", ps.Name, rulePermissionSetName)
	v.opt("description", ps.Description, ruleDescription)
	v.opt("relayState", ps.RelayState, ruleRelayState)
	dur := ps.sessionDuration()
	v.str("sessionDuration", dur, ruleDuration)
	for i, a := range ps.ManagedPolicies {
		m := "managedPolicies." + strconv.Itoa(i+1) + ".member"
		v.str(m, a, ruleManagedPolicyARN)
		if !strings.HasPrefix(a, "arn:"+in.partition+":") && reManagedPolicyARN.MatchString(a) {
			v.addf("Value '%s' at '%s' failed to satisfy constraint: Member must be in the instance's partition %s", echo(a), m, in.partition)
		}
	}
	for i, r := range ps.CustomerManagedPolicies {
		m := "customerManagedPolicyReferences." + strconv.Itoa(i+1) + ".member."
		v.str(m+"name", r.Name, ruleCMPName)
		v.str(m+"path", r.path(), ruleCMPPath)
	}
	if ps.InlinePolicy != "" {
		v.str("inlinePolicy", ps.InlinePolicy, ruleInlinePolicy)
		if len(ps.InlinePolicy) > maxInlinePolicyBytes {
			v.addf("Value at 'inlinePolicy' failed to satisfy constraint: Member must have at most %d bytes", maxInlinePolicyBytes)
		}
	}
	if b := ps.PermissionsBoundary; b != nil {
		switch {
		case (b.ManagedPolicyARN == "") == (b.CustomerManagedPolicyReference == nil):
			v.addf("Value at 'permissionsBoundary' failed to satisfy constraint: Member must name either a managed policy ARN or a customer managed policy reference")
		case b.ManagedPolicyARN != "":
			v.str("permissionsBoundary.managedPolicyArn", b.ManagedPolicyARN, ruleManagedPolicyARN)
		default:
			r := b.CustomerManagedPolicyReference
			v.str("permissionsBoundary.customerManagedPolicyReference.name", r.Name, ruleCMPName)
			v.str("permissionsBoundary.customerManagedPolicyReference.path", r.path(), ruleCMPPath)
		}
	}
	if err := v.err(); err != nil {
		return err
	}

	d, _ := parseISODuration(dur)
	if d < minSessionDuration || d > maxSessionDuration {
		return newError(ErrValidation, "The session duration %s is outside 1 to 12 hours (PT1H to PT12H)", dur)
	}
	ps.duration = d
	for i, a := range ps.ManagedPolicies {
		if slices.Contains(ps.ManagedPolicies[:i], a) {
			return newError(ErrConflict, "Managed policy %s is attached to the permission set twice", a)
		}
	}
	for i, r := range ps.CustomerManagedPolicies {
		for _, p := range ps.CustomerManagedPolicies[:i] {
			if p.path() == r.path() && strings.EqualFold(p.Name, r.Name) {
				return newError(ErrConflict, "Customer managed policy %s%s is attached to the permission set twice", r.path(), r.Name)
			}
		}
	}
	if n := len(ps.ManagedPolicies) + len(ps.CustomerManagedPolicies); n > maxPoliciesPerSet {
		return newError(ErrServiceQuotaExceeded, "The permission set has %d AWS managed and customer managed policies; the quota is %d", n, maxPoliciesPerSet)
	}
	ps.inline = nil
	if ps.InlinePolicy != "" {
		p, err := policy.ParseWithOptions([]byte(ps.InlinePolicy), policy.Identity,
			policy.Options{Name: inlinePolicyName, MaxSize: maxInlinePolicyNonSpace})
		if err != nil {
			e := newError(ErrValidation, "The inline policy is not valid: %s", strings.TrimPrefix(err.Error(), "policy: "))
			e.Err = err
			return e
		}
		ps.inline = p
	}
	return nil
}

// CreatePermissionSet adds a permission set and returns it with its ARN
// and creation date. A name already taken, regardless of case, is a
// ConflictException; beyond 2,000 sets, ServiceQuotaExceededException.
// Nothing is provisioned until [Instance.Provision].
func (in *Instance) CreatePermissionSet(ps PermissionSet) (PermissionSet, error) {
	p := ps.clone()
	if err := in.check(p); err != nil {
		return PermissionSet{}, err
	}
	p.ARN = permissionSetARN(in.partition, in.instanceID, fold(p.Name))
	p.CreatedDate = in.now().UTC().Truncate(time.Millisecond)
	err := in.update(func(s *state) error {
		if old, ok := s.permFold[fold(p.Name)]; ok {
			return newError(ErrConflict, "PermissionSet with name %s already exists", old)
		}
		if len(s.permSets) >= maxPermissionSets {
			return newError(ErrServiceQuotaExceeded, "The instance already has %d permission sets, the quota", maxPermissionSets)
		}
		s.permSets, s.permFold = cloneMap(s.permSets), cloneMap(s.permFold)
		s.permSets[p.Name] = p
		s.permFold[fold(p.Name)] = p.Name
		return nil
	})
	if err != nil {
		return PermissionSet{}, err
	}
	return *p.clone(), nil
}

// UpdatePermissionSet replaces the definition of the permission set named
// ps.Name, keeping its ARN and creation date. As in AWS, the accounts it
// is provisioned to keep the old role until the next
// [Instance.Provision].
func (in *Instance) UpdatePermissionSet(ps PermissionSet) error {
	p := ps.clone()
	if err := in.check(p); err != nil {
		return err
	}
	return in.update(func(s *state) error {
		old := s.permSets[p.Name]
		if old == nil {
			return errNoPermissionSet(p.Name)
		}
		p.ARN, p.CreatedDate = old.ARN, old.CreatedDate
		s.permSets = cloneMap(s.permSets)
		s.permSets[p.Name] = p
		return nil
	})
}

// DeletePermissionSet removes a permission set. One that still has
// account assignments is refused with ConflictException; its roles go at
// the next [Instance.Provision] after the assignments.
func (in *Instance) DeletePermissionSet(name string) error {
	return in.update(func(s *state) error {
		if s.permSets[name] == nil {
			return errNoPermissionSet(name)
		}
		for a := range s.assignments {
			if a.PermissionSet == name {
				return newError(ErrConflict, "PermissionSet %s has account assignments; delete them first", name)
			}
		}
		s.permSets, s.permFold = cloneMap(s.permSets), cloneMap(s.permFold)
		delete(s.permSets, name)
		delete(s.permFold, fold(name))
		return nil
	})
}

func errNoPermissionSet(name string) error {
	return newError(ErrResourceNotFound, "Could not find PermissionSet with name %s", name)
}

// PermissionSet returns a permission set by its exact name.
func (in *Instance) PermissionSet(name string) (PermissionSet, error) {
	if p := in.load().permSets[name]; p != nil {
		return *p.clone(), nil
	}
	return PermissionSet{}, errNoPermissionSet(name)
}

// PermissionSets returns every permission set, by name.
func (in *Instance) PermissionSets() []PermissionSet {
	s := in.load()
	out := sortedValues(s.permSets)
	for i := range out {
		out[i] = *out[i].clone()
	}
	return out
}
