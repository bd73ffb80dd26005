package conformance_test

import (
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

// Serial: the specs change the metadata of the one project every spec shares.
var _ = Describe("Project metadata", Label("projects", "compute.projects.setCommonInstanceMetadata"), Serial, func() {
	var svc *compute.Service
	var original *compute.Metadata

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
		project, err := svc.Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		original = project.CommonInstanceMetadata
		DeferCleanup(restoreMetadata, svc, original.Items)
	})

	It("sets ssh keys as key pairs and restores them", Label("compute.projects.get"), func(ctx SpecContext) {
		key := newSSHKey()
		items := append(metadataItems("ssh-keys", "conformance:"+key+" conformance@test", "k", "v"), original.Items...)
		op, err := svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
			Fingerprint: urlSafe(original.Fingerprint), Items: items}).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(op.OperationType).To(Equal("setMetadata"))
		Expect(op.Zone).To(BeEmpty())
		Expect(op.Region).To(BeEmpty())
		Expect(op.TargetLink).To(HaveSuffix("/projects/" + env.Project))
		waitDone(ctx, svc, op)

		project, err := svc.Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		md := project.CommonInstanceMetadata
		Expect(metadataValue(md, "k")).To(Equal("v"))
		Expect(metadataValue(md, "ssh-keys")).To(ContainSubstring(key))
		Expect(md.Fingerprint).NotTo(Equal(original.Fingerprint))
		if reachesOpenStack() {
			Expect(keypairsWithPrefix(ctx, projectKeypairPrefix())).To(HaveLen(1))
		}

		By("setting it again with the stale fingerprint")
		_, err = svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
			Fingerprint: original.Fingerprint, Items: original.Items}).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusPreconditionFailed, "conditionNotMet"))

		By("restoring the original items")
		op, err = svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
			Fingerprint: md.Fingerprint, Items: original.Items}).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		project, err = svc.Projects.Get(env.Project).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(metadataValue(project.CommonInstanceMetadata, "k")).To(Equal("<missing>"))
		Expect(project.CommonInstanceMetadata.Fingerprint).To(Equal(original.Fingerprint))
		if reachesOpenStack() {
			Expect(keypairsWithPrefix(ctx, projectKeypairPrefix())).To(BeEmpty())
		}
	})

	It("gives a new instance the project's ssh key", Label("compute.instances.insert"), func(ctx SpecContext) {
		skipUnlessOpenStack()
		items := append(metadataItems("sshKeys", "conformance:"+newSSHKey()), original.Items...)
		op, err := svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
			Fingerprint: original.Fingerprint, Items: items}).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		waitDone(ctx, svc, op)
		pairs := keypairsWithPrefix(ctx, projectKeypairPrefix())
		Expect(pairs).To(HaveLen(1))

		inst := createInstance(ctx, svc, newInstance(env.Name("vm")))
		Expect(inst.Status).To(Equal("RUNNING"))
		Expect(novaServer(ctx, inst.Name).KeyName).To(Equal(pairs[0]))
	}, SpecTimeout(instanceTimeout))

	It("returns 400 invalid for a fingerprint that is not base64", func(ctx SpecContext) {
		_, err := svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
			Fingerprint: "not base64!", Items: original.Items}).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
	})

	DescribeTable("returns 400 invalid for metadata beyond Compute Engine's limits",
		func(ctx SpecContext, field string, items []*compute.MetadataItems) {
			_, err := svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
				Fingerprint: original.Fingerprint, Items: items}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring(field))
		},
		Entry("a null item", "items[1]", []*compute.MetadataItems{metadataItems("a", "1")[0], nil}),
		Entry("a duplicate key", "'metadata.items[1].key'", metadataItems("a", "1", "a", "2")),
		Entry("a key with a dot", "'metadata.items[0].key'", metadataItems("a.b", "1")),
		Entry("a key of 129 characters", "'metadata.items[0].key'", metadataItems(strings.Repeat("k", 129), "1")),
		Entry("a value of more than 256 KB", "'metadata.items[0].value'",
			metadataItems("big", strings.Repeat("x", 256<<10+1))),
		Entry("more than 512 KB in total", "'metadata'",
			metadataItems("a", strings.Repeat("x", 200<<10), "b", strings.Repeat("x", 200<<10),
				"c", strings.Repeat("x", 200<<10))),
	)

	It("returns 400 invalid for an ssh key that is not a public key", func(ctx SpecContext) {
		_, err := svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
			Fingerprint: original.Fingerprint,
			Items:       metadataItems("ssh-keys", "conformance:ssh-rsa not-a-key")}).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
	})
})

// restoreMetadata sets the project's metadata items back to items.
func restoreMetadata(ctx SpecContext, svc *compute.Service, items []*compute.MetadataItems) {
	project, err := svc.Projects.Get(env.Project).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	op, err := svc.Projects.SetCommonInstanceMetadata(env.Project, &compute.Metadata{
		Fingerprint: project.CommonInstanceMetadata.Fingerprint, Items: items}).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	waitDone(ctx, svc, op)
}
