// Command saml-federation shows SAML 2.0 federation as AWS STS runs it
// (AssumeRoleWithSAML): people sign in to the corporate identity provider,
// which sends AWS a signed SAML response; STS checks it against the IdP's
// metadata registered in IAM and answers with role credentials. No IAM
// user and no long-term key is involved.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_saml.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
//
// Example Corp's IdP (entity ID https://idp.example.com/saml) is registered
// in account 111111111111 as the SAML provider "ExampleCorp". The IdP holds
// a small user directory with a group and a cost center for each person,
// and is configured as AD FS or Okta would be for AWS: a group decides
// which Role attribute pairs (role ARN, provider ARN) the response carries,
// and the cost center is sent as the attribute PrincipalTag:cost-center,
// which becomes the session tag cost-center
// (id_roles_providers_create_saml_assertions.html, id_session-tags.html).
// A session of the role "engineer" reads the bucket "cost-reports" only
// under the prefix of its user's cost center: one ABAC policy on
// ${aws:PrincipalTag/cost-center} serves every cost center
// (tutorial_abac-saml.html).
//
// The transcript then shows what STS refuses: a role the Role attribute
// does not name, a response older than five minutes, a role whose trust
// policy lacks sts:TagSession while the IdP sends tags, and a response
// altered after it was signed.
//
// The IdP's signing key is generated at each run (a stand-in for the
// corporate IdP's key), so nothing printed here depends on it: neither the
// response nor its signature is shown.
//
// Run it with:
//
//	go run ./examples/saml-federation
package main

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "saml-federation:", err)
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
	account      = "111111111111"
	entityID     = "https://idp.example.com/saml"
	providerName = "ExampleCorp"
	providerARN  = "arn:aws:iam::" + account + ":saml-provider/" + providerName
	engineerARN  = "arn:aws:iam::" + account + ":role/engineer"
	financeARN   = "arn:aws:iam::" + account + ":role/finance-analyst"
	auditorARN   = "arn:aws:iam::" + account + ":role/auditor"
	// signin is AWS's SAML sign-in endpoint: the Recipient of the
	// responses, and the value of SAML:aud that trust policies test.
	signin = "https://signin.aws.amazon.com/saml"
)

// An employee is an entry of the IdP's user directory.
type employee struct {
	groups     []string
	costCenter string
	department string
}

// corpIdP is Example Corp's identity provider: the SAML signer, its user
// directory, and its claim rules for AWS.
type corpIdP struct {
	saml  *federation.SAMLTestIdP
	users map[string]employee
	// roleFor maps a group to the role its members may assume, as the
	// IdP's Role claim rule does (AD FS: a group-to-role rule; Okta: the
	// AWS app's group mapping).
	roleFor map[string]string
}

