// Command ecs-task-role shows how an application in an Amazon ECS task gets
// AWS credentials: from the task role named in its task definition, which
// ECS assumes for the task and serves at the container credentials
// endpoint. The application holds no access key; the unmodified AWS SDK's
// container credential provider fetches the role's temporary credentials
// from the endpoint and refreshes them itself.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html
//
// Account 111111111111 runs two services on the cluster "prod", each from
// its own task definition with its own task role: "orders" (role
// "orders-task", reading the bucket "orders-data") and "billing" (role
// "billing-task", reading "billing-data"). Both roles trust the service
// principal ecs-tasks.amazonaws.com for tasks of this account only
// (aws:SourceArn and aws:SourceAccount, the confused-deputy guard the ECS
// guide recommends). For each task the program serves a
// container credentials endpoint (credentials.NewContainerHandler) whose
// provider assumes the task role as ECS does, the session named after the
// task ID, and gives it an authorization token. Each "application" then
// uses aws-sdk-go-v2's endpointcreds provider with its token and calls
// STS GetCallerIdentity over HTTP against an in-process STS endpoint
// (package stsapi). The endpoint refuses requests without the token or
// with another task's token, and each task's role reads its own bucket
// only: a container can retrieve credentials only for the role of its own
// task definition ("credential isolation", task-iam-roles.html). A task
// of another account that names one of these roles gets nothing.
//
// The task role is not the task execution role. A task definition may
// name both: the task execution role (executionRoleArn, commonly
// ecsTaskExecutionRole with the managed policy
// AmazonECSTaskExecutionRolePolicy) is what the ECS container agent and
// Fargate use to pull the container image from Amazon ECR, send the
// container's logs to CloudWatch Logs and fetch referenced secrets; its
// credentials are not accessible to the containers in the task. The task
// role (taskRoleArn), shown here, is what the application's own code
// calls AWS with.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
//
// Run it with:
//
//	go run ./examples/ecs-task-role
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ecs-task-role:", err)
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
	account = "111111111111"
	region  = "us-east-1"
)

