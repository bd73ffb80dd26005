package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
)

// SubnetSpec describes a new IPv4 subnet with DHCP.
type SubnetSpec struct {
	NetworkID string
	Name      string
	CIDR      string
	GatewayIP string
}

// CreateNetwork creates a tenant network in the session's project.
func (s *Session) CreateNetwork(ctx context.Context, name, description string) (Network, error) {
	sc, err := s.service("network")
	if err != nil {
		return Network{}, err
	}
	n, err := networks.Create(ctx, sc, networks.CreateOpts{Name: name, Description: description}).Extract()
	if err != nil {
		return Network{}, wrapErr("create network "+name, err)
	}
	return Network{ID: n.ID, Name: n.Name, Description: n.Description, ProjectID: n.ProjectID,
		SubnetIDs: n.Subnets, Created: n.CreatedAt}, nil
}

// DeleteNetwork deletes a network; one already gone is no error.
func (s *Session) DeleteNetwork(ctx context.Context, id string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	err = networks.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete network "+id, err)
}

// CreateSubnet creates an IPv4 subnet with DHCP enabled.
func (s *Session) CreateSubnet(ctx context.Context, spec SubnetSpec) (Subnet, error) {
	sc, err := s.service("network")
	if err != nil {
		return Subnet{}, err
	}
	dhcp := true
	opts := subnets.CreateOpts{NetworkID: spec.NetworkID, Name: spec.Name, CIDR: spec.CIDR,
		IPVersion: gophercloud.IPv4, GatewayIP: &spec.GatewayIP, EnableDHCP: &dhcp}
	sn, err := subnets.Create(ctx, sc, opts).Extract()
	if err != nil {
		return Subnet{}, wrapErr("create subnet "+spec.CIDR+" on network "+spec.NetworkID, err)
	}
	return Subnet{ID: sn.ID, Name: sn.Name, NetworkID: sn.NetworkID, CIDR: sn.CIDR,
		GatewayIP: sn.GatewayIP, IPVersion: sn.IPVersion}, nil
}

// DeleteSubnet deletes a subnet; one already gone is no error.
func (s *Session) DeleteSubnet(ctx context.Context, id string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	err = subnets.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete subnet "+id, err)
}
