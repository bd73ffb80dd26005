package compute

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/store"
)

// metadata is the stored form of instance and project metadata.
type metadata struct {
	Items []*compute.MetadataItems `json:"items,omitempty"`
}

// fingerprint returns a base64 digest of v's JSON form. Clients send it back
// to prove they saw the current version.
func fingerprint(v any) string {
	data, _ := json.Marshal(v)
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:8])
}

func (m metadata) view() *compute.Metadata {
	return &compute.Metadata{Kind: "compute#metadata", Items: m.Items, Fingerprint: fingerprint(m.Items)}
}

func (s *Service) projectMetadata(ctx context.Context, project string) (metadata, error) {
	rec, err := s.Store.Resource(ctx, project, "global", "projects", project)
	if errors.Is(err, store.ErrNotFound) {
		return metadata{}, nil
	}
	if err != nil {
		return metadata{}, err
	}
	var m metadata
	if len(rec.Data) > 0 {
		err = json.Unmarshal(rec.Data, &m)
	}
	return m, err
}

func (s *Service) getProject(ctx context.Context, r *Request) Response {
	p, err := r.Session.Project(ctx)
	if err != nil {
		return Fail(apiError(err, "projects/"+r.Project()))
	}
	md, err := s.projectMetadata(ctx, r.Project())
	if err != nil {
		return Fail(err)
	}
	return OK(&compute.Project{
		Kind: "compute#project", Id: gce.ID(p.ID), Name: r.Project(),
		Description: p.Description, CommonInstanceMetadata: md.view(),
		SelfLink: r.Links.Project(r.Project()), DefaultNetworkTier: "PREMIUM",
		XpnProjectStatus:      "UNSPECIFIED_XPN_PROJECT_STATUS",
		DefaultServiceAccount: r.Session.UserName + "@" + r.Project() + ".openstack",
	})
}
