package compute

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// snapshotData is the stored data of a snapshot beyond the Cinder snapshot.
// The source disk is kept here because the snapshot outlives the disk.
type snapshotData struct {
	Description  string            `json:"description,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	SourceZone   string            `json:"sourceZone"`
	SourceDisk   string            `json:"sourceDisk"`   // disk name
	SourceDiskID string            `json:"sourceDiskId"` // Cinder volume id
}

// snapshotState is the progress of a snapshot's createSnapshot or delete
// operation.
type snapshotState struct {
	SnapshotID string `json:"snapshotId"`
	VolumeID   string `json:"volumeId"`
	Name       string `json:"name"`
}

func snapshotPath(project, name string) string {
	return "projects/" + project + "/global/snapshots/" + name
}

// snapshotStatus maps a Cinder snapshot status to a GCE snapshot status.
func snapshotStatus(cinder string) string {
	switch {
	case cinder == "creating":
		return "CREATING"
	case cinder == "deleting":
		return "DELETING"
	case strings.HasPrefix(cinder, "error"):
		return "FAILED"
	}
	return "READY"
}

func loadSnapshotData(rec store.Resource) snapshotData {
	var d snapshotData
	if len(rec.Data) > 0 {
		json.Unmarshal(rec.Data, &d)
	}
	return d
}

func snapshotView(r *Request, rec store.Resource, snap openstack.Snapshot) *compute.Snapshot {
	d := loadSnapshotData(rec)
	return &compute.Snapshot{
		Kind: "compute#snapshot", Id: gce.ID(snap.ID), Name: rec.Name, Description: d.Description,
		Status: snapshotStatus(snap.Status), DiskSizeGb: int64(snap.SizeGB),
		// NOTE: Cinder does not report the bytes a snapshot occupies, so
		// storageBytes is the full size of the source volume.
		StorageBytes: int64(snap.SizeGB) * gib, StorageBytesStatus: "UP_TO_DATE",
		CreationTimestamp: gce.Timestamp(snap.Created),
		SelfLink:          r.Links.Global(r.Project(), "snapshots", rec.Name),
		SourceDisk:        r.Links.Zone(r.Project(), d.SourceZone, "disks", d.SourceDisk),
		SourceDiskId:      gce.IDString(d.SourceDiskID),
		Labels:            d.Labels, LabelFingerprint: fingerprint(d.Labels),
		SnapshotType: "STANDARD",
	}
}

// findSnapshot returns the store record and Cinder snapshot of the
// snapshot named name.
func (s *Service) findSnapshot(ctx context.Context, r *Request, name string) (store.Resource, openstack.Snapshot, error) {
	missing := gce.NotFound(snapshotPath(r.Project(), name))
	rec, err := s.Store.Resource(ctx, r.Project(), "global", "snapshots", name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return rec, openstack.Snapshot{}, missing
	}
	if err != nil {
		return rec, openstack.Snapshot{}, err
	}
	snap, err := r.Session.Snapshot(ctx, rec.OpenStackID)
	if errors.Is(err, openstack.ErrNotFound) {
		return rec, snap, missing
	}
	return rec, snap, apiError(err, snapshotPath(r.Project(), name))
}

func (s *Service) getSnapshot(ctx context.Context, r *Request) Response {
	rec, snap, err := s.findSnapshot(ctx, r, r.Vars["snapshot"])
	if err != nil {
		return Fail(err)
	}
	return OK(snapshotView(r, rec, snap))
}

// listSnapshots shows the snapshots the store records, like disks.list.
func (s *Service) listSnapshots(ctx context.Context, r *Request) Response {
	records, err := s.Store.Resources(ctx, r.Project(), "global", "snapshots")
	if err != nil {
		return Fail(err)
	}
	list, err := r.Session.Snapshots(ctx, "")
	if err != nil {
		return Fail(apiError(err, ""))
	}
	byID := map[string]openstack.Snapshot{}
	for _, snap := range list {
		byID[snap.ID] = snap
	}
	var items []*compute.Snapshot
	for _, rec := range records {
		if snap, ok := byID[rec.OpenStackID]; ok {
			items = append(items, snapshotView(r, rec, snap))
		}
	}
	return listResponse(r, items, func(page []*compute.Snapshot, next string) any {
		return &compute.SnapshotList{Kind: "compute#snapshotList",
			Id:    "projects/" + r.Project() + "/global/snapshots",
			Items: page, NextPageToken: next, SelfLink: r.Links.Global(r.Project(), "snapshots")}
	})
}

// snapshotDisk serves disks.createSnapshot: a Cinder snapshot, forced so
// that an attached volume can be snapshotted. The zonal operation targets
// the disk and follows the snapshot. The guestFlush query parameter is
// accepted and has no effect.
func (s *Service) snapshotDisk(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	disk, v, err := s.lookupDisk(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}

	var body compute.Snapshot
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	if err := checkSnapshotBody(&body); err != nil {
		return Fail(err)
	}

	data := snapshotData{Description: body.Description, Labels: body.Labels,
		SourceZone: zone.Name, SourceDisk: disk.Name, SourceDiskID: v.ID}
	snapID, err := s.createSnapshotRecord(ctx, r, body.Name, data)
	if err != nil {
		return Fail(err)
	}
	op := &operations.Record{Project: r.Project(), Scope: disk.Scope, Type: "createSnapshot",
		Kind: "disks", Target: disk.Name, TargetID: v.ID, User: r.Session.UserName,
		Machine: machineCreateSnapshot}
	op.SaveState(snapshotState{SnapshotID: snapID, VolumeID: v.ID, Name: body.Name})
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// checkSnapshotBody validates the name, description and labels of a new
// snapshot.
func checkSnapshotBody(body *compute.Snapshot) error {
	if err := gce.CheckName("resource.name", body.Name); err != nil {
		return err
	}
	if err := checkDescription("resource.description", body.Description); err != nil {
		return err
	}
	return checkLabels(body.Labels)
}

// createSnapshotRecord reserves the snapshot name and creates the Cinder
// snapshot.
func (s *Service) createSnapshotRecord(ctx context.Context, r *Request, name string, data snapshotData) (string, error) {
	res := store.Resource{Project: r.Project(), Scope: "global", Kind: "snapshots", Name: name,
		Data: mustJSON(data)}
	if err := s.Store.Reserve(ctx, res); err != nil {
		return "", reserveError(err, snapshotPath(r.Project(), name))
	}
	id, err := r.Session.CreateSnapshot(ctx, data.SourceDiskID, name, data.Description, true)
	if err != nil {
		s.Store.Release(context.WithoutCancel(ctx), res.Project, res.Scope, res.Kind, res.Name)
		return "", apiError(err, "")
	}
	res.OpenStackID = id
	return id, s.Store.UpdateResource(ctx, res)
}

// advanceCreateSnapshot follows a new snapshot until it is available. A
// snapshot that fails is deleted and its name freed.
func (s *Service) advanceCreateSnapshot(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st snapshotState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	snap, err := sess.Snapshot(ctx, st.SnapshotID)
	if errors.Is(err, openstack.ErrNotFound) {
		s.Store.Release(ctx, rec.Project, "global", "snapshots", st.Name)
		rec.Fail(http.StatusNotFound, "RESOURCE_NOT_FOUND",
			"The Cinder snapshot '"+st.Name+"' disappeared while it was being created.")
		return nil
	}
	if err != nil {
		return err
	}
	switch snapshotStatus(snap.Status) {
	case "CREATING":
		rec.Progress = 50
	case "READY":
		rec.Finish()
	default:
		if err := sess.DeleteSnapshot(ctx, snap.ID); err != nil {
			s.Log.Warn("delete failed snapshot", "snapshot", snap.ID, "err", err)
		}
		s.Store.Release(ctx, rec.Project, "global", "snapshots", st.Name)
		rec.Fail(http.StatusInternalServerError, "INTERNAL_ERROR",
			"Cinder could not create snapshot '"+st.Name+"' (status "+snap.Status+").")
	}
	return nil
}

func (s *Service) deleteSnapshot(ctx context.Context, r *Request) Response {
	rec, snap, err := s.findSnapshot(ctx, r, r.Vars["snapshot"])
	if err != nil {
		return Fail(err)
	}
	if snapshotStatus(snap.Status) == "CREATING" {
		return Fail(gce.NotReady("The resource '%s' is not ready", snapshotPath(r.Project(), rec.Name)))
	}
	if err := r.Session.DeleteSnapshot(ctx, snap.ID); err != nil {
		return Fail(apiError(err, snapshotPath(r.Project(), rec.Name)))
	}
	op := &operations.Record{Project: r.Project(), Scope: "global", Type: "delete", Kind: "snapshots",
		Target: rec.Name, TargetID: snap.ID, User: r.Session.UserName, Machine: machineDeleteSnapshot}
	op.SaveState(snapshotState{SnapshotID: snap.ID, VolumeID: snap.VolumeID, Name: rec.Name})
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// advanceDeleteSnapshot waits until Cinder returns 404 for the snapshot,
// frees its name and deletes the retained volume of a deleted disk that
// has no snapshots left.
func (s *Service) advanceDeleteSnapshot(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st snapshotState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	snap, err := sess.Snapshot(ctx, st.SnapshotID)
	if err == nil {
		if strings.HasPrefix(snap.Status, "error") {
			rec.Fail(http.StatusInternalServerError, "INTERNAL_ERROR",
				"Cinder could not delete snapshot '"+st.Name+"' (status "+snap.Status+").")
			return nil
		}
		rec.Progress = 50
		return nil
	}
	if !errors.Is(err, openstack.ErrNotFound) {
		return err
	}
	if err := s.purgeRetainedVolume(ctx, sess, rec.Project, st.VolumeID); err != nil {
		return err
	}
	s.Store.Release(ctx, rec.Project, "global", "snapshots", st.Name)
	rec.Finish()
	return nil
}
