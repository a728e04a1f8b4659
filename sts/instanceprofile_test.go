package sts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// AWS pages the instance profile rules come from.
const (
	docInstanceProfiles      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html"
	docCreateInstanceProf    = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html"
	docAddRoleToInstanceProf = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html"
	docDeleteRole            = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html"
	docDeleteInstanceProf    = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteInstanceProfile.html"
	docUniqueIDs             = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids"
)

const (
	ipWebRoleARN = "arn:aws:iam::111122223333:role/web"
	ipWebARN     = "arn:aws:iam::111122223333:instance-profile/web"
)

// newIPDirectory holds the account's web and batch roles and a role of
// another account.
func newIPDirectory(t *testing.T) *MemoryDirectory {
	t.Helper()
	d := NewMemoryDirectory()
	for _, arn := range []string{ipWebRoleARN, "arn:aws:iam::111122223333:role/jobs/Batch", "arn:aws:iam::444455556666:role/web"} {
		memMustPut(t, d.PutRole(Role{ARN: arn, TrustPolicy: memTrust}))
	}
	return d
}

// TestInstanceProfileValidation checks PutInstanceProfile against
// CreateInstanceProfile's constraints (InstanceProfileName 1 to 128
// characters of [\w+=,.@-]+, Path as for roles), the AIPA unique ID prefix,
// AddRoleToInstanceProfile's one-role quota and its NoSuchEntity.
func TestInstanceProfileValidation(t *testing.T) {
	t.Logf("rules: %s, %s, %s, %s", docCreateInstanceProf, docAddRoleToInstanceProf, docInstanceProfiles, docUniqueIDs)
	tests := []struct {
		name    string
		p       InstanceProfile
		wantErr error  // nil: accepted
		reason  string // the EntityError's Reason, when checked
	}{
		{"plain", InstanceProfile{ARN: ipWebARN}, nil, ""},
		{"with role", InstanceProfile{ARN: ipWebARN, Roles: []string{ipWebRoleARN}}, nil, ""},
		{"path", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/division/app/web"}, nil, ""},
		{"name 128", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/" + strings.Repeat("n", 128)}, nil, ""},
		{"name punctuation", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/a_b+c=d,e.f@g-h"}, nil, ""},
		{"gov partition", InstanceProfile{ARN: "arn:aws-us-gov:iam::111122223333:instance-profile/web"}, nil, ""},
		{"explicit unique ID", InstanceProfile{ARN: ipWebARN, UniqueID: "AIPAJQABLZS4A3QDU576Q"}, nil, ""},

		{"name 129", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/" + strings.Repeat("n", 129)}, ErrInvalidEntity, "name must be 1 to 128 characters"},
		{"name empty", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/"}, ErrInvalidEntity, "name must be 1 to 128 characters"},
		{"name space", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/web server"}, ErrInvalidEntity, "name may only hold letters, digits and _+=,.@-"},
		{"name slash only path", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile"}, ErrInvalidEntity, "resource must be instance-profile/PATH/NAME"},
		{"path space", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/a b/web"}, ErrInvalidEntity, "path may only hold characters U+0021 to U+007E"},
		{"path 513", InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/" + strings.Repeat("p/", 256) + "web"}, ErrInvalidEntity, "path longer than 512 characters"},
		{"role ARN type", InstanceProfile{ARN: "arn:aws:iam::111122223333:role/web"}, ErrInvalidEntity, "resource must be instance-profile/PATH/NAME"},
		{"region", InstanceProfile{ARN: "arn:aws:iam:us-east-1:111122223333:instance-profile/web"}, ErrInvalidEntity, `service must be "iam" with no region`},
		{"account", InstanceProfile{ARN: "arn:aws:iam::1111:instance-profile/web"}, ErrInvalidEntity, "account ID must be 12 digits"},
		{"unique ID prefix", InstanceProfile{ARN: ipWebARN, UniqueID: "AROAJQABLZS4A3QDU576Q"}, ErrInvalidEntity, `UniqueID "AROAJQABLZS4A3QDU576Q" must begin with "AIPA"`},
		{"unique ID lower", InstanceProfile{ARN: ipWebARN, UniqueID: "AIPAabc"}, ErrInvalidEntity, ""},
		{"tags", InstanceProfile{ARN: ipWebARN, Tags: []Tag{{"a", ""}, {"A", ""}}}, ErrInvalidEntity, ""},
		{"role not an ARN", InstanceProfile{ARN: ipWebARN, Roles: []string{"web"}}, ErrInvalidEntity, ""},
		{"role of another account", InstanceProfile{ARN: ipWebARN, Roles: []string{"arn:aws:iam::444455556666:role/web"}}, ErrInvalidEntity,
			`role "arn:aws:iam::444455556666:role/web" is not in the instance profile's account`},

		// "An instance profile can contain only one role, and this quota
		// cannot be increased." AWS's LimitExceeded message.
		{"two roles", InstanceProfile{ARN: ipWebARN, Roles: []string{ipWebRoleARN, "arn:aws:iam::111122223333:role/jobs/Batch"}}, ErrLimitExceeded,
			"Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"},
		{"same role twice", InstanceProfile{ARN: ipWebARN, Roles: []string{ipWebRoleARN, ipWebRoleARN}}, ErrLimitExceeded,
			"Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"},
		// AddRoleToInstanceProfile answers NoSuchEntity for an unknown role.
		{"unknown role", InstanceProfile{ARN: ipWebARN, Roles: []string{"arn:aws:iam::111122223333:role/nobody"}}, ErrNotFound,
			"The role with name nobody cannot be found."},
		{"role path differs", InstanceProfile{ARN: ipWebARN, Roles: []string{"arn:aws:iam::111122223333:role/other/Batch"}}, ErrNotFound,
			"The role with name Batch cannot be found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newIPDirectory(t)
			before := d.load()
			err := d.PutInstanceProfile(tt.p)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("PutInstanceProfile: %v", err)
				}
				if _, err := d.InstanceProfile(context.Background(), tt.p.ARN); err != nil {
					t.Fatalf("lookup after Put: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var ee *EntityError
			if !errors.As(err, &ee) || ee.Kind != "instance profile" {
				t.Fatalf("err = %#v, want an *EntityError of kind instance profile", err)
			}
			if tt.reason != "" && ee.Reason != tt.reason && !strings.HasPrefix(ee.Reason, tt.reason) {
				t.Errorf("Reason = %q, want %q", ee.Reason, tt.reason)
			}
			if d.load() != before {
				t.Errorf("a failed Put changed the directory")
			}
		})
	}
}

// TestInstanceProfileUniqueID checks that an empty UniqueID is derived as
// for users and roles: "AIPA" and 17 characters of A-Z2-7, the same for the
// same ARN.
func TestInstanceProfileUniqueID(t *testing.T) {
	t.Logf("rule: %s", docUniqueIDs)
	d := newIPDirectory(t)
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN}))
	p, err := d.InstanceProfile(context.Background(), ipWebARN)
	memMustPut(t, err)
	if !regexp.MustCompile(`^AIPA[A-Z2-7]{17}$`).MatchString(p.UniqueID) {
		t.Errorf("UniqueID = %q, want AIPA and 17 base32 characters", p.UniqueID)
	}
	if want := DeterministicUniqueID("AIPA", ipWebARN); p.UniqueID != want {
		t.Errorf("UniqueID = %q, want %q", p.UniqueID, want)
	}
	// Unique IDs are unique across entities.
	err = d.PutInstanceProfile(InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/other", UniqueID: p.UniqueID})
	if !errors.Is(err, ErrEntityExists) {
		t.Errorf("second profile with the same UniqueID: err = %v, want ErrEntityExists", err)
	}
}

// TestInstanceProfileLookups checks names (case-insensitive, unique in the
// account whatever the path), paths (exact), the role stored under its own
// ARN, one role in many profiles, and removing a role by putting the
// profile again.
func TestInstanceProfileLookups(t *testing.T) {
	t.Logf("rules: %s, %s", docInstanceProfiles, docAddRoleToInstanceProf)
	ctx := context.Background()
	d := newIPDirectory(t)
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN, Roles: []string{"arn:aws:iam::111122223333:role/WEB"}, Tags: []Tag{{"app", "web"}}}))
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/ops/web-admin", Roles: []string{ipWebRoleARN}}))

	tests := []struct {
		name, arn string
		wantARN   string // "" for not found
	}{
		{"exact", ipWebARN, ipWebARN},
		{"name case", "arn:aws:iam::111122223333:instance-profile/Web", ipWebARN},
		{"path differs", "arn:aws:iam::111122223333:instance-profile/ops/web", ""},
		{"with path", "arn:aws:iam::111122223333:instance-profile/ops/web-admin", "arn:aws:iam::111122223333:instance-profile/ops/web-admin"},
		{"other account", "arn:aws:iam::444455556666:instance-profile/web", ""},
		{"role ARN", ipWebRoleARN, ""},
		{"malformed", "web", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := d.InstanceProfile(ctx, tt.arn)
			if tt.wantARN == "" {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				return
			}
			memMustPut(t, err)
			if p.ARN != tt.wantARN {
				t.Errorf("ARN = %q, want %q", p.ARN, tt.wantARN)
			}
		})
	}

	p, _ := d.InstanceProfile(ctx, ipWebARN)
	if diff := cmp.Diff([]string{ipWebRoleARN}, p.Roles); diff != "" {
		t.Errorf("Roles stored under the role's own ARN (-want +got):\n%s", diff)
	}
	if p.Role() != ipWebRoleARN {
		t.Errorf("Role() = %q, want %q", p.Role(), ipWebRoleARN)
	}
	if (*InstanceProfile)(nil).Role() != "" || (&InstanceProfile{}).Role() != "" {
		t.Errorf("Role() of no profile or an empty one is not empty")
	}

	// Names are unique in an account regardless of case and path.
	for _, arn := range []string{"arn:aws:iam::111122223333:instance-profile/WEB", "arn:aws:iam::111122223333:instance-profile/x/web"} {
		if err := d.PutInstanceProfile(InstanceProfile{ARN: arn}); !errors.Is(err, ErrEntityExists) {
			t.Errorf("Put %s: err = %v, want ErrEntityExists", arn, err)
		}
	}

	// Replacing the profile with no role is RemoveRoleFromInstanceProfile.
	id := p.UniqueID
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN, UniqueID: id}))
	p, _ = d.InstanceProfile(ctx, ipWebARN)
	if len(p.Roles) != 0 || p.Role() != "" {
		t.Errorf("after removing the role: Roles = %q", p.Roles)
	}
	// The caller's slices are copied.
	roles := []string{ipWebRoleARN}
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN, Roles: roles}))
	roles[0] = "changed"
	if p, _ = d.InstanceProfile(ctx, ipWebARN); p.Role() != ipWebRoleARN {
		t.Errorf("changing the caller's slice changed the stored profile: %q", p.Roles)
	}
}

