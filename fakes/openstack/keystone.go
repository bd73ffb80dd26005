package openstack

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

// tokenLifetime is Keystone's default token expiration.
const tokenLifetime = time.Hour

func (c *Cloud) keystoneRoutes(rt *mux.Router) {
	public := routeOpts{public: true}
	c.handle(rt, svcIdentity, "GET", "/", keystoneVersions, public)
	c.handle(rt, svcIdentity, "GET", "/v3", keystoneVersion, public)
	c.handle(rt, svcIdentity, "GET", "/v3/", keystoneVersion, public)
	c.handle(rt, svcIdentity, "POST", "/v3/auth/tokens", issueToken, public)
	c.handle(rt, svcIdentity, "GET", "/v3/auth/tokens", validateToken)
	c.handle(rt, svcIdentity, "HEAD", "/v3/auth/tokens", checkToken)
	c.handle(rt, svcIdentity, "DELETE", "/v3/auth/tokens", revokeToken)
	c.handle(rt, svcIdentity, "GET", "/v3/auth/projects", listAuthProjects)
	c.handle(rt, svcIdentity, "GET", "/v3/auth/catalog", getAuthCatalog)
	c.handle(rt, svcIdentity, "GET", "/v3/projects", listProjects)
	c.handle(rt, svcIdentity, "GET", "/v3/projects/{id}", getProject)
	c.handle(rt, svcIdentity, "GET", "/v3/regions", listRegions)
	c.handle(rt, svcIdentity, "GET", "/v3/regions/{id}", getRegion)
	c.handle(rt, svcIdentity, "GET", "/v3/users/{id}", getUser)
}

func keystoneVersionDoc(cl *call) map[string]any {
	return map[string]any{
		"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
		"links": []any{map[string]any{"rel": "self", "href": cl.base + "/identity/v3/"}},
		"media-types": []any{map[string]any{"base": "application/json",
			"type": "application/vnd.openstack.identity-v3+json"}},
	}
}

func keystoneVersions(cl *call) reply {
	rep := respond(http.StatusMultipleChoices, map[string]any{
		"versions": map[string]any{"values": []any{keystoneVersionDoc(cl)}}})
	rep.header = map[string]string{"Location": cl.base + "/identity/v3/"}
	return rep
}

func keystoneVersion(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"version": keystoneVersionDoc(cl)})
}

// validToken returns the live token with id, or nil.
func (c *Cloud) validToken(id string, now time.Time) *token {
	t := c.tokens[id]
	if t == nil || !now.Before(t.Expires) {
		return nil
	}
	return t
}

// authRequest is the body of POST /v3/auth/tokens.
type authRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User struct {
					ID       string     `json:"id"`
					Name     string     `json:"name"`
					Password string     `json:"password"`
					Domain   *domainRef `json:"domain"`
				} `json:"user"`
			} `json:"password"`
			Token *struct {
				ID string `json:"id"`
			} `json:"token"`
		} `json:"identity"`
		Scope json.RawMessage `json:"scope"`
	} `json:"auth"`
}

type domainRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type projectScope struct {
	Project *struct {
		ID     string     `json:"id"`
		Name   string     `json:"name"`
		Domain *domainRef `json:"domain"`
	} `json:"project"`
}

func issueToken(cl *call) reply {
	var req authRequest
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	id := req.Auth.Identity
	if len(id.Methods) == 0 {
		return cl.fail(http.StatusBadRequest, "", "Expecting to find identity in auth. "+badRequestTail)
	}
	switch id.Methods[0] {
	case "password":
		return cl.passwordAuth(&req)
	case "token":
		return cl.tokenAuth(&req)
	}
	return cl.unauthorized()
}

const badRequestTail = "The server could not comply with the request since it is either " +
	"malformed or otherwise incorrect. The client is assumed to be in error."

func (cl *call) passwordAuth(req *authRequest) reply {
	pw := req.Auth.Identity.Password
	if pw == nil {
		return cl.fail(http.StatusBadRequest, "", "Expecting to find password in identity. "+badRequestTail)
	}
	u := cl.c.findUser(pw.User.ID, pw.User.Name, pw.User.Domain)
	if u == nil || u.Password != pw.User.Password {
		return cl.unauthorized()
	}
	t := &token{User: u, Methods: []string{"password"}, Issued: cl.now,
		Expires: cl.now.Add(tokenLifetime)}
	return cl.scopeAndIssue(t, req.Auth.Scope, true)
}

func (cl *call) tokenAuth(req *authRequest) reply {
	ref := req.Auth.Identity.Token
	if ref == nil {
		return cl.fail(http.StatusBadRequest, "", "Expecting to find token in identity. "+badRequestTail)
	}
	orig := cl.c.validToken(ref.ID, cl.now)
	if orig == nil {
		return cl.unauthorized()
	}
	methods := []string{"token"}
	for _, m := range orig.Methods {
		if m != "token" {
			methods = append(methods, m)
		}
	}
	t := &token{User: orig.User, Methods: methods, Issued: cl.now, Expires: orig.Expires,
		AuditIDs: []string{orig.AuditIDs[len(orig.AuditIDs)-1]}}
	return cl.scopeAndIssue(t, req.Auth.Scope, false)
}

