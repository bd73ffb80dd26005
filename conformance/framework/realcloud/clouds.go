package realcloud

import (
	"fmt"

	"github.com/gophercloud/gophercloud/v2/openstack/config/clouds"

	"github.com/gce-api/gce-api/server/openstack"
)

// FromCloudsYAML returns the password credentials of the cloud called name in
// clouds.yaml. The file is the one named by OS_CLIENT_CONFIG_FILE, or else the
// first found of ./clouds.yaml, ~/.config/openstack/clouds.yaml and
// /etc/openstack/clouds.yaml; a secure.yaml beside it is merged in.
// OS_REGION_NAME, when set, overrides the entry's region_name.
func FromCloudsYAML(name string) (openstack.Credentials, error) {
	auth, endpoint, _, err := clouds.Parse(clouds.WithCloudName(name))
	if err != nil {
		return openstack.Credentials{}, fmt.Errorf("read cloud %q from clouds.yaml: %w", name, err)
	}
	creds := openstack.Credentials{
		AuthURL:        auth.IdentityEndpoint,
		Username:       auth.Username,
		Password:       auth.Password,
		ProjectName:    auth.TenantName,
		UserDomainName: auth.DomainName,
		RegionName:     endpoint.Region,
	}
	if auth.Scope != nil {
		creds.ProjectDomainName = auth.Scope.DomainName
	}
	if creds.AuthURL == "" || creds.Username == "" || creds.Password == "" || creds.ProjectName == "" {
		return openstack.Credentials{}, fmt.Errorf(
			"cloud %q in clouds.yaml needs auth_url, username, password and project_name", name)
	}
	return creds, nil
}
