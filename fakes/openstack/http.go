package openstack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

// Service names as used in Fault.Service and in the path prefixes.
const (
	svcIdentity = "identity"
	svcCompute  = "compute"
	svcNetwork  = "network"
	svcVolume   = "volume"
	svcImage    = "image"
)

var servicePrefixes = map[string]string{
	"/identity":   svcIdentity,
	"/compute":    svcCompute,
	"/networking": svcNetwork,
	"/volume":     svcVolume,
	"/image":      svcImage,
}

// splitService returns the service that serves path and the rest of the
// path after the service prefix ("/" when nothing follows it).
func splitService(path string) (svc, rest string) {
	for prefix, name := range servicePrefixes {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			rest = strings.TrimPrefix(path, prefix)
			if rest == "" {
				rest = "/"
			}
			return name, rest
		}
	}
	return "", path
}

// call is one request as a handler receives it: the authenticated token, the
// negotiated microversion and the time of the request on the cloud's clock.
type call struct {
	c    *Cloud
	r    *http.Request
	svc  string
	tok  *token
	now  time.Time
	base string // scheme://host the client used
	mv   int    // minor microversion: Nova 2.mv, Cinder 3.mv
	// mvText is the microversion to echo, or "" when none is echoed.
	mvText string
	vars   map[string]string
}

// reply is the value a handler returns, and write sends it as the HTTP response.
type reply struct {
	status      int
	body        any // JSON-encoded unless nil
	raw         []byte
	contentType string
	header      map[string]string
}

// handler is a route's function. It runs with the cloud locked.
type handler func(*call) reply

// routeOpts mark routes that need no token.
type routeOpts struct{ public bool }

// handle registers h for method and path on rt.
func (c *Cloud) handle(rt *mux.Router, svc, method, path string, h handler, o ...routeOpts) {
	public := len(o) > 0 && o[0].public
	rt.Handle(path, c.adapt(svc, public, h)).Methods(method)
}

// adapt wraps a handler with locking, event firing, authentication,
// microversion negotiation and writing of the reply.
func (c *Cloud) adapt(svc string, public bool, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cl := &call{c: c, r: r, svc: svc, base: baseURL(r), vars: mux.Vars(r)}
		c.mu.Lock()
		defer c.mu.Unlock()
		cl.now = c.clock.Now()
		c.fireDue(cl.now)
		rep, ok := cl.negotiate()
		if ok && !public {
			rep, ok = cl.authenticate()
		}
		if ok {
			rep = h(cl)
		}
		cl.write(w, rep)
	})
}

// baseURL returns the scheme, host and path prefix the client addressed.
// A proxy that serves the cloud below a path names that path in
// X-Forwarded-Prefix, so catalog links keep it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	prefix := strings.TrimRight(r.Header.Get("X-Forwarded-Prefix"), "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = ""
	}
	return scheme + "://" + r.Host + prefix
}

// authenticate checks X-Auth-Token and sets cl.tok.
func (cl *call) authenticate() (reply, bool) {
	t := cl.c.validToken(cl.r.Header.Get("X-Auth-Token"), cl.now)
	if t == nil {
		return cl.unauthorized(), false
	}
	cl.tok = t
	return reply{}, true
}

// unauthorized is the 401 that keystonemiddleware (or Keystone itself)
// sends for a missing or invalid token.
func (cl *call) unauthorized() reply {
	const msg = "The request you have made requires authentication."
	uri := cl.base + "/identity"
	if cl.svc == svcIdentity {
		uri += "/v3"
	}
	rep := cl.fail(http.StatusUnauthorized, "", msg)
	if cl.svc != svcImage {
		rep.body = map[string]any{"error": map[string]any{
			"code": 401, "title": "Unauthorized", "message": msg}}
	} else {
		rep.body = glanceError(401, "This server could not verify that you are authorized "+
			"to access the document you requested. Either you supplied the wrong credentials "+
			"(e.g., bad password), or your browser does not understand how to supply the "+
			"credentials required.")
	}
	rep.header = map[string]string{"WWW-Authenticate": `Keystone uri="` + uri + `"`}
	return rep
}

// respond returns a JSON reply with status and body.
func respond(status int, body any) reply { return reply{status: status, body: body} }

// empty returns a reply with no body.
func empty(status int) reply { return reply{status: status} }

// fail returns an error reply in the service's own body shape. kind is the
// Neutron error type; the other services derive their kind from status.
func (cl *call) fail(status int, kind, format string, args ...any) reply {
	msg := fmt.Sprintf(format, args...)
	switch cl.svc {
	case svcIdentity:
		return respond(status, map[string]any{"error": map[string]any{
			"code": status, "message": msg, "title": http.StatusText(status)}})
	case svcNetwork:
		if kind == "" {
			kind = neutronKind(status)
		}
		return respond(status, map[string]any{"NeutronError": map[string]any{
			"type": kind, "message": msg, "detail": ""}})
	case svcImage:
		return respond(status, glanceError(status, msg))
	}
	rep := respond(status, map[string]any{novaKind(status): map[string]any{
		"code": status, "message": msg}})
	if cl.svc == svcCompute {
		rep.contentType = "application/json; charset=UTF-8"
	}
	return rep
}

