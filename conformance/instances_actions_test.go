package conformance_test

import (
	"fmt"
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Instance actions", Label("instances"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	instancePath := func(name, verb string) string {
		return fmt.Sprintf("projects/%s/zones/%s/instances/%s/%s", env.Project, env.Zone, name, verb)
	}

	It("frees ephemeral IPs and returns reserved addresses on delete",
		Label("compute.instances.insert", "compute.instances.delete", "compute.addresses.get",
			"compute.addresses.delete", "addresses"), func(ctx SpecContext) {
			addr := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})

			By("creating an instance with an ephemeral IP, one with none and one with the address")
			ephemeral := createInstance(ctx, svc, newInstance(env.Name("vm")))
			Expect(natIPs(ephemeral)).To(HaveLen(1))
			Expect(natIPs(ephemeral)[0]).NotTo(BeEmpty())
			bare := newInstance(env.Name("vm"))
			bare.NetworkInterfaces[0].AccessConfigs = nil
			Expect(natIPs(createInstance(ctx, svc, bare))).To(BeEmpty())
			reserved := newInstance(env.Name("vm"))
			reserved.NetworkInterfaces[0].AccessConfigs[0].NatIP = addr.Address
			withAddress := createInstance(ctx, svc, reserved)
			Expect(natIPs(withAddress)).To(Equal([]string{addr.Address}))

			By("checking that the address is IN_USE by the instance")
			inUse := getAddress(ctx, svc, addr.Name)
			Expect(inUse.Status).To(Equal("IN_USE"))
			Expect(inUse.Users).To(Equal([]string{withAddress.SelfLink}))
			_, err := svc.Addresses.Delete(env.Project, env.Region, addr.Name).Context(ctx).Do()
			expectUsedBy(err, instanceResourcePath(withAddress.Name))

			By("deleting the instances")
			deleteInstance(ctx, svc, env.Zone, ephemeral.Name)
			deleteInstance(ctx, svc, env.Zone, withAddress.Name)
			if reachesOpenStack() {
				Expect(openStackNames(ctx, "floatingips")).NotTo(ContainElement(natIPs(ephemeral)[0]))
			}
			released := getAddress(ctx, svc, addr.Name)
			Expect(released.Status).To(Equal("RESERVED"))
			Expect(released.Users).To(BeEmpty())
			Expect(released.Address).To(Equal(addr.Address))
		}, SpecTimeout(instanceTimeout))

	Describe("access configs", Label("compute.instances.addAccessConfig", "compute.instances.deleteAccessConfig"), func() {
		It("adds and deletes an ephemeral and a reserved NAT IP", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			inst.NetworkInterfaces[0].AccessConfigs = nil
			createInstance(ctx, svc, inst)

			By("adding an ephemeral NAT IP")
			op, err := svc.Instances.AddAccessConfig(env.Project, env.Zone, inst.Name, "nic0",
				&compute.AccessConfig{Name: "my-nat", Type: "ONE_TO_ONE_NAT"}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("addAccessConfig"))
			waitDone(ctx, svc, op)
			got := getInstance(ctx, svc, inst.Name)
			Expect(got.NetworkInterfaces[0].AccessConfigs).To(HaveLen(1))
			Expect(got.NetworkInterfaces[0].AccessConfigs[0].Name).To(Equal("my-nat"))
			ephemeralIP := got.NetworkInterfaces[0].AccessConfigs[0].NatIP
			Expect(ephemeralIP).NotTo(BeEmpty())

			By("adding a second one to the same interface")
			_, err = svc.Instances.AddAccessConfig(env.Project, env.Zone, inst.Name, "nic0",
				&compute.AccessConfig{Name: "second", Type: "ONE_TO_ONE_NAT"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))

			By("deleting the ephemeral NAT IP")
			op, err = svc.Instances.DeleteAccessConfig(env.Project, env.Zone, inst.Name, "my-nat", "nic0").Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("deleteAccessConfig"))
			waitDone(ctx, svc, op)
			Expect(getInstance(ctx, svc, inst.Name).NetworkInterfaces[0].AccessConfigs).To(BeEmpty())
			if reachesOpenStack() {
				Expect(openStackNames(ctx, "floatingips")).NotTo(ContainElement(ephemeralIP))
			}

			By("adding a reserved address")
			addr := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})
			op, err = svc.Instances.AddAccessConfig(env.Project, env.Zone, inst.Name, "nic0",
				&compute.AccessConfig{Type: "ONE_TO_ONE_NAT", NatIP: addr.Address}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			got = getInstance(ctx, svc, inst.Name)
			Expect(natIPs(got)).To(Equal([]string{addr.Address}))
			Expect(got.NetworkInterfaces[0].AccessConfigs[0].Name).To(Equal("external-nat"))
			Expect(getAddress(ctx, svc, addr.Name).Users).To(Equal([]string{got.SelfLink}))

			By("deleting it, which returns the address to RESERVED")
			op, err = svc.Instances.DeleteAccessConfig(env.Project, env.Zone, inst.Name, "external-nat", "nic0").Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			Expect(getInstance(ctx, svc, inst.Name).NetworkInterfaces[0].AccessConfigs).To(BeEmpty())
			released := getAddress(ctx, svc, addr.Name)
			Expect(released.Status).To(Equal("RESERVED"))
			Expect(released.Users).To(BeEmpty())
			Expect(released.Address).To(Equal(addr.Address))
		}, SpecTimeout(instanceTimeout))

		// The server releases a floating IP with port_id null. The spec checks
		// that Neutron, the fake or a real one, rejects "" and accepts null.
		It("disassociates with port_id null, which Neutron requires", func(ctx SpecContext) {
			skipUnlessOpenStack()
			addr := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})
			id := floatingIPAt(ctx, addr.Address).ID
			status, body := neutronRequest(ctx, http.MethodPut, "floatingips/"+id,
				map[string]any{"floatingip": map[string]any{"port_id": ""}})
			Expect(status).To(Equal(http.StatusBadRequest), "body: %v", body)
			status, body = neutronRequest(ctx, http.MethodPut, "floatingips/"+id,
				map[string]any{"floatingip": map[string]any{"port_id": nil}})
			Expect(status).To(Equal(http.StatusOK), "body: %v", body)
		})

		It("returns 400 invalid for an unknown access config or interface", func(ctx SpecContext) {
			inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
			_, err := svc.Instances.DeleteAccessConfig(env.Project, env.Zone, inst.Name, "nope", "nic0").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			_, err = svc.Instances.AddAccessConfig(env.Project, env.Zone, inst.Name, "nic7",
				&compute.AccessConfig{Type: "ONE_TO_ONE_NAT"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))

			By("adding an access config whose natIP is not an IPv4 address")
			_, err = svc.Instances.AddAccessConfig(env.Project, env.Zone, inst.Name, "nic0",
				&compute.AccessConfig{Type: "ONE_TO_ONE_NAT", NatIP: "not-an-ip"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.natIP"))
		}, SpecTimeout(instanceTimeout))

		It("returns 404 notFound for a missing instance", func(ctx SpecContext) {
			_, err := svc.Instances.AddAccessConfig(env.Project, env.Zone, env.Name("missing"), "nic0",
				&compute.AccessConfig{Type: "ONE_TO_ONE_NAT"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			_, err = svc.Instances.DeleteAccessConfig(env.Project, env.Zone, env.Name("missing"), "external-nat", "nic0").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	Describe("disks", Label("compute.instances.attachDisk", "compute.instances.detachDisk"), func() {
		It("detaches and attaches a disk, waiting for Cinder", func(ctx SpecContext) {
			disk := env.Name("disk")
			first := newInstance(env.Name("vm"))
			first.Disks = append(first.Disks, blankDisk(disk, "data", false))
			got := createInstance(ctx, svc, first)
			Expect(attachedDisk(got, disk)).NotTo(BeNil())
			Expect(attachedDisk(got, disk).DeviceName).To(Equal("data"))
			second := createInstance(ctx, svc, newInstance(env.Name("vm")))

			By("detaching it with the body libcloud sends")
			status, op := postRaw(ctx, instancePath(first.Name, "detachDisk?deviceName=data"), `"ignored"`)
			Expect(status).To(Equal(http.StatusOK), "body: %v", op)
			Expect(op["operationType"]).To(Equal("detachDisk"))
			waitRawOperation(ctx, svc, op)
			Expect(attachedDisk(getInstance(ctx, svc, first.Name), disk)).To(BeNil())
			if view, ok := diskServed(ctx, svc, disk); ok {
				Expect(view.Status).To(Equal("READY"))
				Expect(view.Users).To(BeEmpty())
			}

			By("attaching it to the second instance")
			attach, err := svc.Instances.AttachDisk(env.Project, env.Zone, second.Name, &compute.AttachedDisk{
				Source: fmt.Sprintf("zones/%s/disks/%s", env.Zone, disk), Mode: "READ_WRITE",
				Type: "PERSISTENT", AutoDelete: true}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(attach.OperationType).To(Equal("attachDisk"))
			Expect(attach.Status).NotTo(Equal("DONE"), "attachDisk is done only when Cinder shows the volume in-use")
			waitDone(ctx, svc, attach)
			att := attachedDisk(getInstance(ctx, svc, second.Name), disk)
			Expect(att).NotTo(BeNil())
			Expect(att.DeviceName).To(Equal("persistent-disk-1"))
			Expect(att.AutoDelete).To(BeTrue())
			if view, ok := diskServed(ctx, svc, disk); ok {
				Expect(view.Users).To(ConsistOf(HaveSuffix("/instances/" + second.Name)))
			}

			By("attaching it to the first instance as well")
			_, err = svc.Instances.AttachDisk(env.Project, env.Zone, first.Name,
				&compute.AttachedDisk{Source: disk}).Context(ctx).Do()
			expectUsedBy(err, instanceResourcePath(second.Name))

			By("deleting the second instance, which deletes the autoDelete disk")
			deleteInstance(ctx, svc, env.Zone, second.Name)
			expectDiskGone(ctx, svc, disk)
		}, SpecTimeout(instanceTimeout))

		It("rejects requests it cannot honour", func(ctx SpecContext) {
			inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
			_, err := svc.Instances.AttachDisk(env.Project, env.Zone, inst.Name,
				&compute.AttachedDisk{Source: env.Name("missing")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			_, err = svc.Instances.AttachDisk(env.Project, env.Zone, inst.Name,
				&compute.AttachedDisk{Source: env.Name("missing"), Mode: "READ_ONLY"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			_, err = svc.Instances.AttachDisk(env.Project, env.Zone, inst.Name, &compute.AttachedDisk{}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "required"))

			By("attaching disks of another project and of another zone")
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			foreign := fmt.Sprintf("projects/%s/zones/%s/disks/%s", otherProject, env.Zone, disk.Name)
			_, err = svc.Instances.AttachDisk(env.Project, env.Zone, inst.Name,
				&compute.AttachedDisk{Source: foreign}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.source"))
			Expect(err.Error()).To(ContainSubstring("Only resources of project '" + env.Project + "'"))
			_, err = svc.Instances.AttachDisk(env.Project, env.Zone, inst.Name,
				&compute.AttachedDisk{Source: "zones/nonexistent-x/disks/" + disk.Name}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("zone '" + env.Zone + "'"))
			_, err = svc.Instances.DetachDisk(env.Project, env.Zone, inst.Name, "nope").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			_, err = svc.Instances.DetachDisk(env.Project, env.Zone, inst.Name, inst.Disks[0].DeviceName).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		}, SpecTimeout(instanceTimeout))

		It("returns 404 notFound for a missing instance", func(ctx SpecContext) {
			_, err := svc.Instances.AttachDisk(env.Project, env.Zone, env.Name("missing"),
				&compute.AttachedDisk{Source: "d"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			_, err = svc.Instances.DetachDisk(env.Project, env.Zone, env.Name("missing"), "d").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	Describe("insert with several disks", Label("compute.instances.insert"), func() {
		It("boots from existing disks and makes new ones", Label("compute.instances.detachDisk", "compute.instances.delete"), func(ctx SpecContext) {
			bootDisk, dataDisk, newDisk := env.Name("disk"), env.Name("disk"), env.Name("disk")

			By("making an image disk and a blank disk with a first instance")
			maker := newInstance(env.Name("vm"))
			maker.Disks = append(maker.Disks,
				&compute.AttachedDisk{DeviceName: "image", InitializeParams: &compute.AttachedDiskInitializeParams{
					DiskName: bootDisk, SourceImage: imageFamilyPath()}},
				blankDisk(dataDisk, "blank", false))
			made := createInstance(ctx, svc, maker)
			Expect(made.Disks).To(HaveLen(3))
			Expect(attachedDisk(made, bootDisk).DeviceName).To(Equal("image"))
			Expect(attachedDisk(made, bootDisk).Boot).To(BeFalse())
			Expect(attachedDisk(made, dataDisk).DeviceName).To(Equal("blank"))
			for _, device := range []string{"image", "blank"} {
				waitDone(ctx, svc, detach(ctx, svc, maker.Name, device))
			}
			deleteInstance(ctx, svc, env.Zone, maker.Name)

			By("booting a second instance from the image disk, with the blank disk and a new one")
			inst := newInstance(env.Name("vm"))
			inst.Disks = []*compute.AttachedDisk{
				{Boot: true, AutoDelete: true, Source: fmt.Sprintf("zones/%s/disks/%s", env.Zone, bootDisk)},
				{AutoDelete: true, Source: env.URL(fmt.Sprintf("projects/%s/zones/%s/disks/%s", env.Project, env.Zone, dataDisk))},
				blankDisk(newDisk, "", true),
			}
			got := createInstance(ctx, svc, inst)
			Expect(got.Status).To(Equal("RUNNING"))
			Expect(got.Disks).To(HaveLen(3))
			Expect(attachedDisk(got, bootDisk).Boot).To(BeTrue())
			Expect(attachedDisk(got, dataDisk).DeviceName).To(Equal("persistent-disk-1"))
			Expect(attachedDisk(got, newDisk).DeviceName).To(Equal("persistent-disk-2"))
			if reachesOpenStack() {
				Expect(openStackNames(ctx, "volumes")).To(ContainElement(newDisk),
					"the new disk is a Cinder volume named after the disk")
			}

			By("deleting it with its autoDelete disks")
			deleteInstance(ctx, svc, env.Zone, inst.Name)
			for _, disk := range []string{bootDisk, dataDisk, newDisk} {
				expectDiskGone(ctx, svc, disk)
			}
		}, SpecTimeout(instanceTimeout))

		It("returns 400 for a duplicate device name and 404 for a missing source disk", func(ctx SpecContext) {
			inst := newInstance(env.Name("vm"))
			inst.Disks = append(inst.Disks, blankDisk(env.Name("disk"), "persistent-disk-0", true))
			_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			inst.Disks[1] = &compute.AttachedDisk{Source: env.Name("missing")}
			_, err = svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	Describe("reset", Label("compute.instances.reset"), func() {
		It("hard reboots the instance back to RUNNING", func(ctx SpecContext) {
			inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
			op, err := svc.Instances.Reset(env.Project, env.Zone, inst.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("reset"))
			Expect(op.TargetLink).To(Equal(inst.SelfLink))
			waitDone(ctx, svc, op)
			Expect(getInstance(ctx, svc, inst.Name).Status).To(Equal("RUNNING"))

			By("resetting it with the body libcloud sends")
			status, raw := postRaw(ctx, instancePath(inst.Name, "reset"), `"ignored"`)
			Expect(status).To(Equal(http.StatusOK), "body: %v", raw)
			waitRawOperation(ctx, svc, raw)
			Expect(getInstance(ctx, svc, inst.Name).Status).To(Equal("RUNNING"))
		}, SpecTimeout(instanceTimeout))

		It("returns 404 notFound for a missing instance", func(ctx SpecContext) {
			_, err := svc.Instances.Reset(env.Project, env.Zone, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})
})

// detach starts detaching the disk at deviceName from an instance.
func detach(ctx SpecContext, svc *compute.Service, instance, deviceName string) *compute.Operation {
	op, err := svc.Instances.DetachDisk(env.Project, env.Zone, instance, deviceName).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	return op
}
