// Command ci-pipeline-cross-account shows AWS's pattern for a CI/CD
// pipeline that deploys from a build account into a production account of
// the same organization: the pipeline runs as a role in the build account
// and assumes a deployment role in production, whose trust policy names the
// pipeline's role. No access key of either account is stored in the
// pipeline, and no ExternalId is involved: that guards against a confused
// deputy working for several customers, which a pipeline of your own
// organization is not.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
//
// The organization o-a1b2c3d4e5 has the build account 222222222222 and the
// production account 333333333333. CodeBuild runs the project "web-app" as
// the build account's role "pipeline" (trusting codebuild.amazonaws.com for
// that project only: aws:SourceAccount and aws:SourceArn, confused-deputy.html).
// The production role "deploy" trusts arn:aws:iam::222222222222:role/pipeline
// and may update the CloudFormation stack "web-app"; its MaxSessionDuration
// is four hours. An SCP on the production account denies every regional
// action outside us-east-1.
//
// The transcript shows the chained AssumeRole (the one-hour cap of role
// chaining applies, whatever the role's MaxSessionDuration), a deploy in
// us-east-1 allowed and one in eu-west-1 refused by the SCP, another build
// role refused by the deploy role's trust policy, and what "iamkit lint"
// says about both trust policies.
//
// Run it with:
//
//	go run ./examples/ci-pipeline-cross-account
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/lint"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ci-pipeline-cross-account:", err)
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

const (
	orgID         = "o-a1b2c3d4e5"
	build         = "222222222222"
	prod          = "333333333333"
	region        = "us-east-1"
	pipelineARN   = "arn:aws:iam::" + build + ":role/pipeline"
	testRunnerARN = "arn:aws:iam::" + build + ":role/test-runner"
	deployARN     = "arn:aws:iam::" + prod + ":role/deploy"
	codebuild     = "codebuild.amazonaws.com"
	projectARN    = "arn:aws:codebuild:" + region + ":" + build + ":project/web-app"
	testsARN      = "arn:aws:codebuild:" + region + ":" + build + ":project/web-app-tests"
)

// codebuildTrust is a service role's trust policy for one CodeBuild
// project: the service principal, pinned to the project by aws:SourceArn
// and aws:SourceAccount (confused-deputy.html).
func codebuildTrust(project string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole",
  "Condition":{"StringEquals":{"aws:SourceAccount":"` + build + `"},"ArnLike":{"aws:SourceArn":"` + project + `"}}}]}`
}

// deployTrust is the production role's trust policy: one principal, the
// pipeline's role, and no ExternalId
// (id_roles_common-scenarios_aws-accounts.html).
const deployTrust = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "BuildAccountPipeline",
      "Effect": "Allow",
      "Principal": {"AWS": "` + pipelineARN + `"},
      "Action": "sts:AssumeRole"
    }
  ]
}`

