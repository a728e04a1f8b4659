// Command long-term-key-antipattern shows why a workload should not run on
// an IAM user's access key: the key is a long-term credential that works
// for whoever holds a copy until someone deactivates or deletes it, while
// the instance role's temporary credentials stop working on their own
// within the hour.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
//
// Account 111111111111 runs an application on the EC2 instance
// i-0123456789abcdef0. The anti-pattern: someone created the IAM user
// "legacy-app" and copied its access key into the instance's
// ~/.aws/credentials. The pattern: the instance profile's role
// "app-server", which the instance metadata service (IMDSv2) delivers to
// the SDK as temporary credentials. Both may read and write the bucket
// "app-data". An attacker who gets onto the instance copies both. The
// program follows the clock: the copied role credentials expire after an
// hour, while the copied key still works 90 days later and can mint
// 36-hour sessions with GetSessionToken whenever it likes. It then shows
// the guardrail AWS's condition keys allow, a Deny on requests without
// aws:TokenIssueTime (that is, signed with a long-term key), what it does
// not stop, and what does end the attacker's access.
//
// Run it with:
//
//	go run ./examples/long-term-key-antipattern
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "long-term-key-antipattern:", err)
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
	account    = "111111111111"
	orgID      = "o-a1b2c3d4e5"
	userARN    = "arn:aws:iam::" + account + ":user/legacy-app"
	roleARN    = "arn:aws:iam::" + account + ":role/app-server"
	instanceID = "i-0123456789abcdef0"
	object     = "arn:aws:s3:::app-data/orders/2026-11.csv"
)

// appPolicy is what both the user and the role may do.
const appPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"AppData","Effect":"Allow",
	"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::app-data/*"}]}`

// fullAWSAccess is the SCP that AWS Organizations attaches to every root,
// OU and account; without an Allow at every level, SCPs allow nothing.
const fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// denyLongTermKeys refuses every request signed with a long-term access
// key: aws:TokenIssueTime is in the request context only for temporary
// credentials, so "Null": "true" matches exactly the requests that have
// none (reference_policies_condition-keys.html#condition-keys-tokenissuetime,
// reference_policies_elements_condition_operators.html#Conditions_Null).
// Requests of role sessions and of GetSessionToken sessions carry the key
// and pass. (A Deny on "aws:PrincipalType": "User" would refuse the key's
// GetSessionToken sessions too, whose principal is still the IAM user, but
// also every other request of every IAM user.)
const denyLongTermKeys = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyLongTermAccessKeys","Effect":"Deny",
	"Action":"*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}]}`

