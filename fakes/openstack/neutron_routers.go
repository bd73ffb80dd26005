package openstack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

func (c *Cloud) routerRoutes(rt *mux.Router) {
	c.handle(rt, svcNetwork, "GET", "/v2.0/routers", listRouters)
	c.handle(rt, svcNetwork, "POST", "/v2.0/routers", createRouter)
	c.handle(rt, svcNetwork, "GET", "/v2.0/routers/{id}", getRouter)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/routers/{id}", updateRouter)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/routers/{id}", deleteRouter)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/routers/{id}/add_router_interface", addRouterInterface)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/routers/{id}/remove_router_interface", removeRouterInterface)
}

func routerBody(r *router) map[string]any {
	var gw any
	if r.GatewayNetwork != "" {
		gw = map[string]any{"network_id": r.GatewayNetwork, "external_fixed_ips": r.GatewayIPs,
			"enable_snat": r.EnableSNAT}
	}
	body := map[string]any{
		"id": r.ID, "name": r.Name, "admin_state_up": true, "status": "ACTIVE",
		"external_gateway_info": gw, "availability_zones": []any{},
		"availability_zone_hints": []any{}, "routes": nonNilRoutes(r.Routes), "flavor_id": nil,
	}
	return standardFields(body, &r.standard, r.ProjectID)
}

func nonNilRoutes(r []route) []route {
	if r == nil {
		return []route{}
	}
	return r
}

// setGateway connects r to the external network netID through a gateway
// port with one address from the network's first subnet.
func (c *Cloud) setGateway(r *router, netID string, now time.Time) error {
	net := c.networks[netID]
	if net == nil || !net.External {
		return fmt.Errorf("network %s is not a valid external network", netID)
	}
	c.clearGateway(r)
	p, err := c.newPort("", net, nil, now)
	if err != nil {
		return err
	}
	p.DeviceID, p.DeviceOwner = r.ID, "network:router_gateway"
	r.GatewayNetwork, r.GatewayIPs = netID, p.FixedIPs
	r.touch(now)
	return nil
}

// clearGateway removes r's gateway port.
func (c *Cloud) clearGateway(r *router) {
	for _, p := range c.ports {
		if p.DeviceID == r.ID && p.DeviceOwner == "network:router_gateway" {
			c.release(p.FixedIPs)
			delete(c.ports, p.ID)
		}
	}
	r.GatewayNetwork, r.GatewayIPs = "", nil
}

// attachSubnet adds an interface port on s that holds the subnet's gateway.
func (c *Cloud) attachSubnet(r *router, s *subnet, now time.Time) (*port, error) {
	if s.Gateway == "" {
		return nil, errors.New("subnet has no gateway_ip")
	}
	for _, p := range c.routerPorts(r) {
		for _, ip := range p.FixedIPs {
			if ip.SubnetID == s.ID {
				return nil, fmt.Errorf("router already has a port on subnet %s", s.ID)
			}
		}
	}
	p, err := c.newPort(r.ProjectID, c.networks[s.NetworkID], []fixedIP{{SubnetID: s.ID, IPAddress: s.Gateway}}, now)
	if err != nil {
		return nil, err
	}
	p.DeviceID, p.DeviceOwner = r.ID, "network:router_interface"
	p.Revision++
	r.touch(now)
	return p, nil
}

// routerPorts returns r's interface ports.
func (c *Cloud) routerPorts(r *router) []*port {
	var out []*port
	for _, p := range c.sortedPorts() {
		if p.DeviceID == r.ID && p.DeviceOwner == "network:router_interface" {
			out = append(out, p)
		}
	}
	return out
}

func listRouters(cl *call) reply {
	var items []map[string]any
	for _, r := range cl.c.routersL3 {
		if cl.visible(r.ProjectID) {
			items = append(items, routerBody(r))
		}
	}
	return cl.neutronList("routers", items)
}

func (cl *call) findRouter(id string) (*router, reply, bool) {
	r := cl.c.routersL3[id]
	if r == nil || !cl.visible(r.ProjectID) {
		return nil, cl.neutronNotFound("Router", id), false
	}
	return r, reply{}, true
}

func getRouter(cl *call) reply {
	r, rep, ok := cl.findRouter(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"router": routerBody(r)})
}

type routerFields struct {
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Gateway     json.RawMessage `json:"external_gateway_info"`
	Routes      *[]route        `json:"routes"`
}

