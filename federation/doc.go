// Package federation models IAM's identity providers and verifies what they
// issue, as AWS STS verifies it before AssumeRoleWithWebIdentity and
// AssumeRoleWithSAML: OpenID Connect providers (CreateOpenIDConnectProvider)
// and the ID tokens or OAuth 2.0 access tokens they sign; SAML 2.0
// providers (CreateSAMLProvider) and the SAML responses they sign.
//
// It does no I/O. A provider's public keys come inline
// ([OIDCProvider.Keys], a JSON Web Key Set) or through a [KeySource] the
// caller supplies, or from the SAML metadata document
// ([SAMLProvider.Certificates]); time comes in as an argument. Package
// sts imports federation and turns a verified [WebIdentity] or
// [SAMLIdentity] into a role session; federation imports neither sts nor
// credentials.
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
//
// # SAML
//
// [NewSAMLProvider] checks a provider as CreateSAMLProvider does
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html):
// a name of 1 to 128 characters of [\w._-]; a UTF-8 metadata document of
// 1,000 to 10,000,000 characters with no byte order mark and no document
// type declaration, whose md:EntityDescriptor has an entityID and an
// IDPSSODescriptor with at least one signing certificate (KeyDescriptor
// use="signing" or no use) holding an RSA key of at least 1024 bits.
//
// [ParseSAMLResponse] and [SAMLProvider.Verify] follow
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
// and https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html:
//
//   - the SAMLAssertion is 4 to 100,000 characters of standard base64
//     (whitespace ignored) of a UTF-8 samlp:Response; a document type
//     declaration, an entity, a duplicate attribute, a second root or
//     nesting deeper than 64 is refused before anything is read;
//   - the response holds exactly one Assertion, a child of the Response,
//     and no other anywhere (signature wrapping); an EncryptedAssertion,
//     EncryptedID or EncryptedAttribute is refused as not supported;
//   - the Response, the Assertion or both carry an enveloped XML
//     signature that goxmldsig validates with one of the provider's
//     certificates (valid at now); every signature present must hold.
//     Everything returned is read from the canonical copy of the signed
//     element goxmldsig returns, never from the document as sent, and an
//     element's text is all its text, comments skipped;
//   - the Response's Version is 2.0, its StatusCode Success, its Issuer
//     (when present) the provider's entity ID, its Destination (when
//     present) an AWS sign-in endpoint;
//   - the Assertion's Issuer is the provider's entity ID; its Subject has
//     one NameID and exactly one bearer SubjectConfirmation whose
//     SubjectConfirmationData has a NotOnOrAfter and a Recipient that is
//     https://signin.aws.amazon.com/saml, https://REGION.signin.aws.amazon.com/saml
//     or their /static/saml forms (signin.amazonaws.cn and
//     signin.amazonaws-us-gov.com in those partitions);
//   - its Conditions have an AudienceRestriction, and each one names
//     urn:amazon:webservices or an AWS sign-in endpoint; NotBefore,
//     NotOnOrAfter and IssueInstant are checked against now with
//     [SAMLClockSkew] (1 minute) either way, and the assertion must be
//     redeemed within [SAMLRedeemWindow] (5 minutes) of its IssueInstant;
//   - the Role attribute holds a "roleArn,providerArn" pair (either
//     order) naming the requested role and this provider; RoleSessionName
//     is one value of 2 to 64 characters of [\w+=,.@-]; SessionDuration,
//     when present, one integer from 900 to 43200; SourceIdentity, when
//     present, 2 to 64 of the same characters, not starting "aws:";
//     PrincipalTag:KEY attributes have one value each.
//
// The [SAMLIdentity] carries AWS's outputs (Subject, SubjectType, Issuer,
// Audience = the Recipient, NameQualifier = BASE64(SHA1(Issuer + ACCOUNT
// + "/" + NAME))), the session's name, tags, source identity,
// SessionDuration and SessionNotOnOrAfter for the caller to bound the
// session by, and [SAMLIdentity.SetConditionKeys] gives a trust policy
// the saml: keys (reference_policies_iam-condition-keys.html#condition-keys-saml).
//
// Failures are InvalidIdentityToken with AWS's messages where they are
// known ("Response signature invalid", "Issuer not present in specified
// provider", "SAML Assertion doesn't contain the requested Role and
// Metadata in the attributes", "RoleSessionName is required in
// AuthnResponse", ...), ExpiredTokenException ("Response has expired",
// "Token must be redeemed within 5 minutes of issuance"), and
// AccessDenied "Not authorized to perform sts:AssumeRoleWithSAML" for a
// response without a NameID, as the troubleshooting page says.
//
// [SAMLTestIdP] is an identity provider for local tests: it makes the
// metadata to register and signs responses on demand.
//
// # SAML choices where AWS is silent
//
// AWS publishes neither its clock skew for SAML nor its order of checks:
// this package allows 1 minute, and checks the structure, then the
// signatures, then the response, issuer, times, subject, conditions and
// attributes. The 5-minute redeem window is inferred from AWS's message.
// An assertion naming an audience AWS does not take is refused, as is an
// unknown Condition (SAML core 2.5.1). The metadata's validUntil is kept
// but not enforced, and a certificate outside its validity period is
// refused (goxmldsig's check; AWS does not document its own). Attribute
// values and the NameID are trimmed of surrounding whitespace. Of two
// attributes that map to the same saml: key, the first in document order
// counts.
package federation
