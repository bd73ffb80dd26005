package compute

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/store"
)

// legacyDefaultRange is the IPv4Range of a network inserted without one.
const legacyDefaultRange = "10.240.0.0/16"

// networkPlan is a validated networks.insert request.
type networkPlan struct {
	name        string
	description string
	cidr        netip.Prefix
	gateway     netip.Addr
}

// insertNetwork creates a legacy network: a Neutron network with one IPv4
// subnet and a router, named after the network, from the subnet to the
// external network.
func (s *Service) insertNetwork(ctx context.Context, r *Request) Response {
	plan, err := planNetworkInsert(r.Body)
	if err != nil {
		return Fail(err)
	}
	id, err := s.createLegacyNetwork(ctx, r, plan)
	if err != nil {
		return Fail(err)
	}
	return s.globalOperation(ctx, r, "insert", "networks", plan.name, id)
}

func planNetworkInsert(body []byte) (*networkPlan, error) {
	var n compute.Network
	if err := decodeBody(body, &n); err != nil {
		return nil, err
	}
	if err := gce.CheckName("resource.name", n.Name); err != nil {
		return nil, err
	}
	if err := checkDescription("resource.description", n.Description); err != nil {
		return nil, err
	}
	if sentField(bodyFields(body), "autoCreateSubnetworks") {
		return nil, gce.Invalid("Only legacy networks are supported: omit autoCreateSubnetworks. " +
			"IPv4Range is optional and defaults to " + legacyDefaultRange + ", and gatewayIPv4 " +
			"defaults to the first host of the range. Auto mode and custom mode networks need " +
			"subnetworks, which this server does not provide.")
	}
	cidr, err := parseLegacyRange(orText(n.IPv4Range, legacyDefaultRange))
	if err != nil {
		return nil, err
	}
	gateway, err := parseLegacyGateway(cidr, n.GatewayIPv4)
	if err != nil {
		return nil, err
	}
	return &networkPlan{name: n.Name, description: n.Description, cidr: cidr, gateway: gateway}, nil
}

// parseLegacyRange accepts an IPv4 network address with a prefix length
// from 8 to 29, which leaves room for the gateway, DHCP and instances.
func parseLegacyRange(text string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(text)
	if err != nil || !p.Addr().Is4() || p.Bits() < 8 || p.Bits() > 29 {
		return netip.Prefix{}, gce.InvalidField("resource.IPv4Range", text,
			"Must be an IPv4 range in CIDR notation with a prefix length from 8 to 29.")
	}
	if p.Masked() != p {
		return netip.Prefix{}, gce.InvalidField("resource.IPv4Range", text,
			"The address must be the first address of the range, "+p.Masked().String()+".")
	}
	return p, nil
}

// parseLegacyGateway returns the gateway address: text, or the first host
// of cidr when text is "".
func parseLegacyGateway(cidr netip.Prefix, text string) (netip.Addr, error) {
	if text == "" {
		return cidr.Addr().Next(), nil
	}
	a, err := netip.ParseAddr(text)
	if err != nil || !cidr.Contains(a) || a == cidr.Addr() || a == broadcastAddr(cidr) {
		return netip.Addr{}, gce.InvalidField("resource.gatewayIPv4", text,
			"Must be a host address inside IPv4Range "+cidr.String()+".")
	}
	return a, nil
}

func broadcastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	v := binary.BigEndian.Uint32(b[:]) | (1<<(32-p.Bits()) - 1)
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b)
}

