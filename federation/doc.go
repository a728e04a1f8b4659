// Package federation models IAM's identity providers and verifies what they
// issue, as AWS STS verifies it before AssumeRoleWithWebIdentity: OpenID
// Connect providers (CreateOpenIDConnectProvider) and the ID tokens or
// OAuth 2.0 access tokens they sign.
//
// It does no I/O. A provider's public keys come inline
// ([OIDCProvider.Keys], a JSON Web Key Set) or through a [KeySource] the
// caller supplies; time comes in as an argument. Package sts imports
// federation and turns a verified [WebIdentity] into a role session;
// federation imports neither sts nor credentials.
//
// # What is verified
//
// [ParseWebIdentityToken] and [OIDCProvider.Verify] follow
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
// and https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html:
//
//   - the token is 4 to 20,000 characters, in JWS compact serialization only
//     (no JWE, no JSON serialization, no nested token);
//   - its alg is RS256, RS384, RS512, ES256, ES384 or ES512: never "none",
//     never an HMAC (the signature is checked by go-jose, never by hand);
//   - the key is the provider's key with the token's kid; a token without a
//     kid is accepted only when the provider has a single signing key;
//   - iss equals the provider URL exactly (case-sensitive; a trailing slash
//     counts);
//   - the audience is one of the provider's client IDs: azp when the token
//     has one, else one of aud (as AWS reads Google's tokens, and the
//     generic OIDC aud key);
//   - exp has passed by no more than AWS's 5-minute leeway; nbf and iat
//     lie no more than 5 minutes in the future; the timestamps are
//     integers.
//
// Failures are [*Error] values with AWS's codes: InvalidIdentityToken,
// ExpiredTokenException, IDPCommunicationError. Their messages are AWS's;
// the precise cause is in [Error.Reason], for logs and tests, never on the
// wire.
//
// # Choices where AWS is silent
//
// AWS does not publish the order of its checks; this package parses, finds
// the key, checks the signature, then the issuer, audience and times, so
// nothing in an unsigned payload is believed. A key set that cannot be
// reached is IDPCommunicationError (the API page: "could not be reached");
// a reachable set without the token's kid is InvalidIdentityToken
// "Couldn't retrieve verification key from your identity provider".
package federation
