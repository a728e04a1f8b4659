package policy

import (
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/principal"
)

// Request is one API call to authorize: who (Principal), what (Action), on
// what (Resource, owned by ResourceAccount) and in which circumstances
// (Context, built once per request; see [condition.Context.SetCaller] for
// the global keys a caller implies).
type Request struct {
	Principal principal.Principal
	// Action is "service:Action", e.g. "s3:GetObject". Matched
	// case-insensitively.
	Action string
	// Resource is the ARN of the resource, or "*" for actions that do not
	// support resource-level permissions.
	Resource string
	// ResourceAccount owns the resource. Empty means the account in the
	// Resource ARN, or the caller's account when the ARN has none (S3).
	ResourceAccount string
	// Context holds the request's condition keys. Nil means none.
	Context *condition.Context
	// PrincipalInManagementAccount is true when the caller belongs to the
	// organization's management account: SCPs do not apply to it.
	PrincipalInManagementAccount bool
	// ResourceInManagementAccount is true when the resource belongs to the
	// organization's management account: RCPs do not apply to it.
	ResourceInManagementAccount bool
}

// Set is every policy that applies to one request. A nil or empty field
// means that kind of policy is absent. A Set holds only immutable policies,
// so one Set may serve concurrent evaluations as long as nobody modifies its
// slices.
type Set struct {
	// Identity lists the identity-based policies of the caller (for a role
	// session, the role's policies; for a federated user, the IAM user's).
	Identity []*Policy
	// PermissionsBoundary is the caller's permissions boundary, if any.
	PermissionsBoundary *Policy
	// Session lists the session policies of the caller's session (inline
	// and managed together). For a federated user (GetFederationToken)
	// an empty list means the session has no permissions.
	Session []*Policy
	// Resource is the resource-based policy of the resource: a bucket
	// policy, a KMS key policy or, for sts:AssumeRole, the role's trust
	// policy (parsed as [Trust]).
	Resource *Policy
	// SCPs lists the service control policies of the caller's account by
	// organization level, root first and account last. Every level must
	// allow. Nil means no organization.
	SCPs [][]*Policy
	// RCPs lists the resource control policies of the resource's account by
	// level, root first. RCPFullAWSAccess is implied at every level, so
	// RCPs only deny.
	RCPs [][]*Policy
}

// Decision is the outcome of an evaluation, named as AWS's policy simulator
// names its EvalDecision values.
type Decision uint8

// Decisions. The zero value is ImplicitDeny: without an allow, a request is
// denied.
const (
	ImplicitDeny Decision = iota
	Allowed
	ExplicitDeny
)

// String returns "implicitDeny", "allowed" or "explicitDeny".
func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// MarshalText returns [Decision.String].
func (d Decision) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Source says which kind of policy, in its place in a [Set], decided.
type Source uint8

// Sources.
const (
	SourceNone Source = iota
	SourceIdentity
	SourceBoundary
	SourceSession
	SourceResource
	SourceSCP
	SourceRCP
	// SourceRootUser is the account root user's implicit full access to its
	// own account.
	SourceRootUser
)

var sourceNames = [...]string{"", "identity-based policy", "permissions boundary", "session policy", "resource-based policy", "service control policy", "resource control policy", "root user"}

// String names the source in words ("identity-based policy").
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}

// Result is the outcome of [Set.Evaluate]: the decision, why in one code,
// and the statement that decided (if one did). Computing it allocates
// nothing.
type Result struct {
	Decision Decision
	Reason   Reason
	// Source is the kind of policy that allowed or blocked the request.
	Source Source
	// Statement is the decisive statement: the explicit deny, or the allow
	// that granted access. Zero when no statement decided (an implicit
	// deny).
	Statement StatementRef
	// ResourceStatement is, for a cross-account allow, the resource-based
	// policy statement that granted the other half.
	ResourceStatement StatementRef
	// Protection is the rule that refused a change to a resource AWS owns
	// (Reason is ReasonProtected), else ProtectionNone.
	Protection ProtectionRule
}

// StatementRef points at one statement of one policy.
type StatementRef struct {
	Policy *Policy
	Index  int // statement index in the policy
	Level  int // organization level for SCPs and RCPs (0 = root), else 0
}

