package identitycenter

import (
	"testing"
	"time"
)

// FuzzSessionDuration: the ISO 8601 reader never panics, agrees with the
// pattern, and a duration it accepts for a permission set is 1 to 12
// hours.
func FuzzSessionDuration(f *testing.F) {
	for _, s := range []string{"PT1H", "PT12H", "PT90M", "PT3600S", "P1D", "P1W", "-PT1H", "PT", "P", "PT1.5H", "PT0.5S", "P99999999999999999999D", "PT1H30M15.25S", "P1Y2M3DT4H5M6S"} {
		f.Add(s)
	}
	in := newTestInstance(f, Options{})
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseISODuration(s)
		if (err == nil) != isDuration(s) {
			t.Fatalf("parseISODuration(%q) err %v but isDuration %v", s, err, isDuration(s))
		}
		ps := PermissionSet{Name: "P", SessionDuration: s}
		if in.check(&ps) == nil {
			if s == "" {
				d = time.Hour
			}
			if d < time.Hour || d > 12*time.Hour || ps.Duration() != d {
				t.Fatalf("%q accepted as %v (Duration %v)", s, d, ps.Duration())
			}
		}
	})
}

// FuzzValidation: user, group and permission set validation never panics
// on any input.
func FuzzValidation(f *testing.F) {
	f.Add("jdoe", "John", "ReadOnly", "arn:aws:iam::aws:policy/ReadOnlyAccess", `{"Version":"2012-10-17","Statement":[]}`, "${path:title}")
	f.Add("", "", "", "", "{", "${path:")
	f.Add("Administrator", "\x00", "a b", "arn:aws:iam::aws:policy/\xff", "\"", "${path:enterprise.department}")
	f.Fuzz(func(t *testing.T, user, display, set, managed, inline, source string) {
		in := newTestInstance(t, Options{})
		in.CreateUser(User{UserName: user, DisplayName: display, Attributes: map[string]string{"title": display}})
		in.CreateGroup(Group{DisplayName: display, Description: user})
		in.CreatePermissionSet(PermissionSet{Name: set, Description: display, RelayState: user,
			ManagedPolicies: []string{managed}, InlinePolicy: inline,
			CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: set, Path: user}}})
		in.SetAccessControlAttributes([]AccessControlAttribute{{Key: display, Source: source}})
	})
}
