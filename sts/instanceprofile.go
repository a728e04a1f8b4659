package sts

// InstanceProfile is an IAM instance profile: the container through which
// EC2 passes a role to an instance. It holds at most one role ("An
// instance profile can contain only one role, and this quota cannot be
// increased"), while a role may sit in any number of profiles.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html
type InstanceProfile struct {
	// ARN is arn:PARTITION:iam::ACCOUNT:instance-profile/PATH/NAME; the
	// name is 1 to 128 characters of [\w+=,.@-]
	// (API_CreateInstanceProfile.html), the path as for roles.
	ARN string
	// UniqueID is the profile's ID, "AIPA..."; empty means derived from
	// the ARN with [DeterministicUniqueID].
	UniqueID string
	// Roles lists the ARN of the profile's role: none or one, a role of
	// the profile's account.
	Roles []string
	Tags  []Tag
}

// Role returns the ARN of the profile's role, or "" when it has none.
func (p *InstanceProfile) Role() string {
	if p == nil || len(p.Roles) == 0 {
		return ""
	}
	return p.Roles[0]
}
