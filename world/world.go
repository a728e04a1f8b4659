package world

import (
	"bytes"
	"cmp"
	"context"
	cryptorand "crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
	"github.com/iamkit/iamkit/sts"
)

// defaultJSON is the built-in world; examples/worlds/default.json is a
// copy. Its keys are public: it is for local experiments only.
//
//go:embed default.json
var defaultJSON []byte

// DefaultName names the built-in world in messages.
const DefaultName = "<default world>"

// DefaultJSON returns a copy of the built-in world file
// (examples/worlds/default.json). Its key ring and access keys are
// published in iamkit's README: never serve it to other hosts.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

var defaultWorld = sync.OnceValues(func() (*World, error) { return Load(DefaultName, defaultJSON) })

// Default returns the built-in world, loaded once. The World is shared:
// its Directory must not be changed (Load a copy of [DefaultJSON] to
// change one).
func Default() *World {
	w, err := defaultWorld()
	if err != nil {
		panic("world: the built-in world does not load: " + err.Error())
	}
	return w
}

// World is a loaded world file: the IAM entities of some AWS accounts and
// the key ring that seals session tokens. A World is safe for concurrent
// use.
type World struct {
	name string
	dir  *sts.MemoryDirectory
	// keys is nil when the file has no keyRing.
	keys *sts.KeyRing
	// keyHashes are SHA-256 sums of the key ring's secrets, to recognise
	// the built-in world's public keys in another file.
	keyHashes [][32]byte
	// accessKeys lists the users' active long-term keys in file order.
	accessKeys []AccessKey
	// oidcIssuers are the test OIDC issuers, in file order.
	oidcIssuers []*federation.TestOIDCIssuer
	// samlIdPs are the test SAML identity providers, in file order.
	samlIdPs []TestSAMLIdP
	// ic is the Identity Center instance (nil: none), signIn its users'
	// sign-in credentials by lower-case user name.
	ic     *identitycenter.Instance
	signIn map[string]SignInUser
}

// AccessKey is an active long-term access key of a user of the world.
type AccessKey struct {
	// UserARN is the owner's ARN.
	UserARN string
	// ID is the access key ID (AKIA...).
	ID string
	// Secret is the secret access key.
	Secret sts.Secret
}

// Name returns the name the world was loaded with ([DefaultName] for the
// built-in world).
func (w *World) Name() string { return w.name }

// Directory returns the world's IAM entities.
func (w *World) Directory() *sts.MemoryDirectory { return w.dir }

// KeyRing returns the world's key ring, or nil when the file has none.
func (w *World) KeyRing() *sts.KeyRing { return w.keys }

// AccessKeys returns the users' active long-term access keys in file
// order.
func (w *World) AccessKeys() []AccessKey { return append([]AccessKey(nil), w.accessKeys...) }

// CallerKey returns the first active access key of the world, the caller
// "iamkit credential-process" uses by default.
func (w *World) CallerKey() (AccessKey, bool) {
	if len(w.accessKeys) == 0 {
		return AccessKey{}, false
	}
	return w.accessKeys[0], true
}

// IsDefault reports whether w is the built-in world, or a world holding
// one of the built-in world's public keys (a keyRing secret, or a test
// identity provider's signing key): anyone can seal session tokens, or
// sign identity tokens, for such a world.
func (w *World) IsDefault() bool {
	if w.name == DefaultName {
		return true
	}
	for _, h := range w.keyHashes {
		for _, d := range Default().keyHashes {
			if subtle.ConstantTimeCompare(h[:], d[:]) == 1 {
				return true
			}
		}
	}
	return false
}

// Issuer returns an STS issuer of the world. opts.Directory and opts.Keys
// default to the world's; a world without a key ring gets a random key,
// so only this issuer can open the tokens it seals.
func (w *World) Issuer(opts sts.Options) (*sts.Issuer, error) {
	if opts.Directory == nil {
		opts.Directory = w.dir
	}
	if opts.Keys == nil {
		opts.Keys = w.keys
	}
	if opts.Keys == nil {
		secret := make([]byte, sts.MinKeySize)
		if _, err := cryptorand.Read(secret); err != nil {
			return nil, err
		}
		keys, err := sts.NewKeyRing(sts.Key{ID: 1, Secret: sts.NewSecret(string(secret))})
		if err != nil {
			return nil, err
		}
		opts.Keys = keys
	}
	return sts.NewIssuer(opts)
}

