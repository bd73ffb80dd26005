package compute

import "context"

// addressHandlers serves addresses, the instance actions (disks, access
// configs, reset) and project metadata.
func (s *Service) addressHandlers() map[string]Handler {
	return map[string]Handler{}
}

func (s *Service) registerAddressMachines() {}

// instanceKeyName returns the Nova key pair that carries the ssh keys of a
// new instance, or "" for none.
func (s *Service) instanceKeyName(ctx context.Context, r *Request, plan *insertPlan) (string, error) {
	return "", nil
}
