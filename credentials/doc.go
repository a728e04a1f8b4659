// Package credentials connects iamkit's STS to the AWS SDKs and CLI from
// both sides: it checks the AWS Signature Version 4 of the requests that
// arrive, and it hands out credentials the way AWS's credential sources do.
//
// It sits at the end of iamkit's dependency chain:
//
//	principal  <-  condition  <-  policy  <-  sts  <-  credentials
//
// # Verifying signed requests
//
// A [Verifier] checks SigV4, in the Authorization header or in a presigned
// URL, as AWS specifies it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html and
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html),
// and answers failures with AWS's error codes and messages as [*sts.Error]
// values. An [*sts.Issuer] serves as its [Resolver], turning an access key
// ID (and session token) into the caller's session and secret:
//
//	v, err := credentials.NewVerifier(credentials.VerifierOptions{
//		Resolver: issuer, // *sts.Issuer
//		Service:  "sts",
//	})
//	...
//	func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
//		who, err := v.Verify(r)
//		if err != nil {
//			// *sts.Error: Code, Message and HTTPStatus as AWS sends them.
//		}
//		// who.Session is the caller; r.Body can still be read.
//	}
//
// The canonical request follows the AWS SDKs where clients differ: the Go
// SDK signs the path as sent while botocore removes dot segments and
// repeated slashes first; S3 encodes the path once and every other service
// twice; both forms verify.
//
// # Providing credentials
//
// The rest of the package serves credentials to programs written against
// the AWS SDKs: providers that satisfy aws.CredentialsProvider by calling an
// Issuer (AssumeRole, GetSessionToken, static keys), and HTTP handlers that
// imitate the EC2 instance metadata service and the ECS/EKS container
// credentials endpoint, so an unmodified SDK's default credential chain
// obtains iamkit credentials.
package credentials
