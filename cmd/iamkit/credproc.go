package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/world"
)

const credentialProcessUsage = `Usage: iamkit credential-process --role-arn ARN [--world FILE] [--external-id ID]
         [--duration 1h] [--role-session-name NAME] [--region us-east-1]
         [--access-key-id AKIA... --secret-access-key SECRET [--session-token TOKEN]]
         [--print-config PROFILE]

Assumes a role of a world file and prints the temporary credentials as the
JSON that the credential_process setting of AWS config files expects:

  {"Version": 1, "AccessKeyId": "ASIA...", "SecretAccessKey": "...",
   "SessionToken": "...", "Expiration": "2026-01-02T15:04:05Z",
   "AccountId": "111111111111"}

The credentials are sealed with the world's key ring, so "iamkit serve"
with the same world accepts them. The caller is the access key given by
the flags, else AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_SESSION_TOKEN from the environment, else the first user of the world
with an active access key.

  --role-arn ARN            the role to assume (required)
  --world FILE              the world file (default: the built-in world)
  --external-id ID          the ExternalId the role's trust policy may demand
  --duration D              the session's duration, such as 1h or 3600s (default 1h)
  --role-session-name NAME  the session name (default iamkit-credential-process)
  --region REGION           the STS region (default us-east-1)
  --print-config PROFILE    print an AWS config file profile that runs this
                            command, instead of credentials; the --world file
                            must exist, and both paths are written absolute
                            (install first, "go install ./cmd/iamkit": a
                            "go run" binary does not outlive Go's cache)

Failures are reported on standard error with the STS error code, exit
status 1 (2 for usage errors).
`

// credentialProcessOutput is the credential_process JSON, fields in the
// order AWS documents them.
// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html
type credentialProcessOutput struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId"`
}

const defaultSessionName = "iamkit-credential-process"

// runCredentialProcess implements "iamkit credential-process". getenv
// reads the environment.
func runCredentialProcess(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	const cmd = "credential-process"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	worldFile := fs.String("world", "", "")
	roleARN := fs.String("role-arn", "", "")
	externalID := fs.String("external-id", "", "")
	durationText := fs.String("duration", "1h", "")
	sessionName := fs.String("role-session-name", defaultSessionName, "")
	region := fs.String("region", defaultRegion, "")
	keyID := fs.String("access-key-id", "", "")
	secret := fs.String("secret-access-key", "", "")
	token := fs.String("session-token", "", "")
	profile := fs.String("print-config", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, credentialProcessUsage)
			return 0
		}
		return usageError(stderr, cmd, err.Error())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	dur, err := parseDuration(*durationText)
	switch {
	case fs.NArg() > 0:
		return usageError(stderr, cmd, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *roleARN == "":
		return usageError(stderr, cmd, "--role-arn ARN is required")
	case err != nil:
		return usageError(stderr, cmd, err.Error())
	case (*keyID == "") != (*secret == ""):
		return usageError(stderr, cmd, "--access-key-id and --secret-access-key go together")
	case *token != "" && *keyID == "":
		return usageError(stderr, cmd, "--session-token needs --access-key-id and --secret-access-key")
	}
	if *profile != "" {
		if *secret != "" || *token != "" {
			return usageError(stderr, cmd, "--print-config does not write secrets into a config file; leave out --secret-access-key and --session-token")
		}
		return printConfig(stdout, stderr, *profile, fs, set)
	}

	w, err := world.LoadFile(*worldFile)
	if err != nil {
		printWorldError(stderr, cmd, err)
		return 2
	}
	if w.KeyRing() == nil {
		fmt.Fprintf(stderr, "iamkit: %s: the world has no keyRing, so no server could verify the credentials; add one (see \"go doc github.com/iamkit/iamkit/cmd/iamkit\")\n", cmd)
		return 1
	}
	caller, from := *keyID, "--access-key-id"
	callerSecret, callerToken := *secret, *token
	if caller == "" {
		if id := getenv("AWS_ACCESS_KEY_ID"); id != "" {
			caller, from = id, "AWS_ACCESS_KEY_ID"
			callerSecret, callerToken = getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
		} else if k, ok := w.CallerKey(); ok {
			caller, from = k.ID, "the world's user "+k.UserARN
			callerSecret = k.Secret.Reveal()
		} else {
			fmt.Fprintf(stderr, "iamkit: %s: no caller: pass --access-key-id and --secret-access-key, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give a user of the world an access key\n", cmd)
			return 1
		}
	}
	out, err := assumeRoleForProcess(w, *region, caller, sts.NewSecret(callerSecret), callerToken, &sts.AssumeRoleInput{
		RoleArn: *roleARN, RoleSessionName: *sessionName, ExternalId: optional(*externalID, set["external-id"]),
		DurationSeconds: optionalInt32(int32(dur/time.Second), set["duration"])})
	if err != nil {
		var se *sts.Error
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "iamkit: %s: %s: %s (caller %s from %s)\n", cmd, se.Code, se.Message, caller, from)
		} else {
			fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
		}
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

