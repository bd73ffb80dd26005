package openstack

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

func (c *Cloud) portRoutes(rt *mux.Router) {
	c.handle(rt, svcNetwork, "GET", "/v2.0/ports", listPorts)
	c.handle(rt, svcNetwork, "POST", "/v2.0/ports", createPort)
	c.handle(rt, svcNetwork, "GET", "/v2.0/ports/{id}", getPort)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/ports/{id}", updatePort)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/ports/{id}", deletePort)
}

func (c *Cloud) sortedPorts() []*port {
	var ps []*port
	for _, p := range c.ports {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
	return ps
}

func randomMAC() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", b[0], b[1], b[2])
}

// newPort creates a port on net with one address from each requested
// subnet, or from the network's first subnet when none is requested.
func (c *Cloud) newPort(projectID string, net *network, want []fixedIP, now time.Time) (*port, error) {
	p := &port{ID: uuid.NewString(), ProjectID: projectID, NetworkID: net.ID, MAC: randomMAC(),
		Status: "DOWN", AdminStateUp: true, SecurityGroups: []string{},
		standard: standard{Created: now, Updated: now, Tags: []string{}, Revision: 1}}
	if len(want) == 0 && len(net.Subnets) > 0 {
		want = []fixedIP{{SubnetID: net.Subnets[0]}}
	}
	for _, w := range want {
		ip, err := c.claimAddress(net, w)
		if err != nil {
			c.release(p.FixedIPs)
			return nil, err
		}
		p.FixedIPs = append(p.FixedIPs, ip)
	}
	c.ports[p.ID] = p
	return p, nil
}

// claimAddress reserves the requested address, or the next free one.
func (c *Cloud) claimAddress(net *network, w fixedIP) (fixedIP, error) {
	s := c.subnets[w.SubnetID]
	if s == nil && w.SubnetID == "" {
		s = c.subnetContaining(net, w.IPAddress)
	}
	if s == nil || s.NetworkID != net.ID {
		return fixedIP{}, fmt.Errorf("invalid subnet %q for network %s", w.SubnetID, net.ID)
	}
	if w.IPAddress == "" {
		a, ok := s.allocate()
		if !ok {
			return fixedIP{}, fmt.Errorf("no more IP addresses available on network %s", net.ID)
		}
		return fixedIP{SubnetID: s.ID, IPAddress: a.String()}, nil
	}
	a, err := netip.ParseAddr(w.IPAddress)
	if err == nil && s.CIDR.Contains(a) && isNetworkOrBroadcast(s.CIDR, a) {
		return fixedIP{}, invalidIPForSubnet(w.IPAddress)
	}
	if err != nil || !s.CIDR.Contains(a) || s.used[a] {
		return fixedIP{}, fmt.Errorf("IP address %s is not available on subnet %s", w.IPAddress, s.ID)
	}
	s.used[a] = true
	return fixedIP{SubnetID: s.ID, IPAddress: a.String()}, nil
}

// invalidIPForSubnet returns Neutron's InvalidIpForSubnet message for ip,
// which ends with a period.
func invalidIPForSubnet(ip string) error {
	msg := "IP address " + ip + " is not a valid IP for the specified subnet."
	return errors.New(msg)
}

// isNetworkOrBroadcast reports whether a is the first or the last address
// of an IPv4 subnet of more than two addresses, which Neutron never gives
// to a port.
func isNetworkOrBroadcast(p netip.Prefix, a netip.Addr) bool {
	if !a.Is4() || p.Bits() >= 31 {
		return false
	}
	last := p.Masked().Addr().As4()
	for i := range last {
		shift := max(0, min(8, 32-p.Bits()-8*(3-i)))
		last[i] |= byte(1<<shift - 1)
	}
	return a == p.Masked().Addr() || a == netip.AddrFrom4(last)
}

func (c *Cloud) subnetContaining(net *network, addr string) *subnet {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return nil
	}
	for _, id := range net.Subnets {
		if s := c.subnets[id]; s != nil && s.CIDR.Contains(a) {
			return s
		}
	}
	return nil
}

// removePort deletes p, frees its addresses and disassociates its
// floating IPs.
func (c *Cloud) removePort(p *port, now time.Time) {
	c.release(p.FixedIPs)
	for _, f := range c.floatings {
		if f.PortID == p.ID {
			f.PortID, f.FixedIP, f.RouterID = "", "", ""
			f.touch(now)
		}
	}
	delete(c.ports, p.ID)
}

