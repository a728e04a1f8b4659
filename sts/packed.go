package sts

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"io"
	"sync"
)

// packedLimit is the size, in bytes, of the packed form of session policies
// and session tags that PackedPolicySize reports 100% of.
const packedLimit = 2048

// flaters reuses DEFLATE writers, whose state is most of the cost of one.
var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, flate.BestCompression)
	return w
}}

// countingWriter counts the bytes written to it.
type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// packedPolicySize reports, as AWS does, how much of the packed-size limit
// the session policies and session tags of a request use, in percent, and
// fails with PackedPolicyTooLarge above 100%.
//
// AWS compresses session policies and tags into an undocumented binary
// format. iamkit's packed form is the DEFLATE compression of the compacted
// inline policy, the managed policy ARNs and the tags; the percentage is
// that size against 2,048 bytes, rounded up. It behaves like AWS's: typical
// policies and a few tags use a small share, while many long tags exceed
// the limit before the plaintext limits do.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func packedPolicySize(inline *string, arns []PolicyDescriptorType, tags []Tag) (*int32, error) {
	if inline == nil && len(arns) == 0 && len(tags) == 0 {
		return nil, nil
	}
	var raw bytes.Buffer
	if inline != nil {
		if err := json.Compact(&raw, []byte(*inline)); err != nil {
			raw.WriteString(*inline)
		}
	}
	for _, a := range arns {
		raw.WriteByte(0)
		raw.WriteString(a.Arn)
	}
	for _, t := range tags {
		raw.WriteByte(0)
		raw.WriteString(t.Key)
		raw.WriteByte(0)
		raw.WriteString(t.Value)
	}
	var packed countingWriter
	w := flaters.Get().(*flate.Writer)
	w.Reset(&packed)
	_, _ = w.Write(raw.Bytes())
	_ = w.Close()
	flaters.Put(w)
	pct := int32((int(packed)*100 + packedLimit - 1) / packedLimit)
	if pct > 100 {
		return nil, newError(ErrPackedPolicyTooLarge, "Packed size of consolidated session policies and session tags exceeds 100%%: %d%%. The request was rejected because the total packed size of the session policies and session tags combined was too large.", pct)
	}
	return &pct, nil
}
