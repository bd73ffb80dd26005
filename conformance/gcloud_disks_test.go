package conformance_test

import (
	"os/exec"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// Ordered: the specs create a disk, snapshot and image it, then delete
// them in turn.
var _ = Describe("gcloud disks", Label("gcloud", "disks"), Ordered, func() {
	var environ []string
	var disk, snapshot, image string

	BeforeAll(func(ctx SpecContext) {
		if _, err := exec.LookPath("gcloud"); err != nil {
			Skip("needs the gcloud command of the Google Cloud SDK on PATH")
		}
		environ = gcloudEnviron(GinkgoT().TempDir())
		disk, snapshot, image = env.Name("gd"), env.Name("gs"), env.Name("gi")
		svc := newService(ctx)
		DeferCleanup(removeDisk, svc, env.Zone, disk, NodeTimeout(diskTimeout))
		DeferCleanup(removeSnapshot, svc, snapshot, NodeTimeout(diskTimeout))
		DeferCleanup(removeImage, svc, image, NodeTimeout(diskTimeout))
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

	It("creates a disk", Label("compute.disks.insert", "compute.disks.get"), func() {
		out := gcloud("disks", "create", disk, "--size", "10GB", "--zone", env.Zone)
		Expect(out).To(ContainSubstring(disk))
		Expect(out).To(ContainSubstring("READY"))
	})

	It("lists the disk", Label("compute.disks.aggregatedList"), func() {
		out := gcloud("disks", "list")
		Expect(out).To(ContainSubstring(disk))
		Expect(out).To(ContainSubstring("pd-standard"))
	})

	It("snapshots the disk", Label("compute.disks.createSnapshot", "compute.snapshots.get"), func() {
		gcloud("disks", "snapshot", disk, "--snapshot-names", snapshot, "--zone", env.Zone)
		Expect(gcloud("snapshots", "describe", snapshot)).To(ContainSubstring("status: READY"))
	})

	It("lists the snapshot", Label("compute.snapshots.list"), func() {
		out := gcloud("snapshots", "list")
		Expect(out).To(ContainSubstring(snapshot))
		Expect(out).To(ContainSubstring(disk))
	})

	It("creates an image from the disk", Label("compute.images.insert", "compute.images.get"), func() {
		out := gcloud("images", "create", image, "--source-disk", disk, "--source-disk-zone", env.Zone)
		Expect(out).To(ContainSubstring(image))
		Expect(out).To(ContainSubstring("READY"))
	})

	It("deletes the image", Label("compute.images.delete"), func(ctx SpecContext) {
		gcloud("images", "delete", image, "--quiet")
		_, err := newService(ctx).Images.Get(env.Project, image).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	})

	It("deletes the snapshot", Label("compute.snapshots.delete"), func(ctx SpecContext) {
		gcloud("snapshots", "delete", snapshot, "--quiet")
		_, err := newService(ctx).Snapshots.Get(env.Project, snapshot).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	})

	It("deletes the disk", Label("compute.disks.delete"), func(ctx SpecContext) {
		gcloud("disks", "delete", disk, "--zone", env.Zone, "--quiet")
		_, err := newService(ctx).Disks.Get(env.Project, env.Zone, disk).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	})
})
