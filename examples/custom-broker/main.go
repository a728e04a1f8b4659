// Command custom-broker shows federation through a custom identity broker
// (GetFederationToken): an internal service signs in users from its own user
// store, which speaks neither SAML nor OpenID Connect, and hands each one
// temporary credentials scoped to that user alone.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_federated-users.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#api_getfederationtoken
//
// Account 111111111111 runs the broker as the IAM user "broker". Its
// long-term access key stays on the broker's server; its identity policy
// allows sts:GetFederationToken and s3:GetObject/PutObject on the bucket
// "team-files". The broker keeps a tiny user store (name, bcrypt hash of the
// password, team). For a user who signs in, it calls GetFederationToken with
// Name set to the user's name and an inline session policy that allows only
// the prefix team-files/TEAM/NAME/. The session's permissions are the
// intersection of the broker's identity policy and that session policy
// (access_policies.html#policies_session), so the session policy narrows
// what the broker may do and can never widen it.
//
// Run it with:
//
//	go run ./examples/custom-broker
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "custom-broker:", err)
		os.Exit(1)
	}
}

// fixedRand is a deterministic randomness source so the output is the same
// on every run; real programs leave Options.Rand nil (crypto/rand).
type fixedRand struct{ n byte }

func (r *fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		r.n = r.n*31 + 7
		p[i] = r.n
	}
	return len(p), nil
}

const (
	account   = "111111111111"
	brokerARN = "arn:aws:iam::" + account + ":user/broker"
	bucket    = "team-files"
	// sessionSeconds is what the broker asks for: GetFederationToken
	// accepts 900 to 129,600 s for an IAM user (default 43,200 s).
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
	sessionSeconds = 3600
)

// errSignIn is the broker's one answer to a failed sign-in, the same for an
// unknown user and a wrong password, so it tells no one which names exist.
var errSignIn = errors.New("sign-in failed: unknown user name or wrong password")

// validName is GetFederationToken's Name pattern ([\w+=,.@-], 2 to 32
// characters). Team names follow it too, which keeps both out of reach of
// policy wildcards (* and ?) and policy variables (${...}) when the broker
// writes them into a session policy's Resource.
var validName = regexp.MustCompile(`^[\w+=,.@-]{2,32}$`)

// member is one user of the broker's own store.
type member struct {
	hash []byte // bcrypt hash of the password
	team string
}

// broker is the custom identity broker: it authenticates its own users and,
// for each one, calls GetFederationToken as the IAM user "broker".
type broker struct {
	issuer *sts.Issuer
	self   *sts.Session // the broker's IAM user, from its long-term key
	users  map[string]member
	// unknown is a hash that unknown user names are checked against, so
	// that they cost the same bcrypt work as known ones.
	unknown []byte
	// stsCalls counts the broker's calls to STS.
	stsCalls int
}

// cost is bcrypt's cost factor. The minimum keeps the example fast; a real
// broker uses bcrypt.DefaultCost or more, and also throttles failed
// sign-ins.
const cost = bcrypt.MinCost

func newBroker(issuer *sts.Issuer, self *sts.Session) (*broker, error) {
	unknown, err := bcrypt.GenerateFromPassword([]byte("no user has this password"), cost)
	if err != nil {
		return nil, err
	}
	return &broker{issuer: issuer, self: self, users: map[string]member{}, unknown: unknown}, nil
}

// addUser stores a user with a bcrypt hash of the password.
func (b *broker) addUser(name, team, password string) error {
	if !validName.MatchString(name) || !validName.MatchString(team) {
		return fmt.Errorf("user %q, team %q: names must be 2 to 32 characters of [\\w+=,.@-]", name, team)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return err
	}
	b.users[name] = member{hash: hash, team: team}
	return nil
}

// prefix is the part of the bucket that belongs to a user.
func prefix(team, name string) string {
	return "arn:aws:s3:::" + bucket + "/" + team + "/" + name + "/*"
}

