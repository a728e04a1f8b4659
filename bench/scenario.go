package bench

import (
	"fmt"
	"strings"

	"github.com/iamkit/iamkit/policy"
)

// A Scenario is a set of IAM policies, as AWS's JSON, and the requests that
// every engine must decide the same way. Requests[0] is the one timed.
type Scenario struct {
	Name     string
	Identity []string
	Boundary string
	Session  []string
	Resource string
	SCPs     [][]string
	Requests []Request
	// FromStrings puts request construction from the raw strings inside
	// the timed loop.
	FromStrings bool
	maxSizeOff  bool // statements-N exceeds IAM's size quota on purpose
}

// A Request is one authorization request in raw strings, as it reaches a
// service: the caller's ARN, the action, the resource ARN and the request
// context, plus the decision AWS's evaluation logic gives it.
type Request struct {
	Name      string
	Principal string
	Action    string
	Resource  string
	// ResourceAccount owns the resource; empty means the account in the
	// Resource ARN, else the caller's (S3 ARNs carry no account).
	ResourceAccount string
	Context         map[string]string
	// Lists holds the multi-valued context keys (aws:TagKeys, ...).
	Lists map[string][]string
	Want  policy.Decision
}

const (
	alice   = "arn:aws:iam::111122223333:user/alice"
	session = "arn:aws:sts::111122223333:assumed-role/app/i-0abc"
)

