package openstack

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	gos "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
)

// adminNetwork returns a Neutron client of the seed's admin user.
func adminNetwork(t *testing.T, e *env) *gophercloud.ServiceClient {
	t.Helper()
	ctx := context.Background()
	provider, err := gos.AuthenticatedClient(ctx, gophercloud.AuthOptions{
		IdentityEndpoint: e.srv.AuthURL(), Username: "admin", Password: "admin",
		DomainName: "Default", TenantName: "admin",
	})
	if err != nil {
		t.Fatalf("authenticate admin: %v", err)
	}
	sc, err := gos.NewNetworkV2(provider, gophercloud.EndpointOpts{Region: "RegionOne"})
	if err != nil {
		t.Fatalf("network client: %v", err)
	}
	return sc
}

func TestFloatingIPAddressIsAdminOnly(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	public := e.findNetwork(t, "public").ID
	free, err := floatingips.Create(ctx, e.network, floatingips.CreateOpts{FloatingNetworkID: public}).Extract()
	if err != nil {
		t.Fatalf("create floating IP: %v", err)
	}
	if err := floatingips.Delete(ctx, e.network, free.ID).ExtractErr(); err != nil {
		t.Fatalf("delete floating IP: %v", err)
	}
	opts := floatingips.CreateOpts{FloatingNetworkID: public, FloatingIP: free.FloatingIP}

	_, err = floatingips.Create(ctx, e.network, opts).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Errorf("member asking for %s: err = %v, want 403", free.FloatingIP, err)
	}

	admin := adminNetwork(t, e)
	got, err := floatingips.Create(ctx, admin, opts).Extract()
	if err != nil {
		t.Fatalf("admin asking for %s: %v", free.FloatingIP, err)
	}
	if got.FloatingIP != free.FloatingIP {
		t.Errorf("address = %s, want %s", got.FloatingIP, free.FloatingIP)
	}
	_, err = floatingips.Create(ctx, admin, opts).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Errorf("second claim of %s: err = %v, want 409", free.FloatingIP, err)
	}
	opts.FloatingIP = "192.0.2.250"
	_, err = floatingips.Create(ctx, admin, opts).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Errorf("address outside the network: err = %v, want 400", err)
	}
}
