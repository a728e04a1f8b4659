// Command lambda-execution-role shows how a Lambda function gets AWS
// credentials: from its execution role, which Lambda assumes for it and
// hands over in environment variables. The function's code holds no access
// key and never calls sts:AssumeRole; the unmodified AWS SDK reads the
// variables and signs with them.
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
//
// Account 111111111111 runs the function "thumbnailer" with the execution
// role "thumbnailer-exec", whose trust policy names the service principal
// lambda.amazonaws.com and whose permission policy allows s3:GetObject on
// the bucket "thumbnailer-uploads". Playing Lambda, the program assumes the
// role as the service (the session named after the function), builds the
// environment a function receives, and runs "the function's code": the
// Go SDK calls STS GetCallerIdentity over HTTP against an in-process STS
// endpoint (package stsapi). It then shows what the role allows and
// refuses, that a role which does not trust Lambda gives a function no
// credentials, and that the credentials expire and are replaced by Lambda,
// not by the function.
//
// Run it with:
//
//	go run ./examples/lambda-execution-role
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lambda-execution-role:", err)
		os.Exit(1)
	}
}

// fixedRand is a deterministic randomness source so the output is the same
// on every run; real programs leave Options.Rand nil (crypto/rand).
type fixedRand struct{ n byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n = r.n*31 + 7
		p[i] = r.n
	}
	return len(p), nil
}

const (
	account  = "111111111111"
	region   = "us-east-1"
	function = "thumbnailer"
	execRole = "arn:aws:iam::" + account + ":role/thumbnailer-exec"
	// webRole is an EC2 instance role: it trusts ec2.amazonaws.com only.
	webRole = "arn:aws:iam::" + account + ":role/web-server"
)

// functionARN is the function's ARN; Lambda names the execution role's
// session after the function (sts.ServiceSessionName).
func functionARN(name string) string {
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + name
}

// lambdaEnvironment is what Lambda puts in a function's environment for
// its credentials and identity: the execution role's access keys,
// AWS_REGION and AWS_LAMBDA_FUNCTION_NAME ("Defined runtime environment
// variables", configuration-envvars.html). The other reserved variables
// (_HANDLER, AWS_LAMBDA_FUNCTION_VERSION, ...) play no part here.
func lambdaEnvironment(c aws.Credentials, name string) map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":        c.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":    c.SecretAccessKey,
		"AWS_SESSION_TOKEN":        c.SessionToken,
		"AWS_REGION":               region,
		"AWS_LAMBDA_FUNCTION_NAME": name,
	}
}

// envOrder is the order in which the transcript prints the environment.
var envOrder = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME"}

// printEnv prints the environment with the secret access key and session
// token redacted (sts.Secret prints "[REDACTED]"): a function should never
// log them either.
func printEnv(w io.Writer, env map[string]string) {
	for _, k := range envOrder {
		v := any(env[k])
		if k == "AWS_SECRET_ACCESS_KEY" || k == "AWS_SESSION_TOKEN" {
			v = sts.NewSecret(env[k])
		}
		fmt.Fprintf(w, "   %s=%v\n", k, v)
	}
}

// handler is "the function's code". Given its environment (os.Getenv in a
// real function), it does what the SDK's default configuration does with
// these variables: config.LoadDefaultConfig's environment source reads
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN into a
// credentials.StaticCredentialsProvider, and AWS_REGION into the region
// (config's env_config.go and resolve_credentials.go). The example builds
// that provider itself from the map rather than calling LoadDefaultConfig,
// because LoadDefaultConfig reads the process environment and shared
// config files, and this "function" runs inside the same process as the
// "Lambda service" that made its environment. The STS endpoint is the
// in-process one; a real function reaches sts.REGION.amazonaws.com.
func handler(ctx context.Context, getenv func(string) string, stsURL string) (*awssts.GetCallerIdentityOutput, error) {
	client := awssts.New(awssts.Options{
		Region:       getenv("AWS_REGION"),
		BaseEndpoint: aws.String(stsURL),
		Credentials: awscreds.NewStaticCredentialsProvider(
			getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")),
	})
	return client.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
}

// refusal formats an error from STS as the SDK reports it: the API error's
// code and message, and the HTTP status of the response.
func refusal(err error) (string, bool) {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return "", false
	}
	status := ""
	var re *awshttp.ResponseError
	var se interface{ HTTPStatusCode() int }
	switch {
	case errors.As(err, &re):
		status = fmt.Sprintf(" (HTTP %d)", re.HTTPStatusCode())
	case errors.As(err, &se):
		status = fmt.Sprintf(" (HTTP %d)", se.HTTPStatusCode())
	}
	return fmt.Sprintf("%s%s: %s", apiErr.ErrorCode(), status, apiErr.ErrorMessage()), true
}

