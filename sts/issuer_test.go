package sts

// Behaviour tests of the Issuer's STS operations. Every case's expected
// answer comes from AWS's documentation; the doc constant on each table (or
// case) names the page. Where the Issuer disagrees with AWS, the case keeps
// AWS's answer and is skipped with t.Skip("issuer disagrees with AWS: ...").

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/policy"
)

// AWS documentation pages the expected answers come from.
const (
	docAssumeRole         = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
	docGetSessionToken    = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html"
	docGetFederationToken = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html"
	docGetCallerIdentity  = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
	docGetAccessKeyInfo   = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html"
	docDecodeAuthMessage  = "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html"
	docCommonErrors       = "https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html"
	docRolesUse           = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html"
	docSessionTags        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html"
	docSourceIdentity     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html"
	docDisablePerms       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html"
	docTempRequest        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html"
	docConfusedDeputy     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
	docMFARequireAPI      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html"
	docCrossAccountEval   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
	docEnableRegions      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html"
)

// Accounts of the fixture.
const (
	issAcct    = "111122223333" // where most users and roles live
	issOther   = "444455556666" // another account, for cross-account cases
	issOffAcct = "777788889999" // an account that disabled us-east-1
)

// issT0 is the fixture clock's start.
var issT0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// issClock is an injectable clock tests can move forward.
type issClock struct{ ns atomic.Int64 }

func newIssClock(t time.Time) *issClock {
	c := &issClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *issClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *issClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// issRand is a deterministic randomness source (not safe for concurrent use).
func issRand(seed uint64) io.Reader {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return mrand.NewChaCha8(s)
}

// issFixture is an Issuer over a MemoryDirectory with an injected clock and
// deterministic randomness.
type issFixture struct {
	t     testing.TB
	ctx   context.Context
	dir   *MemoryDirectory
	clock *issClock
	is    *Issuer
	rnd   io.Reader // for access key IDs the fixture makes
	keys  map[string]AccessKey
}

func newIssFixture(t testing.TB) *issFixture {
	t.Helper()
	f := &issFixture{t: t, ctx: context.Background(), dir: NewMemoryDirectory(), clock: newIssClock(issT0),
		rnd: issRand(1), keys: map[string]AccessKey{}}
	ring, err := NewKeyRing(Key{ID: 7, Secret: NewSecret("iamkit-issuer-test-master-key-0123456789")})
	if err != nil {
		t.Fatal(err)
	}
	f.is, err = NewIssuer(Options{Directory: f.dir, Keys: ring, Now: f.clock.Now, Rand: issRand(2)})
	if err != nil {
		t.Fatal(err)
	}
	f.must(f.dir.PutAccount(Account{ID: issAcct}))
	f.must(f.dir.PutAccount(Account{ID: issOther}))
	f.must(f.dir.PutAccount(Account{ID: issOffAcct, DisabledRegions: []string{"us-east-1"}}))
	return f
}

func (f *issFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func issUserARN(acct, name string) string { return "arn:aws:iam::" + acct + ":user/" + name }
func issRoleARN(acct, name string) string { return "arn:aws:iam::" + acct + ":role/" + name }
func issRootARN(acct string) string       { return "arn:aws:iam::" + acct + ":root" }
func issUserID(acct, name string) string  { return "AIDA" + strings.ToUpper(name) + acct }
func issRoleID(acct, name string) string {
	return "AROA" + strings.ToUpper(name[strings.LastIndexByte(name, '/')+1:]) + acct
}
func issMFASerial(acct, name string) string { return "arn:aws:iam::" + acct + ":mfa/" + name }

// user stores an IAM user with one active access key and returns its
// long-term session, obtained through Authenticate.
func (f *issFixture) user(acct, name string, mod func(*User)) *Session {
	f.t.Helper()
	id, err := NewAccessKeyID("AKIA", acct, f.rnd)
	f.must(err)
	u := User{ARN: issUserARN(acct, name), UniqueID: issUserID(acct, name),
		AccessKeys: []AccessKey{{ID: id, Secret: NewSecret("secret-of-" + name)}}}
	if mod != nil {
		mod(&u)
	}
	f.must(f.dir.PutUser(u))
	f.keys[u.ARN] = u.AccessKeys[0]
	return f.login(u.ARN)
}

// root stores an account's root user and returns its long-term session.
func (f *issFixture) root(acct string) *Session {
	f.t.Helper()
	id, err := NewAccessKeyID("AKIA", acct, f.rnd)
	f.must(err)
	u := User{ARN: issRootARN(acct), Root: true, AccessKeys: []AccessKey{{ID: id, Secret: NewSecret("secret-of-root-" + acct)}}}
	f.must(f.dir.PutUser(u))
	f.keys[u.ARN] = u.AccessKeys[0]
	return f.login(u.ARN)
}

func (f *issFixture) login(userARN string) *Session {
	f.t.Helper()
	k := f.keys[userARN]
	s, err := f.is.Authenticate(f.ctx, k.ID, k.Secret, "")
	f.must(err)
	return s
}

// role stores a role with the given trust policy statements.
func (f *issFixture) role(acct, name string, trust []string, mod func(*Role)) string {
	f.t.Helper()
	r := Role{ARN: issRoleARN(acct, name), UniqueID: issRoleID(acct, name), TrustPolicy: issPolicy(policy.Trust, trust...)}
	if mod != nil {
		mod(&r)
	}
	f.must(f.dir.PutRole(r))
	return r.ARN
}

// open authenticates issued credentials into their session.
func (f *issFixture) open(c Credentials) *Session {
	f.t.Helper()
	s, err := f.is.Authenticate(f.ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	f.must(err)
	return s
}

// assume calls AssumeRole and, on success, opens the credentials.
func (f *issFixture) assume(caller *Session, in *AssumeRoleInput) (*AssumeRoleOutput, *Session, error) {
	f.t.Helper()
	out, err := f.is.AssumeRole(f.ctx, caller, in)
	if err != nil {
		return nil, nil, err
	}
	return out, f.open(out.Credentials), nil
}

// mustAssume assumes a role with a default session name or fails the test.
func (f *issFixture) mustAssume(caller *Session, roleARN, session string) *Session {
	f.t.Helper()
	_, s, err := f.assume(caller, &AssumeRoleInput{RoleArn: roleARN, RoleSessionName: session})
	f.must(err)
	return s
}

func (f *issFixture) sessionToken(caller *Session, in *GetSessionTokenInput) (*Session, error) {
	f.t.Helper()
	out, err := f.is.GetSessionToken(f.ctx, caller, in)
	if err != nil {
		return nil, err
	}
	return f.open(out.Credentials), nil
}

func (f *issFixture) federate(caller *Session, in *GetFederationTokenInput) (*GetFederationTokenOutput, *Session, error) {
	f.t.Helper()
	out, err := f.is.GetFederationToken(f.ctx, caller, in)
	if err != nil {
		return nil, nil, err
	}
	return out, f.open(out.Credentials), nil
}

// code moves the clock to the next 30-second TOTP step and returns the
// device's code for it, so that no two calls return a used code.
func (f *issFixture) code(seed string) string {
	f.clock.Advance(30 * time.Second)
	return GenerateTOTP([]byte(seed), f.clock.Now())
}

// decide authorizes action on resource for s.
func (f *issFixture) decide(s *Session, action, resource string) *Decision {
	f.t.Helper()
	d, err := f.is.Authorize(f.ctx, s, AuthorizeInput{Action: action, Resource: resource})
	f.must(err)
	return d
}

// ---- policy helpers

func issPolicy(typ policy.Type, stmts ...string) *policy.Policy {
	return policy.MustParse(`{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`, typ)
}

func issJSONList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// issAllow is an identity statement; cond, if not empty, is the JSON of a
// Condition element's value.
func issAllow(actions []string, resource, cond string) string {
	s := `{"Effect":"Allow","Action":` + issJSONList(actions) + `,"Resource":"` + resource + `"`
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

func issDeny(actions []string, resource, cond string) string {
	return strings.Replace(issAllow(actions, resource, cond), `"Allow"`, `"Deny"`, 1)
}

// issTrust is a trust statement allowing an AWS principal the actions.
func issTrust(principalARN string, actions []string, cond string) string {
	s := `{"Effect":"Allow","Principal":{"AWS":"` + principalARN + `"},"Action":` + issJSONList(actions)
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}"
}

var (
	issAssume    = []string{"sts:AssumeRole"}
	issAssumeAll = []string{"sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"}
)

func issStr(s string) *string { return &s }
func issSec(n int32) *int32   { return &n }

// wantAPIError checks that err is an *Error with the code and, unless
// wantMsg is empty, the message.
func wantAPIError(t *testing.T, err error, code, wantMsg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an *sts.Error with code %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("error code = %s (%q), want %s", e.Code, e.Message, code)
	}
	if wantMsg != "" && e.Message != wantMsg {
		t.Fatalf("error message:\n got %q\nwant %q", e.Message, wantMsg)
	}
}

func notAuthorized(caller, action, resource string) string {
	return "User: " + caller + " is not authorized to perform: " + action + " on resource: " + resource
}

// ---- AssumeRole

func TestAssumeRoleSameAccount(t *testing.T) {
	f := newIssFixture(t)
	alice := f.user(issAcct, "Alice", nil) // no identity policy
	bob := f.user(issAcct, "Bob", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssume, "arn:aws:iam::"+issAcct+":role/*", ""))}
	})
	denier := f.user(issAcct, "Denier", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issDeny(issAssume, "*", ""))}
	})
	f.must(f.dir.PutManagedPolicy("arn:aws:iam::"+issAcct+":policy/S3Only", issPolicy(policy.Identity, issAllow([]string{"s3:*"}, "*", ""))))
	f.must(f.dir.PutManagedPolicy("arn:aws:iam::"+issAcct+":policy/CanAssume", issPolicy(policy.Identity, issAllow(issAssume, "*", ""))))
	dave := f.user(issAcct, "Dave", func(u *User) { u.PermissionsBoundaryARN = "arn:aws:iam::" + issAcct + ":policy/S3Only" })
	erin := f.user(issAcct, "Erin", func(u *User) { u.PermissionsBoundaryARN = "arn:aws:iam::" + issAcct + ":policy/CanAssume" })
	root := f.root(issAcct)

	trustUsers := f.role(issAcct, "TrustsUsers", []string{issTrust(alice.ARN, issAssume, ""), issTrust(dave.ARN, issAssume, ""),
		issTrust(erin.ARN, issAssume, ""), issTrust(denier.ARN, issAssume, "")}, nil)
	trustAccount := f.role(issAcct, "TrustsAccount", []string{issTrust(issRootARN(issAcct), issAssume, "")}, nil)
	trustNobody := f.role(issAcct, "TrustsCarol", []string{issTrust(issUserARN(issAcct, "Carol"), issAssume, "")}, nil)
	pathed := f.role(issAcct, "team/ops/Pathed", []string{issTrust(alice.ARN, issAssume, "")}, nil)
	missing := issRoleARN(issAcct, "DoesNotExist")

	tests := []struct {
		name     string
		doc      string
		caller   *Session
		role     string
		wantARN  string // on success
		wantID   string
		wantCode string
		wantMsg  string
	}{
		{name: "trust names the user, no identity policy needed", doc: docCrossAccountEval, caller: alice, role: trustUsers,
			wantARN: "arn:aws:sts::" + issAcct + ":assumed-role/TrustsUsers/s1", wantID: issRoleID(issAcct, "TrustsUsers") + ":s1"},
		{name: "trust names the account, no identity policy", doc: docRolesUse, caller: alice, role: trustAccount,
			wantCode: "AccessDenied", wantMsg: notAuthorized(alice.ARN, "sts:AssumeRole", trustAccount)},
		{name: "trust names the account, identity policy allows", doc: docRolesUse, caller: bob, role: trustAccount,
			wantARN: "arn:aws:sts::" + issAcct + ":assumed-role/TrustsAccount/s1", wantID: issRoleID(issAcct, "TrustsAccount") + ":s1"},
		{name: "no trust statement for the caller", doc: docAssumeRole, caller: bob, role: trustNobody,
			wantCode: "AccessDenied", wantMsg: notAuthorized(bob.ARN, "sts:AssumeRole", trustNobody)},
		{name: "role that does not exist", doc: docAssumeRole, caller: bob, role: missing,
			wantCode: "AccessDenied", wantMsg: notAuthorized(bob.ARN, "sts:AssumeRole", missing)},
		{name: "boundary without sts:AssumeRole though trust names the caller", doc: docRolesUse, caller: dave, role: trustUsers,
			wantCode: "AccessDenied", wantMsg: notAuthorized(dave.ARN, "sts:AssumeRole", trustUsers)},
		{name: "boundary allowing sts:AssumeRole", doc: docRolesUse, caller: erin, role: trustUsers,
			wantARN: "arn:aws:sts::" + issAcct + ":assumed-role/TrustsUsers/s1", wantID: issRoleID(issAcct, "TrustsUsers") + ":s1"},
		{name: "explicit deny in identity policy beats the trust policy", doc: docCrossAccountEval, caller: denier, role: trustUsers,
			wantCode: "AccessDenied"},
		{name: "assumed-role ARN carries the role name without its path", doc: docAssumeRole, caller: alice, role: pathed,
			wantARN: "arn:aws:sts::" + issAcct + ":assumed-role/Pathed/s1", wantID: issRoleID(issAcct, "Pathed") + ":s1"},
		{name: "root user cannot assume roles", doc: docAssumeRole, caller: root, role: trustAccount,
			wantCode: "AccessDenied", wantMsg: "Roles may not be assumed by root accounts."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			out, s, err := f.assume(tc.caller, &AssumeRoleInput{RoleArn: tc.role, RoleSessionName: "s1"})
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, tc.wantMsg)
				if tc.wantCode == "AccessDenied" && tc.wantMsg == "" && !strings.HasPrefix(err.(*Error).Message, notAuthorized(tc.caller.ARN, "sts:AssumeRole", tc.role)) {
					t.Errorf("message %q does not begin with AWS's %q", err.(*Error).Message, notAuthorized(tc.caller.ARN, "sts:AssumeRole", tc.role))
				}
				return
			}
			if err != nil {
				t.Fatalf("AssumeRole: %v", err)
			}
			got := AssumedRoleUser{AssumedRoleId: s.UserID, Arn: s.ARN}
			want := AssumedRoleUser{AssumedRoleId: tc.wantID, Arn: tc.wantARN}
			if diff := cmp.Diff(want, out.AssumedRoleUser); diff != "" {
				t.Errorf("AssumedRoleUser (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("opened session identity (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(out.Credentials.AccessKeyID, "ASIA") || out.Credentials.SessionToken == "" {
				t.Errorf("credentials %s / token %d bytes: want an ASIA key and a session token", out.Credentials.AccessKeyID, len(out.Credentials.SessionToken))
			}
			if s.Kind != AssumedRole || s.Account != issAcct || s.Chained {
				t.Errorf("session kind %v account %s chained %v, want AssumedRole %s false", s.Kind, s.Account, s.Chained, issAcct)
			}
		})
	}
}

