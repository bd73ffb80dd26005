package gce

import "strings"

// Ref is a parsed reference to a resource in a request body. Empty fields
// were not given and default to the request's own project and scope.
type Ref struct {
	Project    string
	Scope      string // "global", "zones/z", "regions/r" or ""
	Collection string // "machineTypes", "images", ...
	Name       string
	// Family is set instead of Name for .../global/images/family/F and
	// .../zones/Z/imageFamilyViews/F.
	Family string
}

// ParseRef parses every reference form real clients send: a full URL on any
// host (this server's, www.googleapis.com, compute.googleapis.com), a URL
// pasted after another one, "projects/p/...", "/zones/...", "zones/...",
// "global/...", "regions/...", or a bare name. The second result is false
// when the text is none of these.
func ParseRef(s string) (Ref, bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if s == "" {
		return Ref{}, false
	}
	if i := strings.LastIndex(s, "/projects/"); i >= 0 {
		s = s[i+1:]
	} else if strings.Contains(s, "://") {
		return Ref{}, false
	}
	s = strings.Trim(s, "/")
	parts := strings.Split(s, "/")
	var ref Ref
	if parts[0] == "projects" {
		if len(parts) < 2 || parts[1] == "" {
			return Ref{}, false
		}
		ref.Project = parts[1]
		parts = parts[2:]
		if len(parts) == 0 {
			return ref, true
		}
	}
	return parseScoped(ref, parts)
}

func parseScoped(ref Ref, parts []string) (Ref, bool) {
	switch {
	case len(parts) == 1 && ref.Project == "":
		ref.Name = parts[0]
		return ref, true
	case parts[0] == "global" && len(parts) >= 2:
		ref.Scope = "global"
		parts = parts[1:]
	case (parts[0] == "zones" || parts[0] == "regions") && len(parts) >= 2:
		ref.Scope = parts[0] + "/" + parts[1]
		parts = parts[2:]
	default:
		return Ref{}, false
	}
	return parseCollection(ref, parts)
}

func parseCollection(ref Ref, parts []string) (Ref, bool) {
	switch len(parts) {
	case 0:
		// A bare scope such as "zones/z" names the zone itself.
		kind, name, _ := strings.Cut(ref.Scope, "/")
		ref.Collection, ref.Name, ref.Scope = kind, name, ""
		return ref, ref.Name != ""
	case 2:
		ref.Collection, ref.Name = parts[0], parts[1]
		if ref.Collection == "imageFamilyViews" {
			ref.Collection, ref.Name, ref.Family = "images", "", parts[1]
		}
		return ref, ref.Name != "" || ref.Family != ""
	case 3:
		if parts[0] == "images" && parts[1] == "family" && parts[2] != "" {
			ref.Collection, ref.Family = "images", parts[2]
			return ref, true
		}
	}
	return Ref{}, false
}

// Last returns the last path segment of a reference, for fields that only
// ever name one thing (a zone, a region).
func Last(s string) string {
	s = strings.TrimRight(s, "/")
	return s[strings.LastIndex(s, "/")+1:]
}
