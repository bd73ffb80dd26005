package conformance_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
	compute "google.golang.org/api/compute/v1"
)

// scenarioRange is the IPv4 range of the scenario's legacy network, which
// no other spec uses.
const scenarioRange = "10.246.0.0/16"

// scenarioKinds are the kinds of the fake's inventory that the scenario
// creates objects of, directly or through the server.
var scenarioKinds = []string{"servers", "volumes", "floatingips", "ports",
	"security-groups", "routers", "networks", "subnets", "images"}

// The scenario walks one project through the life of a small deployment.
// It makes an image, two disks, a network with a firewall, an instance from
// the disks and a reserved address attached to it, resets the instance and
// deletes everything in reverse order. Its steps depend on each other, so
// the container is Ordered. One cleanup, registered before the first step,
// deletes whatever a failed step leaves.
var _ = Describe("End-to-end scenario", Ordered, Label("scenario"), func() {
	var (
		svc                               *compute.Service
		image, bootDisk, dataDisk         string
		network, firewall, instance       string
		address                           string
		inventoryBefore                   map[string][]string
		natIP, instanceLink               string
		bootDiskLink, dataDiskLink        string
		networkLink                       string
		imageLink, firewallLink, zoneLink string
	)

	BeforeAll(func(ctx SpecContext) {
		svc = newService(ctx)
		image, bootDisk, dataDisk = env.Name("img"), env.Name("boot"), env.Name("data")
		network, firewall = env.Name("net"), env.Name("fw")
		instance, address = env.Name("vm"), env.Name("addr")
		if env.Fake != nil {
			inventoryBefore = env.Fake.Cloud.Inventory()
		}
		DeferCleanup(func(ctx SpecContext) {
			deleteInstance(ctx, svc, env.Zone, instance)
			deleteAddress(ctx, svc, address)
			removeDisk(ctx, svc, env.Zone, dataDisk)
			removeDisk(ctx, svc, env.Zone, bootDisk)
			deleteGlobal(ctx, "firewalls", firewall)
			deleteGlobal(ctx, "networks", network)
			removeImage(ctx, svc, image)
		}, NodeTimeout(2*instanceTimeout))
	})

	It("reads the zone, region, machine type and project", Label("compute.zones.get",
		"compute.regions.get", "compute.machineTypes.get", "compute.projects.get"), func(ctx SpecContext) {
		zone, err := svc.Zones.Get(env.Project, env.Zone).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(zone.Status).To(Equal("UP"))
		Expect(zone.Region).To(HaveSuffix("/regions/" + env.Region))
		zoneLink = zone.SelfLink

		region, err := svc.Regions.Get(env.Project, env.Region).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(region.Zones).To(ContainElement(zone.SelfLink))

		machineType, err := svc.MachineTypes.Get(env.Project, env.Zone, env.MachineType).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(machineType.GuestCpus).To(BeNumerically(">", 0))
		Expect(machineType.MemoryMb).To(BeNumerically(">", 0))

		project, err := svc.Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(project.Name).To(Equal(env.Project))
	})

	It("creates a bootable disk from the image family and an empty disk",
		Label("compute.disks.insert", "compute.disks.get"), func(ctx SpecContext) {
			family := sourceImageFamily(ctx, svc)
			boot, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: bootDisk}).
				SourceImage(imageFamilyPath()).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			empty, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: dataDisk, SizeGb: 1}).
				Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, boot)
			waitDone(ctx, svc, empty)

			got, err := svc.Disks.Get(env.Project, env.Zone, bootDisk).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Status).To(Equal("READY"))
			Expect(got.SourceImage).To(Equal(family.SelfLink))
			bootDiskLink = got.SelfLink
			got, err = svc.Disks.Get(env.Project, env.Zone, dataDisk).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Status).To(Equal("READY"))
			Expect(got.SizeGb).To(Equal(int64(1)))
			Expect(got.SourceImage).To(BeEmpty())
			dataDiskLink = got.SelfLink
		}, SpecTimeout(diskTimeout))

	It("creates an image", Label("compute.images.insert", "compute.images.get"), func(ctx SpecContext) {
		request := &compute.Image{Name: image, Description: "end-to-end scenario"}
		if env.Fake != nil {
			By("importing it from a URL of a file server on 127.0.0.1")
			files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Write(make([]byte, 4096))
			}))
			DeferCleanup(files.Close)
			request.RawDisk = &compute.ImageRawDisk{Source: files.URL + "/disk.raw"}
		} else {
			By("copying the empty disk")
			request.SourceDisk = dataDiskLink
		}
		op, err := svc.Images.Insert(env.Project, request).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		got, err := svc.Images.Get(env.Project, image).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(got.Status).To(Equal("READY"))
		Expect(got.Description).To(Equal("end-to-end scenario"))
		imageLink = got.SelfLink
		if reachesOpenStack() {
			Expect(openStackNames(ctx, "images")).To(ContainElement(image),
				"the image is a Glance image named after the image")
		}
	}, SpecTimeout(diskTimeout))

	It("creates a legacy network and a firewall for tcp 22, 80 and 8080-8089",
		Label("compute.networks.insert", "compute.networks.get", "compute.firewalls.insert",
			"compute.firewalls.get"), func(ctx SpecContext) {
			op, err := svc.Networks.Insert(env.Project, &compute.Network{Name: network,
				IPv4Range: scenarioRange}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			got, err := svc.Networks.Get(env.Project, network).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.IPv4Range).To(Equal(scenarioRange))
			Expect(got.GatewayIPv4).To(Equal("10.246.0.1"))
			networkLink = got.SelfLink

			op, err = svc.Firewalls.Insert(env.Project, &compute.Firewall{Name: firewall,
				Network: networkLink, SourceRanges: []string{"0.0.0.0/0"},
				Allowed: []*compute.FirewallAllowed{{IPProtocol: "tcp",
					Ports: []string{"22", "80", "8080-8089"}}}}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			fw, err := svc.Firewalls.Get(env.Project, firewall).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(fw.Network).To(Equal(networkLink))
			Expect(fw.Allowed).To(HaveLen(1))
			Expect(fw.Allowed[0].IPProtocol).To(Equal("tcp"))
			Expect(fw.Allowed[0].Ports).To(ConsistOf("22", "80", "8080-8089"))
			firewallLink = fw.SelfLink
		})

	It("starts an instance from both disks with ssh-keys metadata",
		Label("compute.instances.insert", "compute.instances.get"), func(ctx SpecContext) {
			keys := "scenario:" + newSSHKey()
			op, err := svc.Instances.Insert(env.Project, env.Zone, &compute.Instance{
				Name:        instance,
				MachineType: fmt.Sprintf("zones/%s/machineTypes/%s", env.Zone, env.MachineType),
				Disks: []*compute.AttachedDisk{
					{Boot: true, Source: bootDiskLink, DeviceName: "vda"},
					{Source: dataDiskLink, DeviceName: "vdb"},
				},
				NetworkInterfaces: []*compute.NetworkInterface{{Network: networkLink}},
				Metadata:          &compute.Metadata{Items: metadataItems("ssh-keys", keys)},
			}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)

			got := getInstance(ctx, svc, instance)
			instanceLink = got.SelfLink
			Expect(got.Status).To(Equal("RUNNING"))
			Expect(got.Zone).To(Equal(zoneLink))
			Expect(got.NetworkInterfaces).To(HaveLen(1))
			Expect(got.NetworkInterfaces[0].Network).To(Equal(networkLink))
			Expect(got.NetworkInterfaces[0].NetworkIP).To(HavePrefix("10.246."))
			Expect(got.NetworkInterfaces[0].AccessConfigs).To(BeEmpty())
			Expect(metadataValue(got.Metadata, "ssh-keys")).To(Equal(keys))
			Expect(got.Disks).To(HaveLen(2))
			Expect(attachedDisk(got, bootDisk)).NotTo(BeNil())
			Expect(attachedDisk(got, bootDisk).DeviceName).To(Equal("vda"))
			Expect(attachedDisk(got, bootDisk).Boot).To(BeTrue())
			Expect(attachedDisk(got, dataDisk)).NotTo(BeNil())
			Expect(attachedDisk(got, dataDisk).DeviceName).To(Equal("vdb"))
			Expect(attachedDisk(got, dataDisk).Boot).To(BeFalse())
		}, SpecTimeout(instanceTimeout))

	It("lists the instance as the user of both disks", Label("compute.disks.get"), func(ctx SpecContext) {
		for _, disk := range []string{bootDisk, dataDisk} {
			got, err := svc.Disks.Get(env.Project, env.Zone, disk).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Users).To(Equal([]string{instanceLink}), "users of disk %s", disk)
		}
	})

	It("reserves an address and attaches it with addAccessConfig",
		Label("compute.addresses.insert", "compute.addresses.get",
			"compute.instances.addAccessConfig"), func(ctx SpecContext) {
			op, err := svc.Addresses.Insert(env.Project, env.Region, &compute.Address{Name: address}).
				Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			reserved := getAddress(ctx, svc, address)
			Expect(reserved.Status).To(Equal("RESERVED"))
			natIP = reserved.Address

			op, err = svc.Instances.AddAccessConfig(env.Project, env.Zone, instance, "nic0",
				&compute.AccessConfig{Name: "external-nat", Type: "ONE_TO_ONE_NAT", NatIP: natIP}).
				Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			Expect(natIPs(getInstance(ctx, svc, instance))).To(Equal([]string{natIP}))
			inUse := getAddress(ctx, svc, address)
			Expect(inUse.Status).To(Equal("IN_USE"))
			Expect(inUse.Users).To(Equal([]string{instanceLink}))
		}, SpecTimeout(instanceTimeout))

	It("resets the instance", Label("compute.instances.reset"), func(ctx SpecContext) {
		op, err := svc.Instances.Reset(env.Project, env.Zone, instance).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		got := getInstance(ctx, svc, instance)
		Expect(got.Status).To(Equal("RUNNING"))
		Expect(natIPs(got)).To(Equal([]string{natIP}))
	}, SpecTimeout(instanceTimeout))

	It("deletes the access config and the address", Label("compute.instances.deleteAccessConfig",
		"compute.addresses.delete"), func(ctx SpecContext) {
		op, err := svc.Instances.DeleteAccessConfig(env.Project, env.Zone, instance, "external-nat", "nic0").
			Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		Expect(getInstance(ctx, svc, instance).NetworkInterfaces[0].AccessConfigs).To(BeEmpty())
		released := getAddress(ctx, svc, address)
		Expect(released.Status).To(Equal("RESERVED"))
		Expect(released.Users).To(BeEmpty())

		op, err = svc.Addresses.Delete(env.Project, env.Region, address).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		_, err = svc.Addresses.Get(env.Project, env.Region, address).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	}, SpecTimeout(instanceTimeout))

	It("deletes the instance, which keeps its disks", Label("compute.instances.delete"), func(ctx SpecContext) {
		op, err := svc.Instances.Delete(env.Project, env.Zone, instance).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		_, err = svc.Instances.Get(env.Project, env.Zone, instance).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		for _, disk := range []string{bootDisk, dataDisk} {
			got, err := svc.Disks.Get(env.Project, env.Zone, disk).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred(), "disk %s without autoDelete outlives the instance", disk)
			Expect(got.Users).To(BeEmpty())
		}
	}, SpecTimeout(instanceTimeout))

	It("deletes the disks, firewall, network and image", Label("compute.disks.delete",
		"compute.firewalls.delete", "compute.networks.delete", "compute.images.delete"), func(ctx SpecContext) {
		for _, disk := range []string{dataDisk, bootDisk} {
			op, err := svc.Disks.Delete(env.Project, env.Zone, disk).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			waitDone(ctx, svc, op)
			_, err = svc.Disks.Get(env.Project, env.Zone, disk).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		}
		op, err := svc.Firewalls.Delete(env.Project, firewall).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(op.TargetLink).To(Equal(firewallLink))
		waitDone(ctx, svc, op)
		_, err = svc.Firewalls.Get(env.Project, firewall).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))

		op, err = svc.Networks.Delete(env.Project, network).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(op.TargetLink).To(Equal(networkLink))
		waitDone(ctx, svc, op)
		_, err = svc.Networks.Get(env.Project, network).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))

		op, err = svc.Images.Delete(env.Project, image).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(op.TargetLink).To(Equal(imageLink))
		waitDone(ctx, svc, op)
		_, err = svc.Images.Get(env.Project, image).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	}, SpecTimeout(instanceTimeout))

	It("leaves none of its objects in the OpenStack", func(ctx SpecContext) {
		skipUnlessOpenStack()
		expectGone := func(kind string, matcher types.GomegaMatcher) {
			eventuallyInOpenStack(ctx, func() []string { return openStackNames(ctx, kind) }).
				ShouldNot(matcher, "OpenStack %s", kind)
		}
		expectGone("servers", ContainElement(instance))
		expectGone("volumes", ContainElement(BeElementOf(bootDisk, dataDisk)))
		expectGone("floatingips", ContainElement(natIP))
		expectGone("security-groups", ContainElement(BeElementOf(firewall, network+".egress")))
		expectGone("routers", ContainElement(network))
		expectGone("networks", ContainElement(network))
		expectGone("subnets", ContainElement(network))
		expectGone("images", ContainElement(image))
	})

	It("leaves the fake's inventory as it was before the scenario", Label(framework.FakeOnlyLabel),
		func(ctx SpecContext) {
			env.FakeOnly("the spec compares the whole inventory of the in-memory OpenStack, " +
				"which no other process of the run changes, with the inventory before the scenario")
			// Only objects beyond the inventory before the scenario count,
			// because a deletion of an earlier spec may still complete meanwhile.
			Eventually(func() []string {
				leaked, _ := framework.InventoryDiff(
					selectKinds(inventoryBefore), selectKinds(env.Fake.Cloud.Inventory()), nil)
				return leaked
			}).WithContext(ctx).Should(BeEmpty(), "objects beyond the inventory before the scenario")
		})
})

// selectKinds returns the scenarioKinds entries of an inventory.
func selectKinds(inventory map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, kind := range scenarioKinds {
		out[kind] = inventory[kind]
	}
	return out
}
