package openstack

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imageimport"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
)

// ImageSpec describes a new private raw Glance image; Properties become
// its custom properties.
type ImageSpec struct {
	Name       string
	Properties map[string]string
}

// CreateImage creates an image record with no data (status queued).
func (s *Session) CreateImage(ctx context.Context, spec ImageSpec) (Image, error) {
	sc, err := s.service("image")
	if err != nil {
		return Image{}, err
	}
	private := images.ImageVisibilityPrivate
	opts := images.CreateOpts{Name: spec.Name, Visibility: &private, DiskFormat: "raw",
		ContainerFormat: "bare", Properties: spec.Properties}
	img, err := images.Create(ctx, sc, opts).Extract()
	if err != nil {
		return Image{}, wrapErr("create image "+spec.Name, err)
	}
	return toImage(img), nil
}

// ImportImageFromURL starts Glance's web-download import of uri into a
// queued image.
func (s *Session) ImportImageFromURL(ctx context.Context, id, uri string) error {
	sc, err := s.service("image")
	if err != nil {
		return err
	}
	opts := imageimport.CreateOpts{Name: imageimport.WebDownloadMethod, URI: uri}
	err = imageimport.Create(ctx, sc, id, opts).ExtractErr()
	return wrapErr("import image "+id+" from "+uri, err)
}

// SetImageProperties adds or replaces the custom properties in set and
// removes those named in remove, which must exist, in one update.
func (s *Session) SetImageProperties(ctx context.Context, id string, set map[string]string, remove []string) error {
	if len(set) == 0 && len(remove) == 0 {
		return nil
	}
	sc, err := s.service("image")
	if err != nil {
		return err
	}
	var opts images.UpdateOpts
	for _, k := range slices.Sorted(maps.Keys(set)) {
		opts = append(opts, images.UpdateImageProperty{Op: images.AddOp, Name: k, Value: set[k]})
	}
	for _, k := range remove {
		opts = append(opts, images.UpdateImageProperty{Op: images.RemoveOp, Name: k})
	}
	_, err = images.Update(ctx, sc, id, opts).Extract()
	return wrapErr("set properties of image "+id, err)
}

// DeleteImage deletes an image; one already gone is no error.
func (s *Session) DeleteImage(ctx context.Context, id string) error {
	sc, err := s.service("image")
	if err != nil {
		return err
	}
	err = images.Delete(ctx, sc, id).ExtractErr()
	if gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		return nil
	}
	return wrapErr("delete image "+id, err)
}
