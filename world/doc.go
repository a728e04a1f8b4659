// Package world loads iamkit's world files: JSON that describes AWS
// accounts, IAM users, groups and roles, their access keys and MFA
// devices, managed and resource-based policies, and the key ring that
// seals session tokens. "iamkit serve" and "iamkit credential-process"
// run on a world; a Go test can load the same file and talk to an STS
// [sts.Issuer] over it.
//
//	w, err := world.LoadFile("world.json") // or world.Load(name, data)
//	if err != nil {
//		return err // an *world.Error: world.json:12:18: roles[0].trustPolicy: ...
//	}
//	issuer, err := w.Issuer(sts.Options{Region: "us-east-1"})
//
// [Load] decodes and validates a file and reports every problem in an
// *[Error], one [Problem] per mistake with its file, line, column and JSON
// path. [World.Directory] is the [sts.MemoryDirectory] of the world's
// entities, [World.KeyRing] its key ring and [World.Issuer] an STS issuer
// over both. [Default] is the built-in world (examples/worlds/default.json,
// [DefaultJSON]), whose keys are public.
//
// # The world file
//
// A world is one JSON object:
//
//	{"description": "any text",
//	 "keyRing": [{"id": 1, "secret": "BASE64 OF AT LEAST 32 BYTES"}, ...],
//	 "accounts": [{"id": "111111111111", "orgId": "o-a1b2c3d4e5",
//	               "orgPath": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
//	               "management": false,
//	               "scps": [[POLICY, ...], ...], "rcps": [[POLICY, ...], ...],
//	               "disabledRegions": ["ap-east-1"]}],
//	 "users": [{"arn": "arn:aws:iam::111111111111:user/alice", "uniqueId": "AIDA...",
//	            "root": false, "policies": [POLICY, ...],
//	            "managedPolicyArns": ["arn:aws:iam::111111111111:policy/P"],
//	            "groups": ["arn:aws:iam::111111111111:group/devs"],
//	            "permissionsBoundaryArn": "arn:aws:iam::111111111111:policy/B",
//	            "tags": {"team": "blue"},
//	            "accessKeys": [{"id": "AKIA...", "secret": "...", "inactive": false}],
//	            "mfaDevices": [{"serialNumber": "arn:aws:iam::111111111111:mfa/alice",
//	                            "seed": "BASE32 TOTP SEED"}]}],
//	 "groups": [{"arn": "arn:aws:iam::111111111111:group/devs",
//	             "policies": [POLICY, ...], "managedPolicyArns": [...]}],
//	 "roles": [{"arn": "arn:aws:iam::111111111111:role/deploy", "uniqueId": "AROA...",
//	            "trustPolicy": POLICY, "policies": [POLICY, ...],
//	            "managedPolicyArns": [...], "permissionsBoundaryArn": "...",
//	            "tags": {...}, "maxSessionDuration": 3600, "serviceLinked": false}],
//	 "managedPolicies": [{"arn": "arn:aws:iam::111111111111:policy/P", "document": POLICY}],
//	 "resourcePolicies": [{"resource": "arn:aws:s3:::bucket", "document": POLICY}],
//	 "oidcProviders": [{"arn": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
//	                    "clientIds": ["sts.amazonaws.com"], "thumbprints": ["40 HEX DIGITS"],
//	                    "jwks": {"keys": [PUBLIC JWK, ...]},
//	                    "signingKeys": [PRIVATE JWK, ...]}],
//	 "samlProviders": [{"arn": "arn:aws:iam::111111111111:saml-provider/ExampleCorp",
//	                    "metadata": "<md:EntityDescriptor ...>...</md:EntityDescriptor>",
//	                    "metadataFile": "idp-metadata.xml",
//	                    "testIdP": {"entityId": "https://idp.example.com/saml",
//	                                "privateKey": "RSA KEY, PEM OR BASE64 DER",
//	                                "certificate": "X.509, PEM OR BASE64 DER"}}],
//	 "instanceProfiles": [{"arn": "arn:aws:iam::111111111111:instance-profile/web",
//	                       "uniqueId": "AIPA...", "roles": ["arn:aws:iam::111111111111:role/web"],
//	                       "tags": {...}}],
//	 "identityCenter": {"identityStoreId": "d-0000000000", "region": "us-east-1",
//	                    "startUrl": "https://d-0000000000.awsapps.com/start",
//	                    "users": [{"userName": "alice", "displayName": "...", "email": "...",
//	                               "passwordHash": "$2a$10$...", "totpSeed": "BASE32",
//	                               "attributes": {"enterprise.department": "..."}}],
//	                    "groups": [{"displayName": "admins", "members": ["alice"]}],
//	                    "permissionSets": [{"name": "...", "description": "...", "sessionDuration": "PT8H",
//	                                        "relayState": "...", "managedPolicies": ["arn:aws:iam::aws:policy/..."],
//	                                        "customerManagedPolicies": [{"name": "...", "path": "/"}],
//	                                        "inlinePolicy": POLICY,
//	                                        "permissionsBoundary": {"managedPolicyArn": "..."}}],
//	                    "assignments": [{"group": "admins", "permissionSet": "...", "accounts": ["..."]}],
//	                    "accessControlAttributes": [{"key": "team", "source": "${path:enterprise.department}"}]}}
//
// Every field is optional except those named below; a field set to null is
// the same as an absent one. Unknown fields, at any level, and duplicate
// fields are errors. POLICY is a policy document, as a JSON object or a
// JSON string holding one, parsed as the policy type its place implies:
// identity (policies, managed policies), trust (trustPolicy), resource
// (resourcePolicies), SCP or RCP (one array per organization level, root
// first and the account last).
//
//   - keyRing: the keys that seal and open session tokens. The first key
//     seals; every key opens, so a new key goes first and old ones stay
//     until their tokens expire. id is an integer from 0 to 4294967295,
//     unique; secret is standard base64 of at least 32 random bytes
//     (head -c 32 /dev/urandom | base64). Without keyRing, [World.Issuer]
//     seals with a random key, so its tokens work only with that issuer.
//   - accounts (id required, 12 digits): an account's organization, SCPs,
//     RCPs and disabled regions. orgPath, management, scps and rcps need
//     orgId; orgPath begins with orgId and ends with "/". A user or role of
//     an account not listed belongs to no organization.
//   - users (arn required): IAM users, and the root user
//     (arn:aws:iam::ACCOUNT:root with "root": true). accessKeys need id and
//     secret; an access key ID must encode its owner's account the way
//     AWS's do (AKIA and 16 base32 characters; GetAccessKeyInfo decodes the
//     account from them), and the error for one that does not suggests an
//     ID that does. An inactive key is refused as AWS refuses it.
//     mfaDevices need serialNumber and seed, the base32 TOTP seed an
//     authenticator app is given (spaces and lower case allowed).
//   - groups (arn required), roles (arn and trustPolicy required),
//     managedPolicies (arn and document required), resourcePolicies
//     (resource and document required; an S3 bucket's policy also governs
//     its objects).
//   - oidcProviders (arn and clientIds required): IAM OpenID Connect
//     identity providers, checked as CreateOpenIDConnectProvider checks
//     them
//     (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html);
//     the issuer URL is https:// and the ARN's resource after
//     "oidc-provider/". jwks holds the provider's public signing keys
//     (RSA or ECDSA JSON Web Keys with a kid, RFC 7517); signingKeys holds
//     private keys of a test issuer at that URL, whose public parts join
//     the provider's keys and with which "iamkit mint oidc" (and
//     [World.TestOIDCIssuer]) signs tokens. Without either, the keys are
//     fetched from the provider (OIDC discovery) by the issuer's
//     KeySource. Private keys in jwks, symmetric keys and two keys with one
//     kid are errors; key material is never repeated in messages. A world
//     holding the built-in world's test signing key counts as the built-in
//     world for [World.IsDefault].
//   - samlProviders (arn required, and metadata, metadataFile or testIdP): IAM SAML
//     providers, checked as CreateSAMLProvider checks them
//     (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateSAMLProvider.html):
//     a name of 1 to 128 characters of [\w._-] and the IdP's metadata XML,
//     inline (metadata) or in a file (metadataFile, relative to the world
//     file; only [LoadFile] reads files).
//     testIdP is a test IdP registered as that provider: its entity ID,
//     RSA private key (PKCS #8 or PKCS #1) and certificate; without
//     metadata, the test IdP's own metadata registers it, and with
//     metadata, the entity ID and certificate must be the metadata's.
//     "iamkit mint saml" (and [World.TestSAMLIdP]) signs responses with it.
//     The key is never repeated in messages; a world holding the built-in
//     world's test IdP counts as the built-in world for [World.IsDefault].
//   - instanceProfiles (arn required): EC2 instance profiles, each with at
//     most one role, a role of the world in the profile's account (AWS's
//     limit, not raisable:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html);
//     a role may be in many profiles. "iamkit serve --imds" serves a
//     profile's role as an instance's.
//   - identityCenter: an IAM Identity Center instance over the world's
//     accounts (package identitycenter, with its rules and AWS's limits):
//     users (userName and passwordHash required; passwordHash is a bcrypt
//     hash, totpSeed an optional base32 MFA seed, displayName the user name
//     when absent), groups and their members, permission sets, assignments
//     of a user or a group to accounts, and attributes for access control.
//     Once the world is loaded the permission sets are provisioned into the
//     directory, as AWS provisions them: AWSReservedSSO_ roles and the
//     AWSSSO_..._DO_NOT_DELETE SAML provider in each assigned account; a
//     customer managed policy missing from an account is an error naming
//     the account. [World.IdentityCenter] is the instance and
//     [World.SignInUser] a user's sign-in credentials. A world holding the
//     built-in world's users' password hashes counts as the built-in world
//     for [World.IsDefault].
//   - uniqueId may be left out: it is then derived from the ARN by
//     [sts.DeterministicUniqueID] (AIDA or AROA followed by 17 base32
//     characters of a SHA-256 of the ARN), so the same world always gives
//     the same IDs.
//   - maxSessionDuration is in seconds, 3600 to 43200; absent means 3600.
//   - groups, managedPolicyArns and permissionsBoundaryArn must name groups
//     and managed policies the world defines.
//
// IAM's own rules apply as in AWS
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html):
// ARN shapes, names unique in an account regardless of case, unique IDs
// and access key IDs unique, at most 50 tags with keys unique regardless
// of case.
//
// # Errors
//
// Every problem is reported, in file order, as FILE:LINE:COLUMN: PATH:
// message; a problem inside a policy gives the policy's own JSON path
// after its kind:
//
//	world.json:12:18: roles[0].trustPolicy: invalid trust policy: Statement[0].Effect: must be "Allow" or "Deny"
//	world.json:20:5: users[1].polices: unknown field "polices" (known fields: arn, uniqueId, ...)
//
// Messages never show a secret: key material, secret access keys and MFA
// seeds are not repeated, an access key ID is repeated only when it looks
// like one (AKIA or ASIA and 16 characters of A-Z2-7; a secret pasted into
// the id field is not), and every value a message repeats is cut to 64
// characters and "...".
//
// # Layering
//
// world sits above the engine: it imports policy, principal, federation, sts and the
// internal JSON reader internal/jsonpos, and nothing in those imports
// world. Programs (cmd/iamkit) and tests import it.
package world
