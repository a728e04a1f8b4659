package catalog

import (
	"slices"
	"strings"
)

// AccessLevel is an action's access level as the Service Authorization
// Reference names it.
type AccessLevel string

// The five access levels, in the reference's own words.
const (
	LevelList                  AccessLevel = "List"
	LevelRead                  AccessLevel = "Read"
	LevelWrite                 AccessLevel = "Write"
	LevelPermissionsManagement AccessLevel = "Permissions management"
	LevelTagging               AccessLevel = "Tagging"
)

// KeyType is the type of a condition key's value, as in the Type column of a
// service's condition keys table; it says which condition operators fit
// ([reference_policies_elements_condition_operators.html]) and whether the
// key is multivalued (the ArrayOf types, used with ForAllValues and
// ForAnyValue).
//
// [reference_policies_elements_condition_operators.html]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
type KeyType string

// The scalar types and their multivalued forms.
const (
	TypeString    KeyType = "String"
	TypeARN       KeyType = "ARN"
	TypeNumeric   KeyType = "Numeric"
	TypeDate      KeyType = "Date"
	TypeBool      KeyType = "Bool"
	TypeIPAddress KeyType = "IPAddress"
	TypeBinary    KeyType = "Binary"

	TypeArrayOfString    KeyType = "ArrayOfString"
	TypeArrayOfARN       KeyType = "ArrayOfARN"
	TypeArrayOfNumeric   KeyType = "ArrayOfNumeric"
	TypeArrayOfDate      KeyType = "ArrayOfDate"
	TypeArrayOfBool      KeyType = "ArrayOfBool"
	TypeArrayOfIPAddress KeyType = "ArrayOfIPAddress"
	TypeArrayOfBinary    KeyType = "ArrayOfBinary"
)

// IsArray reports whether t is multivalued (ArrayOfString, ...).
func (t KeyType) IsArray() bool { return strings.HasPrefix(string(t), "ArrayOf") }

// Elem is the type of one value: String for ArrayOfString, t itself for a
// scalar type.
func (t KeyType) Elem() KeyType { return KeyType(strings.TrimPrefix(string(t), "ArrayOf")) }

// Service is an AWS service of the catalogue, such as s3. The zero Service
// is none: its methods return zero values.
type Service struct{ i uint32 } // index+1

// Action is one action of a service, such as s3:GetObject. The zero Action
// is none: its methods return zero values. Actions are comparable; two
// equal Actions are the same action.
type Action struct{ i uint32 } // index+1

// ResourceType is a service's resource type, such as s3's object. The zero
// ResourceType is none.
type ResourceType struct{ i uint32 } // index+1

// Key is a condition key of the catalogue, such as s3:prefix or the
// template aws:RequestTag/${TagKey}. The zero Key is none.
type Key struct{ i uint32 } // index+1

// ActionResourceType is one row of an action's entry in the Service
// Authorization Reference: a resource type the action takes, whether it is
// required, and the condition keys and dependent actions of that row.
type ActionResourceType struct {
	ResourceType ResourceType
	// Required is the reference's asterisk. When an action lists several
	// resource types none of which is required, the request names one of
	// them (s3:GetObject takes an object or an access point object).
	Required         bool
	ConditionKeys    []Key
	DependentActions []string
}

// Lookup returns the action named "service:Action", ignoring case as IAM
// does ("s3:getobject" is s3:GetObject). It does not allocate once the
// table is loaded.
func Lookup(name string) (Action, bool) {
	i, ok := tab().actionIdx.find(name)
	if !ok {
		return Action{}, false
	}
	return Action{uint32(i + 1)}, true
}

// LookupService returns the service with the prefix ("s3", "iam"), ignoring
// case.
func LookupService(prefix string) (Service, bool) {
	i, ok := tab().serviceIdx.find(prefix)
	if !ok {
		return Service{}, false
	}
	return Service{uint32(i + 1)}, true
}

