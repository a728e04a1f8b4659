package world

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/sts"
)

// Documentation the world rules come from:
//   - identifiers: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html
//   - access keys: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html
//   - roles: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html

// TestDefaultWorld checks the built-in world: it loads, the example copy is
// the same file, and every access key ID encodes its owner's account, as
// AWS's keys do (GetAccessKeyInfo answers from the ID; see API_GetAccessKeyInfo.html).
func TestDefaultWorld(t *testing.T) {
	w, err := LoadFile("")
	if err != nil {
		t.Fatal(err)
	}
	if w != Default() || w.Name() != DefaultName || !w.IsDefault() {
		t.Errorf("LoadFile(\"\") = %q, want the shared Default()", w.Name())
	}
	example, err := os.ReadFile("../examples/worlds/default.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(example, DefaultJSON()) {
		t.Errorf("examples/worlds/default.json differs from world/default.json; copy it again (cp world/default.json examples/worlds/)")
	}
	if w.keys == nil {
		t.Fatal("the default world has no key ring")
	}
	if len(w.accessKeys) == 0 {
		t.Fatal("the default world has no access key")
	}
	for _, k := range w.accessKeys {
		owner, err := principal.ParseARN(k.UserARN)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sts.AccountFromAccessKeyID(k.ID)
		if err != nil || got != owner.Account {
			t.Errorf("access key %s of %s decodes to account %q (%v), want %s", k.ID, k.UserARN, got, err, owner.Account)
		}
	}
	ctx := context.Background()
	alice, err := w.dir.User(ctx, "arn:aws:iam::111111111111:user/alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(alice.MFADevices) != 1 || len(alice.MFADevices[0].Seed.Reveal()) != 20 {
		t.Errorf("alice's MFA devices = %v, want one with a 20-byte seed", alice.MFADevices)
	}
	for _, arn := range []string{"arn:aws:iam::111111111111:role/deploy", "arn:aws:iam::111111111111:role/readonly", "arn:aws:iam::222222222222:role/cross"} {
		if _, err := w.dir.Role(ctx, arn); err != nil {
			t.Errorf("role %s: %v", arn, err)
		}
	}
}

// validWorld uses every field, policies as objects and as strings, and
// leaves the unique IDs out.
const validWorld = `{
  "keyRing": [{"id": 7, "secret": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="},
              {"id": 6, "secret": "b2xkLWtleS1tYXRlcmlhbC0wMTIzNDU2Nzg5YWJjZGVm"}],
  "accounts": [{"id": "333333333333", "orgId": "o-a1b2c3d4e5", "orgPath": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
                "management": false, "disabledRegions": ["ap-east-1"],
                "scps": [[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]],
                "rcps": [["{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}"]]}],
  "managedPolicies": [{"arn": "arn:aws:iam::333333333333:policy/Boundary",
                       "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]}}],
  "groups": [{"arn": "arn:aws:iam::333333333333:group/ops", "managedPolicyArns": ["arn:aws:iam::333333333333:policy/Boundary"],
              "policies": ["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:GetFederationToken\",\"Resource\":\"*\"}]}"]}],
  "users": [{"arn": "arn:aws:iam::333333333333:user/carol", "groups": ["arn:aws:iam::333333333333:group/ops"],
             "permissionsBoundaryArn": "arn:aws:iam::333333333333:policy/Boundary", "tags": {"team": "red", "Cost": "42"},
             "accessKeys": [{"id": "AKIAU3HBXAVK2ITAANKE", "secret": "inactive-secret", "inactive": true},
                            {"id": "AKIAU3HBXAVKVDXAS7YA", "secret": "carol-secret"}],
             "mfaDevices": [{"serialNumber": "arn:aws:iam::333333333333:mfa/carol", "seed": "jbsw y3dp ehpk 3pxp"}]},
            {"arn": "arn:aws:iam::333333333333:root", "root": true}],
  "roles": [{"arn": "arn:aws:iam::333333333333:role/app", "uniqueId": "AROAAPPROLE0000000001", "maxSessionDuration": 7200,
             "serviceLinked": false, "tags": {"env": "test"},
             "trustPolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"333333333333\"},\"Action\":\"sts:AssumeRole\"}]}"},
            {"arn": "arn:aws:iam::333333333333:role/path/other",
             "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}],
  "resourcePolicies": [{"resource": "arn:aws:s3:::carol-bucket",
                        "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::333333333333:user/carol"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::carol-bucket/*"}]}}]
}`

