package world

import (
	"github.com/iamkit/iamkit/internal/jsonpos"
	"github.com/iamkit/iamkit/sts"
)

var worldInstanceProfileFields = []string{"arn", "uniqueId", "roles", "tags"}

// instanceProfile decodes and stores an instance profile: its ARN, its
// role (at most one, of the same account, defined in roles) and tags
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html).
// Profiles are decoded after roles, so the directory can check the role.
func (d *worldDecoder) instanceProfile(path string, v *jsonpos.Value) {
	nerr := len(d.errs)
	f, ok := d.object(path, v, worldInstanceProfileFields, "arn")
	if !ok || f["arn"] == nil {
		return
	}
	arnv := f["arn"]
	p := sts.InstanceProfile{
		ARN:      d.str(path+".arn", arnv),
		UniqueID: d.str(path+".uniqueId", f["uniqueId"]),
		Roles:    d.strings(path+".roles", f["roles"]),
		Tags:     d.tags(path+".tags", f["tags"]),
	}
	if len(d.errs) > nerr || !d.firstDefinition(path+".arn", "instance profile", p.ARN, arnv.Pos) {
		return
	}
	at, field := arnv.Pos, path+".arn"
	if rv := f["roles"]; rv != nil && len(rv.Array) > 0 {
		// A problem with the role (missing, another account, more than
		// one) is reported where the roles are.
		at, field = rv.Pos, path+".roles"
	}
	d.put(field, at, d.dir.PutInstanceProfile(p))
}
