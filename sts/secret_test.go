package sts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestSecretNeverPrints checks that a secret does not print however it is
// reached: directly, in exported fields, and in unexported fields of a
// caller's own struct, where fmt cannot call Secret's methods and reads the
// value by reflection (the pointer keeps the text out of reach). Printing,
// logging and JSON all redact.
func TestSecretNeverPrints(t *testing.T) {
	const text = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	creds := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: NewSecret(text), SessionToken: "token"}
	type hidden struct {
		creds Credentials
		key   Key
		ak    AccessKey
		mfa   MFADevice
	}
	h := hidden{creds: creds, key: Key{ID: 1, Secret: NewSecret(text)}, ak: AccessKey{ID: "AKIAEXAMPLE", Secret: NewSecret(text)},
		mfa: MFADevice{SerialNumber: "arn:aws:iam::111122223333:mfa/x", Seed: NewSecret(text)}}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outs = append(outs, fmt.Sprintf(verb, creds), fmt.Sprintf(verb, h), fmt.Sprintf(verb, &h), fmt.Sprintf(verb, []any{h, creds}))
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("creds", "creds", creds, "secret", creds.SecretAccessKey)
	outs = append(outs, logged.String())
	js, err := json.Marshal(creds)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(js))
	for _, out := range outs {
		if strings.Contains(out, text) || strings.Contains(out, fmt.Sprintf("%x", text)) {
			t.Errorf("secret printed: %s", out)
		}
	}
	if creds.SecretAccessKey.Reveal() != text || !creds.SecretAccessKey.Equal(NewSecret(text)) || creds.SecretAccessKey.Equal(NewSecret("other")) {
		t.Error("Reveal/Equal do not give the secret back")
	}
	var zero Secret
	if !zero.IsZero() || zero.Reveal() != "" {
		t.Error("the zero Secret is not empty")
	}
}
