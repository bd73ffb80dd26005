package framework

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gce-api/gce-api/conformance/framework/realcloud"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gophercloud/gophercloud/v2"
	gopherstack "github.com/gophercloud/gophercloud/v2/openstack"
)

// OpenStackAccess contains the credentials with which specs reach the
// OpenStack behind the server, to check what the server created there.
type OpenStackAccess struct {
	// Demo is the user and project that the server's token belongs to.
	Demo openstack.Credentials `json:"demo"`
	// Admin is an administrator of the same cloud, or nil when the target
	// has no administrator credentials.
	Admin *openstack.Credentials `json:"admin,omitempty"`
}

// Errors of Env.OpenStackClients and Env.OpenStackAdminClients. Their
// messages name the setting to change, so that a spec can skip with them.
var (
	ErrNoOpenStack = errors.New("the target gives no access to the OpenStack behind " +
		"the server: run with GCE_API_TARGET=fake or GCE_API_TARGET=openstack")
	ErrNoOpenStackAdmin = errors.New("the target has no OpenStack administrator credentials: " +
		"set GCE_API_ADMIN_CLOUD to the clouds.yaml entry of an admin of the cloud " +
		"that GCE_API_CLOUD names")
)

// OpenStackClients are gophercloud v2 service clients of one OpenStack user.
type OpenStackClients struct {
	Compute      *gophercloud.ServiceClient // Nova, at its default microversion 2.1
	Network      *gophercloud.ServiceClient // Neutron
	BlockStorage *gophercloud.ServiceClient // Cinder v3, at its default microversion
	Image        *gophercloud.ServiceClient // Glance v2
}

// seedCredentials returns the credentials of a user of the fixtures seed
// data at authURL. The seed names each user's password and project after
// the user.
func seedCredentials(authURL, user string) openstack.Credentials {
	return openstack.Credentials{
		AuthURL: authURL, Username: user, Password: user, ProjectName: user,
		UserDomainName: "Default", ProjectDomainName: "Default",
	}
}

// fakeAccess returns the demo and admin users of the in-memory OpenStack at
// authURL.
func fakeAccess(authURL string) *OpenStackAccess {
	admin := seedCredentials(authURL, "admin")
	return &OpenStackAccess{Demo: seedCredentials(authURL, "demo"), Admin: &admin}
}

// cloudAccess returns the users of the started container.
func cloudAccess(cloud *realcloud.Cloud) *OpenStackAccess {
	admin := cloud.Admin
	return &OpenStackAccess{Demo: cloud.Credentials, Admin: &admin}
}

// cloudsYAMLAccess returns the clouds.yaml entry named by GCE_API_CLOUD as
// the demo user and, when GCE_API_ADMIN_CLOUD is set, the entry it names as
// the administrator.
func cloudsYAMLAccess(name string) (*OpenStackAccess, error) {
	demo, err := realcloud.FromCloudsYAML(name)
	if err != nil {
		return nil, err
	}
	access := &OpenStackAccess{Demo: demo}
	if adminName := os.Getenv("GCE_API_ADMIN_CLOUD"); adminName != "" {
		admin, err := realcloud.FromCloudsYAML(adminName)
		if err != nil {
			return nil, fmt.Errorf("GCE_API_ADMIN_CLOUD: %w", err)
		}
		access.Admin = &admin
	}
	return access, nil
}

// OpenStackClients returns service clients of the user whose token the
// specs send, for the OpenStack behind the server. It authenticates once
// per process. It returns ErrNoOpenStack on the external target.
//
// NOTE: the clients do not send through e.Recorder, because the Keystone
// request body carries the password and the recorder keeps bodies.
func (e *Env) OpenStackClients(ctx context.Context) (*OpenStackClients, error) {
	if e.OpenStack == nil {
		return nil, ErrNoOpenStack
	}
	return e.clientsOf(ctx, e.OpenStack.Demo)
}

// OpenStackAdminClients returns service clients of an administrator of the
// OpenStack behind the server. It returns ErrNoOpenStack on the external
// target and ErrNoOpenStackAdmin when the target has no administrator
// credentials.
func (e *Env) OpenStackAdminClients(ctx context.Context) (*OpenStackClients, error) {
	if e.OpenStack == nil {
		return nil, ErrNoOpenStack
	}
	if e.OpenStack.Admin == nil {
		return nil, ErrNoOpenStackAdmin
	}
	return e.clientsOf(ctx, *e.OpenStack.Admin)
}

// clientsOf returns the clients of creds, made on the first call.
func (e *Env) clientsOf(ctx context.Context, creds openstack.Credentials) (*OpenStackClients, error) {
	e.openStackMu.Lock()
	defer e.openStackMu.Unlock()
	key := creds.AuthURL + "\x00" + creds.Username + "\x00" + creds.ProjectName
	if clients, ok := e.openStackClients[key]; ok {
		return clients, nil
	}
	clients, err := newOpenStackClients(ctx, creds)
	if err != nil {
		return nil, err
	}
	if e.openStackClients == nil {
		e.openStackClients = map[string]*OpenStackClients{}
	}
	e.openStackClients[key] = clients
	return clients, nil
}

func newOpenStackClients(ctx context.Context, creds openstack.Credentials) (*OpenStackClients, error) {
	provider, err := gopherstack.AuthenticatedClient(ctx, authOptions(creds))
	if err != nil {
		return nil, fmt.Errorf("authenticate %s in project %s at %s: %w",
			creds.Username, creds.ProjectName, creds.AuthURL, err)
	}
	at := gophercloud.EndpointOpts{Region: creds.RegionName}
	var clients OpenStackClients
	var errs [4]error
	clients.Compute, errs[0] = gopherstack.NewComputeV2(provider, at)
	clients.Network, errs[1] = gopherstack.NewNetworkV2(provider, at)
	clients.BlockStorage, errs[2] = gopherstack.NewBlockStorageV3(provider, at)
	clients.Image, errs[3] = gopherstack.NewImageV2(provider, at)
	if err := errors.Join(errs[:]...); err != nil {
		return nil, fmt.Errorf("find the OpenStack endpoints in the catalog of %s: %w", creds.AuthURL, err)
	}
	return &clients, nil
}

// authOptions returns a password login scoped to creds' project, with the
// domain "Default" where creds name none, as the server logs in.
func authOptions(creds openstack.Credentials) gophercloud.AuthOptions {
	return gophercloud.AuthOptions{
		IdentityEndpoint: creds.AuthURL,
		Username:         creds.Username,
		Password:         creds.Password,
		DomainName:       orDefaultDomain(creds.UserDomainName),
		Scope: &gophercloud.AuthScope{ProjectName: creds.ProjectName,
			DomainName: orDefaultDomain(creds.ProjectDomainName)},
		AllowReauth: true,
	}
}

func orDefaultDomain(domain string) string {
	if domain == "" {
		return "Default"
	}
	return domain
}
