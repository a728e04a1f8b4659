package identitycenter

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// AWS pages the tests take their answers from.
const (
	docCreateUser       = "https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateUser.html"
	docCreateGroup      = "https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroup.html"
	docGroupMembership  = "https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_CreateGroupMembership.html"
	docPermissionSets   = "https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html"
	docPermissionSet    = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionSet.html"
	docSessionDuration  = "https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html"
	docLimits           = "https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html"
	docCMPReference     = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CustomerManagedPolicyReference.html"
	docAttachManaged    = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_AttachManagedPolicyToPermissionSet.html"
	docInlinePolicy     = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PutInlinePolicyToPermissionSet.html"
	docBoundary         = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PermissionsBoundary.html"
	docCreateAssignment = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html"
	docReferencing      = "https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html"
	docABAC             = "https://docs.aws.amazon.com/singlesignon/latest/userguide/attributesforaccesscontrol.html"
	docConfigureABAC    = "https://docs.aws.amazon.com/singlesignon/latest/userguide/configure-abac-attributes.html"
	docAttrMappings     = "https://docs.aws.amazon.com/singlesignon/latest/userguide/attributemappingsconcept.html"
	docACA              = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_AccessControlAttribute.html"
	docACAConfig        = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_InstanceAccessControlAttributeConfiguration.html"
	docGetRoleCreds     = "https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html"
	docListAccounts     = "https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccounts.html"
	docListAccountRoles = "https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccountRoles.html"
	docProvision        = "https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ProvisionPermissionSet.html"
	docRolesCreated     = "https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html"
	docSLRPolicy        = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSSOServiceRolePolicy.html"
	docSAMLRoles        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html"
	docAWRSAML          = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html"
)

func newTestInstance(t testing.TB, opt Options) *Instance {
	t.Helper()
	in, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// code returns the AWS error code of err, "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "non-API error: " + err.Error()
}

func TestNewOptions(t *testing.T) {
	in := newTestInstance(t, Options{})
	got := map[string]string{"store": in.IdentityStoreID(), "region": in.Region(), "partition": in.Partition(),
		"start": in.StartURL(), "arn": in.InstanceARN()}
	want := map[string]string{"store": "d-0000000000", "region": "us-east-1", "partition": "aws",
		"start": "https://d-0000000000.awsapps.com/start", "arn": in.InstanceARN()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	// API_InstanceMetadata.html: arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}
	if !regexp.MustCompile(`^arn:aws:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`).MatchString(in.InstanceARN()) {
		t.Errorf("InstanceARN %q does not match AWS's pattern", in.InstanceARN())
	}
	for name, opt := range map[string]Options{
		"store ID":    {IdentityStoreID: "d-XYZ"},
		"instance ID": {InstanceID: "ssoins-short"},
		"region":      {Region: "Mars"},
		"partition":   {Partition: "aws-iso-f"},
	} {
		if _, err := New(opt); code(err) != "ValidationException" {
			t.Errorf("%s: New = %v, want ValidationException", name, err)
		}
	}
}

func TestCreateUserValidation(t *testing.T) {
	t.Logf("limits from %s", docCreateUser)
	ok := User{UserName: "jdoe", DisplayName: "John Doe"}
	tests := []struct {
		name string
		mod  func(*User)
		want string // error code, "" for success
		msg  string // part of the message
	}{
		{"valid", func(*User) {}, "", ""},
		{"email user name", func(u *User) { u.UserName = "jdoe@example.com" }, "", ""},
		{"accented", func(u *User) { u.UserName = "zoë.ångström" }, "", ""},
		{"128 characters", func(u *User) { u.UserName = strings.Repeat("é", 128) }, "", ""},
		{"129 characters", func(u *User) { u.UserName = strings.Repeat("a", 129) }, "ValidationException", "Member must have length less than or equal to 128"},
		{"empty user name", func(u *User) { u.UserName = "" }, "ValidationException", "Member must have length greater than or equal to 1"},
		{"space", func(u *User) { u.UserName = "j doe" }, "ValidationException", "regular expression pattern"},
		{"excluded <", func(u *User) { u.UserName = "j<doe" }, "ValidationException", "regular expression pattern"},
		{"excluded %", func(u *User) { u.UserName = "j%doe" }, "ValidationException", "regular expression pattern"},
		{"reserved Administrator", func(u *User) { u.UserName = "Administrator" }, "ValidationException", "reserved"},
		{"reserved AWSAdministrators", func(u *User) { u.UserName = "AWSAdministrators" }, "ValidationException", "reserved"},
		{"no display name", func(u *User) { u.DisplayName = "" }, "ValidationException", "'displayName'"},
		{"display name 1025", func(u *User) { u.DisplayName = strings.Repeat("x", 1025) }, "ValidationException", "1024"},
		{"one email", func(u *User) { u.Emails = []Email{{Value: "j@example.com", Type: "work", Primary: true}} }, "", ""},
		{"two emails", func(u *User) { u.Emails = []Email{{Value: "a@example.com"}, {Value: "b@example.com"}} }, "ValidationException", "'emails'"},
		{"empty email", func(u *User) { u.Emails = []Email{{Value: ""}} }, "ValidationException", "emails.1.member.value"},
		{"enterprise attributes", func(u *User) {
			u.Attributes = map[string]string{"enterprise.department": "eng", "enterprise.costCenter": "cc-1", "title": "SRE"}
		}, "", ""},
		{"work address", func(u *User) { u.Attributes = map[string]string{`addresses[type eq "work"].locality`: "Paris"} }, "", ""},
		{"unknown attribute", func(u *User) { u.Attributes = map[string]string{"department": "eng"} }, "ValidationException", "supported attribute paths"},
		{"typed attribute", func(u *User) { u.Attributes = map[string]string{"userName": "x"} }, "ValidationException", "supported attribute paths"},
		{"empty attribute", func(u *User) { u.Attributes = map[string]string{"title": ""} }, "ValidationException", "attributes.title"},
		{"bad ID", func(u *User) { u.ID = "user-1" }, "ValidationException", "'userId'"},
		{"given ID", func(u *User) { u.ID = "0000000000-11111111-2222-3333-4444-555555555555" }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newTestInstance(t, Options{})
			u := ok
			tt.mod(&u)
			got, err := in.CreateUser(u)
			if code(err) != tt.want {
				t.Fatalf("CreateUser = %v, want %q", err, tt.want)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("message %q lacks %q", err, tt.msg)
				}
				return
			}
			if !rePrincipalID.MatchString(got.ID) || !strings.HasPrefix(got.ID, "0000000000-") {
				t.Errorf("ID %q does not match AWS's PrincipalId pattern with the store's prefix", got.ID)
			}
		})
	}
}

