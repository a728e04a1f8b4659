package main

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
)

const ssoUsage = `Usage: iamkit sso login --profile NAME [--endpoint-url URL] [--timeout 10m]
       iamkit sso login --start-url URL --region REGION [--session-name NAME] --endpoint-url URL
       iamkit sso login ... --print-config PROFILE --account-id ID --role-name NAME

Signs in to IAM Identity Center as "aws sso login" does, against "iamkit
serve" (or any endpoint speaking SSO OIDC): registers a client, starts a
device authorization, prints the page and code to approve in a browser,
waits for the approval, and writes the token to the cache the AWS CLI and
SDKs read (~/.aws/sso/cache/SHA1.json: accessToken, expiresAt,
refreshToken, clientId, clientSecret, registrationExpiresAt, region,
startUrl), keyed by the sso-session name and by the start URL, so that
profiles of either form (and AWS CLI v1, which cannot log in itself) use it.

  --profile NAME        read sso_session / sso_start_url / sso_region of this
                        profile in AWS_CONFIG_FILE (default ~/.aws/config)
  --start-url, --region the start URL and the Identity Center's Region, instead
  --session-name NAME   the sso-session name the token is cached under
                        (default: the profile's sso_session, else iamkit)
  --endpoint-url URL    the SSO OIDC endpoint (default: the profile's services
                        section, then AWS_ENDPOINT_URL_SSO_OIDC, then
                        AWS_ENDPOINT_URL)
  --timeout D           how long to wait for the approval (default 10m)
  --print-config NAME   print an [sso-session] and a [profile NAME] for the AWS
                        config file (with --account-id and --role-name, and the
                        endpoints in a services section) instead of signing in
`

// ssoCache is the token cache file the AWS CLI v2 writes
// (botocore's SSOTokenLoader reads it; aws-sdk-go-v2's ssocreds too).
type ssoCache struct {
	StartURL              string `json:"startUrl"`
	Region                string `json:"region"`
	AccessToken           string `json:"accessToken"`
	ExpiresAt             string `json:"expiresAt"`
	ClientID              string `json:"clientId,omitempty"`
	ClientSecret          string `json:"clientSecret,omitempty"`
	RegistrationExpiresAt string `json:"registrationExpiresAt,omitempty"`
	RefreshToken          string `json:"refreshToken,omitempty"`
}

