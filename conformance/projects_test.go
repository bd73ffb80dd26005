package conformance_test

import (
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Projects", Label("projects"), func() {
	It("gets the project with its metadata", Label("compute.projects.get"), func(ctx SpecContext) {
		project, err := newService(ctx).Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(project.Kind).To(Equal("compute#project"))
		Expect(project.Name).To(Equal(env.Project))
		Expect(project.SelfLink).To(HaveSuffix("/projects/" + env.Project))
		Expect(project.CommonInstanceMetadata).NotTo(BeNil())
		Expect(project.CommonInstanceMetadata.Kind).To(Equal("compute#metadata"))
	})

	It("sends the project id as a decimal string", Label("compute.projects.get", "ids"), func(ctx SpecContext) {
		status, body := rawGet(ctx, "projects/"+env.Project)
		Expect(status).To(Equal(200))
		Expect(body["id"]).To(BeAssignableToTypeOf(""), "id must be a JSON string")
		id := body["id"].(string)
		Expect(strconv.ParseUint(id, 10, 64)).To(BeNumerically(">", 0))
	})
})
