package principal

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const canonicalID = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"

// Callers used by the matching table.
var (
	cAnon        = Anonymous()
	cRoot        = MustParse("arn:aws:iam::111122223333:root")
	cUser        = MustParse("arn:aws:iam::111122223333:user/Bob")
	cUserLower   = MustParse("arn:aws:iam::111122223333:user/bob")
	cUserPath    = MustParse("arn:aws:iam::111122223333:user/eng/Bob")
	cOtherUser   = MustParse("arn:aws:iam::444455556666:user/Bob")
	cCNUser      = MustParse("arn:aws-cn:iam::111122223333:user/Bob")
	cRole        = MustParse("arn:aws:iam::111122223333:role/team/Admin")
	cSession     = MustParse("arn:aws:sts::111122223333:assumed-role/Admin/alice")
	cSession2    = MustParse("arn:aws:sts::111122223333:assumed-role/Admin/bob")
	cOtherRole   = MustParse("arn:aws:sts::111122223333:assumed-role/Reader/alice")
	cCNSession   = MustParse("arn:aws-cn:sts::111122223333:assumed-role/Admin/alice")
	cFedUser     = MustParse("arn:aws:sts::111122223333:federated-user/Carol")
	cEC2         = ServicePrincipal("ec2.amazonaws.com")
	cLambda      = ServicePrincipal("lambda.amazonaws.com")
	cCognito     = ServicePrincipal("cognito-identity.amazonaws.com")
	cSAML        = MustParse("arn:aws:iam::111122223333:saml-provider/ADFS")
	cOIDC        = MustParse("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com")
	cGoogle      = Principal{Kind: KindOIDCProvider, Name: "accounts.google.com"}
	cCanonical   = CanonicalUserPrincipal(canonicalID)
	cCanonOther  = CanonicalUserPrincipal(strings.Repeat("0", 64))
	cZero        = Principal{}
	cNilSentinel *Principal
)

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		name   string
		typ    string
		value  string
		caller *Principal
		want   Match
		doc    string
	}{
		// All principals.
		{"bare * matches anonymous", "*", "*", &cAnon, MatchWildcard, docPAll},
		{"AWS * matches anonymous", "AWS", "*", &cAnon, MatchWildcard, docPAll},
		{"AWS * matches a user", "AWS", "*", &cUser, MatchWildcard, docPAll},
		{"bare * matches a service", "*", "*", &cEC2, MatchWildcard, docPAll},
		{"Service * matches a service", "Service", "*", &cEC2, MatchWildcard, docPAll},
		{"* does not match the zero principal", "*", "*", &cZero, NoMatch, docPAll},
		{"* does not match nil", "*", "*", cNilSentinel, NoMatch, docPAll},

		// Accounts: ID and :root behave the same and cover every identity in the account.
		{"account id matches root user", "AWS", "111122223333", &cRoot, MatchAccount, docPAccounts},
		{"account id matches user", "AWS", "111122223333", &cUser, MatchAccount, docPAccounts},
		{"account id matches role session", "AWS", "111122223333", &cSession, MatchAccount, docPAccounts},
		{"account id matches role caller", "AWS", "111122223333", &cRole, MatchAccount, docPAccounts},
		{"account id matches federated user", "AWS", "111122223333", &cFedUser, MatchAccount, docPAccounts},
		{"root ARN is not only the root user", "AWS", "arn:aws:iam::111122223333:root", &cUser, MatchAccount, docPAccounts},
		{"root ARN matches root user", "AWS", "arn:aws:iam::111122223333:root", &cRoot, MatchAccount, docPAccounts},
		{"account id other account", "AWS", "111122223333", &cOtherUser, NoMatch, docPAccounts},
		{"account id not anonymous", "AWS", "111122223333", &cAnon, NoMatch, docPAccounts},
		{"account id not a service", "AWS", "111122223333", &cEC2, NoMatch, docPAccounts},
		{"account id not a SAML provider", "AWS", "111122223333", &cSAML, NoMatch, docPAccounts},
		{"root ARN partition must match", "AWS", "arn:aws-cn:iam::111122223333:root", &cUser, NoMatch, docARNs},
		{"root ARN same non-aws partition", "AWS", "arn:aws-cn:iam::111122223333:root", &cCNUser, MatchAccount, docARNs},
		{"bare account id carries no partition", "AWS", "111122223333", &cCNUser, MatchAccount, docPAccounts},

		// Roles: the role ARN covers the role and all its sessions.
		{"role ARN matches its session", "AWS", "arn:aws:iam::111122223333:role/team/Admin", &cSession, MatchRole, docPRoles},
		{"role ARN matches another session", "AWS", "arn:aws:iam::111122223333:role/team/Admin", &cSession2, MatchRole, docPRoles},
		{"role ARN matches the role caller", "AWS", "arn:aws:iam::111122223333:role/team/Admin", &cRole, MatchRole, docPRoles},
		{"role ARN without path matches role with path", "AWS", "arn:aws:iam::111122223333:role/Admin", &cRole, MatchRole, docCreateRole},
		{"role name case-insensitive", "AWS", "arn:aws:iam::111122223333:role/admin", &cSession, MatchRole, docCreateRole},
		{"role ARN other role", "AWS", "arn:aws:iam::111122223333:role/Admin", &cOtherRole, NoMatch, docPRoles},
		{"role ARN other account", "AWS", "arn:aws:iam::444455556666:role/Admin", &cSession, NoMatch, docPRoles},
		{"role ARN other partition", "AWS", "arn:aws:iam::111122223333:role/Admin", &cCNSession, NoMatch, docARNs},
		{"role ARN is not a user of that name", "AWS", "arn:aws:iam::111122223333:role/Bob", &cUser, NoMatch, docPRoles},
		{"role ARN not the account root", "AWS", "arn:aws:iam::111122223333:role/Admin", &cRoot, NoMatch, docPRoles},

		// Sessions: a session ARN names only that session.
		{"session ARN matches that session", "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/alice", &cSession, MatchExact, docPSessions},
		{"session ARN not another session", "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/alice", &cSession2, NoMatch, docPSessions},
		{"session ARN not the role", "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/alice", &cRole, NoMatch, docPSessions},
		{"session name is exact", "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/Alice", &cSession, NoMatch, docPSessions},
		{"session ARN not another role's same session name", "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/alice", &cOtherRole, NoMatch, docPSessions},

		// Users.
		{"user ARN matches user", "AWS", "arn:aws:iam::111122223333:user/Bob", &cUser, MatchExact, docPUsers},
		{"user name is case sensitive", "AWS", "arn:aws:iam::111122223333:user/Bob", &cUserLower, NoMatch, docPUsers},
		{"user path must match", "AWS", "arn:aws:iam::111122223333:user/Bob", &cUserPath, NoMatch, docIDs},
		{"user with path", "AWS", "arn:aws:iam::111122223333:user/eng/Bob", &cUserPath, MatchExact, docIDs},
		{"user ARN other account", "AWS", "arn:aws:iam::111122223333:user/Bob", &cOtherUser, NoMatch, docPUsers},
		{"user ARN not root", "AWS", "arn:aws:iam::111122223333:user/Bob", &cRoot, NoMatch, docPUsers},
		{"user ARN not anonymous", "AWS", "arn:aws:iam::111122223333:user/Bob", &cAnon, NoMatch, docPUsers},

		// Federated users.
		{"federated user matches", "AWS", "arn:aws:sts::111122223333:federated-user/Carol", &cFedUser, MatchExact, docPFedUsers},
		{"federated user other name", "AWS", "arn:aws:sts::111122223333:federated-user/Dave", &cFedUser, NoMatch, docPFedUsers},

		// Services.
		{"service matches", "Service", "ec2.amazonaws.com", &cEC2, MatchExact, docPServices},
		{"service other service", "Service", "ec2.amazonaws.com", &cLambda, NoMatch, docPServices},
		{"service not anonymous", "Service", "ec2.amazonaws.com", &cAnon, NoMatch, docPServices},
		{"service not an account", "Service", "ec2.amazonaws.com", &cRoot, NoMatch, docPServices},

		// Federated providers.
		{"SAML provider matches", "Federated", "arn:aws:iam::111122223333:saml-provider/ADFS", &cSAML, MatchExact, docPSAML},
		{"SAML provider not the account", "Federated", "arn:aws:iam::111122223333:saml-provider/ADFS", &cRoot, NoMatch, docPSAML},
		{"SAML ARN not an OIDC provider", "Federated", "arn:aws:iam::111122223333:saml-provider/ADFS", &cOIDC, NoMatch, docPSAML},
		{"OIDC provider ARN matches", "Federated", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", &cOIDC, MatchExact, docPWebID},
		{"web identity name matches", "Federated", "accounts.google.com", &cGoogle, MatchExact, docPWebID},
		{"cognito web identity", "Federated", "cognito-identity.amazonaws.com", &cCognito, MatchExact, docPWebID},
		{"web identity other provider", "Federated", "graph.facebook.com", &cGoogle, NoMatch, docPWebID},

		// Canonical users.
		{"canonical user matches", "CanonicalUser", canonicalID, &cCanonical, MatchExact, docPAccounts},
		{"canonical user other", "CanonicalUser", canonicalID, &cCanonOther, NoMatch, docPAccounts},

		// Unique IDs left behind by deleted principals match nothing.
		{"deleted user unique id", "AWS", "AIDAJQABLZS4A3QDU576Q", &cUser, NoMatch, docUniqueIDs},
		{"deleted role unique id", "AWS", "AROAKSCDLFT9R5DQP782U", &cSession, NoMatch, docPRoles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePattern(tt.typ, tt.value)
			if err != nil {
				t.Fatalf("ParsePattern(%q, %q): %v (%s)", tt.typ, tt.value, err, tt.doc)
			}
			if got := p.Match(tt.caller); got != tt.want {
				t.Errorf("ParsePattern(%q, %q).Match(%v) = %v, want %v (%s)", tt.typ, tt.value, tt.caller, got, tt.want, tt.doc)
			}
		})
	}
}

