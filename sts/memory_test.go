package sts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/iamkit/iamkit/policy"
)

// Compile-time check that MemoryDirectory implements Directory.
var _ Directory = (*MemoryDirectory)(nil)

var (
	memTrust = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`, policy.Trust)
	memIdentity = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":"s3:GetObject","Resource":"*"}]}`, policy.Identity)
	memBoundary = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":"s3:*","Resource":"*"}]}`, policy.Boundary)
	memResource = policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`, policy.Resource)
)

// memCmpPolicies compares policies by identity: they are immutable and shared.
var memCmpPolicies = cmp.Comparer(func(a, b *policy.Policy) bool { return a == b })

const (
	memAcct     = "111122223333"
	memAliceARN = "arn:aws:iam::111122223333:user/staff/Alice"
	memRootARN  = "arn:aws:iam::111122223333:root"
	memRoleARN  = "arn:aws:iam::111122223333:role/service/Deployer"
	memGroupARN = "arn:aws:iam::111122223333:group/Admins"
	memPolARN   = "arn:aws:iam::111122223333:policy/ReadOnly"
)

func memAlice() User {
	return User{
		ARN:               memAliceARN,
		UniqueID:          "AIDACKCEVSQ6C2EXAMPLE",
		Policies:          []*policy.Policy{memIdentity},
		ManagedPolicyARNs: []string{memPolARN},
		Groups:            []string{memGroupARN},
		Tags:              []Tag{{"team", "blue"}},
		AccessKeys:        []AccessKey{{ID: "AKIAIOSFODNN7EXAMPLE", Secret: NewSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")}},
		MFADevices:        []MFADevice{{SerialNumber: "arn:aws:iam::111122223333:mfa/alice", Seed: NewSecret("12345678901234567890")}},
	}
}

func memRole() Role {
	return Role{
		ARN:                memRoleARN,
		UniqueID:           "AROADBQP57FF2AEXAMPLE",
		TrustPolicy:        memTrust,
		Policies:           []*policy.Policy{memIdentity},
		ManagedPolicyARNs:  []string{memPolARN},
		Tags:               []Tag{{"env", "prod"}},
		MaxSessionDuration: 2 * time.Hour,
	}
}

func memMustPut(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newMemTestDirectory holds one of everything.
func newMemTestDirectory(t *testing.T) *MemoryDirectory {
	t.Helper()
	d := NewMemoryDirectory()
	memMustPut(t, d.PutAccount(Account{ID: memAcct, OrgID: "o-exampleorg", SCPs: [][]*policy.Policy{{memIdentity}}, DisabledRegions: []string{"af-south-1"}}))
	memMustPut(t, d.PutUser(memAlice()))
	memMustPut(t, d.PutUser(User{ARN: memRootARN, Root: true, AccessKeys: []AccessKey{{ID: "AKIAROOTROOTEXAMPLE1", Secret: NewSecret("root-secret")}}}))
	memMustPut(t, d.PutGroup(Group{ARN: memGroupARN, Policies: []*policy.Policy{memIdentity}}))
	memMustPut(t, d.PutRole(memRole()))
	memMustPut(t, d.PutManagedPolicy(memPolARN, memIdentity))
	memMustPut(t, d.PutManagedPolicy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", memBoundary))
	memMustPut(t, d.PutResourcePolicy("arn:aws:s3:::bucket", memResource))
	return d
}

func TestMemoryDirectoryLookups(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()

	a, err := d.Account(ctx, memAcct)
	if err != nil || a.OrgID != "o-exampleorg" {
		t.Errorf("Account = %+v, %v", a, err)
	}

	u, err := d.User(ctx, memAliceARN)
	if err != nil {
		t.Fatalf("User: %v", err)
	}
	if diff := cmp.Diff(memAlice(), *u, memCmpPolicies); diff != "" {
		t.Errorf("User (-want +got):\n%s", diff)
	}

	root, err := d.User(ctx, memRootARN)
	if err != nil || !root.Root {
		t.Errorf("root User = %+v, %v", root, err)
	}

	ku, k, err := d.UserByAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE")
	if err != nil || ku != u || k.Secret.Reveal() != "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" {
		t.Errorf("UserByAccessKey = %v, %v, %v", ku, k, err)
	}
	ku, _, err = d.UserByAccessKey(ctx, "AKIAROOTROOTEXAMPLE1")
	if err != nil || ku != root {
		t.Errorf("UserByAccessKey(root key) = %v, %v", ku, err)
	}

	g, err := d.Group(ctx, memGroupARN)
	if err != nil || g.ARN != memGroupARN {
		t.Errorf("Group = %+v, %v", g, err)
	}

	r, err := d.Role(ctx, memRoleARN)
	if err != nil {
		t.Fatalf("Role: %v", err)
	}
	if diff := cmp.Diff(memRole(), *r, memCmpPolicies); diff != "" {
		t.Errorf("Role (-want +got):\n%s", diff)
	}

	if p, err := d.ManagedPolicy(ctx, memPolARN); err != nil || p != memIdentity {
		t.Errorf("ManagedPolicy = %v, %v", p, err)
	}
	if p, err := d.ManagedPolicy(ctx, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"); err != nil || p != memBoundary {
		t.Errorf("ManagedPolicy(AWS managed) = %v, %v", p, err)
	}
	if p, err := d.ResourcePolicy(ctx, "arn:aws:s3:::bucket"); err != nil || p != memResource {
		t.Errorf("ResourcePolicy = %v, %v", p, err)
	}
}

// TestMemoryDirectoryNameCase: "names are not distinguished by case"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names),
// while the path is part of the ARN and matched exactly.
func TestMemoryDirectoryNameCase(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()
	found := []string{
		"arn:aws:iam::111122223333:user/staff/alice",
		"arn:aws:iam::111122223333:user/staff/ALICE",
	}
	for _, arn := range found {
		if u, err := d.User(ctx, arn); err != nil || u.ARN != memAliceARN {
			t.Errorf("User(%q) = %v, %v; want Alice", arn, u, err)
		}
	}
	if _, err := d.Role(ctx, "arn:aws:iam::111122223333:role/service/deployer"); err != nil {
		t.Errorf("Role(lower case): %v", err)
	}
	if _, err := d.Group(ctx, "arn:aws:iam::111122223333:group/ADMINS"); err != nil {
		t.Errorf("Group(upper case): %v", err)
	}
	if _, err := d.ManagedPolicy(ctx, "arn:aws:iam::111122223333:policy/readonly"); err != nil {
		t.Errorf("ManagedPolicy(lower case): %v", err)
	}
	notFoundARNs := []string{
		"arn:aws:iam::111122223333:user/Alice",          // path missing
		"arn:aws:iam::111122223333:user/Staff/Alice",    // path case differs
		"arn:aws:iam::111122223333:user/staff/x/Alice",  // deeper path
		"arn:aws:iam::444455556666:user/staff/Alice",    // other account
		"arn:aws-cn:iam::111122223333:user/staff/Alice", // other partition
		"arn:aws:iam::111122223333:role/staff/Alice",    // not a user
	}
	for _, arn := range notFoundARNs {
		if _, err := d.User(ctx, arn); !errors.Is(err, ErrNotFound) {
			t.Errorf("User(%q) err = %v, want ErrNotFound", arn, err)
		}
	}

	// Bob and bob cannot coexist; neither can /a/bob and /b/bob.
	clash := []User{
		{ARN: "arn:aws:iam::111122223333:user/staff/alice", UniqueID: "AIDAOTHER"},
		{ARN: "arn:aws:iam::111122223333:user/Alice", UniqueID: "AIDAOTHER"},
	}
	for _, u := range clash {
		if err := d.PutUser(u); !errors.Is(err, ErrEntityExists) {
			t.Errorf("PutUser(%q) err = %v, want ErrEntityExists", u.ARN, err)
		}
	}
	r := memRole()
	r.ARN, r.UniqueID = "arn:aws:iam::111122223333:role/DEPLOYER", "AROAOTHER"
	if err := d.PutRole(r); !errors.Is(err, ErrEntityExists) {
		t.Errorf("PutRole(DEPLOYER) err = %v, want ErrEntityExists", err)
	}
	if err := d.PutGroup(Group{ARN: "arn:aws:iam::111122223333:group/x/admins"}); !errors.Is(err, ErrEntityExists) {
		t.Errorf("PutGroup(admins) err = %v, want ErrEntityExists", err)
	}
	if err := d.PutManagedPolicy("arn:aws:iam::111122223333:policy/READONLY", memIdentity); !errors.Is(err, ErrEntityExists) {
		t.Errorf("PutManagedPolicy(READONLY) err = %v, want ErrEntityExists", err)
	}
	// The same name in another account is a different user.
	if err := d.PutUser(User{ARN: "arn:aws:iam::444455556666:user/staff/alice", UniqueID: "AIDAOTHER"}); err != nil {
		t.Errorf("PutUser(other account): %v", err)
	}
}

func TestMemoryDirectoryNotFound(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		msg  string
	}{
		{"Account", func() error { _, err := d.Account(ctx, "999999999999"); return err },
			`sts: account "999999999999": not found`},
		{"User", func() error { _, err := d.User(ctx, "arn:aws:iam::111122223333:user/bob"); return err },
			`sts: user "arn:aws:iam::111122223333:user/bob": not found`},
		{"User malformed", func() error { _, err := d.User(ctx, "not an arn"); return err },
			`sts: user "not an arn": not found`},
		{"UserByAccessKey", func() error { _, _, err := d.UserByAccessKey(ctx, "AKIANOSUCHKEY0000000"); return err },
			`sts: access key "AKIANOSUCHKEY0000000": not found`},
		{"Group", func() error { _, err := d.Group(ctx, "arn:aws:iam::111122223333:group/x"); return err },
			`sts: group "arn:aws:iam::111122223333:group/x": not found`},
		{"Role", func() error { _, err := d.Role(ctx, "arn:aws:iam::111:role/x"); return err },
			`sts: role "arn:aws:iam::111:role/x": not found`},
		{"ManagedPolicy", func() error { _, err := d.ManagedPolicy(ctx, "arn:aws:iam::aws:policy/Nope"); return err },
			`sts: managed policy "arn:aws:iam::aws:policy/Nope": not found`},
		{"ResourcePolicy", func() error { _, err := d.ResourcePolicy(ctx, "arn:aws:s3:::other"); return err },
			`sts: resource policy "arn:aws:s3:::other": not found`},
		{"empty directory", func() error { _, err := new(MemoryDirectory).Role(ctx, memRoleARN); return err },
			`sts: role "` + memRoleARN + `": not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			if err.Error() != tt.msg {
				t.Errorf("message = %q, want %q", err.Error(), tt.msg)
			}
			var ee *EntityError
			if !errors.As(err, &ee) {
				t.Errorf("err is %T, want *EntityError", err)
			}
		})
	}
}