// IsZero reports whether the reference points at nothing.
func (r StatementRef) IsZero() bool { return r.Policy == nil }

// Sid returns the statement's Sid ("" if none).
func (r StatementRef) Sid() string {
	if r.Policy == nil {
		return ""
	}
	return r.Policy.stmts[r.Index].sid
}

// Position returns where the statement starts in its policy's JSON.
func (r StatementRef) Position() Position {
	if r.Policy == nil {
		return Position{}
	}
	return r.Policy.stmts[r.Index].pos
}

// Effect returns the statement's effect.
func (r StatementRef) Effect() Effect {
	if r.Policy == nil {
		return 0
	}
	return r.Policy.stmts[r.Index].effect
}

// grant ranks how a resource-based policy statement matched the caller; it
// decides whether the grant needs the identity side and whether boundaries
// and session policies limit it. Higher is stronger.
type grant uint8

const (
	grantNone grant = iota
	// grantAccount: the account (ID or :root) was named: authority is
	// delegated to the account's identity-based policies.
	grantAccount
	// grantWildcard: "*" or NotPrincipal without naming the caller: grants,
	// limited by boundaries and session policies.
	grantWildcard
	// grantRole: the role ARN was named for one of its sessions: grants,
	// limited by boundaries and session policies.
	grantRole
	// grantDirect: the user, the role session, the federated user, the
	// service, or "*" narrowed by an aws:PrincipalArn condition: not limited
	// by boundaries or session policies.
	grantDirect
)

// outcome is what scanning one policy found.
type outcome struct {
	deny  int // index of the first matching Deny statement, -1 if none
	allow int // index of the strongest matching Allow statement, -1 if none
	grant grant
}

var emptyContext = condition.NewContext()

// emptySet stands in for a nil *Set: no policies.
var emptySet Set

// Evaluate decides the request as AWS does; see the package documentation
// for the logic and the documented choices. It allocates nothing.
//
// A nil Set is an empty one: no policy of any kind. A nil Request is an
// implicit deny with ReasonNoRequest.
func (s *Set) Evaluate(r *Request) Result {
	var res Result
	if r == nil {
		res.Reason = ReasonNoRequest
		return res
	}
	if s == nil {
		s = &emptySet
	}
	s.evaluate(r, nil, &res)
	if res.Decision == Allowed {
		protect(r, &res)
	}
	return res
}

// Explain decides the request like [Set.Evaluate] and also reports every
// statement that matched, why each other statement did not (which element
// missed), the decision of each policy type and the context keys that
// conditions needed but the request lacked. Like Evaluate, it takes a nil
// Set as an empty one and answers a nil Request with ReasonNoRequest.
func (s *Set) Explain(r *Request) *Explanation {
	tr := &tracer{}
	var res Result
	if s == nil {
		s = &emptySet
	}
	if r == nil {
		res.Reason = ReasonNoRequest
		e := tr.explanation(res)
		e.PolicyTypes = tr.policyTypes(s, nil)
		return e
	}
	s.evaluate(r, tr, &res)
	if res.Decision == Allowed {
		protect(r, &res)
	}
	tr.applicability(s, r)
	e := tr.explanation(res)
	e.Misses = tr.misses(s, r)
	e.PolicyTypes = tr.policyTypes(s, r)
	return e
}

