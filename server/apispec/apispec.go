package apispec

import "strings"

// Method is one method of the discovery document.
type Method struct {
	ID         string // e.g. "compute.instances.insert"
	HTTPMethod string // GET, POST, PUT, PATCH or DELETE
	Path       string // template under the service path, e.g. "projects/{project}/zones/{zone}/instances"
}

// Resource returns the collection part of the method id: "instances" for
// "compute.instances.insert".
func (m Method) Resource() string {
	parts := strings.Split(m.ID, ".")
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

// Verb returns the last part of the method id: "insert" for
// "compute.instances.insert".
func (m Method) Verb() string {
	return m.ID[strings.LastIndex(m.ID, ".")+1:]
}

// ServicePath is the path under which every method's Path is served.
const ServicePath = "/compute/v1/"

// BatchPath is the path of the batch endpoint, at the host root.
const BatchPath = "/batch/compute/v1"

// Methods returns every method of the discovery document, sorted by id.
func Methods() []Method {
	out := make([]Method, len(methods))
	copy(out, methods)
	return out
}

// Lookup returns the method with the given id.
func Lookup(id string) (Method, bool) {
	for _, m := range methods {
		if m.ID == id {
			return m, true
		}
	}
	return Method{}, false
}