// scopeAndIssue scopes t as the request specifies, stores it and returns the 201.
// A password request without scope gets the user's default project.
func (cl *call) scopeAndIssue(t *token, raw json.RawMessage, defaultScope bool) reply {
	p, rep, ok := cl.resolveScope(t.User, raw, defaultScope)
	if !ok {
		return rep
	}
	if p != nil {
		if p.ID != t.User.ProjectID {
			return cl.unauthorized()
		}
		t.Project, t.Roles = p, t.User.Roles
	}
	t.ID = randomToken()
	t.AuditIDs = append([]string{auditID()}, t.AuditIDs...)
	cl.c.tokens[t.ID] = t
	rep = respond(http.StatusCreated, cl.tokenBody(t))
	rep.header = map[string]string{"X-Subject-Token": t.ID}
	return rep
}

// resolveScope returns the project a token request is scoped to, or nil
// for an unscoped token.
func (cl *call) resolveScope(u *user, raw json.RawMessage, defaultScope bool) (*project, reply, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		if defaultScope {
			return cl.c.projects[u.ProjectID], reply{}, true
		}
		return nil, reply{}, true
	}
	var word string
	if json.Unmarshal(raw, &word) == nil {
		if word == "unscoped" {
			return nil, reply{}, true
		}
		return nil, cl.fail(http.StatusBadRequest, "", "Invalid scope. "+badRequestTail), false
	}
	var s projectScope
	if err := json.Unmarshal(raw, &s); err != nil || s.Project == nil {
		return nil, cl.fail(http.StatusBadRequest, "", "Expecting to find project in scope. "+badRequestTail), false
	}
	p := cl.c.findProject(s.Project.ID, s.Project.Name, s.Project.Domain)
	if p == nil {
		return nil, cl.unauthorized(), false
	}
	return p, reply{}, true
}

func (c *Cloud) domainMatches(d *domainRef) bool {
	return d != nil && (d.ID == c.domainID || (d.ID == "" && d.Name == c.domainName))
}

func (c *Cloud) findUser(id, name string, d *domainRef) *user {
	if id != "" {
		return c.users[id]
	}
	if !c.domainMatches(d) {
		return nil
	}
	for _, u := range c.users {
		if u.Name == name {
			return u
		}
	}
	return nil
}

func (c *Cloud) findProject(id, name string, d *domainRef) *project {
	if id != "" {
		return c.projects[id]
	}
	if !c.domainMatches(d) {
		return nil
	}
	return c.projectByName(name)
}

func randomToken() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return "gAAAAA" + base64.RawURLEncoding.EncodeToString(b)
}

func auditID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenBody is the {"token": ...} document; the catalog is left out when
// the request has ?nocatalog.
func (cl *call) tokenBody(t *token) map[string]any {
	dom := map[string]any{"id": cl.c.domainID, "name": cl.c.domainName}
	body := map[string]any{
		"methods": t.Methods,
		"user": map[string]any{"domain": dom, "id": t.User.ID, "name": t.User.Name,
			"password_expires_at": nil},
		"audit_ids":  t.AuditIDs,
		"expires_at": microTimestamp(t.Expires) + "Z",
		"issued_at":  microTimestamp(t.Issued) + "Z",
	}
	if t.Project != nil {
		body["project"] = map[string]any{"domain": dom, "id": t.Project.ID, "name": t.Project.Name}
		body["is_domain"] = false
		body["roles"] = rolesBody(t.Roles)
		if _, skip := cl.r.URL.Query()["nocatalog"]; !skip {
			body["catalog"] = cl.catalog(t.Project.ID)
		}
	}
	return map[string]any{"token": body}
}

func rolesBody(roles []role) []any {
	out := []any{}
	for _, r := range roles {
		out = append(out, map[string]any{"id": r.ID, "name": r.Name})
	}
	return out
}

// subjectToken returns the live token named by X-Subject-Token.
func (cl *call) subjectToken() (*token, reply, bool) {
	t := cl.c.validToken(cl.r.Header.Get("X-Subject-Token"), cl.now)
	if t == nil {
		return nil, cl.fail(http.StatusNotFound, "", "Could not recognize Fernet token"), false
	}
	return t, reply{}, true
}

func validateToken(cl *call) reply {
	t, rep, ok := cl.subjectToken()
	if !ok {
		return rep
	}
	rep = respond(http.StatusOK, cl.tokenBody(t))
	rep.header = map[string]string{"X-Subject-Token": t.ID}
	return rep
}

func checkToken(cl *call) reply {
	t, rep, ok := cl.subjectToken()
	if !ok {
		return reply{status: rep.status}
	}
	return reply{status: http.StatusOK, header: map[string]string{"X-Subject-Token": t.ID}}
}

func revokeToken(cl *call) reply {
	t, rep, ok := cl.subjectToken()
	if !ok {
		return rep
	}
	delete(cl.c.tokens, t.ID)
	return empty(http.StatusNoContent)
}
