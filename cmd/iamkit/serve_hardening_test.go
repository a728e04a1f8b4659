package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iamkit/iamkit/world"
)

// startServe runs serveMain with args and returns its address, or the exit
// code and stderr when it exits first.
func startServe(t *testing.T, args ...string) (addr string, code int, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	exit := make(chan int, 1)
	stderr = &syncBuffer{}
	var stdout syncBuffer
	go func() { exit <- serveMain(ctx, args, &stdout, stderr, func(a net.Addr) { addrc <- a }) }()
	select {
	case a := <-addrc:
		t.Cleanup(func() {
			cancel()
			select {
			case <-exit:
			case <-time.After(15 * time.Second):
				t.Error("serve did not shut down")
			}
		})
		return a.String(), -1, stderr
	case code := <-exit:
		cancel()
		return "", code, stderr
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	return "", 0, nil
}

// ownWorld writes the built-in world with a key ring of its own: not the
// default world, so it may be served off-host.
func ownWorld(t *testing.T) string {
	t.Helper()
	return writeOwnWorld(t, true)
}

// writeOwnWorld writes the default world with a key ring of its own and,
// when dropTestIssuers, without the default world's test identity
// providers (whose private keys are public too).
func writeOwnWorld(t *testing.T, dropTestIssuers bool) string {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal(world.DefaultJSON(), &w); err != nil {
		t.Fatal(err)
	}
	w["keyRing"] = []any{map[string]any{"id": 1, "secret": "b3duLWtleS1vZi10aGlzLXRlc3Qtd29ybGQtMDAwMDA="}}
	if dropTestIssuers {
		delete(w, "oidcProviders")
		delete(w, "samlProviders")
		delete(w, "identityCenter") // its users' passwords are public
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "world.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeOwnWorldKeeping writes the default world with a key ring of its own
// and, of its test identity providers, only the section keep.
func writeOwnWorldKeeping(t *testing.T, keep string) string {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal(world.DefaultJSON(), &w); err != nil {
		t.Fatal(err)
	}
	w["keyRing"] = []any{map[string]any{"id": 1, "secret": "b3duLWtleS1vZi10aGlzLXRlc3Qtd29ybGQtMDAwMDA="}}
	for _, section := range []string{"oidcProviders", "samlProviders", "identityCenter"} {
		if section != keep {
			delete(w, section)
		}
	}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "world.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "iamkit test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeRemoteNeedsOwnWorldAndTLS: off this host, serve only a world
// whose keys are secret, and only over HTTPS (STS endpoints are HTTPS:
// https://docs.aws.amazon.com/general/latest/gr/sts.html).
func TestServeRemoteNeedsOwnWorldAndTLS(t *testing.T) {
	cert, key, pool := selfSigned(t)
	own := ownWorld(t)
	tests := []struct {
		name string
		args []string
		want string // in stderr; "" means it serves
	}{
		{"remote without TLS", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--world", own}, "--allow-remote needs --tls-cert and --tls-key"},
		{"remote with the built-in world", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--tls-cert", cert, "--tls-key", key}, "refusing --allow-remote"},
		{"remote with a world holding the built-in key", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--tls-cert", cert, "--tls-key", key, "--world", "../../examples/worlds/default.json"}, "refusing --allow-remote"},
		{"remote with a world holding the built-in test OIDC issuer's key", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--tls-cert", cert, "--tls-key", key, "--world", writeOwnWorld(t, false)}, "refusing --allow-remote"},
		{"remote with a world holding the built-in test SAML IdP", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--tls-cert", cert, "--tls-key", key, "--world", writeOwnWorldKeeping(t, "samlProviders")}, "refusing --allow-remote"},
		{"remote with a world holding the built-in Identity Center users", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--tls-cert", cert, "--tls-key", key, "--world", writeOwnWorldKeeping(t, "identityCenter")}, "refusing --allow-remote"},
		{"cert without key", []string{"--addr", "127.0.0.1:0", "--tls-cert", cert}, "--tls-cert and --tls-key go together"},
		{"unreadable key", []string{"--addr", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", cert}, "--tls-cert/--tls-key"},
		{"remote, own world, TLS", []string{"--addr", "127.0.0.1:0", "--allow-remote", "--tls-cert", cert, "--tls-key", key, "--world", own}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, code, stderr := startServe(t, tc.args...)
			if tc.want != "" {
				if code != 2 || !strings.Contains(stderr.String(), tc.want) {
					t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), tc.want)
				}
				return
			}
			if addr == "" {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
			id, err := stsClient("https://"+addr, hc, aliceKeyID, aliceSecret, "").GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(id.Arn) != aliceARN {
				t.Errorf("GetCallerIdentity = %s", aws.ToString(id.Arn))
			}
			if !strings.Contains(stderr.String(), "STS endpoint https://") {
				t.Errorf("stderr does not announce https: %s", stderr.String())
			}
		})
	}
}

// TestServeDropsSlowBodies: a body sent slower than the read timeout is
// cut off, so unauthenticated slow clients cannot hold connections open.
func TestServeDropsSlowBodies(t *testing.T) {
	old := serveReadTimeout
	serveReadTimeout = 300 * time.Millisecond
	t.Cleanup(func() { serveReadTimeout = old })
	addr, code, stderr := startServe(t, "--addr", "127.0.0.1:0")
	if addr == "" {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nAction=Get"); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	// The server answers the truncated body with an error, or just closes;
	// either way the connection ends long before the client's 10 s.
	start := time.Now()
	_, err = io.Copy(io.Discard, bufio.NewReader(c))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server held a slow body open for %v", time.Since(start))
	}
}
