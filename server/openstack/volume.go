package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
)

// Volume returns one volume.
func (s *Session) Volume(ctx context.Context, id string) (Volume, error) {
	sc, err := s.service("volume")
	if err != nil {
		return Volume{}, err
	}
	v, err := volumes.Get(ctx, sc, id).Extract()
	if err != nil {
		return Volume{}, wrapErr("get volume "+id, err)
	}
	return toVolume(v), nil
}

// Volumes lists the project's volumes.
func (s *Session) Volumes(ctx context.Context) ([]Volume, error) {
	sc, err := s.service("volume")
	if err != nil {
		return nil, err
	}
	pages, err := volumes.List(sc, volumes.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list volumes", err)
	}
	list, err := volumes.ExtractVolumes(pages)
	if err != nil {
		return nil, wrapErr("list volumes", err)
	}
	out := make([]Volume, 0, len(list))
	for i := range list {
		out = append(out, toVolume(&list[i]))
	}
	return out, nil
}

func toVolume(v *volumes.Volume) Volume {
	out := Volume{ID: v.ID, Name: v.Name, Description: v.Description, SizeGB: v.Size,
		Status: v.Status, Zone: v.AvailabilityZone, Bootable: v.Bootable == "true",
		SnapshotID: v.SnapshotID, SourceVolID: v.SourceVolID, VolumeType: v.VolumeType,
		Metadata: v.Metadata, Created: v.CreatedAt, ImageMetadata: v.VolumeImageMetadata}
	if v.VolumeImageMetadata != nil {
		out.ImageID = v.VolumeImageMetadata["image_id"]
		out.ImageName = v.VolumeImageMetadata["image_name"]
	}
	for _, a := range v.Attachments {
		out.Attachments = append(out.Attachments, VolumeAttachment{VolumeID: v.ID,
			ServerID: a.ServerID, Device: a.Device})
	}
	return out
}

// RenameVolume sets a volume's name and description.
func (s *Session) RenameVolume(ctx context.Context, id, name, description string) error {
	sc, err := s.service("volume")
	if err != nil {
		return err
	}
	_, err = volumes.Update(ctx, sc, id, volumes.UpdateOpts{Name: &name, Description: &description}).Extract()
	return wrapErr("rename volume "+id, err)
}

// DeleteVolume deletes a volume; one already gone is no error.
func (s *Session) DeleteVolume(ctx context.Context, id string) error {
	sc, err := s.service("volume")
	if err != nil {
		return err
	}
	err = volumes.Delete(ctx, sc, id, volumes.DeleteOpts{}).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete volume "+id, err)
}
