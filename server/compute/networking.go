package compute

import "context"

// networkingHandlers serves network writes, firewalls and routes.
func (s *Service) networkingHandlers() map[string]Handler {
	return map[string]Handler{}
}

func (s *Service) registerNetworkingMachines() {}

// instanceSecurityGroups returns the Neutron security groups a new instance
// joins: those of the firewalls that reach it. nil leaves Nova's default.
func (s *Service) instanceSecurityGroups(ctx context.Context, r *Request, plan *insertPlan) ([]string, error) {
	return nil, nil
}
