package conformance_test

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

var _ = Describe("Instances", Label("instances"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("insert", Label("compute.instances.insert"), func() {
		It("starts an instance with a NAT IP and a network IP", func(ctx SpecContext) {
			inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
			Expect(inst.Status).To(Equal("RUNNING"))
			Expect(inst.Zone).To(HaveSuffix("/zones/" + env.Zone))
			Expect(inst.MachineType).To(HaveSuffix("/zones/" + env.Zone + "/machineTypes/" + env.MachineType))
			Expect(inst.NetworkInterfaces).To(HaveLen(1))
			nic := inst.NetworkInterfaces[0]
			Expect(nic.Name).To(Equal("nic0"))
			Expect(nic.Network).To(HaveSuffix("/global/networks/default"))
			Expect(nic.NetworkIP).NotTo(BeEmpty())
			Expect(nic.AccessConfigs).To(HaveLen(1))
			Expect(nic.AccessConfigs[0].Type).To(Equal("ONE_TO_ONE_NAT"))
			Expect(nic.AccessConfigs[0].NatIP).NotTo(BeEmpty())
		}, SpecTimeout(instanceTimeout))

		It("accepts the references gcloud sends", func(ctx SpecContext) {
			By("naming the image by a zonal imageFamilyViews URL and the machine type by a full URL")
			inst := newInstance(env.Name("vm"))
			inst.Disks[0].InitializeParams.SourceImage = env.URL(fmt.Sprintf(
				"projects/%s/zones/-/imageFamilyViews/%s", env.ImageProject, env.ImageFamily))
			inst.MachineType = env.URL(fmt.Sprintf("projects/%s/zones/%s/machineTypes/%s",
				env.Project, env.Zone, env.MachineType))
			inst.NetworkInterfaces[0].Network = env.URL("projects/" + env.Project + "/global/networks/default")
			got := createInstance(ctx, svc, inst)
			Expect(got.Status).To(Equal("RUNNING"))
			Expect(got.MachineType).To(HaveSuffix("/machineTypes/" + env.MachineType))
		}, SpecTimeout(instanceTimeout))

		It("echoes labels, tags and metadata", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			inst.Labels = map[string]string{"env": "conformance"}
			inst.Tags = &compute.Tags{Items: []string{"web", "ssh"}}
			value := "bar"
			inst.Metadata = &compute.Metadata{Items: []*compute.MetadataItems{{Key: "foo", Value: &value}}}
			got := createInstance(ctx, svc, inst)
			Expect(got.Labels).To(Equal(map[string]string{"env": "conformance"}))
			Expect(got.Tags).NotTo(BeNil())
			Expect(got.Tags.Items).To(ConsistOf("web", "ssh"))
			Expect(got.Metadata).NotTo(BeNil())
			Expect(metadataValue(got.Metadata, "foo")).To(Equal("bar"))
		}, SpecTimeout(instanceTimeout))

		It("returns 409 alreadyExists for a second insert of one name", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			insertInstance(ctx, svc, inst)
			_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		}, SpecTimeout(instanceTimeout))

		It("accepts exactly one of two concurrent inserts of one name", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			DeferCleanup(deleteInstance, svc, env.Zone, inst.Name, NodeTimeout(instanceTimeout))
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
				})
			}
			wg.Wait()
			succeeded := 0
			for _, err := range errs {
				if err == nil {
					succeeded++
					continue
				}
				Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
			}
			Expect(succeeded).To(Equal(1))
		}, SpecTimeout(instanceTimeout))

		It("returns 400 invalid for an invalid name", func(ctx SpecContext) {
			_, err := svc.Instances.Insert(env.Project, env.Zone, newInstance("Bad_Name")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for an unknown machine type", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			inst.MachineType = "zones/" + env.Zone + "/machineTypes/nonexistent-x"
			_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 404 notFound for an unknown zone", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			inst.MachineType = "zones/nonexistent-x/machineTypes/" + env.MachineType
			_, err := svc.Instances.Insert(env.Project, "nonexistent-x", inst).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("ends the operation DONE with an error when Nova fails the build", Label(framework.FakeOnlyLabel),
			func(ctx SpecContext) {
				env.FakeOnly("the spec makes Nova fail the build through the fake's fault injection")
				name := env.Name("vm")
				DeferCleanup(env.Fake.Cloud.FailServerBuilds(regexp.MustCompile("^" + regexp.QuoteMeta(name) + "$")))
				op := insertInstance(ctx, svc, newInstance(name))
				done, err := framework.Wait(ctx, svc, op)
				var opErr *framework.OperationError
				Expect(errors.As(err, &opErr)).To(BeTrue(), "wait returned %v", err)
				Expect(done.Status).To(Equal("DONE"))
				Expect(done.Error.Errors).NotTo(BeEmpty())
				Expect(done.Error.Errors[0].Code).NotTo(BeEmpty())
				Expect(done.Error.Errors[0].Message).NotTo(BeEmpty())
				Expect(done.HttpErrorStatusCode).To(BeNumerically(">=", 400))
				Expect(done.HttpErrorMessage).NotTo(BeEmpty())
			}, SpecTimeout(instanceTimeout))
	})

	Describe("an instance that exists", Ordered, func() {
		// Ordered: the specs read one instance, which is costly to create.
		var inst *compute.Instance

		BeforeAll(func(ctx SpecContext) {
			svc := newService(ctx)
			inst = createInstance(ctx, svc, newInstance(env.Name("vm")))
		}, NodeTimeout(instanceTimeout))

		It("has a decimal uint64 id", Label("compute.instances.get", "ids"), func(ctx SpecContext) {
			status, body := rawGet(ctx, fmt.Sprintf("projects/%s/zones/%s/instances/%s",
				env.Project, env.Zone, inst.Name))
			Expect(status).To(Equal(http.StatusOK))
			Expect(body["id"]).To(BeAssignableToTypeOf(""), "id must be a JSON string")
			Expect(strconv.ParseUint(body["id"].(string), 10, 64)).To(Equal(inst.Id))
			Expect(inst.Id).NotTo(BeZero())
		})

		It("appears in the zone's list with the same id", Label("compute.instances.list", "ids"), func(ctx SpecContext) {
			list, err := svc.Instances.List(env.Project, env.Zone).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Kind).To(Equal("compute#instanceList"))
			Expect(list.Items).To(ContainElement(SatisfyAll(
				HaveField("Name", inst.Name), HaveField("Id", inst.Id))))
		})

		It("appears in the aggregated list under its zone", Label("compute.instances.aggregatedList"), func(ctx SpecContext) {
			list, err := svc.Instances.AggregatedList(env.Project).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Kind).To(Equal("compute#instanceAggregatedList"))
			Expect(list.Items).To(HaveKey("zones/" + env.Zone))
			Expect(list.Items["zones/"+env.Zone].Instances).To(ContainElement(HaveField("Name", inst.Name)))
		})

		It("is not in the list of another zone", Label("compute.instances.list"), func(ctx SpecContext) {
			skipUnlessSecondZone()
			list, err := svc.Instances.List(env.Project, env.SecondZone).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Items).NotTo(ContainElement(HaveField("Name", inst.Name)))
		})
	})

	It("keeps the id of the operation's targetId", Label("compute.instances.get", "ids"), func(ctx SpecContext) {
		op := insertInstance(ctx, svc, newInstance(env.Name("vm")))
		done, err := framework.Wait(ctx, svc, op)
		Expect(err).NotTo(HaveOccurred())
		inst, err := svc.Instances.Get(env.Project, env.Zone, lastSegment(done.TargetLink)).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(done.TargetId).To(Equal(inst.Id))
		Expect(op.TargetId).To(Or(BeZero(), Equal(inst.Id)))
	}, SpecTimeout(instanceTimeout))

	It("returns 404 notFound for a missing instance", Label("compute.instances.get"), func(ctx SpecContext) {
		_, err := svc.Instances.Get(env.Project, env.Zone, env.Name("missing")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("deletes an instance and its autoDelete boot disk", Label("compute.instances.delete"), func(ctx SpecContext) {
		inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
		Expect(inst.Disks).NotTo(BeEmpty())
		Expect(inst.Disks[0].Boot).To(BeTrue())
		Expect(inst.Disks[0].AutoDelete).To(BeTrue())
		disk := lastSegment(inst.Disks[0].Source)
		if reachesOpenStack() {
			Expect(openStackNames(ctx, "volumes")).To(ContainElement(disk),
				"the boot disk is a Cinder volume named after the disk")
		}

		By("deleting the instance")
		op, err := svc.Instances.Delete(env.Project, env.Zone, inst.Name).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(op.OperationType).To(Equal("delete"))
		_, err = framework.Wait(ctx, svc, op)
		Expect(err).NotTo(HaveOccurred())

		By("checking that the instance and its disk are gone")
		_, err = svc.Instances.Get(env.Project, env.Zone, inst.Name).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		expectDiskGone(ctx, svc, disk)
	}, SpecTimeout(instanceTimeout))

	It("returns 404 notFound for the delete of a missing instance", Label("compute.instances.delete"), func(ctx SpecContext) {
		_, err := svc.Instances.Delete(env.Project, env.Zone, env.Name("missing")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})
})

// expectDiskGone checks that disks.get returns 404 for disk. While disks.get
// returns 501 notImplemented, it checks that the Cinder volume is gone
// instead, on a target that lets specs read the OpenStack.
func expectDiskGone(ctx SpecContext, svc *compute.Service, disk string) {
	_, err := svc.Disks.Get(env.Project, env.Zone, disk).Context(ctx).Do()
	var apiErr *googleapi.Error
	if !errors.As(err, &apiErr) || apiErr.Code != http.StatusNotImplemented {
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		return
	}
	if reachesOpenStack() {
		eventuallyInOpenStack(ctx, func() []string { return openStackNames(ctx, "volumes") }).
			Should(Not(ContainElement(disk)))
	}
}

// metadataValue returns the value of key in md, or "<missing>".
func metadataValue(md *compute.Metadata, key string) string {
	for _, item := range md.Items {
		if item.Key == key && item.Value != nil {
			return *item.Value
		}
	}
	return "<missing>"
}
