package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/rules"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
)

// SecurityGroup is a Neutron security group with its rules.
type SecurityGroup struct {
	ID          string
	Name        string
	Description string
	Rules       []SecurityGroupRule
}

// SecurityGroupRule is one rule of a security group. Protocol is "" for
// any protocol; PortMin and PortMax are 0 when the rule covers every port.
type SecurityGroupRule struct {
	ID             string
	GroupID        string
	Direction      string // ingress or egress
	EtherType      string // IPv4 or IPv6
	Protocol       string // tcp, udp, icmp, a number, ...
	PortMin        int
	PortMax        int
	RemoteIPPrefix string
	RemoteGroupID  string
}

// PortGroups is a port with the security groups it is in.
type PortGroups struct {
	ID             string
	NetworkID      string
	DeviceID       string
	DeviceOwner    string
	SecurityGroups []string
}

func toSecurityGroup(g *groups.SecGroup) SecurityGroup {
	out := SecurityGroup{ID: g.ID, Name: g.Name, Description: g.Description}
	for _, r := range g.Rules {
		out.Rules = append(out.Rules, SecurityGroupRule{ID: r.ID, GroupID: r.SecGroupID,
			Direction: r.Direction, EtherType: r.EtherType, Protocol: r.Protocol,
			PortMin: r.PortRangeMin, PortMax: r.PortRangeMax,
			RemoteIPPrefix: r.RemoteIPPrefix, RemoteGroupID: r.RemoteGroupID})
	}
	return out
}

// SecurityGroups lists the project's security groups, only those named
// name when it is not "".
func (s *Session) SecurityGroups(ctx context.Context, name string) ([]SecurityGroup, error) {
	sc, err := s.service("network")
	if err != nil {
		return nil, err
	}
	pages, err := groups.List(sc, groups.ListOpts{Name: name, ProjectID: s.ProjectID}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list security groups", err)
	}
	list, err := groups.ExtractGroups(pages)
	if err != nil {
		return nil, wrapErr("list security groups", err)
	}
	out := make([]SecurityGroup, 0, len(list))
	for i := range list {
		out = append(out, toSecurityGroup(&list[i]))
	}
	return out, nil
}

// SecurityGroup returns one security group with its rules.
func (s *Session) SecurityGroup(ctx context.Context, id string) (SecurityGroup, error) {
	sc, err := s.service("network")
	if err != nil {
		return SecurityGroup{}, err
	}
	g, err := groups.Get(ctx, sc, id).Extract()
	if err != nil {
		return SecurityGroup{}, wrapErr("get security group "+id, err)
	}
	return toSecurityGroup(g), nil
}

// CreateSecurityGroup creates a security group. Neutron gives it two rules
// that allow all IPv4 and IPv6 egress.
func (s *Session) CreateSecurityGroup(ctx context.Context, name, description string) (SecurityGroup, error) {
	sc, err := s.service("network")
	if err != nil {
		return SecurityGroup{}, err
	}
	g, err := groups.Create(ctx, sc, groups.CreateOpts{Name: name, Description: description}).Extract()
	if err != nil {
		return SecurityGroup{}, wrapErr("create security group "+name, err)
	}
	return toSecurityGroup(g), nil
}

// DeleteSecurityGroup deletes a security group and its rules; one already
// gone is no error. Neutron rejects it with ErrConflict while a port uses it.
func (s *Session) DeleteSecurityGroup(ctx context.Context, id string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	err = groups.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete security group "+id, err)
}

// CreateSecurityGroupRule adds a rule to r.GroupID. A rule equal to one the
// group has already fails with ErrConflict.
func (s *Session) CreateSecurityGroupRule(ctx context.Context, r SecurityGroupRule) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	opts := rules.CreateOpts{SecGroupID: r.GroupID, Direction: rules.RuleDirection(r.Direction),
		EtherType: rules.RuleEtherType(r.EtherType), Protocol: rules.RuleProtocol(r.Protocol),
		PortRangeMin: r.PortMin, PortRangeMax: r.PortMax, RemoteIPPrefix: r.RemoteIPPrefix,
		RemoteGroupID: r.RemoteGroupID}
	_, err = rules.Create(ctx, sc, opts).Extract()
	return wrapErr("create a rule in security group "+r.GroupID, err)
}

// DeleteSecurityGroupRule deletes a rule; one already gone is no error.
func (s *Session) DeleteSecurityGroupRule(ctx context.Context, id string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	err = rules.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete security group rule "+id, err)
}

// PortGroups lists the project's ports with their security groups.
func (s *Session) PortGroups(ctx context.Context, f PortFilter) ([]PortGroups, error) {
	sc, err := s.service("network")
	if err != nil {
		return nil, err
	}
	opts := ports.ListOpts{DeviceID: f.DeviceID, NetworkID: f.NetworkID, ProjectID: s.ProjectID}
	pages, err := ports.List(sc, opts).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list ports", err)
	}
	list, err := ports.ExtractPorts(pages)
	if err != nil {
		return nil, wrapErr("list ports", err)
	}
	out := make([]PortGroups, 0, len(list))
	for _, p := range list {
		out = append(out, PortGroups{ID: p.ID, NetworkID: p.NetworkID, DeviceID: p.DeviceID,
			DeviceOwner: p.DeviceOwner, SecurityGroups: p.SecurityGroups})
	}
	return out, nil
}

// SetPortSecurityGroups replaces the security groups of a port.
func (s *Session) SetPortSecurityGroups(ctx context.Context, portID string, groupIDs []string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	ids := append([]string{}, groupIDs...)
	_, err = ports.Update(ctx, sc, portID, ports.UpdateOpts{SecurityGroups: &ids}).Extract()
	return wrapErr("set the security groups of port "+portID, err)
}