func TestZeroPatternMatchesNothing(t *testing.T) {
	var p Pattern
	for _, c := range []*Principal{&cAnon, &cRoot, &cUser, &cSession, &cEC2} {
		if got := p.Match(c); got != NoMatch {
			t.Errorf("zero Pattern.Match(%v) = %v, want NoMatch", c, got)
		}
	}
}

func TestParsePatternErrors(t *testing.T) {
	tests := []struct {
		name    string
		typ     string
		value   string
		wantErr string
		doc     string
	}{
		{"wildcard for all users", "AWS", "arn:aws:iam::123456789012:user/*", "wildcards are not allowed", docPUsers},
		{"partial role wildcard", "AWS", "arn:aws:iam::123456789012:role/myspecialiamrole*", "wildcards are not allowed", docPrincipal},
		{"wildcard for all sessions", "AWS", "arn:aws:sts::123456789012:assumed-role/R/*", "wildcards are not allowed", docPSessions},
		{"wildcard account in ARN", "AWS", "arn:aws:iam::*:root", "wildcards are not allowed", docPrincipal},
		{"question mark", "AWS", "12345678901?", "wildcards are not allowed", docPrincipal},
		{"service wildcard", "Service", "*.amazonaws.com", "wildcards are not allowed", docPrincipal},
		{"bare form needs *", "*", "123456789012", `only "*"`, docPAll},
		{"unknown type", "Group", "Developers", "unknown principal type", docPrincipal},
		{"lowercase type", "aws", "123456789012", "unknown principal type", docPrincipal},
		{"empty value", "AWS", "", "empty value", docPrincipal},
		{"group ARN", "AWS", "arn:aws:iam::123456789012:group/Developers", "is not a principal", docPrincipal},
		{"bucket ARN", "AWS", "arn:aws:s3:::bucket", `service "s3"`, docPrincipal},
		{"bad ARN", "AWS", "arn:aws:iam::12345:root", "account ID must be 12 digits", docARNs},
		{"not an ARN", "AWS", "Bob", "want 6 colon-separated parts", docPrincipal},
		{"SAML provider under AWS", "AWS", "arn:aws:iam::123456789012:saml-provider/ADFS", `belongs under "Federated"`, docPSAML},
		{"user under Federated", "Federated", "arn:aws:iam::123456789012:user/Bob", "saml-provider or oidc-provider", docPSAML},
		{"ARN under Service", "Service", "arn:aws:iam::123456789012:root", "service principal", docPServices},
		{"service without domain", "Service", "ec2", "service principal", docPServices},
		{"short canonical id", "CanonicalUser", "abc", "64 hexadecimal digits", docCanonical},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePattern(tt.typ, tt.value)
			if err == nil {
				t.Fatalf("ParsePattern(%q, %q) = %v, want error containing %q (%s)", tt.typ, tt.value, p, tt.wantErr, tt.doc)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want it to contain %q (%s)", err, tt.wantErr, tt.doc)
			}
			if !strings.Contains(err.Error(), tt.value) {
				t.Errorf("error = %q does not name the value %q", err, tt.value)
			}
			if !errors.Is(err, ErrInvalidPrincipal) {
				t.Errorf("errors.Is(%v, ErrInvalidPrincipal) = false", err)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Type != tt.typ || pe.Value != tt.value {
				t.Errorf("errors.As(*Error) = %+v, want Type %q Value %q", pe, tt.typ, tt.value)
			}
		})
	}
}

