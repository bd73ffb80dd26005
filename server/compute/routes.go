package compute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/store"
)

// internetGateway is the only gateway a route may name.
const internetGateway = "default-internet-gateway"

// routeData is the stored form of a route inserted through the API. A
// nextHopIp route is an extra route of the network's router, and a gateway
// route needs the router's external gateway.
type routeData struct {
	Network     string   `json:"network"` // GCE network name
	DestRange   string   `json:"destRange"`
	NextHopIP   string   `json:"nextHopIp,omitempty"`
	Gateway     bool     `json:"gateway,omitempty"` // next hop is the internet gateway
	RouterID    string   `json:"routerId"`
	SetGateway  bool     `json:"setGateway,omitempty"` // the insert gave the router its gateway
	Priority    int64    `json:"priority"`
	Tags        []string `json:"tags,omitempty"`
	Description string   `json:"description,omitempty"`
}

func loadRouteData(rec store.Resource) routeData {
	var d routeData
	json.Unmarshal(rec.Data, &d)
	return d
}

// routePlan is a validated routes.insert request.
type routePlan struct {
	name    string
	network openstack.Network
	data    routeData
}

func (s *Service) insertRoute(ctx context.Context, r *Request) Response {
	plan, err := s.planRoute(ctx, r)
	if err != nil {
		return Fail(err)
	}
	data, _ := json.Marshal(plan.data)
	res := store.Resource{Project: r.Project(), Scope: "global", Kind: "routes", Name: plan.name, Data: data}
	if err := s.Store.Reserve(ctx, res); err != nil {
		return Fail(reserveError(err, globalPath(r.Project(), "routes", plan.name)))
	}
	if err := s.applyRoute(ctx, r.Session, plan); err != nil {
		s.Store.Release(context.WithoutCancel(ctx), r.Project(), "global", "routes", plan.name)
		return Fail(err)
	}
	res.OpenStackID = plan.data.RouterID
	res.Data, _ = json.Marshal(plan.data)
	if err := s.Store.UpdateResource(ctx, res); err != nil {
		return Fail(err)
	}
	return s.globalOperation(ctx, r, "insert", "routes", plan.name, plan.data.RouterID)
}

func (s *Service) planRoute(ctx context.Context, r *Request) (*routePlan, error) {
	var body compute.Route
	if err := decodeBody(r.Body, &body); err != nil {
		return nil, err
	}
	if err := gce.CheckName("resource.name", body.Name); err != nil {
		return nil, err
	}
	d, err := routeAttributes(&body, bodyFields(r.Body))
	if err != nil {
		return nil, err
	}
	if err := routeNextHop(r, &body, &d); err != nil {
		return nil, err
	}
	plan := &routePlan{name: body.Name, data: d}
	if plan.network, err = s.firewallNetwork(ctx, r, body.Network); err != nil {
		return nil, err
	}
	plan.data.Network = plan.network.Name
	plan.data.RouterID, err = networkRouter(ctx, r.Session, plan.network)
	return plan, err
}

// routeAttributes validates the destination, network, priority and tags.
func routeAttributes(body *compute.Route, fields map[string]json.RawMessage) (routeData, error) {
	d := routeData{Priority: 1000, Tags: body.Tags, Description: body.Description}
	if err := checkDescription("resource.description", body.Description); err != nil {
		return d, err
	}
	if body.DestRange == "" {
		return d, gce.Required("resource.destRange")
	}
	dest, err := netip.ParsePrefix(body.DestRange)
	if err != nil || !dest.Addr().Is4() {
		return d, gce.InvalidField("resource.destRange", body.DestRange, "Must be an IPv4 range in CIDR notation.")
	}
	d.DestRange = dest.Masked().String()
	if body.Network == "" {
		return d, gce.Required("resource.network")
	}
	if sentField(fields, "priority") {
		d.Priority = body.Priority
	}
	if d.Priority < 0 || d.Priority > 65535 {
		return d, gce.InvalidField("resource.priority", strconv.FormatInt(d.Priority, 10), "Must be from 0 to 65535.")
	}
	for _, tag := range body.Tags {
		if !gce.ValidName(tag) {
			return d, gce.InvalidField("resource.tags", tag, "Tags must be valid names.")
		}
	}
	return d, nil
}

