package compute

import (
	"context"
	"encoding/json"

	"github.com/gce-api/gce-api/server/operations"
)

// networkingHandlers serves network writes, firewalls and routes.
func (s *Service) networkingHandlers() map[string]Handler {
	return map[string]Handler{
		"compute.networks.insert":  s.insertNetwork,
		"compute.networks.delete":  s.deleteNetwork,
		"compute.firewalls.insert": s.insertFirewall,
		"compute.firewalls.get":    s.getFirewall,
		"compute.firewalls.list":   s.listFirewalls,
		"compute.firewalls.delete": s.deleteFirewall,
		"compute.routes.insert":    s.insertRoute,
		"compute.routes.get":       s.getRoute,
		"compute.routes.list":      s.listRoutes,
		"compute.routes.delete":    s.deleteRoute,
	}
}

// registerNetworkingMachines registers nothing, because Neutron applies
// network, security group and router changes before it returns, so their
// operations are stored DONE.
func (s *Service) registerNetworkingMachines() {}

// instanceSecurityGroups returns the Neutron security groups a new instance
// joins: the egress group of its network and the groups of the firewalls
// that reach it. nil leaves Nova's default.
func (s *Service) instanceSecurityGroups(ctx context.Context, r *Request, plan *insertPlan) ([]string, error) {
	if plan.network == nil {
		return nil, nil
	}
	return s.reachingGroups(ctx, r.Session, r.Project(), plan.network.Name, plan.tags)
}

// globalOperation stores a global operation that is DONE at once and
// returns it.
func (s *Service) globalOperation(ctx context.Context, r *Request, opType, kind, name, openstackID string) Response {
	rec := &operations.Record{Project: r.Project(), Scope: "global", Type: opType, Kind: kind,
		Target: name, TargetID: openstackID, User: r.Session.UserName}
	if err := s.Ops.Create(ctx, rec); err != nil {
		return Fail(err)
	}
	return OK(rec.View(r.Links))
}

// bodyFields returns the top-level fields of a JSON object body, to tell an
// absent field from one sent with its zero value.
func bodyFields(body []byte) map[string]json.RawMessage {
	fields := map[string]json.RawMessage{}
	json.Unmarshal(body, &fields)
	return fields
}

// sentField reports whether the body carries field with a value other than
// null.
func sentField(fields map[string]json.RawMessage, field string) bool {
	raw, ok := fields[field]
	return ok && string(raw) != "null"
}

// globalPath returns projects/p/global/kind/name, as errors name resources.
func globalPath(project, kind, name string) string {
	return "projects/" + project + "/global/" + kind + "/" + name
}
