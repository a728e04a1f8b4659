// Package jwks fetches and caches the public keys of OpenID Connect
// identity providers: a [Source] is the [federation.KeySource] that
// `iamkit serve` gives providers without inline keys, as AWS STS fetches
// a provider's keys to verify a web identity token
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html).
//
//	src := jwks.New(jwks.Options{})
//	w, err := provider.Verify(ctx, token, src, time.Now())
//
// # Fetching
//
// For a provider whose URL is ISSUER, a Source follows OpenID Connect
// Discovery 1.0 §4 (https://openid.net/specs/openid-connect-discovery-1_0.html):
// it GETs ISSUER/.well-known/openid-configuration (a trailing "/" of
// ISSUER removed first), requires its issuer to equal ISSUER exactly
// (§4.3), then GETs its jwks_uri, which must be an absolute https URL,
// and reads the JSON Web Key Set there (RFC 7517 §5). Each fetch asks for
// both documents again.
//
// Only https is spoken: the provider URL, jwks_uri and every redirect
// must be https. Certificates are verified against the client's roots
// (the system's, by default), as AWS verifies most providers' by its
// trusted root CAs
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html);
// [federation.OIDCProvider.Thumbprints] are not checked. Tests run an httptest.NewTLSServer and pass its Client in
// [Options.Client]. Each request carries the caller's context (its
// values; see below for cancellation), is bounded by [Options.Timeout]
// (5 s), and reads at most [Options.MaxResponseBytes] (256 KiB) of body:
// a longer body, or a status other than 200, fails the fetch. The
// Content-Type is not checked, since providers serve key sets as
// application/json, application/jwk-set+json or worse; the body must
// parse all the same.
//
// Keys are reduced to their public part: a private key in the set
// yields its public key, and a key without a public form (a symmetric
// "oct" key) or that go-jose cannot parse is dropped, as RFC 7517 §5
// advises for keys not understood, rather than failing the set. Which of
// the remaining keys may verify a token (RSA of 2048 bits or more, ECDSA
// on P-256, P-384 or P-521, use "sig") is package federation's choice.
//
// # Caching
//
// Sets are cached per provider URL, for as long as the Source lives (a
// Source serves the providers it is configured for; it never evicts).
// [Source.Keys] answers from a fresh set without locking or allocating;
// the keys it returns are shared and must not be modified.
//
//   - A set is fresh for [Options.TTL] (1 hour) after it was fetched.
//     Cache-Control and Expires are ignored: the TTL alone decides, so a
//     provider can neither make iamkit refetch often nor trust a key
//     longer.
//   - A token whose kid a fresh set lacks triggers a refetch, so a
//     rotated key is found at once; but a Source fetches one provider's
//     keys at most once per [Options.MinRefetchInterval] (1 minute),
//     whatever the reason, so tokens with random kids cannot make it
//     hammer the provider. Between fetches such tokens get no keys.
//   - Concurrent callers that need a fetch share one. The fetch runs on
//     its own goroutine; a caller whose context ends stops waiting
//     (with an error wrapping ErrKeysUnavailable and the context's
//     error) while the fetch goes on for the others.
//   - When a fetch fails, the previous set is still served, past its TTL,
//     until [Options.MaxStale] (24 hours) after it was fetched, since a
//     provider that is down has not revoked its keys. While the last
//     fetch has failed, a kid the set lacks is an error rather than "no
//     such key", as the provider could not be asked.
//   - With no set, or one older than MaxStale, a failure is an error
//     wrapping [federation.ErrKeysUnavailable] (federation answers
//     IDPCommunicationError), a [*FetchError] naming the URL and the
//     reason, never the body. The failure is remembered: until
//     MinRefetchInterval has passed, callers get it without a new fetch.
//
// # Layering
//
// Package jwks imports federation; federation, which does no I/O, never
// imports jwks, nor does sts, which takes any [federation.KeySource] in
// its Options. cmd/iamkit makes the Source and wires it in.
package jwks