// createLegacyNetwork reserves the name and builds the network in Neutron,
// undoing what it built when a step fails. It returns the network's id.
func (s *Service) createLegacyNetwork(ctx context.Context, r *Request, plan *networkPlan) (string, error) {
	res := store.Resource{Project: r.Project(), Scope: "global", Kind: "networks", Name: plan.name}
	path := globalPath(r.Project(), "networks", plan.name)
	if err := s.Store.Reserve(ctx, res); err != nil {
		return "", reserveError(err, path)
	}
	release := func() { s.Store.Release(context.WithoutCancel(ctx), r.Project(), "global", "networks", plan.name) }
	s.cache.forget(r.Session.ProjectID + "/networks")
	// Networks made outside this server, such as the seeded default one,
	// have no store record, but their names are taken all the same.
	if _, found, err := s.findNetwork(ctx, r.Session, plan.name); err != nil || found {
		release()
		if err != nil {
			return "", apiError(err, "")
		}
		return "", gce.AlreadyExists(path)
	}
	build := &networkBuild{sess: r.Session}
	if err := s.buildNetwork(ctx, build, plan); err != nil {
		build.undo(context.WithoutCancel(ctx), s)
		release()
		return "", apiError(err, "")
	}
	s.cache.forget(r.Session.ProjectID + "/networks")
	res.OpenStackID = build.networkID
	return build.networkID, s.Store.UpdateResource(ctx, res)
}

// networkBuild records what buildNetwork created, for undo.
type networkBuild struct {
	sess      *openstack.Session
	networkID string
	subnetID  string
	routerID  string
	attached  bool
}

func (s *Service) buildNetwork(ctx context.Context, b *networkBuild, plan *networkPlan) error {
	n, err := b.sess.CreateNetwork(ctx, plan.name, plan.description)
	if err != nil {
		return err
	}
	b.networkID = n.ID
	sn, err := b.sess.CreateSubnet(ctx, openstack.SubnetSpec{NetworkID: n.ID, Name: plan.name,
		CIDR: plan.cidr.String(), GatewayIP: plan.gateway.String()})
	if err != nil {
		return err
	}
	b.subnetID = sn.ID
	gateway, err := s.gatewayNetworkID(ctx, b.sess)
	if err != nil {
		return err
	}
	rt, err := b.sess.CreateRouter(ctx, plan.name, gateway)
	if err != nil {
		return err
	}
	b.routerID = rt.ID
	if err := b.sess.AddRouterInterface(ctx, rt.ID, sn.ID); err != nil {
		return err
	}
	b.attached = true
	return nil
}

// undo deletes what the build created, in reverse order, and logs what it
// could not delete.
func (b *networkBuild) undo(ctx context.Context, s *Service) {
	var errs []error
	if b.attached {
		errs = append(errs, b.sess.RemoveRouterInterface(ctx, b.routerID, b.subnetID))
	}
	if b.routerID != "" {
		errs = append(errs, b.sess.DeleteRouter(ctx, b.routerID))
	}
	if b.subnetID != "" {
		errs = append(errs, b.sess.DeleteSubnet(ctx, b.subnetID))
	}
	if b.networkID != "" {
		errs = append(errs, b.sess.DeleteNetwork(ctx, b.networkID))
	}
	if err := errors.Join(errs...); err != nil {
		s.Log.Warn("undo a failed network insert", "network", b.networkID, "err", err)
	}
}

// gatewayNetworkID returns the external network for router gateways, or ""
// when OpenStack has none, so the router gets no gateway.
func (s *Service) gatewayNetworkID(ctx context.Context, sess *openstack.Session) (string, error) {
	ext, err := s.externalNetwork(ctx, sess)
	var osErr *openstack.Error
	if err != nil && !errors.As(err, &osErr) {
		return "", nil
	}
	return ext.ID, err
}

// deleteNetwork deletes a network that no instance, firewall or route
// uses, with its router, subnets and egress security group.
func (s *Service) deleteNetwork(ctx context.Context, r *Request) Response {
	name := r.Vars["network"]
	path := globalPath(r.Project(), "networks", name)
	s.cache.forget(r.Session.ProjectID + "/networks")
	n, found, err := s.findNetwork(ctx, r.Session, name)
	if err != nil {
		return Fail(apiError(err, path))
	}
	if !found {
		return Fail(gce.NotFound(path))
	}
	if err := s.checkNetworkUnused(ctx, r, n); err != nil {
		return Fail(err)
	}
	if err := s.teardownNetwork(ctx, r.Session, n); err != nil {
		return Fail(apiError(err, path))
	}
	s.cache.forget(r.Session.ProjectID + "/networks")
	if err := s.Store.Release(ctx, r.Project(), "global", "networks", name); err != nil {
		return Fail(err)
	}
	return s.globalOperation(ctx, r, "delete", "networks", name, n.ID)
}

