package framework

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
)

// Target names accepted by GCE_API_TARGET and the suite's -target flag.
const (
	TargetFake      = "fake"
	TargetOpenStack = "openstack"
	TargetExternal  = "external"
)

// Settings are the facts about a target that every Ginkgo process of a run
// shares. They travel between processes as JSON.
type Settings struct {
	Target       string `json:"target"`
	Endpoint     string `json:"endpoint"` // ends in /compute/v1/
	Token        string `json:"token"`
	Project      string `json:"project"`
	Zone         string `json:"zone"`
	SecondZone   string `json:"secondZone"` // "" when the target has one zone
	Region       string `json:"region"`
	ImageProject string `json:"imageProject"`
	ImageFamily  string `json:"imageFamily"`
	MachineType  string `json:"machineType"`
	Prefix       string `json:"prefix"` // starts the name of everything a run creates

	// Seeded is true when the target holds the fixtures seed data (the
	// images, machine types and network that the fake OpenStack starts with).
	Seeded bool `json:"seeded"`

	// OpenStack contains the credentials of the OpenStack behind the server
	// on the fake and openstack targets. It is nil on the external target.
	OpenStack *OpenStackAccess `json:"openstack,omitempty"`
}

// seedSettings returns the names that the fixtures seed data defines.
func seedSettings(target, prefix string) Settings {
	return Settings{
		Target:       target,
		Project:      "demo",
		Zone:         "regionone-a",
		SecondZone:   "regionone-b",
		Region:       "regionone",
		ImageProject: "debian-cloud",
		ImageFamily:  "debian-12",
		MachineType:  "e2-small",
		Prefix:       prefix,
		Seeded:       true,
	}
}

// ExternalConfig is the JSON file, named by GCE_API_CONFIG, that describes
// an external target.
type ExternalConfig struct {
	Endpoint     string `json:"endpoint"`    // e.g. http://127.0.0.1:8787/compute/v1/
	Project      string `json:"project"`     // project the specs work in
	Zone         string `json:"zone"`        // zone the specs create instances in
	SecondZone   string `json:"second_zone"` // optional; specs that need it skip
	Region       string `json:"region"`      // region that contains zone
	Token        string `json:"token"`       // bearer token, or use token_file
	TokenFile    string `json:"token_file"`  // file holding the bearer token
	ImageProject string `json:"image_project"`
	ImageFamily  string `json:"image_family"`
	MachineType  string `json:"machine_type"`
}

// LoadExternalConfig reads and validates an external target's config file.
// The error lists every problem found, not only the first.
func LoadExternalConfig(path string) (ExternalConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ExternalConfig{}, fmt.Errorf("read GCE_API_CONFIG: %w", err)
	}
	var cfg ExternalConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return ExternalConfig{}, fmt.Errorf("parse %s: %w", path, err)
	}
	if err := cfg.Validate(); err != nil {
		return ExternalConfig{}, fmt.Errorf("invalid %s:\n%w", path, err)
	}
	return cfg, nil
}

// Validate checks every field and joins all problems into one error.
func (c ExternalConfig) Validate() error {
	var errs []error
	errs = append(errs, checkEndpoint(c.Endpoint))
	for _, f := range c.requiredFields() {
		if f.value == "" {
			errs = append(errs, fmt.Errorf("%s: missing", f.name))
		}
	}
	errs = append(errs, c.checkToken())
	return errors.Join(errs...)
}

type namedValue struct{ name, value string }

func (c ExternalConfig) requiredFields() []namedValue {
	return []namedValue{
		{"project", c.Project}, {"zone", c.Zone}, {"region", c.Region},
		{"image_project", c.ImageProject}, {"image_family", c.ImageFamily},
		{"machine_type", c.MachineType},
	}
}

func checkEndpoint(endpoint string) error {
	if endpoint == "" {
		return errors.New("endpoint: missing")
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint: %q is not an absolute http(s) URL", endpoint)
	}
	if !strings.HasSuffix(u.Path, "/compute/v1/") {
		return fmt.Errorf("endpoint: %q must end in /compute/v1/", endpoint)
	}
	return nil
}

func (c ExternalConfig) checkToken() error {
	switch {
	case c.Token != "" && c.TokenFile != "":
		return errors.New("token, token_file: set one of them, not both")
	case c.Token == "" && c.TokenFile == "":
		return errors.New("token, token_file: missing (set one of them)")
	case c.TokenFile != "":
		_, err := readToken(c.TokenFile)
		return err
	}
	return nil
}

func readToken(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("token_file: %w", err)
	}
	token := strings.TrimSpace(string(data))
	if token == "" {
		return "", fmt.Errorf("token_file: %s is empty", path)
	}
	return token, nil
}

// settings converts a validated config into Settings.
func (c ExternalConfig) settings(prefix string) (Settings, error) {
	token := c.Token
	if c.TokenFile != "" {
		var err error
		if token, err = readToken(c.TokenFile); err != nil {
			return Settings{}, err
		}
	}
	return Settings{
		Target: TargetExternal, Endpoint: c.Endpoint, Token: token,
		Project: c.Project, Zone: c.Zone, SecondZone: c.SecondZone,
		Region: c.Region, ImageProject: c.ImageProject,
		ImageFamily: c.ImageFamily, MachineType: c.MachineType,
		Prefix: prefix,
	}, nil
}

// maxPrefixLen leaves room for "-instance-NNNNN" inside the 63 characters
// that a Compute Engine resource name may have.
const maxPrefixLen = 40

var prefixPattern = regexp.MustCompile(`^[a-z][-a-z0-9]*[a-z0-9]$`)

// Prefix returns the run prefix: GCE_API_PREFIX when set, or "cft-" and six
// random characters from [a-z0-9].
func Prefix() (string, error) {
	prefix := os.Getenv("GCE_API_PREFIX")
	if prefix == "" {
		// rand.Text is base32, so its lower case is within [a-z0-9].
		return "cft-" + strings.ToLower(rand.Text()[:6]), nil
	}
	if len(prefix) > maxPrefixLen || !prefixPattern.MatchString(prefix) {
		return "", fmt.Errorf("GCE_API_PREFIX %q: want at most %d characters "+
			"matching %s", prefix, maxPrefixLen, prefixPattern)
	}
	return prefix, nil
}
