package stsapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

const (
	aliceKey    = "AKIAQ3EGRHQKKIHC2LNU"
	aliceSecret = "alice-secret-0000000000000000000000000000"
	roleARN     = "arn:aws:iam::111111111111:role/deploy"
	chainARN    = "arn:aws:iam::111111111111:role/next"
)

// world is a small account: alice may assume deploy with an ExternalId, and
// deploy may assume next (role chaining).
func world(t testing.TB) *sts.Issuer {
	t.Helper()
	return worldWithClock(t, nil)
}

// worldWithClock is world with the issuer's clock (nil: time.Now).
func worldWithClock(t testing.TB, now func() time.Time) *sts.Issuer {
	t.Helper()
	dir := sts.NewMemoryDirectory()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(dir.PutUser(sts.User{ARN: "arn:aws:iam::111111111111:user/alice", UniqueID: "AIDAALICE00000000001",
		AccessKeys: []sts.AccessKey{{ID: aliceKey, Secret: sts.NewSecret(aliceSecret)}},
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetFederationToken","sts:TagSession","sts:GetAccessKeyInfo","sts:DecodeAuthorizationMessage"],"Resource":"*"}]}`, policy.Identity)}}))
	must(dir.PutRole(sts.Role{ARN: roleARN, UniqueID: "AROADEPLOY0000000001",
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sts:AssumeRole",
			"Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111111111111:role/next"}]}`, policy.Identity)}}))
	must(dir.PutRole(sts.Role{ARN: chainARN, UniqueID: "AROANEXT000000000001", MaxSessionDuration: 12 * time.Hour,
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111111111111:role/deploy"},"Action":"sts:AssumeRole"}]}`, policy.Trust)}))
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("stsapi-test-key-material-0123456789")})
	must(err)
	is, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: now})
	must(err)
	return is
}

func server(t *testing.T) (*httptest.Server, *sts.Issuer) {
	t.Helper()
	is := world(t)
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: is})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, is
}

// client returns the AWS SDK's STS client pointed at srv.
func client(srv *httptest.Server, akid, secret, token string) *awssts.Client {
	return awssts.New(awssts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		HTTPClient:       srv.Client(),
		Credentials:      awscreds.NewStaticCredentialsProvider(akid, secret, token),
		RetryMaxAttempts: 1,
	})
}

