package main

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/internal/clitest"
	worldpkg "github.com/iamkit/iamkit/world"
)

// TestAWSCLIProfileChain drives "serve" with every AWS CLI found through an
// AWS config profile whose credentials come from "iamkit credential-process",
// then chains from that role session to another role, as
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
// and id_roles_use.html (role chaining) describe. .ci/run installs the CLI;
// without one the test is skipped locally and fails under CI=true.
func TestAWSCLIProfileChain(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	bin := buildIamkit(t)
	world := writeDefaultWorld(t)
	w, err := worldpkg.LoadFile(world)
	if err != nil {
		t.Fatal(err)
	}
	h, err := newServeHandler(w, "us-east-1", &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, cli := range clis {
		t.Run(cli.Name(), func(t *testing.T) {
			// No credentials in the environment: the profile's
			// credential_process supplies them (and itself signs in as the
			// world's first user).
			env := clitest.Env(t, cli.Path)
			var config string
			for _, kv := range env {
				if v, ok := strings.CutPrefix(kv, "AWS_CONFIG_FILE="); ok {
					config = v
				}
			}
			profile := profileConfig("deploy", bin, []string{"--world", world, "--role-arn", deployARN, "--external-id", deployExternalID})
			if err := os.WriteFile(config, []byte(profile+"region = us-east-1\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) string {
				t.Helper()
				code, out, errs := clitest.Run(t, cli.Path, env, append(args, "--profile", "deploy", "--endpoint-url", srv.URL, "--output", "json")...)
				if code != 0 {
					t.Fatalf("aws %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
				}
				return out
			}
			if out := run("sts", "get-caller-identity"); !strings.Contains(out, `"Arn": "arn:aws:sts::111111111111:assumed-role/deploy/`) {
				t.Errorf("get-caller-identity --profile deploy = %s", out)
			}
			if out := run("sts", "assume-role", "--role-arn", readonlyARN, "--role-session-name", "chained"); !strings.Contains(out, `"Arn": "arn:aws:sts::111111111111:assumed-role/readonly/chained"`) {
				t.Errorf("assume-role readonly from the deploy profile = %s", out)
			}
		})
	}
}
