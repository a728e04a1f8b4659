package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/world"
)

// The credential_process output is specified by
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html.

// writeDefaultWorld writes the default world to a file, as a user would.
func writeDefaultWorld(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "world.json")
	if err := os.WriteFile(path, world.DefaultJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// verifyWithWorld opens credentials with an issuer built afresh from the
// world file, as "iamkit serve" with the same world would.
func verifyWithWorld(t *testing.T, worldFile, akid, secret, token string) *sts.Session {
	t.Helper()
	w, err := world.LoadFile(worldFile)
	if err != nil {
		t.Fatal(err)
	}
	is, err := w.Issuer(sts.Options{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := is.Authenticate(context.Background(), akid, sts.NewSecret(secret), token)
	if err != nil {
		t.Fatalf("credentials do not open with the world's key ring: %v", err)
	}
	return s
}

// TestCredentialProcess runs the command in-process and checks its JSON
// (cli-configure-sourcing-external.html) and that the credentials verify against the
// world.
func TestCredentialProcess(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	worldFile := writeDefaultWorld(t)
	code, stdout, stderr := iamkit(t, "", "credential-process", "--world", worldFile, "--role-arn", deployARN,
		"--external-id", deployExternalID, "--duration", "900s", "--role-session-name", "proc")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "AccountId"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("output lacks %s: %s", k, stdout)
		}
	}
	var out credentialProcessOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	exp, err := time.Parse(time.RFC3339, out.Expiration)
	if err != nil {
		t.Errorf("Expiration %q is not RFC 3339", out.Expiration)
	}
	if d := time.Until(exp); d < 14*time.Minute || d > 16*time.Minute {
		t.Errorf("Expiration %v is not 15 minutes away", exp)
	}
	if out.Version != 1 || out.AccountID != "111111111111" || !strings.HasPrefix(out.AccessKeyID, "ASIA") {
		t.Errorf("output = %+v", out)
	}
	s := verifyWithWorld(t, worldFile, out.AccessKeyID, out.SecretAccessKey, out.SessionToken)
	if s.ARN != "arn:aws:sts::111111111111:assumed-role/deploy/proc" {
		t.Errorf("session ARN = %s", s.ARN)
	}

	// The caller from the environment: a role session of deploy may chain
	// to readonly.
	t.Setenv("AWS_ACCESS_KEY_ID", out.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", out.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", out.SessionToken)
	code, stdout, stderr = iamkit(t, "", "credential-process", "--world", worldFile, "--role-arn", readonlyARN)
	if code != 0 {
		t.Fatalf("chaining from the environment: exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if s := verifyWithWorld(t, worldFile, out.AccessKeyID, out.SecretAccessKey, out.SessionToken); s.ARN != "arn:aws:sts::111111111111:assumed-role/readonly/"+defaultSessionName {
		t.Errorf("chained session ARN = %s", s.ARN)
	}
}

// TestCredentialProcessErrors: STS failures exit 1 with AWS's error code;
// usage mistakes exit 2. Nothing goes to stdout, which processcreds would
// try to parse.
func TestCredentialProcessErrors(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	worldFile := writeDefaultWorld(t)
	noRing := filepath.Join(t.TempDir(), "noring.json")
	if err := os.WriteFile(noRing, []byte(`{"users": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		// assumeRoleDoc: the trust policy's sts:ExternalId condition.
		{"wrong external ID", []string{"--role-arn", deployARN, "--external-id", "wrong-id"}, nil, 1,
			"iamkit: credential-process: AccessDenied: User: " + aliceARN + " is not authorized to perform: sts:AssumeRole on resource: " + deployARN +
				" (caller " + aliceKeyID + " from the world's user " + aliceARN + ")\n"},
		{"unknown key from the environment", []string{"--role-arn", deployARN}, map[string]string{"AWS_ACCESS_KEY_ID": "AKIAU3HBXAVK2ITAANKE", "AWS_SECRET_ACCESS_KEY": "x"}, 1,
			"iamkit: credential-process: InvalidClientTokenId: The security token included in the request is invalid. (caller AKIAU3HBXAVK2ITAANKE from AWS_ACCESS_KEY_ID)\n"},
		{"wrong secret from flags", []string{"--role-arn", deployARN, "--access-key-id", aliceKeyID, "--secret-access-key", "wrong"}, nil, 1,
			"iamkit: credential-process: SignatureDoesNotMatch: "},
		// assumeRoleDoc: DurationSeconds above the role's maximum.
		{"duration over the role's maximum", []string{"--role-arn", deployARN, "--external-id", deployExternalID, "--duration", "2h"}, nil, 1,
			"iamkit: credential-process: ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"no role", nil, nil, 2, "iamkit: credential-process: --role-arn ARN is required\n"},
		{"bad duration", []string{"--role-arn", deployARN, "--duration", "1.5s"}, nil, 2, "--duration \"1.5s\": want a positive whole number of seconds"},
		{"half a key", []string{"--role-arn", deployARN, "--access-key-id", aliceKeyID}, nil, 2, "--access-key-id and --secret-access-key go together"},
		{"world without key ring", []string{"--role-arn", deployARN, "--world", noRing}, nil, 1, "the world has no keyRing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := append([]string{"credential-process"}, tt.args...)
			if !slices.Contains(tt.args, "--world") {
				args = append(args, "--world", worldFile)
			}
			code, stdout, stderr := iamkit(t, "", args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and stderr containing %q", code, stdout, stderr, tt.code, tt.want)
			}
			if strings.Contains(stderr, aliceSecret) {
				t.Errorf("stderr shows alice's secret")
			}
		})
	}
}

// buildIamkit builds the command into a temporary directory.
func buildIamkit(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the iamkit binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "iamkit")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestCredentialProcessProvider runs the built command the way the AWS SDK
// does for a credential_process profile, with aws-sdk-go-v2's processcreds
// provider, then uses the credentials against "serve" with the same world.
func TestCredentialProcessProvider(t *testing.T) {
	bin := buildIamkit(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "") // the child inherits the environment
	worldFile := writeDefaultWorld(t)
	cmdline := profileCommand(bin, []string{"--world", worldFile, "--role-arn", crossARN, "--external-id", crossExternalID})
	p := processcreds.NewProvider(cmdline)
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("processcreds: %v", err)
	}
	if creds.AccountID != "222222222222" || !creds.CanExpire || time.Until(creds.Expires) < 59*time.Minute {
		t.Errorf("credentials: account %q, CanExpire %v, Expires %v", creds.AccountID, creds.CanExpire, creds.Expires)
	}
	s := verifyWithWorld(t, worldFile, creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	if s.ARN != "arn:aws:sts::222222222222:assumed-role/cross/"+defaultSessionName {
		t.Errorf("session ARN = %s", s.ARN)
	}

	// The same credentials work against "serve" over the same world file.
	w, err := world.LoadFile(worldFile)
	if err != nil {
		t.Fatal(err)
	}
	h, err := newServeHandler(w, "us-east-1", &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: aws.NewCredentialsCache(p), RetryMaxAttempts: 1})
	id, err := client.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Account) != "222222222222" {
		t.Errorf("GetCallerIdentity account = %s", aws.ToString(id.Account))
	}

	// A failure reaches the SDK as an error, and the person reading the
	// process's stderr sees STS's error code.
	var stderr syncBuffer
	bad := processcreds.NewProviderCommand(processcreds.NewCommandBuilderFunc(func(ctx context.Context) (*exec.Cmd, error) {
		cmd := exec.CommandContext(ctx, "sh", "-c", profileCommand(bin, []string{"--world", worldFile, "--role-arn", crossARN}))
		cmd.Stderr = &stderr
		return cmd, nil
	}))
	if _, err := bad.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), "exit status 1") {
		t.Errorf("Retrieve without the ExternalId: %v, want the process's exit status 1", err)
	}
	if !strings.Contains(stderr.String(), "iamkit: credential-process: AccessDenied: ") {
		t.Errorf("stderr of the failed process = %q, want AccessDenied", stderr.String())
	}
}

// TestProfileConfig checks the AWS config profile "--print-config" writes:
// its credential_process line must split back into the same arguments in
// a POSIX shell, as aws-sdk-go-v2 runs it (sh -c) and botocore splits it
// (shlex).
func TestProfileConfig(t *testing.T) {
	args := []string{"--world", "/tmp/my worlds/it's.json", "--role-arn", deployARN, "--external-id", "a$b`c\"d"}
	got := profileConfig("iamkit-deploy", "/usr/local/bin/iamkit", args)
	want := `[profile iamkit-deploy]
credential_process = /usr/local/bin/iamkit credential-process --world '/tmp/my worlds/it'"'"'s.json' --role-arn arn:aws:iam::111111111111:role/deploy --external-id 'a$b` + "`" + `c"d'
`
	if got != want {
		t.Errorf("profileConfig =\n%s\nwant\n%s", got, want)
	}
	if sh, err := exec.LookPath("sh"); err == nil {
		line := strings.TrimPrefix(strings.Split(got, "\n")[1], "credential_process = ")
		line = strings.Replace(line, "/usr/local/bin/iamkit credential-process", `printf '%s\n'`, 1)
		out, err := exec.Command(sh, "-c", line).Output()
		if err != nil {
			t.Fatal(err)
		}
		if split := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !slices.Equal(split, args) {
			t.Errorf("sh splits the command into %q, want %q", split, args)
		}
	}

	worldFile := writeDefaultWorld(t)
	code, stdout, stderr := iamkit(t, "", "credential-process", "--world", worldFile, "--role-arn", deployARN, "--external-id", deployExternalID, "--print-config", "dev")
	if code != 0 || !strings.HasPrefix(stdout, "[profile dev]\ncredential_process = ") ||
		!strings.HasSuffix(stdout, " credential-process --world "+worldFile+" --role-arn "+deployARN+" --external-id "+deployExternalID+"\n") {
		t.Errorf("--print-config: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = iamkit(t, "", "credential-process", "--role-arn", deployARN, "--access-key-id", aliceKeyID, "--secret-access-key", aliceSecret, "--print-config", "dev")
	if code != 2 || !strings.Contains(stderr, "does not write secrets") || strings.Contains(stderr, aliceSecret) {
		t.Errorf("--print-config with a secret: exit %d, stderr %q", code, stderr)
	}
}

// profileCommand is the credential_process command line for args.
func profileCommand(bin string, args []string) string {
	cfg := profileConfig("p", bin, args)
	return strings.TrimSuffix(strings.SplitN(cfg, "credential_process = ", 2)[1], "\n")
}

// TestPrintConfigPaths checks what --print-config writes and refuses: the
// paths are absolute, since the AWS CLI runs credential_process from any
// directory; a --world that does not exist is a usage error; and a binary
// in Go's build cache ("go run") gets a warning, since the cache is
// cleaned and the profile would then name a missing program.
func TestPrintConfigPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "w.json"), world.DefaultJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	setExe := func(path string) {
		old := executable
		executable = func() (string, error) { return path, nil }
		t.Cleanup(func() { executable = old })
	}

	setExe("/usr/local/bin/iamkit")
	code, stdout, stderr := iamkit(t, "", "credential-process", "--world", "w.json", "--role-arn", deployARN, "--print-config", "dev")
	want := "[profile dev]\ncredential_process = /usr/local/bin/iamkit credential-process --world " + filepath.Join(dir, "w.json") + " --role-arn " + deployARN + "\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("relative --world: exit %d, stdout %q, stderr %q, want 0 and %q", code, stdout, stderr, want)
	}

	code, stdout, stderr = iamkit(t, "", "credential-process", "--world", "missing.json", "--role-arn", deployARN, "--print-config", "dev")
	if code != 2 || stdout != "" || !strings.HasPrefix(stderr, "iamkit: credential-process: --world missing.json: no such file or directory") {
		t.Errorf("missing --world: exit %d, stdout %q, stderr %q, want 2 and a refusal", code, stdout, stderr)
	}

	cached := "/root/.cache/go-build/ab/cdef/exe/iamkit"
	setExe(cached)
	code, stdout, stderr = iamkit(t, "", "credential-process", "--role-arn", deployARN, "--print-config", "dev")
	if code != 0 || !strings.Contains(stdout, "credential_process = "+cached+" credential-process") {
		t.Errorf("go run: exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "warning") || !strings.Contains(stderr, "go install ./cmd/iamkit") || !strings.Contains(stderr, cached) {
		t.Errorf("go run: stderr %q, want a warning suggesting go install", stderr)
	}

	// A relative program path (a shell's own lookup) is made absolute.
	setExe("bin/iamkit")
	_, stdout, _ = iamkit(t, "", "credential-process", "--role-arn", deployARN, "--print-config", "dev")
	if !strings.Contains(stdout, "credential_process = "+filepath.Join(dir, "bin/iamkit")+" ") {
		t.Errorf("relative executable: stdout %q", stdout)
	}
}
