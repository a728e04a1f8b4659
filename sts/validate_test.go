package sts

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Where each expected answer comes from. Constraints are those of the
// botocore STS model (botocore/data/sts/2011-06-15/service-2.json) and the
// operation's API reference page; "AWS answer" marks a message recorded
// verbatim from AWS STS.
const (
	refAssumeRole  = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html; model AssumeRoleRequest"
	refSessionTok  = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html; model GetSessionTokenRequest"
	refFederation  = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html; model GetFederationTokenRequest"
	refAccessKey   = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html; model accessKeyIdType"
	refDecode      = "https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html; model encodedMessageType"
	refSessionTags = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html; AWS answer (LocalStack test_sts.snapshot.json, recorded against AWS)"
	refAWSAnswer   = "; AWS answer"
)

// Helpers spelling AWS's message form. Cases whose text AWS was seen to
// answer also spell it out literally.
func vmsg(violations ...string) string {
	if len(violations) == 1 {
		return "1 validation error detected: " + violations[0]
	}
	return fmt.Sprintf("%d validation errors detected: %s", len(violations), strings.Join(violations, "; "))
}

func vPattern(value, member, pattern string) string {
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", value, member, pattern)
}

func vMinLen(value, member string, n int) string {
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", value, member, n)
}

func vMaxLen(value, member string, n int) string {
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", value, member, n)
}

func vMinVal(value int64, member string, n int) string {
	return fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", value, member, n)
}

func vMaxVal(value int64, member string, n int) string {
	return fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", value, member, n)
}

func ptr[T any](v T) *T { return &v }

const (
	testRoleARN = "arn:aws:iam::123456789012:role/demo"
	arnPattern  = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	namePattern = `[\w+=,.@-]*`
	tagKeyPat   = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	tagValuePat = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	policyPat   = `[\u0009\u000A\u000D\u0020-\u00FF]+`
)

type validateCase struct {
	name     string
	ref      string
	validate func() error
	code     string // "" for success
	msg      string
}

func runValidateCases(t *testing.T, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.validate()
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v (%s)", err, tc.ref)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error %s (%s)", err, tc.code, tc.ref)
			}
			if e.Code != tc.code || e.HTTPStatus != 400 {
				t.Errorf("code %s %d, want %s 400 (%s)", e.Code, e.HTTPStatus, tc.code, tc.ref)
			}
			if diff := cmp.Diff(tc.msg, e.Message); diff != "" {
				t.Errorf("message mismatch (-want +got) (%s):\n%s", tc.ref, diff)
			}
		})
	}
}

func assumeRole(mod func(*AssumeRoleInput)) func() error {
	return func() error {
		in := &AssumeRoleInput{RoleArn: testRoleARN, RoleSessionName: "session"}
		mod(in)
		return in.Validate()
	}
}

