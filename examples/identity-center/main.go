// Command identity-center answers the question a course on AWS access asks:
// an organization of 30 accounts whose people sign in as IAM users with
// long-term access keys, one user and one or two keys per person in every
// account they work in; move them to IAM Identity Center.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-users-federation-idp
// https://docs.aws.amazon.com/singlesignon/latest/userguide/what-is.html
//
// Before: 150 IAM users holding 170 access keys (AKIA...) for 9 people. A
// key works until someone deletes it, from wherever it was copied to.
//
// The move: one Identity Center instance, the 30 accounts of the
// organization, the 9 people as users of its identity store in three
// groups (admins, developers, auditors), three permission sets
// (AdministratorAccess, DeveloperAccess with an inline policy, and
// ReadOnlyAccess, the first and last made of AWS managed policies), and
// assignments per account: admins get AdministratorAccess everywhere,
// auditors ReadOnlyAccess everywhere, developers DeveloperAccess in the 20
// workload accounts and ReadOnlyAccess in the 10 others. Provisioning
// writes the AWSReservedSSO_ roles and the AWSSSO_..._DO_NOT_DELETE SAML
// provider into each account (permissionsetsconcept.html,
// referencingpermissionsets.html).
//
// Then the transcript shows what the course asks for: one sign-in lists
// every account and role and gets credentials for each; removing a user
// from a group refuses the next GetRoleCredentials while the sessions
// already issued last until they expire; the AWSReservedSSO_ roles cannot
// be edited, not even by an administrator; and once the IAM users are
// deleted no IAM user and no long-term key remains.
//
// Sign-in itself (the user's password and MFA, the portal's token) is the
// portal's business: the program starts from a signed-in user, as
// package identitycenter does. Nothing printed depends on time measured or
// on randomness: the clock is fixed, identifiers are derived or drawn from
// fixedRand, and the SAML provider's certificate, new at every run, is
// never printed.
//
// Run it with:
//
//	go run ./examples/identity-center
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/sts"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "identity-center:", err)
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
	orgID = "o-a1b2c3d4e5"
	// The AWS managed policies the permission sets use
	// (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html,
	// .../ReadOnlyAccess.html).
	adminPolicyARN    = "arn:aws:iam::aws:policy/AdministratorAccess"
	readOnlyPolicyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
)

