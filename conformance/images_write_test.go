package conformance_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Image writes", Label("images"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("insert", Label("compute.images.insert"), func() {
		It("creates an image from a URL", Label(framework.RealCloudExceptionLabel), func(ctx SpecContext) {
			env.RealCloudException("the spec serves the image from a file server on the test " +
				"host's 127.0.0.1, which a cloud's Glance cannot reach. Glance's web-download " +
				"filter (glance 25.1.0-2+deb12u5, default [import_filtering_opts]) also rejects " +
				"loopback hosts and every port but 80 and 443")
			content := strings.Repeat("\x00", 4096)
			files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Write([]byte(content))
			}))
			DeferCleanup(files.Close)
			name := env.Name("img")
			op, err := svc.Images.Insert(env.Project, &compute.Image{Name: name, Family: "conformance",
				Description: "from a URL", RawDisk: &compute.ImageRawDisk{Source: files.URL + "/disk.raw"}}).
				Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(removeImage, svc, name, NodeTimeout(diskTimeout))
			Expect(op.OperationType).To(Equal("insert"))
			Expect(op.Zone).To(BeEmpty())
			Expect(op.TargetLink).To(HaveSuffix("/projects/" + env.Project + "/global/images/" + name))

			By("reading the image while Glance imports it")
			image, err := svc.Images.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(image.Status).To(BeElementOf("PENDING", "READY"))

			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			image, err = svc.Images.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(image.Status).To(Equal("READY"))
			Expect(image.Family).To(Equal("conformance"))
			Expect(image.Description).To(Equal("from a URL"))
		}, SpecTimeout(diskTimeout))

		It("creates an image from a disk", Label("compute.images.get"), func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 2})
			image := makeImage(ctx, svc, &compute.Image{Name: env.Name("img"), Family: "conformance-disk",
				SourceDisk: "zones/" + env.Zone + "/disks/" + disk.Name})
			Expect(image.Status).To(Equal("READY"))
			Expect(image.Family).To(Equal("conformance-disk"))
			Expect(image.DiskSizeGb).To(Equal(int64(2)))
			Expect(image.SourceDisk).To(Equal(disk.SelfLink))
			Expect(image.SourceDiskId).To(Equal(strconv.FormatUint(disk.Id, 10)))

			By("finding the source disk in the list view")
			list, err := svc.Images.List(env.Project).Filter(nameFilter(image.Name)).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Items).To(HaveLen(1))
			Expect(list.Items[0].SourceDisk).To(Equal(disk.SelfLink))

			By("creating a disk from the new image")
			copied := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SourceImage: "global/images/" + image.Name})
			Expect(copied.SizeGb).To(Equal(int64(2)))
			Expect(copied.SourceImage).To(Equal(image.SelfLink))
		}, SpecTimeout(diskTimeout))

		It("keeps an image made from a disk of a public image in the caller's project",
			Label("compute.images.get", "compute.images.list"), func(ctx SpecContext) {
				disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1,
					SourceImage: "projects/debian-cloud/global/images/family/debian-11"})
				By("copying a disk that carries the public image's properties")
				image := makeImage(ctx, svc, &compute.Image{Name: env.Name("img"),
					SourceDisk: "zones/" + env.Zone + "/disks/" + disk.Name})
				Expect(image.SelfLink).To(ContainSubstring("/projects/" + env.Project + "/global/images/"))
				Expect(image.Family).To(BeEmpty())
				Expect(image.Description).To(BeEmpty())

				By("leaving the image project and its family as they were")
				public, err := svc.Images.List("debian-cloud").Filter(nameFilter(image.Name)).Context(ctx).Do()
				Expect(err).NotTo(HaveOccurred())
				Expect(public.Items).To(BeEmpty())
				newest, err := svc.Images.GetFromFamily("debian-cloud", "debian-11").Context(ctx).Do()
				Expect(err).NotTo(HaveOccurred())
				Expect(newest.Name).To(Equal("debian-11-bullseye-v20240110"))
			}, SpecTimeout(diskTimeout))

		It("returns 409 alreadyExists for a second insert of one name", func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			image := makeImage(ctx, svc, &compute.Image{Name: env.Name("img"), SourceDisk: disk.SelfLink})
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: image.Name,
				SourceDisk: disk.SelfLink}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		}, SpecTimeout(diskTimeout))

		It("returns 400 invalid for an invalid name", func(ctx SpecContext) {
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: "Bad_Name",
				RawDisk: &compute.ImageRawDisk{Source: "http://127.0.0.1:1/disk.raw"}}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for a URL that Glance's import filter rejects", func(ctx SpecContext) {
			name := env.Name("img")
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: name,
				RawDisk: &compute.ImageRawDisk{Source: "http://169.254.169.254/latest/disk.raw"}}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("does not pass filtering: http://169.254.169.254/latest/disk.raw"))
			Expect(err.Error()).NotTo(ContainSubstring("<br />"))

			By("leaving no image behind")
			list, err := svc.Images.List(env.Project).Filter(nameFilter(name)).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Items).To(BeEmpty())
		})

		It("returns 400 required for an image without a source", func(ctx SpecContext) {
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: env.Name("img")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "required"))
		})

		It("returns 400 invalid for a source disk of another project", func(ctx SpecContext) {
			source := fmt.Sprintf("projects/%s/zones/%s/disks/%s", otherProject, env.Zone, env.Name("d"))
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: env.Name("img"),
				SourceDisk: source}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.sourceDisk"))
			Expect(err.Error()).To(ContainSubstring("Only resources of project '" + env.Project + "'"))
		})

		It("returns 400 invalid for a description of more than 2048 characters", func(ctx SpecContext) {
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: env.Name("img"),
				Description: strings.Repeat("d", 2049),
				RawDisk:     &compute.ImageRawDisk{Source: "http://127.0.0.1:1/disk.raw"}}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))
		})

		It("returns 400 invalid for a label of 64 characters", func(ctx SpecContext) {
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: env.Name("img"),
				Labels:  map[string]string{"k": strings.Repeat("v", 64)},
				RawDisk: &compute.ImageRawDisk{Source: "http://127.0.0.1:1/disk.raw"}}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("'resource.labels'"))
		})

		It("names the disk when Cinder rejects forceCreate", func(ctx SpecContext) {
			inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
			bootDisk := inst.Disks[0].Source
			name := env.Name("img")
			op, err := svc.Images.Insert(env.Project, &compute.Image{Name: name, SourceDisk: bootDisk}).
				ForceCreate(true).Context(ctx).Do()
			if err == nil {
				// Cinder with enable_force_upload set makes the image.
				DeferCleanup(removeImage, svc, name, NodeTimeout(diskTimeout))
				_, err = framework.Wait(ctx, svc, op)
				Expect(err).NotTo(HaveOccurred())
				return
			}
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "resourceInUseByAnotherResource"))
			Expect(err.Error()).To(ContainSubstring("projects/" + env.Project + "/zones/" + env.Zone +
				"/disks/" + lastSegment(bootDisk)))
			Expect(err.Error()).NotTo(MatchRegexp("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
			_, err = svc.Images.Get(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		}, SpecTimeout(instanceTimeout))

		It("returns 404 notFound for a missing source disk", func(ctx SpecContext) {
			_, err := svc.Images.Insert(env.Project, &compute.Image{Name: env.Name("img"),
				SourceDisk: "zones/" + env.Zone + "/disks/" + env.Name("missing")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	Describe("delete", Label("compute.images.delete"), func() {
		It("deletes an image and frees its name", func(ctx SpecContext) {
			disk := makeDisk(ctx, svc, &compute.Disk{Name: env.Name("d"), SizeGb: 1})
			image := &compute.Image{Name: env.Name("img"), SourceDisk: disk.SelfLink}
			makeImage(ctx, svc, image)
			op, err := svc.Images.Delete(env.Project, image.Name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Images.Get(env.Project, image.Name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))

			By("creating an image of the same name again")
			again := makeImage(ctx, svc, image)
			Expect(again.Status).To(Equal("READY"))
		}, SpecTimeout(diskTimeout))

		It("returns 404 notFound for a missing image", func(ctx SpecContext) {
			_, err := svc.Images.Delete(env.Project, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})
})