func apiCode(t *testing.T, err error) (string, string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v is not a smithy.APIError", err)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.ServiceRequestID() == "" {
		t.Errorf("error %v carries no request ID", err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

// TestSDKClient drives the handler with aws-sdk-go-v2's STS client, as a
// program written against AWS would. Expected answers:
// API_GetCallerIdentity.html, API_AssumeRole.html (ExternalId, role
// chaining), API_GetSessionToken.html, API_GetFederationToken.html,
// API_GetAccessKeyInfo.html, CommonErrors.html.
func TestSDKClient(t *testing.T) {
	srv, _ := server(t)
	ctx := context.Background()
	alice := client(srv, aliceKey, aliceSecret, "")

	id, err := alice.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != "arn:aws:iam::111111111111:user/alice" || aws.ToString(id.Account) != "111111111111" || aws.ToString(id.UserId) != "AIDAALICE00000000001" {
		t.Errorf("GetCallerIdentity = %s %s %s", aws.ToString(id.Arn), aws.ToString(id.Account), aws.ToString(id.UserId))
	}

	// The confused-deputy guard: the trust policy demands ExternalId ext-123.
	_, err = alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), ExternalId: aws.String("wrong")})
	if code, msg := apiCode(t, err); code != "AccessDenied" || !strings.Contains(msg, "is not authorized to perform: sts:AssumeRole") {
		t.Errorf("AssumeRole with a wrong ExternalId = %s: %s", code, msg)
	}
	out, err := alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("s1"), ExternalId: aws.String("ext-123")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::111111111111:assumed-role/deploy/s1" {
		t.Errorf("AssumedRoleUser.Arn = %s", got)
	}
	if got := aws.ToString(out.AssumedRoleUser.AssumedRoleId); got != "AROADEPLOY0000000001:s1" {
		t.Errorf("AssumedRoleId = %s", got)
	}
	if exp := aws.ToTime(out.Credentials.Expiration); time.Until(exp) < 59*time.Minute || time.Until(exp) > 61*time.Minute {
		t.Errorf("Expiration %v is not one hour away", exp)
	}
	c := out.Credentials
	deploy := client(srv, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	id, err = deploy.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != "arn:aws:sts::111111111111:assumed-role/deploy/s1" {
		t.Errorf("session GetCallerIdentity Arn = %s", aws.ToString(id.Arn))
	}

	// Role chaining is capped at one hour.
	_, err = deploy.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(chainARN), RoleSessionName: aws.String("s2"), DurationSeconds: aws.Int32(7200)})
	if code, msg := apiCode(t, err); code != "ValidationError" || msg != "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining." {
		t.Errorf("chained AssumeRole over an hour = %s: %s", code, msg)
	}
	if _, err := deploy.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(chainARN), RoleSessionName: aws.String("s2")}); err != nil {
		t.Errorf("chained AssumeRole: %v", err)
	}
	// Role sessions cannot call GetSessionToken.
	_, err = deploy.GetSessionToken(ctx, &awssts.GetSessionTokenInput{})
	if code, _ := apiCode(t, err); code != "AccessDenied" {
		t.Errorf("GetSessionToken with role credentials = %s", code)
	}

	// MinimumSessionTokenSize pads the token; SessionTokenSize reports it
	// (API_AssumeRole.html).
	padded, err := alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("pad"),
		ExternalId: aws.String("ext-123"), MinimumSessionTokenSize: aws.Int32(2048)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(aws.ToString(padded.Credentials.SessionToken)); n < 2048 || aws.ToInt32(padded.SessionTokenSize) != int32(n) {
		t.Errorf("padded token of %d bytes, SessionTokenSize %d", n, aws.ToInt32(padded.SessionTokenSize))
	}
	_, err = alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("pad"),
		ExternalId: aws.String("ext-123"), MinimumSessionTokenSize: aws.Int32(4097)})
	if code, msg := apiCode(t, err); code != "ValidationError" || !strings.Contains(msg, "at 'minimumSessionTokenSize' failed to satisfy constraint: Member must have value less than or equal to 4096") {
		t.Errorf("MinimumSessionTokenSize 4097 = %s: %s", code, msg)
	}

	st, err := alice.GetSessionToken(ctx, &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(aws.ToString(st.Credentials.AccessKeyId), "ASIA") {
		t.Errorf("GetSessionToken key %s", aws.ToString(st.Credentials.AccessKeyId))
	}

	fed, err := alice.GetFederationToken(ctx, &awssts.GetFederationTokenInput{Name: aws.String("bob"),
		Tags:   []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}},
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(fed.FederatedUser.Arn) != "arn:aws:sts::111111111111:federated-user/bob" || aws.ToString(fed.FederatedUser.FederatedUserId) != "111111111111:bob" {
		t.Errorf("FederatedUser = %+v", fed.FederatedUser)
	}
	if fed.SessionTokenSize == nil || int(*fed.SessionTokenSize) != len(aws.ToString(fed.Credentials.SessionToken)) {
		t.Errorf("SessionTokenSize = %v", fed.SessionTokenSize)
	}

	info, err := alice.GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: c.AccessKeyId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(info.Account) != "111111111111" {
		t.Errorf("GetAccessKeyInfo = %s", aws.ToString(info.Account))
	}

	_, err = alice.DecodeAuthorizationMessage(ctx, &awssts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String("not-a-message")})
	if code, _ := apiCode(t, err); code != "InvalidAuthorizationMessageException" {
		t.Errorf("DecodeAuthorizationMessage(garbage) = %s", code)
	}

	// Validation in AWS's words.
	_, err = alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String("x")})
	if code, msg := apiCode(t, err); code != "ValidationError" || !strings.HasPrefix(msg, "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:") {
		t.Errorf("short RoleSessionName = %s: %s", code, msg)
	}
}