// AdministratorAccess is AWS's document. ReadOnlyAccess is a stand-in:
// AWS's lists hundreds of Describe, Get and List actions service by
// service; these three patterns are the same idea in one statement (the
// same stand-in as the default world's).
const (
	adminPolicy    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	readOnlyPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"ReadOnlyStandIn","Effect":"Allow",
		"Action":["*:Describe*","*:Get*","*:List*"],"Resource":"*"}]}`
	// developerPolicy is DeveloperAccess's inline policy, and the inline
	// policy the developers' IAM users had before: build and deploy the
	// applications; never create IAM users or access keys again.
	developerPolicy = `{"Version":"2012-10-17","Statement":[
		{"Sid":"BuildAndDeploy","Effect":"Allow","Action":["lambda:*","dynamodb:*","logs:*","cloudformation:*",
			"s3:GetObject","s3:PutObject"],"Resource":"*"},
		{"Sid":"NoLongTermCredentials","Effect":"Deny","Action":["iam:CreateUser","iam:CreateAccessKey",
			"iam:CreateLoginProfile"],"Resource":"*"}]}`
	// fullAWSAccess is the SCP AWS Organizations attaches to every root,
	// OU and account.
	fullAWSAccess = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

// account is one of the organization's 30 accounts.
type account struct {
	id, name string
	workload bool
}

// organization returns the 30 accounts: 10 foundation accounts, the first
// of them the management account, then 20 workload accounts. IDs are
// 4000000000NN, in order.
func organization() []account {
	names := []string{"management", "security", "log-archive", "audit", "network",
		"shared-services", "backup", "billing", "artifacts", "sandbox"}
	for i := 1; i <= 20; i++ {
		names = append(names, fmt.Sprintf("workload-%02d", i))
	}
	out := make([]account, len(names))
	for i, n := range names {
		out[i] = account{id: fmt.Sprintf("4000000000%02d", i+1), name: n, workload: i >= 10}
	}
	return out
}

// A person works in the organization; group is their Identity Center
// group, and the kind of IAM user they had.
type person struct{ name, display, group string }

var people = []person{
	{"alice", "Alice Martin", "admins"}, {"amir", "Amir Haddad", "admins"},
	{"bob", "Bob Chen", "developers"}, {"carol", "Carol Diaz", "developers"},
	{"dave", "Dave Okafor", "developers"}, {"erin", "Erin Walsh", "developers"},
	{"femi", "Femi Adeyemi", "developers"}, {"gita", "Gita Rao", "developers"},
	{"hana", "Hana Sato", "auditors"},
}

// iamKey is a long-term access key the program created, so it can try it
// again at the end.
type iamKey struct {
	user, id string
	secret   sts.Secret
	created  time.Time
}

func mustParse(name, doc string, kind policy.Type) *policy.Policy {
	p, err := policy.ParseWithOptions([]byte(doc), kind, policy.Options{Name: name})
	if err != nil {
		panic(err)
	}
	return p
}

func run(w io.Writer) error {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	rnd := &fixedRand{}
	accounts := organization()
	var developers []person
	for _, p := range people {
		if p.group == "developers" {
			developers = append(developers, p)
		}
	}

	dir := sts.NewMemoryDirectory()
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(dir.PutManagedPolicy(adminPolicyARN, mustParse("AdministratorAccess", adminPolicy, policy.Identity)))
	must(dir.PutManagedPolicy(readOnlyPolicyARN, mustParse("ReadOnlyAccess", readOnlyPolicy, policy.Identity)))
	// putAccount stores an account of the organization with the SCPs of
	// its root and its own level (FullAWSAccess at each, plus extra at the
	// root).
	putAccount := func(a account, extra ...*policy.Policy) error {
		root := append([]*policy.Policy{mustParse("FullAWSAccess", fullAWSAccess, policy.SCP)}, extra...)
		return dir.PutAccount(sts.Account{ID: a.id, OrgID: orgID, OrgPath: orgID + "/r-ab12/", Management: a.name == "management",
			SCPs: [][]*policy.Policy{root, {mustParse("FullAWSAccess", fullAWSAccess, policy.SCP)}}})
	}

	// --- 1. Before --------------------------------------------------
	// In every account: an IAM user for each admin (AdministratorAccess)
	// and for the auditor (ReadOnlyAccess); in each workload account, IAM
	// users for the three developers of its team (the developer policy
	// inline), the first of whom kept the key they had before rotating.
	// IAM allows two access keys per user (reference_iam-quotas.html).
	var userARNs []string
	var keys []iamKey
	keysOf := map[string]int{}     // person -> keys
	accountsOf := map[string]int{} // person -> accounts with an IAM user
	for i, a := range accounts {
		must(putAccount(a))
		var members []person
		for _, p := range people {
			if p.group != "developers" {
				members = append(members, p)
			}
		}
		if a.workload {
			j := i - 10
			for k := range 3 {
				members = append(members, developers[(j+k)%len(developers)])
			}
		}
		for k, p := range members {
			arn := "arn:aws:iam::" + a.id + ":user/" + p.name
			u := sts.User{ARN: arn, UniqueID: sts.DeterministicUniqueID("AIDA", arn)}
			switch p.group {
			case "admins":
				u.ManagedPolicyARNs = []string{adminPolicyARN}
			case "auditors":
				u.ManagedPolicyARNs = []string{readOnlyPolicyARN}
			default:
				u.Policies = []*policy.Policy{mustParse("developer", developerPolicy, policy.Identity)}
			}
			n := 1
			if p.group == "developers" && k == len(members)-3 {
				n = 2
			}
			for range n {
				id, err := sts.NewAccessKeyID("AKIA", a.id, rnd)
				if err != nil {
					return err
				}
				secret := sts.NewSecret(fmt.Sprintf("example-secret-%s-%s-%d-not-a-real-key", a.id, p.name, len(u.AccessKeys)))
				created := time.Date(2022+(i+len(u.AccessKeys))%4, time.Month(1+i%12), 1+k, 10, 0, 0, 0, time.UTC)
				u.AccessKeys = append(u.AccessKeys, sts.AccessKey{ID: id, Secret: secret, Created: created})
				keys = append(keys, iamKey{user: arn, id: id, secret: secret, created: created})
				keysOf[p.name]++
			}
			must(dir.PutUser(u))
			userARNs = append(userARNs, arn)
			accountsOf[p.name]++
		}
	}

	ring, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(strings.Repeat("k", 32))})
	if err != nil {
		return err
	}
	issuer, err := sts.NewIssuer(sts.Options{Directory: dir, Keys: ring, Now: clock, Rand: rnd})
	if err != nil {
		return err
	}
	workload01 := accounts[10]

	fmt.Fprintf(w, "1. Before: IAM users with long-term access keys in every account\n")
	fmt.Fprintf(w, "   %d accounts in organization %s: %s (%s) ... %s (%s)\n", len(accounts), orgID,
		accounts[0].id, accounts[0].name, accounts[len(accounts)-1].id, accounts[len(accounts)-1].name)
	fmt.Fprintf(w, "   %d IAM users for %d people, holding %d access keys (AKIA...)\n", len(userARNs), len(people), len(keys))
	oldest := keys[0]
	for _, k := range keys {
		if k.created.Before(oldest.created) {
			oldest = k
		}
	}
	fmt.Fprintf(w, "   the oldest, %s of %s, was created %s, %d days ago\n", oldest.id, oldest.user,
		oldest.created.Format(time.DateOnly), int(now.Truncate(24*time.Hour).Sub(oldest.created.Truncate(24*time.Hour)).Hours()/24))
	for _, name := range []string{"alice", "bob", "hana"} {
		fmt.Fprintf(w, "      %-5s: an IAM user in %2d accounts, %2d keys\n", name, accountsOf[name], keysOf[name])
	}
	// A long-term key is the user: no token, no expiry
	// (id_credentials_access-keys.html). It works wherever it was copied.
	keyOf := func(user string) iamKey {
		for _, k := range keys {
			if k.user == "arn:aws:iam::"+workload01.id+":user/"+user {
				return k
			}
		}
		panic("no key for " + user)
	}
	bobKey := keyOf("bob")
	bobIAM, err := issuer.Authenticate(ctx, bobKey.id, bobKey.secret, "")
	if err != nil {
		return err
	}
	expiry := "never expires"
	if !bobIAM.ExpiresAt.IsZero() {
		expiry = "expires " + bobIAM.ExpiresAt.Format(time.RFC3339)
	}
	fmt.Fprintf(w, "   the problem: bob's key %s authenticates as %s (%s); it %s\n", bobKey.id, bobIAM.ARN, bobIAM.UserID, expiry)
	lambda01 := "arn:aws:lambda:us-east-1:" + workload01.id + ":function:orders"
	d, err := issuer.Authorize(ctx, bobIAM, sts.AuthorizeInput{Action: "lambda:UpdateFunctionCode", Resource: lambda01})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   and may do what its user may: lambda:UpdateFunctionCode on %s: %s\n\n", lambda01, d.Explanation.Decision)

	// --- 2. The move ------------------------------------------------
	// The instance's SAML provider metadata: a test IdP made here, whose
	// key signs nothing (sessions are issued by the portal) and whose
	// certificate is never printed.
	const instanceID = "ssoins-7223c0ffee000001"
	idp, err := federation.NewSAMLTestIdP("https://portal.sso.us-east-1.amazonaws.com/saml/assertion/"+instanceID, now)
	if err != nil {
		return err
	}
	ic, err := identitycenter.New(identitycenter.Options{IdentityStoreID: "d-9067c0ffee", InstanceID: instanceID,
		IdPMetadata: idp.Metadata(), Now: clock})
	if err != nil {
		return err
	}
	for _, a := range accounts {
		must(ic.PutAccount(identitycenter.Account{ID: a.id, Name: a.name, Email: "aws+" + a.name + "@example.com"}))
	}
	groups := map[string]identitycenter.Group{}
	for _, g := range []identitycenter.Group{
		{DisplayName: "admins", Description: "Administer every account"},
		{DisplayName: "developers", Description: "Build and run the workloads"},
		{DisplayName: "auditors", Description: "Read everything, change nothing"},
	} {
		created, err := ic.CreateGroup(g)
		if err != nil {
			return err
		}
		groups[g.DisplayName] = created
	}
	users := map[string]identitycenter.User{}
	for _, p := range people {
		u, err := ic.CreateUser(identitycenter.User{UserName: p.name, DisplayName: p.display,
			Emails: []identitycenter.Email{{Value: p.name + "@example.com", Type: "work", Primary: true}}})
		if err != nil {
			return err
		}
		users[p.name] = u
		must(ic.CreateGroupMembership(groups[p.group].ID, u.ID))
	}
	// Session durations: 1 hour (the default) for administrators, a
	// working day for developers, 4 hours for readers; 1 to 12 hours
	// (howtosessionduration.html).
	for _, ps := range []identitycenter.PermissionSet{
		{Name: "AdministratorAccess", Description: "Full access", ManagedPolicies: []string{adminPolicyARN}},
		{Name: "DeveloperAccess", Description: "Build and deploy the applications", SessionDuration: "PT8H", InlinePolicy: developerPolicy},
		{Name: "ReadOnlyAccess", Description: "Read-only access", SessionDuration: "PT4H", ManagedPolicies: []string{readOnlyPolicyARN}},
	} {
		if _, err := ic.CreatePermissionSet(ps); err != nil {
			return err
		}
	}
	assign := func(group, set, acct string) {
		must(ic.CreateAccountAssignment(identitycenter.Assignment{AccountID: acct, PermissionSet: set,
			PrincipalType: identitycenter.PrincipalGroup, PrincipalID: groups[group].ID}))
	}
	for _, a := range accounts {
		assign("admins", "AdministratorAccess", a.id)
		assign("auditors", "ReadOnlyAccess", a.id)
		if a.workload {
			assign("developers", "DeveloperAccess", a.id)
		} else {
			assign("developers", "ReadOnlyAccess", a.id)
		}
	}
	res, err := ic.Provision(ctx, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "2. The move: one IAM Identity Center instance for the organization\n")
	fmt.Fprintf(w, "   instance %s, identity store %s, start URL %s\n", ic.InstanceARN(), ic.IdentityStoreID(), ic.StartURL())
	fmt.Fprintf(w, "   identity store: %d users in %d groups:", len(ic.Users()), len(ic.Groups()))
	for _, g := range []string{"admins", "developers", "auditors"} {
		m, err := ic.MembersOfGroup(groups[g].ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, " %s (%d)", g, len(m))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "   permission sets:\n")
	for _, ps := range ic.PermissionSets() {
		what := strings.Join(ps.ManagedPolicies, ", ")
		if ps.InlinePolicy != "" {
			what = "an inline policy"
		}
		duration := ps.SessionDuration
		if duration == "" {
			duration = "PT1H (the default)"
		}
		fmt.Fprintf(w, "      %-19s %s, session %s\n", ps.Name, what, duration)
	}
	perSet := map[string]int{}
	for _, a := range ic.AccountAssignments() {
		perSet[a.PermissionSet]++
	}
	fmt.Fprintf(w, "   %d assignments to groups: AdministratorAccess %d, DeveloperAccess %d, ReadOnlyAccess %d\n",
		len(ic.AccountAssignments()), perSet["AdministratorAccess"], perSet["DeveloperAccess"], perSet["ReadOnlyAccess"])
	fmt.Fprintf(w, "   Provision: %d roles created, %d SAML providers created, %d updated, %d deleted, %d failed\n",
		len(res.Created), len(res.SAMLProviders), len(res.Updated), len(res.Deleted), len(res.Failed))
	devRoleARN, err := ic.RoleARN("DeveloperAccess", workload01.id)
	if err != nil {
		return err
	}
	devRoleName, _ := ic.RoleName("DeveloperAccess", workload01.id)
	devRole, err := dir.Role(ctx, devRoleARN)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   in %s (%s): role %s\n", workload01.id, workload01.name, devRoleName)
	fmt.Fprintf(w, "      path %s, MaxSessionDuration %s, inline policy %s\n", ic.RolePath(), devRole.MaxSessionDuration, devRole.Policies[0].Name())
	fmt.Fprintf(w, "      trusts %s\n", ic.SAMLProviderARN(workload01.id))
	fmt.Fprintf(w, "      for sts:AssumeRoleWithSAML and sts:TagSession if SAML:aud = %s\n", ic.SigninSAMLAudience())
	again, err := ic.Provision(ctx, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Provision again, nothing changed: %d created, %d updated\n\n", len(again.Created), len(again.Updated))

	// --- 3. One sign-in ---------------------------------------------
	// The portal's ListAccounts and ListAccountRoles for bob, then
	// GetRoleCredentials in two accounts
	// (https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccounts.html,
	// API_ListAccountRoles.html, API_GetRoleCredentials.html).
	bob := users["bob"]
	fmt.Fprintf(w, "3. bob signs in once to %s (user ID %s)\n", ic.StartURL(), bob.ID)
	list, err := ic.ListAccounts(bob.ID)
	if err != nil {
		return err
	}
	roleCount := map[string]int{}
	var lines []string
	for _, a := range list {
		roles, err := ic.ListAccountRoles(bob.ID, a.AccountID)
		if err != nil {
			return err
		}
		var names []string
		for _, r := range roles {
			roleCount[r.RoleName]++
			names = append(names, r.RoleName)
		}
		lines = append(lines, fmt.Sprintf("      %s %-15s %-28s %s", a.AccountID, a.AccountName, a.EmailAddress, strings.Join(names, ", ")))
	}
	fmt.Fprintf(w, "   ListAccounts: %d accounts; ListAccountRoles: DeveloperAccess in %d, ReadOnlyAccess in %d\n",
		len(list), roleCount["DeveloperAccess"], roleCount["ReadOnlyAccess"])
	for _, i := range []int{0, 1, 10, 11, len(lines) - 1} {
		fmt.Fprintln(w, lines[i])
		if i == 1 || i == 11 {
			fmt.Fprintln(w, "      ...")
		}
	}
	alice := users["alice"]
	aliceList, err := ic.ListAccounts(alice.ID)
	if err != nil {
		return err
	}
	adminIn := 0
	for _, a := range aliceList {
		if ic.HasAccess(alice.ID, a.AccountID, "AdministratorAccess") {
			adminIn++
		}
	}
	fmt.Fprintf(w, "   (alice, an admin, sees %d accounts, with AdministratorAccess in %d)\n", len(aliceList), adminIn)

	// sessionOf gets credentials as GetRoleCredentials does and opens
	// them as any AWS endpoint would.
	sessionOf := func(u identitycenter.User, acct, set string) (*identitycenter.RoleCredentials, *sts.Session, error) {
		creds, err := ic.RoleCredentials(ctx, issuer, u.ID, acct, set)
		if err != nil {
			return nil, nil, err
		}
		s, err := issuer.Authenticate(ctx, creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
		return creds, s, err
	}
	authorize := func(s *sts.Session, action, resource string) error {
		d, err := issuer.Authorize(ctx, s, sts.AuthorizeInput{Action: action, Resource: resource})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "      %s on %s: %s (%s)\n", action, resource, d.Explanation.Decision, d.Explanation.Reason)
		for _, m := range d.Explanation.Decisive {
			if m.Effect == policy.Deny {
				fmt.Fprintf(w, "         decided by: %s\n", m)
			}
		}
		return nil
	}
	security := accounts[1]
	var bobDev *sts.Session
	var bobDevCreds *identitycenter.RoleCredentials
	for _, t := range []struct {
		acct account
		set  string
	}{{workload01, "DeveloperAccess"}, {security, "ReadOnlyAccess"}} {
		creds, s, err := sessionOf(bob, t.acct.id, t.set)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   GetRoleCredentials %s %s: %s / %v, expires %s (epoch ms %d)\n", t.acct.id, t.set,
			creds.AccessKeyID, creds.SecretAccessKey, creds.Expiration.Format(time.RFC3339), creds.ExpirationMillis())
		fmt.Fprintf(w, "      the session opens as %s (%s)\n", s.ARN, s.UserID)
		if t.set == "DeveloperAccess" {
			bobDev, bobDevCreds = s, creds
			if err := authorize(s, "lambda:UpdateFunctionCode", lambda01); err != nil {
				return err
			}
			if err := authorize(s, "iam:CreateAccessKey", "arn:aws:iam::"+t.acct.id+":user/bob"); err != nil {
				return err
			}
			if err := authorize(s, "ec2:TerminateInstances", "arn:aws:ec2:us-east-1:"+t.acct.id+":instance/i-0123456789abcdef0"); err != nil {
				return err
			}
		} else {
			if err := authorize(s, "s3:GetObject", "arn:aws:s3:::security-findings/2026-12.json"); err != nil {
				return err
			}
			if err := authorize(s, "s3:PutObject", "arn:aws:s3:::security-findings/2026-12.json"); err != nil {
				return err
			}
		}
	}
	fmt.Fprintln(w)

	// --- 4. Revoking access -----------------------------------------
	// Removing the user from the group ends its access through the group:
	// the portal no longer lists the accounts and GetRoleCredentials
	// answers ForbiddenException "No access". Sessions already issued are
	// not revoked: they last until they expire, unless a Deny names the
	// user, such as the SCP of authconcept-revoke-access.html on
	// aws:userid (revoke-user-permissions.html,
	// prereqs-revoking-user-permissions.html); SCPs bind every account
	// but the management account.
	now = now.Add(30 * time.Minute)
	fmt.Fprintf(w, "4. At %s bob leaves the developers group (DeleteGroupMembership)\n", now.Format("15:04"))
	must(ic.DeleteGroupMembership(groups["developers"].ID, bob.ID))
	list, err = ic.ListAccounts(bob.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   ListAccounts: %d accounts\n", len(list))
	if _, err := ic.RoleCredentials(ctx, issuer, bob.ID, workload01.id, "DeveloperAccess"); err == nil {
		return errors.New("bob got credentials after leaving the group")
	} else {
		var apiErr *identitycenter.Error
		if !errors.As(err, &apiErr) {
			return err
		}
		fmt.Fprintf(w, "   GetRoleCredentials %s DeveloperAccess: %s (HTTP %d): %s\n", workload01.id, apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
	}
	fmt.Fprintf(w, "   the session issued at %s is not revoked; until %s it still works:\n", bobDev.IssuedAt.Format("15:04"), bobDev.ExpiresAt.Format("15:04"))
	if err := authorize(bobDev, "lambda:UpdateFunctionCode", lambda01); err != nil {
		return err
	}
	denyBob := mustParse("DenyDepartedUsers", `{"Version":"2012-10-17","Statement":[{"Sid":"DenyBob","Effect":"Deny",
		"Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:bob"}}}]}`, policy.SCP)
	for _, a := range accounts {
		must(putAccount(a, denyBob))
	}
	fmt.Fprintf(w, "   to end it now, an SCP at the root denies everything when aws:userid is like *:bob:\n")
	if err := authorize(bobDev, "lambda:UpdateFunctionCode", lambda01); err != nil {
		return err
	}
	// At expiry the credentials stop working on their own: ExpiredToken
	// (id_credentials_temp_control-access_disable-perms.html: "Temporary
	// security credentials are valid until they expire").
	now = bobDev.ExpiresAt.Add(time.Second)
	if _, err := issuer.Authenticate(ctx, bobDevCreds.AccessKeyID, bobDevCreds.SecretAccessKey, bobDevCreds.SessionToken); err == nil {
		return errors.New("an expired session was accepted")
	} else if err := refused(w, "   at "+now.Format("15:04:05")+" the session has expired: ", err); err != nil {
		return err
	}
	now = time.Date(2026, 12, 7, 17, 30, 0, 0, time.UTC)
	fmt.Fprintln(w)

	// --- 5. The AWSReservedSSO_ roles are Identity Center's ----------
	// "You cannot edit IAM roles created from IAM Identity Center
	// permission sets" (id_credentials_temp_control-access_disable-perms.html);
	// only Identity Center's service-linked role changes them
	// (AWSSSOServiceRolePolicy). The policies allow an administrator
	// everything, and still the change is refused: IAM answers
	// UnmodifiableEntity "Cannot perform the operation on the protected
	// role '...' - this role is only modifiable by AWS" (HTTP 400, as
	// rebuy-de/aws-nuke#441 quotes it), which iamkit's policy engine
	// reports as an implicit deny under its identity-center-role rule.
	fmt.Fprintf(w, "5. At %s alice, an admin, tries to edit the role %s in %s\n", now.Format("15:04"), devRoleName, workload01.id)
	_, aliceAdmin, err := sessionOf(alice, workload01.id, "AdministratorAccess")
	if err != nil {
		return err
	}
	aliceKey := keyOf("alice")
	aliceIAM, err := issuer.Authenticate(ctx, aliceKey.id, aliceKey.secret, "")
	if err != nil {
		return err
	}
	for _, caller := range []*sts.Session{aliceAdmin, aliceIAM} {
		fmt.Fprintf(w, "   as %s:\n", caller.ARN)
		for _, action := range []string{"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole"} {
			d, err := issuer.Authorize(ctx, caller, sts.AuthorizeInput{Action: action, Resource: devRoleARN})
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "      %-28s %s, protection %s\n", action+":", d.Explanation.Decision, d.Explanation.Protection.Name())
		}
	}
	d, err = issuer.Authorize(ctx, aliceAdmin, sts.AuthorizeInput{Action: "iam:PutRolePolicy", Resource: devRoleARN})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   why: %s\n", d.Explanation.Reason)
	fmt.Fprintf(w, "        %s\n", d.Explanation.Protection)
	fmt.Fprintf(w, "        (%s)\n", d.Explanation.Protection.Doc())
	ordinary := "arn:aws:iam::" + workload01.id + ":role/orders-service"
	d, err = issuer.Authorize(ctx, aliceAdmin, sts.AuthorizeInput{Action: "iam:PutRolePolicy", Resource: ordinary})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   an ordinary role: iam:PutRolePolicy on %s: %s\n\n", ordinary, d.Explanation.Decision)

	// --- 6. No IAM user or long-term key remains ---------------------
	// DeleteUser (after DeleteAccessKey, as IAM requires, which
	// MemoryDirectory.DeleteUser does in one step). A deleted key is
	// unknown to AWS: InvalidClientTokenId
	// (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html).
	fmt.Fprintf(w, "6. The IAM users are deleted, with their keys\n")
	for _, arn := range userARNs {
		must(dir.DeleteUser(arn))
	}
	if _, err := issuer.Authenticate(ctx, bobKey.id, bobKey.secret, ""); err == nil {
		return errors.New("a deleted user's key still authenticates")
	} else if err := refused(w, "   bob's old key "+bobKey.id+": ", err); err != nil {
		return err
	}
	leftUsers, leftKeys := 0, 0
	for _, arn := range userARNs {
		if _, err := dir.User(ctx, arn); err == nil {
			leftUsers++
		} else if !errors.Is(err, sts.ErrNotFound) {
			return err
		}
	}
	for _, k := range keys {
		if _, err := issuer.Authenticate(ctx, k.id, k.secret, ""); err == nil {
			leftKeys++
		}
	}
	fmt.Fprintf(w, "   IAM users left: %d of %d; access keys that authenticate: %d of %d\n", leftUsers, len(userARNs), leftKeys, len(keys))
	// What the accounts hold for people now: the instance's SAML provider
	// and its roles, read back from the directory.
	providers, roles := 0, 0
	perAccount := map[string]int{}
	for _, a := range accounts {
		if _, err := dir.SAMLProvider(ctx, ic.SAMLProviderARN(a.id)); err == nil {
			providers++
		}
	}
	for _, r := range ic.ProvisionedRoles() {
		if _, err := dir.Role(ctx, r.RoleARN); err == nil {
			roles++
			perAccount[r.AccountID]++
		}
	}
	for _, a := range accounts {
		if want := map[bool]int{true: 3, false: 2}[a.workload]; perAccount[a.id] != want {
			return fmt.Errorf("account %s holds %d roles, not %d", a.id, perAccount[a.id], want)
		}
	}
	fmt.Fprintf(w, "   for people, the %d accounts hold %d SAML providers %s and %d AWSReservedSSO_ roles\n",
		len(accounts), providers, roleNameOf(ic.SAMLProviderARN(workload01.id)), roles)
	fmt.Fprintf(w, "   (%d in each workload account, %d in each other); every credential is a session that expires\n",
		perAccount[workload01.id], perAccount[security.id])
	_, carolDev, err := sessionOf(users["carol"], accounts[11].id, "DeveloperAccess")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   carol, still a developer, signs in: %s until %s\n", carolDev.ARN, carolDev.ExpiresAt.Format(time.RFC3339))
	return nil
}

// refused prints an STS refusal with AWS's code and message.
func refused(w io.Writer, prefix string, err error) error {
	var apiErr *sts.Error
	if !errors.As(err, &apiErr) {
		return err
	}
	fmt.Fprintf(w, "%s%s (HTTP %d): %s\n", prefix, apiErr.ErrorCode(), apiErr.HTTPStatusCode(), apiErr.ErrorMessage())
	return nil
}

// roleNameOf returns the last segment of an ARN's resource.
func roleNameOf(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }
