package openstack

import (
	"context"
	"fmt"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
)

// Images lists every image the project can see: its own and public ones.
func (s *Session) Images(ctx context.Context) ([]Image, error) {
	sc, err := s.service("image")
	if err != nil {
		return nil, err
	}
	pages, err := images.List(sc, images.ListOpts{Limit: 500}).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list images", err)
	}
	list, err := images.ExtractImages(pages)
	if err != nil {
		return nil, wrapErr("list images", err)
	}
	out := make([]Image, 0, len(list))
	for i := range list {
		out = append(out, toImage(&list[i]))
	}
	return out, nil
}

// Image returns one image.
func (s *Session) Image(ctx context.Context, id string) (Image, error) {
	sc, err := s.service("image")
	if err != nil {
		return Image{}, err
	}
	img, err := images.Get(ctx, sc, id).Extract()
	if err != nil {
		return Image{}, wrapErr("get image "+id, err)
	}
	return toImage(img), nil
}

func toImage(img *images.Image) Image {
	out := Image{ID: img.ID, Name: img.Name, Status: string(img.Status),
		Visibility: string(img.Visibility), Owner: img.Owner, SizeBytes: img.SizeBytes,
		VirtualBytes: img.VirtualSize,
		MinDiskGB:    img.MinDiskGigabytes, DiskFormat: img.DiskFormat, Created: img.CreatedAt,
		Properties: map[string]string{}}
	for k, v := range img.Properties {
		switch v := v.(type) {
		case string:
			out.Properties[k] = v
		case nil:
		default:
			out.Properties[k] = fmt.Sprint(v)
		}
	}
	return out
}
