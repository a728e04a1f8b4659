package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

// FindingType is Access Analyzer's finding type, most severe first.
type FindingType string

// The finding types of Access Analyzer's policy validation
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html).
const (
	Error           FindingType = "ERROR"
	SecurityWarning FindingType = "SECURITY_WARNING"
	Warning         FindingType = "WARNING"
	Suggestion      FindingType = "SUGGESTION"
)

// Failing reports whether findings of type t fail a check by default
// (ERROR and SECURITY_WARNING).
func (t FindingType) Failing() bool { return t == Error || t == SecurityWarning }

// A Finding is one problem in a policy.
type Finding struct {
	Type FindingType `json:"findingType"`
	// Code is Access Analyzer's issue code where it has the check, and
	// iamkit's own code (documented beside the check) where it has none.
	Code string `json:"issueCode"`
	// Statement is the statement's index, -1 for the whole policy.
	Statement int `json:"statementIndex"`
	// Path is the JSON path of the element, Pos its position.
	Path    string          `json:"path"`
	Pos     policy.Position `json:"position"`
	Message string          `json:"message"`
	// Fix says how to correct it.
	Fix string `json:"fix,omitempty"`
	// Learn is the AWS page the check comes from.
	Learn string `json:"learnMoreLink"`
}

// String formats the finding as "line 4, column 9: SECURITY_WARNING
// CODE: Statement[0].Condition: message".
func (f Finding) String() string {
	var b strings.Builder
	if !f.Pos.IsZero() {
		b.WriteString(f.Pos.String())
		b.WriteString(": ")
	}
	b.WriteString(string(f.Type))
	b.WriteString(" ")
	b.WriteString(f.Code)
	b.WriteString(": ")
	if f.Path != "" {
		b.WriteString(f.Path)
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	return b.String()
}

// Options tell the checks what the policy alone does not say.
type Options struct {
	// Account is the account the policy belongs to (the role's, for a
	// trust policy). With it, principals of other accounts are third
	// parties unless listed in TrustedAccounts.
	Account string
	// TrustedAccounts are accounts of the same owner (an organization's),
	// whose principals need no ExternalId.
	TrustedAccounts []string
}

// Pages the checks come from.
const (
	pageChecks      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
	pageConfused    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"
	pageThirdParty  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html"
	pageOIDC        = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html"
	pageGitHub      = "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services"
	pageGitHubSub   = "https://docs.github.com/en/actions/reference/openid-connect-reference"
	pageMultivalued = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
	pageMFAIfExists = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent"
	pagePrincipal   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
	pageQuotas      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"
	pagePassRole    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
	pageTagSession  = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required"
)

// Check lints src, a policy document of type typ. It returns an error only
// when src is not a JSON object; structural problems are
// [policy.Validate]'s to report, and Check skips the values it cannot
// read. Findings come in document order.
func Check(src []byte, typ policy.Type, opt Options) ([]Finding, error) {
	d, err := read(src)
	if err != nil {
		return nil, err
	}
	c := &checker{opt: opt, typ: typ}
	if typ == policy.Trust {
		if limit, _ := policy.SizeLimit(policy.Trust); d.size > limit {
			c.add(Warning, "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA", -1, "", policy.Position{Line: 1, Column: 1},
				fmt.Sprintf("the policy is %d characters without white space, over the default role trust policy quota of %d (raisable to 8,192)", d.size, limit),
				"shorten the policy, or request a quota increase", pageQuotas)
		}
	}
	for i := range d.statements {
		s := &d.statements[i]
		c.stmtPos = s.pos
		switch typ {
		case policy.Trust:
			c.trust(s)
		case policy.Identity, policy.Boundary, policy.Session:
			c.identity(s)
		}
		c.any(s)
		c.catalogChecks(s)
	}
	slices.SortStableFunc(c.out, func(a, b Finding) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
	return c.out, nil
}

type checker struct {
	opt     Options
	typ     policy.Type
	out     []Finding
	stmtPos policy.Position // of the statement being checked
}

func (c *checker) add(t FindingType, code string, stmt int, path string, at policy.Position, msg, fix, learn string) {
	if at.IsZero() {
		// The element is absent (a statement without Action, say): point
		// at the statement.
		at = c.stmtPos
	}
	c.out = append(c.out, Finding{Type: t, Code: code, Statement: stmt, Path: path, Pos: at, Message: msg, Fix: fix, Learn: learn})
}

func stmtPath(s *statement, el string) string {
	p := fmt.Sprintf("Statement[%d]", s.index)
	if el != "" {
		p += "." + el
	}
	return p
}

var (
	serviceRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$`)
	oidcHostRE  = regexp.MustCompile(`^[a-zA-Z0-9.-]+(:[0-9]+)?(/[^\s]*)?$`)
	sharedIssue = map[string]string{
		"accounts.google.com":                 "any Google account or service account",
		"app.terraform.io":                    "any Terraform Cloud workspace",
		"gitlab.com":                          "any GitLab project",
		"token.actions.githubusercontent.com": "any GitHub Actions workflow",
		"oidc.circleci.com":                   "any CircleCI project",
		// Not Cognito: its aud is the identity pool's ID, which names one
		// customer's pool (Cognito's role trust examples condition on aud
		// and amr alone).
	}
)

// federated is a Federated principal value: a SAML provider, an OIDC
// provider (its ARN or its host), or neither.
type federated struct {
	kind string // "saml", "oidc" or ""
	host string // the OIDC provider's host/path: the condition key prefix
}

func parseFederated(v string) federated {
	if a, err := principal.ParseARN(v); err == nil && a.Service == "iam" {
		switch {
		case strings.HasPrefix(a.Resource, "saml-provider/"):
			return federated{kind: "saml"}
		case strings.HasPrefix(a.Resource, "oidc-provider/"):
			return federated{kind: "oidc", host: strings.TrimPrefix(a.Resource, "oidc-provider/")}
		}
		return federated{}
	}
	if strings.HasPrefix(v, "arn:") || !oidcHostRE.MatchString(v) || !strings.Contains(v, ".") {
		return federated{}
	}
	// A domain name: the web identity providers (www.amazon.com,
	// graph.facebook.com, accounts.google.com, cognito-identity...).
	return federated{kind: "oidc", host: v}
}

// trust runs the role trust policy checks of one statement.
func (c *checker) trust(s *statement) {
	if s.notPrincipal != nil {
		c.add(Error, "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", s.index, stmtPath(s, "NotPrincipal"), s.notPrincipal.pos,
			"a role trust policy cannot use NotPrincipal", "name the principals who may assume the role in Principal", pageChecks)
	}
	if s.hasResource || s.hasNotRes {
		at, el := s.resourcePos, "Resource"
		if !s.hasResource {
			at, el = s.notResPos, "NotResource"
		}
		c.add(Error, "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", s.index, stmtPath(s, el), at,
			"a role trust policy cannot have a "+el+" element: it applies to the role itself", "remove "+el, pageChecks)
	}
	if s.effect != "Allow" || s.principal == nil {
		return
	}
	p := s.principal
	assumeRole := s.allows("sts:assumerole")
	withSAML := s.allows("sts:assumerolewithsaml")
	withWeb := s.allows("sts:assumerolewithwebidentity")
	tagSession := s.allows("sts:tagsession")

	if p.wildcard || slices.ContainsFunc(p.aws, func(l located) bool { return l.s == "*" }) {
		if len(s.conditions) == 0 {
			c.add(SecurityWarning, "PUBLIC_ROLE_TRUST", s.index, stmtPath(s, "Principal"), p.pos,
				"any principal of any AWS account may assume this role: the wildcard principal has no condition",
				`name the accounts or roles, or limit the wildcard with a condition such as "aws:PrincipalOrgID"`, pagePrincipal)
		}
	}
	for _, a := range p.aws {
		if a.s == "*" {
			continue
		}
		if strings.ContainsAny(a.s, "*?") {
			c.add(Error, "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", s.index, stmtPath(s, "Principal.AWS"), a.pos,
				fmt.Sprintf("%q: a wildcard cannot match part of a principal ARN; the principal matches nothing", a.s),
				`name the account (arn:aws:iam::ACCOUNT:root) and match the ARN with a condition: "StringLike": {"aws:PrincipalArn": "`+a.s+`"}`, pagePrincipal)
			continue
		}
		if withSAML || withWeb {
			c.add(Error, "MISMATCHED_ACTION_FOR_PRINCIPAL", s.index, stmtPath(s, "Action"), s.actionPos,
				fmt.Sprintf("AWS principal %q cannot use sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity, which are for Federated principals", a.s),
				"use sts:AssumeRole for AWS principals", pageChecks)
		}
		acct := accountOf(a.s)
		if acct == "" || c.opt.Account == "" || acct == c.opt.Account || slices.Contains(c.opt.TrustedAccounts, acct) {
			if acct != "" && acct == c.opt.Account && isRoot(a.s) {
				c.add(Suggestion, "SAME_ACCOUNT_ROOT_PRINCIPAL", s.index, stmtPath(s, "Principal.AWS"), a.pos,
					fmt.Sprintf("%q lets every principal of the account whose own policies allow sts:AssumeRole assume this role", a.s),
					"if one role or user was meant, name its ARN", pagePrincipal)
			}
			continue
		}
		if assumeRole && !s.hasCondition(func(k string) bool { return k == "sts:externalid" }) {
			c.add(SecurityWarning, "MISSING_EXTERNAL_ID", s.index, stmtPath(s, "Principal.AWS"), a.pos,
				fmt.Sprintf("account %s is a third party and may assume this role without an ExternalId: the confused deputy problem", acct),
				`add "Condition": {"StringEquals": {"sts:ExternalId": "<the ID you agreed with them>"}}`, pageConfused)
		}
	}
	for _, sv := range p.service {
		if !serviceRE.MatchString(sv.s) {
			c.add(Error, "INVALID_SERVICE_PRINCIPAL_FORMAT", s.index, stmtPath(s, "Principal.Service"), sv.pos,
				fmt.Sprintf("%q is not a service principal (SERVICE.amazonaws.com)", sv.s), "use the service's principal, such as ec2.amazonaws.com", pageChecks)
			continue
		}
		if withSAML || withWeb {
			c.add(Error, "MISMATCHED_ACTION_FOR_PRINCIPAL", s.index, stmtPath(s, "Action"), s.actionPos,
				fmt.Sprintf("service principal %q assumes roles with sts:AssumeRole, not sts:AssumeRoleWithSAML or sts:AssumeRoleWithWebIdentity", sv.s),
				"use sts:AssumeRole", pageChecks)
		}
		if !serviceSourceExempt[sv.s] && !s.hasCondition(func(k string) bool {
			return k == "aws:sourcearn" || k == "aws:sourceaccount" || k == "aws:sourceorgid" || k == "aws:sourceorgpaths"
		}) {
			c.add(SecurityWarning, "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", s.index, stmtPath(s, "Principal.Service"), sv.pos,
				fmt.Sprintf("%s may assume this role on behalf of any account's resources: the cross-service confused deputy problem", sv.s),
				`add "Condition": {"StringEquals": {"aws:SourceAccount": "<your account>"}} or an "aws:SourceArn" condition`, pageConfused)
		}
	}
	for _, fv := range p.fed {
		f := parseFederated(fv.s)
		switch f.kind {
		case "":
			c.add(Error, "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", s.index, stmtPath(s, "Principal.Federated"), fv.pos,
				fmt.Sprintf("%q is neither a SAML provider ARN, an OIDC provider ARN nor a web identity provider's domain name", fv.s),
				"name the provider: arn:aws:iam::ACCOUNT:saml-provider/NAME, arn:aws:iam::ACCOUNT:oidc-provider/HOST or a domain name", pageChecks)
		case "saml":
			if !withSAML || assumeRole || withWeb {
				c.add(Error, "MISMATCHED_ACTION_FOR_PRINCIPAL", s.index, stmtPath(s, "Action"), s.actionPos,
					fmt.Sprintf("the SAML provider %q is used with sts:AssumeRoleWithSAML only", fv.s), "use sts:AssumeRoleWithSAML (and sts:TagSession for session tags)", pageChecks)
			}
		case "oidc":
			if !withWeb || assumeRole || withSAML {
				c.add(Error, "MISMATCHED_ACTION_FOR_PRINCIPAL", s.index, stmtPath(s, "Action"), s.actionPos,
					fmt.Sprintf("the OIDC provider %q is used with sts:AssumeRoleWithWebIdentity only", fv.s), "use sts:AssumeRoleWithWebIdentity", pageChecks)
			}
			c.oidc(s, fv, f.host)
		}
	}
	if !tagSession && s.hasCondition(func(k string) bool {
		return strings.HasPrefix(k, "aws:requesttag/") || k == "aws:tagkeys" || k == "sts:transitivetagkeys"
	}) {
		c.add(Error, "MISSING_ACTION_FOR_CONDITION_KEY", s.index, stmtPath(s, "Condition"), s.conditionPos,
			"the condition tests session tags (aws:RequestTag, aws:TagKeys or sts:TransitiveTagKeys), which only sts:TagSession carries",
			"add sts:TagSession to the Action", pageTagSession)
	}
}

// serviceSourceExempt are service principals whose AWS documentation
// does not put aws:SourceArn or aws:SourceAccount in the role's trust
// policy: EC2 (instance profiles) and Lambda (execution roles) assume the
// role for the account's own resources. Flagging them is a known false
// positive of other tools (prowler-cloud/prowler#2810).
var serviceSourceExempt = map[string]bool{
	"ec2.amazonaws.com":        true,
	"lambda.amazonaws.com":     true,
	"edgelambda.amazonaws.com": true,
}

// oidc checks the conditions an OIDC provider's trust needs.
func (c *checker) oidc(s *statement, fv located, host string) {
	pre := strings.ToLower(host) + ":"
	var keys []cond
	for _, cd := range s.conditions {
		if strings.HasPrefix(strings.ToLower(cd.key), pre) {
			keys = append(keys, cd)
		}
	}
	has := func(claim string) bool {
		return slices.ContainsFunc(keys, func(cd cond) bool { return strings.EqualFold(cd.key, pre+claim) })
	}
	if len(keys) == 0 {
		c.add(SecurityWarning, "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", s.index, stmtPath(s, "Principal.Federated"), fv.pos,
			fmt.Sprintf("no condition on the provider's claims (%saud, %ssub): any token of %s may assume this role", pre, pre, host),
			fmt.Sprintf(`add "Condition": {"StringEquals": {"%s:aud": "<your client ID>", "%s:sub": "<the subject>"}}`, host, host), pageOIDC)
		return
	}
	if host == "token.actions.githubusercontent.com" {
		c.github(s, fv, keys)
		return
	}
	if who, shared := sharedIssue[host]; shared && !has("sub") {
		c.add(SecurityWarning, "OIDC_SHARED_ISSUER_WITHOUT_SUBJECT", s.index, stmtPath(s, "Principal.Federated"), fv.pos,
			fmt.Sprintf("%s issues tokens to %s; a condition on the audience alone lets all of them assume this role", host, who),
			fmt.Sprintf(`add a condition on "%s:sub"`, host), pageOIDC)
	}
}

// github checks a GitHub Actions trust: a sub condition naming the
// repository, without a wildcard in the owner, best with a branch or
// environment.
func (c *checker) github(s *statement, fv located, keys []cond) {
	const pre = "token.actions.githubusercontent.com:sub"
	var subs []cond
	for _, k := range keys {
		if strings.EqualFold(k.key, pre) {
			subs = append(subs, k)
		}
	}
	if len(subs) == 0 {
		c.add(SecurityWarning, "MISSING_GITHUB_REPO_CONDITION_KEY", s.index, stmtPath(s, "Principal.Federated"), fv.pos,
			"no condition on token.actions.githubusercontent.com:sub: a workflow of any GitHub repository may assume this role",
			`add "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:OWNER/REPO:ref:refs/heads/main"}`, pageGitHub)
		return
	}
	old, immutable := false, false
	for _, cd := range subs {
		for _, v := range cd.values {
			owner, _, _ := strings.Cut(strings.TrimPrefix(v, "repo:"), "/")
			if strings.ContainsAny(owner, "*?") || !strings.HasPrefix(v, "repo:") && strings.ContainsAny(v, "*?") {
				c.add(SecurityWarning, "GITHUB_SUBJECT_OWNER_WILDCARD", s.index, stmtPath(s, "Condition"), cd.pos,
					fmt.Sprintf("the sub pattern %q has a wildcard before the repository owner: workflows of other owners match it", v),
					"start the pattern with repo:OWNER/", pageGitHubSub)
				continue
			}
			if strings.ContainsAny(v, "*?") && cd.base() == "StringLike" {
				c.add(Warning, "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", s.index, stmtPath(s, "Condition"), cd.pos,
					fmt.Sprintf("the sub pattern %q matches every branch, tag, environment or pull request of the repository", v),
					"name a branch or environment: repo:OWNER/REPO:ref:refs/heads/main or repo:OWNER/REPO:environment:production", pageChecks)
			}
			if strings.Contains(owner, "@") {
				immutable = true
			} else if strings.HasPrefix(v, "repo:") {
				old = true
			}
		}
	}
	if old && !immutable {
		c.add(Suggestion, "GITHUB_IMMUTABLE_SUBJECT", s.index, stmtPath(s, "Condition"), subs[0].pos,
			"GitHub can issue subjects with immutable owner and repository IDs (repo:OWNER@ID/REPO@ID:...); once an organization turns them on, this condition stops matching",
			"list the immutable form beside the current one", pageGitHubSub)
	}
}

// identity runs the identity policy checks of one statement.
func (c *checker) identity(s *statement) {
	if s.effect != "Allow" || !s.allows("iam:passrole") {
		return
	}
	passedTo := s.hasCondition(func(k string) bool { return k == "iam:passedtoservice" })
	switch {
	case slices.ContainsFunc(s.resource, func(l located) bool { return l.s == "*" }) && !passedTo:
		c.add(SecurityWarning, "PASS_ROLE_WITH_STAR_IN_RESOURCE", s.index, stmtPath(s, "Resource"), s.resourcePos,
			"iam:PassRole on every role lets the principal give any role, an administrator's included, to a service it controls",
			`name the roles, or add "Condition": {"StringEquals": {"iam:PassedToService": "<service>"}}`, pagePassRole)
	case s.hasNotRes && !passedTo:
		c.add(SecurityWarning, "PASS_ROLE_WITH_STAR_IN_NOTRESOURCE", s.index, stmtPath(s, "NotResource"), s.notResPos,
			"iam:PassRole with NotResource allows passing every role not listed",
			"list the roles in Resource instead", pagePassRole)
	}
	if s.notAction != nil || slices.ContainsFunc(s.action, func(l located) bool {
		a := strings.ToLower(l.s)
		return a != "iam:passrole" && strings.ContainsAny(a, "*?")
	}) {
		if slices.ContainsFunc(s.resource, func(l located) bool { return l.s == "*" }) || s.hasNotRes {
			c.add(SecurityWarning, "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", s.index, stmtPath(s, "Action"), s.actionPos,
				"a wildcard action includes iam:PassRole, here on every role",
				"allow iam:PassRole on named roles in a statement of its own", pagePassRole)
		}
	}
}

// singleValued are context keys with one value per request, where
// ForAllValues and ForAnyValue do not belong (a partial list: the keys of
// trust policies and the common global ones).
var singleValued = map[string]bool{
	"aws:sourcearn": true, "aws:sourceaccount": true, "aws:principalarn": true, "aws:principalaccount": true,
	"aws:principalorgid": true, "aws:sourceip": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:username": true,
	"aws:userid": true, "aws:requestedregion": true, "aws:securetransport": true, "aws:multifactorauthpresent": true,
	"aws:federatedprovider": true, "sts:externalid": true, "sts:rolesessionname": true, "sts:sourceidentity": true,
	"saml:sub": true, "saml:sub_type": true, "saml:aud": true, "saml:iss": true, "saml:namequalifier": true, "saml:doc": true,
	"token.actions.githubusercontent.com:sub": true, "token.actions.githubusercontent.com:aud": true,
}

// any runs the checks of every policy type on one statement.
func (c *checker) any(s *statement) {
	if s.notPrincipal != nil && s.effect == "Allow" && c.typ != policy.Trust {
		c.add(SecurityWarning, "ALLOW_WITH_NOTPRINCIPAL", s.index, stmtPath(s, "NotPrincipal"), s.notPrincipal.pos,
			"Allow with NotPrincipal allows every principal not listed, anonymous users included",
			"name the principals in Principal instead", pageChecks)
	}
	for _, cd := range s.conditions {
		key := strings.ToLower(cd.key)
		if q := cd.qualifier(); q != "" && singleValued[key] {
			c.add(SecurityWarning, "FORALLVALUES_WITH_SINGLE_VALUED_KEY", s.index, stmtPath(s, "Condition"), cd.pos,
				fmt.Sprintf("%s with %s, a single-valued key: the set operator is meant for multivalued keys", q, cd.key),
				"drop "+q+":", pageMultivalued)
			if q == "ForAllValues" && s.effect == "Allow" {
				continue
			}
		}
		switch {
		case s.effect == "Deny" && !cd.ifExists() && cd.base() != "Null" && !negated(cd.base()) && cd.qualifier() != "ForAllValues" && oftenAbsent(key):
			c.add(Warning, "VACUOUS_DENY", s.index, stmtPath(s, "Condition"), cd.pos,
				fmt.Sprintf("%s on %s is false when the request has no %s, so this Deny does not apply to such requests (for example, aws:MultiFactorAuthPresent is absent from requests signed with long-term keys)", cd.op, cd.key, cd.key),
				fmt.Sprintf(`use %sIfExists, or add "Null": {"%s": "true"} in a Deny of its own`, cd.op, cd.key), pageMFAIfExists)
		case s.effect == "Allow" && cd.qualifier() == "ForAllValues" && !negated(cd.base()) && !s.hasNull(key):
			c.add(SecurityWarning, "FORALLVALUES_ALLOWS_MISSING_KEY", s.index, stmtPath(s, "Condition"), cd.pos,
				fmt.Sprintf("ForAllValues is true when the request has no %s at all, so this Allow applies to requests without it", cd.key),
				fmt.Sprintf(`add "Null": {"%s": "false"} to the condition`, cd.key), pageMultivalued)
		}
	}
}

// negated reports whether op is one of the negated operators, true on a
// missing key.
func negated(op string) bool { return strings.Contains(op, "Not") }

// oftenAbsent reports whether a request may well lack key: the keys AWS
// documents as present only in some requests.
func oftenAbsent(key string) bool {
	switch key {
	case "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:sourcevpc", "aws:sourcevpce", "aws:vpcsourceip",
		"aws:sourcearn", "aws:sourceaccount", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:tagkeys",
		"aws:principalorgid", "aws:principalorgpaths", "aws:sourceidentity", "aws:tokenissuetime", "aws:viaawsservice":
		return true
	}
	return strings.HasPrefix(key, "aws:resourcetag/") || strings.HasPrefix(key, "aws:requesttag/") || strings.HasPrefix(key, "aws:principaltag/")
}

// hasNull reports whether the statement has a Null condition on key.
func (s *statement) hasNull(key string) bool {
	for _, c := range s.conditions {
		if c.op == "Null" && strings.EqualFold(c.key, key) {
			return true
		}
	}
	return false
}

// accountOf returns the account of an AWS principal value (an account ID
// or an ARN), or "".
func accountOf(v string) string {
	if principal.IsAccountID(v) {
		return v
	}
	if a, err := principal.ParseARN(v); err == nil {
		return a.Account
	}
	return ""
}

func isRoot(v string) bool { return principal.IsAccountID(v) || strings.HasSuffix(v, ":root") }
