package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation:
//   - a task role trusts the service principal ecs-tasks.amazonaws.com,
//     with aws:SourceArn and aws:SourceAccount conditions against the
//     confused deputy, so ECS acting for another account's task is refused
//     (task-iam-roles.html, confused-deputy.html), and
//     the application in the task's containers gets its credentials, not
//     the task execution role's, which only the ECS and Fargate agents use
//     (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html,
//     task_execution_IAM_role.html);
//   - the SDK's container credential provider fetches them with a GET
//     from AWS_CONTAINER_CREDENTIALS_FULL_URI, sending
//     AWS_CONTAINER_AUTHORIZATION_TOKEN in the Authorization header
//     (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html);
//     the answers to a missing or wrong token are those
//     credentials.NewContainerHandler documents, in the {"code",
//     "message"} shape endpointcreds decodes;
//   - GetCallerIdentity of a role session answers
//     arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION with the UserId
//     ROLEID:SESSION (API_GetCallerIdentity.html), the session named after
//     the task ID;
//   - a container can only retrieve credentials for the role of its own
//     task definition, and each role allows only what its permission
//     policy allows ("credential isolation", task-iam-roles.html;
//     reference_policies_evaluation-logic.html).
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
		t.Errorf("ecs-task-role output mismatch (-want +got):\n%s", diff)
	}
}
