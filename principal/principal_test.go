package principal

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	const acct = "123456789012"
	tests := []struct {
		name    string
		in      string
		want    Principal
		wantErr string
		doc     string
	}{
		{name: "anonymous", in: "*", want: Principal{Kind: KindAnonymous}, doc: docPAll},
		{name: "bare account id is root", in: acct,
			want: Principal{Kind: KindAccount, ARN: MustParseARN("arn:aws:iam::123456789012:root"), Account: acct}, doc: docPAccounts},
		{name: "root ARN", in: "arn:aws:iam::123456789012:root",
			want: Principal{Kind: KindAccount, ARN: MustParseARN("arn:aws:iam::123456789012:root"), Account: acct}, doc: docIDs},
		{name: "user", in: "arn:aws:iam::123456789012:user/Bob",
			want: Principal{Kind: KindUser, ARN: MustParseARN("arn:aws:iam::123456789012:user/Bob"), Account: acct, Path: "/", Name: "Bob"}, doc: docIDs},
		{name: "user with path", in: "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
			want: Principal{Kind: KindUser, ARN: MustParseARN("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob"),
				Account: acct, Path: "/division_abc/subdivision_xyz/", Name: "Bob"}, doc: docIDs},
		{name: "role", in: "arn:aws:iam::123456789012:role/S3Access",
			want: Principal{Kind: KindRole, ARN: MustParseARN("arn:aws:iam::123456789012:role/S3Access"), Account: acct, Path: "/", Name: "S3Access"}, doc: docIDs},
		{name: "role with path", in: "arn:aws:iam::123456789012:role/a/b/name",
			want: Principal{Kind: KindRole, ARN: MustParseARN("arn:aws:iam::123456789012:role/a/b/name"), Account: acct, Path: "/a/b/", Name: "name"}, doc: docIDs},
		{name: "assumed role session", in: "arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary",
			want: Principal{Kind: KindAssumedRole, ARN: MustParseARN("arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary"),
				Account: acct, Path: "/", Name: "Accounting-Role", SessionName: "Mary"}, doc: docIDs},
		{name: "session name with email chars", in: "arn:aws:sts::123456789012:assumed-role/R/bob@example.com",
			want: Principal{Kind: KindAssumedRole, ARN: MustParseARN("arn:aws:sts::123456789012:assumed-role/R/bob@example.com"),
				Account: acct, Path: "/", Name: "R", SessionName: "bob@example.com"}, doc: docAssumeRole},
		{name: "federated user", in: "arn:aws:sts::123456789012:federated-user/Bob",
			want: Principal{Kind: KindFederatedUser, ARN: MustParseARN("arn:aws:sts::123456789012:federated-user/Bob"), Account: acct, Name: "Bob"}, doc: docIDs},
		{name: "saml provider", in: "arn:aws:iam::123456789012:saml-provider/ADFSProvider",
			want: Principal{Kind: KindSAMLProvider, ARN: MustParseARN("arn:aws:iam::123456789012:saml-provider/ADFSProvider"), Account: acct, Name: "ADFSProvider"}, doc: docIDs},
		{name: "oidc provider with path", in: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE",
			want: Principal{Kind: KindOIDCProvider, ARN: MustParseARN("arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"),
				Account: acct, Name: "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"}, doc: docIDs},
		{name: "china partition role", in: "arn:aws-cn:iam::123456789012:role/R",
			want: Principal{Kind: KindRole, ARN: MustParseARN("arn:aws-cn:iam::123456789012:role/R"), Account: acct, Path: "/", Name: "R"}, doc: docARNs},

		{name: "s3 bucket is not a principal", in: "arn:aws:s3:::bucket", wantErr: `service "s3"`, doc: docPrincipal},
		{name: "group is not a principal", in: "arn:aws:iam::123456789012:group/Developers", wantErr: "is not a principal", doc: docPrincipal},
		{name: "instance profile is not a principal", in: "arn:aws:iam::123456789012:instance-profile/Webserver", wantErr: "is not a principal", doc: docPrincipal},
		{name: "managed policy is not a principal", in: "arn:aws:iam::aws:policy/ReadOnlyAccess", wantErr: "12-digit account ID", doc: docPrincipal},
		{name: "wildcard user", in: "arn:aws:iam::123456789012:user/*", wantErr: "wildcards", doc: docPUsers},
		{name: "question mark", in: "arn:aws:iam::123456789012:user/Bo?", wantErr: "wildcards", doc: docPrincipal},
		{name: "missing user name", in: "arn:aws:iam::123456789012:user/", wantErr: "missing user name", doc: docIDs},
		{name: "missing role name after path", in: "arn:aws:iam::123456789012:role/a/b/", wantErr: "missing role name", doc: docIDs},
		{name: "session without session name", in: "arn:aws:sts::123456789012:assumed-role/Role", wantErr: "assumed-role/ROLE-NAME/SESSION-NAME", doc: docPSessions},
		{name: "session name too short", in: "arn:aws:sts::123456789012:assumed-role/Role/a", wantErr: "2 to 64", doc: docAssumeRole},
		{name: "session name with slash", in: "arn:aws:sts::123456789012:assumed-role/Role/a/b", wantErr: "may contain only", doc: docAssumeRole},
		{name: "federated name too long", in: "arn:aws:sts::123456789012:federated-user/" + strings.Repeat("a", 33), wantErr: "2 to 32", doc: docFedToken},
		{name: "user name bad char", in: "arn:aws:iam::123456789012:user/Bob!", wantErr: "may contain only", doc: docCreateUser},
		{name: "user name too long", in: "arn:aws:iam::123456789012:user/" + strings.Repeat("u", 65), wantErr: "1 to 64", doc: docCreateUser},
		{name: "region in principal ARN", in: "arn:aws:iam:us-east-1:123456789012:user/Bob", wantErr: "no region", doc: docIDs},
		{name: "root with suffix", in: "arn:aws:iam::123456789012:root/x", wantErr: "after \"root\"", doc: docIDs},
		{name: "not an ARN", in: "bob", wantErr: "want 6 colon-separated parts, got 1", doc: docARNs},
		{name: "empty", in: "", wantErr: "empty string", doc: docARNs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %+v, want error containing %q (%s)", tt.in, got, tt.wantErr, tt.doc)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Parse(%q) error = %q, want it to contain %q (%s)", tt.in, err, tt.wantErr, tt.doc)
				}
				if !errors.Is(err, ErrInvalidPrincipal) {
					t.Errorf("errors.Is(%v, ErrInvalidPrincipal) = false", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error: %v (%s)", tt.in, err, tt.doc)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got) (%s):\n%s", tt.in, tt.doc, diff)
			}
			// String round-trips through Parse.
			again, err := Parse(got.String())
			if err != nil || again != got {
				t.Errorf("Parse(%q.String()=%q) = %+v, %v; want %+v", tt.in, got.String(), again, err, got)
			}
		})
	}
}

