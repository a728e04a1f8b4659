package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iamkit/iamkit/credentials"
	"github.com/iamkit/iamkit/jwks"
	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/ssoapi"
	"github.com/iamkit/iamkit/sts"
	"github.com/iamkit/iamkit/stsapi"
	"github.com/iamkit/iamkit/world"
)

const serveUsage = `Usage: iamkit serve [--world FILE] [--addr 127.0.0.1:8080] [--region us-east-1]
                   [--allow-remote --tls-cert FILE --tls-key FILE]
                   [--imds ADDR --instance-profile ARN [--instance-id ID] [--imds-v1]]
                   [--container ADDR --role ARN [--task-id ID] [--auth-token-file FILE]]

Serves the AWS STS Query API for the accounts of a world file, so the AWS
SDKs, the AWS CLI and boto3 can call it (point them at it with
--endpoint-url, AWS_ENDPOINT_URL_STS or BaseEndpoint). Every call is
signed with SigV4 except AssumeRoleWithWebIdentity, which is verified by
its token: the world's OIDC providers' inline keys, or keys fetched from the
provider's OIDC discovery document (cached; "iamkit mint oidc" signs tokens
with a world's test issuers).

  --world FILE      the world file (default: the built-in world, whose keys
                    are public; see "go doc github.com/iamkit/iamkit/cmd/iamkit")
  --addr HOST:PORT  where to listen (default 127.0.0.1:8080)
  --region REGION   the region this endpoint is (default us-east-1)
  --allow-remote    allow an address other than loopback; needs a --world
                    of your own (never the built-in one, whose keys are
                    public) and TLS
  --tls-cert FILE   serve HTTPS with this PEM certificate (chain)
  --tls-key FILE    and this PEM private key
  --imds ADDR       also serve the EC2 instance metadata service (IMDSv2)
                    on this loopback address for the role of the instance
                    profile --instance-profile, as instance --instance-id
                    (default i-0123456789abcdef0); point the SDKs at it with
                    AWS_EC2_METADATA_SERVICE_ENDPOINT=http://ADDR/
  --imds-v1         also answer IMDSv1 (no session token), with a warning
                    logged for every such request
  --container ADDR  also serve the ECS container credentials endpoint on
                    this loopback address: sessions of the task role
                    --role, assumed by ecs-tasks.amazonaws.com and named
                    after --task-id (default 0123456789abcdef0123456789abcdef);
                    point the SDKs at it with
                    AWS_CONTAINER_CREDENTIALS_FULL_URI=http://ADDR/
  --auth-token-file FILE  require the token in FILE as the Authorization
                    header (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE for the
                    SDKs); --auth-token TOKEN gives it inline, visible to
                    other users of this machine

Each request is logged to standard error: method, action, status and
request ID, never credentials. SIGINT or SIGTERM stops the server after the
requests in flight.
`

// Serve defaults.
const (
	defaultAddr   = "127.0.0.1:8080"
	defaultRegion = "us-east-1"
	// shutdownGrace is how long requests in flight may take to finish.
	shutdownGrace = 10 * time.Second
	// defaultInstanceID is the EC2 instance ID --imds serves.
	defaultInstanceID = "i-0123456789abcdef0"
	// defaultTaskID is the ECS task ID --container names sessions after.
	defaultTaskID = "0123456789abcdef0123456789abcdef"
	// maxHeaderBytes bounds a request's headers (a SigV4 request with a
	// session token needs a few KiB).
	maxHeaderBytes = 64 << 10
)

// Server timeouts: a client that sends its headers or body slowly, or
// reads the answer slowly, is cut off instead of holding a connection
// (and its buffers) open indefinitely. Variables so that tests can
// shorten them.
var (
	serveReadHeaderTimeout = 10 * time.Second
	serveReadTimeout       = 30 * time.Second
	serveWriteTimeout      = 30 * time.Second
	serveIdleTimeout       = 2 * time.Minute
)

