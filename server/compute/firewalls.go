package compute

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// firewallData is the stored part of a firewall. Its security group's
// rules contain allowed[] and the ranges.
type firewallData struct {
	Network     string   `json:"network"` // GCE network name
	Priority    int64    `json:"priority"`
	Direction   string   `json:"direction"` // INGRESS or EGRESS
	Description string   `json:"description,omitempty"`
	Disabled    bool     `json:"disabled,omitempty"`
	TargetTags  []string `json:"targetTags,omitempty"`
	Protocols   []string `json:"protocols,omitempty"` // protocols in the request's order
}

func loadFirewallData(rec store.Resource) firewallData {
	var d firewallData
	json.Unmarshal(rec.Data, &d)
	return d
}

// networkOfRecord returns the "network" field of a firewall's or route's
// stored data.
func networkOfRecord(rec store.Resource) string {
	var d struct {
		Network string `json:"network"`
	}
	json.Unmarshal(rec.Data, &d)
	return d.Network
}

// firewallPlan is a validated firewalls.insert request.
type firewallPlan struct {
	name    string
	network openstack.Network
	data    firewallData
	rules   []openstack.SecurityGroupRule
}

func (s *Service) planFirewall(ctx context.Context, r *Request) (*firewallPlan, error) {
	var fw compute.Firewall
	if err := decodeBody(r.Body, &fw); err != nil {
		return nil, err
	}
	if err := gce.CheckName("resource.name", fw.Name); err != nil {
		return nil, err
	}
	data, err := firewallAttributes(&fw, bodyFields(r.Body))
	if err != nil {
		return nil, err
	}
	plan := &firewallPlan{name: fw.Name, data: data}
	if err := checkFirewallSupported(&fw); err != nil {
		return nil, err
	}
	ranges, err := firewallRanges(&fw, data.Direction)
	if err != nil {
		return nil, err
	}
	if plan.rules, plan.data.Protocols, err = firewallRules(fw.Allowed, ranges, data.Direction); err != nil {
		return nil, err
	}
	plan.network, err = s.firewallNetwork(ctx, r, fw.Network)
	plan.data.Network = plan.network.Name
	return plan, err
}

// firewallAttributes validates and defaults what the store keeps.
func firewallAttributes(fw *compute.Firewall, fields map[string]json.RawMessage) (firewallData, error) {
	d := firewallData{Priority: 1000, Direction: orText(fw.Direction, "INGRESS"),
		Description: fw.Description, Disabled: fw.Disabled, TargetTags: fw.TargetTags}
	if err := checkDescription("resource.description", fw.Description); err != nil {
		return d, err
	}
	if d.Direction != "INGRESS" && d.Direction != "EGRESS" {
		return d, gce.InvalidField("resource.direction", fw.Direction, "Must be INGRESS or EGRESS.")
	}
	if sentField(fields, "priority") {
		d.Priority = fw.Priority
	}
	if d.Priority < 0 || d.Priority > 65535 {
		return d, gce.InvalidField("resource.priority", strconv.FormatInt(d.Priority, 10), "Must be from 0 to 65535.")
	}
	for _, tag := range fw.TargetTags {
		if !gce.ValidName(tag) {
			return d, gce.InvalidField("resource.targetTags", tag, "Tags must be valid names.")
		}
	}
	return d, nil
}

// firewallNetwork resolves the network field; "" means the default network.
func (s *Service) firewallNetwork(ctx context.Context, r *Request, text string) (openstack.Network, error) {
	name := "default"
	if text != "" {
		ref, err := refInScope(r, "resource.network", text, "networks", "global")
		if err != nil {
			return openstack.Network{}, err
		}
		name = ref.Name
	}
	n, found, err := s.findNetwork(ctx, r.Session, name)
	if err != nil {
		return n, apiError(err, "")
	}
	if !found {
		return n, gce.NotFound(globalPath(r.Project(), "networks", name))
	}
	return n, nil
}

// insertFirewall creates a security group named after the firewall with
// one rule per range, protocol and port range, and adds it to the ports of
// the instances the firewall reaches.
func (s *Service) insertFirewall(ctx context.Context, r *Request) Response {
	plan, err := s.planFirewall(ctx, r)
	if err != nil {
		return Fail(err)
	}
	data, _ := json.Marshal(plan.data)
	res := store.Resource{Project: r.Project(), Scope: "global", Kind: "firewalls", Name: plan.name, Data: data}
	if err := s.Store.Reserve(ctx, res); err != nil {
		return Fail(reserveError(err, globalPath(r.Project(), "firewalls", plan.name)))
	}
	group, err := s.createFirewallGroup(ctx, r.Session, plan)
	if err != nil {
		s.Store.Release(context.WithoutCancel(ctx), r.Project(), "global", "firewalls", plan.name)
		return Fail(apiError(err, ""))
	}
	res.OpenStackID = group
	if err := s.Store.UpdateResource(ctx, res); err != nil {
		return Fail(err)
	}
	rec := &operations.Record{Project: r.Project(), Scope: "global", Type: "insert", Kind: "firewalls",
		Target: plan.name, TargetID: group, User: r.Session.UserName}
	if !plan.data.Disabled {
		if err := s.addFirewallToPorts(ctx, r.Session, plan.network, group, plan.data); err != nil {
			rec.Fail(opFailure(err))
		}
	}
	if err := s.Ops.Create(ctx, rec); err != nil {
		return Fail(err)
	}
	return OK(rec.View(r.Links))
}