func run(w io.Writer) error {
	ctx := context.Background()
	// now is the clock of the issuer and of the metadata service; the
	// program moves it forward.
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	now := t0
	clock := func() time.Time { return now }
	rnd := &fixedRand{}

	keyID, err := sts.NewAccessKeyID("AKIA", account, rnd)
	if err != nil {
		return err
	}
	keySecret := sts.NewSecret("legacy-app-example-secret-access-key-0001")
	keyCreated := time.Date(2025, 3, 14, 16, 20, 0, 0, time.UTC)

	dir := sts.NewMemoryDirectory()
	putUser := func(active bool, extra ...*policy.Policy) error {
		pols := append([]*policy.Policy{policy.MustParse(appPolicy, policy.Identity)}, extra...)
		return dir.PutUser(sts.User{ARN: userARN, Policies: pols,
			AccessKeys: []sts.AccessKey{{ID: keyID, Secret: keySecret, Created: keyCreated, Inactive: !active}}})
	}
	if err := putUser(true); err != nil {
		return err
	}
	if err := dir.PutRole(sts.Role{ARN: roleARN,
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
		Policies: []*policy.Policy{policy.MustParse(appPolicy, policy.Identity)},
	}); err != nil {
		return err
	}
	// The account is a member of an organization; its SCPs, root first.
	putSCPs := func(root ...*policy.Policy) error {
		return dir.PutAccount(sts.Account{ID: account, OrgID: orgID, OrgPath: orgID + "/r-ab12/",
			SCPs: [][]*policy.Policy{root, {mustSCP("FullAWSAccess", fullAWSAccess)}}})
	}
	if err := putSCPs(mustSCP("FullAWSAccess", fullAWSAccess)); err != nil {
		return err
	}
	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("k", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock, Rand: rnd})
	if err != nil {
		return err
	}

	// The instance metadata service of i-0123456789abcdef0, serving the
	// instance profile's role to IMDSv2 requests only. Its sessions last
	// one hour (AssumeRole's default; EC2 chooses the duration of its own)
	// and it replaces them IMDSRefreshMargin before they expire.
	imdsHandler, err := credentials.NewIMDSHandler(credentials.IMDSOptions{Issuer: issuer, RoleARN: roleARN, InstanceID: instanceID, Now: clock})
	if err != nil {
		return err
	}
	imdsSrv := httptest.NewServer(imdsHandler)
	defer imdsSrv.Close()
	// instanceSDK is the application's own SDK: ec2rolecreds over the IMDS
	// client, which gets an IMDSv2 session token first. (A new client per
	// call, so that no IMDS token outlives the moves of the clock.)
	instanceSDK := func() (aws.Credentials, error) {
		return ec2rolecreds.New(func(o *ec2rolecreds.Options) {
			o.Client = imds.New(imds.Options{Endpoint: imdsSrv.URL})
		}).Retrieve(ctx)
	}

	when := func(title string) {
		fmt.Fprintf(w, "%s: %s\n", now.Format(time.RFC3339), title)
	}
	// use authenticates credentials as AWS does on every request and, when
	// that succeeds, authorizes the actions: what a holder of the
	// credentials can do at this moment.
	use := func(who, id string, secret sts.Secret, token string, actions ...string) (*sts.Session, error) {
		s, err := issuer.Authenticate(ctx, id, secret, token)
		if err != nil {
			var apiErr *sts.Error
			if !errors.As(err, &apiErr) {
				return nil, err
			}
			fmt.Fprintf(w, "   %s: refused: %s (HTTP %d): %s\n", who, apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
			return nil, nil
		}
		fmt.Fprintf(w, "   %s: authenticated as %s (%s)\n", who, s.ARN, s.Kind)
		for _, a := range actions {
			d, err := issuer.Authorize(ctx, s, sts.AuthorizeInput{Action: a, Resource: object})
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(w, "      %s on %s: %s (%s)\n", a, object, d.Explanation.Decision, d.Explanation.Reason)
			if d.Explanation.Decision == policy.ExplicitDeny {
				for _, m := range d.Explanation.Decisive {
					fmt.Fprintf(w, "         decided by %s\n", m)
				}
			}
		}
		return s, nil
	}
	useCreds := func(who string, c aws.Credentials, actions ...string) (*sts.Session, error) {
		return use(who, c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.SessionToken, actions...)
	}

	when("the anti-pattern: IAM user legacy-app's access key in ~/.aws/credentials on " + instanceID)
	fmt.Fprintf(w, "   access key %s, created %s, Active: a long-term credential, with no expiration\n", keyID, keyCreated.Format(time.RFC3339))
	if _, err := use("the application, with the key", keyID, keySecret, "", "s3:GetObject"); err != nil {
		return err
	}
	fmt.Fprintln(w)

	when("the pattern: the instance profile's role, from IMDSv2 through the SDK's ec2rolecreds")
	roleCreds, err := instanceSDK()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   credentials %s / %v, expire %s\n", roleCreds.AccessKeyID, sts.NewSecret(roleCreds.SecretAccessKey), roleCreds.Expires.UTC().Format(time.RFC3339))
	if _, err := useCreds("the application, with the role", roleCreds, "s3:GetObject"); err != nil {
		return err
	}
	fmt.Fprintf(w, "   an attacker on the instance copies both: the key from the file, the role credentials from IMDS\n")
	// The attacker's copies.
	stolenRole := roleCreds
	fmt.Fprintln(w)

	now = roleCreds.Expires.Add(-10 * time.Minute)
	when("the metadata service replaces the role's credentials before they expire")
	fresh, err := instanceSDK()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   the application's SDK now gets %s, expiring %s; the application does nothing\n", fresh.AccessKeyID, fresh.Expires.UTC().Format(time.RFC3339))
	fmt.Fprintln(w)

	now = stolenRole.Expires
	when("the Expiration of the copied role credentials")
	if _, err := useCreds("the attacker, with the copied role credentials", stolenRole, "s3:GetObject"); err != nil {
		return err
	}
	if _, err := useCreds("the application, with its current role credentials", fresh, "s3:GetObject"); err != nil {
		return err
	}
	if _, err := use("the attacker, with the copied key", keyID, keySecret, "", "s3:GetObject"); err != nil {
		return err
	}
	fmt.Fprintln(w)

	now = t0.AddDate(0, 0, 90)
	when("90 days later, the copied key is still good")
	attacker, err := use("the attacker, with the copied key", keyID, keySecret, "", "s3:GetObject", "s3:PutObject")
	if err != nil {
		return err
	}
	// GetSessionToken lasts 900 to 129,600 seconds for an IAM user
	// (API_GetSessionToken.html); a key can call it again at any time.
	for _, secs := range []int32{129600, 129601} {
		fmt.Fprintf(w, "   GetSessionToken DurationSeconds %d: ", secs)
		out, err := issuer.GetSessionToken(ctx, attacker, &sts.GetSessionTokenInput{DurationSeconds: &secs})
		if err != nil {
			var apiErr *sts.Error
			if !errors.As(err, &apiErr) {
				return err
			}
			fmt.Fprintf(w, "refused: %s: %s\n", apiErr.ErrorCode(), apiErr.ErrorMessage())
			continue
		}
		exp := out.Credentials.Expiration
		fmt.Fprintf(w, "%s, expires %s (%d h)\n", out.Credentials.AccessKeyID, exp.Format(time.RFC3339), int(exp.Sub(now)/time.Hour))
	}
	fmt.Fprintf(w, "   36 hours bound each session, not the key: the key never expires; only deactivating or deleting it ends it\n")
	fmt.Fprintln(w)

	when("guardrail: an SCP that denies requests signed with a long-term access key")
	if err := putSCPs(mustSCP("FullAWSAccess", fullAWSAccess), mustSCP("DenyLongTermAccessKeys", denyLongTermKeys)); err != nil {
		return err
	}
	fmt.Fprintf(w, "   %s\n", compact(denyLongTermKeys))
	if _, err := use("the attacker, with the copied key", keyID, keySecret, "", "s3:GetObject"); err != nil {
		return err
	}
	current, err := instanceSDK()
	if err != nil {
		return err
	}
	if _, err := useCreds("the application, with its role credentials", current, "s3:GetObject"); err != nil {
		return err
	}
	// The guardrail's limit: policies have no effect on GetSessionToken
	// (id_credentials_temp_control-access_getsessiontoken.html), and the
	// session it returns carries aws:TokenIssueTime, so the Null condition
	// no longer matches. Such a session cannot call IAM without MFA, nor
	// STS beyond AssumeRole and GetCallerIdentity, but it has the user's
	// other permissions.
	fmt.Fprintf(w, "   the attacker turns the key into a GetSessionToken session; policies have no effect on GetSessionToken\n")
	laundered, err := issuer.GetSessionToken(ctx, attacker, nil)
	if err != nil {
		return err
	}
	lc := laundered.Credentials
	fmt.Fprintf(w, "   GetSessionToken: %s, expires %s\n", lc.AccessKeyID, lc.Expiration.Format(time.RFC3339))
	if _, err := use("the attacker, with that session", lc.AccessKeyID, lc.SecretAccessKey, lc.SessionToken, "s3:GetObject"); err != nil {
		return err
	}
	fmt.Fprintf(w, "   so the Deny stops the key from being used directly, not whoever holds the key\n")
	fmt.Fprintln(w)

	now = now.Add(30 * time.Minute)
	when("ending it: deactivate the access key, then delete it")
	if err := putUser(false); err != nil {
		return err
	}
	if _, err := use("the attacker, with the copied key", keyID, keySecret, "", "s3:GetObject"); err != nil {
		return err
	}
	// Temporary credentials are valid until they expire; what stops them is
	// a change to the permissions of the user they belong to
	// (id_credentials_temp_control-access_disable-perms.html).
	if _, err := use("the attacker, with the GetSessionToken session made before", lc.AccessKeyID, lc.SecretAccessKey, lc.SessionToken, "s3:GetObject"); err != nil {
		return err
	}
	revoke := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"RevokeOlderSessions","Effect":"Deny",
		"Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":%q}}}]}`, now.Format(time.RFC3339))
	fmt.Fprintf(w, "   the user gets a Deny for sessions issued before now:\n   %s\n", compact(revoke))
	if err := putUser(false, policy.MustParse(revoke, policy.Identity)); err != nil {
		return err
	}
	if _, err := use("the attacker, with the GetSessionToken session made before", lc.AccessKeyID, lc.SecretAccessKey, lc.SessionToken, "s3:GetObject"); err != nil {
		return err
	}
	return nil
}

// mustSCP parses a service control policy with a name for explanations.
func mustSCP(name, doc string) *policy.Policy {
	p, err := policy.ParseWithOptions([]byte(doc), policy.SCP, policy.Options{Name: name})
	if err != nil {
		panic(err)
	}
	return p
}

// compact joins the lines of a policy written across lines in this file,
// without their indentation, for printing.
func compact(doc string) string {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "")
}