// routeNextHop accepts exactly one next hop: nextHopIp, or nextHopGateway
// naming the default internet gateway for 0.0.0.0/0.
func routeNextHop(r *Request, body *compute.Route, d *routeData) error {
	switch {
	case body.NextHopInstance != "" || body.NextHopVpnTunnel != "" || body.NextHopIlb != "":
		return gce.Invalid("Routes through nextHopInstance, nextHopVpnTunnel or nextHopIlb are not supported. Use nextHopIp or nextHopGateway.")
	case body.NextHopIp != "" && body.NextHopGateway != "":
		return gce.Invalid("A route takes exactly one next hop, but both nextHopIp and nextHopGateway were given.")
	case body.NextHopIp != "":
		hop, err := netip.ParseAddr(body.NextHopIp)
		if err != nil || !hop.Is4() {
			return gce.InvalidField("resource.nextHopIp", body.NextHopIp, "Must be an IPv4 address.")
		}
		d.NextHopIP = hop.String()
		return nil
	case body.NextHopGateway != "":
		return routeGateway(r, body.NextHopGateway, d)
	}
	return gce.Invalid("A route needs a next hop: set nextHopIp or nextHopGateway.")
}

// routeGateway accepts the default internet gateway for 0.0.0.0/0 only:
// Neutron sends other destinations out of a router only through an extra
// route with a next-hop address, which the gateway does not name.
func routeGateway(r *Request, text string, d *routeData) error {
	ref, err := refInScope(r, "resource.nextHopGateway", text, "gateways", "global")
	if err != nil {
		return err
	}
	if ref.Name != internetGateway {
		return gce.InvalidField("resource.nextHopGateway", text, "The only gateway is "+
			"global/gateways/"+internetGateway+".")
	}
	if d.DestRange != "0.0.0.0/0" {
		return gce.InvalidField("resource.destRange", d.DestRange, "Routes through "+internetGateway+
			" are supported only for 0.0.0.0/0. Use nextHopIp for other destinations.")
	}
	d.Gateway = true
	return nil
}

// networkRouter returns the id of the router with an interface on the
// network, or invalid when it has none.
func networkRouter(ctx context.Context, sess *openstack.Session, n openstack.Network) (string, error) {
	ports, err := routerInterfaces(ctx, sess, n.ID)
	if err != nil {
		return "", apiError(err, "")
	}
	if len(ports) == 0 {
		return "", gce.Invalid("The network '%s' has no router, so routes cannot be added to it.", n.Name)
	}
	return ports[0].DeviceID, nil
}

// applyRoute adds the extra route to the router, or gives the router its
// gateway for a gateway route when it has none.
//
// NOTE: Neutron replaces the whole route list, so two inserts at once on
// one router may lose one of the routes.
func (s *Service) applyRoute(ctx context.Context, sess *openstack.Session, plan *routePlan) error {
	rt, err := sess.Router(ctx, plan.data.RouterID)
	if err != nil {
		return apiError(err, "")
	}
	if plan.data.Gateway {
		return s.applyGatewayRoute(ctx, sess, rt, plan)
	}
	want := openstack.RouterRoute{Destination: plan.data.DestRange, NextHop: plan.data.NextHopIP}
	if slices.Contains(rt.Routes, want) {
		return nil
	}
	err = sess.SetRouterRoutes(ctx, rt.ID, append(rt.Routes, want))
	if errors.Is(err, openstack.ErrInvalid) {
		return gce.InvalidField("resource.nextHopIp", want.NextHop, fmt.Sprintf(
			"The next hop is not on a subnet of network '%s'.", plan.network.Name))
	}
	return apiError(err, "")
}

func (s *Service) applyGatewayRoute(ctx context.Context, sess *openstack.Session, rt openstack.Router, plan *routePlan) error {
	if rt.GatewayNetworkID != "" {
		return nil
	}
	ext, err := s.gatewayNetworkID(ctx, sess)
	if err != nil {
		return apiError(err, "")
	}
	if ext == "" {
		return gce.Invalid("OpenStack has no external network to route 0.0.0.0/0 to.")
	}
	plan.data.SetGateway = true
	return apiError(sess.SetRouterGateway(ctx, rt.ID, ext), "")
}

