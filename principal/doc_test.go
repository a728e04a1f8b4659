package principal

// AWS documentation pages that the test tables cite for their expected answers.
const (
	docARNs       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html"
	docIDs        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html"
	docUniqueIDs  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids"
	docPrincipal  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
	docPAccounts  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts"
	docPRoles     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles"
	docPSessions  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-sessions"
	docPUsers     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-users"
	docPFedUsers  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#sts-session-principals"
	docPServices  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services"
	docPWebID     = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-web-identity"
	docPSAML      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-saml"
	docPAll       = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous"
	docPrincArn   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn"
	docPrincType  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltype"
	docCreateRole = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"
	docCreateUser = "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html"
	docAssumeRole = "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
	docFedToken   = "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html"
	docManaged    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html"
	docGovCloud   = "https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html"
	docSLR        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html"
	docCanonical  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-bucket-user-policy-specifying-principal-intro.html"
)
