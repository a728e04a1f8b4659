package policy

import "testing"

// TestSplitARN checks the one-pass ARN reader against the ARN format of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html:
// arn:partition:service:region:account-id:resource, where the resource part
// may itself contain colons.
func TestSplitARN(t *testing.T) {
	tests := []struct {
		in   string
		want arnParts
	}{
		{"arn:aws:s3:::bucket/key", arnParts{service: "s3", resource: "bucket/key"}},
		{"arn:aws:iam::111122223333:role/path/app", arnParts{service: "iam", account: "111122223333", resource: "role/path/app"}},
		{"arn:aws:logs:us-east-1:111122223333:log-group:/app:*", arnParts{service: "logs", account: "111122223333", resource: "log-group:/app:*"}},
		{"arn:aws:kms:us-east-1:111122223333:key/1234", arnParts{service: "kms", account: "111122223333", resource: "key/1234"}},
		{"arn:aws:s3::", arnParts{}},
		{"*", arnParts{}},
		{"", arnParts{}},
	}
	for _, tc := range tests {
		if got := splitARN(tc.in); got != tc.want {
			t.Errorf("splitARN(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func BenchmarkSplitARN(b *testing.B) {
	for b.Loop() {
		splitARN("arn:aws:s3:::corp-home/home/alice/notes.txt")
	}
}
