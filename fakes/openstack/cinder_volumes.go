package openstack

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
)

func (cl *call) volumeLinks(kind, id string) []any {
	pid := cl.vars["project"]
	if pid == "" {
		pid = cl.tok.projectID()
	}
	return []any{
		map[string]any{"rel": "self", "href": cl.base + "/volume/v3/" + pid + "/" + kind + "/" + id},
		map[string]any{"rel": "bookmark", "href": cl.base + "/volume/" + pid + "/" + kind + "/" + id},
	}
}

// volumeBody renders v at the call's microversion. created is true for the
// 202 body of a create, which has microseconds and no tenant attribute.
func (cl *call) volumeBody(v *volume, created bool) map[string]any {
	body := map[string]any{
		"id": v.ID, "status": v.Status, "size": v.Size, "availability_zone": v.AZ,
		"created_at": microTimestamp(v.Created), "updated_at": timeOrNil(v.Updated),
		"name": nullableIf(v.Name, v.NoName), "description": nullableIf(v.Description, v.NoDescription),
		"volume_type": v.VolumeType, "snapshot_id": nullable(v.SnapshotID),
		"source_volid": nullable(v.SourceVolID), "metadata": v.Metadata,
		"links": cl.volumeLinks("volumes", v.ID), "user_id": v.UserID,
		"bootable": strconv.FormatBool(v.Bootable), "encrypted": false, "replication_status": nil,
		"consistencygroup_id": nil, "multiattach": false, "attachments": cl.c.volumeAttachments(v),
	}
	cl.addVolumeVersionFields(body, v)
	if !created {
		body["os-vol-tenant-attr:tenant_id"] = v.ProjectID
		if v.ImageMetadata != nil {
			body["volume_image_metadata"] = v.ImageMetadata
		}
	}
	return body
}

func (cl *call) addVolumeVersionFields(body map[string]any, v *volume) {
	if cl.mv >= 13 {
		body["group_id"] = nil
	}
	if cl.mv >= 48 {
		body["shared_targets"] = false
		body["service_uuid"] = serviceUUID
	}
	if cl.mv >= 63 {
		body["volume_type_id"] = volumeTypeID
	}
	if cl.mv >= 65 {
		body["consumes_quota"] = true
	}
}

func nullableIf(s string, null bool) any {
	if null {
		return nil
	}
	return s
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return microTimestamp(*t)
}

// volumeAttachments lists v's completed attachments as Cinder shows them.
func (c *Cloud) volumeAttachments(v *volume) []any {
	out := []any{}
	for _, a := range v.Attachments {
		if a.AttachedAt.IsZero() {
			continue
		}
		out = append(out, map[string]any{"id": v.ID, "attachment_id": a.ID, "volume_id": v.ID,
			"server_id": a.ServerID, "host_name": nil, "device": a.Device,
			"attached_at": microTimestamp(a.AttachedAt)})
	}
	return out
}

func (cl *call) findVolume(id string) (*volume, reply, bool) {
	v := cl.c.volumes[id]
	if v == nil || !cl.visible(v.ProjectID) {
		return nil, cl.fail(http.StatusNotFound, "", "Volume %s could not be found.", id), false
	}
	return v, reply{}, true
}

func getVolume(cl *call) reply {
	v, rep, ok := cl.findVolume(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"volume": cl.volumeBody(v, false)})
}

func listVolumes(cl *call) reply { return cl.listVolumes(false) }

func listVolumesDetail(cl *call) reply { return cl.listVolumes(true) }

func (cl *call) listVolumes(detail bool) reply {
	q := cl.r.URL.Query()
	var items []map[string]any
	for _, v := range cl.c.volumes {
		if v.ProjectID != cl.tok.projectID() {
			continue
		}
		if (q.Has("name") && q.Get("name") != v.Name) || (q.Has("status") && q.Get("status") != v.Status) {
			continue
		}
		items = append(items, cl.volumeBody(v, false))
	}
	path := "/volumes"
	if detail {
		path = "/volumes/detail"
	}
	page, links, rep, ok := cl.cinderPage(items, path)
	if !ok {
		return rep
	}
	if !detail {
		page = summaries(page)
	}
	body := map[string]any{"volumes": nonNil(page)}
	if links != nil {
		body["volumes_links"] = links
	}
	return respond(http.StatusOK, body)
}

// summaries keeps the id, name and links of each item.
func summaries(items []map[string]any) []map[string]any {
	out := []map[string]any{}
	for _, item := range items {
		out = append(out, map[string]any{"id": item["id"], "name": item["name"], "links": item["links"]})
	}
	return out
}

type volumeFields struct {
	Size             *int              `json:"size"`
	Name             *string           `json:"name"`
	Description      *string           `json:"description"`
	AvailabilityZone string            `json:"availability_zone"`
	ImageRef         string            `json:"imageRef"`
	SnapshotID       string            `json:"snapshot_id"`
	SourceVolID      string            `json:"source_volid"`
	Metadata         map[string]string `json:"metadata"`
	VolumeType       string            `json:"volume_type"`
}

