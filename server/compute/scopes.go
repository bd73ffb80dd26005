package compute

import (
	"context"
	"sort"
	"strings"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/query"
)

// regionName turns a Keystone region id into a GCE name: RegionOne -> regionone.
func regionName(id string) string {
	return strings.ToLower(id)
}

func (s *Service) zones(ctx context.Context, sess *openstack.Session) ([]openstack.Zone, error) {
	list, err := cached(ctx, s.cache, sess.ProjectID+"/zones", sess.Zones)
	if err != nil {
		return nil, err
	}
	out := make([]openstack.Zone, 0, len(list))
	for _, z := range list {
		if gce.ValidName(z.Name) {
			out = append(out, z)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// requireZone returns the zone named in the URL, or notFound.
func (s *Service) requireZone(ctx context.Context, r *Request) (openstack.Zone, error) {
	name := r.Vars["zone"]
	zones, err := s.zones(ctx, r.Session)
	if err != nil {
		return openstack.Zone{}, apiError(err, "")
	}
	for _, z := range zones {
		if z.Name == name {
			return z, nil
		}
	}
	return openstack.Zone{}, gce.NotFound("projects/" + r.Project() + "/zones/" + name)
}

func (s *Service) regions(ctx context.Context, sess *openstack.Session) ([]openstack.Region, error) {
	list, err := cached(ctx, s.cache, sess.ProjectID+"/regions", sess.Regions)
	if err != nil {
		return nil, err
	}
	out := make([]openstack.Region, 0, len(list))
	for _, r := range list {
		if gce.ValidName(regionName(r.ID)) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// requireRegion returns the Keystone region named (in GCE form) in the URL.
func (s *Service) requireRegion(ctx context.Context, r *Request) (openstack.Region, error) {
	name := r.Vars["region"]
	regions, err := s.regions(ctx, r.Session)
	if err != nil {
		return openstack.Region{}, apiError(err, "")
	}
	for _, reg := range regions {
		if regionName(reg.ID) == name {
			return reg, nil
		}
	}
	return openstack.Region{}, gce.NotFound("projects/" + r.Project() + "/regions/" + name)
}

// zoneRegion is the GCE region of every zone: the Keystone region the
// session works in.
func zoneRegion(sess *openstack.Session) string { return regionName(sess.Region) }

func zoneView(r *Request, z openstack.Zone) *compute.Zone {
	status := "UP"
	if !z.Available {
		status = "DOWN"
	}
	return &compute.Zone{
		Kind: "compute#zone", Id: gce.ID("zone:" + z.Name), Name: z.Name,
		Description: z.Name, Status: status,
		Region:   r.Links.Region(r.Project(), zoneRegion(r.Session)),
		SelfLink: r.Links.Zone(r.Project(), z.Name),
	}
}

func (s *Service) getZone(ctx context.Context, r *Request) Response {
	z, err := s.requireZone(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return OK(zoneView(r, z))
}

func (s *Service) listZones(ctx context.Context, r *Request) Response {
	zones, err := s.zones(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	items := make([]*compute.Zone, 0, len(zones))
	for _, z := range zones {
		items = append(items, zoneView(r, z))
	}
	return listResponse(r, items, func(page []*compute.Zone, next string) any {
		return &compute.ZoneList{Kind: "compute#zoneList", Id: "projects/" + r.Project() + "/zones",
			Items: page, NextPageToken: next, SelfLink: r.Links.Project(r.Project()) + "/zones"}
	})
}

func (s *Service) regionView(ctx context.Context, r *Request, reg openstack.Region) *compute.Region {
	name := regionName(reg.ID)
	out := &compute.Region{
		Kind: "compute#region", Id: gce.ID("region:" + reg.ID), Name: name,
		Description: orText(reg.Description, reg.ID), Status: "UP",
		SelfLink: r.Links.Region(r.Project(), name), Zones: []string{},
	}
	if name != zoneRegion(r.Session) {
		return out
	}
	zones, _ := s.zones(ctx, r.Session)
	for _, z := range zones {
		out.Zones = append(out.Zones, r.Links.Zone(r.Project(), z.Name))
	}
	return out
}

func (s *Service) getRegion(ctx context.Context, r *Request) Response {
	reg, err := s.requireRegion(ctx, r)
	if err != nil {
		return Fail(err)
	}
	return OK(s.regionView(ctx, r, reg))
}

func (s *Service) listRegions(ctx context.Context, r *Request) Response {
	regions, err := s.regions(ctx, r.Session)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	items := make([]*compute.Region, 0, len(regions))
	for _, reg := range regions {
		items = append(items, s.regionView(ctx, r, reg))
	}
	return listResponse(r, items, func(page []*compute.Region, next string) any {
		return &compute.RegionList{Kind: "compute#regionList", Id: "projects/" + r.Project() + "/regions",
			Items: page, NextPageToken: next, SelfLink: r.Links.Project(r.Project()) + "/regions"}
	})
}

// listResponse applies the request's filter, order and paging to items and
// wraps the page with wrap.
func listResponse[T any](r *Request, items []T, wrap func(page []T, next string) any) Response {
	params, err := query.ParseParams(r.Query)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	page, next, err := query.List(items, params)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	if page == nil {
		page = []T{}
	}
	return OK(wrap(page, next))
}