// runServe implements "iamkit serve"; it runs until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal kills the process as usual
	}()
	return serveMain(ctx, args, stdout, stderr, nil)
}

// serveMain is "iamkit serve" until ctx is done. ready, if not nil, is
// called with the listening address once the server accepts connections.
func serveMain(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr net.Addr)) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	worldFile := fs.String("world", "", "")
	addr := fs.String("addr", defaultAddr, "")
	region := fs.String("region", defaultRegion, "")
	allowRemote := fs.Bool("allow-remote", false, "")
	tlsCert := fs.String("tls-cert", "", "")
	tlsKey := fs.String("tls-key", "", "")
	imds := fs.String("imds", "", "")
	profile := fs.String("instance-profile", "", "")
	instanceID := fs.String("instance-id", defaultInstanceID, "")
	imdsV1 := fs.Bool("imds-v1", false, "")
	container := fs.String("container", "", "")
	taskRole := fs.String("role", "", "")
	taskID := fs.String("task-id", defaultTaskID, "")
	authToken := fs.String("auth-token", "", "")
	authTokenFile := fs.String("auth-token-file", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, serveUsage)
			return 0
		}
		return usageError(stderr, "serve", err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "serve", fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	if *region == "" {
		return usageError(stderr, "serve", "--region must not be empty")
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return usageError(stderr, "serve", "--tls-cert and --tls-key go together")
	}
	useTLS := *tlsCert != ""
	if !*allowRemote {
		if err := checkLoopback(*addr); err != nil {
			return usageError(stderr, "serve", err.Error())
		}
	} else if !useTLS {
		// STS is HTTPS-only: off this host, session tokens and signed
		// requests must not travel in clear.
		return usageError(stderr, "serve", "--allow-remote needs --tls-cert and --tls-key: STS is served over HTTPS only")
	}
	w, err := world.LoadFile(*worldFile)
	if err != nil {
		printWorldError(stderr, "serve", err)
		return 2
	}
	if *allowRemote && w.IsDefault() {
		fmt.Fprintln(stderr, "iamkit: serve: refusing --allow-remote: the world is the built-in one, or holds one of its public keys (keyRing secret or test issuer signing key), so anyone could seal session tokens or sign identity tokens for it; give a --world with secret keys of your own")
		return 2
	}
	if w.KeyRing() == nil {
		fmt.Fprintln(stderr, "iamkit: serve: the world has no keyRing: using a random key, so only this process can verify the session tokens it issues")
	}
	issuer, err := serveIssuer(w, *region)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: %v\n", err)
		return 1
	}
	h, err := newEndpointHandler(w, issuer, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: %v\n", err)
		return 1
	}
	var side []sideEndpoint
	if *imds != "" {
		ep, code := imdsEndpoint(stderr, w, issuer, *imds, *profile, *instanceID, *imdsV1)
		if code != 0 {
			return code
		}
		side = append(side, ep)
	} else if *profile != "" || *imdsV1 {
		return usageError(stderr, "serve", "--instance-profile and --imds-v1 go with --imds ADDR")
	}
	if *container != "" {
		ep, code := containerEndpoint(stderr, issuer, *container, *taskRole, *taskID, *authToken, *authTokenFile)
		if code != 0 {
			return code
		}
		side = append(side, ep)
	}
	for _, ep := range side {
		ln, err := net.Listen("tcp", ep.addr)
		if err != nil {
			fmt.Fprintf(stderr, "iamkit: serve: %s: %v\n", ep.name, err)
			return 1
		}
		srv := newHTTPServer(ep.handler, stderr)
		defer srv.Close()
		go func() { _ = srv.Serve(ln) }()
		fmt.Fprintf(stderr, "iamkit: serve: %s http://%s%s (%s)\n", ep.name, ln.Addr(), ep.path, ep.hint(ln.Addr().String()))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: %v\n", err)
		return 1
	}
	worldName := *worldFile
	if worldName == "" {
		worldName = world.DefaultName + " (public keys: for local use only)"
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	fmt.Fprintf(stderr, "iamkit: serve: STS endpoint %s://%s (region %s, world %s)\n", scheme, ln.Addr(), *region, worldName)
	srv := newHTTPServer(h, stderr)
	if useTLS {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			ln.Close()
			// The error names the files, never their contents.
			fmt.Fprintf(stderr, "iamkit: serve: --tls-cert/--tls-key: %v\n", err)
			return 2
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	done := make(chan error, 1)
	go func() {
		if useTLS {
			done <- srv.ServeTLS(ln, "", "")
		} else {
			done <- srv.Serve(ln)
		}
	}()
	if ready != nil {
		ready(ln.Addr())
	}
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "iamkit: serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "iamkit: serve: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: shutdown: %v\n", err)
		return 1
	}
	<-done
	return 0
}

