package world

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/iamkit/iamkit/federation"
	"github.com/iamkit/iamkit/identitycenter"
	"github.com/iamkit/iamkit/internal/jsonpos"
)

var (
	worldICFields           = []string{"identityStoreId", "instanceId", "region", "startUrl", "users", "groups", "permissionSets", "assignments", "accessControlAttributes"}
	worldICUserFields       = []string{"userName", "displayName", "email", "passwordHash", "totpSeed", "attributes"}
	worldICGroupFields      = []string{"displayName", "description", "members"}
	worldICPermSetFields    = []string{"name", "description", "sessionDuration", "relayState", "managedPolicies", "customerManagedPolicies", "inlinePolicy", "permissionsBoundary"}
	worldICRefFields        = []string{"name", "path"}
	worldICBoundaryFields   = []string{"managedPolicyArn", "customerManagedPolicy"}
	worldICAssignmentFields = []string{"user", "group", "permissionSet", "accounts"}
	worldICAttributeFields  = []string{"key", "source"}
)

// syntheticICCert is the certificate of the metadata a world's Identity
// Center registers as its SAML provider in each account (the
// AWSSSO_..._DO_NOT_DELETE provider). Nothing signs with its key, which
// was thrown away: sessions are issued by the portal
// (sts.Issuer.IssueIdentityCenterSession). Fixed, so that a world loads
// without generating a key.
const syntheticICCert = "MIIDIzCCAgugAwIBAgIBATANBgkqhkiG9w0BAQsFADBLMUkwRwYDVQQDE0BpYW1raXQgc3ludGhldGljIElBTSBJZGVudGl0eSBDZW50ZXIgSWRQIChub3RoaW5nIHNpZ25zIHdpdGggaXQpMB4XDTI2MDEwMTAwMDAwMFoXDTQ2MDEwMTAwMDAwMFowSzFJMEcGA1UEAxNAaWFta2l0IHN5bnRoZXRpYyBJQU0gSWRlbnRpdHkgQ2VudGVyIElkUCAobm90aGluZyBzaWducyB3aXRoIGl0KTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBANOLd2yB9CS94l1QZZ1Tsiz3gca3/5bG8m8OlxLQ6ql+IFeSI7KNQ5KjjH2jKXOxQIbqxHv2HsGxVCoHdEXgM3c4+rvEeRwots19T2YeBWICyasyvodQjVTyV/SJD0KJPPxVH9QrM72D2zkuUz+tsirsqXEIe+6Yj+PqUzSR80ETkPqX61DwS55Ipa4nslnkEA3ZWUBo79bqQHEBY6Mgyv1BtabyoVvUIrYGUX0wsTunqbHsEVwaorES6H1tZBsmbz6sKGw30oru3sb1+d04p0w38hgZvNKuOHg2t+On3fQsCXlP6HxnxsmGTfIZEemKZYLGg49sKgr//dI5Fbl5QMMCAwEAAaMSMBAwDgYDVR0PAQH/BAQDAgeAMA0GCSqGSIb3DQEBCwUAA4IBAQB6b5vBtsQUEOw+lUh5iIoz0CbksKPFAC3IdOFVIi7gNuIhU1wZJupqpiCUAYsSfm5EXqtIoiLiunvdGMrLH0invMZ6VncN47qA9TRrOGFVGJr5kXUllp2YAU0utiCYTrT1jGm8qbX4+KitTIOv9930BqHJNP0r9nkkBXkgS8KHzZ91kq72/k+OpmHJNY1wuTMZVc00xpNl2Z1XCgMFjx38Gvd8RGfjgp0dU8RqeIFLfDti1VFmP78oW6aImngUJefxTE7/cVdzXhKQrTckGq3drMysInDExdx/vJKKCTbDW0UBLG3e0vQ5GgiazK1TJ+pYnAVs2kAd5L04U+IEPTMy"