// runSSO implements "iamkit sso".
func runSSO(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	const cmd = "sso login"
	if len(args) == 0 || args[0] != "login" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprint(stdout, ssoUsage)
			return 0
		}
		return usageError(stderr, "sso", "the only sso command is login")
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	profile := fs.String("profile", "", "")
	startURL := fs.String("start-url", "", "")
	region := fs.String("region", "", "")
	session := fs.String("session-name", "", "")
	endpoint := fs.String("endpoint-url", "", "")
	timeout := fs.Duration("timeout", 10*time.Minute, "")
	printConfig := fs.String("print-config", "", "")
	accountID := fs.String("account-id", "", "")
	roleName := fs.String("role-name", "", "")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, ssoUsage)
			return 0
		}
		return usageError(stderr, "sso", err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "sso", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *profile != "" {
		cfg, err := readAWSConfig(getenv)
		if err != nil {
			fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
			return 2
		}
		p, ok := cfg["profile "+*profile]
		if !ok && *profile == "default" {
			p, ok = cfg["default"]
		}
		if !ok {
			return usageError(stderr, "sso", fmt.Sprintf("no profile %q in the AWS config file", *profile))
		}
		if svc := p["services"]; svc != "" {
			*endpoint = orDefault(*endpoint, cfg["services "+svc]["sso-oidc.endpoint_url"])
		}
		if s := p["sso_session"]; s != "" {
			sess, ok := cfg["sso-session "+s]
			if !ok {
				return usageError(stderr, "sso", fmt.Sprintf("profile %q names sso_session %q, which the config file does not define", *profile, s))
			}
			*session = orDefault(*session, s)
			*startURL = orDefault(*startURL, sess["sso_start_url"])
			*region = orDefault(*region, sess["sso_region"])
		} else {
			*startURL = orDefault(*startURL, p["sso_start_url"])
			*region = orDefault(*region, p["sso_region"])
		}
	}
	*endpoint = orDefault(*endpoint, getenv("AWS_ENDPOINT_URL_SSO_OIDC"), getenv("AWS_ENDPOINT_URL"))
	*session = orDefault(*session, "iamkit")
	switch {
	case *startURL == "" || *region == "":
		return usageError(stderr, "sso", "the start URL and Region are needed: give --profile NAME (with sso_start_url and sso_region) or --start-url and --region")
	case *endpoint == "":
		return usageError(stderr, "sso", "no SSO OIDC endpoint: give --endpoint-url (iamkit serve's address) or set AWS_ENDPOINT_URL_SSO_OIDC")
	}
	if *printConfig != "" {
		if *accountID == "" || *roleName == "" {
			return usageError(stderr, "sso", "--print-config needs --account-id and --role-name")
		}
		fmt.Fprintf(stdout, "[sso-session %s]\nsso_start_url = %s\nsso_region = %s\nsso_registration_scopes = sso:account:access\n\n", *session, *startURL, *region)
		fmt.Fprintf(stdout, "[profile %s]\nsso_session = %s\nsso_account_id = %s\nsso_role_name = %s\nregion = %s\nservices = %s\n\n", *printConfig, *session, *accountID, *roleName, *region, *session)
		fmt.Fprintf(stdout, "[services %s]\nsso =\n  endpoint_url = %s\nsso-oidc =\n  endpoint_url = %s\nsts =\n  endpoint_url = %s\n", *session, *endpoint, *endpoint, *endpoint)
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	client := ssooidc.New(ssooidc.Options{Region: *region, BaseEndpoint: aws.String(*endpoint)})
	reg, err := client.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("iamkit"), ClientType: aws.String("public"),
		Scopes: []string{"sso:account:access"}})
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: RegisterClient: %v\n", cmd, err)
		return 1
	}
	dev, err := client.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(*startURL)})
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: %s: StartDeviceAuthorization: %v\n", cmd, err)
		return 1
	}
	fmt.Fprintf(stdout, "Open this page in a browser and approve the code %s:\n%s\n", aws.ToString(dev.UserCode), aws.ToString(dev.VerificationUriComplete))
	interval := time.Duration(max(dev.Interval, 1)) * time.Second
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintf(stderr, "iamkit: %s: no approval within %v\n", cmd, *timeout)
			return 1
		case <-time.After(interval):
		}
		tok, err := client.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
			DeviceCode: dev.DeviceCode, GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code")})
		var pending *types.AuthorizationPendingException
		var slow *types.SlowDownException
		switch {
		case errors.As(err, &pending):
			continue
		case errors.As(err, &slow):
			interval += 5 * time.Second // RFC 8628 §3.5
			continue
		case err != nil:
			fmt.Fprintf(stderr, "iamkit: %s: CreateToken: %v\n", cmd, err)
			return 1
		}
		now := time.Now().UTC()
		c := ssoCache{StartURL: *startURL, Region: *region, AccessToken: aws.ToString(tok.AccessToken),
			ExpiresAt: now.Add(time.Duration(tok.ExpiresIn) * time.Second).Format(time.RFC3339),
			ClientID:  aws.ToString(reg.ClientId), ClientSecret: aws.ToString(reg.ClientSecret),
			RegistrationExpiresAt: time.Unix(reg.ClientSecretExpiresAt, 0).UTC().Format(time.RFC3339),
			RefreshToken:          aws.ToString(tok.RefreshToken)}
		dir, err := ssoCacheDir(getenv)
		if err == nil {
			// By session name (sso-session profiles, CLI v2 and the SDKs)
			// and by start URL (legacy profiles, CLI v1).
			err = writeSSOCache(filepath.Join(dir, ssoCacheName(*session)), c)
			if err == nil {
				err = writeSSOCache(filepath.Join(dir, ssoCacheName(*startURL)), c)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "iamkit: %s: writing the token cache: %v\n", cmd, err)
			return 1
		}
		fmt.Fprintf(stdout, "Signed in to %s; the token is cached until %s.\n", *startURL, c.ExpiresAt)
		return 0
	}
}

// ssoCacheName is the cache file of a session name or start URL: the hex
// SHA-1 of it, as botocore and the SDKs name it.
func ssoCacheName(key string) string {
	sum := sha1.Sum([]byte(key))
	return hex.EncodeToString(sum[:]) + ".json"
}

func ssoCacheDir(getenv func(string) string) (string, error) {
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		home = h
	}
	dir := filepath.Join(home, ".aws", "sso", "cache")
	return dir, os.MkdirAll(dir, 0o700)
}

// writeSSOCache writes the cache file readable by its owner only: it holds
// the tokens.
func writeSSOCache(path string, c ssoCache) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// readAWSConfig reads the AWS config file's sections (a small INI reader:
// "key = value" lines, nested values by indentation kept as one string).
func readAWSConfig(getenv func(string) string) (map[string]map[string]string, error) {
	name := getenv("AWS_CONFIG_FILE")
	if name == "" {
		home := getenv("HOME")
		if home == "" {
			return nil, errors.New("no AWS_CONFIG_FILE and no HOME")
		}
		name = filepath.Join(home, ".aws", "config")
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]string{}
	var cur map[string]string
	parent := "" // the key of an empty value, whose indented lines are nested
	for _, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			cur, parent = map[string]string{}, ""
			out[strings.Join(strings.Fields(t[1:len(t)-1]), " ")] = cur
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if cur == nil || !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if line[0] == ' ' || line[0] == '\t' {
			if parent != "" {
				cur[parent+"."+k] = v // services: "sso-oidc.endpoint_url"
			}
			continue
		}
		cur[k] = v
		parent = ""
		if v == "" {
			parent = k
		}
	}
	return out, nil
}

func orDefault(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
