package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/iamkit/iamkit/principal"
)

// An OIDCProvider is an IAM OpenID Connect identity provider, as
// CreateOpenIDConnectProvider makes one
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html).
// A provider is read-only once made; it is safe for concurrent use.
type OIDCProvider struct {
	// ARN is arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST/PATH.
	ARN string
	// URL is the issuer: https://HOST/PATH, equal to the iss claim of
	// the tokens it signs.
	URL string
	// ClientIDs are the audiences the provider's tokens may carry.
	ClientIDs []string
	// Thumbprints are the SHA-1 fingerprints (40 hex characters) of the
	// certificate that signs the provider's TLS certificate. Kept for
	// fidelity; this package does no I/O and so checks none.
	Thumbprints []string
	// Keys is the provider's JSON Web Key Set, when it is given inline;
	// nil means a [KeySource] supplies the keys.
	Keys *jose.JSONWebKeySet
}

// Limits of CreateOpenIDConnectProvider
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html).
const (
	maxURLLen      = 255
	maxClientIDs   = 100
	maxClientIDLen = 255
	maxThumbprints = 5
)

// NewOIDCProvider returns the provider of account (in the aws partition)
// for the issuer url, checked as CreateOpenIDConnectProvider checks it: an
// https URL of at most 255 characters with a host, no port, query,
// fragment or user information (a path is allowed); 1 to 100 client IDs of
// 1 to 255 characters; at most 5 thumbprints of 40 hex digits.
func NewOIDCProvider(account, url string, clientIDs, thumbprints []string) (*OIDCProvider, error) {
	return NewOIDCProviderIn("aws", account, url, clientIDs, thumbprints)
}

// NewOIDCProviderIn is [NewOIDCProvider] in another partition.
func NewOIDCProviderIn(partition, account, url string, clientIDs, thumbprints []string) (*OIDCProvider, error) {
	if !principal.IsAccountID(account) {
		return nil, invalidProvider(url, "account "+strconv.Quote(clip(account))+" is not a 12-digit account ID")
	}
	if !principal.KnownPartition(partition) {
		return nil, invalidProvider(url, "unknown partition "+strconv.Quote(clip(partition)))
	}
	p := &OIDCProvider{
		ARN:         "arn:" + partition + ":iam::" + account + ":oidc-provider/" + strings.TrimPrefix(url, "https://"),
		URL:         url,
		ClientIDs:   slices.Clone(clientIDs),
		Thumbprints: slices.Clone(thumbprints),
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// ErrInvalidProvider is matched by every error of an invalid provider.
var ErrInvalidProvider = errors.New("federation: invalid identity provider")

// ProviderError describes an identity provider that IAM would refuse.
type ProviderError struct {
	Provider string // the URL or ARN
	Reason   string
}

func (e *ProviderError) Error() string {
	return "federation: identity provider " + strconv.Quote(clip(e.Provider)) + ": " + e.Reason
}

// Unwrap returns ErrInvalidProvider.
func (e *ProviderError) Unwrap() error { return ErrInvalidProvider }

func invalidProvider(p, reason string) error { return &ProviderError{Provider: p, Reason: reason} }

// Validate checks p as [NewOIDCProvider] does, and that its ARN names its
// URL.
func (p *OIDCProvider) Validate() error {
	if p == nil {
		return invalidProvider("", "nil provider")
	}
	if reason := checkProviderURL(p.URL); reason != "" {
		return invalidProvider(p.URL, reason)
	}
	a, err := principal.ParseARN(p.ARN)
	if err != nil || a.Service != "iam" || a.Region != "" || !principal.IsAccountID(a.Account) ||
		a.Resource != "oidc-provider/"+strings.TrimPrefix(p.URL, "https://") {
		return invalidProvider(p.URL, "ARN "+strconv.Quote(clip(p.ARN))+" is not arn:PARTITION:iam::ACCOUNT:oidc-provider/"+strings.TrimPrefix(p.URL, "https://"))
	}
	if len(p.ClientIDs) == 0 || len(p.ClientIDs) > maxClientIDs {
		return invalidProvider(p.URL, fmt.Sprintf("%d client IDs; a provider has 1 to %d", len(p.ClientIDs), maxClientIDs))
	}
	for i, c := range p.ClientIDs {
		if c == "" || len(c) > maxClientIDLen {
			return invalidProvider(p.URL, fmt.Sprintf("ClientIDs[%d] must be 1 to %d characters", i, maxClientIDLen))
		}
	}
	if len(p.Thumbprints) > maxThumbprints {
		return invalidProvider(p.URL, fmt.Sprintf("%d thumbprints; at most %d", len(p.Thumbprints), maxThumbprints))
	}
	for i, t := range p.Thumbprints {
		if !isHex40(t) {
			return invalidProvider(p.URL, fmt.Sprintf("Thumbprints[%d] is not 40 hexadecimal digits", i))
		}
	}
	if p.Keys != nil {
		for i, k := range p.Keys.Keys {
			if reason := checkVerificationKey(&k); reason != "" {
				return invalidProvider(p.URL, fmt.Sprintf("Keys[%d] (kid %q): %s", i, clip(k.KeyID), reason))
			}
		}
	}
	return nil
}

// checkProviderURL returns why u is not an OIDC provider URL IAM accepts,
// or "".
func checkProviderURL(u string) string {
	rest, ok := strings.CutPrefix(u, "https://")
	switch {
	case !ok:
		return "the URL must begin with https://"
	case len(u) > maxURLLen:
		return fmt.Sprintf("the URL is longer than %d characters", maxURLLen)
	case strings.ContainsAny(rest, "?#"):
		return "the URL must not have a query or fragment"
	case strings.Contains(rest, "@"):
		return "the URL must not have user information"
	}
	host, _, _ := strings.Cut(rest, "/")
	switch {
	case host == "":
		return "the URL has no host"
	case strings.Contains(host, ":"):
		return "the URL must not have a port"
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f {
			return "the URL has a space, control or non-ASCII character"
		}
	}
	return ""
}

func isHex40(s string) bool {
	if len(s) != 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// ConditionPrefix is the prefix of the provider's condition keys: its URL
// without "https://", as in "token.actions.githubusercontent.com:sub"
// (reference_policies_iam-condition-keys.html#condition-keys-wif).
func (p *OIDCProvider) ConditionPrefix() string { return strings.TrimPrefix(p.URL, "https://") }

// Account returns the account the provider belongs to.
func (p *OIDCProvider) Account() string {
	a, err := principal.ParseARN(p.ARN)
	if err != nil {
		return ""
	}
	return a.Account
}

// A KeySource supplies the public keys of providers without inline keys,
// typically from their OIDC discovery document's jwks_uri. Keys is asked
// for the keys whose key ID is kid ("" when the token has none); a source
// that caches may refetch when it knows no such key. An error that
// wraps [ErrKeysUnavailable] means the provider could not be reached
// (IDPCommunicationError); an empty result with no error means the
// provider has no such key (InvalidIdentityToken).
type KeySource interface {
	Keys(ctx context.Context, p *OIDCProvider, kid string) ([]jose.JSONWebKey, error)
}

// ErrKeysUnavailable is what a [KeySource] wraps when it cannot reach the
// provider's keys.
var ErrKeysUnavailable = errors.New("federation: identity provider keys unavailable")

// clip bounds a value echoed in an error message.
func clip(s string) string {
	const max = 128
	if len(s) <= max {
		return s
	}
	return s[:max] + "..."
}
