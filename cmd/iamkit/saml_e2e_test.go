package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/iamkit/iamkit/internal/clitest"
)

// TestAWSCLISAML runs README's SAML flow with every AWS CLI found:
// assume-role-with-saml with a response from "iamkit mint saml" for
// saml-engineer succeeds with AWS's output fields; a response naming
// another role is refused with the CLI's service-error exit status
// (https://docs.aws.amazon.com/cli/latest/reference/sts/assume-role-with-saml.html).
func TestAWSCLISAML(t *testing.T) {
	clis, notes := clitest.CLIs()
	clitest.Require(t, len(clis), "AWS CLI", clitest.InstallCLI, notes)
	url, bin := webIdentityServe(t)
	for _, cli := range clis {
		t.Run(cli.Name(), func(t *testing.T) {
			t.Parallel()
			env := append(clitest.Env(t, cli.Path), "IAMKIT="+bin, "AWS="+cli.Path, "URL="+url, "AWS_DEFAULT_REGION=us-east-1",
				"PROVIDER="+exampleCorpARN)
			assume := `"$AWS" sts assume-role-with-saml --endpoint-url "$URL" --output json ` +
				`--role-arn ` + samlEngineerARN + ` --principal-arn "$PROVIDER" ` +
				`--saml-assertion "$("$IAMKIT" mint saml --subject jdoe@example.com --role "$ROLE,$PROVIDER" --attribute PrincipalTag:team=blue)"`
			code, stdout, stderr := clitest.Run(t, "/bin/sh", append(env, "ROLE="+samlEngineerARN), "-c", assume)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			var out struct {
				Credentials                                           struct{ AccessKeyId string }
				AssumedRoleUser                                       struct{ Arn string }
				Subject, SubjectType, Issuer, Audience, NameQualifier string
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			if out.AssumedRoleUser.Arn != "arn:aws:sts::111111111111:assumed-role/saml-engineer/jdoe" || out.Subject != "jdoe@example.com" ||
				out.SubjectType != "persistent" || out.Issuer != "https://idp.example.com/saml" || out.Audience != "https://signin.aws.amazon.com/saml" ||
				out.NameQualifier == "" || !strings.HasPrefix(out.Credentials.AccessKeyId, "ASIA") {
				t.Errorf("output %s", stdout)
			}
			code, _, stderr = clitest.Run(t, "/bin/sh", append(env, "ROLE=arn:aws:iam::111111111111:role/deploy"), "-c", assume)
			if code != cli.ServiceErrorExit(t) || !strings.Contains(stderr, "InvalidIdentityToken") {
				t.Errorf("a response for another role: exit %d, stderr %q; want %d and InvalidIdentityToken", code, stderr, cli.ServiceErrorExit(t))
			}
		})
	}
}

const boto3SAMLScript = `
import json, sys, boto3, botocore
url, good, bad = sys.argv[1:4]
sts = boto3.client("sts", endpoint_url=url, region_name="us-east-1")
kw = dict(RoleArn="` + samlEngineerARN + `", PrincipalArn="` + exampleCorpARN + `")
r = sts.assume_role_with_saml(SAMLAssertion=good, **kw)
out = {"arn": r["AssumedRoleUser"]["Arn"], "subject": r["Subject"], "issuer": r["Issuer"], "nq": r["NameQualifier"]}
try:
    sts.assume_role_with_saml(SAMLAssertion=bad, **kw)
except botocore.exceptions.ClientError as e:
    out["error"] = e.response["Error"]["Code"]
print(json.dumps(out))
`

// TestBoto3SAML: boto3's assume_role_with_saml with no credentials at all.
func TestBoto3SAML(t *testing.T) {
	pys, notes := clitest.Boto3s()
	clitest.Require(t, len(pys), "python3 with boto3", clitest.InstallBoto3, notes)
	url, _ := webIdentityServe(t)
	_, good, _ := iamkit(t, "", "mint", "saml", "--subject", "jdoe@example.com", "--role", samlEngineerARN+","+exampleCorpARN)
	_, bad, _ := iamkit(t, "", "mint", "saml", "--subject", "jdoe@example.com", "--role", samlEngineerARN+","+exampleCorpARN, "--recipient", "https://evil.example.com/saml")
	for _, py := range pys {
		t.Run(py.Name(), func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := clitest.Run(t, py.Executable, clitest.Env(t, py.Executable), "-c", boto3SAMLScript, url, strings.TrimSpace(good), strings.TrimSpace(bad))
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			var got struct{ Arn, Subject, Issuer, NQ, Error string }
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v: %s", err, stdout)
			}
			if got.Arn != "arn:aws:sts::111111111111:assumed-role/saml-engineer/jdoe" || got.Subject != "jdoe@example.com" ||
				got.Issuer != "https://idp.example.com/saml" || got.NQ == "" || got.Error != "InvalidIdentityToken" {
				t.Errorf("boto3 = %+v", got)
			}
		})
	}
}
