package credentials

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

// The test organisation: Alice, an IAM user of account 111122223333 with a
// virtual MFA device, and the roles she (or her role sessions) may assume.
const (
	cpAccount         = "111122223333"
	cpAuditAccount    = "444455556666"
	cpAliceARN        = "arn:aws:iam::111122223333:user/alice"
	cpAliceKeyID      = "AKIAIOSFODNN7EXAMPLE"
	cpAliceSecret     = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	cpAliceMFASerial  = "arn:aws:iam::111122223333:mfa/alice"
	cpDeployRoleARN   = "arn:aws:iam::111122223333:role/deploy"
	cpPartnerRoleARN  = "arn:aws:iam::111122223333:role/partner"
	cpAdminRoleARN    = "arn:aws:iam::111122223333:role/admin"
	cpAuditRoleARN    = "arn:aws:iam::444455556666:role/audit"
	cpInstanceRoleARN = "arn:aws:iam::111122223333:role/instance-role"
	cpLockedRoleARN   = "arn:aws:iam::111122223333:role/locked"
	cpPartnerExtID    = "partner-7f3a"
)

var (
	cpAliceMFASeed = []byte("12345678901234567890")
	cpT0           = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
)

// cpClock is a settable clock safe for concurrent use.
type cpClock struct {
	mu sync.Mutex
	t  time.Time
}

func newCPClock(t time.Time) *cpClock { return &cpClock{t: t} }

