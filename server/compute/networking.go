package compute

// networkingHandlers serves network writes, firewalls and routes.
func (s *Service) networkingHandlers() map[string]Handler {
	return map[string]Handler{}
}

func (s *Service) registerNetworkingMachines() {}
