package gce

import (
	"net/http"
	"strings"
)

// Links builds absolute URLs on the server's public base, such as
// https://gce.example.com/compute/v1/projects/p/zones/z/instances/x.
type Links struct {
	Base string // scheme://host[:port], no trailing slash
}

// LinksFor returns the links of a request: base when it is set, else the
// request's own scheme and host (honouring X-Forwarded-Proto).
func LinksFor(base string, r *http.Request) Links {
	if base != "" {
		return Links{Base: strings.TrimRight(base, "/")}
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return Links{Base: scheme + "://" + r.Host}
}

// Project returns the URL of project p.
func (l Links) Project(p string) string {
	return l.Base + "/compute/v1/projects/" + p
}

// Global returns the URL of a global resource or collection:
// Global(p, "networks", "default").
func (l Links) Global(p string, parts ...string) string {
	return l.join(l.Project(p)+"/global", parts)
}

// Zone returns the URL of zone z, or of a resource in it when parts are given.
func (l Links) Zone(p, z string, parts ...string) string {
	return l.join(l.Project(p)+"/zones/"+z, parts)
}

// Region returns the URL of region r, or of a resource in it.
func (l Links) Region(p, r string, parts ...string) string {
	return l.join(l.Project(p)+"/regions/"+r, parts)
}

// Scoped returns the URL of a resource in scope, which is "global",
// "zones/z" or "regions/r".
func (l Links) Scoped(p, scope string, parts ...string) string {
	return l.join(l.Project(p)+"/"+scope, parts)
}

func (l Links) join(prefix string, parts []string) string {
	if len(parts) == 0 {
		return prefix
	}
	return prefix + "/" + strings.Join(parts, "/")
}
