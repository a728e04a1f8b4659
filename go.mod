module github.com/iamkit/iamkit

go 1.26.0

require (
	github.com/aws/smithy-go v1.28.9
	github.com/google/go-cmp v0.7.0
	golang.org/x/crypto v0.59.0
)

require golang.org/x/sys v0.50.0 // indirect
