package stsapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/iamkit/iamkit/stsapi"
)

// FuzzQueryRequest sends arbitrary, correctly signed form bodies (and an
// arbitrary extra header) to the handler: it must never panic and must
// always answer well-formed XML, an ErrorResponse for every non-200.
func FuzzQueryRequest(f *testing.F) {
	for _, s := range []string{
		"Action=GetCallerIdentity&Version=2011-06-15",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111111111111:role/deploy&RoleSessionName=s&ExternalId=ext-123",
		"Action=AssumeRole&Version=2011-06-15&RoleArn=x&RoleSessionName=&DurationSeconds=99999999999",
		"Action=GetFederationToken&Version=2011-06-15&Name=bob&Tags.member.1.Key=a&Tags.member.1.Value=b&PolicyArns.member.1.arn=arn:aws:iam::aws:policy/x",
		"Action=DecodeAuthorizationMessage&Version=2011-06-15&EncodedMessage=%00%ff",
		"Action=GetAccessKeyInfo&Version=2011-06-15&AccessKeyId=ASIA%%%",
		"%zz&&==", "",
	} {
		f.Add(s, "X-Amz-Security-Token", "")
		f.Add(s, "Content-Type", "text/plain")
	}
	is := world(f)
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: is})
	if err != nil {
		f.Fatal(err)
	}
	signer := v4.NewSigner()
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	f.Fuzz(func(t *testing.T, body, header, value string) {
		req := httptest.NewRequest(http.MethodPost, "http://sts.local/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if name := http.CanonicalHeaderKey(header); name != "" && !strings.ContainsAny(name, " \r\n:\x00") {
			req.Header.Set(name, value)
		}
		sum := sha256.Sum256([]byte(body))
		_ = signer.SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("x-amzn-RequestId") == "" {
			t.Errorf("no request ID")
		}
		var doc struct{ XMLName xml.Name }
		if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("status %d, body not XML: %v\n%s", rec.Code, err, rec.Body.Bytes())
		}
		if rec.Code != http.StatusOK && doc.XMLName.Local != "ErrorResponse" {
			t.Errorf("status %d answered %s", rec.Code, doc.XMLName.Local)
		}
	})
}
