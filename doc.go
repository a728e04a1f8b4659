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
//   - [github.com/iamkit/iamkit/sts]: the STS operations (AssumeRole,
//     GetSessionToken, GetFederationToken, ...), sealed stateless session
//     tokens with rotating key rings, and a Directory of IAM entities that
//     the embedding program implements.
//   - [github.com/iamkit/iamkit/credentials]: aws.CredentialsProvider
//     adapters over an in-process issuer, IMDS and container credential
//     endpoints, and SigV4 request verification.
//   - [github.com/iamkit/iamkit/stsapi]: the STS Query protocol as an
//     http.Handler, for the AWS SDKs, the AWS CLI and boto3.
//
// Their imports point one way:
//
//	principal  <-  condition  <-  policy  <-  sts  <-  credentials  <-  stsapi
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
// evaluates simulation files and "iamkit validate" checks a policy.
package iamkit