// Services returns every service, ordered by prefix.
func Services() []Service {
	t := tab()
	out := make([]Service, len(t.services))
	for i := range out {
		out[i] = Service{uint32(i + 1)}
	}
	return out
}

// RCPServices returns the prefixes of the services whose actions resource
// control policies apply to, sorted
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
func RCPServices() []string { return slices.Clone(tab().rcp) }

// Expand returns the actions an Action element value matches, in the order
// of [Services] and then of action names. The pattern is matched as IAM
// matches it: against the whole "service:Action" name, ignoring case, with
// '*' matching any run of characters (the colon included) and '?' any one
// character. So "s3:Get*" is every s3 action starting with Get,
// "*:Describe*" every Describe action of every service, "*" every action,
// and a name without wildcards the one action it names. A pattern that
// matches nothing returns nil.
func Expand(pattern string) []Action {
	t := tab()
	svc, rest, ok := strings.Cut(pattern, ":")
	if !ok {
		// Only "*"-like patterns can match across the colon.
		var out []Action
		for i := range t.actions {
			if globFold(pattern, t.actions[i].full) {
				out = append(out, Action{uint32(i + 1)})
			}
		}
		return out
	}
	if strings.IndexByte(rest, ':') >= 0 {
		return nil // action names have one colon
	}
	// A literal colon in the pattern can match only the name's one colon,
	// so the service and action parts are matched apart.
	var out []Action
	match := func(si int) {
		s := &t.services[si]
		for i := s.actions.off; i < s.actions.off+s.actions.n; i++ {
			if globFold(rest, t.actions[i].full[len(s.prefix)+1:]) {
				out = append(out, Action{i + 1})
			}
		}
	}
	if !strings.ContainsAny(svc, "*?") {
		if s, found := LookupService(svc); found {
			match(int(s.i - 1))
		}
		return out
	}
	for si := range t.services {
		if globFold(svc, t.services[si].prefix) {
			match(si)
		}
	}
	return out
}

// ConditionKey returns the catalogue's key for a condition key as a policy
// writes it, ignoring case: a key the catalogue lists ("s3:prefix") or a
// name that fits one of its templates, so "aws:RequestTag/team" returns
// aws:RequestTag/${TagKey} and "s3:ExistingObjectTag/owner" returns
// s3:ExistingObjectTag/<key>. A placeholder stands for one or more
// characters. When several templates fit, the one with the most literal
// text wins (events:Metadata/${MetadataKey}/Matcher over
// events:Metadata/${MetadataKey}).
//
// The catalogue holds the keys of services' condition key tables, which
// include aws:RequestTag/${TagKey}, aws:ResourceTag/${TagKey} and
// aws:TagKeys but not the other global condition keys (aws:SourceIp,
// aws:PrincipalArn, ...): see the package documentation.
func ConditionKey(name string) (Key, bool) {
	t := tab()
	if i, ok := t.keyIdx.find(name); ok {
		return Key{uint32(i + 1)}, true
	}
	best, bestLen := -1, -1
	try := func(i uint32) {
		k := &t.keys[i]
		if int(k.lit) > bestLen && len(name) > int(k.lit) &&
			hasPrefixFold(name, k.name[:k.head]) && hasSuffixFold(name, k.name[len(k.name)-int(k.tail):]) &&
			templateMatch(k.name, name) {
			best, bestLen = int(i), int(k.lit)
		}
	}
	if svc, _, ok := strings.Cut(name, ":"); ok {
		prefix := name[:len(svc)+1]
		lo, _ := slices.BinarySearchFunc(t.templates, prefix, func(i uint32, p string) int {
			return compareFold(t.keys[i].name, p)
		})
		for _, i := range t.templates[lo:] {
			if !hasPrefixFold(t.keys[i].name, prefix) {
				break
			}
			try(i)
		}
	}
	for _, i := range t.wildTemplates {
		try(i)
	}
	if best < 0 {
		return Key{}, false
	}
	return Key{uint32(best + 1)}, true
}

