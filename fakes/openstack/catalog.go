package openstack

import (
	"net/http"
	"sort"
)

// catalogService is one catalog entry; path follows the base URL and may
// contain the project id.
type catalogService struct {
	Type, Name, Path string
}

// catalogServices lists the services as DevStack registers them. Cinder is
// listed twice: as volumev3, as Zed registers it, and as block-storage,
// the type gophercloud's NewBlockStorageV3 looks up first.
func catalogServices(projectID string) []catalogService {
	return []catalogService{
		{Type: "compute", Name: "nova", Path: "/compute/v2.1"},
		{Type: "image", Name: "glance", Path: "/image"},
		{Type: "network", Name: "neutron", Path: "/networking"},
		{Type: "volumev3", Name: "cinderv3", Path: "/volume/v3/" + projectID},
		{Type: "block-storage", Name: "cinder", Path: "/volume/v3/" + projectID},
		{Type: "identity", Name: "keystone", Path: "/identity/v3/"},
	}
}

// catalog builds the service catalog for a project on the base URL the
// client used.
func (cl *call) catalog(projectID string) []any {
	out := []any{}
	for _, s := range catalogServices(projectID) {
		var eps []any
		for _, iface := range []string{"public", "internal", "admin"} {
			eps = append(eps, map[string]any{
				"id":        keystoneID("endpoint", s.Type+"/"+iface),
				"interface": iface, "region_id": cl.c.region, "region": cl.c.region,
				"url": cl.base + s.Path,
			})
		}
		out = append(out, map[string]any{"endpoints": eps,
			"id": keystoneID("service", s.Type), "type": s.Type, "name": s.Name})
	}
	return out
}

func getAuthCatalog(cl *call) reply {
	if cl.tok.Project == nil {
		return cl.fail(http.StatusForbidden, "", "A project-scoped token is required to produce a service catalog.")
	}
	return respond(http.StatusOK, map[string]any{"catalog": cl.catalog(cl.tok.Project.ID),
		"links": cl.listLinks("/v3/auth/catalog")})
}

func (cl *call) listLinks(path string) map[string]any {
	self := cl.base + "/identity" + path
	if q := cl.r.URL.RawQuery; q != "" {
		self += "?" + q
	}
	return map[string]any{"next": nil, "self": self, "previous": nil}
}

func (cl *call) projectBody(p *project) map[string]any {
	return map[string]any{
		"id": p.ID, "name": p.Name, "domain_id": cl.c.domainID, "description": p.Description,
		"enabled": true, "parent_id": cl.c.domainID, "is_domain": false, "tags": []any{},
		"options": map[string]any{},
		"links":   map[string]any{"self": cl.base + "/identity/v3/projects/" + p.ID},
	}
}

// sortedProjects returns the projects in name order.
func (c *Cloud) sortedProjects() []*project {
	var ps []*project
	for _, p := range c.projects {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return ps
}

func listAuthProjects(cl *call) reply {
	out := []any{}
	if p := cl.c.projects[cl.tok.User.ProjectID]; p != nil {
		out = append(out, cl.projectBody(p))
	}
	return respond(http.StatusOK, map[string]any{"projects": out, "links": cl.listLinks("/v3/auth/projects")})
}

func listProjects(cl *call) reply {
	if !cl.tok.isAdmin() {
		return cl.fail(http.StatusForbidden, "", "You are not authorized to perform the requested action: identity:list_projects.")
	}
	name := cl.r.URL.Query().Get("name")
	out := []any{}
	for _, p := range cl.c.sortedProjects() {
		if name == "" || p.Name == name {
			out = append(out, cl.projectBody(p))
		}
	}
	return respond(http.StatusOK, map[string]any{"projects": out, "links": cl.listLinks("/v3/projects")})
}

func getProject(cl *call) reply {
	p := cl.c.projects[cl.vars["id"]]
	if p == nil || (!cl.tok.isAdmin() && p.ID != cl.tok.User.ProjectID) {
		return cl.fail(http.StatusForbidden, "", "You are not authorized to perform the requested action: identity:get_project.")
	}
	return respond(http.StatusOK, map[string]any{"project": cl.projectBody(p)})
}

func (cl *call) regionBody() map[string]any {
	return map[string]any{"id": cl.c.region, "description": "", "parent_region_id": nil,
		"links": map[string]any{"self": cl.base + "/identity/v3/regions/" + cl.c.region}}
}

func listRegions(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"regions": []any{cl.regionBody()},
		"links": cl.listLinks("/v3/regions")})
}

func getRegion(cl *call) reply {
	if cl.vars["id"] != cl.c.region {
		return cl.fail(http.StatusNotFound, "", "Could not find region: %s.", cl.vars["id"])
	}
	return respond(http.StatusOK, map[string]any{"region": cl.regionBody()})
}

func getUser(cl *call) reply {
	u := cl.c.users[cl.vars["id"]]
	if u == nil || (!cl.tok.isAdmin() && u.ID != cl.tok.User.ID) {
		return cl.fail(http.StatusForbidden, "", "You are not authorized to perform the requested action: identity:get_user.")
	}
	return respond(http.StatusOK, map[string]any{"user": map[string]any{
		"id": u.ID, "name": u.Name, "domain_id": cl.c.domainID, "enabled": true,
		"default_project_id": u.ProjectID, "password_expires_at": nil, "options": map[string]any{},
		"links": map[string]any{"self": cl.base + "/identity/v3/users/" + u.ID},
	}})
}
