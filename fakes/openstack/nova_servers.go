package openstack

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"

	"github.com/gorilla/mux"
)

func (c *Cloud) serverRoutes(rt *mux.Router) {
	c.handle(rt, svcCompute, "GET", "/v2.1/servers", listServers)
	c.handle(rt, svcCompute, "GET", "/v2.1/servers/detail", listServersDetail)
	c.handle(rt, svcCompute, "POST", "/v2.1/servers", createServer)
	c.handle(rt, svcCompute, "GET", "/v2.1/servers/{id}", getServer)
	c.handle(rt, svcCompute, "PUT", "/v2.1/servers/{id}", updateServer)
	c.handle(rt, svcCompute, "DELETE", "/v2.1/servers/{id}", deleteServer)
	c.handle(rt, svcCompute, "POST", "/v2.1/servers/{id}/action", serverAction)
}

func (cl *call) findServer(id string) (*server, reply, bool) {
	s := cl.c.servers[id]
	if s == nil || (s.ProjectID != cl.tok.projectID() && !cl.tok.isAdmin()) {
		return nil, cl.fail(http.StatusNotFound, "", "Instance %s could not be found.", id), false
	}
	return s, reply{}, true
}

func getServer(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"server": cl.serverBody(s)})
}

// serverBody renders s at the call's microversion.
func (cl *call) serverBody(s *server) map[string]any {
	building := s.Status == "BUILD"
	body := map[string]any{
		"id": s.ID, "name": s.Name, "status": s.Status, "tenant_id": s.ProjectID,
		"user_id": s.UserID, "metadata": s.Metadata, "hostId": "", "image": cl.serverImage(s),
		"flavor": cl.serverFlavor(s), "created": timestamp(s.Created), "updated": timestamp(s.Updated),
		"addresses": map[string]any{}, "accessIPv4": "", "accessIPv6": "",
		"links": cl.novaLinks("servers", s.ID), "OS-DCF:diskConfig": "MANUAL", "progress": 0,
		"OS-EXT-AZ:availability_zone": "", "config_drive": "", "key_name": nullable(s.KeyName),
		"OS-SRV-USG:launched_at": nil, "OS-SRV-USG:terminated_at": nil,
		"OS-EXT-STS:task_state": nullable(s.TaskState), "OS-EXT-STS:vm_state": s.VMState,
		"OS-EXT-STS:power_state": s.PowerState, "os-extended-volumes:volumes_attached": cl.volumesAttached(s),
	}
	if !building {
		body["hostId"] = hostID(s.ProjectID)
		body["addresses"] = cl.c.serverAddresses(s)
		body["OS-EXT-AZ:availability_zone"] = s.AZ
		body["security_groups"] = securityGroupNames(s.SecurityGroups)
	}
	if s.Launched != nil {
		body["OS-SRV-USG:launched_at"] = microTimestamp(*s.Launched)
	}
	if s.Fault != nil {
		body["fault"] = s.Fault
	}
	cl.addServerVersionFields(body, s)
	return body
}

func (cl *call) addServerVersionFields(body map[string]any, s *server) {
	if cl.mv >= 9 {
		body["locked"] = false
	}
	if cl.mv >= 19 {
		body["description"] = s.Description
	}
	if cl.mv >= 26 {
		body["tags"] = s.Tags
	}
	if cl.mv >= 63 {
		body["trusted_image_certificates"] = nil
	}
	if cl.mv >= 71 {
		body["server_groups"] = []any{}
	}
	if cl.mv >= 73 {
		body["locked_reason"] = nil
	}
	if cl.mv >= 90 {
		body["OS-EXT-SRV-ATTR:hostname"] = s.Name
	}
}

// hostID is Nova's per-project hash of the compute host.
func hostID(projectID string) string {
	sum := sha256.Sum224([]byte(projectID + "compute-1"))
	return hex.EncodeToString(sum[:])
}

func securityGroupNames(names []string) []any {
	out := []any{}
	for _, n := range names {
		out = append(out, map[string]any{"name": n})
	}
	return out
}

func (cl *call) serverImage(s *server) any {
	if s.ImageID == "" {
		return ""
	}
	return map[string]any{"id": s.ImageID, "links": cl.bookmark("images", s.ImageID)}
}

// serverFlavor is {id, links} before 2.47 and, from it on, the copy of the
// flavor embedded at create, which outlives a deletion of the flavor.
func (cl *call) serverFlavor(s *server) map[string]any {
	if cl.mv < 47 {
		return map[string]any{"id": s.FlavorID, "links": cl.bookmark("flavors", s.FlavorID)}
	}
	f := s.Flavor
	return map[string]any{"vcpus": f.VCPUs, "ram": f.RAM, "disk": f.Disk, "ephemeral": 0,
		"swap": 0, "original_name": f.Name, "extra_specs": map[string]any{}}
}