func run(w io.Writer) error {
	ctx := context.Background()
	// now is the issuer's clock; the program moves it to show expiry.
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	dir := sts.NewMemoryDirectory()
	// The execution role: its trust policy names the Lambda service
	// principal, as Lambda requires (lambda-intro-execution-role.html).
	if err := dir.PutRole(sts.Role{ARN: execRole,
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Sid":"ReadUploads",
			"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::thumbnailer-uploads/*"}]}`, policy.Identity)},
	}); err != nil {
		return err
	}
	// An EC2 instance role that someone configures on a function by mistake.
	if err := dir.PutRole(sts.Role{ARN: webRole,
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
	}); err != nil {
		return err
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("l", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock, Rand: &fixedRand{}, Region: region})
	if err != nil {
		return err
	}
	// The STS endpoint, over HTTP. The SDK signs with the wall clock (it
	// has no clock to inject), so the handler checks the signature's date
	// against the wall clock (Options.Now left nil), while the issuer's
	// clock above decides whether a session has expired.
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: issuer})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	// invoke plays Lambda for one execution environment: it assumes the
	// function's execution role as lambda.amazonaws.com, with the session
	// named after the function (credentials.ServiceRoleProvider), and
	// returns the environment the function starts with. The session lasts
	// one hour here; Lambda chooses the duration of its sessions itself
	// (its IAM MaxSessionDuration does not apply, and the function cannot
	// change it: lambda-intro-execution-role.html, "Session duration for
	// temporary security credentials").
	invoke := func(name, role string) (map[string]string, *sts.Session, error) {
		session, err := sts.ServiceSessionName(sts.LambdaServicePrincipal, functionARN(name))
		if err != nil {
			return nil, nil, err
		}
		c, err := credentials.NewServiceRoleProvider(issuer, sts.LambdaServicePrincipal, role, session, time.Hour).Retrieve(ctx)
		if err != nil {
			return nil, nil, err
		}
		s, err := issuer.Authenticate(ctx, c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.SessionToken)
		if err != nil {
			return nil, nil, err
		}
		return lambdaEnvironment(c, name), s, nil
	}
	callFunction := func(env map[string]string) error {
		out, err := handler(ctx, func(k string) string { return env[k] }, srv.URL)
		if err != nil {
			if msg, ok := refusal(err); ok {
				fmt.Fprintf(w, "   refused: %s\n", msg)
				return nil
			}
			return err
		}
		fmt.Fprintf(w, "   GetCallerIdentity: Arn %s\n", aws.ToString(out.Arn))
		fmt.Fprintf(w, "                      UserId %s, Account %s\n", aws.ToString(out.UserId), aws.ToString(out.Account))
		return nil
	}

	fmt.Fprintf(w, "1. Lambda assumes the execution role of %s (the function never calls sts:AssumeRole)\n", functionARN(function))
	env, session, err := invoke(function, execRole)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   role %s, trusting lambda.amazonaws.com\n", execRole)
	fmt.Fprintf(w, "   session %s, issued %s, expires %s\n", session.ARN,
		session.IssuedAt.Format(time.RFC3339), session.ExpiresAt.Format(time.RFC3339))
	fmt.Fprintln(w)

	fmt.Fprintf(w, "2. The environment the function starts with\n")
	printEnv(w, env)
	fmt.Fprintf(w, "   the function's code and configuration hold no access key\n")
	fmt.Fprintln(w)

	fmt.Fprintf(w, "3. The function's code: the Go SDK signs with the environment's credentials\n")
	if err := callFunction(env); err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "4. What the execution role allows\n")
	for _, q := range []struct{ action, resource string }{
		{"s3:GetObject", "arn:aws:s3:::thumbnailer-uploads/cat.jpg"},
		{"s3:DeleteObject", "arn:aws:s3:::thumbnailer-uploads/cat.jpg"},
		{"s3:GetObject", "arn:aws:s3:::payroll/2026-11.csv"},
	} {
		d, err := issuer.Authorize(ctx, session, sts.AuthorizeInput{Action: q.action, Resource: q.resource})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s on %s: %s (%s)\n", q.action, q.resource, d.Explanation.Decision, d.Explanation.Reason)
	}
	fmt.Fprintln(w)

	// A role whose trust policy does not name lambda.amazonaws.com cannot
	// be assumed by Lambda, so it never becomes a function's credentials.
	// Lambda's own API refuses such a role when the function is created or
	// updated (InvalidParameterValueException, "The role defined for the
	// function cannot be assumed by Lambda."); what STS answers the service
	// is shown here.
	fmt.Fprintf(w, "5. A function configured with a role that does not trust Lambda\n")
	fmt.Fprintf(w, "   function %s, role %s (trusting only ec2.amazonaws.com)\n", functionARN("reporter"), webRole)
	if _, _, err := invoke("reporter", webRole); err == nil {
		return errors.New("lambda.amazonaws.com assumed a role that trusts only EC2")
	} else {
		var apiErr *sts.Error
		if !errors.As(err, &apiErr) {
			return err
		}
		fmt.Fprintf(w, "   refused: %s (HTTP %d): %s\n", apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
		fmt.Fprintf(w, "   no credentials reach the function\n")
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "6. The credentials expire, and Lambda, not the function, replaces them\n")
	now = session.ExpiresAt
	fmt.Fprintf(w, "   at %s, the session's Expiration, the same environment:\n", now.Format(time.RFC3339))
	if err := callFunction(env); err != nil {
		return err
	}
	env, session, err = invoke(function, execRole)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Lambda assumes the role again: AWS_ACCESS_KEY_ID=%s, expires %s\n", env["AWS_ACCESS_KEY_ID"],
		session.ExpiresAt.Format(time.RFC3339))
	if err := callFunction(env); err != nil {
		return err
	}
	return nil
}
