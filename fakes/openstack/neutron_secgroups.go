package openstack

import (
	"net/http"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

func (c *Cloud) securityGroupRoutes(rt *mux.Router) {
	c.handle(rt, svcNetwork, "GET", "/v2.0/security-groups", listSecurityGroups)
	c.handle(rt, svcNetwork, "POST", "/v2.0/security-groups", createSecurityGroup)
	c.handle(rt, svcNetwork, "GET", "/v2.0/security-groups/{id}", getSecurityGroup)
	c.handle(rt, svcNetwork, "PUT", "/v2.0/security-groups/{id}", updateSecurityGroup)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/security-groups/{id}", deleteSecurityGroup)
	c.handle(rt, svcNetwork, "GET", "/v2.0/security-group-rules", listSecurityGroupRules)
	c.handle(rt, svcNetwork, "POST", "/v2.0/security-group-rules", createSecurityGroupRule)
	c.handle(rt, svcNetwork, "GET", "/v2.0/security-group-rules/{id}", getSecurityGroupRule)
	c.handle(rt, svcNetwork, "DELETE", "/v2.0/security-group-rules/{id}", deleteSecurityGroupRule)
}

// addSecurityGroup creates a group with Neutron's two default egress rules.
func (c *Cloud) addSecurityGroup(id, name, description, projectID string, now time.Time) *securityGroup {
	g := &securityGroup{ID: id, Name: name, ProjectID: projectID,
		standard: standard{Description: description, Created: now, Updated: now, Tags: []string{}, Revision: 1}}
	c.secGroups[id] = g
	for _, ether := range []string{"IPv4", "IPv6"} {
		r := &securityGroupRule{ID: uuid.NewString(), GroupID: id, ProjectID: projectID,
			Direction: "egress", Ethertype: ether,
			standard: standard{Created: now, Updated: now, Tags: []string{}}}
		c.secRules[r.ID] = r
	}
	return g
}

// defaultSecurityGroups returns the id of the project's "default" group.
func (c *Cloud) defaultSecurityGroups(projectID string) []string {
	for _, g := range c.secGroups {
		if g.ProjectID == projectID && g.Name == "default" {
			return []string{g.ID}
		}
	}
	return []string{}
}

func (c *Cloud) ruleBody(r *securityGroupRule) map[string]any {
	body := map[string]any{
		"id": r.ID, "security_group_id": r.GroupID, "ethertype": r.Ethertype,
		"direction": r.Direction, "protocol": strOrNil(r.Protocol),
		"port_range_min": intOrNil(r.PortMin), "port_range_max": intOrNil(r.PortMax),
		"remote_ip_prefix": strOrNil(r.RemoteIPPrefix), "remote_address_group_id": nil,
		"normalized_cidr": strOrNil(r.RemoteIPPrefix), "remote_group_id": strOrNil(r.RemoteGroupID),
	}
	return standardFields(body, &r.standard, r.ProjectID)
}

func (c *Cloud) groupBody(g *securityGroup) map[string]any {
	rules := []any{}
	for _, r := range c.sortedRules() {
		if r.GroupID == g.ID {
			rules = append(rules, c.ruleBody(r))
		}
	}
	body := map[string]any{"id": g.ID, "name": g.Name, "stateful": true, "shared": false,
		"security_group_rules": rules}
	return standardFields(body, &g.standard, g.ProjectID)
}

func (c *Cloud) sortedRules() []*securityGroupRule {
	var rs []*securityGroupRule
	for _, r := range c.secRules {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	return rs
}

func listSecurityGroups(cl *call) reply {
	var items []map[string]any
	for _, g := range cl.c.secGroups {
		if cl.visible(g.ProjectID) {
			items = append(items, cl.c.groupBody(g))
		}
	}
	return cl.neutronList("security-groups", items)
}

func (cl *call) findSecurityGroup(id string) (*securityGroup, reply, bool) {
	g := cl.c.secGroups[id]
	if g == nil || !cl.visible(g.ProjectID) {
		return nil, cl.fail(http.StatusNotFound, "SecurityGroupNotFound", "Security group %s does not exist", id), false
	}
	return g, reply{}, true
}

func getSecurityGroup(cl *call) reply {
	g, rep, ok := cl.findSecurityGroup(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"security_group": cl.c.groupBody(g)})
}

type groupFields struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

func createSecurityGroup(cl *call) reply {
	var req struct {
		Group *groupFields `json:"security_group"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Group == nil {
		return cl.neutronMissing("security_group")
	}
	g := cl.c.addSecurityGroup(uuid.NewString(), "", "", cl.tok.projectID(), cl.now)
	setString(&g.Name, req.Group.Name)
	setString(&g.Description, req.Group.Description)
	return respond(http.StatusCreated, map[string]any{"security_group": cl.c.groupBody(g)})
}

func updateSecurityGroup(cl *call) reply {
	g, rep, ok := cl.findSecurityGroup(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Group *groupFields `json:"security_group"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Group == nil {
		return cl.neutronMissing("security_group")
	}
	setString(&g.Name, req.Group.Name)
	setString(&g.Description, req.Group.Description)
	g.touch(cl.now)
	return respond(http.StatusOK, map[string]any{"security_group": cl.c.groupBody(g)})
}

func deleteSecurityGroup(cl *call) reply {
	g, rep, ok := cl.findSecurityGroup(cl.vars["id"])
	if !ok {
		return rep
	}
	for _, p := range cl.c.sortedPorts() {
		for _, id := range p.SecurityGroups {
			if id == g.ID {
				return cl.fail(http.StatusConflict, "SecurityGroupInUse", "Security Group %s in use.", g.ID)
			}
		}
	}
	for id, r := range cl.c.secRules {
		if r.GroupID == g.ID {
			delete(cl.c.secRules, id)
		}
	}
	delete(cl.c.secGroups, g.ID)
	return empty(http.StatusNoContent)
}

func listSecurityGroupRules(cl *call) reply {
	var items []map[string]any
	for _, r := range cl.c.secRules {
		if cl.visible(r.ProjectID) {
			items = append(items, cl.c.ruleBody(r))
		}
	}
	return cl.neutronList("security-group-rules", items)
}

func (cl *call) findRule(id string) (*securityGroupRule, reply, bool) {
	r := cl.c.secRules[id]
	if r == nil || !cl.visible(r.ProjectID) {
		return nil, cl.fail(http.StatusNotFound, "SecurityGroupRuleNotFound", "Security group rule %s does not exist", id), false
	}
	return r, reply{}, true
}

func getSecurityGroupRule(cl *call) reply {
	r, rep, ok := cl.findRule(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"security_group_rule": cl.c.ruleBody(r)})
}

type ruleFields struct {
	GroupID        string  `json:"security_group_id"`
	Direction      string  `json:"direction"`
	Ethertype      string  `json:"ethertype"`
	Protocol       *string `json:"protocol"`
	PortMin        *int    `json:"port_range_min"`
	PortMax        *int    `json:"port_range_max"`
	RemoteIPPrefix *string `json:"remote_ip_prefix"`
	RemoteGroupID  *string `json:"remote_group_id"`
	Description    *string `json:"description"`
}

func createSecurityGroupRule(cl *call) reply {
	var req struct {
		Rule *ruleFields `json:"security_group_rule"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	f := req.Rule
	if f == nil {
		return cl.neutronMissing("security_group_rule")
	}
	if rep, ok := cl.checkRule(f); !ok {
		return rep
	}
	r := &securityGroupRule{ID: uuid.NewString(), GroupID: f.GroupID, ProjectID: cl.tok.projectID(),
		Direction: f.Direction, Ethertype: f.Ethertype, Protocol: f.Protocol, PortMin: f.PortMin,
		PortMax: f.PortMax, RemoteIPPrefix: f.RemoteIPPrefix, RemoteGroupID: f.RemoteGroupID,
		standard: standard{Created: cl.now, Updated: cl.now, Tags: []string{}}}
	setString(&r.Description, f.Description)
	if dup := cl.c.duplicateRule(r); dup != nil {
		return cl.fail(http.StatusConflict, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is %s.", dup.ID)
	}
	cl.c.secRules[r.ID] = r
	return respond(http.StatusCreated, map[string]any{"security_group_rule": cl.c.ruleBody(r)})
}

// checkRule validates a rule as Neutron does and normalizes its prefix.
func (cl *call) checkRule(f *ruleFields) (reply, bool) {
	if _, rep, ok := cl.findSecurityGroup(f.GroupID); !ok {
		return rep, false
	}
	if f.Direction != "ingress" && f.Direction != "egress" {
		return cl.invalidInput("direction %q is not in [ingress, egress]", f.Direction), false
	}
	if f.Ethertype == "" {
		f.Ethertype = "IPv4"
	}
	if f.Ethertype != "IPv4" && f.Ethertype != "IPv6" {
		return cl.invalidInput("ethertype %q is not in [IPv4, IPv6]", f.Ethertype), false
	}
	if f.PortMin != nil && f.PortMax != nil && *f.PortMin > *f.PortMax {
		return cl.fail(http.StatusBadRequest, "SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max"), false
	}
	if f.RemoteIPPrefix != nil {
		p, err := netip.ParsePrefix(*f.RemoteIPPrefix)
		if err != nil {
			return cl.invalidInput("'%s' is not a valid IP subnet", *f.RemoteIPPrefix), false
		}
		norm := p.Masked().String()
		f.RemoteIPPrefix = &norm
	}
	if f.Protocol != nil {
		lower := strings.ToLower(*f.Protocol)
		f.Protocol = &lower
	}
	return reply{}, true
}

func (c *Cloud) duplicateRule(r *securityGroupRule) *securityGroupRule {
	for _, o := range c.sortedRules() {
		if o.GroupID == r.GroupID && o.Direction == r.Direction && o.Ethertype == r.Ethertype &&
			eqStr(o.Protocol, r.Protocol) && eqInt(o.PortMin, r.PortMin) && eqInt(o.PortMax, r.PortMax) &&
			eqStr(o.RemoteIPPrefix, r.RemoteIPPrefix) && eqStr(o.RemoteGroupID, r.RemoteGroupID) {
			return o
		}
	}
	return nil
}

func eqStr(a, b *string) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
func eqInt(a, b *int) bool    { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func deleteSecurityGroupRule(cl *call) reply {
	r, rep, ok := cl.findRule(cl.vars["id"])
	if !ok {
		return rep
	}
	delete(cl.c.secRules, r.ID)
	return empty(http.StatusNoContent)
}
