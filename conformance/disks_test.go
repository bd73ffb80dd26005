package conformance_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
)

var _ = Describe("Disks", Label("disks"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("insert", Label("compute.disks.insert"), func() {
		It("creates an empty disk of the default size", func(ctx SpecContext) {
			name := env.Name("d")
			op := insertDiskOp(ctx, svc, &compute.Disk{Name: name})
			Expect(op.OperationType).To(Equal("insert"))
			Expect(op.TargetLink).To(HaveSuffix("/zones/" + env.Zone + "/disks/" + name))
			Expect(op.Zone).To(HaveSuffix("/zones/" + env.Zone))
			_, err := framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())

			disk, err := svc.Disks.Get(env.Project, env.Zone, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(disk.Kind).To(Equal("compute#disk"))
			Expect(disk.SizeGb).To(Equal(int64(10)))
			Expect(disk.Status).To(Equal("READY"))
			Expect(disk.Type).To(HaveSuffix("/zones/" + env.Zone + "/diskTypes/pd-standard"))
			Expect(disk.Zone).To(HaveSuffix("/zones/" + env.Zone))
			Expect(disk.SelfLink).To(HaveSuffix("/projects/" + env.Project + "/zones/" + env.Zone + "/disks/" + name))
			Expect(disk.CreationTimestamp).NotTo(BeEmpty())
			Expect(disk.Id).NotTo(BeZero())
			Expect(disk.Users).To(BeEmpty())
		}, SpecTimeout(diskTimeout))

		It("creates disks of the requested sizes", func(ctx SpecContext) {
			for _, size := range []int64{1, 2} {
				disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: size})
				Expect(disk.SizeGb).To(Equal(size))
				Expect(disk.Status).To(Equal("READY"))
			}
		}, SpecTimeout(diskTimeout))

		It("creates a disk from an image family", func(ctx SpecContext) {
			image := sourceImageFamily(ctx, svc)
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SourceImage: imageFamilyPath(),
				Description: "from an image", Labels: map[string]string{"env": "conformance"}})
			Expect(disk.SourceImage).To(HaveSuffix("/projects/" + env.ImageProject + "/global/images/" + image.Name))
			Expect(disk.SourceImageId).To(Equal(strconv.FormatUint(image.Id, 10)))
			Expect(disk.SizeGb).To(Equal(image.DiskSizeGb))
			Expect(disk.Description).To(Equal("from an image"))
			Expect(disk.Labels).To(Equal(map[string]string{"env": "conformance"}))
			Expect(disk.LabelFingerprint).NotTo(BeEmpty())
		}, SpecTimeout(diskTimeout))

		It("takes sourceImage from the query and echoes the disk type", func(ctx SpecContext) {
			image := sourceImageFamily(ctx, svc)
			name := env.Name("d")
			view := env.URL(fmt.Sprintf("projects/%s/zones/-/imageFamilyViews/%s", env.ImageProject, env.ImageFamily))
			diskType := env.URL(fmt.Sprintf("projects/%s/zones/%s/diskTypes/pd-ssd", env.Project, env.Zone))
			op, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: name, Type: diskType,
				SizeGb: image.DiskSizeGb + 1}).SourceImage(view).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(removeDisk, svc, env.Zone, name, NodeTimeout(diskTimeout))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			disk, err := svc.Disks.Get(env.Project, env.Zone, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(disk.SourceImage).To(HaveSuffix("/global/images/" + image.Name))
			Expect(disk.SizeGb).To(Equal(image.DiskSizeGb + 1))
			Expect(disk.Type).To(HaveSuffix("/zones/" + env.Zone + "/diskTypes/pd-ssd"))
		}, SpecTimeout(diskTimeout))

		It("creates a disk from a snapshot of another disk", Label("compute.disks.createSnapshot"), func(ctx SpecContext) {
			source := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 2})
			snap := makeSnapshot(ctx, svc, source.Name, env.Name("s"))
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"),
				SourceSnapshot: "global/snapshots/" + snap.Name})
			Expect(disk.SizeGb).To(Equal(snap.DiskSizeGb))
			Expect(disk.SourceSnapshot).To(HaveSuffix("/projects/" + env.Project + "/global/snapshots/" + snap.Name))
			Expect(disk.SourceSnapshotId).To(Equal(strconv.FormatUint(snap.Id, 10)))
		}, SpecTimeout(diskTimeout))

		It("returns 409 alreadyExists for a second insert of one name", func(ctx SpecContext) {
			disk := &compute.Disk{Name: env.Name("d"), SizeGb: 1}
			insertDiskOp(ctx, svc, disk)
			_, err := svc.Disks.Insert(env.Project, env.Zone, disk).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		}, SpecTimeout(diskTimeout))

		It("returns 404 notFound for an unknown zone", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, "nonexistent-x", &compute.Disk{Name: env.Name("d")}).
				Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 400 invalid for an invalid name", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: "Bad_Name"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for a size smaller than the image", func(ctx SpecContext) {
			image := sourceImageFamily(ctx, svc)
			if image.DiskSizeGb < 2 {
				Skip("the image family's disk size is 1 GB, so no smaller disk size exists")
			}
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				SourceImage: imageFamilyPath(), SizeGb: image.DiskSizeGb - 1}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for an unknown disk type", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				Type: "zones/" + env.Zone + "/diskTypes/nonexistent-x"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 404 notFound for an unknown source snapshot", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				SourceSnapshot: "global/snapshots/" + env.Name("missing")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 400 invalid for a disk type of another project", func(ctx SpecContext) {
			diskType := fmt.Sprintf("projects/%s/zones/%s/diskTypes/pd-ssd", otherProject, env.Zone)
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				Type: diskType}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.type"))
			Expect(err.Error()).To(ContainSubstring(diskType))
			Expect(err.Error()).To(ContainSubstring("Only resources of project '" + env.Project + "'"))
		})

		It("returns 400 invalid for a disk type of another zone", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				Type: "zones/nonexistent-x/diskTypes/pd-ssd"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for a source snapshot of another project", func(ctx SpecContext) {
			source := fmt.Sprintf("projects/%s/global/snapshots/%s", otherProject, env.Name("s"))
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				SourceSnapshot: source}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.sourceSnapshot"))
			Expect(err.Error()).To(ContainSubstring("Only resources of project '" + env.Project + "'"))
			Expect(err.Error()).NotTo(ContainSubstring("malformed"))
		})

		It("returns 400 invalid for a size outside 1 to 65536 GB", func(ctx SpecContext) {
			for _, size := range []int64{0, -1, 65537} {
				_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
					SizeGb: size, ForceSendFields: []string{"SizeGb"}}).Context(ctx).Do()
				Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"), "sizeGb %d", size)
				Expect(err.Error()).To(ContainSubstring("resource.sizeGb"))
			}
		})

		It("returns 400 invalid for a description of more than 2048 characters", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				Description: strings.Repeat("d", 2049)}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))
		})

		It("returns 400 invalid for more than 64 labels or a label of 64 characters", func(ctx SpecContext) {
			many := map[string]string{}
			for i := range 65 {
				many[fmt.Sprintf("k%d", i)] = "v"
			}
			for _, labels := range []map[string]string{many, {"k": strings.Repeat("v", 64)},
				{"k" + strings.Repeat("x", 63): "v"}, {"Env": "prod"}} {
				_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
					Labels: labels}).Context(ctx).Do()
				Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
				Expect(err.Error()).To(ContainSubstring("'resource.labels'"))
			}
		})

		It("returns 404 notFound for an unknown source image", func(ctx SpecContext) {
			_, err := svc.Disks.Insert(env.Project, env.Zone, &compute.Disk{Name: env.Name("d"),
				SourceImage: "projects/" + env.ImageProject + "/global/images/nonexistent-x"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	It("returns 404 notFound for a missing disk", Label("compute.disks.get"), func(ctx SpecContext) {
		_, err := svc.Disks.Get(env.Project, env.Zone, env.Name("missing")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns 404 notFound for a disk in an unknown zone", Label("compute.disks.get"), func(ctx SpecContext) {
		_, err := svc.Disks.Get(env.Project, "nonexistent-x", env.Name("d")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("filters the zone's list by name", Label("compute.disks.list"), func(ctx SpecContext) {
		var names []string
		for range 3 {
			name := env.Name("d")
			names = append(names, name)
			insertDiskOp(ctx, svc, &compute.Disk{Name: name, SizeGb: 1})
		}
		list, err := svc.Disks.List(env.Project, env.Zone).Filter(nameFilter(names[1])).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#diskList"))
		Expect(list.Items).To(HaveLen(1))
		Expect(list.Items[0].Name).To(Equal(names[1]))
	}, SpecTimeout(diskTimeout))

	It("returns 404 notFound for the list of an unknown zone", Label("compute.disks.list"), func(ctx SpecContext) {
		_, err := svc.Disks.List(env.Project, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("lists every zone in the aggregated list", Label("compute.disks.aggregatedList"), func(ctx SpecContext) {
		disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
		list, err := svc.Disks.AggregatedList(env.Project).IncludeAllScopes(true).Context(ctx).
			Do(googleapi.QueryParameter("returnPartialSuccess", "True"))
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#diskAggregatedList"))
		Expect(list.Items).To(HaveKey("zones/" + env.Zone))
		Expect(list.Items["zones/"+env.Zone].Disks).To(ContainElement(HaveField("Name", disk.Name)))
		zones, err := svc.Zones.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		for _, zone := range zones.Items {
			scoped, ok := list.Items["zones/"+zone.Name]
			Expect(ok).To(BeTrue(), "no key for zone %s", zone.Name)
			if len(scoped.Disks) == 0 {
				Expect(scoped.Warning).NotTo(BeNil(), "zone %s has neither disks nor a warning", zone.Name)
				Expect(scoped.Warning.Code).To(Equal("NO_RESULTS_ON_PAGE"))
			}
		}
	}, SpecTimeout(diskTimeout))

	Describe("delete", Label("compute.disks.delete"), func() {
		It("deletes a disk and frees its name", func(ctx SpecContext) {
			disk := &compute.Disk{Name: env.Name("d"), SizeGb: 1}
			makeDisk(ctx, svc, disk)
			op, err := svc.Disks.Delete(env.Project, env.Zone, disk.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Disks.Get(env.Project, env.Zone, disk.Name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))

			By("creating a disk of the same name again")
			again := makeDisk(ctx, svc, disk)
			Expect(again.Status).To(Equal("READY"))
		}, SpecTimeout(diskTimeout))

		It("deletes a disk that has a snapshot and keeps the snapshot", Label("compute.snapshots.get"), func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			snap := makeSnapshot(ctx, svc, disk.Name, env.Name("s"))
			removeDisk(ctx, svc, env.Zone, disk.Name)
			_, err := svc.Disks.Get(env.Project, env.Zone, disk.Name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))

			By("reading the snapshot of the deleted disk")
			kept, err := svc.Snapshots.Get(env.Project, snap.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(kept.Status).To(Equal("READY"))
			Expect(kept.SourceDisk).To(HaveSuffix("/zones/" + env.Zone + "/disks/" + disk.Name))
			Expect(kept.SourceDiskId).To(Equal(strconv.FormatUint(disk.Id, 10)))

			By("creating a disk of the same name from the snapshot")
			restored := makeDisk(ctx, svc, &compute.Disk{Name: disk.Name, SourceSnapshot: snap.SelfLink})
			Expect(restored.SizeGb).To(Equal(int64(1)))

			By("deleting the snapshot, which removes the volume of the deleted disk")
			removeSnapshot(ctx, svc, snap.Name)
			if reachesOpenStack() {
				eventuallyInOpenStack(ctx, func() []string { return openStackNames(ctx, "volumes") }).
					Should(Not(ContainElement(ContainSubstring(":" + disk.Name))))
			}
		}, SpecTimeout(diskTimeout))

		It("returns 404 notFound for a missing disk", func(ctx SpecContext) {
			_, err := svc.Disks.Delete(env.Project, env.Zone, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	It("shows an instance's boot disk as attached", Label("compute.disks.get", "compute.disks.delete",
		"compute.disks.createSnapshot", "compute.images.insert"), func(ctx SpecContext) {
		inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
		Expect(inst.Disks).NotTo(BeEmpty())
		bootDisk := lastSegment(inst.Disks[0].Source)

		By("reading the boot disk")
		disk, err := svc.Disks.Get(env.Project, env.Zone, bootDisk).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(disk.Status).To(Equal("READY"))
		Expect(disk.Users).To(ConsistOf(HaveSuffix("/zones/" + env.Zone + "/instances/" + inst.Name)))
		Expect(disk.SourceImage).To(ContainSubstring("/global/images/"))

		By("deleting the attached disk")
		_, err = svc.Disks.Delete(env.Project, env.Zone, bootDisk).Context(ctx).Do()
		expectUsedBy(err, instanceResourcePath(inst.Name))

		By("making an image of the attached disk without forceCreate")
		_, err = svc.Images.Insert(env.Project, &compute.Image{Name: env.Name("img"),
			SourceDisk: disk.SelfLink}).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))

		By("snapshotting the attached disk")
		snap := makeSnapshot(ctx, svc, bootDisk, env.Name("s"))
		Expect(snap.Status).To(Equal("READY"))
		Expect(snap.SourceDisk).To(Equal(disk.SelfLink))
	}, SpecTimeout(instanceTimeout))
})
