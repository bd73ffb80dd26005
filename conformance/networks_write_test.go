package conformance_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

var _ = Describe("Network writes", Label("networks"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("insert", Label("compute.networks.insert"), func() {
		It("creates a legacy network with the default range", func(ctx SpecContext) {
			name := env.Name("net")
			op, err := svc.Networks.Insert(env.Project, &compute.Network{Name: name}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(deleteGlobal, "networks", name)
			Expect(op.OperationType).To(Equal("insert"))
			Expect(op.TargetLink).To(HaveSuffix("/global/networks/" + name))
			done, err := framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			Expect(done.Status).To(Equal("DONE"))

			got, err := svc.Networks.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			// The range overlaps the default network's, as Neutron and
			// legacy Compute Engine networks allow.
			Expect(got.IPv4Range).To(Equal("10.240.0.0/16"))
			Expect(got.GatewayIPv4).To(Equal("10.240.0.1"))
			Expect(got.RoutingConfig).NotTo(BeNil())
			Expect(got.RoutingConfig.RoutingMode).To(Equal("REGIONAL"))
		})

		It("creates a network with an explicit range and gateway", func(ctx SpecContext) {
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.241.0.0/16",
				GatewayIPv4: "10.241.0.254", Description: "explicit"})
			got, err := svc.Networks.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.IPv4Range).To(Equal("10.241.0.0/16"))
			Expect(got.GatewayIPv4).To(Equal("10.241.0.254"))
			Expect(got.Description).To(Equal("explicit"))
		})

		It("connects the network to the external network through a router", func(ctx SpecContext) {
			skipUnlessOpenStack()
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.242.0.0/16"})
			nets := listNetworks(ctx, networks.ListOpts{Name: name})
			Expect(nets).To(HaveLen(1), "Neutron networks named %s", name)
			subnetList := listSubnets(ctx, subnets.ListOpts{Name: name})
			Expect(subnetList).To(HaveLen(1), "Neutron subnets named %s", name)
			Expect(subnetList[0].NetworkID).To(Equal(nets[0].ID))
			Expect(subnetList[0].CIDR).To(Equal("10.242.0.0/16"))

			By("checking the router's gateway and its interface on the subnet")
			router := routerNamed(ctx, name)
			Expect(externalNetworkIDs(ctx)).To(ContainElement(router.GatewayInfo.NetworkID))
			interfaces := listPorts(ctx, ports.ListOpts{DeviceID: router.ID, DeviceOwner: "network:router_interface"})
			Expect(interfaces).To(ContainElement(HaveField("FixedIPs",
				ContainElement(HaveField("SubnetID", subnetList[0].ID)))))
		})

		It("returns 400 invalid for auto mode", func(ctx SpecContext) {
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: env.Name("net"),
				AutoCreateSubnetworks: true}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.(*googleapi.Error).Message).To(ContainSubstring("legacy"))
		})

		It("returns 400 invalid for custom mode", func(ctx SpecContext) {
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: env.Name("net"),
				AutoCreateSubnetworks: false, ForceSendFields: []string{"AutoCreateSubnetworks"}}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			// A network without IPv4Range is valid, so the message must
			// not ask for one.
			Expect(err.(*googleapi.Error).Message).To(ContainSubstring("IPv4Range is optional"))
		})

		It("returns 400 invalid for a description of more than 2048 characters", func(ctx SpecContext) {
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: env.Name("net"),
				Description: strings.Repeat("d", 2049)}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))
		})

		It("returns 400 invalid for a range that is not a network address", func(ctx SpecContext) {
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: env.Name("net"),
				IPv4Range: "10.240.0.1/16"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for a gateway outside the range", func(ctx SpecContext) {
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: env.Name("net"),
				IPv4Range: "10.243.0.0/16", GatewayIPv4: "10.1.0.1"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 409 alreadyExists for a duplicate name", func(ctx SpecContext) {
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.244.0.0/16"})
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: name}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		})

		It("returns 409 alreadyExists for the default network", func(ctx SpecContext) {
			_, err := svc.Networks.Insert(env.Project, &compute.Network{Name: "default"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		})
	})

	It("lists exactly one of three networks with a name filter", Label("compute.networks.list"), func(ctx SpecContext) {
		var names []string
		for i := range 3 {
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: fmt.Sprintf("10.%d.0.0/16", 50+i)})
			names = append(names, name)
		}
		list, err := svc.Networks.List(env.Project).Filter(fmt.Sprintf("name eq %s", names[1])).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Items).To(HaveLen(1))
		Expect(list.Items[0].Name).To(Equal(names[1]))
		Expect(list.Items[0].IPv4Range).To(Equal("10.51.0.0/16"))
	})

	Describe("delete", Label("compute.networks.delete"), func() {
		It("deletes the network with its router and subnet", func(ctx SpecContext) {
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.245.0.0/16"})
			op, err := svc.Networks.Delete(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Networks.Get(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			if reachesOpenStack() {
				Expect(openStackNames(ctx, "routers")).NotTo(ContainElement(name))
				Expect(openStackNames(ctx, "subnets")).NotTo(ContainElement(name))
				Expect(openStackNames(ctx, "networks")).NotTo(ContainElement(name))
			}
		})

		It("frees the name for a new network", func(ctx SpecContext) {
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.246.0.0/16"})
			deleteGlobal(ctx, "networks", name)
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.247.0.0/16"})
		})

		It("returns 404 notFound for an unknown network", func(ctx SpecContext) {
			_, err := svc.Networks.Delete(env.Project, env.Name("nonexistent")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 400 resourceInUseByAnotherResource while an instance uses it", func(ctx SpecContext) {
			name := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.248.0.0/16"})
			vm := createInstance(ctx, svc, instanceOn(env.Name("vm"), name))
			_, err := svc.Networks.Delete(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
			Expect(err.(*googleapi.Error).Message).To(ContainSubstring("/instances/" + vm.Name))
		}, SpecTimeout(instanceTimeout))

		It("returns 400 resourceInUseByAnotherResource while a firewall names it", func(ctx SpecContext) {
			name, fw := env.Name("net"), env.Name("fw")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.249.0.0/16"})
			createFirewall(ctx, svc, &compute.Firewall{Name: fw, Network: "global/networks/" + name,
				Allowed: []*compute.FirewallAllowed{{IPProtocol: "tcp", Ports: []string{"22"}}}})
			_, err := svc.Networks.Delete(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
			Expect(err.(*googleapi.Error).Message).To(Equal(fmt.Sprintf(
				"The network resource 'projects/%[1]s/global/networks/%[2]s' is already being used by 'projects/%[1]s/global/firewalls/%[3]s'",
				env.Project, name, fw)))
		})

		It("returns 400 resourceInUseByAnotherResource while a route names it", func(ctx SpecContext) {
			name, rt := env.Name("net"), env.Name("route")
			createNetwork(ctx, svc, &compute.Network{Name: name, IPv4Range: "10.250.0.0/16"})
			createRoute(ctx, svc, &compute.Route{Name: rt, Network: "global/networks/" + name,
				DestRange: "192.168.0.0/16", NextHopIp: "10.250.0.10"})
			_, err := svc.Networks.Delete(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
			Expect(err.(*googleapi.Error).Message).To(ContainSubstring("/global/routes/" + rt))
		})
	})
})
