package compute

import (
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