// evaluate decides r into *out, which must be the zero Result: the decision
// is written in place rather than returned, so the Result is not copied from
// frame to frame.
func (s *Set) evaluate(r *Request, tr *tracer, out *Result) {
	ctx := r.Context
	if ctx == nil {
		ctx = emptyContext
	}
	caller := &r.Principal
	in := evalInput{r: r, ctx: ctx, tr: tr, hasBoundary: s.PermissionsBoundary != nil}
	var lower [64]byte
	var words [8]uint64
	in.action = lowerAction(&lower, &words, r.Action)
	if len(r.Action) <= len(lower) {
		in.words = &words
	}
	// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
	if in.action == "sts:getcalleridentity" {
		*out = Result{Decision: Allowed, Reason: ReasonGetCallerIdentity}
		return
	}
	hasIdentity := caller.Kind.HasIdentityPolicies()
	scpApplies := len(s.SCPs) > 0 && hasIdentity && !r.PrincipalInManagementAccount && !caller.IsServiceLinkedRole()
	rcpApplies := len(s.RCPs) > 0 && !r.ResourceInManagementAccount && !caller.IsServiceLinkedRole() && rcpSupported(r.Action) &&
		in.action != "kms:retiregrant" // "RCPs do not impact the kms:RetireGrant permission."

	// 1. Explicit deny in any applicable policy wins.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
	if rcpApplies {
		for lvl, ps := range s.RCPs {
			for _, p := range ps {
				if o := scan(p, &in, SourceRCP, lvl); o.deny >= 0 && tr == nil {
					*out = denied(SourceRCP, p, o.deny, lvl)
					return
				}
			}
		}
	}
	var scpFail = -1
	if scpApplies {
		for lvl, ps := range s.SCPs {
			allowed := false
			for _, p := range ps {
				o := scan(p, &in, SourceSCP, lvl)
				if o.deny >= 0 && tr == nil {
					*out = denied(SourceSCP, p, o.deny, lvl)
					return
				}
				allowed = allowed || o.allow >= 0
			}
			if !allowed && scpFail < 0 {
				scpFail = lvl
			}
		}
	}
	var res outcome
	res.deny, res.allow = -1, -1
	if s.Resource != nil {
		res = scan(s.Resource, &in, SourceResource, 0)
		if res.deny >= 0 && tr == nil {
			*out = denied(SourceResource, s.Resource, res.deny, 0)
			return
		}
	}
	sd := sides{boundaryOK: true, sessionOK: true, noSessionPolicies: len(s.Session) == 0, root: caller.Kind == principal.KindAccount}
	if hasIdentity {
		for _, p := range s.Identity {
			o := scan(p, &in, SourceIdentity, 0)
			if o.deny >= 0 && tr == nil {
				*out = denied(SourceIdentity, p, o.deny, 0)
				return
			}
			if o.allow >= 0 && !sd.identityAllow {
				sd.identityAllow, sd.identityRef = true, StatementRef{Policy: p, Index: o.allow}
			}
		}
		// The root user has full access to its own account's resources; no
		// identity-based policy can be attached to it.
		sd.identityAllow = sd.identityAllow || sd.root
		if p := s.PermissionsBoundary; p != nil {
			o := scan(p, &in, SourceBoundary, 0)
			if o.deny >= 0 && tr == nil {
				*out = denied(SourceBoundary, p, o.deny, 0)
				return
			}
			sd.boundaryOK, sd.hasBoundary = o.allow >= 0, true
		}
		if len(s.Session) > 0 {
			sd.sessionOK = false
			for _, p := range s.Session {
				o := scan(p, &in, SourceSession, 0)
				if o.deny >= 0 && tr == nil {
					*out = denied(SourceSession, p, o.deny, 0)
					return
				}
				sd.sessionOK = sd.sessionOK || o.allow >= 0
			}
		} else if caller.Kind == principal.KindFederatedUser {
			// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
			sd.sessionOK = false
		}
	}
	if tr != nil {
		tr.scanned = true
		if d, ok := tr.firstDeny(); ok {
			*out = d
			return
		}
	}

	// 2. SCPs must allow at every level; they cap resource-based grants too.
	if scpFail >= 0 {
		*out = Result{Decision: ImplicitDeny, Reason: ReasonSCPNoAllow, Source: SourceSCP, Statement: StatementRef{Level: scpFail}}
		return
	}
	// 3. Callers outside IAM (anonymous, services, identity providers) have
	// no identity side: only the resource-based policy can grant.
	if !hasIdentity {
		if res.allow >= 0 {
			*out = Result{Decision: Allowed, Reason: ReasonAllowedResource, Source: SourceResource, Statement: StatementRef{Policy: s.Resource, Index: res.allow}}
			return
		}
		*out = Result{Decision: ImplicitDeny, Reason: ReasonNoAllow}
		return
	}
	s.decide(r, &sd, &res, out)
}

