package conformance_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/routers"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

// defaultRoutesOf returns the routes of a network whose names start with
// default-route-.
func defaultRoutesOf(list *compute.RouteList, network string) []*compute.Route {
	var out []*compute.Route
	for _, rt := range list.Items {
		if lastSegment(rt.Network) == network && len(rt.Name) > 14 && rt.Name[:14] == "default-route-" {
			out = append(out, rt)
		}
	}
	return out
}

// routeTo returns the route with destRange dest, or fails the spec.
func routeTo(routes []*compute.Route, dest string) *compute.Route {
	for _, rt := range routes {
		if rt.DestRange == dest {
			return rt
		}
	}
	Fail("no route to " + dest)
	return nil
}

var _ = Describe("Routes", Label("routes"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	It("lists the local and internet routes of the default network", Label("compute.routes.list"), func(ctx SpecContext) {
		skipUnlessSeeded()
		list, err := svc.Routes.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#routeList"))
		defaults := defaultRoutesOf(list, "default")
		Expect(defaults).To(HaveLen(2))
		local := routeTo(defaults, "10.240.0.0/16")
		Expect(local.NextHopNetwork).To(HaveSuffix("/global/networks/default"))
		internet := routeTo(defaults, "0.0.0.0/0")
		Expect(internet.NextHopGateway).To(HaveSuffix("/global/gateways/default-internet-gateway"))
		Expect(internet.Priority).To(Equal(int64(1000)))
	})

	It("lists the default routes of a new network", Label("compute.routes.list", "compute.routes.get"), func(ctx SpecContext) {
		network := env.Name("net")
		createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.241.0.0/16"})
		list, err := svc.Routes.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		defaults := defaultRoutesOf(list, network)
		Expect(defaults).To(HaveLen(2))
		Expect(routeTo(defaults, "10.241.0.0/16").NextHopNetwork).To(HaveSuffix("/global/networks/" + network))
		got, err := svc.Routes.Get(env.Project, routeTo(defaults, "0.0.0.0/0").Name).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(got.NextHopGateway).To(HaveSuffix("/global/gateways/default-internet-gateway"))
	})

	Describe("insert", Label("compute.routes.insert"), func() {
		It("routes through a next-hop IP on the default network", Label("compute.routes.get"), func(ctx SpecContext) {
			name := env.Name("route")
			createRoute(ctx, svc, &compute.Route{Name: name, Network: "global/networks/default",
				DestRange: "10.0.0.0/8", NextHopIp: "10.240.0.10", Tags: []string{"web"}, Description: "lab"})
			got, err := svc.Routes.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Kind).To(Equal("compute#route"))
			Expect(got.DestRange).To(Equal("10.0.0.0/8"))
			Expect(got.NextHopIp).To(Equal("10.240.0.10"))
			Expect(got.Network).To(HaveSuffix("/global/networks/default"))
			Expect(got.Priority).To(Equal(int64(1000)))
			Expect(got.Tags).To(Equal([]string{"web"}))
			Expect(got.Description).To(Equal("lab"))
			if reachesOpenStack() {
				Expect(routerRoutes(ctx, "default")).To(ContainElement(
					routers.Route{DestinationCIDR: "10.0.0.0/8", NextHop: "10.240.0.10"}))
			}
		})

		It("routes through a next-hop IP on a custom network", func(ctx SpecContext) {
			network, name := env.Name("net"), env.Name("route")
			createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.241.0.0/16"})
			createRoute(ctx, svc, &compute.Route{Name: name, Network: "global/networks/" + network,
				DestRange: "10.0.0.0/8", NextHopIp: "10.241.0.10", Priority: 500})
			got, err := svc.Routes.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.NextHopIp).To(Equal("10.241.0.10"))
			Expect(got.Priority).To(Equal(int64(500)))
			if reachesOpenStack() {
				Expect(routerRoutes(ctx, network)).To(ConsistOf(
					routers.Route{DestinationCIDR: "10.0.0.0/8", NextHop: "10.241.0.10"}))
			}
		})

		It("routes 0.0.0.0/0 through the default internet gateway", func(ctx SpecContext) {
			name := env.Name("route")
			createRoute(ctx, svc, &compute.Route{Name: name, Network: "global/networks/default",
				DestRange: "0.0.0.0/0", Priority: 900,
				NextHopGateway: "global/gateways/default-internet-gateway"})
			got, err := svc.Routes.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.NextHopGateway).To(HaveSuffix("/global/gateways/default-internet-gateway"))
		})

		It("returns 409 alreadyExists for a duplicate name", func(ctx SpecContext) {
			rt := &compute.Route{Name: env.Name("route"), Network: "global/networks/default",
				DestRange: "10.2.0.0/16", NextHopIp: "10.240.0.11"}
			createRoute(ctx, svc, rt)
			_, err := svc.Routes.Insert(env.Project, rt).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		})

		It("returns 404 notFound for an unknown network", func(ctx SpecContext) {
			_, err := svc.Routes.Insert(env.Project, &compute.Route{Name: env.Name("route"),
				Network: "global/networks/" + env.Name("nonexistent"), DestRange: "10.2.0.0/16",
				NextHopIp: "10.240.0.11"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		DescribeTable("returns 400 invalid for references to another project",
			func(ctx SpecContext, field string, rt *compute.Route) {
				rt.Name, rt.DestRange = env.Name("route"), "0.0.0.0/0"
				_, err := svc.Routes.Insert(env.Project, rt).Context(ctx).Do()
				Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
				Expect(err.Error()).To(ContainSubstring(field))
				Expect(err.Error()).To(ContainSubstring("Only resources of project '" + env.Project + "'"))
			},
			Entry("network", "resource.network", &compute.Route{
				Network:        "projects/" + otherProject + "/global/networks/default",
				NextHopGateway: "global/gateways/default-internet-gateway"}),
			Entry("nextHopGateway", "resource.nextHopGateway", &compute.Route{
				Network:        "global/networks/default",
				NextHopGateway: "projects/" + otherProject + "/global/gateways/default-internet-gateway"}),
		)

		It("returns 400 invalid for a description of more than 2048 characters", func(ctx SpecContext) {
			_, err := svc.Routes.Insert(env.Project, &compute.Route{Name: env.Name("route"),
				Network: "global/networks/default", DestRange: "10.2.0.0/16", NextHopIp: "10.240.0.11",
				Description: strings.Repeat("d", 2049)}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))
		})

		DescribeTable("returns 400 invalid for routes Neutron cannot express",
			func(ctx SpecContext, rt *compute.Route) {
				rt.Name, rt.Network = env.Name("route"), "global/networks/default"
				_, err := svc.Routes.Insert(env.Project, rt).Context(ctx).Do()
				Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			},
			Entry("a next hop off the network", &compute.Route{DestRange: "10.3.0.0/16", NextHopIp: "192.0.2.1"}),
			Entry("a next-hop instance", &compute.Route{DestRange: "10.3.0.0/16",
				NextHopInstance: "zones/" + "z" + "/instances/vm1"}),
			Entry("a VPN tunnel", &compute.Route{DestRange: "10.3.0.0/16", NextHopVpnTunnel: "regions/r/vpnTunnels/t"}),
			Entry("the internet gateway for a private range", &compute.Route{DestRange: "10.3.0.0/16",
				NextHopGateway: "global/gateways/default-internet-gateway"}),
			Entry("no next hop", &compute.Route{DestRange: "10.3.0.0/16"}),
			Entry("a malformed destination", &compute.Route{DestRange: "10.3.0/16x", NextHopIp: "10.240.0.12"}),
		)
	})

	It("lists exactly one of three routes with a name filter", Label("compute.routes.list"), func(ctx SpecContext) {
		var names []string
		for i := range 3 {
			name := env.Name("route")
			createRoute(ctx, svc, &compute.Route{Name: name, Network: "global/networks/default",
				DestRange: fmt.Sprintf("10.%d.0.0/16", 60+i), NextHopIp: "10.240.0.13"})
			names = append(names, name)
		}
		list, err := svc.Routes.List(env.Project).Filter(fmt.Sprintf("name eq %s", names[0])).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Items).To(HaveLen(1))
		Expect(list.Items[0].DestRange).To(Equal("10.60.0.0/16"))
	})

	It("returns 404 notFound for an unknown route", Label("compute.routes.get"), func(ctx SpecContext) {
		_, err := svc.Routes.Get(env.Project, env.Name("nonexistent")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	Describe("delete", Label("compute.routes.delete"), func() {
		It("removes the extra route from the router", func(ctx SpecContext) {
			network, name := env.Name("net"), env.Name("route")
			createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.241.0.0/16"})
			createRoute(ctx, svc, &compute.Route{Name: name, Network: "global/networks/" + network,
				DestRange: "10.4.0.0/16", NextHopIp: "10.241.0.10"})
			op, err := svc.Routes.Delete(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Routes.Get(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			if reachesOpenStack() {
				Expect(routerRoutes(ctx, network)).To(BeEmpty())
			}
		})

		It("keeps an extra route that another route still uses", func(ctx SpecContext) {
			skipUnlessOpenStack()
			network, first, second := env.Name("net"), env.Name("route"), env.Name("route")
			createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.241.0.0/16"})
			for _, name := range []string{first, second} {
				createRoute(ctx, svc, &compute.Route{Name: name, Network: "global/networks/" + network,
					DestRange: "10.5.0.0/16", NextHopIp: "10.241.0.10"})
			}
			deleteGlobal(ctx, "routes", first)
			Expect(routerRoutes(ctx, network)).To(HaveLen(1))
		})

		It("returns 400 invalid for a default route", func(ctx SpecContext) {
			list, err := svc.Routes.List(env.Project).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			defaults := defaultRoutesOf(list, "default")
			Expect(defaults).NotTo(BeEmpty())
			_, err = svc.Routes.Delete(env.Project, defaults[0].Name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 404 notFound for an unknown route", func(ctx SpecContext) {
			_, err := svc.Routes.Delete(env.Project, env.Name("nonexistent")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})
})
