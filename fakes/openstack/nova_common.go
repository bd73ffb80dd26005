package openstack

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

func (c *Cloud) novaRoutes(rt *mux.Router) {
	public := routeOpts{public: true}
	c.handle(rt, svcCompute, "GET", "/", novaVersions, public)
	c.handle(rt, svcCompute, "GET", "/v2.1", novaVersion, public)
	c.handle(rt, svcCompute, "GET", "/v2.1/", novaVersion, public)
	c.handle(rt, svcCompute, "GET", "/v2.1/os-availability-zone", listZones)
	c.handle(rt, svcCompute, "GET", "/v2.1/os-availability-zone/detail", listZonesDetail)
	c.handle(rt, svcCompute, "GET", "/v2.1/limits", getLimits)
	c.flavorRoutes(rt)
	c.keypairRoutes(rt)
	c.serverRoutes(rt)
	c.serverExtraRoutes(rt)
}

func novaVersionDoc(cl *call, full bool) map[string]any {
	doc := map[string]any{
		"id": "v2.1", "status": "CURRENT", "version": "2." + strconv.Itoa(novaMaxMinor),
		"min_version": "2.1", "updated": "2013-07-23T11:33:21Z",
		"links": []any{map[string]any{"rel": "self", "href": cl.base + "/compute/v2.1/"}},
	}
	if full {
		doc["links"] = append(doc["links"].([]any), map[string]any{"rel": "describedby",
			"type": "text/html", "href": "http://docs.openstack.org/"})
		doc["media-types"] = []any{map[string]any{"base": "application/json",
			"type": "application/vnd.openstack.compute+json;version=2.1"}}
	}
	return doc
}

func novaVersions(cl *call) reply {
	cl.mvText = ""
	v20 := map[string]any{"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "",
		"updated": "2011-01-21T11:33:21Z",
		"links":   []any{map[string]any{"rel": "self", "href": cl.base + "/compute/v2/"}}}
	return respond(http.StatusOK, map[string]any{"versions": []any{v20, novaVersionDoc(cl, false)}})
}

func novaVersion(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"version": novaVersionDoc(cl, true)})
}

func (cl *call) zoneList(detail bool) []any {
	var zones []any
	for _, z := range cl.c.zones {
		var hosts any
		if detail {
			hosts = map[string]any{"compute-" + z: map[string]any{"nova-compute": map[string]any{
				"available": true, "active": true, "updated_at": timestamp(cl.now)}}}
		}
		zones = append(zones, map[string]any{"zoneName": z, "zoneState": map[string]any{"available": true}, "hosts": hosts})
	}
	return zones
}

func listZones(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"availabilityZoneInfo": cl.zoneList(false)})
}

func listZonesDetail(cl *call) reply {
	if !cl.tok.isAdmin() {
		return cl.fail(http.StatusForbidden, "", "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed.")
	}
	return respond(http.StatusOK, map[string]any{"availabilityZoneInfo": cl.zoneList(true)})
}

func getLimits(cl *call) reply {
	cores, ram, count := 0, 0, 0
	for _, s := range cl.c.servers {
		if s.ProjectID != cl.tok.projectID() {
			continue
		}
		count++
		if f := cl.c.flavorByID(s.FlavorID); f != nil {
			cores, ram = cores+f.VCPUs, ram+f.RAM
		}
	}
	abs := map[string]any{
		"maxTotalCores": 20, "maxTotalInstances": 10, "maxTotalRAMSize": 51200,
		"maxServerMeta": 128, "maxPersonality": 5, "maxPersonalitySize": 10240,
		"maxTotalKeypairs": 100, "maxServerGroups": 10, "maxServerGroupMembers": 10,
		"totalCoresUsed": cores, "totalInstancesUsed": count, "totalRAMUsed": ram,
		"totalServerGroupsUsed": 0,
	}
	return respond(http.StatusOK, map[string]any{"limits": map[string]any{"rate": []any{}, "absolute": abs}})
}

// novaLinks returns the self and bookmark links of a Nova resource.
func (cl *call) novaLinks(kind, id string) []any {
	return []any{
		map[string]any{"rel": "self", "href": cl.base + "/compute/v2.1/" + kind + "/" + id},
		map[string]any{"rel": "bookmark", "href": cl.base + "/compute/" + kind + "/" + id},
	}
}

func (cl *call) bookmark(kind, id string) []any {
	return []any{map[string]any{"rel": "bookmark", "href": cl.base + "/compute/" + kind + "/" + id}}
}
