package stsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iamkit/iamkit/sts"
)

// The AWS CLI (Debian's awscli) and boto3 (python3-boto3) drive the
// endpoint as real programs do. .ci/run installs both; where they are
// missing, the tests are skipped locally and fail in CI (CI=true).

func needTool(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run must install it", path)
		}
		t.Skipf("%s is not installed (apt-get install awscli python3-boto3)", path)
	}
}

const (
	awsCLI    = "/usr/bin/aws"
	sysPython = "/usr/bin/python3"
)

// cliEnv is an environment for the AWS CLI with the given credentials and a
// private HOME, so nothing leaks between tests or from the machine.
func cliEnv(t *testing.T, akid, secret, token string) []string {
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID=" + akid, "AWS_SECRET_ACCESS_KEY=" + secret, "AWS_EC2_METADATA_DISABLED=true"}
	if token != "" {
		env = append(env, "AWS_SESSION_TOKEN="+token)
	}
	return env
}

// runCLI runs the CLI against url and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, url string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, awsCLI, append(append([]string{}, args...), "--endpoint-url", url, "--output", "json")...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

type cliCreds struct {
	Credentials struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
	}
}

// TestAWSCLI drives the endpoint with the AWS CLI: get-caller-identity,
// assume-role with an ExternalId and calls with the returned credentials,
// role chaining, get-session-token, get-federation-token,
// get-access-key-info, decode-authorization-message, and errors (a bad
// signature, an expired token, a wrong ExternalId) exiting with the CLI's
// error status and AWS's code. Expected answers: the STS API reference page
// of each operation and CommonErrors.html.
func TestAWSCLI(t *testing.T) {
	needTool(t, awsCLI)
	srv, is := server(t)
	alice := cliEnv(t, aliceKey, aliceSecret, "")

	code, out, errOut := runCLI(t, srv.URL, alice, "sts", "get-caller-identity")
	if code != 0 || !strings.Contains(out, `"Arn": "arn:aws:iam::111111111111:user/alice"`) {
		t.Fatalf("get-caller-identity: %d %s %s", code, out, errOut)
	}

	code, out, errOut = runCLI(t, srv.URL, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "cli", "--external-id", "ext-123")
	if code != 0 {
		t.Fatalf("assume-role: %d %s %s", code, out, errOut)
	}
	var c cliCreds
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	deploy := cliEnv(t, c.Credentials.AccessKeyID, c.Credentials.SecretAccessKey, c.Credentials.SessionToken)
	code, out, errOut = runCLI(t, srv.URL, deploy, "sts", "get-caller-identity")
	if code != 0 || !strings.Contains(out, "assumed-role/deploy/cli") {
		t.Errorf("get-caller-identity with role credentials: %d %s %s", code, out, errOut)
	}

	// Role chaining with the role session's credentials.
	code, out, errOut = runCLI(t, srv.URL, deploy, "sts", "assume-role", "--role-arn", chainARN, "--role-session-name", "hop")
	if code != 0 || !strings.Contains(out, "assumed-role/next/hop") {
		t.Errorf("chained assume-role: %d %s %s", code, out, errOut)
	}

	code, out, errOut = runCLI(t, srv.URL, alice, "sts", "get-session-token", "--duration-seconds", "900")
	if code != 0 || !strings.Contains(out, `"AccessKeyId": "ASIA`) {
		t.Errorf("get-session-token: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, srv.URL, alice, "sts", "get-federation-token", "--name", "bob",
		"--policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	if code != 0 || !strings.Contains(out, "federated-user/bob") {
		t.Errorf("get-federation-token: %d %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, srv.URL, alice, "sts", "get-access-key-info", "--access-key-id", c.Credentials.AccessKeyID)
	if code != 0 || !strings.Contains(out, `"Account": "111111111111"`) {
		t.Errorf("get-access-key-info: %d %s %s", code, out, errOut)
	}

	// A denial's encoded message, decoded by a caller allowed to.
	session, err := is.Authenticate(context.Background(), c.Credentials.AccessKeyID, sts.NewSecret(c.Credentials.SecretAccessKey), c.Credentials.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	d, err := is.Authorize(context.Background(), session, sts.AuthorizeInput{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::prod"})
	if err != nil || d.EncodedMessage == "" {
		t.Fatalf("Authorize: %v %+v", err, d)
	}
	code, out, errOut = runCLI(t, srv.URL, alice, "sts", "decode-authorization-message", "--encoded-message", d.EncodedMessage)
	if code != 0 || !strings.Contains(out, `\"allowed\":false`) || !strings.Contains(out, "s3:DeleteBucket") {
		t.Errorf("decode-authorization-message: %d %s %s", code, out, errOut)
	}

	// Errors: the CLI exits 254 for service errors and names AWS's code.
	errorCases := []struct {
		name string
		env  []string
		args []string
		code string
	}{
		{"bad signature", cliEnv(t, aliceKey, "not-the-secret", ""), []string{"sts", "get-caller-identity"}, "SignatureDoesNotMatch"},
		{"wrong ExternalId", alice, []string{"sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "cli", "--external-id", "other-customer"}, "AccessDenied"},
		{"expired token", expiredCreds(t, is, srv.URL), []string{"sts", "get-caller-identity"}, "ExpiredToken"},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, srv.URL, tc.env, tc.args...)
			if code != 254 || !strings.Contains(errOut, "("+tc.code+")") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 254 and (%s)", code, out, errOut, tc.code)
			}
		})
	}
}

// expiredCreds returns CLI credentials of a session that expired an hour
// ago: issued by an issuer sharing the server's key ring and directory but
// whose clock is three hours behind.
func expiredCreds(t *testing.T, _ *sts.Issuer, _ string) []string {
	t.Helper()
	past := pastIssuer(t, time.Now().Add(-3*time.Hour))
	caller, err := past.Authenticate(context.Background(), aliceKey, sts.NewSecret(aliceSecret), "")
	if err != nil {
		t.Fatal(err)
	}
	out, err := past.GetSessionToken(context.Background(), caller, &sts.GetSessionTokenInput{DurationSeconds: int32p(900)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	return cliEnv(t, c.AccessKeyID, c.SecretAccessKey.Reveal(), c.SessionToken)
}

func int32p(v int32) *int32 { return &v }

// TestBoto3 drives the endpoint with boto3, as a Python program would.
func TestBoto3(t *testing.T) {
	needTool(t, sysPython)
	if err := exec.Command(sysPython, "-c", "import boto3").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("boto3 is missing: .ci/run must install python3-boto3")
		}
		t.Skip("boto3 is not installed")
	}
	srv, _ := server(t)
	script := `
import json, sys, boto3, botocore
url, akid, secret = sys.argv[1:4]
sts = boto3.client("sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id=akid, aws_secret_access_key=secret)
out = {"me": sts.get_caller_identity()["Arn"]}
r = sts.assume_role(RoleArn="` + roleARN + `", RoleSessionName="py", ExternalId="ext-123")
c = r["Credentials"]
role = boto3.client("sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                    aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
out["role"] = role.get_caller_identity()["Arn"]
try:
    sts.assume_role(RoleArn="` + roleARN + `", RoleSessionName="py", ExternalId="nope")
except botocore.exceptions.ClientError as e:
    out["error"] = e.response["Error"]["Code"]
    out["status"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
    out["requestId"] = e.response["ResponseMetadata"].get("RequestId", "")
print(json.dumps(out))
`
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sysPython, "-c", script, srv.URL, aliceKey, aliceSecret)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
	raw, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("boto3: %v\n%s", err, raw)
	}
	var got struct {
		Me, Role, Error, RequestID string
		Status                     int
	}
	if err := json.Unmarshal(bytes.TrimSpace(raw), &got); err != nil {
		t.Fatalf("boto3 output %q: %v", raw, err)
	}
	if got.Me != "arn:aws:iam::111111111111:user/alice" || got.Role != "arn:aws:sts::111111111111:assumed-role/deploy/py" ||
		got.Error != "AccessDenied" || got.Status != 403 || got.RequestID == "" {
		t.Errorf("boto3 = %+v", got)
	}
}

// pastIssuer is an issuer over the test world whose clock reads at.
func pastIssuer(t *testing.T, at time.Time) *sts.Issuer {
	t.Helper()
	return worldWithClock(t, func() time.Time { return at })
}
