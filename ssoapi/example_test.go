package ssoapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"golang.org/x/crypto/bcrypt"

	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/ssoapi"
	"github.com/iamkit/iamkit/sts"
)

// A Server mounted on one address beside another handler (iamkit serve
// puts STS's POST / there), and the start of the device flow with the
// SDK's ssooidc client pointed at it.
func ExampleServer_Handles() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	dir := sts.NewMemoryDirectory()
	keys, _ := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret("example-master-key-0123456789abcdef")})
	issuer, _ := sts.NewIssuer(sts.Options{Directory: dir, Keys: keys, Now: now})
	ic, _ := identitycenter.New(identitycenter.Options{IdentityStoreID: "d-0000000000", Now: now})
	ic.CreateUser(identitycenter.User{UserName: "alice", DisplayName: "Alice"})
	hash, _ := bcrypt.GenerateFromPassword([]byte("alice-example-password"), bcrypt.MinCost)

	srv, err := ssoapi.New(ssoapi.Options{Instance: ic, Issuer: issuer, Now: now,
		Users: ssoapi.CredentialMap{"alice": {PasswordHash: hash}}})
	if err != nil {
		panic(err)
	}
	other := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "STS") })
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if srv.Handles(r) {
			srv.ServeHTTP(w, r)
			return
		}
		other.ServeHTTP(w, r)
	}))
	defer ts.Close()

	oidc := ssooidc.New(ssooidc.Options{Region: "us-east-1", BaseEndpoint: aws.String(ts.URL)})
	reg, _ := oidc.RegisterClient(ctx, &ssooidc.RegisterClientInput{ClientName: aws.String("example"), ClientType: aws.String("public"),
		Scopes: []string{"sso:account:access"}})
	dev, err := oidc.StartDeviceAuthorization(ctx, &ssooidc.StartDeviceAuthorizationInput{ClientId: reg.ClientId,
		ClientSecret: reg.ClientSecret, StartUrl: aws.String(ic.StartURL())})
	if err != nil {
		panic(err)
	}
	fmt.Println("open:", strings.TrimPrefix(aws.ToString(dev.VerificationUri), ts.URL))
	fmt.Println("expires in:", dev.ExpiresIn, "interval:", dev.Interval)
	_, err = oidc.CreateToken(ctx, &ssooidc.CreateTokenInput{ClientId: reg.ClientId, ClientSecret: reg.ClientSecret,
		GrantType: aws.String("urn:ietf:params:oauth:grant-type:device_code"), DeviceCode: dev.DeviceCode})
	fmt.Println(strings.Contains(err.Error(), "AuthorizationPendingException"))
	// Output:
	// open: /start/device
	// expires in: 600 interval: 5
	// true
}
