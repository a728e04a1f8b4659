package lint

import (
	"os"
	"testing"

	"github.com/iamkit/iamkit/policy"
)

// BenchmarkCheck measures lint throughput on the typical 2.3 KB identity
// policy (policy/testdata/parse/typical.json) and a GitHub trust policy,
// the catalogue already loaded.
func BenchmarkCheck(b *testing.B) {
	typical, err := os.ReadFile("../policy/testdata/parse/typical.json")
	if err != nil {
		b.Fatal(err)
	}
	gh := []byte(trust(`{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:org/repo:ref:refs/heads/main"}}}`))
	if _, err := Check(typical, policy.Identity, Options{}); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		src  []byte
		typ  policy.Type
	}{{"identity-2331B", typical, policy.Identity}, {"trust-github", gh, policy.Trust}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(tc.src)))
			for b.Loop() {
				if _, err := Check(tc.src, tc.typ, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "policies/s")
		})
	}
}
