package conformance_test

import (
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

var _ = Describe("Addresses", Label("addresses"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("insert", Label("compute.addresses.insert"), func() {
		It("reserves an external address", Label("compute.addresses.get"), func(ctx SpecContext) {
			name := env.Name("addr")
			op, err := svc.Addresses.Insert(env.Project, env.Region,
				&compute.Address{Name: name, Description: "conformance"}).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(deleteAddress, svc, name)
			Expect(op.OperationType).To(Equal("insert"))
			Expect(op.Region).To(HaveSuffix("/regions/" + env.Region))
			Expect(op.Zone).To(BeEmpty())
			Expect(op.TargetLink).To(HaveSuffix("/regions/" + env.Region + "/addresses/" + name))
			waitDone(ctx, svc, op)

			got := getAddress(ctx, svc, name)
			Expect(got.Kind).To(Equal("compute#address"))
			Expect(got.Name).To(Equal(name))
			Expect(got.Description).To(Equal("conformance"))
			Expect(got.Status).To(Equal("RESERVED"))
			Expect(got.AddressType).To(Equal("EXTERNAL"))
			Expect(got.Address).To(MatchRegexp(`^\d+\.\d+\.\d+\.\d+$`))
			Expect(got.Users).To(BeEmpty())
			Expect(got.Region).To(HaveSuffix("/regions/" + env.Region))
			Expect(got.SelfLink).To(HaveSuffix("/regions/" + env.Region + "/addresses/" + name))
			Expect(got.Id).NotTo(BeZero())
		})

		It("accepts addressType EXTERNAL as libcloud sends it", func(ctx SpecContext) {
			got := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr"), AddressType: "EXTERNAL"})
			Expect(got.Status).To(Equal("RESERVED"))
		})

		It("returns 409 alreadyExists for a second insert of one name", func(ctx SpecContext) {
			name := env.Name("addr")
			createAddress(ctx, svc, &compute.Address{Name: name})
			_, err := svc.Addresses.Insert(env.Project, env.Region, &compute.Address{Name: name}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		})

		It("returns 400 invalid for an INTERNAL address", func(ctx SpecContext) {
			_, err := svc.Addresses.Insert(env.Project, env.Region,
				&compute.Address{Name: env.Name("addr"), AddressType: "INTERNAL"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 400 invalid for an invalid name", func(ctx SpecContext) {
			_, err := svc.Addresses.Insert(env.Project, env.Region, &compute.Address{Name: "Bad_Name"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
		})

		It("returns 404 notFound for an unknown region", func(ctx SpecContext) {
			_, err := svc.Addresses.Insert(env.Project, "nonexistent-x", &compute.Address{Name: env.Name("addr")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 400 invalid for an address that is not an IPv4 address", func(ctx SpecContext) {
			for _, address := range []string{"not-an-ip", "2001:db8::7", "203.0.113.300"} {
				_, err := svc.Addresses.Insert(env.Project, env.Region,
					&compute.Address{Name: env.Name("addr"), Address: address}).Context(ctx).Do()
				Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"), "address %s", address)
				Expect(err.Error()).To(ContainSubstring("resource.address"))
			}
		})

		It("returns 400 invalid for a description of more than 2048 characters", func(ctx SpecContext) {
			_, err := svc.Addresses.Insert(env.Project, env.Region, &compute.Address{Name: env.Name("addr"),
				Description: strings.Repeat("d", 2049)}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))
		})

		It("returns 403 for a specific IP that Neutron reserves for administrators", func(ctx SpecContext) {
			// 172.24.4.200 is in the subnet of the seed's external network.
			skipUnlessSeeded()
			name := env.Name("addr")
			_, err := svc.Addresses.Insert(env.Project, env.Region,
				&compute.Address{Name: name, Address: "172.24.4.200"}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusForbidden, "forbidden"))
			Expect(err.Error()).To(ContainSubstring("172.24.4.200"))
			Expect(err.Error()).NotTo(ContainSubstring("rule:"))

			By("inserting the same name without an IP")
			got := createAddress(ctx, svc, &compute.Address{Name: name})
			Expect(got.Status).To(Equal("RESERVED"))
		})
	})

	Describe("get", Label("compute.addresses.get"), func() {
		It("returns 404 notFound for a missing address", func(ctx SpecContext) {
			_, err := svc.Addresses.Get(env.Project, env.Region, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 404 notFound for an unknown region", func(ctx SpecContext) {
			_, err := svc.Addresses.Get(env.Project, "nonexistent-x", env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	Describe("list", Label("compute.addresses.list"), func() {
		It("returns exactly one of three addresses for a name filter", func(ctx SpecContext) {
			var names []string
			for range 3 {
				name := env.Name("addr")
				createAddress(ctx, svc, &compute.Address{Name: name})
				names = append(names, name)
			}
			list, err := svc.Addresses.List(env.Project, env.Region).Filter("name eq " + names[1]).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Kind).To(Equal("compute#addressList"))
			Expect(list.Items).To(HaveLen(1))
			Expect(list.Items[0].Name).To(Equal(names[1]))
		})

		It("shows an address with the fields of get", func(ctx SpecContext) {
			want := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})
			list, err := svc.Addresses.List(env.Project, env.Region).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Items).To(ContainElement(SatisfyAll(
				HaveField("Name", want.Name), HaveField("Id", want.Id),
				HaveField("Address", want.Address), HaveField("Status", "RESERVED"),
				HaveField("SelfLink", want.SelfLink))))
		})

		It("returns 404 notFound for an unknown region", func(ctx SpecContext) {
			_, err := svc.Addresses.List(env.Project, "nonexistent-x").Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})

	Describe("aggregatedList", Label("compute.addresses.aggregatedList"), func() {
		It("groups addresses by region and has a global key", func(ctx SpecContext) {
			want := createAddress(ctx, svc, &compute.Address{Name: env.Name("addr")})
			list, err := svc.Addresses.AggregatedList(env.Project).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(list.Kind).To(Equal("compute#addressAggregatedList"))
			Expect(list.Items).To(HaveKey("global"))
			Expect(list.Items).To(HaveKey("regions/" + env.Region))
			Expect(list.Items["regions/"+env.Region].Addresses).To(ContainElement(HaveField("Name", want.Name)))
		})
	})

	Describe("delete", Label("compute.addresses.delete"), func() {
		It("releases the address and its floating IP", func(ctx SpecContext) {
			name := env.Name("addr")
			got := createAddress(ctx, svc, &compute.Address{Name: name})
			op, err := svc.Addresses.Delete(env.Project, env.Region, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			waitDone(ctx, svc, op)
			_, err = svc.Addresses.Get(env.Project, env.Region, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			if reachesOpenStack() {
				Expect(openStackNames(ctx, "floatingips")).NotTo(ContainElement(got.Address))
			}
		})

		It("returns 404 notFound for a missing address", func(ctx SpecContext) {
			_, err := svc.Addresses.Delete(env.Project, env.Region, env.Name("missing")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})
})
