package compute

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
)

// Names of the operation machines this package registers.
const (
	machineInsertInstance = "instances.insert"
	machineDeleteInstance = "instances.delete"
)

func (s *Service) registerMachines() {
	s.Ops.Register(machineInsertInstance, operations.MachineFunc(s.advanceInsert))
	s.Ops.Register(machineDeleteInstance, operations.MachineFunc(s.advanceDelete))
	s.registerDiskMachines()
	s.registerNetworkingMachines()
	s.registerAddressMachines()
}

// advanceInsert follows a new server: BUILD until ACTIVE, then names its
// boot volume after the GCE disk and gives it its external address.
func (s *Service) advanceInsert(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st insertState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	srv, err := sess.Server(ctx, st.ServerID)
	if errors.Is(err, openstack.ErrNotFound) {
		s.abandonInsert(ctx, sess, rec, st)
		rec.Fail(http.StatusNotFound, "RESOURCE_NOT_FOUND",
			"The OpenStack server of instance '"+rec.Target+"' disappeared while it was being created.")
		return nil
	}
	if err != nil {
		return err
	}
	switch srv.Status {
	case "ERROR":
		s.abandonInsert(ctx, sess, rec, st)
		rec.Fail(http.StatusServiceUnavailable, "ZONE_RESOURCE_POOL_EXHAUSTED",
			orText(srv.FaultMessage, "OpenStack could not build the server")+
				" (instance '"+rec.Target+"')")
		return nil
	case "BUILD":
		rec.Progress = buildProgress(srv.TaskState)
		return nil
	}
	return s.finishInsert(ctx, sess, rec, &st)
}

func buildProgress(task string) int64 {
	switch task {
	case "block_device_mapping", "networking":
		return 30
	case "spawning":
		return 60
	}
	return 10
}

func (s *Service) finishInsert(ctx context.Context, sess *openstack.Session, rec *operations.Record, st *insertState) error {
	zone := rec.Scope[len("zones/"):]
	if !st.DiskNamed {
		if err := s.nameBootDisk(ctx, sess, rec, zone, st); err != nil {
			return err
		}
		st.DiskNamed = true
		rec.SaveState(st)
	}
	rec.Progress = 80
	if st.Access != nil {
		if err := s.attachAccess(ctx, sess, rec, zone, st.ServerID, st.Access); err != nil {
			return err
		}
		st.Access = nil
		rec.SaveState(st)
	}
	rec.Finish()
	return nil
}

// nameBootDisk records the boot volume Nova made as the GCE disk
// st.BootDisk, and the volumes of the other disks as st.Extra.
//
// Nova names the devices of block_device_mapping_v2 in request order
// (/dev/vda for the boot disk, then /dev/vdb, ...), so the attachments
// sorted by device name line up with the boot disk followed by st.Extra.
func (s *Service) nameBootDisk(ctx context.Context, sess *openstack.Session, rec *operations.Record, zone string, st *insertState) error {
	attachments, err := sess.ServerVolumes(ctx, st.ServerID)
	if err != nil {
		return err
	}
	if len(attachments) < 1+len(st.Extra) {
		return fmt.Errorf("server %s has %d of its %d volumes so far", st.ServerID, len(attachments), 1+len(st.Extra))
	}
	sort.Slice(attachments, func(i, j int) bool { return deviceLess(attachments[i].Device, attachments[j].Device) })
	if err := s.nameExtraDisks(ctx, sess, rec, zone, st, attachments[1:]); err != nil {
		return err
	}
	volumeID := attachments[0].VolumeID
	if !st.BootExisting {
		if err := s.recordNewDisk(ctx, sess, rec, st.BootDisk, st.BootDiskData.Description, volumeID); err != nil {
			return err
		}
	}
	return s.updateInstanceData(ctx, rec.Project, zone, rec.Target, func(d *instanceData) {
		if d.Disks == nil {
			d.Disks = map[string]attachedDisk{}
		}
		d.Disks[volumeID] = attachedDisk{DeviceName: st.BootDevice, AutoDelete: st.AutoDelete, Boot: true}
	})
}

