package bench

import (
	"fmt"
	"strings"

	"github.com/iamkit/iamkit/policy"
)

// An Engine turns a Scenario's IAM policies into its own form once.
type Engine interface {
	Name() string
	Compile(s *Scenario) (Compiled, error)
}

// Compiled is a scenario's policies in one engine's form, ready to decide
// requests. Prepare converts a raw-string request into the engine's native
// request (the work the from-strings scenario times); the Decider it returns
// decides it, as often as called.
type Compiled interface {
	Prepare(r *Request) (Decider, error)
}

// A Decider decides one prepared request.
type Decider interface {
	Decide() (policy.Decision, error)
}

// Engines returns the three engines, iamkit first.
func Engines() []Engine {
	return []Engine{iamkitEngine{}, cedarEngine{}, opaEngine{}}
}

// caller is what the Cedar and OPA translations need to know about a caller
// ARN: iamkit's principal.Parse does this (and much more) for iamkit.
type caller struct {
	arn     string
	account string
	kind    string // "user", "assumed-role", "role", "root", ...
	roleARN string // for an assumed-role session, the role's ARN
}

// parseCaller splits an IAM or STS caller ARN with plain string operations.
func parseCaller(arn string) (caller, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || (parts[2] != "iam" && parts[2] != "sts") || parts[4] == "" {
		return caller{}, fmt.Errorf("not an IAM caller ARN: %q", arn)
	}
	c := caller{arn: arn, account: parts[4]}
	kind, rest, _ := strings.Cut(parts[5], "/")
	c.kind = kind
	if kind == "assumed-role" {
		role, _, ok := strings.Cut(rest, "/")
		if !ok {
			return caller{}, fmt.Errorf("assumed-role ARN without a session name: %q", arn)
		}
		c.roleARN = "arn:" + parts[1] + ":iam::" + c.account + ":role/" + role
	}
	return c, nil
}

// resourceAccount is the account that owns r's resource, as iamkit derives
// it: Request.ResourceAccount, else the ARN's account field, else the
// caller's account.
func resourceAccount(r *Request, c caller) string {
	if r.ResourceAccount != "" {
		return r.ResourceAccount
	}
	parts := strings.SplitN(r.Resource, ":", 6)
	if len(parts) == 6 && parts[4] != "" {
		return parts[4]
	}
	return c.account
}

// documents parses a scenario's policies with iamkit, for the translators.
type documents struct {
	identity []policy.Document
	boundary *policy.Document
	session  []policy.Document
	resource *policy.Document
	scps     [][]policy.Document
}

func loadDocuments(s *Scenario) (*documents, error) {
	set, err := parseSet(s)
	if err != nil {
		return nil, err
	}
	d := &documents{}
	for _, p := range set.Identity {
		d.identity = append(d.identity, p.Document())
	}
	if set.PermissionsBoundary != nil {
		doc := set.PermissionsBoundary.Document()
		d.boundary = &doc
	}
	for _, p := range set.Session {
		d.session = append(d.session, p.Document())
	}
	if set.Resource != nil {
		doc := set.Resource.Document()
		d.resource = &doc
	}
	for _, level := range set.SCPs {
		var docs []policy.Document
		for _, p := range level {
			docs = append(docs, p.Document())
		}
		d.scps = append(d.scps, docs)
	}
	return d, nil
}

// contextTypes gives the Cedar type of the condition keys the scenarios and
// the parse cases use (what a Cedar schema would declare); other keys are
// strings. A "set" key is multi-valued (Request.Lists); given one string, it
// becomes a set of one.
var contextTypes = map[string]string{
	"aws:SourceIp":               "ip",
	"aws:MultiFactorAuthPresent": "bool",
	"aws:SecureTransport":        "bool",
	"aws:ViaAWSService":          "bool",
	"aws:CurrentTime":            "datetime",
	"aws:MultiFactorAuthAge":     "long",
	"aws:TagKeys":                "set",
	"dynamodb:LeadingKeys":       "set",
}
