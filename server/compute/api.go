package compute

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/url"

	"github.com/gce-api/gce-api/server/apispec"
	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/operations"
	"github.com/gce-api/gce-api/server/store"
)

// Request is one API call, already routed and authenticated.
type Request struct {
	Method  apispec.Method
	Vars    map[string]string // path parameters: project, zone, instance, ...
	Query   url.Values
	Body    []byte
	Session *openstack.Session // scoped to the project in the URL
	// Foreign is set when the URL names a project the caller cannot scope
	// to, such as the image project debian-cloud; Session is then the
	// caller's own project.
	Foreign bool
	Links   gce.Links
}

// Project returns the project named in the URL.
func (r *Request) Project() string { return r.Vars["project"] }

// Response is what a handler returns: a status and a body, or an error.
type Response struct {
	Status int
	Body   any
	Err    error
}

// OK returns a 200 response with body.
func OK(body any) Response { return Response{Status: http.StatusOK, Body: body} }

// Fail returns an error response.
func Fail(err error) Response { return Response{Err: err} }

// Handler serves one API method.
type Handler func(ctx context.Context, r *Request) Response

// Service holds what every handler needs.
type Service struct {
	Store  store.Store
	Ops    *operations.Engine
	Log    *slog.Logger
	cache  *cache
	extNet string // name of the external network for floating IPs; "" = the first one
}

// NewService returns a Service and registers its operation machines with
// ops.
func NewService(st store.Store, ops *operations.Engine, log *slog.Logger) *Service {
	s := &Service{Store: st, Ops: ops, Log: log, cache: newCache()}
	s.registerMachines()
	return s
}

// Handlers maps method ids to the handlers this server implements. Every
// other method of the discovery document returns 501 notImplemented.
func (s *Service) Handlers() map[string]Handler {
	out := map[string]Handler{}
	for _, part := range []map[string]Handler{
		s.readHandlers(), s.instanceHandlers(), s.operationHandlers(),
		s.diskHandlers(), s.networkingHandlers(), s.addressHandlers(),
	} {
		maps.Copy(out, part)
	}
	return out
}

func (s *Service) readHandlers() map[string]Handler {
	return map[string]Handler{
		"compute.zones.get":                   s.getZone,
		"compute.zones.list":                  s.listZones,
		"compute.regions.get":                 s.getRegion,
		"compute.regions.list":                s.listRegions,
		"compute.machineTypes.get":            s.getMachineType,
		"compute.machineTypes.list":           s.listMachineTypes,
		"compute.machineTypes.aggregatedList": s.aggregatedMachineTypes,
		"compute.images.get":                  s.getImage,
		"compute.images.list":                 s.listImages,
		"compute.images.getFromFamily":        s.getImageFromFamily,
		"compute.imageFamilyViews.get":        s.getImageFamilyView,
		"compute.networks.get":                s.getNetwork,
		"compute.networks.list":               s.listNetworks,
		"compute.projects.get":                s.getProject,
	}
}

func (s *Service) instanceHandlers() map[string]Handler {
	return map[string]Handler{
		"compute.instances.insert":         s.insertInstance,
		"compute.instances.get":            s.getInstance,
		"compute.instances.list":           s.listInstances,
		"compute.instances.aggregatedList": s.aggregatedInstances,
		"compute.instances.delete":         s.deleteInstance,
	}
}

func (s *Service) operationHandlers() map[string]Handler {
	return map[string]Handler{
		"compute.zoneOperations.get":              s.getOperation,
		"compute.zoneOperations.list":             s.listOperations,
		"compute.zoneOperations.delete":           s.deleteOperation,
		"compute.zoneOperations.wait":             s.waitOperation,
		"compute.regionOperations.get":            s.getOperation,
		"compute.regionOperations.list":           s.listOperations,
		"compute.regionOperations.delete":         s.deleteOperation,
		"compute.regionOperations.wait":           s.waitOperation,
		"compute.globalOperations.get":            s.getOperation,
		"compute.globalOperations.list":           s.listOperations,
		"compute.globalOperations.delete":         s.deleteOperation,
		"compute.globalOperations.wait":           s.waitOperation,
		"compute.globalOperations.aggregatedList": s.aggregatedOperations,
	}
}

// ForeignReadable lists the methods that may name a project the caller
// cannot scope to: reads of public image projects.
var ForeignReadable = map[string]bool{
	"compute.images.get":           true,
	"compute.images.list":          true,
	"compute.images.getFromFamily": true,
	"compute.imageFamilyViews.get": true,
}
