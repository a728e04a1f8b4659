package stsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/iamkit/iamkit/internal/clitest"
	"strings"
	"testing"
	"time"

	"github.com/iamkit/iamkit/sts"
)

// The real AWS CLI and boto3 drive the endpoint as real programs do: every
// distinct AWS CLI (v1 or v2) and every distinct python3 with boto3 found on
// PATH or in /usr/bin (see clients_helpers_test.go), each in its own
// subtest. .ci/run installs Debian's awscli and python3-boto3; where none is
// found the tests are skipped locally and fail under CI=true.

type cliCreds struct {
	Credentials struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
	}
}

// TestAWSCLI drives the endpoint with each AWS CLI found: get-caller-identity,
// assume-role with an ExternalId and calls with the returned credentials,
// role chaining, get-session-token, get-federation-token,
// get-access-key-info, decode-authorization-message, and errors (a bad
// signature, an expired token, a wrong ExternalId) exiting with the CLI's
// service-error status (255 for v1, 254 for v2) and naming AWS's code.
// Expected answers: the STS API reference page of each operation and
// CommonErrors.html.
func TestAWSCLI(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	for _, cli := range clis {
		t.Run(cli.Name(), func(t *testing.T) {
			t.Parallel()
			t.Logf("%s: %s", cli.Path, cli.VersionLine)
			testCLI(t, cli)
		})
	}
}

func testCLI(t *testing.T, cli clitest.CLI) {
	srv, is := server(t)
	env := func(akid, secret, token string) []string {
		vars := []string{"AWS_DEFAULT_REGION=us-east-1", "AWS_ACCESS_KEY_ID=" + akid, "AWS_SECRET_ACCESS_KEY=" + secret}
		if token != "" {
			vars = append(vars, "AWS_SESSION_TOKEN="+token)
		}
		return clitest.Env(t, cli.Path, vars...)
	}
	run := func(t *testing.T, env []string, args ...string) (int, string, string) {
		t.Helper()
		return clitest.Run(t, cli.Path, env, append(append([]string{}, args...), "--endpoint-url", srv.URL, "--output", "json")...)
	}
	alice := env(aliceKey, aliceSecret, "")

	code, out, errOut := run(t, alice, "sts", "get-caller-identity")
	if code != 0 || !strings.Contains(out, `"Arn": "arn:aws:iam::111111111111:user/alice"`) {
		t.Fatalf("get-caller-identity: %d %s %s", code, out, errOut)
	}

	code, out, errOut = run(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "cli", "--external-id", "ext-123")
	if code != 0 {
		t.Fatalf("assume-role: %d %s %s", code, out, errOut)
	}
	var c cliCreds
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("assume-role output %q: %v", out, err)
	}
	deploy := env(c.Credentials.AccessKeyID, c.Credentials.SecretAccessKey, c.Credentials.SessionToken)

	// A denial's encoded message, for decode-authorization-message.
	session, err := is.Authenticate(context.Background(), c.Credentials.AccessKeyID, sts.NewSecret(c.Credentials.SecretAccessKey), c.Credentials.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	d, err := is.Authorize(context.Background(), session, sts.AuthorizeInput{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::prod"})
	if err != nil || d.EncodedMessage == "" {
		t.Fatalf("Authorize: %v %+v", err, d)
	}

	// The rest is independent: each in a parallel subtest, since every CLI
	// run costs a start-up of about a second.
	okCases := []struct {
		name string
		env  []string
		args []string
		want []string // in stdout
	}{
		{"get-caller-identity with role credentials", deploy, []string{"sts", "get-caller-identity"}, []string{"assumed-role/deploy/cli"}},
		{"chained assume-role", deploy, []string{"sts", "assume-role", "--role-arn", chainARN, "--role-session-name", "hop"}, []string{"assumed-role/next/hop"}},
		{"get-session-token", alice, []string{"sts", "get-session-token", "--duration-seconds", "900"}, []string{`"AccessKeyId": "ASIA`}},
		{"get-federation-token", alice, []string{"sts", "get-federation-token", "--name", "bob",
			"--policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`}, []string{"federated-user/bob"}},
		{"get-access-key-info", alice, []string{"sts", "get-access-key-info", "--access-key-id", c.Credentials.AccessKeyID}, []string{`"Account": "111111111111"`}},
		{"decode-authorization-message", alice, []string{"sts", "decode-authorization-message", "--encoded-message", d.EncodedMessage},
			[]string{`\"allowed\":false`, "s3:DeleteBucket"}},
	}
	for _, tc := range okCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, tc.env, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want 0", code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout %q lacks %q", out, w)
				}
			}
		})
	}

	// Errors: the CLI exits with its service-error status and names AWS's
	// code (v1 and v2 both print "An error occurred (Code) when calling the
	// Op operation: message"; only the code is checked).
	wantExit := cli.ServiceErrorExit(t)
	errorCases := []struct {
		name string
		env  []string
		args []string
		code string
	}{
		{"bad signature", env(aliceKey, "not-the-secret", ""), []string{"sts", "get-caller-identity"}, "SignatureDoesNotMatch"},
		{"wrong ExternalId", alice, []string{"sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "cli", "--external-id", "other-customer"}, "AccessDenied"},
		{"expired token", expiredCreds(t, env), []string{"sts", "get-caller-identity"}, "ExpiredToken"},
	}
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, tc.env, tc.args...)
			if code != wantExit || !strings.Contains(errOut, tc.code) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %s", code, out, errOut, wantExit, tc.code)
			}
		})
	}
}

// expiredCreds returns the CLI environment of a session that expired an
// hour ago: issued by an issuer sharing the server's key ring and directory
// but whose clock is three hours behind.
func expiredCreds(t *testing.T, env func(akid, secret, token string) []string) []string {
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
	return env(c.AccessKeyID, c.SecretAccessKey.Reveal(), c.SessionToken)
}

func int32p(v int32) *int32 { return &v }

// TestBoto3 drives the endpoint with each boto3 found, as a Python program
// would.
func TestBoto3(t *testing.T) {
	pys, notes := clitest.Boto3s()
	clitest.Require(t, len(pys), "python3 with boto3", clitest.InstallBoto3, notes)
	for _, py := range pys {
		t.Run(py.Name(), func(t *testing.T) {
			t.Parallel()
			t.Logf("%s (%s): boto3 %s, botocore %s", py.Executable, py.Found, py.Boto3, py.Botocore)
			testBoto3(t, py)
		})
	}
}

const boto3Script = `
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

func testBoto3(t *testing.T, py clitest.Boto3) {
	srv, _ := server(t)
	code, stdout, stderr := clitest.Run(t, py.Executable, clitest.Env(t, py.Executable), "-c", boto3Script, srv.URL, aliceKey, aliceSecret)
	if code != 0 {
		t.Fatalf("boto3: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	var got struct {
		Me, Role, Error, RequestID string
		Status                     int
	}
	if err := json.Unmarshal(bytes.TrimSpace([]byte(stdout)), &got); err != nil {
		t.Fatalf("boto3 output %q: %v (stderr %q)", stdout, err, stderr)
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
