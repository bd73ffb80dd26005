package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
)

// CreateFloatingIPAt allocates a floating IP on an external network, not
// attached to any port. A non-empty address requests from Neutron that exact IP,
// which Neutron's default policy allows only to administrators (ErrForbidden
// otherwise) and refuses with ErrConflict when the IP is taken.
func (s *Session) CreateFloatingIPAt(ctx context.Context, networkID, address, description string) (FloatingIP, error) {
	sc, err := s.service("network")
	if err != nil {
		return FloatingIP{}, err
	}
	opts := floatingips.CreateOpts{FloatingNetworkID: networkID, FloatingIP: address,
		Description: description}
	fip, err := floatingips.Create(ctx, sc, opts).Extract()
	if err != nil {
		return FloatingIP{}, wrapErr("create floating IP "+address, err)
	}
	return toFloatingIP(fip), nil
}

// FloatingIP returns one floating IP.
func (s *Session) FloatingIP(ctx context.Context, id string) (FloatingIP, error) {
	sc, err := s.service("network")
	if err != nil {
		return FloatingIP{}, err
	}
	fip, err := floatingips.Get(ctx, sc, id).Extract()
	if err != nil {
		return FloatingIP{}, wrapErr("get floating IP "+id, err)
	}
	return toFloatingIP(fip), nil
}

// Port returns one port.
func (s *Session) Port(ctx context.Context, id string) (Port, error) {
	sc, err := s.service("network")
	if err != nil {
		return Port{}, err
	}
	p, err := ports.Get(ctx, sc, id).Extract()
	if err != nil {
		return Port{}, wrapErr("get port "+id, err)
	}
	out := Port{ID: p.ID, Name: p.Name, NetworkID: p.NetworkID, DeviceID: p.DeviceID,
		DeviceOwner: p.DeviceOwner, MACAddress: p.MACAddress, Created: p.CreatedAt}
	for _, ip := range p.FixedIPs {
		out.FixedIPs = append(out.FixedIPs, FixedIP{SubnetID: ip.SubnetID, IPAddress: ip.IPAddress})
	}
	return out, nil
}