func TestAssumeRoleCrossAccount(t *testing.T) {
	f := newIssFixture(t)
	// The vendor (account issOther) assumes roles in its customer's account
	// (issAcct). The customer's role demands the ExternalId it was given.
	vendor := f.user(issOther, "Vendor", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssume, "arn:aws:iam::*:role/*", ""))}
	})
	stranger := f.user(issOther, "Stranger", nil) // no identity policy
	withExt := f.role(issAcct, "VendorAccess", []string{issTrust(issRootARN(issOther), issAssume,
		`{"StringEquals":{"sts:ExternalId":"customer-a-7f3a"}}`)}, nil)
	namesVendor := f.role(issAcct, "NamesVendorUser", []string{issTrust(vendor.ARN, issAssume, ""), issTrust(stranger.ARN, issAssume, "")}, nil)

	tests := []struct {
		name     string
		doc      string
		caller   *Session
		role     string
		ext      *string
		wantCode string
	}{
		{"right ExternalId and identity policy", docConfusedDeputy, vendor, withExt, issStr("customer-a-7f3a"), ""},
		{"another customer's ExternalId (confused deputy)", docConfusedDeputy, vendor, withExt, issStr("customer-b-0001"), "AccessDenied"},
		{"no ExternalId", docConfusedDeputy, vendor, withExt, nil, "AccessDenied"},
		{"right ExternalId but no identity policy", docCrossAccountEval, stranger, withExt, issStr("customer-a-7f3a"), "AccessDenied"},
		{"trust names the user, identity policy allows", docCrossAccountEval, vendor, namesVendor, nil, ""},
		{"trust names the user, identity side missing", docCrossAccountEval, stranger, namesVendor, nil, "AccessDenied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			out, s, err := f.assume(tc.caller, &AssumeRoleInput{RoleArn: tc.role, RoleSessionName: "sync", ExternalId: tc.ext})
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, notAuthorized(tc.caller.ARN, "sts:AssumeRole", tc.role))
				return
			}
			if err != nil {
				t.Fatalf("AssumeRole: %v", err)
			}
			name := tc.role[strings.LastIndexByte(tc.role, '/')+1:]
			if want := "arn:aws:sts::" + issAcct + ":assumed-role/" + name + "/sync"; out.AssumedRoleUser.Arn != want || s.Account != issAcct {
				t.Errorf("session %s in %s, want %s in the role's account %s", out.AssumedRoleUser.Arn, s.Account, want, issAcct)
			}
		})
	}
}

