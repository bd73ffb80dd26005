package conformance_test

import (
	"errors"
	"net/http"
	"os/exec"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

// Ordered: the specs work on one address and one instance in turn.
// Serial: they change the project's metadata, which every spec shares.
var _ = Describe("gcloud actions", Label("gcloud"), Ordered, Serial, func() {
	var environ []string
	var address, vm, disk string

	BeforeAll(func(ctx SpecContext) {
		if _, err := exec.LookPath("gcloud"); err != nil {
			Skip("needs the gcloud command of the Google Cloud SDK on PATH")
		}
		environ = gcloudEnviron(GinkgoT().TempDir())
		address, vm, disk = env.Name("gaddr"), env.Name("gvm"), env.Name("gdisk")
		svc := newService(ctx)
		DeferCleanup(deleteAddress, svc, address)
		DeferCleanup(deleteDiskIfServed, svc, disk)
		DeferCleanup(deleteInstance, svc, env.Zone, vm, NodeTimeout(instanceTimeout))
	})

	// gcloud runs "gcloud compute ARGS...", expects exit code 0 and returns
	// standard output.
	gcloud := func(args ...string) string {
		cmd := exec.Command("gcloud", append([]string{"compute"}, args...)...)
		cmd.Env = environ
		session, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(session).WithTimeout(gcloudTimeout).Should(gexec.Exit(0),
			"gcloud compute %s failed:\n%s", strings.Join(args, " "), session.Err.Contents())
		return string(session.Out.Contents())
	}

	It("creates an address", Label("compute.addresses.insert", "compute.addresses.get"), func() {
		gcloud("addresses", "create", address, "--region", env.Region)
	})

	It("lists the address as RESERVED", Label("compute.addresses.aggregatedList"), func() {
		out := gcloud("addresses", "list")
		Expect(out).To(MatchRegexp(`(?m)^` + address + `\s.*RESERVED`))
	})

	It("creates an instance with a second disk", Label("compute.instances.insert"), func() {
		args := []string{"instances", "create", vm, "--zone", env.Zone,
			"--create-disk", "name=" + disk + ",size=1GB,auto-delete=yes"}
		if !env.Seeded {
			args = append(args, "--machine-type", env.MachineType,
				"--image-project", env.ImageProject, "--image-family", env.ImageFamily)
		}
		Expect(gcloud(args...)).To(ContainSubstring("RUNNING"))
	})

	It("detaches the disk", Label("compute.instances.detachDisk"), func(ctx SpecContext) {
		gcloud("instances", "detach-disk", vm, "--disk", disk, "--zone", env.Zone)
		Expect(attachedDisk(getInstance(ctx, newService(ctx), vm), disk)).To(BeNil())
	})

	It("attaches the disk", Label("compute.instances.attachDisk"), func(ctx SpecContext) {
		gcloud("instances", "attach-disk", vm, "--disk", disk, "--zone", env.Zone)
		Expect(attachedDisk(getInstance(ctx, newService(ctx), vm), disk)).NotTo(BeNil())
	})

	It("deletes the default access config", Label("compute.instances.deleteAccessConfig"), func(ctx SpecContext) {
		gcloud("instances", "delete-access-config", vm, "--zone", env.Zone, "--access-config-name", "external-nat")
		Expect(natIPs(getInstance(ctx, newService(ctx), vm))).To(BeEmpty())
	})

	It("adds an access config", Label("compute.instances.addAccessConfig"), func(ctx SpecContext) {
		gcloud("instances", "add-access-config", vm, "--zone", env.Zone, "--access-config-name", "my-nat")
		inst := getInstance(ctx, newService(ctx), vm)
		Expect(inst.NetworkInterfaces[0].AccessConfigs).To(ConsistOf(HaveField("Name", "my-nat")))
	})

	It("resets the instance", Label("compute.instances.reset"), func() {
		gcloud("instances", "reset", vm, "--zone", env.Zone)
		Expect(gcloud("instances", "describe", vm, "--zone", env.Zone)).To(ContainSubstring("status: RUNNING"))
	})

	It("adds and removes project metadata", Label("compute.projects.setCommonInstanceMetadata"), func(ctx SpecContext) {
		k, k2 := env.Name("k"), env.Name("k")
		DeferCleanup(gcloud, "project-info", "remove-metadata", "--keys", k+","+k2)
		gcloud("project-info", "add-metadata", "--metadata", k+"=v,"+k2+"=v2")
		project, err := newService(ctx).Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(metadataValue(project.CommonInstanceMetadata, k2)).To(Equal("v2"))

		gcloud("project-info", "remove-metadata", "--keys", k2)
		project, err = newService(ctx).Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(metadataValue(project.CommonInstanceMetadata, k)).To(Equal("v"))
		Expect(metadataValue(project.CommonInstanceMetadata, k2)).To(Equal("<missing>"))
	})

	It("deletes the address", Label("compute.addresses.delete"), func(ctx SpecContext) {
		gcloud("addresses", "delete", address, "--region", env.Region, "--quiet")
		_, err := newService(ctx).Addresses.Get(env.Project, env.Region, address).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})
})

// deleteDiskIfServed deletes a disk unless it is gone or the target does
// not serve disks.delete.
func deleteDiskIfServed(ctx SpecContext, svc *compute.Service, name string) {
	op, err := svc.Disks.Delete(env.Project, env.Zone, name).Context(ctx).Do()
	var apiErr *googleapi.Error
	if isNotFound(err) || (errors.As(err, &apiErr) && apiErr.Code == http.StatusNotImplemented) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	waitDone(ctx, svc, op)
}
