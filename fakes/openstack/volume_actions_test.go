package openstack

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
)

func TestUploadVolumeToImage(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	v, err := volumes.Create(ctx, e.volume, volumes.CreateOpts{Size: 2, Name: "src"}, nil).Extract()
	if err != nil {
		t.Fatalf("create volume: %v", err)
	}
	opts := volumes.UploadImageOpts{ImageName: "from-volume", DiskFormat: "raw", ContainerFormat: "bare"}
	_, err = volumes.UploadImage(ctx, e.volume, v.ID, opts).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("upload of a creating volume: err = %v, want 400", err)
	}
	e.clock.Advance(time.Second)
	up, err := volumes.UploadImage(ctx, e.volume, v.ID, opts).Extract()
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if up.Status != "uploading" || up.ImageName != "from-volume" || up.ImageID == "" {
		t.Errorf("upload body = %+v, want status uploading, image name and id", up)
	}
	if got := e.volumeStatus(t, v.ID); got != "uploading" {
		t.Errorf("volume status = %s, want uploading", got)
	}
	img, err := images.Get(ctx, e.image, up.ImageID).Extract()
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	if img.Status != images.ImageStatusQueued {
		t.Errorf("image status = %s, want queued", img.Status)
	}
	e.clock.Advance(time.Second)
	img, err = images.Get(ctx, e.image, up.ImageID).Extract()
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	if img.Status != images.ImageStatusActive {
		t.Errorf("image status = %s, want active", img.Status)
	}
	if img.SizeBytes != 2<<30 {
		t.Errorf("image size = %d, want %d", img.SizeBytes, int64(2<<30))
	}
	if img.MinDiskGigabytes != 2 {
		t.Errorf("image min_disk = %d, want 2", img.MinDiskGigabytes)
	}
	if got := e.volumeStatus(t, v.ID); got != "available" {
		t.Errorf("volume status = %s, want available", got)
	}
}

func TestUnknownVolumeActionIs400(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	v, err := volumes.Create(ctx, e.volume, volumes.CreateOpts{Size: 1}, nil).Extract()
	if err != nil {
		t.Fatalf("create volume: %v", err)
	}
	resp, err := e.volume.Post(ctx, e.volume.ServiceURL("volumes", v.ID, "action"),
		map[string]any{"os-bogus": map[string]any{}}, nil, nil)
	if !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("unknown action: err = %v (response %v), want 400", err, resp)
	}
}

func TestUploadImageProperties(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	v, err := volumes.Create(ctx, e.volume, volumes.CreateOpts{Size: 10, Name: "from-image",
		ImageID: e.imageID(t, "debian-12-bookworm-v20240110")}, nil).Extract()
	if err != nil {
		t.Fatalf("create volume: %v", err)
	}
	e.clock.Advance(2 * time.Second)

	up, err := volumes.UploadImage(ctx, e.volume, v.ID, volumes.UploadImageOpts{ImageName: "copy",
		DiskFormat: "raw", ContainerFormat: "bare"}).Extract()
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	img, err := images.Get(ctx, e.image, up.ImageID).Extract()
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	want := map[string]any{"gce_image_project": "debian-cloud", "family": "debian-12", "signature_verified": "False"}
	for k, val := range want {
		if img.Properties[k] != val {
			t.Errorf("queued image property %s = %v, want %v", k, img.Properties[k], val)
		}
	}
	if _, ok := img.Properties["image_id"]; ok {
		t.Errorf("queued image inherited the core key image_id: %v", img.Properties)
	}

	e.clock.Advance(200 * time.Millisecond)
	if img, _ = images.Get(ctx, e.image, up.ImageID).Extract(); img == nil || img.Status != images.ImageStatusSaving {
		t.Fatalf("image after 200ms = %+v, want saving", img)
	}
	_, err = images.Update(ctx, e.image, up.ImageID, images.UpdateOpts{
		images.UpdateImageProperty{Op: images.AddOp, Name: "description", Value: "set while saving"},
		images.UpdateImageProperty{Op: images.RemoveOp, Name: "family"},
	}).Extract()
	if err != nil {
		t.Fatalf("patch while saving: %v", err)
	}

	e.clock.Advance(time.Second)
	img, err = images.Get(ctx, e.image, up.ImageID).Extract()
	if err != nil {
		t.Fatalf("get image: %v", err)
	}
	if img.Status != images.ImageStatusActive || img.Properties["description"] != nil || img.Properties["family"] != "debian-12" {
		t.Errorf("active image = status %s properties %v, want active with the properties read when saving began",
			img.Status, img.Properties)
	}
}
