package jwks

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// FuzzParseDiscovery: any discovery document either yields an absolute
// https jwks_uri from a document whose issuer is exactly the one asked
// for, or fails for one of the documented reasons; it never panics.
func FuzzParseDiscovery(f *testing.F) {
	const iss = "https://token.actions.githubusercontent.com"
	f.Add([]byte(`{"issuer":"https://token.actions.githubusercontent.com","jwks_uri":"https://token.actions.githubusercontent.com/.well-known/jwks"}`), iss)
	f.Add([]byte(`{"issuer":"https://accounts.google.com","jwks_uri":"https://www.googleapis.com/oauth2/v3/certs","id_token_signing_alg_values_supported":["RS256"]}`), "https://accounts.google.com")
	f.Add([]byte(`{"issuer":"https://token.actions.githubusercontent.com/","jwks_uri":"https://x/k"}`), iss)
	f.Add([]byte(`{"issuer":"https:\/\/token.actions.githubusercontent.com","jwks_uri":"https:\/\/x\/k"}`), iss)
	f.Add([]byte(`{"issuer":"`+iss+`","issuer":"https://evil","jwks_uri":"https://x/k"}`), iss)
	f.Add([]byte(`{"ISSUER":"`+iss+`","jwks_uri":"https://x/k"}`), iss)
	f.Add([]byte(`{"issuer":"`+iss+`","jwks_uri":"http://x/k"}`), iss)
	f.Add([]byte(`{"issuer":"`+iss+`","jwks_uri":"https:opaque"}`), iss)
	f.Add([]byte(`{"issuer":"`+iss+`","jwks_uri":"https://u@x/k#f"}`), iss)
	f.Add([]byte(`{"issuer":null,"jwks_uri":null}`), "")
	f.Add([]byte(`null`), "")
	f.Add([]byte(`[]`), "")
	f.Add([]byte("\xff{"), iss)
	f.Fuzz(func(t *testing.T, body []byte, issuer string) {
		uri, err := parseDiscovery(body, issuer)
		if err != nil {
			if !errors.Is(err, errNotJSON) && !errors.Is(err, errIssuer) && !errors.Is(err, errJWKSURI) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		var doc map[string]any
		if json.Unmarshal(body, &doc) != nil || doc["issuer"] != issuer || doc["jwks_uri"] != uri {
			t.Fatalf("accepted %q for issuer %q: jwks_uri %q", body, issuer, uri)
		}
		u, err := url.Parse(uri)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			t.Fatalf("jwks_uri %q accepted", uri)
		}
	})
}

// FuzzParseKeySet: any key set yields only valid public keys, which
// marshal and parse back to themselves; it never panics.
func FuzzParseKeySet(f *testing.F) {
	f.Add([]byte(`{"keys":[]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","kid":"e1","use":"sig","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"RSA","kid":"r1","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"XYZ"},"x",null,1,{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","x5c":["AA"]}]}`))
	f.Add([]byte(`{"keys":null}`))
	f.Add([]byte(`{"Keys":[]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		keys, err := parseKeySet(body)
		if err != nil {
			if !errors.Is(err, errNotJSON) && !errors.Is(err, errNoKeys) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		for _, k := range keys {
			if !k.IsPublic() || !k.Valid() {
				t.Fatalf("key %q (%T) is not a valid public key", k.KeyID, k.Key)
			}
		}
		again, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := parseKeySet(again)
		if err != nil || len(back) != len(keys) {
			t.Fatalf("round trip: %d keys, %v; want %d", len(back), err, len(keys))
		}
		for i := range keys {
			if back[i].KeyID != keys[i].KeyID {
				t.Fatalf("round trip: key %d has kid %q, want %q", i, back[i].KeyID, keys[i].KeyID)
			}
		}
	})
}