// assumeRoleForProcess authenticates the caller and assumes the role with
// an issuer of the world.
func assumeRoleForProcess(w *world.World, region, accessKeyID string, secret sts.Secret, token string, in *sts.AssumeRoleInput) (*credentialProcessOutput, error) {
	ctx := context.Background()
	issuer, err := w.Issuer(sts.Options{Region: region})
	if err != nil {
		return nil, err
	}
	caller, err := issuer.Authenticate(ctx, accessKeyID, secret, token)
	if err != nil {
		return nil, err
	}
	out, err := issuer.AssumeRole(ctx, caller, in)
	if err != nil {
		return nil, err
	}
	// AccountId comes from the session's ARN, as stscreds takes it.
	a, err := principal.ParseARN(out.AssumedRoleUser.Arn)
	if err != nil {
		return nil, err
	}
	c := out.Credentials
	return &credentialProcessOutput{Version: 1, AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey.Reveal(),
		SessionToken: c.SessionToken, Expiration: c.Expiration.UTC().Format(time.RFC3339), AccountID: a.Account}, nil
}

// executable returns the path of the running program; tests replace it.
var executable = os.Executable

// printConfig implements --print-config: it prints an AWS config profile
// that runs this command with the flags in set, every path absolute, since
// the AWS CLI runs the command from any directory. It refuses a --world
// that does not exist, and warns when this program is a "go run" build,
// whose path in Go's build cache does not outlive the cache's cleaning.
func printConfig(stdout, stderr io.Writer, profile string, flags *flag.FlagSet, set map[string]bool) int {
	const cmd = "credential-process"
	exe, err := executable()
	if err == nil {
		exe, err = filepath.Abs(exe)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
		return 1
	}
	if strings.Contains(filepath.ToSlash(exe), "/go-build") {
		fmt.Fprintf(stderr, "iamkit: %s: warning: %s is in Go's build cache (go run); the profile will stop working when the cache is cleaned: run \"go install ./cmd/iamkit\" and then \"iamkit credential-process ... --print-config %s\"\n", cmd, exe, profile)
	}
	var pass []string
	for _, name := range []string{"world", "role-arn", "external-id", "duration", "role-session-name", "region", "access-key-id"} {
		if !set[name] {
			continue
		}
		v := flags.Lookup(name).Value.String()
		if name == "world" {
			abs, err := filepath.Abs(v)
			if err == nil {
				_, err = os.Stat(abs)
			}
			if err != nil {
				return usageError(stderr, cmd, fmt.Sprintf("--world %s: %v (the profile would name a world file that is not there)", v, unwrapPath(err)))
			}
			v = abs
		}
		pass = append(pass, "--"+name, v)
	}
	fmt.Fprint(stdout, profileConfig(profile, exe, pass))
	return 0
}

// unwrapPath returns the reason of a *fs.PathError, whose message repeats
// the path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// parseDuration reads a Go duration ("1h", "3600s") or whole seconds
// ("3600") and requires whole seconds in int32 range.
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.ParseInt(s, 10, 32)
		if nerr != nil {
			return 0, fmt.Errorf("--duration %q: want a duration such as 1h or 3600s", s)
		}
		d = time.Duration(n) * time.Second
	}
	if d <= 0 || d%time.Second != 0 || d > 1<<31*time.Second-1 {
		return 0, fmt.Errorf("--duration %q: want a positive whole number of seconds", s)
	}
	return d, nil
}

func optional(s string, set bool) *string {
	if !set {
		return nil
	}
	return &s
}

func optionalInt32(n int32, set bool) *int32 {
	if !set {
		return nil
	}
	return &n
}

// profileConfig returns an AWS config file profile whose credential_process
// runs exe with args. Arguments are quoted for a POSIX shell, which is how
// aws-sdk-go-v2 runs the command (sh -c) and how botocore splits it
// (shlex).
func profileConfig(profile, exe string, args []string) string {
	var b strings.Builder
	b.WriteString("[profile " + profile + "]\n")
	b.WriteString("credential_process = " + shellQuote(exe) + " credential-process")
	for _, a := range args {
		b.WriteString(" " + shellQuote(a))
	}
	b.WriteString("\n")
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// characters that need no quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
