package conformance_test

import (
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Networks", Label("networks"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	It("gets the default network", Label("compute.networks.get"), func(ctx SpecContext) {
		network, err := svc.Networks.Get(env.Project, "default").Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(network.Kind).To(Equal("compute#network"))
		Expect(network.Name).To(Equal("default"))
		Expect(network.SelfLink).To(HaveSuffix("/projects/" + env.Project + "/global/networks/default"))
	})

	It("shows the seed range and gateway of the default network", Label("compute.networks.get"), func(ctx SpecContext) {
		skipUnlessSeeded()
		network, err := svc.Networks.Get(env.Project, "default").Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(network.IPv4Range).To(Equal("10.240.0.0/16"))
		Expect(network.GatewayIPv4).To(Equal("10.240.0.1"))
	})

	It("returns 404 notFound for an unknown network", Label("compute.networks.get"), func(ctx SpecContext) {
		_, err := svc.Networks.Get(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists the default network", Label("compute.networks.list"), func(ctx SpecContext) {
		list, err := svc.Networks.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#networkList"))
		var names []string
		for _, n := range list.Items {
			names = append(names, n.Name)
		}
		Expect(names).To(ContainElement("default"))
	})
})
