package openstack

import (
	"encoding/json"
	"net/http"
	"net/netip"

	"github.com/google/uuid"
)

func subnetBody(s *subnet) map[string]any {
	pools := []any{}
	for _, p := range s.Pools {
		pools = append(pools, map[string]any{"start": p.Start.String(), "end": p.End.String()})
	}
	version := 4
	if s.CIDR.Addr().Is6() {
		version = 6
	}
	body := map[string]any{
		"id": s.ID, "name": s.Name, "network_id": s.NetworkID, "ip_version": version,
		"subnetpool_id": nil, "enable_dhcp": s.EnableDHCP, "ipv6_ra_mode": nil,
		"ipv6_address_mode": nil, "gateway_ip": nullable(s.Gateway), "cidr": s.CIDR.String(),
		"allocation_pools": pools, "host_routes": []any{}, "dns_nameservers": s.DNS,
		"service_types": []any{},
	}
	return standardFields(body, &s.standard, s.ProjectID)
}

func (cl *call) subnetVisible(s *subnet) bool {
	n := cl.c.networks[s.NetworkID]
	return cl.visible(s.ProjectID) || (n != nil && (n.Shared || n.External))
}

func listSubnets(cl *call) reply {
	var items []map[string]any
	for _, s := range cl.c.subnets {
		if cl.subnetVisible(s) {
			items = append(items, subnetBody(s))
		}
	}
	return cl.neutronList("subnets", items)
}

func (cl *call) findSubnet(id string) (*subnet, reply, bool) {
	s := cl.c.subnets[id]
	if s == nil || !cl.subnetVisible(s) {
		return nil, cl.neutronNotFound("Subnet", id), false
	}
	return s, reply{}, true
}

func getSubnet(cl *call) reply {
	s, rep, ok := cl.findSubnet(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"subnet": subnetBody(s)})
}

type subnetFields struct {
	Name            *string         `json:"name"`
	Description     *string         `json:"description"`
	NetworkID       string          `json:"network_id"`
	CIDR            string          `json:"cidr"`
	IPVersion       *int            `json:"ip_version"`
	GatewayIP       json.RawMessage `json:"gateway_ip"`
	EnableDHCP      *bool           `json:"enable_dhcp"`
	DNSNameservers  []string        `json:"dns_nameservers"`
	AllocationPools []struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"allocation_pools"`
}

func createSubnet(cl *call) reply {
	var req struct {
		Subnet *subnetFields `json:"subnet"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.Subnet
	if f == nil {
		return cl.neutronMissing("subnet")
	}
	if f.NetworkID == "" {
		return cl.fail(http.StatusBadRequest, "HTTPBadRequest", "Failed to parse request. Required attribute 'network_id' not specified")
	}
	n, rep, ok := cl.findNetwork(f.NetworkID)
	if !ok {
		return rep
	}
	prefix, err := parseCIDR(f.CIDR)
	if err != nil {
		return cl.invalidInput("%s is not in a CIDR format", f.CIDR)
	}
	if f.IPVersion != nil && (*f.IPVersion == 4) != prefix.Addr().Is4() {
		return cl.invalidInput("Cidr %s does not match ip_version %d", f.CIDR, *f.IPVersion)
	}
	gateway, rep, ok := cl.subnetGateway(f.GatewayIP, prefix)
	if !ok {
		return rep
	}
	s, _ := cl.c.addSubnet(uuid.NewString(), "", n, prefix.String(), gateway, cl.now)
	s.ProjectID = cl.tok.projectID()
	if rep, ok := cl.applySubnetFields(s, f); !ok {
		cl.c.removeSubnet(s)
		return rep
	}
	return respond(http.StatusCreated, map[string]any{"subnet": subnetBody(s)})
}

// subnetGateway returns the requested gateway, the first host address when
// none is given, or "" when the request sets null.
func (cl *call) subnetGateway(raw json.RawMessage, prefix netip.Prefix) (string, reply, bool) {
	if len(raw) == 0 {
		return prefix.Addr().Next().String(), reply{}, true
	}
	var gw *string
	if err := json.Unmarshal(raw, &gw); err != nil {
		return "", cl.invalidInput("gateway_ip must be a string"), false
	}
	if gw == nil {
		return "", reply{}, true
	}
	a, err := netip.ParseAddr(*gw)
	if err != nil || !prefix.Contains(a) {
		return "", cl.invalidInput("Gateway ip %s conflicts with allocation pool or is not in subnet %s", *gw, prefix), false
	}
	return a.String(), reply{}, true
}

func (cl *call) applySubnetFields(s *subnet, f *subnetFields) (reply, bool) {
	setString(&s.Name, f.Name)
	setString(&s.Description, f.Description)
	setBool(&s.EnableDHCP, f.EnableDHCP)
	if f.DNSNameservers != nil {
		s.DNS = f.DNSNameservers
	}
	if len(f.AllocationPools) == 0 {
		return reply{}, true
	}
	var pools []pool
	for _, p := range f.AllocationPools {
		start, err1 := netip.ParseAddr(p.Start)
		end, err2 := netip.ParseAddr(p.End)
		if err1 != nil || err2 != nil || !s.CIDR.Contains(start) || !s.CIDR.Contains(end) || end.Less(start) {
			return cl.invalidInput("The allocation pool %s-%s spans beyond the subnet cidr %s", p.Start, p.End, s.CIDR), false
		}
		pools = append(pools, pool{start, end})
	}
	s.Pools = pools
	return reply{}, true
}

func updateSubnet(cl *call) reply {
	s, rep, ok := cl.findSubnet(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Subnet *subnetFields `json:"subnet"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Subnet == nil {
		return cl.neutronMissing("subnet")
	}
	if rep, ok := cl.applySubnetFields(s, req.Subnet); !ok {
		return rep
	}
	s.touch(cl.now)
	return respond(http.StatusOK, map[string]any{"subnet": subnetBody(s)})
}

func deleteSubnet(cl *call) reply {
	s, rep, ok := cl.findSubnet(cl.vars["id"])
	if !ok {
		return rep
	}
	for _, p := range cl.c.ports {
		for _, ip := range p.FixedIPs {
			if ip.SubnetID == s.ID {
				return cl.fail(http.StatusConflict, "SubnetInUse", "Unable to complete operation on subnet %s: "+
					"One or more ports have an IP allocation from this subnet.", s.ID)
			}
		}
	}
	cl.c.removeSubnet(s)
	return empty(http.StatusNoContent)
}

func (c *Cloud) removeSubnet(s *subnet) {
	delete(c.subnets, s.ID)
	if n := c.networks[s.NetworkID]; n != nil {
		n.Subnets = without(n.Subnets, s.ID)
	}
}

// without returns list with every copy of v removed.
func without(list []string, v string) []string {
	out := []string{}
	for _, s := range list {
		if s != v {
			out = append(out, s)
		}
	}
	return out
}