// TestLoadWorld checks that every field lands in the directory.
func TestLoadWorld(t *testing.T) {
	w, err := Load("valid.json", []byte(validWorld))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if got := w.keys.KeyIDs(); !cmp.Equal(got, []uint32{7, 6}) {
		t.Errorf("key IDs = %v, want [7 6] (the first seals)", got)
	}
	a, err := w.dir.Account(ctx, "333333333333")
	if err != nil {
		t.Fatal(err)
	}
	if a.OrgID != "o-a1b2c3d4e5" || len(a.SCPs) != 1 || len(a.RCPs) != 1 || !cmp.Equal(a.DisabledRegions, []string{"ap-east-1"}) {
		t.Errorf("account = %+v", a)
	}
	u, err := w.dir.User(ctx, "arn:aws:iam::333333333333:user/carol")
	if err != nil {
		t.Fatal(err)
	}
	// Unique IDs left out are derived from the ARN: AIDA and 17 base32
	// characters, the shape of reference_identifiers.html's unique IDs.
	if want := sts.DeterministicUniqueID("AIDA", u.ARN); u.UniqueID != want || len(u.UniqueID) != 21 {
		t.Errorf("carol's UniqueID = %q, want %q (21 characters)", u.UniqueID, want)
	}
	if diff := cmp.Diff([]sts.Tag{{Key: "team", Value: "red"}, {Key: "Cost", Value: "42"}}, u.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	if u.PermissionsBoundaryARN != "arn:aws:iam::333333333333:policy/Boundary" || !cmp.Equal(u.Groups, []string{"arn:aws:iam::333333333333:group/ops"}) {
		t.Errorf("carol = %+v", u)
	}
	if len(u.MFADevices) != 1 || u.MFADevices[0].Seed.Reveal() != "Hello!\xde\xad\xbe\xef" {
		t.Errorf("MFA seed not decoded from base32 (spaces and lower case as authenticator apps allow)")
	}
	if len(w.accessKeys) != 1 || w.accessKeys[0].ID != "AKIAU3HBXAVKVDXAS7YA" {
		t.Errorf("active access keys = %v, want carol's second key only", w.accessKeys)
	}
	if _, _, err := w.dir.UserByAccessKey(ctx, "AKIAU3HBXAVK2ITAANKE"); err != nil {
		t.Errorf("the inactive key is not stored: %v", err)
	}
	if _, err := w.dir.User(ctx, "arn:aws:iam::333333333333:root"); err != nil {
		t.Errorf("root user: %v", err)
	}
	r, err := w.dir.Role(ctx, "arn:aws:iam::333333333333:role/app")
	if err != nil {
		t.Fatal(err)
	}
	if r.UniqueID != "AROAAPPROLE0000000001" || r.MaxSessionDuration != 2*time.Hour {
		t.Errorf("role app = %+v", r)
	}
	other, err := w.dir.Role(ctx, "arn:aws:iam::333333333333:role/path/other")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(other.UniqueID, "AROA") || other.MaxSessionDuration != 0 {
		t.Errorf("role other = %+v", other)
	}
	if _, err := w.dir.ResourcePolicy(ctx, "arn:aws:s3:::carol-bucket/key"); err != nil {
		t.Errorf("bucket policy: %v", err)
	}

	// The same world gives the same IDs.
	again, err := Load("valid.json", []byte(validWorld))
	if err != nil {
		t.Fatal(err)
	}
	u2, _ := again.dir.User(ctx, u.ARN)
	o2, _ := again.dir.Role(ctx, other.ARN)
	if u2.UniqueID != u.UniqueID || o2.UniqueID != other.UniqueID {
		t.Errorf("unique IDs differ between loads: %s %s, then %s %s", u.UniqueID, other.UniqueID, u2.UniqueID, o2.UniqueID)
	}
}

// TestLoadWorldErrors checks each kind of mistake: the message names the
// file, the line and column, and the JSON path.
func TestLoadWorldErrors(t *testing.T) {
	tests := []struct {
		name, world string
		want        []string
	}{{
		name:  "syntax",
		world: "{\n  \"users\": [,]\n}",
		want:  []string{`w.json:2:13: invalid JSON: invalid character ',' looking for beginning of value`},
	}, {
		name:  "not an object",
		world: `[]`,
		want:  []string{`w.json:1:1: must be an object, not array`},
	}, {
		name:  "unknown field, case",
		world: "{\n  \"Users\": []\n}",
		want:  []string{`w.json:2:3: Users: unknown field "Users" (field names are case-sensitive: did you mean "users"?)`},
	}, {
		name:  "unknown nested field",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:user/a", "polices": []}]}`,
		want: []string{`w.json:1:56: users[0].polices: unknown field "polices" (known fields: arn, uniqueId, root, policies, ` +
			`managedPolicyArns, groups, permissionsBoundaryArn, tags, accessKeys, mfaDevices)`},
	}, {
		name:  "duplicate field",
		world: `{"accounts": [], "accounts": []}`,
		want:  []string{`w.json:1:18: accounts: duplicate field "accounts"`},
	}, {
		name:  "wrong kinds",
		world: `{"users": {}, "roles": [{"arn": 5, "trustPolicy": true}]}`,
		want: []string{
			`w.json:1:11: users: must be an array, not object`,
			`w.json:1:33: roles[0].arn: must be a string, not number`,
			`w.json:1:51: roles[0].trustPolicy: a policy must be a JSON object or a JSON string holding one, not boolean`,
		},
	}, {
		name:  "missing required",
		world: `{"roles": [{"arn": "arn:aws:iam::111111111111:role/r"}]}`,
		want:  []string{`w.json:1:12: roles[0].trustPolicy: missing required field`},
	}, {
		// A policy error inside an embedded object: the position is in
		// the file, the policy's own path follows.
		name: "policy as object",
		world: `{"roles": [{"arn": "arn:aws:iam::111111111111:role/r",
  "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Principal": "*", "Action": "sts:AssumeRole"}]}}]}`,
		want: []string{`w.json:2:69: roles[0].trustPolicy: invalid trust policy: Statement[0].Effect: must be "Allow" or "Deny"`},
	}, {
		// ... and inside a policy held by a JSON string.
		name:  "policy as string",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:user/u", "policies": ["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}"]}]}`,
		want:  []string{`w.json:1:113: users[0].policies[0]: invalid identity policy: Statement[0]: Policy statement must contain resources.`},
	}, {
		name: "key ring",
		world: `{"keyRing": [{"id": 1, "secret": "c2hvcnQ="}, {"id": -1, "secret": "!!"},
  {"id": 1, "secret": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}, {"secret": 3}]}`,
		want: []string{
			`w.json:1:34: keyRing[0].secret: decodes to 5 bytes; a key needs at least 32 (try: head -c 32 /dev/urandom | base64)`,
			`w.json:1:54: keyRing[1].id: must be an integer from 0 to 4294967295`,
			`w.json:1:68: keyRing[1].secret: must be standard base64 (the key material is not shown)`,
			`w.json:2:10: keyRing[2].id: key ID 1 is used twice (first at line 1, column 21)`,
			`w.json:2:72: keyRing[3].id: missing required field`,
			`w.json:2:83: keyRing[3].secret: must be a string, not number`,
		},
	}, {
		name:  "empty key ring",
		world: `{"keyRing": []}`,
		want:  []string{`w.json:1:13: keyRing: must hold at least one key (or leave keyRing out)`},
	}, {
		name:  "MFA seed",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:user/u", "mfaDevices": [{"serialNumber": "arn:aws:iam::111111111111:mfa/u", "seed": "not base32!"}]}]}`,
		want:  []string{`w.json:1:131: users[0].mfaDevices[0].seed: must be a base32 TOTP seed, as authenticator apps take it (A-Z and 2-7; the seed is not shown)`},
	}, {
		// Access key IDs carry their account (API_GetAccessKeyInfo.html); a key of
		// another account, or not of AWS's form, is refused with a
		// suggestion.
		name: "access key account",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:user/u", "accessKeys": [
  {"id": "AKIATHPL2AOHFXVBCCLQ", "secret": "s"}, {"id": "AKIA-not-a-key", "secret": "s"}]}],
 "accounts": [{"id": "111111111111"}]}`,
		want: []string{
			`w.json:2:10: users[0].accessKeys[0].id: "AKIATHPL2AOHFXVBCCLQ" encodes account 222222222222, not the owner's account 111111111111 (GetAccessKeyInfo answers from the ID); use, say, "` + mustKeyID(t, "111111111111", "AKIATHPL2AOHFXVBCCLQ") + `"`,
			`w.json:2:57: users[0].accessKeys[1].id: the ID (14 characters, not shown: it does not look like an access key ID) is not an access key ID of AWS's form (AKIA and 16 characters of A-Z2-7 encoding the account); for account 111111111111 use, say, "` + mustKeyID(t, "111111111111", "users[0].accessKeys[1] arn:aws:iam::111111111111:user/u") + `"`,
		},
	}, {
		name: "defined twice",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:user/u"},
  {"arn": "arn:aws:iam::111111111111:user/u"}]}`,
		want: []string{`w.json:2:11: users[1].arn: user "arn:aws:iam::111111111111:user/u" is defined twice (first at line 1, column 20)`},
	}, {
		name: "unresolved references",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:user/u", "groups": ["arn:aws:iam::111111111111:group/nope"],
  "permissionsBoundaryArn": "arn:aws:iam::111111111111:policy/nope"}]}`,
		want: []string{
			`w.json:1:67: users[0].groups[0]: group "arn:aws:iam::111111111111:group/nope" is not defined in groups`,
			`w.json:2:29: users[0].permissionsBoundaryArn: managed policy "arn:aws:iam::111111111111:policy/nope" is not defined in managedPolicies`,
		},
	}, {
		// CreateRole: MaxSessionDuration is 3600 to 43200 (API_CreateRole.html).
		name:  "max session duration",
		world: `{"roles": [{"arn": "arn:aws:iam::111111111111:role/r", "maxSessionDuration": 60, "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}]}`,
		want:  []string{`w.json:1:78: roles[0].maxSessionDuration: must be a whole number of seconds from 3600 to 43200 (1 to 12 hours)`},
	}, {
		// The directory's own checks: ARN shape, unique ID prefix
		// (reference_identifiers.html), account ID.
		name: "directory rules",
		world: `{"users": [{"arn": "arn:aws:iam::111111111111:usr/u"}, {"arn": "arn:aws:iam::111111111111:user/v", "uniqueId": "AROAXXXXXXXXXXXXXXXXX"}],
 "accounts": [{"id": "1234"}]}`,
		want: []string{
			`w.json:1:20: users[0].arn: invalid user: resource must be user/PATH/NAME`,
			`w.json:1:64: users[1].arn: invalid user: UniqueID "AROAXXXXXXXXXXXXXXXXX" must begin with "AIDA"`,
			`w.json:2:22: accounts[0].id: "1234" is not a 12-digit account ID`,
		},
	}, {
		name:  "organization fields without orgId",
		world: `{"accounts": [{"id": "111111111111", "orgPath": "o-x/r-y/"}]}`,
		want:  []string{`w.json:1:15: accounts[0]: orgPath, management, scps and rcps need orgId (the account's organization)`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("w.json", []byte(tt.world))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v is not a *Error", err)
			}
			msgs := strings.Split(we.Error(), "\n")
			if diff := cmp.Diff(tt.want, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			for _, m := range msgs {
				for _, secret := range []string{"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY", "not base32!"} {
					if strings.Contains(m, secret) {
						t.Errorf("message %q shows a secret", m)
					}
				}
			}
		})
	}
}