// newHTTPServer is an http.Server for handler with serve's timeouts and
// limits.
func newHTTPServer(handler http.Handler, stderr io.Writer) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: serveReadHeaderTimeout,
		ReadTimeout:       serveReadTimeout,
		WriteTimeout:      serveWriteTimeout,
		IdleTimeout:       serveIdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(stderr, "iamkit: serve: ", 0),
	}
}

// A sideEndpoint is a credentials endpoint serve runs beside STS: the
// container credentials endpoint or the instance metadata service.
type sideEndpoint struct {
	name, addr, path string
	handler          http.Handler
	// hint tells the user how to point clients at the endpoint.
	hint func(addr string) string
}

// imdsEndpoint builds the instance metadata service for --imds: IMDSv2
// credentials of the instance profile's role, assumed by ec2.amazonaws.com
// and named after the instance ID, as EC2 does
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-security-credentials.html).
// IMDSv1 is off unless --imds-v1, and then every v1 request is logged as
// a warning: v1 answers anyone who can make the instance send a GET
// (SSRF).
func imdsEndpoint(stderr io.Writer, w *world.World, issuer *sts.Issuer, addr, profileARN, instanceID string, v1 bool) (sideEndpoint, int) {
	const cmd = "serve"
	if profileARN == "" {
		return sideEndpoint{}, usageError(stderr, cmd, "--imds needs --instance-profile ARN")
	}
	if err := checkLoopback(addr); err != nil {
		return sideEndpoint{}, usageError(stderr, cmd, "--imds: "+err.Error()+" (credentials endpoints are served on loopback only)")
	}
	p, err := w.Directory().InstanceProfile(context.Background(), profileARN)
	if err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: --instance-profile %s: not in the world (%v)\n", profileARN, err)
		return sideEndpoint{}, 2
	}
	if p.Role() == "" {
		fmt.Fprintf(stderr, "iamkit: serve: --instance-profile %s holds no role\n", profileARN)
		return sideEndpoint{}, 2
	}
	// Check the role now: one its trust policy refuses to EC2 is a mistake
	// to report at start.
	if _, err := issuer.AssumeRoleForService(context.Background(), "ec2.amazonaws.com", &sts.AssumeRoleInput{RoleArn: p.Role(), RoleSessionName: instanceID}); err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: --instance-profile %s: role %s: %v\n", profileARN, p.Role(), err)
		return sideEndpoint{}, 1
	}
	h, err := credentials.NewIMDSHandler(credentials.IMDSOptions{Issuer: issuer, RoleARN: p.Role(), InstanceID: instanceID, AllowIMDSv1: v1})
	if err != nil {
		return sideEndpoint{}, usageError(stderr, cmd, err.Error())
	}
	if v1 {
		fmt.Fprintln(stderr, "iamkit: serve: warning: --imds-v1 serves metadata without a session token (HttpTokens optional), as the 2019 SSRF breach used it; every such request is logged")
		h = imdsV1Warner{next: h, log: slog.New(slog.NewTextHandler(stderr, nil))}
	}
	return sideEndpoint{name: "instance metadata service", addr: addr, path: "/", handler: h,
		hint: func(a string) string { return "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://" + a + "/" }}, 0
}

