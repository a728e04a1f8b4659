package stsapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
)

// TestActionRecorder: the handler records the Action it parsed, only when
// it is one of STS's (the actions of
// https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html),
// so a logger never repeats client text; requests without a recorder are
// served as before.
func TestActionRecorder(t *testing.T) {
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: world(t)})
	if err != nil {
		t.Fatal(err)
	}
	record := func(t *testing.T, form string) string {
		t.Helper()
		ctx, rec := stsapi.WithActionRecorder(context.Background())
		rw := recorderHandler{h: h, ctx: ctx}
		signedPostIn(t, rw, "sts", "us-east-1", form)
		return rec.Action()
	}
	tests := []struct{ form, want string }{
		{"Action=GetCallerIdentity&Version=2011-06-15", "GetCallerIdentity"},
		{"Action=AssumeRole&Version=2011-06-15", "AssumeRole"}, // fails validation, still AssumeRole
		{"Action=GetSessionToken&Version=1999-01-01", "GetSessionToken"},
		{"Action=ListRoles&Version=2011-06-15", ""},
		{"Action=" + strings.Repeat("<script>", 100) + "&Version=2011-06-15", ""},
		{"Version=2011-06-15", ""},
	}
	for _, tc := range tests {
		if got := record(t, tc.form); got != tc.want {
			t.Errorf("%.60s: Action() = %q, want %q", tc.form, got, tc.want)
		}
	}
	// Unsigned: the body is never read, so no action.
	ctx, rec := stsapi.WithActionRecorder(context.Background())
	req := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15")).WithContext(ctx)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got := rec.Action(); got != "" {
		t.Errorf("unsigned request: Action() = %q", got)
	}
	var nilRec *stsapi.ActionRecorder
	if nilRec.Action() != "" {
		t.Error("nil recorder")
	}
}

// recorderHandler serves with ctx as the request's context.
type recorderHandler struct {
	h   http.Handler
	ctx context.Context
}

func (rh recorderHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rh.h.ServeHTTP(w, r.WithContext(rh.ctx))
}

// ExampleWithActionRecorder shows request-logging middleware naming the
// STS action without reading the request body (which holds secrets).
func ExampleWithActionRecorder() {
	dir := sts.NewMemoryDirectory()
	_ = dir.PutUser(sts.User{ARN: "arn:aws:iam::111111111111:user/alice", UniqueID: "AIDAALICE00000000001",
		AccessKeys: []sts.AccessKey{{ID: "AKIAQ3EGRHQKKIHC2LNU", Secret: sts.NewSecret("alice-secret")}}})
	keys, _ := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("example-key-material-of-32-bytes!!")})
	issuer, _ := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys})
	handler, _ := stsapi.NewHandler(stsapi.Options{Issuer: issuer})

	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, rec := stsapi.WithActionRecorder(r.Context())
		handler.ServeHTTP(w, r.WithContext(ctx))
		fmt.Printf("%s action=%q\n", r.Method, rec.Action())
	})
	srv := httptest.NewServer(logged)
	defer srv.Close()
	client := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(),
		Credentials: awscreds.NewStaticCredentialsProvider("AKIAQ3EGRHQKKIHC2LNU", "alice-secret", "")})
	_, _ = client.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	// Output:
	// POST action="GetCallerIdentity"
}
