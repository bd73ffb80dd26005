package conformance_test

import (
	"context"
	"slices"

	"github.com/gce-api/gce-api/conformance/framework"
	"github.com/gophercloud/gophercloud/v2"
	gopherstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/routers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	compute "google.golang.org/api/compute/v1"
)

// createNetwork inserts a network, registers its deletion and waits.
func createNetwork(ctx context.Context, svc *compute.Service, n *compute.Network) {
	op, err := svc.Networks.Insert(env.Project, n).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(deleteGlobal, "networks", n.Name)
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
}

// createFirewall inserts a firewall, registers its deletion and waits.
func createFirewall(ctx context.Context, svc *compute.Service, fw *compute.Firewall) {
	op, err := svc.Firewalls.Insert(env.Project, fw).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(deleteGlobal, "firewalls", fw.Name)
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
}

// createRoute inserts a route, registers its deletion and waits.
func createRoute(ctx context.Context, svc *compute.Service, rt *compute.Route) {
	op, err := svc.Routes.Insert(env.Project, rt).Context(ctx).Do()
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(deleteGlobal, "routes", rt.Name)
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
}

// deleteGlobal deletes a network, firewall or route unless it is already
// gone, and waits.
func deleteGlobal(ctx SpecContext, kind, name string) {
	svc := newService(ctx)
	var op *compute.Operation
	var err error
	switch kind {
	case "networks":
		op, err = svc.Networks.Delete(env.Project, name).Context(ctx).Do()
	case "firewalls":
		op, err = svc.Firewalls.Delete(env.Project, name).Context(ctx).Do()
	case "routes":
		op, err = svc.Routes.Delete(env.Project, name).Context(ctx).Do()
	}
	if isNotFound(err) {
		return
	}
	Expect(err).NotTo(HaveOccurred())
	_, err = framework.Wait(ctx, svc, op)
	Expect(err).NotTo(HaveOccurred())
}

// instanceOn returns an insert request for an instance on a network, with
// tags and no external address.
func instanceOn(name, network string, tags ...string) *compute.Instance {
	inst := newInstance(name)
	inst.NetworkInterfaces = []*compute.NetworkInterface{{Network: "global/networks/" + network}}
	if len(tags) > 0 {
		inst.Tags = &compute.Tags{Items: tags}
	}
	return inst
}

// fakeClients returns Nova and Neutron clients of the demo project on the
// in-memory OpenStack, or skips the spec on other targets.
func fakeClients(ctx context.Context) (nova, neutron *gophercloud.ServiceClient) {
	skipUnlessFake()
	provider, err := gopherstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{
		IdentityEndpoint: env.Fake.AuthURL(), Username: "demo", Password: "demo",
		DomainName: "Default", TenantName: "demo"})
	Expect(err).NotTo(HaveOccurred())
	nova, err = gopherstack.NewComputeV2(provider, gophercloud.EndpointOpts{})
	Expect(err).NotTo(HaveOccurred())
	neutron, err = gopherstack.NewNetworkV2(provider, gophercloud.EndpointOpts{})
	Expect(err).NotTo(HaveOccurred())
	return nova, neutron
}

// portGroupNames returns the names of the security groups of the Neutron
// ports of the Nova server named name.
func portGroupNames(ctx context.Context, name string) []string {
	nova, neutron := fakeClients(ctx)
	pages, err := servers.List(nova, servers.ListOpts{Name: "^" + name + "$"}).AllPages(ctx)
	Expect(err).NotTo(HaveOccurred())
	list, err := servers.ExtractServers(pages)
	Expect(err).NotTo(HaveOccurred())
	Expect(list).To(HaveLen(1), "Nova servers named %s", name)
	pages, err = ports.List(neutron, ports.ListOpts{DeviceID: list[0].ID}).AllPages(ctx)
	Expect(err).NotTo(HaveOccurred())
	portList, err := ports.ExtractPorts(pages)
	Expect(err).NotTo(HaveOccurred())
	Expect(portList).NotTo(BeEmpty())
	names := groupNamesByID(ctx, neutron)
	var out []string
	for _, p := range portList {
		for _, id := range p.SecurityGroups {
			out = append(out, names[id])
		}
	}
	slices.Sort(out)
	return out
}

func groupNamesByID(ctx context.Context, neutron *gophercloud.ServiceClient) map[string]string {
	pages, err := groups.List(neutron, groups.ListOpts{}).AllPages(ctx)
	Expect(err).NotTo(HaveOccurred())
	list, err := groups.ExtractGroups(pages)
	Expect(err).NotTo(HaveOccurred())
	out := map[string]string{}
	for _, g := range list {
		out[g.ID] = g.Name
	}
	return out
}

// routerRoutes returns the extra routes of the Neutron router named name.
func routerRoutes(ctx context.Context, name string) []routers.Route {
	_, neutron := fakeClients(ctx)
	pages, err := routers.List(neutron, routers.ListOpts{Name: name}).AllPages(ctx)
	Expect(err).NotTo(HaveOccurred())
	list, err := routers.ExtractRouters(pages)
	Expect(err).NotTo(HaveOccurred())
	Expect(list).To(HaveLen(1), "Neutron routers named %s", name)
	return list[0].Routes
}

// securityGroup returns the Neutron security group named name.
func securityGroup(ctx context.Context, name string) groups.SecGroup {
	_, neutron := fakeClients(ctx)
	pages, err := groups.List(neutron, groups.ListOpts{Name: name}).AllPages(ctx)
	Expect(err).NotTo(HaveOccurred())
	list, err := groups.ExtractGroups(pages)
	Expect(err).NotTo(HaveOccurred())
	Expect(list).To(HaveLen(1), "Neutron security groups named %s", name)
	return list[0]
}

// fakeHolds reports whether the in-memory OpenStack holds an object of
// kind ("routers", "subnets", ...) named name.
func fakeHolds(kind, name string) bool {
	return slices.Contains(env.Fake.Cloud.Inventory()[kind], name)
}
