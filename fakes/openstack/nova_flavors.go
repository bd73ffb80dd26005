package openstack

import (
	"net/http"

	"github.com/gorilla/mux"
)

func (c *Cloud) flavorRoutes(rt *mux.Router) {
	c.handle(rt, svcCompute, "GET", "/v2.1/flavors", listFlavors)
	c.handle(rt, svcCompute, "GET", "/v2.1/flavors/detail", listFlavorsDetail)
	c.handle(rt, svcCompute, "GET", "/v2.1/flavors/{id}", getFlavor)
	c.handle(rt, svcCompute, "POST", "/v2.1/flavors", createFlavor)
	c.handle(rt, svcCompute, "DELETE", "/v2.1/flavors/{id}", deleteFlavor)
}

func (c *Cloud) flavorByID(id string) *flavor {
	for _, f := range c.flavors {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// flavorBody renders f; swap is "" before 2.75 and 0 from it on.
func (cl *call) flavorBody(f *flavor) map[string]any {
	var swap any = ""
	if cl.mv >= 75 {
		swap = 0
	}
	body := map[string]any{
		"id": f.ID, "name": f.Name, "ram": f.RAM, "disk": f.Disk, "swap": swap,
		"OS-FLV-EXT-DATA:ephemeral": 0, "OS-FLV-DISABLED:disabled": false, "vcpus": f.VCPUs,
		"os-flavor-access:is_public": true, "rxtx_factor": 1.0, "links": cl.novaLinks("flavors", f.ID),
	}
	if cl.mv >= 55 {
		body["description"] = nil
	}
	if cl.mv >= 61 {
		body["extra_specs"] = map[string]any{}
	}
	return body
}

func listFlavors(cl *call) reply {
	out := []any{}
	for _, f := range cl.c.flavors {
		item := map[string]any{"id": f.ID, "name": f.Name, "links": cl.novaLinks("flavors", f.ID)}
		if cl.mv >= 55 {
			item["description"] = nil
		}
		out = append(out, item)
	}
	return respond(http.StatusOK, map[string]any{"flavors": out})
}

func listFlavorsDetail(cl *call) reply {
	out := []any{}
	for _, f := range cl.c.flavors {
		out = append(out, cl.flavorBody(f))
	}
	return respond(http.StatusOK, map[string]any{"flavors": out})
}

func getFlavor(cl *call) reply {
	f := cl.c.flavorByID(cl.vars["id"])
	if f == nil {
		return cl.fail(http.StatusNotFound, "", "Flavor %s could not be found.", cl.vars["id"])
	}
	return respond(http.StatusOK, map[string]any{"flavor": cl.flavorBody(f)})
}