func (s *Service) getRoute(ctx context.Context, r *Request) Response {
	routes, err := s.allRoutes(ctx, r)
	if err != nil {
		return Fail(err)
	}
	for _, rt := range routes {
		if rt.Name == r.Vars["route"] {
			return OK(rt)
		}
	}
	return Fail(gce.NotFound(globalPath(r.Project(), "routes", r.Vars["route"])))
}

func (s *Service) listRoutes(ctx context.Context, r *Request) Response {
	routes, err := s.allRoutes(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return listResponse(r, routes, func(page []*compute.Route, next string) any {
		return &compute.RouteList{Kind: "compute#routeList", Id: "projects/" + r.Project() + "/global/routes",
			Items: page, NextPageToken: next, SelfLink: r.Links.Global(r.Project(), "routes")}
	})
}

// allRoutes returns the default routes of every project network followed
// by the stored routes.
func (s *Service) allRoutes(ctx context.Context, r *Request) ([]*compute.Route, error) {
	networks, err := s.projectNetworks(ctx, r.Session)
	if err != nil {
		return nil, apiError(err, "")
	}
	routes := []*compute.Route{}
	for _, n := range networks {
		defaults, err := defaultRoutes(ctx, r, n)
		if err != nil {
			return nil, err
		}
		routes = append(routes, defaults...)
	}
	recs, err := s.Store.Resources(ctx, r.Project(), "global", "routes")
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if rec.OpenStackID != "" {
			routes = append(routes, storedRouteView(r, rec))
		}
	}
	return routes, nil
}

// defaultRouteName returns default-route-<16 hex digits>, derived from the
// network id and the kind of route ("local" or "internet").
func defaultRouteName(networkID, kind string) string {
	return fmt.Sprintf("default-route-%016x", gce.ID(networkID+"/"+kind))
}

// defaultRoutes returns the network's local route to its IPv4 range and,
// when its router has an external gateway, its route to the internet.
func defaultRoutes(ctx context.Context, r *Request, n openstack.Network) ([]*compute.Route, error) {
	subnets, err := r.Session.Subnets(ctx, n.ID)
	if err != nil {
		return nil, apiError(err, "")
	}
	var out []*compute.Route
	network := r.Links.Global(r.Project(), "networks", n.Name)
	for _, sn := range subnets {
		if sn.IPVersion == 4 {
			local := defaultRoute(r, n, "local", sn.CIDR, "Default local route to the subnetwork "+sn.CIDR+".")
			local.NextHopNetwork, local.RouteType = network, "SUBNET"
			out = append(out, local)
			break
		}
	}
	gateway, err := hasInternetGateway(ctx, r.Session, n)
	if err != nil || !gateway {
		return out, err
	}
	internet := defaultRoute(r, n, "internet", "0.0.0.0/0", "Default route to the Internet.")
	internet.NextHopGateway = r.Links.Global(r.Project(), "gateways", internetGateway)
	return append(out, internet), nil
}

func defaultRoute(r *Request, n openstack.Network, kind, dest, description string) *compute.Route {
	name := defaultRouteName(n.ID, kind)
	return &compute.Route{Kind: "compute#route", Id: gce.ID(n.ID + "/" + kind), Name: name,
		Description: description, CreationTimestamp: gce.Timestamp(n.Created),
		Network:   r.Links.Global(r.Project(), "networks", n.Name),
		DestRange: dest, Priority: 1000, RouteType: "STATIC",
		SelfLink: r.Links.Global(r.Project(), "routes", name), ForceSendFields: []string{"Priority"}}
}

// hasInternetGateway reports whether the router on the network has an
// external gateway.
func hasInternetGateway(ctx context.Context, sess *openstack.Session, n openstack.Network) (bool, error) {
	ports, err := routerInterfaces(ctx, sess, n.ID)
	if err != nil || len(ports) == 0 {
		return false, apiError(err, "")
	}
	rt, err := sess.Router(ctx, ports[0].DeviceID)
	if errors.Is(err, openstack.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, apiError(err, "")
	}
	return rt.GatewayNetworkID != "", nil
}

