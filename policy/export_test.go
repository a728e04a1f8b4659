package policy

// FastDocument is fastParse, for the differential tests of package
// policy_test.
func FastDocument(data []byte, typ Type) (Document, []Position, bool) {
	return fastParse(data, typ, Options{})
}

// TreeDocument is treeParse: the Document, the statement positions and the
// findings of the tree parser (not the compiler); json is false when data
// is not JSON.
func TreeDocument(data []byte, typ Type) (doc Document, pos []Position, findings []Finding, json bool) {
	doc, loc, findings := treeParse(data, typ, Options{})
	if loc == nil {
		return Document{}, nil, findings, false
	}
	return doc, loc.stmts, findings, true
}