// decide applies the allow rules once no explicit deny or SCP has decided
// (steps 4 and 5 of the package documentation) for a caller subject to
// identity-based policies.
func (s *Set) decide(r *Request, sd *sides, res *outcome, out *Result) {
	caller := &r.Principal
	var resRef StatementRef // the resource-based policy's allow, if any
	if res.allow >= 0 {
		resRef = StatementRef{Policy: s.Resource, Index: res.allow}
	}
	var arn arnParts
	arn.split(r.Resource)
	// The resource's account: ResourceAccount, else the ARN's, else (an
	// ARN without one, as in S3) the caller's.
	resAccount := r.ResourceAccount
	if resAccount == "" {
		resAccount = arn.account()
	}
	sameAccount := caller.Account != "" && (resAccount == "" || resAccount == caller.Account)
	// Role trust policies and KMS key policies must grant even within the
	// account; without one in the Set nothing can.
	trust := (s.Resource != nil && s.Resource.typ == Trust) || (isSTSAction(r.Action) && arn.isRole())
	if trust && res.allow < 0 {
		*out = Result{Decision: ImplicitDeny, Reason: ReasonTrustPolicy, Source: SourceResource}
		return
	}
	if res.allow < 0 && arn.isKMSKey() {
		*out = Result{Decision: ImplicitDeny, Reason: ReasonKeyPolicy, Source: SourceResource}
		return
	}

	// 4. Cross-account: both sides must allow.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
	if !sameAccount {
		if res.allow < 0 {
			if s.Resource == nil {
				*out = Result{Decision: ImplicitDeny, Reason: ReasonCrossAccountNoResourcePolicy, Source: SourceResource}
				return
			}
			*out = Result{Decision: ImplicitDeny, Reason: ReasonCrossAccountResource, Source: SourceResource}
			return
		}
		sd.identity(out)
		if out.Decision == Allowed {
			out.Reason, out.ResourceStatement = ReasonAllowedCrossAccount, resRef
		}
		return
	}

	// 5. Same account.
	if trust {
		if res.grant == grantWildcard && isSelfAssume(caller, &arn) {
			*out = Result{Decision: ImplicitDeny, Reason: ReasonSelfAssume, Source: SourceResource}
			return
		}
		if res.grant >= grantWildcard {
			// A trust policy that names the caller stands in for the
			// identity-based allow, but the boundary, the session policy and
			// SCPs still apply.
			sd.limited(ReasonAllowedTrust, resRef, out)
			return
		}
		sd.identity(out)
		return
	}
	switch {
	case res.grant == grantDirect:
		*out = Result{Decision: Allowed, Reason: ReasonAllowedResource, Source: SourceResource, Statement: resRef}
		return
	case res.grant >= grantWildcard:
		sd.limited(ReasonAllowedResource, resRef, out)
		return
	}
	if sd.identityAllow && sd.boundaryOK && sd.sessionOK && !sd.identityRef.IsZero() {
		// The usual allow, without a call, into the zero *out.
		out.Decision, out.Reason, out.Source, out.Statement = Allowed, ReasonAllowedIdentity, SourceIdentity, sd.identityRef
		return
	}
	sd.identity(out)
	// "No policy allows" unless the boundary or a session policy allowed:
	// then what is missing is the identity-based allow, as AWS's message
	// says ("because no identity-based policy allows the ... action",
	// troubleshoot_access-denied.html).
	if out.Reason == ReasonNoIdentityAllow && !(sd.hasBoundary && sd.boundaryOK || !sd.noSessionPolicies && sd.sessionOK) {
		out.Reason, out.Source = ReasonNoAllow, SourceNone
	}
}

// sides is what the caller's side of the evaluation found.
type sides struct {
	identityAllow     bool // an identity-based policy allows (or the root user)
	boundaryOK        bool // no boundary, or it allows
	sessionOK         bool // no session policy limits, or one allows
	noSessionPolicies bool
	hasBoundary       bool // set when the boundary is scanned
	root              bool
	identityRef       StatementRef
}

// identity decides by the identity side alone: an identity-based allow,
// within the boundary and the session policies.
func (sd *sides) identity(out *Result) {
	switch {
	case !sd.identityAllow:
		*out = Result{Decision: ImplicitDeny, Reason: ReasonNoIdentityAllow, Source: SourceIdentity}
	case sd.limits(out):
	case sd.root && sd.identityRef.IsZero():
		*out = Result{Decision: Allowed, Reason: ReasonAllowedRoot, Source: SourceRootUser}
	default:
		*out = Result{Decision: Allowed, Reason: ReasonAllowedIdentity, Source: SourceIdentity, Statement: sd.identityRef}
	}
}

