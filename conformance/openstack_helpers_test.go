package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gce-api/gce-api/conformance/framework"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/external"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/routers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
	"github.com/gophercloud/gophercloud/v2/pagination"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The helpers below read the OpenStack behind the server through
// gophercloud, as the user whose Keystone token the specs send, so they work
// on the fake and on a real cloud alike. Each skips the spec on the
// external target, which gives no way to the OpenStack.

// openStackTimeout bounds a wait for the OpenStack to settle. A real cloud
// deletes a volume or a server some seconds after it accepts the request.
const openStackTimeout = 2 * time.Minute

// openStackPolling is the interval between two reads of a wait for the
// OpenStack, long enough to spare a real cloud's APIs.
const openStackPolling = 250 * time.Millisecond

// reachesOpenStack reports whether the target lets specs read the OpenStack
// behind the server, so that a spec can add checks of it.
func reachesOpenStack() bool {
	return env.OpenStack != nil
}

// skipUnlessOpenStack skips a spec that checks the OpenStack behind the
// server, on a target that gives no way to it. A spec calls it first, so
// that it skips before it creates anything.
func skipUnlessOpenStack() {
	GinkgoHelper()
	if !reachesOpenStack() {
		Skip(framework.ErrNoOpenStack.Error())
	}
}

// openStack returns the clients of the user whose token the specs send, or
// skips the spec on a target that gives no way to the OpenStack.
func openStack(ctx context.Context) *framework.OpenStackClients {
	GinkgoHelper()
	skipUnlessOpenStack()
	clients, err := env.OpenStackClients(ctx)
	Expect(err).NotTo(HaveOccurred())
	return clients
}

// openStackAdmin returns an administrator's clients of the OpenStack behind
// the server, or skips the spec, naming purpose, when the target has no
// administrator credentials.
func openStackAdmin(ctx context.Context, purpose string) *framework.OpenStackClients {
	GinkgoHelper()
	clients, err := env.OpenStackAdminClients(ctx)
	if errors.Is(err, framework.ErrNoOpenStack) || errors.Is(err, framework.ErrNoOpenStackAdmin) {
		Skip("needs an OpenStack administrator to " + purpose + ": " + err.Error())
	}
	Expect(err).NotTo(HaveOccurred())
	return clients
}

// eventuallyInOpenStack polls f for up to openStackTimeout, for state that
// the OpenStack reaches some time after the server's operation is DONE.
func eventuallyInOpenStack(ctx context.Context, f any) AsyncAssertion {
	return Eventually(f).WithContext(ctx).WithTimeout(openStackTimeout).WithPolling(openStackPolling)
}

// allPages returns every page of pager or fails the spec.
func allPages(ctx context.Context, pager pagination.Pager) pagination.Page {
	pages, err := pager.AllPages(ctx)
	Expect(err).NotTo(HaveOccurred())
	return pages
}

// openStackNames returns the names of the project's OpenStack objects
// of kind, sorted: "servers", "volumes", "floatingips" (by address),
// "security-groups", "routers", "networks", "subnets", "images" or
// "keypairs". An object without a name appears by its id. Neutron lists
// shared objects of other projects too, such as the external network.
func openStackNames(ctx context.Context, kind string) []string {
	clients := openStack(ctx)
	var names []string
	switch kind {
	case "servers":
		names = novaServerNames(ctx, clients)
	case "volumes":
		names = cinderVolumeNames(ctx, clients)
	case "images":
		names = glanceImageNames(ctx, clients)
	case "keypairs":
		names = novaKeypairNames(ctx, clients)
	default:
		names = neutronNames(ctx, kind)
	}
	slices.Sort(names)
	return names
}

func novaServerNames(ctx context.Context, clients *framework.OpenStackClients) []string {
	list, err := servers.ExtractServers(allPages(ctx, servers.List(clients.Compute, servers.ListOpts{})))
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, s := range list {
		names = append(names, nameOrID(s.Name, s.ID))
	}
	return names
}

