package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAWSCLIProfileChain drives "serve" with the AWS CLI through an AWS
// config profile whose credentials come from "iamkit credential-process",
// then chains from that role session to another role, as
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
// and id_roles_use.html (role chaining) describe. .ci/run installs the CLI;
// without it the test is skipped locally and fails under CI=true.
func TestAWSCLIProfileChain(t *testing.T) {
	const cli = "/usr/bin/aws"
	if _, err := os.Stat(cli); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing: .ci/run must install awscli", cli)
		}
		t.Skipf("%s is not installed", cli)
	}
	bin := buildIamkit(t)
	world := writeDefaultWorld(t)
	w, err := loadWorldFile(world)
	if err != nil {
		t.Fatal(err)
	}
	h, err := newServeHandler(w, "us-east-1", &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	home := t.TempDir()
	config := filepath.Join(home, "config")
	profile := profileConfig("deploy", bin, []string{"--world", world, "--role-arn", deployARN, "--external-id", deployExternalID})
	if err := os.WriteFile(config, []byte(profile+"region = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, cli, append(args, "--profile", "deploy", "--endpoint-url", srv.URL, "--output", "json")...)
		// No credentials in the environment: the profile's
		// credential_process supplies them (and itself signs in as the
		// world's first user).
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_CONFIG_FILE=" + config,
			"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"), "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true"}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("aws %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}
	out, _ := run("sts", "get-caller-identity")
	if !strings.Contains(out, `"Arn": "arn:aws:sts::111111111111:assumed-role/deploy/`) {
		t.Errorf("get-caller-identity --profile deploy = %s", out)
	}
	out, _ = run("sts", "assume-role", "--role-arn", readonlyARN, "--role-session-name", "chained")
	if !strings.Contains(out, `"Arn": "arn:aws:sts::111111111111:assumed-role/readonly/chained"`) {
		t.Errorf("assume-role readonly from the deploy profile = %s", out)
	}
}
