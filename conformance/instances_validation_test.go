package conformance_test

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Instance insert validation", Label("instances", "compute.instances.insert"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	rejects := func(ctx SpecContext, inst *compute.Instance, messagePart string) {
		_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		Expect(err.Error()).To(ContainSubstring(messagePart))
		_, err = svc.Instances.Get(env.Project, env.Zone, inst.Name).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "a rejected insert left instance %s behind", inst.Name)
	}

	DescribeTable("rejects fields OpenStack cannot honour",
		func(ctx SpecContext, field string, set func(*compute.Instance)) {
			inst := newInstance(env.Name("unsup"))
			set(inst)
			rejects(ctx, inst, field)
		},
		Entry("guest accelerators", "guestAccelerators", func(i *compute.Instance) {
			i.GuestAccelerators = []*compute.AcceleratorConfig{{AcceleratorCount: 1, AcceleratorType: "nvidia-tesla-t4"}}
		}),
		Entry("a minimum CPU platform", "minCpuPlatform", func(i *compute.Instance) { i.MinCpuPlatform = "Intel Skylake" }),
		Entry("a hostname", "hostname", func(i *compute.Instance) { i.Hostname = "vm.example.internal" }),
		Entry("IP forwarding", "canIpForward", func(i *compute.Instance) { i.CanIpForward = true }),
		Entry("shielded VM settings", "shieldedInstanceConfig", func(i *compute.Instance) {
			i.ShieldedInstanceConfig = &compute.ShieldedInstanceConfig{EnableSecureBoot: true}
		}),
		Entry("a preemptible server", "scheduling", func(i *compute.Instance) {
			i.Scheduling = &compute.Scheduling{Preemptible: true}
		}),
		Entry("a subnetwork", "subnetwork", func(i *compute.Instance) {
			i.NetworkInterfaces[0].Subnetwork = "regions/" + env.Region + "/subnetworks/default"
		}),
	)

	It("rejects a network of another project", func(ctx SpecContext) {
		inst := newInstance(env.Name("xproj"))
		inst.NetworkInterfaces[0].Network = "projects/other-project/global/networks/default"
		rejects(ctx, inst, "other-project")
	})

	It("rejects a networkIP outside the network's range", func(ctx SpecContext) {
		inst := newInstance(env.Name("badip"))
		inst.NetworkInterfaces[0].NetworkIP = "192.0.2.10"
		rejects(ctx, inst, "networkIP")
	})

	It("rejects the network and broadcast addresses as networkIP", func(ctx SpecContext) {
		for _, ip := range []string{"10.240.0.0", "10.240.255.255"} {
			inst := newInstance(env.Name("edgeip"))
			inst.NetworkInterfaces[0].NetworkIP = ip
			rejects(ctx, inst, "broadcast")
		}
	})

	It("rejects a networkIP that the network's router or an instance has", func(ctx SpecContext) {
		inst := newInstance(env.Name("gwip"))
		inst.NetworkInterfaces[0].NetworkIP = "10.240.0.1"
		_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
		Expect(err.Error()).To(ContainSubstring("router"))

		first := newInstance(env.Name("ipowner"))
		first.NetworkInterfaces[0].NetworkIP = "10.240.0.201"
		owner := createInstance(ctx, svc, first)
		second := newInstance(env.Name("ipthief"))
		second.NetworkInterfaces[0].NetworkIP = "10.240.0.201"
		_, err = svc.Instances.Insert(env.Project, env.Zone, second).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
		Expect(err.Error()).To(ContainSubstring("/instances/" + owner.Name))
	}, SpecTimeout(instanceTimeout))

	It("rejects an instance without a network interface", func(ctx SpecContext) {
		inst := newInstance(env.Name("nonic"))
		inst.NetworkInterfaces = nil
		_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "required"))
		Expect(err.Error()).To(ContainSubstring("resource.networkInterfaces"))
	})

	It("rejects two boot disks", func(ctx SpecContext) {
		inst := newInstance(env.Name("twoboot"))
		inst.Disks = append(inst.Disks, &compute.AttachedDisk{Boot: true, AutoDelete: true,
			InitializeParams: &compute.AttachedDiskInitializeParams{SourceImage: imageFamilyPath()}})
		rejects(ctx, inst, "boot disk")
	})

	It("rejects a boot disk that another instance uses", func(ctx SpecContext) {
		first := createInstance(ctx, svc, newInstance(env.Name("owner")))
		inst := newInstance(env.Name("borrow"))
		inst.Disks = []*compute.AttachedDisk{{Boot: true, Source: first.Disks[0].Source}}
		_, err := svc.Instances.Insert(env.Project, env.Zone, inst).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
		Expect(err.Error()).To(ContainSubstring("is already being used by"))
		Expect(err.Error()).To(ContainSubstring("/instances/" + first.Name))
	}, SpecTimeout(instanceTimeout))

	It("rejects metadata with duplicate keys", func(ctx SpecContext) {
		inst := newInstance(env.Name("dupmd"))
		v := "x"
		inst.Metadata = &compute.Metadata{Items: []*compute.MetadataItems{{Key: "k", Value: &v}, {Key: "k", Value: &v}}}
		rejects(ctx, inst, "unique")
	})

	It("rejects a metadata key with spaces", func(ctx SpecContext) {
		inst := newInstance(env.Name("badmd"))
		v := "x"
		inst.Metadata = &compute.Metadata{Items: []*compute.MetadataItems{{Key: "bad key!", Value: &v}}}
		rejects(ctx, inst, "metadata")
	})

	It("rejects a description longer than 2048 characters", func(ctx SpecContext) {
		inst := newInstance(env.Name("longdesc"))
		inst.Description = strings.Repeat("d", 2049)
		rejects(ctx, inst, "description")
	})

	It("rejects a null network interface with 400", func(ctx SpecContext) {
		name := env.Name("nullnic")
		body := `{"name":"` + name + `","machineType":"zones/` + env.Zone + `/machineTypes/` + env.MachineType +
			`","disks":[{"boot":true,"initializeParams":{"sourceImage":"` + imageFamilyPath() + `"}}],"networkInterfaces":[null]}`
		res, err := env.Do(ctx, http.MethodPost, env.URL("projects/"+env.Project+"/zones/"+env.Zone+"/instances"),
			bytes.NewBufferString(body), true)
		Expect(err).NotTo(HaveOccurred())
		Expect(res.Status).To(Equal(http.StatusBadRequest))
		envelope, err := framework.ParseEnvelope(res.Body)
		Expect(err).NotTo(HaveOccurred())
		Expect(envelope.Error.Errors[0].Reason).To(Equal("invalid"))
	})

	It("gives the instance the networkIP it asks for", func(ctx SpecContext) {
		inst := newInstance(env.Name("fixedip"))
		inst.NetworkInterfaces[0].NetworkIP = "10.240.0.200"
		got := createInstance(ctx, svc, inst)
		Expect(got.NetworkInterfaces).To(HaveLen(1))
		Expect(got.NetworkInterfaces[0].NetworkIP).To(Equal("10.240.0.200"))
	}, SpecTimeout(instanceTimeout))
})
