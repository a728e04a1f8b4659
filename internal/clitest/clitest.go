// Package clitest finds the AWS CLIs and boto3s installed on this machine
// and runs them in isolated environments, for the end-to-end tests that
// drive iamkit's endpoints with real, unmodified clients (stsapi,
// cmd/iamkit, credentials). It is test support: only _test.go files import
// it.
package clitest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Discovery of the AWS CLIs and boto3s the end-to-end tests run against:
// every `aws` and every `python3` on PATH (in PATH order, as exec.LookPath
// searches it) plus Debian's /usr/bin/aws and /usr/bin/python3, each probed
// in the same isolated environment the tests then run it in, and deduplicated
// by what actually runs (the CLI's version line; the interpreter and boto3
// module that `import boto3` loads).

// Timeout bounds every CLI or Python run, so a hung client fails
// its test instead of hanging the suite.
const Timeout = 60 * time.Second

// How to install what the tests need, for [Require]'s message.
const (
	InstallCLI   = "Debian: apt-get install awscli; or pip install awscli"
	InstallBoto3 = "Debian: apt-get install python3-boto3; or pip install boto3"
)

// pathCandidates lists the executables named name in the directories of
// PATH, then the extra paths, without duplicates by resolved real path.
// Relative PATH entries are skipped, as exec.LookPath refuses them.
func pathCandidates(name string, extra ...string) []string {
	var paths []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir != "" && filepath.IsAbs(dir) {
			paths = append(paths, filepath.Join(dir, name))
		}
	}
	paths = append(paths, extra...)
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			continue
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			real = p
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		out = append(out, p)
	}
	return out
}

// Env is a subprocess environment with nothing inherited from the
// machine but the directory of exe on PATH: a private HOME, empty config and
// credentials files in it, no instance metadata, no pager, and the given
// AWS_* variables only.
func Env(t testing.TB, exe string, aws ...string) []string {
	t.Helper()
	home := t.TempDir()
	config, creds := filepath.Join(home, "config"), filepath.Join(home, "credentials")
	for _, f := range []string{config, creds} {
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"HOME=" + home,
		"PATH=" + filepath.Dir(exe) + ":/usr/bin:/bin",
		"AWS_CONFIG_FILE=" + config,
		"AWS_SHARED_CREDENTIALS_FILE=" + creds,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	}
	return append(env, aws...)
}

// Run runs exe with args in env under Timeout and returns
// its exit status, stdout and stderr. A failure to start, or a timeout,
// fails the test.
func Run(t testing.TB, exe string, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: timed out after %v\nstdout: %s\nstderr: %s", exe, strings.Join(args, " "), Timeout, out.String(), errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", exe, err)
	}
	return code, out.String(), errb.String()
}

// CLI is one AWS CLI found.
type CLI struct {
	Path         string // as found (may be a pyenv shim)
	Version      string // "2.9.19"
	Major, Minor int
	VersionLine  string // the whole of `aws --version`
}

// Name is the subtest name: "aws-cli/MAJOR.MINOR".
func (c CLI) Name() string { return fmt.Sprintf("aws-cli/%d.%d", c.Major, c.Minor) }

// ServiceErrorExit is the CLI's exit status for an error returned by the
// service: 255 for v1, 254 for v2
// (https://docs.aws.amazon.com/cli/latest/topic/return-codes.html).
func (c CLI) ServiceErrorExit(t testing.TB) int {
	switch c.Major {
	case 1:
		return 255
	case 2:
		return 254
	}
	t.Fatalf("%s: no known service-error exit status for AWS CLI major version %d", c.Path, c.Major)
	return 0
}

var cliVersionRE = regexp.MustCompile(`aws-cli/(\d+)\.(\d+)\.(\d+)`)

// CLIs holds the result of discoverCLIs; probing costs a CLI
// start-up each, so it runs once per test binary.
var CLIs = sync.OnceValues(func() ([]CLI, []string) {
	var clis []CLI
	var notes []string
	seen := map[string]bool{}
	for _, p := range pathCandidates("aws", "/usr/bin/aws") {
		c, err := probeCLI(p)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		key := "aws-cli/" + c.Version
		if seen[key] {
			notes = append(notes, fmt.Sprintf("%s: %s, already found", p, key))
			continue
		}
		seen[key] = true
		clis = append(clis, c)
		notes = append(notes, fmt.Sprintf("%s: %s", p, c.VersionLine))
	}
	return clis, notes
})