// limited decides a resource-based grant that the boundary and the session
// policies limit.
func (sd *sides) limited(reason Reason, resRef StatementRef, out *Result) {
	if !sd.limits(out) {
		*out = Result{Decision: Allowed, Reason: reason, Source: SourceResource, Statement: resRef}
	}
}

// limits writes the implicit deny of a boundary or session policy, if any,
// and reports whether there was one.
func (sd *sides) limits(out *Result) bool {
	switch {
	case !sd.boundaryOK:
		*out = Result{Decision: ImplicitDeny, Reason: ReasonBoundary, Source: SourceBoundary}
	case !sd.sessionOK && sd.noSessionPolicies:
		*out = Result{Decision: ImplicitDeny, Reason: ReasonFederatedNoSessionPolicy, Source: SourceSession}
	case !sd.sessionOK:
		*out = Result{Decision: ImplicitDeny, Reason: ReasonSession, Source: SourceSession}
	default:
		return false
	}
	return true
}

func denied(src Source, p *Policy, i, lvl int) Result {
	return Result{Decision: ExplicitDeny, Reason: ReasonExplicitDeny, Source: src, Statement: StatementRef{Policy: p, Index: i, Level: lvl}}
}

// evalInput is what every policy scan of one evaluation shares.
type evalInput struct {
	r           *Request
	ctx         *condition.Context
	tr          *tracer
	hasBoundary bool   // the caller has a permissions boundary
	svcBit      uint64 // serviceBit of the request's action, once a scan needs it
	action      string // the request's action, lower-cased (ASCII)
	src         Source // the kind of policy being scanned, for the tracer
	lvl         int    // its organization level, for the tracer
	// words is action packed as for wordAction, or nil when the action is
	// too long to pack.
	words *[8]uint64
}

// lowerAction packs action lower-cased (ASCII) into words, eight bytes to a
// little-endian word and zero-padded, as [wordAction] compares it, and
// returns the lower-cased action. The string is words' own memory on
// little-endian machines and buf elsewhere, so nothing is allocated. Longer
// actions (none exist in AWS) are returned as they are, which the patterns
// still match case-insensitively.
func lowerAction(buf *[64]byte, words *[8]uint64, action string) string {
	n := len(action)
	if n > len(buf) {
		return action
	}
	b := unsafe.Slice(unsafe.StringData(action), n) // read only
	i := 0
	for ; i+8 <= n; i += 8 {
		words[(i>>3)&7] = lowerWord(binary.LittleEndian.Uint64(b[i:]))
	}
	if rem := n - i; rem > 0 {
		var w uint64
		if n >= 8 {
			// The last eight bytes, shifted down to the rem that are new.
			w = binary.LittleEndian.Uint64(b[n-8:]) >> (64 - 8*rem)
		} else {
			for j := n - 1; j >= 0; j-- {
				w = w<<8 | uint64(b[j])
			}
		}
		words[(i>>3)&7] = lowerWord(w)
	}
	if !littleEndian {
		for j := 0; j < n; j += 8 {
			binary.LittleEndian.PutUint64(buf[j:], words[(j>>3)&7])
		}
		return unsafe.String(&buf[0], n)
	}
	// words is not written again while the string is in use.
	return unsafe.String((*byte)(unsafe.Pointer(words)), n)
}

// actionServiceBit returns the [serviceBit] of an action that lowerAction
// returned, from its first packed word when it was packed (words non-nil).
func actionServiceBit(action string, words *[8]uint64) uint64 {
	if words != nil {
		return serviceBitWord(words[0])
	}
	return serviceBit(action)
}

