// Command ec2-instance-profile shows the pattern AWS prescribes for an
// application on EC2: an IAM role in an instance profile, whose temporary
// credentials the instance metadata service (IMDS) hands to the unmodified
// AWS SDK, and which EC2 replaces before they expire. No access key is
// stored on the instance.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html
//
// Account 111111111111 has the role "web", trusting ec2.amazonaws.com, in
// the instance profile "web". Its permission policies allow s3:GetObject on
// the bucket "example-bucket" and, with AWS's example policy
// RequireAllEc2RolesToUseV2, deny every action to credentials that IMDSv1
// delivered (ec2:RoleDelivery below 2.0).
//
// The transcript shows:
//  1. launching an instance with the profile is passing its role: an admin
//     allowed iam:PassRole on it may, a developer without that permission
//     may not (id_roles_use_passrole.html);
//  2. the application's Go SDK (ec2rolecreds over IMDSv2, as the default
//     credential chain uses it) gets the role's credentials, named after the
//     instance, and may read the bucket;
//  3. the same role's credentials fetched with IMDSv1 (a plain GET, what a
//     server-side request forgery can do) are refused by the
//     RequireAllEc2RolesToUseV2 Deny, and with HttpTokens "required" the GET
//     gets no credentials at all;
//  4. IMDS replaces the credentials IMDSRefreshMargin before they expire,
//     and the application's credential cache picks up the new ones without
//     the application doing anything.
//
// S3 is not emulated: what S3 would decide is asked of the issuer directly
// (Issuer.Authenticate with the credentials, then Issuer.Authorize).
//
// Run it with:
//
//	go run ./examples/ec2-instance-profile
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
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
		fmt.Fprintln(os.Stderr, "ec2-instance-profile:", err)
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
	region     = "us-east-1"
	roleARN    = "arn:aws:iam::" + account + ":role/web"
	profileARN = "arn:aws:iam::" + account + ":instance-profile/web"
	instanceID = "i-0123456789abcdef0"
	vpcID      = "vpc-0a1b2c3d4e5f67890"
	privateIP  = "10.0.1.23"
	bucket     = "example-bucket"
)

// instanceARN is the instance's ARN, ec2:SourceInstanceARN of its role
// sessions and the iam:AssociatedResourceArn of passing the role to it.
const instanceARN = "arn:aws:ec2:" + region + ":" + account + ":instance/" + instanceID

// requireIMDSv2 is AWS's example policy "Require role credentials to be
// retrieved from IMDSv2", verbatim: attached to a role EC2 assumes, it
// denies every request signed with credentials IMDSv1 delivered
// (ec2:RoleDelivery "1.0"), and it has no effect on requests signed with
// other credentials, which carry no ec2:RoleDelivery.
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html#iam-example-instance-metadata
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-ec2-role-delivery
const requireIMDSv2 = `{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "RequireAllEc2RolesToUseV2",
            "Effect": "Deny",
            "Action": "*",
            "Resource": "*",
            "Condition": {
                "NumericLessThan": {
                    "ec2:RoleDelivery": "2.0"
                }
            }
        }
    ]
}`

// identity parses an inline identity-based policy named name.
func identity(name, doc string) *policy.Policy {
	p, err := policy.ParseWithOptions([]byte(doc), policy.Identity, policy.Options{Name: name})
	if err != nil {
		panic(err)
	}
	return p
}

// imdsLog records the requests that reach the metadata service, as the
// instance's network would see them.
type imdsLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *imdsLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		how := "without a token"
		switch {
		case r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") != "":
			how = "X-aws-ec2-metadata-token-ttl-seconds: " + r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds")
		case r.Header.Get("X-Aws-Ec2-Metadata-Token") != "":
			how = "with the session token"
		}
		l.mu.Lock()
		l.lines = append(l.lines, fmt.Sprintf("%s %s (%s): %d %s", r.Method, r.URL.Path, how, rec.status, http.StatusText(rec.status)))
		l.mu.Unlock()
	})
}

// flush prints the requests recorded since the last flush.
func (l *imdsLog) flush(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		fmt.Fprintf(w, "      %s\n", s)
	}
	l.lines = nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// imdsCredentials is the document IMDS serves at