func TestPatternAccessors(t *testing.T) {
	type view struct{ Type, Value, String string }
	tests := []struct {
		typ, value string
		want       view
		doc        string
	}{
		{"*", "*", view{"*", "*", `"*"`}, docPAll},
		{"AWS", "123456789012", view{"AWS", "123456789012", `{"AWS":"123456789012"}`}, docPAccounts},
		{"Service", "ecs.amazonaws.com", view{"Service", "ecs.amazonaws.com", `{"Service":"ecs.amazonaws.com"}`}, docPServices},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.value, func(t *testing.T) {
			p, err := ParsePattern(tt.typ, tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, view{p.Type(), p.Value(), p.String()}); diff != "" {
				t.Errorf("accessors (-want +got) (%s):\n%s", tt.doc, diff)
			}
		})
	}
	if s := (Pattern{}).String(); s != "<none>" {
		t.Errorf("zero Pattern String() = %q", s)
	}
}

func TestMatchString(t *testing.T) {
	want := map[Match]string{NoMatch: "NoMatch", MatchWildcard: "Wildcard", MatchAccount: "Account",
		MatchRole: "Role", MatchExact: "Exact", Match(9): "Match(9)"}
	for m, w := range want {
		if got := m.String(); got != w {
			t.Errorf("Match(%d).String() = %q, want %q", m, got, w)
		}
	}
}