// imdsV1Warner logs a warning for every IMDSv1 request: a GET without an
// IMDSv2 session token.
type imdsV1Warner struct {
	next http.Handler
	log  *slog.Logger
}

func (h imdsV1Warner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPut && r.Header.Get("X-aws-ec2-metadata-token") == "" {
		h.log.Warn("IMDSv1 request (no session token)", slog.String("method", r.Method), slog.String("path", credentials.Printable(r.URL.Path)))
	}
	h.next.ServeHTTP(w, r)
}

// ecsTasksService is the service principal of ECS task roles.
const ecsTasksService = "ecs-tasks.amazonaws.com"

// containerEndpoint builds the ECS container credentials endpoint for
// --container: sessions of the task role assumed by ecs-tasks.amazonaws.com,
// named after the task ID, as ECS names them
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
func containerEndpoint(stderr io.Writer, issuer *sts.Issuer, addr, role, taskID, token, tokenFile string) (sideEndpoint, int) {
	const cmd = "serve"
	if role == "" {
		return sideEndpoint{}, usageError(stderr, cmd, "--container needs --role ARN, the task role")
	}
	if err := checkLoopback(addr); err != nil {
		return sideEndpoint{}, usageError(stderr, cmd, "--container: "+err.Error()+" (credentials endpoints are served on loopback only)")
	}
	if token != "" && tokenFile != "" {
		return sideEndpoint{}, usageError(stderr, cmd, "--auth-token and --auth-token-file: give one")
	}
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			return sideEndpoint{}, usageError(stderr, cmd, "--auth-token-file: "+err.Error())
		}
		token = strings.TrimSpace(string(b))
	}
	// ECS names the task and its account in the request, for trust
	// policies that guard against the confused deputy.
	var sourceArn, sourceAccount string
	if a, err := principal.ParseARN(role); err == nil {
		sourceAccount = a.Account
		sourceArn = "arn:" + a.Partition + ":ecs:" + issuer.Region() + ":" + a.Account + ":task/iamkit/" + taskID
	}
	prov := aws.NewCredentialsCache(credentials.NewServiceRoleProvider(issuer, ecsTasksService, role, taskID, 0).WithSource(sourceArn, sourceAccount))
	// Check the role now: a task role its trust policy refuses is a
	// mistake to report at start, not on the first request.
	if _, err := prov.Retrieve(context.Background()); err != nil {
		fmt.Fprintf(stderr, "iamkit: serve: --container --role %s: %v\n", role, err)
		return sideEndpoint{}, 1
	}
	h, err := credentials.NewContainerHandler(credentials.ContainerOptions{Provider: prov, AuthorizationToken: token})
	if err != nil {
		return sideEndpoint{}, usageError(stderr, cmd, err.Error())
	}
	return sideEndpoint{name: "container credentials endpoint", addr: addr, path: "/", handler: h,
		hint: func(a string) string {
			if token != "" {
				return "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://" + a + "/ with AWS_CONTAINER_AUTHORIZATION_TOKEN"
			}
			return "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://" + a + "/"
		}}, 0
}

// checkLoopback refuses a listening address that other hosts can reach:
// the server hands out credentials for a world whose keys may be public.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	if host == "" {
		host = "every interface"
	}
	return fmt.Errorf("--addr %q listens on %s, not a loopback address; pass --allow-remote to serve other hosts", addr, host)
}

// newServeHandler returns the STS endpoint of a world: stsapi's handler
// over an issuer of the world's directory and key ring, logging one line
// per request to logw. A world without a key ring gets a random key.
func newServeHandler(w *world.World, region string, logw io.Writer) (http.Handler, error) {
	issuer, err := serveIssuer(w, region)
	if err != nil {
		return nil, err
	}
	return newEndpointHandler(w, issuer, logw)
}