func cinderVolumeNames(ctx context.Context, clients *framework.OpenStackClients) []string {
	list, err := volumes.ExtractVolumes(allPages(ctx, volumes.List(clients.BlockStorage, volumes.ListOpts{})))
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, v := range list {
		names = append(names, nameOrID(v.Name, v.ID))
	}
	return names
}

func glanceImageNames(ctx context.Context, clients *framework.OpenStackClients) []string {
	list, err := images.ExtractImages(allPages(ctx, images.List(clients.Image, images.ListOpts{})))
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, i := range list {
		names = append(names, nameOrID(i.Name, i.ID))
	}
	return names
}

func novaKeypairNames(ctx context.Context, clients *framework.OpenStackClients) []string {
	list, err := keypairs.ExtractKeyPairs(allPages(ctx, keypairs.List(clients.Compute, nil)))
	Expect(err).NotTo(HaveOccurred())
	var names []string
	for _, k := range list {
		names = append(names, k.Name)
	}
	return names
}

// neutronNames lists the Neutron objects of kind.
func neutronNames(ctx context.Context, kind string) []string {
	var names []string
	switch kind {
	case "floatingips":
		for _, f := range listFloatingIPs(ctx, floatingips.ListOpts{}) {
			names = append(names, f.FloatingIP)
		}
	case "security-groups":
		for _, g := range listSecurityGroups(ctx, groups.ListOpts{}) {
			names = append(names, nameOrID(g.Name, g.ID))
		}
	case "routers":
		for _, r := range listRouters(ctx, routers.ListOpts{}) {
			names = append(names, nameOrID(r.Name, r.ID))
		}
	case "networks":
		for _, n := range listNetworks(ctx, networks.ListOpts{}) {
			names = append(names, nameOrID(n.Name, n.ID))
		}
	case "subnets":
		for _, s := range listSubnets(ctx, subnets.ListOpts{}) {
			names = append(names, nameOrID(s.Name, s.ID))
		}
	default:
		Fail("openStackNames: unknown kind " + kind)
	}
	return names
}