func (c *cpClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *cpClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type cpFixture struct {
	issuer *sts.Issuer
	alice  aws.CredentialsProvider // Alice's long-term keys
}

func cpTrust(t testing.TB, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(doc), policy.Trust)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func cpIdentity(t testing.TB, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(doc), policy.Identity)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newCPFixture builds the directory and an issuer reading now.
func newCPFixture(t testing.TB, now func() time.Time) *cpFixture {
	t.Helper()
	dir := sts.NewMemoryDirectory()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	assumeAny := cpIdentity(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":"*"}]}`)
	trustAccount := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`
	must(dir.PutUser(sts.User{
		ARN: cpAliceARN, UniqueID: "AIDAALICEEXAMPLE0001",
		Policies:   []*policy.Policy{assumeAny},
		AccessKeys: []sts.AccessKey{{ID: cpAliceKeyID, Secret: sts.NewSecret(cpAliceSecret)}},
		MFADevices: []sts.MFADevice{{SerialNumber: cpAliceMFASerial, Seed: sts.NewSecret(string(cpAliceMFASeed))}},
	}))
	must(dir.PutRole(sts.Role{ARN: cpDeployRoleARN, UniqueID: "AROADEPLOYEXAMPLE001",
		TrustPolicy: cpTrust(t, trustAccount), Policies: []*policy.Policy{assumeAny}, MaxSessionDuration: 12 * time.Hour}))
	must(dir.PutRole(sts.Role{ARN: cpPartnerRoleARN, UniqueID: "AROAPARTNEREXAMPLE01",
		TrustPolicy: cpTrust(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
			"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"`+cpPartnerExtID+`"}}}]}`)}))
	must(dir.PutRole(sts.Role{ARN: cpAdminRoleARN, UniqueID: "AROAADMINEXAMPLE0001",
		TrustPolicy: cpTrust(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},
			"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)}))
	// A role in another account that trusts only the deploy role: reached
	// by role chaining.
	must(dir.PutRole(sts.Role{ARN: cpAuditRoleARN, UniqueID: "AROAAUDITEXAMPLE0001", MaxSessionDuration: 12 * time.Hour,
		TrustPolicy: cpTrust(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+cpDeployRoleARN+`"},"Action":"sts:AssumeRole"}]}`)}))
	must(dir.PutRole(sts.Role{ARN: cpInstanceRoleARN, UniqueID: "AROAINSTANCEEXAMPLE1",
		TrustPolicy: cpTrust(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	// Trusts only Lambda: EC2 may not assume it.
	must(dir.PutRole(sts.Role{ARN: cpLockedRoleARN, UniqueID: "AROALOCKEDEXAMPLE001",
		TrustPolicy: cpTrust(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))

	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(string(bytes.Repeat([]byte("k"), 32)))})
	must(err)
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: now})
	must(err)
	return &cpFixture{issuer: issuer, alice: NewStaticProvider(cpAliceKeyID, sts.NewSecret(cpAliceSecret), cpAccount)}
}

// session authenticates credentials with the issuer.
func (f *cpFixture) session(t testing.TB, c aws.Credentials) *sts.Session {
	t.Helper()
	s, err := f.issuer.Authenticate(context.Background(), c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.SessionToken)
	if err != nil {
		t.Fatalf("Authenticate(%s): %v", c.AccessKeyID, err)
	}
	return s
}

// cpAPICode returns the smithy.APIError code of err, or "" if it has none.
func cpAPICode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func TestStaticProvider(t *testing.T) {
	p := NewStaticProvider(cpAliceKeyID, sts.NewSecret(cpAliceSecret), cpAccount)
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := aws.Credentials{AccessKeyID: cpAliceKeyID, SecretAccessKey: cpAliceSecret, Source: SourceStatic, AccountID: cpAccount}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Retrieve (-want +got):\n%s", diff)
	}
	if _, err := NewStaticProvider("", sts.NewSecret(""), "").Retrieve(context.Background()); err == nil {
		t.Error("empty static credentials: no error")
	}
}

// TestSecretsNeverPrint proves that providers and handlers holding secrets
// redact them in every format and in log/slog.
func TestSecretsNeverPrint(t *testing.T) {
	f := newCPFixture(t, newCPClock(cpT0).Now)
	imds, err := NewIMDSHandler(IMDSOptions{Issuer: f.issuer, RoleARN: cpInstanceRoleARN})
	if err != nil {
		t.Fatal(err)
	}
	key := imds.(*imdsHandler).key
	container, err := NewContainerHandler(ContainerOptions{Provider: f.alice, AuthorizationToken: "container-token-secret"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		v       any
		secrets []string
	}{
		{"static provider", f.alice, []string{cpAliceSecret}},
		{"imds handler", imds, []string{hex.EncodeToString(key[:4]), strings.Trim(fmt.Sprint(key[:3]), "[]")}},
		{"container handler", container, []string{"container-token-secret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			slog.New(slog.NewTextHandler(&logged, nil)).Info("provider", "p", tc.v)
			outs := []string{fmt.Sprint(tc.v), fmt.Sprintf("%v %+v %#v %s %q %x", tc.v, tc.v, tc.v, tc.v, tc.v, tc.v), logged.String()}
			for _, out := range outs {
				for _, s := range tc.secrets {
					if strings.Contains(strings.ToLower(out), s) {
						t.Errorf("output %q reveals %q", out, s)
					}
				}
			}
		})
	}
}

func TestAssumeRoleProvider(t *testing.T) {
	ctx := context.Background()
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	for _, tc := range []struct {
		name     string
		role     string
		opt      func(*AssumeRoleOptions)
		wantLife time.Duration
		wantARN  string
		check    func(t *testing.T, s *sts.Session)
	}{
		{
			name: "defaults: 15 minutes, stscreds' session name from the clock",
			role: cpDeployRoleARN, opt: func(o *AssumeRoleOptions) { o.Now = clock.Now },
			wantLife: 15 * time.Minute,
			wantARN:  fmt.Sprintf("arn:aws:sts::111122223333:assumed-role/deploy/aws-go-sdk-%d", cpT0.UnixNano()),
		},
		{
			name: "session name, duration, tags and source identity",
			role: cpDeployRoleARN,
			opt: func(o *AssumeRoleOptions) {
				o.RoleSessionName = "ci-build"
				o.Duration = 2 * time.Hour
				o.Tags = []sts.Tag{{Key: "team", Value: "platform"}}
				o.TransitiveTagKeys = []string{"team"}
				o.SourceIdentity = aws.String("alice")
			},
			wantLife: 2 * time.Hour,
			wantARN:  "arn:aws:sts::111122223333:assumed-role/deploy/ci-build",
			check: func(t *testing.T, s *sts.Session) {
				if diff := cmp.Diff([]sts.Tag{{Key: "team", Value: "platform"}}, s.Tags); diff != "" {
					t.Errorf("Tags (-want +got):\n%s", diff)
				}
				if s.SourceIdentity != "alice" {
					t.Errorf("SourceIdentity = %q, want alice", s.SourceIdentity)
				}
			},
		},
		{
			name: "ExternalId the trust policy requires",
			role: cpPartnerRoleARN,
			opt: func(o *AssumeRoleOptions) {
				o.RoleSessionName = "partner-sync"
				o.ExternalID = aws.String(cpPartnerExtID)
			},
			wantLife: 15 * time.Minute,
			wantARN:  "arn:aws:sts::111122223333:assumed-role/partner/partner-sync",
		},
		{
			name: "session policy",
			role: cpDeployRoleARN,
			opt: func(o *AssumeRoleOptions) {
				o.RoleSessionName = "scoped"
				o.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
			},
			wantLife: 15 * time.Minute,
			wantARN:  "arn:aws:sts::111122223333:assumed-role/deploy/scoped",
			check: func(t *testing.T, s *sts.Session) {
				if !strings.Contains(s.Policy, "s3:GetObject") {
					t.Errorf("session policy %q not carried", s.Policy)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewAssumeRoleProvider(f.issuer, f.alice, tc.role, tc.opt)
			wantExpires := clock.Now().Add(tc.wantLife)
			got, err := p.Retrieve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.Source != SourceAssumeRole || !got.CanExpire || !got.Expires.Equal(wantExpires) || got.AccountID != cpAccount {
				t.Errorf("Retrieve = {Source %q, CanExpire %v, Expires %v, AccountID %q}, want {%q, true, %v, %q}",
					got.Source, got.CanExpire, got.Expires, got.AccountID, SourceAssumeRole, wantExpires, cpAccount)
			}
			if !strings.HasPrefix(got.AccessKeyID, "ASIA") || got.SessionToken == "" {
				t.Errorf("credentials %s / token %d bytes: want temporary ones", got.AccessKeyID, len(got.SessionToken))
			}
			s := f.session(t, got)
			if s.ARN != tc.wantARN || s.Kind != sts.AssumedRole {
				t.Errorf("session %s (%v), want %s (AssumedRole)", s.ARN, s.Kind, tc.wantARN)
			}
			if tc.check != nil {
				tc.check(t, s)
			}
			// The session name is chosen once and kept for every refresh.
			clock.Advance(time.Second)
			again, err := p.Retrieve(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s2 := f.session(t, again); s2.ARN != s.ARN {
				t.Errorf("second Retrieve: session %s, want %s", s2.ARN, s.ARN)
			}
			if again.AccessKeyID == got.AccessKeyID {
				t.Error("second Retrieve returned the same access key: the provider must not cache")
			}
		})
	}
}

// TestAssumeRoleProviderErrors checks that STS errors surface with their
// codes, as from the real service.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_Errors
func TestAssumeRoleProviderErrors(t *testing.T) {
	ctx := context.Background()
	f := newCPFixture(t, newCPClock(cpT0).Now)
	wrongSecret := NewStaticProvider(cpAliceKeyID, sts.NewSecret("not-the-secret"), cpAccount)
	unknownKey := NewStaticProvider("AKIAUNKNOWNEXAMPLE01", sts.NewSecret("secret"), cpAccount)
	chained := NewAssumeRoleProvider(f.issuer, f.alice, cpDeployRoleARN)
	for _, tc := range []struct {
		name     string
		base     aws.CredentialsProvider
		role     string
		opt      func(*AssumeRoleOptions)
		wantCode string
		wantErr  error
	}{
		{name: "wrong ExternalId", base: f.alice, role: cpPartnerRoleARN,
			opt: func(o *AssumeRoleOptions) { o.ExternalID = aws.String("someone-else") }, wantCode: "AccessDenied"},
		{name: "no ExternalId", base: f.alice, role: cpPartnerRoleARN, wantCode: "AccessDenied"},
		{name: "role does not exist", base: f.alice, role: "arn:aws:iam::111122223333:role/nope", wantCode: "AccessDenied"},
		{name: "MFA required, none given", base: f.alice, role: cpAdminRoleARN, wantCode: "AccessDenied"},
		{name: "wrong MFA code", base: f.alice, role: cpAdminRoleARN, opt: func(o *AssumeRoleOptions) {
			o.SerialNumber = aws.String(cpAliceMFASerial)
			o.TokenProvider = func() (string, error) { return "000000", nil }
		}, wantCode: "AccessDenied"},
		{name: "MFA serial without token provider", base: f.alice, role: cpAdminRoleARN,
			opt: func(o *AssumeRoleOptions) { o.SerialNumber = aws.String(cpAliceMFASerial) }, wantErr: ErrMFATokenProvider},
		{name: "duration below 15 minutes", base: f.alice, role: cpDeployRoleARN,
			opt: func(o *AssumeRoleOptions) { o.Duration = 10 * time.Minute }, wantCode: "ValidationError"},
		{name: "duration over the role's maximum", base: f.alice, role: cpPartnerRoleARN, opt: func(o *AssumeRoleOptions) {
			o.ExternalID = aws.String(cpPartnerExtID)
			o.Duration = 2 * time.Hour
		}, wantCode: "ValidationError"},
		{name: "role chaining over one hour", base: chained, role: cpAuditRoleARN,
			opt: func(o *AssumeRoleOptions) { o.Duration = 2 * time.Hour }, wantCode: "ValidationError"},
		{name: "wrong secret", base: wrongSecret, role: cpDeployRoleARN, wantCode: "SignatureDoesNotMatch"},
		{name: "unknown access key", base: unknownKey, role: cpDeployRoleARN, wantCode: "InvalidClientTokenId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := tc.opt
			if opt == nil {
				opt = func(*AssumeRoleOptions) {}
			}
			got, err := NewAssumeRoleProvider(f.issuer, tc.base, tc.role, opt).Retrieve(ctx)
			if err == nil {
				t.Fatalf("Retrieve succeeded: %s", got.AccessKeyID)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if code := cpAPICode(err); code != tc.wantCode {
				t.Errorf("error code %q (%v), want %q", code, err, tc.wantCode)
			}
			if got.HasKeys() {
				t.Error("credentials returned with the error")
			}
		})
	}
}

// TestRoleChaining assumes a role with the credentials of another role's
// session, across accounts.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html#iam-term-role-chaining
func TestRoleChaining(t *testing.T) {
	ctx := context.Background()
	f := newCPFixture(t, newCPClock(cpT0).Now)
	deploy := NewAssumeRoleProvider(f.issuer, f.alice, cpDeployRoleARN, func(o *AssumeRoleOptions) {
		o.RoleSessionName = "alice"
		o.Duration = time.Hour
		o.Tags = []sts.Tag{{Key: "project", Value: "apollo"}, {Key: "stage", Value: "prod"}}
		o.TransitiveTagKeys = []string{"project"}
	})
	// The second hop may be given a cache of the first, as real programs do.
	audit := NewAssumeRoleProvider(f.issuer, aws.NewCredentialsCache(deploy), cpAuditRoleARN, func(o *AssumeRoleOptions) {
		o.RoleSessionName = "audit-run"
		o.Duration = time.Hour
	})
	got, err := audit.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccountID != cpAuditAccount {
		t.Errorf("AccountID = %q, want %q (from the assumed-role ARN)", got.AccountID, cpAuditAccount)
	}
	s := f.session(t, got)
	want := "arn:aws:sts::444455556666:assumed-role/audit/audit-run"
	if s.ARN != want || !s.Chained {
		t.Errorf("session %s (Chained %v), want %s (Chained true)", s.ARN, s.Chained, want)
	}
	// The transitive tag passes along the chain. (AWS passes only the
	// transitive ones; which tags sts.Issuer copies is the sts package's
	// concern and is not checked here.)
	if !slices.Contains(s.Tags, sts.Tag{Key: "project", Value: "apollo"}) || !slices.Contains(s.TransitiveTagKeys, "project") {
		t.Errorf("chained session tags %v, transitive keys %v: want project=apollo, transitive", s.Tags, s.TransitiveTagKeys)
	}
	if !got.Expires.Equal(cpT0.Add(time.Hour)) {
		t.Errorf("Expires = %v, want %v", got.Expires, cpT0.Add(time.Hour))
	}
}

// TestMFA assumes a role whose trust policy requires MFA, with codes from
// a TokenProvider, directly and through an MFA session (GetSessionToken).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
func TestMFA(t *testing.T) {
	ctx := context.Background()
	clock := newCPClock(cpT0)
	f := newCPFixture(t, clock.Now)
	var codes []string
	tokens := func() (string, error) {
		c := sts.GenerateTOTP(cpAliceMFASeed, clock.Now())
		codes = append(codes, c)
		return c, nil
	}

	t.Run("AssumeRole", func(t *testing.T) {
		admin := NewAssumeRoleProvider(f.issuer, f.alice, cpAdminRoleARN, func(o *AssumeRoleOptions) {
			o.RoleSessionName = "alice-admin"
			o.SerialNumber = aws.String(cpAliceMFASerial)
			o.TokenProvider = tokens
		})
		got, err := admin.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s := f.session(t, got); !s.MFA {
			t.Errorf("session %s: MFA false", s.ARN)
		}
		// The same code cannot be used twice (RFC 6238 section 5.2).
		if _, err := admin.Retrieve(ctx); cpAPICode(err) != "AccessDenied" {
			t.Errorf("reused MFA code: error %v, want AccessDenied", err)
		}
		// A refresh 30 seconds later has a new code.
		clock.Advance(30 * time.Second)
		if _, err := admin.Retrieve(ctx); err != nil {
			t.Errorf("refresh with a new code: %v", err)
		}
		if len(codes) != 3 || codes[1] != codes[0] || codes[2] == codes[0] {
			t.Errorf("TokenProvider returned %q: want one call per Retrieve", codes)
		}
	})

	t.Run("GetSessionToken then AssumeRole", func(t *testing.T) {
		clock.Advance(30 * time.Second)
		mfaSession := NewSessionTokenProvider(f.issuer, f.alice, func(o *SessionTokenOptions) {
			o.SerialNumber = aws.String(cpAliceMFASerial)
			o.TokenProvider = tokens
			o.Duration = 8 * time.Hour
		})
		admin := NewAssumeRoleProvider(f.issuer, aws.NewCredentialsCache(mfaSession), cpAdminRoleARN, func(o *AssumeRoleOptions) {
			o.RoleSessionName = "alice-admin"
		})
		got, err := admin.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s := f.session(t, got); s.ARN != "arn:aws:sts::111122223333:assumed-role/admin/alice-admin" {
			t.Errorf("session %s", s.ARN)
		}
	})
}

func TestSessionTokenProvider(t *testing.T) {
	ctx := context.Background()
	f := newCPFixture(t, newCPClock(cpT0).Now)
	for _, tc := range []struct {
		name     string
		base     aws.CredentialsProvider
		opt      func(*SessionTokenOptions)
		want     time.Time
		wantCode string
	}{
		{name: "default duration, 12 hours", base: f.alice, opt: func(*SessionTokenOptions) {}, want: cpT0.Add(12 * time.Hour)},
		{name: "one hour", base: f.alice, opt: func(o *SessionTokenOptions) { o.Duration = time.Hour }, want: cpT0.Add(time.Hour)},
		{name: "too short", base: f.alice, opt: func(o *SessionTokenOptions) { o.Duration = time.Minute }, wantCode: "ValidationError"},
		{name: "role credentials may not call it", base: NewAssumeRoleProvider(f.issuer, f.alice, cpDeployRoleARN),
			opt: func(*SessionTokenOptions) {}, wantCode: "AccessDenied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewSessionTokenProvider(f.issuer, tc.base, tc.opt).Retrieve(ctx)
			if tc.wantCode != "" {
				if code := cpAPICode(err); code != tc.wantCode {
					t.Fatalf("error %v (code %q), want %q", err, code, tc.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := aws.Credentials{Source: SourceGetSessionToken, CanExpire: true, Expires: tc.want, AccountID: cpAccount}
			gotMeta := aws.Credentials{Source: got.Source, CanExpire: got.CanExpire, Expires: got.Expires, AccountID: got.AccountID}
			if diff := cmp.Diff(want, gotMeta); diff != "" {
				t.Errorf("Retrieve (-want +got):\n%s", diff)
			}
			if s := f.session(t, got); s.Kind != sts.SessionToken || s.ARN != cpAliceARN {
				t.Errorf("session %s (%v), want %s (SessionToken)", s.ARN, s.Kind, cpAliceARN)
			}
		})
	}
}

// cpCountingProvider counts the Retrieve calls reaching a provider and the
// largest number in flight at once. Each call sleeps for delay first, so
// that concurrent callers pile up behind it.
type cpCountingProvider struct {
	p        aws.CredentialsProvider
	delay    time.Duration
	calls    atomic.Int32
	inflight atomic.Int32
	maxIn    atomic.Int32

	mu   sync.Mutex
	last aws.Credentials // as the provider returned them, before the cache adjusts Expires
}

func (c *cpCountingProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c.calls.Add(1)
	n := c.inflight.Add(1)
	defer c.inflight.Add(-1)
	for {
		m := c.maxIn.Load()
		if n <= m || c.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(c.delay)
	creds, err := c.p.Retrieve(ctx)
	if err == nil {
		c.mu.Lock()
		c.last = creds
		c.mu.Unlock()
	}
	return creds, err
}

// cpRetrieveAll calls Retrieve from n goroutines at once and returns the
// distinct access key IDs and errors they got.
func cpRetrieveAll(ctx context.Context, p aws.CredentialsProvider, n int) (keys map[string]int, errs []error) {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	keys = map[string]int{}
	for range n {
		wg.Go(func() {
			c, err := p.Retrieve(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			keys[c.AccessKeyID]++
		})
	}
	wg.Wait()
	return keys, errs
}

// TestCredentialsCacheRefresh runs an AssumeRoleProvider under
// aws.CredentialsCache with a five-minute ExpiryWindow and 100 concurrent
// callers. aws.CredentialsCache reads the wall clock (time.Now through an
// internal package), which no option replaces, so the test runs in a
// testing/synctest bubble: there time.Now is a fake clock that time.Sleep
// advances instantly, and the issuer is given the same clock. Every step is
// then deterministic and the test takes milliseconds.
func TestCredentialsCacheRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		f := newCPFixture(t, time.Now)
		const window = 5 * time.Minute
		counting := &cpCountingProvider{delay: time.Second, p: NewAssumeRoleProvider(f.issuer, f.alice, cpDeployRoleARN,
			func(o *AssumeRoleOptions) { o.RoleSessionName = "cached" })}
		cache := aws.NewCredentialsCache(counting, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = window })

		// 1. A hundred callers, one Retrieve.
		keys, errs := cpRetrieveAll(ctx, cache, 100)
		if len(errs) > 0 || len(keys) != 1 || counting.calls.Load() != 1 {
			t.Fatalf("first round: %d keys, errors %v, %d provider calls; want 1 key, 1 call", len(keys), errs, counting.calls.Load())
		}
		first := counting.last
		if got := time.Until(first.Expires); got != 15*time.Minute {
			t.Fatalf("credentials live %v, want 15m (the provider's default)", got)
		}

		// 2. One second before the window opens the cache still serves them.
		time.Sleep(time.Until(first.Expires.Add(-window)) - time.Second)
		if keys, errs := cpRetrieveAll(ctx, cache, 100); len(errs) > 0 || keys[first.AccessKeyID] != 100 || counting.calls.Load() != 1 {
			t.Fatalf("before the window: keys %v, errors %v, %d calls; want the first key only, 1 call", keys, errs, counting.calls.Load())
		}

		// 3. Inside the window, with the old credentials still valid for
		// almost five minutes, the cache refreshes them: once, for all
		// hundred callers.
		time.Sleep(2 * time.Second)
		if left := time.Until(first.Expires); left <= 4*time.Minute || left >= window {
			t.Fatalf("old credentials have %v left, want just under %v", left, window)
		}
		f.session(t, first) // still valid at refresh time
		keys, errs = cpRetrieveAll(ctx, cache, 100)
		if len(errs) > 0 || len(keys) != 1 || keys[first.AccessKeyID] != 0 || counting.calls.Load() != 2 {
			t.Fatalf("in the window: keys %v, errors %v, %d calls; want one new key, 2 calls", keys, errs, counting.calls.Load())
		}
		if m := counting.maxIn.Load(); m != 1 {
			t.Errorf("%d Retrieve calls in flight at once, want 1", m)
		}
		f.session(t, counting.last)

		// 4. Past their expiry the old credentials are refused by the issuer,
		// while the refreshed ones work.
		time.Sleep(time.Until(first.Expires))
		if _, err := f.issuer.Authenticate(ctx, first.AccessKeyID, sts.NewSecret(first.SecretAccessKey), first.SessionToken); cpAPICode(err) != "ExpiredToken" {
			t.Errorf("expired credentials: %v, want ExpiredToken", err)
		}
		if c, err := cache.Retrieve(ctx); err != nil || c.AccessKeyID != counting.last.AccessKeyID {
			t.Errorf("after the old expiry: %v, %v; want the refreshed key", c.AccessKeyID, err)
		}
	})
}

// TestCredentialsCacheMFARefresh refreshes an MFA role session under the
// cache: each refresh asks the TokenProvider for the code of the moment.
func TestCredentialsCacheMFARefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		f := newCPFixture(t, time.Now)
		var calls atomic.Int32
		admin := NewAssumeRoleProvider(f.issuer, f.alice, cpAdminRoleARN, func(o *AssumeRoleOptions) {
			o.RoleSessionName = "alice-admin"
			o.SerialNumber = aws.String(cpAliceMFASerial)
			o.TokenProvider = func() (string, error) {
				calls.Add(1)
				return sts.GenerateTOTP(cpAliceMFASeed, time.Now()), nil
			}
		})
		cache := aws.NewCredentialsCache(admin, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = 5 * time.Minute })
		for i := range 3 {
			keys, errs := cpRetrieveAll(ctx, cache, 100)
			if len(errs) > 0 || len(keys) != 1 {
				t.Fatalf("round %d: keys %v, errors %v", i, keys, errs)
			}
			time.Sleep(10*time.Minute + time.Second)
		}
		if n := calls.Load(); n != 3 {
			t.Errorf("TokenProvider called %d times, want 3 (one per refresh)", n)
		}
	})
}

// TestCredentialsCacheErrors checks that STS errors reach the callers of a
// cache with their codes, and that a failed Retrieve is retried by the
// next caller rather than cached.
func TestCredentialsCacheErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		f := newCPFixture(t, time.Now)
		counting := &cpCountingProvider{delay: time.Second, p: NewAssumeRoleProvider(f.issuer, f.alice, cpPartnerRoleARN,
			func(o *AssumeRoleOptions) { o.ExternalID = aws.String("not-" + cpPartnerExtID) })}
		cache := aws.NewCredentialsCache(counting, func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = 5 * time.Minute })
		keys, errs := cpRetrieveAll(ctx, cache, 100)
		if len(keys) != 0 || len(errs) != 100 {
			t.Fatalf("keys %v, %d errors; want 100 errors", keys, len(errs))
		}
		for _, err := range errs {
			var apiErr smithy.APIError
			if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" || !errors.Is(err, sts.ErrAccessDenied) {
				t.Fatalf("error %v: want an AccessDenied smithy.APIError", err)
			}
		}
		if n := counting.calls.Load(); n != 1 {
			t.Errorf("%d provider calls for 100 concurrent callers, want 1", n)
		}
		if _, err := cache.Retrieve(ctx); cpAPICode(err) != "AccessDenied" || counting.calls.Load() != 2 {
			t.Errorf("next Retrieve: %v after %d calls; want AccessDenied from a second call", err, counting.calls.Load())
		}
	})
}
