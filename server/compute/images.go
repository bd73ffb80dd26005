package compute

import (
	"context"
	"encoding/json"
	"sort"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
)

// Glance image properties that place an image in GCE.
const (
	propImageProject = "gce_image_project" // public image project, e.g. debian-cloud
	propFamily       = "family"
	propDescription  = "description"
)

const gib = 1 << 30

// imagesIn lists the images of GCE project p as seen by sess. The session's
// own project has its own images and the public images of no image project.
// Any other project has the images marked with its name.
func (s *Service) imagesIn(ctx context.Context, sess *openstack.Session, p string) ([]openstack.Image, error) {
	all, err := cached(ctx, s.cache, sess.ProjectID+"/images", sess.Images)
	if err != nil {
		return nil, err
	}
	var out []openstack.Image
	for _, img := range all {
		if belongsTo(img, sess, p) && gce.ValidName(img.Name) {
			out = append(out, img)
		}
	}
	return out, nil
}

// belongsTo reports whether img is an image of GCE project p. The image
// project property names the project of a public image. An image that the
// session's project owns and has not made public belongs to that project,
// even when it inherited the property from a disk's source image.
func belongsTo(img openstack.Image, sess *openstack.Session, p string) bool {
	if img.Owner == sess.ProjectID && img.Visibility != "public" {
		return p == sess.ProjectName
	}
	if owner := img.Properties[propImageProject]; owner != "" {
		return owner == p
	}
	if p != sess.ProjectName {
		return false
	}
	return img.Owner == sess.ProjectID || img.Visibility == "public"
}

func imageStatus(glance string) string {
	switch glance {
	case "active":
		return "READY"
	case "killed", "deleted", "pending_delete":
		return "FAILED"
	}
	return "PENDING"
}

// imageDiskSizeGB is the size of a disk made from img: its min_disk, or its
// virtual size (its data size when Glance reports none) rounded up to whole
// GiB, and at least 1.
func imageDiskSizeGB(img openstack.Image) int64 {
	size := (max(img.VirtualBytes, img.SizeBytes) + gib - 1) / gib
	return max(int64(img.MinDiskGB), size, 1)
}

func imageView(r *Request, project string, img openstack.Image) *compute.Image {
	view := baseImageView(r, project, img)
	view.LabelFingerprint = fingerprint(view.Labels)
	return view
}

// imageViewWithLabels is imageView with the labels kept in the store for
// images made through this API.
func (s *Service) imageViewWithLabels(ctx context.Context, r *Request, project string, img openstack.Image) *compute.Image {
	view := baseImageView(r, project, img)
	if rec, err := s.Store.Resource(ctx, project, "global", "images", img.Name); err == nil && rec.OpenStackID == img.ID {
		var d imageData
		if json.Unmarshal(rec.Data, &d) == nil {
			view.Labels = d.Labels
		}
	}
	view.LabelFingerprint = fingerprint(view.Labels)
	return view
}

func baseImageView(r *Request, project string, img openstack.Image) *compute.Image {
	view := &compute.Image{
		Kind: "compute#image", Id: gce.ID(img.ID), Name: img.Name,
		Description: img.Properties[propDescription], Family: img.Properties[propFamily],
		Status: imageStatus(img.Status), SourceType: "RAW", DiskSizeGb: imageDiskSizeGB(img),
		ArchiveSizeBytes: img.SizeBytes, CreationTimestamp: gce.Timestamp(img.Created),
		SelfLink: r.Links.Global(project, "images", img.Name),
		RawDisk:  &compute.ImageRawDisk{ContainerType: "TAR"},
	}
	if path := img.Properties[propSourceDisk]; path != "" {
		view.SourceDisk = r.Links.Base + "/compute/v1/" + path
		view.SourceDiskId = gce.IDString(img.Properties[propSourceDiskID])
	}
	return view
}

// findImage returns the image of project p with the given name.
func (s *Service) findImage(ctx context.Context, sess *openstack.Session, p, name string) (openstack.Image, bool, error) {
	list, err := s.imagesIn(ctx, sess, p)
	if err != nil {
		return openstack.Image{}, false, err
	}
	for _, img := range list {
		if img.Name == name {
			return img, true, nil
		}
	}
	return openstack.Image{}, false, nil
}