// signIn authenticates user (the password step is left out) and returns
// the options of the response the IdP sends to AWS for them: one Role pair
// per group that maps to a role, RoleSessionName the user's e-mail address,
// and the attributes PrincipalTag:cost-center and PrincipalTag:department
// for everyone (id_roles_providers_create_saml_assertions.html).
func (c *corpIdP) signIn(user string) (federation.SAMLResponseOptions, error) {
	e, ok := c.users[user]
	if !ok {
		return federation.SAMLResponseOptions{}, fmt.Errorf("the IdP has no user %q", user)
	}
	opt := federation.SAMLResponseOptions{
		NameID:          user + "@example.com",
		RoleSessionName: user + "@example.com",
		// The helper's Tags become PrincipalTag:KEY attributes; the same
		// can be written as a raw attribute, as for department.
		Tags: []federation.Tag{{Key: "cost-center", Value: e.costCenter}},
		Attributes: []federation.SAMLAttribute{{
			Name: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:department", Values: []string{e.department}}},
	}
	for _, g := range e.groups {
		if r, ok := c.roleFor[g]; ok {
			opt.Roles = append(opt.Roles, federation.SAMLRole{RoleARN: r, ProviderARN: providerARN})
		}
	}
	if len(opt.Roles) == 0 {
		return opt, fmt.Errorf("no group of %s maps to an AWS role", user)
	}
	return opt, nil
}

// printAttributes shows the AWS attributes of a response, as the SAML
// tracer of a browser would.
func printAttributes(w io.Writer, user string, groups []string, opt federation.SAMLResponseOptions) {
	fmt.Fprintf(w, "   IdP: %s (groups %s) signs in; the response carries\n", user, strings.Join(groups, ", "))
	fmt.Fprintf(w, "      NameID %s (persistent), Recipient %s\n", opt.NameID, signin)
	for _, r := range opt.Roles {
		fmt.Fprintf(w, "      Role: %s,%s\n", r.RoleARN, r.ProviderARN)
	}
	fmt.Fprintf(w, "      RoleSessionName: %s\n", opt.RoleSessionName)
	for _, t := range opt.Tags {
		fmt.Fprintf(w, "      PrincipalTag:%s: %s\n", t.Key, t.Value)
	}
	for _, a := range opt.Attributes {
		fmt.Fprintf(w, "      %s: %s\n", strings.TrimPrefix(a.Name, "https://aws.amazon.com/SAML/Attributes/"), strings.Join(a.Values, ", "))
	}
}

// trust is a role's trust policy for the ExampleCorp provider allowing
// actions, with the SAML:aud condition of AWS's trust policy for SAML 2.0
// federation (id_roles_providers_create_for-idp_saml.html).
func trust(actions ...string) *policy.Policy {
	return policy.MustParse(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"ExampleCorpSignIn","Effect":"Allow",
		"Principal":{"Federated":%q},"Action":["%s"],
		"Condition":{"StringEquals":{"SAML:aud":%q}}}]}`, providerARN, strings.Join(actions, `","`), signin), policy.Trust)
}

// identity parses an inline identity-based policy named name.
func identity(name, doc string) *policy.Policy {
	p, err := policy.ParseWithOptions([]byte(doc), policy.Identity, policy.Options{Name: name})
	if err != nil {
		panic(err)
	}
	return p
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	saml, err := federation.NewSAMLTestIdP(entityID, now)
	if err != nil {
		return err
	}
	idp := &corpIdP{saml: saml,
		users: map[string]employee{
			"jdoe":   {groups: []string{"engineers"}, costCenter: "cc-1234", department: "engineering"},
			"mroe":   {groups: []string{"finance"}, costCenter: "cc-9999", department: "finance"},
			"asmith": {groups: []string{"auditors"}, costCenter: "cc-5555", department: "internal-audit"},
		},
		roleFor: map[string]string{"engineers": engineerARN, "finance": financeARN, "auditors": auditorARN},
	}

	// CreateSAMLProvider with the IdP's metadata: its entity ID and its
	// signing certificate.
	prov, err := federation.NewSAMLProvider(account, providerName, saml.Metadata())
	if err != nil {
		return err
	}
	dir := sts.NewMemoryDirectory()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(dir.PutSAMLProvider(prov))
	// engineer and finance-analyst allow sts:TagSession, as every role of
	// an IdP that passes session tags must (id_session-tags.html).
	must(dir.PutRole(sts.Role{ARN: engineerARN, UniqueID: "AROAEXAMPLEENGINEER01",
		TrustPolicy: trust("sts:AssumeRoleWithSAML", "sts:TagSession"),
		Policies: []*policy.Policy{identity("cost-reports-abac", `{"Version":"2012-10-17","Statement":[{"Sid":"OwnCostCenterReports",
			"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::cost-reports/${aws:PrincipalTag/cost-center}/*"}]}`)},
	}))
	must(dir.PutRole(sts.Role{ARN: financeARN, UniqueID: "AROAEXAMPLEFINANCE001",
		TrustPolicy: trust("sts:AssumeRoleWithSAML", "sts:TagSession"),
		Policies: []*policy.Policy{identity("invoices-read", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::invoices/*"}]}`)},
	}))
	// auditor's trust policy was written before the IdP sent tags: it
	// allows sts:AssumeRoleWithSAML only.
	must(dir.PutRole(sts.Role{ARN: auditorARN, UniqueID: "AROAEXAMPLEAUDITOR001",
		TrustPolicy: trust("sts:AssumeRoleWithSAML"),
		Policies: []*policy.Policy{identity("audit-logs-read", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Action":"s3:GetObject","Resource":"arn:aws:s3:::audit-logs/*"}]}`)},
	}))

	keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("s", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: clock, Rand: &fixedRand{}})
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "0. IAM knows the IdP from its metadata; three roles trust it\n")
	fmt.Fprintf(w, "   SAML provider %s: entity ID %s, %d signing certificate\n", prov.ARN, prov.EntityID, len(prov.Certificates))
	for _, r := range []struct{ arn, actions string }{
		{engineerARN, "sts:AssumeRoleWithSAML, sts:TagSession"},
		{financeARN, "sts:AssumeRoleWithSAML, sts:TagSession"},
		{auditorARN, "sts:AssumeRoleWithSAML only"},
	} {
		fmt.Fprintf(w, "   %s: Federated %s, %s, if SAML:aud = %s\n", r.arn, providerName, r.actions, signin)
	}
	fmt.Fprintf(w, "   (a refusal shows AWS's code and message; \"log:\" and \"why:\" lines are iamkit's detail, which AWS does not send)\n\n")

	// respond signs in user at the current time and returns the response;
	// show prints its attributes.
	respond := func(user string, show bool) (string, error) {
		opt, err := idp.signIn(user)
		if err != nil {
			return "", err
		}
		if show {
			printAttributes(w, user+"@example.com", idp.users[user].groups, opt)
		}
		return saml.Response(opt, now)
	}
	// refused prints an STS refusal with AWS's code and message, and the
	// detail AWS does not send but iamkit keeps for the caller's logs.
	refused := func(err error) error {
		var apiErr *sts.Error
		if !errors.As(err, &apiErr) {
			return err
		}
		fmt.Fprintf(w, "   refused: %s (HTTP %d): %s\n", apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
		var fe *federation.Error
		if errors.As(err, &fe) && fe.Reason != "" {
			fmt.Fprintf(w, "   log:     %s\n", fe.Reason)
		}
		var why *sts.TrustDenied
		if errors.As(err, &why) {
			fmt.Fprintf(w, "   why:     the trust policy does not allow %s: %s\n", why.Action, why.Explanation)
		}
		return nil
	}
	assume := func(role, assertion string) (*sts.AssumeRoleWithSAMLOutput, error) {
		fmt.Fprintf(w, "   AssumeRoleWithSAML RoleArn %s, PrincipalArn %s at %s\n", role, providerARN, now.Format(time.RFC3339))
		return issuer.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: role, PrincipalArn: providerARN, SAMLAssertion: assertion})
	}

	// 1. STS checks the signature with the provider's certificate, the
	// Issuer, the Recipient and audience, the times, and a Role pair naming
	// RoleArn and PrincipalArn; then the trust policy, for
	// sts:AssumeRoleWithSAML and, since the response carries PrincipalTag
	// attributes, sts:TagSession. Audience is the SubjectConfirmationData's
	// Recipient, Subject the NameID, SubjectType its Format without
	// "urn:oasis:names:tc:SAML:2.0:nameid-format:" (API_AssumeRoleWithSAML.html).
	fmt.Fprintf(w, "1. jdoe, an engineer, signs in and gets the role engineer\n")
	jdoeResp, err := respond("jdoe", true)
	if err != nil {
		return err
	}
	out, err := assume(engineerARN, jdoeResp)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   granted: %s (%s) until %s\n", out.AssumedRoleUser.Arn, out.AssumedRoleUser.AssumedRoleId, out.Credentials.Expiration.Format(time.RFC3339))
	fmt.Fprintf(w, "   credentials: %s / %v\n", out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey)
	fmt.Fprintf(w, "   Subject %s, SubjectType %s\n", out.Subject, out.SubjectType)
	fmt.Fprintf(w, "   Issuer %s, Audience %s\n", out.Issuer, out.Audience)
	// NameQualifier: BASE64(SHA1(Issuer + account ID + "/" + provider
	// name)); with Subject it names the user uniquely
	// (API_AssumeRoleWithSAML.html, NameQualifier).
	sum := sha1.Sum([]byte(out.Issuer + account + "/" + providerName))
	mine := base64.StdEncoding.EncodeToString(sum[:])
	fmt.Fprintf(w, "   NameQualifier %s\n", out.NameQualifier)
	fmt.Fprintf(w, "      = BASE64(SHA1(%q + %q + \"/%s\")): %v\n", out.Issuer, account, providerName, mine == out.NameQualifier)
	jdoe, err := issuer.Authenticate(ctx, out.Credentials.AccessKeyID, out.Credentials.SecretAccessKey, out.Credentials.SessionToken)
	if err != nil {
		return err
	}
	tags := make([]string, len(jdoe.Tags))
	for i, t := range jdoe.Tags {
		tags[i] = t.Key + "=" + t.Value
	}
	sort.Strings(tags)
	fmt.Fprintf(w, "   the session opens as %s, session tags %s\n\n", jdoe.ARN, strings.Join(tags, ", "))

	// 2. The session tag is aws:PrincipalTag/cost-center in every request
	// of the session, so one policy serves every cost center: the policy
	// variable fills in the caller's own (tutorial_abac-saml.html,
	// reference_policies_variables.html). Another prefix matches no
	// statement: an implicit deny (reference_policies_evaluation-logic.html).
	fmt.Fprintf(w, "2. ABAC: the engineer policy allows s3:GetObject on arn:aws:s3:::cost-reports/${aws:PrincipalTag/cost-center}/*\n")
	for _, res := range []string{"arn:aws:s3:::cost-reports/cc-1234/2026-11.csv", "arn:aws:s3:::cost-reports/cc-9999/2026-11.csv"} {
		d, err := issuer.Authorize(ctx, jdoe, sts.AuthorizeInput{Action: "s3:GetObject", Resource: res})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   s3:GetObject on %s: %s (%s)\n", res, d.Explanation.Decision, d.Explanation.Reason)
		for _, m := range d.Explanation.Decisive {
			fmt.Fprintf(w, "      decided by: %s\n", m)
		}
	}
	fmt.Fprintln(w)

	// 3. The IdP, not the caller, decides which roles a user may have: a
	// RoleArn that no Role attribute pair names is refused. AWS's answer is
	// InvalidIdentityToken "SAML Assertion doesn't contain the requested
	// Role and Metadata in the attributes" (as users of SAML CLI tools
	// quote it; the troubleshooting page documents the missing Role
	// attribute only, troubleshoot_saml.html).
	now = now.Add(2 * time.Minute)
	fmt.Fprintf(w, "3. mroe, in finance, asks for the role engineer\n")
	mroeResp, err := respond("mroe", true)
	if err != nil {
		return err
	}
	if _, err := assume(engineerARN, mroeResp); err == nil {
		return errors.New("a response without the engineer Role pair assumed engineer")
	} else if err := refused(err); err != nil {
		return err
	}
	fin, err := assume(financeARN, mroeResp)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   granted: %s (the role the IdP named)\n\n", fin.AssumedRoleUser.Arn)

	// 4. A SAML response is a bearer credential, so STS takes it only
	// while it is fresh: ExpiredTokenException "Token must be redeemed
	// within 5 minutes of issuance" (AWS's answer as users report it,
	// e.g. Nike-Inc/gimme-aws-creds#251). Within those five minutes the
	// same response may be redeemed again, for several roles; tools that
	// cache it rely on that.
	now = time.Date(2026, 12, 3, 9, 6, 0, 0, time.UTC)
	fmt.Fprintf(w, "4. jdoe's response of 09:00:00, captured and replayed six minutes later\n")
	if _, err := assume(engineerARN, jdoeResp); err == nil {
		return errors.New("a response six minutes old was accepted")
	} else if err := refused(err); err != nil {
		return err
	}
	fmt.Fprintln(w)

	// 5. Every role connected to an IdP that passes session tags needs
	// sts:TagSession in its trust policy; for a role without it the call
	// fails (id_session-tags.html, "Things to know about session tags").
	// AWS answers AccessDenied "Not authorized to perform
	// sts:AssumeRoleWithSAML" (troubleshoot_saml.html).
	now = now.Add(time.Minute)
	fmt.Fprintf(w, "5. asmith, an auditor, gets a response for the role auditor, whose trust policy lacks sts:TagSession\n")
	asmithResp, err := respond("asmith", true)
	if err != nil {
		return err
	}
	if _, err := assume(auditorARN, asmithResp); err == nil {
		return errors.New("tags were passed to a role whose trust policy lacks sts:TagSession")
	} else if err := refused(err); err != nil {
		return err
	}
	fmt.Fprintln(w)

	// 6. The signature covers the Assertion, NameID included: any change
	// breaks it, and STS answers InvalidIdentityToken "Response signature
	// invalid" (troubleshoot_saml.html).
	now = now.Add(time.Minute)
	fmt.Fprintf(w, "6. A fresh response for jdoe whose NameID is changed to admin@example.com after signing\n")
	fmt.Fprintf(w, "   IdP: jdoe@example.com signs in again: the same attributes as in 1, issued at %s\n", now.Format(time.RFC3339))
	fresh, err := respond("jdoe", false)
	if err != nil {
		return err
	}
	raw, err := base64.StdEncoding.DecodeString(fresh)
	if err != nil {
		return err
	}
	const signed, forged = ">jdoe@example.com</saml:NameID>", ">admin@example.com</saml:NameID>"
	if strings.Count(string(raw), signed) != 1 {
		return errors.New("the response has no single NameID jdoe@example.com")
	}
	tampered := base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(raw), signed, forged, 1)))
	fmt.Fprintf(w, "   base64-decoded, <saml:NameID>jdoe@example.com</saml:NameID> rewritten to admin@example.com, re-encoded\n")
	if _, err := assume(engineerARN, tampered); err == nil {
		return errors.New("a tampered response was accepted")
	} else if err := refused(err); err != nil {
		return err
	}
	return nil
}
