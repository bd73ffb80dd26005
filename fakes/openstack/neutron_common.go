package openstack

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
)

func (c *Cloud) neutronRoutes(rt *mux.Router) {
	c.handle(rt, svcNetwork, "GET", "/", neutronVersions, routeOpts{public: true})
	c.handle(rt, svcNetwork, "GET", "/v2.0/", neutronResources)
	c.handle(rt, svcNetwork, "GET", "/v2.0", neutronResources)
	c.networkRoutes(rt)
	c.portRoutes(rt)
	c.routerRoutes(rt)
	c.floatingIPRoutes(rt)
	c.securityGroupRoutes(rt)
}

func neutronVersions(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"versions": []any{map[string]any{
		"id": "v2.0", "status": "CURRENT",
		"links": []any{map[string]any{"rel": "self", "href": cl.base + "/networking/v2.0/"}},
	}}})
}

func neutronResources(cl *call) reply {
	var out []any
	for _, kind := range [][2]string{{"network", "networks"}, {"subnet", "subnets"},
		{"port", "ports"}, {"router", "routers"}, {"floatingip", "floatingips"},
		{"security_group", "security-groups"}, {"security_group_rule", "security-group-rules"}} {
		out = append(out, map[string]any{"name": kind[0], "collection": kind[1],
			"links": []any{map[string]any{"rel": "self", "href": cl.base + "/networking/v2.0/" + kind[1]}}})
	}
	return respond(http.StatusOK, map[string]any{"resources": out})
}

// standardFields adds the attributes every Neutron resource carries.
func standardFields(body map[string]any, s *standard, projectID string) map[string]any {
	body["tenant_id"] = projectID
	body["project_id"] = projectID
	body["description"] = s.Description
	body["tags"] = s.Tags
	body["created_at"] = timestamp(s.Created)
	body["updated_at"] = timestamp(s.Updated)
	body["revision_number"] = s.Revision
	return body
}

// visible reports whether the caller may see a resource of projectID.
func (cl *call) visible(projectID string) bool {
	return cl.tok.isAdmin() || projectID == cl.tok.projectID()
}

// neutronListKeys are query parameters that are not attribute filters.
var neutronListKeys = map[string]bool{"limit": true, "marker": true, "page_reverse": true,
	"fields": true, "sort_key": true, "sort_dir": true}

// neutronList filters rendered resources by the query's attribute filters,
// sorts them by id and pages them with Neutron's next and previous links.
func (cl *call) neutronList(plural string, items []map[string]any) reply {
	q := cl.r.URL.Query()
	var kept []map[string]any
	for _, item := range items {
		if matchesFilters(item, q) {
			kept = append(kept, item)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i]["id"].(string) < kept[j]["id"].(string) })
	envelope := strings.ReplaceAll(plural, "-", "_")
	if q.Get("limit") == "" {
		return respond(http.StatusOK, map[string]any{envelope: nonNil(kept)})
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 0 {
		return cl.fail(http.StatusBadRequest, "BadRequest", "Bad limit request: Limit must be an integer 0 or greater and not '%s'.", q.Get("limit"))
	}
	page := pageAfter(kept, q.Get("marker"), limit)
	body := map[string]any{envelope: nonNil(page), envelope + "_links": cl.neutronLinks(plural, page, limit)}
	return respond(http.StatusOK, body)
}

func nonNil(items []map[string]any) []map[string]any {
	if items == nil {
		return []map[string]any{}
	}
	return items
}

// pageAfter returns up to limit items that follow the item with id marker.
func pageAfter(items []map[string]any, marker string, limit int) []map[string]any {
	start := 0
	if marker != "" {
		start = len(items)
		for i, item := range items {
			if item["id"].(string) > marker {
				start = i
				break
			}
		}
	}
	end := len(items)
	if limit > 0 && start+limit < end {
		end = start + limit
	}
	return items[start:end]
}

func (cl *call) neutronLinks(plural string, page []map[string]any, limit int) []any {
	q := cl.r.URL.Query()
	link := func(rel, marker string, reverse bool) map[string]any {
		v := url.Values{}
		for k, vals := range q {
			if k != "marker" && k != "page_reverse" {
				v[k] = vals
			}
		}
		href := cl.base + "/networking/v2.0/" + plural + "?" + v.Encode()
		if marker != "" {
			href += "&marker=" + marker
		}
		if reverse {
			href += "&page_reverse=True"
		}
		return map[string]any{"rel": rel, "href": href}
	}
	if len(page) == 0 {
		return []any{link("previous", "", true)}
	}
	var links []any
	if len(page) == limit {
		links = append(links, link("next", page[len(page)-1]["id"].(string), false))
	}
	return append(links, link("previous", page[0]["id"].(string), true))
}

// matchesFilters applies Neutron attribute filters: every named attribute
// must equal one of the given values. fixed_ips takes "ip_address=..." or
// "subnet_id=..." values.
func matchesFilters(item map[string]any, q url.Values) bool {
	for key, want := range q {
		if neutronListKeys[key] {
			continue
		}
		if key == "fixed_ips" {
			if !matchesFixedIPs(item["fixed_ips"], want) {
				return false
			}
			continue
		}
		if !matchesAny(item[key], want) {
			return false
		}
	}
	return true
}

func matchesAny(value any, want []string) bool {
	got := fmt.Sprint(value)
	if value == nil {
		got = ""
	}
	for _, w := range want {
		if strings.EqualFold(got, w) && (got == w || isBoolText(w)) {
			return true
		}
	}
	return false
}

func isBoolText(s string) bool {
	_, err := strconv.ParseBool(strings.ToLower(s))
	return err == nil
}

func matchesFixedIPs(value any, want []string) bool {
	ips, _ := value.([]fixedIP)
	for _, w := range want {
		key, val, _ := strings.Cut(w, "=")
		found := false
		for _, ip := range ips {
			if (key == "ip_address" && ip.IPAddress == val) || (key == "subnet_id" && ip.SubnetID == val) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// neutronNotFound is the 404 for a resource type such as "Network".
func (cl *call) neutronNotFound(kind, id string) reply {
	return cl.fail(http.StatusNotFound, kind+"NotFound", "%s %s could not be found.", kind, id)
}

// neutronMissing is the 400 for a request body without its envelope.
func (cl *call) neutronMissing(resource string) reply {
	return cl.fail(http.StatusBadRequest, "HTTPBadRequest", "Resource body required")
}

// invalidInput is Neutron's 400 for an invalid attribute value.
func (cl *call) invalidInput(format string, args ...any) reply {
	return cl.fail(http.StatusBadRequest, "InvalidInput", "Invalid input for operation: "+format+".", args...)
}
