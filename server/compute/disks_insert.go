package compute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// defaultDiskSizeGB is the size of an empty disk whose insert gives no
// sizeGb.
// NOTE: a server choice. Compute Engine's own default depends on the disk
// type and is far larger than a test cloud can hold.
const defaultDiskSizeGB = 10

// diskPlan is a validated disks.insert request, ready for Cinder.
type diskPlan struct {
	zone   string
	name   string
	sizeGB int64
	image  *openstack.Image
	snap   *openstack.Snapshot
	record diskRecord
}

// diskInsertState is the progress of a disks.insert operation.
type diskInsertState struct {
	VolumeID string `json:"volumeId"`
}

func (s *Service) insertDisk(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	var body compute.Disk
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	if body.SourceImage == "" {
		body.SourceImage = r.Query.Get("sourceImage")
	}
	plan, err := s.planDisk(ctx, r, zone.Name, &body)
	if err != nil {
		return Fail(err)
	}
	op, err := s.startDiskInsert(ctx, r, plan)
	if err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

func (s *Service) planDisk(ctx context.Context, r *Request, zone string, body *compute.Disk) (*diskPlan, error) {
	if err := checkDiskAttributes(body, bodyFields(r.Body)); err != nil {
		return nil, err
	}
	diskType, err := planDiskType(r, zone, body.Type)
	if err != nil {
		return nil, err
	}
	plan := &diskPlan{zone: zone, name: body.Name, sizeGB: body.SizeGb,
		record: diskRecord{diskData: diskData{Description: body.Description, Labels: body.Labels, Type: diskType}}}
	if err := s.planDiskSource(ctx, r, plan, body); err != nil {
		return nil, err
	}
	return plan, nil
}

// checkDiskAttributes validates the name, description, labels and, when
// the request gives it, the size of a new disk.
func checkDiskAttributes(body *compute.Disk, fields map[string]json.RawMessage) error {
	if err := gce.CheckName("resource.name", body.Name); err != nil {
		return err
	}
	if err := checkDescription("resource.description", body.Description); err != nil {
		return err
	}
	if err := checkLabels(body.Labels); err != nil {
		return err
	}
	if sentField(fields, "sizeGb") {
		return checkDiskSize("resource.sizeGb", body.SizeGb)
	}
	return nil
}

// planDiskType returns the name of the disk type a diskTypes reference
// names, checking that it is one this server offers in zone.
func planDiskType(r *Request, zone, text string) (string, error) {
	if text == "" {
		return defaultDiskType, nil
	}
	ref, err := refInScope(r, "resource.type", text, "diskTypes", "zones/"+zone)
	if err != nil {
		return "", err
	}
	if !diskTypes[ref.Name] {
		return "", gce.InvalidField("resource.type", text, fmt.Sprintf(
			"Disk type '%s' does not exist in zone '%s'; use pd-standard, pd-ssd or pd-balanced.", ref.Name, zone))
	}
	return ref.Name, nil
}

// planDiskSource resolves the image or snapshot of a new disk and settles
// its size, which is at least the source's.
func (s *Service) planDiskSource(ctx context.Context, r *Request, plan *diskPlan, body *compute.Disk) error {
	var minSize int64
	var what string
	switch {
	case body.SourceImage != "" && body.SourceSnapshot != "":
		return gce.Invalid("Only one of sourceImage and sourceSnapshot may be given.")
	case body.SourceImage != "":
		img, err := s.planDiskImage(ctx, r, plan, body.SourceImage)
		if err != nil {
			return err
		}
		minSize, what = imageDiskSizeGB(img), "image"
	case body.SourceSnapshot != "":
		snap, err := s.planDiskSnapshot(ctx, r, plan, body.SourceSnapshot)
		if err != nil {
			return err
		}
		minSize, what = int64(snap.SizeGB), "snapshot"
	default:
		if plan.sizeGB == 0 {
			plan.sizeGB = defaultDiskSizeGB
		}
		return nil
	}
	if plan.sizeGB == 0 {
		plan.sizeGB = minSize
	}
	if plan.sizeGB < minSize {
		return gce.InvalidField("resource.sizeGb", fmt.Sprint(plan.sizeGB), fmt.Sprintf(
			"Requested disk size cannot be smaller than the %s size (%d GB).", what, minSize))
	}
	return nil
}

func (s *Service) planDiskImage(ctx context.Context, r *Request, plan *diskPlan, text string) (openstack.Image, error) {
	img, err := s.resolveImage(ctx, r.Session, r.Project(), "resource.sourceImage", text)
	if err != nil {
		return img, err
	}
	if img.Status != "active" {
		return img, gce.NotReady("The resource '%s' is not ready", imageProjectPath(r, text, img))
	}
	plan.image = &img
	plan.record.SourceImage = imageProjectPath(r, text, img)
	return img, nil
}

func (s *Service) planDiskSnapshot(ctx context.Context, r *Request, plan *diskPlan, text string) (openstack.Snapshot, error) {
	ref, err := refInScope(r, "resource.sourceSnapshot", text, "snapshots", "global")
	if err != nil {
		return openstack.Snapshot{}, err
	}
	_, snap, err := s.findSnapshot(ctx, r, ref.Name)
	if err != nil {
		return snap, err
	}
	if snap.Status != "available" {
		return snap, gce.NotReady("The resource '%s' is not ready", snapshotPath(r.Project(), ref.Name))
	}
	plan.snap = &snap
	plan.record.SourceSnapshot, plan.record.SourceSnapshotID = ref.Name, snap.ID
	return snap, nil
}

// startDiskInsert reserves the name, requests the volume from Cinder and stores
// the operation that follows it.
func (s *Service) startDiskInsert(ctx context.Context, r *Request, plan *diskPlan) (*operations.Record, error) {
	scope := "zones/" + plan.zone
	data, _ := json.Marshal(plan.record)
	res := store.Resource{Project: r.Project(), Scope: scope, Kind: "disks", Name: plan.name, Data: data}
	if err := s.Store.Reserve(ctx, res); err != nil {
		return nil, reserveError(err, diskResourcePath(r.Project(), plan.zone, plan.name))
	}
	spec := openstack.VolumeSpec{Name: plan.name, Description: plan.record.Description,
		Zone: plan.zone, SizeGB: int(plan.sizeGB)}
	if plan.image != nil {
		spec.ImageID = plan.image.ID
	}
	if plan.snap != nil {
		spec.SnapshotID = plan.snap.ID
	}
	v, err := r.Session.CreateVolume(ctx, spec)
	if err != nil {
		s.Store.Release(context.WithoutCancel(ctx), res.Project, res.Scope, res.Kind, res.Name)
		return nil, apiError(err, "")
	}
	res.OpenStackID = v.ID
	if err := s.Store.UpdateResource(ctx, res); err != nil {
		return nil, err
	}
	op := &operations.Record{Project: r.Project(), Scope: scope, Type: "insert", Kind: "disks",
		Target: plan.name, TargetID: v.ID, User: r.Session.UserName, Machine: machineInsertDisk}
	op.SaveState(diskInsertState{VolumeID: v.ID})
	return op, s.Ops.Create(ctx, op)
}

// advanceDiskInsert follows a new volume until it is available. A volume
// that fails is deleted and its name freed.
func (s *Service) advanceDiskInsert(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st diskInsertState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	v, err := sess.Volume(ctx, st.VolumeID)
	if errors.Is(err, openstack.ErrNotFound) {
		s.Store.Release(ctx, rec.Project, rec.Scope, "disks", rec.Target)
		rec.Fail(http.StatusNotFound, "RESOURCE_NOT_FOUND",
			"The Cinder volume of disk '"+rec.Target+"' disappeared while it was being created.")
		return nil
	}
	if err != nil {
		return err
	}
	switch diskStatus(v.Status) {
	case "CREATING":
		rec.Progress = 50
	case "READY":
		rec.Finish()
	default:
		s.abandonDiskInsert(ctx, sess, rec, v)
	}
	return nil
}

func (s *Service) abandonDiskInsert(ctx context.Context, sess *openstack.Session, rec *operations.Record, v openstack.Volume) {
	if err := sess.DeleteVolume(ctx, v.ID); err != nil {
		s.Log.Warn("delete volume of failed disk insert", "volume", v.ID, "disk", rec.Target, "err", err)
	}
	s.Store.Release(ctx, rec.Project, rec.Scope, "disks", rec.Target)
	rec.Fail(http.StatusServiceUnavailable, "ZONE_RESOURCE_POOL_EXHAUSTED",
		"Cinder could not create the volume of disk '"+rec.Target+"' (volume status "+v.Status+").")
}
