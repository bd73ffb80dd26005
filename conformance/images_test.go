package conformance_test

import (
	"net/http"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Images", Label("images"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	It("lists the images of the own project", Label("compute.images.list"), func(ctx SpecContext) {
		list, err := svc.Images.List(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#imageList"))
	})

	It("lists the public images of the image project", Label("compute.images.list"), func(ctx SpecContext) {
		list, err := svc.Images.List(env.ImageProject).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Items).NotTo(BeEmpty())
		for _, image := range list.Items {
			Expect(image.SelfLink).To(ContainSubstring("/projects/" + env.ImageProject + "/global/images/"))
		}
	})

	It("lists the seed images of debian-cloud", Label("compute.images.list"), func(ctx SpecContext) {
		skipUnlessSeeded()
		list, err := svc.Images.List("debian-cloud").Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(imageNames(list.Items)).To(ConsistOf("debian-12-bookworm-v20240110",
			"debian-12-bookworm-v20231010", "debian-11-bullseye-v20240110"))
	})

	It("lists an empty standard image project as an empty list", Label("compute.images.list"), func(ctx SpecContext) {
		skipUnlessSeeded()
		list, err := svc.Images.List("centos-cloud").Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#imageList"))
		Expect(list.Items).To(BeEmpty())
	})

	It("gets an image with its family", Label("compute.images.get"), func(ctx SpecContext) {
		skipUnlessSeeded()
		image, err := svc.Images.Get("debian-cloud", "debian-12-bookworm-v20240110").Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(image.Kind).To(Equal("compute#image"))
		Expect(image.Name).To(Equal("debian-12-bookworm-v20240110"))
		Expect(image.Family).To(Equal("debian-12"))
		Expect(image.Status).To(Equal("READY"))
		Expect(image.SelfLink).To(HaveSuffix("/projects/debian-cloud/global/images/debian-12-bookworm-v20240110"))
	})

	It("returns 404 notFound for an unknown image", Label("compute.images.get"), func(ctx SpecContext) {
		_, err := svc.Images.Get(env.ImageProject, "nonexistent-x").Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	It("returns the newest image of a family", Label("compute.images.getFromFamily"), func(ctx SpecContext) {
		skipUnlessSeeded()
		image, err := svc.Images.GetFromFamily("debian-cloud", "debian-12").Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(image.Name).To(Equal("debian-12-bookworm-v20240110"))
		Expect(image.Family).To(Equal("debian-12"))
	})

	It("returns an image of the configured family", Label("compute.images.getFromFamily"), func(ctx SpecContext) {
		image, err := svc.Images.GetFromFamily(env.ImageProject, env.ImageFamily).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(image.Family).To(Equal(env.ImageFamily))
	})
})

func imageNames(images []*compute.Image) []string {
	var names []string
	for _, image := range images {
		names = append(names, image.Name)
	}
	return names
}