func mustKeyID(t *testing.T, account, seed string) string {
	t.Helper()
	id, err := deterministicAccessKeyID(account, seed)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSwappedAccessKeyNotEchoed loads a world whose access key has its ID
// and secret swapped: the error must point at the id field without
// repeating the secret, while an ID of AWS's shape (AKIA or ASIA and 16
// characters of A-Z2-7; reference_identifiers.html) is repeated.
func TestSwappedAccessKeyNotEchoed(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	const keyID = "AKIATHPL2AOHFXVBCCLQ" // encodes account 222222222222
	world := `{"users": [{"arn": "arn:aws:iam::111111111111:user/u",
  "accessKeys": [{"id": "` + secret + `", "secret": "` + keyID + `"}]}]}`
	_, err := Load("w.json", []byte(world))
	var we *Error
	if !errors.As(err, &we) || len(we.Problems) != 1 {
		t.Fatalf("Load = %v, want one problem", err)
	}
	p := we.Problems[0]
	if p.Path != "users[0].accessKeys[0].id" || p.Line != 2 || p.Column != 25 {
		t.Errorf("problem at %s:%d:%d, want users[0].accessKeys[0].id at 2:25", p.Path, p.Line, p.Column)
	}
	for _, part := range []string{secret, secret[:20], secret[20:]} {
		if strings.Contains(err.Error(), part) {
			t.Errorf("the error shows the secret %q: %v", part, err)
		}
	}
	if !strings.Contains(p.Message, "40 characters, not shown") {
		t.Errorf("message %q does not say why the ID is not shown", p.Message)
	}

	// The same key the right way round, but of another account: its ID
	// is shown.
	world = `{"users": [{"arn": "arn:aws:iam::111111111111:user/u",
  "accessKeys": [{"id": "` + keyID + `", "secret": "` + secret + `"}]}]}`
	_, err = Load("w.json", []byte(world))
	if err == nil || !strings.Contains(err.Error(), `"`+keyID+`" encodes account 222222222222`) || strings.Contains(err.Error(), secret) {
		t.Errorf("Load = %v, want the key ID shown and the secret not", err)
	}
	for _, tt := range []struct {
		id   string
		show bool
	}{
		{"AKIATHPL2AOHFXVBCCLQ", true},
		{"ASIATHPL2AOHFXVBCCLQ", true},
		{"akiathpl2aohfxvbcclq", false}, // lower case
		{"AKIATHPL2AOHFXVBCCL1", false}, // 1 is not base32
		{"AKIATHPL2AOHFXVBCCLQQ", false},
		{"AIDATHPL2AOHFXVBCCLQ", false},
	} {
		if got := strings.Contains(echoKeyID(tt.id), tt.id); got != tt.show {
			t.Errorf("echoKeyID(%q) = %q: shown %v, want %v", tt.id, echoKeyID(tt.id), got, tt.show)
		}
	}
}

// TestEchoedValuesCapped checks that every value a message repeats is cut
// to 64 characters and "...": the world's own messages, the directory's
// reasons and the policy parser's findings.
func TestEchoedValuesCapped(t *testing.T) {
	long := strings.Repeat("x", 5000)
	cut := `"` + strings.Repeat("x", 64) + `"...`
	world := `{"accounts": [{"id": "` + long + `"}],
 "users": [{"arn": "arn:aws:iam::111111111111:user/u", "uniqueId": "AIDA` + long + `",
            "groups": ["arn:aws:iam::111111111111:group/` + long + `"], "tags": {"` + long + `": 1}},
           {"arn": "arn:aws:iam::111111111111:user/v", "` + long + `": 1}],
 "managedPolicies": [{"arn": "arn:aws:iam::111111111111:policy/p", "document":
   {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "` + long + `", "Resource": "*"}]}}]}`
	_, err := Load("w.json", []byte(world))
	var we *Error
	if !errors.As(err, &we) {
		t.Fatalf("Load = %v, want an *Error", err)
	}
	if len(we.Problems) < 5 {
		t.Errorf("%d problems, want at least 5:\n%v", len(we.Problems), err)
	}
	for _, p := range we.Problems {
		s := p.String()
		if strings.Contains(s, strings.Repeat("x", 65)) {
			t.Errorf("a message repeats more than 64 characters of a value: %.300s", s)
		}
		if len(s) > 400 {
			t.Errorf("message of %d bytes: %.300s", len(s), s)
		}
	}
	if !strings.Contains(err.Error(), cut) {
		t.Errorf("no value is shown cut as %s:\n%v", cut, err)
	}

	// The directory's reason repeats the unique ID: cut as well.
	_, err = Load("w.json", []byte(`{"users": [{"arn": "arn:aws:iam::111111111111:user/u", "uniqueId": "AIDA`+long+`"}]}`))
	if want := `UniqueID "AIDA` + strings.Repeat("x", 60) + `"... must be`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Load = %.300v, want it to contain %s", err, want)
	}
}