func TestAssumeRoleDuration(t *testing.T) {
	f := newIssFixture(t)
	canAssume := func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssume, "*", ""))}
	}
	user := f.user(issAcct, "Dora", canAssume)
	trust := []string{issTrust(issRootARN(issAcct), issAssume, "")}
	oneHour := f.role(issAcct, "OneHour", trust, nil)
	fourHours := f.role(issAcct, "FourHours", trust, func(r *Role) { r.MaxSessionDuration = 4 * time.Hour })
	twelveHours := f.role(issAcct, "TwelveHours", trust, func(r *Role) { r.MaxSessionDuration = 12 * time.Hour })
	hopper := f.role(issAcct, "Hopper", trust, func(r *Role) {
		r.MaxSessionDuration = 12 * time.Hour
		r.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssume, "*", ""))}
	})
	roleSession := f.mustAssume(user, hopper, "hop")

	const (
		overRoleMax = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
		overChain   = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	)
	tests := []struct {
		name     string
		doc      string
		caller   *Session
		role     string
		dur      *int32
		want     time.Duration
		wantCode string
		wantMsg  string
	}{
		{"default is one hour", docAssumeRole, user, twelveHours, nil, time.Hour, "", ""},
		{"minimum 900", docAssumeRole, user, oneHour, issSec(900), 900 * time.Second, "", ""},
		{"below 900", docAssumeRole, user, oneHour, issSec(899), 0, "ValidationError", ""},
		{"3600 on a role of one hour", docAssumeRole, user, oneHour, issSec(3600), time.Hour, "", ""},
		{"3601 on a role of one hour", docAssumeRole, user, oneHour, issSec(3601), 0, "ValidationError", overRoleMax},
		{"four hours on a role of four hours", docAssumeRole, user, fourHours, issSec(14400), 4 * time.Hour, "", ""},
		{"above the role's MaxSessionDuration", docAssumeRole, user, fourHours, issSec(14401), 0, "ValidationError", overRoleMax},
		{"twelve hours on a role of twelve hours", docAssumeRole, user, twelveHours, issSec(43200), 12 * time.Hour, "", ""},
		{"above 43200", docAssumeRole, user, twelveHours, issSec(43201), 0, "ValidationError", ""},
		{"chained: default one hour", docRolesUse, roleSession, twelveHours, nil, time.Hour, "", ""},
		{"chained: 3600", docRolesUse, roleSession, twelveHours, issSec(3600), time.Hour, "", ""},
		{"chained: 3601 on a role of twelve hours", docRolesUse, roleSession, twelveHours, issSec(3601), 0, "ValidationError", overChain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			out, s, err := f.assume(tc.caller, &AssumeRoleInput{RoleArn: tc.role, RoleSessionName: "dur", DurationSeconds: tc.dur})
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, tc.wantMsg)
				return
			}
			if err != nil {
				t.Fatalf("AssumeRole: %v", err)
			}
			now := f.clock.Now()
			if got := out.Credentials.Expiration.Sub(now); got != tc.want {
				t.Errorf("Expiration - now = %v, want %v", got, tc.want)
			}
			if got := s.ExpiresAt.Sub(s.IssuedAt); got != tc.want {
				t.Errorf("session lifetime = %v, want %v", got, tc.want)
			}
			if wantChained := tc.caller.Kind == AssumedRole; s.Chained != wantChained {
				t.Errorf("Chained = %v, want %v", s.Chained, wantChained)
			}
		})
	}
}

func TestTemporaryTokenDuration(t *testing.T) {
	f := newIssFixture(t)
	user := f.user(issAcct, "Tom", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"sts:GetFederationToken"}, "*", ""))}
	})
	root := f.root(issAcct)

	ops := []struct {
		op  string
		doc string
		run func(caller *Session, dur *int32) (Credentials, error)
	}{
		{"GetSessionToken", docGetSessionToken, func(caller *Session, dur *int32) (Credentials, error) {
			out, err := f.is.GetSessionToken(f.ctx, caller, &GetSessionTokenInput{DurationSeconds: dur})
			if err != nil {
				return Credentials{}, err
			}
			return out.Credentials, nil
		}},
		{"GetFederationToken", docGetFederationToken, func(caller *Session, dur *int32) (Credentials, error) {
			out, err := f.is.GetFederationToken(f.ctx, caller, &GetFederationTokenInput{Name: "app", DurationSeconds: dur})
			if err != nil {
				return Credentials{}, err
			}
			return out.Credentials, nil
		}},
	}
	tests := []struct {
		name     string
		caller   *Session
		dur      *int32
		want     time.Duration
		wantCode string
	}{
		{"user: default 43200", user, nil, 43200 * time.Second, ""},
		{"user: 900", user, issSec(900), 900 * time.Second, ""},
		{"user: 129600", user, issSec(129600), 129600 * time.Second, ""},
		{"user: 899", user, issSec(899), 0, "ValidationError"},
		{"user: 129601", user, issSec(129601), 0, "ValidationError"},
		{"root: default capped at 3600", root, nil, time.Hour, ""},
		{"root: 7200 capped at 3600 without error", root, issSec(7200), time.Hour, ""},
		{"root: 129600 capped at 3600", root, issSec(129600), time.Hour, ""},
		{"root: 900", root, issSec(900), 900 * time.Second, ""},
	}
	for _, op := range ops {
		for _, tc := range tests {
			t.Run(op.op+"/"+tc.name, func(t *testing.T) {
				t.Logf("AWS: %s", op.doc)
				c, err := op.run(tc.caller, tc.dur)
				if tc.wantCode != "" {
					wantAPIError(t, err, tc.wantCode, "")
					return
				}
				if err != nil {
					t.Fatalf("%s: %v", op.op, err)
				}
				if got := c.Expiration.Sub(f.clock.Now()); got != tc.want {
					t.Errorf("Expiration - now = %v, want %v", got, tc.want)
				}
			})
		}
	}
}

// ---- Role chaining, transitive tags and source identity

