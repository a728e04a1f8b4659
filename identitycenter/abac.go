package identitycenter

import (
	"slices"
	"strconv"
	"strings"

	"github.com/iamkit/iamkit/sts"
)

// Attributes for access control
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/attributesforaccesscontrol.html):
// chosen user attributes become session tags on every session a user
// starts in an account, so policies can test aws:PrincipalTag/KEY.

// AccessControlAttribute maps a user attribute to a session tag
// (API_AccessControlAttribute.html).
type AccessControlAttribute struct {
	// Key is the session tag's key: 1 to 128 characters of
	// [\p{L}\p{Z}\p{N}_.:/=+\-@], unique regardless of case (tag keys are
	// case-insensitive).
	Key string
	// Source is the attribute, as "${path:PATH}" with a PATH of the
	// supported attributes table (attributemappingsconcept.html), e.g.
	// "${path:enterprise.department}"; at most 256 characters.
	Source string
}

// maxAccessControlAttributes is the array limit of
// API_InstanceAccessControlAttributeConfiguration.html.
const maxAccessControlAttributes = 50

// SupportedAttributePaths lists the attribute paths an
// [AccessControlAttribute] may name, in the order of AWS's table of
// supported identity provider attributes
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/attributemappingsconcept.html).
// The first five are fields of [User]; the others are keys of
// User.Attributes.
func SupportedAttributePaths() []string { return slices.Clone(supportedPaths) }

var supportedPaths = []string{
	"userName",
	"displayName",
	"name.givenName",
	"name.familyName",
	"emails[primary eq true].value",
	"nickName",
	`addresses[type eq "work"].streetAddress`,
	`addresses[type eq "work"].locality`,
	`addresses[type eq "work"].region`,
	`addresses[type eq "work"].postalCode`,
	`addresses[type eq "work"].country`,
	`addresses[type eq "work"].formatted`,
	`phoneNumbers[type eq "work"].value`,
	"userType",
	"title",
	"locale",
	"timezone",
	"enterprise.employeeNumber",
	"enterprise.costCenter",
	"enterprise.organization",
	"enterprise.division",
	"enterprise.department",
	"enterprise.manager.value",
}

var attributePaths, typedPaths = func() (all, typed map[string]bool) {
	all, typed = map[string]bool{}, map[string]bool{}
	for i, p := range supportedPaths {
		all[p] = true
		if i < 5 {
			typed[p] = true
		}
	}
	return all, typed
}()

// sourcePath returns PATH of "${path:PATH}", or false.
func sourcePath(src string) (string, bool) {
	p, ok := strings.CutPrefix(src, "${path:")
	if !ok {
		return "", false
	}
	p, ok = strings.CutSuffix(p, "}")
	return p, ok && attributePaths[p]
}

// attribute returns the value of a supported path for u, "" when u has
// none. emails[primary eq true].value is the email marked Primary, as the
// SCIM filter reads.
func (u *User) attribute(path string) string {
	switch path {
	case "userName":
		return u.UserName
	case "displayName":
		return u.DisplayName
	case "name.givenName":
		return u.Name.GivenName
	case "name.familyName":
		return u.Name.FamilyName
	case "emails[primary eq true].value":
		for _, e := range u.Emails {
			if e.Primary {
				return e.Value
			}
		}
		return ""
	}
	return u.Attributes[path]
}

// SetAccessControlAttributes replaces the instance's attributes for access
// control (UpdateInstanceAccessControlAttributeConfiguration). An empty
// list turns them off.
func (in *Instance) SetAccessControlAttributes(attrs []AccessControlAttribute) error {
	var v violations
	if len(attrs) > maxAccessControlAttributes {
		v.addf("Value at 'instanceAccessControlAttributeConfiguration.accessControlAttributes' failed to satisfy constraint: Member must have length less than or equal to %d", maxAccessControlAttributes)
	}
	seen := map[string]bool{}
	for i, a := range attrs {
		m := "instanceAccessControlAttributeConfiguration.accessControlAttributes." + strconv.Itoa(i+1) + ".member."
		v.str(m+"key", a.Key, ruleACAKey)
		v.str(m+"value.source", a.Source, ruleACASource)
		if _, ok := sourcePath(a.Source); !ok {
			v.addf("Value '%s' at '%svalue.source' failed to satisfy constraint: Member must be ${path:PATH} with a supported attribute path", echo(a.Source), m)
		}
		if seen[fold(a.Key)] {
			v.addf("Value '%s' at '%skey' failed to satisfy constraint: Member must be unique (keys are case-insensitive)", echo(a.Key), m)
		}
		seen[fold(a.Key)] = true
	}
	if err := v.err(); err != nil {
		return err
	}
	attrs = slices.Clone(attrs)
	return in.update(func(s *state) error {
		s.abac = attrs
		return nil
	})
}

// AccessControlAttributes returns the instance's attributes for access
// control, in order.
func (in *Instance) AccessControlAttributes() []AccessControlAttribute {
	return slices.Clone(in.load().abac)
}

// SessionTags returns the session tags a user's sessions carry: one per
// attribute for access control, in their order, with the user's value.
// An attribute the user has no value for gives no tag.
func (in *Instance) SessionTags(userID string) ([]sts.Tag, error) {
	s := in.load()
	u := s.users[userID]
	if u == nil {
		return nil, errNoUser(userID)
	}
	return sessionTags(s.abac, u), nil
}

func sessionTags(attrs []AccessControlAttribute, u *User) []sts.Tag {
	var tags []sts.Tag
	for _, a := range attrs {
		p, _ := sourcePath(a.Source)
		if v := u.attribute(p); v != "" {
			tags = append(tags, sts.Tag{Key: a.Key, Value: v})
		}
	}
	return tags
}