func portBody(p *port) map[string]any {
	body := map[string]any{
		"id": p.ID, "name": p.Name, "network_id": p.NetworkID, "mac_address": p.MAC,
		"admin_state_up": p.AdminStateUp, "status": p.Status, "device_id": p.DeviceID,
		"device_owner": p.DeviceOwner, "fixed_ips": p.FixedIPs, "allowed_address_pairs": []any{},
		"extra_dhcp_opts": []any{}, "security_groups": p.SecurityGroups,
		"binding:vnic_type": "normal", "port_security_enabled": !strings.HasPrefix(p.DeviceOwner, "network:"),
	}
	return standardFields(body, &p.standard, p.ProjectID)
}

func listPorts(cl *call) reply {
	var items []map[string]any
	for _, p := range cl.c.ports {
		if cl.visible(p.ProjectID) {
			items = append(items, portBody(p))
		}
	}
	return cl.neutronList("ports", items)
}

func (cl *call) findPort(id string) (*port, reply, bool) {
	p := cl.c.ports[id]
	if p == nil || !cl.visible(p.ProjectID) {
		return nil, cl.neutronNotFound("Port", id), false
	}
	return p, reply{}, true
}

func getPort(cl *call) reply {
	p, rep, ok := cl.findPort(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"port": portBody(p)})
}

type portFields struct {
	Name           *string   `json:"name"`
	Description    *string   `json:"description"`
	NetworkID      string    `json:"network_id"`
	DeviceID       *string   `json:"device_id"`
	DeviceOwner    *string   `json:"device_owner"`
	AdminStateUp   *bool     `json:"admin_state_up"`
	FixedIPs       []fixedIP `json:"fixed_ips"`
	SecurityGroups *[]string `json:"security_groups"`
}

func createPort(cl *call) reply {
	var req struct {
		Port *portFields `json:"port"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.Port
	if f == nil {
		return cl.neutronMissing("port")
	}
	if f.NetworkID == "" {
		return cl.fail(http.StatusBadRequest, "HTTPBadRequest", "Failed to parse request. Required attribute 'network_id' not specified")
	}
	n, rep, ok := cl.findNetwork(f.NetworkID)
	if !ok {
		return rep
	}
	p, err := cl.c.newPort(cl.tok.projectID(), n, f.FixedIPs, cl.now)
	if err != nil {
		return cl.fail(http.StatusBadRequest, "InvalidInput", "Invalid input for operation: %v.", err)
	}
	p.SecurityGroups = cl.c.defaultSecurityGroups(p.ProjectID)
	if rep, ok := cl.applyPortFields(p, f); !ok {
		cl.c.removePort(p, cl.now)
		return rep
	}
	return respond(http.StatusCreated, map[string]any{"port": portBody(p)})
}

func (cl *call) applyPortFields(p *port, f *portFields) (reply, bool) {
	setString(&p.Name, f.Name)
	setString(&p.Description, f.Description)
	setString(&p.DeviceID, f.DeviceID)
	setString(&p.DeviceOwner, f.DeviceOwner)
	setBool(&p.AdminStateUp, f.AdminStateUp)
	if f.SecurityGroups == nil {
		return reply{}, true
	}
	for _, id := range *f.SecurityGroups {
		if g := cl.c.secGroups[id]; g == nil || !cl.visible(g.ProjectID) {
			return cl.fail(http.StatusNotFound, "SecurityGroupNotFound", "Security group %s does not exist", id), false
		}
	}
	p.SecurityGroups = append([]string{}, *f.SecurityGroups...)
	return reply{}, true
}

func updatePort(cl *call) reply {
	p, rep, ok := cl.findPort(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Port *portFields `json:"port"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Port == nil {
		return cl.neutronMissing("port")
	}
	if rep, ok := cl.applyPortFields(p, req.Port); !ok {
		return rep
	}
	p.touch(cl.now)
	return respond(http.StatusOK, map[string]any{"port": portBody(p)})
}

func deletePort(cl *call) reply {
	p, rep, ok := cl.findPort(cl.vars["id"])
	if !ok {
		return rep
	}
	if p.DeviceOwner == "network:router_interface" {
		return cl.fail(http.StatusConflict, "PortInUse", "Port %s cannot be deleted directly via the port API: has device owner network:router_interface.", p.ID)
	}
	cl.c.removePort(p, cl.now)
	return empty(http.StatusNoContent)
}
