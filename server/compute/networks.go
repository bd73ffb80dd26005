package compute

import (
	"context"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
)

// projectNetworks lists the project's own networks that have GCE names.
func (s *Service) projectNetworks(ctx context.Context, sess *openstack.Session) ([]openstack.Network, error) {
	list, err := cached(ctx, s.cache, sess.ProjectID+"/networks", func(ctx context.Context) ([]openstack.Network, error) {
		external := false
		return sess.Networks(ctx, openstack.NetworkFilter{External: &external})
	})
	if err != nil {
		return nil, err
	}
	out := make([]openstack.Network, 0, len(list))
	for _, n := range list {
		if gce.ValidName(n.Name) && (n.ProjectID == sess.ProjectID || n.ProjectID == "") {
			out = append(out, n)
		}
	}
	return out, nil
}

// findNetwork returns the project network with the given GCE name.
func (s *Service) findNetwork(ctx context.Context, sess *openstack.Session, name string) (openstack.Network, bool, error) {
	list, err := s.projectNetworks(ctx, sess)
	if err != nil {
		return openstack.Network{}, false, err
	}
	for _, n := range list {
		if n.Name == name {
			return n, true, nil
		}
	}
	return openstack.Network{}, false, nil
}

// networkByID returns the name of a project network, or "" when it has none.
func (s *Service) networkName(ctx context.Context, sess *openstack.Session, id string) string {
	list, err := s.projectNetworks(ctx, sess)
	if err != nil {
		return ""
	}
	for _, n := range list {
		if n.ID == id {
			return n.Name
		}
	}
	return ""
}

func (s *Service) networkView(ctx context.Context, r *Request, n openstack.Network) *compute.Network {
	out := &compute.Network{
		Kind: "compute#network", Id: gce.ID(n.ID), Name: n.Name, Description: n.Description,
		CreationTimestamp: gce.Timestamp(n.Created),
		SelfLink:          r.Links.Global(r.Project(), "networks", n.Name),
		RoutingConfig:     &compute.NetworkRoutingConfig{RoutingMode: "REGIONAL"},
		ForceSendFields:   []string{"AutoCreateSubnetworks"},
	}
	subnets, err := r.Session.Subnets(ctx, n.ID)
	if err != nil {
		return out
	}
	for _, sn := range subnets {
		if sn.IPVersion == 4 {
			out.IPv4Range, out.GatewayIPv4 = sn.CIDR, sn.GatewayIP
			break
		}
	}
	return out
}

func (s *Service) getNetwork(ctx context.Context, r *Request) Response {
	n, ok, err := s.findNetwork(ctx, r.Session, r.Vars["network"])
	if err != nil {
		return Fail(apiError(err, ""))
	}
	if !ok {
		return Fail(gce.NotFound("projects/" + r.Project() + "/global/networks/" + r.Vars["network"]))
	}
	return OK(s.networkView(ctx, r, n))
}

func (s *Service) listNetworks(ctx context.Context, r *Request) Response {
	list, err := s.projectNetworks(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	items := make([]*compute.Network, 0, len(list))
	for _, n := range list {
		items = append(items, s.networkView(ctx, r, n))
	}
	return listResponse(r, items, func(page []*compute.Network, next string) any {
		return &compute.NetworkList{Kind: "compute#networkList", Id: "projects/" + r.Project() + "/global/networks",
			Items: page, NextPageToken: next, SelfLink: r.Links.Global(r.Project(), "networks")}
	})
}
