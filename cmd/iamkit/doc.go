// Command iamkit simulates AWS authorization requests against IAM policies,
// validates policy documents, and serves AWS STS for a world of accounts
// described in a file, using the evaluation logic of package
// [github.com/iamkit/iamkit/policy], which follows
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
// and the STS of packages [github.com/iamkit/iamkit/sts] and
// [github.com/iamkit/iamkit/stsapi].
//
// Usage:
//
//	iamkit simulate --input FILE [--output json|text] [--batch]
//	iamkit validate FILE --type identity|resource|trust|scp|rcp|session|boundary
//	iamkit serve [--world FILE] [--addr 127.0.0.1:8080] [--region us-east-1] [--allow-remote --tls-cert FILE --tls-key FILE]
//		[--imds ADDR --instance-profile ARN [--instance-id ID] [--imds-v1]]
//		[--container ADDR --role ARN [--task-id ID] [--auth-token-file FILE]]
//	iamkit credential-process --role-arn ARN [--world FILE] [--external-id ID]
//		[--duration 1h] [--role-session-name NAME] [--region us-east-1]
//		[--access-key-id AKIA... --secret-access-key SECRET [--session-token TOKEN]]
//		[--print-config PROFILE]
//	iamkit mint oidc --sub SUB [--aud AUD] [--issuer URL] [--ttl 10m] [--claim NAME=VALUE]... [--world FILE]
//	iamkit mint saml --subject NAME --role ROLE_ARN,PROVIDER_ARN [--session-name NAME]
//		[--attribute NAME=VALUE]... [--recipient URL] [--ttl 5m] [--world FILE]
//	iamkit exec --role ARN [--world FILE] [--function-name NAME] [--service lambda.amazonaws.com]
//		[--duration 1h] [--region us-east-1] [--endpoint-url URL] -- COMMAND [ARG...]
//	iamkit lint FILE... --type TYPE [--account ID] [--trusted ID,...] [--format text|json|sarif] [--fail-on LEVEL]
//	iamkit lint --world FILE [--format text|json|sarif] [--fail-on LEVEL]
//	iamkit sso login --profile NAME [--endpoint-url URL] [--timeout 10m]
//	iamkit sso login --start-url URL --region REGION [--session-name NAME] --endpoint-url URL [--print-config PROFILE --account-id ID --role-name NAME]
//	iamkit help [simulate|validate|serve|credential-process|mint|exec|lint|sso]
//
// FILE may be "-" for standard input (not for --world). Flags may be
// written with one or two dashes, and "--flag=value" works as well as
// "--flag value".
//
// # Simulate
//
// simulate reads one simulation object (described below), evaluates its
// request as AWS would, and prints the decision. With --output text (the
// default) it prints a few lines for people; with --output json it prints
// one JSON object:
//
//	{"decision": "allowed" | "explicitDeny" | "implicitDeny",
//	 "reason": "allowed by an identity-based policy, and no other policy type denies or limits it",
//	 "source": "identity-based policy",
//	 "decisiveStatements": [STATEMENT, ...],
//	 "matchedStatements": [STATEMENT, ...],
//	 "missingContextValues": ["aws:SourceIp", ...]}
//
// where STATEMENT is
//
//	{"source": "identity-based policy", "level": 0, "policy": "identityPolicies[0]",
//	 "sid": "ReadReports", "index": 0, "line": 9, "column": 7, "effect": "Allow"}
//
// "source" at the top level is the kind of policy that decided and is
// omitted when none did (most implicit denies). "protection", present only
// then, names the rule (policy.ProtectionRule) that refused a change to a
// resource AWS owns, such as "aws-managed-policy". The arrays are always
// present, possibly empty. decisiveStatements are the explicit denies, or
// the allow that granted access; matchedStatements are every statement whose
// action, resource, principal and conditions matched, in evaluation order.
// "level" is the organization level of an SCP or RCP (0 is the root) and 0
// for other policies. "line" and "column" locate the statement in the input
// file (1-based; columns count characters), also for a policy embedded as a
// JSON string. missingContextValues lists the condition keys that
// conditions tested but the request lacked, as AWS's policy simulator
// reports them.
//
// With --batch the input is JSON Lines: one simulation object per line,
// blank lines skipped. simulate writes exactly one JSON result per non-blank
// line, in order; a line that is not a valid simulation yields
// {"error": "line N: ..."} and the batch goes on. --batch implies
// --output json, and --output text is refused with it.
//
// # The simulation file
//
// A simulation is one JSON object:
//
//	{"request": {
//	   "principal": "arn:aws:iam::111111111111:role/app",
//	   "action": "s3:GetObject",
//	   "resource": "arn:aws:s3:::bucket/key",
//	   "resourceAccount": "111111111111",
//	   "context": {"aws:SourceIp": "203.0.113.5", "aws:TagKeys": ["a", "b"]}},
//	 "identityPolicies": [POLICY, ...],
//	 "permissionsBoundary": POLICY,
//	 "sessionPolicy": POLICY,
//	 "resourcePolicy": POLICY,
//	 "serviceControlPolicies": [[POLICY, ...], ...],
//	 "resourceControlPolicies": [[POLICY, ...], ...]}
//
// request, request.principal, request.action and request.resource are
// required; everything else is optional, and an optional field set to null
// is the same as an absent one. Unknown fields, at any level, and duplicate
// fields are errors.
//
// request fields:
//
//   - principal: the caller, as the ARN of an account root user, IAM user,
//     IAM role, role session (assumed-role), federated user, or SAML or OIDC
//     provider, a bare account ID (that account's root user), or "*" for an
//     anonymous caller. A role ARN stands for a session of that role.
//   - action: "service:Action", e.g. "s3:GetObject", or an array of them.
//   - resource: the resource ARN, or "*" for an action that takes none, or
//     an array of them. With several actions or resources every pair is
//     evaluated, actions outer, as aws iam simulate-custom-policy does: JSON
//     output is {"evaluationResults": [{"evalActionName", "evalResourceName",
//     "decision", ...}, ...]}, text one block per pair.
//   - resourceAccount: the 12-digit account that owns the resource. Absent
//     means the account in the resource ARN, or the caller's account when
//     the ARN has none (S3).
//   - context: condition keys and their values; each value is a string
//     (a single-valued key) or an array of strings (a multi-valued key, even
//     with one element). Values are typed by the condition operator that
//     reads them, so numbers, dates, IP addresses and booleans are written as
//     strings: "aws:MultiFactorAuthPresent": "true".
//   - principalInManagementAccount, resourceInManagementAccount (booleans):
//     the caller's, or the resource's, account is the organization's
//     management account, to which SCPs, or RCPs, do not apply.
//   - principalTags (an object of strings): the caller's tags, set as
//     aws:PrincipalTag/KEY.
//   - principalOrgId (a string) and principalOrgPaths (an array of strings):
//     aws:PrincipalOrgID and aws:PrincipalOrgPaths.
//   - currentTime (RFC 3339): the request time, set as aws:CurrentTime and
//     aws:EpochTime. Absent means neither key is set.
//   - userId: aws:userid (AIDA... for a user, AROA...:session for a role
//     session). Absent means derived where AWS's format allows it.
//
// The caller implies the global keys aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:userid and aws:username, as
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// says each is present; entries in context override them.
//
// Each POLICY is a policy document written as a JSON object, or as a JSON
// string holding the document, as AWS APIs pass policies. It is parsed as:
//
//   - identityPolicies: identity-based policies of the caller (for a role
//     session, the role's policies);
//   - permissionsBoundary: the caller's permissions boundary;
//   - sessionPolicy: the session policy passed when the session was created;
//   - resourcePolicy: the resource-based policy; a role trust policy when
//     the resource is an IAM role ARN and the action is one a trust policy
//     governs (sts:AssumeRole, sts:AssumeRoleWithSAML,
//     sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity;
//     see policy.TrustActions);
//   - serviceControlPolicies: the SCPs of the caller's account, one array
//     per organization level, root first and account last;
//   - resourceControlPolicies: the RCPs of the resource's account, by level
//     likewise.
//
// Absent serviceControlPolicies or resourceControlPolicies mean the account
// belongs to no organization. Policies are named after their field in
// results and messages: "identityPolicies[0]", "permissionsBoundary",
// "serviceControlPolicies[1][0]".
//
// Errors name the field and its line and column in the input file; for a
// problem inside a policy, the message gives the policy's name, the file
// position and the policy's own JSON path:
//
//	iamkit: simulate: identityPolicies[0]: line 7, column 15: Statement[0].Effect: must be "Allow" or "Deny"
//
// # Validate
//
// validate checks one policy document as a policy of the given type and
// prints each finding as
//
//	FILE:LINE:COLUMN: error|warning: PATH: message
//
// (LINE:COLUMN is left out when unknown, PATH when the finding concerns the
// whole document), then a summary line. Warnings flag documents AWS accepts
// but that likely do not do what their author meant, such as NotPrincipal
// with Allow.
//
// # Serve
//
// serve answers the AWS STS Query API (AssumeRole, GetSessionToken,
// GetFederationToken, GetCallerIdentity, GetAccessKeyInfo,
// DecodeAuthorizationMessage, AssumeRoleWithWebIdentity, AssumeRoleWithSAML) over HTTP for the
// accounts of a world file, so that the AWS SDKs, the AWS CLI and boto3
// work against it unchanged: point them at it with --endpoint-url, the
// AWS_ENDPOINT_URL_STS environment variable or the SDK's BaseEndpoint.
// Requests are signed with SigV4 by the world's access keys or by the
// temporary credentials serve issued, except AssumeRoleWithWebIdentity
// and AssumeRoleWithSAML, which clients send unsigned and serve verifies by
// their token or signed response: with the inline keys of the world's OIDC
// provider, or with keys fetched by OIDC discovery (package
// [github.com/iamkit/iamkit/jwks]) for a provider without; with the
// certificates of the SAML provider's metadata.
//
// Without --world, serve uses the built-in default world (below), whose
// keys are public. It listens on 127.0.0.1:8080 unless --addr says
// otherwise, and refuses an address that is not loopback (127.0.0.0/8,
// ::1, localhost) unless --allow-remote is given. --allow-remote needs
// --tls-cert and --tls-key (STS is HTTPS-only) and a world of your own:
// serve refuses it for the built-in world or a world whose key ring holds
// the built-in key (exit 2). Requests must arrive within 30 seconds and
// answers be read within 30 seconds; idle connections close after two
// minutes. --region is the region
// the endpoint claims to be, checked against each account's
// disabledRegions. Each request is logged to standard error as one line:
//
//	time=... level=INFO msg=request method=POST action=AssumeRole status=200 request_id=... duration=...
//
// Parameters, headers and bodies are never logged: they hold signatures,
// session tokens and policies. SIGINT or SIGTERM stops serve after the
// requests in flight (at most 10 seconds); a second signal ends it at once.
//
// With --imds ADDR --instance-profile ARN, serve also answers as the EC2
// instance metadata service (IMDSv2) on that loopback address: the
// credentials of the profile's role, assumed by ec2.amazonaws.com, named
// after --instance-id and refreshed before they expire, for clients given
// AWS_EC2_METADATA_SERVICE_ENDPOINT=http://ADDR/. IMDSv1 (no session
// token) answers 401 unless --imds-v1, which logs a warning for every v1
// request. With --container ADDR --role ARN, it answers as the ECS
// container credentials endpoint for AWS_CONTAINER_CREDENTIALS_FULL_URI:
// sessions of the task role, assumed by ecs-tasks.amazonaws.com and named
// after --task-id, with --auth-token-file (or --auth-token) as the
// Authorization header clients must send
// (AWS_CONTAINER_AUTHORIZATION_TOKEN). Both share STS's issuer, so their
// credentials work against it.
//
// For a world with an identityCenter section, serve also answers as IAM
// Identity Center on --addr (package [github.com/iamkit/iamkit/ssoapi]):
// SSO OIDC (RegisterClient, StartDeviceAuthorization, CreateToken with the
// device code, authorization code with PKCE and refresh token grants), the
// portal API (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout)
// and the sign-in pages a user approves a device or an authorization
// request on; clients reach them with AWS_ENDPOINT_URL_SSO_OIDC and
// AWS_ENDPOINT_URL_SSO.
//
// # SSO login
//
// sso login signs in to Identity Center as "aws sso login" does: it
// registers a client, starts a device authorization, prints the page to
// open and the code to approve, polls CreateToken until the user allows it,
// and writes the token to ~/.aws/sso/cache under the SHA-1 of the
// sso-session name and of the start URL, with the fields the AWS CLI
// writes, readable by the user only. --profile takes the start URL and
// Region from the AWS config file; --print-config prints the [sso-session],
// [profile] and [services] sections for one account and permission set.
//
// # Exec
//
// exec runs a command with a role session in its environment, as Lambda
// gives a function its execution role: AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_DEFAULT_REGION
// and AWS_LAMBDA_FUNCTION_NAME. The role is assumed by --service (default
// lambda.amazonaws.com) and the session named after --function-name. The
// caller's own AWS_ credential, profile and endpoint variables are not
// passed on; --endpoint-url sets AWS_ENDPOINT_URL. The exit status is the
// command's.
//
// # Lint
//
// lint checks policies with package [github.com/iamkit/iamkit/lint]: IAM
// Access Analyzer's role trust policy and PassRole checks, with its finding
// types and issue codes, and iamkit's own. FILEs are policies of --type;
// --account names the account they belong to (principals of other
// accounts, except --trusted ones, are third parties). --world lints every
// policy of a world file: each role's trust policy with the role's account
// and its organization's accounts trusted, user, group, role and managed
// policies as identity policies, resource policies, SCPs and RCPs, with
// positions in the world file. Output is text (grouped by policy, colored
// on a terminal), json, or sarif (SARIF 2.1.0). The exit status is 1 when
// a finding is at least --fail-on: error, security (the default: ERROR or
// SECURITY_WARNING), warning, suggestion or none.
//
// # Mint
//
// mint oidc prints a web identity token (a JWT) signed by a test OIDC
// issuer of the world (an oidcProviders entry with signingKeys): iss is the
// provider's URL, aud --aud or the provider's first client ID, sub --sub,
// iat now and exp now plus --ttl (default 10 minutes, at most 24 hours),
// and one claim per --claim NAME=VALUE (VALUE is JSON when it starts with
// [ or {, such as the https://aws.amazon.com/tags session tags claim).
// --issuer picks the test issuer by URL; the default is the world's first.
// With the built-in world:
//
//	aws sts assume-role-with-web-identity --endpoint-url http://127.0.0.1:8080 \
//	    --role-arn arn:aws:iam::111111111111:role/github-deploy --role-session-name ci \
//	    --web-identity-token "$(iamkit mint oidc --sub repo:example-org/example-repo:ref:refs/heads/main)"
//
// mint saml prints a SAML response (base64, as the SAMLAssertion
// parameter takes it) signed by the test IdP of a world's SAML provider (a
// samlProviders entry with a testIdP): NameID --subject (format
// persistent), one Role attribute value per --role ROLE_ARN,PROVIDER_ARN
// (the first provider picks the IdP), RoleSessionName --session-name (by
// default the part of --subject before any @), the Recipient --recipient
// (default https://signin.aws.amazon.com/saml), and one attribute value
// per --attribute NAME=VALUE; AWS's attribute names may be given short
// (PrincipalTag:KEY, TransitiveTagKeys, SourceIdentity, SessionDuration).
// The response may be redeemed for --ttl (default 5 minutes, at most an
// hour; AWS also refuses one issued more than 5 minutes ago).
//
// A test issuer's or test IdP's private key is in the world file, so what
// it signs proves nothing outside local tests.
//
// # Credential process
//
// credential-process assumes a role of a world and prints the temporary
// credentials in the format of the credential_process setting of AWS
// config files
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html):
//
//	{"Version": 1, "AccessKeyId": "ASIA...", "SecretAccessKey": "...",
//	 "SessionToken": "...", "Expiration": "2026-01-02T15:04:05Z",
//	 "AccountId": "111111111111"}
//
// The session token is sealed with the world's key ring, so serve with the
// same world file accepts the credentials; a world without keyRing is
// refused. The caller is, in this order: --access-key-id and
// --secret-access-key (and --session-token for temporary credentials); the
// environment's AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN; the first active access key of the world's users. The
// call is authorized as AssumeRole authorizes it: the caller's policies and
// the role's trust policy, ExternalId, duration limits and role chaining.
// --duration takes a Go duration ("1h", "900s") or seconds ("3600");
// without it the session lasts AWS's default hour. --role-session-name
// defaults to "iamkit-credential-process".
//
// Failures go to standard error with STS's error code, such as
//
//	iamkit: credential-process: AccessDenied: User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/deploy (caller AKIA... from the world's user arn:aws:iam::111111111111:user/alice)
//
// and nothing goes to standard output. With --print-config PROFILE the
// command prints, instead of credentials, an AWS config file profile that
// runs it with the same flags (the world file made absolute, arguments
// quoted for a POSIX shell, as aws-sdk-go-v2 and botocore read them); it
// refuses to write --secret-access-key or --session-token into it.
//
// # The world file
//
// A world is one JSON object describing AWS accounts, IAM principals,
// policies and the key ring that seals session tokens. Its format, with
// every field and rule, is documented in package world
// (go doc github.com/iamkit/iamkit/world), which serve and
// credential-process use to load it. Every problem is reported, in file
// order, as FILE:LINE:COLUMN: PATH: message, exit status 2:
//
//	iamkit: serve: world.json:12:18: roles[0].trustPolicy: invalid trust policy: Statement[0].Effect: must be "Allow" or "Deny"
//	iamkit: serve: world.json:20:5: users[1].polices: unknown field "polices" (known fields: arn, uniqueId, ...)
//
// Secrets (key material, access key secrets, MFA seeds) never appear in
// messages.
//
// # The default world
//
// The built-in world (world/default.json, also
// examples/worlds/default.json) is for local experiments; its keys are
// public:
//
//   - account 111111111111: user alice (access key AKIARTXV5AHDSK35UWJR,
//     secret C1dTyaDJddF+iNFSh1hg6wEdDmOBdTrtNILVOoPc; virtual MFA device
//     arn:aws:iam::111111111111:mfa/alice with seed
//     AUG7CXD3SH2ZDMDIWENVQ2XQGLUUJWQY) in group developers; role deploy,
//     which alice may assume with ExternalId "example-external-id"; role
//     readonly, which sessions of deploy may assume (role chaining);
//   - account 222222222222: role cross, which principals of 111111111111
//     allowed by their own policies (alice is) may assume with ExternalId
//     "example-cross-account-id";
//   - a test OIDC issuer at https://token.actions.githubusercontent.com
//     (provider
//     arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com,
//     client ID sts.amazonaws.com; its private key is in the file) and role
//     github-deploy, which its tokens with sub
//     repo:example-org/example-repo:ref:refs/heads/main may assume;
//   - a test SAML IdP (entity ID https://idp.example.com/saml; its private
//     key is in the file) registered as
//     arn:aws:iam::111111111111:saml-provider/ExampleCorp, and role
//     saml-engineer, which its users may assume with session tags, and
//     whose policy reads example-team-docs/${aws:PrincipalTag/team}/*.
//
// # Exit status
//
//   - 0: success. For simulate the decision itself, allowed or denied, does
//     not change the status; for validate, no error-level finding; for
//     serve, a shutdown by signal.
//   - 1: validate found at least one error; simulate --batch could not read
//     its input; serve could not listen or stopped on an error;
//     credential-process failed (an STS error, or a world without keyRing).
//   - 2: usage error, an unreadable file, (without --batch) an invalid
//     simulation, or an invalid world file.
package main
