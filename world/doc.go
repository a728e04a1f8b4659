// Package world loads iamkit's world files: JSON that describes AWS
// accounts, IAM users, groups, roles, managed and resource-based policies
// and the key ring that seals session tokens, as "iamkit serve" and
// "iamkit credential-process" use them.
//
// [Load] decodes and validates a file and reports every problem as
// FILE:LINE:COLUMN: PATH: message in an *[Error]; messages never show key
// material, secret access keys or MFA seeds. [World.Directory] is the
// [sts.MemoryDirectory] of the world's entities, [World.KeyRing] its key
// ring and [World.Issuer] an STS issuer over both. [Default] is the
// built-in world (examples/worlds/default.json), whose keys are public.
//
// The file format is described in cmd/iamkit's documentation
// (go doc github.com/iamkit/iamkit/cmd/iamkit), section "The world file".
package world