// fivePolicy is the "five" scenario's identity policy: an allow by an action
// list and a resource prefix under an IP-range and an MFA condition, an
// explicit deny, and three allows for other services.
const fivePolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "FinanceReports",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::corp-reports/finance/*",
      "Condition": {
        "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
        "Bool": {"aws:MultiFactorAuthPresent": "true"}
      }
    },
    {
      "Sid": "NoDelete",
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "arn:aws:s3:::corp-reports/finance/*"
    },
    {
      "Sid": "AppLogs",
      "Effect": "Allow",
      "Action": ["logs:GetLogEvents", "logs:FilterLogEvents"],
      "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/app/*"
    },
    {
      "Sid": "OrdersQueue",
      "Effect": "Allow",
      "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"],
      "Resource": "arn:aws:sqs:us-east-1:111122223333:orders"
    },
    {
      "Sid": "OrdersTable",
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:Query"],
      "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"
    }
  ]
}`

func fiveRequests() []Request {
	ctx := func(kv ...string) map[string]string {
		m := make(map[string]string, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	ok := ctx("aws:SourceIp", "203.0.113.5", "aws:MultiFactorAuthPresent", "true")
	report := "arn:aws:s3:::corp-reports/finance/2024/q3.csv"
	return []Request{
		{Name: "allowed", Principal: alice, Action: "s3:GetObject", Resource: report, Context: ok, Want: policy.Allowed},
		{Name: "ip outside range", Principal: alice, Action: "s3:GetObject", Resource: report,
			Context: ctx("aws:SourceIp", "198.51.100.7", "aws:MultiFactorAuthPresent", "true"), Want: policy.ImplicitDeny},
		{Name: "no MFA", Principal: alice, Action: "s3:PutObject", Resource: report,
			Context: ctx("aws:SourceIp", "203.0.113.5", "aws:MultiFactorAuthPresent", "false"), Want: policy.ImplicitDeny},
		{Name: "MFA key missing", Principal: alice, Action: "s3:GetObject", Resource: report,
			Context: ctx("aws:SourceIp", "203.0.113.5"), Want: policy.ImplicitDeny},
		{Name: "IP key missing", Principal: alice, Action: "s3:GetObject", Resource: report,
			Context: ctx("aws:MultiFactorAuthPresent", "true"), Want: policy.ImplicitDeny},
		{Name: "explicit deny", Principal: alice, Action: "s3:DeleteObject", Resource: report, Context: ok, Want: policy.ExplicitDeny},
		{Name: "other prefix", Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::corp-reports/hr/salaries.csv",
			Context: ok, Want: policy.ImplicitDeny},
		{Name: "action case", Principal: alice, Action: "S3:getobject", Resource: report, Context: ok, Want: policy.Allowed},
		{Name: "queue", Principal: alice, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:orders",
			Context: ok, Want: policy.Allowed},
		{Name: "other queue", Principal: alice, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:orders-dlq",
			Context: ok, Want: policy.ImplicitDeny},
		{Name: "log stream", Principal: alice, Action: "logs:GetLogEvents",
			Resource: "arn:aws:logs:us-east-1:111122223333:log-group:/app/web:log-stream:i-1", Context: ok, Want: policy.Allowed},
		{Name: "unlisted action", Principal: alice, Action: "dynamodb:DeleteItem",
			Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders", Context: ok, Want: policy.ImplicitDeny},
	}
}

// services are the 20 services the statements-N policies cycle through: one
// action each and a resource ARN prefix with a %d for the statement index.
var services = []struct{ action, prefix string }{
	{"s3:GetObject", "arn:aws:s3:::bucket-%d/"},
	{"sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:queue-%d-"},
	{"sns:Publish", "arn:aws:sns:us-east-1:111122223333:topic-%d-"},
	{"dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/table-%d/"},
	{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:fn-%d-"},
	{"kinesis:PutRecord", "arn:aws:kinesis:us-east-1:111122223333:stream/stream-%d/"},
	{"logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:/svc-%d/"},
	{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-%d/"},
	{"ssm:GetParameter", "arn:aws:ssm:us-east-1:111122223333:parameter/app-%d/"},
	{"ecr:BatchGetImage", "arn:aws:ecr:us-east-1:111122223333:repository/repo-%d/"},
	{"states:StartExecution", "arn:aws:states:us-east-1:111122223333:stateMachine:sm-%d-"},
	{"events:PutEvents", "arn:aws:events:us-east-1:111122223333:event-bus/bus-%d-"},
	{"firehose:PutRecord", "arn:aws:firehose:us-east-1:111122223333:deliverystream/ds-%d-"},
	{"glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db-%d/"},
	{"athena:StartQueryExecution", "arn:aws:athena:us-east-1:111122223333:workgroup/wg-%d-"},
	{"elasticfilesystem:ClientMount", "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-%d-"},
	{"codecommit:GitPull", "arn:aws:codecommit:us-east-1:111122223333:repo-%d-"},
	{"cloudwatch:PutMetricData", "arn:aws:cloudwatch:us-east-1:111122223333:alarm:alarm-%d-"},
	{"apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis/api-%d/"},
	{"kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:alias/app-%d/"},
}

// statementsN builds the statements-N scenario: one identity policy of n
// allow statements, statement i naming services[i%20]'s action and its own
// resource prefix. The timed request matches statement n-2 only.
func statementsN(n int) Scenario {
	var sb strings.Builder
	sb.WriteString(`{"Version":"2012-10-17","Statement":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		svc := services[i%len(services)]
		fmt.Fprintf(&sb, `{"Sid":"S%d","Effect":"Allow","Action":%q,"Resource":"%s*"}`, i, svc.action, fmt.Sprintf(svc.prefix, i))
	}
	sb.WriteString(`]}`)
	res := func(i int) string { return fmt.Sprintf(services[i%len(services)].prefix, i) + "object-1" }
	act := func(i int) string { return services[i%len(services)].action }
	target := n - 2
	return Scenario{
		Name:       fmt.Sprintf("statements-%d", n),
		Identity:   []string{sb.String()},
		maxSizeOff: true,
		Requests: []Request{
			{Name: "near the end", Principal: alice, Action: act(target), Resource: res(target), Want: policy.Allowed},
			{Name: "first", Principal: alice, Action: act(0), Resource: res(0), Want: policy.Allowed},
			{Name: "last", Principal: alice, Action: act(n - 1), Resource: res(n - 1), Want: policy.Allowed},
			{Name: "no such prefix", Principal: alice, Action: act(target), Resource: res(target + 20), Want: policy.ImplicitDeny},
			{Name: "other service's action", Principal: alice, Action: act(target + 1), Resource: res(target), Want: policy.ImplicitDeny},
		},
	}
}

// The full-set scenario: a session of role app in account 111122223333
// reading a bucket of account 444455556666.
const (
	fullIdentity = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "ReadPartnerOrders", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
   "Resource": ["arn:aws:s3:::partner-data", "arn:aws:s3:::partner-data/orders/*"]},
  {"Sid": "AppLogs", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::app-logs/*"},
  {"Sid": "Queue", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"],
   "Resource": "arn:aws:sqs:us-east-1:111122223333:orders"},
  {"Sid": "Table", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders"},
  {"Sid": "NoDeletes", "Effect": "Deny", "Action": ["s3:DeleteObject", "s3:DeleteBucket"], "Resource": "*"}
]}`
	fullBoundary = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Services", "Effect": "Allow",
   "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "sqs:SendMessage", "sqs:ReceiveMessage", "dynamodb:GetItem"],
   "Resource": "*"},
  {"Sid": "NoPartnerWrites", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::partner-data/*"}
]}`
	fullSession = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject", "sqs:SendMessage", "dynamodb:GetItem"], "Resource": "*"}
]}`
	fullResource = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": "arn:aws:s3:::partner-data/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
  {"Sid": "AppReadsOrders", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
   "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::partner-data", "arn:aws:s3:::partner-data/orders/*"],
   "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
  {"Sid": "AppReadsShared", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::partner-data/shared/*"},
  {"Sid": "AuditorsRead", "Effect": "Allow", "Principal": {"AWS": "999988887777"},
   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::partner-data/*"}
]}`
	fullAWSAccess = `{"Version": "2012-10-17", "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	scpRegions    = `{"Version": "2012-10-17", "Statement": [{"Sid": "DenyOutsideUS", "Effect": "Deny",
  "NotAction": ["sts:AssumeRole", "support:DescribeCases"], "Resource": "*",
  "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}}]}`
	scpAllowList = `{"Version": "2012-10-17", "Statement": [{"Sid": "AllowList", "Effect": "Allow",
  "Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject", "s3:DeleteObject", "sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "*"}]}`
)

func fullSet() Scenario {
	ctx := func(ip, secure, region string) map[string]string {
		return map[string]string{"aws:SourceIp": ip, "aws:SecureTransport": secure, "aws:RequestedRegion": region}
	}
	ok := ctx("203.0.113.5", "true", "us-east-1")
	orders := "arn:aws:s3:::partner-data/orders/2024/06/orders.parquet"
	shared := "arn:aws:s3:::partner-data/shared/readme.txt"
	const partner = "444455556666"
	return Scenario{
		Name:     "full-set",
		Identity: []string{fullIdentity},
		Boundary: fullBoundary,
		Session:  []string{fullSession},
		Resource: fullResource,
		SCPs:     [][]string{{fullAWSAccess}, {fullAWSAccess, scpRegions}, {scpAllowList}},
		Requests: []Request{
			{Name: "cross-account read", Principal: session, Action: "s3:GetObject", Resource: orders, ResourceAccount: partner,
				Context: ok, Want: policy.Allowed},
			{Name: "insecure transport", Principal: session, Action: "s3:GetObject", Resource: orders, ResourceAccount: partner,
				Context: ctx("203.0.113.5", "false", "us-east-1"), Want: policy.ExplicitDeny},
			{Name: "SCP region deny", Principal: session, Action: "s3:GetObject", Resource: orders, ResourceAccount: partner,
				Context: ctx("203.0.113.5", "true", "eu-west-1"), Want: policy.ExplicitDeny},
			{Name: "resource policy IP condition", Principal: session, Action: "s3:GetObject", Resource: orders, ResourceAccount: partner,
				Context: ctx("198.51.100.7", "true", "us-east-1"), Want: policy.ImplicitDeny},
			{Name: "cross-account, identity does not allow", Principal: session, Action: "s3:GetObject", Resource: shared,
				ResourceAccount: partner, Context: ok, Want: policy.ImplicitDeny},
			{Name: "same account, resource policy alone", Principal: session, Action: "s3:GetObject", Resource: shared,
				ResourceAccount: "111122223333", Context: ok, Want: policy.Allowed},
			{Name: "list bucket", Principal: session, Action: "s3:ListBucket", Resource: "arn:aws:s3:::partner-data",
				ResourceAccount: partner, Context: ok, Want: policy.Allowed},
			{Name: "boundary deny", Principal: session, Action: "s3:PutObject", Resource: orders, ResourceAccount: partner,
				Context: ok, Want: policy.ExplicitDeny},
			{Name: "identity deny", Principal: session, Action: "s3:DeleteObject", Resource: orders, ResourceAccount: partner,
				Context: ok, Want: policy.ExplicitDeny},
			{Name: "session policy does not allow", Principal: session, Action: "sqs:ReceiveMessage",
				Resource: "arn:aws:sqs:us-east-1:111122223333:orders", Context: ok, Want: policy.ImplicitDeny},
			{Name: "queue", Principal: session, Action: "sqs:SendMessage",
				Resource: "arn:aws:sqs:us-east-1:111122223333:orders", Context: ok, Want: policy.Allowed},
			{Name: "account-level SCP does not allow", Principal: session, Action: "dynamodb:GetItem",
				Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders", Context: ok, Want: policy.ImplicitDeny},
			{Name: "same account, identity", Principal: session, Action: "s3:PutObject", Resource: "arn:aws:s3:::app-logs/2024/06/01.log",
				Context: ok, Want: policy.Allowed},
			{Name: "same account, nothing allows", Principal: session, Action: "s3:GetObject", Resource: "arn:aws:s3:::other/x",
				Context: ok, Want: policy.ImplicitDeny},
			{Name: "SCP region deny, region key missing", Principal: session, Action: "sqs:SendMessage",
				Resource: "arn:aws:sqs:us-east-1:111122223333:orders",
				Context:  map[string]string{"aws:SourceIp": "203.0.113.5", "aws:SecureTransport": "true"}, Want: policy.ExplicitDeny},
		},
	}
}

// Scenarios returns every scenario, in the order of the report. The
// from-strings scenario reuses five's policy and requests; what differs is
// that request construction is inside the timed loop.
func Scenarios() []Scenario {
	five := Scenario{Name: "five", Identity: []string{fivePolicy}, Requests: fiveRequests()}
	fromStrings := five
	fromStrings.Name = "from-strings"
	fromStrings.FromStrings = true
	s := []Scenario{five}
	for _, n := range StatementCounts {
		s = append(s, statementsN(n))
	}
	return append(s, fullSet(), fromStrings)
}

// StatementCounts are the sizes of the statements-N scenarios.
var StatementCounts = []int{5, 50, 500, 5000}

// typicalPolicy is an identity policy of about 2 KB as teams write them:
// a few services, resource prefixes, policy variables and conditions.
const typicalPolicy = `{
  "Version": "2012-10-17",
  "Id": "app-backend",
  "Statement": [
    {
      "Sid": "ReadWriteHome",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      "Resource": "arn:aws:s3:::corp-home/home/${aws:username}/*",
      "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}
    },
    {
      "Sid": "ListHome",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::corp-home",
      "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*", "home/"]}}
    },
    {
      "Sid": "DenyUnencryptedUploads",
      "Effect": "Deny",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::corp-home/*",
      "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}
    },
    {
      "Sid": "Queues",
      "Effect": "Allow",
      "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      "Resource": "arn:aws:sqs:us-east-1:111122223333:app-*"
    },
    {
      "Sid": "Tables",
      "Effect": "Allow",
      "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
      "Resource": ["arn:aws:dynamodb:us-east-1:111122223333:table/app-*", "arn:aws:dynamodb:us-east-1:111122223333:table/app-*/index/*"],
      "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:PrincipalTag/tenant}"]}}
    },
    {
      "Sid": "TeamSecrets",
      "Effect": "Allow",
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/*",
      "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
    },
    {
      "Sid": "DescribeInRegion",
      "Effect": "Allow",
      "Action": ["ec2:Describe*", "cloudwatch:GetMetricData", "logs:FilterLogEvents"],
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]},
                    "Bool": {"aws:SecureTransport": "true"}}
    },
    {
      "Sid": "NoIAMChanges",
      "Effect": "Deny",
      "Action": ["iam:Create*", "iam:Delete*", "iam:Put*", "iam:Attach*"],
      "Resource": "*",
      "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}
    }
  ]
}`
