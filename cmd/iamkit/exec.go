package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/world"
)

const execUsage = `Usage: iamkit exec --role ARN [--world FILE] [--function-name NAME]
                   [--service lambda.amazonaws.com] [--duration 1h] [--region us-east-1]
                   [--endpoint-url URL] -- COMMAND [ARG...]

Runs COMMAND with a session of the role in its environment, as AWS Lambda
gives a function its execution role: AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, with AWS_REGION,
AWS_DEFAULT_REGION and AWS_LAMBDA_FUNCTION_NAME. The service assumes the
role (its trust policy must trust the service principal), and the session
is named after the function, as Lambda names it. The credentials are sealed
with the world's key ring, so "iamkit serve" with the same world accepts
them; --endpoint-url also sets AWS_ENDPOINT_URL for the command's SDK.

  --role ARN            the execution role (required)
  --world FILE          the world file (default: the built-in world)
  --function-name NAME  the function's name, the session name (default
                        iamkit-exec)
  --service PRINCIPAL   the service that assumes the role (default
                        lambda.amazonaws.com)
  --duration D          the session's duration (default 1h)
  --region REGION       the region (default us-east-1)
  --endpoint-url URL    set AWS_ENDPOINT_URL for the command

The command inherits the environment except the AWS_ credential and
profile variables, which would take precedence or mislead; secrets are
passed in its environment only, never on a command line or in a message.
iamkit exits with the command's exit status (2 for usage errors, 1 when the
role cannot be assumed or the command cannot start).
`

// execDropped are the environment variables exec does not pass on: the
// caller's own credentials and profile, which the SDKs would otherwise
// prefer or mix in.
var execDropped = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_LAMBDA_FUNCTION_NAME"}

// runExec implements "iamkit exec".
func runExec(args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	const cmd = "exec"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	roleARN := fs.String("role", "", "")
	worldFile := fs.String("world", "", "")
	function := fs.String("function-name", "iamkit-exec", "")
	service := fs.String("service", "lambda.amazonaws.com", "")
	durationText := fs.String("duration", "1h", "")
	region := fs.String("region", defaultRegion, "")
	endpoint := fs.String("endpoint-url", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, execUsage)
			return 0
		}
		return usageError(stderr, cmd, err.Error())
	}
	dur, err := parseDuration(*durationText)
	command := fs.Args()
	switch {
	case *roleARN == "":
		return usageError(stderr, cmd, "--role ARN is required")
	case err != nil:
		return usageError(stderr, cmd, err.Error())
	case len(command) == 0:
		return usageError(stderr, cmd, "no command: give it after --, as in iamkit exec --role ARN -- aws s3 ls")
	case !strings.HasSuffix(*service, ".amazonaws.com"):
		return usageError(stderr, cmd, fmt.Sprintf("--service %q is not an AWS service principal (SERVICE.amazonaws.com)", *service))
	}
	w, err := world.LoadFile(*worldFile)
	if err != nil {
		printWorldError(stderr, cmd, err)
		return 2
	}
	if w.KeyRing() == nil {
		fmt.Fprintf(stderr, "iamkit: %s: the world has no keyRing, so no server could verify the credentials; add one\n", cmd)
		return 1
	}
	issuer, err := w.Issuer(sts.Options{Region: *region})
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
		return 1
	}
	secs := int32(dur / time.Second)
	out, err := issuer.AssumeRoleForService(context.Background(), *service, &sts.AssumeRoleInput{
		RoleArn: *roleARN, RoleSessionName: *function, DurationSeconds: &secs})
	if err != nil {
		var se *sts.Error
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "iamkit: %s: %s: %s\n", cmd, se.Code, se.Message)
		} else {
			fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
		}
		return 1
	}
	c := out.Credentials
	env := make([]string, 0, len(environ)+8)
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, d := range execDropped {
			if name == d {
				drop = true
				break
			}
		}
		if !drop {
			env = append(env, kv)
		}
	}
	env = append(env, "AWS_ACCESS_KEY_ID="+c.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+c.SecretAccessKey.Reveal(),
		"AWS_SESSION_TOKEN="+c.SessionToken, "AWS_REGION="+*region, "AWS_DEFAULT_REGION="+*region,
		"AWS_LAMBDA_FUNCTION_NAME="+*function)
	if *endpoint != "" {
		env = append(env, "AWS_ENDPOINT_URL="+*endpoint)
	}
	return runChild(stderr, command, env, stdin, stdout)
}

// runChild runs command with env, passing on SIGINT and SIGTERM, and
// returns its exit status.
func runChild(stderr io.Writer, command, env []string, stdin io.Reader, stdout io.Writer) int {
	path, err := exec.LookPath(command[0])
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: exec: %v\n", err)
		return 1
	}
	child := exec.Command(path, command[1:]...)
	child.Env, child.Stdin, child.Stdout, child.Stderr = env, stdin, stdout, stderr
	if err := child.Start(); err != nil {
		fmt.Fprintf(stderr, "iamkit: exec: %v\n", err)
		return 1
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = child.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err = child.Wait()
	close(done)
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			return 128 + int(st.Signal())
		}
		return ee.ExitCode()
	}
	fmt.Fprintf(stderr, "iamkit: exec: %v\n", err)
	return 1
}