// /latest/meta-data/iam/security-credentials/ROLE
// (instance-metadata-security-credentials.html).
type imdsCredentials struct {
	Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token, Expiration string
}

func run(w io.Writer) error {
	ctx := context.Background()
	// now is the clock of the issuer and of the IMDS endpoint; the program
	// moves it to show the refresh. It lies in the past on purpose: the
	// SDK's credential cache judges expiry by its own clock (the wall
	// clock; aws-sdk-go-v2 offers no way to inject one), so to the cache
	// every credential here has already expired and it asks IMDS again on
	// each Retrieve. What the application gets then depends only on what
	// IMDS serves, which this clock decides, and the transcript does not
	// depend on when it is run. On an instance the cache refreshes at the
	// credentials' expiry (ec2rolecreds caps it at one hour from the fetch),
	// by which time IMDS already serves new ones.
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	rnd := &fixedRand{}

	dir := sts.NewMemoryDirectory()
	// The role for the instance: its trust policy names the EC2 service
	// principal, as the console writes it for "AWS service, EC2"
	// (id_roles_use_switch-role-ec2.html).
	if err := dir.PutRole(sts.Role{ARN: roleARN,
		TrustPolicy: policy.MustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, policy.Trust),
		Policies: []*policy.Policy{
			identity("read-assets", `{"Version":"2012-10-17","Statement":[{"Sid":"ReadAssets","Effect":"Allow",
				"Action":"s3:GetObject","Resource":"arn:aws:s3:::`+bucket+`/*"}]}`),
			identity("require-imdsv2", requireIMDSv2),
		},
	}); err != nil {
		return err
	}
	// The instance profile: the container EC2 passes the role in; it holds
	// at most one role (id_roles_use_switch-role-ec2_instance-profiles.html).
	if err := dir.PutInstanceProfile(sts.InstanceProfile{ARN: profileARN, Roles: []string{roleARN}}); err != nil {
		return err
	}

	// Two IAM users who launch instances. Only admin may pass the role, and
	// only to EC2 (iam:PassedToService, reference_policies_iam-condition-keys.html#ck_PassedToService).
	const launch = `{"Sid":"LaunchInstances","Effect":"Allow","Action":["ec2:RunInstances","ec2:AssociateIamInstanceProfile"],"Resource":"*"}`
	users := map[string]string{
		"admin": `{"Version":"2012-10-17","Statement":[` + launch + `,
			{"Sid":"PassWebRoleToEC2","Effect":"Allow","Action":"iam:PassRole","Resource":"` + roleARN + `",
			 "Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}]}`,
		"developer": `{"Version":"2012-10-17","Statement":[` + launch + `]}`,
	}
	type key struct {
		id     string
		secret sts.Secret
	}
	keys := map[string]key{}
	for _, name := range []string{"admin", "developer"} {
		id, err := sts.NewAccessKeyID("AKIA", account, rnd)
		if err != nil {
			return err
		}
		k := key{id, sts.NewSecret(name + "-example-secret-access-key-0123456789")}
		keys[name] = k
		if err := dir.PutUser(sts.User{ARN: "arn:aws:iam::" + account + ":user/" + name,
			Policies:   []*policy.Policy{identity(name, users[name])},
			AccessKeys: []sts.AccessKey{{ID: k.id, Secret: k.secret, Created: now.AddDate(0, -1, 0)}}}); err != nil {
			return err
		}
	}

	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("e", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: ring, Now: clock, Rand: rnd, Region: region})
	if err != nil {
		return err
	}

	refused := func(err error) error {
		var apiErr *sts.Error
		if !errors.As(err, &apiErr) {
			return err
		}
		fmt.Fprintf(w, "   refused: %s (HTTP %d): %s\n", apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
		return nil
	}
	// s3 asks the issuer what S3 would decide for a request signed with c:
	// whether the credentials authenticate, then the policy decision. A
	// refused credential is shown with the issuer's code and message, which
	// are STS's; S3 words an expired token "The provided token has
	// expired." (HTTP 400; ErrorResponses.html in the S3 API reference).
	s3 := func(c aws.Credentials, action, object string) error {
		s, err := issuer.Authenticate(ctx, c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.SessionToken)
		if err != nil {
			var apiErr *sts.Error
			if !errors.As(err, &apiErr) {
				return err
			}
			fmt.Fprintf(w, "   Issuer.Authenticate refuses the credentials: %s: %s\n", apiErr.ErrorCode(), apiErr.ErrorMessage())
			return nil
		}
		resource := "arn:aws:s3:::" + bucket + "/" + object
		d, err := issuer.Authorize(ctx, s, sts.AuthorizeInput{Action: action, Resource: resource})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s on %s: %s (%s)\n", action, resource, d.Explanation.Decision, d.Explanation.Reason)
		for _, m := range d.Explanation.Decisive {
			if m.Effect == policy.Deny {
				fmt.Fprintf(w, "      decided by %s\n", m)
			}
		}
		return nil
	}

	fmt.Fprintf(w, "1. Launching %s with the instance profile %s passes its role\n", instanceID, profileARN)
	for _, name := range []string{"admin", "developer"} {
		caller, err := issuer.Authenticate(ctx, keys[name].id, keys[name].secret, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %s (iam:PassRole on the role: %v) runs the instance\n", caller.ARN, name == "admin")
		p, err := issuer.PassInstanceProfile(ctx, caller, &sts.PassInstanceProfileInput{
			InstanceProfileArn: profileARN, AssociatedResourceArn: instanceARN})
		if err != nil {
			if err := refused(err); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(w, "   allowed: EC2 may give %s the role %s\n", instanceID, p.Role())
	}
	admin, err := issuer.Authenticate(ctx, keys["admin"].id, keys["admin"].secret, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   admin passes the same role to Lambda instead (iam:PassedToService lambda.amazonaws.com)\n")
	if err := issuer.PassRole(ctx, admin, &sts.PassRoleInput{RoleArn: roleARN, Service: sts.LambdaServicePrincipal}); err == nil {
		return errors.New("the role was passed to Lambda")
	} else if err := refused(err); err != nil {
		return err
	}
	fmt.Fprintln(w)

	// The instance's metadata service. HttpTokens is "optional" here so
	// that step 3 can show what IMDSv1 delivers; AWS recommends
	// "required" (configuring-instance-metadata-options.html).
	var traffic imdsLog
	newIMDS := func(v1 bool) (*httptest.Server, error) {
		h, err := credentials.NewIMDSHandler(credentials.IMDSOptions{Issuer: issuer, RoleARN: roleARN,
			InstanceID: instanceID, Now: clock, AllowIMDSv1: v1, Region: region, VPCID: vpcID, PrivateIPv4: privateIP})
		if err != nil {
			return nil, err
		}
		return httptest.NewServer(traffic.wrap(h)), nil
	}
	srv, err := newIMDS(true)
	if err != nil {
		return err
	}
	defer srv.Close()

	// The application: the Go SDK's instance-role provider behind the
	// credential cache, as config.LoadDefaultConfig sets it up on EC2. Only
	// the endpoint differs (169.254.169.254 on an instance;
	// AWS_EC2_METADATA_SERVICE_ENDPOINT sets it the same way).
	app := aws.NewCredentialsCache(ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = imds.New(imds.Options{Endpoint: srv.URL})
	}))
	retrieve := func() (aws.Credentials, *sts.Session, error) {
		c, err := app.Retrieve(ctx)
		if err != nil {
			return c, nil, err
		}
		s, err := issuer.Authenticate(ctx, c.AccessKeyID, sts.NewSecret(c.SecretAccessKey), c.SessionToken)
		return c, s, err
	}

	fmt.Fprintf(w, "2. The application's Go SDK (ec2rolecreds, IMDSv2) gets the role's credentials\n")
	fmt.Fprintf(w, "   requests to the metadata service:\n")
	c1, s1, err := retrieve()
	if err != nil {
		return err
	}
	traffic.flush(w)
	fmt.Fprintf(w, "   credentials: %s / %v, source %s, expire %s\n", c1.AccessKeyID, sts.NewSecret(c1.SecretAccessKey),
		c1.Source, s1.ExpiresAt.Format(time.RFC3339))
	fmt.Fprintf(w, "   session %s (%s)\n", s1.ARN, s1.UserID)
	fmt.Fprintf(w, "   keys EC2 puts in every request the credentials sign:\n")
	for _, k := range s1.ProviderKeys {
		fmt.Fprintf(w, "      %s = %s\n", k.Key, strings.Join(k.Values, ", "))
	}
	for _, q := range []struct{ action, object string }{
		{"s3:GetObject", "index.html"},
		{"s3:PutObject", "index.html"},
	} {
		if err := s3(c1, q.action, q.object); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "3. The same role through IMDSv1: a GET without a session token, as a server-side request forgery sends it\n")
	v1GET := func(url string) (*imdsCredentials, error) {
		resp, err := http.Get(url + "/latest/meta-data/iam/security-credentials/web")
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, err
		}
		traffic.flush(w)
		if resp.StatusCode != http.StatusOK {
			fmt.Fprintf(w, "   answer: %s", body)
			return nil, nil
		}
		var doc imdsCredentials
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, err
		}
		return &doc, nil
	}
	fmt.Fprintf(w, "   HttpTokens \"optional\":\n")
	doc, err := v1GET(srv.URL)
	if err != nil {
		return err
	}
	if doc == nil {
		return errors.New("IMDSv1 gave no credentials with HttpTokens optional")
	}
	fmt.Fprintf(w, "   answer: Code %s, Type %s, AccessKeyId %s, Expiration %s\n", doc.Code, doc.Type, doc.AccessKeyId, doc.Expiration)
	v1 := aws.Credentials{AccessKeyID: doc.AccessKeyId, SecretAccessKey: doc.SecretAccessKey, SessionToken: doc.Token}
	sv1, err := issuer.Authenticate(ctx, v1.AccessKeyID, sts.NewSecret(v1.SecretAccessKey), v1.SessionToken)
	if err != nil {
		return err
	}
	for _, k := range sv1.ProviderKeys {
		if k.Key == "ec2:RoleDelivery" {
			fmt.Fprintf(w, "   session %s, ec2:RoleDelivery = %s\n", sv1.ARN, strings.Join(k.Values, ", "))
		}
	}
	if err := s3(v1, "s3:GetObject", "index.html"); err != nil {
		return err
	}
	strict, err := newIMDS(false)
	if err != nil {
		return err
	}
	defer strict.Close()
	fmt.Fprintf(w, "   HttpTokens \"required\" (AWS's recommendation):\n")
	if doc, err := v1GET(strict.URL); err != nil {
		return err
	} else if doc != nil {
		return errors.New("IMDSv1 gave credentials with HttpTokens required")
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "4. IMDS replaces the credentials %v before they expire; the application does nothing\n", credentials.IMDSRefreshMargin)
	for _, at := range []time.Time{s1.ExpiresAt.Add(-30 * time.Minute), s1.ExpiresAt.Add(-credentials.IMDSRefreshMargin)} {
		now = at
		c, s, err := retrieve()
		if err != nil {
			return err
		}
		// The requests are not printed: the SDK keeps its IMDSv2 session
		// token (five minutes) by the wall clock, which this clock has
		// overtaken, so IMDS answers it 401 and the SDK gets a new token
		// and retries, an artifact of the moved clock.
		traffic.flush(io.Discard)
		same := "the same credentials"
		if c.AccessKeyID != c1.AccessKeyID {
			same = "new credentials"
		}
		fmt.Fprintf(w, "   at %s the application's credential cache returns %s: %s, issued %s, expire %s\n",
			now.Format(time.RFC3339), same, c.AccessKeyID, s.IssuedAt.Format(time.RFC3339), s.ExpiresAt.Format(time.RFC3339))
		if c.AccessKeyID != c1.AccessKeyID {
			if err := s3(c, "s3:GetObject", "index.html"); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(w, "   the first credentials still work until their expiration:\n")
	if err := s3(c1, "s3:GetObject", "index.html"); err != nil {
		return err
	}
	now = s1.ExpiresAt
	fmt.Fprintf(w, "   at %s, their expiration, the first credentials:\n", now.Format(time.RFC3339))
	return s3(c1, "s3:GetObject", "index.html")
}
