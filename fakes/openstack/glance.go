package openstack

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gorilla/mux"
)

func (c *Cloud) glanceRoutes(rt *mux.Router) {
	public := routeOpts{public: true}
	c.handle(rt, svcImage, "GET", "/", glanceVersions, public)
	c.handle(rt, svcImage, "GET", "/versions", glanceVersions, public)
	c.handle(rt, svcImage, "GET", "/v2", glanceRedirect)
	c.handle(rt, svcImage, "GET", "/v2/info/import", importInfo)
	c.handle(rt, svcImage, "GET", "/v2/images", listImages)
	c.handle(rt, svcImage, "POST", "/v2/images", createImage)
	c.handle(rt, svcImage, "GET", "/v2/images/{id}", getImage)
	c.handle(rt, svcImage, "PATCH", "/v2/images/{id}", patchImage)
	c.handle(rt, svcImage, "DELETE", "/v2/images/{id}", deleteImage)
	c.handle(rt, svcImage, "PUT", "/v2/images/{id}/file", uploadImage)
	c.handle(rt, svcImage, "GET", "/v2/images/{id}/file", downloadImage)
	c.handle(rt, svcImage, "POST", "/v2/images/{id}/import", importImage)
	c.handle(rt, svcImage, "PUT", "/v2/images/{id}/tags/{tag}", addImageTag)
	c.handle(rt, svcImage, "DELETE", "/v2/images/{id}/tags/{tag}", deleteImageTag)
}

// glanceMinors are the v2 minor versions Zed's Glance lists, newest first.
var glanceMinors = []int{15, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}

func glanceVersions(cl *call) reply {
	var out []any
	for i, m := range glanceMinors {
		status := "SUPPORTED"
		if i == 0 {
			status = "CURRENT"
		}
		out = append(out, map[string]any{"id": "v2." + strconv.Itoa(m), "status": status,
			"links": []any{map[string]any{"rel": "self", "href": cl.base + "/image/v2/"}}})
	}
	status := http.StatusOK
	if cl.r.URL.Path == "/" {
		status = http.StatusMultipleChoices
	}
	return respond(status, map[string]any{"versions": out})
}

func glanceRedirect(cl *call) reply {
	return reply{status: http.StatusFound, raw: []byte{}, contentType: "text/plain; charset=utf8",
		header: map[string]string{"Location": cl.base + "/image/v2/"}}
}

func importInfo(cl *call) reply {
	return respond(http.StatusOK, map[string]any{"import-methods": map[string]any{
		"description": "Import methods available.", "type": "array",
		"value": []string{"glance-direct", "web-download", "copy-image"}}})
}

// imageVisible applies Glance's visibility rules: public and community
// images are visible to all, shared and private ones to their owner.
func (cl *call) imageVisible(img *image) bool {
	switch {
	case img.Visibility == "public" || img.Visibility == "community":
		return true
	case cl.tok.isAdmin():
		return true
	}
	return img.Owner == cl.tok.projectID()
}

func imageBody(img *image) map[string]any {
	body := map[string]any{}
	for k, v := range img.Properties {
		body[k] = v
	}
	var size, virtual, checksum, algo, hash any
	if img.Size != nil {
		size, virtual, checksum, algo, hash = *img.Size, *img.Size, img.Checksum, "sha512", img.HashValue
	}
	if img.VirtualSize != nil {
		virtual = *img.VirtualSize
	}
	core := map[string]any{
		"id": img.ID, "name": nullable(img.Name), "disk_format": nullable(img.DiskFormat),
		"container_format": nullable(img.ContainerFormat), "visibility": img.Visibility,
		"size": size, "virtual_size": virtual, "status": img.Status, "checksum": checksum,
		"protected": img.Protected, "min_ram": img.MinRAM, "min_disk": img.MinDisk,
		"owner": img.Owner, "os_hidden": img.Hidden, "os_hash_algo": algo, "os_hash_value": hash,
		"created_at": timestamp(img.Created), "updated_at": timestamp(img.Updated), "tags": img.Tags,
		"self": "/v2/images/" + img.ID, "file": "/v2/images/" + img.ID + "/file",
		"schema": "/v2/schemas/image",
	}
	for k, v := range core {
		body[k] = v
	}
	if img.Status == "active" {
		body["stores"] = "fs"
	}
	return body
}

func (cl *call) findImage(id string) (*image, reply, bool) {
	img := cl.c.images[id]
	if img == nil || !cl.imageVisible(img) {
		return nil, cl.fail(http.StatusNotFound, "", "No image found with ID %s", id), false
	}
	return img, reply{}, true
}

func getImage(cl *call) reply {
	img, rep, ok := cl.findImage(cl.vars["id"])
	if !ok {
		return rep
	}
	return respond(http.StatusOK, imageBody(img))
}

// ownImage returns an image the caller may change.
func (cl *call) ownImage(id string) (*image, reply, bool) {
	img, rep, ok := cl.findImage(id)
	if !ok {
		return nil, rep, false
	}
	if img.Owner != cl.tok.projectID() && !cl.tok.isAdmin() {
		return nil, cl.fail(http.StatusForbidden, "", "You are not permitted to modify image %s.", id), false
	}
	return img, reply{}, true
}

func deleteImage(cl *call) reply {
	img, rep, ok := cl.ownImage(cl.vars["id"])
	if !ok {
		return rep
	}
	if img.Protected {
		return cl.fail(http.StatusForbidden, "", "Image %s is protected and cannot be deleted.", img.ID)
	}
	delete(cl.c.images, img.ID)
	return empty(http.StatusNoContent)
}

func addImageTag(cl *call) reply {
	img, rep, ok := cl.ownImage(cl.vars["id"])
	if !ok {
		return rep
	}
	if !slices.Contains(img.Tags, cl.vars["tag"]) {
		img.Tags = append(img.Tags, cl.vars["tag"])
	}
	img.Updated = cl.now
	return empty(http.StatusNoContent)
}

func deleteImageTag(cl *call) reply {
	img, rep, ok := cl.ownImage(cl.vars["id"])
	if !ok {
		return rep
	}
	if !slices.Contains(img.Tags, cl.vars["tag"]) {
		return cl.fail(http.StatusNotFound, "", "Tag %s not found", cl.vars["tag"])
	}
	img.Tags = without(img.Tags, cl.vars["tag"])
	return empty(http.StatusNoContent)
}
