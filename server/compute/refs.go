package compute

import (
	"fmt"
	"strings"

	"github.com/gce-api/gce-api/server/gce"
)

// refInProject parses a reference to a resource of collection that the
// request body field names. A reference that names no project is in the
// URL's project. A reference to another project is rejected with 400
// invalid, because the request's OpenStack session reaches only the URL's
// project. Compute Engine would look the resource up in that project.
//
// Image references may name public image projects: resolve them with
// resolveImage instead.
func refInProject(r *Request, field, text, collection string) (gce.Ref, error) {
	ref, ok := gce.ParseRef(text)
	if !ok || ref.Family != "" || (ref.Collection != "" && ref.Collection != collection) {
		return gce.Ref{}, gce.InvalidField(field, text, "The URL is malformed.")
	}
	if ref.Project != "" && ref.Project != r.Project() {
		return gce.Ref{}, gce.InvalidField(field, text, fmt.Sprintf(
			"Only resources of project '%s' can be referenced.", r.Project()))
	}
	return ref, nil
}

// refInScope is refInProject for a resource that must be in scope:
// "global", "zones/z" or "regions/r". A reference without a scope is in
// scope.
func refInScope(r *Request, field, text, collection, scope string) (gce.Ref, error) {
	ref, err := refInProject(r, field, text, collection)
	if err != nil || ref.Scope == "" || ref.Scope == scope {
		return ref, err
	}
	return gce.Ref{}, gce.InvalidField(field, text, fmt.Sprintf(
		"The %s must be %s.", singular(collection), scopeText(scope)))
}

// singular returns the resource word of a collection: "disks" gives
// "disk", "diskTypes" gives "disk type".
func singular(collection string) string {
	switch collection {
	case "diskTypes":
		return "disk type"
	case "":
		return "resource"
	}
	return collection[:len(collection)-1]
}

// scopeText words a scope for a message: "in zone 'z'", "in region 'r'"
// or "global".
func scopeText(scope string) string {
	kind, name, found := strings.Cut(scope, "/")
	if !found {
		return scope
	}
	return fmt.Sprintf("in %s '%s'", singular(kind), name)
}

// resourcePath turns a link of this server into the resource path that
// error messages name (projects/p/zones/z/instances/i). Other text is
// returned unchanged.
func resourcePath(r *Request, link string) string {
	return strings.TrimPrefix(link, r.Links.Base+"/compute/v1/")
}
