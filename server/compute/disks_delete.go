package compute

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// retainedKind is the store kind of the volumes of deleted disks that are
// kept for their snapshots. Such a record is named after the volume id, in
// the disk's zone, and holds the former disk name as its data.
const retainedKind = "retainedVolumes"

// retainedPrefix starts the Cinder name of a retained volume. The colon
// makes it an invalid GCE name, so it never looks like a disk.
const retainedPrefix = "gce-deleted:"

// diskDeleteState is the progress of a disks.delete operation.
type diskDeleteState struct {
	VolumeID string `json:"volumeId"`
}

// deleteDisk deletes the Cinder volume of a disk. Compute Engine keeps the
// snapshots of a deleted disk, but Cinder rejects deleting a volume that
// has snapshots. Such a volume is renamed and kept hidden under a
// retainedVolumes record, and the disk name is freed at once. The delete of
// its last snapshot deletes the volume.
func (s *Service) deleteDisk(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, v, err := s.lookupDisk(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	if err := s.checkDiskDeletable(ctx, r, rec, v); err != nil {
		return Fail(err)
	}
	snaps, err := r.Session.Snapshots(ctx, v.ID)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	op := &operations.Record{Project: r.Project(), Scope: rec.Scope, Type: "delete", Kind: "disks",
		Target: rec.Name, TargetID: v.ID, User: r.Session.UserName}
	if len(snaps) > 0 {
		err = s.retainVolume(ctx, r.Session, rec, v)
	} else {
		err = s.startVolumeDelete(ctx, r, op, v)
	}
	if err != nil {
		return Fail(err)
	}
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// checkDiskDeletable rejects deleting a disk that is attached, still being
// created or already being deleted.
func (s *Service) checkDiskDeletable(ctx context.Context, r *Request, rec store.Resource, v openstack.Volume) error {
	zone := strings.TrimPrefix(rec.Scope, "zones/")
	path := diskResourcePath(r.Project(), zone, rec.Name)
	switch diskStatus(v.Status) {
	case "CREATING":
		return gce.NotReady("The resource '%s' is not ready", path)
	case "DELETING":
		return gce.NotReady("The resource '%s' is already being deleted", path)
	}
	users, err := s.loadDiskUsers(ctx, r.Project())
	if err != nil {
		return err
	}
	attached := users.of(ctx, r.Session, v)
	if len(attached) > 0 {
		u := attached[0]
		return gce.InUse("The disk resource '%s' is already being used by '%s'",
			path, "projects/"+r.Project()+"/zones/"+u.zone+"/instances/"+u.name)
	}
	switch v.Status {
	case "reserved", "attaching", "detaching", "in-use":
		return gce.InUse("The disk resource '%s' is being attached to or detached from an instance", path)
	}
	return nil
}

func (s *Service) startVolumeDelete(ctx context.Context, r *Request, op *operations.Record, v openstack.Volume) error {
	if err := r.Session.DeleteVolume(ctx, v.ID); err != nil {
		return apiError(err, "")
	}
	op.Machine = machineDeleteDisk
	return op.SaveState(diskDeleteState{VolumeID: v.ID})
}

// retainVolume hides the volume of a deleted disk that has snapshots and
// frees the disk's name.
func (s *Service) retainVolume(ctx context.Context, sess *openstack.Session, rec store.Resource, v openstack.Volume) error {
	kept := store.Resource{Project: rec.Project, Scope: rec.Scope, Kind: retainedKind,
		Name: v.ID, OpenStackID: v.ID, Data: mustJSON(rec.Name)}
	if err := s.Store.Reserve(ctx, kept); err != nil && !errors.Is(err, store.ErrExists) {
		return err
	}
	if err := sess.RenameVolume(ctx, v.ID, retainedPrefix+rec.Name, v.Description); err != nil {
		return apiError(err, "")
	}
	return s.Store.Release(ctx, rec.Project, rec.Scope, "disks", rec.Name)
}

// advanceDiskDelete waits until Cinder returns 404 for the volume, then
// frees the disk's name.
func (s *Service) advanceDiskDelete(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st diskDeleteState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	v, err := sess.Volume(ctx, st.VolumeID)
	if errors.Is(err, openstack.ErrNotFound) {
		s.Store.Release(ctx, rec.Project, rec.Scope, "disks", rec.Target)
		rec.Finish()
		return nil
	}
	if err != nil {
		return err
	}
	if strings.HasPrefix(v.Status, "error") {
		rec.Fail(http.StatusInternalServerError, "INTERNAL_ERROR",
			"Cinder could not delete the volume of disk '"+rec.Target+"' (volume status "+v.Status+").")
		return nil
	}
	rec.Progress = 50
	return nil
}

// purgeRetainedVolume deletes the retained volume volumeID once it has no
// snapshots left. A volume that is not retained is left alone.
func (s *Service) purgeRetainedVolume(ctx context.Context, sess *openstack.Session, project, volumeID string) error {
	kept, err := s.Store.ResourceByOpenStackID(ctx, project, retainedKind, volumeID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	snaps, err := sess.Snapshots(ctx, volumeID)
	if err != nil || len(snaps) > 0 {
		return err
	}
	if err := sess.DeleteVolume(ctx, volumeID); err != nil {
		return err
	}
	return s.Store.Release(ctx, project, kept.Scope, retainedKind, kept.Name)
}
