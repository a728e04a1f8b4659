package policy

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/condition"
)

// TestSplitARN checks the one-pass ARN reader against the ARN format of
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html:
// arn:partition:service:region:account-id:resource, where the resource part
// may itself contain colons.
func TestSplitARN(t *testing.T) {
	type parts struct{ service, account, resource string }
	tests := []struct {
		in   string
		want parts
	}{
		{"arn:aws:s3:::bucket/key", parts{service: "s3", resource: "bucket/key"}},
		{"arn:aws:iam::111122223333:role/path/app", parts{service: "iam", account: "111122223333", resource: "role/path/app"}},
		{"arn:aws:logs:us-east-1:111122223333:log-group:/app:*", parts{service: "logs", account: "111122223333", resource: "log-group:/app:*"}},
		{"arn:aws:kms:us-east-1:111122223333:key/1234", parts{service: "kms", account: "111122223333", resource: "key/1234"}},
		{"arn:aws:s3::", parts{}},
		{"*", parts{}},
		{"", parts{}},
	}
	// Every split of the test ARNs and of random colon-rich strings agrees
	// with a byte-by-byte reference.
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		b := []byte("arn:")
		if rng.IntN(2) == 0 { // the commercial partition's shortcut
			b = append(b, "aws"[:rng.IntN(4)]...)
		}
		for range rng.IntN(40) {
			b = append(b, ":ab"[rng.IntN(3)])
		}
		in := string(b)
		var want parts
		if p := strings.SplitN(in, ":", 6); len(p) == 6 {
			want = parts{service: p[2], account: p[4], resource: p[5]}
		}
		tests = append(tests, struct {
			in   string
			want parts
		}{in, want})
	}
	for _, tc := range tests {
		var a arnParts
		a.split(tc.in)
		if got := (parts{service: a.service(), account: a.account(), resource: a.resource()}); got != tc.want {
			t.Errorf("split(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func BenchmarkSplitARN(b *testing.B) {
	for b.Loop() {
		var a arnParts
		a.split("arn:aws:s3:::corp-home/home/alice/notes.txt")
	}
}

// TestLowerAction checks the word-at-a-time lowering and service hashing
// against byte-by-byte references: action names are matched
// case-insensitively (reference_policies_elements_action.html), and a
// request's service bit must equal the bit its policy's service prefix got
// when compiled, whatever the case.
func TestLowerAction(t *testing.T) {
	actions := []string{
		"", "s3", "s3:", ":", ":GetObject", "s3:GetObject", "S3:GETOBJECT", "sts:GetCallerIdentity",
		"secretsmanager:GetSecretValue", "SecretsManager:x", "cognito-identity:GetId", "cognito-idp:SignUp",
		"ec2:Describe*", "AbCdEfGh:IjKl", "abcdefgh", "abcdefghi:j", "a@[`{:Z", "é:Ö", "\x80\xff:\x7f",
		strings.Repeat("Ab", 32), strings.Repeat("Ab", 33),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(70))
		for i := range b {
			b[i] = byte(rng.IntN(256))
			if rng.IntN(8) == 0 {
				b[i] = ':'
			}
		}
		actions = append(actions, string(b))
	}
	for _, a := range actions {
		var buf [64]byte
		var words [8]uint64
		got := lowerAction(&buf, &words, a)
		packed := &words
		if len(a) > len(buf) {
			packed = nil
		}
		bit := actionServiceBit(got, packed)
		want := a
		if len(a) <= len(buf) {
			lb := []byte(a)
			for i, c := range lb {
				if 'A' <= c && c <= 'Z' {
					lb[i] = c + 'a' - 'A'
				}
			}
			want = string(lb)
		}
		if got != want {
			t.Errorf("lowerAction(%q) = %q, want %q", a, got, want)
		}
		if len(a) <= len(buf) {
			// The words hold the lower-cased bytes, zero-padded.
			var padded [64]byte
			copy(padded[:], want)
			for i := 0; i < len(a); i += 8 {
				if w := binary.LittleEndian.Uint64(padded[i:]); words[i/8] != w {
					t.Errorf("lowerAction(%q) word %d = %#x, want %#x", a, i/8, words[i/8], w)
				}
			}
		}
		svc, _, _ := strings.Cut(a, ":")
		if w := serviceBit(svc); bit != w || serviceBit(a) != w || serviceBit(want) != w {
			t.Errorf("actionServiceBit(%q) = %x, serviceBit(%q) = %x", a, bit, svc, w)
		}
		if bits.OnesCount64(bit) != 1 {
			t.Errorf("actionServiceBit(%q) = %x is not one bit", a, bit)
		}
	}
}

// TestWordActions checks the packed action comparison against the compiled
// case-insensitive wildcard patterns on random actions and patterns: action
// names match case-insensitively, '*' matching any run of characters
// (reference_policies_elements_action.html).
func TestWordActions(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"s3", "S3", ":", "get", "Get", "Object", "object", "ec2", "describe", "Describe", "x", "é", ""}
	word := func() string {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	counts := map[bool]int{}
	for range 20000 {
		pat, act := word(), word()
		if rng.IntN(3) == 0 { // often a prefix of the action
			pat = act[:rng.IntN(len(act)+1)]
		}
		switch rng.IntN(3) {
		case 0:
			pat += "*"
		case 1:
			if rng.IntN(4) == 0 {
				pat = "*"
			}
		}
		wa, ok := newWordAction(pat)
		if !ok {
			continue
		}
		cp, err := condition.CompilePattern(pat, condition.PatternOptions{FoldCase: true, Wildcards: true})
		if err != nil {
			t.Fatal(err)
		}
		var buf [64]byte
		var words [8]uint64
		lowered := lowerAction(&buf, &words, act)
		if len(act) > len(buf) {
			continue
		}
		got, want := wa.match(&words, len(act)), cp.MatchLower(lowered, nil)
		if got != want {
			t.Fatalf("wordAction(%q).match(%q) = %v, pattern says %v", pat, act, got, want)
		}
		counts[got]++
	}
	if counts[true] < 1000 || counts[false] < 1000 {
		t.Fatalf("matches %d, mismatches %d: the inputs do not exercise both", counts[true], counts[false])
	}
}