// littleEndian reports whether words hold their bytes in string order.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// scan evaluates every statement of p against the request.
func scan(p *Policy, in *evalInput, src Source, lvl int) outcome {
	in.src, in.lvl = src, lvl
	if p.byService != nil {
		return scanIndexed(p, in)
	}
	o := outcome{deny: -1, allow: -1}
	if p.actions.slots != nil && in.words != nil {
		if list, ok := p.actions.lookup(in.words, len(in.action)); ok {
			for _, i := range list {
				if p.visit(int(i), in, &o, true) {
					return o
				}
			}
			return o
		}
	}
	if in.svcBit == 0 { // serviceBit is never 0
		in.svcBit = actionServiceBit(in.action, in.words)
	}
	for i, m := range p.svcMasks {
		// Statements for other services are skipped without a call.
		if m&in.svcBit != 0 && p.visit(i, in, &o, false) {
			return o
		}
	}
	return o
}

// scanIndexed is scan for large policies: only the statements naming the
// request's service and those that may match any service, merged in
// document order.
func scanIndexed(p *Policy, in *evalInput) outcome {
	o := outcome{deny: -1, allow: -1}
	svc := in.action
	if j := strings.IndexByte(svc, ':'); j >= 0 {
		svc = svc[:j]
	}
	m := merger{last: -1}
	if p.resByService[svc].candidates(in.r.Resource, &m) && p.resAny.candidates(in.r.Resource, &m) {
		for {
			i, ok := m.next()
			if !ok {
				return o
			}
			if p.visit(int(i), in, &o, false) {
				return o
			}
		}
	}
	// Too many prefix lists: the service-level lists instead.
	named, wild := p.byService[svc], p.anyService
	for len(named) > 0 || len(wild) > 0 {
		var i int32
		if len(wild) == 0 || (len(named) > 0 && named[0] < wild[0]) {
			i, named = named[0], named[1:]
		} else {
			i, wild = wild[0], wild[1:]
		}
		if p.visit(int(i), in, &o, false) {
			return o
		}
	}
	return o
}

// visit evaluates statement i of p, which names the request's service (or
// may), and records it in o; it reports whether the scan can stop (a deny,
// when not tracing). actionMatched says the action table already found that
// the statement's Action matches.
func (p *Policy) visit(i int, in *evalInput, o *outcome, actionMatched bool) bool {
	st := &p.stmts[i]
	ctx := in.ctx
	if !actionMatched && !st.matchAction(in) || !st.anyResource && !st.matchResource(in.r.Resource, ctx) {
		return false
	}
	g := grantDirect
	if p.typ == Resource || p.typ == Trust {
		if g = st.matchPrincipal(&in.r.Principal, in.hasBoundary); g == grantNone {
			return false
		}
	}
	if len(st.conds) > 0 {
		if in.tr != nil {
			if !st.matchConditions(ctx, in.tr) {
				return false
			}
		} else if !st.conditionsHold(ctx) {
			return false
		}
	}
	if in.tr != nil {
		in.tr.record(in.src, p, i, in.lvl)
	}
	if st.effect == Deny {
		if o.deny < 0 {
			o.deny = i
			return in.tr == nil
		}
		return false
	}
	if g > o.grant {
		o.grant, o.allow = g, i
	}
	return false
}

// matchAction matches the request's action: with word comparisons when
// the statement's actions are all literal or literal-then-'*' (the usual
// case), else with the compiled patterns.
func (st *stmt) matchAction(in *evalInput) bool {
	if st.wordActions == nil || in.words == nil {
		return st.matchActionPatterns(in)
	}
	for i := range st.wordActions {
		if st.wordActions[i].match(in.words, len(in.action)) {
			return !st.notAction
		}
	}
	return st.notAction
}

// matchActionPatterns is matchAction with the compiled patterns, for
// statements with actions that cannot be packed or an action too long to
// pack.
func (st *stmt) matchActionPatterns(in *evalInput) bool {
	for i := range st.actions {
		if st.actions[i].MatchLower(in.action, in.ctx) {
			return !st.notAction
		}
	}
	return st.notAction
}

// wordAction is an Action entry that is literal text, maybe followed by
// one '*', lower-cased and packed eight bytes to a little-endian word
// (zero-padded), so that a request's action packed the same way matches it
// with a few word comparisons and no calls.
type wordAction struct {
	words    []uint64
	n        int    // the literal's length in bytes
	prefix   bool   // a '*' follows the literal
	lastMask uint64 // the bytes of the last word that a prefix compares
}

