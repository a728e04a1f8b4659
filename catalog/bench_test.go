package catalog_test

import (
	"testing"

	"github.com/iamkit/iamkit/catalog"
)

func BenchmarkLookup(b *testing.B) {
	catalog.Lookup("s3:GetObject") // load outside the timing
	for _, name := range []string{"s3:GetObject", "EC2:describeinstances", "s3:NoSuchAction"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				catalog.Lookup(name)
			}
		})
	}
}

func BenchmarkConditionKey(b *testing.B) {
	catalog.ConditionKey("s3:prefix")
	for _, name := range []string{"s3:prefix", "aws:RequestTag/team", "token.actions.githubusercontent.com/org:actor", "aws:SourceIp"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				catalog.ConditionKey(name)
			}
		})
	}
}

func BenchmarkHasConditionKey(b *testing.B) {
	a, _ := catalog.Lookup("s3:GetObject")
	b.ReportAllocs()
	for b.Loop() {
		a.HasConditionKey("s3:BucketTag/env")
	}
}

func BenchmarkExpand(b *testing.B) {
	for _, p := range []string{"s3:Get*", "*:Describe*"} {
		b.Run(p, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				catalog.Expand(p)
			}
		})
	}
}

func BenchmarkMatchResourceType(b *testing.B) {
	a, _ := catalog.Lookup("s3:GetObject")
	for _, arn := range []string{"arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg", "arn:aws:s3:::amzn-s3-demo-bucket/*"} {
		b.Run(arn, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				catalog.MatchResourceType(a, arn)
			}
		})
	}
}