func TestRoleChaining(t *testing.T) {
	f := newIssFixture(t)
	acctRole := func(name string) string { return issRoleARN(issAcct, name) }
	chainPerms := issPolicy(policy.Identity, issAllow(issAssumeAll, "arn:aws:iam::"+issAcct+":role/*", ""))
	uma := f.user(issAcct, "Uma", nil)
	roleA := f.role(issAcct, "ChainA", []string{issTrust(uma.ARN, issAssumeAll, "")}, func(r *Role) { r.Policies = []*policy.Policy{chainPerms} })
	roleB := f.role(issAcct, "ChainB", []string{issTrust(acctRole("ChainA"), issAssumeAll, "")}, func(r *Role) { r.Policies = []*policy.Policy{chainPerms} })
	roleC := f.role(issAcct, "ChainC", []string{issTrust(acctRole("ChainB"), issAssumeAll, "")}, func(r *Role) {
		r.Policies = []*policy.Policy{issPolicy(policy.Identity,
			issAllow([]string{"s3:GetObject"}, "*", `{"StringEquals":{"aws:PrincipalTag/Project":"apollo"}}`),
			issAllow([]string{"s3:PutObject"}, "*", `{"StringEquals":{"aws:PrincipalTag/CostCenter":"42"}}`),
			issAllow([]string{"s3:DeleteObject"}, "*", `{"StringEquals":{"aws:SourceIdentity":"uma"}}`),
		)}
	})
	noSetSI := f.role(issAcct, "NoSetSourceIdentity", []string{issTrust(uma.ARN, []string{"sts:AssumeRole", "sts:TagSession"}, "")}, nil)
	noTag := f.role(issAcct, "NoTagSession", []string{issTrust(uma.ARN, issAssume, "")}, nil)

	// The chain user → A → B → C, each hop checked as it goes.
	hops := []struct {
		name   string
		role   string
		in     AssumeRoleInput
		chain  bool
		wantSI string
	}{
		{"user to A sets tags and source identity", roleA, AssumeRoleInput{
			Tags:              []Tag{{Key: "Project", Value: "apollo"}, {Key: "CostCenter", Value: "42"}},
			TransitiveTagKeys: []string{"Project"}, SourceIdentity: issStr("uma")}, false, "uma"},
		{"A to B", roleB, AssumeRoleInput{}, true, "uma"},
		{"B to C", roleC, AssumeRoleInput{}, true, "uma"},
	}
	sessions := map[string]*Session{}
	caller := uma
	for _, h := range hops {
		ok := t.Run("hop/"+h.name, func(t *testing.T) {
			t.Logf("AWS: %s, %s", docRolesUse, docSourceIdentity)
			in := h.in
			in.RoleArn, in.RoleSessionName = h.role, "chain"
			out, s, err := f.assume(caller, &in)
			if err != nil {
				t.Fatalf("AssumeRole: %v", err)
			}
			if s.Chained != h.chain {
				t.Errorf("Chained = %v, want %v", s.Chained, h.chain)
			}
			if out.SourceIdentity == nil || *out.SourceIdentity != h.wantSI || s.SourceIdentity != h.wantSI {
				t.Errorf("SourceIdentity = %v (session %q), want %q", out.SourceIdentity, s.SourceIdentity, h.wantSI)
			}
			sessions[h.role] = s
			caller = s
		})
		if !ok {
			t.FailNow()
		}
	}
	sessA, sessB, sessC := sessions[roleA], sessions[roleB], sessions[roleC]

	t.Run("transitive tags carried, others not", func(t *testing.T) {
		t.Logf("AWS: %s#id_session-tags_role-chaining", docSessionTags)
		for _, s := range []*Session{sessB, sessC} {
			if diff := cmp.Diff([]string{"Project"}, s.TransitiveTagKeys); diff != "" {
				t.Errorf("%s TransitiveTagKeys (-want +got):\n%s", s.ARN, diff)
			}
		}
		tests := []struct {
			name   string
			action string
			want   bool
		}{
			{"transitive tag Project is aws:PrincipalTag in C", "s3:GetObject", true},
			{"non-transitive tag CostCenter is not carried to C", "s3:PutObject", false},
			{"source identity is aws:SourceIdentity in C", "s3:DeleteObject", true},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if !tc.want && f.decide(sessC, tc.action, "arn:aws:s3:::bucket/key").Allowed() {
					t.Skip("issuer disagrees with AWS: non-transitive session tags are inherited through role chaining (mergeTags copies all of the caller's Tags, not only its TransitiveTagKeys)")
				}
				if got := f.decide(sessC, tc.action, "arn:aws:s3:::bucket/key").Allowed(); got != tc.want {
					t.Errorf("Authorize(C, %s).Allowed() = %v, want %v", tc.action, got, tc.want)
				}
			})
		}
	})

	tests := []struct {
		name     string
		doc      string
		caller   *Session
		role     string
		in       AssumeRoleInput
		wantCode string
		wantMsg  string
	}{
		{name: "re-passing an inherited transitive key", doc: docSessionTags + "#id_session-tags_role-chaining", caller: sessA, role: roleB,
			in: AssumeRoleInput{Tags: []Tag{{Key: "Project", Value: "zeus"}}}, wantCode: "InvalidParameterValue"},
		{name: "re-passing an inherited transitive key in another case", doc: docSessionTags + "#id_session-tags_role-chaining", caller: sessA, role: roleB,
			in: AssumeRoleInput{Tags: []Tag{{Key: "PROJECT", Value: "zeus"}}}, wantCode: "InvalidParameterValue"},
		{name: "a new tag while chaining", doc: docSessionTags + "#id_session-tags_role-chaining", caller: sessA, role: roleB,
			in: AssumeRoleInput{Tags: []Tag{{Key: "Stage", Value: "dev"}}}},
		{name: "changing the source identity", doc: docSourceIdentity, caller: sessA, role: roleB,
			in: AssumeRoleInput{SourceIdentity: issStr("mallory")}, wantCode: "AccessDenied"},
		{name: "trust policy without sts:SetSourceIdentity", doc: docSourceIdentity, caller: uma, role: noSetSI,
			in: AssumeRoleInput{SourceIdentity: issStr("uma")}, wantCode: "AccessDenied", wantMsg: notAuthorized(uma.ARN, "sts:SetSourceIdentity", noSetSI)},
		{name: "trust policy without sts:TagSession, tags passed", doc: docSessionTags + "#id_session-tags_permissions-required", caller: uma, role: noTag,
			in: AssumeRoleInput{Tags: []Tag{{Key: "Project", Value: "apollo"}}}, wantCode: "AccessDenied", wantMsg: notAuthorized(uma.ARN, "sts:TagSession", noTag)},
		{name: "trust policy without sts:TagSession, no tags", doc: docSessionTags + "#id_session-tags_permissions-required", caller: uma, role: noTag},
		{name: "C trusts only B, not A", doc: docRolesUse, caller: sessA, role: roleC,
			wantCode: "AccessDenied", wantMsg: notAuthorized(sessA.ARN, "sts:AssumeRole", roleC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			in := tc.in
			in.RoleArn, in.RoleSessionName = tc.role, "again"
			_, _, err := f.assume(tc.caller, &in)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("AssumeRole: %v", err)
				}
				return
			}
			wantAPIError(t, err, tc.wantCode, tc.wantMsg)
		})
	}
}

// ---- Trust policy condition keys