// novaKind is the top-level key of a Nova or Cinder error body.
func novaKind(status int) string {
	switch status {
	case 400:
		return "badRequest"
	case 403:
		return "forbidden"
	case 404:
		return "itemNotFound"
	case 409:
		return "conflictingRequest"
	case 413:
		return "overLimit"
	}
	return "computeFault"
}

// neutronKind is the Neutron error type used when a handler names none.
func neutronKind(status int) string {
	switch status {
	case 400:
		return "HTTPBadRequest"
	case 403:
		return "HTTPForbidden"
	case 404:
		return "HTTPNotFound"
	case 409:
		return "HTTPConflict"
	}
	return "HTTPInternalServerError"
}

// glanceError is Glance's webob error body.
func glanceError(status int, msg string) map[string]any {
	return map[string]any{
		"message": msg + "<br /><br />\n\n\n",
		"code":    fmt.Sprintf("%d %s", status, http.StatusText(status)),
		"title":   http.StatusText(status),
	}
}

// write sends rep with the service's request-id and microversion headers.
func (cl *call) write(w http.ResponseWriter, rep reply) {
	h := w.Header()
	reqID := "req-" + uuid.NewString()
	h.Set("X-Openstack-Request-Id", reqID)
	switch cl.svc {
	case svcCompute:
		h.Set("X-Compute-Request-Id", reqID)
		cl.setComputeVersion(h)
	case svcVolume:
		h.Set("X-Compute-Request-Id", reqID)
		cl.setVolumeVersion(h)
	case svcIdentity:
		h.Set("Vary", "X-Auth-Token")
	}
	for k, v := range rep.header {
		h.Set(k, v)
	}
	if rep.status == 0 {
		rep.status = http.StatusOK
	}
	switch {
	case rep.raw != nil:
		h.Set("Content-Type", rep.contentType)
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.raw)
	case rep.body != nil:
		writeJSONType(w, rep.status, rep.body, rep.contentType)
	default:
		h.Set("Content-Length", "0")
		w.WriteHeader(rep.status)
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	writeJSONType(w, status, body, "")
}

func writeJSONType(w http.ResponseWriter, status int, body any, contentType string) {
	if contentType == "" {
		contentType = "application/json"
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// decode reads the JSON request body into v. A body that is not valid JSON
// for v is a 400 in the service's shape.
func (cl *call) decode(v any) (reply, bool) {
	dec := json.NewDecoder(cl.r.Body)
	if err := dec.Decode(v); err != nil {
		return cl.fail(http.StatusBadRequest, "HTTPBadRequest", "%s", malformedMessage(cl.svc, err)), false
	}
	return reply{}, true
}

// malformedMessage is the message each service gives for an unparsable body.
func malformedMessage(svc string, err error) string {
	switch svc {
	case svcCompute, svcVolume:
		return "Malformed request body"
	case svcNetwork:
		return "Failed to parse request. Invalid JSON body: " + err.Error()
	case svcImage:
		return "Malformed JSON in request body."
	}
	return "The request you have made is malformed: " + err.Error()
}

// notFound is the 404 for paths that no route matches.
func notFound(cl *call) reply {
	if cl.svc == svcNetwork {
		return cl.fail(http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
	}
	return cl.fail(http.StatusNotFound, "", "The resource could not be found.")
}

// newRouter returns a router whose unmatched paths and methods get a response in
// the service's error shape, after the token check real services make.
func (c *Cloud) newRouter(svc string) *mux.Router {
	rt := mux.NewRouter()
	rt.NotFoundHandler = c.adapt(svc, false, notFound)
	rt.MethodNotAllowedHandler = c.adapt(svc, false, func(cl *call) reply {
		return cl.fail(http.StatusMethodNotAllowed, "", "The method is not allowed for the requested URL.")
	})
	return rt
}

// buildRouters returns one router per service.
func (c *Cloud) buildRouters() map[string]*mux.Router {
	routers := map[string]*mux.Router{}
	for _, svc := range []string{svcIdentity, svcCompute, svcNetwork, svcVolume, svcImage} {
		routers[svc] = c.newRouter(svc)
	}
	c.keystoneRoutes(routers[svcIdentity])
	c.novaRoutes(routers[svcCompute])
	c.neutronRoutes(routers[svcNetwork])
	c.cinderRoutes(routers[svcVolume])
	c.glanceRoutes(routers[svcImage])
	return routers
}

// timestamp formats t as Nova and Neutron do: seconds, UTC, "Z".
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// microTimestamp formats t as Cinder and Nova's launched_at do.
func microTimestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// nullable returns nil for "" so that JSON shows null.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// strOrNil returns *p, or nil when p is nil.
func strOrNil(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// isUUID reports whether s is a UUID in any of the forms OpenStack accepts.
func isUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) >= 32
}
