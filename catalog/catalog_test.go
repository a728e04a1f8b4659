package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/catalog"
	"github.com/iamkit/iamkit/policy"
)

// The Service Authorization Reference pages the facts below come from.
const (
	pageS3       = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html"
	pageIAM      = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html"
	pageSTS      = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html"
	pageEC2      = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html"
	pageKMS      = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html"
	pageDynamoDB = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html"
	pageLambda   = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html"
)

func names[T interface{ String() string }](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = v.String()
	}
	return out
}

func TestLookup(t *testing.T) {
	type rt struct {
		Name     string
		Required bool
	}
	tests := []struct {
		page, name string
		want       string // canonical name
		level      catalog.AccessLevel
		rts        []rt     // in the reference's order; nil: only "*"
		keys       []string // some of the action's condition keys
	}{
		{pageS3, "s3:GetObject", "s3:GetObject", catalog.LevelRead,
			[]rt{{"accesspointobject", false}, {"object", false}}, []string{"s3:ExistingObjectTag/<key>", "s3:TlsVersion"}},
		{pageS3, "s3:ListBucket", "s3:ListBucket", catalog.LevelList,
			[]rt{{"accesspoint", false}, {"bucket", false}}, []string{"s3:prefix", "s3:max-keys", "s3:delimiter"}},
		{pageS3, "s3:PutBucketPolicy", "s3:PutBucketPolicy", catalog.LevelPermissionsManagement,
			[]rt{{"bucket", true}}, nil},
		{pageS3, "s3:PutObjectTagging", "s3:PutObjectTagging", catalog.LevelTagging,
			[]rt{{"accesspointobject", false}, {"object", false}}, []string{"s3:RequestObjectTag/<key>", "s3:RequestObjectTagKeys"}},
		{pageS3, "s3:DeleteObject", "s3:DeleteObject", catalog.LevelWrite,
			[]rt{{"accesspointobject", false}, {"object", false}}, nil},
		{pageIAM, "iam:PassRole", "iam:PassRole", catalog.LevelWrite,
			[]rt{{"role", true}}, []string{"iam:AssociatedResourceArn", "iam:PassedToService"}},
		{pageIAM, "iam:CreateRole", "iam:CreateRole", catalog.LevelWrite,
			[]rt{{"role", true}}, []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:PermissionsBoundary"}},
		{pageIAM, "iam:AttachRolePolicy", "iam:AttachRolePolicy", catalog.LevelPermissionsManagement,
			[]rt{{"role", true}}, []string{"iam:PolicyARN", "iam:PermissionsBoundary"}},
		{pageIAM, "iam:TagRole", "iam:TagRole", catalog.LevelTagging, []rt{{"role", true}}, nil},
		{pageIAM, "iam:GetUser", "iam:GetUser", catalog.LevelRead, []rt{{"user", true}}, nil},
		{pageSTS, "sts:AssumeRole", "sts:AssumeRole", catalog.LevelWrite,
			[]rt{{"role", true}}, []string{"sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys"}},
		{pageSTS, "sts:GetCallerIdentity", "sts:GetCallerIdentity", catalog.LevelRead, nil, nil},
		{pageEC2, "ec2:DescribeInstances", "ec2:DescribeInstances", catalog.LevelList, nil, nil},
		{pageKMS, "kms:Decrypt", "kms:Decrypt", catalog.LevelWrite,
			[]rt{{"key", true}}, []string{"kms:EncryptionContext:${EncryptionContextKey}", "kms:CallerAccount"}},
		{pageDynamoDB, "dynamodb:Query", "dynamodb:Query", catalog.LevelRead,
			[]rt{{"index", false}, {"table", true}}, []string{"dynamodb:LeadingKeys", "dynamodb:Select"}},
		{pageLambda, "lambda:InvokeFunction", "lambda:InvokeFunction", catalog.LevelWrite, []rt{{"function", true}}, nil},
		// IAM ignores the case of action names.
		{pageS3, "S3:getobject", "s3:GetObject", catalog.LevelRead,
			[]rt{{"accesspointobject", false}, {"object", false}}, nil},
		{pageIAM, "IAM:PASSROLE", "iam:PassRole", catalog.LevelWrite, []rt{{"role", true}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := catalog.Lookup(tt.name)
			if !ok {
				t.Fatalf("Lookup(%q) not found (%s)", tt.name, tt.page)
			}
			if a.String() != tt.want || a.Service().Prefix()+":"+a.Name() != tt.want {
				t.Errorf("name %q (%s:%s), want %q", a, a.Service(), a.Name(), tt.want)
			}
			if a.AccessLevel() != tt.level {
				t.Errorf("AccessLevel = %q, want %q (%s)", a.AccessLevel(), tt.level, tt.page)
			}
			var got []rt
			for _, r := range a.ResourceTypes() {
				got = append(got, rt{r.ResourceType.Name(), r.Required})
			}
			if diff := cmp.Diff(tt.rts, got); diff != "" {
				t.Errorf("ResourceTypes (-want +got, %s):\n%s", tt.page, diff)
			}
			for _, k := range tt.keys {
				if !a.HasConditionKey(k) {
					t.Errorf("HasConditionKey(%q) = false (%s)", k, tt.page)
				}
				if !slices.Contains(names(a.ConditionKeys()), k) {
					t.Errorf("ConditionKeys() lacks %q (%s)", k, tt.page)
				}
			}
			if d := a.Description(); !strings.HasPrefix(d, "Grants permission to") && !strings.HasPrefix(d, "Controls permission to") {
				t.Errorf("Description = %q", a.Description())
			}
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, name := range []string{"", "s3", "s3:", ":GetObject", "s3:GetObjects", "s3:Get*", "aws:GetObject", "s3:GetObject ", "s3:GetObjectK"} {
		if a, ok := catalog.Lookup(name); ok || a != (catalog.Action{}) {
			t.Errorf("Lookup(%q) = %v, %v; want none", name, a, ok)
		}
	}
}

// Every action, service, resource type and key of the table is found again
// by its name, whatever its case.
func TestRoundTrip(t *testing.T) {
	svcs := catalog.Services()
	if len(svcs) < 400 {
		t.Fatalf("%d services", len(svcs))
	}
	if !slices.IsSortedFunc(svcs, func(a, b catalog.Service) int { return strings.Compare(a.Prefix(), b.Prefix()) }) {
		t.Error("Services not sorted")
	}
	nActions := 0
	for _, s := range svcs {
		if got, ok := catalog.LookupService(strings.ToUpper(s.Prefix())); !ok || got != s {
			t.Errorf("LookupService(%q) = %v, %v", s.Prefix(), got, ok)
		}
		if s.Name() == "" {
			t.Errorf("%s has no name", s)
		}
		for _, a := range s.Actions() {
			nActions++
			if got, ok := catalog.Lookup(strings.ToLower(a.String())); !ok || got != a || got.Service() != s {
				t.Errorf("Lookup(%q) = %v, %v", a, got, ok)
			}
			switch a.AccessLevel() {
			case catalog.LevelList, catalog.LevelRead, catalog.LevelWrite, catalog.LevelPermissionsManagement, catalog.LevelTagging:
			default:
				t.Errorf("%s: access level %q", a, a.AccessLevel())
			}
		}
		for _, r := range s.ResourceTypes() {
			if got, ok := s.ResourceType(strings.ToUpper(r.Name())); !ok || got != r || r.Service() != s {
				t.Errorf("%s.ResourceType(%q) = %v, %v", s, r, got, ok)
			}
			if len(r.ARNFormats()) == 0 {
				t.Errorf("%s %s has no ARN format", s, r)
			}
		}
		for _, k := range s.ConditionKeys() {
			if got, ok := catalog.ConditionKey(strings.ToUpper(k.Name())); !ok || got != k {
				t.Errorf("ConditionKey(%q) = %v, %v", k, got, ok)
			}
			if k.Type() == "" || k.Type().Elem() == "" {
				t.Errorf("%s has type %q", k, k.Type())
			}
		}
	}
	if nActions < 20000 {
		t.Errorf("%d actions", nActions)
	}
	if len(catalog.Expand("*")) != nActions {
		t.Errorf("Expand(*) = %d actions, want %d", len(catalog.Expand("*")), nActions)
	}
}

func TestResourceTypeFormats(t *testing.T) {
	tests := []struct {
		page, service, name string
		formats             []string
	}{
		{pageS3, "s3", "bucket", []string{"arn:${Partition}:s3:::${BucketName}"}},
		{pageS3, "s3", "object", []string{"arn:${Partition}:s3:::${BucketName}/${ObjectName}"}},
		{pageIAM, "iam", "role", []string{"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"}},
		{pageIAM, "iam", "user", []string{"arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"}},
		{pageDynamoDB, "dynamodb", "index", []string{"arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}/index/${IndexName}"}},
		{pageKMS, "kms", "key", []string{"arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"}},
	}
	for _, tt := range tests {
		t.Run(tt.service+":"+tt.name, func(t *testing.T) {
			s, ok := catalog.LookupService(tt.service)
			if !ok {
				t.Fatal("no service")
			}
			r, ok := s.ResourceType(tt.name)
			if !ok {
				t.Fatal("no resource type")
			}
			if diff := cmp.Diff(tt.formats, r.ARNFormats()); diff != "" {
				t.Errorf("ARNFormats (-want +got, %s):\n%s", tt.page, diff)
			}
		})
	}
	// apigateway's types have two formats each.
	s, _ := catalog.LookupService("apigateway")
	multi := 0
	for _, r := range s.ResourceTypes() {
		if len(r.ARNFormats()) > 1 {
			multi++
		}
	}
	if multi == 0 {
		t.Error("no apigateway resource type with several ARN formats")
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		pattern string
		has     []string // some of the actions it must yield
		hasNot  []string
		n       int // exact count, or -1
	}{
		{"s3:GetObject", []string{"s3:GetObject"}, nil, 1},
		{"S3:GETOBJECT", []string{"s3:GetObject"}, nil, 1},
		{"s3:GetObjec?", []string{"s3:GetObject"}, nil, 1},
		{"s3:Get*", []string{"s3:GetObject", "s3:GetBucketPolicy", "s3:GetObjectTagging"}, []string{"s3:PutObject", "s3:ListBucket"}, -1},
		{"s3:*Object", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, []string{"s3:GetObjectTagging"}, -1},
		{"iam:*", []string{"iam:PassRole", "iam:CreateRole"}, []string{"sts:AssumeRole"}, -1},
		{"*:Describe*", []string{"ec2:DescribeInstances"}, []string{"s3:GetObject"}, -1},
		{"sts:AssumeRole*", []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"}, nil, -1},
		{"s?s:AssumeRole", []string{"sts:AssumeRole"}, nil, 1},
		// Without a colon the pattern spans it, as in IAM.
		{"s3?GetObject", []string{"s3:GetObject"}, nil, 1},
		{"*PassRole", []string{"iam:PassRole"}, nil, -1},
		{"s3:Get:*", nil, nil, 0},
		{"s3:GetObjects", nil, nil, 0},
		{"nosuchservice:*", nil, nil, 0},
		{"GetObject", nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			got := names(catalog.Expand(tt.pattern))
			for _, h := range tt.has {
				if !slices.Contains(got, h) {
					t.Errorf("lacks %s", h)
				}
			}
			for _, h := range tt.hasNot {
				if slices.Contains(got, h) {
					t.Errorf("has %s", h)
				}
			}
			if tt.n >= 0 && len(got) != tt.n {
				t.Errorf("%d actions %v, want %d", len(got), got, tt.n)
			}
			for _, a := range got {
				if !strings.HasPrefix(strings.ToLower(a), "s3:get") && tt.pattern == "s3:Get*" {
					t.Errorf("%s does not start with s3:Get", a)
				}
			}
		})
	}
	// Every Describe action over all services is a List or Read action
	// except a few; check only that many services contribute.
	svcs := map[string]bool{}
	for _, a := range catalog.Expand("*:Describe*") {
		svcs[a.Service().Prefix()] = true
	}
	if len(svcs) < 50 {
		t.Errorf("*:Describe* spans %d services", len(svcs))
	}
}

func TestMatchResourceType(t *testing.T) {
	tests := []struct {
		page, action, arn string
		want              []string
	}{
		// s3: a bucket ARN has no slash, an object ARN is bucket/key.
		{pageS3, "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", []string{"bucket"}},
		{pageS3, "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg", nil},
		{pageS3, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg", []string{"object"}},
		{pageS3, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket", nil},
		{pageS3, "s3:GetObject", "arn:aws:s3:us-west-2:123456789012:accesspoint/ap/object/k", []string{"accesspointobject"}},
		{pageS3, "s3:ListBucket", "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", []string{"accesspoint"}},
		// Resource element patterns.
		{pageS3, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*", []string{"object"}},
		{pageS3, "s3:ListBucket", "arn:aws:s3:::*", []string{"bucket"}},
		{pageS3, "s3:GetObject", "arn:aws:s3:::*", []string{"object"}},
		{pageS3, "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*", []string{"object"}},
		{pageS3, "s3:GetObject", "*", []string{"accesspointobject", "object"}},
		{pageS3, "s3:GetObject", "arn:aws:s3:::b?cket", []string{"object"}}, // "b/cket"
		// iam: role versus user, paths allowed.
		{pageIAM, "iam:PassRole", "arn:aws:iam::123456789012:role/app", []string{"role"}},
		{pageIAM, "iam:PassRole", "arn:aws:iam::123456789012:role/service-role/app", []string{"role"}},
		{pageIAM, "iam:PassRole", "arn:aws:iam::123456789012:user/alice", nil},
		{pageIAM, "iam:GetUser", "arn:aws:iam::123456789012:user/division/alice", []string{"user"}},
		{pageIAM, "iam:GetUser", "arn:aws:iam::123456789012:role/alice", nil},
		{pageIAM, "iam:GetUser", "arn:aws:iam:us-east-1:123456789012:user/alice", nil}, // IAM ARNs have no region
		{pageIAM, "iam:GetUser", "arn:aws:iam::*:user/*", []string{"user"}},
		{pageSTS, "sts:AssumeRole", "arn:aws:iam::123456789012:role/deploy", []string{"role"}},
		// dynamodb: a table/t/index/i ARN is an index, not a table.
		{pageDynamoDB, "dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/Books", []string{"table"}},
		{pageDynamoDB, "dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/Books/index/ByAuthor", []string{"index"}},
		{pageDynamoDB, "dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/Books/*", []string{"index"}},
		// lambda: a qualified function ARN still names the function.
		{pageLambda, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f", []string{"function"}},
		{pageLambda, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:f:prod", []string{"function"}},
		{pageKMS, "kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", []string{"key"}},
		{pageKMS, "kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:alias/x", nil},
		// Actions without resource types take only "*".
		{pageSTS, "sts:GetCallerIdentity", "*", nil},
		{pageS3, "s3:GetObject", "not-an-arn", nil},
		{pageS3, "s3:GetObject", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.action+" "+tt.arn, func(t *testing.T) {
			a, ok := catalog.Lookup(tt.action)
			if !ok {
				t.Fatal("no action")
			}
			got := names(catalog.MatchResourceType(a, tt.arn))
			if len(got) == 0 {
				got = nil
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got, %s):\n%s", tt.page, diff)
			}
		})
	}
	if got := catalog.MatchResourceType(catalog.Action{}, "*"); got != nil {
		t.Errorf("zero Action: %v", got)
	}
}

func TestConditionKey(t *testing.T) {
	tests := []struct {
		page, name string
		want       string // "" for none
		typ        catalog.KeyType
	}{
		{pageS3, "s3:prefix", "s3:prefix", catalog.TypeString},
		{pageS3, "S3:Prefix", "s3:prefix", catalog.TypeString},
		{pageS3, "s3:max-keys", "s3:max-keys", catalog.TypeNumeric},
		{pageS3, "s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/<key>", catalog.TypeString},
		{pageS3, "s3:ExistingObjectTag/owner", "s3:ExistingObjectTag/<key>", catalog.TypeString},
		{pageS3, "s3:RequestObjectTag/team", "s3:RequestObjectTag/<key>", catalog.TypeString},
		{pageS3, "s3:BucketTag/env", "s3:BucketTag/${TagKey}", catalog.TypeString},
		{pageIAM, "aws:RequestTag/team", "aws:RequestTag/${TagKey}", catalog.TypeString},
		{pageIAM, "aws:requesttag/cost-center/sub", "aws:RequestTag/${TagKey}", catalog.TypeString},
		{pageIAM, "aws:ResourceTag/team", "aws:ResourceTag/${TagKey}", catalog.TypeString},
		{pageIAM, "aws:TagKeys", "aws:TagKeys", catalog.TypeArrayOfString},
		{pageIAM, "iam:PassedToService", "iam:PassedToService", catalog.TypeString},
		{pageIAM, "iam:PermissionsBoundary", "iam:PermissionsBoundary", catalog.TypeARN},
		{pageIAM, "iam:ResourceTag/team", "iam:ResourceTag/${TagKey}", catalog.TypeString},
		{pageSTS, "sts:ExternalId", "sts:ExternalId", catalog.TypeString},
		{pageSTS, "sts:TransitiveTagKeys", "sts:TransitiveTagKeys", catalog.TypeArrayOfString},
		{pageSTS, "sts:DurationSeconds", "sts:DurationSeconds", catalog.TypeNumeric},
		{pageSTS, "saml:sub", "saml:sub", catalog.TypeString},
		{pageSTS, "token.actions.githubusercontent.com/octo-org:actor", "token.actions.githubusercontent.com/${SubPath}:actor", catalog.TypeString},
		{pageKMS, "kms:EncryptionContext:project", "kms:EncryptionContext:${EncryptionContextKey}", catalog.TypeString},
		{pageKMS, "kms:GrantIsForAWSResource", "kms:GrantIsForAWSResource", catalog.TypeBool},
		{pageKMS, "kms:ViaService", "kms:ViaService", catalog.TypeString},
		{pageEC2, "ec2:SourceInstanceARN", "ec2:SourceInstanceARN", catalog.TypeARN},
		// The more literal template wins.
		{"https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html", "events:Metadata/x/Matcher", "events:Metadata/${MetadataKey}/Matcher", catalog.TypeString},
		// A placeholder is one or more characters.
		{pageIAM, "aws:RequestTag/", "", ""},
		{pageS3, "s3:ExistingObjectTag", "", ""},
		{pageS3, "s3:prefixes", "", ""},
		{pageS3, "s3:RequestObjectTagKeys", "s3:RequestObjectTagKeys", catalog.TypeArrayOfString},
		// Global keys other than the tag keys are not in the dataset.
		{"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html", "aws:SourceIp", "", ""},
		{"", "", "", ""},
		{"", ":", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, ok := catalog.ConditionKey(tt.name)
			if ok != (tt.want != "") || k.Name() != tt.want || k.Type() != tt.typ {
				t.Errorf("ConditionKey(%q) = %q %q %v, want %q %q (%s)", tt.name, k, k.Type(), ok, tt.want, tt.typ, tt.page)
			}
			if ok {
				if !k.Matches(tt.name) {
					t.Errorf("%s.Matches(%q) = false", k, tt.name)
				}
				if k.IsTemplate() != strings.ContainsAny(tt.want, "$<") {
					t.Errorf("IsTemplate = %v", k.IsTemplate())
				}
			}
		})
	}
}

func TestKeyType(t *testing.T) {
	for _, tt := range []struct {
		t     catalog.KeyType
		array bool
		elem  catalog.KeyType
	}{
		{catalog.TypeString, false, catalog.TypeString},
		{catalog.TypeArrayOfString, true, catalog.TypeString},
		{catalog.TypeArrayOfARN, true, catalog.TypeARN},
		{catalog.TypeBool, false, catalog.TypeBool},
	} {
		if tt.t.IsArray() != tt.array || tt.t.Elem() != tt.elem {
			t.Errorf("%s: IsArray %v Elem %s", tt.t, tt.t.IsArray(), tt.t.Elem())
		}
	}
}

func TestHasConditionKey(t *testing.T) {
	tests := []struct {
		action, key string
		want        bool
	}{
		{"s3:GetObject", "s3:ExistingObjectTag/owner", true},
		{"s3:GetObject", "S3:EXISTINGOBJECTTAG/owner", true},
		{"s3:GetObject", "s3:prefix", false},
		{"s3:ListBucket", "s3:prefix", true},
		// From the object resource type's row in the resource types table.
		{"s3:GetObject", "s3:BucketTag/env", true},
		{"s3:GetObject", "aws:ResourceTag/env", true},
		{"iam:CreateRole", "aws:RequestTag/team", true},
		{"iam:CreateRole", "iam:PermissionsBoundary", true},
		{"iam:PassRole", "iam:PassedToService", true},
		{"iam:PassRole", "iam:PermissionsBoundary", false},
		{"sts:AssumeRole", "sts:ExternalId", true},
		{"sts:AssumeRoleWithSAML", "saml:aud", true},
		{"sts:GetCallerIdentity", "sts:ExternalId", false},
		{"kms:Decrypt", "kms:EncryptionContext:project", true},
	}
	for _, tt := range tests {
		a, ok := catalog.Lookup(tt.action)
		if !ok {
			t.Fatalf("no %s", tt.action)
		}
		if got := a.HasConditionKey(tt.key); got != tt.want {
			t.Errorf("%s.HasConditionKey(%q) = %v, want %v", tt.action, tt.key, got, tt.want)
		}
	}
}

// policy.RCPServices is meant to be derived from the catalogue.
func TestRCPServicesMatchPolicy(t *testing.T) {
	want := slices.Sorted(slices.Values(policy.RCPServices))
	if diff := cmp.Diff(want, catalog.RCPServices()); diff != "" {
		t.Errorf("policy.RCPServices (-) and catalog.RCPServices() (+) differ:\n%s", diff)
	}
	for _, s := range []string{"s3", "sts", "kms", "sqs", "secretsmanager"} {
		if !slices.Contains(catalog.RCPServices(), s) {
			t.Errorf("RCPServices lacks %s (supported at launch)", s)
		}
	}
}

func TestZeroValues(t *testing.T) {
	var (
		s catalog.Service
		a catalog.Action
		r catalog.ResourceType
		k catalog.Key
	)
	if s.Prefix() != "" || s.Name() != "" || len(s.Actions()) != 0 || len(s.ResourceTypes()) != 0 || len(s.ConditionKeys()) != 0 {
		t.Error("zero Service not empty")
	}
	if _, ok := s.ResourceType("bucket"); ok {
		t.Error("zero Service has a resource type")
	}
	if a.String() != "" || a.Name() != "" || a.Service() != s || a.AccessLevel() != "" || len(a.ResourceTypes()) != 0 ||
		len(a.ConditionKeys()) != 0 || a.HasConditionKey("s3:prefix") || a.DependentActions() != nil || a.Description() != "" {
		t.Error("zero Action not empty")
	}
	if r.Name() != "" || r.Service() != s || r.ARNFormats() != nil || len(r.ConditionKeys()) != 0 {
		t.Error("zero ResourceType not empty")
	}
	if k.Name() != "" || k.Type() != "" || k.IsTemplate() || k.Matches("") || k.Description() != "" {
		t.Error("zero Key not empty")
	}
}

// Slices handed out are copies: changing one changes nothing else.
func TestCopies(t *testing.T) {
	a, _ := catalog.Lookup("s3:GetObject")
	rts := a.ResourceTypes()
	rts[0].ResourceType = catalog.ResourceType{}
	f := rts[1].ResourceType.ARNFormats()
	f[0] = "changed"
	if a.ResourceTypes()[0].ResourceType.Name() != "accesspointobject" || a.ResourceTypes()[1].ResourceType.ARNFormats()[0] == "changed" {
		t.Error("mutation leaked into the table")
	}
	r := catalog.RCPServices()
	r[0] = "changed"
	if catalog.RCPServices()[0] == "changed" {
		t.Error("RCPServices shares its slice")
	}
}

func TestDataVersion(t *testing.T) {
	if !strings.HasPrefix(catalog.DataVersion, "0.") || !strings.HasPrefix(catalog.DataUpdated, "20") {
		t.Errorf("DataVersion %q DataUpdated %q", catalog.DataVersion, catalog.DataUpdated)
	}
}

func TestNoAllocs(t *testing.T) {
	a, _ := catalog.Lookup("s3:GetObject")
	for name, f := range map[string]func(){
		"Lookup":           func() { catalog.Lookup("S3:GetObject") },
		"LookupMiss":       func() { catalog.Lookup("s3:GetObjects") },
		"LookupService":    func() { catalog.LookupService("s3") },
		"ConditionKey":     func() { catalog.ConditionKey("s3:prefix") },
		"ConditionKeyTmpl": func() { catalog.ConditionKey("aws:RequestTag/team") },
		"HasConditionKey":  func() { a.HasConditionKey("s3:ExistingObjectTag/owner") },
		"Accessors":        func() { _, _, _ = a.Name(), a.AccessLevel(), a.Service().Name() },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s: %v allocs, want 0", name, n)
		}
	}
}

func TestConcurrent(t *testing.T) {
	done := make(chan bool)
	for range 8 {
		go func() {
			for _, a := range catalog.Expand("s3:*") {
				if got, ok := catalog.Lookup(a.String()); !ok || got != a {
					t.Errorf("Lookup(%s)", a)
				}
				catalog.MatchResourceType(a, "arn:aws:s3:::b/k")
			}
			done <- true
		}()
	}
	for range 8 {
		<-done
	}
}