// probeCLI runs `aws --version` in an isolated environment (as the tests
// will run it, so a pyenv shim resolves the same way).
func probeCLI(path string) (CLI, error) {
	home, err := os.MkdirTemp("", "awscli-probe")
	if err != nil {
		return CLI{}, err
	}
	defer os.RemoveAll(home)
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--version")
	cmd.Env = []string{"HOME=" + home, "PATH=" + filepath.Dir(path) + ":/usr/bin:/bin",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER="}
	cmd.WaitDelay = 5 * time.Second
	raw, err := cmd.CombinedOutput() // v1 printed its version on stderr
	if err != nil {
		return CLI{}, fmt.Errorf("--version: %v: %s", err, bytes.TrimSpace(raw))
	}
	line := strings.TrimSpace(string(raw))
	m := cliVersionRE.FindStringSubmatch(line)
	if m == nil {
		return CLI{}, fmt.Errorf("--version printed %q, not aws-cli/X.Y.Z", line)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	return CLI{Path: path, Version: m[1] + "." + m[2] + "." + m[3], Major: major, Minor: minor, VersionLine: line}, nil
}

// Boto3 is one python3 that can import boto3.
type Boto3 struct {
	Found      string // the python3 found on PATH (may be a pyenv shim)
	Executable string // its sys.executable, which the tests run
	Boto3      string // boto3.__version__
	Botocore   string // botocore.__version__
}

// Name is the subtest name: "boto3/VERSION".
func (b Boto3) Name() string { return "boto3/" + b.Boto3 }

const boto3Probe = `import os, sys, boto3, botocore
print(sys.executable)
print(os.path.realpath(sys.executable) + " " + os.path.realpath(boto3.__file__))
print(boto3.__version__)
print(botocore.__version__)`

// Boto3s returns every python3 that imports boto3, deduplicated by
// interpreter and boto3 location, and notes on each candidate. It probes
// once per test binary.
var Boto3s = sync.OnceValues(func() ([]Boto3, []string) {
	var found []Boto3
	var notes []string
	seen := map[string]bool{}
	for _, p := range pathCandidates("python3", "/usr/bin/python3") {
		b, key, err := probeBoto3(p)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		if seen[key] {
			notes = append(notes, fmt.Sprintf("%s: boto3 %s (%s), already found", p, b.Boto3, key))
			continue
		}
		seen[key] = true
		found = append(found, b)
		notes = append(notes, fmt.Sprintf("%s: %s boto3 %s botocore %s", p, b.Executable, b.Boto3, b.Botocore))
	}
	return found, notes
})

// probeBoto3 asks python3 at path, in an isolated environment, which
// interpreter it is and which boto3 it imports. key identifies the pair:
// the interpreter's real path and boto3's real location (so a virtualenv,
// whose interpreter resolves to its base's, still counts on its own).
func probeBoto3(path string) (b Boto3, key string, err error) {
	home, err := os.MkdirTemp("", "boto3-probe")
	if err != nil {
		return b, "", err
	}
	defer os.RemoveAll(home)
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-c", boto3Probe)
	cmd.Env = []string{"HOME=" + home, "PATH=" + filepath.Dir(path) + ":/usr/bin:/bin",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"}
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = msg[i+1:]
		}
		return b, "", fmt.Errorf("no boto3: %v: %s", err, msg)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		return b, "", fmt.Errorf("probe printed %q", out.String())
	}
	return Boto3{Found: path, Executable: lines[0], Boto3: lines[2], Botocore: lines[3]}, lines[1], nil
}

// Require skips the test when nothing was found, or fails it under
// CI=true, saying what to install.
func Require(t *testing.T, n int, what, install string, notes []string) {
	t.Helper()
	for _, n := range notes {
		t.Log(n)
	}
	if n > 0 {
		return
	}
	msg := fmt.Sprintf("no %s found on PATH or in /usr/bin (%s)", what, install)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true requires it: .ci/run installs it")
	}
	t.Skip(msg)
}
