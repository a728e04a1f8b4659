package ssoapi

import (
	"fmt"
	"log/slog"
	"strings"
)

// A SignInCredential is what the sign-in page checks for one user: a
// bcrypt hash of the password (as golang.org/x/crypto/bcrypt or
// htpasswd -B make it) and, when the user has an MFA device, the raw seed
// of its TOTP (RFC 6238: HMAC-SHA1, 30-second steps, six digits).
//
// A SignInCredential never prints its hash or seed: String, GoString,
// Format and LogValue redact them.
type SignInCredential struct {
	PasswordHash []byte
	// TOTPSeed is the TOTP secret as raw bytes (not base32); nil means
	// the user has no MFA device and signs in with the password alone.
	TOTPSeed []byte
}

// String returns a redacted description.
func (c SignInCredential) String() string {
	mfa := "no MFA"
	if len(c.TOTPSeed) > 0 {
		mfa = "TOTP"
	}
	return "ssoapi.SignInCredential{password hash: REDACTED, " + mfa + "}"
}

// GoString is String.
func (c SignInCredential) GoString() string { return c.String() }

// Format writes String whatever the verb.
func (c SignInCredential) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue is String.
func (c SignInCredential) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Credentials look up the credential a user signs in with. The user
// must also be a user of the Instance with the same user name; the
// lookup is by the name the user typed, which Credentials should match
// regardless of case, as IAM Identity Center matches user names.
type Credentials interface {
	SignInCredential(userName string) (SignInCredential, bool)
}

// CredentialsFunc is a function that serves as Credentials.
type CredentialsFunc func(userName string) (SignInCredential, bool)

// SignInCredential calls f.
func (f CredentialsFunc) SignInCredential(userName string) (SignInCredential, bool) {
	return f(userName)
}

// CredentialMap is Credentials from a map of user names (matched
// regardless of case) to credentials.
type CredentialMap map[string]SignInCredential

// SignInCredential returns the credential of the user name, matched
// exactly first and then regardless of case.
func (m CredentialMap) SignInCredential(userName string) (SignInCredential, bool) {
	if c, ok := m[userName]; ok {
		return c, true
	}
	for k, c := range m {
		if strings.EqualFold(k, userName) {
			return c, true
		}
	}
	return SignInCredential{}, false
}