// Service methods.

func (s Service) rec() *service {
	if s.i == 0 {
		return &service{}
	}
	return &tab().services[s.i-1]
}

// Prefix is the service's prefix in action names ("s3").
func (s Service) Prefix() string { return s.rec().prefix }

// Name is the service's name ("Amazon S3").
func (s Service) Name() string { return s.rec().name }

// String returns the prefix.
func (s Service) String() string { return s.Prefix() }

// Actions returns the service's actions ordered by name.
func (s Service) Actions() []Action {
	sp := s.rec().actions
	out := make([]Action, sp.n)
	for i := range out {
		out[i] = Action{sp.off + uint32(i) + 1}
	}
	return out
}

// ResourceTypes returns the service's resource types ordered by name.
func (s Service) ResourceTypes() []ResourceType {
	sp := s.rec().rtypes
	out := make([]ResourceType, sp.n)
	for i := range out {
		out[i] = ResourceType{sp.off + uint32(i) + 1}
	}
	return out
}

// ResourceType returns the service's resource type with the name ("bucket"),
// ignoring case.
func (s Service) ResourceType(name string) (ResourceType, bool) {
	sp := s.rec().rtypes
	t := tab()
	for i := sp.off; i < sp.off+sp.n; i++ {
		if equalFold(t.rtypes[i].name, name) {
			return ResourceType{i + 1}, true
		}
	}
	return ResourceType{}, false
}

// ConditionKeys returns the keys of the service's condition keys table,
// ordered by name; it includes the global keys the service lists
// (aws:RequestTag/${TagKey}, ...) and, for sts, the identity providers'
// keys (saml:sub, accounts.google.com:aud, ...).
func (s Service) ConditionKeys() []Key { return keys(s.rec().keys) }

// Action methods.

func (a Action) rec() *action {
	if a.i == 0 {
		return &action{}
	}
	return &tab().actions[a.i-1]
}

// String returns the action's full name, "s3:GetObject".
func (a Action) String() string { return a.rec().full }

// Name is the action's name within its service, "GetObject".
func (a Action) Name() string {
	r := a.rec()
	if r.full == "" {
		return ""
	}
	return r.full[strings.IndexByte(r.full, ':')+1:]
}

// Service is the action's service.
func (a Action) Service() Service {
	if a.i == 0 {
		return Service{}
	}
	return Service{a.rec().svc + 1}
}

// Description is the reference's description ("Grants permission to ...").
func (a Action) Description() string { return a.rec().desc }

// AccessLevel is the action's access level.
func (a Action) AccessLevel() AccessLevel { return a.rec().level }

// ResourceTypes returns the resource types the action takes, in the
// reference's order. An action with none takes only Resource "*".
func (a Action) ResourceTypes() []ActionResourceType {
	r := a.rec()
	t := tab()
	out := make([]ActionResourceType, r.rts.n)
	for i := range out {
		art := &t.arts[r.rts.off+uint32(i)]
		out[i] = ActionResourceType{
			ResourceType:     ResourceType{art.rt + 1},
			Required:         art.required,
			ConditionKeys:    keys(art.keys),
			DependentActions: strs(art.deps),
		}
	}
	return out
}

