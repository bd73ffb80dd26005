package openstack

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gos "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/snapshots"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/volumeattach"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
)

// env is a running fake with a demo client for each service.
type env struct {
	srv                                   *Server
	clock                                 *ManualClock
	provider                              *gophercloud.ProviderClient
	compute, network, volume, image, auth *gophercloud.ServiceClient
}

func startEnv(t *testing.T) *env {
	t.Helper()
	clock := NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	srv, err := Start("127.0.0.1:0", Options{Clock: clock})
	if err != nil {
		t.Fatalf("start fake: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ctx := context.Background()
	provider, err := gos.AuthenticatedClient(ctx, gophercloud.AuthOptions{
		IdentityEndpoint: srv.AuthURL(), Username: "demo", Password: "demo",
		DomainName: "Default", TenantName: "demo",
	})
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	e := &env{srv: srv, clock: clock, provider: provider}
	eo := gophercloud.EndpointOpts{Region: "RegionOne"}
	for _, c := range []struct {
		dst **gophercloud.ServiceClient
		new func(*gophercloud.ProviderClient, gophercloud.EndpointOpts) (*gophercloud.ServiceClient, error)
	}{{&e.compute, gos.NewComputeV2}, {&e.network, gos.NewNetworkV2}, {&e.volume, gos.NewBlockStorageV3},
		{&e.image, gos.NewImageV2}, {&e.auth, gos.NewIdentityV3}} {
		sc, err := c.new(provider, eo)
		if err != nil {
			t.Fatalf("service client: %v", err)
		}
		*c.dst = sc
	}
	return e
}

func (e *env) findNetwork(t *testing.T, name string) networks.Network {
	t.Helper()
	pages, err := networks.List(e.network, networks.ListOpts{Name: name}).AllPages(context.Background())
	if err != nil {
		t.Fatalf("list networks: %v", err)
	}
	list, _ := networks.ExtractNetworks(pages)
	if len(list) != 1 {
		t.Fatalf("networks named %q: got %d, want 1", name, len(list))
	}
	return list[0]
}

func (e *env) imageID(t *testing.T, name string) string {
	t.Helper()
	pages, err := images.List(e.image, images.ListOpts{Name: name}).AllPages(context.Background())
	if err != nil {
		t.Fatalf("list images: %v", err)
	}
	list, _ := images.ExtractImages(pages)
	if len(list) != 1 {
		t.Fatalf("images named %q: got %d, want 1", name, len(list))
	}
	return list[0].ID
}

func (e *env) flavorID(t *testing.T, name string) string {
	t.Helper()
	pages, err := flavors.ListDetail(e.compute, nil).AllPages(context.Background())
	if err != nil {
		t.Fatalf("list flavors: %v", err)
	}
	list, _ := flavors.ExtractFlavors(pages)
	for _, f := range list {
		if f.Name == name {
			return f.ID
		}
	}
	t.Fatalf("flavor %q not found", name)
	return ""
}

func TestDiscoveryAndSeed(t *testing.T) {
	e := startEnv(t)
	if got := e.findNetwork(t, "default").Subnets; len(got) != 1 {
		t.Errorf("default network subnets = %v, want one", got)
	}
	if e.findNetwork(t, "public").ID == "" {
		t.Errorf("public network has no id")
	}
	if e.flavorID(t, "e2.micro") == "" {
		t.Errorf("flavor e2.micro missing")
	}
	img, err := images.Get(context.Background(), e.image, e.imageID(t, "debian-12-bookworm-v20240110")).Extract()
	if err != nil {
		t.Fatalf("get debian image: %v", err)
	}
	if img.SizeBytes != 196640 {
		t.Errorf("debian image size = %d, want the 196640 bytes of its empty qcow2 file", img.SizeBytes)
	}
	if img.VirtualSize != 2<<30 {
		t.Errorf("debian image virtual_size = %d, want 2 GiB", img.VirtualSize)
	}
	pages, err := volumes.List(e.volume, nil).AllPages(context.Background())
	if err != nil {
		t.Fatalf("list volumes: %v", err)
	}
	if vols, _ := volumes.ExtractVolumes(pages); len(vols) != 0 {
		t.Errorf("seed volumes = %d, want 0", len(vols))
	}
}

func (e *env) serverStatus(t *testing.T, id string) *servers.Server {
	t.Helper()
	s, err := servers.Get(context.Background(), e.compute, id).Extract()
	if err != nil {
		t.Fatalf("get server: %v", err)
	}
	return s
}

func (e *env) volumeStatus(t *testing.T, id string) string {
	t.Helper()
	v, err := volumes.Get(context.Background(), e.volume, id).Extract()
	if err != nil {
		t.Fatalf("get volume %s: %v", id, err)
	}
	return v.Status
}

func (e *env) bootFromVolume(t *testing.T, name string) *servers.Server {
	t.Helper()
	net := e.findNetwork(t, "default")
	s, err := servers.Create(context.Background(), e.compute, servers.CreateOpts{
		Name: name, FlavorRef: e.flavorID(t, "e2.small"),
		Networks: []servers.Network{{UUID: net.ID}},
		BlockDevice: []servers.BlockDevice{{SourceType: servers.SourceImage, UUID: e.imageID(t, "debian-12-bookworm-v20240110"),
			DestinationType: servers.DestinationVolume, VolumeSize: 10, DeleteOnTermination: true}},
	}, nil).Extract()
	if err != nil {
		t.Fatalf("create server: %v", err)
	}
	return s
}

func TestBootFromVolumeBecomesActive(t *testing.T) {
	e := startEnv(t)
	s := e.bootFromVolume(t, "bfv")
	if got := e.serverStatus(t, s.ID); got.Status != "BUILD" || len(got.Addresses) != 0 {
		t.Fatalf("status after create = %s with %d networks, want BUILD with none", got.Status, len(got.Addresses))
	}
	e.clock.Advance(100 * time.Millisecond)
	if got := e.serverStatus(t, s.ID); got.Status != "BUILD" {
		t.Fatalf("status while the volume is created = %s, want BUILD", got.Status)
	}
	e.clock.Advance(3 * time.Second)
	got := e.serverStatus(t, s.ID)
	if got.Status != "ACTIVE" {
		t.Fatalf("status after build = %s, want ACTIVE", got.Status)
	}
	if len(got.AttachedVolumes) != 1 {
		t.Fatalf("attached volumes = %d, want 1", len(got.AttachedVolumes))
	}
	volID := got.AttachedVolumes[0].ID
	v, err := volumes.Get(context.Background(), e.volume, volID).Extract()
	if err != nil {
		t.Fatalf("get boot volume: %v", err)
	}
	if v.Status != "in-use" || v.Bootable != "true" || v.Name != "" {
		t.Errorf("boot volume = status %s bootable %s name %q, want in-use, true, empty", v.Status, v.Bootable, v.Name)
	}
	if v.VolumeImageMetadata["family"] != "debian-12" {
		t.Errorf("volume_image_metadata family = %q", v.VolumeImageMetadata["family"])
	}
	if len(got.Addresses["default"].([]any)) != 1 {
		t.Errorf("addresses = %v, want one on default", got.Addresses)
	}
	if err := servers.Delete(context.Background(), e.compute, s.ID).ExtractErr(); err != nil {
		t.Fatalf("delete server: %v", err)
	}
	e.clock.Advance(time.Second)
	_, err = volumes.Get(context.Background(), e.volume, volID).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Errorf("boot volume after server delete: err = %v, want 404", err)
	}
}

func TestBuildFollowsNovaTaskStates(t *testing.T) {
	e := startEnv(t)
	s := e.bootFromVolume(t, "steps")
	var seen []string
	for range 1000 {
		got := e.serverStatus(t, s.ID)
		step := got.Status + "/" + got.TaskState
		if len(seen) == 0 || seen[len(seen)-1] != step {
			seen = append(seen, step)
		}
		if got.Status != "BUILD" {
			break
		}
		e.clock.Advance(5 * time.Millisecond)
	}
	want := []string{"BUILD/scheduling", "BUILD/", "BUILD/networking", "BUILD/block_device_mapping",
		"BUILD/spawning", "ACTIVE/"}
	if !equal(seen, want) {
		t.Errorf("status/task_state steps = %q, want %q", seen, want)
	}
}

func TestFailedBuildEndsInError(t *testing.T) {
	e := startEnv(t)
	remove := e.srv.Cloud.FailServerBuilds(regexp.MustCompile("^doomed"))
	defer remove()
	s := e.bootFromVolume(t, "doomed-1")
	e.clock.Advance(5 * time.Second)
	got := e.serverStatus(t, s.ID)
	if got.Status != "ERROR" || got.Fault.Code != 500 {
		t.Errorf("status = %s fault %+v, want ERROR with code 500", got.Status, got.Fault)
	}
}

func TestAttachDetachSequence(t *testing.T) {
	e := startEnv(t)
	s := e.bootFromVolume(t, "host")
	e.clock.Advance(5 * time.Second)
	size := 1
	v, err := volumes.Create(context.Background(), e.volume, volumes.CreateOpts{Size: size, Name: "data"}, nil).Extract()
	if err != nil {
		t.Fatalf("create volume: %v", err)
	}
	if v.Status != "creating" {
		t.Errorf("status in create body = %s, want creating", v.Status)
	}
	e.clock.Advance(time.Second)
	if got := e.volumeStatus(t, v.ID); got != "available" {
		t.Fatalf("status = %s, want available", got)
	}
	if _, err := volumeattach.Create(context.Background(), e.compute, s.ID, volumeattach.CreateOpts{VolumeID: v.ID}).Extract(); err != nil {
		t.Fatalf("attach: %v", err)
	}
	attach := DefaultTimings().VolumeAttach
	var seen []string
	for i := 0; i < 3; i++ {
		seen = append(seen, e.volumeStatus(t, v.ID))
		e.clock.Advance(attach / 2)
	}
	if want := []string{"reserved", "attaching", "in-use"}; !equal(seen, want) {
		t.Errorf("attach states = %v, want %v", seen, want)
	}
	if err := volumeattach.Delete(context.Background(), e.compute, s.ID, v.ID).ExtractErr(); err != nil {
		t.Fatalf("detach: %v", err)
	}
	seen = []string{e.volumeStatus(t, v.ID)}
	e.clock.Advance(DefaultTimings().VolumeDetach)
	seen = append(seen, e.volumeStatus(t, v.ID))
	if want := []string{"detaching", "available"}; !equal(seen, want) {
		t.Errorf("detach states = %v, want %v", seen, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFloatingIPDisassociate(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	p, err := ports.Create(ctx, e.network, ports.CreateOpts{NetworkID: e.findNetwork(t, "default").ID, Name: "p"}).Extract()
	if err != nil {
		t.Fatalf("create port: %v", err)
	}
	fip, err := floatingips.Create(ctx, e.network, floatingips.CreateOpts{
		FloatingNetworkID: e.findNetwork(t, "public").ID, PortID: p.ID, Description: "web"}).Extract()
	if err != nil {
		t.Fatalf("create floating IP: %v", err)
	}
	if fip.PortID != p.ID || fip.RouterID == "" {
		t.Errorf("floating IP port %q router %q, want port %s and a router", fip.PortID, fip.RouterID, p.ID)
	}
	raw := e.network.ServiceURL("floatingips", fip.ID)
	_, err = e.network.Put(ctx, raw, map[string]any{"floatingip": map[string]any{"port_id": ""}}, nil, &gophercloud.RequestOpts{OkCodes: []int{200}})
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Errorf(`port_id "": err = %v, want 400`, err)
	}
	_, err = e.network.Put(ctx, raw, map[string]any{"floatingip": map[string]any{"port_id": nil}}, nil, &gophercloud.RequestOpts{OkCodes: []int{200}})
	if err != nil {
		t.Fatalf("port_id null: %v", err)
	}
	after, _ := floatingips.Get(ctx, e.network, fip.ID).Extract()
	if after.PortID != "" {
		t.Errorf("port after null = %q, want none", after.PortID)
	}
}

func TestVolumeWithSnapshotDelete(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	v, err := volumes.Create(ctx, e.volume, volumes.CreateOpts{Size: 1, Name: "src"}, nil).Extract()
	if err != nil {
		t.Fatalf("create volume: %v", err)
	}
	e.clock.Advance(time.Second)
	snap, err := snapshots.Create(ctx, e.volume, snapshots.CreateOpts{VolumeID: v.ID, Name: "s"}).Extract()
	if err != nil {
		t.Fatalf("create snapshot: %v", err)
	}
	e.clock.Advance(time.Second)
	err = volumes.Delete(ctx, e.volume, v.ID, nil).ExtractErr()
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("delete volume with snapshot: err = %v, want 400", err)
	}
	if err := snapshots.Delete(ctx, e.volume, snap.ID).ExtractErr(); err != nil {
		t.Fatalf("delete snapshot: %v", err)
	}
	e.clock.Advance(time.Second)
	if err := volumes.Delete(ctx, e.volume, v.ID, nil).ExtractErr(); err != nil {
		t.Fatalf("delete volume: %v", err)
	}
	if got := e.volumeStatus(t, v.ID); got != "deleting" {
		t.Errorf("status after delete = %s, want deleting", got)
	}
	e.clock.Advance(time.Second)
	if inv := e.srv.Cloud.Inventory(); len(inv["volumes"])+len(inv["snapshots"]) != 0 {
		t.Errorf("inventory after deletes: volumes %v snapshots %v", inv["volumes"], inv["snapshots"])
	}
}

func TestComputeMicroversions(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	s := e.bootFromVolume(t, "mv")
	e.compute.Microversion = "2.999"
	_, err := servers.Get(ctx, e.compute, s.ID).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusNotAcceptable) {
		t.Errorf("2.999: err = %v, want 406", err)
	}
	e.compute.Microversion = "2.46"
	old := servers.Get(ctx, e.compute, s.ID)
	var oldBody struct {
		Flavor map[string]any `json:"flavor"`
	}
	if err := old.ExtractInto(&oldBody); err != nil {
		t.Fatalf("get at 2.46: %v", err)
	}
	if _, has := oldBody.Flavor["id"]; !has {
		t.Errorf("flavor at 2.46 = %v, want an id", oldBody.Flavor)
	}
	e.compute.Microversion = "2.47"
	got, err := servers.Get(ctx, e.compute, s.ID).Extract()
	if err != nil {
		t.Fatalf("get at 2.47: %v", err)
	}
	if got.Flavor["original_name"] != "e2.small" || got.Flavor["vcpus"] != float64(2) {
		t.Errorf("flavor at 2.47 = %v, want embedded e2.small", got.Flavor)
	}
	if _, has := got.Flavor["id"]; has {
		t.Errorf("flavor at 2.47 has an id")
	}
}

func TestNetworksRequiredFrom237(t *testing.T) {
	e := startEnv(t)
	e.compute.Microversion = "2.37"
	_, err := servers.Create(context.Background(), e.compute, servers.CreateOpts{
		Name: "x", FlavorRef: e.flavorID(t, "e2.micro"), ImageRef: e.imageID(t, "debian-11-bullseye-v20240110"),
	}, nil).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Errorf("create without networks at 2.37: err = %v, want 400", err)
	}
}

