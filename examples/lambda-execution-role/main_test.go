package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation:
//   - Lambda assumes the function's execution role, whose trust policy must
//     name lambda.amazonaws.com, and gives the function temporary
//     credentials; the function does not call sts:AssumeRole
//     (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html);
//   - the credentials arrive in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
//     AWS_SESSION_TOKEN ("the access keys obtained from the function's
//     execution role"), beside AWS_REGION and AWS_LAMBDA_FUNCTION_NAME
//     (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html);
//   - GetCallerIdentity of a role session answers
//     arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION with the UserId
//     ROLEID:SESSION (API_GetCallerIdentity.html), the session named after
//     the function;
//   - the role allows only what its permission policy allows, everything
//     else is implicitly denied (reference_policies_evaluation-logic.html);
//   - a request signed with expired temporary credentials is refused with
//     HTTP 403, "The security token included in the request is expired"
//     (the common errors of AWS APIs, ExpiredTokenException; STS's Query
//     API names the code ExpiredToken), and the function does not renew
//     them: Lambda assumes the role again, and the IAM MaxSessionDuration
//     does not apply to its sessions (lambda-intro-execution-role.html,
//     "Session duration for temporary security credentials").
func TestOutput(t *testing.T) {
	var got bytes.Buffer
	if err := run(&got); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/output.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("lambda-execution-role output mismatch (-want +got):\n%s", diff)
	}
}
