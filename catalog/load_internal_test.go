package catalog

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkLoad decodes the embedded table as the first use does and
// reports the heap it keeps.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	var heap uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		t, err := decode(encoded)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(t)
		heap = after.HeapAlloc - before.HeapAlloc
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "MiB-heap")
}

// The first load stays well under the 50 ms the package promises on a
// development machine; the race detector and slow CI get ten times that.
func TestLoadTime(t *testing.T) {
	start := time.Now()
	got, err := decode(encoded)
	d := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("decoded %d services, %d actions, %d keys in %v", len(got.services), len(got.actions), len(got.keys), d)
	if d > 500*time.Millisecond {
		t.Errorf("load took %v", d)
	}
}

func TestDecodeCorrupt(t *testing.T) {
	for _, enc := range []string{"", "!!!", encoded[:len(encoded)/2]} {
		if _, err := decode(enc); err == nil {
			t.Errorf("decode of %d bytes succeeded", len(enc))
		}
	}
}

func TestFormatMatch(t *testing.T) {
	tests := []struct {
		format, in string
		lenient    bool
		want       bool
	}{
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b", false, true},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b/k", true, false},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::", false, false},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::*", false, true},
		{"arn:${Partition}:s3:::${BucketName}", "arn:*", false, true},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/k", false, true},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/k/l", false, false},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/k/l", true, true},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/", true, false},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b/?", false, true},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws:s3:::b${*}/k", false, true},
		{"arn:${Partition}:amplifybackend:${Region}:${Account}:/backend/${AppId}/*", "arn:aws:amplifybackend:us-east-1:1:/backend/a/x/y", false, true},
		{"arn:${Partition}:amplifybackend:${Region}:${Account}:/backend/${AppId}/*", "arn:aws:amplifybackend:us-east-1:1:/backend/a", false, false},
	}
	for _, tt := range tests {
		if got := formatMatch(tt.format, tt.lenient, tokenizeInput(tt.in)); got != tt.want {
			t.Errorf("formatMatch(%q, %v, %q) = %v, want %v", tt.format, tt.lenient, tt.in, got, tt.want)
		}
	}
}
