package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/gce-api/gce-api/server/apispec"
	"github.com/gce-api/gce-api/server/compute"
	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/query"
)

// maxBody bounds request bodies; no Compute Engine request comes near it.
const maxBody = 8 << 20

// apiHandler adapts a compute.Handler to HTTP. A nil handler responds with
// 501 notImplemented, naming the method id.
func (s *Server) apiHandler(m apispec.Method, h compute.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		info := infoOf(req)
		info.methodID = m.ID
		vars := mux.Vars(req)
		info.project = vars["project"]
		token, err := bearerToken(req)
		if err != nil {
			writeError(w, req, err)
			return
		}
		if h == nil {
			writeError(w, req, gce.NotImplemented(m.ID))
			return
		}
		creq, err := s.buildRequest(req, m, vars, token)
		if err != nil {
			writeError(w, req, err)
			return
		}
		s.write(w, req, h(req.Context(), creq))
	})
}

func (s *Server) buildRequest(req *http.Request, m apispec.Method, vars map[string]string, token string) (*compute.Request, error) {
	body, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	if err != nil {
		return nil, gce.Invalid("Could not read the request body: %v", err)
	}
	if len(body) > maxBody {
		return nil, gce.Invalid("The request body is larger than %d bytes.", maxBody)
	}
	sess, foreign, err := s.session(req.Context(), token, vars["project"], compute.ForeignReadable[m.ID])
	if err != nil {
		infoOf(req).cause = err
		return nil, authError(err, vars["project"])
	}
	return &compute.Request{Method: m, Vars: vars, Query: req.URL.Query(), Body: body,
		Session: sess, Foreign: foreign, Links: gce.LinksFor(s.cfg.PublicURL, req)}, nil
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(req *http.Request) (string, error) {
	h := req.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" {
		return "", gce.LoginRequired()
	}
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", gce.InvalidCredentials()
	}
	return token, nil
}

// session scopes token to project. For methods that may read a foreign
// project (public image projects), a project the caller cannot scope to
// gives the caller's own session and foreign = true.
func (s *Server) session(ctx context.Context, token, project string, foreignOK bool) (*openstack.Session, bool, error) {
	sess, err := s.connector.Scope(ctx, token, project)
	if err == nil {
		return sess, false, nil
	}
	if errors.Is(err, openstack.ErrForbidden) && foreignOK {
		own, ownErr := s.connector.Own(ctx, token)
		if ownErr == nil {
			return own, true, nil
		}
		err = ownErr
	}
	return nil, false, err
}

func authError(err error, project string) error {
	switch {
	case errors.Is(err, openstack.ErrUnauthorized):
		return gce.InvalidCredentials()
	case errors.Is(err, openstack.ErrForbidden):
		return gce.Forbidden("The caller has no access to project '%s', or it does not exist.", project)
	case errors.Is(err, openstack.ErrRateLimited):
		return gce.RateLimited("Keystone rate limit exceeded")
	}
	return gce.Unavailable("Keystone is unavailable: %v", err)
}

// write sends a handler's response: its error as Google's envelope, or its
// body as JSON trimmed to the fields mask.
func (s *Server) write(w http.ResponseWriter, req *http.Request, resp compute.Response) {
	if resp.Err != nil {
		apiErr := gce.AsError(resp.Err)
		if apiErr.Code >= 500 && apiErr.Code != http.StatusNotImplemented {
			infoOf(req).err = resp.Err
		}
		writeError(w, req, apiErr)
		return
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	if resp.Body == nil {
		w.WriteHeader(status)
		return
	}
	body, err := encode(req, resp.Body)
	if err != nil {
		writeError(w, req, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	w.Write(body)
}

func encode(req *http.Request, v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if mask := req.URL.Query().Get("fields"); mask != "" {
		body, err = query.ApplyFields(body, mask)
		if err != nil {
			var q *query.Error
			if errors.As(err, &q) {
				return nil, gce.Invalid("%s", q.Message)
			}
			return nil, err
		}
	}
	return indent(req, body), nil
}

// indent pretty-prints unless the request has prettyPrint=false, as
// Google's APIs do.
func indent(req *http.Request, body []byte) []byte {
	switch strings.ToLower(req.URL.Query().Get("prettyPrint")) {
	case "false", "0":
		return body
	}
	var buf bytes.Buffer
	if json.Indent(&buf, body, "", "  ") != nil {
		return body
	}
	return buf.Bytes()
}

// writeError writes err as Google's error envelope.
func writeError(w http.ResponseWriter, req *http.Request, err error) {
	apiErr := gce.AsError(err)
	body, _ := json.MarshalIndent(apiErr.Envelope(), "", "  ")
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(apiErr.Code)
	w.Write(body)
}
