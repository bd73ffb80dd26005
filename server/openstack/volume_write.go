package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
)

// VolumeSpec describes a new Cinder volume. At most one of ImageID and
// SnapshotID is set; SizeGB 0 takes the size of the snapshot.
type VolumeSpec struct {
	Name        string
	Description string
	Zone        string
	SizeGB      int
	ImageID     string
	SnapshotID  string
}

// UploadSpec describes the Glance image that os-volume_upload_image makes
// from a volume.
type UploadSpec struct {
	ImageName string
	Force     bool // upload an attached volume; Cinder allows it only when configured to
}

// CreateVolume creates a volume and returns it as Cinder first shows it,
// usually in status creating.
func (s *Session) CreateVolume(ctx context.Context, spec VolumeSpec) (Volume, error) {
	sc, err := s.service("volume")
	if err != nil {
		return Volume{}, err
	}
	opts := volumes.CreateOpts{Name: spec.Name, Description: spec.Description,
		AvailabilityZone: spec.Zone, Size: spec.SizeGB, ImageID: spec.ImageID,
		SnapshotID: spec.SnapshotID}
	v, err := volumes.Create(ctx, sc, opts, nil).Extract()
	if err != nil {
		return Volume{}, wrapErr("create volume "+spec.Name, err)
	}
	return toVolume(v), nil
}

// UploadVolumeImage copies a volume into a new raw Glance image through
// the os-volume_upload_image action and returns the image's id.
func (s *Session) UploadVolumeImage(ctx context.Context, volumeID string, spec UploadSpec) (string, error) {
	sc, err := s.service("volume")
	if err != nil {
		return "", err
	}
	opts := volumes.UploadImageOpts{ImageName: spec.ImageName, Force: spec.Force,
		DiskFormat: "raw", ContainerFormat: "bare"}
	img, err := volumes.UploadImage(ctx, sc, volumeID, opts).Extract()
	if err != nil {
		return "", wrapErr("upload volume "+volumeID+" to image "+spec.ImageName, err)
	}
	return img.ImageID, nil
}