func TestPatternMatchNoAllocs(t *testing.T) {
	patterns := []Pattern{
		mustPattern(t, "*", "*"),
		mustPattern(t, "AWS", "111122223333"),
		mustPattern(t, "AWS", "arn:aws:iam::111122223333:root"),
		mustPattern(t, "AWS", "arn:aws:iam::111122223333:user/Bob"),
		mustPattern(t, "AWS", "arn:aws:iam::111122223333:role/ADMIN"),
		mustPattern(t, "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/alice"),
		mustPattern(t, "AWS", "arn:aws:sts::111122223333:federated-user/Carol"),
		mustPattern(t, "Service", "ec2.amazonaws.com"),
		mustPattern(t, "Federated", "arn:aws:iam::111122223333:saml-provider/ADFS"),
		mustPattern(t, "Federated", "accounts.google.com"),
		mustPattern(t, "CanonicalUser", canonicalID),
	}
	callers := []*Principal{&cAnon, &cRoot, &cUser, &cRole, &cSession, &cFedUser, &cEC2, &cSAML, &cGoogle, &cCanonical, nil}
	var sink Match
	allocs := testing.AllocsPerRun(100, func() {
		for i := range patterns {
			for _, c := range callers {
				sink += patterns[i].Match(c)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("Pattern.Match allocated %v times per run, want 0", allocs)
	}
	_ = sink
}

func mustPattern(t testing.TB, typ, value string) Pattern {
	t.Helper()
	p, err := ParsePattern(typ, value)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func BenchmarkPatternMatch(b *testing.B) {
	for _, bc := range []struct {
		name, typ, value string
		caller           *Principal
	}{
		{"wildcard", "*", "*", &cAnon},
		{"account", "AWS", "111122223333", &cSession},
		{"role", "AWS", "arn:aws:iam::111122223333:role/admin", &cSession},
		{"session", "AWS", "arn:aws:sts::111122223333:assumed-role/Admin/alice", &cSession},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := mustPattern(b, bc.typ, bc.value)
			b.ReportAllocs()
			for b.Loop() {
				p.Match(bc.caller)
			}
		})
	}
}
