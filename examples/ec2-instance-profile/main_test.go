package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The expected
// answers follow AWS's documentation:
//   - passing a role to EC2 (launching an instance with an instance profile)
//     needs iam:PassRole on the role, and iam:PassedToService limits the
//     service it may be passed to; without it the caller is refused with
//     "User: ... is not authorized to perform: iam:PassRole on resource: ..."
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html,
//     reference_policies_iam-condition-keys.html#ck_PassedToService);
//   - an application on the instance gets the role's temporary credentials
//     from /latest/meta-data/iam/security-credentials/ROLE (Code "Success",
//     Type "AWS-HMAC"), the session named after the instance
//     (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html,
//     iam-roles-for-amazon-ec2.html); IMDSv2 is a PUT to /latest/api/token
//     and the token on every GET (configuring-instance-metadata-service.html);
//   - requests signed with instance-role credentials carry
//     ec2:SourceInstanceARN, ec2:RoleDelivery ("2.0" from IMDSv2, "1.0"
//     from IMDSv1), aws:Ec2InstanceSourceVpc and
//     aws:Ec2InstanceSourcePrivateIPv4
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html);
//   - with HttpTokens "optional" a GET without a token receives the IMDSv1
//     role credentials (API_InstanceMetadataOptionsRequest.html), which
//     AWS's RequireAllEc2RolesToUseV2 policy denies
//     (ExamplePolicies_EC2.html#iam-example-instance-metadata); with
//     "required" it receives "401 - Unauthorized"
//     (configuring-instance-metadata-service.html);
//   - new credentials are served before the old ones expire ("at least five
//     minutes before"; iamkit: IMDSRefreshMargin), the old ones stay valid
//     until their Expiration, and expired ones are refused
//     (instance-metadata-security-credentials.html).
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
		t.Errorf("ec2-instance-profile output mismatch (-want +got):\n%s", diff)
	}
}
