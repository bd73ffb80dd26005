package conformance_test

import (
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Zones", Label("zones"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	It("gets a zone with its region and selfLink", Label("compute.zones.get"), func(ctx SpecContext) {
		zone, err := svc.Zones.Get(env.Project, env.Zone).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(zone.Kind).To(Equal("compute#zone"))
		Expect(zone.Name).To(Equal(env.Zone))
		Expect(zone.Status).To(Equal("UP"))
		Expect(zone.Region).To(HaveSuffix("/projects/" + env.Project + "/regions/" + env.Region))
		Expect(zone.SelfLink).To(HaveSuffix("/projects/" + env.Project + "/zones/" + env.Zone))
	})

	It("returns 404 notFound for an unknown zone", Label("compute.zones.get"), func(ctx SpecContext) {
		_, err := svc.Zones.Get(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists the configured zones", Label("compute.zones.list"), func(ctx SpecContext) {
		list, err := svc.Zones.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#zoneList"))
		Expect(list.NextPageToken).To(BeEmpty())
		names := zoneNames(list.Items)
		Expect(names).To(ContainElement(env.Zone))
		if env.SecondZone != "" {
			Expect(names).To(ContainElement(env.SecondZone))
		}
	})

	It("lists exactly the seed zones", Label("compute.zones.list"), func(ctx SpecContext) {
		skipUnlessSeeded()
		list, err := svc.Zones.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(zoneNames(list.Items)).To(ConsistOf("regionone-a", "regionone-b"))
	})

	It("walks every zone one page at a time", Label("compute.zones.list", "paging"), func(ctx SpecContext) {
		skipUnlessSecondZone()
		var names []string
		token := ""
		for pages := 0; ; pages++ {
			Expect(pages).To(BeNumerically("<", 100), "paging does not end")
			list, err := svc.Zones.List(env.Project).MaxResults(1).PageToken(token).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Items).To(HaveLen(1))
			names = append(names, list.Items[0].Name)
			if list.NextPageToken == "" {
				break
			}
			Expect(list.NextPageToken).NotTo(Equal(token), "page token repeats")
			token = list.NextPageToken
		}
		Expect(names).To(ContainElements(env.Zone, env.SecondZone))
		Expect(names).To(HaveLen(len(uniqueStrings(names))), "a zone appears on two pages")
	})

	It("filters zones with name eq", Label("compute.zones.list", "filter"), func(ctx SpecContext) {
		list, err := svc.Zones.List(env.Project).Filter("name eq " + env.Zone).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(zoneNames(list.Items)).To(Equal([]string{env.Zone}))
	})
})

func zoneNames(zones []*compute.Zone) []string {
	var names []string
	for _, z := range zones {
		names = append(names, z.Name)
	}
	return names
}

func uniqueStrings(values []string) map[string]bool {
	set := map[string]bool{}
	for _, v := range values {
		set[v] = true
	}
	return set
}
