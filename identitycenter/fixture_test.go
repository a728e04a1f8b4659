package identitycenter

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const (
	acctDev  = "111111111111"
	acctProd = "222222222222"
)

// testMetadata is one test IdP's metadata for every instance of the tests:
// making an RSA key per test would be slow.
var testMetadata = sync.OnceValue(func() []byte {
	idp, err := federation.NewSAMLTestIdP("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/test", t0)
	if err != nil {
		panic(err)
	}
	return idp.Metadata()
})

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fixture is an organization of two accounts in an sts.MemoryDirectory
// holding AWS's ReadOnlyAccess and AdministratorAccess (as iamkit
// approximates them) and, in the dev account only, the customer managed
// policy /team/Dev; an Issuer over it; and an Instance.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	clock *clock
	dir   *sts.MemoryDirectory
	is    *sts.Issuer
	ic    *Instance
}

func identityPolicy(stmts ...string) *policy.Policy {
	return policy.MustParse(`{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`, policy.Identity)
}

func newFixture(t testing.TB, opt Options) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), clock: &clock{now: t0}, dir: sts.NewMemoryDirectory()}
	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("identitycenter-test-master-key-0123456789")})
	mustDo(t, err)
	f.is, err = sts.NewIssuer(sts.Options{Directory: f.dir, Keys: ring, Now: f.clock.Now})
	mustDo(t, err)
	for _, a := range []string{acctDev, acctProd} {
		mustDo(t, f.dir.PutAccount(sts.Account{ID: a}))
	}
	mustDo(t, f.dir.PutManagedPolicy(readOnlyARN, identityPolicy(
		`{"Effect":"Allow","Action":["s3:Get*","s3:List*","iam:Get*","iam:List*"],"Resource":"*"}`)))
	mustDo(t, f.dir.PutManagedPolicy(adminARN, identityPolicy(`{"Effect":"Allow","Action":"*","Resource":"*"}`)))
	mustDo(t, f.dir.PutManagedPolicy("arn:aws:iam::"+acctDev+":policy/team/Dev", identityPolicy(
		`{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}`)))
	if opt.IdPMetadata == nil {
		opt.IdPMetadata = testMetadata()
	}
	if opt.Now == nil {
		opt.Now = f.clock.Now
	}
	f.ic = newTestInstance(t, opt)
	mustDo(t, f.ic.PutAccount(Account{ID: acctDev, Name: "dev", Email: "dev@example.com"}))
	mustDo(t, f.ic.PutAccount(Account{ID: acctProd, Name: "prod", Email: "prod@example.com"}))
	return f
}

func (f *fixture) user(name string, attrs map[string]string) User {
	f.t.Helper()
	u, err := f.ic.CreateUser(User{UserName: name, DisplayName: name, Attributes: attrs})
	mustDo(f.t, err)
	return u
}

func (f *fixture) group(name string, members ...User) Group {
	f.t.Helper()
	g, err := f.ic.CreateGroup(Group{DisplayName: name})
	mustDo(f.t, err)
	for _, u := range members {
		mustDo(f.t, f.ic.CreateGroupMembership(g.ID, u.ID))
	}
	return g
}

func (f *fixture) permissionSet(ps PermissionSet) PermissionSet {
	f.t.Helper()
	p, err := f.ic.CreatePermissionSet(ps)
	mustDo(f.t, err)
	return p
}

func (f *fixture) assignUser(u User, set, account string) Assignment {
	f.t.Helper()
	a := Assignment{AccountID: account, PermissionSet: set, PrincipalType: PrincipalUser, PrincipalID: u.ID}
	mustDo(f.t, f.ic.CreateAccountAssignment(a))
	return a
}

func (f *fixture) assignGroup(g Group, set, account string) Assignment {
	f.t.Helper()
	a := Assignment{AccountID: account, PermissionSet: set, PrincipalType: PrincipalGroup, PrincipalID: g.ID}
	mustDo(f.t, f.ic.CreateAccountAssignment(a))
	return a
}

func (f *fixture) provision() *ProvisionResult {
	f.t.Helper()
	res, err := f.ic.Provision(f.ctx, f.dir)
	mustDo(f.t, err)
	return res
}

func (f *fixture) role(set, account string) *sts.Role {
	f.t.Helper()
	arn, err := f.ic.RoleARN(set, account)
	mustDo(f.t, err)
	r, err := f.dir.Role(f.ctx, arn)
	mustDo(f.t, err)
	return r
}
