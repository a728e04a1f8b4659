package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/world"
)

const mintUsage = `Usage: iamkit mint oidc --sub SUB [--aud AUD] [--issuer URL] [--ttl 10m]
                        [--claim NAME=VALUE]... [--world FILE]
       iamkit mint saml --subject NAME --role ROLE_ARN,PROVIDER_ARN
                        [--session-name NAME] [--attribute NAME=VALUE]...
                        [--recipient URL] [--ttl 5m] [--world FILE]

Prints a web identity token (a JWT) signed by a test OIDC issuer of a world
file, for AssumeRoleWithWebIdentity against "iamkit serve" with the same
world:

  aws sts assume-role-with-web-identity --endpoint-url http://127.0.0.1:8080 \
    --role-arn arn:aws:iam::111111111111:role/github-deploy --role-session-name ci \
    --web-identity-token "$(iamkit mint oidc --sub repo:example-org/example-repo:ref:refs/heads/main)"

  --sub SUB            the sub claim (required)
  --aud AUD            the aud claim (default: the provider's first client ID,
                       sts.amazonaws.com for the built-in world)
  --issuer URL         the issuer (default: the world's first test issuer,
                       https://token.actions.githubusercontent.com for the
                       built-in world)
  --ttl D              the token's lifetime, such as 10m (default 10m; at most 24h)
  --claim NAME=VALUE   another claim, repeatable; VALUE is a string, or JSON
                       when it starts with [ or { (e.g. the session tags claim
                       https://aws.amazon.com/tags)
  --world FILE         the world file (default: the built-in world)

mint saml prints a SAML response (base64, the SAMLAssertion parameter)
signed by the test IdP of a world's SAML provider, for AssumeRoleWithSAML:

  aws sts assume-role-with-saml --endpoint-url http://127.0.0.1:8080 \
    --role-arn arn:aws:iam::111111111111:role/saml-engineer \
    --principal-arn arn:aws:iam::111111111111:saml-provider/ExampleCorp \
    --saml-assertion "$(iamkit mint saml --subject jdoe@example.com \
      --role arn:aws:iam::111111111111:role/saml-engineer,arn:aws:iam::111111111111:saml-provider/ExampleCorp \
      --attribute PrincipalTag:team=blue)"

  --subject NAME         the NameID (required; format persistent)
  --role ROLE,PROVIDER   a value of the Role attribute (required, repeatable);
                         the first PROVIDER picks the test IdP
  --session-name NAME    the RoleSessionName attribute (default: the part of
                         --subject before any @)
  --attribute NAME=VALUE another attribute, repeatable (repeat a NAME for
                         several values); the names of AWS's attributes may
                         be short: PrincipalTag:KEY, TransitiveTagKeys,
                         SourceIdentity, SessionDuration
  --recipient URL        the Recipient (default https://signin.aws.amazon.com/saml)
  --ttl D                how long the response may be redeemed (default 5m;
                         at most 1h)
  --world FILE           the world file (default: the built-in world)

Test issuers are oidcProviders with signingKeys, and test IdPs are
samlProviders with a testIdP, in the world file; their private keys are in
the file, so what they sign proves nothing outside local tests. Exit status
2 for usage errors and a world without that issuer or IdP.
`

// maxMintTTL bounds --ttl: test tokens are short-lived like real ones.
const maxMintTTL = 24 * time.Hour

// claimFlags collects repeated --claim NAME=VALUE flags.
type claimFlags []string

func (c *claimFlags) String() string     { return strings.Join(*c, ",") }
func (c *claimFlags) Set(v string) error { *c = append(*c, v); return nil }