func createVolume(cl *call) reply {
	var req struct {
		Volume *volumeFields `json:"volume"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Volume == nil {
		return cl.fail(http.StatusBadRequest, "", "Missing required element 'volume' in request body.")
	}
	v, rep, ok := cl.newVolume(req.Volume)
	if !ok {
		return rep
	}
	cl.c.volumes[v.ID] = v
	cl.c.scheduleVolumeBuild(v, cl.now)
	return respond(http.StatusAccepted, map[string]any{"volume": cl.volumeBody(v, true)})
}

// newVolume validates a create request and returns the volume in creating.
func (cl *call) newVolume(f *volumeFields) (*volume, reply, bool) {
	v := &volume{ID: uuid.NewString(), ProjectID: cl.tok.projectID(), UserID: cl.tok.User.ID,
		Status: "creating", VolumeType: defaultVolumeType, Metadata: map[string]string{},
		Created: cl.now, NoName: f.Name == nil, NoDescription: f.Description == nil}
	setString(&v.Name, f.Name)
	setString(&v.Description, f.Description)
	if f.Metadata != nil {
		v.Metadata = f.Metadata
	}
	if f.VolumeType != "" && f.VolumeType != defaultVolumeType && f.VolumeType != volumeTypeID {
		return nil, cl.fail(http.StatusNotFound, "", "Volume type with name %s could not be found.", f.VolumeType), false
	}
	if rep, ok := cl.volumeZone(v, f.AvailabilityZone); !ok {
		return nil, rep, false
	}
	if rep, ok := cl.volumeSource(v, f); !ok {
		return nil, rep, false
	}
	return v, reply{}, true
}

func (cl *call) volumeZone(v *volume, zone string) (reply, bool) {
	if zone == "" {
		v.AZ = cl.c.zones[0]
		return reply{}, true
	}
	if !slices.Contains(cl.c.zones, zone) {
		return cl.fail(http.StatusBadRequest, "", "Invalid input received: Availability zone '%s' is invalid.", zone), false
	}
	v.AZ = zone
	return reply{}, true
}

// volumeSource fills the size and source of v from an image, snapshot or
// volume, and checks the requested size against it.
func (cl *call) volumeSource(v *volume, f *volumeFields) (reply, bool) {
	minSize := 1
	switch {
	case f.SnapshotID != "":
		s := cl.c.snapshots[f.SnapshotID]
		if s == nil || !cl.visible(s.ProjectID) {
			return cl.fail(http.StatusNotFound, "", "Snapshot %s could not be found.", f.SnapshotID), false
		}
		v.SnapshotID, minSize = s.ID, s.Size
	case f.SourceVolID != "":
		src, rep, ok := cl.findVolume(f.SourceVolID)
		if !ok {
			return rep, false
		}
		v.SourceVolID, minSize, v.Bootable = src.ID, src.Size, src.Bootable
	case f.ImageRef != "":
		img := cl.c.images[f.ImageRef]
		if img == nil || !cl.imageVisible(img) || img.Status != "active" {
			return cl.fail(http.StatusBadRequest, "", "Invalid image identifier or unable to access requested image."), false
		}
		v.ImageID, minSize = img.ID, max(img.MinDisk, 1)
	}
	v.Size = minSize
	if f.Size != nil {
		v.Size = *f.Size
	}
	if f.Size == nil && v.SnapshotID == "" && v.SourceVolID == "" {
		return cl.fail(http.StatusBadRequest, "", "Invalid input received: size argument must be an integer greater than 0."), false
	}
	if v.Size < minSize || v.Size < 1 {
		return cl.fail(http.StatusBadRequest, "", "Invalid input received: Volume size %dGB cannot be smaller than the source size %dGB.", v.Size, minSize), false
	}
	return reply{}, true
}

// scheduleVolumeBuild moves v from creating (through downloading, for an
// image-backed volume) to available.
func (c *Cloud) scheduleVolumeBuild(v *volume, now time.Time) {
	d := c.timings.VolumeCreate
	if v.ImageID != "" {
		d = c.timings.VolumeFromImage
		c.after(now, d*4/10, func() { c.setVolumeStatus(v.ID, "creating", "downloading", now.Add(d*4/10)) })
	}
	c.after(now, d, func() {
		if c.volumes[v.ID] == nil || (v.Status != "creating" && v.Status != "downloading") {
			return
		}
		if v.ImageID != "" {
			c.copyImageMetadata(v)
		}
		c.setVolumeStatus(v.ID, v.Status, "available", now.Add(d))
	})
}

// setVolumeStatus moves volume id from one status to another, if it is
// still in from.
func (c *Cloud) setVolumeStatus(id, from, to string, at time.Time) {
	v := c.volumes[id]
	if v == nil || v.Status != from {
		return
	}
	v.Status = to
	v.Updated = &at
}

// copyImageMetadata marks v bootable and records its image's properties
// as strings, as Cinder does.
func (c *Cloud) copyImageMetadata(v *volume) {
	img := c.images[v.ImageID]
	v.Bootable = true
	if img == nil {
		return
	}
	meta := map[string]string{"image_id": img.ID, "image_name": img.Name, "checksum": img.Checksum,
		"container_format": img.ContainerFormat, "disk_format": img.DiskFormat,
		"min_disk": strconv.Itoa(img.MinDisk), "min_ram": strconv.Itoa(img.MinRAM),
		"signature_verified": "False"}
	if img.Size != nil {
		meta["size"] = strconv.FormatInt(*img.Size, 10)
	}
	for k, val := range img.Properties {
		meta[k] = fmt.Sprint(val)
	}
	v.ImageMetadata = meta
}

func updateVolume(cl *call) reply {
	v, rep, ok := cl.findVolume(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Volume *volumeFields `json:"volume"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Volume == nil {
		return cl.fail(http.StatusBadRequest, "", "Missing required element 'volume' in request body.")
	}
	if req.Volume.Name != nil {
		v.Name, v.NoName = *req.Volume.Name, false
	}
	if req.Volume.Description != nil {
		v.Description, v.NoDescription = *req.Volume.Description, false
	}
	if req.Volume.Metadata != nil {
		v.Metadata = req.Volume.Metadata
	}
	now := cl.now
	v.Updated = &now
	return respond(http.StatusOK, map[string]any{"volume": cl.volumeBody(v, false)})
}

func deleteVolume(cl *call) reply {
	v, rep, ok := cl.findVolume(cl.vars["id"])
	if !ok {
		return rep
	}
	if len(v.Attachments) > 0 || cl.c.hasSnapshots(v.ID) || (v.Status != "available" && v.Status != "error") {
		return cl.fail(http.StatusBadRequest, "", "Invalid volume: Volume status must be available or error or "+
			"error_restoring or error_extending or error_managing and must not be migrating, attached, "+
			"belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots "+
			"after volume transfer.")
	}
	cl.c.scheduleVolumeDelete(v, cl.now)
	return empty(http.StatusAccepted)
}

func (c *Cloud) scheduleVolumeDelete(v *volume, now time.Time) {
	v.Status = "deleting"
	v.Updated = &now
	c.after(now, c.timings.VolumeDelete, func() { delete(c.volumes, v.ID) })
}

func (c *Cloud) hasSnapshots(volumeID string) bool {
	for _, s := range c.snapshots {
		if s.VolumeID == volumeID {
			return true
		}
	}
	return false
}

// beginAttach records an attachment of v to serverID and, from at on,
// moves v through reserved and attaching to in-use. A volume that is still
// being created starts attaching when it becomes available at at.
func (c *Cloud) beginAttach(v *volume, serverID, device string, now, at time.Time) *volumeAttachment {
	a := &volumeAttachment{ID: uuid.NewString(), VolumeID: v.ID, ServerID: serverID, Device: device}
	v.Attachments = append(v.Attachments, a)
	c.attachments[a.ID] = a
	if at.After(now) {
		c.after(now, at.Sub(now), func() { c.startAttach(v, a, at) })
	} else {
		c.startAttach(v, a, at)
	}
	return a
}

func (c *Cloud) startAttach(v *volume, a *volumeAttachment, now time.Time) {
	if c.attachments[a.ID] == nil || c.volumes[v.ID] == nil {
		return
	}
	v.Status, v.Updated = "reserved", &now
	d := c.timings.VolumeAttach
	c.after(now, d/2, func() { c.setVolumeStatus(v.ID, "reserved", "attaching", now.Add(d/2)) })
	c.after(now, d, func() {
		if c.attachments[a.ID] == nil {
			return
		}
		a.AttachedAt = now.Add(d)
		c.setVolumeStatus(v.ID, "attaching", "in-use", now.Add(d))
	})
}

// beginDetach schedules detaching, available for attachment a.
func (c *Cloud) beginDetach(a *volumeAttachment, now time.Time) {
	v := c.volumes[a.VolumeID]
	if v == nil {
		return
	}
	v.Status, v.Updated = "detaching", &now
	c.after(now, c.timings.VolumeDetach, func() { c.finishDetach(a, now.Add(c.timings.VolumeDetach)) })
}

// finishDetach removes a and makes its volume available.
func (c *Cloud) finishDetach(a *volumeAttachment, at time.Time) {
	delete(c.attachments, a.ID)
	v := c.volumes[a.VolumeID]
	if v == nil {
		return
	}
	v.Attachments = slices.DeleteFunc(v.Attachments, func(x *volumeAttachment) bool { return x == a })
	if len(v.Attachments) == 0 {
		v.Status, v.Updated = "available", &at
	}
}
