package ssoapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

var fuzzSeeds = []string{
	``, `{}`, `null`, `[]`, `{"clientName":"x","clientType":"public"}`,
	`{"clientName":"x","clientType":"public","scopes":["sso:account:access"],"grantTypes":["authorization_code"],"redirectUris":["http://127.0.0.1/oauth/callback"],"issuerUrl":"https://d-0000000000.awsapps.com/start"}`,
	`{"clientId":"a","clientSecret":"b","startUrl":"https://d-0000000000.awsapps.com/start"}`,
	`{"clientId":"a","clientSecret":"b","grantType":"urn:ietf:params:oauth:grant-type:device_code","deviceCode":"c","scope":["s"]}`,
	`{"clientId":7}`, `{"scope":"notalist"}`, `{"clientId":"a"}{}`, `{"clientId":"\u0000"}`, `{"a":{"b":[1,2,{"c":null}]}}`,
	`{"clientName":"` + strings.Repeat("é", 300) + `","clientType":"public"}`,
}

// Decoding the OIDC request bodies never panics, fails only with
// InvalidRequestException, and what it accepts survives a round trip
// through encoding/json.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, mk := range []func() any{
			func() any { return new(registerClientInput) },
			func() any { return new(startDeviceAuthorizationInput) },
			func() any { return new(createTokenInput) },
		} {
			v := mk()
			if err := decodeJSON(body, v); err != nil {
				if err.code != "InvalidRequestException" || err.status != 400 {
					t.Fatalf("decode error %+v", err)
				}
				continue
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			w := mk()
			if err := decodeJSON(b, w); err != nil {
				t.Fatalf("re-decoding %s: %v", b, err)
			}
			if !reflect.DeepEqual(v, w) {
				t.Fatalf("round trip: %#v != %#v", v, w)
			}
		}
	})
}

// Any body posted to any OIDC operation is answered in AWS's shape: a
// JSON object, with __type, error and error_description when it is an
// error, never a 500.
func FuzzOIDCHandler(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add("/token", s)
		f.Add("/client/register", s)
		f.Add("/device_authorization", s)
	}
	fx := newFixture(f, Options{Now: func() time.Time { return t0 }})
	f.Fuzz(func(t *testing.T, path, body string) {
		switch path {
		case "/token", "/client/register", "/device_authorization":
		default:
			path = "/token"
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		fx.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d", path, body, rec.Code)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: body %q is not a JSON object", path, body, rec.Body.Bytes())
		}
		if rec.Code != 200 {
			if out["__type"] == nil || out["error"] == nil || out["error_description"] == nil {
				t.Fatalf("%s %q: error body %v", path, body, out)
			}
		}
	})
}

// The bounded map drops expired entries first, then the oldest, and
// reports every removal.
func TestBounded(t *testing.T) {
	b := newBounded[string, int](3)
	var gone []string
	b.onDelete = func(k string, _ int) { gone = append(gone, k) }
	b.put(t0, "a", 1, t0.Add(time.Minute))
	b.put(t0, "b", 2, t0.Add(time.Hour))
	b.put(t0, "c", 3, t0.Add(time.Hour))
	b.put(t0, "d", 4, t0.Add(time.Hour)) // full: a, the oldest, goes
	if _, ok := b.get(t0, "a"); ok || b.len() != 3 {
		t.Fatalf("a kept, len %d", b.len())
	}
	if v, ok := b.get(t0.Add(30*time.Minute), "b"); !ok || v != 2 {
		t.Fatal("b lost")
	}
	if _, ok := b.get(t0.Add(2*time.Hour), "b"); ok {
		t.Fatal("expired b returned")
	}
	b.put(t0, "c", 30, t0.Add(time.Hour)) // replaces
	if v, _ := b.get(t0, "c"); v != 30 || b.len() != 2 {
		t.Fatalf("replace: %d, len %d", v, b.len())
	}
	if want := "a b c"; strings.Join(gone, " ") != want {
		t.Errorf("removed %v, want %s", gone, want)
	}
}
