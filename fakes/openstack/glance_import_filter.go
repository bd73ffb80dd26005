package openstack

import (
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ImportFilter is Glance's [import_filtering_opts]: the URIs that a
// web-download import may fetch. An empty allow list allows everything;
// when an allow list is set, its deny list is ignored, as in Glance.
type ImportFilter struct {
	AllowedSchemes, DisallowedSchemes []string
	AllowedHosts, DisallowedHosts     []string
	AllowedPorts, DisallowedPorts     []int
}

// DefaultImportFilter returns Glance 25's default filter: http and https
// on ports 80 and 443, any host.
func DefaultImportFilter() ImportFilter {
	return ImportFilter{AllowedSchemes: []string{"http", "https"}, AllowedPorts: []int{80, 443}}
}

// allows reports whether a web-download of uri passes f. Like the Glance
// of Debian bookworm (25.1.0-2+deb12u5), it also rejects a loopback or
// link-local host unless the host is in AllowedHosts.
// NOTE: the fake resolves no names, so any host name but localhost passes
// the loopback check.
func (f ImportFilter) allows(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme == "" || u.Hostname() == "" {
		return false
	}
	if !listed(f.AllowedSchemes, f.DisallowedSchemes, u.Scheme) {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if !listed(f.AllowedHosts, f.DisallowedHosts, host) {
		return false
	}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil || !listed(f.AllowedPorts, f.DisallowedPorts, port) {
			return false
		}
	}
	if slices.Contains(f.AllowedHosts, host) {
		return true
	}
	if host == "localhost" || encodedIP(host) {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !(ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast())
}

// encodedIP reports whether host looks like an IPv4 address in a form
// other than four decimal parts, such as 2130706433, 127.1 or 0x7f.1.
// Glance rejects the numeric ones and resolves the others as DNS names,
// which fails.
func encodedIP(host string) bool {
	if net.ParseIP(host) != nil {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" {
			continue
		}
		if strings.Trim(label, "0123456789") != "" && !strings.HasPrefix(label, "0x") {
			return false
		}
		if strings.HasPrefix(label, "0x") && strings.Trim(label[2:], "0123456789abcdef") != "" {
			return false
		}
	}
	return true
}

// listed applies one allow list and its deny list to v.
func listed[T comparable](allowed, denied []T, v T) bool {
	if len(allowed) > 0 {
		return slices.Contains(allowed, v)
	}
	return !slices.Contains(denied, v)
}
