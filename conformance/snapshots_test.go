package conformance_test

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Snapshots", Label("snapshots"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("createSnapshot", Label("compute.disks.createSnapshot"), func() {
		It("snapshots a disk with a zonal operation that targets the disk", Label("compute.snapshots.get"), func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 2})
			name := env.Name("s")
			op, err := svc.Disks.CreateSnapshot(env.Project, env.Zone, disk.Name,
				&compute.Snapshot{Name: name, Description: "nightly"}).GuestFlush(false).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(removeSnapshot, svc, name, NodeTimeout(diskTimeout))
			Expect(op.OperationType).To(Equal("createSnapshot"))
			Expect(op.Zone).To(HaveSuffix("/zones/" + env.Zone))
			Expect(op.TargetLink).To(Equal(disk.SelfLink))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())

			snap, err := svc.Snapshots.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(snap.Kind).To(Equal("compute#snapshot"))
			Expect(snap.Status).To(Equal("READY"))
			Expect(snap.DiskSizeGb).To(Equal(int64(2)))
			Expect(snap.StorageBytes).To(BeNumerically(">", 0))
			Expect(snap.Description).To(Equal("nightly"))
			Expect(snap.SourceDisk).To(Equal(disk.SelfLink))
			Expect(snap.SourceDiskId).To(Equal(strconv.FormatUint(disk.Id, 10)))
			Expect(snap.SelfLink).To(HaveSuffix("/projects/" + env.Project + "/global/snapshots/" + name))
			Expect(snap.CreationTimestamp).NotTo(BeEmpty())
			Expect(snap.Id).NotTo(BeZero())
		}, SpecTimeout(diskTimeout))

		It("returns 409 alreadyExists for a second snapshot of one name", func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			snap := makeSnapshot(ctx, svc, disk.Name, env.Name("s"))
			_, err := svc.Disks.CreateSnapshot(env.Project, env.Zone, disk.Name,
				&compute.Snapshot{Name: snap.Name}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		}, SpecTimeout(diskTimeout))

		It("returns 404 notFound for a missing disk", func(ctx SpecContext) {
			_, err := svc.Disks.CreateSnapshot(env.Project, env.Zone, env.Name("missing"),
				&compute.Snapshot{Name: env.Name("s")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 400 invalid for an invalid snapshot name", func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			_, err := svc.Disks.CreateSnapshot(env.Project, env.Zone, disk.Name,
				&compute.Snapshot{Name: "Bad_Name"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		}, SpecTimeout(diskTimeout))

		It("returns 400 invalid for a long description or a long label", func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			_, err := svc.Disks.CreateSnapshot(env.Project, env.Zone, disk.Name, &compute.Snapshot{
				Name: env.Name("s"), Description: strings.Repeat("d", 2049)}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))

			_, err = svc.Disks.CreateSnapshot(env.Project, env.Zone, disk.Name, &compute.Snapshot{
				Name: env.Name("s"), Labels: map[string]string{"k" + strings.Repeat("x", 63): "v"}}).
				Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("'resource.labels'"))
		}, SpecTimeout(diskTimeout))
	})

	It("returns 404 notFound for a missing snapshot", Label("compute.snapshots.get"), func(ctx SpecContext) {
		_, err := svc.Snapshots.Get(env.Project, env.Name("missing")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("filters the list by name", Label("compute.snapshots.list"), func(ctx SpecContext) {
		disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
		var names []string
		for range 3 {
			names = append(names, makeSnapshot(ctx, svc, disk.Name, env.Name("s")).Name)
		}
		list, err := svc.Snapshots.List(env.Project).Filter(nameFilter(names[2])).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#snapshotList"))
		Expect(list.Items).To(HaveLen(1))
		Expect(list.Items[0].Name).To(Equal(names[2]))

		all, err := svc.Snapshots.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		for _, name := range names {
			Expect(all.Items).To(ContainElement(HaveField("Name", name)))
		}
	}, SpecTimeout(diskTimeout))

	Describe("delete", Label("compute.snapshots.delete"), func() {
		It("deletes a snapshot and frees its name", func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			snap := makeSnapshot(ctx, svc, disk.Name, env.Name("s"))
			op, err := svc.Snapshots.Delete(env.Project, snap.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			Expect(op.Zone).To(BeEmpty())
			Expect(op.TargetLink).To(Equal(snap.SelfLink))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Snapshots.Get(env.Project, snap.Name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))

			By("taking a snapshot of the same name again")
			again := makeSnapshot(ctx, svc, disk.Name, snap.Name)
			Expect(again.Status).To(Equal("READY"))
		}, SpecTimeout(diskTimeout))

		It("returns 404 notFound for a missing snapshot", func(ctx SpecContext) {
			_, err := svc.Snapshots.Delete(env.Project, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})
})
