package bench

import (
	"github.com/iamkit/iamkit/condition"
	"github.com/iamkit/iamkit/policy"
	"github.com/iamkit/iamkit/principal"
)

type iamkitEngine struct{}

func (iamkitEngine) Name() string { return "iamkit" }

func (iamkitEngine) Compile(s *Scenario) (Compiled, error) {
	set, err := parseSet(s)
	if err != nil {
		return nil, err
	}
	return &iamkitCompiled{set: set}, nil
}

// parseSet parses every policy of s into a policy.Set.
func parseSet(s *Scenario) (*policy.Set, error) {
	opt := policy.Options{}
	if s.maxSizeOff {
		opt.MaxSize = -1
	}
	parse := func(doc string, t policy.Type) (*policy.Policy, error) {
		return policy.ParseWithOptions([]byte(doc), t, opt)
	}
	set := &policy.Set{}
	for _, doc := range s.Identity {
		p, err := parse(doc, policy.Identity)
		if err != nil {
			return nil, err
		}
		set.Identity = append(set.Identity, p)
	}
	if s.Boundary != "" {
		p, err := parse(s.Boundary, policy.Boundary)
		if err != nil {
			return nil, err
		}
		set.PermissionsBoundary = p
	}
	for _, doc := range s.Session {
		p, err := parse(doc, policy.Session)
		if err != nil {
			return nil, err
		}
		set.Session = append(set.Session, p)
	}
	if s.Resource != "" {
		p, err := parse(s.Resource, policy.Resource)
		if err != nil {
			return nil, err
		}
		set.Resource = p
	}
	for _, level := range s.SCPs {
		var ps []*policy.Policy
		for _, doc := range level {
			p, err := parse(doc, policy.SCP)
			if err != nil {
				return nil, err
			}
			ps = append(ps, p)
		}
		set.SCPs = append(set.SCPs, ps)
	}
	return set, nil
}

type iamkitCompiled struct{ set *policy.Set }

// Prepare is principal.Parse, condition.NewContext and one Set per context
// key, as the brief for from-strings asks. It does not call SetCaller: the
// scenarios' conditions use no caller keys (see README.md, caveats).
func (c *iamkitCompiled) Prepare(r *Request) (Decider, error) {
	p, err := principal.Parse(r.Principal)
	if err != nil {
		return nil, err
	}
	ctx := condition.NewContext()
	for k, v := range r.Context {
		ctx.Set(k, v)
	}
	for k, vs := range r.Lists {
		ctx.SetList(k, vs)
	}
	return &iamkitDecider{set: c.set, req: policy.Request{
		Principal:       p,
		Action:          r.Action,
		Resource:        r.Resource,
		ResourceAccount: r.ResourceAccount,
		Context:         ctx,
	}}, nil
}

type iamkitDecider struct {
	set *policy.Set
	req policy.Request
}

func (d *iamkitDecider) Decide() (policy.Decision, error) {
	return d.set.Evaluate(&d.req).Decision, nil
}