func createRouter(cl *call) reply {
	var req struct {
		Router *routerFields `json:"router"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Router == nil {
		return cl.neutronMissing("router")
	}
	r := &router{ID: uuid.NewString(), ProjectID: cl.tok.projectID(), EnableSNAT: true,
		standard: standard{Created: cl.now, Updated: cl.now, Tags: []string{}}}
	cl.c.routersL3[r.ID] = r
	if rep, ok := cl.applyRouterFields(r, req.Router); !ok {
		delete(cl.c.routersL3, r.ID)
		return rep
	}
	return respond(http.StatusCreated, map[string]any{"router": routerBody(r)})
}

func (cl *call) applyRouterFields(r *router, f *routerFields) (reply, bool) {
	setString(&r.Name, f.Name)
	setString(&r.Description, f.Description)
	if len(f.Gateway) > 0 {
		if rep, ok := cl.applyGateway(r, f.Gateway); !ok {
			return rep, false
		}
	}
	if f.Routes != nil {
		if rep, ok := cl.checkRoutes(r, *f.Routes); !ok {
			return rep, false
		}
		r.Routes = *f.Routes
	}
	return reply{}, true
}

func (cl *call) applyGateway(r *router, raw json.RawMessage) (reply, bool) {
	var gw *struct {
		NetworkID  string `json:"network_id"`
		EnableSNAT *bool  `json:"enable_snat"`
	}
	if err := json.Unmarshal(raw, &gw); err != nil {
		return cl.invalidInput("external_gateway_info is not a dictionary"), false
	}
	if gw == nil || gw.NetworkID == "" {
		cl.c.clearGateway(r)
		return reply{}, true
	}
	if _, rep, ok := cl.findNetwork(gw.NetworkID); !ok {
		return rep, false
	}
	if err := cl.c.setGateway(r, gw.NetworkID, cl.now); err != nil {
		return cl.fail(http.StatusBadRequest, "BadRequest", "Bad router request: %v.", err), false
	}
	setBool(&r.EnableSNAT, gw.EnableSNAT)
	return reply{}, true
}

// checkRoutes rejects a route whose nexthop is not on a subnet the router
// is connected to.
func (cl *call) checkRoutes(r *router, routes []route) (reply, bool) {
	for _, rt := range routes {
		_, err1 := netip.ParsePrefix(rt.Destination)
		hop, err2 := netip.ParseAddr(rt.Nexthop)
		if err1 != nil || err2 != nil || !cl.c.routerReaches(r, hop) {
			text, _ := json.Marshal(routes)
			return cl.fail(http.StatusBadRequest, "InvalidRoutes", "Invalid format for routes: %s, "+
				"the nexthop is not connected with router", pyRepr(string(text))), false
		}
	}
	return reply{}, true
}

func (c *Cloud) routerReaches(r *router, hop netip.Addr) bool {
	for _, p := range c.routerPorts(r) {
		for _, ip := range p.FixedIPs {
			if s := c.subnets[ip.SubnetID]; s != nil && s.CIDR.Contains(hop) {
				return true
			}
		}
	}
	return false
}

func updateRouter(cl *call) reply {
	r, rep, ok := cl.findRouter(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Router *routerFields `json:"router"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Router == nil {
		return cl.neutronMissing("router")
	}
	if rep, ok := cl.applyRouterFields(r, req.Router); !ok {
		return rep
	}
	r.touch(cl.now)
	return respond(http.StatusOK, map[string]any{"router": routerBody(r)})
}

func deleteRouter(cl *call) reply {
	r, rep, ok := cl.findRouter(cl.vars["id"])
	if !ok {
		return rep
	}
	if len(cl.c.routerPorts(r)) > 0 {
		return cl.fail(http.StatusConflict, "RouterInUse", "Router %s still has ports", r.ID)
	}
	cl.c.clearGateway(r)
	delete(cl.c.routersL3, r.ID)
	return empty(http.StatusNoContent)
}

type interfaceRequest struct {
	SubnetID string `json:"subnet_id"`
	PortID   string `json:"port_id"`
}

func interfaceBody(r *router, p *port) map[string]any {
	ids := []string{}
	for _, ip := range p.FixedIPs {
		ids = append(ids, ip.SubnetID)
	}
	first := ""
	if len(ids) > 0 {
		first = ids[0]
	}
	return map[string]any{"id": r.ID, "tenant_id": r.ProjectID, "port_id": p.ID,
		"network_id": p.NetworkID, "subnet_id": first, "subnet_ids": ids}
}

func addRouterInterface(cl *call) reply {
	r, rep, ok := cl.findRouter(cl.vars["id"])
	if !ok {
		return rep
	}
	var req interfaceRequest
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.PortID != "" {
		return cl.addPortInterface(r, req.PortID)
	}
	s, rep, ok := cl.findSubnet(req.SubnetID)
	if !ok {
		return rep
	}
	p, err := cl.c.attachSubnet(r, s, cl.now)
	if err != nil {
		return cl.fail(http.StatusBadRequest, "BadRequest", "Bad router request: %v.", err)
	}
	return respond(http.StatusOK, interfaceBody(r, p))
}

func (cl *call) addPortInterface(r *router, portID string) reply {
	p, rep, ok := cl.findPort(portID)
	if !ok {
		return rep
	}
	if p.DeviceID != "" {
		return cl.fail(http.StatusConflict, "PortInUse", "Unable to complete operation on port %s for network %s. Port already has an attached device %s.", p.ID, p.NetworkID, p.DeviceID)
	}
	p.DeviceID, p.DeviceOwner = r.ID, "network:router_interface"
	p.touch(cl.now)
	r.touch(cl.now)
	return respond(http.StatusOK, interfaceBody(r, p))
}

func removeRouterInterface(cl *call) reply {
	r, rep, ok := cl.findRouter(cl.vars["id"])
	if !ok {
		return rep
	}
	var req interfaceRequest
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	for _, p := range cl.c.routerPorts(r) {
		if p.ID == req.PortID || (req.PortID == "" && len(p.FixedIPs) > 0 && p.FixedIPs[0].SubnetID == req.SubnetID) {
			body := interfaceBody(r, p)
			cl.c.removePort(p, cl.now)
			r.touch(cl.now)
			return respond(http.StatusOK, body)
		}
	}
	if req.PortID != "" {
		return cl.fail(http.StatusNotFound, "RouterInterfaceNotFound", "Router %s does not have an interface with id %s", r.ID, req.PortID)
	}
	return cl.fail(http.StatusNotFound, "RouterInterfaceNotFoundForSubnet", "Router %s has no interface on subnet %s", r.ID, req.SubnetID)
}

// pyRepr turns compact JSON into the Python repr Neutron puts in messages.
func pyRepr(s string) string {
	out := []rune{}
	for _, ch := range s {
		switch ch {
		case '"':
			out = append(out, '\'')
		case ':', ',':
			out = append(out, ch, ' ')
		default:
			out = append(out, ch)
		}
	}
	return string(out)
}
