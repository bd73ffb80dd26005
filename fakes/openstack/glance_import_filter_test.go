package openstack

import "testing"

func TestImportFilterDefaultsMatchGlance(t *testing.T) {
	for uri, want := range map[string]bool{
		"https://images.example.com/disk.raw":     true,
		"http://images.example.com:80/disk.raw":   true,
		"http://images.example.com:8080/disk.raw": false,
		"ftp://images.example.com/disk.raw":       false,
		"http://127.0.0.1/disk.raw":               false,
		"http://localhost/disk.raw":               false,
		"http://[::1]/disk.raw":                   false,
		"http://169.254.169.254/latest":           false,
		"http://10.0.0.5/disk.raw":                true,
		"http://2130706433/disk.raw":              false,
		"http://127.1/disk.raw":                   false,
		"http://0x7f.1/disk.raw":                  false,
		"http://0x7f000001/disk.raw":              false,
		"http://cafe.example.com/disk.raw":        true,
		"http:///disk.raw":                        false,
		"not a uri":                               false,
	} {
		if got := DefaultImportFilter().allows(uri); got != want {
			t.Errorf("default filter allows %q = %v, want %v", uri, got, want)
		}
	}
}

func TestImportFilterAllowedHostsLiftTheLoopbackBlock(t *testing.T) {
	f := ImportFilter{AllowedHosts: []string{"127.0.0.1"}}
	if !f.allows("http://127.0.0.1:41234/disk.raw") {
		t.Error("allowed loopback host on any port is refused")
	}
	if f.allows("http://images.example.com/disk.raw") {
		t.Error("host outside the allow list is allowed")
	}
	f = ImportFilter{DisallowedHosts: []string{"images.example.com"}, AllowedPorts: []int{443}}
	if f.allows("https://images.example.com/disk.raw") {
		t.Error("disallowed host is allowed")
	}
	if f.allows("http://other.example.com:80/disk.raw") {
		t.Error("port outside the allow list is allowed")
	}
}