// nameExtraDisks records the volumes of st.Extra: new ones get their GCE
// names in Cinder and the store, and every one its device name.
func (s *Service) nameExtraDisks(ctx context.Context, sess *openstack.Session, rec *operations.Record, zone string, st *insertState, attachments []openstack.VolumeAttachment) error {
	for i, extra := range st.Extra {
		volumeID := attachments[i].VolumeID
		if !extra.Existing {
			if err := s.recordNewDisk(ctx, sess, rec, extra.Name, extra.Data.Description, volumeID); err != nil {
				return err
			}
		}
		err := s.updateInstanceData(ctx, rec.Project, zone, rec.Target, func(d *instanceData) {
			if d.Disks == nil {
				d.Disks = map[string]attachedDisk{}
			}
			d.Disks[volumeID] = attachedDisk{DeviceName: extra.Device, AutoDelete: extra.AutoDelete}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// recordNewDisk names a volume Nova made after its disk and stores its id
// in the disk's record.
func (s *Service) recordNewDisk(ctx context.Context, sess *openstack.Session, rec *operations.Record, name, description, volumeID string) error {
	if err := sess.RenameVolume(ctx, volumeID, name, description); err != nil {
		return err
	}
	disk, err := s.Store.Resource(ctx, rec.Project, rec.Scope, "disks", name)
	if err != nil {
		return err
	}
	disk.OpenStackID = volumeID
	return s.Store.UpdateResource(ctx, disk)
}

// deviceLess orders device names as Nova assigns them: /dev/vdz before
// /dev/vdaa.
func deviceLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// attachAccess gives the server's port on the access config's network a
// floating IP: the reserved one at NatIP, or a new ephemeral one.
func (s *Service) attachAccess(ctx context.Context, sess *openstack.Session, rec *operations.Record, zone, serverID string, ac *accessPlanState) error {
	ports, err := sess.Ports(ctx, openstack.PortFilter{DeviceID: serverID, NetworkID: ac.NetworkID})
	if err != nil {
		return err
	}
	if len(ports) == 0 {
		return errors.New("server " + serverID + " has no port on network " + ac.NetworkID + " yet")
	}
	fip, err := s.floatingIPFor(ctx, sess, ac.NatIP, ports[0].ID)
	if err != nil {
		return err
	}
	return s.updateInstanceData(ctx, rec.Project, zone, rec.Target, func(d *instanceData) {
		if d.AccessConfigs == nil {
			d.AccessConfigs = map[string]accessConfig{}
		}
		d.AccessConfigs[fip.ID] = accessConfig{Name: ac.Name, Ephemeral: ac.NatIP == ""}
	})
}

func (s *Service) floatingIPFor(ctx context.Context, sess *openstack.Session, natIP, portID string) (openstack.FloatingIP, error) {
	if natIP != "" {
		list, err := sess.FloatingIPs(ctx, openstack.FloatingIPFilter{Address: natIP})
		if err != nil {
			return openstack.FloatingIP{}, err
		}
		if len(list) == 0 {
			return openstack.FloatingIP{}, errors.New("no floating IP " + natIP + " in the project")
		}
		return list[0], sess.AssociateFloatingIP(ctx, list[0].ID, portID)
	}
	ext, err := s.externalNetwork(ctx, sess)
	if err != nil {
		return openstack.FloatingIP{}, err
	}
	return sess.CreateFloatingIP(ctx, ext.ID, portID, "gce ephemeral address")
}

// externalNetwork returns the network floating IPs come from.
func (s *Service) externalNetwork(ctx context.Context, sess *openstack.Session) (openstack.Network, error) {
	list, err := cached(ctx, s.cache, sess.ProjectID+"/external", func(ctx context.Context) ([]openstack.Network, error) {
		external := true
		return sess.Networks(ctx, openstack.NetworkFilter{External: &external})
	})
	if err != nil {
		return openstack.Network{}, err
	}
	for _, n := range list {
		if s.extNet == "" || n.Name == s.extNet {
			return n, nil
		}
	}
	return openstack.Network{}, errors.New("OpenStack has no external network for floating IPs")
}

// abandonInsert deletes what a failed insert left and frees its names.
func (s *Service) abandonInsert(ctx context.Context, sess *openstack.Session, rec *operations.Record, st insertState) {
	if err := sess.DeleteServer(ctx, st.ServerID); err != nil {
		s.Log.Warn("delete server of failed insert", "server", st.ServerID, "err", err)
	}
	s.Store.Release(ctx, rec.Project, rec.Scope, "instances", rec.Target)
	if !st.BootExisting {
		s.Store.Release(ctx, rec.Project, rec.Scope, "disks", st.BootDisk)
	}
	for _, extra := range st.Extra {
		if !extra.Existing {
			s.Store.Release(ctx, rec.Project, rec.Scope, "disks", extra.Name)
		}
	}
}

// deleteState is the progress of an instances.delete operation.
type deleteState struct {
	ServerID string   `json:"serverId"`
	Disks    []string `json:"disks"` // names of the disks deleted with the instance
}

// advanceDelete waits for the server to go, then for its auto-delete disks,
// and frees their names.
func (s *Service) advanceDelete(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st deleteState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	srv, err := sess.Server(ctx, st.ServerID)
	if err == nil && srv.Status != "DELETED" && srv.Status != "SOFT_DELETED" {
		rec.Progress = 30
		return nil
	}
	if err != nil && !errors.Is(err, openstack.ErrNotFound) {
		return err
	}
	remaining, err := s.deleteDisks(ctx, sess, rec.Project, rec.Scope, st.Disks)
	if err != nil {
		return err
	}
	st.Disks = remaining
	rec.SaveState(st)
	if len(remaining) > 0 {
		rec.Progress = 70
		return nil
	}
	if err := s.releaseInstanceKeypair(ctx, sess, rec.Project, rec.Scope, rec.Target); err != nil {
		return err
	}
	s.Store.Release(ctx, rec.Project, rec.Scope, "instances", rec.Target)
	rec.Finish()
	return nil
}

// deleteDisks deletes the volumes of the named disks that still exist and
// frees the names of those that are gone. It returns the names not yet gone.
func (s *Service) deleteDisks(ctx context.Context, sess *openstack.Session, project, scope string, names []string) ([]string, error) {
	var remaining []string
	for _, name := range names {
		rec, err := s.Store.Resource(ctx, project, scope, "disks", name)
		if err != nil {
			continue
		}
		v, err := sess.Volume(ctx, rec.OpenStackID)
		if errors.Is(err, openstack.ErrNotFound) {
			s.Store.Release(ctx, project, scope, "disks", name)
			continue
		}
		if err != nil {
			return nil, err
		}
		if v.Status == "available" || v.Status == "error" {
			if err := sess.DeleteVolume(ctx, v.ID); err != nil {
				return nil, err
			}
		}
		remaining = append(remaining, name)
	}
	return remaining, nil
}
