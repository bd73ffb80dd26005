package compute

import (
	"context"
	"sort"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
)

// machineTypeName turns a Nova flavor name into a GCE machine type name:
// n1.standard.1 -> n1-standard-1. The second result is false when the
// flavor cannot be named in GCE.
func machineTypeName(flavor string) (string, bool) {
	name := strings.ReplaceAll(strings.ToLower(flavor), ".", "-")
	name = strings.ReplaceAll(name, "_", "-")
	return name, gce.ValidName(name)
}

func (s *Service) flavors(ctx context.Context, sess *openstack.Session) ([]openstack.Flavor, error) {
	return cached(ctx, s.cache, sess.ProjectID+"/flavors", sess.Flavors)
}

// findFlavor returns the flavor whose GCE name is name.
func (s *Service) findFlavor(ctx context.Context, sess *openstack.Session, name string) (openstack.Flavor, bool, error) {
	list, err := s.flavors(ctx, sess)
	if err != nil {
		return openstack.Flavor{}, false, err
	}
	for _, f := range list {
		if n, ok := machineTypeName(f.Name); ok && n == name {
			return f, true, nil
		}
	}
	return openstack.Flavor{}, false, nil
}

func machineTypeView(r *Request, zone string, f openstack.Flavor) *compute.MachineType {
	name, _ := machineTypeName(f.Name)
	mt := &compute.MachineType{
		Kind: "compute#machineType", Id: gce.ID("flavor:" + f.ID), Name: name,
		Description: descriptionOf(f), GuestCpus: int64(f.VCPUs), MemoryMb: int64(f.RAM),
		ImageSpaceGb: int64(f.Disk), MaximumPersistentDisks: 128,
		MaximumPersistentDisksSizeGb: 263168, Zone: zone,
		SelfLink: r.Links.Zone(r.Project(), zone, "machineTypes", name),
	}
	return mt
}

func descriptionOf(f openstack.Flavor) string {
	return "OpenStack flavor " + f.Name
}

func (s *Service) machineTypesIn(ctx context.Context, r *Request, zone string) ([]*compute.MachineType, error) {
	list, err := s.flavors(ctx, r.Session)
	if err != nil {
		return nil, apiError(err, "")
	}
	out := make([]*compute.MachineType, 0, len(list))
	for _, f := range list {
		if _, ok := machineTypeName(f.Name); ok {
			out = append(out, machineTypeView(r, zone, f))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s *Service) getMachineType(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	f, ok, err := s.findFlavor(ctx, r.Session, r.Vars["machineType"])
	if err != nil {
		return Fail(apiError(err, ""))
	}
	if !ok {
		return Fail(gce.NotFound("projects/" + r.Project() + "/zones/" + zone.Name +
			"/machineTypes/" + r.Vars["machineType"]))
	}
	return OK(machineTypeView(r, zone.Name, f))
}

func (s *Service) listMachineTypes(ctx context.Context, r *Request) Response {
	zone, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	items, err := s.machineTypesIn(ctx, r, zone.Name)
	if err != nil {
		return Fail(err)
	}
	return listResponse(r, items, func(page []*compute.MachineType, next string) any {
		return &compute.MachineTypeList{Kind: "compute#machineTypeList",
			Id:    "projects/" + r.Project() + "/zones/" + zone.Name + "/machineTypes",
			Items: page, NextPageToken: next,
			SelfLink: r.Links.Zone(r.Project(), zone.Name, "machineTypes")}
	})
}

func (s *Service) aggregatedMachineTypes(ctx context.Context, r *Request) Response {
	zones, err := s.zones(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	scopes := map[string][]*compute.MachineType{}
	for _, z := range zones {
		items, err := s.machineTypesIn(ctx, r, z.Name)
		if err != nil {
			return Fail(err)
		}
		scopes["zones/"+z.Name] = items
	}
	return aggregatedResponse(r, scopes, func(page map[string][]*compute.MachineType, next string) any {
		out := &compute.MachineTypeAggregatedList{Kind: "compute#machineTypeAggregatedList",
			Id: "projects/" + r.Project() + "/aggregated/machineTypes", NextPageToken: next,
			SelfLink: r.Links.Project(r.Project()) + "/aggregated/machineTypes",
			Items:    map[string]compute.MachineTypesScopedList{}}
		for scope, items := range page {
			list := compute.MachineTypesScopedList{MachineTypes: items}
			if len(items) == 0 {
				w := noResults(scope)
				list.Warning = &compute.MachineTypesScopedListWarning{Code: w.Code, Message: w.Message,
					Data: []*compute.MachineTypesScopedListWarningData{{Key: "scope", Value: scope}}}
			}
			out.Items[scope] = list
		}
		return out
	})
}