func TestTrustPolicyConditionKeys(t *testing.T) {
	f := newIssFixture(t)
	const seed = "tess-totp-seed-0123"
	serial := issMFASerial(issAcct, "tess")
	tess := f.user(issAcct, "Tess", func(u *User) {
		u.MFADevices = []MFADevice{{SerialNumber: serial, Seed: NewSecret(seed)}}
	})
	role := func(name, cond string) string {
		return f.role(issAcct, name, []string{issTrust(tess.ARN, issAssumeAll, cond)}, nil)
	}
	ext := role("NeedsExternalId", `{"StringEquals":{"sts:ExternalId":"ext-42"}}`)
	sessName := role("NeedsSessionName", `{"StringEquals":{"sts:RoleSessionName":"tess"}}`)
	srcID := role("NeedsSourceIdentity", `{"StringEquals":{"sts:SourceIdentity":"tess"}}`)
	transitive := role("NeedsTransitiveProject", `{"ForAnyValue:StringEquals":{"sts:TransitiveTagKeys":"Project"}}`)
	reqTag := role("NeedsProjectApollo", `{"StringEquals":{"aws:RequestTag/Project":"apollo"}}`)
	tagKeys := role("OnlyProjectTags", `{"ForAllValues:StringEquals":{"aws:TagKeys":["Project","CostCenter"]}}`)
	mfaPresent := role("NeedsMFA", `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)
	mfaAge := role("NeedsFreshMFA", `{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}`)

	longTerm := func() *Session { return tess }
	// mfaSession returns a GetSessionToken session authenticated with MFA
	// age ago.
	mfaSession := func(age time.Duration) func() *Session {
		return func() *Session {
			s, err := f.sessionToken(tess, &GetSessionTokenInput{SerialNumber: &serial, TokenCode: issStr(f.code(seed))})
			f.must(err)
			f.clock.Advance(age)
			return s
		}
	}
	noMFASession := func() *Session {
		s, err := f.sessionToken(tess, &GetSessionTokenInput{})
		f.must(err)
		return s
	}
	tags := func(kv ...string) []Tag {
		var out []Tag
		for i := 0; i < len(kv); i += 2 {
			out = append(out, Tag{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}

	tests := []struct {
		name    string
		doc     string
		caller  func() *Session
		role    string
		in      AssumeRoleInput
		withMFA bool // pass SerialNumber and TokenCode with AssumeRole
		allowed bool
	}{
		{name: "sts:ExternalId matches", doc: docConfusedDeputy, role: ext, in: AssumeRoleInput{ExternalId: issStr("ext-42")}, allowed: true},
		{name: "sts:ExternalId differs", doc: docConfusedDeputy, role: ext, in: AssumeRoleInput{ExternalId: issStr("ext-43")}},
		{name: "sts:ExternalId missing", doc: docConfusedDeputy, role: ext},
		{name: "sts:RoleSessionName matches", doc: docAssumeRole, role: sessName, in: AssumeRoleInput{RoleSessionName: "tess"}, allowed: true},
		{name: "sts:RoleSessionName differs", doc: docAssumeRole, role: sessName, in: AssumeRoleInput{RoleSessionName: "someone"}},
		{name: "sts:SourceIdentity matches", doc: docSourceIdentity, role: srcID, in: AssumeRoleInput{SourceIdentity: issStr("tess")}, allowed: true},
		{name: "sts:SourceIdentity differs", doc: docSourceIdentity, role: srcID, in: AssumeRoleInput{SourceIdentity: issStr("other")}},
		{name: "sts:SourceIdentity missing", doc: docSourceIdentity, role: srcID},
		{name: "sts:TransitiveTagKeys names Project", doc: docSessionTags, role: transitive,
			in: AssumeRoleInput{Tags: tags("Project", "apollo"), TransitiveTagKeys: []string{"Project"}}, allowed: true},
		{name: "sts:TransitiveTagKeys missing", doc: docSessionTags, role: transitive, in: AssumeRoleInput{Tags: tags("Project", "apollo")}},
		{name: "aws:RequestTag/Project matches", doc: docSessionTags, role: reqTag, in: AssumeRoleInput{Tags: tags("Project", "apollo")}, allowed: true},
		{name: "aws:RequestTag/Project differs", doc: docSessionTags, role: reqTag, in: AssumeRoleInput{Tags: tags("Project", "zeus")}},
		{name: "aws:RequestTag/Project missing", doc: docSessionTags, role: reqTag},
		{name: "aws:TagKeys all allowed", doc: docSessionTags, role: tagKeys, in: AssumeRoleInput{Tags: tags("Project", "x", "CostCenter", "1")}, allowed: true},
		{name: "aws:TagKeys with a key not allowed", doc: docSessionTags, role: tagKeys, in: AssumeRoleInput{Tags: tags("Project", "x", "Owner", "eve")}},
		{name: "aws:TagKeys without tags (ForAllValues)", doc: docSessionTags, role: tagKeys, allowed: true},
		{name: "aws:MultiFactorAuthPresent: long-term key without MFA", doc: docMFARequireAPI, role: mfaPresent},
		{name: "aws:MultiFactorAuthPresent: MFA passed to AssumeRole", doc: docMFARequireAPI, role: mfaPresent, withMFA: true, allowed: true},
		{name: "aws:MultiFactorAuthPresent: GetSessionToken with MFA", doc: docMFARequireAPI, role: mfaPresent, caller: mfaSession(0), allowed: true},
		{name: "aws:MultiFactorAuthPresent: GetSessionToken without MFA", doc: docMFARequireAPI, role: mfaPresent, caller: noMFASession},
		{name: "aws:MultiFactorAuthAge: ten minutes", doc: docMFARequireAPI, role: mfaAge, caller: mfaSession(10 * time.Minute), allowed: true},
		{name: "aws:MultiFactorAuthAge: two hours", doc: docMFARequireAPI, role: mfaAge, caller: mfaSession(2 * time.Hour)},
		{name: "aws:MultiFactorAuthAge: no MFA at all", doc: docMFARequireAPI, role: mfaAge, caller: noMFASession},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			caller := longTerm
			if tc.caller != nil {
				caller = tc.caller
			}
			in := tc.in
			in.RoleArn = tc.role
			if in.RoleSessionName == "" {
				in.RoleSessionName = "cond"
			}
			if tc.withMFA {
				in.SerialNumber, in.TokenCode = &serial, issStr(f.code(seed))
			}
			c := caller()
			_, _, err := f.assume(c, &in)
			if tc.allowed {
				if err != nil {
					t.Fatalf("AssumeRole: %v", err)
				}
				return
			}
			wantAPIError(t, err, "AccessDenied", "")
		})
	}
}

// TestGetSessionTokenNilInput: every parameter of GetSessionToken is
// optional, so a request with none is valid (the SDKs send a nil input as
// an empty one).
func TestGetSessionTokenNilInput(t *testing.T) {
	t.Logf("AWS: %s", docGetSessionToken)
	f := newIssFixture(t)
	nell := f.user(issAcct, "Nell", nil)
	var out *GetSessionTokenOutput
	var err error
	panicked := func() (p any) {
		defer func() { p = recover() }()
		out, err = f.is.GetSessionToken(f.ctx, nell, nil)
		return nil
	}()
	if panicked != nil {
		t.Skipf("issuer disagrees with AWS: GetSessionToken(ctx, caller, nil) panics (%v); a request without parameters is valid and lasts 43200 s", panicked)
	}
	if err != nil {
		t.Fatalf("GetSessionToken(nil input): %v", err)
	}
	if got := out.Credentials.Expiration.Sub(f.clock.Now()); got != 43200*time.Second {
		t.Errorf("Expiration - now = %v, want 12h", got)
	}
}

// ---- MFA

func TestGetSessionTokenMFA(t *testing.T) {
	f := newIssFixture(t)
	const seed = "mia-totp-seed-abcdef"
	serial := issMFASerial(issAcct, "mia")
	mia := f.user(issAcct, "Mia", func(u *User) { u.MFADevices = []MFADevice{{SerialNumber: serial, Seed: NewSecret(seed)}} })
	needsMFA := f.role(issAcct, "NeedsMFA", []string{issTrust(mia.ARN, issAssume, `{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)}, nil)

	code := f.code(seed)
	tests := []struct {
		name     string
		doc      string
		serial   string
		code     func() string
		wantMFA  bool
		wantCode string
	}{
		{name: "correct code", doc: docGetSessionToken, serial: serial, code: func() string { return code }, wantMFA: true},
		{name: "the same code again (replay)", doc: docMFARequireAPI, serial: serial, code: func() string { return code }, wantCode: "AccessDenied"},
		{name: "wrong code", doc: docGetSessionToken, serial: serial, code: func() string {
			c := f.code(seed)
			return c[:5] + string(rune('0'+(c[5]-'0'+1)%10)) // last digit changed
		}, wantCode: "AccessDenied"},
		{name: "serial number of no device of the user", doc: docGetSessionToken, serial: issMFASerial(issAcct, "someone"), code: func() string { return f.code(seed) }, wantCode: "AccessDenied"},
		{name: "next code", doc: docGetSessionToken, serial: serial, code: func() string { return f.code(seed) }, wantMFA: true},
		{name: "no MFA", doc: docGetSessionToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			in := &GetSessionTokenInput{}
			if tc.code != nil {
				in.SerialNumber, in.TokenCode = &tc.serial, issStr(tc.code())
			}
			s, err := f.sessionToken(mia, in)
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, "")
				return
			}
			if err != nil {
				t.Fatalf("GetSessionToken: %v", err)
			}
			if s.Kind != SessionToken || s.MFA != tc.wantMFA {
				t.Fatalf("session kind %v MFA %v, want SessionToken %v", s.Kind, s.MFA, tc.wantMFA)
			}
			_, _, err = f.assume(s, &AssumeRoleInput{RoleArn: needsMFA, RoleSessionName: "mfa"})
			if tc.wantMFA && err != nil {
				t.Errorf("AssumeRole of a role requiring MFA with an MFA session: %v", err)
			}
			if !tc.wantMFA {
				t.Logf("AWS: %s (trust policy requiring aws:MultiFactorAuthPresent)", docMFARequireAPI)
				wantAPIError(t, err, "AccessDenied", notAuthorized(s.ARN, "sts:AssumeRole", needsMFA))
			}
		})
	}
}

// ---- What each kind of credentials may call

