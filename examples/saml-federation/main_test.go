package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOutput checks the demo against its expected transcript. The IdP's
// RSA key is new at every run, so the test also proves that nothing
// printed depends on it. The expected answers follow AWS's documentation:
//   - a role for SAML federation trusts the provider as a Federated
//     principal, with the condition SAML:aud =
//     https://signin.aws.amazon.com/saml
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_for-idp_saml.html);
//     the response's Role attribute pairs a role ARN with the provider ARN,
//     RoleSessionName names the session, and PrincipalTag:KEY attributes
//     become session tags (id_roles_providers_create_saml_assertions.html,
//     id_session-tags.html#id_session-tags_adding-assume-role-saml);
//   - AssumeRoleWithSAML answers Subject (the NameID), SubjectType (its
//     Format without urn:oasis:names:tc:SAML:2.0:nameid-format:), Issuer,
//     Audience (the Recipient) and NameQualifier =
//     BASE64(SHA1(Issuer + account ID + "/" + provider name))
//     (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html);
//   - an ABAC policy with ${aws:PrincipalTag/cost-center} in its Resource
//     allows the user's own cost center only (tutorial_abac-saml.html,
//     reference_policies_variables.html);
//   - a role the Role attribute does not name is InvalidIdentityToken
//     "SAML Assertion doesn't contain the requested Role and Metadata in
//     the attributes", and a response more than five minutes old is
//     ExpiredTokenException "Token must be redeemed within 5 minutes of
//     issuance" (AWS's answers as users of SAML tools report them; the
//     second in Nike-Inc/gimme-aws-creds#251);
//   - tags passed to a role whose trust policy lacks sts:TagSession make
//     the call fail (id_session-tags.html) with AccessDenied "Not
//     authorized to perform sts:AssumeRoleWithSAML", and an altered
//     response is InvalidIdentityToken "Response signature invalid"
//     (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html).
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
		t.Errorf("saml-federation output mismatch (-want +got):\n%s", diff)
	}
}