func nameOrID(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

func listFloatingIPs(ctx context.Context, opts floatingips.ListOpts) []floatingips.FloatingIP {
	list, err := floatingips.ExtractFloatingIPs(allPages(ctx, floatingips.List(openStack(ctx).Network, opts)))
	Expect(err).NotTo(HaveOccurred())
	return list
}

func listSecurityGroups(ctx context.Context, opts groups.ListOpts) []groups.SecGroup {
	list, err := groups.ExtractGroups(allPages(ctx, groups.List(openStack(ctx).Network, opts)))
	Expect(err).NotTo(HaveOccurred())
	return list
}

func listRouters(ctx context.Context, opts routers.ListOpts) []routers.Router {
	list, err := routers.ExtractRouters(allPages(ctx, routers.List(openStack(ctx).Network, opts)))
	Expect(err).NotTo(HaveOccurred())
	return list
}

func listNetworks(ctx context.Context, opts networks.ListOptsBuilder) []networks.Network {
	list, err := networks.ExtractNetworks(allPages(ctx, networks.List(openStack(ctx).Network, opts)))
	Expect(err).NotTo(HaveOccurred())
	return list
}

func listSubnets(ctx context.Context, opts subnets.ListOpts) []subnets.Subnet {
	list, err := subnets.ExtractSubnets(allPages(ctx, subnets.List(openStack(ctx).Network, opts)))
	Expect(err).NotTo(HaveOccurred())
	return list
}

func listPorts(ctx context.Context, opts ports.ListOpts) []ports.Port {
	list, err := ports.ExtractPorts(allPages(ctx, ports.List(openStack(ctx).Network, opts)))
	Expect(err).NotTo(HaveOccurred())
	return list
}

// novaServer returns the Nova server named name, waiting until exactly one
// server has that name.
func novaServer(ctx context.Context, name string) servers.Server {
	nova := openStack(ctx).Compute
	var found []servers.Server
	eventuallyInOpenStack(ctx, func() []servers.Server {
		var err error
		// Nova matches the name filter as a regular expression.
		found, err = servers.ExtractServers(allPages(ctx,
			servers.List(nova, servers.ListOpts{Name: "^" + name + "$"})))
		Expect(err).NotTo(HaveOccurred())
		return found
	}).Should(HaveLen(1), "Nova servers named %s", name)
	return found[0]
}

// portGroupNames returns the sorted names of the security groups of the
// Neutron ports of the Nova server named name.
func portGroupNames(ctx context.Context, name string) []string {
	portList := listPorts(ctx, ports.ListOpts{DeviceID: novaServer(ctx, name).ID})
	Expect(portList).NotTo(BeEmpty(), "Neutron ports of server %s", name)
	names := map[string]string{}
	for _, g := range listSecurityGroups(ctx, groups.ListOpts{}) {
		names[g.ID] = g.Name
	}
	var out []string
	for _, p := range portList {
		for _, id := range p.SecurityGroups {
			out = append(out, names[id])
		}
	}
	slices.Sort(out)
	return out
}

// routerNamed returns the Neutron router named name.
func routerNamed(ctx context.Context, name string) routers.Router {
	list := listRouters(ctx, routers.ListOpts{Name: name})
	Expect(list).To(HaveLen(1), "Neutron routers named %s", name)
	return list[0]
}

// routerRoutes returns the extra routes of the Neutron router named name.
func routerRoutes(ctx context.Context, name string) []routers.Route {
	return routerNamed(ctx, name).Routes
}

// securityGroup returns the Neutron security group named name.
func securityGroup(ctx context.Context, name string) groups.SecGroup {
	list := listSecurityGroups(ctx, groups.ListOpts{Name: name})
	Expect(list).To(HaveLen(1), "Neutron security groups named %s", name)
	return list[0]
}

// externalNetworkIDs returns the ids of the networks with router:external.
func externalNetworkIDs(ctx context.Context) []string {
	yes := true
	var ids []string
	for _, n := range listNetworks(ctx, external.ListOptsExt{ListOptsBuilder: networks.ListOpts{}, External: &yes}) {
		ids = append(ids, n.ID)
	}
	return ids
}

// floatingIPAt returns the Neutron floating IP at address.
func floatingIPAt(ctx context.Context, address string) floatingips.FloatingIP {
	list := listFloatingIPs(ctx, floatingips.ListOpts{FloatingIP: address})
	Expect(list).To(HaveLen(1), "floating IPs at %s", address)
	return list[0]
}

// keypairsWithPrefix lists the demo user's Nova key pairs whose names start
// with prefix.
func keypairsWithPrefix(ctx context.Context, prefix string) []string {
	var out []string
	for _, name := range openStackNames(ctx, "keypairs") {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	return out
}

// neutronRequest sends a raw request with the demo user's Keystone token to
// a path under /v2.0/ of the Neutron endpoint in the catalog, and returns
// the status and the decoded body.
func neutronRequest(ctx context.Context, method, path string, body any) (int, map[string]any) {
	neutron := openStack(ctx).Network
	var data []byte
	if body != nil {
		var err error
		data, err = json.Marshal(body)
		Expect(err).NotTo(HaveOccurred())
	}
	req, err := http.NewRequestWithContext(ctx, method, neutron.ResourceBaseURL()+path, bytes.NewReader(data))
	Expect(err).NotTo(HaveOccurred())
	req.Header.Set("X-Auth-Token", neutron.Token())
	req.Header.Set("Content-Type", "application/json")
	resp, err := env.Send(req)
	Expect(err).NotTo(HaveOccurred())
	var out map[string]any
	if len(resp.Body) > 0 {
		Expect(json.Unmarshal(resp.Body, &out)).To(Succeed(), "body: %s", resp.Body)
	}
	return resp.Status, out
}
