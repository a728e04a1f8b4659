package world

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Documentation: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html
// and https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html.

// TestDefaultWorldInstanceProfile: the built-in world's profile web holds
// the role web.
func TestDefaultWorldInstanceProfile(t *testing.T) {
	p, err := Default().Directory().InstanceProfile(context.Background(), "arn:aws:iam::111111111111:instance-profile/web")
	if err != nil {
		t.Fatal(err)
	}
	if p.Role() != "arn:aws:iam::111111111111:role/web" || !strings.HasPrefix(p.UniqueID, "AIPA") {
		t.Errorf("profile %+v", p)
	}
}

func TestInstanceProfileErrors(t *testing.T) {
	const role = `{"arn":"arn:aws:iam::111111111111:role/r","trustPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}}`
	const role2 = `{"arn":"arn:aws:iam::111111111111:role/r2","trustPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}}`
	tests := []struct {
		name, world string
		want        string
	}{
		{"two roles", `{"roles":[` + role + `,` + role2 + `],"instanceProfiles":[{"arn":"arn:aws:iam::111111111111:instance-profile/p","roles":["arn:aws:iam::111111111111:role/r","arn:aws:iam::111111111111:role/r2"]}]}`,
			"InstanceSessionsPerInstanceProfile: 1"},
		{"role not defined", `{"instanceProfiles":[{"arn":"arn:aws:iam::111111111111:instance-profile/p","roles":["arn:aws:iam::111111111111:role/nope"]}]}`,
			"instanceProfiles[0].roles"},
		{"not a profile ARN", `{"instanceProfiles":[{"arn":"arn:aws:iam::111111111111:role/p"}]}`, "instanceProfiles[0].arn"},
		{"defined twice", `{"instanceProfiles":[{"arn":"arn:aws:iam::111111111111:instance-profile/p"},{"arn":"arn:aws:iam::111111111111:instance-profile/p"}]}`, "is defined twice"},
		{"unknown field", `{"instanceProfiles":[{"arn":"arn:aws:iam::111111111111:instance-profile/p","role":"x"}]}`, `unknown field "role"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("w.json", []byte(tt.world))
			var we *Error
			if !errors.As(err, &we) {
				t.Fatalf("error %v is not a *Error", err)
			}
			if len(we.Problems) != 1 || !strings.Contains(we.Error(), tt.want) {
				t.Errorf("%s\nwant one problem with %q", we, tt.want)
			}
		})
	}
	w, err := Load("w.json", []byte(`{"roles":[`+role+`],"instanceProfiles":[{"arn":"arn:aws:iam::111111111111:instance-profile/a/b/p","roles":["arn:aws:iam::111111111111:role/r"],"tags":{"env":"dev"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Directory().InstanceProfile(context.Background(), "arn:aws:iam::111111111111:instance-profile/a/b/p")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"arn:aws:iam::111111111111:role/r"}, p.Roles); diff != "" || len(p.Tags) != 1 {
		t.Errorf("profile %+v %s", p, diff)
	}
}