// newestInFamily returns the newest ready image of family in project p.
func (s *Service) newestInFamily(ctx context.Context, sess *openstack.Session, p, family string) (openstack.Image, bool, error) {
	list, err := s.imagesIn(ctx, sess, p)
	if err != nil {
		return openstack.Image{}, false, err
	}
	var members []openstack.Image
	for _, img := range list {
		if img.Properties[propFamily] == family && img.Status == "active" {
			members = append(members, img)
		}
	}
	if len(members) == 0 {
		return openstack.Image{}, false, nil
	}
	sort.Slice(members, func(i, j int) bool {
		if !members[i].Created.Equal(members[j].Created) {
			return members[i].Created.After(members[j].Created)
		}
		return members[i].Name > members[j].Name
	})
	return members[0], true, nil
}

func (s *Service) getImage(ctx context.Context, r *Request) Response {
	img, ok, err := s.findImage(ctx, r.Session, r.Project(), r.Vars["image"])
	if err != nil {
		return Fail(apiError(err, ""))
	}
	if !ok {
		return Fail(gce.NotFound("projects/" + r.Project() + "/global/images/" + r.Vars["image"]))
	}
	return OK(s.imageViewWithLabels(ctx, r, r.Project(), img))
}

func (s *Service) listImages(ctx context.Context, r *Request) Response {
	list, err := s.imagesIn(ctx, r.Session, r.Project())
	if err != nil {
		return Fail(apiError(err, ""))
	}
	items := make([]*compute.Image, 0, len(list))
	for _, img := range list {
		items = append(items, imageView(r, r.Project(), img))
	}
	return listResponse(r, items, func(page []*compute.Image, next string) any {
		return &compute.ImageList{Kind: "compute#imageList", Id: "projects/" + r.Project() + "/global/images",
			Items: page, NextPageToken: next, SelfLink: r.Links.Global(r.Project(), "images")}
	})
}

func (s *Service) familyImage(ctx context.Context, r *Request) (*compute.Image, error) {
	family := r.Vars["family"]
	img, ok, err := s.newestInFamily(ctx, r.Session, r.Project(), family)
	if err != nil {
		return nil, apiError(err, "")
	}
	if !ok {
		return nil, gce.NotFound("projects/" + r.Project() + "/global/images/family/" + family)
	}
	return imageView(r, r.Project(), img), nil
}

func (s *Service) getImageFromFamily(ctx context.Context, r *Request) Response {
	img, err := s.familyImage(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return OK(img)
}

func (s *Service) getImageFamilyView(ctx context.Context, r *Request) Response {
	if r.Vars["zone"] != "-" {
		if _, err := s.requireZone(ctx, r); err != nil {
			return Fail(err)
		}
	}
	img, err := s.familyImage(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return OK(&compute.ImageFamilyView{Image: img})
}

// resolveImage finds the image a sourceImage reference names: by name or by
// family, in the reference's project or else in project.
func (s *Service) resolveImage(ctx context.Context, sess *openstack.Session, project, field, text string) (openstack.Image, error) {
	ref, ok := gce.ParseRef(text)
	if !ok || (ref.Collection != "" && ref.Collection != "images") {
		return openstack.Image{}, gce.InvalidField(field, text, "The URL is malformed.")
	}
	if ref.Project != "" {
		project = ref.Project
	}
	var img openstack.Image
	var found bool
	var err error
	if ref.Family != "" {
		img, found, err = s.newestInFamily(ctx, sess, project, ref.Family)
	} else {
		img, found, err = s.findImage(ctx, sess, project, ref.Name)
	}
	if err != nil {
		return img, apiError(err, "")
	}
	if !found {
		return img, gce.NotFound(imagePath(project, ref))
	}
	return img, nil
}

func imagePath(project string, ref gce.Ref) string {
	if ref.Family != "" {
		return "projects/" + project + "/global/images/family/" + ref.Family
	}
	return "projects/" + project + "/global/images/" + ref.Name
}
