package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/routers"
)

// Router is a Neutron router.
type Router struct {
	ID               string
	Name             string
	GatewayNetworkID string // "" when the router has no external gateway
	Routes           []RouterRoute
}

// RouterRoute is one extra route of a router.
type RouterRoute struct {
	Destination string // CIDR
	NextHop     string // IP address on a subnet the router is connected to
}

func toRouter(r *routers.Router) Router {
	out := Router{ID: r.ID, Name: r.Name, GatewayNetworkID: r.GatewayInfo.NetworkID}
	for _, rt := range r.Routes {
		out.Routes = append(out.Routes, RouterRoute{Destination: rt.DestinationCIDR, NextHop: rt.NextHop})
	}
	return out
}

// Router returns one router.
func (s *Session) Router(ctx context.Context, id string) (Router, error) {
	sc, err := s.service("network")
	if err != nil {
		return Router{}, err
	}
	r, err := routers.Get(ctx, sc, id).Extract()
	if err != nil {
		return Router{}, wrapErr("get router "+id, err)
	}
	return toRouter(r), nil
}

// CreateRouter creates a router with its gateway on the external network
// gatewayNetworkID, or with no gateway when it is "".
func (s *Session) CreateRouter(ctx context.Context, name, gatewayNetworkID string) (Router, error) {
	sc, err := s.service("network")
	if err != nil {
		return Router{}, err
	}
	opts := routers.CreateOpts{Name: name}
	if gatewayNetworkID != "" {
		opts.GatewayInfo = &routers.GatewayInfo{NetworkID: gatewayNetworkID}
	}
	r, err := routers.Create(ctx, sc, opts).Extract()
	if err != nil {
		return Router{}, wrapErr("create router "+name, err)
	}
	return toRouter(r), nil
}

// DeleteRouter deletes a router and its gateway port; one already gone is
// no error. Neutron rejects it with ErrConflict while interfaces remain.
func (s *Session) DeleteRouter(ctx context.Context, id string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	err = routers.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete router "+id, err)
}

// AddRouterInterface connects a router to a subnet through a port that
// holds the subnet's gateway address.
func (s *Session) AddRouterInterface(ctx context.Context, routerID, subnetID string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	_, err = routers.AddInterface(ctx, sc, routerID, routers.AddInterfaceOpts{SubnetID: subnetID}).Extract()
	return wrapErr("add interface on subnet "+subnetID+" to router "+routerID, err)
}

// RemoveRouterInterface disconnects a router from a subnet; an interface
// already gone is no error.
func (s *Session) RemoveRouterInterface(ctx context.Context, routerID, subnetID string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	_, err = routers.RemoveInterface(ctx, sc, routerID, routers.RemoveInterfaceOpts{SubnetID: subnetID}).Extract()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("remove interface on subnet "+subnetID+" from router "+routerID, err)
}

// SetRouterRoutes replaces the extra routes of a router. Neutron returns
// 400 InvalidRoutes (ErrInvalid) when a next hop is not on a subnet the
// router is connected to.
func (s *Session) SetRouterRoutes(ctx context.Context, id string, list []RouterRoute) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	routes := make([]routers.Route, 0, len(list))
	for _, rt := range list {
		routes = append(routes, routers.Route{DestinationCIDR: rt.Destination, NextHop: rt.NextHop})
	}
	_, err = routers.Update(ctx, sc, id, routers.UpdateOpts{Routes: &routes}).Extract()
	return wrapErr("set the routes of router "+id, err)
}

// SetRouterGateway puts the router's gateway on the external network
// networkID, or removes the gateway when networkID is "".
func (s *Session) SetRouterGateway(ctx context.Context, id, networkID string) error {
	sc, err := s.service("network")
	if err != nil {
		return err
	}
	opts := routers.UpdateOpts{GatewayInfo: &routers.GatewayInfo{NetworkID: networkID}}
	_, err = routers.Update(ctx, sc, id, opts).Extract()
	return wrapErr("set the gateway of router "+id, err)
}
