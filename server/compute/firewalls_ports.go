package compute

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/gce-api/gce-api/server/openstack"
)

// An instance port is always in the egress group of its network: a group
// with only Neutron's two allow-all egress rules. Compute Engine allows all
// egress, and firewall groups hold only their own rules, so the port keeps
// egress whatever firewalls reach it. The group's name contains a '.',
// which no firewall name can, so it never clashes with a firewall's group.

// egressGroupName returns the name of a network's egress group.
func egressGroupName(network string) string { return network + ".egress" }

// egressGroup returns the id of the network's egress group, creating the
// group when the network has none.
func (s *Service) egressGroup(ctx context.Context, sess *openstack.Session, network string) (string, error) {
	name := egressGroupName(network)
	groups, err := sess.SecurityGroups(ctx, name)
	if err != nil {
		return "", err
	}
	if len(groups) > 0 {
		// Two concurrent creations may leave two groups; all use the first.
		return slices.MinFunc(groups, func(a, b openstack.SecurityGroup) int {
			return strings.Compare(a.ID, b.ID)
		}).ID, nil
	}
	g, err := sess.CreateSecurityGroup(ctx, name, "Allows all egress of the instances on network "+network)
	if err != nil {
		return "", err
	}
	return g.ID, nil
}

// deleteEgressGroups deletes every egress group of a network.
func (s *Service) deleteEgressGroups(ctx context.Context, sess *openstack.Session, network string) error {
	groups, err := sess.SecurityGroups(ctx, egressGroupName(network))
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := sess.DeleteSecurityGroup(ctx, g.ID); err != nil {
			return err
		}
	}
	return nil
}

// reaches reports whether an enabled firewall applies to an instance with
// tags on network: every instance of its network when it has no target
// tags, else those that carry one of them.
func (d firewallData) reaches(network string, tags []string) bool {
	if d.Disabled || d.Network != network {
		return false
	}
	if len(d.TargetTags) == 0 {
		return true
	}
	return slices.ContainsFunc(d.TargetTags, func(t string) bool { return slices.Contains(tags, t) })
}

// reachingGroups returns the groups of an instance with tags on network:
// the network's egress group and the groups of the firewalls that reach it.
func (s *Service) reachingGroups(ctx context.Context, sess *openstack.Session, project, network string, tags []string) ([]string, error) {
	egress, err := s.egressGroup(ctx, sess, network)
	if err != nil {
		return nil, apiError(err, "")
	}
	recs, err := s.Store.Resources(ctx, project, "global", "firewalls")
	if err != nil {
		return nil, err
	}
	ids := []string{egress}
	for _, rec := range recs {
		if rec.OpenStackID != "" && loadFirewallData(rec).reaches(network, tags) {
			ids = append(ids, rec.OpenStackID)
		}
	}
	return ids, nil
}

// addFirewallToPorts adds a firewall's group, and the egress group, to the
// ports on the network of the Nova servers the firewall reaches.
//
// NOTE: an instance whose server Nova is still building when the firewall
// is inserted may get its port after this runs, without the group.
func (s *Service) addFirewallToPorts(ctx context.Context, sess *openstack.Session, n openstack.Network, group string, d firewallData) error {
	egress, err := s.egressGroup(ctx, sess, n.Name)
	if err != nil {
		return err
	}
	ports, err := sess.PortGroups(ctx, openstack.PortFilter{NetworkID: n.ID})
	if err != nil {
		return err
	}
	for _, p := range ports {
		if !strings.HasPrefix(p.DeviceOwner, "compute:") {
			continue
		}
		reached, err := serverReached(ctx, sess, p.DeviceID, n.Name, d)
		if err != nil {
			return err
		}
		if reached {
			if err := addPortGroups(ctx, sess, p, egress, group); err != nil {
				return err
			}
		}
	}
	return nil
}

// serverReached reports whether the firewall reaches a Nova server, which
// depends on the server's tags only when the firewall has target tags.
func serverReached(ctx context.Context, sess *openstack.Session, serverID, network string, d firewallData) (bool, error) {
	if len(d.TargetTags) == 0 {
		return d.reaches(network, nil), nil
	}
	srv, err := sess.Server(ctx, serverID)
	if errors.Is(err, openstack.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return d.reaches(network, srv.Tags), nil
}

// addPortGroups adds the groups a port is not yet in.
func addPortGroups(ctx context.Context, sess *openstack.Session, p openstack.PortGroups, groups ...string) error {
	want := slices.Clone(p.SecurityGroups)
	for _, g := range groups {
		if !slices.Contains(want, g) {
			want = append(want, g)
		}
	}
	if len(want) == len(p.SecurityGroups) {
		return nil
	}
	return sess.SetPortSecurityGroups(ctx, p.ID, want)
}

// removeGroupFromPorts takes a group off every port of the project that is
// in it.
func removeGroupFromPorts(ctx context.Context, sess *openstack.Session, group string) error {
	ports, err := sess.PortGroups(ctx, openstack.PortFilter{})
	if err != nil {
		return err
	}
	for _, p := range ports {
		if !slices.Contains(p.SecurityGroups, group) {
			continue
		}
		rest := slices.DeleteFunc(slices.Clone(p.SecurityGroups), func(g string) bool { return g == group })
		if err := sess.SetPortSecurityGroups(ctx, p.ID, rest); err != nil {
			return err
		}
	}
	return nil
}
