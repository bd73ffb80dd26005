package compute

import (
	"context"
	"errors"
	"net/http"
	"time"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/operations"
)

// waitTimeout is how long operations.wait blocks before it returns an
// operation that is not yet done, as Compute Engine does.
const waitTimeout = 2 * time.Minute

// operationScope checks the zone or region in the URL and returns the scope
// the method's operations live in.
func (s *Service) operationScope(ctx context.Context, r *Request) (string, error) {
	switch r.Method.Resource() {
	case "zoneOperations":
		z, err := s.requireZone(ctx, r)
		return "zones/" + z.Name, err
	case "regionOperations":
		reg, err := s.requireRegion(ctx, r)
		return "regions/" + regionName(reg.ID), err
	}
	return "global", nil
}

func (s *Service) scopedOperation(ctx context.Context, r *Request, wait bool) (*operations.Record, error) {
	scope, err := s.operationScope(ctx, r)
	if err != nil {
		return nil, err
	}
	name := r.Vars["operation"]
	var rec *operations.Record
	if wait {
		rec, err = s.Ops.Wait(ctx, r.Session, r.Project(), name, waitTimeout)
	} else {
		rec, err = s.Ops.Get(ctx, r.Session, r.Project(), name)
	}
	if errors.Is(err, operations.ErrNotFound) || (err == nil && rec.Scope != scope) {
		return nil, gce.NotFound("projects/" + r.Project() + "/" + scope + "/operations/" + name)
	}
	return rec, err
}

func (s *Service) getOperation(ctx context.Context, r *Request) Response {
	rec, err := s.scopedOperation(ctx, r, false)
	if err != nil {
		return Fail(err)
	}
	return OK(rec.View(r.Links))
}

func (s *Service) waitOperation(ctx context.Context, r *Request) Response {
	rec, err := s.scopedOperation(ctx, r, true)
	if err != nil {
		return Fail(err)
	}
	return OK(rec.View(r.Links))
}

func (s *Service) deleteOperation(ctx context.Context, r *Request) Response {
	if _, err := s.scopedOperation(ctx, r, false); err != nil {
		return Fail(err)
	}
	if err := s.Ops.Delete(ctx, r.Project(), r.Vars["operation"]); err != nil {
		return Fail(err)
	}
	return Response{Status: http.StatusNoContent}
}

func (s *Service) operationViews(ctx context.Context, r *Request, scope string) ([]*compute.Operation, error) {
	recs, err := s.Ops.List(ctx, r.Session, r.Project(), scope)
	if err != nil {
		return nil, err
	}
	out := make([]*compute.Operation, 0, len(recs))
	for _, rec := range recs {
		out = append(out, rec.View(r.Links))
	}
	return out, nil
}

func (s *Service) listOperations(ctx context.Context, r *Request) Response {
	scope, err := s.operationScope(ctx, r)
	if err != nil {
		return Fail(err)
	}
	items, err := s.operationViews(ctx, r, scope)
	if err != nil {
		return Fail(err)
	}
	return listResponse(r, items, func(page []*compute.Operation, next string) any {
		return &compute.OperationList{Kind: "compute#operationList",
			Id: "projects/" + r.Project() + "/" + scope + "/operations", Items: page,
			NextPageToken: next, SelfLink: r.Links.Scoped(r.Project(), scope, "operations")}
	})
}

func (s *Service) aggregatedOperations(ctx context.Context, r *Request) Response {
	all, err := s.operationViews(ctx, r, "")
	if err != nil {
		return Fail(err)
	}
	scopes, err := s.allScopes(ctx, r)
	if err != nil {
		return Fail(err)
	}
	groups := map[string][]*compute.Operation{}
	for _, scope := range scopes {
		groups[scope] = nil
	}
	for _, op := range all {
		scope := opScope(op)
		groups[scope] = append(groups[scope], op)
	}
	return aggregatedResponse(r, groups, func(page map[string][]*compute.Operation, next string) any {
		out := &compute.OperationAggregatedList{Kind: "compute#operationAggregatedList",
			Id: "projects/" + r.Project() + "/aggregated/operations", NextPageToken: next,
			SelfLink: r.Links.Project(r.Project()) + "/aggregated/operations",
			Items:    map[string]compute.OperationsScopedList{}}
		for scope, items := range page {
			list := compute.OperationsScopedList{Operations: items}
			if len(items) == 0 {
				w := noResults(scope)
				list.Warning = &compute.OperationsScopedListWarning{Code: w.Code, Message: w.Message,
					Data: []*compute.OperationsScopedListWarningData{{Key: "scope", Value: scope}}}
			}
			out.Items[scope] = list
		}
		return out
	})
}

func opScope(op *compute.Operation) string {
	switch {
	case op.Zone != "":
		return "zones/" + gce.Last(op.Zone)
	case op.Region != "":
		return "regions/" + gce.Last(op.Region)
	}
	return "global"
}

// allScopes lists every zone and region scope key, and "global".
func (s *Service) allScopes(ctx context.Context, r *Request) ([]string, error) {
	zones, err := s.zones(ctx, r.Session)
	if err != nil {
		return nil, apiError(err, "")
	}
	regions, err := s.regions(ctx, r.Session)
	if err != nil {
		return nil, apiError(err, "")
	}
	out := []string{"global"}
	for _, z := range zones {
		out = append(out, "zones/"+z.Name)
	}
	for _, reg := range regions {
		out = append(out, "regions/"+regionName(reg.ID))
	}
	return out, nil
}