// newWordAction packs an action pattern, lower-casing it as lowerAction
// does a request's action; ok is false when it has other wildcards or is
// too long.
func newWordAction(pat string) (wordAction, bool) {
	lit, prefix := strings.CutSuffix(pat, "*")
	if strings.ContainsAny(lit, "*?") || len(lit) > 64 {
		return wordAction{}, false
	}
	var buf [64]byte
	copy(buf[:], lit)
	a := wordAction{n: len(lit), prefix: prefix, lastMask: ^uint64(0)}
	for i := 0; i < len(lit) || i == 0; i += 8 {
		a.words = append(a.words, lowerWord(binary.LittleEndian.Uint64(buf[i:])))
	}
	if rem := len(lit) % 8; prefix && (rem != 0 || len(lit) == 0) {
		a.lastMask = 1<<(8*rem) - 1
	}
	return a, true
}

// match reports whether the packed request action of n bytes matches. The
// request is zero-padded like the pattern, so for an exact pattern of the
// same length whole words compare equal.
func (a *wordAction) match(req *[8]uint64, n int) bool {
	if n != a.n && (!a.prefix || n < a.n) {
		return false
	}
	last := len(a.words) - 1
	for i := 0; i < last; i++ {
		if req[i&7] != a.words[i] {
			return false
		}
	}
	return req[last&7]&a.lastMask == a.words[last]
}

func (st *stmt) matchResource(resource string, ctx *condition.Context) bool {
	for i := range st.resources {
		if st.resources[i].Match(resource, ctx) {
			return !st.notResource
		}
	}
	return st.notResource
}

// conditionsHold reports whether every condition of st holds.
func (st *stmt) conditionsHold(ctx *condition.Context) bool {
	for _, c := range st.conds {
		if ok, _ := c.Eval(ctx); !ok {
			return false
		}
	}
	return true
}

// matchConditions is conditionsHold that also reports, to tr, the keys
// conditions needed but ctx lacked; it evaluates every condition.
func (st *stmt) matchConditions(ctx *condition.Context, tr *tracer) bool {
	ok := true
	for _, c := range st.conds {
		cok, missing := c.Eval(ctx)
		if missing {
			tr.missingKey(c.Key())
		}
		ok = ok && cok
	}
	return ok
}

// matchPrincipal decides whether a resource-based statement applies to the
// caller and how strongly it names the caller.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func (st *stmt) matchPrincipal(caller *principal.Principal, hasBoundary bool) grant {
	if !st.hasPrincipal {
		return grantNone
	}
	if st.notPrincipal {
		// "A policy statement that contains NotPrincipal with Deny will
		// always deny any IAM principal that has a permissions boundary
		// policy attached, regardless of the values specified in the
		// NotPrincipal element."
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
		if st.effect == Deny && hasBoundary && caller.HasIdentityPolicies() {
			return grantWildcard
		}
		return st.matchNotPrincipal(caller)
	}
	best := grantNone
	for i := range st.principals {
		var g grant
		switch st.principals[i].Match(caller) {
		case principal.MatchExact:
			g = grantDirect
		case principal.MatchRole:
			g = grantRole
		case principal.MatchWildcard:
			g = grantWildcard
			if st.namesPrincipalARN {
				g = grantDirect
			}
		case principal.MatchAccount:
			g = grantAccount
		}
		if g > best {
			best = g
		}
	}
	return best
}

// matchNotPrincipal applies a NotPrincipal statement to every caller not
// excluded. A caller is excluded only when each principal it acts as is
// listed: itself, its role (for a role session) and its account, as the
// NotPrincipal page's examples require.
func (st *stmt) matchNotPrincipal(caller *principal.Principal) grant {
	var self, role, account bool
	for i := range st.principals {
		switch st.principals[i].Match(caller) {
		case principal.MatchWildcard:
			return grantNone
		case principal.MatchExact:
			self = true
		case principal.MatchRole:
			role = true
			if caller.Kind == principal.KindRole {
				self = true
			}
		case principal.MatchAccount:
			account = true
		}
	}
	excluded := self && (account || caller.Account == "") && (role || caller.Kind != principal.KindAssumedRole)
	if caller.Kind == principal.KindAccount {
		excluded = account || self
	}
	if excluded {
		return grantNone
	}
	return grantWildcard
}

