package conformance_test

import (
	"os/exec"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
	compute "google.golang.org/api/compute/v1"
)

// Ordered: the specs create, list and delete one network, two firewalls
// and one route in turn.
var _ = Describe("gcloud networking", Label("gcloud", "networks", "firewalls", "routes"), Ordered, func() {
	var environ []string
	var network, fw1, fw2, route string

	BeforeAll(func(ctx SpecContext) {
		if _, err := exec.LookPath("gcloud"); err != nil {
			Skip("needs the gcloud command of the Google Cloud SDK on PATH")
		}
		environ = gcloudEnviron(GinkgoT().TempDir())
		network, fw1, fw2, route = env.Name("netl"), env.Name("fw1"), env.Name("fw2"), env.Name("r1")
		DeferCleanup(deleteGlobal, "networks", network)
		DeferCleanup(deleteGlobal, "firewalls", fw1)
		DeferCleanup(deleteGlobal, "firewalls", fw2)
		DeferCleanup(deleteGlobal, "routes", route)
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

	It("creates a legacy network", Label("compute.networks.insert"), func() {
		out := gcloud("networks", "create", network, "--subnet-mode", "legacy", "--range", "10.240.0.0/16")
		Expect(out).To(ContainSubstring(network))
	})

	It("lists the network as a legacy network", Label("compute.networks.list"), func() {
		out := gcloud("networks", "list")
		Expect(out).To(MatchRegexp(network + `\s+LEGACY`))
	})

	It("describes the network", Label("compute.networks.get"), func() {
		out := gcloud("networks", "describe", network)
		Expect(out).To(ContainSubstring("IPv4Range: 10.240.0.0/16"))
		Expect(out).To(ContainSubstring("gatewayIPv4: 10.240.0.1"))
	})

	It("creates a firewall rule for ssh", Label("compute.firewalls.insert"), func() {
		Expect(gcloud("firewall-rules", "create", fw1, "--allow", "tcp:22")).To(ContainSubstring(fw1))
	})

	It("creates a firewall rule with ranges and target tags", Label("compute.firewalls.insert"), func(ctx SpecContext) {
		gcloud("firewall-rules", "create", fw2, "--allow", "tcp:80,tcp:443,icmp",
			"--source-ranges", "10.0.0.0/8", "--target-tags", "web")
		got, err := newService(ctx).Firewalls.Get(env.Project, fw2).Context(ctx).Do()
		Expect(err).NotTo(HaveOccurred())
		Expect(got.SourceRanges).To(Equal([]string{"10.0.0.0/8"}))
		Expect(got.TargetTags).To(Equal([]string{"web"}))
		Expect(got.Allowed).To(ConsistOf(
			&compute.FirewallAllowed{IPProtocol: "tcp", Ports: []string{"80", "443"}},
			&compute.FirewallAllowed{IPProtocol: "icmp"}))
	})

	It("lists the firewall rules", Label("compute.firewalls.list"), func() {
		out := gcloud("firewall-rules", "list")
		Expect(out).To(MatchRegexp(fw1 + `\s+default\s+INGRESS\s+1000\s+tcp:22`))
		Expect(out).To(ContainSubstring(fw2))
	})

	It("creates a route through a next-hop address", Label("compute.routes.insert"), func() {
		out := gcloud("routes", "create", route, "--destination-range", "10.1.0.0/16",
			"--next-hop-address", "10.240.0.10")
		Expect(out).To(ContainSubstring(route))
	})

	It("lists the route", Label("compute.routes.list"), func() {
		Expect(gcloud("routes", "list")).To(MatchRegexp(route + `\s+default\s+10\.1\.0\.0/16\s+10\.240\.0\.10\s+1000`))
	})

	It("deletes the route", Label("compute.routes.delete"), func(ctx SpecContext) {
		gcloud("routes", "delete", route, "--quiet")
		_, err := newService(ctx).Routes.Get(env.Project, route).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	})

	It("deletes the firewall rules", Label("compute.firewalls.delete"), func(ctx SpecContext) {
		gcloud("firewall-rules", "delete", fw1, fw2, "--quiet")
		_, err := newService(ctx).Firewalls.Get(env.Project, fw1).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	})

	It("deletes the network", Label("compute.networks.delete"), func(ctx SpecContext) {
		gcloud("networks", "delete", network, "--quiet")
		_, err := newService(ctx).Networks.Get(env.Project, network).Context(ctx).Do()
		Expect(isNotFound(err)).To(BeTrue(), "get after delete returned %v", err)
	})
})