// createFirewallGroup creates the firewall's security group with exactly
// its rules and returns its id. It deletes the group when a step fails.
func (s *Service) createFirewallGroup(ctx context.Context, sess *openstack.Session, plan *firewallPlan) (string, error) {
	g, err := sess.CreateSecurityGroup(ctx, plan.name, plan.data.Description)
	if err != nil {
		return "", err
	}
	if err := fillFirewallGroup(ctx, sess, g, plan.rules); err != nil {
		if delErr := sess.DeleteSecurityGroup(context.WithoutCancel(ctx), g.ID); delErr != nil {
			s.Log.Warn("delete security group of a failed firewall insert", "group", g.ID, "err", delErr)
		}
		return "", err
	}
	return g.ID, nil
}

// fillFirewallGroup deletes the egress rules Neutron gives every new group,
// because the network's egress group provides egress, and adds rules.
func fillFirewallGroup(ctx context.Context, sess *openstack.Session, g openstack.SecurityGroup, rules []openstack.SecurityGroupRule) error {
	for _, rule := range g.Rules {
		if err := sess.DeleteSecurityGroupRule(ctx, rule.ID); err != nil {
			return err
		}
	}
	for _, rule := range rules {
		rule.GroupID = g.ID
		err := sess.CreateSecurityGroupRule(ctx, rule)
		// Neutron returns 409 for a rule equal to one the group has.
		if err != nil && !errors.Is(err, openstack.ErrConflict) {
			return err
		}
	}
	return nil
}

// firewallRecord returns the stored firewall of the request, or notFound.
func (s *Service) firewallRecord(ctx context.Context, r *Request) (store.Resource, error) {
	name := r.Vars["firewall"]
	rec, err := s.Store.Resource(ctx, r.Project(), "global", "firewalls", name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return rec, gce.NotFound(globalPath(r.Project(), "firewalls", name))
	}
	return rec, err
}

func (s *Service) getFirewall(ctx context.Context, r *Request) Response {
	rec, err := s.firewallRecord(ctx, r)
	if err != nil {
		return Fail(err)
	}
	g, err := r.Session.SecurityGroup(ctx, rec.OpenStackID)
	if err != nil {
		return Fail(apiError(err, globalPath(r.Project(), "firewalls", rec.Name)))
	}
	return OK(firewallView(r, rec, g))
}

func (s *Service) listFirewalls(ctx context.Context, r *Request) Response {
	recs, err := s.Store.Resources(ctx, r.Project(), "global", "firewalls")
	if err != nil {
		return Fail(err)
	}
	groups, err := r.Session.SecurityGroups(ctx, "")
	if err != nil {
		return Fail(apiError(err, ""))
	}
	byID := map[string]openstack.SecurityGroup{}
	for _, g := range groups {
		byID[g.ID] = g
	}
	items := []*compute.Firewall{}
	for _, rec := range recs {
		if g, ok := byID[rec.OpenStackID]; ok && rec.OpenStackID != "" {
			items = append(items, firewallView(r, rec, g))
		}
	}
	return listResponse(r, items, func(page []*compute.Firewall, next string) any {
		return &compute.FirewallList{Kind: "compute#firewallList", Id: "projects/" + r.Project() + "/global/firewalls",
			Items: page, NextPageToken: next, SelfLink: r.Links.Global(r.Project(), "firewalls")}
	})
}

// firewallView builds the GCE firewall from its record and the rules of
// its security group.
func firewallView(r *Request, rec store.Resource, g openstack.SecurityGroup) *compute.Firewall {
	d := loadFirewallData(rec)
	fw := &compute.Firewall{Kind: "compute#firewall", Id: gce.ID(g.ID), Name: rec.Name,
		Description: d.Description, CreationTimestamp: gce.Timestamp(rec.CreatedAt),
		Network:  r.Links.Global(r.Project(), "networks", d.Network),
		Priority: d.Priority, Direction: d.Direction, Disabled: d.Disabled, TargetTags: d.TargetTags,
		SelfLink:        r.Links.Global(r.Project(), "firewalls", rec.Name),
		ForceSendFields: []string{"Priority", "Disabled"},
	}
	allowed, ranges := allowedView(g.Rules, d.Direction, d.Protocols)
	fw.Allowed = allowed
	if d.Direction == "EGRESS" {
		fw.DestinationRanges = ranges
	} else {
		fw.SourceRanges = ranges
	}
	return fw
}

// deleteFirewall removes the firewall's group from every port and deletes
// the group.
func (s *Service) deleteFirewall(ctx context.Context, r *Request) Response {
	rec, err := s.firewallRecord(ctx, r)
	if err != nil {
		return Fail(err)
	}
	if err := removeGroupFromPorts(ctx, r.Session, rec.OpenStackID); err != nil {
		return Fail(apiError(err, ""))
	}
	if err := r.Session.DeleteSecurityGroup(ctx, rec.OpenStackID); err != nil {
		return Fail(apiError(err, ""))
	}
	if err := s.Store.Release(ctx, r.Project(), "global", "firewalls", rec.Name); err != nil {
		return Fail(err)
	}
	return s.globalOperation(ctx, r, "delete", "firewalls", rec.Name, rec.OpenStackID)
}