// Error lists every problem of a world file. Use errors.As to get it
// from [Load]'s error.
type Error struct {
	// Problems are in document order.
	Problems []Problem
}

// Problem is one mistake of a world file.
type Problem struct {
	// File is the name the world was loaded with.
	File string
	// Line and Column are 1-based, counting columns in characters as an
	// editor does; 0 when the problem has no place in the file.
	Line, Column int
	// Path is the JSON path of the field, such as "users[0].arn"; "" for
	// the whole file.
	Path    string
	Message string
}

// String returns "FILE:LINE:COLUMN: PATH: message".
func (p Problem) String() string {
	s := p.File + ": "
	if p.Line > 0 {
		s = fmt.Sprintf("%s:%d:%d: ", p.File, p.Line, p.Column)
	}
	if p.Path != "" {
		s += p.Path + ": "
	}
	return s + p.Message
}

// Error joins the problems, one per line.
func (e *Error) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.String()
	}
	return strings.Join(msgs, "\n")
}

// Fields of the world format at each level; see doc.go.
var (
	worldFields          = []string{"description", "keyRing", "accounts", "users", "groups", "roles", "managedPolicies", "resourcePolicies", "oidcProviders", "samlProviders", "instanceProfiles", "identityCenter"}
	worldKeyFields       = []string{"id", "secret"}
	worldAccountFields   = []string{"id", "orgId", "orgPath", "management", "scps", "rcps", "disabledRegions"}
	worldUserFields      = []string{"arn", "uniqueId", "root", "policies", "managedPolicyArns", "groups", "permissionsBoundaryArn", "tags", "accessKeys", "mfaDevices"}
	worldAccessKeyFields = []string{"id", "secret", "inactive"}
	worldMFAFields       = []string{"serialNumber", "seed"}
	worldGroupFields     = []string{"arn", "policies", "managedPolicyArns"}
	worldRoleFields      = []string{"arn", "uniqueId", "trustPolicy", "policies", "managedPolicyArns", "permissionsBoundaryArn", "tags", "maxSessionDuration", "serviceLinked"}
	worldManagedFields   = []string{"arn", "document"}
	worldResourceFields  = []string{"resource", "document"}
)

// LoadFile reads and loads the world file name, or returns [Default] when
// name is "".
func LoadFile(name string) (*World, error) {
	if name == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return load(name, data, func(rel string) ([]byte, error) {
		if !filepath.IsAbs(rel) {
			rel = filepath.Join(filepath.Dir(name), rel)
		}
		return readLimited(rel, maxReferencedFile)
	})
}

// maxReferencedFile bounds a file a world names (SAML metadata: AWS takes
// at most 10,000,000 characters).
const maxReferencedFile = 10_000_000 * 4

// readLimited reads at most limit bytes of a file, refusing a larger one.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return b, nil
}

// Load decodes and validates a world file; name prefixes the messages. On
// a bad file the error is an *[Error] listing every problem with its
// FILE:LINE:COLUMN. Messages never show a secret (key material, secret
// access keys, MFA seeds) and echo an identifier only when it looks like
// one, shortened.
func Load(name string, data []byte) (*World, error) { return load(name, data, nil) }