// TestInstanceProfileDeleteConflicts checks IAM's DeleteConflict: a role
// in an instance profile cannot be deleted (DeleteRole), nor a profile that
// holds a role (DeleteInstanceProfile), until the role is removed.
func TestInstanceProfileDeleteConflicts(t *testing.T) {
	t.Logf("rules: %s, %s", docDeleteRole, docDeleteInstanceProf)
	ctx := context.Background()
	d := newIPDirectory(t)
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN, Roles: []string{ipWebRoleARN}}))
	const msg = "Cannot delete entity, must remove roles from instance profile first."

	tests := []struct {
		name string
		del  func() error
	}{
		{"DeleteRole", func() error { return d.DeleteRole(ipWebRoleARN) }},
		{"DeleteInstanceProfile", func() error { return d.DeleteInstanceProfile(ipWebARN) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.del()
			var ee *EntityError
			if !errors.Is(err, ErrDeleteConflict) || !errors.As(err, &ee) || ee.Reason != msg {
				t.Fatalf("err = %v, want ErrDeleteConflict with %q", err, msg)
			}
		})
	}
	if _, err := d.Role(ctx, ipWebRoleARN); err != nil {
		t.Fatalf("the refused DeleteRole removed the role: %v", err)
	}

	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN}))
	memMustPut(t, d.DeleteRole(ipWebRoleARN))
	memMustPut(t, d.DeleteInstanceProfile("arn:aws:iam::111122223333:instance-profile/WEB"))
	if _, err := d.InstanceProfile(ctx, ipWebARN); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: err = %v, want ErrNotFound", err)
	}
	if err := d.DeleteInstanceProfile(ipWebARN); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	// The unique ID is free again.
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: "arn:aws:iam::111122223333:instance-profile/again", UniqueID: DeterministicUniqueID("AIPA", ipWebARN)}))
}

