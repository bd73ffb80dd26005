package compute

import (
	"context"
	"errors"
	"net/http"
	"slices"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// diskActionState is the progress of an attachDisk or detachDisk operation.
type diskActionState struct {
	ServerID   string `json:"serverId"`
	VolumeID   string `json:"volumeId"`
	DeviceName string `json:"deviceName"`
}

// zoneDiskPath is the resource path of a disk in error messages.
func zoneDiskPath(r *Request, zone, name string) string {
	return "projects/" + r.Project() + "/zones/" + zone + "/disks/" + name
}

// attachPlan is a validated attachDisk request.
type attachPlan struct {
	volumeID   string
	deviceName string
	autoDelete bool
}

func (s *Service) attachDisk(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	var body compute.AttachedDisk
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	plan, err := s.planAttach(ctx, r, zone.Name, rec, &body)
	if err != nil {
		return Fail(err)
	}
	if _, err := r.Session.AttachVolume(ctx, srv.ID, plan.volumeID, plan.autoDelete); err != nil {
		return Fail(apiError(err, instancePath(r, zone.Name, rec.Name)))
	}
	err = s.updateInstanceData(ctx, r.Project(), zone.Name, rec.Name, func(d *instanceData) {
		if d.Disks == nil {
			d.Disks = map[string]attachedDisk{}
		}
		d.Disks[plan.volumeID] = attachedDisk{DeviceName: plan.deviceName, AutoDelete: plan.autoDelete}
	})
	if err != nil {
		return Fail(err)
	}
	st := diskActionState{ServerID: srv.ID, VolumeID: plan.volumeID, DeviceName: plan.deviceName}
	return s.startInstanceAction(ctx, r, zone.Name, rec.Name, srv.ID, "attachDisk", machineAttachDisk, st)
}

// startInstanceAction stores a zonal operation on an instance and returns
// it. An empty machine stores the operation DONE.
func (s *Service) startInstanceAction(ctx context.Context, r *Request, zone, name, serverID, opType, machine string, state any) Response {
	op := &operations.Record{Project: r.Project(), Scope: "zones/" + zone, Type: opType,
		Kind: "instances", Target: name, TargetID: serverID, User: r.Session.UserName, Machine: machine}
	if state != nil {
		if err := op.SaveState(state); err != nil {
			return Fail(err)
		}
	}
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

func (s *Service) planAttach(ctx context.Context, r *Request, zone string, inst store.Resource, body *compute.AttachedDisk) (attachPlan, error) {
	if body.Source == "" {
		return attachPlan{}, gce.Required("resource.source")
	}
	if body.Mode != "" && body.Mode != "READ_WRITE" {
		return attachPlan{}, gce.InvalidField("resource.mode", body.Mode,
			"Only READ_WRITE is supported: Cinder attaches volumes read-write.")
	}
	disk, err := s.attachSourceDisk(ctx, r, zone, "resource.source", body.Source)
	if err != nil {
		return attachPlan{}, err
	}
	if err := s.checkDiskFree(ctx, r, zone, disk); err != nil {
		return attachPlan{}, err
	}
	d := loadInstanceData(inst)
	name := body.DeviceName
	if name == "" {
		name = freeDeviceName(d)
	}
	if deviceInUse(d, name) {
		return attachPlan{}, gce.InvalidField("resource.deviceName", name,
			"The instance already has a disk with this device name.")
	}
	return attachPlan{volumeID: disk.OpenStackID, deviceName: name, autoDelete: body.AutoDelete}, nil
}

// attachSourceDisk returns the store record of the disk a request field names.
func (s *Service) attachSourceDisk(ctx context.Context, r *Request, zone, field, text string) (store.Resource, error) {
	ref, err := refInScope(r, field, text, "disks", "zones/"+zone)
	if err != nil {
		return store.Resource{}, err
	}
	rec, err := s.Store.Resource(ctx, r.Project(), "zones/"+zone, "disks", ref.Name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return rec, gce.NotFound(zoneDiskPath(r, zone, ref.Name))
	}
	return rec, err
}

// checkDiskFree returns resourceInUseByAnotherResource when the disk's
// volume is attached anywhere, and resourceNotReady when it is not
// available for another reason.
func (s *Service) checkDiskFree(ctx context.Context, r *Request, zone string, disk store.Resource) error {
	v, err := r.Session.Volume(ctx, disk.OpenStackID)
	if err != nil {
		return apiError(err, zoneDiskPath(r, zone, disk.Name))
	}
	if len(v.Attachments) > 0 || v.Status == "in-use" || v.Status == "reserved" || v.Status == "attaching" {
		user := "another server"
		if len(v.Attachments) > 0 {
			user = s.instancePathOf(ctx, r.Project(), v.Attachments[0].ServerID)
		}
		return gce.InUse("The disk resource '%s' is already being used by '%s'",
			zoneDiskPath(r, zone, disk.Name), user)
	}
	if v.Status != "available" {
		return gce.NotReady("The disk resource '%s' is not ready (volume status %s)",
			zoneDiskPath(r, zone, disk.Name), v.Status)
	}
	return nil
}

// freeDeviceName returns the first persistent-disk-N the instance does not use.
func freeDeviceName(d instanceData) string {
	for i := 0; ; i++ {
		name := "persistent-disk-" + itoa(i)
		if !deviceInUse(d, name) {
			return name
		}
	}
}

func deviceInUse(d instanceData, name string) bool {
	for _, att := range d.Disks {
		if att.DeviceName == name {
			return true
		}
	}
	return false
}

// advanceAttachDisk waits for Cinder to show the volume in-use.
func (s *Service) advanceAttachDisk(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st diskActionState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	v, err := sess.Volume(ctx, st.VolumeID)
	if errors.Is(err, openstack.ErrNotFound) {
		return s.failDiskAction(ctx, rec, st, http.StatusNotFound, "RESOURCE_NOT_FOUND",
			"The volume of the disk disappeared while it was being attached.")
	}
	if err != nil {
		return err
	}
	switch v.Status {
	case "in-use":
		rec.Finish()
	case "available", "error", "error_attaching":
		return s.failDiskAction(ctx, rec, st, http.StatusInternalServerError, "INTERNAL_ERROR",
			"OpenStack could not attach volume "+st.VolumeID+" (status "+v.Status+").")
	default:
		rec.Progress = 50
	}
	return nil
}

// failDiskAction ends a failed attach: the instance no longer lists the disk.
func (s *Service) failDiskAction(ctx context.Context, rec *operations.Record, st diskActionState, status int, code, message string) error {
	err := s.forgetDisk(ctx, rec, st.VolumeID)
	if err != nil {
		return err
	}
	rec.Fail(status, code, message)
	return nil
}

func (s *Service) forgetDisk(ctx context.Context, rec *operations.Record, volumeID string) error {
	zone := rec.Scope[len("zones/"):]
	err := s.updateInstanceData(ctx, rec.Project, zone, rec.Target, func(d *instanceData) {
		delete(d.Disks, volumeID)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

func (s *Service) detachDisk(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	name := r.Query.Get("deviceName")
	if name == "" {
		return Fail(gce.Required("deviceName"))
	}
	volumeID, err := attachedVolume(srv, loadInstanceData(rec), name)
	if err != nil {
		return Fail(err)
	}
	if err := r.Session.DetachVolume(ctx, srv.ID, volumeID); err != nil {
		return Fail(apiError(err, instancePath(r, zone.Name, rec.Name)))
	}
	st := diskActionState{ServerID: srv.ID, VolumeID: volumeID, DeviceName: name}
	return s.startInstanceAction(ctx, r, zone.Name, rec.Name, srv.ID, "detachDisk", machineDetachDisk, st)
}

// attachedVolume returns the id of the volume attached as device name. A
// volume without a store record has the device name that disksOf gives it.
func attachedVolume(srv openstack.Server, d instanceData, name string) (string, error) {
	for i, id := range srv.VolumeIDs {
		att, known := d.Disks[id]
		if att.DeviceName != name && (known || "persistent-disk-"+itoa(i) != name) {
			continue
		}
		if att.Boot || (!known && i == 0) {
			return "", gce.Invalid("The boot disk '%s' cannot be detached from a running instance.", name)
		}
		return id, nil
	}
	return "", gce.InvalidField("deviceName", name, "No disk with this device name is attached to the instance.")
}

// advanceDetachDisk waits for Cinder to show the volume available again,
// then drops the disk from the instance's record.
func (s *Service) advanceDetachDisk(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st diskActionState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	v, err := sess.Volume(ctx, st.VolumeID)
	if err != nil && !errors.Is(err, openstack.ErrNotFound) {
		return err
	}
	if err == nil && v.Status == "error_detaching" {
		rec.Fail(http.StatusInternalServerError, "INTERNAL_ERROR",
			"OpenStack could not detach volume "+st.VolumeID+".")
		return nil
	}
	if err == nil && (v.Status != "available" || slices.ContainsFunc(v.Attachments, attachedTo(st.ServerID))) {
		rec.Progress = 50
		return nil
	}
	if err := s.forgetDisk(ctx, rec, st.VolumeID); err != nil {
		return err
	}
	rec.Finish()
	return nil
}

func attachedTo(serverID string) func(openstack.VolumeAttachment) bool {
	return func(a openstack.VolumeAttachment) bool { return a.ServerID == serverID }
}
