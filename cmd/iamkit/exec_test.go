package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/internal/clitest"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/world"
)

const exampleFunctionARN = "arn:aws:iam::111111111111:role/example-function"

// TestExecEnvironment: the command gets the role session in the variables
// Lambda sets for a function
// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
// named after the function, and none of the caller's AWS credentials.
func TestExecEnvironment(t *testing.T) {
	var out, errb bytes.Buffer
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=/nonexistent", "AWS_ACCESS_KEY_ID=AKIACALLERSOWNKEY000", "AWS_PROFILE=admin", "KEEP=me"}
	code := runExec([]string{"--role", exampleFunctionARN, "--function-name", "thumbnailer", "--", "sh", "-c", "env | sort"}, strings.NewReader(""), &out, &errb, env)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	vars := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		k, v, _ := strings.Cut(l, "=")
		vars[k] = v
	}
	if !strings.HasPrefix(vars["AWS_ACCESS_KEY_ID"], "ASIA") || vars["AWS_SECRET_ACCESS_KEY"] == "" || vars["AWS_SESSION_TOKEN"] == "" ||
		vars["AWS_REGION"] != "us-east-1" || vars["AWS_DEFAULT_REGION"] != "us-east-1" || vars["AWS_LAMBDA_FUNCTION_NAME"] != "thumbnailer" ||
		vars["KEEP"] != "me" || vars["AWS_PROFILE"] != "" {
		t.Errorf("environment %v", vars)
	}
	if strings.Contains(errb.String(), vars["AWS_SECRET_ACCESS_KEY"]) {
		t.Error("the secret reached stderr")
	}
	issuer, err := world.Default().Issuer(sts.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := issuer.Authenticate(context.Background(), vars["AWS_ACCESS_KEY_ID"], sts.NewSecret(vars["AWS_SECRET_ACCESS_KEY"]), vars["AWS_SESSION_TOKEN"])
	if err != nil {
		t.Fatal(err)
	}
	if s.ARN != "arn:aws:sts::111111111111:assumed-role/example-function/thumbnailer" {
		t.Errorf("session %s", s.ARN)
	}
}

func TestExecErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"exec", "--", "true"}, 2, "--role ARN is required"},
		{[]string{"exec", "--role", exampleFunctionARN}, 2, "no command"},
		{[]string{"exec", "--role", exampleFunctionARN, "--service", "evil.example.com", "--", "true"}, 2, "not an AWS service principal"},
		// deploy trusts alice, not Lambda.
		{[]string{"exec", "--role", "arn:aws:iam::111111111111:role/deploy", "--", "true"}, 1, "AccessDenied: lambda.amazonaws.com is not authorized to perform: sts:AssumeRole"},
		{[]string{"exec", "--role", exampleFunctionARN, "--", "/nonexistent/command"}, 1, "iamkit: exec:"},
	} {
		code, _, stderr := iamkit(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	// The command's exit status is iamkit's.
	if code, _, _ := iamkit(t, "", "exec", "--role", exampleFunctionARN, "--", "sh", "-c", "exit 7"); code != 7 {
		t.Errorf("exit status %d, want 7", code)
	}
}

// TestExecAWSCLI: the AWS CLI run by exec finds the credentials in its
// environment, as a Lambda function's SDK does, and serve accepts them.
func TestExecAWSCLI(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	url, bin := webIdentityServe(t)
	for _, cli := range clis {
		t.Run(cli.Name(), func(t *testing.T) {
			env := clitest.Env(t, cli.Path)
			cmd := exec.Command(bin, "exec", "--role", exampleFunctionARN, "--function-name", "resizer", "--",
				cli.Path, "sts", "get-caller-identity", "--endpoint-url", url, "--output", "text", "--query", "Arn")
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != "arn:aws:sts::111111111111:assumed-role/example-function/resizer" {
				t.Errorf("aws sts get-caller-identity under exec: %v\n%s", err, out)
			}
		})
	}
}
