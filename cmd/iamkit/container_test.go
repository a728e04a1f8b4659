package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/internal/clitest"
)

const exampleTaskARN = "arn:aws:iam::111111111111:role/example-task"

var containerLine = regexp.MustCompile(`container credentials endpoint (http://\S+/) `)

// startContainer runs serve with the container credentials endpoint and
// returns the STS URL and the endpoint's URL.
func startContainer(t *testing.T, extra ...string) (stsURL, credsURL string) {
	t.Helper()
	addr, code, stderr := startServe(t, append([]string{"--addr", "127.0.0.1:0", "--container", "127.0.0.1:0", "--role", exampleTaskARN}, extra...)...)
	if addr == "" {
		t.Fatalf("serve exited %d: %s", code, stderr)
	}
	m := containerLine.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no container endpoint in %q", stderr)
	}
	return "http://" + addr, m[1]
}

// TestServeContainerSDK: the Go SDK's container provider (endpointcreds)
// gets the task role's credentials from --container, and serve's STS
// accepts them: the session is the task role's, named after the task ID
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
func TestServeContainerSDK(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("container-auth-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stsURL, credsURL := startContainer(t, "--auth-token-file", tokenFile, "--task-id", "4d9f1b2e3c4a5b6c7d8e9f0a1b2c3d4e")
	prov := endpointcreds.New(credsURL, func(o *endpointcreds.Options) { o.AuthorizationToken = "container-auth-token" })
	c := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(stsURL), Credentials: aws.NewCredentialsCache(prov)})
	id, err := c.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(id.Arn); got != "arn:aws:sts::111111111111:assumed-role/example-task/4d9f1b2e3c4a5b6c7d8e9f0a1b2c3d4e" {
		t.Errorf("caller %s", got)
	}
	bad := endpointcreds.New(credsURL, func(o *endpointcreds.Options) { o.AuthorizationToken = "wrong" })
	if _, err := bad.Retrieve(context.Background()); err == nil {
		t.Error("a wrong authorization token got credentials")
	}
}

func TestServeContainerErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--container", "127.0.0.1:0"}, "--container needs --role ARN"},
		{[]string{"--container", "0.0.0.0:0", "--role", exampleTaskARN}, "loopback only"},
		{[]string{"--container", "127.0.0.1:0", "--role", "arn:aws:iam::111111111111:role/deploy"}, "ecs-tasks.amazonaws.com is not authorized to perform: sts:AssumeRole"},
		{[]string{"--container", "127.0.0.1:0", "--role", exampleTaskARN, "--auth-token", "a", "--auth-token-file", "b"}, "give one"},
	} {
		addr, _, stderr := startServe(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...)...)
		if addr != "" || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: served at %q, stderr %q; want a refusal with %q", tc.args, addr, stderr, tc.want)
		}
	}
}

// TestServeContainerClients: the AWS CLI and boto3 find the task role's
// credentials through AWS_CONTAINER_CREDENTIALS_FULL_URI and
// AWS_CONTAINER_AUTHORIZATION_TOKEN, as in an ECS task
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html).
func TestServeContainerClients(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	pys, pynotes := clitest.Boto3s()
	clitest.Require(t, len(pys), "python3 with boto3", clitest.InstallBoto3, pynotes)
	stsURL, credsURL := startContainer(t, "--auth-token", "cli-token")
	want := "arn:aws:sts::111111111111:assumed-role/example-task/" + defaultTaskID
	vars := []string{"AWS_CONTAINER_CREDENTIALS_FULL_URI=" + credsURL, "AWS_CONTAINER_AUTHORIZATION_TOKEN=cli-token", "AWS_DEFAULT_REGION=us-east-1"}
	for _, cli := range clis {
		t.Run(cli.Name(), func(t *testing.T) {
			code, out, errs := clitest.Run(t, cli.Path, clitest.Env(t, cli.Path, vars...), "sts", "get-caller-identity", "--endpoint-url", stsURL, "--output", "text", "--query", "Arn")
			if code != 0 || strings.TrimSpace(out) != want {
				t.Errorf("exit %d: %s%s", code, out, errs)
			}
		})
	}
	for _, py := range pys {
		t.Run(py.Name(), func(t *testing.T) {
			script := "import sys, boto3\nprint(boto3.client('sts', endpoint_url=sys.argv[1]).get_caller_identity()['Arn'])"
			code, out, errs := clitest.Run(t, py.Executable, clitest.Env(t, py.Executable, vars...), "-c", script, stsURL)
			if code != 0 || strings.TrimSpace(out) != want {
				t.Errorf("exit %d: %s%s", code, out, errs)
			}
		})
	}
}
