package openstack

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/gorilla/mux"
)

// defaultVolumeType is the only Cinder volume type.
const defaultVolumeType = "__DEFAULT__"

var (
	volumeTypeID = seedUUID("volume-type", defaultVolumeType)
	serviceUUID  = seedUUID("service", "cinder-volume")
)

func (c *Cloud) cinderRoutes(rt *mux.Router) {
	public := routeOpts{public: true}
	c.handle(rt, svcVolume, "GET", "/", cinderVersions, public)
	c.handle(rt, svcVolume, "GET", "/v3/", cinderVersionList)
	c.handle(rt, svcVolume, "GET", "/v3", cinderVersionList)
	p := rt.PathPrefix("/v3/{project}").Subrouter()
	c.handle(rt, svcVolume, "GET", "/v3/{project}", notFound)
	c.handle(p, svcVolume, "GET", "/volumes", inProject(listVolumes))
	c.handle(p, svcVolume, "GET", "/volumes/detail", inProject(listVolumesDetail))
	c.handle(p, svcVolume, "POST", "/volumes", inProject(createVolume))
	c.handle(p, svcVolume, "GET", "/volumes/{id}", inProject(getVolume))
	c.handle(p, svcVolume, "PUT", "/volumes/{id}", inProject(updateVolume))
	c.handle(p, svcVolume, "DELETE", "/volumes/{id}", inProject(deleteVolume))
	c.handle(p, svcVolume, "POST", "/volumes/{id}/action", inProject(volumeAction))
	c.handle(p, svcVolume, "GET", "/snapshots", inProject(listSnapshots))
	c.handle(p, svcVolume, "GET", "/snapshots/detail", inProject(listSnapshotsDetail))
	c.handle(p, svcVolume, "POST", "/snapshots", inProject(createSnapshot))
	c.handle(p, svcVolume, "GET", "/snapshots/{id}", inProject(getSnapshot))
	c.handle(p, svcVolume, "PUT", "/snapshots/{id}", inProject(updateSnapshot))
	c.handle(p, svcVolume, "DELETE", "/snapshots/{id}", inProject(deleteSnapshot))
	c.handle(p, svcVolume, "GET", "/os-availability-zone", inProject(listVolumeZones))
	c.handle(p, svcVolume, "GET", "/types", inProject(listVolumeTypes))
	c.handle(p, svcVolume, "GET", "/attachments", inProject(listAttachments))
	c.handle(p, svcVolume, "GET", "/attachments/detail", inProject(listAttachments))
}

func cinderVersionDoc(cl *call) map[string]any {
	return map[string]any{
		"id": "v3.0", "status": "CURRENT", "version": "3." + strconv.Itoa(cinderMaxMinor),
		"min_version": "3.0", "updated": "2022-08-31T00:00:00Z",
		"links": []any{
			map[string]any{"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"},
			map[string]any{"rel": "self", "href": cl.base + "/volume/v3/"},
		},
		"media-types": []any{map[string]any{"base": "application/json",
			"type": "application/vnd.openstack.volume+json;version=3"}},
	}
}

func cinderVersions(cl *call) reply {
	return respond(http.StatusMultipleChoices, map[string]any{"versions": []any{cinderVersionDoc(cl)}})
}

func cinderVersionList(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"versions": []any{cinderVersionDoc(cl)}})
}

// inProject wraps h with the check that the URL names the token's project.
func inProject(h handler) handler {
	return func(cl *call) reply {
		if rep, ok := cl.cinderProject(); !ok {
			return rep
		}
		return h(cl)
	}
}

// cinderProject checks that the project in the URL is the token's.
func (cl *call) cinderProject() (reply, bool) {
	if cl.vars["project"] != cl.tok.projectID() && !cl.tok.isAdmin() {
		return cl.fail(http.StatusForbidden, "", "Policy doesn't allow this operation to be performed."), false
	}
	return reply{}, true
}

func listVolumeZones(cl *call) reply {
	var zones []any
	for _, z := range cl.c.zones {
		zones = append(zones, map[string]any{"zoneName": z, "zoneState": map[string]any{"available": true}})
	}
	return respond(http.StatusOK, map[string]any{"availabilityZoneInfo": zones})
}

func listVolumeTypes(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"volume_types": []any{map[string]any{
		"id": volumeTypeID, "name": defaultVolumeType, "description": "Default Volume Type",
		"is_public": true, "extra_specs": map[string]any{}, "qos_specs_id": nil,
		"os-volume-type-access:is_public": true,
	}}})
}

func listAttachments(cl *call) reply {
	if cl.mv < 27 {
		return notFound(cl)
	}
	want := cl.r.URL.Query().Get("volume_id")
	out := []any{}
	for _, a := range cl.c.sortedAttachments() {
		v := cl.c.volumes[a.VolumeID]
		if v == nil || !cl.visible(v.ProjectID) || (want != "" && want != a.VolumeID) {
			continue
		}
		out = append(out, attachmentBody(a, v))
	}
	return respond(http.StatusOK, map[string]any{"attachments": out})
}

func (c *Cloud) sortedAttachments() []*volumeAttachment {
	var as []*volumeAttachment
	for _, a := range c.attachments {
		as = append(as, a)
	}
	sort.Slice(as, func(i, j int) bool { return as[i].ID < as[j].ID })
	return as
}

func attachmentBody(a *volumeAttachment, v *volume) map[string]any {
	status, attachedAt := "reserved", ""
	if !a.AttachedAt.IsZero() {
		status, attachedAt = "attached", microTimestamp(a.AttachedAt)
	}
	return map[string]any{
		"id": a.ID, "status": status, "instance": a.ServerID, "volume_id": v.ID,
		"attached_at": attachedAt, "detached_at": "", "attach_mode": "rw",
		"connection_info": map[string]any{"access_mode": "rw", "qos_specs": nil, "encrypted": false,
			"cacheable": false, "driver_volume_type": "iscsi", "attachment_id": a.ID},
	}
}

// cinderPage sorts items newest first, pages them by limit and marker and
// returns the page with the next link, if the page is full.
func (cl *call) cinderPage(items []map[string]any, path string) ([]map[string]any, []any, reply, bool) {
	sort.SliceStable(items, func(i, j int) bool {
		ci, cj := items[i]["created_at"].(string), items[j]["created_at"].(string)
		if ci != cj {
			return ci > cj
		}
		return items[i]["id"].(string) > items[j]["id"].(string)
	})
	q := cl.r.URL.Query()
	start := 0
	if m := q.Get("marker"); m != "" {
		start = -1
		for i, item := range items {
			if item["id"] == m {
				start = i + 1
			}
		}
		if start < 0 {
			return nil, nil, cl.fail(http.StatusNotFound, "", "Marker %s could not be found.", m), false
		}
	}
	items = items[start:]
	if q.Get("limit") == "" {
		return items, nil, reply{}, true
	}
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 0 {
		return nil, nil, cl.fail(http.StatusBadRequest, "", "Invalid input received: limit must be a non-negative integer."), false
	}
	if len(items) <= limit {
		return items, nil, reply{}, true
	}
	items = items[:limit]
	v := url.Values{}
	for k, vals := range q {
		if k != "marker" {
			v[k] = vals
		}
	}
	v.Set("marker", items[len(items)-1]["id"].(string))
	href := cl.base + "/volume/v3/" + cl.vars["project"] + path + "?" + v.Encode()
	return items, []any{map[string]any{"rel": "next", "href": href}}, reply{}, true
}
