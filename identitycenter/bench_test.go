package identitycenter

import (
	"context"
	"fmt"
	"testing"

	"github.com/iamkit/iamkit/sts"
)

// bench30x3 is the course's organization: 30 accounts, three permission
// sets (admins everywhere, developers with DeveloperAccess and
// ReadOnlyAccess), 30 developers in one group.
func bench30x3(b *testing.B) (*fixture, User) {
	b.Helper()
	f := newFixture(b, Options{})
	var accounts []string
	for i := range 30 {
		id := fmt.Sprintf("3000000000%02d", i)
		accounts = append(accounts, id)
		mustDo(b, f.dir.PutAccount(sts.Account{ID: id}))
		mustDo(b, f.dir.PutManagedPolicy("arn:aws:iam::"+id+":policy/team/Dev", identityPolicy(`{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}`)))
		mustDo(b, f.ic.PutAccount(Account{ID: id, Name: "acct-" + id}))
	}
	admin := f.user("admin", nil)
	admins := f.group("admins", admin)
	var devs []User
	for i := range 30 {
		devs = append(devs, f.user(fmt.Sprintf("dev%02d", i), map[string]string{"enterprise.department": "team"}))
	}
	developers := f.group("developers", devs...)
	mustDo(b, f.ic.SetAccessControlAttributes([]AccessControlAttribute{{Key: "team", Source: "${path:enterprise.department}"}}))
	f.permissionSet(PermissionSet{Name: "AdministratorAccess", ManagedPolicies: []string{adminARN}})
	f.permissionSet(PermissionSet{Name: "ReadOnlyAccess", ManagedPolicies: []string{readOnlyARN}})
	f.permissionSet(PermissionSet{Name: "DeveloperAccess", SessionDuration: "PT8H", InlinePolicy: s3Inline,
		CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "Dev", Path: "/team/"}}})
	for _, id := range accounts {
		f.assignGroup(admins, "AdministratorAccess", id)
		f.assignGroup(developers, "DeveloperAccess", id)
		f.assignGroup(developers, "ReadOnlyAccess", id)
	}
	return f, devs[7]
}

// BenchmarkProvision30x3 provisions 30 accounts × 3 permission sets: 90
// roles and 30 SAML providers from nothing ("initial"), again with nothing
// changed ("noop"), and after a change to every permission set
// ("update", 90 roles rewritten).
func BenchmarkProvision30x3(b *testing.B) {
	ctx := context.Background()
	b.Run("initial", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			f, _ := bench30x3(b)
			b.StartTimer()
			res, err := f.ic.Provision(ctx, f.dir)
			if err != nil || len(res.Created) != 90 {
				b.Fatalf("%v %d", err, len(res.Created))
			}
		}
	})
	b.Run("noop", func(b *testing.B) {
		f, _ := bench30x3(b)
		f.provision()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if res, err := f.ic.Provision(ctx, f.dir); err != nil || len(res.Updated) != 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("update", func(b *testing.B) {
		f, _ := bench30x3(b)
		f.provision()
		inline := []string{s3Inline, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			for _, name := range []string{"AdministratorAccess", "ReadOnlyAccess", "DeveloperAccess"} {
				ps, _ := f.ic.PermissionSet(name)
				ps.InlinePolicy = inline[(i+1)%2]
				mustDo(b, f.ic.UpdatePermissionSet(ps))
			}
			b.StartTimer()
			if res, err := f.ic.Provision(ctx, f.dir); err != nil || len(res.Updated) != 90 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRoleCredentials is GetRoleCredentials end to end: the
// assignment check through a group in the 30×3 organization, the session
// tags, the trust policy, sealing; "authorize" adds opening the
// credentials and authorizing one request with them.
func BenchmarkRoleCredentials(b *testing.B) {
	f, dev := bench30x3(b)
	f.provision()
	ctx := context.Background()
	b.Run("issue", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.ic.RoleCredentials(ctx, f.is, dev.ID, "300000000017", "DeveloperAccess"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("authorize", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			c, err := f.ic.RoleCredentials(ctx, f.is, dev.ID, "300000000017", "DeveloperAccess")
			if err != nil {
				b.Fatal(err)
			}
			s, err := f.is.Authenticate(ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
			if err != nil {
				b.Fatal(err)
			}
			d, err := f.is.Authorize(ctx, s, sts.AuthorizeInput{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:300000000017:table/t"})
			if err != nil || !d.Allowed() {
				b.Fatal(err)
			}
		}
	})
	b.Run("forbidden", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := f.ic.RoleCredentials(ctx, f.is, dev.ID, "300000000017", "AdministratorAccess"); err == nil {
				b.Fatal("allowed")
			}
		}
	})
}