func TestAssumeRoleInputValidate(t *testing.T) {
	x := strings.Repeat
	const V, IPV = "ValidationError", "InvalidParameterValue"
	manyTags := make([]Tag, 51)
	for i := range manyTags {
		manyTags[i] = Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
	}
	manyTagsText := javaList(51, func(i int) string { return "{Key: " + manyTags[i].Key + ",Value: v}" })
	manyKeys := make([]string, 51)
	for i := range manyKeys {
		manyKeys[i] = fmt.Sprintf("k%d", i)
	}
	manyArns := make([]PolicyDescriptorType, 11)
	for i := range manyArns {
		manyArns[i].Arn = fmt.Sprintf("arn:aws:iam::aws:policy/P%d", i)
	}
	emoji2048, emoji2049 := x("😀", 2048), x("😀", 2049)
	decomposed := x("e\u0301", 1025) // 2050 code points

	runValidateCases(t, []validateCase{
		{"minimal", refAssumeRole, assumeRole(func(*AssumeRoleInput) {}), "", ""},
		{"every member at its limits", refAssumeRole, assumeRole(func(in *AssumeRoleInput) {
			in.RoleArn = "arn:aws:iam::1:role/x" // 20
			in.RoleSessionName = x("a", 64)
			in.PolicyArns = manyArns[:10]
			in.Policy = ptr(x("é", 2045) + "\t\n\r") // 2048 code points, 4093 bytes
			in.DurationSeconds = ptr[int32](43200)
			in.Tags = append(manyTags[:49:49], Tag{Key: x("K", 128), Value: ""})
			in.TransitiveTagKeys = []string{"k0", x("k", 128)}
			in.ExternalId = ptr(x("a", 1223) + "/")
			in.SerialNumber = ptr("arn:aws:iam::123456789012:mfa/bob")
			in.TokenCode = ptr("012345")
			in.SourceIdentity = ptr(x("s", 64))
		}), "", ""},
		{"lower limits", refAssumeRole, assumeRole(func(in *AssumeRoleInput) {
			in.RoleSessionName = "aa"
			in.Policy = ptr("{")
			in.DurationSeconds = ptr[int32](900)
			in.ExternalId = ptr("ab")
			in.SerialNumber = ptr("GAHT12345")
			in.SourceIdentity = ptr("ab")
			in.Tags = []Tag{{Key: "K"}}
		}), "", ""},

		// roleArn: arnType 20..2048 (AWS answers below).
		{"roleArn empty", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = "" }), V,
			`2 validation errors detected: Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+; Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`},
		{"roleArn short", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = "not-an-arn" }), V,
			"1 validation error detected: Value 'not-an-arn' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"roleArn 2048 chars passes", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = x("x", 2048) }), "", ""},
		{"roleArn 2049 chars", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = x("x", 2049) }), V,
			vmsg(vMaxLen(x("x", 2049), "roleArn", 2048))},
		{"roleArn length counts code points", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = x("é", 2048) }), "", ""},
		{"roleArn 2049 code points", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = x("é", 2049) }), V,
			vmsg(vMaxLen(x("é", 2049), "roleArn", 2048))},
		{"roleArn decomposed characters count separately", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = decomposed }), V,
			vmsg(vMaxLen(decomposed, "roleArn", 2048))},
		{"roleArn beyond the BMP fails the pattern", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = emoji2048 }), V,
			vmsg(vPattern(emoji2048, "roleArn", arnPattern))},
		{"roleArn pattern then length", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = emoji2049 }), V,
			vmsg(vPattern(emoji2049, "roleArn", arnPattern), vMaxLen(emoji2049, "roleArn", 2048))},
		{"roleArn control character", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.RoleArn = testRoleARN + "\x00" }), V,
			vmsg(vPattern(testRoleARN+"\x00", "roleArn", arnPattern))},

		// roleSessionName: roleSessionNameType 2..64 [\w+=,.@-]*.
		{"roleSessionName empty", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleSessionName = "" }), V,
			"1 validation error detected: Value '' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"roleSessionName short", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleSessionName = "a" }), V,
			"1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"roleSessionName slash", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleSessionName = "bad/name" }), V,
			`1 validation error detected: Value 'bad/name' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"roleSessionName colon", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleSessionName = "Session1:2" }), V,
			`1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"roleSessionName long", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.RoleSessionName = x("s", 65) }), V,
			"1 validation error detected: Value 'sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"roleSessionName non-ASCII letter", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.RoleSessionName = "josé" }), V,
			vmsg(vPattern("josé", "roleSessionName", namePattern))},

		// durationSeconds: roleDurationSecondsType 900..43200 (AWS answers).
		{"durationSeconds 899", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.DurationSeconds = ptr[int32](899) }), V,
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"durationSeconds negative", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.DurationSeconds = ptr[int32](-1) }), V,
			"1 validation error detected: Value '-1' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"durationSeconds 43201", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.DurationSeconds = ptr[int32](43201) }), V,
			"1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"durationSeconds int32 max", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.DurationSeconds = ptr[int32](2147483647) }), V,
			"1 validation error detected: Value '2147483647' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"durationSeconds int32 min", refAssumeRole + refAWSAnswer, assumeRole(func(in *AssumeRoleInput) { in.DurationSeconds = ptr[int32](-2147483648) }), V,
			"1 validation error detected: Value '-2147483648' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},

		// policyArns: at most 10 (API reference), each arnType.
		{"policyArns 11", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.PolicyArns = manyArns }), V,
			vmsg(vMaxLen(javaList(11, func(i int) string { return "{Arn: " + manyArns[i].Arn + "}" }), "policyArns", 10))},
		{"policyArns member short", refAssumeRole, assumeRole(func(in *AssumeRoleInput) {
			in.PolicyArns = []PolicyDescriptorType{{Arn: "arn:aws:iam::aws:policy/ReadOnlyAccess"}, {Arn: "arn:aws:iam::aws"}}
		}), V, vmsg(vMinLen("arn:aws:iam::aws", "policyArns.2.member.arn", 20))},

		// policy: [\u0009\u000A\u000D\u0020-\u00FF]+, at least 1, 2048 by the API reference.
		{"policy empty", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Policy = ptr("") }), V,
			vmsg(vPattern("", "policy", policyPat), vMinLen("", "policy", 1))},
		{"policy 2049", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Policy = ptr(x(" ", 2049)) }), V,
			vmsg(vMaxLen(x(" ", 2049), "policy", 2048))},
		{"policy beyond U+00FF", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Policy = ptr(`{"Sid":"Ā"}`) }), V,
			vmsg(vPattern(`{"Sid":"Ā"}`, "policy", policyPat))},
		{"policy control character", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Policy = ptr("{\x01}") }), V,
			vmsg(vPattern("{\x01}", "policy", policyPat))},

		// tags: tagListType at most 50; Tag key 1..128 and value 0..256.
		{"tags 51", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Tags = manyTags }), V,
			vmsg(vMaxLen(manyTagsText, "tags", 50))},
		{"tag key empty", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Tags = []Tag{{Key: "a", Value: "b"}, {Key: "", Value: "v"}} }), V,
			vmsg(vPattern("", "tags.2.member.key", tagKeyPat), vMinLen("", "tags.2.member.key", 1))},
		{"tag key long", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Tags = []Tag{{Key: x("k", 129), Value: "v"}} }), V,
			vmsg(vMaxLen(x("k", 129), "tags.1.member.key", 128))},
		{"tag key comma", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Tags = []Tag{{Key: "a,b", Value: "v"}} }), V,
			vmsg(vPattern("a,b", "tags.1.member.key", tagKeyPat))},
		{"tag value long and bad", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.Tags = []Tag{{Key: "k", Value: x("!", 257)}} }), V,
			vmsg(vPattern(x("!", 257), "tags.1.member.value", tagValuePat), vMaxLen(x("!", 257), "tags.1.member.value", 256))},
		{"tag letters, separators and numbers of any script", refAssumeRole, assumeRole(func(in *AssumeRoleInput) {
			in.Tags = []Tag{{Key: "Département\u00a0Ⅻ", Value: "東京 +-=._:/@ ٣"}}
		}), "", ""},

		// transitiveTagKeys: tagKeyListType at most 50, each tagKeyType.
		{"transitiveTagKeys 51", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.TransitiveTagKeys = manyKeys }), V,
			vmsg(vMaxLen(javaList(51, func(i int) string { return manyKeys[i] }), "transitiveTagKeys", 50))},
		{"transitiveTagKeys member empty", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.TransitiveTagKeys = []string{""} }), V,
			vmsg(vPattern("", "transitiveTagKeys.1.member", tagKeyPat), vMinLen("", "transitiveTagKeys.1.member", 1))},

		// externalId: externalIdType 2..1224 [\w+=,.@:\/-]*.
		{"externalId short", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.ExternalId = ptr("a") }), V,
			vmsg(vMinLen("a", "externalId", 2))},
		{"externalId long", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.ExternalId = ptr(x("e", 1225)) }), V,
			vmsg(vMaxLen(x("e", 1225), "externalId", 1224))},
		{"externalId space", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.ExternalId = ptr("my id") }), V,
			vmsg(vPattern("my id", "externalId", `[\w+=,.@:\/-]*`))},
		{"externalId colon and slash", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.ExternalId = ptr("urn:a/b=c,d.e@f-g+h_1") }), "", ""},

		// serialNumber: serialNumberType 9..256 [\w+=/:,.@-]*.
		{"serialNumber short", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.SerialNumber = ptr("GAHT1234") }), V,
			vmsg(vMinLen("GAHT1234", "serialNumber", 9))},
		{"serialNumber long", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.SerialNumber = ptr(x("s", 257)) }), V,
			vmsg(vMaxLen(x("s", 257), "serialNumber", 256))},
		{"serialNumber space", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.SerialNumber = ptr("arn:aws:iam::123456789012:mfa/a b") }), V,
			vmsg(vPattern("arn:aws:iam::123456789012:mfa/a b", "serialNumber", `[\w+=/:,.@-]*`))},

		// tokenCode: tokenCodeType exactly 6 [\d]*.
		{"tokenCode 5 digits", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.TokenCode = ptr("12345") }), V,
			vmsg(vMinLen("12345", "tokenCode", 6))},
		{"tokenCode 7 digits", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.TokenCode = ptr("1234567") }), V,
			vmsg(vMaxLen("1234567", "tokenCode", 6))},
		{"tokenCode letter", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.TokenCode = ptr("12345a") }), V,
			vmsg(vPattern("12345a", "tokenCode", `[\d]*`))},
		{"tokenCode non-ASCII digit", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.TokenCode = ptr("١٢٣٤٥٦") }), V,
			vmsg(vPattern("١٢٣٤٥٦", "tokenCode", `[\d]*`))},

		// sourceIdentity: sourceIdentityType 2..64 [\w+=,.@-]*; the
		// reserved "aws:" prefix fails the pattern (no ':' allowed).
		{"sourceIdentity aws: prefix", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.SourceIdentity = ptr("aws:admin") }), V,
			vmsg(vPattern("aws:admin", "sourceIdentity", namePattern))},
		{"sourceIdentity short", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.SourceIdentity = ptr("a") }), V,
			vmsg(vMinLen("a", "sourceIdentity", 2))},
		{"sourceIdentity long", refAssumeRole, assumeRole(func(in *AssumeRoleInput) { in.SourceIdentity = ptr(x("s", 65)) }), V,
			vmsg(vMaxLen(x("s", 65), "sourceIdentity", 64))},

		// Session tag keys, checked once the request is valid.
		{"duplicate tag keys differing in case", refSessionTags, assumeRole(func(in *AssumeRoleInput) {
			in.Tags = []Tag{{Key: "Department", Value: "a"}, {Key: "department", Value: "b"}}
		}), IPV, "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"transitive key not among the tags", refSessionTags, assumeRole(func(in *AssumeRoleInput) {
			in.Tags = []Tag{{Key: "Project", Value: "a"}}
			in.TransitiveTagKeys = []string{"Project", "CostCenter"}
		}), IPV, "The specified transitive tag key must be included in the requested tags."},
		{"transitive key without tags", refSessionTags, assumeRole(func(in *AssumeRoleInput) { in.TransitiveTagKeys = []string{"Project"} }), IPV,
			"The specified transitive tag key must be included in the requested tags."},
		{"transitive keys match case-insensitively", refSessionTags, assumeRole(func(in *AssumeRoleInput) {
			in.Tags = []Tag{{Key: "Project", Value: "a"}}
			in.TransitiveTagKeys = []string{"PROJECT"}
		}), "", ""},
		{"validation errors come before tag-key errors", refAssumeRole, assumeRole(func(in *AssumeRoleInput) {
			in.Tags = []Tag{{Key: "k", Value: "a"}, {Key: "K", Value: "b"}}
			in.RoleSessionName = "a"
		}), V, vmsg(vMinLen("a", "roleSessionName", 2))},
	})
}

