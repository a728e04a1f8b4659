// Command cross-account shows the confused-deputy guard of AWS STS: a SaaS
// vendor assumes a role in its customer's account, and the role's trust
// policy demands the ExternalId the customer was given.
//
// Account 999999999999 is the vendor; its service runs as the role
// "vendor-service". Customer A (111111111111) created the role
// "vendor-access", trusting the vendor's account only with ExternalId
// "customer-a-7f3a". Customer B, a malicious one, tells the vendor that its
// role is Customer A's role ARN, hoping the vendor will read Customer A's
// data on its behalf: the vendor passes Customer B's ExternalId, and STS
// refuses.
//
// Run it with:
//
//	go run ./examples/cross-account
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cross-account:", err)
		os.Exit(1)
	}
}

// fixedRand is a deterministic randomness source so the output is the same
// on every run; real programs leave Options.Rand nil (crypto/rand).
type fixedRand struct{ n byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n = r.n*31 + 7
		p[i] = r.n
	}
	return len(p), nil
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	dir := sts.NewMemoryDirectory()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	// The vendor's service role, allowed to assume roles in any account.
	must(dir.PutRole(sts.Role{
		ARN: "arn:aws:iam::999999999999:role/vendor-service", UniqueID: "AROAVENDORSERVICE0001",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Sid":"AssumeCustomerRoles",
			"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/vendor-access"}]}`, policy.Identity)},
	}))
	// Customer A's role for the vendor: the trust policy names the vendor's
	// account and requires Customer A's ExternalId.
	must(dir.PutRole(sts.Role{
		ARN: "arn:aws:iam::111111111111:role/vendor-access", UniqueID: "AROACUSTOMERAACCESS01",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Sid":"VendorWithExternalId","Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole",
			"Condition":{"StringEquals":{"sts:ExternalId":"customer-a-7f3a"}}}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Sid":"ReadReports",
			"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::customer-a-reports/*"}]}`, policy.Identity)},
	}))

	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("k", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock, Rand: &fixedRand{}})
	if err != nil {
		return err
	}

	// The vendor's service already runs with a session of its role (an EC2
	// instance profile, say).
	vendor := &sts.Session{Kind: sts.AssumedRole, Account: "999999999999",
		ARN:       "arn:aws:sts::999999999999:assumed-role/vendor-service/i-0abc",
		UserID:    "AROAVENDORSERVICE0001:i-0abc",
		SourceARN: "arn:aws:iam::999999999999:role/vendor-service", SourceID: "AROAVENDORSERVICE0001",
		SessionName: "i-0abc", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}

	assume := func(title, externalID string) (*sts.Session, error) {
		fmt.Fprintf(w, "%s\n", title)
		in := &sts.AssumeRoleInput{RoleArn: "arn:aws:iam::111111111111:role/vendor-access", RoleSessionName: "report-sync"}
		if externalID != "" {
			in.ExternalId = &externalID
			fmt.Fprintf(w, "   AssumeRole with ExternalId %q\n", externalID)
		} else {
			fmt.Fprintf(w, "   AssumeRole without an ExternalId\n")
		}
		out, err := issuer.AssumeRole(ctx, vendor, in)
		if err != nil {
			var apiErr *sts.Error
			if errors.As(err, &apiErr) {
				fmt.Fprintf(w, "   refused: %s (HTTP %d): %s\n\n", apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
				return nil, nil
			}
			return nil, err
		}
		fmt.Fprintf(w, "   granted: %s until %s\n", out.AssumedRoleUser.Arn, out.Credentials.Expiration.Format(time.RFC3339))
		fmt.Fprintf(w, "   credentials: %s / %v\n", out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey)
		s, err := issuer.Authenticate(ctx, out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "   the session token opens statelessly as %s (%s)\n\n", s.ARN, s.UserID)
		return s, nil
	}

	session, err := assume("1. The vendor syncs Customer A's reports with Customer A's ExternalId", "customer-a-7f3a")
	if err != nil {
		return err
	}
	if _, err := assume("2. Confused deputy: Customer B makes the vendor use Customer B's ExternalId on Customer A's role", "customer-b-0001"); err != nil {
		return err
	}
	if _, err := assume("3. No ExternalId at all", ""); err != nil {
		return err
	}

	fmt.Fprintf(w, "4. What the vendor's session of Customer A's role may do\n")
	for _, q := range []struct{ action, resource string }{
		{"s3:GetObject", "arn:aws:s3:::customer-a-reports/2026-11.csv"},
		{"s3:DeleteObject", "arn:aws:s3:::customer-a-reports/2026-11.csv"},
	} {
		d, err := issuer.Authorize(ctx, session, sts.AuthorizeInput{Action: q.action, Resource: q.resource})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s on %s: %s (%s)\n", q.action, q.resource, d.Explanation.Decision, d.Explanation.Reason)
	}
	return nil
}
