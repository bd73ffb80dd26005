package openstack

import (
	"encoding/json"
	"net/http"
	"net/netip"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

func (c *Cloud) floatingIPRoutes(rt *mux.Router) {
	c.handle(rt, svcNetwork, "GET", "/v2.0/floatingips", listFloatingIPs)
	c.handle(rt, svcNetwork, "POST", "/v2.0/floatingips", createFloatingIP)
	c.handle(rt, svcNetwork, "GET", "/v2.0/floatingips/{id}", getFloatingIP)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/floatingips/{id}", updateFloatingIP)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/floatingips/{id}", deleteFloatingIP)
}

func (c *Cloud) floatingIPBody(f *floatingIP) map[string]any {
	var details any
	if p := c.ports[f.PortID]; p != nil {
		details = map[string]any{"name": p.Name, "network_id": p.NetworkID, "mac_address": p.MAC,
			"admin_state_up": p.AdminStateUp, "status": p.Status, "device_id": p.DeviceID,
			"device_owner": p.DeviceOwner}
	}
	body := map[string]any{
		"id": f.ID, "floating_ip_address": f.Address, "floating_network_id": f.NetworkID,
		"router_id": nullable(f.RouterID), "port_id": nullable(f.PortID),
		"fixed_ip_address": nullable(f.FixedIP), "status": "DOWN", "port_details": details,
	}
	return standardFields(body, &f.standard, f.ProjectID)
}

func listFloatingIPs(cl *call) reply {
	var items []map[string]any
	for _, f := range cl.c.floatings {
		if cl.visible(f.ProjectID) {
			items = append(items, cl.c.floatingIPBody(f))
		}
	}
	return cl.neutronList("floatingips", items)
}

func (cl *call) findFloatingIP(id string) (*floatingIP, reply, bool) {
	f := cl.c.floatings[id]
	if f == nil || !cl.visible(f.ProjectID) {
		return nil, cl.fail(http.StatusNotFound, "FloatingIPNotFound", "Floating IP %s could not be found", id), false
	}
	return f, reply{}, true
}

func getFloatingIP(cl *call) reply {
	f, rep, ok := cl.findFloatingIP(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"floatingip": cl.c.floatingIPBody(f)})
}

type floatingIPFields struct {
	NetworkID   string          `json:"floating_network_id"`
	PortID      json.RawMessage `json:"port_id"`
	FixedIP     string          `json:"fixed_ip_address"`
	Address     string          `json:"floating_ip_address"`
	Description *string         `json:"description"`
}

