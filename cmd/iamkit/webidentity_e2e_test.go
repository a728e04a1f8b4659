package main

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/internal/clitest"
	worldpkg "github.com/iamkit/iamkit/world"
)

// webIdentityServe serves the built-in world as "iamkit serve" does and
// returns its URL and an iamkit binary for "mint oidc".
func webIdentityServe(t *testing.T) (url, bin string) {
	t.Helper()
	bin = buildIamkit(t)
	w, err := worldpkg.LoadFile("")
	if err != nil {
		t.Fatal(err)
	}
	h, err := newServeHandler(w, "us-east-1", &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL, bin
}

// TestAWSCLIWebIdentity runs README's flow with every AWS CLI found:
// assume-role-with-web-identity with a token from "iamkit mint oidc" for
// example-repo's main branch succeeds; one for another repository is
// AccessDenied, with the CLI's service-error exit status
// (https://docs.aws.amazon.com/cli/latest/reference/sts/assume-role-with-web-identity.html).
// Where the CLI honours AWS_ENDPOINT_URL_STS (2.13 and later, 1.29 and
// later), AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE make it assume the
// role by itself
// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-assume-role-credentials.html).
func TestAWSCLIWebIdentity(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	url, bin := webIdentityServe(t)
	sh := "/bin/sh"
	for _, cli := range clis {
		t.Run(cli.Name(), func(t *testing.T) {
			t.Parallel()
			env := append(clitest.Env(t, cli.Path), "IAMKIT="+bin, "AWS="+cli.Path, "URL="+url, "AWS_DEFAULT_REGION=us-east-1")
			assume := `"$AWS" sts assume-role-with-web-identity --endpoint-url "$URL" --output json ` +
				`--role-arn ` + githubDeployARN + ` --role-session-name ci ` +
				`--web-identity-token "$("$IAMKIT" mint oidc --sub "$SUB")"`
			code, stdout, stderr := clitest.Run(t, sh, append(env, "SUB="+githubMainSub), "-c", assume)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			var out struct {
				Credentials                           struct{ AccessKeyId, SessionToken string }
				AssumedRoleUser                       struct{ Arn string }
				SubjectFromWebIdentityToken, Audience string
				Provider                              string
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			if out.AssumedRoleUser.Arn != "arn:aws:sts::111111111111:assumed-role/github-deploy/ci" || out.SubjectFromWebIdentityToken != githubMainSub ||
				out.Audience != "sts.amazonaws.com" || out.Provider != "https://token.actions.githubusercontent.com" || !strings.HasPrefix(out.Credentials.AccessKeyId, "ASIA") {
				t.Errorf("output %s", stdout)
			}
			code, stdout, stderr = clitest.Run(t, sh, append(env, "SUB=repo:example-org/other-repo:ref:refs/heads/main"), "-c", assume)
			if code != cli.ServiceErrorExit(t) || !strings.Contains(stderr, "AccessDenied") {
				t.Errorf("another repository: exit %d, stderr %q; want %d and AccessDenied", code, stderr, cli.ServiceErrorExit(t))
			}
			if !(cli.Major == 2 && cli.Minor >= 13 || cli.Major == 1 && cli.Minor >= 29) {
				t.Logf("%s predates AWS_ENDPOINT_URL_STS; the environment-driven path is run with newer CLIs", cli.Name())
				return
			}
			tokenFile := filepath.Join(t.TempDir(), "token")
			_, tok, _ := iamkit(t, "", "mint", "oidc", "--sub", githubMainSub)
			if err := os.WriteFile(tokenFile, []byte(strings.TrimSpace(tok)), 0o600); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr = clitest.Run(t, cli.Path, append(env, "AWS_ROLE_ARN="+githubDeployARN, "AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile,
				"AWS_ROLE_SESSION_NAME=from-env", "AWS_ENDPOINT_URL_STS="+url), "sts", "get-caller-identity", "--output", "json")
			if code != 0 || !strings.Contains(stdout, `"arn:aws:sts::111111111111:assumed-role/github-deploy/from-env"`) {
				t.Errorf("environment-driven web identity: exit %d\n%s%s", code, stdout, stderr)
			}
		})
	}
}

const boto3WebIdentityScript = `
import json, sys, boto3, botocore
url, good, bad = sys.argv[1:4]
sts = boto3.client("sts", endpoint_url=url, region_name="us-east-1")
r = sts.assume_role_with_web_identity(RoleArn="` + githubDeployARN + `", RoleSessionName="py", WebIdentityToken=good)
out = {"arn": r["AssumedRoleUser"]["Arn"], "sub": r["SubjectFromWebIdentityToken"], "aud": r["Audience"], "provider": r["Provider"]}
try:
    sts.assume_role_with_web_identity(RoleArn="` + githubDeployARN + `", RoleSessionName="py", WebIdentityToken=bad)
except botocore.exceptions.ClientError as e:
    out["error"] = e.response["Error"]["Code"]
    out["status"] = e.response["ResponseMetadata"]["HTTPStatusCode"]
print(json.dumps(out))
`

// TestBoto3WebIdentity: boto3's assume_role_with_web_identity, with no
// credentials configured at all (botocore sends it unsigned).
func TestBoto3WebIdentity(t *testing.T) {
	pys, notes := clitest.Boto3s()
	clitest.Require(t, len(pys), "python3 with boto3", clitest.InstallBoto3, notes)
	url, _ := webIdentityServe(t)
	_, good, _ := iamkit(t, "", "mint", "oidc", "--sub", githubMainSub)
	_, bad, _ := iamkit(t, "", "mint", "oidc", "--sub", "repo:example-org/example-repo:pull_request")
	for _, py := range pys {
		t.Run(py.Name(), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := clitest.Run(t, py.Executable, clitest.Env(t, py.Executable), "-c", boto3WebIdentityScript, url, strings.TrimSpace(good), strings.TrimSpace(bad))
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			var got struct {
				Arn, Sub, Aud, Provider, Error string
				Status                         int
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			if got.Arn != "arn:aws:sts::111111111111:assumed-role/github-deploy/py" || got.Sub != githubMainSub || got.Aud != "sts.amazonaws.com" ||
				got.Provider != "https://token.actions.githubusercontent.com" || got.Error != "AccessDenied" || got.Status != 403 {
				t.Errorf("boto3 = %+v", got)
			}
		})
	}
}
