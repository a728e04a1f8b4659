package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/world"
)

// The default world's principals (world/default.json).
const (
	aliceARN         = "arn:aws:iam::111111111111:user/alice"
	aliceKeyID       = "AKIARTXV5AHDSK35UWJR"
	aliceSecret      = "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"
	deployARN        = "arn:aws:iam::111111111111:role/deploy"
	readonlyARN      = "arn:aws:iam::111111111111:role/readonly"
	crossARN         = "arn:aws:iam::222222222222:role/cross"
	deployExternalID = "example-external-id"
	crossExternalID  = "example-cross-account-id"
)

// Documentation the expected STS answers come from.
const (
	assumeRoleDoc = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
	chainingDoc   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining"
	callerIDDoc   = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// defaultServer serves the default world with httptest.
func defaultServer(t *testing.T) (*httptest.Server, *syncBuffer) {
	t.Helper()
	w, err := world.LoadFile("")
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	h, err := newServeHandler(w, "us-east-1", &logs)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, &logs
}

// stsClient is aws-sdk-go-v2's STS client pointed at endpoint.
func stsClient(endpoint string, hc *http.Client, akid, secret, token string) *awssts.Client {
	return awssts.New(awssts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		HTTPClient:       hc,
		Credentials:      awscreds.NewStaticCredentialsProvider(akid, secret, token),
		RetryMaxAttempts: 1,
	})
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestServeSDK drives "serve" over the default world with the AWS SDK's
// STS client: alice's identity, AssumeRole with the ExternalId the trust
// policy demands, role chaining, and cross-account AssumeRole.
func TestServeSDK(t *testing.T) {
	srv, logs := defaultServer(t)
	ctx := context.Background()
	alice := stsClient(srv.URL, srv.Client(), aliceKeyID, aliceSecret, "")

	// callerIDDoc: the user's ARN, account and AIDA unique ID.
	id, err := alice.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != aliceARN || aws.ToString(id.Account) != "111111111111" || !strings.HasPrefix(aws.ToString(id.UserId), "AIDA") {
		t.Errorf("GetCallerIdentity = %s %s %s, per %s", aws.ToString(id.Arn), aws.ToString(id.Account), aws.ToString(id.UserId), callerIDDoc)
	}

	// assumeRoleDoc: without the ExternalId the trust policy's condition
	// fails and STS answers AccessDenied.
	_, err = alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(deployARN), RoleSessionName: aws.String("ci")})
	if code := errorCode(err); code != "AccessDenied" {
		t.Errorf("AssumeRole deploy without ExternalId: %v, want AccessDenied per %s", err, assumeRoleDoc)
	}
	out, err := alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(deployARN), RoleSessionName: aws.String("ci"),
		ExternalId: aws.String(deployExternalID)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::111111111111:assumed-role/deploy/ci" {
		t.Errorf("AssumedRoleUser.Arn = %s", got)
	}
	c := out.Credentials
	deploy := stsClient(srv.URL, srv.Client(), aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))

	// chainingDoc: a role session may assume another role, for at most an
	// hour.
	chained, err := deploy.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(readonlyARN), RoleSessionName: aws.String("chained")})
	if err != nil {
		t.Fatalf("chaining to readonly: %v", err)
	}
	if exp := aws.ToTime(chained.Credentials.Expiration); time.Until(exp) > time.Hour+time.Minute {
		t.Errorf("chained session expires at %v, more than an hour away (%s)", exp, chainingDoc)
	}
	cc := chained.Credentials
	readonly := stsClient(srv.URL, srv.Client(), aws.ToString(cc.AccessKeyId), aws.ToString(cc.SecretAccessKey), aws.ToString(cc.SessionToken))
	id, err = readonly.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(id.Arn); got != "arn:aws:sts::111111111111:assumed-role/readonly/chained" {
		t.Errorf("chained session is %s", got)
	}
	// readonly's policies do not allow sts:AssumeRole.
	_, err = readonly.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(deployARN), RoleSessionName: aws.String("again"),
		ExternalId: aws.String(deployExternalID)})
	if code := errorCode(err); code != "AccessDenied" {
		t.Errorf("readonly assuming deploy: %v, want AccessDenied", err)
	}

	// Cross-account: the role in 222222222222 trusts account 111111111111
	// with an ExternalId, and alice's policy allows the call.
	x, err := alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(crossARN), RoleSessionName: aws.String("xacct"),
		ExternalId: aws.String(crossExternalID)})
	if err != nil {
		t.Fatalf("cross-account AssumeRole: %v", err)
	}
	if got := aws.ToString(x.AssumedRoleUser.Arn); got != "arn:aws:sts::222222222222:assumed-role/cross/xacct" {
		t.Errorf("cross-account session is %s", got)
	}

	// One log line per request, with the action, status and request ID,
	// and no credential.
	lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
	wantActions := []string{"GetCallerIdentity 200", "AssumeRole 403", "AssumeRole 200", "AssumeRole 200", "GetCallerIdentity 200", "AssumeRole 403", "AssumeRole 200"}
	if len(lines) != len(wantActions) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(wantActions), logs)
	}
	for i, l := range lines {
		f := strings.Fields(wantActions[i])
		for _, want := range []string{"method=POST", "action=" + f[0], "status=" + f[1], "request_id="} {
			if !strings.Contains(l, want) {
				t.Errorf("log line %d %q lacks %q", i, l, want)
			}
		}
		if strings.Contains(l, "request_id= ") {
			t.Errorf("log line %d has no request ID: %q", i, l)
		}
	}
	for _, secret := range []string{aliceSecret, aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken), aws.ToString(cc.SessionToken), deployExternalID, "Signature="} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log shows a secret or a request parameter (%.12s...)", secret)
		}
	}
}

