package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/gce-api/gce-api/server/openstack"
)

// embeddedPrefix is the path under which the embedded OpenStack is served
// on the server's own listener.
const embeddedPrefix = "/openstack"

// config is the server's configuration from flags, a config file, a
// clouds.yaml entry or OS_* variables, in that order of precedence.
type config struct {
	Listen    string `yaml:"listen"`
	PublicURL string `yaml:"public_url"`
	StatePath string `yaml:"state"`
	Cloud     string `yaml:"cloud"` // a clouds.yaml entry
	LogFormat string `yaml:"log_format"`
	Timings   string `yaml:"timings"` // of the embedded OpenStack: default or fast
	OpenStack struct {
		AuthURL           string `yaml:"auth_url"`
		Username          string `yaml:"username"`
		Password          string `yaml:"password"`
		ProjectName       string `yaml:"project_name"`
		UserDomainName    string `yaml:"user_domain_name"`
		ProjectDomainName string `yaml:"project_domain_name"`
		RegionName        string `yaml:"region_name"`
	} `yaml:"openstack"`

	credentials openstack.Credentials
	embedded    bool // no cloud configured: serve the in-memory OpenStack
}

func parseFlags(name string, args []string) (*config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags]\n", name)
		if name == "gce-api" {
			fmt.Fprintln(fs.Output(), "       gce-api token [flags]   print a Keystone token for the configured user")
		}
		fs.PrintDefaults()
	}
	var file string
	cfg := &config{}
	fs.StringVar(&file, "config", "", "YAML config file (keys: listen, public_url, state, cloud, log_format, openstack.*)")
	fs.StringVar(&cfg.Listen, "listen", "", "address to serve on (default 127.0.0.1:8787)")
	fs.StringVar(&cfg.PublicURL, "public-url", "", "scheme://host[:port] used in every link (default: each request's own)")
	fs.StringVar(&cfg.StatePath, "state", "", "SQLite file for names and operations (default: memory with the embedded OpenStack, else ~/.local/state/gce-api/state.db)")
	fs.StringVar(&cfg.Cloud, "cloud", os.Getenv("OS_CLOUD"), "clouds.yaml entry of the OpenStack to use (default $OS_CLOUD)")
	fs.StringVar(&cfg.LogFormat, "log-format", "", "text or json (default text)")
	fs.StringVar(&cfg.Timings, "timings", "", "state timings of the embedded OpenStack: default or fast")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if file != "" {
		if err := cfg.mergeFile(file); err != nil {
			return nil, err
		}
	}
	return cfg, cfg.resolve()
}

// mergeFile fills the fields the flags left empty from a YAML file.
func (c *config) mergeFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read config file: %w", err)
	}
	var file config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("parse config file %s: %w", path, err)
	}
	fill(&c.Listen, file.Listen)
	fill(&c.PublicURL, file.PublicURL)
	fill(&c.StatePath, file.StatePath)
	fill(&c.Cloud, file.Cloud)
	fill(&c.LogFormat, file.LogFormat)
	fill(&c.Timings, file.Timings)
	c.OpenStack = file.OpenStack
	return nil
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// resolve picks the cloud and checks every setting, reporting all problems
// together.
func (c *config) resolve() error {
	fill(&c.Listen, "127.0.0.1:8787")
	fill(&c.LogFormat, "text")
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: %v", c.Listen, err))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log format %q: must be text or json", c.LogFormat))
	}
	if c.Timings != "" && c.Timings != "default" && c.Timings != "fast" {
		errs = append(errs, fmt.Errorf("timings %q: must be default or fast", c.Timings))
	}
	if err := c.resolveCloud(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (c *config) resolveCloud() error {
	o := c.OpenStack
	switch {
	case o.AuthURL != "":
		c.credentials = openstack.Credentials{AuthURL: o.AuthURL, Username: o.Username,
			Password: o.Password, ProjectName: o.ProjectName, UserDomainName: o.UserDomainName,
			ProjectDomainName: o.ProjectDomainName, RegionName: o.RegionName}
	case c.Cloud != "":
		creds, err := openstack.CredentialsFromCloudsYAML(c.Cloud)
		if err != nil {
			return err
		}
		c.credentials = creds
	default:
		creds, ok := openstack.CredentialsFromEnv()
		if !ok {
			c.embedded = true
			return nil
		}
		c.credentials = creds
	}
	if c.StatePath == "" {
		c.StatePath = defaultStatePath()
	}
	if err := c.credentials.Validate(); err != nil {
		return fmt.Errorf("OpenStack credentials: %w", err)
	}
	return nil
}

// defaultStatePath keeps state across restarts when the OpenStack outlives
// the server.
func defaultStatePath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "gce-api-state.db"
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "gce-api", "state.db")
}

// embeddedCredentials reach the embedded OpenStack as its fixture user.
func embeddedCredentials(base string) openstack.Credentials {
	return openstack.Credentials{AuthURL: base + embeddedPrefix + "/identity/v3",
		Username: "demo", Password: "demo", ProjectName: "demo",
		UserDomainName: "Default", ProjectDomainName: "Default", RegionName: "RegionOne"}
}