// A SignInUser is what the sign-in page of a world's Identity Center
// checks: the user's bcrypt password hash and TOTP seed (nil when the
// user has no MFA device).
type SignInUser struct {
	UserID, UserName string
	PasswordHash     []byte
	TOTPSeed         []byte
}

// IdentityCenter returns the world's IAM Identity Center instance, already
// provisioned into the world's directory, or nil when it has none.
func (w *World) IdentityCenter() *identitycenter.Instance { return w.ic }

// SignInUser returns the sign-in credentials of an Identity Center user,
// by user name regardless of case.
func (w *World) SignInUser(userName string) (SignInUser, bool) {
	u, ok := w.signIn[strings.ToLower(userName)]
	return u, ok
}

// identityCenter decodes the identityCenter section into an instance and
// provisions it into the directory.
func (d *worldDecoder) identityCenter(w *World, v *jsonpos.Value) {
	const path = "identityCenter"
	f, ok := d.object(path, v, worldICFields)
	if !ok {
		return
	}
	der, _ := base64.StdEncoding.DecodeString(syntheticICCert)
	cert, _ := x509.ParseCertificate(der)
	opt := identitycenter.Options{
		IdentityStoreID: d.str(path+".identityStoreId", f["identityStoreId"]),
		InstanceID:      d.str(path+".instanceId", f["instanceId"]),
		Region:          d.str(path+".region", f["region"]),
		StartURL:        d.str(path+".startUrl", f["startUrl"]),
		IdPMetadata:     (&federation.SAMLTestIdP{Cert: cert, EntityID: "https://portal.sso.amazonaws.com/saml/assertion/iamkit"}).Metadata(),
		Now:             func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) },
	}
	ic, err := identitycenter.New(opt)
	if err != nil {
		d.errorf(path, v.Pos, "%s", icMessage(err))
		return
	}
	w.signIn = map[string]SignInUser{}
	// The organization's accounts are the world's.
	for _, a := range d.accountIDs {
		if err := ic.PutAccount(identitycenter.Account{ID: a}); err != nil {
			d.errorf(path, v.Pos, "account %s: %s", a, icMessage(err))
		}
	}
	users := map[string]string{} // lower-case user name -> ID
	for i, uv := range d.array(path+".users", f["users"]) {
		up := fmt.Sprintf("%s.users[%d]", path, i)
		uf, ok := d.object(up, uv, worldICUserFields, "userName", "passwordHash")
		if !ok {
			continue
		}
		u := identitycenter.User{UserName: d.str(up+".userName", uf["userName"]), DisplayName: d.str(up+".displayName", uf["displayName"])}
		if u.DisplayName == "" && uf["displayName"] == nil {
			u.DisplayName = u.UserName // the Identity Store requires one
		}
		if e := d.str(up+".email", uf["email"]); e != "" {
			u.Emails = []identitycenter.Email{{Value: e, Type: "work", Primary: true}}
		}
		if av := uf["attributes"]; av != nil {
			if av.Kind != jsonpos.Object {
				d.errorf(up+".attributes", av.Pos, "must be an object, not %s", av.Kind)
			} else {
				u.Attributes = map[string]string{}
				for _, m := range av.Members {
					u.Attributes[m.Key] = d.str(jsonpos.JoinPath(up+".attributes", jsonpos.Shorten(m.Key)), m.Value)
				}
			}
		}
		hash := d.str(up+".passwordHash", uf["passwordHash"])
		if hash != "" && !strings.HasPrefix(hash, "$2a$") && !strings.HasPrefix(hash, "$2b$") && !strings.HasPrefix(hash, "$2y$") {
			d.errorf(up+".passwordHash", uf["passwordHash"].Pos, "must be a bcrypt hash ($2a$..., as htpasswd -B or bcrypt make it); the value is not shown")
			continue
		}
		var seed []byte
		if sv := uf["totpSeed"]; sv != nil {
			s, err := decodeTOTPSeed(d.str(up+".totpSeed", sv))
			if err != nil {
				d.errorf(up+".totpSeed", sv.Pos, "must be a base32 TOTP seed, as authenticator apps take it (A-Z and 2-7; the seed is not shown)")
				continue
			}
			seed = s
		}
		created, err := ic.CreateUser(u)
		if err != nil {
			d.errorf(up, uv.Pos, "%s", icMessage(err))
			continue
		}
		users[strings.ToLower(created.UserName)] = created.ID
		w.signIn[strings.ToLower(created.UserName)] = SignInUser{UserID: created.ID, UserName: created.UserName, PasswordHash: []byte(hash), TOTPSeed: seed}
	}
	groups := map[string]string{}
	for i, gv := range d.array(path+".groups", f["groups"]) {
		gp := fmt.Sprintf("%s.groups[%d]", path, i)
		gf, ok := d.object(gp, gv, worldICGroupFields, "displayName")
		if !ok {
			continue
		}
		g, err := ic.CreateGroup(identitycenter.Group{DisplayName: d.str(gp+".displayName", gf["displayName"]), Description: d.str(gp+".description", gf["description"])})
		if err != nil {
			d.errorf(gp, gv.Pos, "%s", icMessage(err))
			continue
		}
		groups[strings.ToLower(g.DisplayName)] = g.ID
		d.eachString(gp+".members", gf["members"], func(mp string, at jsonpos.Pos, name string) {
			id, ok := users[strings.ToLower(name)]
			if !ok {
				d.errorf(mp, at, "no user %s in identityCenter.users", jsonpos.Echo(name))
				return
			}
			if err := ic.CreateGroupMembership(g.ID, id); err != nil {
				d.errorf(mp, at, "%s", icMessage(err))
			}
		})
	}
	for i, pv := range d.array(path+".permissionSets", f["permissionSets"]) {
		pp := fmt.Sprintf("%s.permissionSets[%d]", path, i)
		pf, ok := d.object(pp, pv, worldICPermSetFields, "name")
		if !ok {
			continue
		}
		ps := identitycenter.PermissionSet{
			Name:            d.str(pp+".name", pf["name"]),
			Description:     d.str(pp+".description", pf["description"]),
			SessionDuration: d.str(pp+".sessionDuration", pf["sessionDuration"]),
			RelayState:      d.str(pp+".relayState", pf["relayState"]),
			ManagedPolicies: d.strings(pp+".managedPolicies", pf["managedPolicies"]),
		}
		for j, rv := range d.array(pp+".customerManagedPolicies", pf["customerManagedPolicies"]) {
			if r, ok := d.icRef(fmt.Sprintf("%s.customerManagedPolicies[%d]", pp, j), rv); ok {
				ps.CustomerManagedPolicies = append(ps.CustomerManagedPolicies, r)
			}
		}
		if iv := pf["inlinePolicy"]; iv != nil {
			if doc, ok := jsonpos.Embed(d.data, iv); ok {
				ps.InlinePolicy = string(doc.Doc)
			} else {
				d.errorf(pp+".inlinePolicy", iv.Pos, "a policy must be a JSON object or a JSON string holding one, not %s", iv.Kind)
			}
		}
		if bv := pf["permissionsBoundary"]; bv != nil {
			if bf, ok := d.object(pp+".permissionsBoundary", bv, worldICBoundaryFields); ok {
				b := &identitycenter.PermissionsBoundary{ManagedPolicyARN: d.str(pp+".permissionsBoundary.managedPolicyArn", bf["managedPolicyArn"])}
				if cv := bf["customerManagedPolicy"]; cv != nil {
					if r, ok := d.icRef(pp+".permissionsBoundary.customerManagedPolicy", cv); ok {
						b.CustomerManagedPolicyReference = &r
					}
				}
				ps.PermissionsBoundary = b
			}
		}
		if _, err := ic.CreatePermissionSet(ps); err != nil {
			d.errorf(pp, pv.Pos, "%s", icMessage(err))
		}
	}
	for i, av := range d.array(path+".assignments", f["assignments"]) {
		ap := fmt.Sprintf("%s.assignments[%d]", path, i)
		af, ok := d.object(ap, av, worldICAssignmentFields, "permissionSet", "accounts")
		if !ok {
			continue
		}
		user, group := d.str(ap+".user", af["user"]), d.str(ap+".group", af["group"])
		var pt identitycenter.PrincipalType
		var pid string
		switch {
		case (user == "") == (group == ""):
			d.errorf(ap, av.Pos, "give user or group, not both or neither")
			continue
		case user != "":
			pt, pid = identitycenter.PrincipalUser, users[strings.ToLower(user)]
			if pid == "" {
				d.errorf(ap+".user", af["user"].Pos, "no user %s in identityCenter.users", jsonpos.Echo(user))
				continue
			}
		default:
			pt, pid = identitycenter.PrincipalGroup, groups[strings.ToLower(group)]
			if pid == "" {
				d.errorf(ap+".group", af["group"].Pos, "no group %s in identityCenter.groups", jsonpos.Echo(group))
				continue
			}
		}
		set := d.str(ap+".permissionSet", af["permissionSet"])
		d.eachString(ap+".accounts", af["accounts"], func(acp string, at jsonpos.Pos, acct string) {
			if err := ic.CreateAccountAssignment(identitycenter.Assignment{AccountID: acct, PermissionSet: set, PrincipalType: pt, PrincipalID: pid}); err != nil {
				d.errorf(acp, at, "%s", icMessage(err))
			}
		})
	}
	var attrs []identitycenter.AccessControlAttribute
	for i, av := range d.array(path+".accessControlAttributes", f["accessControlAttributes"]) {
		ap := fmt.Sprintf("%s.accessControlAttributes[%d]", path, i)
		if af, ok := d.object(ap, av, worldICAttributeFields, "key", "source"); ok {
			attrs = append(attrs, identitycenter.AccessControlAttribute{Key: d.str(ap+".key", af["key"]), Source: d.str(ap+".source", af["source"])})
		}
	}
	if len(attrs) > 0 {
		if err := ic.SetAccessControlAttributes(attrs); err != nil {
			d.errorf(path+".accessControlAttributes", f["accessControlAttributes"].Pos, "%s", icMessage(err))
		}
	}
	d.icPending = ic
	d.icPos = v.Pos
	w.ic = ic
}

