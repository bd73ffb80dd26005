package server

import (
	"net/http"
	"sort"
	"strings"

	"github.com/gorilla/mux"

	"github.com/gce-api/gce-api/server/apispec"
	"github.com/gce-api/gce-api/server/gce"
)

// routes builds the route table: every method of the discovery document,
// the batch endpoint, and JSON errors for everything else.
func (s *Server) routes() *mux.Router {
	// Routes match the path as sent, so an encoded slash (%2F) never acts as
	// a separator, and paths are not cleaned, so ".." gets a JSON 404
	// instead of a redirect.
	r := mux.NewRouter().UseEncodedPath().SkipClean(true)
	r.Use(s.logRequests, s.recoverPanics)
	handlers := s.service.Handlers()
	for _, m := range sortedMethods() {
		r.Handle(apispec.ServicePath+m.Path, s.apiHandler(m, handlers[m.ID])).Methods(m.HTTPMethod)
	}
	r.Handle(apispec.BatchPath, http.HandlerFunc(s.serveBatch)).Methods(http.MethodPost)
	r.Handle("/batch", http.HandlerFunc(s.serveBatch)).Methods(http.MethodPost)
	r.Handle("/discovery/v1/apis/compute/v1/rest", http.HandlerFunc(s.serveDiscovery)).Methods(http.MethodGet)
	r.NotFoundHandler = s.logRequests(http.HandlerFunc(notFound))
	r.MethodNotAllowedHandler = s.logRequests(http.HandlerFunc(notFound))
	return r
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, r, gce.NotFound(strings.TrimPrefix(r.URL.Path, "/")))
}

// sortedMethods orders methods so that at each path position a literal
// segment is tried before a parameter, because the router takes the first
// route that matches.
func sortedMethods() []apispec.Method {
	methods := apispec.Methods()
	sort.SliceStable(methods, func(i, j int) bool {
		a, b := strings.Split(methods[i].Path, "/"), strings.Split(methods[j].Path, "/")
		for k := 0; k < len(a) && k < len(b); k++ {
			pa, pb := strings.HasPrefix(a[k], "{"), strings.HasPrefix(b[k], "{")
			if pa != pb {
				return !pa
			}
		}
		return len(a) > len(b)
	})
	return methods
}

// serveDiscovery serves the compute v1 discovery document rooted at this
// server. It needs no credentials, as Google's does not.
func (s *Server) serveDiscovery(w http.ResponseWriter, req *http.Request) {
	infoOf(req).methodID = "discovery.apis.getRest"
	doc, err := apispec.Discovery(gce.LinksFor(s.cfg.PublicURL, req).Base)
	if err != nil {
		infoOf(req).err = err
		writeError(w, req, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(doc)
}
