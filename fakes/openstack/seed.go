package openstack

import (
	"crypto/md5"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gce-api/gce-api/fixtures"
)

// seedNamespace makes seeded ids stable across restarts of the fake.
var seedNamespace = uuid.MustParse("6c1f6a55-9d0e-4b4e-8f0a-5b8d2f3f9a10")

// seedUUID returns a stable UUID for a seeded resource of kind and name.
func seedUUID(kind, name string) string {
	return uuid.NewSHA1(seedNamespace, []byte(kind+"/"+name)).String()
}

// keystoneID returns a stable 32-hex Keystone id for a seeded entity.
func keystoneID(kind, name string) string {
	return strings.ReplaceAll(seedUUID(kind, name), "-", "")
}

// seedEpoch is the creation time shown for seeded resources.
var seedEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// load fills the cloud from seed.
func (c *Cloud) load(seed *fixtures.Cloud) error {
	c.region, c.domainID, c.domainName = seed.Region, seed.Domain.ID, seed.Domain.Name
	c.zones = append([]string(nil), seed.AvailabilityZones...)
	for _, p := range seed.Projects {
		id := keystoneID("project", p.Name)
		c.projects[id] = &project{ID: id, Name: p.Name, Description: p.Description}
	}
	for _, u := range seed.Users {
		if err := c.loadUser(u); err != nil {
			return err
		}
	}
	for _, f := range seed.Flavors {
		c.flavors = append(c.flavors, &flavor{ID: seedUUID("flavor", f.Name), Name: f.Name,
			VCPUs: f.VCPUs, RAM: f.RAMMB, Disk: f.DiskGB})
	}
	if err := c.loadNetworks(seed); err != nil {
		return err
	}
	for _, img := range seed.Images {
		if err := c.loadImage(img); err != nil {
			return err
		}
	}
	return nil
}

var (
	roleMember = role{ID: keystoneID("role", "member"), Name: "member"}
	roleReader = role{ID: keystoneID("role", "reader"), Name: "reader"}
	roleAdmin  = role{ID: keystoneID("role", "admin"), Name: "admin"}
)

func (c *Cloud) loadUser(u fixtures.User) error {
	p := c.projectByName(u.Project)
	if p == nil {
		return fmt.Errorf("seed user %q: unknown project %q", u.Name, u.Project)
	}
	roles := []role{roleMember, roleReader}
	if u.Role == "admin" {
		roles = []role{roleAdmin, roleMember, roleReader}
	}
	id := keystoneID("user", u.Name)
	c.users[id] = &user{ID: id, Name: u.Name, Password: u.Password, ProjectID: p.ID, Roles: roles}
	return nil
}

func (c *Cloud) projectByName(name string) *project {
	for _, p := range c.projects {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func (c *Cloud) loadNetworks(seed *fixtures.Cloud) error {
	ext := seed.ExternalNetwork
	owner := c.projectByName(ext.Project)
	if owner == nil {
		return fmt.Errorf("seed external network %q: unknown project %q", ext.Name, ext.Project)
	}
	net := c.addNetwork(seedUUID("network", ext.Name), ext.Name, owner.ID, seedEpoch)
	net.External = true
	if _, err := c.addSubnet(seedUUID("subnet", ext.Subnet), ext.Subnet, net, ext.CIDR, ext.GatewayIP, seedEpoch); err != nil {
		return err
	}
	for _, pn := range seed.ProjectNetworks {
		if err := c.loadProjectNetwork(pn, net); err != nil {
			return err
		}
	}
	return nil
}

func (c *Cloud) loadProjectNetwork(pn fixtures.ProjectNetwork, ext *network) error {
	p := c.projectByName(pn.Project)
	if p == nil {
		return fmt.Errorf("seed network %q: unknown project %q", pn.Network, pn.Project)
	}
	key := pn.Project + "/" + pn.Network
	net := c.addNetwork(seedUUID("network", key), pn.Network, p.ID, seedEpoch)
	sub, err := c.addSubnet(seedUUID("subnet", key), pn.Subnet, net, pn.CIDR, pn.GatewayIP, seedEpoch)
	if err != nil {
		return err
	}
	c.addSecurityGroup(seedUUID("security-group", key), pn.SecurityGroup, "Default security group", p.ID, seedEpoch)
	rt := &router{ID: seedUUID("router", key), Name: pn.Router, ProjectID: p.ID, EnableSNAT: true,
		standard: standard{Created: seedEpoch, Updated: seedEpoch, Tags: []string{}}}
	c.routersL3[rt.ID] = rt
	if err := c.setGateway(rt, ext.ID, seedEpoch); err != nil {
		return fmt.Errorf("seed router %q: %w", key, err)
	}
	_, err = c.attachSubnet(rt, sub, seedEpoch)
	return err
}

func (c *Cloud) loadImage(img fixtures.Image) error {
	owner := c.projectByName(img.Owner)
	if owner == nil {
		return fmt.Errorf("seed image %q: unknown owner %q", img.Name, img.Owner)
	}
	created, err := time.Parse(time.RFC3339, img.CreatedAt)
	if err != nil {
		return fmt.Errorf("seed image %q: created_at: %w", img.Name, err)
	}
	size, virtual := img.SizeBytes, img.VirtualSizeBytes
	sum := md5.Sum([]byte(img.Name))
	hash := sha512.Sum512([]byte(img.Name))
	i := &image{ID: seedUUID("image", img.Name), Name: img.Name, Owner: owner.ID,
		Visibility: "public", Status: "active", DiskFormat: img.DiskFormat,
		ContainerFormat: "bare", Size: &size, VirtualSize: &virtual, MinDisk: img.MinDisk,
		Checksum: hex.EncodeToString(sum[:]), HashValue: hex.EncodeToString(hash[:]),
		Properties: map[string]any{"gce_image_project": img.ImageProject, "family": img.Family},
		Tags:       []string{}, Created: created, Updated: created}
	c.images[i.ID] = i
	return nil
}

// parseCIDR parses an IPv4 or IPv6 prefix and masks it.
func parseCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, err
	}
	return p.Masked(), nil
}
