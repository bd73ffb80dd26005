package openstack

import (
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

func (c *Cloud) networkRoutes(rt *mux.Router) {
	c.handle(rt, svcNetwork, "GET", "/v2.0/networks", listNetworks)
	c.handle(rt, svcNetwork, "POST", "/v2.0/networks", createNetwork)
	c.handle(rt, svcNetwork, "GET", "/v2.0/networks/{id}", getNetwork)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/networks/{id}", updateNetwork)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/networks/{id}", deleteNetwork)
	c.handle(rt, svcNetwork, "GET", "/v2.0/subnets", listSubnets)
	c.handle(rt, svcNetwork, "POST", "/v2.0/subnets", createSubnet)
	c.handle(rt, svcNetwork, "GET", "/v2.0/subnets/{id}", getSubnet)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/subnets/{id}", updateSubnet)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/subnets/{id}", deleteSubnet)
}

func (c *Cloud) addNetwork(id, name, projectID string, now time.Time) *network {
	n := &network{ID: id, Name: name, ProjectID: projectID, AdminStateUp: true, MTU: 1450,
		Subnets: []string{}, standard: standard{Created: now, Updated: now, Tags: []string{}, Revision: 1}}
	c.networks[id] = n
	return n
}

func networkBody(n *network) map[string]any {
	body := map[string]any{
		"id": n.ID, "name": n.Name, "admin_state_up": n.AdminStateUp, "mtu": n.MTU,
		"status": "ACTIVE", "subnets": n.Subnets, "shared": n.Shared,
		"port_security_enabled": true, "router:external": n.External,
		"availability_zone_hints": []any{}, "availability_zones": []any{},
		"ipv4_address_scope": nil, "ipv6_address_scope": nil,
	}
	if n.External {
		body["is_default"] = false
	}
	return standardFields(body, &n.standard, n.ProjectID)
}

// networkVisible reports whether the caller sees n: its own, shared and
// external networks.
func (cl *call) networkVisible(n *network) bool {
	return cl.visible(n.ProjectID) || n.Shared || n.External
}

func listNetworks(cl *call) reply {
	var items []map[string]any
	for _, n := range cl.c.networks {
		if cl.networkVisible(n) {
			items = append(items, networkBody(n))
		}
	}
	return cl.neutronList("networks", items)
}

func (cl *call) findNetwork(id string) (*network, reply, bool) {
	n := cl.c.networks[id]
	if n == nil || !cl.networkVisible(n) {
		return nil, cl.neutronNotFound("Network", id), false
	}
	return n, reply{}, true
}

func getNetwork(cl *call) reply {
	n, rep, ok := cl.findNetwork(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"network": networkBody(n)})
}

type networkFields struct {
	Name         *string `json:"name"`
	Description  *string `json:"description"`
	AdminStateUp *bool   `json:"admin_state_up"`
	Shared       *bool   `json:"shared"`
	External     *bool   `json:"router:external"`
	MTU          *int    `json:"mtu"`
}

func createNetwork(cl *call) reply {
	var req struct {
		Network *networkFields `json:"network"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Network == nil {
		return cl.neutronMissing("network")
	}
	f := req.Network
	if !cl.tok.isAdmin() && (isTrue(f.Shared) || isTrue(f.External)) {
		return cl.fail(http.StatusForbidden, "PolicyNotAuthorized", "(rule:create_network and rule:create_network:shared) is disallowed by policy")
	}
	n := cl.c.addNetwork(uuid.NewString(), "", cl.tok.projectID(), cl.now)
	applyNetworkFields(n, f)
	return respond(http.StatusCreated, map[string]any{"network": networkBody(n)})
}

func isTrue(b *bool) bool { return b != nil && *b }

func applyNetworkFields(n *network, f *networkFields) {
	setString(&n.Name, f.Name)
	setString(&n.Description, f.Description)
	setBool(&n.AdminStateUp, f.AdminStateUp)
	setBool(&n.Shared, f.Shared)
	setBool(&n.External, f.External)
	if f.MTU != nil {
		n.MTU = *f.MTU
	}
}

func setString(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

func setBool(dst *bool, src *bool) {
	if src != nil {
		*dst = *src
	}
}

func updateNetwork(cl *call) reply {
	n, rep, ok := cl.findNetwork(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Network *networkFields `json:"network"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Network == nil {
		return cl.neutronMissing("network")
	}
	applyNetworkFields(n, req.Network)
	n.touch(cl.now)
	return respond(http.StatusOK, map[string]any{"network": networkBody(n)})
}

func deleteNetwork(cl *call) reply {
	n, rep, ok := cl.findNetwork(cl.vars["id"])
	if !ok {
		return rep
	}
	var inUse []string
	for _, p := range cl.c.sortedPorts() {
		if p.NetworkID == n.ID {
			inUse = append(inUse, p.ID)
		}
	}
	if len(inUse) > 0 {
		return cl.fail(http.StatusConflict, "NetworkInUse", "Unable to complete operation on network %s. "+
			"There are one or more ports still in use on the network, id for these ports is: %s.",
			n.ID, strings.Join(inUse, ","))
	}
	for _, id := range n.Subnets {
		delete(cl.c.subnets, id)
	}
	delete(cl.c.networks, n.ID)
	return empty(http.StatusNoContent)
}

// addSubnet creates a subnet on net with the default allocation pool: every
// host address except the gateway.
func (c *Cloud) addSubnet(id, name string, net *network, cidr, gateway string, now time.Time) (*subnet, error) {
	prefix, err := parseCIDR(cidr)
	if err != nil {
		return nil, err
	}
	s := &subnet{ID: id, Name: name, ProjectID: net.ProjectID, NetworkID: net.ID, CIDR: prefix,
		Gateway: gateway, EnableDHCP: true, DNS: []string{}, used: map[netip.Addr]bool{},
		standard: standard{Created: now, Updated: now, Tags: []string{}}}
	s.Pools = defaultPools(prefix, gateway)
	c.subnets[id] = s
	net.Subnets = append(net.Subnets, id)
	net.touch(now)
	return s, nil
}

// defaultPools returns the host range of prefix without the gateway.
func defaultPools(prefix netip.Prefix, gateway string) []pool {
	first := prefix.Addr().Next()
	last := lastAddr(prefix).Prev()
	gw, err := netip.ParseAddr(gateway)
	if err != nil || gw.Compare(first) < 0 || gw.Compare(last) > 0 {
		return []pool{{first, last}}
	}
	var pools []pool
	if gw.Compare(first) > 0 {
		pools = append(pools, pool{first, gw.Prev()})
	}
	if gw.Compare(last) < 0 {
		pools = append(pools, pool{gw.Next(), last})
	}
	return pools
}

// lastAddr returns the broadcast address of an IPv4 prefix, or the last
// address of an IPv6 one.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for bit := 0; bit < 8; bit++ {
			if i*8+bit >= bits {
				b[i] |= 0x80 >> bit
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// allocate returns the lowest free address in the subnet's pools.
func (s *subnet) allocate() (netip.Addr, bool) {
	for _, p := range s.Pools {
		for a := p.Start; a.IsValid() && a.Compare(p.End) <= 0; a = a.Next() {
			if !s.used[a] {
				s.used[a] = true
				return a, true
			}
		}
	}
	return netip.Addr{}, false
}

// release frees addr for reuse.
func (c *Cloud) release(ips []fixedIP) {
	for _, ip := range ips {
		if s := c.subnets[ip.SubnetID]; s != nil {
			a, _ := netip.ParseAddr(ip.IPAddress)
			delete(s.used, a)
		}
	}
}