// TestServeLogForged: the log names only actions STS has, so a client
// cannot write into it: an unknown, forged or unsigned request logs
// "action=-", and its text never appears.
func TestServeLogForged(t *testing.T) {
	srv, logs := defaultServer(t)
	for _, body := range []string{
		"Action=Get%0Astatus%3D200&Version=2011-06-15",
		"Action=" + strings.Repeat("A", 65) + "&Version=2011-06-15",
		"Action=GetCallerIdentity&Version=2011-06-15", // unsigned
	} {
		resp, err := srv.Client().Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines, want 3:\n%s", len(lines), logs)
	}
	for i, l := range lines {
		if !strings.Contains(l, "action=- ") || strings.Contains(l, "AAAA") || strings.Contains(l, "GetCallerIdentity") {
			t.Errorf("log line %d = %q, want action=- and no client text", i, l)
		}
	}
}

// TestCheckLoopback: serve listens on loopback unless told otherwise.
func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "127.8.9.10:1": true, "[::1]:8080": true, "localhost:0": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "192.168.1.2:8080": false, "example.com:80": false, "nonsense": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
	code, _, stderr := iamkit(t, "", "serve", "--addr", "0.0.0.0:8080")
	if code != 2 || !strings.Contains(stderr, "--allow-remote") {
		t.Errorf("serve --addr 0.0.0.0:8080: exit %d, stderr %q", code, stderr)
	}
}

// TestServeSmoke runs the real server on a free loopback port, calls it
// once and shuts it down as SIGINT would.
func TestServeSmoke(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	var stdout, stderr syncBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- serveMain(ctx, []string{"--addr", "127.0.0.1:0"}, &stdout, &stderr, func(a net.Addr) { addrc <- a })
	}()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case code := <-exit:
		t.Fatalf("serve exited with %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	client := stsClient("http://"+addr.String(), &http.Client{Timeout: 10 * time.Second}, aliceKeyID, aliceSecret, "")
	id, err := client.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != aliceARN {
		t.Errorf("GetCallerIdentity = %s", aws.ToString(id.Arn))
	}
	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited with %d after shutdown", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
	out := stderr.String()
	for _, want := range []string{"STS endpoint http://" + addr.String(), "action=GetCallerIdentity", "shutting down"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
}