func (cl *call) volumesAttached(s *server) []any {
	out := []any{}
	for _, d := range s.Devices {
		item := map[string]any{"id": d.VolumeID}
		if cl.mv >= 3 {
			item["delete_on_termination"] = d.DeleteOnTermination
		}
		out = append(out, item)
	}
	return out
}

// serverAddresses groups the fixed and floating addresses of s's ports by
// network name.
func (c *Cloud) serverAddresses(s *server) map[string]any {
	out := map[string]any{}
	for _, id := range s.Ports {
		p := c.ports[id]
		if p == nil || c.networks[p.NetworkID] == nil {
			continue
		}
		n := c.networks[p.NetworkID]
		list, _ := out[n.Name].([]any)
		for _, ip := range p.FixedIPs {
			list = append(list, address(ip.IPAddress, "fixed", p.MAC))
			for _, f := range c.floatings {
				if f.PortID == p.ID && f.FixedIP == ip.IPAddress {
					list = append(list, address(f.Address, "floating", p.MAC))
				}
			}
		}
		out[n.Name] = list
	}
	return out
}

func address(addr, kind, mac string) map[string]any {
	version := 4
	if regexp.MustCompile(`:`).MatchString(addr) {
		version = 6
	}
	return map[string]any{"version": version, "addr": addr, "OS-EXT-IPS:type": kind,
		"OS-EXT-IPS-MAC:mac_addr": mac}
}

func listServers(cl *call) reply { return cl.listServers(false) }

func listServersDetail(cl *call) reply { return cl.listServers(true) }

// listServers applies Nova's filters (name is a regular expression search),
// sorts newest first and pages by limit and marker.
func (cl *call) listServers(detail bool) reply {
	q := cl.r.URL.Query()
	var nameRE *regexp.Regexp
	if q.Has("name") {
		re, err := regexp.Compile(q.Get("name"))
		if err != nil {
			return cl.fail(http.StatusBadRequest, "", "Invalid regular expression in name filter: %v", err)
		}
		nameRE = re
	}
	all := cl.tok.isAdmin() && q.Has("all_tenants")
	var list []*server
	for _, s := range cl.c.servers {
		if (all || s.ProjectID == cl.tok.projectID()) && (nameRE == nil || nameRE.MatchString(s.Name)) &&
			(!q.Has("status") || q.Get("status") == s.Status) {
			list = append(list, s)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].Created.Equal(list[j].Created) {
			return list[i].Created.After(list[j].Created)
		}
		return list[i].ID > list[j].ID
	})
	return cl.serverPage(list, detail)
}

func (cl *call) serverPage(list []*server, detail bool) reply {
	q := cl.r.URL.Query()
	if m := q.Get("marker"); m != "" {
		i := 0
		for i < len(list) && list[i].ID != m {
			i++
		}
		if i == len(list) {
			return cl.fail(http.StatusBadRequest, "", "marker [%s] not found", m)
		}
		list = list[i+1:]
	}
	limit := -1
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 0 {
			return cl.fail(http.StatusBadRequest, "", "Invalid input for query parameters limit. Value: %s.", q.Get("limit"))
		}
		limit = n
	}
	if limit >= 0 && len(list) > limit {
		list = list[:limit]
	}
	out := []any{}
	for _, s := range list {
		if detail {
			out = append(out, cl.serverBody(s))
		} else {
			out = append(out, map[string]any{"id": s.ID, "name": s.Name, "links": cl.novaLinks("servers", s.ID)})
		}
	}
	body := map[string]any{"servers": out}
	if limit > 0 && len(list) == limit {
		body["servers_links"] = cl.nextServers(detail, list[len(list)-1].ID)
	}
	return respond(http.StatusOK, body)
}

func (cl *call) nextServers(detail bool, marker string) []any {
	v := url.Values{}
	for k, vals := range cl.r.URL.Query() {
		if k != "marker" {
			v[k] = vals
		}
	}
	v.Set("marker", marker)
	path := "/compute/v2.1/servers"
	if detail {
		path += "/detail"
	}
	return []any{map[string]any{"rel": "next", "href": cl.base + path + "?" + v.Encode()}}
}

func updateServer(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Server *struct {
			Name        *string `json:"name"`
			Description *string `json:"description"`
		} `json:"server"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Server == nil {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute server. 'server' is a required property")
	}
	setString(&s.Name, req.Server.Name)
	setString(&s.Description, req.Server.Description)
	s.Updated = cl.now
	return respond(http.StatusOK, map[string]any{"server": cl.serverBody(s)})
}