func TestParseErrorWrapsARNError(t *testing.T) {
	_, err := Parse("arn:foo:iam::123456789012:root")
	var ae *ARNError
	if !errors.Is(err, ErrInvalidPrincipal) || !errors.Is(err, ErrInvalidARN) || !errors.As(err, &ae) {
		t.Fatalf("Parse error %v should wrap ErrInvalidPrincipal, ErrInvalidARN and *ARNError", err)
	}
	want := `principal: invalid principal "arn:foo:iam::123456789012:root": unknown partition "foo"`
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse did not panic")
		}
	}()
	MustParse("arn:aws:s3:::bucket")
}

// principalFacts collects everything a caller exposes to policy evaluation.
type principalFacts struct {
	String              string
	RoleARN             string
	HasRole             bool
	PrincipalARN        string
	PrincipalType       string
	IsServiceLinkedRole bool
	HasIdentityPolicies bool
}

func factsOf(p Principal) principalFacts {
	r, ok := p.RoleARN()
	return principalFacts{
		String:              p.String(),
		RoleARN:             r.String(),
		HasRole:             ok,
		PrincipalARN:        p.PrincipalARN(),
		PrincipalType:       p.PrincipalType(),
		IsServiceLinkedRole: p.IsServiceLinkedRole(),
		HasIdentityPolicies: p.HasIdentityPolicies(),
	}
}

