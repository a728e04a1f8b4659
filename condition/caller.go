package condition

import (
	"strconv"
	"time"

	"github.com/iamkit/iamkit/principal"
)

// Caller describes who makes a request, for [Context.SetCaller].
type Caller struct {
	// Principal is the authenticated principal.
	Principal principal.Principal
	// UserID is aws:userid: AIDA… for an IAM user, AROA…:session for an
	// assumed role, ACCOUNT:name for a federated user, the account ID for
	// the root user and "anonymous" for anonymous callers. When empty,
	// SetCaller derives what can be derived from Principal (root, anonymous
	// and federated users); IAM users and roles need their unique IDs.
	UserID string
	// Tags are the principal's tags, set as aws:PrincipalTag/KEY.
	Tags map[string]string
	// OrgID is aws:PrincipalOrgID; empty when the account is in no
	// organization.
	OrgID string
	// OrgPaths is aws:PrincipalOrgPaths (multi-valued).
	OrgPaths []string
	// Now is the request time, set as aws:CurrentTime and aws:EpochTime. The
	// zero time sets neither.
	Now time.Time
}

// SetCaller sets the global condition keys that describe the caller, as
// reference_policies_condition-keys.html says each is present:
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
// aws:username (IAM users only), aws:PrincipalTag/KEY, aws:PrincipalOrgID,
// aws:PrincipalOrgPaths, aws:CurrentTime and aws:EpochTime. Keys that do not
// apply (an empty value, or aws:username for anything but an IAM user) are
// left unset, so that conditions on them see a missing key.
func (c *Context) SetCaller(caller Caller) {
	p := caller.Principal
	if arn := p.PrincipalARN(); arn != "" {
		c.Set("aws:PrincipalArn", arn)
	}
	if p.Account != "" && p.Kind != principal.KindAnonymous {
		c.Set("aws:PrincipalAccount", p.Account)
	}
	if t := p.PrincipalType(); t != "" {
		c.Set("aws:PrincipalType", t)
	}
	if id := callerUserID(caller); id != "" {
		c.Set("aws:userid", id)
	}
	if p.Kind == principal.KindUser && p.Name != "" {
		c.Set("aws:username", p.Name)
	}
	for k, v := range caller.Tags {
		c.Set("aws:PrincipalTag/"+k, v)
	}
	if caller.OrgID != "" {
		c.Set("aws:PrincipalOrgID", caller.OrgID)
	}
	if caller.OrgPaths != nil {
		c.SetList("aws:PrincipalOrgPaths", caller.OrgPaths)
	}
	if !caller.Now.IsZero() {
		c.SetTime("aws:CurrentTime", caller.Now)
		c.Set("aws:EpochTime", strconv.FormatInt(caller.Now.Unix(), 10))
	}
}

// callerUserID returns aws:userid: the given one, or the one AWS documents
// for principals whose ID follows from their identity.
func callerUserID(caller Caller) string {
	if caller.UserID != "" {
		return caller.UserID
	}
	p := caller.Principal
	switch p.Kind {
	case principal.KindAccount:
		return p.Account
	case principal.KindAnonymous:
		return "anonymous"
	case principal.KindFederatedUser:
		if p.Account != "" && p.Name != "" {
			return p.Account + ":" + p.Name
		}
	}
	return ""
}