// checkNetworkUnused returns resourceInUseByAnotherResource when an
// instance is on the network or a firewall or route names it.
func (s *Service) checkNetworkUnused(ctx context.Context, r *Request, n openstack.Network) error {
	user, err := s.networkUser(ctx, r, n)
	if err != nil || user == "" {
		return err
	}
	return gce.InUse("The network resource '%s' is already being used by '%s'",
		globalPath(r.Project(), "networks", n.Name), user)
}

// networkUser returns the path of one resource that uses the network, or "".
func (s *Service) networkUser(ctx context.Context, r *Request, n openstack.Network) (string, error) {
	ports, err := r.Session.Ports(ctx, openstack.PortFilter{NetworkID: n.ID})
	if err != nil {
		return "", apiError(err, "")
	}
	for _, p := range ports {
		if strings.HasPrefix(p.DeviceOwner, "compute:") {
			return s.instancePathOf(ctx, r.Project(), p.DeviceID), nil
		}
	}
	for _, kind := range []string{"firewalls", "routes"} {
		recs, err := s.Store.Resources(ctx, r.Project(), "global", kind)
		if err != nil {
			return "", err
		}
		for _, rec := range recs {
			if networkOfRecord(rec) == n.Name {
				return globalPath(r.Project(), kind, rec.Name), nil
			}
		}
	}
	return "", nil
}

// instancePathOf returns projects/p/zones/z/instances/name for a Nova
// server, or names the server by id when the store has no instance for it.
func (s *Service) instancePathOf(ctx context.Context, project, serverID string) string {
	rec, err := s.Store.ResourceByOpenStackID(ctx, project, "instances", serverID)
	if err != nil {
		return "projects/" + project + "/servers/" + serverID
	}
	return "projects/" + project + "/" + rec.Scope + "/instances/" + rec.Name
}

// teardownNetwork removes the network's router interfaces, its routers
// named after it, its egress group, its subnets and the network itself.
func (s *Service) teardownNetwork(ctx context.Context, sess *openstack.Session, n openstack.Network) error {
	if err := s.detachRouters(ctx, sess, n); err != nil {
		return err
	}
	if err := s.deleteEgressGroups(ctx, sess, n.Name); err != nil {
		return err
	}
	subnets, err := sess.Subnets(ctx, n.ID)
	if err != nil {
		return err
	}
	for _, sn := range subnets {
		if err := sess.DeleteSubnet(ctx, sn.ID); err != nil {
			return err
		}
	}
	return sess.DeleteNetwork(ctx, n.ID)
}

// detachRouters removes every router interface on the network and deletes
// the routers named after it once they have no interface left.
func (s *Service) detachRouters(ctx context.Context, sess *openstack.Session, n openstack.Network) error {
	ports, err := routerInterfaces(ctx, sess, n.ID)
	if err != nil {
		return err
	}
	for _, p := range ports {
		if len(p.FixedIPs) == 0 {
			continue
		}
		if err := sess.RemoveRouterInterface(ctx, p.DeviceID, p.FixedIPs[0].SubnetID); err != nil {
			return err
		}
		rt, err := sess.Router(ctx, p.DeviceID)
		if err != nil || rt.Name != n.Name {
			continue
		}
		err = sess.DeleteRouter(ctx, rt.ID)
		if err != nil && !errors.Is(err, openstack.ErrConflict) {
			return err
		}
	}
	return nil
}

// routerInterfaces returns the router interface ports on a network.
func routerInterfaces(ctx context.Context, sess *openstack.Session, networkID string) ([]openstack.Port, error) {
	ports, err := sess.Ports(ctx, openstack.PortFilter{NetworkID: networkID})
	if err != nil {
		return nil, err
	}
	var out []openstack.Port
	for _, p := range ports {
		if p.DeviceOwner == "network:router_interface" {
			out = append(out, p)
		}
	}
	return out, nil
}
