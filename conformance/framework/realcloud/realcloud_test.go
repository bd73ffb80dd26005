package realcloud

import (
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gcopenstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
)

// clients holds one gophercloud service client per OpenStack API.
type clients struct {
	compute, network, volume, image *gophercloud.ServiceClient
}

// startCloud starts the image and registers its termination, or skips the
// test unless GCE_API_REALCLOUD=1. GCE_API_REALCLOUD_IMAGE overrides the image.
func startCloud(t *testing.T) *Cloud {
	t.Helper()
	if os.Getenv("GCE_API_REALCLOUD") != "1" {
		t.Skip("set GCE_API_REALCLOUD=1 to run against the gce-api-openstack image " +
			"(make openstack-image builds it), with -count=1 so that go test does not reuse a cached result")
	}
	started := time.Now()
	cloud, err := Start(t.Context(), os.Getenv("GCE_API_REALCLOUD_IMAGE"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("container ready %.1f s after start, Keystone at %s", time.Since(started).Seconds(), cloud.Credentials.AuthURL)
	t.Cleanup(func() {
		if err := cloud.Terminate(context.Background()); err != nil {
			t.Errorf("terminate container: %v", err)
		}
	})
	return cloud
}

func newClients(t *testing.T, cloud *Cloud) clients {
	t.Helper()
	creds := cloud.Credentials
	provider, err := gcopenstack.AuthenticatedClient(t.Context(), gophercloud.AuthOptions{
		IdentityEndpoint: creds.AuthURL,
		Username:         creds.Username,
		Password:         creds.Password,
		DomainName:       creds.UserDomainName,
		Scope:            &gophercloud.AuthScope{ProjectName: creds.ProjectName, DomainName: creds.ProjectDomainName},
	})
	if err != nil {
		t.Fatalf("authenticate as %s: %v", creds.Username, err)
	}
	endpoint := gophercloud.EndpointOpts{Region: creds.RegionName}
	var c clients
	var errs [4]error
	c.compute, errs[0] = gcopenstack.NewComputeV2(provider, endpoint)
	c.network, errs[1] = gcopenstack.NewNetworkV2(provider, endpoint)
	c.volume, errs[2] = gcopenstack.NewBlockStorageV3(provider, endpoint)
	c.image, errs[3] = gcopenstack.NewImageV2(provider, endpoint)
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatalf("service clients: %v", err)
	}
	return c
}

func TestRealCloudBootFromVolume(t *testing.T) {
	cloud := startCloud(t)
	c := newClients(t, cloud)
	ctx := t.Context()

	checkFlavors(t, c)
	checkZones(t, c)
	imageID := findImage(t, c, "debian-12-bookworm-v20240110")
	networkID := findNetwork(t, c, "default")
	publicID := findNetwork(t, c, "public")

	volumeID := createVolumeFromImage(t, c, imageID)
	started := time.Now()
	serverID := bootFromVolume(t, c, volumeID, networkID)
	if err := servers.WaitForStatus(waitContext(t, 3*time.Minute), c.compute, serverID, "ACTIVE"); err != nil {
		t.Fatalf("server %s did not become ACTIVE: %v", serverID, err)
	}
	t.Logf("server ACTIVE %.1f s after POST /servers", time.Since(started).Seconds())

	associateFloatingIP(t, c, serverID, publicID)

	deleteServer(t, c, serverID)
	if err := volumes.Delete(ctx, c.volume, volumeID, nil).ExtractErr(); err != nil {
		t.Errorf("delete volume %s: %v", volumeID, err)
	}
	waitGone(t, "volume "+volumeID, func() error { return volumes.Get(ctx, c.volume, volumeID).Err })
}

func checkFlavors(t *testing.T, c clients) {
	t.Helper()
	pages, err := flavors.ListDetail(c.compute, nil).AllPages(t.Context())
	if err != nil {
		t.Fatalf("list flavors: %v", err)
	}
	list, err := flavors.ExtractFlavors(pages)
	if err != nil {
		t.Fatalf("extract flavors: %v", err)
	}
	want := map[string][3]int{
		"n1.standard.1": {1, 3840, 10}, "n1.standard.2": {2, 7680, 10},
		"e2.micro": {2, 1024, 10}, "e2.small": {2, 2048, 10}, "e2.medium": {2, 4096, 10},
	}
	for _, flavor := range list {
		if spec, ok := want[flavor.Name]; ok {
			if got := [3]int{flavor.VCPUs, flavor.RAM, flavor.Disk}; got != spec {
				t.Errorf("flavor %s (vCPUs, MB, GB) = %v, want %v", flavor.Name, got, spec)
			}
			delete(want, flavor.Name)
		}
	}
	for name := range want {
		t.Errorf("flavor %s is missing", name)
	}
}

func checkZones(t *testing.T, c clients) {
	t.Helper()
	pages, err := availabilityzones.List(c.compute).AllPages(t.Context())
	if err != nil {
		t.Fatalf("list availability zones: %v", err)
	}
	zones, err := availabilityzones.ExtractAvailabilityZones(pages)
	if err != nil {
		t.Fatalf("extract availability zones: %v", err)
	}
	var names []string
	for _, zone := range zones {
		if zone.ZoneState.Available {
			names = append(names, zone.ZoneName)
		}
	}
	for _, want := range []string{"regionone-a", "regionone-b"} {
		if !slices.Contains(names, want) {
			t.Errorf("available zones %v do not include %s", names, want)
		}
	}
}

func findImage(t *testing.T, c clients, name string) string {
	t.Helper()
	pages, err := images.List(c.image, images.ListOpts{Name: name}).AllPages(t.Context())
	if err != nil {
		t.Fatalf("list images named %s: %v", name, err)
	}
	found, err := images.ExtractImages(pages)
	if err != nil || len(found) != 1 {
		t.Fatalf("images named %s: got %d (%v), want 1", name, len(found), err)
	}
	image := found[0]
	if got := image.Properties["gce_image_project"]; got != "debian-cloud" {
		t.Errorf("image %s property gce_image_project = %v, want debian-cloud", name, got)
	}
	if got := image.Properties["family"]; got != "debian-12" {
		t.Errorf("image %s property family = %v, want debian-12", name, got)
	}
	return image.ID
}

func findNetwork(t *testing.T, c clients, name string) string {
	t.Helper()
	pages, err := networks.List(c.network, networks.ListOpts{Name: name}).AllPages(t.Context())
	if err != nil {
		t.Fatalf("list networks named %s: %v", name, err)
	}
	found, err := networks.ExtractNetworks(pages)
	if err != nil || len(found) != 1 {
		t.Fatalf("networks named %s: got %d (%v), want 1", name, len(found), err)
	}
	return found[0].ID
}

func createVolumeFromImage(t *testing.T, c clients, imageID string) string {
	t.Helper()
	started := time.Now()
	volume, err := volumes.Create(t.Context(), c.volume, volumes.CreateOpts{
		Name: "realcloud-boot", Size: 10, ImageID: imageID, AvailabilityZone: "regionone-a",
	}, nil).Extract()
	if err != nil {
		t.Fatalf("create volume from image %s: %v", imageID, err)
	}
	if err := volumes.WaitForStatus(waitContext(t, 3*time.Minute), c.volume, volume.ID, "available"); err != nil {
		t.Fatalf("volume %s did not become available: %v", volume.ID, err)
	}
	t.Logf("volume from image available %.1f s after POST /volumes", time.Since(started).Seconds())
	return volume.ID
}

func bootFromVolume(t *testing.T, c clients, volumeID, networkID string) string {
	t.Helper()
	server, err := servers.Create(t.Context(), c.compute, servers.CreateOpts{
		Name:      "realcloud-server",
		FlavorRef: flavorID(t, c, "e2.micro"),
		Networks:  []servers.Network{{UUID: networkID}},
		BlockDevice: []servers.BlockDevice{{
			SourceType: servers.SourceVolume, DestinationType: servers.DestinationVolume,
			UUID: volumeID, BootIndex: 0,
		}},
	}, nil).Extract()
	if err != nil {
		t.Fatalf("create server: %v", err)
	}
	return server.ID
}

func flavorID(t *testing.T, c clients, name string) string {
	t.Helper()
	pages, err := flavors.ListDetail(c.compute, nil).AllPages(t.Context())
	if err != nil {
		t.Fatalf("list flavors: %v", err)
	}
	list, err := flavors.ExtractFlavors(pages)
	if err != nil {
		t.Fatalf("extract flavors: %v", err)
	}
	for _, flavor := range list {
		if flavor.Name == name {
			return flavor.ID
		}
	}
	t.Fatalf("flavor %s not found", name)
	return ""
}

func associateFloatingIP(t *testing.T, c clients, serverID, publicID string) {
	t.Helper()
	ctx := t.Context()
	portID := serverPort(t, c, serverID)
	fip, err := floatingips.Create(ctx, c.network, floatingips.CreateOpts{FloatingNetworkID: publicID}).Extract()
	if err != nil {
		t.Fatalf("create floating IP: %v", err)
	}
	updated, err := floatingips.Update(ctx, c.network, fip.ID, floatingips.UpdateOpts{PortID: &portID}).Extract()
	if err != nil {
		t.Fatalf("associate floating IP %s with port %s: %v", fip.FloatingIP, portID, err)
	}
	if updated.PortID != portID || updated.FixedIP == "" {
		t.Errorf("floating IP %s: port %q fixed IP %q, want port %s and a fixed IP",
			fip.FloatingIP, updated.PortID, updated.FixedIP, portID)
	}
	if err := floatingips.Delete(ctx, c.network, fip.ID).ExtractErr(); err != nil {
		t.Errorf("delete floating IP %s: %v", fip.ID, err)
	}
}

func serverPort(t *testing.T, c clients, serverID string) string {
	t.Helper()
	pages, err := ports.List(c.network, ports.ListOpts{DeviceID: serverID}).AllPages(t.Context())
	if err != nil {
		t.Fatalf("list ports of server %s: %v", serverID, err)
	}
	found, err := ports.ExtractPorts(pages)
	if err != nil || len(found) != 1 {
		t.Fatalf("ports of server %s: got %d (%v), want 1", serverID, len(found), err)
	}
	if found[0].Status != "ACTIVE" {
		t.Errorf("port %s of server %s is %s, want ACTIVE", found[0].ID, serverID, found[0].Status)
	}
	return found[0].ID
}

func deleteServer(t *testing.T, c clients, serverID string) {
	t.Helper()
	ctx := t.Context()
	if err := servers.Delete(ctx, c.compute, serverID).ExtractErr(); err != nil {
		t.Fatalf("delete server %s: %v", serverID, err)
	}
	waitGone(t, "server "+serverID, func() error { return servers.Get(ctx, c.compute, serverID).Err })
}

// waitGone polls get until it returns 404.
func waitGone(t *testing.T, what string, get func() error) {
	t.Helper()
	err := gophercloud.WaitFor(waitContext(t, 2*time.Minute), func(context.Context) (bool, error) {
		err := get()
		if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
			return true, nil
		}
		return false, err
	})
	if err != nil {
		t.Errorf("%s is still there: %v", what, err)
	}
}

func waitContext(t *testing.T, timeout time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	t.Cleanup(cancel)
	return ctx
}