// All violations are reported, in the order of the model's members.
func TestAssumeRoleInputValidateOrder(t *testing.T) {
	in := &AssumeRoleInput{
		RoleArn:           "short",
		RoleSessionName:   "bad name",
		PolicyArns:        []PolicyDescriptorType{{Arn: "x"}},
		Policy:            ptr(""),
		DurationSeconds:   ptr[int32](100),
		Tags:              []Tag{{Key: "k", Value: "bad,value"}},
		TransitiveTagKeys: []string{""},
		ExternalId:        ptr("e"),
		SerialNumber:      ptr("s"),
		TokenCode:         ptr("1"),
		SourceIdentity:    ptr("aws:x"),
	}
	want := vmsg(
		vMinLen("short", "roleArn", 20),
		vPattern("bad name", "roleSessionName", namePattern),
		vMinLen("x", "policyArns.1.member.arn", 20),
		vPattern("", "policy", policyPat),
		vMinLen("", "policy", 1),
		vMinVal(100, "durationSeconds", 900),
		vPattern("bad,value", "tags.1.member.value", tagValuePat),
		vPattern("", "transitiveTagKeys.1.member", tagKeyPat),
		vMinLen("", "transitiveTagKeys.1.member", 1),
		vMinLen("e", "externalId", 2),
		vMinLen("s", "serialNumber", 9),
		vMinLen("1", "tokenCode", 6),
		vPattern("aws:x", "sourceIdentity", namePattern),
	)
	if !strings.HasPrefix(want, "13 validation errors detected: ") {
		t.Fatalf("test miscounted: %s", want[:40])
	}
	var e *Error
	if err := in.Validate(); !errors.As(err, &e) || e.Code != "ValidationError" {
		t.Fatalf("got %v", err)
	}
	if diff := cmp.Diff(want, e.Message); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// Two members, as AWS reports them: "; " between violations.
	in = &AssumeRoleInput{RoleArn: testRoleARN, RoleSessionName: "a b", DurationSeconds: ptr[int32](100)}
	want = `2 validation errors detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*; Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`
	if err := in.Validate(); err == nil || err.(*Error).Message != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestGetSessionTokenInputValidate(t *testing.T) {
	const V = "ValidationError"
	gst := func(in GetSessionTokenInput) func() error { return in.Validate }
	runValidateCases(t, []validateCase{
		{"empty", refSessionTok, gst(GetSessionTokenInput{}), "", ""},
		{"limits", refSessionTok, gst(GetSessionTokenInput{DurationSeconds: ptr[int32](129600), SerialNumber: ptr("arn:aws:iam::123456789012:mfa/bob"), TokenCode: ptr("000000")}), "", ""},
		{"durationSeconds 900", refSessionTok, gst(GetSessionTokenInput{DurationSeconds: ptr[int32](900)}), "", ""},
		{"durationSeconds 899", refSessionTok, gst(GetSessionTokenInput{DurationSeconds: ptr[int32](899)}), V, vmsg(vMinVal(899, "durationSeconds", 900))},
		{"durationSeconds 129601", refSessionTok, gst(GetSessionTokenInput{DurationSeconds: ptr[int32](129601)}), V, vmsg(vMaxVal(129601, "durationSeconds", 129600))},
		{"serialNumber short", refSessionTok, gst(GetSessionTokenInput{SerialNumber: ptr("12345678")}), V, vmsg(vMinLen("12345678", "serialNumber", 9))},
		{"serialNumber pattern", refSessionTok, gst(GetSessionTokenInput{SerialNumber: ptr("arn:aws:iam::1:mfa/a b")}), V, vmsg(vPattern("arn:aws:iam::1:mfa/a b", "serialNumber", `[\w+=/:,.@-]*`))},
		{"serialNumber long", refSessionTok, gst(GetSessionTokenInput{SerialNumber: ptr(strings.Repeat("s", 257))}), V, vmsg(vMaxLen(strings.Repeat("s", 257), "serialNumber", 256))},
		{"tokenCode empty", refSessionTok, gst(GetSessionTokenInput{TokenCode: ptr("")}), V, vmsg(vMinLen("", "tokenCode", 6))},
		{"tokenCode pattern", refSessionTok, gst(GetSessionTokenInput{TokenCode: ptr("12 456")}), V, vmsg(vPattern("12 456", "tokenCode", `[\d]*`))},
		{"all three, in order", refSessionTok, gst(GetSessionTokenInput{DurationSeconds: ptr[int32](1), SerialNumber: ptr("s"), TokenCode: ptr("1")}), V,
			vmsg(vMinVal(1, "durationSeconds", 900), vMinLen("s", "serialNumber", 9), vMinLen("1", "tokenCode", 6))},
	})
}

func TestGetFederationTokenInputValidate(t *testing.T) {
	const V, IPV = "ValidationError", "InvalidParameterValue"
	gft := func(in GetFederationTokenInput) func() error { return in.Validate }
	runValidateCases(t, []validateCase{
		{"minimal", refFederation, gft(GetFederationTokenInput{Name: "bob"}), "", ""},
		{"limits", refFederation, gft(GetFederationTokenInput{Name: strings.Repeat("n", 32), Policy: ptr(strings.Repeat("p", 2048)), DurationSeconds: ptr[int32](129600)}), "", ""},
		{"name short", refFederation, gft(GetFederationTokenInput{Name: "b"}), V, vmsg(vMinLen("b", "name", 2))},
		{"name empty", refFederation, gft(GetFederationTokenInput{}), V, vmsg(vMinLen("", "name", 2))},
		{"name long", refFederation + refAWSAnswer, gft(GetFederationTokenInput{Name: "x.dwornikowski@xxxxxxx.xx-awsconsole"}), V,
			"1 validation error detected: Value 'x.dwornikowski@xxxxxxx.xx-awsconsole' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32"},
		{"name pattern", refFederation, gft(GetFederationTokenInput{Name: "bob smith"}), V, vmsg(vPattern("bob smith", "name", namePattern))},
		{"policy 2049", refFederation, gft(GetFederationTokenInput{Name: "bob", Policy: ptr(strings.Repeat("p", 2049))}), V, vmsg(vMaxLen(strings.Repeat("p", 2049), "policy", 2048))},
		{"policy empty", refFederation, gft(GetFederationTokenInput{Name: "bob", Policy: ptr("")}), V, vmsg(vPattern("", "policy", policyPat), vMinLen("", "policy", 1))},
		{"policyArns member", refFederation, gft(GetFederationTokenInput{Name: "bob", PolicyArns: []PolicyDescriptorType{{Arn: "short"}}}), V, vmsg(vMinLen("short", "policyArns.1.member.arn", 20))},
		{"durationSeconds 899", refFederation, gft(GetFederationTokenInput{Name: "bob", DurationSeconds: ptr[int32](899)}), V, vmsg(vMinVal(899, "durationSeconds", 900))},
		{"durationSeconds 129601", refFederation, gft(GetFederationTokenInput{Name: "bob", DurationSeconds: ptr[int32](129601)}), V, vmsg(vMaxVal(129601, "durationSeconds", 129600))},
		{"tag key pattern", refFederation, gft(GetFederationTokenInput{Name: "bob", Tags: []Tag{{Key: "a*", Value: "v"}}}), V, vmsg(vPattern("a*", "tags.1.member.key", tagKeyPat))},
		{"duplicate tag keys", refFederation + "; " + refSessionTags, gft(GetFederationTokenInput{Name: "bob", Tags: []Tag{{Key: "cc", Value: "1"}, {Key: "CC", Value: "2"}}}), IPV,
			"Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"members in order", refFederation, gft(GetFederationTokenInput{Name: "b", Policy: ptr("\x00"), DurationSeconds: ptr[int32](0)}), V,
			vmsg(vMinLen("b", "name", 2), vPattern("\x00", "policy", policyPat), vMinVal(0, "durationSeconds", 900))},
	})
}

func TestGetAccessKeyInfoInputValidate(t *testing.T) {
	const V = "ValidationError"
	gak := func(id string) func() error { return (&GetAccessKeyInfoInput{AccessKeyId: id}).Validate }
	runValidateCases(t, []validateCase{
		{"key ID", refAccessKey, gak("AKIAIOSFODNN7EXAMPLE"), "", ""},
		{"16 characters", refAccessKey, gak("AKIAIOSFODNN7EXA"), "", ""},
		{"128 characters", refAccessKey, gak(strings.Repeat("A", 128)), "", ""},
		{"empty", refAccessKey, gak(""), V, vmsg(vMinLen("", "accessKeyId", 16))},
		{"15 characters", refAccessKey, gak("AKIAIOSFODNN7EX"), V, vmsg(vMinLen("AKIAIOSFODNN7EX", "accessKeyId", 16))},
		{"129 characters", refAccessKey, gak(strings.Repeat("A", 129)), V, vmsg(vMaxLen(strings.Repeat("A", 129), "accessKeyId", 128))},
		{"hyphen", refAccessKey, gak("AKIA-IOSFODNN7EXAMPLE"), V, vmsg(vPattern("AKIA-IOSFODNN7EXAMPLE", "accessKeyId", `[\w]*`))},
		{"pattern then length", refAccessKey, gak("AKIA IOSF"), V, vmsg(vPattern("AKIA IOSF", "accessKeyId", `[\w]*`), vMinLen("AKIA IOSF", "accessKeyId", 16))},
	})
}

func TestDecodeAuthorizationMessageInputValidate(t *testing.T) {
	const V = "ValidationError"
	dam := func(m string) func() error { return (&DecodeAuthorizationMessageInput{EncodedMessage: m}).Validate }
	runValidateCases(t, []validateCase{
		{"one character", refDecode, dam("x"), "", ""},
		{"10240 characters of anything", refDecode, dam(strings.Repeat("é\x00", 5120)), "", ""},
		{"empty", refDecode, dam(""), V, vmsg(vMinLen("", "encodedMessage", 1))},
		{"10241 characters", refDecode, dam(strings.Repeat("m", 10241)), V, vmsg(vMaxLen(strings.Repeat("m", 10241), "encodedMessage", 10240))},
	})
}

// A nil input validates as the zero value instead of panicking.
func TestValidateNil(t *testing.T) {
	if err := (*AssumeRoleInput)(nil).Validate(); !errors.Is(err, ErrValidation) {
		t.Errorf("AssumeRole: %v", err)
	}
	if err := (*GetSessionTokenInput)(nil).Validate(); err != nil {
		t.Errorf("GetSessionToken: %v", err)
	}
	if err := (*GetFederationTokenInput)(nil).Validate(); !errors.Is(err, ErrValidation) {
		t.Errorf("GetFederationToken: %v", err)
	}
	if err := (*GetAccessKeyInfoInput)(nil).Validate(); !errors.Is(err, ErrValidation) {
		t.Errorf("GetAccessKeyInfo: %v", err)
	}
	if err := (*DecodeAuthorizationMessageInput)(nil).Validate(); !errors.Is(err, ErrValidation) {
		t.Errorf("DecodeAuthorizationMessage: %v", err)
	}
}