// sessionPolicy is the inline session policy the broker passes for a user:
// read, write and delete on the user's own prefix. The broker's identity
// policy does not allow s3:DeleteObject, so the session cannot delete:
// a session policy limits and never grants.
func sessionPolicy(team, name string) (string, error) {
	type statement struct {
		Sid      string
		Effect   string
		Action   []string
		Resource string
	}
	doc := struct {
		Version   string
		Statement []statement
	}{"2012-10-17", []statement{{Sid: "OwnPrefix", Effect: "Allow",
		Action: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, Resource: prefix(team, name)}}}
	b, err := json.Marshal(doc)
	return string(b), err
}

// signIn checks the user's password against the store and only then asks
// STS for the user's federated session.
func (b *broker) signIn(ctx context.Context, name, password string) (*sts.GetFederationTokenOutput, string, error) {
	u, known := b.users[name]
	hash := b.unknown
	if known {
		hash = u.hash
	}
	// CompareHashAndPassword compares in constant time.
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil || !known {
		return nil, "", errSignIn
	}
	pol, err := sessionPolicy(u.team, name)
	if err != nil {
		return nil, "", err
	}
	b.stsCalls++
	seconds := int32(sessionSeconds)
	out, err := b.issuer.GetFederationToken(ctx, b.self, &sts.GetFederationTokenInput{
		Name: name, Policy: &pol, DurationSeconds: &seconds})
	return out, u.team, err
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	rnd := &fixedRand{}

	// The broker's long-term access key, created like any IAM user's.
	brokerKeyID, err := sts.NewAccessKeyID("AKIA", account, rnd)
	if err != nil {
		return err
	}
	brokerSecret := sts.NewSecret("broker-example-secret-access-key-0123456")
	rootKeyID, err := sts.NewAccessKeyID("AKIA", account, rnd)
	if err != nil {
		return err
	}
	rootSecret := sts.NewSecret("root-example-secret-access-key-012345678")

	dir := sts.NewMemoryDirectory()
	brokerPolicy, err := policy.ParseWithOptions([]byte(`{"Version":"2012-10-17","Statement":[
		{"Sid":"FederateUsers","Effect":"Allow","Action":"sts:GetFederationToken",
		 "Resource":"arn:aws:sts::`+account+`:federated-user/*"},
		{"Sid":"TeamFiles","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
		 "Resource":"arn:aws:s3:::`+bucket+`/*"}]}`), policy.Identity, policy.Options{Name: "broker"})
	if err != nil {
		return err
	}
	if err := dir.PutUser(sts.User{ARN: brokerARN, Policies: []*policy.Policy{brokerPolicy},
		AccessKeys: []sts.AccessKey{{ID: brokerKeyID, Secret: brokerSecret, Created: now.AddDate(0, -1, 0)}}}); err != nil {
		return err
	}
	// The root user, only to show its one-hour cap at the end: AWS
	// recommends against calling GetFederationToken as root.
	if err := dir.PutUser(sts.User{ARN: "arn:aws:iam::" + account + ":root", Root: true,
		AccessKeys: []sts.AccessKey{{ID: rootKeyID, Secret: rootSecret}}}); err != nil {
		return err
	}

	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("b", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: func() time.Time { return now }, Rand: rnd})
	if err != nil {
		return err
	}

	refused := func(err error) error {
		var apiErr *sts.Error
		if errors.As(err, &apiErr) {
			fmt.Fprintf(w, "   refused: %s (HTTP %d): %s\n", apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
			return nil
		}
		return err
	}
	authorize := func(s *sts.Session, action, resource string, matched bool) error {
		d, err := issuer.Authorize(ctx, s, sts.AuthorizeInput{Action: action, Resource: resource})
		if err != nil {
			return err
		}
		why := d.Explanation.Reason.String()
		if d.Denial != "" {
			why = d.Denial
		}
		fmt.Fprintf(w, "   %s on %s: %s (%s)\n", action, resource, d.Explanation.Decision, why)
		if matched {
			for _, m := range d.Explanation.Matched {
				fmt.Fprintf(w, "      matched: %s\n", m)
			}
			fmt.Fprintf(w, "      the session policy allows it, but no statement of the broker's identity policy does,\n")
			fmt.Fprintf(w, "      and the session gets only the intersection of the two\n")
		}
		return nil
	}

	fmt.Fprintf(w, "1. The broker signs its STS calls with its IAM user's long-term access key\n")
	self, err := issuer.Authenticate(ctx, brokerKeyID, brokerSecret, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   authenticated: %s (%s, %s)\n", self.ARN, self.Kind, self.UserID)
	fmt.Fprintf(w, "   the broker's own permissions reach every team's files:\n")
	if err := authorize(self, "s3:GetObject", "arn:aws:s3:::"+bucket+"/payments/bob/ledger.csv", false); err != nil {
		return err
	}
	fmt.Fprintln(w)

	b, err := newBroker(issuer, self)
	if err != nil {
		return err
	}
	for _, u := range []struct{ name, team, password string }{
		{"alice", "design", "correct horse battery staple"},
		{"bob", "payments", "Tr0ub4dor&3"},
	} {
		if err := b.addUser(u.name, u.team, u.password); err != nil {
			return err
		}
	}

	// signIn prints one sign-in and opens the session its credentials carry.
	signIn := func(title, name, password string) (*sts.Session, error) {
		fmt.Fprintf(w, "%s\n", title)
		out, team, err := b.signIn(ctx, name, password)
		if errors.Is(err, errSignIn) {
			fmt.Fprintf(w, "   refused by the broker: %v\n", err)
			fmt.Fprintf(w, "   STS calls by the broker so far: %d\n", b.stsCalls)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "   password matches the bcrypt hash; team %q\n", team)
		fmt.Fprintf(w, "   GetFederationToken Name %q, DurationSeconds %d, session policy allowing s3:GetObject, s3:PutObject, s3:DeleteObject on %s\n",
			name, sessionSeconds, prefix(team, name))
		fmt.Fprintf(w, "   granted: %s (%s) until %s\n", out.FederatedUser.Arn, out.FederatedUser.FederatedUserId,
			out.Credentials.Expiration.Format(time.RFC3339))
		fmt.Fprintf(w, "   credentials: %s / %v\n", out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey)
		s, err := issuer.Authenticate(ctx, out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
		if err != nil {
			return nil, err
		}
		id, err := issuer.GetCallerIdentity(ctx, s)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "   GetCallerIdentity: Arn %s, UserId %s, Account %s\n", id.Arn, id.UserId, id.Account)
		return s, nil
	}

	alice, err := signIn("2. alice signs in to the broker", "alice", "correct horse battery staple")
	if err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "3. What alice's federated user session may do\n")
	for _, q := range []struct {
		action, resource string
		matched          bool
	}{
		{"s3:GetObject", "arn:aws:s3:::team-files/design/alice/brief.pdf", false},
		{"s3:PutObject", "arn:aws:s3:::team-files/design/alice/notes.txt", false},
		// Another user's prefix: the broker may read it, the session policy
		// does not allow it.
		{"s3:GetObject", "arn:aws:s3:::team-files/payments/bob/ledger.csv", false},
		// The session policy allows it, the broker's identity policy does
		// not: the intersection is empty.
		{"s3:DeleteObject", "arn:aws:s3:::team-files/design/alice/brief.pdf", true},
	} {
		if err := authorize(alice, q.action, q.resource, q.matched); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)

	if _, err := signIn("4. alice, with a wrong password", "alice", "correct horse battery stapler"); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if _, err := signIn("5. eve, whom the broker does not know", "eve", "correct horse battery staple"); err != nil {
		return err
	}
	fmt.Fprintln(w)

	bob, err := signIn("6. bob signs in", "bob", "Tr0ub4dor&3")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   bob's session, on his prefix and on alice's:\n")
	if err := authorize(bob, "s3:GetObject", "arn:aws:s3:::team-files/payments/bob/ledger.csv", false); err != nil {
		return err
	}
	if err := authorize(bob, "s3:GetObject", "arn:aws:s3:::team-files/design/alice/brief.pdf", false); err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "7. A federated user session cannot mint more credentials\n")
	fmt.Fprintf(w, "   alice calls GetFederationToken for \"alice-admin\"\n")
	if _, err := issuer.GetFederationToken(ctx, alice, &sts.GetFederationTokenInput{Name: "alice-admin"}); err == nil {
		return errors.New("a federated user session called GetFederationToken")
	} else if err := refused(err); err != nil {
		return err
	}
	fmt.Fprintf(w, "   alice calls GetSessionToken\n")
	if _, err := issuer.GetSessionToken(ctx, alice, nil); err == nil {
		return errors.New("a federated user session called GetSessionToken")
	} else if err := refused(err); err != nil {
		return err
	}
	if err := authorize(alice, "sts:GetFederationToken", "arn:aws:sts::"+account+":federated-user/alice-admin", false); err != nil {
		return err
	}
	if err := authorize(alice, "iam:CreateAccessKey", "arn:aws:iam::"+account+":user/broker", false); err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "8. Durations of GetFederationToken (the broker calls it for alice)\n")
	alicePolicy, err := sessionPolicy("design", "alice")
	if err != nil {
		return err
	}
	duration := func(caller *sts.Session, what string, seconds *int32) error {
		fmt.Fprintf(w, "   %s: ", what)
		out, err := issuer.GetFederationToken(ctx, caller, &sts.GetFederationTokenInput{Name: "alice", Policy: &alicePolicy, DurationSeconds: seconds})
		if err != nil {
			var apiErr *sts.Error
			if errors.As(err, &apiErr) {
				fmt.Fprintf(w, "refused: %s: %s\n", apiErr.ErrorCode(), apiErr.ErrorMessage())
				return nil
			}
			return err
		}
		exp := out.Credentials.Expiration
		fmt.Fprintf(w, "expires %s (%d s)\n", exp.Format(time.RFC3339), int(exp.Sub(now)/time.Second))
		return nil
	}
	seconds := func(n int32) *int32 { return &n }
	for _, d := range []struct {
		what    string
		seconds *int32
	}{
		{"DurationSeconds 3600", seconds(3600)},
		{"no DurationSeconds (default 43,200 s)", nil},
		{"DurationSeconds 129600 (the maximum, 36 h)", seconds(129600)},
		{"DurationSeconds 129601", seconds(129601)},
		{"DurationSeconds 899", seconds(899)},
	} {
		if err := duration(self, d.what, d.seconds); err != nil {
			return err
		}
	}
	root, err := issuer.Authenticate(ctx, rootKeyID, rootSecret, "")
	if err != nil {
		return err
	}
	if err := duration(root, "the root user asks for DurationSeconds 7200 (root: at most 1 h)", seconds(7200)); err != nil {
		return err
	}
	fmt.Fprintln(w)

	fmt.Fprint(w, whenToUseWhich)
	return nil
}

// whenToUseWhich is the closing advice, each choice with the AWS page that
// gives it.
const whenToUseWhich = `9. When to use which
   - SAML 2.0 federation: your organization already has a corporate identity
     provider that supports SAML 2.0 (Active Directory Federation Services,
     for example), and people sign in through it with a browser: federated
     single sign-on to the console, or API access (AssumeRoleWithSAML).
     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_federated-users.html
     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_saml.html
   - Web identity federation: workloads and apps that already hold an OpenID
     Connect token, such as GitHub Actions workflows and EKS pods (IAM roles
     for service accounts), with no AWS credentials of their own
     (AssumeRoleWithWebIdentity).
     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html
     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
     https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   - A custom identity broker: your identity store is compatible with neither,
     so your own service authenticates its users and calls
     GetFederationToken (or AssumeRole) for them, as here.
     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_federated-users.html
     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#api_getfederationtoken
   - IAM Identity Center: for people (your workforce) across many accounts,
     AWS recommends federation with an identity provider and IAM Identity
     Center for centralized access management.
     https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp
     https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html
`