// runMint implements "iamkit mint".
func runMint(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	const cmd = "mint"
	if len(args) > 0 && args[0] == "saml" {
		return runMintSAML(args[1:], stdout, stderr, now)
	}
	if len(args) == 0 || args[0] != "oidc" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprint(stdout, mintUsage)
			return 0
		}
		what := "nothing"
		if len(args) > 0 {
			what = fmt.Sprintf("%q", args[0])
		}
		return usageError(stderr, cmd, "mint what? "+what+" is neither oidc nor saml")
	}
	const sub = "mint oidc"
	fs := flag.NewFlagSet(sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	subject := fs.String("sub", "", "")
	aud := fs.String("aud", "", "")
	issuerURL := fs.String("issuer", "", "")
	ttl := fs.String("ttl", "10m", "")
	worldFile := fs.String("world", "", "")
	var claims claimFlags
	fs.Var(&claims, "claim", "")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, mintUsage)
			return 0
		}
		return usageError(stderr, cmd, err.Error())
	}
	lifetime, err := time.ParseDuration(*ttl)
	switch {
	case fs.NArg() > 0:
		return usageError(stderr, cmd, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *subject == "":
		return usageError(stderr, cmd, "--sub SUB is required")
	case err != nil:
		return usageError(stderr, cmd, fmt.Sprintf("--ttl %q is not a duration such as 10m", *ttl))
	case lifetime <= 0 || lifetime > maxMintTTL:
		return usageError(stderr, cmd, fmt.Sprintf("--ttl %v is outside 1s to %v", lifetime, maxMintTTL))
	}
	c := map[string]any{"sub": *subject}
	if *aud != "" {
		c["aud"] = *aud
	}
	for _, kv := range claims {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return usageError(stderr, cmd, fmt.Sprintf("--claim %q is not NAME=VALUE", kv))
		}
		switch name {
		case "iss", "iat", "exp":
			return usageError(stderr, cmd, fmt.Sprintf("--claim %s: the issuer sets %s", name, name))
		case "sub", "aud":
			return usageError(stderr, cmd, fmt.Sprintf("--claim %s: use --%s", name, name))
		}
		v, err := claimValue(value)
		if err != nil {
			return usageError(stderr, cmd, fmt.Sprintf("--claim %s: %v", name, err))
		}
		c[name] = v
	}
	w, err := world.LoadFile(*worldFile)
	if err != nil {
		printWorldError(stderr, cmd, err)
		return 2
	}
	is, ok := w.TestOIDCIssuer(*issuerURL)
	if !ok {
		var urls []string
		for _, is := range w.TestOIDCIssuers() {
			urls = append(urls, is.Provider().URL)
		}
		known := "it has none (an oidcProviders entry with signingKeys)"
		if len(urls) > 0 {
			known = "it has " + strings.Join(urls, ", ")
		}
		if *issuerURL == "" {
			fmt.Fprintf(stderr, "iamkit: %s: %s has no test OIDC issuer: %s\n", sub, w.Name(), known)
		} else {
			fmt.Fprintf(stderr, "iamkit: %s: %s has no test OIDC issuer %q: %s\n", sub, w.Name(), *issuerURL, known)
		}
		return 2
	}
	tok, err := is.Mint(c, now().Truncate(time.Second), lifetime)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: %v\n", sub, err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	return 0
}

// claimValue is VALUE of --claim NAME=VALUE: JSON when it starts with [ or
// {, else the string itself.
func claimValue(s string) (any, error) {
	if !strings.HasPrefix(s, "[") && !strings.HasPrefix(s, "{") {
		return s, nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("the value starts with %c but is not JSON: %v", s[0], err)
	}
	return v, nil
}

// maxMintSAMLTTL bounds mint saml's --ttl: AWS redeems a response only
// within 5 minutes of its issue, and a test never needs an hour.
const maxMintSAMLTTL = time.Hour

// awsSAMLAttribute is the prefix of AWS's own SAML attribute names
// (id_roles_providers_create_saml_assertions.html).
const awsSAMLAttribute = "https://aws.amazon.com/SAML/Attributes/"