// load is Load with a reader for the files the world names (nil: a world
// loaded from bytes reads no files).
func load(name string, data []byte, readFile func(string) ([]byte, error)) (*World, error) {
	d := &worldDecoder{file: name, data: data, dir: sts.NewMemoryDirectory(), seen: map[string]jsonpos.Pos{}, readFile: readFile}
	root := jsonpos.ParseReporting(data, d.errorf)
	if root == nil {
		return nil, d.err()
	}
	// One batch for the whole file: loading N entities costs O(N), and no
	// reader ever sees a half-loaded world.
	dir := d.dir
	var w *World
	if err := dir.Batch(func(tx *sts.MemoryDirectory) error {
		d.dir = tx
		w = d.world(root)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(d.errs) > 0 {
		return nil, d.err()
	}
	w.dir, d.dir = dir, dir
	w.name = name
	return w, nil
}

// accessKeyIDShape is the shape of AWS's access key IDs
// (reference_identifiers.html: AKIA for long-term keys, ASIA for
// temporary ones, then 16 characters of base32).
var accessKeyIDShape = regexp.MustCompile(`^(AKIA|ASIA)[A-Z2-7]{16}$`)

// echoKeyID quotes an access key ID for a message only when it looks like
// one: a value in the id field may well be a misplaced secret.
func echoKeyID(id string) string {
	if accessKeyIDShape.MatchString(id) {
		return strconv.Quote(id)
	}
	return fmt.Sprintf("the ID (%d characters, not shown: it does not look like an access key ID)", utf8.RuneCountInString(id))
}

// capQuoted shortens the quoted values in a message of another package
// (sts's reasons, policy findings), as [jsonpos.Echo] does.
func capQuoted(msg string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(msg, '"')
		if i < 0 {
			break
		}
		q, err := strconv.QuotedPrefix(msg[i:])
		if err != nil {
			break
		}
		s, _ := strconv.Unquote(q)
		b.WriteString(msg[:i])
		b.WriteString(jsonpos.Echo(s))
		msg = msg[i+len(q):]
	}
	b.WriteString(msg)
	return b.String()
}

// worldDecoder decodes one world file into a MemoryDirectory.
type worldDecoder struct {
	file string
	data []byte
	errs []Problem
	dir  *sts.MemoryDirectory
	// seen maps "kind ARN" to where the entity was first defined.
	seen map[string]jsonpos.Pos
	// keyHashes are the SHA-256 sums of the key ring's secrets.
	keyHashes [][32]byte
	// refs are the references between entities, checked once all are
	// stored.
	refs []worldRef
	// readFile reads a file the world names, relative to the world
	// file; nil when the world was loaded from bytes.
	readFile func(string) ([]byte, error)
	// accountIDs are the accounts listed, in file order; icPending the
	// Identity Center instance to provision once everything is stored.
	accountIDs []string
	icPending  *identitycenter.Instance
	icPos      jsonpos.Pos
}

// worldRef is a reference from one entity to a group or managed policy.
type worldRef struct {
	path string
	at   jsonpos.Pos
	kind string // "group" or "managed policy"
	arn  string
}

// err returns the problems as an *Error, in document order.
func (d *worldDecoder) err() *Error {
	slices.SortStableFunc(d.errs, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return &Error{Problems: d.errs}
}

// errorf records "FILE:LINE:COLUMN: PATH: message".
func (d *worldDecoder) errorf(path string, at jsonpos.Pos, format string, args ...any) {
	d.errorAt(path, at.Line, at.Column, fmt.Sprintf(format, args...))
}

// errorAt records msg at a line and column of the file.
func (d *worldDecoder) errorAt(path string, line, column int, msg string) {
	d.errs = append(d.errs, Problem{File: d.file, Line: line, Column: column, Path: path, Message: msg})
}

// object returns the members of v by name, reporting a v that is not an
// object, unknown and duplicate fields, and absent required ones. ok is
// false when v is not an object.
func (d *worldDecoder) object(path string, v *jsonpos.Value, known []string, required ...string) (map[string]*jsonpos.Value, bool) {
	if v.Kind != jsonpos.Object {
		d.errorf(path, v.Pos, "must be an object, not %s", v.Kind)
		return nil, false
	}
	out := v.CheckFields(path, known, true, d.errorf)
	for _, r := range required {
		if _, ok := out[r]; !ok {
			d.errorf(jsonpos.JoinPath(path, r), v.Pos, "missing required field")
		}
	}
	return out, true
}

// array returns the elements of v, reporting a v that is not an array.
func (d *worldDecoder) array(path string, v *jsonpos.Value) []*jsonpos.Value {
	if v == nil {
		return nil
	}
	if v.Kind != jsonpos.Array {
		d.errorf(path, v.Pos, "must be an array, not %s", v.Kind)
		return nil
	}
	return v.Array
}

// str returns the string v; v may be nil (absent, "").
func (d *worldDecoder) str(path string, v *jsonpos.Value) string {
	if v == nil {
		return ""
	}
	if v.Kind != jsonpos.String {
		d.errorf(path, v.Pos, "must be a string, not %s", v.Kind)
		return ""
	}
	return v.Str
}

// boolean returns the boolean v; v may be nil (absent, false).
func (d *worldDecoder) boolean(path string, v *jsonpos.Value) bool { return v.AsBool(path, d.errorf) }

// strings returns the array of strings v; v may be nil.
func (d *worldDecoder) strings(path string, v *jsonpos.Value) []string {
	var out []string
	d.eachString(path, v, func(_ string, _ jsonpos.Pos, s string) { out = append(out, s) })
	return out
}

// eachString calls fn with the path, position and text of each string of
// the array v, reporting elements that are not strings; v may be nil.
func (d *worldDecoder) eachString(path string, v *jsonpos.Value, fn func(path string, at jsonpos.Pos, s string)) {
	for i, e := range d.array(path, v) {
		ep := fmt.Sprintf("%s[%d]", path, i)
		if e.Kind != jsonpos.String {
			d.errorf(ep, e.Pos, "must be a string, not %s", e.Kind)
			continue
		}
		fn(ep, e.Pos, e.Str)
	}
}

// policy parses the POLICY value v, a document written as an object or as
// a string holding one, and reports its problems at their place in the
// file.
func (d *worldDecoder) policy(path string, v *jsonpos.Value, typ policy.Type, name string) *policy.Policy {
	doc, ok := jsonpos.Embed(d.data, v)
	if !ok {
		d.errorf(path, v.Pos, "a policy must be a JSON object or a JSON string holding one, not %s", v.Kind)
		return nil
	}
	p, err := policy.ParseWithOptions(doc.Doc, typ, policy.Options{Name: name})
	var pe *policy.Error
	if !errors.As(err, &pe) {
		if err != nil {
			d.errorf(path, v.Pos, "%v", err)
		}
		return p
	}
	for _, f := range pe.Findings {
		msg := f.Message
		if f.Path != "" {
			msg = f.Path + ": " + msg
		}
		line, col := doc.Pos(f.Pos.Line, f.Pos.Column)
		d.errorAt(path, line, col, "invalid "+typ.String()+" policy: "+capQuoted(msg))
	}
	return nil
}

// policies parses an array of policies of one type.
func (d *worldDecoder) policies(path string, v *jsonpos.Value, typ policy.Type) []*policy.Policy {
	var out []*policy.Policy
	for i, e := range d.array(path, v) {
		name := fmt.Sprintf("%s[%d]", path, i)
		if p := d.policy(name, e, typ, name); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// levels parses an array of organization levels, each an array of SCPs or
// RCPs.
func (d *worldDecoder) levels(path string, v *jsonpos.Value, typ policy.Type) [][]*policy.Policy {
	var out [][]*policy.Policy
	for i, lv := range d.array(path, v) {
		lp := fmt.Sprintf("%s[%d]", path, i)
		if lv.Kind != jsonpos.Array {
			d.errorf(lp, lv.Pos, "an organization level must be an array of policies, not %s", lv.Kind)
			continue
		}
		out = append(out, d.policies(lp, lv, typ))
	}
	return out
}

// tags reads an object of strings, keeping document order.
func (d *worldDecoder) tags(path string, v *jsonpos.Value) []sts.Tag {
	if v == nil {
		return nil
	}
	if v.Kind != jsonpos.Object {
		d.errorf(path, v.Pos, "must be an object of strings, not %s", v.Kind)
		return nil
	}
	out := make([]sts.Tag, 0, len(v.Members))
	for _, m := range v.Members {
		if s := d.str(jsonpos.JoinPath(path, jsonpos.Shorten(m.Key)), m.Value); m.Value.Kind == jsonpos.String {
			out = append(out, sts.Tag{Key: m.Key, Value: s})
		}
	}
	return out
}

// firstDefinition reports an entity defined twice and returns false;
// otherwise it remembers where it is.
func (d *worldDecoder) firstDefinition(path, kind, id string, at jsonpos.Pos) bool {
	key := kind + " " + id
	if first, ok := d.seen[key]; ok {
		d.errorf(path, at, "%s %s is defined twice (first at line %d, column %d)", kind, jsonpos.Echo(id), first.Line, first.Column)
		return false
	}
	d.seen[key] = at
	return true
}

// put stores an entity, reporting the directory's objection at the
// entity's identifying field.
func (d *worldDecoder) put(path string, at jsonpos.Pos, err error) {
	if err == nil {
		return
	}
	var ee *sts.EntityError
	if errors.As(err, &ee) {
		d.errorf(path, at, "invalid %s: %s", ee.Kind, capQuoted(ee.Reason))
		return
	}
	d.errorf(path, at, "%s", capQuoted(err.Error()))
}

// world decodes the top-level object.
func (d *worldDecoder) world(root *jsonpos.Value) *World {
	w := &World{dir: d.dir}
	f, ok := d.object("", root, worldFields)
	if !ok {
		return w
	}
	d.str("description", f["description"])
	if v, ok := f["keyRing"]; ok {
		w.keys = d.keyRing(v)
	}
	for i, v := range d.array("accounts", f["accounts"]) {
		d.account(fmt.Sprintf("accounts[%d]", i), v)
	}
	for i, v := range d.array("oidcProviders", f["oidcProviders"]) {
		w.oidcIssuers = append(w.oidcIssuers, d.oidcProvider(fmt.Sprintf("oidcProviders[%d]", i), v)...)
	}
	for i, v := range d.array("samlProviders", f["samlProviders"]) {
		if t := d.samlProvider(fmt.Sprintf("samlProviders[%d]", i), v); t != nil {
			w.samlIdPs = append(w.samlIdPs, *t)
		}
	}
	for i, v := range d.array("managedPolicies", f["managedPolicies"]) {
		d.managedPolicy(fmt.Sprintf("managedPolicies[%d]", i), v)
	}
	for i, v := range d.array("groups", f["groups"]) {
		d.group(fmt.Sprintf("groups[%d]", i), v)
	}
	for i, v := range d.array("users", f["users"]) {
		w.accessKeys = append(w.accessKeys, d.user(fmt.Sprintf("users[%d]", i), v)...)
	}
	for i, v := range d.array("roles", f["roles"]) {
		d.role(fmt.Sprintf("roles[%d]", i), v)
	}
	for i, v := range d.array("instanceProfiles", f["instanceProfiles"]) {
		d.instanceProfile(fmt.Sprintf("instanceProfiles[%d]", i), v)
	}
	for i, v := range d.array("resourcePolicies", f["resourcePolicies"]) {
		d.resourcePolicy(fmt.Sprintf("resourcePolicies[%d]", i), v)
	}
	if v, ok := f["identityCenter"]; ok {
		d.identityCenter(w, v)
		for _, u := range w.signIn {
			if len(u.PasswordHash) > 0 {
				d.keyHashes = append(d.keyHashes, sha256.Sum256(u.PasswordHash))
			}
		}
	}
	d.checkRefs()
	d.provisionIdentityCenter()
	w.keyHashes = d.keyHashes
	return w
}

// keyRing decodes the key ring: the first key seals, every key opens.
func (d *worldDecoder) keyRing(v *jsonpos.Value) *sts.KeyRing {
	var keys []sts.Key
	ok := true
	elems := d.array("keyRing", v)
	if v.Kind == jsonpos.Array && len(elems) == 0 {
		d.errorf("keyRing", v.Pos, "must hold at least one key (or leave keyRing out)")
		return nil
	}
	ids := map[uint32]jsonpos.Pos{}
	for i, e := range elems {
		path := fmt.Sprintf("keyRing[%d]", i)
		f, isObj := d.object(path, e, worldKeyFields, "id", "secret")
		if !isObj {
			ok = false
			continue
		}
		k, good := sts.Key{}, true
		if iv, present := f["id"]; present {
			n, err := strconv.ParseUint(iv.Str, 10, 32)
			if iv.Kind != jsonpos.Number || err != nil {
				d.errorf(path+".id", iv.Pos, "must be an integer from 0 to 4294967295")
				good = false
			} else if first, dup := ids[uint32(n)]; dup {
				d.errorf(path+".id", iv.Pos, "key ID %d is used twice (first at line %d, column %d)", n, first.Line, first.Column)
				good = false
			} else {
				k.ID = uint32(n)
				ids[k.ID] = iv.Pos
			}
		} else {
			good = false
		}
		if sv, present := f["secret"]; present {
			secret, err := decodeBase64(d.str(path+".secret", sv))
			switch {
			case sv.Kind != jsonpos.String:
				good = false
			case err != nil:
				d.errorf(path+".secret", sv.Pos, "must be standard base64 (the key material is not shown)")
				good = false
			case len(secret) < sts.MinKeySize:
				d.errorf(path+".secret", sv.Pos, "decodes to %d bytes; a key needs at least %d (try: head -c 32 /dev/urandom | base64)", len(secret), sts.MinKeySize)
				good = false
			default:
				k.Secret = sts.NewSecret(string(secret))
				d.keyHashes = append(d.keyHashes, sha256.Sum256(secret))
			}
		} else {
			good = false
		}
		if good {
			keys = append(keys, k)
		} else {
			ok = false
		}
	}
	if !ok || len(keys) == 0 {
		return nil
	}
	ring, err := sts.NewKeyRing(keys[0], keys[1:]...)
	if err != nil {
		d.errorf("keyRing", v.Pos, "%v", err)
		return nil
	}
	return ring
}

// decodeBase64 accepts standard base64 with or without padding.
func decodeBase64(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}

// account decodes and stores an account.
func (d *worldDecoder) account(path string, v *jsonpos.Value) {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldAccountFields, "id")
	if !ok {
		return
	}
	d.accountIDs = append(d.accountIDs, d.str(path+".id", f["id"]))
	a := sts.Account{
		ID:              d.str(path+".id", f["id"]),
		OrgID:           d.str(path+".orgId", f["orgId"]),
		OrgPath:         d.str(path+".orgPath", f["orgPath"]),
		Management:      d.boolean(path+".management", f["management"]),
		SCPs:            d.levels(path+".scps", f["scps"], policy.SCP),
		RCPs:            d.levels(path+".rcps", f["rcps"], policy.RCP),
		DisabledRegions: d.strings(path+".disabledRegions", f["disabledRegions"]),
	}
	idv := f["id"]
	if idv == nil {
		return
	}
	if a.ID != "" && !principal.IsAccountID(a.ID) {
		d.errorf(path+".id", idv.Pos, "%s is not a 12-digit account ID", jsonpos.Echo(a.ID))
	}
	if a.OrgID == "" && (a.OrgPath != "" || len(a.SCPs) > 0 || len(a.RCPs) > 0 || a.Management) {
		d.errorf(path, v.Pos, "orgPath, management, scps and rcps need orgId (the account's organization)")
	}
	if a.OrgID != "" && a.OrgPath != "" && (!strings.HasPrefix(a.OrgPath, a.OrgID+"/") || !strings.HasSuffix(a.OrgPath, "/")) {
		d.errorf(path+".orgPath", f["orgPath"].Pos, `must be "ORGID/ROOT/OU.../", beginning with orgId and ending with "/"`)
	}
	if !d.firstDefinition(path+".id", "account", a.ID, idv.Pos) || len(d.errs) > nerr {
		return
	}
	d.put(path+".id", idv.Pos, d.dir.PutAccount(a))
}

// managedPolicy decodes and stores a managed policy.
func (d *worldDecoder) managedPolicy(path string, v *jsonpos.Value) {
	d.document(path, v, worldManagedFields, "arn", "managed policy", policy.Identity, d.dir.PutManagedPolicy)
}

// document decodes an entry that names one policy document by its field
// idField (a managed policy's arn, a resource policy's resource) and
// stores it with put.
func (d *worldDecoder) document(path string, v *jsonpos.Value, known []string, idField, kind string, typ policy.Type, put func(string, *policy.Policy) error) {
	f, ok := d.object(path, v, known, idField, "document")
	if !ok || f[idField] == nil || f["document"] == nil {
		return
	}
	idPath, at := path+"."+idField, f[idField].Pos
	id := d.str(idPath, f[idField])
	p := d.policy(path+".document", f["document"], typ, id)
	if p == nil || id == "" || !d.firstDefinition(idPath, kind, id, at) {
		return
	}
	d.put(idPath, at, put(id, p))
}

// group decodes and stores a group.
func (d *worldDecoder) group(path string, v *jsonpos.Value) {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldGroupFields, "arn")
	if !ok || f["arn"] == nil {
		return
	}
	g := sts.Group{
		ARN:               d.str(path+".arn", f["arn"]),
		Policies:          d.policies(path+".policies", f["policies"], policy.Identity),
		ManagedPolicyARNs: d.managedRefs(path+".managedPolicyArns", f["managedPolicyArns"]),
	}
	if len(d.errs) > nerr || !d.firstDefinition(path+".arn", "group", g.ARN, f["arn"].Pos) {
		return
	}
	d.put(path+".arn", f["arn"].Pos, d.dir.PutGroup(g))
}

// managedRefs reads an array of managed policy ARNs, to be checked once
// every managed policy is stored.
func (d *worldDecoder) managedRefs(path string, v *jsonpos.Value) []string {
	var arns []string
	d.eachString(path, v, func(p string, at jsonpos.Pos, arn string) {
		arns = append(arns, arn)
		d.refs = append(d.refs, worldRef{p, at, "managed policy", arn})
	})
	return arns
}

// boundaryRef reads a permissionsBoundaryArn.
func (d *worldDecoder) boundaryRef(path string, v *jsonpos.Value) string {
	arn := d.str(path, v)
	if arn != "" {
		d.refs = append(d.refs, worldRef{path, v.Pos, "managed policy", arn})
	}
	return arn
}

// user decodes and stores a user and returns its access keys.
func (d *worldDecoder) user(path string, v *jsonpos.Value) []AccessKey {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldUserFields, "arn")
	if !ok || f["arn"] == nil {
		return nil
	}
	arnv := f["arn"]
	u := sts.User{
		ARN:                    d.str(path+".arn", arnv),
		UniqueID:               d.str(path+".uniqueId", f["uniqueId"]),
		Root:                   d.boolean(path+".root", f["root"]),
		Policies:               d.policies(path+".policies", f["policies"], policy.Identity),
		ManagedPolicyARNs:      d.managedRefs(path+".managedPolicyArns", f["managedPolicyArns"]),
		PermissionsBoundaryARN: d.boundaryRef(path+".permissionsBoundaryArn", f["permissionsBoundaryArn"]),
		Tags:                   d.tags(path+".tags", f["tags"]),
	}
	d.eachString(path+".groups", f["groups"], func(p string, at jsonpos.Pos, arn string) {
		u.Groups = append(u.Groups, arn)
		d.refs = append(d.refs, worldRef{p, at, "group", arn})
	})
	if u.UniqueID == "" && !u.Root {
		u.UniqueID = sts.DeterministicUniqueID("AIDA", u.ARN)
	}
	account := ""
	if a, err := principal.ParseARN(u.ARN); err == nil {
		account = a.Account
	}
	var keys []AccessKey
	for i, kv := range d.array(path+".accessKeys", f["accessKeys"]) {
		kp := fmt.Sprintf("%s.accessKeys[%d]", path, i)
		kf, ok := d.object(kp, kv, worldAccessKeyFields, "id", "secret")
		if !ok {
			continue
		}
		k := sts.AccessKey{ID: d.str(kp+".id", kf["id"]), Secret: sts.NewSecret(d.str(kp+".secret", kf["secret"])),
			Inactive: d.boolean(kp+".inactive", kf["inactive"])}
		if idv := kf["id"]; idv != nil && k.ID != "" && account != "" {
			d.checkAccessKeyAccount(kp+".id", idv.Pos, k.ID, account, kp+" "+u.ARN)
		}
		u.AccessKeys = append(u.AccessKeys, k)
		if !k.Inactive {
			keys = append(keys, AccessKey{UserARN: u.ARN, ID: k.ID, Secret: k.Secret})
		}
	}
	for i, mv := range d.array(path+".mfaDevices", f["mfaDevices"]) {
		mp := fmt.Sprintf("%s.mfaDevices[%d]", path, i)
		mf, ok := d.object(mp, mv, worldMFAFields, "serialNumber", "seed")
		if !ok || mf["seed"] == nil {
			continue
		}
		m := sts.MFADevice{SerialNumber: d.str(mp+".serialNumber", mf["serialNumber"])}
		if mf["seed"].Kind != jsonpos.String {
			d.str(mp+".seed", mf["seed"])
			continue
		}
		seed, err := decodeTOTPSeed(mf["seed"].Str)
		if err != nil {
			d.errorf(mp+".seed", mf["seed"].Pos, "must be a base32 TOTP seed, as authenticator apps take it (A-Z and 2-7; the seed is not shown)")
			continue
		}
		m.Seed = sts.NewSecret(string(seed))
		u.MFADevices = append(u.MFADevices, m)
	}
	if len(d.errs) > nerr || !d.firstDefinition(path+".arn", "user", u.ARN, arnv.Pos) {
		return nil
	}
	d.put(path+".arn", arnv.Pos, d.dir.PutUser(u))
	return keys
}

// checkAccessKeyAccount reports a long-term access key ID that does not
// encode its owner's account the way AWS's do, so that GetAccessKeyInfo
// answers the owner's account, and suggests one that does. The suggestion
// derives from the ID when it looks like one, else from where the key is
// (where): the value may be a misplaced secret, and a suggestion derived
// from it would give away a hash of it.
func (d *worldDecoder) checkAccessKeyAccount(path string, at jsonpos.Pos, id, account, where string) {
	got, err := sts.AccountFromAccessKeyID(id)
	if err == nil && got == account {
		return
	}
	seed := where
	if accessKeyIDShape.MatchString(id) {
		seed = id
	}
	suggestion, serr := deterministicAccessKeyID(account, seed)
	if serr != nil {
		return // the account ID itself is wrong; PutUser reports it
	}
	if err != nil {
		d.errorf(path, at, "%s is not an access key ID of AWS's form (AKIA and 16 characters of A-Z2-7 encoding the account); for account %s use, say, %q", echoKeyID(id), account, suggestion)
		return
	}
	d.errorf(path, at, "%s encodes account %s, not the owner's account %s (GetAccessKeyInfo answers from the ID); use, say, %q", echoKeyID(id), got, account, suggestion)
}

// role decodes and stores a role.
func (d *worldDecoder) role(path string, v *jsonpos.Value) {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldRoleFields, "arn", "trustPolicy")
	if !ok || f["arn"] == nil {
		return
	}
	arnv := f["arn"]
	r := sts.Role{
		ARN:                    d.str(path+".arn", arnv),
		UniqueID:               d.str(path+".uniqueId", f["uniqueId"]),
		Policies:               d.policies(path+".policies", f["policies"], policy.Identity),
		ManagedPolicyARNs:      d.managedRefs(path+".managedPolicyArns", f["managedPolicyArns"]),
		PermissionsBoundaryARN: d.boundaryRef(path+".permissionsBoundaryArn", f["permissionsBoundaryArn"]),
		Tags:                   d.tags(path+".tags", f["tags"]),
		ServiceLinked:          d.boolean(path+".serviceLinked", f["serviceLinked"]),
	}
	if tv := f["trustPolicy"]; tv != nil {
		r.TrustPolicy = d.policy(path+".trustPolicy", tv, policy.Trust, path+".trustPolicy")
	}
	if mv := f["maxSessionDuration"]; mv != nil {
		n, err := strconv.ParseInt(mv.Str, 10, 32)
		if mv.Kind != jsonpos.Number || err != nil || n < 3600 || n > 43200 {
			d.errorf(path+".maxSessionDuration", mv.Pos, "must be a whole number of seconds from 3600 to 43200 (1 to 12 hours)")
		}
		r.MaxSessionDuration = time.Duration(n) * time.Second
	}
	if r.UniqueID == "" {
		r.UniqueID = sts.DeterministicUniqueID("AROA", r.ARN)
	}
	if len(d.errs) > nerr || !d.firstDefinition(path+".arn", "role", r.ARN, arnv.Pos) {
		return
	}
	d.put(path+".arn", arnv.Pos, d.dir.PutRole(r))
}

