package identitycenter

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/sts"
)

// portalFixture: alice in admins (AdministratorAccess in dev and prod),
// bob in developers (DeveloperAccess in dev, ReadOnly in prod), carol
// with nothing; provisioned.
type portalFixture struct {
	*fixture
	alice, bob, carol User
	admins, devs      Group
}

func newPortalFixture(t testing.TB) *portalFixture {
	f := &portalFixture{fixture: newFixture(t, Options{})}
	f.alice = f.user("alice", map[string]string{"enterprise.department": "platform"})
	f.bob = f.user("bob", map[string]string{"enterprise.department": "payments", "enterprise.costCenter": "cc-1234"})
	f.carol = f.user("carol", nil)
	f.admins = f.group("admins", f.alice)
	f.devs = f.group("developers", f.bob)
	f.permissionSet(PermissionSet{Name: "AdministratorAccess", SessionDuration: "PT4H", ManagedPolicies: []string{adminARN}})
	f.permissionSet(PermissionSet{Name: "ReadOnlyAccess", ManagedPolicies: []string{readOnlyARN}})
	f.permissionSet(PermissionSet{Name: "DeveloperAccess", SessionDuration: "PT8H",
		CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "Dev", Path: "/team/"}},
		InlinePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*",` +
			`"Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:PrincipalTag/team}"}}}]}`})
	f.assignGroup(f.admins, "AdministratorAccess", acctDev)
	f.assignGroup(f.admins, "AdministratorAccess", acctProd)
	f.assignGroup(f.devs, "DeveloperAccess", acctDev)
	f.assignGroup(f.devs, "ReadOnlyAccess", acctProd)
	mustDo(t, f.ic.SetAccessControlAttributes([]AccessControlAttribute{
		{Key: "team", Source: "${path:enterprise.department}"},
		{Key: "CostCenter", Source: "${path:enterprise.costCenter}"},
	}))
	f.provision()
	return f
}

func (f *portalFixture) creds(u User, account, role string) (*RoleCredentials, error) {
	return f.ic.RoleCredentials(f.ctx, f.is, u.ID, account, role)
}

func (f *portalFixture) session(c *RoleCredentials) *sts.Session {
	f.t.Helper()
	s, err := f.is.Authenticate(f.ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	mustDo(f.t, err)
	return s
}

func TestListAccountsAndRoles(t *testing.T) {
	t.Logf("answers as %s and %s", docListAccounts, docListAccountRoles)
	f := newPortalFixture(t)
	accounts, err := f.ic.ListAccounts(f.bob.ID)
	mustDo(t, err)
	want := []AccountInfo{{AccountID: acctDev, AccountName: "dev", EmailAddress: "dev@example.com"},
		{AccountID: acctProd, AccountName: "prod", EmailAddress: "prod@example.com"}}
	if diff := cmp.Diff(want, accounts); diff != "" {
		t.Errorf("ListAccounts(bob) (-want +got):\n%s", diff)
	}
	roles, err := f.ic.ListAccountRoles(f.bob.ID, acctProd)
	mustDo(t, err)
	if diff := cmp.Diff([]RoleInfo{{AccountID: acctProd, RoleName: "ReadOnlyAccess"}}, roles); diff != "" {
		t.Errorf("ListAccountRoles(bob, prod) (-want +got):\n%s", diff)
	}
	// A direct assignment adds to the group's.
	f.assignUser(f.bob, "AdministratorAccess", acctProd)
	roles, _ = f.ic.ListAccountRoles(f.bob.ID, acctProd)
	if diff := cmp.Diff([]RoleInfo{{acctProd, "AdministratorAccess"}, {acctProd, "ReadOnlyAccess"}}, roles); diff != "" {
		t.Errorf("after a direct assignment (-want +got):\n%s", diff)
	}
	if got, _ := f.ic.ListAccounts(f.carol.ID); len(got) != 0 {
		t.Errorf("carol sees %v", got)
	}
	if got, _ := f.ic.ListAccountRoles(f.carol.ID, acctDev); len(got) != 0 {
		t.Errorf("carol has roles %v", got)
	}
	if _, err := f.ic.ListAccounts("0000000000-11111111-2222-3333-4444-555555555555"); !errors.Is(err, ErrUnauthorized) || err.(*Error).Message != "Session token not found or invalid" {
		t.Errorf("unknown user: %v", err)
	}
	if _, err := f.ic.ListAccountRoles("nobody", acctDev); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("unknown user: %v", err)
	}
	if !f.ic.HasAccess(f.alice.ID, acctProd, "AdministratorAccess") || f.ic.HasAccess(f.alice.ID, acctProd, "ReadOnlyAccess") {
		t.Errorf("HasAccess is wrong")
	}
}