func TestPrincipalFacts(t *testing.T) {
	slrSession, err := AssumedRoleOf(MustParseARN("arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"), "session1")
	if err != nil {
		t.Fatal(err)
	}
	pathSession, err := AssumedRoleOf(MustParseARN("arn:aws-cn:iam::123456789012:role/team/Admin"), "alice")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		caller Principal
		want   principalFacts
		doc    string
	}{
		{name: "anonymous", caller: Anonymous(),
			want: principalFacts{String: "*", PrincipalType: "Anonymous"}, doc: docPrincType},
		{name: "root user", caller: MustParse("123456789012"),
			want: principalFacts{String: "arn:aws:iam::123456789012:root", PrincipalARN: "arn:aws:iam::123456789012:root",
				PrincipalType: "Account", HasIdentityPolicies: true}, doc: docPrincArn},
		{name: "user", caller: MustParse("arn:aws:iam::123456789012:user/div/Bob"),
			want: principalFacts{String: "arn:aws:iam::123456789012:user/div/Bob", PrincipalARN: "arn:aws:iam::123456789012:user/div/Bob",
				PrincipalType: "User", HasIdentityPolicies: true}, doc: docPrincArn},
		{name: "role caller", caller: MustParse("arn:aws:iam::123456789012:role/a/R"),
			want: principalFacts{String: "arn:aws:iam::123456789012:role/a/R", RoleARN: "arn:aws:iam::123456789012:role/a/R", HasRole: true,
				PrincipalARN: "arn:aws:iam::123456789012:role/a/R", PrincipalType: "AssumedRole", HasIdentityPolicies: true}, doc: docPrincArn},
		{name: "role session: aws:PrincipalArn is the role ARN", caller: MustParse("arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary"),
			want: principalFacts{String: "arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary",
				RoleARN: "arn:aws:iam::123456789012:role/Accounting-Role", HasRole: true,
				PrincipalARN: "arn:aws:iam::123456789012:role/Accounting-Role", PrincipalType: "AssumedRole", HasIdentityPolicies: true}, doc: docPrincArn},
		{name: "role session with known path", caller: pathSession,
			want: principalFacts{String: "arn:aws-cn:sts::123456789012:assumed-role/Admin/alice",
				RoleARN: "arn:aws-cn:iam::123456789012:role/team/Admin", HasRole: true,
				PrincipalARN: "arn:aws-cn:iam::123456789012:role/team/Admin", PrincipalType: "AssumedRole", HasIdentityPolicies: true}, doc: docPrincArn},
		{name: "service-linked role session", caller: slrSession,
			want: principalFacts{String: "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForElasticBeanstalk/session1",
				RoleARN: "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk", HasRole: true,
				PrincipalARN:  "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
				PrincipalType: "AssumedRole", IsServiceLinkedRole: true, HasIdentityPolicies: true}, doc: docSLR},
		{name: "service-linked role", caller: MustParse("arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"),
			want: principalFacts{String: "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
				RoleARN: "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk", HasRole: true,
				PrincipalARN:  "arn:aws:iam::123456789012:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
				PrincipalType: "AssumedRole", IsServiceLinkedRole: true, HasIdentityPolicies: true}, doc: docSLR},
		{name: "federated user", caller: MustParse("arn:aws:sts::123456789012:federated-user/Bob"),
			want: principalFacts{String: "arn:aws:sts::123456789012:federated-user/Bob", PrincipalARN: "arn:aws:sts::123456789012:federated-user/Bob",
				PrincipalType: "FederatedUser", HasIdentityPolicies: true}, doc: docPrincArn},
		{name: "service", caller: ServicePrincipal("ec2.amazonaws.com"),
			want: principalFacts{String: "ec2.amazonaws.com"}, doc: docPServices},
		{name: "saml provider", caller: MustParse("arn:aws:iam::123456789012:saml-provider/ADFS"),
			want: principalFacts{String: "arn:aws:iam::123456789012:saml-provider/ADFS"}, doc: docPSAML},
		{name: "canonical user", caller: CanonicalUserPrincipal("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"),
			want: principalFacts{String: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, doc: docPAccounts},
		{name: "zero principal", caller: Principal{}, want: principalFacts{}, doc: docPrincipal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, factsOf(tt.caller)); diff != "" {
				t.Errorf("facts mismatch (-want +got) (%s):\n%s", tt.doc, diff)
			}
		})
	}
}

func TestAssumedRoleOf(t *testing.T) {
	got, err := AssumedRoleOf(MustParseARN("arn:aws:iam::123456789012:role/a/b/R"), "sess")
	if err != nil {
		t.Fatal(err)
	}
	want := Principal{Kind: KindAssumedRole, ARN: MustParseARN("arn:aws:sts::123456789012:assumed-role/R/sess"),
		Account: "123456789012", Path: "/a/b/", Name: "R", SessionName: "sess"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AssumedRoleOf mismatch (-want +got) (%s):\n%s", docIDs, diff)
	}
	for _, bad := range []struct {
		role, session string
	}{
		{"arn:aws:iam::123456789012:user/U", "sess"},
		{"arn:aws:iam::123456789012:role/R", "x"},   // RoleSessionName is 2-64 (API_AssumeRole.html)
		{"arn:aws:iam::123456789012:role/R", "a b"}, // [\w+=,.@-]*
	} {
		if _, err := AssumedRoleOf(MustParseARN(bad.role), bad.session); !errors.Is(err, ErrInvalidPrincipal) {
			t.Errorf("AssumedRoleOf(%s, %q) err = %v, want ErrInvalidPrincipal (%s)", bad.role, bad.session, err, docAssumeRole)
		}
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{
		KindUnknown: "Unknown", KindAnonymous: "Anonymous", KindAccount: "Account", KindUser: "User",
		KindRole: "Role", KindAssumedRole: "AssumedRole", KindFederatedUser: "FederatedUser",
		KindService: "Service", KindSAMLProvider: "SAMLProvider", KindOIDCProvider: "OIDCProvider",
		KindCanonicalUser: "CanonicalUser", Kind(200): "Unknown",
	}
	for k, w := range want {
		if got := k.String(); got != w {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, w)
		}
	}
}