// resourcePolicy decodes and stores a resource-based policy.
func (d *worldDecoder) resourcePolicy(path string, v *jsonpos.Value) {
	d.document(path, v, worldResourceFields, "resource", "resource policy", policy.Resource, d.dir.PutResourcePolicy)
}

// checkRefs reports references to groups and managed policies the world
// does not define: the directory would answer as if they did not exist.
func (d *worldDecoder) checkRefs() {
	ctx := context.Background()
	for _, r := range d.refs {
		var err error
		section := "groups"
		if r.kind == "group" {
			_, err = d.dir.Group(ctx, r.arn)
		} else {
			_, err = d.dir.ManagedPolicy(ctx, r.arn)
			section = "managedPolicies"
		}
		if errors.Is(err, sts.ErrNotFound) {
			d.errorf(r.path, r.at, "%s %s is not defined in %s", r.kind, jsonpos.Echo(r.arn), section)
		}
	}
}

// decodeTOTPSeed decodes a base32 TOTP seed as authenticator apps accept
// it: case-insensitive, spaces and padding optional.
func decodeTOTPSeed(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	s = strings.TrimRight(s, "=")
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err == nil && len(b) == 0 {
		err = errors.New("empty seed")
	}
	return b, err
}

// deterministicAccessKeyID returns an AKIA access key ID encoding account,
// its other bits derived from seed.
func deterministicAccessKeyID(account, seed string) (string, error) {
	sum := sha256.Sum256([]byte("iamkit world access key ID\x00" + seed))
	return sts.NewAccessKeyID("AKIA", account, bytes.NewReader(sum[:]))
}