// provisionIdentityCenter provisions the instance once every account,
// role and managed policy of the world is stored, as AWS provisions a
// permission set into accounts that hold its customer managed policies.
func (d *worldDecoder) provisionIdentityCenter() {
	if d.icPending == nil || len(d.errs) > 0 {
		return
	}
	res, err := d.icPending.Provision(context.Background(), d.dir)
	if err != nil {
		var pe *identitycenter.ProvisionError
		if errors.As(err, &pe) {
			d.errorf("identityCenter", d.icPos, "provisioning permission set %s into account %s: %s", jsonpos.Echo(pe.PermissionSet), pe.AccountID, capQuoted(pe.FailureReason))
			return
		}
		d.errorf("identityCenter", d.icPos, "provisioning: %s", icMessage(err))
		return
	}
	for _, pe := range res.Failed {
		d.errorf("identityCenter", d.icPos, "provisioning permission set %s into account %s: %s", jsonpos.Echo(pe.PermissionSet), pe.AccountID, capQuoted(pe.FailureReason))
	}
}

func (d *worldDecoder) icRef(path string, v *jsonpos.Value) (identitycenter.CustomerManagedPolicyReference, bool) {
	f, ok := d.object(path, v, worldICRefFields, "name")
	if !ok {
		return identitycenter.CustomerManagedPolicyReference{}, false
	}
	return identitycenter.CustomerManagedPolicyReference{Name: d.str(path+".name", f["name"]), Path: d.str(path+".path", f["path"])}, true
}

// icMessage is an identitycenter error's message, with AWS's code.
func icMessage(err error) string {
	var e *identitycenter.Error
	if errors.As(err, &e) {
		return capQuoted(e.Code + ": " + e.Message)
	}
	return capQuoted(err.Error())
}
