package identitycenter

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	readOnlyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	adminARN    = "arn:aws:iam::aws:policy/AdministratorAccess"
	s3Inline    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
)

func TestPermissionSetValidation(t *testing.T) {
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "arn:aws:iam::aws:policy/P" + strings.Repeat("x", i+1)
		}
		return out
	}
	cmps := func(n int) []CustomerManagedPolicyReference {
		out := make([]CustomerManagedPolicyReference, n)
		for i := range out {
			out[i] = CustomerManagedPolicyReference{Name: "C" + strings.Repeat("x", i+1)}
		}
		return out
	}
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 10300) + `"}]}`
	spacious := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}` + strings.Repeat(" ", 32700)
	tests := []struct {
		name, doc string
		ps        PermissionSet
		want      string
		msg       string
	}{
		{"minimal", docPermissionSet, PermissionSet{Name: "ReadOnly"}, "", ""},
		{"name 32", docPermissionSet, PermissionSet{Name: strings.Repeat("N", 32)}, "", ""},
		{"name 33", docPermissionSet, PermissionSet{Name: strings.Repeat("N", 33)}, "ValidationException", "less than or equal to 32"},
		{"name characters", docPermissionSet, PermissionSet{Name: "a+b=c,d.e@f-g_h"}, "", ""},
		{"name with space", docPermissionSet, PermissionSet{Name: "Read Only"}, "ValidationException", `[\w+=,.@-]+`},
		{"name with slash", docPermissionSet, PermissionSet{Name: "a/b"}, "ValidationException", "pattern"},
		{"description 700", docPermissionSet, PermissionSet{Name: "P", Description: strings.Repeat("d", 700)}, "", ""},
		{"description 701", docPermissionSet, PermissionSet{Name: "P", Description: strings.Repeat("d", 701)}, "ValidationException", "700"},
		{"description character", docPermissionSet, PermissionSet{Name: "P", Description: "naïve ✓"}, "ValidationException", "pattern"},
		{"session PT12H", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "PT12H"}, "", ""},
		{"session PT1H30M", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "PT1H30M"}, "", ""},
		{"session PT3600S", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "PT3600S"}, "", ""},
		{"session PT59M", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "PT59M"}, "ValidationException", "1 to 12 hours"},
		{"session PT12H1S", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "PT12H1S"}, "ValidationException", "1 to 12 hours"},
		{"session P1D", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "P1D"}, "ValidationException", "1 to 12 hours"},
		{"session P1M", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "P1M"}, "ValidationException", "1 to 12 hours"},
		{"session negative", docSessionDuration, PermissionSet{Name: "P", SessionDuration: "-PT2H"}, "ValidationException", "1 to 12 hours"},
		{"session not ISO", docPermissionSet, PermissionSet{Name: "P", SessionDuration: "2h"}, "ValidationException", "pattern"},
		{"session bare P", docPermissionSet, PermissionSet{Name: "P", SessionDuration: "PT"}, "ValidationException", "pattern"},
		{"relay state", docPermissionSet, PermissionSet{Name: "P", RelayState: "https://console.aws.amazon.com/s3/home?region=us-east-1#"}, "", ""},
		{"relay state 241", docPermissionSet, PermissionSet{Name: "P", RelayState: strings.Repeat("r", 241)}, "ValidationException", "240"},
		{"relay state character", docPermissionSet, PermissionSet{Name: "P", RelayState: "a<b"}, "ValidationException", "pattern"},
		{"managed policy", docAttachManaged, PermissionSet{Name: "P", ManagedPolicies: []string{readOnlyARN}}, "", ""},
		{"managed job function path", docAttachManaged, PermissionSet{Name: "P", ManagedPolicies: []string{"arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"}}, "", ""},
		{"customer ARN as managed", docAttachManaged, PermissionSet{Name: "P", ManagedPolicies: []string{"arn:aws:iam::123456789012:policy/Mine"}}, "ValidationException", "arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):iam::aws:policy/"},
		{"managed in another partition", docAttachManaged, PermissionSet{Name: "P", ManagedPolicies: []string{"arn:aws-cn:iam::aws:policy/ReadOnlyAccess"}}, "ValidationException", "partition"},
		{"managed twice", docAttachManaged, PermissionSet{Name: "P", ManagedPolicies: []string{readOnlyARN, readOnlyARN}}, "ConflictException", ""},
		{"20 policies", docLimits, PermissionSet{Name: "P", ManagedPolicies: many(10), CustomerManagedPolicies: cmps(10)}, "", ""},
		{"21 policies", docLimits, PermissionSet{Name: "P", ManagedPolicies: many(11), CustomerManagedPolicies: cmps(10)}, "ServiceQuotaExceededException", "20"},
		{"customer managed", docCMPReference, PermissionSet{Name: "P", CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "Dev", Path: "/team/"}}}, "", ""},
		{"customer name 129", docCMPReference, PermissionSet{Name: "P", CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: strings.Repeat("n", 129)}}}, "ValidationException", "128"},
		{"customer name pattern", docCMPReference, PermissionSet{Name: "P", CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "a b"}}}, "ValidationException", "customerManagedPolicyReferences.1.member.name"},
		{"customer path no slash", docCMPReference, PermissionSet{Name: "P", CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "n", Path: "team"}}}, "ValidationException", "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"},
		{"customer twice", docCMPReference, PermissionSet{Name: "P", CustomerManagedPolicies: []CustomerManagedPolicyReference{{Name: "Dev"}, {Name: "dev", Path: "/"}}}, "ConflictException", ""},
		{"inline", docInlinePolicy, PermissionSet{Name: "P", InlinePolicy: s3Inline}, "", ""},
		{"inline not JSON", docInlinePolicy, PermissionSet{Name: "P", InlinePolicy: "{"}, "ValidationException", "inline policy"},
		{"inline with principal", docInlinePolicy, PermissionSet{Name: "P", InlinePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`}, "ValidationException", "Principal"},
		{"inline over 10240 non-space", docLimits, PermissionSet{Name: "P", InlinePolicy: big}, "ValidationException", "10240"},
		{"inline 32768 bytes mostly space", docLimits, PermissionSet{Name: "P", InlinePolicy: spacious[:32768]}, "", ""},
		{"inline over 32768 bytes", docLimits, PermissionSet{Name: "P", InlinePolicy: spacious + " "}, "ValidationException", "32768"},
		{"inline character", docInlinePolicy, PermissionSet{Name: "P", InlinePolicy: `{"Version":"2012-10-17","Statement":[{"Sid":"✓","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}, "ValidationException", "pattern"},
		{"boundary managed", docBoundary, PermissionSet{Name: "P", PermissionsBoundary: &PermissionsBoundary{ManagedPolicyARN: adminARN}}, "", ""},
		{"boundary customer", docBoundary, PermissionSet{Name: "P", PermissionsBoundary: &PermissionsBoundary{CustomerManagedPolicyReference: &CustomerManagedPolicyReference{Name: "Boundary"}}}, "", ""},
		{"boundary both", docBoundary, PermissionSet{Name: "P", PermissionsBoundary: &PermissionsBoundary{ManagedPolicyARN: adminARN, CustomerManagedPolicyReference: &CustomerManagedPolicyReference{Name: "B"}}}, "ValidationException", "either"},
		{"boundary neither", docBoundary, PermissionSet{Name: "P", PermissionsBoundary: &PermissionsBoundary{}}, "ValidationException", "either"},
		{"boundary bad ARN", docBoundary, PermissionSet{Name: "P", PermissionsBoundary: &PermissionsBoundary{ManagedPolicyARN: "arn:aws:iam::123456789012:policy/B"}}, "ValidationException", "permissionsBoundary.managedPolicyArn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := newTestInstance(t, Options{})
			got, err := in.CreatePermissionSet(tt.ps)
			if code(err) != tt.want {
				t.Fatalf("CreatePermissionSet = %v, want %q (%s)", err, tt.want, tt.doc)
			}
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q lacks %q (%s)", err, tt.msg, tt.doc)
			}
			if err == nil && got.Name != tt.ps.Name {
				t.Errorf("Name = %q", got.Name)
			}
		})
	}
}

func TestPermissionSetDefaults(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	in := newTestInstance(t, Options{Now: func() time.Time { return now }})
	ps, err := in.CreatePermissionSet(PermissionSet{Name: "ReadOnly"})
	if err != nil {
		t.Fatal(err)
	}
	// howtosessionduration.html: "the session duration is set to 1 hour".
	if ps.Duration() != time.Hour {
		t.Errorf("default duration %v, want 1h (%s)", ps.Duration(), docSessionDuration)
	}
	// API_PermissionSet.html PermissionSetArn pattern.
	re := regexp.MustCompile(`^arn:(aws|aws-us-gov|aws-cn|aws-iso|aws-iso-b):sso:::permissionSet/(sso)?ins-[a-zA-Z0-9-.]{16}/ps-[a-zA-Z0-9-./]{16}$`)
	if !re.MatchString(ps.ARN) || !strings.Contains(ps.ARN, in.instanceID) {
		t.Errorf("ARN %q does not match AWS's pattern (%s)", ps.ARN, docPermissionSet)
	}
	if !ps.CreatedDate.Equal(now) {
		t.Errorf("CreatedDate %v", ps.CreatedDate)
	}
	other := newTestInstance(t, Options{})
	ps2, _ := other.CreatePermissionSet(PermissionSet{Name: "ReadOnly"})
	if ps2.ARN != ps.ARN {
		t.Errorf("the same instance and name give %q and %q: ARNs must be deterministic", ps.ARN, ps2.ARN)
	}
	if _, err := in.CreatePermissionSet(PermissionSet{Name: "readonly"}); !errors.Is(err, ErrConflict) {
		t.Errorf("a second readonly: %v, want ConflictException", err)
	}
	for _, d := range []struct {
		iso  string
		want time.Duration
	}{{"PT8H", 8 * time.Hour}, {"PT90M", 90 * time.Minute}, {"PT1H0.5S", time.Hour + 500*time.Millisecond}, {"P0DT2H", 2 * time.Hour}} {
		p, err := in.CreatePermissionSet(PermissionSet{Name: "D" + strings.NewReplacer(".", "", "P", "").Replace(d.iso), SessionDuration: d.iso})
		if err != nil {
			t.Errorf("%s: %v", d.iso, err)
			continue
		}
		if p.Duration() != d.want {
			t.Errorf("%s: Duration %v, want %v", d.iso, p.Duration(), d.want)
		}
	}
}

func TestUpdateAndDeletePermissionSet(t *testing.T) {
	in := newTestInstance(t, Options{})
	ps, _ := in.CreatePermissionSet(PermissionSet{Name: "Dev", SessionDuration: "PT2H"})
	upd := PermissionSet{Name: "Dev", SessionDuration: "PT4H", ManagedPolicies: []string{readOnlyARN}}
	mustDo(t, in.UpdatePermissionSet(upd))
	got, _ := in.PermissionSet("Dev")
	if got.ARN != ps.ARN || got.Duration() != 4*time.Hour || len(got.ManagedPolicies) != 1 {
		t.Errorf("after update: %+v", got)
	}
	if err := in.UpdatePermissionSet(PermissionSet{Name: "Nope"}); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("update of a missing set: %v", err)
	}
	if err := in.UpdatePermissionSet(PermissionSet{Name: "Dev", SessionDuration: "PT13H"}); !errors.Is(err, ErrValidation) {
		t.Errorf("update to 13 hours: %v", err)
	}
	mustDo(t, in.PutAccount(Account{ID: "111111111111"}))
	u, _ := in.CreateUser(User{UserName: "u", DisplayName: "U"})
	a := Assignment{AccountID: "111111111111", PermissionSet: "Dev", PrincipalType: PrincipalUser, PrincipalID: u.ID}
	mustDo(t, in.CreateAccountAssignment(a))
	if err := in.DeletePermissionSet("Dev"); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting an assigned set: %v, want ConflictException", err)
	}
	mustDo(t, in.DeleteAccountAssignment(a))
	mustDo(t, in.DeletePermissionSet("Dev"))
	if _, err := in.PermissionSet("Dev"); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("deleted set: %v", err)
	}
	if len(in.PermissionSets()) != 0 {
		t.Errorf("PermissionSets not empty")
	}
}

func TestPermissionSetQuota(t *testing.T) {
	// limits.html: 2,000 permission sets per instance.
	in := newTestInstance(t, Options{})
	for i := range maxPermissionSets {
		if _, err := in.CreatePermissionSet(PermissionSet{Name: "P" + itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := in.CreatePermissionSet(PermissionSet{Name: "OneTooMany"}); !errors.Is(err, ErrServiceQuotaExceeded) {
		t.Errorf("2,001st set: %v, want ServiceQuotaExceededException (%s)", err, docLimits)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestAssignmentValidation(t *testing.T) {
	t.Logf("rules from %s", docCreateAssignment)
	in := newTestInstance(t, Options{})
	mustDo(t, in.PutAccount(Account{ID: "111111111111"}))
	u, _ := in.CreateUser(User{UserName: "u", DisplayName: "U"})
	g, _ := in.CreateGroup(Group{DisplayName: "g"})
	in.CreatePermissionSet(PermissionSet{Name: "PS"})
	ok := Assignment{AccountID: "111111111111", PermissionSet: "PS", PrincipalType: PrincipalUser, PrincipalID: u.ID}
	tests := []struct {
		name string
		mod  func(*Assignment)
		want string
	}{
		{"user", func(*Assignment) {}, ""},
		{"group", func(a *Assignment) { a.PrincipalType, a.PrincipalID = PrincipalGroup, g.ID }, ""},
		{"again", func(*Assignment) {}, ""},
		{"account not 12 digits", func(a *Assignment) { a.AccountID = "1111" }, "ValidationException"},
		{"account outside the organization", func(a *Assignment) { a.AccountID = "999999999999" }, "ResourceNotFoundException"},
		{"no permission set", func(a *Assignment) { a.PermissionSet = "Nope" }, "ResourceNotFoundException"},
		{"bad principal type", func(a *Assignment) { a.PrincipalType = "ROLE" }, "ValidationException"},
		{"user ID as group", func(a *Assignment) { a.PrincipalType = PrincipalGroup }, "ResourceNotFoundException"},
		{"bad principal ID", func(a *Assignment) { a.PrincipalID = "u-1" }, "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.mod(&a)
			if err := in.CreateAccountAssignment(a); code(err) != tt.want {
				t.Errorf("CreateAccountAssignment = %v, want %q", err, tt.want)
			}
		})
	}
	if n := len(in.AccountAssignments()); n != 2 {
		t.Errorf("%d assignments, want 2", n)
	}
	if err := in.DeleteAccount("111111111111"); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting an assigned account: %v, want ConflictException", err)
	}
	if err := in.DeleteAccountAssignment(Assignment{AccountID: "111111111111", PermissionSet: "PS", PrincipalType: PrincipalGroup, PrincipalID: u.ID}); !errors.Is(err, ErrResourceNotFound) {
		t.Errorf("deleting a missing assignment: %v", err)
	}
}

func TestAssignmentQuotaPerAccount(t *testing.T) {
	// limits.html: 250 provisioned permission sets per AWS account.
	in := newTestInstance(t, Options{})
	mustDo(t, in.PutAccount(Account{ID: "111111111111"}))
	u, _ := in.CreateUser(User{UserName: "u", DisplayName: "U"})
	for i := range maxSetsPerAccount + 1 {
		in.CreatePermissionSet(PermissionSet{Name: "P" + itoa(i)})
	}
	for i := range maxSetsPerAccount {
		mustDo(t, in.CreateAccountAssignment(Assignment{AccountID: "111111111111", PermissionSet: "P" + itoa(i), PrincipalType: PrincipalUser, PrincipalID: u.ID}))
	}
	err := in.CreateAccountAssignment(Assignment{AccountID: "111111111111", PermissionSet: "P" + itoa(maxSetsPerAccount), PrincipalType: PrincipalUser, PrincipalID: u.ID})
	if !errors.Is(err, ErrServiceQuotaExceeded) {
		t.Errorf("251st set in one account: %v, want ServiceQuotaExceededException (%s)", err, docLimits)
	}
}
