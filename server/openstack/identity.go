package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/projects"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/regions"
)

// Regions lists Keystone's regions.
func (s *Session) Regions(ctx context.Context) ([]Region, error) {
	sc, err := s.service("identity")
	if err != nil {
		return nil, err
	}
	pages, err := regions.List(sc, nil).AllPages(ctx)
	if err != nil {
		return nil, wrapErr("list regions", err)
	}
	list, err := regions.ExtractRegions(pages)
	if err != nil {
		return nil, wrapErr("list regions", err)
	}
	out := make([]Region, 0, len(list))
	for _, r := range list {
		out = append(out, Region{ID: r.ID, Description: r.Description})
	}
	return out, nil
}

// Project returns the session's own project. A user who may not read
// project details still gets the id and name from the token.
func (s *Session) Project(ctx context.Context) (Project, error) {
	p := Project{ID: s.ProjectID, Name: s.ProjectName}
	sc, err := s.service("identity")
	if err != nil {
		return p, nil
	}
	got, err := projects.Get(ctx, sc, s.ProjectID).Extract()
	if err != nil {
		return p, nil
	}
	return Project{ID: got.ID, Name: got.Name, Description: got.Description, DomainID: got.DomainID}, nil
}
