package policy_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/lazypath/golden.jsonl.gz from the current code")

// goldenPath holds what the parser answered, before paths and positions
// were built lazily, for every mutated policy mutatedPolicies generates.
var goldenPath = filepath.Join("testdata", "lazypath", "golden.jsonl.gz")

// goldenCount is how many mutated policies the golden file covers.
const goldenCount = 3000

// TestLazyPathsGolden checks that every finding (severity, JSON path,
// line:column and message), every Parse error and, for accepted policies,
// the statement positions, the marshaled document and a few decisions are
// what the eager code of the parser gave for thousands of randomly mutated
// policies: wrong types, unknown and duplicate elements, bad effects, ARNs,
// actions, principals and conditions, deep nesting, escapes, characters
// outside IAM's set and truncated JSON. The golden file was written with
// -update by the code before paths became lazy.
func TestLazyPathsGolden(t *testing.T) {
	cases := mutatedPolicies(t, goldenCount)
	if *updateGolden {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		enc := json.NewEncoder(zw)
		enc.SetEscapeHTML(false)
		for _, c := range cases {
			if err := enc.Encode(parseOutcome(c)); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		var want outcome
		if err := json.Unmarshal(sc.Bytes(), &want); err != nil {
			t.Fatalf("golden line %d: %v", i+1, err)
		}
		if i >= len(cases) {
			t.Fatalf("golden file has more than %d cases", len(cases))
		}
		got := parseOutcome(cases[i])
		if got.Input != want.Input {
			t.Fatalf("case %d: the generator no longer gives the golden input (regenerate the file with -update from the eager code)", i)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("case %d (%s policy):\n%s\n(-want +got):\n%s", i, cases[i].typ, cases[i].data, diff)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(cases) {
		t.Fatalf("golden file has %d cases, want %d", i, len(cases))
	}
}

// mutatedCase is one generated input.
type mutatedCase struct {
	typ  policy.Type
	data []byte
}

// outcome is what the golden file records of one case.
type outcome struct {
	Input    string   `json:"input"` // sha256 of type and data, to detect generator drift
	Type     string   `json:"type"`
	Err      string   `json:"err,omitempty"`
	Code     string   `json:"code,omitempty"`
	Findings []string `json:"findings,omitempty"` // from Validate
	// For accepted policies:
	Statements []string `json:"statements,omitempty"` // StatementPosition of each
	Marshal    string   `json:"marshal,omitempty"`    // sha256 of MarshalJSON
	Decisions  []string `json:"decisions,omitempty"`
}

func parseOutcome(c mutatedCase) outcome {
	h := sha256.Sum256(append([]byte(c.typ.String()+"\x00"), c.data...))
	o := outcome{Input: hex.EncodeToString(h[:8]), Type: c.typ.String()}
	for _, f := range policy.Validate(c.data, c.typ) {
		o.Findings = append(o.Findings, fmt.Sprintf("%s|%s|%d:%d|%s", f.Severity, f.Path, f.Pos.Line, f.Pos.Column, f.Message))
	}
	p, err := policy.Parse(c.data, c.typ)
	if err != nil {
		o.Err = err.Error()
		var pe *policy.Error
		if errors.As(err, &pe) {
			o.Code = pe.ErrorCode()
			if errors.Is(err, policy.ErrPolicyTooLarge) {
				o.Code += "+too-large"
			}
			if errors.Is(err, policy.ErrMalformedPolicy) {
				o.Code += "+malformed"
			}
		}
		return o
	}
	for i := range p.Len() {
		pos := p.StatementPosition(i)
		o.Statements = append(o.Statements, fmt.Sprintf("%d:%d", pos.Line, pos.Column))
	}
	out, err := p.MarshalJSON()
	if err != nil {
		o.Marshal = "error: " + err.Error()
	} else {
		h := sha256.Sum256(out)
		o.Marshal = hex.EncodeToString(h[:8])
	}
	for _, req := range goldenRequests() {
		set := &policy.Set{Identity: []*policy.Policy{p}}
		if c.typ == policy.Resource || c.typ == policy.Trust {
			set = &policy.Set{Resource: p}
		}
		r := set.Evaluate(req)
		o.Decisions = append(o.Decisions, fmt.Sprintf("%s %s %d", r.Decision, r.Reason, r.Statement.Index))
	}
	return o
}

func goldenRequests() []*policy.Request {
	caller := principal.MustParse("arn:aws:iam::111122223333:user/alice")
	ctx := condition.NewContext()
	ctx.SetCaller(condition.Caller{Principal: caller, Tags: map[string]string{"team": "blue", "tenant": "t1"}})
	ctx.Set("aws:SourceIp", "10.1.2.3")
	ctx.Set("aws:SecureTransport", "true")
	ctx.Set("aws:RequestedRegion", "us-east-1")
	ctx.Set("aws:CurrentTime", "2025-06-01T00:00:00Z")
	ctx.SetList("aws:TagKeys", []string{"team", "alice-x"})
	return []*policy.Request{
		{Principal: caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::corp-home/home/alice/a.txt", Context: ctx},
		{Principal: caller, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/logs/111122223333/x", Context: ctx},
		{Principal: caller, Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/app", Context: ctx},
		{Principal: caller, Action: "ec2:DescribeInstances", Resource: "*", Context: ctx},
		{Principal: caller, Action: "iam:CreateUser", Resource: "arn:aws:iam::111122223333:user/bob", Context: ctx},
		{Principal: caller, Action: "dynamodb:Query", Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/app-orders", Context: ctx},
	}
}

// goldenBases are the valid policies mutatedPolicies starts from, with
// the type each is written for; the typical identity policy of
// testdata/parse is added to them.
var goldenBases = []struct {
	typ  policy.Type
	text string
}{
	{policy.Resource, `{"Version":"2012-10-17","Id":"bucket","Statement":[{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},{"Sid":"Cross","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:role/analytics","111122223333"],"Service":"logging.s3.amazonaws.com"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/logs/${aws:PrincipalAccount}/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"},"ArnLike":{"aws:SourceArn":"arn:aws:s3:::src-*"}}},{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}]}`},
	{policy.Trust, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:org/*:ref:refs/heads/main"}}},{"Sid":"Svc","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"],"AWS":"arn:aws:iam::111122223333:root"},"Action":["sts:AssumeRole","sts:TagSession"],"Condition":{"StringEquals":{"sts:ExternalId":"x-1"}}}]}`},
	{policy.SCP, `{"Version":"2012-10-17","Statement":[{"Sid":"DenyOutsideRegions","Effect":"Deny","NotAction":["iam:*","organizations:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]},"ArnNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/Admin"}}},{"Sid":"FullAWSAccess","Effect":"Allow","Action":"*","Resource":"*"}]}`},
	{policy.RCP, `{"Version":"2012-10-17","Statement":[{"Sid":"RCPFullAWSAccess","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"EnforceTLS","Effect":"Deny","Principal":"*","Action":["s3:*","sqs:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"},"NumericLessThan":{"s3:TlsVersion":1.2}}}]}`},
	{policy.Session, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:Get*","s3:List*","ec2:Describe?nstances"],"NotResource":"arn:aws:s3:::secret-*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"IpAddressIfExists":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},"ForAnyValue:StringLike":{"aws:TagKeys":["team","${aws:username}-*"]},"Null":{"aws:TokenIssueTime":"false"}}}}`},
	{policy.Boundary, `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:ResourceTag/owner":"${aws:username}"},"NumericLessThanEquals":{"s3:max-keys":"10"}}},{"Sid":"Deny1","Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01"}}}]}`},
	{policy.Identity, `{"Statement":[{"Effect":"Allow","Action":["dynamodb:Query","dynamodb:GetItem"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/app-*","Condition":{"ForAllValues:StringEquals":{"dynamodb:LeadingKeys":["${aws:PrincipalTag/tenant}"]},"StringEqualsIgnoreCase":{"aws:PrincipalTag/Team":"Blue"}}}]}`},
}

// Replacement material for mutations.
var (
	mutStrings = []string{
		"allow", "Allow", "Deny", "DENY", "*", "", " ", "s3", ":GetObject", "s3:", "s 3:Get", "s3:Get*", "ec2:Describe*", "*:*", "sts:AssumeRole", "iam:Pass?ole",
		"arn:aws:s3", "arn:aws:s3:::b/${aws:username", "arn:aws:s3:::b/${}", "arn:aws:s3:::b/${a${b}}", "arn:aws:s3:::b/${aws:username, 'x}",
		"arn:aws:s3:::b/${aws:username, 'x'}", "arn:aws:s3:::b/${aws:username,x}", "ARN:aws:s3:::b", "bucket/*", "arn:aws:s3:::b/*", "arn:aws:iam::12345:root",
		"arn:aws:iam::111122223333:role/${aws:username}", "123456789012", "1234", "a.b.c", "not-an-ip", "10.0.0.0/33", "10.1.0.0/16", "::1/129", "2020-13-01",
		"2024-01-01T00:00:00Z", "1700000000", "yes", "true", "false", "1.2.3", "-1", "0x10", "2012-10-17", "2008-10-17", "2012-10-18", "S id", "Sid1", "é",
		"caf\u00e9", "\u00ff\u00fe", "ü/€", "tab\there", "line\nbreak", "${*}", "${?}", "${$}", "${aws:username}", "${aws:PrincipalTag/team, 'none'}",
		"ec2.amazonaws.com", "accounts.google.com", "cognito-identity.amazonaws.com", "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
		strings.Repeat("long-value-", 9),
	}
	mutKeys = []string{
		"Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
		"Effects", "effect", "statement", "NotSid", "Foo", "AWS", "aws", "Service", "Federated", "CanonicalUser", "Users",
		"StringEquals", "StringEqualz", "stringequals", "StringLike", "ForAnyValue:IpAddress", "StringLikeIfExists", "ForAllValues:Null", "Null",
		"NumericLessThan", "DateGreaterThan", "Bool", "BinaryEquals", "ArnLike", "ArnEquals", "IpAddress", "ForAnyValue:StringEquals",
		"aws:SourceIp", "AWS:SOURCEIP", "aws:username", "s3:prefix", "a.b", "aws:PrincipalArn", "aws:CurrentTime", "aws:MultiFactorAuthAge",
		"k\"q", "ü", "€",
	}
)

// node is an ordered JSON tree, so that mutations keep member order and
// duplicates.
type node struct {
	kind    byte // 'o', 'a', 's', 'n' (number), 'b', 'z' (null)
	text    string
	members []member
	elems   []*node
}

type member struct {
	key string
	val *node
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		n := &node{kind: 'o'}
		if v == '[' {
			n.kind = 'a'
		}
		for dec.More() {
			if n.kind == 'o' {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				val, err := decodeNode(dec)
				if err != nil {
					return nil, err
				}
				n.members = append(n.members, member{kt.(string), val})
				continue
			}
			e, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.elems = append(n.elems, e)
		}
		_, err := dec.Token()
		return n, err
	case string:
		return &node{kind: 's', text: v}, nil
	case json.Number:
		return &node{kind: 'n', text: v.String()}, nil
	case bool:
		return &node{kind: 'b', text: strconv.FormatBool(v)}, nil
	case nil:
		return &node{kind: 'z'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func (n *node) clone() *node {
	c := *n
	c.members = nil
	c.elems = nil
	for _, m := range n.members {
		c.members = append(c.members, member{m.key, m.val.clone()})
	}
	for _, e := range n.elems {
		c.elems = append(c.elems, e.clone())
	}
	return &c
}

// all lists n and every node under it.
func (n *node) all(out []*node) []*node {
	out = append(out, n)
	for _, m := range n.members {
		out = m.val.all(out)
	}
	for _, e := range n.elems {
		out = e.all(out)
	}
	return out
}

// writer serializes a tree in one of several styles.
type writer struct {
	r      *rand.Rand
	style  int // 0 compact, 1 indented, 2 random white space
	escape bool
	b      strings.Builder
}

func (w *writer) space(depth int) {
	switch w.style {
	case 1:
		w.b.WriteByte('\n')
		w.b.WriteString(strings.Repeat("  ", depth))
	case 2:
		for range w.r.IntN(3) {
			w.b.WriteString([]string{" ", "\t", "\n", "\r\n", "  "}[w.r.IntN(5)])
		}
	}
}

func (w *writer) str(s string) {
	if !w.escape {
		b, _ := json.Marshal(s)
		w.b.Write(bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(b, []byte(`\u003c`), []byte("<")), []byte(`\u003e`), []byte(">")), []byte(`\u0026`), []byte("&")))
		return
	}
	w.b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			w.b.WriteByte('\\')
			w.b.WriteRune(r)
		case r < 0x20 || w.r.IntN(8) == 0:
			fmt.Fprintf(&w.b, `\u%04x`, r)
		case r == '/' && w.r.IntN(2) == 0:
			w.b.WriteString(`\/`)
		default:
			w.b.WriteRune(r)
		}
	}
	w.b.WriteByte('"')
}

func (w *writer) write(n *node, depth int) {
	switch n.kind {
	case 'o':
		w.b.WriteByte('{')
		for i, m := range n.members {
			if i > 0 {
				w.b.WriteByte(',')
			}
			w.space(depth + 1)
			w.str(m.key)
			w.b.WriteByte(':')
			if w.style != 0 {
				w.b.WriteByte(' ')
			}
			w.write(m.val, depth+1)
		}
		if len(n.members) > 0 {
			w.space(depth)
		}
		w.b.WriteByte('}')
	case 'a':
		w.b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				w.b.WriteByte(',')
			}
			w.space(depth + 1)
			w.write(e, depth+1)
		}
		if len(n.elems) > 0 {
			w.space(depth)
		}
		w.b.WriteByte(']')
	case 's':
		w.str(n.text)
	case 'n', 'b':
		w.b.WriteString(n.text)
	default:
		w.b.WriteString("null")
	}
}

// randomValue returns a small value of any kind, or a copy of a node of the
// tree.
func randomValue(r *rand.Rand, nodes []*node) *node {
	switch r.IntN(12) {
	case 0:
		return &node{kind: 'n', text: []string{"1", "0", "-2.5e3", "1.2", "3600"}[r.IntN(5)]}
	case 1:
		return &node{kind: 'b', text: []string{"true", "false"}[r.IntN(2)]}
	case 2:
		return &node{kind: 'z'}
	case 3:
		return &node{kind: 'a'}
	case 4:
		return &node{kind: 'o'}
	case 5:
		n := &node{kind: 'a'}
		for range 1 + r.IntN(3) {
			n.elems = append(n.elems, randomValue(r, nodes))
		}
		return n
	case 6:
		n := &node{kind: 'o'}
		for range 1 + r.IntN(2) {
			n.members = append(n.members, member{mutKeys[r.IntN(len(mutKeys))], randomValue(r, nodes)})
		}
		return n
	case 7, 8:
		return nodes[r.IntN(len(nodes))].clone()
	default:
		return &node{kind: 's', text: mutStrings[r.IntN(len(mutStrings))]}
	}
}

// mutate changes the tree under root in place, once.
func mutate(r *rand.Rand, root *node) {
	nodes := root.all(nil)
	n := nodes[r.IntN(len(nodes))]
	var objs, arrs []*node
	for _, x := range nodes {
		switch x.kind {
		case 'o':
			objs = append(objs, x)
		case 'a':
			arrs = append(arrs, x)
		}
	}
	switch op := r.IntN(10); {
	case op < 3: // replace a value
		if n == root {
			if r.IntN(4) == 0 {
				*n = *randomValue(r, nodes)
			}
			return
		}
		*n = *randomValue(r, nodes)
	case op == 3 && len(objs) > 0: // add a member, maybe a duplicate
		o := objs[r.IntN(len(objs))]
		key := mutKeys[r.IntN(len(mutKeys))]
		if len(o.members) > 0 && r.IntN(3) == 0 {
			key = o.members[r.IntN(len(o.members))].key
			if r.IntN(2) == 0 {
				key = strings.ToUpper(key)
			}
		}
		i := r.IntN(len(o.members) + 1)
		o.members = append(o.members[:i], append([]member{{key, randomValue(r, nodes)}}, o.members[i:]...)...)
	case op == 4 && len(objs) > 0: // delete or rename a member
		o := objs[r.IntN(len(objs))]
		if len(o.members) == 0 {
			return
		}
		i := r.IntN(len(o.members))
		if r.IntN(2) == 0 {
			o.members = append(o.members[:i], o.members[i+1:]...)
		} else {
			o.members[i].key = mutKeys[r.IntN(len(mutKeys))]
		}
	case op == 5 && len(arrs) > 0: // duplicate or drop an element
		a := arrs[r.IntN(len(arrs))]
		if len(a.elems) == 0 {
			return
		}
		i := r.IntN(len(a.elems))
		if r.IntN(3) == 0 {
			a.elems = append(a.elems[:i], a.elems[i+1:]...)
		} else {
			a.elems = append(a.elems, a.elems[i].clone())
		}
	case op == 6: // nest deeply
		depth := 1 + r.IntN(70)
		inner := n.clone()
		for range depth {
			if r.IntN(2) == 0 {
				inner = &node{kind: 'a', elems: []*node{inner}}
			} else {
				inner = &node{kind: 'o', members: []member{{mutKeys[r.IntN(len(mutKeys))], inner}}}
			}
		}
		*n = *inner
	case op == 7: // a string from the list, where strings are
		var strs []*node
		for _, x := range nodes {
			if x.kind == 's' {
				strs = append(strs, x)
			}
		}
		if len(strs) > 0 {
			strs[r.IntN(len(strs))].text = mutStrings[r.IntN(len(mutStrings))]
		}
	case op == 8: // a string of another statement's or element's value
		var strs []*node
		for _, x := range nodes {
			if x.kind == 's' {
				strs = append(strs, x)
			}
		}
		if len(strs) > 1 {
			a, b := strs[r.IntN(len(strs))], strs[r.IntN(len(strs))]
			a.text = b.text
		}
	default: // wrap a string in an array or unwrap an array
		if n.kind == 'a' && len(n.elems) == 1 {
			*n = *n.elems[0]
		} else if n != root {
			*n = node{kind: 'a', elems: []*node{n.clone()}}
		}
	}
}

// mutatedPolicies returns count deterministic mutations of the base
// policies.
func mutatedPolicies(tb testing.TB, count int) []mutatedCase {
	tb.Helper()
	typical, err := os.ReadFile(filepath.Join("testdata", "parse", "typical.json"))
	if err != nil {
		tb.Fatal(err)
	}
	type base struct {
		typ  policy.Type
		tree *node
	}
	var bases []base
	texts := append(goldenBases[:len(goldenBases):len(goldenBases)], struct {
		typ  policy.Type
		text string
	}{policy.Identity, string(typical)})
	for _, b := range texts {
		dec := json.NewDecoder(strings.NewReader(b.text))
		dec.UseNumber()
		tree, err := decodeNode(dec)
		if err != nil {
			tb.Fatalf("base policy: %v", err)
		}
		if _, err := dec.Token(); err != io.EOF {
			tb.Fatalf("base policy: trailing data")
		}
		bases = append(bases, base{b.typ, tree})
	}
	r := rand.New(rand.NewPCG(16, 2331))
	out := make([]mutatedCase, 0, count)
	for len(out) < count {
		b := bases[r.IntN(len(bases))]
		typ := b.typ
		if r.IntN(3) == 0 {
			typ = policy.Type(1 + r.IntN(7))
		}
		tree := b.tree.clone()
		for range r.IntN(4) {
			mutate(r, tree)
		}
		w := &writer{r: r, style: r.IntN(3), escape: r.IntN(5) == 0}
		w.write(tree, 0)
		data := []byte(w.b.String())
		switch r.IntN(16) {
		case 0: // truncated JSON
			data = data[:r.IntN(len(data)+1)]
		case 1: // one byte changed
			i := r.IntN(len(data))
			const bytes = "{}[],:\"\\ax\x01\xff"
			data[i] = bytes[r.IntN(len(bytes))]
		case 2: // a byte order mark or trailing data
			if r.IntN(2) == 0 {
				data = append([]byte("\xef\xbb\xbf"), data...)
			} else {
				data = append(data, " {}"...)
			}
		}
		if !utf8.Valid(data) && r.IntN(2) == 0 {
			continue
		}
		out = append(out, mutatedCase{typ, data})
	}
	return out
}
