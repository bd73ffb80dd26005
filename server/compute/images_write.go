package compute

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// Glance image properties of an image made from a disk: the disk's path
// (projects/p/zones/z/disks/d) and the id of its Cinder volume.
const (
	propSourceDisk   = "gce_source_disk"
	propSourceDiskID = "gce_source_disk_id"
)

// imageData is the stored data of an image beyond the Glance image.
type imageData struct {
	Labels map[string]string `json:"labels,omitempty"`
}

// imageState is the progress of an images.insert or images.delete
// operation.
type imageState struct {
	ImageID string `json:"imageId"`
	// Properties wait to be set until the image is active. Glance drops
	// properties set while Cinder uploads a volume into the image, because
	// the upload saves the image record it read before it started.
	Properties map[string]string `json:"properties,omitempty"`
}

// imagePlan is a validated images.insert request. Exactly one of rawURL
// and volumeID is set.
type imagePlan struct {
	name       string
	properties map[string]string
	rawURL     string
	volumeID   string
	force      bool
	disk       imageSourceDisk
}

// imageSourceDisk is the disk an image is made from, for error messages.
type imageSourceDisk struct {
	path     string // projects/p/zones/z/disks/d
	attached bool
	status   string // Cinder volume status
}

func imageResourcePath(project, name string) string {
	return "projects/" + project + "/global/images/" + name
}

