package compute

import (
	"context"
	"sort"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/store"
)

// instanceWorld is the OpenStack state instance views are built from,
// loaded once per request.
type instanceWorld struct {
	ports   map[string][]openstack.Port       // by device (server) id
	fips    map[string][]openstack.FloatingIP // by port id
	volumes map[string]openstack.Volume       // by id
	disks   map[string]store.Resource         // disk records by volume id
}

func (s *Service) loadWorld(ctx context.Context, sess *openstack.Session, project string, servers []openstack.Server) (*instanceWorld, error) {
	w := &instanceWorld{ports: map[string][]openstack.Port{}, fips: map[string][]openstack.FloatingIP{},
		volumes: map[string]openstack.Volume{}, disks: map[string]store.Resource{}}
	filter := openstack.PortFilter{}
	if len(servers) == 1 {
		filter.DeviceID = servers[0].ID
	}
	ports, err := sess.Ports(ctx, filter)
	if err != nil {
		return nil, err
	}
	for _, p := range ports {
		w.ports[p.DeviceID] = append(w.ports[p.DeviceID], p)
	}
	fips, err := sess.FloatingIPs(ctx, openstack.FloatingIPFilter{})
	if err != nil {
		return nil, err
	}
	for _, f := range fips {
		w.fips[f.PortID] = append(w.fips[f.PortID], f)
	}
	if err := s.loadVolumes(ctx, sess, w, servers); err != nil {
		return nil, err
	}
	records, err := s.Store.Resources(ctx, project, "", "disks")
	if err != nil {
		return nil, err
	}
	for _, rec := range records {
		w.disks[rec.OpenStackID] = rec
	}
	return w, nil
}

func (s *Service) loadVolumes(ctx context.Context, sess *openstack.Session, w *instanceWorld, servers []openstack.Server) error {
	if len(servers) != 1 {
		list, err := sess.Volumes(ctx)
		for _, v := range list {
			w.volumes[v.ID] = v
		}
		return err
	}
	for _, id := range servers[0].VolumeIDs {
		v, err := sess.Volume(ctx, id)
		if err != nil {
			continue
		}
		w.volumes[id] = v
	}
	return nil
}

// instanceStatus maps a Nova status and task state to a GCE status.
func instanceStatus(srv openstack.Server) string {
	switch srv.Status {
	case "BUILD":
		if srv.TaskState == "spawning" {
			return "STAGING"
		}
		return "PROVISIONING"
	case "ACTIVE", "REBOOT", "HARD_REBOOT", "PASSWORD", "REBUILD", "MIGRATING",
		"RESIZE", "VERIFY_RESIZE", "REVERT_RESIZE", "RESCUE":
		switch srv.TaskState {
		case "powering-off", "deleting":
			return "STOPPING"
		}
		return "RUNNING"
	case "SUSPENDED", "PAUSED":
		return "SUSPENDED"
	case "SHUTOFF", "SHELVED", "SHELVED_OFFLOADED":
		if srv.TaskState == "powering-on" {
			return "STAGING"
		}
		return "TERMINATED"
	}
	return "TERMINATED"
}

func (s *Service) instanceView(ctx context.Context, r *Request, zone string, srv openstack.Server, rec store.Resource, w *instanceWorld) *compute.Instance {
	d := loadInstanceData(rec)
	inst := &compute.Instance{
		Kind: "compute#instance", Id: gce.ID(srv.ID), Name: srv.Name,
		Description: d.Description, Status: instanceStatus(srv), StatusMessage: srv.Status,
		CreationTimestamp: gce.Timestamp(srv.Created),
		Zone:              r.Links.Zone(r.Project(), zone),
		SelfLink:          r.Links.Zone(r.Project(), zone, "instances", srv.Name),
		Labels:            d.Labels, LabelFingerprint: fingerprint(d.Labels),
		Metadata:        metadata{Items: d.Metadata}.view(),
		Tags:            &compute.Tags{Items: srv.Tags, Fingerprint: fingerprint(srv.Tags)},
		ServiceAccounts: d.ServiceAccounts, CanIpForward: d.CanIPForward,
		CpuPlatform: "Unknown CPU Platform", Fingerprint: fingerprint(srv.Updated),
		Scheduling: schedulingOf(d),
	}
	if name, ok := machineTypeName(srv.FlavorName); ok {
		inst.MachineType = r.Links.Zone(r.Project(), zone, "machineTypes", name)
	}
	inst.NetworkInterfaces = s.interfacesOf(ctx, r, srv, d, w)
	inst.Disks = s.disksOf(r, zone, srv, d, w)
	return inst
}