// regionSCP is an abridged form of AWS's example SCP "Deny access to AWS
// based on the requested AWS Region": it denies every action but those of
// global services outside us-east-1 (the example's NotAction lists more
// global services).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html#example-scp-deny-region
const regionSCP = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyAllOutsideUSEast1",
      "Effect": "Deny",
      "NotAction": ["cloudfront:*", "iam:*", "organizations:*", "route53:*", "sts:*", "support:*"],
      "Resource": "*",
      "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}
    }
  ]
}`

// fullAWSAccess is the SCP AWS attaches to every root, OU and account.
const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func parse(name, doc string, typ policy.Type) *policy.Policy {
	p, err := policy.ParseWithOptions([]byte(doc), typ, policy.Options{Name: name})
	if err != nil {
		panic(err)
	}
	return p
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 14, 0, 0, 0, time.UTC)

	dir := sts.NewMemoryDirectory()
	full := parse("FullAWSAccess", fullAWSAccess, policy.SCP)
	for _, a := range []sts.Account{
		{ID: build, OrgID: orgID, OrgPath: orgID + "/r-ab12/ou-ab12-build0001/",
			SCPs: [][]*policy.Policy{{full}, {full}, {full}}},
		{ID: prod, OrgID: orgID, OrgPath: orgID + "/r-ab12/ou-ab12-prod0001/",
			SCPs: [][]*policy.Policy{{full}, {full}, {full, parse("DenyAllOutsideUSEast1", regionSCP, policy.SCP)}}},
	} {
		if err := dir.PutAccount(a); err != nil {
			return err
		}
	}
	// Both build roles may assume roles in production: what stops
	// test-runner is the deploy role's trust policy, not its own policy.
	assumeProd := parse("assume-prod-roles", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":"sts:AssumeRole","Resource":"arn:aws:iam::`+prod+`:role/*"}]}`, policy.Identity)
	for _, r := range []sts.Role{
		{ARN: pipelineARN, TrustPolicy: policy.MustParse(codebuildTrust(projectARN), policy.Trust), Policies: []*policy.Policy{assumeProd}},
		{ARN: testRunnerARN, TrustPolicy: policy.MustParse(codebuildTrust(testsARN), policy.Trust), Policies: []*policy.Policy{assumeProd}},
		{ARN: deployARN, TrustPolicy: policy.MustParse(deployTrust, policy.Trust), MaxSessionDuration: 4 * time.Hour,
			Policies: []*policy.Policy{parse("deploy-web-app", `{"Version":"2012-10-17","Statement":[{"Sid":"UpdateWebAppStack",
				"Effect":"Allow","Action":["cloudformation:DescribeStacks","cloudformation:UpdateStack"],
				"Resource":"arn:aws:cloudformation:*:`+prod+`:stack/web-app/*"}]}`, policy.Identity)}},
	} {
		if err := dir.PutRole(r); err != nil {
			return err
		}
	}
	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("c", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: ring, Now: func() time.Time { return now }, Rand: &fixedRand{}, Region: region})
	if err != nil {
		return err
	}

	refused := func(err error) error {
		var apiErr *sts.Error
		if !errors.As(err, &apiErr) {
			return err
		}
		fmt.Fprintf(w, "   refused: %s (HTTP %d): %s\n", apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
		return nil
	}
	open := func(out *sts.AssumeRoleOutput) (*sts.Session, error) {
		return issuer.Authenticate(ctx, out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	}
	// codeBuild plays CodeBuild starting a build of project as role: it
	// assumes the project's service role, with the project as aws:SourceArn.
	codeBuild := func(role, project, session string) (*sts.Session, error) {
		out, err := issuer.AssumeRoleForServiceWith(ctx, sts.ServiceRequest{Service: codebuild,
			Input:     &sts.AssumeRoleInput{RoleArn: role, RoleSessionName: session},
			SourceArn: project, SourceAccount: build})
		if err != nil {
			return nil, err
		}
		return open(out)
	}
	seconds := func(n int32) *int32 { return &n }

	fmt.Fprintf(w, "1. CodeBuild starts a build of %s as the build account's role\n", projectARN)
	pipeline, err := codeBuild(pipelineARN, projectARN, "web-app-build-42")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   session %s, expires %s\n", pipeline.ARN, pipeline.ExpiresAt.Format(time.RFC3339))
	fmt.Fprintf(w, "   the build holds no access key of either account\n\n")

	fmt.Fprintf(w, "2. The pipeline assumes %s (no ExternalId: the role trusts the pipeline's role by ARN)\n", deployARN)
	var deploy *sts.Session
	for _, d := range []*int32{nil, seconds(7200)} {
		in := &sts.AssumeRoleInput{RoleArn: deployARN, RoleSessionName: "web-app-build-42", DurationSeconds: d}
		if d == nil {
			fmt.Fprintf(w, "   AssumeRole without DurationSeconds (default 3600):\n")
		} else {
			fmt.Fprintf(w, "   AssumeRole with DurationSeconds %d (the role's MaxSessionDuration is %v):\n", *d, 4*time.Hour)
		}
		out, err := issuer.AssumeRole(ctx, pipeline, in)
		if err != nil {
			if err := refused(err); err != nil {
				return err
			}
			continue
		}
		if deploy, err = open(out); err != nil {
			return err
		}
		fmt.Fprintf(w, "   granted: %s until %s (role chaining: %v)\n", out.AssumedRoleUser.Arn,
			out.Credentials.Expiration.Format(time.RFC3339), deploy.Chained)
	}
	if deploy == nil {
		return errors.New("the pipeline could not assume the deploy role")
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "3. The deployment, under the production account's SCP %q\n", "DenyAllOutsideUSEast1")
	for _, q := range []struct{ action, resource, region string }{
		{"cloudformation:UpdateStack", "arn:aws:cloudformation:us-east-1:" + prod + ":stack/web-app/1a2b3c4d", "us-east-1"},
		{"cloudformation:UpdateStack", "arn:aws:cloudformation:eu-west-1:" + prod + ":stack/web-app/5e6f7a8b", "eu-west-1"},
		{"cloudformation:DeleteStack", "arn:aws:cloudformation:us-east-1:" + prod + ":stack/web-app/1a2b3c4d", "us-east-1"},
	} {
		rc := condition.NewContext()
		rc.Set("aws:RequestedRegion", q.region)
		d, err := issuer.Authorize(ctx, deploy, sts.AuthorizeInput{Action: q.action, Resource: q.resource, Context: rc})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s in %s on %s: %s (%s)\n", q.action, q.region, q.resource, d.Explanation.Decision, d.Explanation.Reason)
		for _, m := range d.Explanation.Decisive {
			if m.Effect == policy.Deny {
				fmt.Fprintf(w, "      decided by %s\n", m)
			}
		}
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "4. Another build role of the same account, %s, tries the deploy role\n", testRunnerARN)
	tests, err := codeBuild(testRunnerARN, testsARN, "web-app-tests-7")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   session %s (its own policy allows sts:AssumeRole on arn:aws:iam::%s:role/*)\n", tests.ARN, prod)
	if _, err := issuer.AssumeRole(ctx, tests, &sts.AssumeRoleInput{RoleArn: deployARN, RoleSessionName: "web-app-tests-7"}); err == nil {
		return errors.New("test-runner assumed the deploy role")
	} else if err := refused(err); err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "5. iamkit lint on the trust policies\n")
	for _, c := range []struct {
		what, doc string
		opt       lint.Options
	}{
		{"deploy, the build account trusted as the organization's", deployTrust, lint.Options{Account: prod, TrustedAccounts: []string{build}}},
		{"deploy, were 222222222222 a third party", deployTrust, lint.Options{Account: prod}},
		{"pipeline (codebuild.amazonaws.com with aws:SourceAccount and aws:SourceArn)", codebuildTrust(projectARN), lint.Options{Account: build}},
		{"pipeline without its conditions", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
  "Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, lint.Options{Account: build}},
	} {
		findings, err := lint.Check([]byte(c.doc), policy.Trust, c.opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s: %d finding(s)\n", c.what, len(findings))
		for _, f := range findings {
			fmt.Fprintf(w, "      %s %s: %s\n", f.Type, f.Code, f.Message)
		}
	}
	return nil
}