// newEndpointHandler is what serve answers on --addr: STS, and, for a world
// with an Identity Center, its portal, SSO OIDC and sign-in pages on the
// same address (their paths never collide with STS's POST /).
func newEndpointHandler(w *world.World, issuer *sts.Issuer, logw io.Writer) (http.Handler, error) {
	h, err := newSTSHandler(issuer, logw)
	if err != nil || w.IdentityCenter() == nil {
		return h, err
	}
	sso, err := ssoapi.New(ssoapi.Options{Instance: w.IdentityCenter(), Issuer: issuer, Users: worldSignIn{w}})
	if err != nil {
		return nil, err
	}
	lh := h.(*logHandler)
	lh.sso = sso
	return lh, nil
}

// worldSignIn gives ssoapi the world's Identity Center users' sign-in
// credentials.
type worldSignIn struct{ w *world.World }

func (s worldSignIn) SignInCredential(userName string) (ssoapi.SignInCredential, bool) {
	u, ok := s.w.SignInUser(userName)
	if !ok {
		return ssoapi.SignInCredential{}, false
	}
	return ssoapi.SignInCredential{PasswordHash: u.PasswordHash, TOTPSeed: u.TOTPSeed}, true
}

// ssoOperations name the Identity Center requests in the log, by path:
// fixed text, never the client's.
var ssoOperations = map[string]string{
	"/client/register": "sso-oidc:RegisterClient", "/device_authorization": "sso-oidc:StartDeviceAuthorization",
	"/token": "sso-oidc:CreateToken", "/authorize": "sso-oidc:Authorize",
	"/assignment/accounts": "sso:ListAccounts", "/assignment/roles": "sso:ListAccountRoles",
	"/federation/credentials": "sso:GetRoleCredentials", "/logout": "sso:Logout",
}

// serveIssuer is the issuer serve's endpoints share, so that what one
// hands out the others accept.
func serveIssuer(w *world.World, region string) (*sts.Issuer, error) {
	// Providers without inline keys get theirs by OIDC discovery, cached.
	return w.Issuer(sts.Options{Region: region, KeySource: jwks.New(jwks.Options{})})
}

// newSTSHandler is the STS endpoint over issuer, with its request log.
func newSTSHandler(issuer *sts.Issuer, logw io.Writer) (http.Handler, error) {
	h, err := stsapi.NewHandler(stsapi.Options{Issuer: issuer})
	if err != nil {
		return nil, err
	}
	return &logHandler{next: h, log: slog.New(slog.NewTextHandler(logw, nil))}, nil
}

// logHandler logs each request: method, action, status, request ID and
// duration. It never logs parameters, headers or bodies, which hold
// credentials, session tokens and policies.
type logHandler struct {
	next http.Handler
	log  *slog.Logger
	// sso, when set, serves Identity Center's paths beside STS.
	sso *ssoapi.Server
}

// ServeHTTP serves r with the next handler, then logs it.
func (h *logHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	var action string
	if h.sso != nil && h.sso.Handles(r) {
		h.sso.ServeHTTP(rec, r)
		action = ssoOperations[r.URL.Path]
		if action == "" && strings.HasPrefix(r.URL.Path, "/start/") {
			action = "sso:SignInPage"
		}
	} else {
		ctx, actionRec := stsapi.WithActionRecorder(r.Context())
		h.next.ServeHTTP(rec, r.WithContext(ctx))
		action = actionRec.Action()
	}
	if action == "" {
		action = "-" // none, unknown, or the request failed before its Action was read
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("action", action),
		slog.Int("status", rec.status),
		slog.String("request_id", w.Header().Get("x-amzn-RequestId")),
		slog.Duration("duration", time.Since(start)))
}

// statusRecorder remembers the status a handler answers with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status.
func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200.
func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// printWorldError prints the problems of a world file, one per line.
func printWorldError(stderr io.Writer, cmd string, err error) {
	var we *world.Error
	if errors.As(err, &we) {
		for _, p := range we.Problems {
			fmt.Fprintf(stderr, "iamkit: %s: %s\n", cmd, p)
		}
		return
	}
	fmt.Fprintf(stderr, "iamkit: %s: %v\n", cmd, err)
}