func schedulingOf(d instanceData) *compute.Scheduling {
	if d.Scheduling != nil {
		return d.Scheduling
	}
	restart := true
	return &compute.Scheduling{AutomaticRestart: &restart, OnHostMaintenance: "MIGRATE",
		ProvisioningModel: "STANDARD"}
}

func (s *Service) interfacesOf(ctx context.Context, r *Request, srv openstack.Server, d instanceData, w *instanceWorld) []*compute.NetworkInterface {
	ports := w.ports[srv.ID]
	sortPorts(ports)
	out := make([]*compute.NetworkInterface, 0, len(ports))
	for i, p := range ports {
		nic := &compute.NetworkInterface{Kind: "compute#networkInterface",
			Name: "nic" + itoa(i), Fingerprint: fingerprint(p.ID), StackType: "IPV4_ONLY"}
		if name := s.networkName(ctx, r.Session, p.NetworkID); name != "" {
			nic.Network = r.Links.Global(r.Project(), "networks", name)
		}
		for _, ip := range p.FixedIPs {
			if !strings.Contains(ip.IPAddress, ":") {
				nic.NetworkIP = ip.IPAddress
				break
			}
		}
		for _, f := range w.fips[p.ID] {
			ac := d.AccessConfigs[f.ID]
			nic.AccessConfigs = append(nic.AccessConfigs, &compute.AccessConfig{
				Kind: "compute#accessConfig", Type: "ONE_TO_ONE_NAT",
				Name: orText(ac.Name, "external-nat"), NatIP: f.Address, NetworkTier: "PREMIUM"})
		}
		out = append(out, nic)
	}
	return out
}

// sortPorts puts a server's ports in the order of its network interfaces:
// the port at index i is nic<i>.
func sortPorts(ports []openstack.Port) {
	sort.Slice(ports, func(i, j int) bool {
		if !ports[i].Created.Equal(ports[j].Created) {
			return ports[i].Created.Before(ports[j].Created)
		}
		return ports[i].ID < ports[j].ID
	})
}

func (s *Service) disksOf(r *Request, zone string, srv openstack.Server, d instanceData, w *instanceWorld) []*compute.AttachedDisk {
	out := make([]*compute.AttachedDisk, 0, len(srv.VolumeIDs))
	for i, id := range srv.VolumeIDs {
		att, known := d.Disks[id]
		disk := &compute.AttachedDisk{Kind: "compute#attachedDisk", Index: int64(i),
			Type: "PERSISTENT", Mode: "READ_WRITE", Interface: "SCSI",
			Boot: att.Boot || (!known && i == 0), AutoDelete: att.AutoDelete,
			DeviceName:      orText(att.DeviceName, "persistent-disk-"+itoa(i)),
			ForceSendFields: []string{"AutoDelete", "Boot"}}
		v := w.volumes[id]
		disk.DiskSizeGb = int64(v.SizeGB)
		name := diskNameOf(w, id, v)
		disk.Source = r.Links.Zone(r.Project(), zone, "disks", name)
		out = append(out, disk)
	}
	return out
}

// diskNameOf returns the GCE name of the disk on volume id.
func diskNameOf(w *instanceWorld, id string, v openstack.Volume) string {
	if rec, ok := w.disks[id]; ok {
		return rec.Name
	}
	if gce.ValidName(v.Name) {
		return v.Name
	}
	return "volume-" + strings.ToLower(id)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
