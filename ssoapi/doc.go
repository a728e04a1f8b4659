// Package ssoapi serves IAM Identity Center's two wire protocols and its
// sign-in pages over HTTP, so that the AWS SDKs and the AWS CLI with SSO
// profiles sign in, list accounts and roles and get role credentials
// from an in-process [identitycenter.Instance] and [sts.Issuer],
// unmodified:
//
//   - SSO OIDC (https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/),
//     restJson1 as the SDK's ssooidc client sends it: RegisterClient,
//     StartDeviceAuthorization and CreateToken with the device code,
//     authorization code (PKCE, S256 only) and refresh token grants, with
//     AWS's errors ({"__type", "error", "error_description"}), and the
//     unmodeled /authorize endpoint the CLI opens for the authorization
//     code grant;
//   - the portal API (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/),
//     as the SDK's sso client sends it: ListAccounts, ListAccountRoles,
//     GetRoleCredentials (expiration in epoch milliseconds) and Logout,
//     authenticated by the x-amz-sso_bearer_token header, with AWS's
//     errors ({"__type", "message"});
//   - the sign-in pages a user approves a device code or an authorization
//     request on: server-rendered HTML that works without JavaScript,
//     user name and password (bcrypt hashes from [Credentials]), then a
//     TOTP code when the user has an MFA device.
//
// # Paths
//
// One [Server] answers every path below; [Server.Handles] tells them
// apart, so that it can share an address with the STS Query endpoint,
// which is POST / (none of these paths is "/"):
//
//	POST /client/register          RegisterClient
//	POST /device_authorization     StartDeviceAuthorization
//	POST /token                    CreateToken
//	GET  /authorize                authorization request (redirects to /start/authorize)
//	GET  /assignment/accounts      ListAccounts
//	GET  /assignment/roles         ListAccountRoles
//	GET  /federation/credentials   GetRoleCredentials
//	POST /logout                   Logout
//	GET  /start/device             verificationUri: sign in, enter or confirm the code
//	POST /start/device             enter a code
//	POST /start/signin             user name and password
//	POST /start/mfa                TOTP code
//	POST /start/device/approve     allow or deny a device
//	GET  /start/authorize          allow or deny an authorization request
//	POST /start/authorize          ... and return to the client's redirect URI
//	POST /start/signout            sign out
//	GET  /start/assets/style.css   the pages' style sheet
//
// [Server.OIDC], [Server.Portal] and [Server.SignIn] return the three
// groups as separate handlers. The SDKs reach them through endpoint
// overrides (AWS_ENDPOINT_URL_SSO_OIDC and AWS_ENDPOINT_URL_SSO, or the
// config file's services sections); the start URL stays the instance's
// https://d-XXXXXXXXXX.awsapps.com/start, which current CLIs require.
//
// # Usage
//
//	srv, err := ssoapi.New(ssoapi.Options{
//		Instance: ic,     // *identitycenter.Instance, provisioned
//		Issuer:   issuer, // *sts.Issuer over the same directory
//		Users: ssoapi.CredentialMap{
//			"alice": {PasswordHash: hash}, // bcrypt
//		},
//	})
//	mux.Handle("/", stsHandler)
//	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//		if srv.Handles(r) {
//			srv.ServeHTTP(w, r)
//			return
//		}
//		mux.ServeHTTP(w, r)
//	})
//
// # Tokens and limits
//
// Client secrets, device codes, authorization codes, access tokens
// ("aoa...") and refresh tokens ("aor...") are 256-bit values from
// crypto/rand, opaque to clients; the server keeps only their SHA-256,
// compares secrets in constant time and never logs or echoes them.
// Lifetimes: a client registration 90 days (clientSecretExpiresAt, what
// AWS answers), a device code 600 seconds with a 5-second interval,
// an authorization request 10 minutes and its code 5 minutes, an access
// token [DefaultAccessTokenLifetime] (8 hours, Identity Center's default
// session duration) and a sign-in renewed by refresh tokens
// [DefaultRefreshTokenLifetime] (90 days, its longest). A refresh
// replaces both tokens and keeps the session's end. Logout ends the
// token session and the browser session that approved it.
//
// All state is in memory and bounded: [Options.MaxClients],
// [Options.MaxPendingAuthorizations] and [Options.MaxSessions] cap each
// map, and a full map drops its expired entries, then its oldest. A
// registration holds at most a 256-character name, 10 scopes of 128
// characters and 5 redirect URIs of 512 (about 4 KiB), a request body at
// most 64 KiB, a form 16 KiB. Polling
// CreateToken faster than the interval is SlowDownException, and the
// interval grows by 5 seconds (RFC 8628 section 3.5); an access token
// makes at most a burst of 500 portal calls, then 50 a second
// (TooManyRequestsException). Sign-in is throttled per user name, known
// or not: after 5 consecutive failures it is refused for 30 seconds,
// doubling up to 15 minutes. An unknown user name costs the same bcrypt
// comparison as a wrong password and gets the same answer.
//
// # Pages
//
// Every form carries a CSRF token, an HMAC of the browser's cookie under
// a per-server key; the cookie is HttpOnly, SameSite=Strict, Secure over
// TLS, and replaced at each sign-in. Pages send Content-Security-Policy
// (no scripts, frame-ancestors 'none'), no referrer and no-store.
//
// # Documented choices
//
// Where AWS is silent or cannot be reproduced:
//
//   - A client registered without grantTypes (the CLI's device flow) may
//     use the device code grant, and gets refresh tokens when it
//     registered scopes (the sso-session configuration), not otherwise
//     (legacy profiles); explicit grantTypes are taken as they are. The
//     authorization code grant requires redirectUris and issuerUrl, which
//     must be the start URL, as the CLI sends it.
//   - Redirect URIs must be http on a loopback address; the port of a
//     registered loopback URI is ignored when matching (RFC 8252 section
//     7.3), since the CLI registers http://127.0.0.1/oauth/callback and
//     listens on a port of its own.
//   - Polling is judged by the generic cell rate algorithm with one early
//     poll and a second of slack: the CLI polls twice at once, then every
//     interval.
//   - An expired device code or authorization code is
//     ExpiredTokenException, as the CLI expects of both; a used one, or
//     one of another client, InvalidGrantException.
//   - ListAccounts and ListAccountRoles answer 20 items a page unless
//     max_result (1 to 100) says otherwise; next_token is a cursor.
//   - Role session failures of package sts (a user name that is not a
//     valid session name) are InvalidRequestException with STS's message;
//     the model's errors keep their codes (ForbiddenException "No access"
//     for a role the user is not assigned).
package ssoapi
