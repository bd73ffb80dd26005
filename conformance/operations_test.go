package conformance_test

import (
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Operations", Label("operations"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("of an instance insert", Label("compute.instances.insert"), func() {
		var op *compute.Operation
		var name string

		BeforeEach(func(ctx SpecContext) {
			name = env.Name("vm")
			op = insertInstance(ctx, svc, newInstance(name))
		}, NodeTimeout(instanceTimeout))

		It("describes the insert", func() {
			Expect(op.Kind).To(Equal("compute#operation"))
			Expect(op.Name).NotTo(BeEmpty())
			Expect(op.OperationType).To(Equal("insert"))
			Expect(op.Zone).To(HaveSuffix("/projects/" + env.Project + "/zones/" + env.Zone))
			Expect(op.Region).To(BeEmpty())
			Expect(op.TargetLink).To(HaveSuffix("/projects/" + env.Project + "/zones/" + env.Zone + "/instances/" + name))
			Expect(op.SelfLink).To(HaveSuffix("/zones/" + env.Zone + "/operations/" + op.Name))
			Expect(op.Status).To(BeElementOf("PENDING", "RUNNING", "DONE"))
		})

		It("waits until DONE", Label("compute.zoneOperations.wait"), func(ctx SpecContext) {
			done, err := framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			Expect(done.Status).To(Equal("DONE"))
			Expect(done.Name).To(Equal(op.Name))
			Expect(done.Error).To(BeNil())
		}, SpecTimeout(instanceTimeout))

		It("gets the operation by name", Label("compute.zoneOperations.get"), func(ctx SpecContext) {
			got, err := svc.ZoneOperations.Get(env.Project, env.Zone, op.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Name).To(Equal(op.Name))
			Expect(got.TargetLink).To(Equal(op.TargetLink))
		})

		It("lists the operation in its zone", Label("compute.zoneOperations.list"), func(ctx SpecContext) {
			list, err := svc.ZoneOperations.List(env.Project, env.Zone).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Kind).To(Equal("compute#operationList"))
			Expect(list.Items).To(ContainElement(HaveField("Name", op.Name)))
		})

		It("lists the operation under its zone in the aggregated list", Label("compute.globalOperations.aggregatedList"), func(ctx SpecContext) {
			list, err := svc.GlobalOperations.AggregatedList(env.Project).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Kind).To(Equal("compute#operationAggregatedList"))
			Expect(list.Items).To(HaveKey("zones/" + env.Zone))
			Expect(list.Items["zones/"+env.Zone].Operations).To(ContainElement(HaveField("Name", op.Name)))
			Expect(list.Items).To(HaveKey("global"))
		})

		It("deletes the operation record", Label("compute.zoneOperations.delete"), func(ctx SpecContext) {
			_, err := framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			Expect(svc.ZoneOperations.Delete(env.Project, env.Zone, op.Name).Context(ctx).Do()).To(Succeed())
			_, err = svc.ZoneOperations.Get(env.Project, env.Zone, op.Name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		}, SpecTimeout(instanceTimeout))
	})

	It("returns 404 notFound for an unknown zone operation", Label("compute.zoneOperations.get"), func(ctx SpecContext) {
		_, err := svc.ZoneOperations.Get(env.Project, env.Zone, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound for the delete of an unknown zone operation", Label("compute.zoneOperations.delete"), func(ctx SpecContext) {
		err := svc.ZoneOperations.Delete(env.Project, env.Zone, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound for the operations of an unknown zone", Label("compute.zoneOperations.list"), func(ctx SpecContext) {
		_, err := svc.ZoneOperations.List(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists global operations", Label("compute.globalOperations.list"), func(ctx SpecContext) {
		list, err := svc.GlobalOperations.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#operationList"))
	})

	It("returns 404 notFound for an unknown global operation", Label("compute.globalOperations.get"), func(ctx SpecContext) {
		_, err := svc.GlobalOperations.Get(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists region operations", Label("compute.regionOperations.list"), func(ctx SpecContext) {
		list, err := svc.RegionOperations.List(env.Project, env.Region).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#operationList"))
	})

	It("returns 404 notFound for an unknown region operation", Label("compute.regionOperations.get"), func(ctx SpecContext) {
		_, err := svc.RegionOperations.Get(env.Project, env.Region, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound for the delete of an unknown global operation", Label("compute.globalOperations.delete"), func(ctx SpecContext) {
		err := svc.GlobalOperations.Delete(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound for the delete of an unknown region operation", Label("compute.regionOperations.delete"), func(ctx SpecContext) {
		err := svc.RegionOperations.Delete(env.Project, env.Region, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound when waiting on an unknown global operation", Label("compute.globalOperations.wait"), func(ctx SpecContext) {
		_, err := svc.GlobalOperations.Wait(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound when waiting on an operation of an unknown region", Label("compute.regionOperations.wait"), func(ctx SpecContext) {
		_, err := svc.RegionOperations.Wait(env.Project, "nonexistent-x", "nonexistent-y").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("marks empty scopes of the aggregated list with NO_RESULTS_ON_PAGE", Label("compute.globalOperations.aggregatedList"), func(ctx SpecContext) {
		list, err := svc.GlobalOperations.AggregatedList(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		scope := "regions/" + env.Region
		Expect(list.Items).To(HaveKey(scope))
		if len(list.Items[scope].Operations) == 0 {
			Expect(list.Items[scope].Warning).NotTo(BeNil())
			Expect(list.Items[scope].Warning.Code).To(Equal("NO_RESULTS_ON_PAGE"))
		}
	})
})
