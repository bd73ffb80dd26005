package openstack

import (
	"context"
	"net/http"
	"strings"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/volumeattach"
)

// Zones lists Nova's availability zones.
func (s *Session) Zones(ctx context.Context) ([]Zone, error) {
	sc, err := s.service("compute")
	if err != nil {
		return nil, err
	}
	pages, err := availabilityzones.List(sc).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list availability zones", err)
	}
	list, err := availabilityzones.ExtractAvailabilityZones(pages)
	if err != nil {
		return nil, wrapErr("list availability zones", err)
	}
	out := make([]Zone, 0, len(list))
	for _, z := range list {
		if z.ZoneName == "internal" {
			continue
		}
		out = append(out, Zone{Name: z.ZoneName, Available: z.ZoneState.Available})
	}
	return out, nil
}

// Flavors lists the flavors the project may use.
func (s *Session) Flavors(ctx context.Context) ([]Flavor, error) {
	sc, err := s.service("compute")
	if err != nil {
		return nil, err
	}
	pages, err := flavors.ListDetail(sc, flavors.ListOpts{AccessType: flavors.AllAccess}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list flavors", err)
	}
	list, err := flavors.ExtractFlavors(pages)
	if err != nil {
		return nil, wrapErr("list flavors", err)
	}
	out := make([]Flavor, 0, len(list))
	for _, f := range list {
		out = append(out, Flavor{ID: f.ID, Name: f.Name, VCPUs: f.VCPUs, RAM: f.RAM,
			Disk: f.Disk, Ephemeral: f.Ephemeral})
	}
	return out, nil
}

// CreateServer boots a server from volumes and returns its id.
func (s *Session) CreateServer(ctx context.Context, spec ServerSpec) (string, error) {
	sc, err := s.service("compute")
	if err != nil {
		return "", err
	}
	opts := servers.CreateOpts{
		Name: spec.Name, FlavorRef: spec.FlavorID, AvailabilityZone: spec.Zone,
		SecurityGroups: spec.SecurityGroups, Metadata: spec.Metadata, Tags: spec.Tags,
		BlockDevice: blockDevices(spec.Disks),
	}
	nets := make([]servers.Network, 0, len(spec.NetworkIDs))
	for i, id := range spec.NetworkIDs {
		n := servers.Network{UUID: id}
		if i == 0 {
			n.FixedIP = spec.FixedIP
		}
		nets = append(nets, n)
	}
	opts.Networks = nets
	if len(nets) == 0 {
		opts.Networks = "none"
	}
	var create servers.CreateOptsBuilder = opts
	if spec.KeyName != "" {
		create = keyNameOpts{opts, spec.KeyName}
	}
	srv, err := servers.Create(ctx, sc, create, nil).Extract()
	if err != nil {
		return "", wrapErr("create server "+spec.Name, err)
	}
	return srv.ID, nil
}

// keyNameOpts adds key_name, which servers.CreateOpts leaves to an extension.
type keyNameOpts struct {
	servers.CreateOpts
	keyName string
}

func (o keyNameOpts) ToServerCreateMap() (map[string]any, error) {
	m, err := o.CreateOpts.ToServerCreateMap()
	if err != nil {
		return nil, err
	}
	m["server"].(map[string]any)["key_name"] = o.keyName
	return m, nil
}

func blockDevices(disks []BootDisk) []servers.BlockDevice {
	out := make([]servers.BlockDevice, 0, len(disks))
	for i, d := range disks {
		bd := servers.BlockDevice{BootIndex: i, DeleteOnTermination: d.DeleteOnTerm,
			DestinationType: servers.DestinationVolume, VolumeSize: d.SizeGB}
		switch {
		case d.VolumeID != "":
			bd.SourceType, bd.UUID = servers.SourceVolume, d.VolumeID
		case d.ImageID != "":
			bd.SourceType, bd.UUID = servers.SourceImage, d.ImageID
		default:
			bd.SourceType = servers.SourceBlank
		}
		out = append(out, bd)
	}
	return out
}

// Server returns one server.
func (s *Session) Server(ctx context.Context, id string) (Server, error) {
	sc, err := s.service("compute")
	if err != nil {
		return Server{}, err
	}
	srv, err := servers.Get(ctx, sc, id).Extract()
	if err != nil {
		return Server{}, wrapErr("get server "+id, err)
	}
	return toServer(srv), nil
}

// Servers lists the project's servers.
func (s *Session) Servers(ctx context.Context) ([]Server, error) {
	sc, err := s.service("compute")
	if err != nil {
		return nil, err
	}
	pages, err := servers.List(sc, servers.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list servers", err)
	}
	list, err := servers.ExtractServers(pages)
	if err != nil {
		return nil, wrapErr("list servers", err)
	}
	out := make([]Server, 0, len(list))
	for i := range list {
		out = append(out, toServer(&list[i]))
	}
	return out, nil
}

func toServer(srv *servers.Server) Server {
	out := Server{ID: srv.ID, Name: srv.Name, Status: srv.Status, TaskState: srv.TaskState,
		Zone: srv.AvailabilityZone, Metadata: srv.Metadata, KeyName: srv.KeyName,
		FaultCode: srv.Fault.Code, FaultMessage: srv.Fault.Message,
		Created: srv.Created, Updated: srv.Updated}
	if name, ok := srv.Flavor["original_name"].(string); ok {
		out.FlavorName = name
	}
	if srv.Tags != nil {
		out.Tags = *srv.Tags
	}
	for _, v := range srv.AttachedVolumes {
		out.VolumeIDs = append(out.VolumeIDs, v.ID)
	}
	return out
}

// DeleteServer deletes a server; a server already gone is no error.
func (s *Session) DeleteServer(ctx context.Context, id string) error {
	sc, err := s.service("compute")
	if err != nil {
		return err
	}
	err = servers.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete server "+id, err)
}

// RebootServer reboots a server, hard or soft.
func (s *Session) RebootServer(ctx context.Context, id string, hard bool) error {
	sc, err := s.service("compute")
	if err != nil {
		return err
	}
	how := servers.SoftReboot
	if hard {
		how = servers.HardReboot
	}
	err = servers.Reboot(ctx, sc, id, servers.RebootOpts{Type: how}).ExtractErr()
	return wrapErr("reboot server "+id, err)
}

// ServerVolumes lists the volumes attached to a server.
func (s *Session) ServerVolumes(ctx context.Context, serverID string) ([]VolumeAttachment, error) {
	sc, err := s.service("compute")
	if err != nil {
		return nil, err
	}
	pages, err := volumeattach.List(sc, serverID).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list volume attachments of server "+serverID, err)
	}
	list, err := volumeattach.ExtractVolumeAttachments(pages)
	if err != nil {
		return nil, wrapErr("list volume attachments of server "+serverID, err)
	}
	out := make([]VolumeAttachment, 0, len(list))
	for _, a := range list {
		out = append(out, VolumeAttachment{VolumeID: a.VolumeID, ServerID: a.ServerID,
			Device: a.Device, DeleteOnTerm: a.DeleteOnTermination != nil && *a.DeleteOnTermination})
	}
	return out, nil
}

// FlavorName turns a GCE machine type name into the Nova flavor name it
// stands for when the cloud uses dots: n1-standard-1 -> n1.standard.1.
func FlavorName(machineType string) string {
	return strings.ReplaceAll(machineType, "-", ".")
}
