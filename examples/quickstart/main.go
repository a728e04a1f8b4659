// Command quickstart walks through one realistic scenario with iamkit's policy
// engine and prints each decision with its reason.
//
// Account 111111111111 owns the role "app". Its trust policy lets a CI user
// of account 222222222222 assume it, but only with the agreed ExternalId (the
// confused-deputy guard). The role may read and write objects, yet its
// permissions boundary allows reads only. The data lives in bucket
// "shared-data" of account 333333333333, whose bucket policy grants the role
// read and write access and denies deletes to everyone.
//
// The second half plays the same scenario through STS: the CI user signs
// in with its access key, assumes the role with the ExternalId, and the
// temporary credentials it gets are authorized against the same policies.
//
// Run it with:
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/sts"
)

const (
	roleARN = "arn:aws:iam::111111111111:role/app"

	// The role's trust policy: the CI user may assume it with ExternalId.
	trustPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "CIAssumesWithExternalId",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::222222222222:user/ci"},
    "Action": "sts:AssumeRole",
    "Condition": {"StringEquals": {"sts:ExternalId": "ci-7f3a"}}
  }]
}`

	// The CI user's own permission to call AssumeRole on the role
	// (cross-account, so both sides must allow).
	ciPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AssumeApp",
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Resource": "arn:aws:iam::111111111111:role/app"
  }]
}`

	// The role's permission policy: read and write the shared bucket.
	rolePolicy = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "ReadWriteShared",
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
    "Resource": "arn:aws:s3:::shared-data/*"
  }]
}`

	// The role's permissions boundary: reads only.
	boundary = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "ReadOnlyCeiling",
    "Effect": "Allow",
    "Action": ["s3:Get*", "s3:List*"],
    "Resource": "*"
  }]
}`

	// The bucket policy of account 333333333333.
	bucketPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AppReadsAndWrites",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111111111111:role/app"},
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::shared-data/*"
    },
    {
      "Sid": "NobodyDeletes",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::shared-data/*"
    }
  ]
}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run prints the scenario's decisions to w.
func run(w io.Writer) error {
	parse := func(name, doc string, typ policy.Type) (*policy.Policy, error) {
		return policy.ParseWithOptions([]byte(doc), typ, policy.Options{Name: name})
	}
	trust, err := parse("app trust policy", trustPolicy, policy.Trust)
	if err != nil {
		return err
	}
	ci, err := parse("ci user policy", ciPolicy, policy.Identity)
	if err != nil {
		return err
	}
	perms, err := parse("app permission policy", rolePolicy, policy.Identity)
	if err != nil {
		return err
	}
	bound, err := parse("app boundary", boundary, policy.Boundary)
	if err != nil {
		return err
	}
	bucket, err := parse("shared-data bucket policy", bucketPolicy, policy.Resource)
	if err != nil {
		return err
	}

	// A fixed clock keeps the output reproducible; inject your own.
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	ciUser := principal.MustParse("arn:aws:iam::222222222222:user/ci")
	session := principal.MustParse("arn:aws:sts::111111111111:assumed-role/app/build-42")

	assume := func(externalID string) *policy.Request {
		ctx := condition.NewContext()
		ctx.SetCaller(condition.Caller{Principal: ciUser, Now: now})
		if externalID != "" {
			ctx.Set("sts:ExternalId", externalID)
		}
		return &policy.Request{Principal: ciUser, Action: "sts:AssumeRole", Resource: roleARN, Context: ctx}
	}
	s3 := func(action, key string) *policy.Request {
		ctx := condition.NewContext()
		ctx.SetCaller(condition.Caller{Principal: session, Now: now})
		return &policy.Request{Principal: session, Action: action, Resource: "arn:aws:s3:::shared-data/" + key,
			ResourceAccount: "333333333333", Context: ctx}
	}
	assumeSet := &policy.Set{Identity: []*policy.Policy{ci}, Resource: trust}
	s3Set := &policy.Set{Identity: []*policy.Policy{perms}, PermissionsBoundary: bound, Resource: bucket}

	steps := []struct {
		title string
		set   *policy.Set
		req   *policy.Request
	}{
		{"CI assumes app with the right ExternalId", assumeSet, assume("ci-7f3a")},
		{"CI assumes app with a wrong ExternalId", assumeSet, assume("guess")},
		{"CI assumes app without an ExternalId", assumeSet, assume("")},
		{"app session reads shared-data/report.csv", s3Set, s3("s3:GetObject", "report.csv")},
		{"app session writes shared-data/report.csv", s3Set, s3("s3:PutObject", "report.csv")},
		{"app session deletes shared-data/report.csv", s3Set, s3("s3:DeleteObject", "report.csv")},
	}
	for i, st := range steps {
		e := st.set.Explain(st.req)
		fmt.Fprintf(w, "%d. %s\n", i+1, st.title)
		fmt.Fprintf(w, "   %s %s on %s\n", st.req.Principal, st.req.Action, st.req.Resource)
		fmt.Fprintf(w, "   decision: %s\n", e.Decision)
		fmt.Fprintf(w, "   reason:   %s\n", e.Reason)
		for _, d := range e.Decisive {
			fmt.Fprintf(w, "   because:  %s\n", d)
		}
		if len(e.MissingContextValues) > 0 {
			fmt.Fprintf(w, "   missing context values: %v\n", e.MissingContextValues)
		}
		fmt.Fprintln(w)
	}
	return issueAndUse(w, now, trust, ci, perms, bound, bucket)
}

// issueAndUse plays the same scenario through STS: the CI user signs in with
// its long-term access key, assumes the role with the ExternalId and gets
// temporary credentials, and the session they open to is authorized
// against the same policies, now served by a Directory.
func issueAndUse(w io.Writer, now time.Time, trust, ci, perms, bound, bucket *policy.Policy) error {
	ctx := context.Background()
	dir := sts.NewMemoryDirectory()
	for _, err := range []error{
		dir.PutUser(sts.User{ARN: "arn:aws:iam::222222222222:user/ci", UniqueID: "AIDACIUSER0000000001",
			Policies:   []*policy.Policy{ci},
			AccessKeys: []sts.AccessKey{{ID: "AKIAQ3EGRHQKKIHC2LNU", Secret: sts.NewSecret("ci-secret-key-0000000000000000000000000")}}}),
		dir.PutRole(sts.Role{ARN: roleARN, UniqueID: "AROAAPPROLE000000001", TrustPolicy: trust,
			Policies: []*policy.Policy{perms}, PermissionsBoundaryARN: "arn:aws:iam::111111111111:policy/app-boundary"}),
		dir.PutManagedPolicy("arn:aws:iam::111111111111:policy/app-boundary", bound),
		dir.PutResourcePolicy("arn:aws:s3:::shared-data", bucket),
	} {
		if err != nil {
			return err
		}
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("quickstart-demo-key-material-32bytes!")})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: func() time.Time { return now }, Rand: &demoRand{}})
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "7. With STS: the CI user assumes app with its access key and the ExternalId")
	user, err := issuer.Authenticate(ctx, "AKIAQ3EGRHQKKIHC2LNU", sts.NewSecret("ci-secret-key-0000000000000000000000000"), "")
	if err != nil {
		return err
	}
	extID := "ci-7f3a"
	out, err := issuer.AssumeRole(ctx, user, &sts.AssumeRoleInput{RoleArn: roleARN, RoleSessionName: "build-42", ExternalId: &extID})
	if err != nil {
		return err
	}
	c := out.Credentials
	fmt.Fprintf(w, "   issued %s for %s, expires %s\n", c.AccessKeyID, out.AssumedRoleUser.Arn, c.Expiration.Format(time.RFC3339))
	fmt.Fprintf(w, "   secret %v, session token of %d characters\n", c.SecretAccessKey, len(c.SessionToken))

	session, err := issuer.Authenticate(ctx, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   the token opens, with no database, to %s (aws:userid %s)\n\n", session.ARN, session.UserID)

	fmt.Fprintln(w, "8. The session's requests, authorized like AWS would")
	for _, action := range []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"} {
		d, err := issuer.Authorize(ctx, session, sts.AuthorizeInput{Action: action,
			Resource: "arn:aws:s3:::shared-data/report.csv", ResourceAccount: "333333333333"})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %-16s %-13s %s\n", action, d.Explanation.Decision, d.Explanation.Reason)
	}
	return nil
}

// demoRand is a fixed randomness source so the demo prints the same output
// every time; real programs leave sts.Options.Rand nil (crypto/rand).
type demoRand struct{ n byte }

func (r *demoRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n = r.n*31 + 7
		p[i] = r.n
	}
	return len(p), nil
}
