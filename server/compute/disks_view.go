package compute

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/store"
)

// defaultDiskType is the type of a disk whose insert names none.
const defaultDiskType = "pd-standard"

// diskTypes are the disk types a disk may name. Every one is a Cinder
// volume of the default volume type.
var diskTypes = map[string]bool{"pd-standard": true, "pd-ssd": true, "pd-balanced": true}

// diskRecord is the stored data of a disk: the attributes that
// instances.insert stores for boot disks, plus the snapshot a disk was made
// from.
type diskRecord struct {
	diskData
	SourceSnapshot   string `json:"sourceSnapshot,omitempty"`   // snapshot name
	SourceSnapshotID string `json:"sourceSnapshotId,omitempty"` // Cinder snapshot id
}

func loadDiskRecord(rec store.Resource) diskRecord {
	var d diskRecord
	if len(rec.Data) > 0 {
		json.Unmarshal(rec.Data, &d)
	}
	return d
}

// diskStatus maps a Cinder volume status to a GCE disk status. Statuses of
// work on a volume that exists (uploading, backing-up, extending, ...) are
// READY.
func diskStatus(cinder string) string {
	switch {
	case cinder == "creating" || cinder == "downloading":
		return "CREATING"
	case cinder == "deleting":
		return "DELETING"
	case strings.HasPrefix(cinder, "error"):
		return "FAILED"
	}
	return "READY"
}

// diskResourcePath is the resource path of a disk in error messages.
func diskResourcePath(project, zone, name string) string {
	return "projects/" + project + "/zones/" + zone + "/disks/" + name
}

// diskUser names an instance a volume is attached to.
type diskUser struct{ zone, name string }

// diskUserIndex maps each attached server of every volume to the instance it
// is: the store's instance record, or else the Nova server in the volume's
// zone.
type diskUserIndex struct {
	byServer map[string]diskUser
}

func (s *Service) loadDiskUsers(ctx context.Context, project string) (*diskUserIndex, error) {
	records, err := s.Store.Resources(ctx, project, "", "instances")
	if err != nil {
		return nil, err
	}
	u := &diskUserIndex{byServer: map[string]diskUser{}}
	for _, rec := range records {
		if rec.OpenStackID != "" {
			u.byServer[rec.OpenStackID] = diskUser{zone: strings.TrimPrefix(rec.Scope, "zones/"), name: rec.Name}
		}
	}
	return u, nil
}

// of returns the instances volume v is attached to.
func (u *diskUserIndex) of(ctx context.Context, sess *openstack.Session, v openstack.Volume) []diskUser {
	var out []diskUser
	for _, a := range v.Attachments {
		ref, ok := u.byServer[a.ServerID]
		if !ok {
			ref = diskUser{zone: v.Zone, name: a.ServerID}
			if srv, err := sess.Server(ctx, a.ServerID); err == nil {
				ref.name = srv.Name
			}
		}
		out = append(out, ref)
	}
	return out
}

func (s *Service) diskView(r *Request, rec store.Resource, v openstack.Volume, users []diskUser) *compute.Disk {
	zone := strings.TrimPrefix(rec.Scope, "zones/")
	d := loadDiskRecord(rec)
	disk := &compute.Disk{
		Kind: "compute#disk", Id: gce.ID(v.ID), Name: rec.Name, Description: d.Description,
		SizeGb: int64(v.SizeGB), Status: diskStatus(v.Status),
		CreationTimestamp: gce.Timestamp(v.Created),
		Zone:              r.Links.Zone(r.Project(), zone),
		SelfLink:          r.Links.Zone(r.Project(), zone, "disks", rec.Name),
		Type:              r.Links.Zone(r.Project(), zone, "diskTypes", orText(d.Type, defaultDiskType)),
		Labels:            d.Labels, LabelFingerprint: fingerprint(d.Labels),
		PhysicalBlockSizeBytes: 4096,
	}
	if d.SourceImage != "" {
		disk.SourceImage = r.Links.Base + "/compute/v1/" + d.SourceImage
		disk.SourceImageId = imageIDOf(v)
	}
	if d.SourceSnapshot != "" {
		disk.SourceSnapshot = r.Links.Global(r.Project(), "snapshots", d.SourceSnapshot)
		disk.SourceSnapshotId = gce.IDString(d.SourceSnapshotID)
	}
	for _, u := range users {
		disk.Users = append(disk.Users, r.Links.Zone(r.Project(), u.zone, "instances", u.name))
	}
	return disk
}

