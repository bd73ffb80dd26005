package realcloud

import (
	"os"
	"path/filepath"
	"testing"
)

const cloudsYAML = `clouds:
  zed:
    auth:
      auth_url: http://192.0.2.10:5000/v3
      username: demo
      password: secret
      project_name: demo
      user_domain_name: Users
      project_domain_name: Projects
    region_name: RegionTwo
  tokenonly:
    auth:
      auth_url: http://192.0.2.10:5000/v3
      token: abc
`

func writeCloudsYAML(t *testing.T) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clouds.yaml")
	if err := os.WriteFile(path, []byte(cloudsYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OS_CLIENT_CONFIG_FILE", path)
	t.Setenv("OS_REGION_NAME", "")
}

func TestFromCloudsYAMLReadsEntry(t *testing.T) {
	writeCloudsYAML(t)
	creds, err := FromCloudsYAML("zed")
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"AuthURL":           {creds.AuthURL, "http://192.0.2.10:5000/v3"},
		"Username":          {creds.Username, "demo"},
		"Password":          {creds.Password, "secret"},
		"ProjectName":       {creds.ProjectName, "demo"},
		"UserDomainName":    {creds.UserDomainName, "Users"},
		"ProjectDomainName": {creds.ProjectDomainName, "Projects"},
		"RegionName":        {creds.RegionName, "RegionTwo"},
	}
	for field, got := range checks {
		if got[0] != got[1] {
			t.Errorf("%s = %q, want %q", field, got[0], got[1])
		}
	}
}

func TestFromCloudsYAMLRegionOverride(t *testing.T) {
	writeCloudsYAML(t)
	t.Setenv("OS_REGION_NAME", "RegionOne")
	creds, err := FromCloudsYAML("zed")
	if err != nil {
		t.Fatal(err)
	}
	if creds.RegionName != "RegionOne" {
		t.Errorf("RegionName = %q, want RegionOne from OS_REGION_NAME", creds.RegionName)
	}
}

func TestFromCloudsYAMLUnknownCloud(t *testing.T) {
	writeCloudsYAML(t)
	if _, err := FromCloudsYAML("missing"); err == nil {
		t.Fatal("FromCloudsYAML(missing) returned no error")
	}
}

func TestFromCloudsYAMLWithoutPassword(t *testing.T) {
	writeCloudsYAML(t)
	if _, err := FromCloudsYAML("tokenonly"); err == nil {
		t.Fatal("FromCloudsYAML(tokenonly) returned no error for an entry without a password")
	}
}
