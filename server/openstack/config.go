package openstack

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/config/clouds"
)

// CredentialsFromEnv reads the standard OS_* variables. The second result is
// false when OS_AUTH_URL is not set.
func CredentialsFromEnv() (Credentials, bool) {
	c := Credentials{
		AuthURL:           os.Getenv("OS_AUTH_URL"),
		Username:          os.Getenv("OS_USERNAME"),
		Password:          os.Getenv("OS_PASSWORD"),
		ProjectName:       firstEnv("OS_PROJECT_NAME", "OS_TENANT_NAME"),
		UserDomainName:    firstEnv("OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME"),
		ProjectDomainName: firstEnv("OS_PROJECT_DOMAIN_NAME", "OS_DOMAIN_NAME"),
		RegionName:        os.Getenv("OS_REGION_NAME"),
	}
	return c, c.AuthURL != ""
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// CredentialsFromCloudsYAML reads the entry name of clouds.yaml from the
// standard places (./clouds.yaml, ~/.config/openstack, /etc/openstack, or
// the file OS_CLIENT_CONFIG_FILE names).
func CredentialsFromCloudsYAML(name string) (Credentials, error) {
	auth, endpoint, _, err := clouds.Parse(clouds.WithCloudName(name))
	if err != nil {
		return Credentials{}, fmt.Errorf("read cloud %q from clouds.yaml: %w", name, err)
	}
	c := Credentials{AuthURL: auth.IdentityEndpoint, Username: auth.Username,
		Password: auth.Password, UserDomainName: auth.DomainName, RegionName: endpoint.Region}
	if auth.Scope != nil {
		c.ProjectName, c.ProjectDomainName = auth.Scope.ProjectName, auth.Scope.DomainName
	}
	return c, nil
}

// Validate reports every missing or malformed field at once.
func (c Credentials) Validate() error {
	var errs []error
	if c.AuthURL == "" {
		errs = append(errs, errors.New("auth URL is missing (OS_AUTH_URL, auth.auth_url in clouds.yaml or openstack.auth_url in the config file)"))
	} else if !strings.HasPrefix(c.AuthURL, "http://") && !strings.HasPrefix(c.AuthURL, "https://") {
		errs = append(errs, fmt.Errorf("auth URL %q must start with http:// or https://", c.AuthURL))
	}
	if c.Username == "" {
		errs = append(errs, errors.New("username is missing (OS_USERNAME, auth.username in clouds.yaml or openstack.username in the config file)"))
	}
	if c.Password == "" {
		errs = append(errs, errors.New("password is missing (OS_PASSWORD, auth.password in clouds.yaml or openstack.password in the config file)"))
	}
	if c.ProjectName == "" {
		errs = append(errs, errors.New("project name is missing (OS_PROJECT_NAME, auth.project_name in clouds.yaml or openstack.project_name in the config file)"))
	}
	return errors.Join(errs...)
}
