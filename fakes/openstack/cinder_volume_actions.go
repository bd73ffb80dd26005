package openstack

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"
)

// volumeAction handles POST /volumes/{id}/action. Only
// os-volume_upload_image is supported; other actions return 400 as
// Cinder does for an unknown action.
func volumeAction(cl *call) reply {
	v, rep, ok := cl.findVolume(cl.vars["id"])
	if !ok {
		return rep
	}
	var req map[string]json.RawMessage
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if body, ok := req["os-volume_upload_image"]; ok {
		return cl.uploadVolumeImage(v, body)
	}
	names := make([]string, 0, len(req))
	for name := range req {
		names = append(names, name)
	}
	sort.Strings(names)
	return cl.fail(http.StatusBadRequest, "", "There is no such action: %v", names)
}

type uploadImageFields struct {
	ImageName       string `json:"image_name"`
	Force           any    `json:"force"`
	DiskFormat      string `json:"disk_format"`
	ContainerFormat string `json:"container_format"`
	Visibility      string `json:"visibility"`
	Protected       bool   `json:"protected"`
}

// uploadVolumeImage creates a queued Glance image owned by the volume's
// project and moves the volume through uploading and the image through
// saving to active. Like Cinder with its default enable_force_upload =
// False, it uploads only available volumes, whatever the force flag.
func (cl *call) uploadVolumeImage(v *volume, raw json.RawMessage) reply {
	f := uploadImageFields{DiskFormat: "raw", ContainerFormat: "bare", Visibility: "private"}
	if err := json.Unmarshal(raw, &f); err != nil {
		return cl.fail(http.StatusBadRequest, "", "Invalid input received: %v", err)
	}
	if f.ImageName == "" {
		return cl.fail(http.StatusBadRequest, "", "Invalid input received: image_name is required.")
	}
	if v.Status != "available" {
		return cl.fail(http.StatusBadRequest, "", "Invalid volume: Volume %s status must be available, but current status is: %s.", v.ID, v.Status)
	}
	img := &image{ID: uuid.NewString(), Name: f.ImageName, Owner: v.ProjectID, Visibility: f.Visibility,
		Status: "queued", DiskFormat: f.DiskFormat, ContainerFormat: f.ContainerFormat,
		Protected: f.Protected, MinDisk: v.Size, Properties: inheritedProperties(v), Tags: []string{},
		Created: cl.now, Updated: cl.now}
	cl.c.images[img.ID] = img
	v.Status, v.Updated = "uploading", &cl.now
	cl.c.scheduleUpload(v, img, cl.now)
	return respond(http.StatusAccepted, map[string]any{"os-volume_upload_image": uploadBody(v, img, cl.now)})
}

// glanceCoreProperties is Cinder's default glance_core_properties: the keys
// of a volume's image metadata that an upload does not copy to the image.
var glanceCoreProperties = []string{"checksum", "container_format", "disk_format", "image_name",
	"image_id", "min_disk", "min_ram", "name", "size"}

// inheritedProperties returns the properties Cinder gives an image uploaded
// from v: every key of v's image metadata but the core ones. A volume made
// from an image passes on that image's custom properties, and
// signature_verified.
func inheritedProperties(v *volume) map[string]any {
	props := map[string]any{}
	for k, val := range v.ImageMetadata {
		if !slices.Contains(glanceCoreProperties, k) {
			props[k] = val
		}
	}
	return props
}

// uploadBody is Cinder's 202 body of os-volume_upload_image.
func uploadBody(v *volume, img *image, now time.Time) map[string]any {
	return map[string]any{
		"id":                  v.ID,
		"updated_at":          microTimestamp(now),
		"status":              "uploading",
		"display_description": nullable(v.Description),
		"size":                v.Size,
		"volume_type":         map[string]any{"id": volumeTypeID, "name": v.VolumeType},
		"image_id":            img.ID,
		"image_name":          img.Name,
		"container_format":    img.ContainerFormat,
		"disk_format":         img.DiskFormat,
		"protected":           img.Protected,
		"visibility":          img.Visibility,
	}
}

// scheduleUpload makes img saving halfway through Timings.VolumeCreate and
// active, with the volume's size, at its end, when v is available again.
// Like Glance, the end of the upload saves the image record read when the
// data began to arrive, so properties changed while saving are lost.
func (c *Cloud) scheduleUpload(v *volume, img *image, now time.Time) {
	d := c.timings.VolumeCreate
	var read map[string]any
	c.after(now, d/2, func() {
		if c.images[img.ID] != nil && img.Status == "queued" {
			img.Status, img.Updated = "saving", now.Add(d/2)
			read = maps.Clone(img.Properties)
		}
	})
	c.after(now, d, func() {
		c.setVolumeStatus(v.ID, "uploading", "available", now.Add(d))
		if c.images[img.ID] == nil || img.Status != "saving" {
			return
		}
		// The fake keeps no volume data, so the image holds none either;
		// size reports the volume's size, as a raw upload of it would.
		size := int64(v.Size) << 30
		img.Status, img.Size, img.Updated = "active", &size, now.Add(d)
		img.Properties = read
	})
}