// taskRoleTrust is a task role's trust policy as task-iam-roles.html
// gives it: the ECS tasks service principal may assume it, only for tasks
// of this account (aws:SourceArn, aws:SourceAccount), which guards against
// the confused deputy (confused-deputy.html).
const taskRoleTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
	"Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
	"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:` + region + `:` + account + `:*"},
		"StringEquals":{"aws:SourceAccount":"` + account + `"}}}]}`

// task is one running task: its task definition, its role, the bucket the
// role may read, and its container credentials endpoint.
type task struct {
	definition string // family:revision
	arn        string // arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID
	roleARN    string
	bucket     string
	// token is the endpoint's authorization token, given to the task's
	// containers only (in AWS_CONTAINER_AUTHORIZATION_TOKEN).
	token string
	// credentialID is the last element of the endpoint's path, as ECS puts
	// a per-task credential ID in AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
	credentialID string
	endpoint     *httptest.Server
}

// family is the task definition's family, without the revision.
func (t *task) family() string {
	f, _, _ := strings.Cut(t.definition, ":")
	return f
}

// path is the endpoint's path for the task.
func (t *task) path() string { return "/v2/credentials/" + t.credentialID }

// refusal formats an error as the SDK reports it: the API error's code and
// message, and the HTTP status of the response.
func refusal(err error) (string, bool) {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return "", false
	}
	// endpointcreds' errors and the SDK's awshttp.ResponseError both tell
	// the status.
	status := ""
	var hs interface{ HTTPStatusCode() int }
	if errors.As(err, &hs) {
		status = fmt.Sprintf(" (HTTP %d)", hs.HTTPStatusCode())
	}
	return fmt.Sprintf("%s%s: %s", apiErr.ErrorCode(), status, apiErr.ErrorMessage()), true
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	tasks := []*task{
		{definition: "orders:3", arn: "arn:aws:ecs:" + region + ":" + account + ":task/prod/0a1b2c3d4e5f60718293a4b5c6d7e8f9",
			roleARN: "arn:aws:iam::" + account + ":role/orders-task", bucket: "orders-data",
			token: "Bearer orders-5c1e9a7d", credentialID: "6e0f1d2c-3b4a-4958-8776-a5b4c3d2e1f0"},
		{definition: "billing:7", arn: "arn:aws:ecs:" + region + ":" + account + ":task/prod/9f8e7d6c5b4a39281706f5e4d3c2b1a0",
			roleARN: "arn:aws:iam::" + account + ":role/billing-task", bucket: "billing-data",
			token: "Bearer billing-0b8f2e64", credentialID: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
	}
	// A third task definition names as its task role a role that trusts
	// only EC2, as an instance role does.
	misconfigured := &task{definition: "reports:1", arn: "arn:aws:ecs:" + region + ":" + account + ":task/prod/5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a",
		roleARN: "arn:aws:iam::" + account + ":role/web-server", token: "Bearer reports-77aa31c0",
		credentialID: "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"}
	// A task of another account whose task definition names the orders
	// role: ECS would be acting for account 222222222222.
	deputy := &task{definition: "scraper:1", arn: "arn:aws:ecs:" + region + ":222222222222:task/other/77e6d5c4b3a291807f6e5d4c3b2a1908",
		roleARN: "arn:aws:iam::" + account + ":role/orders-task", token: "Bearer scraper-3e91c2aa",
		credentialID: "5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"}

	dir := sts.NewMemoryDirectory()
	for _, t := range tasks {
		if err := dir.PutRole(sts.Role{ARN: t.roleARN, TrustPolicy: policy.MustParse(taskRoleTrust, policy.Trust),
			Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Sid":"ReadOwnBucket",
				"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`+t.bucket+`/*"}]}`, policy.Identity)},
		}); err != nil {
			return err
		}
	}
	if err := dir.PutRole(sts.Role{ARN: misconfigured.roleARN,
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust)}); err != nil {
		return err
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("e", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock, Rand: &fixedRand{}, Region: region})
	if err != nil {
		return err
	}
	// The STS endpoint, over HTTP. The SDK signs with the wall clock (it
	// has no clock to inject), so the handler checks the signature's date
	// against the wall clock (Options.Now left nil), while the issuer's
	// clock above decides whether a session has expired.
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: issuer})
	if err != nil {
		return err
	}
	stsSrv := httptest.NewServer(h)
	defer stsSrv.Close()

	// One container credentials endpoint per task, as the ECS agent serves
	// each task's role. Its provider assumes the task role as
	// ecs-tasks.amazonaws.com, the session named after the task ID, for
	// one hour (iamkit's default; ECS picks the duration of its sessions
	// and rotates them itself), and the aws.CredentialsCache reuses a
	// session until it nears expiry.
	// (The cache judges expiry by the wall clock, which the SDK does not
	// let a program replace; against this example's fixed clock, which
	// lies in the past, it therefore asks for a new session on every
	// request.)
	for _, t := range append(tasks, misconfigured, deputy) {
		session, err := sts.ServiceSessionName(sts.ECSTasksServicePrincipal, t.arn)
		if err != nil {
			return err
		}
		// ECS names the task and its account in the request.
		taskAccount := strings.Split(t.arn, ":")[4]
		provider := aws.NewCredentialsCache(credentials.NewServiceRoleProvider(issuer, sts.ECSTasksServicePrincipal, t.roleARN, session, 0).
			WithSource(t.arn, taskAccount))
		ch, err := credentials.NewContainerHandler(credentials.ContainerOptions{Provider: provider, AuthorizationToken: t.token})
		if err != nil {
			return err
		}
		t.endpoint = httptest.NewServer(ch)
		defer t.endpoint.Close()
	}

	// fetch is the SDK's container credential provider, as the
	// application's default credential chain builds it from
	// AWS_CONTAINER_CREDENTIALS_FULL_URI and
	// AWS_CONTAINER_AUTHORIZATION_TOKEN. On ECS itself the agent sets
	// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI instead, a path on
	// 169.254.170.2; the full URI with a token is what the SDK accepts for
	// any loopback endpoint, such as this one.
	provider := func(endpoint *task, token string) *endpointcreds.Provider {
		return endpointcreds.New(endpoint.endpoint.URL+endpoint.path(), func(o *endpointcreds.Options) {
			o.AuthorizationToken = token
		})
	}
	sessions := map[*task]*sts.Session{}

	for i, t := range tasks {
		fmt.Fprintf(w, "%d. Task %s of task definition %s\n", i+1, t.arn, t.definition)
		fmt.Fprintf(w, "   task role %s, trusting ecs-tasks.amazonaws.com for tasks of account %s\n", t.roleARN, account)
		fmt.Fprintf(w, "   on ECS the agent sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=%s (on 169.254.170.2);\n", t.path())
		fmt.Fprintf(w, "   here the container gets AWS_CONTAINER_CREDENTIALS_FULL_URI=<loopback endpoint>%s\n", t.path())
		fmt.Fprintf(w, "   and AWS_CONTAINER_AUTHORIZATION_TOKEN=%v\n", sts.NewSecret(t.token))
		p := provider(t, t.token)
		c, err := p.Retrieve(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   endpointcreds: %s / %v, expires %s\n", c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.Expires.UTC().Format(time.RFC3339))
		client := awssts.New(awssts.Options{Region: region, BaseEndpoint: aws.String(stsSrv.URL), Credentials: p})
		out, err := client.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   GetCallerIdentity: Arn %s\n", aws.ToString(out.Arn))
		fmt.Fprintf(w, "                      UserId %s\n", aws.ToString(out.UserId))
		s, err := issuer.Authenticate(ctx, c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.SessionToken)
		if err != nil {
			return err
		}
		sessions[t] = s
		fmt.Fprintln(w)
	}

	orders, billing := tasks[0], tasks[1]
	fmt.Fprintf(w, "3. Requests the orders task's endpoint refuses\n")
	for _, q := range []struct{ what, token string }{
		{"without an Authorization header", ""},
		{"with the billing task's token", billing.token},
	} {
		fmt.Fprintf(w, "   %s: ", q.what)
		c, err := provider(orders, q.token).Retrieve(ctx)
		if err == nil {
			return fmt.Errorf("the endpoint served %s %s", c.AccessKeyID, q.what)
		}
		msg, ok := refusal(err)
		if !ok {
			return err
		}
		fmt.Fprintf(w, "%s\n", msg)
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "4. Each task's role reads its own bucket only\n")
	for _, t := range tasks {
		for _, bucket := range []string{orders.bucket, billing.bucket} {
			object := "arn:aws:s3:::" + bucket + "/2026/11/30.json"
			d, err := issuer.Authorize(ctx, sessions[t], sts.AuthorizeInput{Action: "s3:GetObject", Resource: object})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "   %s task: s3:GetObject on %s: %s (%s)\n", t.family(), object, d.Explanation.Decision, d.Explanation.Reason)
		}
	}
	fmt.Fprintln(w)

	// A task role whose trust policy does not name ecs-tasks.amazonaws.com
	// yields no credentials: the endpoint passes on STS's refusal. (ECS
	// itself checks the role when it starts the task and reports that it
	// was unable to assume the role provided for the task.)
	fmt.Fprintf(w, "5. Task definition %s names a task role that does not trust ECS tasks\n", misconfigured.definition)
	fmt.Fprintf(w, "   task role %s (trusting only ec2.amazonaws.com)\n", misconfigured.roleARN)
	if c, err := provider(misconfigured, misconfigured.token).Retrieve(ctx); err == nil {
		return fmt.Errorf("the endpoint served %s for a role that does not trust ECS tasks", c.AccessKeyID)
	} else if msg, ok := refusal(err); ok {
		fmt.Fprintf(w, "   the endpoint answers %s\n", msg)
	} else {
		return err
	}
	fmt.Fprintln(w)

	// The trust policy's aws:SourceAccount and aws:SourceArn conditions
	// refuse ECS acting for a task of another account.
	fmt.Fprintf(w, "6. Task %s of another account names the orders task role\n", deputy.arn)
	fmt.Fprintf(w, "   ECS sends aws:SourceArn %s, aws:SourceAccount 222222222222\n", deputy.arn)
	if c, err := provider(deputy, deputy.token).Retrieve(ctx); err == nil {
		return fmt.Errorf("the endpoint served %s for a task of another account", c.AccessKeyID)
	} else if msg, ok := refusal(err); ok {
		fmt.Fprintf(w, "   the endpoint answers %s\n", msg)
	} else {
		return err
	}
	return nil
}
