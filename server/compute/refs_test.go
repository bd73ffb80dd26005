package compute

import (
	"strings"
	"testing"

	"github.com/gce-api/gce-api/server/gce"
)

func TestRefInScope(t *testing.T) {
	r := &Request{Vars: map[string]string{"project": "p"}, Links: gce.Links{Base: "http://h"}}
	valid := map[string]string{
		"d1":                           "d1",
		"zones/z1/disks/d2":            "d2",
		"projects/p/zones/z1/disks/d3": "d3",
		"http://h/compute/v1/projects/p/zones/z1/disks/d4": "d4",
	}
	for text, want := range valid {
		ref, err := refInScope(r, "resource.source", text, "disks", "zones/z1")
		if err != nil || ref.Name != want {
			t.Errorf("refInScope(%q) = %+v, %v; want name %s", text, ref, err, want)
		}
	}
	invalid := map[string]string{
		"projects/other/zones/z1/disks/d":                                       "Only resources of project 'p'",
		"https://www.googleapis.com/compute/v1/projects/other/zones/z1/disks/d": "Only resources of project 'p'",
		"zones/z2/disks/d":                  "must be in zone 'z1'",
		"global/disks/d":                    "disk must be in zone 'z1'",
		"zones/z1/snapshots/d":              "malformed",
		"projects/p/global/images/family/f": "malformed",
	}
	for text, want := range invalid {
		_, err := refInScope(r, "resource.source", text, "disks", "zones/z1")
		wantInvalid(t, text, err, "resource.source")
		if err != nil && !strings.Contains(err.Error(), want) {
			t.Errorf("refInScope(%q): message %q does not contain %q", text, err, want)
		}
	}
	_, err := refInScope(r, "resource.network", "zones/z1/networks/n", "networks", "global")
	if err == nil || !strings.Contains(err.Error(), "The network must be global.") {
		t.Errorf("a zonal network reference gave %v, want a message that networks are global", err)
	}
}