// FuzzLoad feeds arbitrary documents to the loader: it must never panic,
// every problem must have a message, and errors must never print a secret
// of the input. The seeds are the built-in world and the cases below.
func FuzzLoad(f *testing.F) {
	f.Add(DefaultJSON())
	f.Add([]byte(validWorld))
	f.Add([]byte(`{"keyRing":[{"id":1,"secret":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="}],"users":[{"arn":"arn:aws:iam::111111111111:user/a","accessKeys":[{"id":"AKIA","secret":"TOPSECRETVALUE"}]}]}`))
	f.Add([]byte(`{"users":[{"arn":"arn:aws:iam::111111111111:user/a","accessKeys":[{"id":"TOPSECRETVALUE","secret":"AKIATHPL2AOHFXVBCCLQ"}]}]}`))
	f.Add([]byte(`{"roles":[{"arn":"arn:aws:iam::111111111111:role/r","trustPolicy":"{\"Statement\":{}}","maxSessionDuration":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Load("fuzz.json", data)
		if err == nil {
			if w.Directory() == nil {
				t.Fatal("a loaded world has no directory")
			}
			return
		}
		var we *Error
		if !errors.As(err, &we) || len(we.Problems) == 0 {
			t.Fatalf("error %v is not an *Error with problems", err)
		}
		for _, p := range we.Problems {
			if p.Message == "" {
				t.Fatalf("problem without a message: %+v", p)
			}
		}
		if strings.Contains(string(data), "TOPSECRETVALUE") && strings.Contains(err.Error(), "TOPSECRETVALUE") {
			t.Fatalf("error prints a secret: %v", err)
		}
	})
}

// TestWorldAPI checks the accessors: IsDefault recognises the built-in
// world's public keys in another file, a world without a key ring gets an
// issuer with a random key, and AccessKeys returns a copy.
func TestWorldAPI(t *testing.T) {
	copied, err := Load("copy.json", DefaultJSON())
	if err != nil {
		t.Fatal(err)
	}
	if copied.Name() != "copy.json" || !copied.IsDefault() {
		t.Errorf("a copy of the default world: Name %q, IsDefault %v, want copy.json and true", copied.Name(), copied.IsDefault())
	}
	own, err := Load("own.json", []byte(validWorld))
	if err != nil {
		t.Fatal(err)
	}
	if own.IsDefault() {
		t.Error("a world with its own keys IsDefault")
	}
	keys := own.AccessKeys()
	keys[0].ID = "changed"
	if k, ok := own.CallerKey(); !ok || k.ID != "AKIAU3HBXAVKVDXAS7YA" || k.UserARN != "arn:aws:iam::333333333333:user/carol" {
		t.Errorf("CallerKey = %+v, %v after changing AccessKeys' copy", k, ok)
	}

	bare, err := Load("bare.json", []byte(`{"users": [{"arn": "arn:aws:iam::111111111111:user/u"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if bare.KeyRing() != nil {
		t.Error("a world without keyRing has a key ring")
	}
	if _, ok := bare.CallerKey(); ok {
		t.Error("a world without access keys has a caller key")
	}
	if _, err := bare.Issuer(sts.Options{}); err != nil {
		t.Errorf("Issuer of a world without keyRing: %v", err)
	}

	if got := (Problem{File: "f.json", Message: "invalid JSON: x"}).String(); got != "f.json: invalid JSON: x" {
		t.Errorf("Problem without a place = %q", got)
	}
	if _, err := LoadFile(t.TempDir() + "/missing.json"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile of a missing file = %v, want os.ErrNotExist", err)
	}
}