// runMintSAML implements "iamkit mint saml".
func runMintSAML(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	const cmd = "mint saml"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	subject := fs.String("subject", "", "")
	sessionName := fs.String("session-name", "", "")
	recipient := fs.String("recipient", "", "")
	ttl := fs.String("ttl", "5m", "")
	worldFile := fs.String("world", "", "")
	var roles, attrs claimFlags
	fs.Var(&roles, "role", "")
	fs.Var(&attrs, "attribute", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, mintUsage)
			return 0
		}
		return usageError(stderr, "mint", err.Error())
	}
	lifetime, err := time.ParseDuration(*ttl)
	switch {
	case fs.NArg() > 0:
		return usageError(stderr, "mint", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *subject == "":
		return usageError(stderr, "mint", "--subject NAME is required")
	case len(roles) == 0:
		return usageError(stderr, "mint", "--role ROLE_ARN,PROVIDER_ARN is required")
	case err != nil:
		return usageError(stderr, "mint", fmt.Sprintf("--ttl %q is not a duration such as 5m", *ttl))
	case lifetime <= 0 || lifetime > maxMintSAMLTTL:
		return usageError(stderr, "mint", fmt.Sprintf("--ttl %v is outside 1s to %v", lifetime, maxMintSAMLTTL))
	}
	opt := federation.SAMLResponseOptions{NameID: *subject, RoleSessionName: *sessionName, Recipient: *recipient, Lifetime: lifetime}
	if opt.RoleSessionName == "" {
		opt.RoleSessionName, _, _ = strings.Cut(*subject, "@")
	}
	for _, r := range roles {
		role, prov, ok := strings.Cut(r, ",")
		if !ok || !strings.Contains(role, ":role/") || !strings.Contains(prov, ":saml-provider/") {
			return usageError(stderr, "mint", fmt.Sprintf("--role %q is not ROLE_ARN,PROVIDER_ARN (arn:aws:iam::ACCOUNT:role/NAME,arn:aws:iam::ACCOUNT:saml-provider/NAME)", r))
		}
		opt.Roles = append(opt.Roles, federation.SAMLRole{RoleARN: role, ProviderARN: prov})
	}
	values := map[string][]string{}
	var order []string
	for _, kv := range attrs {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return usageError(stderr, "mint", fmt.Sprintf("--attribute %q is not NAME=VALUE", kv))
		}
		switch short := strings.TrimPrefix(name, awsSAMLAttribute); {
		case short == "Role" || short == "RoleSessionName":
			return usageError(stderr, "mint", fmt.Sprintf("--attribute %s: use --%s", short, map[string]string{"Role": "role", "RoleSessionName": "session-name"}[short]))
		case strings.HasPrefix(short, "PrincipalTag:") || short == "TransitiveTagKeys" || short == "SourceIdentity" || short == "SessionDuration":
			name = awsSAMLAttribute + short
		}
		if _, seen := values[name]; !seen {
			order = append(order, name)
		}
		values[name] = append(values[name], value)
	}
	for _, name := range order {
		opt.Attributes = append(opt.Attributes, federation.SAMLAttribute{Name: name, Values: values[name]})
	}
	w, err := world.LoadFile(*worldFile)
	if err != nil {
		printWorldError(stderr, "mint", err)
		return 2
	}
	idp, ok := w.TestSAMLIdP(opt.Roles[0].ProviderARN)
	if !ok {
		var arns []string
		for _, t := range w.TestSAMLIdPs() {
			arns = append(arns, t.Provider.ARN)
		}
		known := "it has none (a samlProviders entry with a testIdP)"
		if len(arns) > 0 {
			known = "it has " + strings.Join(arns, ", ")
		}
		fmt.Fprintf(stderr, "iamkit: %s: %s has no test SAML IdP for %q: %s\n", cmd, w.Name(), opt.Roles[0].ProviderARN, known)
		return 2
	}
	resp, err := idp.IdP.Response(opt, now())
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintln(stdout, resp)
	return 0
}
