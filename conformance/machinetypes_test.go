package conformance_test

import (
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Machine types", Label("machineTypes"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	It("gets a machine type with its size", Label("compute.machineTypes.get"), func(ctx SpecContext) {
		mt, err := svc.MachineTypes.Get(env.Project, env.Zone, env.MachineType).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(mt.Kind).To(Equal("compute#machineType"))
		Expect(mt.Name).To(Equal(env.MachineType))
		Expect(mt.Zone).To(Equal(env.Zone))
		Expect(mt.GuestCpus).To(BeNumerically(">", 0))
		Expect(mt.MemoryMb).To(BeNumerically(">", 0))
		Expect(mt.SelfLink).To(HaveSuffix("/zones/" + env.Zone + "/machineTypes/" + env.MachineType))
	})

	It("returns 404 notFound for an unknown machine type", Label("compute.machineTypes.get"), func(ctx SpecContext) {
		_, err := svc.MachineTypes.Get(env.Project, env.Zone, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound for a machine type in an unknown zone", Label("compute.machineTypes.get"), func(ctx SpecContext) {
		_, err := svc.MachineTypes.Get(env.Project, "nonexistent-x", env.MachineType).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists the machine types of a zone", Label("compute.machineTypes.list"), func(ctx SpecContext) {
		list, err := svc.MachineTypes.List(env.Project, env.Zone).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#machineTypeList"))
		Expect(machineTypeNames(list.Items)).To(ContainElement(env.MachineType))
	})

	It("lists the five seed machine types", Label("compute.machineTypes.list"), func(ctx SpecContext) {
		skipUnlessSeeded()
		list, err := svc.MachineTypes.List(env.Project, env.Zone).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(machineTypeNames(list.Items)).To(ConsistOf(
			"n1-standard-1", "n1-standard-2", "e2-micro", "e2-small", "e2-medium"))
	})

	It("returns 404 notFound for the list of an unknown zone", Label("compute.machineTypes.list"), func(ctx SpecContext) {
		_, err := svc.MachineTypes.List(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("aggregates machine types under each zone key", Label("compute.machineTypes.aggregatedList"), func(ctx SpecContext) {
		list, err := svc.MachineTypes.AggregatedList(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#machineTypeAggregatedList"))
		zones := []string{env.Zone}
		if env.SecondZone != "" {
			zones = append(zones, env.SecondZone)
		}
		for _, zone := range zones {
			Expect(list.Items).To(HaveKey("zones/" + zone))
			Expect(machineTypeNames(list.Items["zones/"+zone].MachineTypes)).To(ContainElement(env.MachineType))
		}
	})
})

func machineTypeNames(types []*compute.MachineType) []string {
	var names []string
	for _, mt := range types {
		names = append(names, mt.Name)
	}
	return names
}
