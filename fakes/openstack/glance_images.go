package openstack

import (
	"crypto/md5"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Glance's accepted formats, as its image schema lists them.
var (
	diskFormats      = []string{"ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop"}
	containerFormats = []string{"ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"}
	visibilities     = []string{"public", "private", "shared", "community"}
	readOnlyImage    = []string{"id", "status", "size", "virtual_size", "checksum", "os_hash_algo",
		"os_hash_value", "owner", "created_at", "updated_at", "self", "file", "schema", "stores", "direct_url"}
)

// imageListKeys are list query parameters that are not filters.
var imageListKeys = map[string]bool{"limit": true, "marker": true, "sort_key": true,
	"sort_dir": true, "sort": true, "member_status": true}

func listImages(cl *call) reply {
	q := cl.r.URL.Query()
	var items []map[string]any
	for _, img := range cl.c.images {
		if !cl.imageVisible(img) {
			continue
		}
		body := imageBody(img)
		if imageMatches(body, q) {
			items = append(items, body)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		ci, cj := items[i]["created_at"].(string), items[j]["created_at"].(string)
		if ci != cj {
			return ci > cj
		}
		return items[i]["id"].(string) > items[j]["id"].(string)
	})
	return cl.imagePage(items)
}

// imageMatches applies exact-match filters on any attribute, custom
// properties included, and the tag filter.
func imageMatches(body map[string]any, q url.Values) bool {
	for key, want := range q {
		if imageListKeys[key] {
			continue
		}
		if key == "tag" {
			tags, _ := body["tags"].([]string)
			for _, w := range want {
				if !slices.Contains(tags, w) {
					return false
				}
			}
			continue
		}
		v, found := body[key]
		if !found || v == nil || !slices.Contains(want, fmt.Sprint(v)) {
			return false
		}
	}
	return true
}

// imagePage pages items by limit (default 25) and marker, with Glance's
// relative first, schema and next links.
func (cl *call) imagePage(items []map[string]any) reply {
	q := cl.r.URL.Query()
	limit := 25
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 0 {
			return cl.fail(http.StatusBadRequest, "", "limit param must be an integer")
		}
		limit = min(n, 1000)
	}
	if m := q.Get("marker"); m != "" {
		i := slices.IndexFunc(items, func(item map[string]any) bool { return item["id"] == m })
		if i < 0 {
			return cl.fail(http.StatusBadRequest, "", "marker not found: %s", m)
		}
		items = items[i+1:]
	}
	full := len(items) >= limit
	if len(items) > limit {
		items = items[:limit]
	}
	first := "/v2/images"
	if enc := withoutMarker(q); enc != "" {
		first += "?" + enc
	}
	body := map[string]any{"images": nonNil(items), "first": first, "schema": "/v2/schemas/images"}
	if full && len(items) > 0 {
		v := url.Values{}
		for k, vals := range q {
			v[k] = vals
		}
		v.Set("marker", items[len(items)-1]["id"].(string))
		body["next"] = "/v2/images?" + v.Encode()
	}
	return respond(http.StatusOK, body)
}

func withoutMarker(q url.Values) string {
	v := url.Values{}
	for k, vals := range q {
		if k != "marker" {
			v[k] = vals
		}
	}
	return v.Encode()
}

func createImage(cl *call) reply {
	var req map[string]any
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	img := &image{ID: uuid.NewString(), Owner: cl.tok.projectID(), Visibility: "shared", Status: "queued",
		Properties: map[string]any{}, Tags: []string{}, Created: cl.now, Updated: cl.now}
	if id, ok := req["id"].(string); ok {
		img.ID = id
		delete(req, "id")
	}
	if rep, ok := cl.applyImageFields(img, req, true); !ok {
		return rep
	}
	cl.c.images[img.ID] = img
	rep := respond(http.StatusCreated, imageBody(img))
	rep.header = map[string]string{"Location": cl.base + "/image/v2/images/" + img.ID,
		"OpenStack-Image-Import-Methods": "glance-direct,web-download,copy-image",
		"OpenStack-Image-Store-Ids":      "fs"}
	return rep
}