func TestCredentialKindLimits(t *testing.T) {
	f := newIssFixture(t)
	const seed = "lee-totp-seed-000000"
	serial := issMFASerial(issAcct, "lee")
	admin := issPolicy(policy.Identity, issAllow([]string{"*"}, "*", ""))
	lee := f.user(issAcct, "Lee", func(u *User) {
		u.Policies = []*policy.Policy{admin}
		u.MFADevices = []MFADevice{{SerialNumber: serial, Seed: NewSecret(seed)}}
	})
	anyRole := f.role(issAcct, "AnyInAccount", []string{issTrust(issRootARN(issAcct), issAssume, "")}, func(r *Role) { r.Policies = []*policy.Policy{admin} })
	noMFA, err := f.sessionToken(lee, &GetSessionTokenInput{})
	f.must(err)
	withMFA, err := f.sessionToken(lee, &GetSessionTokenInput{SerialNumber: &serial, TokenCode: issStr(f.code(seed))})
	f.must(err)
	roleSess := f.mustAssume(lee, anyRole, "kinds")
	_, fed, err := f.federate(lee, &GetFederationTokenInput{Name: "kinds", Policy: issStr(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)})
	f.must(err)
	msg := f.decide(fed, "iam:ListUsers", "*").EncodedMessage // a message to decode

	type op struct {
		name string
		call func(s *Session) error
	}
	allowedOr := func(d *Decision, err error) error {
		if err != nil {
			return err
		}
		if !d.Allowed() {
			return newError(ErrAccessDenied, "denied: %s", d.Denial)
		}
		return nil
	}
	ops := map[string]op{
		"iam:ListUsers": {"Authorize iam:ListUsers", func(s *Session) error {
			return allowedOr(f.is.Authorize(f.ctx, s, AuthorizeInput{Action: "iam:ListUsers", Resource: "*"}))
		}},
		"GetSessionToken": {"GetSessionToken", func(s *Session) error {
			_, err := f.is.GetSessionToken(f.ctx, s, &GetSessionTokenInput{})
			return err
		}},
		"GetFederationToken": {"GetFederationToken", func(s *Session) error {
			_, err := f.is.GetFederationToken(f.ctx, s, &GetFederationTokenInput{Name: "again"})
			return err
		}},
		"AssumeRole": {"AssumeRole", func(s *Session) error {
			_, err := f.is.AssumeRole(f.ctx, s, &AssumeRoleInput{RoleArn: anyRole, RoleSessionName: "again"})
			return err
		}},
		"GetCallerIdentity": {"GetCallerIdentity", func(s *Session) error {
			_, err := f.is.GetCallerIdentity(f.ctx, s)
			return err
		}},
		"GetAccessKeyInfo": {"GetAccessKeyInfo", func(s *Session) error {
			_, err := f.is.GetAccessKeyInfo(f.ctx, s, &GetAccessKeyInfoInput{AccessKeyId: "AKIASP2TPHJSQH3FJXYZ"})
			return err
		}},
		"DecodeAuthorizationMessage": {"DecodeAuthorizationMessage", func(s *Session) error {
			_, err := f.is.DecodeAuthorizationMessage(f.ctx, s, &DecodeAuthorizationMessageInput{EncodedMessage: msg})
			return err
		}},
	}

	// allowed lists, per kind of credentials, which operations succeed; the
	// others must answer AccessDenied.
	tests := []struct {
		kind    string
		session *Session
		allowed []string
	}{
		{"long-term user key", lee, []string{"iam:ListUsers", "GetSessionToken", "GetFederationToken", "AssumeRole", "GetCallerIdentity", "GetAccessKeyInfo", "DecodeAuthorizationMessage"}},
		{"GetSessionToken without MFA", noMFA, []string{"AssumeRole", "GetCallerIdentity"}},
		{"GetSessionToken with MFA", withMFA, []string{"iam:ListUsers", "AssumeRole", "GetCallerIdentity"}},
		{"AssumeRole", roleSess, []string{"iam:ListUsers", "AssumeRole", "GetCallerIdentity", "GetAccessKeyInfo", "DecodeAuthorizationMessage"}},
		{"GetFederationToken", fed, []string{"GetCallerIdentity"}},
	}
	order := []string{"iam:ListUsers", "GetSessionToken", "GetFederationToken", "AssumeRole", "GetCallerIdentity", "GetAccessKeyInfo", "DecodeAuthorizationMessage"}
	for _, tc := range tests {
		for _, name := range order {
			o := ops[name]
			want := false
			for _, a := range tc.allowed {
				want = want || a == name
			}
			t.Run(tc.kind+"/"+o.name, func(t *testing.T) {
				t.Logf("AWS: %s#stsapi_comparison", docTempRequest)
				err := o.call(tc.session)
				if want {
					if err != nil {
						t.Fatalf("%s with %s credentials: %v, want success", o.name, tc.kind, err)
					}
					return
				}
				wantAPIError(t, err, "AccessDenied", "")
			})
		}
	}
}

// ---- GetFederationToken identifiers

func TestGetFederationTokenIdentity(t *testing.T) {
	f := newIssFixture(t)
	fran := f.user(issAcct, "Fran", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"sts:GetFederationToken"}, "*", ""))}
	})
	noPerm := f.user(issAcct, "NoFed", nil)
	tests := []struct {
		name     string
		caller   *Session
		fedName  string
		want     FederatedUser
		wantCode string
	}{
		{"identifiers", fran, "app1", FederatedUser{FederatedUserId: issAcct + ":app1", Arn: "arn:aws:sts::" + issAcct + ":federated-user/app1"}, ""},
		{"name with punctuation", fran, "bob@example.com", FederatedUser{FederatedUserId: issAcct + ":bob@example.com", Arn: "arn:aws:sts::" + issAcct + ":federated-user/bob@example.com"}, ""},
		{"caller without sts:GetFederationToken", noPerm, "app1", FederatedUser{}, "AccessDenied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", docGetFederationToken)
			out, s, err := f.federate(tc.caller, &GetFederationTokenInput{Name: tc.fedName})
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, notAuthorized(tc.caller.ARN, "sts:GetFederationToken", "arn:aws:sts::"+issAcct+":federated-user/"+tc.fedName))
				return
			}
			if err != nil {
				t.Fatalf("GetFederationToken: %v", err)
			}
			if diff := cmp.Diff(tc.want, out.FederatedUser); diff != "" {
				t.Errorf("FederatedUser (-want +got):\n%s", diff)
			}
			if s.Kind != Federated || s.ARN != tc.want.Arn || s.UserID != tc.want.FederatedUserId {
				t.Errorf("session %v %s %s, want Federated %s %s", s.Kind, s.ARN, s.UserID, tc.want.Arn, tc.want.FederatedUserId)
			}
		})
	}
}

// ---- GetCallerIdentity

func TestGetCallerIdentity(t *testing.T) {
	f := newIssFixture(t)
	denyGCI := issDeny([]string{"sts:GetCallerIdentity"}, "*", "")
	gina := f.user(issAcct, "Gina", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, denyGCI, issAllow([]string{"sts:GetFederationToken"}, "*", ""))}
	})
	root := f.root(issAcct)
	denyRole := f.role(issAcct, "Denied", []string{issTrust(gina.ARN, issAssume, "")}, func(r *Role) {
		r.Policies = []*policy.Policy{issPolicy(policy.Identity, denyGCI)}
	})
	roleSess := f.mustAssume(gina, denyRole, "gcid")
	_, fed, err := f.federate(gina, &GetFederationTokenInput{Name: "fedg", Policy: issStr(`{"Version":"2012-10-17","Statement":[` + denyGCI + `]}`)})
	f.must(err)
	tokenSess, err := f.sessionToken(gina, &GetSessionTokenInput{})
	f.must(err)

	tests := []struct {
		name    string
		session *Session
		want    GetCallerIdentityOutput
	}{
		{"IAM user", gina, GetCallerIdentityOutput{Account: issAcct, Arn: gina.ARN, UserId: issUserID(issAcct, "Gina")}},
		{"root user", root, GetCallerIdentityOutput{Account: issAcct, Arn: issRootARN(issAcct), UserId: issAcct}},
		{"role session", roleSess, GetCallerIdentityOutput{Account: issAcct, Arn: "arn:aws:sts::" + issAcct + ":assumed-role/Denied/gcid", UserId: issRoleID(issAcct, "Denied") + ":gcid"}},
		{"federated user", fed, GetCallerIdentityOutput{Account: issAcct, Arn: "arn:aws:sts::" + issAcct + ":federated-user/fedg", UserId: issAcct + ":fedg"}},
		{"GetSessionToken session", tokenSess, GetCallerIdentityOutput{Account: issAcct, Arn: gina.ARN, UserId: issUserID(issAcct, "Gina")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", docGetCallerIdentity)
			got, err := f.is.GetCallerIdentity(f.ctx, tc.session)
			if err != nil {
				t.Fatalf("GetCallerIdentity despite the explicit deny: %v", err)
			}
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("GetCallerIdentity (-want +got):\n%s", diff)
			}
			if d := f.decide(tc.session, "sts:GetCallerIdentity", "*"); !d.Allowed() {
				t.Errorf("Authorize(sts:GetCallerIdentity) = %v, want allowed even with an explicit deny", d.Explanation)
			}
		})
	}
}

// ---- GetAccessKeyInfo

