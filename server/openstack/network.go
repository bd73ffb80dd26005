package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
)

// NetworkFilter selects networks; empty fields match everything.
type NetworkFilter struct {
	Name      string
	ID        string
	ProjectID string
	External  *bool
}

type networkWithExternal struct {
	networks.Network
	external.NetworkExternalExt
}

// Networks lists the networks the project can see.
func (s *Session) Networks(ctx context.Context, f NetworkFilter) ([]Network, error) {
	sc, err := s.service("network")
	if err != nil {
		return nil, err
	}
	opts := external.ListOptsExt{ListOptsBuilder: networks.ListOpts{Name: f.Name, ID: f.ID,
		ProjectID: f.ProjectID}, External: f.External}
	pages, err := networks.List(sc, opts).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list networks", err)
	}
	var list []networkWithExternal
	if err := networks.ExtractNetworksInto(pages, &list); err != nil {
		return nil, wrapErr("list networks", err)
	}
	out := make([]Network, 0, len(list))
	for _, n := range list {
		out = append(out, Network{ID: n.ID, Name: n.Name, Description: n.Description,
			ProjectID: n.ProjectID, External: n.External, Shared: n.Shared,
			SubnetIDs: n.Subnets, Created: n.CreatedAt})
	}
	return out, nil
}

// Subnets lists the subnets of a network.
func (s *Session) Subnets(ctx context.Context, networkID string) ([]Subnet, error) {
	sc, err := s.service("network")
	if err != nil {
		return nil, err
	}
	pages, err := subnets.List(sc, subnets.ListOpts{NetworkID: networkID}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list subnets of network "+networkID, err)
	}
	list, err := subnets.ExtractSubnets(pages)
	if err != nil {
		return nil, wrapErr("list subnets of network "+networkID, err)
	}
	out := make([]Subnet, 0, len(list))
	for _, sn := range list {
		out = append(out, Subnet{ID: sn.ID, Name: sn.Name, NetworkID: sn.NetworkID,
			CIDR: sn.CIDR, GatewayIP: sn.GatewayIP, IPVersion: sn.IPVersion})
	}
	return out, nil
}

// PortFilter selects ports; empty fields match everything.
type PortFilter struct {
	DeviceID  string
	NetworkID string
	FixedIP   string // an address of the port
}

// Ports lists ports.
func (s *Session) Ports(ctx context.Context, f PortFilter) ([]Port, error) {
	sc, err := s.service("network")
	if err != nil {
		return nil, err
	}
	opts := ports.ListOpts{DeviceID: f.DeviceID, NetworkID: f.NetworkID}
	if f.FixedIP != "" {
		opts.FixedIPs = []ports.FixedIPOpts{{IPAddress: f.FixedIP}}
	}
	pages, err := ports.List(sc, opts).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list ports", err)
	}
	list, err := ports.ExtractPorts(pages)
	if err != nil {
		return nil, wrapErr("list ports", err)
	}
	out := make([]Port, 0, len(list))
	for _, p := range list {
		port := Port{ID: p.ID, Name: p.Name, NetworkID: p.NetworkID, DeviceID: p.DeviceID,
			DeviceOwner: p.DeviceOwner, MACAddress: p.MACAddress, Created: p.CreatedAt}
		for _, ip := range p.FixedIPs {
			port.FixedIPs = append(port.FixedIPs, FixedIP{SubnetID: ip.SubnetID, IPAddress: ip.IPAddress})
		}
		out = append(out, port)
	}
	return out, nil
}

// FloatingIPFilter selects floating IPs; empty fields match everything.
type FloatingIPFilter struct {
	PortID    string
	Address   string
	NetworkID string
}

// FloatingIPs lists the project's floating IPs.
func (s *Session) FloatingIPs(ctx context.Context, f FloatingIPFilter) ([]FloatingIP, error) {
	sc, err := s.service("network")
	if err != nil {
		return nil, err
	}
	opts := floatingips.ListOpts{PortID: f.PortID, FloatingIP: f.Address,
		FloatingNetworkID: f.NetworkID, ProjectID: s.ProjectID}
	pages, err := floatingips.List(sc, opts).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list floating IPs", err)
	}
	list, err := floatingips.ExtractFloatingIPs(pages)
	if err != nil {
		return nil, wrapErr("list floating IPs", err)
	}
	out := make([]FloatingIP, 0, len(list))
	for i := range list {
		out = append(out, toFloatingIP(&list[i]))
	}
	return out, nil
}

func toFloatingIP(f *floatingips.FloatingIP) FloatingIP {
	return FloatingIP{ID: f.ID, Address: f.FloatingIP, NetworkID: f.FloatingNetworkID,
		PortID: f.PortID, FixedIP: f.FixedIP, Description: f.Description, Status: f.Status,
		Created: f.CreatedAt}
}

// CreateFloatingIP allocates a floating IP on an external network, attached
// to portID when it is not "".
func (s *Session) CreateFloatingIP(ctx context.Context, networkID, portID, description string) (FloatingIP, error) {
	sc, err := s.service("network")
	if err != nil {
		return FloatingIP{}, err
	}
	fip, err := floatingips.Create(ctx, sc, floatingips.CreateOpts{FloatingNetworkID: networkID,
		PortID: portID, Description: description}).Extract()
	if err != nil {
		return FloatingIP{}, wrapErr("create floating IP", err)
	}
	return toFloatingIP(fip), nil
}

// AssociateFloatingIP attaches a floating IP to a port, or detaches it when
// portID is "" (sent as JSON null, which Neutron requires).
func (s *Session) AssociateFloatingIP(ctx context.Context, id, portID string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	_, err = floatingips.Update(ctx, sc, id, floatingips.UpdateOpts{PortID: &portID}).Extract()
	return wrapErr("update floating IP "+id, err)
}

// DeleteFloatingIP releases a floating IP; one already gone is no error.
func (s *Session) DeleteFloatingIP(ctx context.Context, id string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	err = floatingips.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete floating IP "+id, err)
}
