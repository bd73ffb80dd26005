package compute

// addressHandlers serves addresses, the instance actions (disks, access
// configs, reset) and project metadata.
func (s *Service) addressHandlers() map[string]Handler {
	return map[string]Handler{}
}

func (s *Service) registerAddressMachines() {}