func createFloatingIP(cl *call) reply {
	var req struct {
		FloatingIP *floatingIPFields `json:"floatingip"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.FloatingIP
	if f == nil {
		return cl.neutronMissing("floatingip")
	}
	n := cl.c.networks[f.NetworkID]
	if n == nil || !n.External {
		return cl.fail(http.StatusBadRequest, "BadRequest", "Bad floatingip request: Network %s is not a valid external network.", f.NetworkID)
	}
	fip := &floatingIP{ID: uuid.NewString(), ProjectID: cl.tok.projectID(), NetworkID: n.ID,
		standard: standard{Created: cl.now, Updated: cl.now, Tags: []string{}}}
	setString(&fip.Description, f.Description)
	if rep, ok := cl.associate(fip, f.PortID, f.FixedIP); !ok {
		return rep
	}
	if rep, ok := cl.allocateFloating(fip, n, f.Address); !ok {
		return rep
	}
	cl.c.floatings[fip.ID] = fip
	return respond(http.StatusCreated, map[string]any{"floatingip": cl.c.floatingIPBody(fip)})
}

// allocateFloating gives fip the address asked for, which Neutron's
// default policy allows only to administrators, or the lowest free one.
func (cl *call) allocateFloating(fip *floatingIP, n *network, address string) (reply, bool) {
	if address != "" {
		return cl.claimFloating(fip, n, address)
	}
	for _, id := range n.Subnets {
		if a, ok := cl.c.subnets[id].allocate(); ok {
			fip.Address = a.String()
			return reply{}, true
		}
	}
	return cl.fail(http.StatusConflict, "IpAddressGenerationFailure", "No more IP addresses available on network %s.", n.ID), false
}

func (cl *call) claimFloating(fip *floatingIP, n *network, address string) (reply, bool) {
	if !cl.tok.isAdmin() {
		return cl.fail(http.StatusForbidden, "PolicyNotAuthorized",
			"(rule:create_floatingip and rule:create_floatingip:floating_ip_address) is disallowed by policy"), false
	}
	s := cl.c.subnetContaining(n, address)
	if s == nil {
		return cl.fail(http.StatusBadRequest, "BadRequest", "Bad floatingip request: Invalid input for floating_ip_address. "+
			"Reason: '%s' is not in any subnet of network %s.", address, n.ID), false
	}
	a, _ := netip.ParseAddr(address)
	if s.used[a] {
		return cl.fail(http.StatusConflict, "IpAddressAlreadyAllocated",
			"IP address %s already allocated in subnet %s", address, s.ID), false
	}
	s.used[a] = true
	fip.Address = a.String()
	return reply{}, true
}

// associate applies a port_id from a request: absent leaves fip as it is,
// null disassociates, and a UUID associates the port's first address.
func (cl *call) associate(fip *floatingIP, raw json.RawMessage, fixed string) (reply, bool) {
	if len(raw) == 0 {
		return reply{}, true
	}
	var portID *string
	if err := json.Unmarshal(raw, &portID); err != nil {
		return cl.fail(http.StatusBadRequest, "HTTPBadRequest", "Invalid input for port_id. Reason: %s is not a valid UUID.", string(raw)), false
	}
	if portID == nil {
		fip.PortID, fip.FixedIP, fip.RouterID = "", "", ""
		return reply{}, true
	}
	if !isUUID(*portID) {
		return cl.fail(http.StatusBadRequest, "HTTPBadRequest", "Invalid input for port_id. Reason: '%s' is not a valid UUID.", *portID), false
	}
	p, rep, ok := cl.findPort(*portID)
	if !ok {
		return rep, false
	}
	return cl.bindFloating(fip, p, fixed)
}

// bindFloating points fip at p through the router that connects p's
// subnet to the floating network.
func (cl *call) bindFloating(fip *floatingIP, p *port, fixed string) (reply, bool) {
	if len(p.FixedIPs) == 0 {
		return cl.fail(http.StatusBadRequest, "BadRequest", "Bad floatingip request: Port %s does not have any IP addresses.", p.ID), false
	}
	ip := p.FixedIPs[0]
	if fixed != "" {
		ip.IPAddress = fixed
	}
	rt := cl.c.routerFor(ip.SubnetID, fip.NetworkID)
	if rt == nil {
		return cl.fail(http.StatusNotFound, "ExternalGatewayForFloatingIPNotFound", "External network %s is not reachable from subnet %s.  "+
			"Therefore, cannot associate Port %s with a Floating IP.", fip.NetworkID, ip.SubnetID, p.ID), false
	}
	fip.PortID, fip.FixedIP, fip.RouterID = p.ID, ip.IPAddress, rt.ID
	return reply{}, true
}

// routerFor returns a router with a gateway on extNet and an interface on
// subnetID.
func (c *Cloud) routerFor(subnetID, extNet string) *router {
	for _, r := range c.routersL3 {
		if r.GatewayNetwork != extNet {
			continue
		}
		for _, p := range c.routerPorts(r) {
			for _, ip := range p.FixedIPs {
				if ip.SubnetID == subnetID {
					return r
				}
			}
		}
	}
	return nil
}

func updateFloatingIP(cl *call) reply {
	fip, rep, ok := cl.findFloatingIP(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		FloatingIP *floatingIPFields `json:"floatingip"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.FloatingIP
	if f == nil {
		return cl.neutronMissing("floatingip")
	}
	if rep, ok := cl.associate(fip, f.PortID, f.FixedIP); !ok {
		return rep
	}
	setString(&fip.Description, f.Description)
	fip.touch(cl.now)
	return respond(http.StatusOK, map[string]any{"floatingip": cl.c.floatingIPBody(fip)})
}

func deleteFloatingIP(cl *call) reply {
	fip, rep, ok := cl.findFloatingIP(cl.vars["id"])
	if !ok {
		return rep
	}
	cl.c.release([]fixedIP{{SubnetID: cl.c.subnetOfAddress(fip.NetworkID, fip.Address), IPAddress: fip.Address}})
	delete(cl.c.floatings, fip.ID)
	return empty(http.StatusNoContent)
}

func (c *Cloud) subnetOfAddress(netID, addr string) string {
	if n := c.networks[netID]; n != nil {
		if s := c.subnetContaining(n, addr); s != nil {
			return s.ID
		}
	}
	return ""
}
