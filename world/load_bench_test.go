package world

import (
	"fmt"
	"strings"
	"testing"
)

// benchWorld is a world of n roles, each with a trust policy and a
// permission policy of a few statements.
func benchWorld(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"roles": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"arn": "arn:aws:iam::111111111111:role/team-%06d",
 "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/ci"},
   "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "ext-%06d"}}}]},
 "policies": [{"Version": "2012-10-17", "Statement": [
   {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket-%06d/*"},
   {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:111111111111:table/t-%06d",
    "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}]}]}`, i, i, i, i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// BenchmarkLoadWorld measures loading worlds of 100 and 10,000 roles
// (issue 16: start time linear in the world's size) and the built-in one
// (serve and credential-process start in under 100 ms).
func BenchmarkLoadWorld(b *testing.B) {
	b.Run("default", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Load("x", defaultJSON); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, n := range []int{100, 10000} {
		data := benchWorld(n)
		b.Run(fmt.Sprintf("roles-%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Load("x", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