func TestRoleCredentials(t *testing.T) {
	t.Logf("answers as %s", docGetRoleCreds)
	f := newPortalFixture(t)
	c, err := f.creds(f.bob, acctDev, "DeveloperAccess")
	mustDo(t, err)
	roleName, _ := f.ic.RoleName("DeveloperAccess", acctDev)
	wantARN := "arn:aws:sts::" + acctDev + ":assumed-role/" + roleName + "/bob"
	if c.AssumedRoleARN != wantARN || !strings.HasPrefix(roleName, "AWSReservedSSO_DeveloperAccess_") {
		t.Errorf("session ARN %q, want %q", c.AssumedRoleARN, wantARN)
	}
	// The permission set's session duration (howtosessionduration.html).
	if want := t0.Add(8 * time.Hour); !c.Expiration.Equal(want) || c.ExpirationMillis() != want.UnixMilli() {
		t.Errorf("Expiration %v, want %v (%s)", c.Expiration, want, docSessionDuration)
	}
	if !strings.HasPrefix(c.AccessKeyID, "ASIA") || c.SessionToken == "" || c.SecretAccessKey.IsZero() {
		t.Errorf("credentials %+v", c.Credentials)
	}
	s := f.session(c)
	if s.ARN != wantARN || s.UserID != c.AssumedRoleID || !strings.HasSuffix(s.UserID, ":bob") || s.SourceARN != c.RoleARN {
		t.Errorf("session %+v", s)
	}
	gci, err := f.is.GetCallerIdentity(f.ctx, s)
	mustDo(t, err)
	if gci.Arn != wantARN {
		t.Errorf("GetCallerIdentity %q", gci.Arn)
	}
	// The customer managed policy resolved in dev applies.
	d, err := f.is.Authorize(f.ctx, s, sts.AuthorizeInput{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:" + acctDev + ":table/t"})
	mustDo(t, err)
	if !d.Allowed() {
		t.Errorf("dynamodb:GetItem refused: %v", d.Explanation)
	}
	d, _ = f.is.Authorize(f.ctx, s, sts.AuthorizeInput{Action: "iam:CreateUser", Resource: "arn:aws:iam::" + acctDev + ":user/x"})
	if d.Allowed() {
		t.Errorf("iam:CreateUser allowed to a developer")
	}
	// The admins' four hours.
	a, err := f.creds(f.alice, acctProd, "AdministratorAccess")
	mustDo(t, err)
	if want := t0.Add(4 * time.Hour); !a.Expiration.Equal(want) {
		t.Errorf("admin Expiration %v", a.Expiration)
	}
	// Expired after the duration.
	f.clock.Advance(4*time.Hour + time.Second)
	if _, err := f.is.Authenticate(f.ctx, a.AccessKeyID, a.SecretAccessKey, a.SessionToken); !errors.Is(err, sts.ErrExpiredToken) {
		t.Errorf("after four hours: %v", err)
	}
}

func TestRoleCredentialsRefusals(t *testing.T) {
	f := newPortalFixture(t)
	tests := []struct {
		name          string
		user          string
		account, role string
		want          *Error
		msg           string
	}{
		{"not assigned in that account", f.bob.ID, acctProd, "DeveloperAccess", ErrForbidden, "No access"},
		{"no assignment at all", f.carol.ID, acctDev, "ReadOnlyAccess", ErrForbidden, "No access"},
		{"no such permission set", f.bob.ID, acctDev, "Nope", ErrForbidden, "No access"},
		{"no such account", f.bob.ID, "999999999999", "DeveloperAccess", ErrForbidden, "No access"},
		{"role name instead of set name", f.bob.ID, acctDev, "AWSReservedSSO_DeveloperAccess", ErrForbidden, "No access"},
		{"unknown user", "0000000000-11111111-2222-3333-4444-555555555555", acctDev, "DeveloperAccess", ErrUnauthorized, "Session token not found or invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.ic.RoleCredentials(f.ctx, f.is, tt.user, tt.account, tt.role)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.want) || e.Message != tt.msg {
				t.Fatalf("RoleCredentials = %v, want %s %q", err, tt.want.Code, tt.msg)
			}
			if e.HTTPStatusCode() != tt.want.HTTPStatus {
				t.Errorf("status %d", e.HTTPStatusCode())
			}
		})
	}
	if ErrForbidden.HTTPStatus != 403 || ErrUnauthorized.HTTPStatus != 401 {
		t.Errorf("statuses %d %d", ErrForbidden.HTTPStatus, ErrUnauthorized.HTTPStatus)
	}
	// Assigned but not provisioned yet.
	f.assignUser(f.carol, "ReadOnlyAccess", acctDev)
	if _, err := f.creds(f.carol, acctDev, "ReadOnlyAccess"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("before provisioning: %v", err)
	}
	f.provision()
	if _, err := f.creds(f.carol, acctDev, "ReadOnlyAccess"); err != nil {
		t.Errorf("after provisioning: %v", err)
	}
	// A user name STS does not take as a session name (ë is not in [\w+=,.@-]).
	odd := f.user("zoë", nil)
	f.assignUser(odd, "ReadOnlyAccess", acctDev)
	if _, err := f.creds(odd, acctDev, "ReadOnlyAccess"); !errors.Is(err, sts.ErrValidation) {
		t.Errorf("session name with ë: %v", err)
	}
}