func TestValidationMessageForm(t *testing.T) {
	// AWS's JSON protocol: "N validation error(s) detected: Value 'V' at
	// 'member' failed to satisfy constraint: ...", pattern before length.
	in := newTestInstance(t, Options{})
	_, err := in.CreatePermissionSet(PermissionSet{Name: ""})
	want := "identitycenter: ValidationException: 2 validation errors detected: " +
		"Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
		"Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	var e *Error
	if !errors.As(err, &e) || e.HTTPStatusCode() != 400 || e.ErrorCode() != "ValidationException" || !errors.Is(err, ErrValidation) {
		t.Errorf("error %#v is not a 400 ValidationException", e)
	}
}

func TestUserNamesUnique(t *testing.T) {
	in := newTestInstance(t, Options{})
	a, err := in.CreateUser(User{UserName: "Alice", DisplayName: "Alice"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.CreateUser(User{UserName: "alice", DisplayName: "Other"}); !errors.Is(err, ErrConflict) {
		t.Errorf("a second alice: %v, want ConflictException", err)
	}
	got, err := in.UserByName("ALICE")
	if err != nil || got.ID != a.ID {
		t.Errorf("UserByName(ALICE) = %v, %v; want %s", got.ID, err, a.ID)
	}
	if _, err := in.UserByName("bob"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("UserByName(bob) = %v, want ResourceNotFoundException", err)
	}
	// Renaming frees the old name.
	b, _ := in.CreateUser(User{UserName: "bob", DisplayName: "Bob"})
	a.UserName = "bob"
	if err := in.UpdateUser(a); !errors.Is(err, ErrConflict) {
		t.Errorf("rename to a taken name: %v, want ConflictException", err)
	}
	a.UserName = "alice2"
	if err := in.UpdateUser(a); err != nil {
		t.Fatal(err)
	}
	if _, err := in.CreateUser(User{UserName: "alice", DisplayName: "New"}); err != nil {
		t.Errorf("the old name is still taken: %v", err)
	}
	if err := in.UpdateUser(User{ID: "0000000000-11111111-2222-3333-4444-555555555555", UserName: "x", DisplayName: "x"}); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("UpdateUser of nobody: %v", err)
	}
	_ = b
}

func TestReturnedUsersAreCopies(t *testing.T) {
	in := newTestInstance(t, Options{})
	u, _ := in.CreateUser(User{UserName: "a", DisplayName: "A", Attributes: map[string]string{"title": "x"}})
	u.Attributes["title"] = "changed"
	got, _ := in.User(u.ID)
	if got.Attributes["title"] != "x" {
		t.Errorf("a returned user shares its map with the instance")
	}
}

func TestGroupsAndMemberships(t *testing.T) {
	t.Logf("rules from %s and %s", docCreateGroup, docGroupMembership)
	in := newTestInstance(t, Options{})
	u, _ := in.CreateUser(User{UserName: "u", DisplayName: "U"})
	g, err := in.CreateGroup(Group{DisplayName: "Developers", Description: "devs"})
	if err != nil {
		t.Fatal(err)
	}
	if !rePrincipalID.MatchString(g.ID) {
		t.Errorf("group ID %q does not match the PrincipalId pattern", g.ID)
	}
	if _, err := in.CreateGroup(Group{DisplayName: "developers"}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate group: %v", err)
	}
	for _, bad := range []Group{{DisplayName: ""}, {DisplayName: "Administrator"}, {DisplayName: "x", Description: strings.Repeat("d", 1025)}} {
		if _, err := in.CreateGroup(bad); !errors.Is(err, ErrValidation) {
			t.Errorf("CreateGroup(%+v) = %v, want ValidationException", bad, err)
		}
	}
	if err := in.CreateGroupMembership(g.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.CreateGroupMembership(g.ID, u.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("second membership: %v, want ConflictException", err)
	}
	if err := in.CreateGroupMembership(g.ID, "0000000000-11111111-2222-3333-4444-555555555555"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("membership of nobody: %v", err)
	}
	groups, _ := in.GroupsOfUser(u.ID)
	members, _ := in.MembersOfGroup(g.ID)
	if diff := cmp.Diff([]string{g.ID}, groups); diff != "" {
		t.Errorf("GroupsOfUser (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{u.ID}, members); diff != "" {
		t.Errorf("MembersOfGroup (-want +got):\n%s", diff)
	}
	if got, err := in.GroupByName("DEVELOPERS"); err != nil || got.ID != g.ID {
		t.Errorf("GroupByName = %v, %v", got, err)
	}
	if err := in.DeleteGroupMembership(g.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.DeleteGroupMembership(g.ID, u.ID); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("deleting a missing membership: %v", err)
	}
}

func TestDeleteUserAndGroupCascade(t *testing.T) {
	in := newTestInstance(t, Options{})
	mustDo(t, in.PutAccount(Account{ID: "111111111111", Name: "dev"}))
	u, _ := in.CreateUser(User{UserName: "u", DisplayName: "U"})
	g, _ := in.CreateGroup(Group{DisplayName: "g"})
	mustDo(t, in.CreateGroupMembership(g.ID, u.ID))
	if _, err := in.CreatePermissionSet(PermissionSet{Name: "PS"}); err != nil {
		t.Fatal(err)
	}
	mustDo(t, in.CreateAccountAssignment(Assignment{AccountID: "111111111111", PermissionSet: "PS", PrincipalType: PrincipalUser, PrincipalID: u.ID}))
	mustDo(t, in.CreateAccountAssignment(Assignment{AccountID: "111111111111", PermissionSet: "PS", PrincipalType: PrincipalGroup, PrincipalID: g.ID}))
	mustDo(t, in.DeleteUser(u.ID))
	if got := in.AccountAssignments(); len(got) != 1 || got[0].PrincipalType != PrincipalGroup {
		t.Errorf("after DeleteUser, assignments = %+v, want the group's only", got)
	}
	if m, _ := in.MembersOfGroup(g.ID); len(m) != 0 {
		t.Errorf("after DeleteUser, members = %v", m)
	}
	mustDo(t, in.DeleteGroup(g.ID))
	if got := in.AccountAssignments(); len(got) != 0 {
		t.Errorf("after DeleteGroup, assignments = %+v", got)
	}
	if err := in.DeleteGroup(g.ID); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("second DeleteGroup: %v", err)
	}
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestAccounts(t *testing.T) {
	in := newTestInstance(t, Options{})
	for _, bad := range []Account{{ID: "1234"}, {ID: "111111111111", Name: strings.Repeat("n", 51)}, {ID: "111111111111", Email: "x"}} {
		if err := in.PutAccount(bad); !errors.Is(err, ErrValidation) {
			t.Errorf("PutAccount(%+v) = %v, want ValidationException", bad, err)
		}
	}
	mustDo(t, in.PutAccount(Account{ID: "222222222222"}))
	mustDo(t, in.PutAccount(Account{ID: "111111111111", Name: "prod", Email: "aws@example.com"}))
	want := []Account{{ID: "111111111111", Name: "prod", Email: "aws@example.com"}, {ID: "222222222222", Name: "222222222222"}}
	if diff := cmp.Diff(want, in.Accounts()); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
	mustDo(t, in.DeleteAccount("222222222222"))
	if _, err := in.Account("222222222222"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("deleted account: %v", err)
	}
}