// TestSignatureErrors checks the answers to badly signed calls
// (CommonErrors.html): a wrong secret, an unknown key, no signature.
func TestSignatureErrors(t *testing.T) {
	srv, _ := server(t)
	ctx := context.Background()
	_, err := client(srv, aliceKey, "wrong-secret", "").GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if code, _ := apiCode(t, err); code != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret = %s", code)
	}
	_, err = client(srv, "AKIAQ3EGRHQKKIHC2LNV", aliceSecret, "").GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if code, _ := apiCode(t, err); code != "InvalidClientTokenId" {
		t.Errorf("unknown key = %s", code)
	}
	resp, err := http.PostForm(srv.URL, url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") ||
		!strings.Contains(string(body), "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>") ||
		resp.Header.Get("x-amzn-RequestId") == "" {
		t.Errorf("unsigned call = %d %s (request ID %q)", resp.StatusCode, body, resp.Header.Get("x-amzn-RequestId"))
	}
}

// signedPost sends a form body signed by the SDK's SigV4 signer as alice.
func signedPost(t *testing.T, srv *httptest.Server, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(form))
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestProtocolErrors checks the Query protocol's own errors
// (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html):
// unknown actions, a wrong or missing Version, missing required parameters,
// a malformed body.
func TestProtocolErrors(t *testing.T) {
	srv, _ := server(t)
	tests := []struct {
		name, form string
		status     int
		code       string
		message    string
	}{
		{"unknown action", "Action=ListRoles&Version=2011-06-15", 400, "InvalidAction", "Could not find operation ListRoles for version 2011-06-15"},
		{"wrong version", "Action=GetCallerIdentity&Version=2010-05-08", 400, "InvalidAction", "Could not find operation GetCallerIdentity for version 2010-05-08"},
		{"missing version", "Action=GetCallerIdentity", 400, "MissingParameter", "The request must contain the parameter Version"},
		{"missing action", "Version=2011-06-15", 400, "MissingAction", "Missing Action"},
		{"missing required parameters", "Action=AssumeRole&Version=2011-06-15", 400, "ValidationError",
			"2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		{"bad number", "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=soon", 400, "ValidationError",
			"1 validation error detected: Value 'soon' at 'durationSeconds' failed to satisfy constraint: Member must be a number"},
		{"malformed form", "Action=GetCallerIdentity&Version=2011-06-15&%zz", 400, "MalformedQueryString", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := signedPost(t, srv, tc.form)
			body = html.UnescapeString(body)
			if status != tc.status || !strings.Contains(body, "<Code>"+tc.code+"</Code>") || !strings.Contains(body, "<Message>"+tc.message) {
				t.Errorf("%s: got %d %s\nwant %d %s %q", tc.form, status, body, tc.status, tc.code, tc.message)
			}
		})
	}
	// A huge body is refused before it is read, with a clear error.
	huge := "Action=GetCallerIdentity&Version=2011-06-15&Padding=" + strings.Repeat("x", 300<<10)
	if status, body := signedPost(t, srv, huge); status != 413 || !strings.Contains(body, "Request body too large") {
		t.Errorf("a 300 KiB body = %d %.200s", status, body)
	}
	// A well-formed call answers in AWS's envelope.
	status, body := signedPost(t, srv, "Action=GetCallerIdentity&Version=2011-06-15")
	want := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/alice</Arn><UserId>AIDAALICE00000000001</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>`
	if status != 200 || !strings.HasPrefix(body, want) {
		t.Errorf("GetCallerIdentity = %d %s", status, body)
	}
}