// TestInstanceProfileConcurrent puts and reads profiles from several
// goroutines (run with -race).
func TestInstanceProfileConcurrent(t *testing.T) {
	d := newIPDirectory(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				arn := fmt.Sprintf("arn:aws:iam::111122223333:instance-profile/p%d-%d", g, i)
				if err := d.PutInstanceProfile(InstanceProfile{ARN: arn, Roles: []string{ipWebRoleARN}}); err != nil {
					t.Error(err)
					return
				}
				if p, err := d.InstanceProfile(ctx, arn); err != nil || p.Role() != ipWebRoleARN {
					t.Errorf("lookup %s: %v %v", arn, p, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestInstanceProfileNoAllocs checks that lookups, found or not, do not
// allocate when found.
func TestInstanceProfileNoAllocs(t *testing.T) {
	d := newIPDirectory(t)
	memMustPut(t, d.PutInstanceProfile(InstanceProfile{ARN: ipWebARN, Roles: []string{ipWebRoleARN}}))
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = d.InstanceProfile(ctx, ipWebARN)
		_, _ = d.InstanceProfile(ctx, "arn:aws:iam::111122223333:instance-profile/WEB")
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %v times, want 0", allocs)
	}
}

func ExampleMemoryDirectory_PutInstanceProfile() {
	d := NewMemoryDirectory()
	_ = d.PutRole(Role{ARN: "arn:aws:iam::111122223333:role/web", TrustPolicy: memTrust})
	_ = d.PutRole(Role{ARN: "arn:aws:iam::111122223333:role/batch", TrustPolicy: memTrust})

	err := d.PutInstanceProfile(InstanceProfile{
		ARN:   "arn:aws:iam::111122223333:instance-profile/web",
		Roles: []string{"arn:aws:iam::111122223333:role/web"},
	})
	fmt.Println(err)

	err = d.PutInstanceProfile(InstanceProfile{
		ARN:   "arn:aws:iam::111122223333:instance-profile/web",
		Roles: []string{"arn:aws:iam::111122223333:role/web", "arn:aws:iam::111122223333:role/batch"},
	})
	fmt.Println(errors.Is(err, ErrLimitExceeded), err)
	// Output:
	// <nil>
	// true sts: instance profile "arn:aws:iam::111122223333:instance-profile/web": Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1
}
