package conformance_test

import (
	"context"

	"github.com/gce-api/gce-api/conformance/framework"
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
