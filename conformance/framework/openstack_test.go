package framework

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	fakeos "github.com/gce-api/gce-api/fakes/openstack"
	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
)

const accessCloudsYAML = `clouds:
  tenant:
    auth:
      auth_url: http://192.0.2.10:5000/v3
      username: demo
      password: demo
      project_name: demo
  operator:
    auth:
      auth_url: http://192.0.2.10:5000/v3
      username: admin
      password: secret
      project_name: admin
`

func TestCloudsYAMLAccessWithoutAdmin(t *testing.T) {
	t.Setenv("OS_CLIENT_CONFIG_FILE", writeFile(t, "clouds.yaml", accessCloudsYAML))
	t.Setenv("GCE_API_ADMIN_CLOUD", "")
	access, err := cloudsYAMLAccess("tenant")
	if err != nil {
		t.Fatal(err)
	}
	if access.Demo.Username != "demo" {
		t.Errorf("Demo.Username = %q, want demo", access.Demo.Username)
	}
	if access.Admin != nil {
		t.Errorf("Admin = %+v, want nil without GCE_API_ADMIN_CLOUD", access.Admin)
	}
}

func TestCloudsYAMLAccessWithAdmin(t *testing.T) {
	t.Setenv("OS_CLIENT_CONFIG_FILE", writeFile(t, "clouds.yaml", accessCloudsYAML))
	t.Setenv("GCE_API_ADMIN_CLOUD", "operator")
	access, err := cloudsYAMLAccess("tenant")
	if err != nil {
		t.Fatal(err)
	}
	if access.Admin == nil || access.Admin.Username != "admin" || access.Admin.Password != "secret" {
		t.Errorf("Admin = %+v, want user admin of the entry operator", access.Admin)
	}
}

func TestCloudsYAMLAccessUnknownAdmin(t *testing.T) {
	t.Setenv("OS_CLIENT_CONFIG_FILE", writeFile(t, "clouds.yaml", accessCloudsYAML))
	t.Setenv("GCE_API_ADMIN_CLOUD", "missing")
	if _, err := cloudsYAMLAccess("tenant"); err == nil {
		t.Fatal("cloudsYAMLAccess accepted a GCE_API_ADMIN_CLOUD that clouds.yaml lacks")
	}
}

func TestConnectKeepsOpenStackAccess(t *testing.T) {
	admin := seedCredentials("http://192.0.2.10:5000/v3", "admin")
	settings := seedSettings(TargetOpenStack, "p")
	settings.Endpoint = "http://127.0.0.1:8787/compute/v1/"
	settings.OpenStack = &OpenStackAccess{Demo: seedCredentials(admin.AuthURL, "demo"), Admin: &admin}
	data, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	env, err := Connect(context.Background(), data, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if env.OpenStack == nil || env.OpenStack.Demo.Password != "demo" {
		t.Fatalf("OpenStack = %+v, want the demo user", env.OpenStack)
	}
	if env.OpenStack.Admin == nil || *env.OpenStack.Admin != admin {
		t.Errorf("OpenStack.Admin = %+v, want %+v", env.OpenStack.Admin, admin)
	}
}

func TestOpenStackClientsWithoutAccess(t *testing.T) {
	env := newEnv(Settings{Target: TargetExternal}, 1, 1)
	if _, err := env.OpenStackClients(context.Background()); !errors.Is(err, ErrNoOpenStack) {
		t.Errorf("OpenStackClients error = %v, want ErrNoOpenStack", err)
	}
	if _, err := env.OpenStackAdminClients(context.Background()); !errors.Is(err, ErrNoOpenStack) {
		t.Errorf("OpenStackAdminClients error = %v, want ErrNoOpenStack", err)
	}
	env.OpenStack = &OpenStackAccess{Demo: seedCredentials("http://192.0.2.10:5000/v3", "demo")}
	if _, err := env.OpenStackAdminClients(context.Background()); !errors.Is(err, ErrNoOpenStackAdmin) {
		t.Errorf("OpenStackAdminClients error = %v, want ErrNoOpenStackAdmin", err)
	}
}

func TestOpenStackClientsOfFake(t *testing.T) {
	fake, err := fakeos.Start("127.0.0.1:0", fakeos.Options{Timings: fakeos.FastTimings()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })

	env := newEnv(Settings{Target: TargetFake, OpenStack: fakeAccess(fake.AuthURL())}, 1, 1)
	ctx := t.Context()
	demo, err := env.OpenStackClients(ctx)
	if err != nil {
		t.Fatal(err)
	}

	again, err := env.OpenStackClients(ctx)
	if err != nil || again != demo {
		t.Errorf("second OpenStackClients = %p, %v; want the clients of the first call %p", again, err, demo)
	}

	admin, err := env.OpenStackAdminClients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if admin == demo {
		t.Fatal("OpenStackAdminClients returned the demo user's clients")
	}

	flavor, err := flavors.Create(ctx, admin.Compute, flavors.CreateOpts{Name: "p.admin.check",
		RAM: 512, VCPUs: 1, Disk: gophercloud.IntToPointer(1)}).Extract()
	if err != nil {
		t.Fatalf("create a flavor as admin: %v", err)
	}
	_, err = flavors.Create(ctx, demo.Compute, flavors.CreateOpts{Name: "p.demo.check",
		RAM: 512, VCPUs: 1, Disk: gophercloud.IntToPointer(1)}).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Errorf("flavor create as demo returned %v, want 403 for a user without the admin role", err)
	}

	if err := flavors.Delete(ctx, admin.Compute, flavor.ID).ExtractErr(); err != nil {
		t.Errorf("delete flavor %s: %v", flavor.ID, err)
	}
}