// imageIDOf returns the GCE id of the image a volume was made from, the id
// images.get shows for it, or "" when Cinder does not record it yet.
func imageIDOf(v openstack.Volume) string {
	if v.ImageID == "" {
		return ""
	}
	return gce.IDString(v.ImageID)
}

// lookupDisk returns the store record and Cinder volume of the disk named
// in the URL.
func (s *Service) lookupDisk(ctx context.Context, r *Request, zone string) (store.Resource, openstack.Volume, error) {
	name := r.Vars["disk"]
	missing := gce.NotFound(diskResourcePath(r.Project(), zone, name))
	rec, err := s.Store.Resource(ctx, r.Project(), "zones/"+zone, "disks", name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return rec, openstack.Volume{}, missing
	}
	if err != nil {
		return rec, openstack.Volume{}, err
	}
	v, err := r.Session.Volume(ctx, rec.OpenStackID)
	if errors.Is(err, openstack.ErrNotFound) {
		return rec, v, missing
	}
	return rec, v, apiError(err, diskResourcePath(r.Project(), zone, name))
}

// disksByZone builds the views of the project's disks in scope ("" for
// every zone), grouped by zone. Only disks the store records are shown,
// so that every listed disk can also be read and deleted by name.
func (s *Service) disksByZone(ctx context.Context, r *Request, scope string) (map[string][]*compute.Disk, error) {
	records, err := s.Store.Resources(ctx, r.Project(), scope, "disks")
	if err != nil {
		return nil, err
	}
	volumes, err := r.Session.Volumes(ctx)
	if err != nil {
		return nil, apiError(err, "")
	}
	byID := map[string]openstack.Volume{}
	for _, v := range volumes {
		byID[v.ID] = v
	}
	users, err := s.loadDiskUsers(ctx, r.Project())
	if err != nil {
		return nil, err
	}
	out := map[string][]*compute.Disk{}
	for _, rec := range records {
		v, ok := byID[rec.OpenStackID]
		if !ok || !strings.HasPrefix(rec.Scope, "zones/") {
			continue
		}
		zone := strings.TrimPrefix(rec.Scope, "zones/")
		out[zone] = append(out[zone], s.diskView(r, rec, v, users.of(ctx, r.Session, v)))
	}
	return out, nil
}

func (s *Service) getDisk(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, v, err := s.lookupDisk(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	users, err := s.loadDiskUsers(ctx, r.Project())
	if err != nil {
		return Fail(err)
	}
	return OK(s.diskView(r, rec, v, users.of(ctx, r.Session, v)))
}

func (s *Service) listDisks(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	byZone, err := s.disksByZone(ctx, r, "zones/"+zone.Name)
	if err != nil {
		return Fail(err)
	}
	return listResponse(r, byZone[zone.Name], func(page []*compute.Disk, next string) any {
		return &compute.DiskList{Kind: "compute#diskList",
			Id:    "projects/" + r.Project() + "/zones/" + zone.Name + "/disks",
			Items: page, NextPageToken: next,
			SelfLink: r.Links.Zone(r.Project(), zone.Name, "disks")}
	})
}

func (s *Service) aggregatedDisks(ctx context.Context, r *Request) Response {
	zones, err := s.zones(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	byZone, err := s.disksByZone(ctx, r, "")
	if err != nil {
		return Fail(err)
	}
	scopes := map[string][]*compute.Disk{}
	for _, z := range zones {
		scopes["zones/"+z.Name] = byZone[z.Name]
	}
	return aggregatedResponse(r, scopes, func(page map[string][]*compute.Disk, next string) any {
		out := &compute.DiskAggregatedList{Kind: "compute#diskAggregatedList",
			Id: "projects/" + r.Project() + "/aggregated/disks", NextPageToken: next,
			SelfLink: r.Links.Project(r.Project()) + "/aggregated/disks",
			Items:    map[string]compute.DisksScopedList{}}
		for scope, items := range page {
			list := compute.DisksScopedList{Disks: items}
			if len(items) == 0 {
				w := noResults(scope)
				list.Warning = &compute.DisksScopedListWarning{Code: w.Code, Message: w.Message,
					Data: []*compute.DisksScopedListWarningData{{Key: "scope", Value: scope}}}
			}
			out.Items[scope] = list
		}
		return out
	})
}