// insertImage creates a Glance image from a URL (web-download import) or
// from a disk (Cinder os-volume_upload_image).
func (s *Service) insertImage(ctx context.Context, r *Request) Response {
	var body compute.Image
	if err := decodeBody(r.Body, &body); err != nil {
		return Fail(err)
	}
	if body.SourceDisk == "" {
		body.SourceDisk = r.Query.Get("sourceDisk")
	}
	plan, err := s.planImage(ctx, r, &body)
	if err != nil {
		return Fail(err)
	}
	imageID, err := s.createImage(ctx, r, plan, body.Labels)
	if err != nil {
		return Fail(err)
	}
	s.cache.forget(r.Session.ProjectID + "/images")
	op := &operations.Record{Project: r.Project(), Scope: "global", Type: "insert", Kind: "images",
		Target: plan.name, TargetID: imageID, User: r.Session.UserName, Machine: machineInsertImage}
	st := imageState{ImageID: imageID}
	if plan.volumeID != "" {
		st.Properties = plan.properties
	}
	op.SaveState(st)
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

func (s *Service) planImage(ctx context.Context, r *Request, body *compute.Image) (*imagePlan, error) {
	if err := gce.CheckName("resource.name", body.Name); err != nil {
		return nil, err
	}
	if err := checkDescription("resource.description", body.Description); err != nil {
		return nil, err
	}
	if err := checkLabels(body.Labels); err != nil {
		return nil, err
	}
	if body.Family != "" && !gce.ValidName(body.Family) {
		return nil, gce.InvalidField("resource.family", body.Family,
			"Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'")
	}
	force, _ := strconv.ParseBool(r.Query.Get("forceCreate"))
	plan := &imagePlan{name: body.Name, force: force, properties: map[string]string{}}
	if body.Family != "" {
		plan.properties[propFamily] = body.Family
	}
	if body.Description != "" {
		plan.properties[propDescription] = body.Description
	}
	if err := s.planImageSource(ctx, r, plan, body); err != nil {
		return nil, err
	}
	return plan, nil
}

func (s *Service) planImageSource(ctx context.Context, r *Request, plan *imagePlan, body *compute.Image) error {
	hasRaw := body.RawDisk != nil && body.RawDisk.Source != ""
	switch {
	case hasRaw && body.SourceDisk != "":
		return gce.Invalid("Only one of rawDisk.source and sourceDisk may be given.")
	case hasRaw:
		return planRawSource(plan, body.RawDisk.Source)
	case body.SourceDisk != "":
		return s.planImageDisk(ctx, r, plan, body.SourceDisk)
	case body.SourceImage != "" || body.SourceSnapshot != "":
		// TODO: images from another image or from a snapshot need a
		// volume in between; only rawDisk.source and sourceDisk work now.
		return gce.Invalid("Images can be created from rawDisk.source or sourceDisk only.")
	}
	return gce.Required("resource.rawDisk.source")
}

func planRawSource(plan *imagePlan, source string) error {
	u, err := url.Parse(source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return gce.InvalidField("resource.rawDisk.source", source, "Must be an http or https URL.")
	}
	plan.rawURL = source
	return nil
}

// planImageDisk resolves the source disk, which must name its zone, and
// rejects an attached disk unless forceCreate is set.
func (s *Service) planImageDisk(ctx context.Context, r *Request, plan *imagePlan, text string) error {
	ref, err := refInProject(r, "resource.sourceDisk", text, "disks")
	if err != nil {
		return err
	}
	zone, found := strings.CutPrefix(ref.Scope, "zones/")
	if !found || zone == "" {
		return gce.InvalidField("resource.sourceDisk", text, "The disk must be given as zones/ZONE/disks/NAME.")
	}
	r2 := *r
	r2.Vars = map[string]string{"project": r.Project(), "zone": zone, "disk": ref.Name}
	if _, err := s.requireZone(ctx, &r2); err != nil {
		return err
	}
	rec, v, err := s.lookupDisk(ctx, &r2, zone)
	if err != nil {
		return err
	}
	if err := s.checkImageDisk(ctx, &r2, rec, v, plan.force); err != nil {
		return err
	}
	plan.volumeID = v.ID
	plan.disk = imageSourceDisk{path: diskResourcePath(r.Project(), zone, ref.Name),
		attached: len(v.Attachments) > 0 || v.Status == "in-use", status: v.Status}
	plan.properties[propSourceDisk] = plan.disk.path
	plan.properties[propSourceDiskID] = v.ID
	return nil
}

// checkImageDisk rejects a disk that is being created or deleted, and,
// unless force is set, a disk that is attached.
func (s *Service) checkImageDisk(ctx context.Context, r *Request, rec store.Resource, v openstack.Volume, force bool) error {
	if !force {
		return s.checkDiskDeletable(ctx, r, rec, v)
	}
	path := diskResourcePath(r.Project(), r.Vars["zone"], rec.Name)
	switch diskStatus(v.Status) {
	case "CREATING", "DELETING", "FAILED":
		return gce.NotReady("The resource '%s' is not ready", path)
	}
	return nil
}

// imageUploadError maps Cinder's rejection of a volume upload, whose
// message names the volume by its UUID, to an error that names the disk.
// Cinder rejects an attached volume whatever the force flag unless its
// enable_force_upload option is set, which is off by default.
func imageUploadError(plan *imagePlan, err error) error {
	if !errors.Is(err, openstack.ErrInvalid) && !errors.Is(err, openstack.ErrConflict) {
		return apiError(err, "")
	}
	if plan.disk.attached {
		return gce.InUse("The disk resource '%s' is attached to an instance, and OpenStack "+
			"does not make images of attached volumes, even with forceCreate. Detach the disk "+
			"or delete its instance first.", plan.disk.path)
	}
	return gce.NotReady("The disk resource '%s' is not ready for an image upload (volume status %s)",
		plan.disk.path, plan.disk.status)
}

// createImage reserves the image name and requests the image from Glance or
// Cinder. A name that a Glance image of the project already has is taken
// too.
func (s *Service) createImage(ctx context.Context, r *Request, plan *imagePlan, labels map[string]string) (string, error) {
	path := imageResourcePath(r.Project(), plan.name)
	if _, found, err := s.findImage(ctx, r.Session, r.Project(), plan.name); err != nil || found {
		if err != nil {
			return "", apiError(err, "")
		}
		return "", gce.AlreadyExists(path)
	}
	res := store.Resource{Project: r.Project(), Scope: "global", Kind: "images", Name: plan.name,
		Data: mustJSON(imageData{Labels: labels})}
	if err := s.Store.Reserve(ctx, res); err != nil {
		return "", reserveError(err, path)
	}
	id, err := s.startImage(ctx, r.Session, plan)
	if err != nil {
		s.Store.Release(context.WithoutCancel(ctx), res.Project, res.Scope, res.Kind, res.Name)
		return "", apiError(err, "")
	}
	res.OpenStackID = id
	return id, s.Store.UpdateResource(ctx, res)
}

// startImage creates the Glance image and starts filling it. An image
// whose filling cannot start is deleted again.
func (s *Service) startImage(ctx context.Context, sess *openstack.Session, plan *imagePlan) (string, error) {
	var id string
	var err error
	if plan.rawURL != "" {
		var img openstack.Image
		img, err = sess.CreateImage(ctx, openstack.ImageSpec{Name: plan.name, Properties: plan.properties})
		if err != nil {
			return "", err
		}
		id = img.ID
		err = sess.ImportImageFromURL(ctx, id, plan.rawURL)
	} else {
		id, err = sess.UploadVolumeImage(ctx, plan.volumeID, openstack.UploadSpec{ImageName: plan.name, Force: plan.force})
		if err != nil {
			return "", imageUploadError(plan, err)
		}
	}
	if err != nil {
		if derr := sess.DeleteImage(context.WithoutCancel(ctx), id); derr != nil {
			s.Log.Warn("delete image of failed insert", "image", id, "err", derr)
		}
		return "", err
	}
	return id, nil
}

// inheritedProperties returns the properties of img that the server
// manages but the request did not set. Cinder copies the custom properties of a volume's
// source image to the image it uploads, so an image made from a disk of
// debian-12 would otherwise join the debian-cloud project and the
// debian-12 family.
func inheritedProperties(img openstack.Image, requested map[string]string) []string {
	var out []string
	for _, k := range []string{propImageProject, propFamily, propDescription} {
		if _, ok := requested[k]; !ok && img.Properties[k] != "" {
			out = append(out, k)
		}
	}
	return out
}

// advanceImageInsert follows a new image until Glance makes it active.
func (s *Service) advanceImageInsert(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st imageState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	img, err := sess.Image(ctx, st.ImageID)
	if errors.Is(err, openstack.ErrNotFound) {
		s.Store.Release(ctx, rec.Project, "global", "images", rec.Target)
		rec.Fail(http.StatusNotFound, "RESOURCE_NOT_FOUND",
			"The Glance image '"+rec.Target+"' disappeared while it was being created.")
		return nil
	}
	if err != nil {
		return err
	}
	switch imageStatus(img.Status) {
	case "PENDING":
		rec.Progress = 50
		return nil
	case "READY":
		if len(st.Properties) > 0 {
			err := sess.SetImageProperties(ctx, img.ID, st.Properties, inheritedProperties(img, st.Properties))
			if err != nil {
				return err
			}
			st.Properties = nil
			rec.SaveState(st)
		}
		rec.Finish()
	default:
		if err := sess.DeleteImage(ctx, img.ID); err != nil {
			return err
		}
		s.Store.Release(ctx, rec.Project, "global", "images", rec.Target)
		rec.Fail(http.StatusInternalServerError, "INTERNAL_ERROR",
			"Glance could not create image '"+rec.Target+"' (status "+img.Status+").")
	}
	s.cache.forget(sess.ProjectID + "/images")
	return nil
}

func (s *Service) deleteImage(ctx context.Context, r *Request) Response {
	name := r.Vars["image"]
	img, found, err := s.findImage(ctx, r.Session, r.Project(), name)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	if !found {
		return Fail(gce.NotFound(imageResourcePath(r.Project(), name)))
	}
	if err := r.Session.DeleteImage(ctx, img.ID); err != nil {
		return Fail(apiError(err, imageResourcePath(r.Project(), name)))
	}
	s.cache.forget(r.Session.ProjectID + "/images")
	op := &operations.Record{Project: r.Project(), Scope: "global", Type: "delete", Kind: "images",
		Target: name, TargetID: img.ID, User: r.Session.UserName, Machine: machineDeleteImage}
	op.SaveState(imageState{ImageID: img.ID})
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// advanceImageDelete waits until Glance returns 404 for the image, then
// frees its name.
func (s *Service) advanceImageDelete(ctx context.Context, sess *openstack.Session, rec *operations.Record) error {
	var st imageState
	if err := rec.LoadState(&st); err != nil {
		return err
	}
	_, err := sess.Image(ctx, st.ImageID)
	if err == nil {
		rec.Progress = 50
		return nil
	}
	if !errors.Is(err, openstack.ErrNotFound) {
		return err
	}
	s.Store.Release(ctx, rec.Project, "global", "images", rec.Target)
	s.cache.forget(sess.ProjectID + "/images")
	rec.Finish()
	return nil
}