// ConditionKeys returns every condition key valid for the action, ordered
// by name and without repeats: the keys of the action's own row, of its
// resource-type rows and of those resource types' tables (the reference's
// "Condition keys column of the Resource types table"). Global keys the
// catalogue lacks (see the package documentation) are valid for every
// action but not listed.
func (a Action) ConditionKeys() []Key {
	r := a.rec()
	t := tab()
	idx := slices.Clone(t.refs[r.keys.off : r.keys.off+r.keys.n])
	for i := r.rts.off; i < r.rts.off+r.rts.n; i++ {
		art := &t.arts[i]
		idx = append(idx, t.refs[art.keys.off:art.keys.off+art.keys.n]...)
		rk := t.rtypes[art.rt].keys
		idx = append(idx, t.refs[rk.off:rk.off+rk.n]...)
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	out := make([]Key, len(idx))
	for i, k := range idx {
		out[i] = Key{k + 1}
	}
	return out
}

// HasConditionKey reports whether a condition key as a policy writes it
// ("s3:prefix", "aws:RequestTag/team") is among [Action.ConditionKeys],
// ignoring case and filling templates as [ConditionKey] does. It does not
// allocate.
func (a Action) HasConditionKey(name string) bool {
	r := a.rec()
	t := tab()
	if t.hasKey(r.keys, name) {
		return true
	}
	for i := r.rts.off; i < r.rts.off+r.rts.n; i++ {
		art := &t.arts[i]
		if t.hasKey(art.keys, name) || t.hasKey(t.rtypes[art.rt].keys, name) {
			return true
		}
	}
	return false
}

func (t *table) hasKey(sp span, name string) bool {
	for _, k := range t.refs[sp.off : sp.off+sp.n] {
		if t.keys[k].matches(name) {
			return true
		}
	}
	return false
}

// DependentActions returns the actions the reference says the action also
// needs. The current data lists none (see the package documentation).
func (a Action) DependentActions() []string { return strs(a.rec().deps) }

// ResourceType methods.

func (r ResourceType) rec() *rtype {
	if r.i == 0 {
		return &rtype{}
	}
	return &tab().rtypes[r.i-1]
}

// Name is the resource type's name ("object").
func (r ResourceType) Name() string { return r.rec().name }

// String returns the name.
func (r ResourceType) String() string { return r.Name() }

// Service is the service whose table lists the resource type. Its ARNs may
// belong to another service (ec2's role is an iam ARN).
func (r ResourceType) Service() Service {
	if r.i == 0 {
		return Service{}
	}
	return Service{r.rec().svc + 1}
}

// ARNFormats returns the resource type's ARN formats, with ${Var}
// placeholders ("arn:${Partition}:s3:::${BucketName}"). Most types have
// one; a few have alternatives (apigateway's /apis/... and /restapis/...).
func (r ResourceType) ARNFormats() []string { return strs(r.rec().formats) }

// ConditionKeys returns the keys of the resource type's row in the
// resource types table.
func (r ResourceType) ConditionKeys() []Key { return keys(r.rec().keys) }

// Key methods.

func (k Key) rec() *key {
	if k.i == 0 {
		return &key{}
	}
	return &tab().keys[k.i-1]
}

// Name is the key's name as the reference writes it, placeholders included
// ("aws:RequestTag/${TagKey}").
func (k Key) Name() string { return k.rec().name }

// String returns the name.
func (k Key) String() string { return k.Name() }

// Type is the type of the key's values.
func (k Key) Type() KeyType { return k.rec().typ }

// Description is the reference's description ("Filters access by ...").
func (k Key) Description() string { return k.rec().desc }

// IsTemplate reports whether the name has a placeholder (${TagKey},
// <key>) that a policy fills in.
func (k Key) IsTemplate() bool { return k.rec().template }

// Matches reports whether a key name as a policy writes it is this key,
// ignoring case, with each placeholder standing for one or more characters.
func (k Key) Matches(name string) bool { return k.i != 0 && k.rec().matches(name) }

func (k *key) matches(name string) bool {
	if equalFold(k.name, name) {
		return true
	}
	return k.template && templateMatch(k.name, name)
}

func keys(sp span) []Key {
	t := tab()
	out := make([]Key, sp.n)
	for i, k := range t.refs[sp.off : sp.off+sp.n] {
		out[i] = Key{k + 1}
	}
	return out
}

func strs(sp span) []string {
	if sp.n == 0 {
		return nil
	}
	return slices.Clone(tab().strs[sp.off : sp.off+sp.n])
}