func TestMemoryDirectoryValidation(t *testing.T) {
	user := func(f func(*User)) func(d *MemoryDirectory) error {
		return func(d *MemoryDirectory) error { u := memAlice(); f(&u); return d.PutUser(u) }
	}
	role := func(f func(*Role)) func(d *MemoryDirectory) error {
		return func(d *MemoryDirectory) error { r := memRole(); f(&r); return d.PutRole(r) }
	}
	tests := []struct {
		name string
		put  func(d *MemoryDirectory) error
	}{
		{"account ID short", func(d *MemoryDirectory) error { return d.PutAccount(Account{ID: "1234"}) }},
		{"account partition", func(d *MemoryDirectory) error { return d.PutAccount(Account{ID: memAcct, Partition: "azure"}) }},
		{"account org ID", func(d *MemoryDirectory) error { return d.PutAccount(Account{ID: memAcct, OrgID: "org1"}) }},

		{"user ARN not arn", user(func(u *User) { u.ARN = "user/alice" })},
		{"user ARN service", user(func(u *User) { u.ARN = "arn:aws:sts::111122223333:user/alice" })},
		{"user ARN region", user(func(u *User) { u.ARN = "arn:aws:iam:us-east-1:111122223333:user/alice" })},
		{"user ARN account", user(func(u *User) { u.ARN = "arn:aws:iam::1111:user/alice" })},
		{"user ARN partition", user(func(u *User) { u.ARN = "arn:gcp:iam::111122223333:user/alice" })},
		{"user ARN type", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:role/alice" })},
		{"user ARN no name", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:user/" })},
		{"user ARN no slash", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:useralice" })},
		{"user name char", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:user/al ice" })},
		{"user name 65", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:user/" + strings.Repeat("a", 65) })},
		{"user path char", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:user/a b/alice" })},
		{"user path long", user(func(u *User) { u.ARN = "arn:aws:iam::111122223333:user/" + strings.Repeat("p/", 256) + "alice" })},
		{"user unique ID prefix", user(func(u *User) { u.UniqueID = "AROACKCEVSQ6C2EXAMPLE" })},
		{"user unique ID lower", user(func(u *User) { u.UniqueID = "AIDAabc" })},
		{"root flag on user ARN", user(func(u *User) { u.Root = true })},
		{"root ARN without flag", user(func(u *User) { u.ARN = memRootARN; u.AccessKeys = nil })},
		{"root unique ID", user(func(u *User) { u.ARN, u.Root = memRootARN, true })},
		{"key prefix", user(func(u *User) { u.AccessKeys[0].ID = "ASIAIOSFODNN7EXAMPLE" })},
		{"key short", user(func(u *User) { u.AccessKeys[0].ID = "AKIA123" })},
		{"key no secret", user(func(u *User) { u.AccessKeys[0].Secret = NewSecret("") })},
		{"key twice", user(func(u *User) { u.AccessKeys = append(u.AccessKeys, u.AccessKeys[0]) })},
		{"MFA serial short", user(func(u *User) { u.MFADevices[0].SerialNumber = "mfa" })},
		{"MFA no seed", user(func(u *User) { u.MFADevices[0].Seed = NewSecret("") })},
		{"MFA twice", user(func(u *User) { u.MFADevices = append(u.MFADevices, u.MFADevices[0]) })},
		{"tag key case twice", user(func(u *User) { u.Tags = []Tag{{"Team", "a"}, {"team", "b"}} })},
		{"tag key empty", user(func(u *User) { u.Tags = []Tag{{"", "a"}} })},
		{"tag value long", user(func(u *User) { u.Tags = []Tag{{"k", strings.Repeat("v", 257)}} })},
		{"tags 51", user(func(u *User) {
			u.Tags = nil
			for i := range 51 {
				u.Tags = append(u.Tags, Tag{fmt.Sprint("k", i), ""})
			}
		})},

		{"group ARN", func(d *MemoryDirectory) error { return d.PutGroup(Group{ARN: "arn:aws:iam::111122223333:user/admins"}) }},

		{"role ARN", role(func(r *Role) { r.ARN = "arn:aws:sts::111122223333:assumed-role/Deployer/s" })},
		{"role unique ID", role(func(r *Role) { r.UniqueID = "AIDADBQP57FF2AEXAMPLE" })},
		{"role no trust policy", role(func(r *Role) { r.TrustPolicy = nil })},
		{"role trust policy type", role(func(r *Role) { r.TrustPolicy = memIdentity })},
		{"role max session 59m", role(func(r *Role) { r.MaxSessionDuration = 59 * time.Minute })},
		{"role max session 12h1s", role(func(r *Role) { r.MaxSessionDuration = 12*time.Hour + time.Second })},
		{"role max session negative", role(func(r *Role) { r.MaxSessionDuration = -time.Hour })},
		{"role tags", role(func(r *Role) { r.Tags = []Tag{{"a", ""}, {"A", ""}} })},

		{"managed ARN", func(d *MemoryDirectory) error {
			return d.PutManagedPolicy("arn:aws:iam::111122223333:role/x", memIdentity)
		}},
		{"managed nil", func(d *MemoryDirectory) error { return d.PutManagedPolicy(memPolARN, nil) }},
		{"managed type", func(d *MemoryDirectory) error { return d.PutManagedPolicy(memPolARN, memTrust) }},
		{"resource ARN", func(d *MemoryDirectory) error { return d.PutResourcePolicy("bucket", memResource) }},
		{"resource nil", func(d *MemoryDirectory) error { return d.PutResourcePolicy("arn:aws:s3:::bucket", nil) }},
		{"resource type", func(d *MemoryDirectory) error { return d.PutResourcePolicy("arn:aws:s3:::bucket", memIdentity) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewMemoryDirectory()
			err := tt.put(d)
			if !errors.Is(err, ErrInvalidEntity) {
				t.Fatalf("err = %v, want ErrInvalidEntity", err)
			}
			if !strings.HasPrefix(err.Error(), "sts: ") {
				t.Errorf("message %q lacks the package prefix", err)
			}
			if d.load() != emptyDirState {
				t.Errorf("a failed Put changed the directory")
			}
		})
	}
}

func TestMemoryDirectoryValidBoundaries(t *testing.T) {
	d := NewMemoryDirectory()
	for _, dur := range []time.Duration{0, time.Hour, 12 * time.Hour} {
		r := memRole()
		r.MaxSessionDuration = dur
		if err := d.PutRole(r); err != nil {
			t.Errorf("MaxSessionDuration %v: %v", dur, err)
		}
	}
	ok := []User{
		{ARN: "arn:aws:iam::111122223333:user/" + strings.Repeat("a", 64), UniqueID: "AIDA1"},
		{ARN: "arn:aws:iam::111122223333:user/a_b+c=d,e.f@g-h", UniqueID: "AIDA2"},
		{ARN: "arn:aws-us-gov:iam::111122223333:user/division_abc/subdivision_xyz/Bob", UniqueID: "AIDA3"},
		{ARN: "arn:aws:iam::111122223333:root", Root: true, UniqueID: "111122223333"},
	}
	for _, u := range ok {
		if err := d.PutUser(u); err != nil {
			t.Errorf("PutUser(%q): %v", u.ARN, err)
		}
	}
	if err := d.PutAccount(Account{ID: memAcct, Partition: "aws-cn"}); err != nil {
		t.Errorf("PutAccount(aws-cn): %v", err)
	}
}

func TestMemoryDirectoryUniqueness(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()

	// An access key belongs to one user.
	bob := User{ARN: "arn:aws:iam::111122223333:user/bob", UniqueID: "AIDABOB",
		AccessKeys: []AccessKey{{ID: "AKIAIOSFODNN7EXAMPLE", Secret: NewSecret("s")}}}
	if err := d.PutUser(bob); !errors.Is(err, ErrEntityExists) {
		t.Errorf("PutUser with Alice's key: err = %v, want ErrEntityExists", err)
	}
	// A unique ID belongs to one entity, user or role.
	bob.AccessKeys = nil
	bob.UniqueID = "AIDACKCEVSQ6C2EXAMPLE"
	if err := d.PutUser(bob); !errors.Is(err, ErrEntityExists) {
		t.Errorf("PutUser with Alice's unique ID: err = %v, want ErrEntityExists", err)
	}
	r := memRole()
	r.ARN = "arn:aws:iam::111122223333:role/Other"
	if err := d.PutRole(r); !errors.Is(err, ErrEntityExists) {
		t.Errorf("PutRole with Deployer's unique ID: err = %v, want ErrEntityExists", err)
	}

	// Replacing Alice may drop a key and add one; the index follows.
	a := memAlice()
	a.AccessKeys = []AccessKey{{ID: "AKIANEWKEYEXAMPLE123", Secret: NewSecret("s2"), Inactive: true}}
	a.UniqueID = "AIDANEWALICE"
	memMustPut(t, d.PutUser(a))
	if _, _, err := d.UserByAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("old key after replace: err = %v, want ErrNotFound", err)
	}
	if u, k, err := d.UserByAccessKey(ctx, "AKIANEWKEYEXAMPLE123"); err != nil || u.ARN != memAliceARN || !k.Inactive {
		t.Errorf("new key = %v, %+v, %v", u, k, err)
	}
	// The old key and unique ID are free again.
	bob.AccessKeys = []AccessKey{{ID: "AKIAIOSFODNN7EXAMPLE", Secret: NewSecret("s")}}
	memMustPut(t, d.PutUser(bob))
	if u, _, err := d.UserByAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE"); err != nil || u.ARN != bob.ARN {
		t.Errorf("freed key = %v, %v", u, err)
	}
}

func TestMemoryDirectoryDelete(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()
	memMustPut(t, d.DeleteAccount(memAcct))
	memMustPut(t, d.DeleteUser("arn:aws:iam::111122223333:user/staff/ALICE")) // found as User finds it
	memMustPut(t, d.DeleteUser(memRootARN))
	memMustPut(t, d.DeleteGroup(memGroupARN))
	memMustPut(t, d.DeleteRole(memRoleARN))
	memMustPut(t, d.DeleteManagedPolicy(memPolARN))
	memMustPut(t, d.DeleteResourcePolicy("arn:aws:s3:::bucket"))

	checks := []func() error{
		func() error { _, err := d.Account(ctx, memAcct); return err },
		func() error { _, err := d.User(ctx, memAliceARN); return err },
		func() error { _, err := d.User(ctx, memRootARN); return err },
		func() error { _, _, err := d.UserByAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE"); return err },
		func() error { _, _, err := d.UserByAccessKey(ctx, "AKIAROOTROOTEXAMPLE1"); return err },
		func() error { _, err := d.Group(ctx, memGroupARN); return err },
		func() error { _, err := d.Role(ctx, memRoleARN); return err },
		func() error { _, err := d.ManagedPolicy(ctx, memPolARN); return err },
		func() error { _, err := d.ResourcePolicy(ctx, "arn:aws:s3:::bucket"); return err },
		// Deleting again fails.
		func() error { return d.DeleteAccount(memAcct) },
		func() error { return d.DeleteUser(memAliceARN) },
		func() error { return d.DeleteGroup(memGroupARN) },
		func() error { return d.DeleteRole(memRoleARN) },
		func() error { return d.DeleteManagedPolicy(memPolARN) },
		func() error { return d.DeleteResourcePolicy("arn:aws:s3:::bucket") },
	}
	for i, check := range checks {
		if err := check(); !errors.Is(err, ErrNotFound) {
			t.Errorf("check %d: err = %v, want ErrNotFound", i, err)
		}
	}
	// Names, keys and unique IDs are free again.
	memMustPut(t, d.PutUser(memAlice()))
	r := memRole()
	r.ARN = "arn:aws:iam::111122223333:role/deployer" // other case and path
	memMustPut(t, d.PutRole(r))
	// Deleting with a path that does not match fails.
	if err := d.DeleteUser("arn:aws:iam::111122223333:user/alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteUser(wrong path) err = %v, want ErrNotFound", err)
	}
}

// TestMemoryDirectoryCopies: Put stores deep copies, and entities returned
// earlier are not changed by later writes.
func TestMemoryDirectoryCopies(t *testing.T) {
	d := NewMemoryDirectory()
	ctx := context.Background()

	u := memAlice()
	memMustPut(t, d.PutUser(u))
	u.Policies[0] = memBoundary
	u.ManagedPolicyARNs[0] = "changed"
	u.Groups[0] = "changed"
	u.Tags[0].Value = "changed"
	u.AccessKeys[0].Inactive = true
	u.MFADevices[0].Seed = NewSecret("changed")
	got, _ := d.User(ctx, memAliceARN)
	if diff := cmp.Diff(memAlice(), *got, memCmpPolicies); diff != "" {
		t.Errorf("caller's changes leaked into the directory (-want +got):\n%s", diff)
	}

	r := memRole()
	memMustPut(t, d.PutRole(r))
	r.Policies[0] = memBoundary
	r.ManagedPolicyARNs[0] = "changed"
	r.Tags[0].Value = "changed"
	gotRole, _ := d.Role(ctx, memRoleARN)
	if diff := cmp.Diff(memRole(), *gotRole, memCmpPolicies); diff != "" {
		t.Errorf("caller's changes leaked into the role (-want +got):\n%s", diff)
	}

	g := Group{ARN: memGroupARN, Policies: []*policy.Policy{memIdentity}, ManagedPolicyARNs: []string{memPolARN}}
	memMustPut(t, d.PutGroup(g))
	g.Policies[0], g.ManagedPolicyARNs[0] = memBoundary, "changed"
	gotGroup, _ := d.Group(ctx, memGroupARN)
	if gotGroup.Policies[0] != memIdentity || gotGroup.ManagedPolicyARNs[0] != memPolARN {
		t.Errorf("caller's changes leaked into the group: %+v", gotGroup)
	}

	a := Account{ID: memAcct, SCPs: [][]*policy.Policy{{memIdentity}}, RCPs: [][]*policy.Policy{{memIdentity}}, DisabledRegions: []string{"af-south-1"}}
	memMustPut(t, d.PutAccount(a))
	a.SCPs[0][0], a.RCPs[0][0], a.DisabledRegions[0] = memBoundary, memBoundary, "changed"
	gotAcct, _ := d.Account(ctx, memAcct)
	if gotAcct.SCPs[0][0] != memIdentity || gotAcct.RCPs[0][0] != memIdentity || gotAcct.DisabledRegions[0] != "af-south-1" {
		t.Errorf("caller's changes leaked into the account: %+v", gotAcct)
	}

	// A later write replaces, it does not modify what readers hold.
	before, _ := d.User(ctx, memAliceARN)
	u2 := memAlice()
	u2.Tags = []Tag{{"team", "red"}}
	memMustPut(t, d.PutUser(u2))
	if before.Tags[0].Value != "blue" {
		t.Errorf("a held User changed after a Put: %+v", before.Tags)
	}
	after, _ := d.User(ctx, memAliceARN)
	if after.Tags[0].Value != "red" {
		t.Errorf("Put did not replace the user: %+v", after.Tags)
	}
}

// TestMemoryDirectoryConcurrent runs readers and writers together for the
// race detector; every read must see a whole entity.
func TestMemoryDirectoryConcurrent(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 200 {
				u := memAlice()
				u.Tags = []Tag{{"gen", fmt.Sprint(i)}}
				if err := d.PutUser(u); err != nil {
					t.Error(err)
				}
				other := User{ARN: fmt.Sprintf("arn:aws:iam::111122223333:user/w%d-%d", w, i), UniqueID: fmt.Sprintf("AIDAW%dN%d", w, i),
					AccessKeys: []AccessKey{{ID: fmt.Sprintf("AKIAW%dN%d0000000000", w, i), Secret: NewSecret("s")}}}
				if err := d.PutUser(other); err != nil {
					t.Error(err)
				}
				if i%2 == 0 {
					if err := d.DeleteUser(other.ARN); err != nil {
						t.Error(err)
					}
				}
				r := memRole()
				r.Tags = []Tag{{"gen", fmt.Sprint(i)}}
				if err := d.PutRole(r); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for range 8 {
		wg.Go(func() {
			for range 500 {
				u, k, err := d.UserByAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE")
				if err != nil || u.ARN != memAliceARN || k.ID != "AKIAIOSFODNN7EXAMPLE" || len(u.Tags) != 1 {
					t.Errorf("UserByAccessKey = %v, %v, %v", u, k, err)
				}
				if r, err := d.Role(ctx, memRoleARN); err != nil || r.TrustPolicy != memTrust {
					t.Errorf("Role = %v, %v", r, err)
				}
				if _, err := d.ManagedPolicy(ctx, memPolARN); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

// TestMemoryDirectoryNoAllocs: lookups, on the path of every STS request,
// allocate nothing.
func TestMemoryDirectoryNoAllocs(t *testing.T) {
	d := newMemTestDirectory(t)
	ctx := context.Background()
	lowerRole := "arn:aws:iam::111122223333:role/service/deployer"
	allocs := testing.AllocsPerRun(100, func() {
		_, _, _ = d.UserByAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE")
		_, _ = d.Role(ctx, lowerRole)
		_, _ = d.Role(ctx, memRoleARN)
		_, _ = d.User(ctx, memAliceARN)
		_, _ = d.Group(ctx, memGroupARN)
		_, _ = d.Account(ctx, memAcct)
		_, _ = d.ManagedPolicy(ctx, "arn:aws:iam::111122223333:policy/readonly")
		_, _ = d.ResourcePolicy(ctx, "arn:aws:s3:::bucket")
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %v times, want 0", allocs)
	}
}

func BenchmarkMemoryDirectoryRole(b *testing.B) {
	d := NewMemoryDirectory()
	for i := range 1000 {
		r := memRole()
		r.ARN = fmt.Sprintf("arn:aws:iam::111122223333:role/r%d", i)
		r.UniqueID = fmt.Sprintf("AROA%d", i)
		if err := d.PutRole(r); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Role(ctx, "arn:aws:iam::111122223333:role/r500"); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleMemoryDirectory() {
	trust := policy.MustParse(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
		"Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}`, policy.Trust)

	d := NewMemoryDirectory()
	err := d.PutRole(Role{
		ARN:         "arn:aws:iam::111122223333:role/Deployer",
		UniqueID:    "AROADBQP57FF2AEXAMPLE",
		TrustPolicy: trust,
	})
	fmt.Println(err)

	r, err := d.Role(context.Background(), "arn:aws:iam::111122223333:role/deployer") // names ignore case
	fmt.Println(r.UniqueID, err)

	_, err = d.Role(context.Background(), "arn:aws:iam::111122223333:role/ops/Deployer") // paths do not
	fmt.Println(err)
	// Output:
	// <nil>
	// AROADBQP57FF2AEXAMPLE <nil>
	// sts: role "arn:aws:iam::111122223333:role/ops/Deployer": not found
}

// TestMemoryResourcePolicyS3Objects checks that an object ARN finds its
// bucket's policy: "Bucket policies apply to the bucket and the objects in
// it" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html).
func TestMemoryResourcePolicyS3Objects(t *testing.T) {
	d := NewMemoryDirectory()
	p := policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, policy.Resource)
	if err := d.PutResourcePolicy("arn:aws:s3:::b", p); err != nil {
		t.Fatal(err)
	}
	for arn, want := range map[string]bool{
		"arn:aws:s3:::b":             true,
		"arn:aws:s3:::b/key":         true,
		"arn:aws:s3:::b/dir/key.txt": true,
		"arn:aws:s3:::bb/key":        false,
		"arn:aws:s3:::c/key":         false,
	} {
		got, err := d.ResourcePolicy(context.Background(), arn)
		if (got == p) != want || (err == nil) != want {
			t.Errorf("ResourcePolicy(%q) = %v, %v; want found=%v", arn, got, err, want)
		}
	}
}

// TestDirectoryDerivesUniqueID: a user or role stored without a UniqueID
// gets the one DeterministicUniqueID derives from its ARN, the prefix
// AWS gives that kind (reference_identifiers.html#identifiers-unique-ids:
// AIDA user, AROA role), the same every time and different per ARN.
func TestDirectoryDerivesUniqueID(t *testing.T) {
	d := NewMemoryDirectory()
	u := memAlice()
	u.UniqueID = ""
	if err := d.PutUser(u); err != nil {
		t.Fatal(err)
	}
	r := memRole()
	r.UniqueID = ""
	if err := d.PutRole(r); err != nil {
		t.Fatal(err)
	}
	gu, err := d.User(context.Background(), u.ARN)
	if err != nil {
		t.Fatal(err)
	}
	gr, err := d.Role(context.Background(), r.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if want := DeterministicUniqueID("AIDA", u.ARN); gu.UniqueID != want || !strings.HasPrefix(want, "AIDA") || len(want) != 21 {
		t.Errorf("user UniqueID = %q, want %q (AIDA + 17)", gu.UniqueID, want)
	}
	if want := DeterministicUniqueID("AROA", r.ARN); gr.UniqueID != want || !strings.HasPrefix(want, "AROA") {
		t.Errorf("role UniqueID = %q, want %q", gr.UniqueID, want)
	}
	if DeterministicUniqueID("AIDA", u.ARN) == DeterministicUniqueID("AIDA", u.ARN+"2") {
		t.Error("two ARNs derive one UniqueID")
	}
	for _, c := range gu.UniqueID[4:] {
		if !strings.ContainsRune(b32Alphabet, c) {
			t.Errorf("UniqueID %q has %q outside A-Z2-7", gu.UniqueID, c)
		}
	}
}