func TestRemovingMembershipRevokesAccess(t *testing.T) {
	// The next GetRoleCredentials after the user leaves the group fails;
	// the role stays while another assignment needs it.
	f := newPortalFixture(t)
	f.assignUser(f.carol, "DeveloperAccess", acctDev)
	f.provision()
	if _, err := f.creds(f.bob, acctDev, "DeveloperAccess"); err != nil {
		t.Fatal(err)
	}
	mustDo(t, f.ic.DeleteGroupMembership(f.devs.ID, f.bob.ID))
	if _, err := f.creds(f.bob, acctDev, "DeveloperAccess"); !errors.Is(err, ErrForbidden) {
		t.Errorf("after leaving the group: %v", err)
	}
	if accounts, _ := f.ic.ListAccounts(f.bob.ID); len(accounts) != 0 {
		t.Errorf("bob still lists %v", accounts)
	}
	if _, err := f.creds(f.carol, acctDev, "DeveloperAccess"); err != nil {
		t.Errorf("carol's direct assignment: %v", err)
	}
}

func TestAttributesForAccessControl(t *testing.T) {
	t.Logf("rules from %s, %s and %s", docABAC, docConfigureABAC, docAttrMappings)
	f := newPortalFixture(t)
	c, err := f.creds(f.bob, acctDev, "DeveloperAccess")
	mustDo(t, err)
	s := f.session(c)
	want := []sts.Tag{{Key: "team", Value: "payments"}, {Key: "CostCenter", Value: "cc-1234"}}
	if diff := cmp.Diff(want, s.Tags); diff != "" {
		t.Errorf("session tags (-want +got):\n%s", diff)
	}
	// aws:PrincipalTag/team decides the inline policy's ABAC rule.
	mustDo(t, f.dir.PutResourcePolicy("arn:aws:s3:::payments-data", policy.MustParse(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/team":"payments"}}}]}`, policy.Resource)))
	d, err := f.is.Authorize(f.ctx, s, sts.AuthorizeInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::payments-data/x"})
	mustDo(t, err)
	if d.Explanation.Decision == policy.ExplicitDeny {
		t.Errorf("bob of payments denied: %v", d.Explanation)
	}
	// Alice has no costCenter: no CostCenter tag (a missing attribute gives
	// no tag); her department is platform.
	tags, err := f.ic.SessionTags(f.alice.ID)
	mustDo(t, err)
	if diff := cmp.Diff([]sts.Tag{{Key: "team", Value: "platform"}}, tags); diff != "" {
		t.Errorf("alice's tags (-want +got):\n%s", diff)
	}
	a, _ := f.creds(f.alice, acctDev, "AdministratorAccess")
	d, err = f.is.Authorize(f.ctx, f.session(a), sts.AuthorizeInput{Action: "s3:GetObject", Resource: "arn:aws:s3:::payments-data/x"})
	mustDo(t, err)
	if d.Explanation.Decision != policy.ExplicitDeny {
		t.Errorf("alice of platform not denied: %v", d.Explanation)
	}
	// Changing the attribute changes the next session's tags.
	u, _ := f.ic.User(f.alice.ID)
	u.Attributes["enterprise.department"] = "payments"
	mustDo(t, f.ic.UpdateUser(u))
	a, _ = f.creds(f.alice, acctDev, "AdministratorAccess")
	if tags := f.session(a).Tags; len(tags) != 1 || tags[0].Value != "payments" {
		t.Errorf("after the change: %v", tags)
	}
	// Turning the attributes off gives untagged sessions.
	mustDo(t, f.ic.SetAccessControlAttributes(nil))
	a, _ = f.creds(f.alice, acctDev, "AdministratorAccess")
	if tags := f.session(a).Tags; len(tags) != 0 {
		t.Errorf("without attributes: %v", tags)
	}
}

func TestAccessControlAttributeSources(t *testing.T) {
	in := newTestInstance(t, Options{})
	u, _ := in.CreateUser(User{UserName: "jdoe", DisplayName: "John Doe", Name: Name{GivenName: "John", FamilyName: "Doe"},
		Emails:     []Email{{Value: "jdoe@example.com", Type: "work", Primary: true}},
		Attributes: map[string]string{"title": "SRE", `addresses[type eq "work"].locality`: "Paris", "enterprise.manager.value": "boss"}})
	attrs := []AccessControlAttribute{
		{Key: "user", Source: "${path:userName}"},
		{Key: "display", Source: "${path:displayName}"},
		{Key: "given", Source: "${path:name.givenName}"},
		{Key: "family", Source: "${path:name.familyName}"},
		{Key: "email", Source: "${path:emails[primary eq true].value}"},
		{Key: "title", Source: "${path:title}"},
		{Key: "city", Source: `${path:addresses[type eq "work"].locality}`},
		{Key: "manager", Source: "${path:enterprise.manager.value}"},
		{Key: "division", Source: "${path:enterprise.division}"},
	}
	mustDo(t, in.SetAccessControlAttributes(attrs))
	tags, _ := in.SessionTags(u.ID)
	tag := func(k, v string) sts.Tag { return sts.Tag{Key: k, Value: v} }
	want := []sts.Tag{tag("user", "jdoe"), tag("display", "John Doe"), tag("given", "John"), tag("family", "Doe"),
		tag("email", "jdoe@example.com"), tag("title", "SRE"), tag("city", "Paris"), tag("manager", "boss")}
	if diff := cmp.Diff(want, tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(attrs, in.AccessControlAttributes()); diff != "" {
		t.Errorf("AccessControlAttributes (-want +got):\n%s", diff)
	}
	// A non-primary email is not emails[primary eq true].
	u.Emails[0].Primary = false
	mustDo(t, in.UpdateUser(u))
	tags, _ = in.SessionTags(u.ID)
	for _, tg := range tags {
		if tg.Key == "email" {
			t.Errorf("a non-primary email gave %v", tg)
		}
	}
	if len(SupportedAttributePaths()) != len(supportedPaths) {
		t.Errorf("SupportedAttributePaths")
	}
	if _, err := in.SessionTags("nobody"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("SessionTags(nobody) = %v", err)
	}

	t.Logf("limits from %s and %s", docACA, docACAConfig)
	fifty := make([]AccessControlAttribute, 51)
	for i := range fifty {
		fifty[i] = AccessControlAttribute{Key: "k" + itoa(i), Source: "${path:title}"}
	}
	for name, bad := range map[string][]AccessControlAttribute{
		"51 attributes":       fifty,
		"empty key":           {{Key: "", Source: "${path:title}"}},
		"key 129":             {{Key: strings.Repeat("k", 129), Source: "${path:title}"}},
		"key character":       {{Key: "a,b", Source: "${path:title}"}},
		"duplicate key":       {{Key: "Team", Source: "${path:title}"}, {Key: "team", Source: "${path:userName}"}},
		"plain attribute":     {{Key: "k", Source: "department"}},
		"unsupported path":    {{Key: "k", Source: "${path:enterprise.salary}"}},
		"other namespace":     {{Key: "k", Source: "${user:email}"}},
		"unterminated":        {{Key: "k", Source: "${path:title"}},
		"source 257":          {{Key: "k", Source: "${path:" + strings.Repeat("x", 250) + "}"}},
		"source out of class": {{Key: "k", Source: "${path:title}#"}},
	} {
		if err := in.SetAccessControlAttributes(bad); !errors.Is(err, ErrValidation) {
			t.Errorf("%s: %v, want ValidationException", name, err)
		}
	}
	if err := in.SetAccessControlAttributes(fifty[:50]); err != nil {
		t.Errorf("50 attributes: %v", err)
	}
}

func TestProtectedRoles(t *testing.T) {
	// The provisioned roles are only modifiable by AWS
	// (AWSSSOServiceRolePolicy manages role/aws-reserved/sso.amazonaws.com/*):
	// an IAM administrator of the account is refused changes to them with
	// the identity-center-role rule, and so is the role's own session.
	f := newPortalFixture(t)
	roleARN, _ := f.ic.RoleARN("DeveloperAccess", acctDev)
	adminKey := "AKIA" + strings.Repeat("A", 16)
	mustDo(t, f.dir.PutUser(sts.User{ARN: "arn:aws:iam::" + acctDev + ":user/admin", ManagedPolicyARNs: []string{adminARN},
		AccessKeys: []sts.AccessKey{{ID: adminKey, Secret: sts.NewSecret("admin-secret")}}}))
	admin, err := f.is.Authenticate(f.ctx, adminKey, sts.NewSecret("admin-secret"), "")
	mustDo(t, err)
	a, _ := f.creds(f.alice, acctDev, "AdministratorAccess")
	for _, s := range []*sts.Session{admin, f.session(a)} {
		for _, action := range []string{"iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:TagRole"} {
			d, err := f.is.Authorize(f.ctx, s, sts.AuthorizeInput{Action: action, Resource: roleARN})
			mustDo(t, err)
			if d.Allowed() || d.Explanation.Decision != policy.ImplicitDeny || d.Explanation.Reason != policy.ReasonProtected ||
				d.Explanation.Protection != policy.ProtectionIdentityCenterRole || d.Explanation.Protection.Name() != "identity-center-role" {
				t.Errorf("%s by %s on %s: %v (%s)", action, s.ARN, roleARN, d.Explanation, docSLRPolicy)
			}
		}
		if d, _ := f.is.Authorize(f.ctx, s, sts.AuthorizeInput{Action: "iam:GetRole", Resource: roleARN}); !d.Allowed() {
			t.Errorf("iam:GetRole by %s: %v", s.ARN, d.Explanation)
		}
	}
	// In a Region other than us-east-1 the path has a Region segment; the
	// rule covers it too.
	g := newFixture(t, Options{Region: "eu-west-2"})
	u := g.user("alice", nil)
	g.permissionSet(PermissionSet{Name: "P"})
	g.assignUser(u, "P", acctDev)
	g.provision()
	arn, _ := g.ic.RoleARN("P", acctDev)
	caller := principal.MustParse(admin.ARN)
	if rule := policy.Protected(&caller, "iam:PutRolePolicy", arn); rule != policy.ProtectionIdentityCenterRole {
		t.Errorf("Protected(%s) = %v", arn, rule)
	}
}

func TestSessionsVerifySigV4(t *testing.T) {
	// The credentials sign requests that credentials.Verifier accepts,
	// like any other session's.
	f := newPortalFixture(t)
	c, err := f.creds(f.bob, acctProd, "ReadOnlyAccess")
	mustDo(t, err)
	v, err := credentials.NewVerifier(credentials.VerifierOptions{Resolver: f.is, Service: "sts", Now: f.clock.Now})
	mustDo(t, err)
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	req, _ := http.NewRequest(http.MethodPost, "https://sts.amazonaws.com/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	signer := v4.NewSigner()
	h := sha256.Sum256([]byte(body))
	sum := hex.EncodeToString(h[:])
	err = signer.SignHTTP(f.ctx, aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey.Reveal(), SessionToken: c.SessionToken},
		req, sum, "sts", "us-east-1", f.clock.Now())
	mustDo(t, err)
	req.Body = io.NopCloser(strings.NewReader(body))
	who, err := v.Verify(req)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if who.Session.ARN != c.AssumedRoleARN {
		t.Errorf("verified %q, want %q", who.Session.ARN, c.AssumedRoleARN)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := newPortalFixture(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				switch (i + j) % 4 {
				case 0:
					f.creds(f.bob, acctDev, "DeveloperAccess")
				case 1:
					f.ic.ListAccounts(f.alice.ID)
				case 2:
					f.ic.CreateUser(User{UserName: "u" + itoa(i) + "-" + itoa(j), DisplayName: "x"})
				case 3:
					f.ic.Provision(f.ctx, f.dir)
				}
			}
		}()
	}
	wg.Wait()
	if _, err := f.creds(f.bob, acctDev, "DeveloperAccess"); err != nil {
		t.Error(err)
	}
}
