package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/internal/clitest"
	worldpkg "github.com/iamkit/iamkit/world"
)

const defaultStartURL = "https://d-0000000000.awsapps.com/start"

// ssoServe serves the built-in world, whose Identity Center answers on the
// STS address.
func ssoServe(t *testing.T) string {
	t.Helper()
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
	return srv.URL
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	codeField = regexp.MustCompile(`name="user_code" value="([^"]*)"`)
)

// approve plays the user in a browser: open the verification page, sign
// in as user, allow the device.
func approve(t *testing.T, verification, user, password string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	field := func(re *regexp.Regexp, body string) string {
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %v in page:\n%s", re, body)
		}
		return m[1]
	}
	base := verification[:strings.Index(verification, "/start/")]
	p := page(c.Get(verification))
	p = page(c.PostForm(base+"/start/signin", url.Values{"csrf": {field(csrfField, p)}, "username": {user}, "password": {password}, "user_code": {field(codeField, p)}}))
	p = page(c.PostForm(base+"/start/device/approve", url.Values{"csrf": {field(csrfField, p)}, "user_code": {field(codeField, p)}, "decision": {"allow"}}))
	if !strings.Contains(strings.ToLower(p), "approved") && !strings.Contains(strings.ToLower(p), "allowed") {
		t.Logf("approval page:\n%s", p)
	}
}

// ssoLogin runs "iamkit sso login" with HOME, approving as alice.
func ssoLogin(t *testing.T, home, endpoint string, args ...string) {
	t.Helper()
	ssoLoginNoEndpoint(t, home, append([]string{"--endpoint-url", endpoint}, args...)...)
}

func ssoLoginNoEndpoint(t *testing.T, home string, args ...string) {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr syncBuffer
	getenv := func(k string) string {
		switch k {
		case "HOME":
			return home
		case "AWS_CONFIG_FILE":
			return filepath.Join(home, ".aws", "config")
		}
		return ""
	}
	go func() {
		done <- runSSO(append([]string{"login"}, args...), pw, &stderr, getenv)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "http") {
			approve(t, l, "alice", "alice-example-password")
		}
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("sso login: exit %d: %s", code, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("sso login did not finish")
	}
}

// writeSSOProfile writes the config --print-config prints.
func writeSSOProfile(t *testing.T, home, endpoint string) {
	t.Helper()
	code, cfg, stderr := iamkit(t, "", "sso", "login", "--start-url", defaultStartURL, "--region", "us-east-1", "--endpoint-url", endpoint,
		"--print-config", "admin", "--account-id", "111111111111", "--role-name", "AdministratorAccess")
	if code != 0 {
		t.Fatalf("--print-config: %d %s", code, stderr)
	}
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSSOLoginGoSDK: "iamkit sso login" signs alice in with the device
// flow against serve and caches the token as the AWS CLI does; the Go
// SDK's sso-session profile (ssocreds, through AWS_ENDPOINT_URL_SSO) then
// gets AdministratorAccess credentials that serve's STS accepts
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html,
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-sso-credentials.html).
func TestSSOLoginGoSDK(t *testing.T) {
	endpoint := ssoServe(t)
	home := t.TempDir()
	writeSSOProfile(t, home, endpoint)
	// The endpoint comes from the profile's services section, as
	// --print-config wrote it.
	ssoLoginNoEndpoint(t, home, "--profile", "admin")
	for _, key := range []string{"iamkit", defaultStartURL} {
		if fi, err := os.Stat(filepath.Join(home, ".aws", "sso", "cache", ssoCacheName(key))); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("cache file for %q: %v %v", key, fi, err)
		}
	}
	for k, v := range map[string]string{"HOME": home, "AWS_CONFIG_FILE": filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "credentials"), "AWS_PROFILE": "admin",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_CA_BUNDLE": "", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_ENDPOINT_URL_SSO": endpoint, "AWS_ENDPOINT_URL_STS": endpoint} {
		t.Setenv(k, v)
	}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id, err := awssts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(id.Arn); !strings.HasPrefix(got, "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_") || !strings.HasSuffix(got, "/alice") {
		t.Errorf("caller %s", got)
	}
}

// TestSSOClients: after "iamkit sso login", the AWS CLI and boto3 use the
// SSO profile (AWS CLI v1 cannot log in itself but reads the cache), where
// they honour AWS_ENDPOINT_URL_SSO (botocore 1.31 and later).
func TestSSOClients(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	pys, pynotes := clitest.Boto3s()
	clitest.Require(t, len(pys), "python3 with boto3", clitest.InstallBoto3, pynotes)
	endpoint := ssoServe(t)
	want := "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_"
	ran := 0
	for _, cli := range clis {
		if cli.Major == 2 && cli.Minor < 13 || cli.Major == 1 && cli.Minor < 29 {
			t.Logf("%s predates AWS_ENDPOINT_URL_SSO; it cannot reach a local portal", cli.Name())
			continue
		}
		t.Run(cli.Name(), func(t *testing.T) {
			env := clitest.Env(t, cli.Path, "AWS_ENDPOINT_URL_SSO="+endpoint, "AWS_ENDPOINT_URL_STS="+endpoint)
			home := envValue(env, "HOME")
			writeSSOProfile(t, home, endpoint)
			env = append(env, "AWS_CONFIG_FILE="+filepath.Join(home, ".aws", "config"))
			ssoLogin(t, home, endpoint, "--profile", "admin")
			code, out, errs := clitest.Run(t, cli.Path, env, "sts", "get-caller-identity", "--profile", "admin", "--output", "text", "--query", "Arn")
			if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), want) {
				t.Errorf("exit %d: %s%s", code, out, errs)
			}
		})
		ran++
	}
	for _, py := range pys {
		if !botocoreAtLeast(py.Botocore, 1, 31) {
			t.Logf("boto3 %s (botocore %s) predates AWS_ENDPOINT_URL_SSO", py.Boto3, py.Botocore)
			continue
		}
		t.Run(py.Name(), func(t *testing.T) {
			env := clitest.Env(t, py.Executable, "AWS_ENDPOINT_URL_SSO="+endpoint, "AWS_ENDPOINT_URL_STS="+endpoint)
			home := envValue(env, "HOME")
			writeSSOProfile(t, home, endpoint)
			env = append(env, "AWS_CONFIG_FILE="+filepath.Join(home, ".aws", "config"))
			ssoLogin(t, home, endpoint, "--profile", "admin")
			script := "import boto3\nprint(boto3.Session(profile_name='admin').client('sts').get_caller_identity()['Arn'])"
			code, out, errs := clitest.Run(t, py.Executable, env, "-c", script)
			if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), want) {
				t.Errorf("exit %d: %s%s", code, out, errs)
			}
		})
		ran++
	}
	if ran == 0 {
		t.Log("no client on this machine honours AWS_ENDPOINT_URL_SSO")
	}
}

func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

// botocoreAtLeast compares a botocore version with major.minor.
func botocoreAtLeast(v string, major, minor int) bool {
	var a, b int
	if _, err := fmtSscanf(v, &a, &b); err != nil {
		return false
	}
	return a > major || a == major && b >= minor
}

func fmtSscanf(v string, a, b *int) (int, error) { return fmt.Sscanf(v, "%d.%d", a, b) }
