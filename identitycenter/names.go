package identitycenter

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Identifiers. AWS makes them at random; iamkit derives them from what
// they name with SHA-256, so that a world file loads into the same
// instance, users, permission sets and role names every time. Each hash
// input begins with a label of its own, so no two kinds of identifier can
// collide.

// hexOf returns the first n hexadecimal digits of SHA-256 over the parts,
// each followed by a zero byte.
func hexOf(n int, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:n]
}

// uuidOf returns a version-4-shaped UUID (8-4-4-4-12 lower-case hex)
// derived from the parts.
func uuidOf(parts ...string) string {
	x := hexOf(32, parts...)
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-a" + x[17:20] + "-" + x[20:32]
}

// defaultInstanceID is the instance ID derived from the identity store.
func defaultInstanceID(identityStoreID string) string {
	return "ssoins-" + hexOf(16, "iamkit identitycenter instance", identityStoreID)
}

// principalID derives a user's or group's ID as the Identity Store shapes
// them: the store's ten hex digits, "-", and a UUID
// (API_CreateAccountAssignment.html PrincipalId pattern).
func principalID(identityStoreID, kind, name string) string {
	return identityStoreID[2:] + "-" + uuidOf("iamkit identitycenter "+kind, identityStoreID, name)
}

// permissionSetARN is arn:PARTITION:sso:::permissionSet/INSTANCE/ps-HEX16
// (API_PermissionSet.html PermissionSetArn pattern), derived from the
// instance and the name.
func permissionSetARN(partition, instanceID, name string) string {
	return "arn:" + partition + ":sso:::permissionSet/" + instanceID + "/ps-" +
		hexOf(16, "iamkit identitycenter permission set", instanceID, name)
}

// roleSuffix is the unique suffix of the role a permission set provisions
// into an account: 16 lower-case hex digits of SHA-256 over the instance
// ARN, the permission set ARN, the account and the generation, the number
// of times the role was deleted before (when the last assignment went).
// AWS gives a re-created role a different suffix
// (referencingpermissionsets.html); the generation does the same, and a
// freshly loaded world always starts at generation 0.
func roleSuffix(instanceARN, permissionSetARN, account string, generation int) string {
	return hexOf(16, "iamkit identitycenter role", instanceARN, permissionSetARN, account, strconv.Itoa(generation))
}

// samlProviderName is the name of the SAML provider the instance keeps in
// every account it provisions into: AWSSSO_<16 hex>_DO_NOT_DELETE, the
// same in every account of the instance.
func samlProviderName(instanceARN string) string {
	return "AWSSSO_" + hexOf(16, "iamkit identitycenter saml provider", instanceARN) + "_DO_NOT_DELETE"
}