// applyImageFields sets core attributes and custom properties from fields,
// validating them against Glance's image schema and publicize policy.
func (cl *call) applyImageFields(img *image, fields map[string]any, creating bool) (reply, bool) {
	for _, key := range sortedKeys(fields) {
		if rep, ok := cl.setImageField(img, key, fields[key], creating); !ok {
			return rep, false
		}
	}
	return reply{}, true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (cl *call) setImageField(img *image, key string, value any, creating bool) (reply, bool) {
	schemaErr := func(msg string) (reply, bool) {
		return cl.fail(http.StatusBadRequest, "", "Provided object does not match schema 'image': %s", msg), false
	}
	if slices.Contains(readOnlyImage, key) {
		return cl.fail(http.StatusForbidden, "", "Attribute '%s' is read-only.", key), false
	}
	switch key {
	case "name":
		return cl.setImageString(&img.Name, value, key)
	case "disk_format":
		return cl.setImageEnum(&img.DiskFormat, value, diskFormats, key)
	case "container_format":
		return cl.setImageEnum(&img.ContainerFormat, value, containerFormats, key)
	case "visibility":
		s, _ := value.(string)
		if !slices.Contains(visibilities, s) {
			return schemaErr(fmt.Sprintf("'%v' is not one of %s", value, pyList(visibilities)))
		}
		if s == "public" && !cl.tok.isAdmin() {
			return cl.fail(http.StatusForbidden, "", "You are not authorized to complete publicize_image action."), false
		}
		img.Visibility = s
	case "min_disk", "min_ram":
		n, ok := value.(float64)
		if !ok || n < 0 || n != float64(int(n)) {
			return schemaErr(fmt.Sprintf("%v is not of type 'integer'", value))
		}
		if key == "min_disk" {
			img.MinDisk = int(n)
		} else {
			img.MinRAM = int(n)
		}
	case "protected", "os_hidden":
		b, ok := value.(bool)
		if !ok {
			return schemaErr(fmt.Sprintf("%v is not of type 'boolean'", value))
		}
		if key == "protected" {
			img.Protected = b
		} else {
			img.Hidden = b
		}
	case "tags":
		return cl.setImageTags(img, value)
	default:
		s, ok := value.(string)
		if !ok {
			return schemaErr(fmt.Sprintf("%v is not of type 'string'", value))
		}
		img.Properties[key] = s
	}
	return reply{}, true
}

func (cl *call) setImageString(dst *string, value any, key string) (reply, bool) {
	if value == nil {
		*dst = ""
		return reply{}, true
	}
	s, ok := value.(string)
	if !ok {
		return cl.fail(http.StatusBadRequest, "", "Provided object does not match schema 'image': %v is not of type 'string'", value), false
	}
	*dst = s
	return reply{}, true
}

func (cl *call) setImageEnum(dst *string, value any, allowed []string, key string) (reply, bool) {
	s, _ := value.(string)
	if value != nil && !slices.Contains(allowed, s) {
		return cl.fail(http.StatusBadRequest, "", "Provided object does not match schema 'image': '%v' is not one of [None, %s]\n\nFailed validating 'enum' in schema['properties']['%s']", value, strings.Trim(pyList(allowed), "[]"), key), false
	}
	*dst = s
	return reply{}, true
}

func (cl *call) setImageTags(img *image, value any) (reply, bool) {
	list, ok := value.([]any)
	if !ok {
		return cl.fail(http.StatusBadRequest, "", "Provided object does not match schema 'image': tags is not of type 'array'"), false
	}
	tags := []string{}
	for _, t := range list {
		s, ok := t.(string)
		if !ok {
			return cl.fail(http.StatusBadRequest, "", "Provided object does not match schema 'image': %v is not of type 'string'", t), false
		}
		if !slices.Contains(tags, s) {
			tags = append(tags, s)
		}
	}
	img.Tags = tags
	return reply{}, true
}

func pyList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "'" + s + "'"
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// patchOp is one JSON-patch operation of an image PATCH.
type patchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

func patchImage(cl *call) reply {
	ct := cl.r.Header.Get("Content-Type")
	if ct != "application/openstack-images-v2.1-json-patch" && ct != "application/openstack-images-v2.0-json-patch" {
		rep := cl.fail(http.StatusUnsupportedMediaType, "", "The request media type %s is not supported by this server.", ct)
		rep.body.(map[string]any)["message"] = fmt.Sprintf("The request media type %s is not supported by this server.\n<br /><br />\n", ct)
		rep.header = map[string]string{"Accept-Patch": "application/openstack-images-v2.0-json-patch, application/openstack-images-v2.1-json-patch"}
		return rep
	}
	img, rep, ok := cl.ownImage(cl.vars["id"])
	if !ok {
		return rep
	}
	var ops []patchOp
	if rep, ok := cl.decode(&ops); !ok {
		return rep
	}
	for _, op := range ops {
		if rep, ok := cl.applyPatch(img, op); !ok {
			return rep
		}
	}
	img.Updated = cl.now
	return respond(http.StatusOK, imageBody(img))
}

func (cl *call) applyPatch(img *image, op patchOp) (reply, bool) {
	key := strings.TrimPrefix(op.Path, "/")
	if key == "" || strings.Contains(key, "/") {
		return cl.fail(http.StatusBadRequest, "", "Invalid JSON pointer for this resource: '%s'", op.Path), false
	}
	_, custom := img.Properties[key]
	switch op.Op {
	case "add":
		return cl.setImageField(img, key, op.Value, false)
	case "replace":
		if _, core := imageBody(img)[key]; !core && !custom {
			return cl.fail(http.StatusConflict, "", "There was a conflict when trying to complete your request.<br /><br />\nProperty %s does not exist.\n", key), false
		}
		return cl.setImageField(img, key, op.Value, false)
	case "remove":
		if !custom {
			return cl.fail(http.StatusConflict, "", "There was a conflict when trying to complete your request.<br /><br />\nProperty %s does not exist.\n", key), false
		}
		delete(img.Properties, key)
		return reply{}, true
	}
	return cl.fail(http.StatusBadRequest, "", "Operation objects must contain exactly one member named \"add\", \"remove\", or \"replace\"."), false
}

func uploadImage(cl *call) reply {
	img, rep, ok := cl.ownImage(cl.vars["id"])
	if !ok {
		return rep
	}
	if img.Status != "queued" {
		return cl.fail(http.StatusConflict, "", "Image status transition from %s to saving is not allowed", img.Status)
	}
	data, err := io.ReadAll(cl.r.Body)
	if err != nil {
		return cl.fail(http.StatusBadRequest, "", "Failed to read image data: %v", err)
	}
	storeImageData(img, data)
	img.Updated = cl.now
	return reply{status: http.StatusNoContent, raw: []byte{}, contentType: "text/html; charset=UTF-8"}
}

// storeImageData makes img active with data, its size and hashes.
func storeImageData(img *image, data []byte) {
	size := int64(len(data))
	sum := md5.Sum(data)
	hash := sha512.Sum512(data)
	img.Data, img.Size, img.Status = data, &size, "active"
	img.Checksum, img.HashValue = hex.EncodeToString(sum[:]), hex.EncodeToString(hash[:])
}

func downloadImage(cl *call) reply {
	img, rep, ok := cl.findImage(cl.vars["id"])
	if !ok {
		return rep
	}
	if img.Status != "active" || img.Data == nil {
		return reply{status: http.StatusNoContent, raw: []byte{}, contentType: "text/html; charset=UTF-8"}
	}
	return reply{status: http.StatusOK, raw: img.Data, contentType: "application/octet-stream",
		header: map[string]string{"Content-MD5": img.Checksum}}
}

func importImage(cl *call) reply {
	img, rep, ok := cl.ownImage(cl.vars["id"])
	if !ok {
		return rep
	}
	var req struct {
		Method *struct {
			Name string `json:"name"`
			URI  string `json:"uri"`
		} `json:"method"`
	}
	if rep, ok := cl.decode(&req); !ok {
		return rep
	}
	if req.Method == nil || req.Method.Name != "web-download" {
		return cl.fail(http.StatusBadRequest, "", "Import method is not supported by this fake; use web-download.")
	}
	if !cl.c.importFilter.allows(req.Method.URI) {
		return cl.fail(http.StatusBadRequest, "", "URI for web-download does not pass filtering: %s", req.Method.URI)
	}
	if img.Status != "queued" {
		return cl.fail(http.StatusConflict, "", "Image %s is not in queued state, it is %s.", img.ID, img.Status)
	}
	img.ImportURI, img.Status = req.Method.URI, "importing"
	// NOTE: the fake never downloads; the image becomes active, empty,
	// after Timings.VolumeCreate.
	cl.c.after(cl.now, cl.c.timings.VolumeCreate, func() {
		if cl.c.images[img.ID] != nil && img.Status == "importing" {
			storeImageData(img, []byte{})
		}
	})
	return empty(http.StatusAccepted)
}
