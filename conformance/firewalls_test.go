package conformance_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

// tcpAllowed returns one allowed entry for tcp with the given ports.
func tcpAllowed(ports ...string) []*compute.FirewallAllowed {
	return []*compute.FirewallAllowed{{IPProtocol: "tcp", Ports: ports}}
}

var _ = Describe("Firewalls", Label("firewalls"), func() {
	var svc *compute.Service

	BeforeEach(func(ctx SpecContext) {
		svc = newService(ctx)
	})

	Describe("insert", Label("compute.firewalls.insert"), func() {
		It("allows a TCP port from a CIDR on the default network", Label("compute.firewalls.get"), func(ctx SpecContext) {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: tcpAllowed("44444"),
				SourceRanges: []string{"10.240.0.0/16"}})
			got, err := svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Kind).To(Equal("compute#firewall"))
			Expect(got.Network).To(HaveSuffix("/global/networks/default"))
			Expect(got.Allowed).To(HaveLen(1))
			Expect(got.Allowed[0].IPProtocol).To(Equal("tcp"))
			Expect(got.Allowed[0].Ports).To(Equal([]string{"44444"}))
			Expect(got.SourceRanges).To(Equal([]string{"10.240.0.0/16"}))
			Expect(got.Priority).To(Equal(int64(1000)))
			Expect(got.Direction).To(Equal("INGRESS"))
			Expect(got.SelfLink).To(HaveSuffix("/global/firewalls/" + name))
		})

		It("allows UDP ports and ICMP on a custom network", Label("compute.firewalls.get"), func(ctx SpecContext) {
			network, name := env.Name("net"), env.Name("fw")
			createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.241.0.0/16"})
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Network: "global/networks/" + network,
				SourceRanges: []string{"10.241.0.0/16"},
				Allowed: []*compute.FirewallAllowed{
					{IPProtocol: "udp", Ports: []string{"30000", "40000", "50000-51000"}},
					{IPProtocol: "icmp"},
				}})
			got, err := svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Network).To(HaveSuffix("/global/networks/" + network))
			Expect(got.Allowed).To(HaveLen(2))
			Expect(got.Allowed[0].IPProtocol).To(Equal("udp"))
			Expect(got.Allowed[0].Ports).To(Equal([]string{"30000", "40000", "50000-51000"}))
			Expect(got.Allowed[1].IPProtocol).To(Equal("icmp"))
			Expect(got.Allowed[1].Ports).To(BeEmpty())
		})

		It("allows TCP 22, 80 and 8080-8089 from anywhere by default", func(ctx SpecContext) {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: tcpAllowed("22", "80", "8080-8089")})
			got, err := svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Allowed).To(HaveLen(1))
			Expect(got.Allowed[0].Ports).To(Equal([]string{"22", "80", "8080-8089"}))
			Expect(got.SourceRanges).To(Equal([]string{"0.0.0.0/0"}))
		})

		It("creates one Neutron rule per range and port", func(ctx SpecContext) {
			skipUnlessOpenStack()
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: tcpAllowed("22", "8080-8089"),
				SourceRanges: []string{"10.0.0.0/8", "192.168.0.0/16"}})
			g := securityGroup(ctx, name)
			Expect(g.Rules).To(HaveLen(4))
			for _, r := range g.Rules {
				Expect(r.Direction).To(Equal("ingress"))
				Expect(r.Protocol).To(Equal("tcp"))
			}
		})

		It("accepts repeated ports and ranges without a conflict", func(ctx SpecContext) {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: tcpAllowed("22", "22"),
				SourceRanges: []string{"10.0.0.0/8", "10.0.0.0/8"}})
			got, err := svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Allowed[0].Ports).To(Equal([]string{"22"}))
			Expect(got.SourceRanges).To(Equal([]string{"10.0.0.0/8"}))
		})

		It("keeps priority, description and target tags", func(ctx SpecContext) {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: []*compute.FirewallAllowed{{IPProtocol: "all"}},
				Priority: 0, ForceSendFields: []string{"Priority"}, Description: "all from the lab",
				SourceRanges: []string{"172.16.0.0/12"}, TargetTags: []string{"lab"}})
			got, err := svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Priority).To(Equal(int64(0)))
			Expect(got.Description).To(Equal("all from the lab"))
			Expect(got.TargetTags).To(Equal([]string{"lab"}))
			Expect(got.Allowed[0].IPProtocol).To(Equal("all"))
		})

		It("creates an EGRESS firewall with destination ranges", func(ctx SpecContext) {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Direction: "EGRESS",
				Allowed: tcpAllowed("443"), DestinationRanges: []string{"203.0.113.0/24"}})
			got, err := svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(got.Direction).To(Equal("EGRESS"))
			Expect(got.DestinationRanges).To(Equal([]string{"203.0.113.0/24"}))
			Expect(got.SourceRanges).To(BeEmpty())
		})

		It("returns 409 alreadyExists for a duplicate name", func(ctx SpecContext) {
			fw := &compute.Firewall{Name: env.Name("fw"), Allowed: tcpAllowed("22")}
			createFirewall(ctx, svc, fw)
			_, err := svc.Firewalls.Insert(env.Project, fw).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusConflict, "alreadyExists"))
		})

		It("returns 404 notFound for an unknown network", func(ctx SpecContext) {
			_, err := svc.Firewalls.Insert(env.Project, &compute.Firewall{Name: env.Name("fw"),
				Network: "global/networks/" + env.Name("nonexistent"), Allowed: tcpAllowed("22")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})

		It("returns 400 invalid for a network of another project", func(ctx SpecContext) {
			network := fmt.Sprintf("projects/%s/global/networks/default", otherProject)
			_, err := svc.Firewalls.Insert(env.Project, &compute.Firewall{Name: env.Name("fw"),
				Network: network, Allowed: tcpAllowed("22")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.network"))
			Expect(err.Error()).To(ContainSubstring(network))
			Expect(err.Error()).To(ContainSubstring("Only resources of project '" + env.Project + "'"))
		})

		It("returns 400 invalid for a description of more than 2048 characters", func(ctx SpecContext) {
			_, err := svc.Firewalls.Insert(env.Project, &compute.Firewall{Name: env.Name("fw"),
				Description: strings.Repeat("d", 2049), Allowed: tcpAllowed("22")}).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, "invalid"))
			Expect(err.Error()).To(ContainSubstring("resource.description"))
		})

		DescribeTable("returns 400 for what security groups cannot express",
			func(ctx SpecContext, reason string, fw *compute.Firewall) {
				fw.Name = env.Name("fw")
				_, err := svc.Firewalls.Insert(env.Project, fw).Context(ctx).Do()
				Expect(err).To(framework.HaveGoogleError(http.StatusBadRequest, reason))
			},
			Entry("denied rules", "invalid", &compute.Firewall{Denied: []*compute.FirewallDenied{{IPProtocol: "tcp"}}}),
			Entry("source tags", "invalid", &compute.Firewall{Allowed: tcpAllowed("22"), SourceTags: []string{"web"}}),
			Entry("no allowed rule", "required", &compute.Firewall{SourceRanges: []string{"10.0.0.0/8"}}),
			Entry("an unknown protocol", "invalid", &compute.Firewall{Allowed: []*compute.FirewallAllowed{{IPProtocol: "gre2"}}}),
			Entry("ports for icmp", "invalid", &compute.Firewall{Allowed: []*compute.FirewallAllowed{{IPProtocol: "icmp", Ports: []string{"8"}}}}),
			Entry("a malformed port range", "invalid", &compute.Firewall{Allowed: tcpAllowed("90-80")}),
			Entry("a malformed source range", "invalid", &compute.Firewall{Allowed: tcpAllowed("22"), SourceRanges: []string{"10.0.0/8x"}}),
			Entry("an unknown direction", "invalid", &compute.Firewall{Allowed: tcpAllowed("22"), Direction: "SIDEWAYS"}),
		)
	})

	Describe("reach", Label("compute.firewalls.insert", "compute.firewalls.delete"), func() {
		It("reaches exactly the instances that carry a target tag", func(ctx SpecContext) {
			skipUnlessOpenStack()
			tag := env.Name("web")
			tagged := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default", tag))
			plain := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default"))
			fw := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: fw, Allowed: tcpAllowed("80"), TargetTags: []string{tag}})
			Expect(portGroupNames(ctx, tagged.Name)).To(ContainElements(fw, "default.egress"))
			Expect(portGroupNames(ctx, plain.Name)).NotTo(ContainElement(fw))

			By("giving a later instance with the tag the firewall's group at creation")
			later := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default", "other", tag))
			Expect(portGroupNames(ctx, later.Name)).To(ConsistOf(fw, "default.egress"))
			newPlain := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default"))
			Expect(portGroupNames(ctx, newPlain.Name)).To(ConsistOf("default.egress"))

			By("removing the group from the ports when the firewall is deleted")
			deleteGlobal(ctx, "firewalls", fw)
			Expect(portGroupNames(ctx, tagged.Name)).NotTo(ContainElement(fw))
			Expect(portGroupNames(ctx, later.Name)).To(ConsistOf("default.egress"))
		}, SpecTimeout(instanceTimeout))

		It("reaches every instance of its network when it has no target tags", func(ctx SpecContext) {
			skipUnlessOpenStack()
			network := env.Name("net")
			createNetwork(ctx, svc, &compute.Network{Name: network, IPv4Range: "10.241.0.0/16"})
			inside := createInstance(ctx, svc, instanceOn(env.Name("vm"), network))
			outside := createInstance(ctx, svc, instanceOn(env.Name("vm"), "default"))
			fw := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: fw, Network: "global/networks/" + network,
				Allowed: tcpAllowed("22")})
			Expect(portGroupNames(ctx, inside.Name)).To(ConsistOf(fw, network+".egress"))
			Expect(portGroupNames(ctx, outside.Name)).NotTo(ContainElement(fw))
		}, SpecTimeout(instanceTimeout))
	})

	It("lists exactly one of three firewalls with a name filter", Label("compute.firewalls.list"), func(ctx SpecContext) {
		var names []string
		for range 3 {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: tcpAllowed("22")})
			names = append(names, name)
		}
		list, err := svc.Firewalls.List(env.Project).Filter(fmt.Sprintf("name eq %s", names[2])).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(list.Kind).To(Equal("compute#firewallList"))
		Expect(list.Items).To(HaveLen(1))
		Expect(list.Items[0].Name).To(Equal(names[2]))
		Expect(list.Items[0].Allowed[0].Ports).To(Equal([]string{"22"}))
	})

	It("returns 404 notFound for an unknown firewall", Label("compute.firewalls.get"), func(ctx SpecContext) {
		_, err := svc.Firewalls.Get(env.Project, env.Name("nonexistent")).Context(ctx).Do()
		Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
	})

	Describe("delete", Label("compute.firewalls.delete"), func() {
		It("deletes the firewall and its security group", func(ctx SpecContext) {
			name := env.Name("fw")
			createFirewall(ctx, svc, &compute.Firewall{Name: name, Allowed: tcpAllowed("22")})
			op, err := svc.Firewalls.Delete(env.Project, name).Context(ctx).Do()
			Expect(err).NotTo(HaveOccurred())
			Expect(op.OperationType).To(Equal("delete"))
			_, err = framework.Wait(ctx, svc, op)
			Expect(err).NotTo(HaveOccurred())
			_, err = svc.Firewalls.Get(env.Project, name).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
			if reachesOpenStack() {
				Expect(openStackNames(ctx, "security-groups")).NotTo(ContainElement(name))
			}
		})

		It("returns 404 notFound for an unknown firewall", func(ctx SpecContext) {
			_, err := svc.Firewalls.Delete(env.Project, env.Name("nonexistent")).Context(ctx).Do()
			Expect(err).To(framework.HaveGoogleError(http.StatusNotFound, "notFound"))
		})
	})
})
