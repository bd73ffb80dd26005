package compute

// diskHandlers serves disks, snapshots and image writes.
func (s *Service) diskHandlers() map[string]Handler {
	return map[string]Handler{}
}

func (s *Service) registerDiskMachines() {}
