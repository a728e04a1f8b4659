package principal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseARN(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ARN
		wantErr string // substring of the error; "" means success
		doc     string
	}{
		{name: "iam user", in: "arn:aws:iam::123456789012:user/Bob",
			want: ARN{"aws", "iam", "", "123456789012", "user/Bob"}, doc: docIDs},
		{name: "user with path", in: "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
			want: ARN{"aws", "iam", "", "123456789012", "user/division_abc/subdivision_xyz/Bob"}, doc: docIDs},
		{name: "account root", in: "arn:aws:iam::123456789012:root",
			want: ARN{"aws", "iam", "", "123456789012", "root"}, doc: docIDs},
		{name: "assumed role", in: "arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary",
			want: ARN{"aws", "sts", "", "123456789012", "assumed-role/Accounting-Role/Mary"}, doc: docIDs},
		{name: "s3 bucket no region no account", in: "arn:aws:s3:::my_corporate_bucket/*",
			want: ARN{"aws", "s3", "", "", "my_corporate_bucket/*"}, doc: docARNs},
		{name: "sns topic", in: "arn:aws:sns:us-east-1:123456789012:example-sns-topic-name",
			want: ARN{"aws", "sns", "us-east-1", "123456789012", "example-sns-topic-name"}, doc: docARNs},
		{name: "vpc", in: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0e9801d129EXAMPLE",
			want: ARN{"aws", "ec2", "us-east-1", "123456789012", "vpc/vpc-0e9801d129EXAMPLE"}, doc: docARNs},
		{name: "resource with colons", in: "arn:aws:rds:eu-west-1:123456789012:db:mysql-db",
			want: ARN{"aws", "rds", "eu-west-1", "123456789012", "db:mysql-db"}, doc: docARNs},
		{name: "resource type:name:qualifier", in: "arn:aws:lambda:us-east-1:123456789012:function:f:1",
			want: ARN{"aws", "lambda", "us-east-1", "123456789012", "function:f:1"}, doc: docARNs},
		{name: "aws managed policy", in: "arn:aws:iam::aws:policy/ReadOnlyAccess",
			want: ARN{"aws", "iam", "", "aws", "policy/ReadOnlyAccess"}, doc: docManaged},
		{name: "china partition", in: "arn:aws-cn:iam::123456789012:role/R",
			want: ARN{"aws-cn", "iam", "", "123456789012", "role/R"}, doc: docARNs},
		{name: "govcloud partition", in: "arn:aws-us-gov:s3:::bucket",
			want: ARN{"aws-us-gov", "s3", "", "", "bucket"}, doc: docGovCloud},
		{name: "iso-b partition", in: "arn:aws-iso-b:iam::123456789012:root",
			want: ARN{"aws-iso-b", "iam", "", "123456789012", "root"}, doc: docARNs},

		{name: "empty", in: "", wantErr: "empty string", doc: docARNs},
		{name: "too few parts", in: "arn:aws:s3", wantErr: "want 6 colon-separated parts, got 3", doc: docARNs},
		{name: "not arn prefix", in: "urn:aws:iam::123456789012:root", wantErr: `must begin with "arn:"`, doc: docARNs},
		{name: "unknown partition", in: "arn:foo:iam::123456789012:root", wantErr: `unknown partition "foo"`, doc: docARNs},
		{name: "missing partition", in: "arn::iam::123456789012:root", wantErr: "missing partition", doc: docARNs},
		{name: "missing service", in: "arn:aws:::123456789012:root", wantErr: "missing service", doc: docARNs},
		{name: "uppercase service", in: "arn:aws:IAM::123456789012:root", wantErr: `service "IAM"`, doc: docARNs},
		{name: "bad region", in: "arn:aws:sns:US East:123456789012:t", wantErr: `region "US East"`, doc: docARNs},
		{name: "short account", in: "arn:aws:iam::12345:root", wantErr: "account ID must be 12 digits", doc: docARNs},
		{name: "account with hyphens", in: "arn:aws:iam::1234-5678-9012:root", wantErr: "account ID must be 12 digits", doc: docARNs},
		{name: "missing resource", in: "arn:aws:iam::123456789012:", wantErr: "missing resource", doc: docARNs},
		{name: "control character", in: "arn:aws:iam::123456789012:user/Bo\nb", wantErr: "control character", doc: docARNs},
		{name: "invalid utf8", in: "arn:aws:s3:::b\xff", wantErr: "invalid UTF-8", doc: docARNs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseARN(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseARN(%q) = %+v, want error containing %q (%s)", tt.in, got, tt.wantErr, tt.doc)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseARN(%q) error = %q, want it to contain %q (%s)", tt.in, err, tt.wantErr, tt.doc)
				}
				if !errors.Is(err, ErrInvalidARN) {
					t.Errorf("errors.Is(%v, ErrInvalidARN) = false", err)
				}
				var ae *ARNError
				if !errors.As(err, &ae) || ae.Input != tt.in {
					t.Errorf("errors.As(*ARNError) failed or Input wrong: %#v", ae)
				}
				if got != (ARN{}) {
					t.Errorf("ParseARN(%q) returned non-zero ARN %+v with an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseARN(%q) error: %v (%s)", tt.in, err, tt.doc)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseARN(%q) mismatch (-want +got) (%s):\n%s", tt.in, tt.doc, diff)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("String() = %q, want %q", s, tt.in)
			}
		})
	}
}

