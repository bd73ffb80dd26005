package openstack

import (
	"net/http"
	"slices"
	"sort"

	"github.com/gorilla/mux"
)

func (c *Cloud) serverExtraRoutes(rt *mux.Router) {
	const base = "/v2.1/servers/{id}"
	c.handle(rt, svcCompute, "GET", base+"/metadata", listMetadata)
	c.handle(rt, svcCompute, "POST", base+"/metadata", mergeMetadata)
	c.handle(rt, svcCompute, "PUT", base+"/metadata", replaceMetadata)
	c.handle(rt, svcCompute, "GET", base+"/metadata/{key}", getMetadataItem)
	c.handle(rt, svcCompute, "PUT", base+"/metadata/{key}", setMetadataItem)
	c.handle(rt, svcCompute, "DELETE", base+"/metadata/{key}", deleteMetadataItem)
	c.handle(rt, svcCompute, "GET", base+"/tags", withTags(listTags))
	c.handle(rt, svcCompute, "PUT", base+"/tags", withTags(replaceTags))
	c.handle(rt, svcCompute, "DELETE", base+"/tags", withTags(deleteTags))
	c.handle(rt, svcCompute, "GET", base+"/tags/{tag}", withTags(checkTag))
	c.handle(rt, svcCompute, "PUT", base+"/tags/{tag}", withTags(addTag))
	c.handle(rt, svcCompute, "DELETE", base+"/tags/{tag}", withTags(deleteTag))
	c.handle(rt, svcCompute, "GET", base+"/os-interface", listInterfaces)
	c.handle(rt, svcCompute, "GET", base+"/os-volume_attachments", listVolumeAttachments)
	c.handle(rt, svcCompute, "POST", base+"/os-volume_attachments", attachVolume)
	c.handle(rt, svcCompute, "GET", base+"/os-volume_attachments/{volume}", getVolumeAttachment)
	c.handle(rt, svcCompute, "DELETE", base+"/os-volume_attachments/{volume}", detachVolume)
}

// metadataRequest decodes {"metadata": {...}} with string values only.
func (cl *call) metadataRequest(key string) (map[string]string, reply, bool) {
	var req map[string]map[string]any
	if rep, ok := cl.decode(&req); !ok {
		return nil, rep, false
	}
	body, found := req[key]
	if !found {
		return nil, cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute %s. '%s' is a required property", key, key), false
	}
	meta, msg := stringMetadata(body)
	if msg != "" {
		return nil, cl.fail(http.StatusBadRequest, "", "%s", msg), false
	}
	return meta, reply{}, true
}

func listMetadata(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, map[string]any{"metadata": s.Metadata})
}

func mergeMetadata(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	meta, rep, ok := cl.metadataRequest("metadata")
	if !ok {
		return rep
	}
	for k, v := range meta {
		s.Metadata[k] = v
	}
	return respond(http.StatusOK, map[string]any{"metadata": s.Metadata})
}

func replaceMetadata(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	meta, rep, ok := cl.metadataRequest("metadata")
	if !ok {
		return rep
	}
	s.Metadata = meta
	return respond(http.StatusOK, map[string]any{"metadata": s.Metadata})
}

func getMetadataItem(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	v, found := s.Metadata[cl.vars["key"]]
	if !found {
		return cl.fail(http.StatusNotFound, "", "Metadata item was not found")
	}
	return respond(http.StatusOK, map[string]any{"meta": map[string]string{cl.vars["key"]: v}})
}

func setMetadataItem(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	meta, rep, ok := cl.metadataRequest("meta")
	if !ok {
		return rep
	}
	v, found := meta[cl.vars["key"]]
	if !found || len(meta) != 1 {
		return cl.fail(http.StatusBadRequest, "", "Request body and URI mismatch")
	}
	s.Metadata[cl.vars["key"]] = v
	return respond(http.StatusOK, map[string]any{"meta": meta})
}

func deleteMetadataItem(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	if _, found := s.Metadata[cl.vars["key"]]; !found {
		return cl.fail(http.StatusNotFound, "", "Metadata item was not found")
	}
	delete(s.Metadata, cl.vars["key"])
	return empty(http.StatusNoContent)
}

// withTags returns 404 below microversion 2.26, where tags do not exist,
// and passes the server to h otherwise.
func withTags(h func(*call, *server) reply) handler {
	return func(cl *call) reply {
		if cl.mv < 26 {
			return notFound(cl)
		}
		s, rep, ok := cl.findServer(cl.vars["id"])
		if !ok {
			return rep
		}
		return h(cl, s)
	}
}

func listTags(cl *call, s *server) reply {
	return respond(http.StatusOK, map[string]any{"tags": s.Tags})
}

func replaceTags(cl *call, s *server) reply {
	var req struct {
		Tags *[]string `json:"tags"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Tags == nil {
		return cl.fail(http.StatusBadRequest, "", "Invalid input for field/attribute tags. 'tags' is a required property")
	}
	tags := append([]string{}, *req.Tags...)
	sort.Strings(tags)
	s.Tags = slices.Compact(tags)
	return respond(http.StatusOK, map[string]any{"tags": s.Tags})
}

func deleteTags(cl *call, s *server) reply {
	s.Tags = []string{}
	return empty(http.StatusNoContent)
}

func checkTag(cl *call, s *server) reply {
	if !slices.Contains(s.Tags, cl.vars["tag"]) {
		return cl.fail(http.StatusNotFound, "", "Tag '%s' could not be found.", cl.vars["tag"])
	}
	return empty(http.StatusNoContent)
}

func addTag(cl *call, s *server) reply {
	tag := cl.vars["tag"]
	if slices.Contains(s.Tags, tag) {
		return empty(http.StatusNoContent)
	}
	s.Tags = append(s.Tags, tag)
	sort.Strings(s.Tags)
	rep := empty(http.StatusCreated)
	rep.header = map[string]string{"Location": cl.base + "/compute/v2.1/servers/" + s.ID + "/tags/" + tag}
	return rep
}

func deleteTag(cl *call, s *server) reply {
	if !slices.Contains(s.Tags, cl.vars["tag"]) {
		return cl.fail(http.StatusNotFound, "", "Tag '%s' could not be found.", cl.vars["tag"])
	}
	s.Tags = without(s.Tags, cl.vars["tag"])
	return empty(http.StatusNoContent)
}

func listInterfaces(cl *call) reply {
	s, rep, ok := cl.findServer(cl.vars["id"])
	if !ok {
		return rep
	}
	out := []any{}
	for _, id := range s.Ports {
		if p := cl.c.ports[id]; p != nil {
			out = append(out, map[string]any{"net_id": p.NetworkID, "port_id": p.ID,
				"mac_addr": p.MAC, "port_state": p.Status, "fixed_ips": p.FixedIPs})
		}
	}
	return respond(http.StatusOK, map[string]any{"interfaceAttachments": out})
}
