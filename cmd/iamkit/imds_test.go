package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/internal/clitest"
)

const webProfileARN = "arn:aws:iam::111111111111:instance-profile/web"

var imdsLine = regexp.MustCompile(`instance metadata service (http://\S+/) `)

func startIMDS(t *testing.T, extra ...string) (stsURL, imdsURL string, stderr *syncBuffer) {
	t.Helper()
	addr, code, stderr := startServe(t, append([]string{"--addr", "127.0.0.1:0", "--imds", "127.0.0.1:0", "--instance-profile", webProfileARN}, extra...)...)
	if addr == "" {
		t.Fatalf("serve exited %d: %s", code, stderr)
	}
	m := imdsLine.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no IMDS endpoint in %q", stderr)
	}
	return "http://" + addr, m[1], stderr
}

// TestServeIMDSSDK: the Go SDK's instance-role provider (ec2rolecreds over
// IMDSv2) gets the profile's role from --imds, named after the instance
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html).
func TestServeIMDSSDK(t *testing.T) {
	stsURL, imdsURL, _ := startIMDS(t, "--instance-id", "i-0abcdef1234567890")
	prov := ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = imds.New(imds.Options{Endpoint: imdsURL})
	})
	c := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(stsURL), Credentials: aws.NewCredentialsCache(prov)})
	id, err := c.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(id.Arn); got != "arn:aws:sts::111111111111:assumed-role/web/i-0abcdef1234567890" {
		t.Errorf("caller %s", got)
	}
}

// TestServeIMDSv1: IMDSv1 is off (a GET without a token answers 401,
// HttpTokens "required"); --imds-v1 turns it on and logs a warning for
// every v1 request
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html).
func TestServeIMDSv1(t *testing.T) {
	get := func(url string) int {
		resp, err := http.Get(url + "latest/meta-data/iam/security-credentials/web")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	_, off, _ := startIMDS(t)
	if code := get(off); code != http.StatusUnauthorized {
		t.Errorf("IMDSv1 GET without --imds-v1: %d, want 401", code)
	}
	_, on, stderr := startIMDS(t, "--imds-v1")
	if code := get(on); code != http.StatusOK {
		t.Errorf("IMDSv1 GET with --imds-v1: %d, want 200", code)
	}
	if !strings.Contains(stderr.String(), "level=WARN") || !strings.Contains(stderr.String(), "IMDSv1 request") {
		t.Errorf("no warning for the v1 request: %s", stderr)
	}
}

func TestServeIMDSErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--imds", "127.0.0.1:0"}, "--imds needs --instance-profile ARN"},
		{[]string{"--instance-profile", webProfileARN}, "go with --imds ADDR"},
		{[]string{"--imds", "0.0.0.0:0", "--instance-profile", webProfileARN}, "loopback only"},
		{[]string{"--imds", "127.0.0.1:0", "--instance-profile", "arn:aws:iam::111111111111:instance-profile/nope"}, "not in the world"},
	} {
		addr, _, stderr := startServe(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...)...)
		if addr != "" || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: served at %q, stderr %q; want a refusal with %q", tc.args, addr, stderr, tc.want)
		}
	}
}

// TestServeIMDSClients: README's flow: with AWS_EC2_METADATA_SERVICE_ENDPOINT
// and no other credentials, the AWS CLI and boto3 find the instance role
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html).
func TestServeIMDSClients(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	pys, pynotes := clitest.Boto3s()
	clitest.Require(t, len(pys), "python3 with boto3", clitest.InstallBoto3, pynotes)
	stsURL, imdsURL, _ := startIMDS(t)
	want := "arn:aws:sts::111111111111:assumed-role/web/i-0123456789abcdef0"
	vars := []string{"AWS_EC2_METADATA_DISABLED=false", "AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imdsURL, "AWS_DEFAULT_REGION=us-east-1"}
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