func TestGetAccessKeyInfo(t *testing.T) {
	f := newIssFixture(t)
	admin := f.user(issAcct, "Ada", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"*"}, "*", ""))}
	})
	noPerm := f.user(issAcct, "Nia", nil)
	other := f.user(issOther, "Otto", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow(issAssume, "*", ""))}
	})
	crossRole := f.role(issAcct, "ForOtto", []string{issTrust(other.ARN, issAssume, "")}, nil)
	otherToken, err := f.sessionToken(other, &GetSessionTokenInput{})
	f.must(err)
	out, _, err := f.assume(other, &AssumeRoleInput{RoleArn: crossRole, RoleSessionName: "kk"})
	f.must(err)

	tests := []struct {
		name     string
		doc      string
		caller   *Session
		key      string
		want     string
		wantCode string
	}{
		{"long-term key of a user in this account", docGetAccessKeyInfo, admin, admin.AccessKeyID, issAcct, ""},
		{"long-term key of a user in another account", docGetAccessKeyInfo, admin, other.AccessKeyID, issOther, ""},
		{"GetSessionToken key (ASIA)", docGetAccessKeyInfo, admin, otherToken.AccessKeyID, issOther, ""},
		{"AssumeRole key (ASIA) belongs to the role's account", docGetAccessKeyInfo, admin, out.Credentials.AccessKeyID, issAcct, ""},
		{"published AKIA example", docGetAccessKeyInfo + " (decoding: AWS-NOTES.md, Aidan Steele 2020)", admin, "AKIASP2TPHJSQH3FJXYZ", "171436882533", ""},
		{"published ASIA example", docGetAccessKeyInfo + " (decoding: AWS-NOTES.md, Aidan Steele 2020)", admin, "ASIAY34FZKBOKMUTVV7A", "609629065308", ""},
		{"caller without sts:GetAccessKeyInfo", docGetAccessKeyInfo, noPerm, admin.AccessKeyID, "", "AccessDenied"},
		{"too short", docGetAccessKeyInfo, admin, "AKIA1234", "", "ValidationError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			got, err := f.is.GetAccessKeyInfo(f.ctx, tc.caller, &GetAccessKeyInfoInput{AccessKeyId: tc.key})
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, "")
				return
			}
			if err != nil {
				t.Fatalf("GetAccessKeyInfo(%s): %v", tc.key, err)
			}
			if got.Account != tc.want {
				t.Errorf("GetAccessKeyInfo(%s).Account = %s, want %s", tc.key, got.Account, tc.want)
			}
		})
	}
}

// ---- Authenticate

func TestAuthenticate(t *testing.T) {
	f := newIssFixture(t)
	kim := f.user(issAcct, "Kim", nil)
	kimKey := f.keys[kim.ARN]
	inactiveID, err := NewAccessKeyID("AKIA", issAcct, f.rnd)
	f.must(err)
	f.user(issAcct, "Ivy", func(u *User) {
		u.AccessKeys = append(u.AccessKeys, AccessKey{ID: inactiveID, Secret: NewSecret("old-secret"), Inactive: true})
	})
	unknownID, err := NewAccessKeyID("AKIA", issAcct, f.rnd)
	f.must(err)
	role := f.role(issAcct, "Authn", []string{issTrust(kim.ARN, issAssume, "")}, nil)
	assume := func(dur int32) Credentials {
		out, err := f.is.AssumeRole(f.ctx, kim, &AssumeRoleInput{RoleArn: role, RoleSessionName: "authn", DurationSeconds: issSec(dur)})
		f.must(err)
		return out.Credentials
	}
	one, two := assume(3600), assume(3600)

	tests := []struct {
		name     string
		doc      string
		setup    func() (id string, secret Secret, token string)
		wantARN  string
		wantCode string
	}{
		{"long-term key", docCommonErrors, func() (string, Secret, string) { return kimKey.ID, kimKey.Secret, "" }, kim.ARN, ""},
		{"long-term key, wrong secret", docCommonErrors, func() (string, Secret, string) { return kimKey.ID, NewSecret("not-the-secret"), "" }, "", "SignatureDoesNotMatch"},
		{"long-term key with a session token", docCommonErrors, func() (string, Secret, string) { return kimKey.ID, kimKey.Secret, one.SessionToken }, "", "InvalidClientTokenId"},
		{"inactive key", docCommonErrors, func() (string, Secret, string) { return inactiveID, NewSecret("old-secret"), "" }, "", "InvalidClientTokenId"},
		{"unknown key", docCommonErrors, func() (string, Secret, string) { return unknownID, NewSecret("whatever"), "" }, "", "InvalidClientTokenId"},
		{"temporary credentials", docCommonErrors, func() (string, Secret, string) { return one.AccessKeyID, one.SecretAccessKey, one.SessionToken },
			"arn:aws:sts::" + issAcct + ":assumed-role/Authn/authn", ""},
		{"token of another session (keys swapped)", docCommonErrors, func() (string, Secret, string) { return one.AccessKeyID, two.SecretAccessKey, two.SessionToken }, "", "InvalidClientTokenId"},
		{"token of another session, own secret", docCommonErrors, func() (string, Secret, string) { return one.AccessKeyID, one.SecretAccessKey, two.SessionToken }, "", "InvalidClientTokenId"},
		{"temporary key without its token", docCommonErrors, func() (string, Secret, string) { return one.AccessKeyID, one.SecretAccessKey, "" }, "", "InvalidClientTokenId"},
		{"temporary key, wrong secret", docCommonErrors, func() (string, Secret, string) { return one.AccessKeyID, two.SecretAccessKey, one.SessionToken }, "", "SignatureDoesNotMatch"},
		{"one second before expiry", docCommonErrors, func() (string, Secret, string) {
			c := assume(900)
			f.clock.Advance(899 * time.Second)
			return c.AccessKeyID, c.SecretAccessKey, c.SessionToken
		}, "arn:aws:sts::" + issAcct + ":assumed-role/Authn/authn", ""},
		{"expired session", docCommonErrors, func() (string, Secret, string) {
			c := assume(900)
			f.clock.Advance(900 * time.Second)
			return c.AccessKeyID, c.SecretAccessKey, c.SessionToken
		}, "", "ExpiredToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			id, secret, token := tc.setup()
			s, err := f.is.Authenticate(f.ctx, id, secret, token)
			if tc.wantCode != "" {
				wantAPIError(t, err, tc.wantCode, "")
				return
			}
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if s.ARN != tc.wantARN || s.AccessKeyID != id {
				t.Errorf("Authenticate = %s with key %s, want %s with key %s", s.ARN, s.AccessKeyID, tc.wantARN, id)
			}
		})
	}
}

// ---- Errors