func storedRouteView(r *Request, rec store.Resource) *compute.Route {
	d := loadRouteData(rec)
	rt := &compute.Route{Kind: "compute#route", Id: gce.ID(rec.OpenStackID + "/routes/" + rec.Name),
		Name: rec.Name, Description: d.Description, CreationTimestamp: gce.Timestamp(rec.CreatedAt),
		Network:   r.Links.Global(r.Project(), "networks", d.Network),
		DestRange: d.DestRange, Priority: d.Priority, Tags: d.Tags, NextHopIp: d.NextHopIP,
		RouteType: "STATIC", SelfLink: r.Links.Global(r.Project(), "routes", rec.Name),
		ForceSendFields: []string{"Priority"}}
	if d.Gateway {
		rt.NextHopGateway = r.Links.Global(r.Project(), "gateways", internetGateway)
	}
	return rt
}

// deleteRoute removes a stored route from its router. The default routes
// of a network cannot be deleted.
func (s *Service) deleteRoute(ctx context.Context, r *Request) Response {
	name := r.Vars["route"]
	rec, err := s.Store.Resource(ctx, r.Project(), "global", "routes", name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return Fail(s.missingRouteError(ctx, r, name))
	}
	if err != nil {
		return Fail(err)
	}
	if err := s.unapplyRoute(ctx, r, rec); err != nil {
		return Fail(err)
	}
	if err := s.Store.Release(ctx, r.Project(), "global", "routes", name); err != nil {
		return Fail(err)
	}
	return s.globalOperation(ctx, r, "delete", "routes", name, rec.OpenStackID)
}

// missingRouteError returns invalid for a default route and notFound for
// any other name.
func (s *Service) missingRouteError(ctx context.Context, r *Request, name string) error {
	networks, err := s.projectNetworks(ctx, r.Session)
	if err != nil {
		return apiError(err, "")
	}
	for _, n := range networks {
		if name == defaultRouteName(n.ID, "local") || name == defaultRouteName(n.ID, "internet") {
			return gce.Invalid("The route '%s' is a default route of network '%s' and cannot be deleted.", name, n.Name)
		}
	}
	return gce.NotFound(globalPath(r.Project(), "routes", name))
}

// unapplyRoute removes what the route added to its router, unless another
// stored route needs the same extra route or gateway.
func (s *Service) unapplyRoute(ctx context.Context, r *Request, rec store.Resource) error {
	d := loadRouteData(rec)
	shared, err := s.routeShared(ctx, r.Project(), rec.Name, d)
	if err != nil || shared || (d.Gateway && !d.SetGateway) {
		return err
	}
	rt, err := r.Session.Router(ctx, d.RouterID)
	if errors.Is(err, openstack.ErrNotFound) {
		return nil
	}
	if err != nil {
		return apiError(err, "")
	}
	if d.Gateway {
		return apiError(r.Session.SetRouterGateway(ctx, rt.ID, ""), "")
	}
	want := openstack.RouterRoute{Destination: d.DestRange, NextHop: d.NextHopIP}
	rest := slices.DeleteFunc(slices.Clone(rt.Routes), func(x openstack.RouterRoute) bool { return x == want })
	if len(rest) == len(rt.Routes) {
		return nil
	}
	return apiError(r.Session.SetRouterRoutes(ctx, rt.ID, rest), "")
}

// routeShared reports whether another stored route uses the same router
// entry: the same extra route, or the internet gateway.
func (s *Service) routeShared(ctx context.Context, project, name string, d routeData) (bool, error) {
	recs, err := s.Store.Resources(ctx, project, "global", "routes")
	if err != nil {
		return false, err
	}
	for _, rec := range recs {
		o := loadRouteData(rec)
		if rec.Name != name && o.RouterID == d.RouterID && o.Gateway == d.Gateway &&
			o.DestRange == d.DestRange && o.NextHopIP == d.NextHopIP {
			return true, nil
		}
	}
	return false, nil
}
