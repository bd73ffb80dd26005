package compute

import "github.com/gce-api/gce-api/server/operations"

// Names of the operation machines of disks, snapshots and image writes.
const (
	machineInsertDisk     = "disks.insert"
	machineDeleteDisk     = "disks.delete"
	machineCreateSnapshot = "disks.createSnapshot"
	machineDeleteSnapshot = "snapshots.delete"
	machineInsertImage    = "images.insert"
	machineDeleteImage    = "images.delete"
)

// diskHandlers serves disks, snapshots and image writes.
func (s *Service) diskHandlers() map[string]Handler {
	return map[string]Handler{
		"compute.disks.insert":         s.insertDisk,
		"compute.disks.get":            s.getDisk,
		"compute.disks.list":           s.listDisks,
		"compute.disks.aggregatedList": s.aggregatedDisks,
		"compute.disks.delete":         s.deleteDisk,
		"compute.disks.createSnapshot": s.snapshotDisk,
		"compute.snapshots.get":        s.getSnapshot,
		"compute.snapshots.list":       s.listSnapshots,
		"compute.snapshots.delete":     s.deleteSnapshot,
		"compute.images.insert":        s.insertImage,
		"compute.images.delete":        s.deleteImage,
	}
}

func (s *Service) registerDiskMachines() {
	s.Ops.Register(machineInsertDisk, operations.MachineFunc(s.advanceDiskInsert))
	s.Ops.Register(machineDeleteDisk, operations.MachineFunc(s.advanceDiskDelete))
	s.Ops.Register(machineCreateSnapshot, operations.MachineFunc(s.advanceCreateSnapshot))
	s.Ops.Register(machineDeleteSnapshot, operations.MachineFunc(s.advanceDeleteSnapshot))
	s.Ops.Register(machineInsertImage, operations.MachineFunc(s.advanceImageInsert))
	s.Ops.Register(machineDeleteImage, operations.MachineFunc(s.advanceImageDelete))
}
