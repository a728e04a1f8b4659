package main

import (
	"os"
	"strings"
	"testing"
)

// TestWorldFileErrorsCLI checks that serve reports world errors with the
// file name and exit status 2; package world tests the messages.
func TestWorldFileErrorsCLI(t *testing.T) {
	path := t.TempDir() + "/bad.json"
	if err := os.WriteFile(path, []byte("{\"user\": []}"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := iamkit(t, "", "serve", "--world", path)
	want := "iamkit: serve: " + path + `:1:2: user: unknown field "user" (known fields: description, keyRing, accounts, users, groups, roles, managedPolicies, resourcePolicies, oidcProviders, samlProviders, instanceProfiles, identityCenter)` + "\n"
	if code != 2 || stderr != want {
		t.Errorf("serve with a bad world: exit %d, stderr %q, want 2 and %q", code, stderr, want)
	}
	code, _, stderr = iamkit(t, "", "serve", "--world", t.TempDir()+"/missing.json")
	if code != 2 || !strings.Contains(stderr, "no such file") {
		t.Errorf("serve with a missing world: exit %d, stderr %q", code, stderr)
	}
}