func TestARNErrorMessage(t *testing.T) {
	// Error text format is iamkit's own; the rule (6 parts) is from reference-arns.html.
	_, err := ParseARN("arn:aws:s3")
	want := `principal: invalid ARN "arn:aws:s3": want 6 colon-separated parts, got 3`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestARNZeroAndText(t *testing.T) {
	var zero ARN
	if !zero.IsZero() || zero.String() != "" {
		t.Errorf("zero ARN: IsZero=%v String=%q", zero.IsZero(), zero.String())
	}
	if MustParseARN("arn:aws:iam::123456789012:root").IsZero() {
		t.Error("parsed ARN reports IsZero")
	}

	type doc struct {
		A ARN `json:"a"`
		B ARN `json:"b"`
	}
	in := doc{A: MustParseARN("arn:aws:iam::123456789012:role/a/b/R")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":"arn:aws:iam::123456789012:role/a/b/R","b":""}`; string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`{"a":"arn:aws:s3"}`), &out); !errors.Is(err, ErrInvalidARN) {
		t.Errorf("unmarshal bad ARN: err = %v, want ErrInvalidARN", err)
	}
}

func TestMustParseARNPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseARN did not panic")
		}
	}()
	MustParseARN("nope")
}

func TestKnownPartition(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		doc  string
	}{
		{"aws", true, docARNs},
		{"aws-cn", true, docARNs},
		{"aws-us-gov", true, docGovCloud},
		{"aws-iso", true, docARNs},
		{"aws-iso-b", true, docARNs},
		{"aws-iso-e", true, docARNs},
		{"aws-iso-f", true, docARNs},
		{"aws-iso-", false, docARNs},
		{"AWS", false, docARNs},
		{"azure", false, docARNs},
		{"", false, docARNs},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := KnownPartition(tt.in); got != tt.want {
				t.Errorf("KnownPartition(%q) = %v, want %v (%s)", tt.in, got, tt.want, tt.doc)
			}
		})
	}
}

func TestIsAccountID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		doc  string
	}{
		{"123456789012", true, docARNs},
		{"000000000000", true, docARNs},
		{"12345678901", false, docARNs},
		{"1234567890123", false, docARNs},
		{"1234-5678-9012", false, docARNs}, // "without the hyphens"
		{"12345678901a", false, docARNs},
		{"１２３４５６７８９０１２", false, docARNs}, // full-width digits are not ASCII
		{"", false, docARNs},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := IsAccountID(tt.in); got != tt.want {
				t.Errorf("IsAccountID(%q) = %v, want %v (%s)", tt.in, got, tt.want, tt.doc)
			}
		})
	}
}