// arnParts is what the evaluator needs of the request's resource ARN: where
// its parts end, found in one pass without allocating. Its parts are empty
// when the resource is not an ARN ("*").
type arnParts struct {
	arn string
	c   [4]int // the colons ending partition, service, region and account
	ok  bool
}

// split fills a in place from arn.
func (a *arnParts) split(arn string) {
	a.arn = arn
	// Shorter than "arn:::::", it cannot have the four colons.
	if len(arn) < 8 || arn[:4] != "arn:" {
		return
	}
	n, i := 0, 4
	if arn[4:8] == "aws:" { // the commercial partition, at once
		a.c[0], n, i = 7, 1, 8
	}
	for ; i < len(arn); i++ {
		if arn[i] == ':' {
			a.c[n&3] = i
			if n++; n == 4 {
				a.ok = true
				return
			}
		}
	}
}

func (a *arnParts) service() string {
	if !a.ok {
		return ""
	}
	return a.arn[a.c[0]+1 : a.c[1]]
}

func (a *arnParts) account() string {
	if !a.ok {
		return ""
	}
	return a.arn[a.c[2]+1 : a.c[3]]
}

func (a *arnParts) resource() string {
	if !a.ok {
		return ""
	}
	return a.arn[a.c[3]+1:]
}

// isKMSKey reports whether the resource is a KMS key, whose key policy must
// grant access even within the account.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
func (a *arnParts) isKMSKey() bool {
	return a.service() == "kms" && strings.HasPrefix(a.resource(), "key/")
}

// isRole reports whether the resource is an IAM role.
func (a *arnParts) isRole() bool {
	return a.service() == "iam" && strings.HasPrefix(a.resource(), "role/")
}

// isSTSAction reports whether action is in the sts service (sts:AssumeRole,
// sts:TagSession, ...); on a role, the role's trust policy must allow it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
func isSTSAction(action string) bool {
	return len(action) > 4 && action[3] == ':' && action[0]|0x20 == 's' && action[1]|0x20 == 't' && action[2]|0x20 == 's'
}

// isSelfAssume reports whether a role session is assuming its own role.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html
func isSelfAssume(caller *principal.Principal, role *arnParts) bool {
	if caller.Kind != principal.KindAssumedRole && caller.Kind != principal.KindRole {
		return false
	}
	if !role.isRole() || role.account() != caller.Account {
		return false
	}
	res := role.resource()
	name := res[strings.LastIndexByte(res, '/')+1:]
	return strings.EqualFold(name, caller.Name)
}

// RCPServices lists the service prefixes whose actions resource control
// policies apply to, as listed on
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
// (S3, STS, KMS, SQS and Secrets Manager at launch; the list has grown since).
// It is data: a program may replace it before evaluating, but must not
// change it while evaluations run.
var RCPServices = []string{
	"aoss", "appconfig", "appstream", "autoscaling", "autoscaling-plans", "budgets",
	"clouddirectory", "cloudfront", "cloudsearch", "cloudtrail-data", "codeartifact",
	"codebuild", "codecommit", "codepipeline", "cognito-identity", "cognito-idp",
	"comprehend", "comprehendmedical", "compute-optimizer", "cost-optimization-hub",
	"dax", "dsql", "dynamodb", "ecr", "ecr-public", "events", "firehose", "fis", "fms",
	"gamelift", "health", "inspector-scan", "kendra", "kinesisvideo", "kms", "logs",
	"memorydb", "networkmonitor", "notifications", "opensearch", "pca-connector-ad",
	"personalize", "polly", "pricing", "resource-groups", "rolesanywhere", "s3",
	"secretsmanager", "servicediscovery", "signin", "sqs", "sts", "support", "swf",
	"textract", "timestream-influxdb", "transcribe", "transfer", "translate",
	"wafv2", "workspaces", "xray",
}

func rcpSupported(action string) bool {
	svc, _, ok := strings.Cut(action, ":")
	if !ok {
		return false
	}
	for _, s := range RCPServices {
		if strings.EqualFold(s, svc) {
			return true
		}
	}
	return false
}
