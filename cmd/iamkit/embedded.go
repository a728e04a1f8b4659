package main

import (
	"errors"

	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/policy"
)

// embeddedPolicy returns the document of a policy embedded in a JSON file
// as the value v (an object, or a string holding the document) and a
// function that maps a position in the document to its position in the
// file, given where v starts in the file. ok is false when v is neither.
func embeddedPolicy(data []byte, v *jsonpos.Value, start policy.Position) (raw []byte, where func(policy.Position) policy.Position, ok bool) {
	switch v.Kind {
	case jsonpos.Object:
		raw = data[v.Pos.Offset:valueEnd(data, v.Pos.Offset)]
		return raw, func(p policy.Position) policy.Position { return shift(start, p) }, true
	case jsonpos.String:
		quote := v.Pos.Offset
		return []byte(v.Str), func(p policy.Position) policy.Position { return inString(data, quote, start, p) }, true
	}
	return nil, nil, false
}

// parseEmbedded parses an embedded policy and reports each finding of a
// rejected one at its place in the file (start for findings about the
// whole document, such as its size). A non-nil error is a failure that is
// not about the document.
func parseEmbedded(raw []byte, typ policy.Type, name string, start policy.Position, where func(policy.Position) policy.Position,
	report func(at policy.Position, f policy.Finding)) (*policy.Policy, error) {
	p, err := policy.ParseWithOptions(raw, typ, policy.Options{Name: name})
	var pe *policy.Error
	switch {
	case err == nil:
		return p, nil
	case !errors.As(err, &pe):
		return nil, err
	}
	for _, f := range pe.Findings {
		at := start
		if !f.Pos.IsZero() {
			at = where(f.Pos)
		}
		report(at, f)
	}
	return nil, nil
}
