package conformance_test

import (
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Regions", Label("regions"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	It("gets a region that lists its zones", Label("compute.regions.get"), func(ctx SpecContext) {
		region, err := svc.Regions.Get(env.Project, env.Region).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(region.Kind).To(Equal("compute#region"))
		Expect(region.Name).To(Equal(env.Region))
		Expect(region.Status).To(Equal("UP"))
		Expect(region.SelfLink).To(HaveSuffix("/projects/" + env.Project + "/regions/" + env.Region))
		Expect(region.Zones).To(ContainElement(HaveSuffix("/projects/" + env.Project + "/zones/" + env.Zone)))
	})

	It("returns 404 notFound for an unknown region", Label("compute.regions.get"), func(ctx SpecContext) {
		_, err := svc.Regions.Get(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists the configured region", Label("compute.regions.list"), func(ctx SpecContext) {
		list, err := svc.Regions.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#regionList"))
		var names []string
		for _, r := range list.Items {
			names = append(names, r.Name)
		}
		Expect(names).To(ContainElement(env.Region))
	})
})
