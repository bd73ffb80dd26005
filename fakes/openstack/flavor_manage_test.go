package openstack

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	gos "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
)

// adminCompute returns a Nova client of the seed's admin user.
func adminCompute(t *testing.T, e *env) *gophercloud.ServiceClient {
	t.Helper()
	provider, err := gos.AuthenticatedClient(context.Background(), gophercloud.AuthOptions{
		IdentityEndpoint: e.srv.AuthURL(), Username: "admin", Password: "admin",
		DomainName: "Default", TenantName: "admin",
	})
	if err != nil {
		t.Fatalf("authenticate admin: %v", err)
	}
	sc, err := gos.NewComputeV2(provider, gophercloud.EndpointOpts{Region: "RegionOne"})
	if err != nil {
		t.Fatalf("compute client: %v", err)
	}
	return sc
}

func TestFlavorManageIsAdminOnly(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	opts := flavors.CreateOpts{Name: "m1.test", RAM: 512, VCPUs: 1, Disk: gophercloud.IntToPointer(1)}
	_, err := flavors.Create(ctx, e.compute, opts).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Errorf("create as demo: err = %v, want 403", err)
	}
	admin := adminCompute(t, e)
	created, err := flavors.Create(ctx, admin, opts).Extract()
	if err != nil || created.Name != "m1.test" || created.VCPUs != 1 {
		t.Fatalf("create as admin = %+v, %v", created, err)
	}
	if _, err := flavors.Create(ctx, admin, opts).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Errorf("second create of one name: err = %v, want 409", err)
	}
	if err := flavors.Delete(ctx, e.compute, created.ID).ExtractErr(); !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Errorf("delete as demo: err = %v, want 403", err)
	}
	if err := flavors.Delete(ctx, admin, created.ID).ExtractErr(); err != nil {
		t.Fatalf("delete as admin: %v", err)
	}
	if _, err := flavors.Get(ctx, e.compute, created.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Errorf("get of a deleted flavor: err = %v, want 404", err)
	}
}

func TestServerKeepsEmbeddedFlavorAfterDelete(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	admin := adminCompute(t, e)
	f, err := flavors.Create(ctx, admin, flavors.CreateOpts{Name: "m1.gone", RAM: 1024, VCPUs: 2,
		Disk: gophercloud.IntToPointer(10)}).Extract()
	if err != nil {
		t.Fatalf("create flavor: %v", err)
	}
	s, err := servers.Create(ctx, e.compute, servers.CreateOpts{Name: "keeps", FlavorRef: f.ID,
		ImageRef: e.imageID(t, "debian-12-bookworm-v20240110"),
		Networks: []servers.Network{{UUID: e.findNetwork(t, "default").ID}}}, nil).Extract()
	if err != nil {
		t.Fatalf("create server: %v", err)
	}
	if err := flavors.Delete(ctx, admin, f.ID).ExtractErr(); err != nil {
		t.Fatalf("delete flavor: %v", err)
	}
	e.compute.Microversion = "2.47"
	got, err := servers.Get(ctx, e.compute, s.ID).Extract()
	if err != nil {
		t.Fatalf("get server: %v", err)
	}
	if got.Flavor["original_name"] != "m1.gone" || got.Flavor["vcpus"] != float64(2) || got.Flavor["ram"] != float64(1024) {
		t.Errorf("flavor at 2.47 after its deletion = %v, want embedded m1.gone", got.Flavor)
	}
	e.compute.Microversion = "2.46"
	var old struct {
		Flavor map[string]any `json:"flavor"`
	}
	if err := servers.Get(ctx, e.compute, s.ID).ExtractInto(&old); err != nil || old.Flavor["id"] != f.ID {
		t.Errorf("flavor at 2.46 after its deletion = %v, %v; want id %s", old.Flavor, err, f.ID)
	}
}
