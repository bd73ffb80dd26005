package compute

import (
	"context"
	"errors"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// instancePath is the resource path of an instance in error messages.
func instancePath(r *Request, zone, name string) string {
	return "projects/" + r.Project() + "/zones/" + zone + "/instances/" + name
}

// lookupInstance returns the store record and Nova server of the instance
// named in the URL.
func (s *Service) lookupInstance(ctx context.Context, r *Request, zone string) (store.Resource, openstack.Server, error) {
	name := r.Vars["instance"]
	missing := gce.NotFound(instancePath(r, zone, name))
	rec, err := s.Store.Resource(ctx, r.Project(), "zones/"+zone, "instances", name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && rec.OpenStackID == "") {
		return rec, openstack.Server{}, missing
	}
	if err != nil {
		return rec, openstack.Server{}, err
	}
	srv, err := r.Session.Server(ctx, rec.OpenStackID)
	if errors.Is(err, openstack.ErrNotFound) {
		return rec, srv, missing
	}
	return rec, srv, apiError(err, instancePath(r, zone, name))
}

func (s *Service) getInstance(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	w, err := s.loadWorld(ctx, r.Session, r.Project(), []openstack.Server{srv})
	if err != nil {
		return Fail(apiError(err, ""))
	}
	return OK(s.instanceView(ctx, r, zone.Name, srv, rec, w))
}

// instancesByZone builds the views of every instance of the project,
// grouped by zone. Servers made outside this API appear under their Nova
// availability zone when their names are valid GCE names.
func (s *Service) instancesByZone(ctx context.Context, r *Request) (map[string][]*compute.Instance, error) {
	servers, err := r.Session.Servers(ctx)
	if err != nil {
		return nil, apiError(err, "")
	}
	records, err := s.Store.Resources(ctx, r.Project(), "", "instances")
	if err != nil {
		return nil, err
	}
	byServer := map[string]store.Resource{}
	for _, rec := range records {
		byServer[rec.OpenStackID] = rec
	}
	w, err := s.loadWorld(ctx, r.Session, r.Project(), servers)
	if err != nil {
		return nil, apiError(err, "")
	}
	out := map[string][]*compute.Instance{}
	for _, srv := range servers {
		zone, rec, ok := placeServer(srv, byServer)
		if !ok {
			continue
		}
		out[zone] = append(out[zone], s.instanceView(ctx, r, zone, srv, rec, w))
	}
	return out, nil
}

// placeServer returns the zone and record of a server, and false when it
// cannot be shown as an instance.
func placeServer(srv openstack.Server, byServer map[string]store.Resource) (string, store.Resource, bool) {
	if rec, ok := byServer[srv.ID]; ok {
		return rec.Scope[len("zones/"):], rec, true
	}
	if srv.Zone == "" || !gce.ValidName(srv.Name) || srv.Status == "DELETED" {
		return "", store.Resource{}, false
	}
	return srv.Zone, store.Resource{}, true
}

func (s *Service) listInstances(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	byZone, err := s.instancesByZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return listResponse(r, byZone[zone.Name], func(page []*compute.Instance, next string) any {
		return &compute.InstanceList{Kind: "compute#instanceList",
			Id:    "projects/" + r.Project() + "/zones/" + zone.Name + "/instances",
			Items: page, NextPageToken: next,
			SelfLink: r.Links.Zone(r.Project(), zone.Name, "instances")}
	})
}

func (s *Service) aggregatedInstances(ctx context.Context, r *Request) Response {
	zones, err := s.zones(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	byZone, err := s.instancesByZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	scopes := map[string][]*compute.Instance{}
	for _, z := range zones {
		scopes["zones/"+z.Name] = byZone[z.Name]
	}
	return aggregatedResponse(r, scopes, func(page map[string][]*compute.Instance, next string) any {
		out := &compute.InstanceAggregatedList{Kind: "compute#instanceAggregatedList",
			Id: "projects/" + r.Project() + "/aggregated/instances", NextPageToken: next,
			SelfLink: r.Links.Project(r.Project()) + "/aggregated/instances",
			Items:    map[string]compute.InstancesScopedList{}}
		for scope, items := range page {
			list := compute.InstancesScopedList{Instances: items}
			if len(items) == 0 {
				w := noResults(scope)
				list.Warning = &compute.InstancesScopedListWarning{Code: w.Code, Message: w.Message,
					Data: []*compute.InstancesScopedListWarningData{{Key: "scope", Value: scope}}}
			}
			out.Items[scope] = list
		}
		return out
	})
}

func (s *Service) deleteInstance(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	rec, srv, err := s.lookupInstance(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	d := loadInstanceData(rec)
	if err := s.releaseAccess(ctx, r.Session, d); err != nil {
		return Fail(apiError(err, ""))
	}
	if err := r.Session.DeleteServer(ctx, srv.ID); err != nil {
		return Fail(apiError(err, instancePath(r, zone.Name, srv.Name)))
	}
	op := &operations.Record{Project: r.Project(), Scope: "zones/" + zone.Name, Type: "delete",
		Kind: "instances", Target: rec.Name, TargetID: srv.ID, User: r.Session.UserName,
		Machine: machineDeleteInstance}
	op.SaveState(deleteState{ServerID: srv.ID, Disks: s.autoDeleteDisks(ctx, r, zone.Name, d)})
	if err := s.Ops.Create(ctx, op); err != nil {
		return Fail(err)
	}
	return OK(op.View(r.Links))
}

// releaseAccess frees the floating IPs of an instance being deleted:
// ephemeral ones are deleted, reserved addresses are detached and kept.
func (s *Service) releaseAccess(ctx context.Context, sess *openstack.Session, d instanceData) error {
	for id, ac := range d.AccessConfigs {
		var err error
		if ac.Ephemeral {
			err = sess.DeleteFloatingIP(ctx, id)
		} else {
			err = sess.AssociateFloatingIP(ctx, id, "")
		}
		if err != nil && !errors.Is(err, openstack.ErrNotFound) {
			return err
		}
	}
	return nil
}

// autoDeleteDisks returns the names of the instance's disks that go with it.
func (s *Service) autoDeleteDisks(ctx context.Context, r *Request, zone string, d instanceData) []string {
	var names []string
	for volumeID, att := range d.Disks {
		if !att.AutoDelete {
			continue
		}
		rec, err := s.Store.ResourceByOpenStackID(ctx, r.Project(), "disks", volumeID)
		if err == nil && rec.Scope == "zones/"+zone {
			names = append(names, rec.Name)
		}
	}
	return names
}