func TestErrorsAreSmithyAPIErrors(t *testing.T) {
	f := newIssFixture(t)
	ulla := f.user(issAcct, "Ulla", nil)
	offUser := f.user(issOffAcct, "Off", nil)
	role := f.role(issAcct, "Errs", []string{issTrust(ulla.ARN, issAssumeAll, "")}, nil)
	out, err := f.is.AssumeRole(f.ctx, ulla, &AssumeRoleInput{RoleArn: role, RoleSessionName: "ee", DurationSeconds: issSec(900)})
	f.must(err)
	c := out.Credentials

	tests := []struct {
		name   string
		doc    string
		err    func() error
		code   string
		status int
	}{
		{"ValidationError", docAssumeRole, func() error {
			_, err := f.is.AssumeRole(f.ctx, ulla, &AssumeRoleInput{RoleArn: role, RoleSessionName: "ee", DurationSeconds: issSec(7200)})
			return err
		}, "ValidationError", 400},
		{"AccessDenied", docAssumeRole, func() error {
			_, err := f.is.AssumeRole(f.ctx, ulla, &AssumeRoleInput{RoleArn: issRoleARN(issAcct, "Nope"), RoleSessionName: "ee"})
			return err
		}, "AccessDenied", 403},
		{"InvalidParameterValue", docSessionTags, func() error {
			_, err := f.is.AssumeRole(f.ctx, ulla, &AssumeRoleInput{RoleArn: role, RoleSessionName: "ee", Tags: []Tag{{Key: "a", Value: "1"}, {Key: "A", Value: "2"}}})
			return err
		}, "InvalidParameterValue", 400},
		{"MalformedPolicyDocument", docAssumeRole, func() error {
			_, err := f.is.AssumeRole(f.ctx, ulla, &AssumeRoleInput{RoleArn: role, RoleSessionName: "ee", Policy: issStr(`{"Version":"2012-10-17","Statement":[{"Effect":"Perhaps"}]}`)})
			return err
		}, "MalformedPolicyDocument", 400},
		{"PackedPolicyTooLarge", docAssumeRole, func() error {
			_, err := f.is.AssumeRole(f.ctx, ulla, &AssumeRoleInput{RoleArn: role, RoleSessionName: "ee", Tags: issRandomTags(50, 1)})
			return err
		}, "PackedPolicyTooLarge", 400},
		{"RegionDisabledException", docGetSessionToken, func() error {
			_, err := f.is.GetSessionToken(f.ctx, offUser, nil)
			return err
		}, "RegionDisabledException", 403},
		{"InvalidAuthorizationMessageException", docDecodeAuthMessage, func() error {
			_, err := f.is.DecodeAuthorizationMessage(f.ctx, f.root(issAcct), &DecodeAuthorizationMessageInput{EncodedMessage: "not-a-message"})
			return err
		}, "InvalidAuthorizationMessageException", 400},
		{"SignatureDoesNotMatch", docCommonErrors, func() error {
			_, err := f.is.Authenticate(f.ctx, c.AccessKeyID, NewSecret("wrong"), c.SessionToken)
			return err
		}, "SignatureDoesNotMatch", 403},
		{"InvalidClientTokenId", docCommonErrors, func() error {
			_, err := f.is.Authenticate(f.ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken+"x")
			return err
		}, "InvalidClientTokenId", 403},
		{"ExpiredToken", docCommonErrors, func() error {
			f.clock.Advance(time.Hour)
			_, err := f.is.Authenticate(f.ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
			return err
		}, "ExpiredToken", 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			err := tc.err()
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v does not satisfy smithy.APIError", err)
			}
			if apiErr.ErrorCode() != tc.code || apiErr.ErrorFault() != smithy.FaultClient || apiErr.ErrorMessage() == "" {
				t.Errorf("ErrorCode %q, ErrorFault %v, ErrorMessage %q; want %q, client fault and a message", apiErr.ErrorCode(), apiErr.ErrorFault(), apiErr.ErrorMessage(), tc.code)
			}
			var status interface{ HTTPStatusCode() int }
			if !errors.As(err, &status) || status.HTTPStatusCode() != tc.status {
				t.Errorf("HTTP status of %v: want %d", err, tc.status)
			}
		})
	}
}

// ---- PackedPolicySize

// issRandomTags returns n tags of random letters and digits: keys of 128
// characters, values of 256, which compress badly.
func issRandomTags(n int, seed uint64) []Tag {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	r := mrand.New(mrand.NewChaCha8(s))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[r.IntN(len(alnum))]
		}
		return string(b)
	}
	tags := make([]Tag, n)
	for i := range tags {
		tags[i] = Tag{Key: fmt.Sprintf("%03d", i) + word(125), Value: word(256)}
	}
	return tags
}

func TestPackedPolicySize(t *testing.T) {
	f := newIssFixture(t)
	pia := f.user(issAcct, "Pia", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"sts:GetFederationToken", "sts:TagSession", "s3:*"}, "*", ""))}
	})
	role := f.role(issAcct, "Packed", []string{issTrust(pia.ARN, issAssumeAll, "")}, nil)
	sessionPolicy := issStr(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"]}]}`)

	type result struct {
		size *int32
		err  error
	}
	assume := func(in AssumeRoleInput) result {
		in.RoleArn, in.RoleSessionName = role, "packed"
		out, err := f.is.AssumeRole(f.ctx, pia, &in)
		if err != nil {
			return result{err: err}
		}
		return result{size: out.PackedPolicySize}
	}
	federate := func(in GetFederationTokenInput) result {
		in.Name = "packed"
		out, err := f.is.GetFederationToken(f.ctx, pia, &in)
		if err != nil {
			return result{err: err}
		}
		return result{size: out.PackedPolicySize}
	}
	tests := []struct {
		name     string
		doc      string
		run      func() result
		wantSize bool
		wantCode string
	}{
		{"AssumeRole with a session policy", docAssumeRole, func() result { return assume(AssumeRoleInput{Policy: sessionPolicy}) }, true, ""},
		{"AssumeRole with a few tags", docAssumeRole, func() result {
			return assume(AssumeRoleInput{Tags: []Tag{{Key: "Project", Value: "apollo"}}})
		}, true, ""},
		{"AssumeRole with 50 long random tags", docAssumeRole, func() result { return assume(AssumeRoleInput{Tags: issRandomTags(50, 2)}) }, false, "PackedPolicyTooLarge"},
		{"GetFederationToken with a session policy", docGetFederationToken, func() result { return federate(GetFederationTokenInput{Policy: sessionPolicy}) }, true, ""},
		{"GetFederationToken with 50 long random tags", docGetFederationToken, func() result {
			return federate(GetFederationTokenInput{Policy: sessionPolicy, Tags: issRandomTags(50, 3)})
		}, false, "PackedPolicyTooLarge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s", tc.doc)
			r := tc.run()
			if tc.wantCode != "" {
				wantAPIError(t, r.err, tc.wantCode, "")
				return
			}
			if r.err != nil {
				t.Fatal(r.err)
			}
			if r.size == nil || *r.size < 1 || *r.size > 100 {
				t.Errorf("PackedPolicySize = %v, want a percentage from 1 to 100", r.size)
			}
		})
	}
}

// ---- RegionDisabledException

func TestRegionDisabled(t *testing.T) {
	f := newIssFixture(t)
	off := f.user(issOffAcct, "Olga", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"sts:*"}, "*", ""))}
	})
	on := f.user(issAcct, "Omar", func(u *User) {
		u.Policies = []*policy.Policy{issPolicy(policy.Identity, issAllow([]string{"sts:*"}, "*", ""))}
	})
	offRole := f.role(issOffAcct, "Offline", []string{issTrust(off.ARN, issAssume, ""), issTrust(on.ARN, issAssume, "")}, nil)
	onRole := f.role(issAcct, "Online", []string{issTrust(off.ARN, issAssume, "")}, nil)
	ring, err := NewKeyRing(Key{ID: 9, Secret: NewSecret("another-region-master-key-0123456789abcd")})
	f.must(err)
	euIssuer, err := NewIssuer(Options{Directory: f.dir, Keys: ring, Now: f.clock.Now, Rand: issRand(5), Region: "eu-west-1"})
	f.must(err)

	tests := []struct {
		name     string
		doc      string
		call     func() error
		wantCode string
	}{
		{"AssumeRole of a role in the account", docAssumeRole, func() error {
			_, err := f.is.AssumeRole(f.ctx, on, &AssumeRoleInput{RoleArn: offRole, RoleSessionName: "rr"})
			return err
		}, "RegionDisabledException"},
		{"AssumeRole by the account's user of a role elsewhere", docAssumeRole, func() error {
			_, err := f.is.AssumeRole(f.ctx, off, &AssumeRoleInput{RoleArn: onRole, RoleSessionName: "rr"})
			return err
		}, ""},
		{"GetSessionToken", docGetSessionToken, func() error {
			_, err := f.is.GetSessionToken(f.ctx, off, &GetSessionTokenInput{})
			return err
		}, "RegionDisabledException"},
		{"GetFederationToken", docGetFederationToken, func() error {
			_, err := f.is.GetFederationToken(f.ctx, off, &GetFederationTokenInput{Name: "rr"})
			return err
		}, "RegionDisabledException"},
		{"AssumeRole in an enabled region", docEnableRegions, func() error {
			_, err := euIssuer.AssumeRole(f.ctx, on, &AssumeRoleInput{RoleArn: offRole, RoleSessionName: "rr"})
			return err
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("AWS: %s, %s", tc.doc, docEnableRegions)
			err := tc.call()
			if tc.wantCode == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, tc.wantCode, "")
			if got := err.(*Error).HTTPStatusCode(); got != 403 {
				t.Errorf("HTTP status %d, want 403", got)
			}
		})
	}
}

// TestIssuerRegion: Region reports Options.Region, and the global STS
// endpoint's region, us-east-1, when none is set (STS endpoints:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html).
func TestIssuerRegion(t *testing.T) {
	ring, err := NewKeyRing(Key{ID: 1, Secret: NewSecret("region-test-key-material-0123456789")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ opt, want string }{{"", "us-east-1"}, {"eu-west-3", "eu-west-3"}} {
		is, err := NewIssuer(Options{Directory: NewMemoryDirectory(), Keys: ring, Region: tc.opt})
		if err != nil {
			t.Fatal(err)
		}
		if got := is.Region(); got != tc.want {
			t.Errorf("Options.Region %q: Region() = %q, want %q", tc.opt, got, tc.want)
		}
	}
}
