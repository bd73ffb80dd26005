package compute

import (
	"context"

	"github.com/gce-api/gce-api/server/operations"
)

// Names of the operation machines of the instance actions.
const (
	machineAttachDisk = "instances.attachDisk"
	machineDetachDisk = "instances.detachDisk"
	machineReset      = "instances.reset"
)

// addressHandlers serves addresses, the instance actions (disks, access
// configs, reset) and project metadata.
func (s *Service) addressHandlers() map[string]Handler {
	return map[string]Handler{
		"compute.addresses.insert":                   s.insertAddress,
		"compute.addresses.get":                      s.getAddress,
		"compute.addresses.list":                     s.listAddresses,
		"compute.addresses.aggregatedList":           s.aggregatedAddresses,
		"compute.addresses.delete":                   s.deleteAddress,
		"compute.instances.attachDisk":               s.attachDisk,
		"compute.instances.detachDisk":               s.detachDisk,
		"compute.instances.addAccessConfig":          s.addAccessConfig,
		"compute.instances.deleteAccessConfig":       s.deleteAccessConfig,
		"compute.instances.reset":                    s.resetInstance,
		"compute.projects.setCommonInstanceMetadata": s.setCommonInstanceMetadata,
	}
}

func (s *Service) registerAddressMachines() {
	s.Ops.Register(machineAttachDisk, operations.MachineFunc(s.advanceAttachDisk))
	s.Ops.Register(machineDetachDisk, operations.MachineFunc(s.advanceDetachDisk))
	s.Ops.Register(machineReset, operations.MachineFunc(s.advanceReset))
}

// instanceKeyName returns the Nova key pair that carries the ssh keys of a
// new instance, or "" for none. Nova injects one key pair per server, so it
// takes the first key of the instance's own ssh-keys (or sshKeys) metadata,
// else, unless the instance sets block-project-ssh-keys, the first key of
// the project's metadata. The key pair is imported for the caller when it
// does not have it yet. A key pair made for an instance's own key goes at
// the next change of the project's metadata, after Nova has copied the key
// into the server.
func (s *Service) instanceKeyName(ctx context.Context, r *Request, plan *insertPlan) (string, error) {
	keys, err := sshKeysOf(plan.data.Metadata)
	if err != nil {
		return "", err
	}
	if len(keys) == 0 && metadataItem(plan.data.Metadata, "block-project-ssh-keys") != "true" {
		md, err := s.projectMetadata(ctx, r.Project())
		if err != nil {
			return "", err
		}
		// Stored project keys were checked when they were set.
		keys, _ = sshKeysOf(md.Items)
	}
	if len(keys) == 0 {
		return "", nil
	}
	name := keypairName(r.Project(), keys[0])
	return name, apiError(importKeypair(ctx, r.Session, name, keys[0]), "")
}