func TestUnknownFlavorIs400(t *testing.T) {
	e := startEnv(t)
	_, err := servers.Create(context.Background(), e.compute, servers.CreateOpts{
		Name: "x", FlavorRef: "no-such-flavor", ImageRef: e.imageID(t, "debian-11-bullseye-v20240110"),
		Networks: "auto",
	}, nil).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Errorf("unknown flavor: err = %v, want 400", err)
	}
}

func TestInjectedFault(t *testing.T) {
	e := startEnv(t)
	remove := e.srv.Cloud.InjectFault(Fault{Service: "compute", Path: regexp.MustCompile("^/v2.1/flavors"), Status: 503, Times: 1})
	defer remove()
	_, err := flavors.ListDetail(e.compute, nil).AllPages(context.Background())
	if !gophercloud.ResponseCodeIs(err, http.StatusServiceUnavailable) {
		t.Errorf("first list: err = %v, want 503", err)
	}
	if _, err := flavors.ListDetail(e.compute, nil).AllPages(context.Background()); err != nil {
		t.Errorf("second list: err = %v, want success after Times is used", err)
	}
}

func TestPortRejectsNetworkAndBroadcastAddresses(t *testing.T) {
	e := startEnv(t)
	net := e.findNetwork(t, "default")
	for _, ip := range []string{"10.240.0.0", "10.240.255.255"} {
		_, err := ports.Create(context.Background(), e.network, ports.CreateOpts{NetworkID: net.ID,
			FixedIPs: []ports.IP{{SubnetID: net.Subnets[0], IPAddress: ip}}}).Extract()
		if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
			t.Errorf("port at %s: err = %v, want 400", ip, err)
		}
	}
	if _, err := ports.Create(context.Background(), e.network, ports.CreateOpts{NetworkID: net.ID,
		FixedIPs: []ports.IP{{SubnetID: net.Subnets[0], IPAddress: "10.240.255.254"}}}).Extract(); err != nil {
		t.Errorf("port at the last host address: %v", err)
	}
}

func TestServerWithTakenFixedIPIs400(t *testing.T) {
	e := startEnv(t)
	net := e.findNetwork(t, "default")
	_, err := servers.Create(context.Background(), e.compute, servers.CreateOpts{
		Name: "taken", FlavorRef: e.flavorID(t, "e2.micro"), ImageRef: e.imageID(t, "debian-11-bullseye-v20240110"),
		Networks: []servers.Network{{UUID: net.ID, FixedIP: "10.240.0.1"}},
	}, nil).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("server at the gateway address: err = %v, want 400", err)
	}
	if !strings.Contains(err.Error(), "Fixed IP address 10.240.0.1 is already in use on instance") {
		t.Errorf("message = %v, want Nova's FixedIpAlreadyInUse", err)
	}
}
