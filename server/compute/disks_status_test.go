package compute

import "testing"

func TestDiskStatus(t *testing.T) {
	cases := map[string]string{
		"creating": "CREATING", "downloading": "CREATING",
		"available": "READY", "in-use": "READY", "attaching": "READY", "detaching": "READY",
		"reserved": "READY", "uploading": "READY",
		"deleting": "DELETING",
		"error":    "FAILED", "error_deleting": "FAILED", "error_extending": "FAILED",
	}
	for cinder, want := range cases {
		if got := diskStatus(cinder); got != want {
			t.Errorf("diskStatus(%q) = %s, want %s", cinder, got, want)
		}
	}
}

func TestSnapshotStatus(t *testing.T) {
	cases := map[string]string{
		"creating": "CREATING", "available": "READY", "deleting": "DELETING",
		"error": "FAILED", "error_deleting": "FAILED",
	}
	for cinder, want := range cases {
		if got := snapshotStatus(cinder); got != want {
			t.Errorf("snapshotStatus(%q) = %s, want %s", cinder, got, want)
		}
	}
}

func TestPlanDiskType(t *testing.T) {
	r := &Request{Vars: map[string]string{"project": "p"}}
	valid := map[string]string{
		"":                               "pd-standard",
		"pd-ssd":                         "pd-ssd",
		"zones/z1/diskTypes/pd-balanced": "pd-balanced",
		"https://www.googleapis.com/compute/v1/projects/p/zones/z1/diskTypes/pd-standard": "pd-standard",
	}
	for text, want := range valid {
		got, err := planDiskType(r, "z1", text)
		if err != nil || got != want {
			t.Errorf("planDiskType(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
	for _, text := range []string{"pd-extreme", "zones/z2/diskTypes/pd-ssd", "zones/z1/machineTypes/pd-ssd",
		"projects/other/zones/z1/diskTypes/pd-ssd", "global/diskTypes/pd-ssd"} {
		if _, err := planDiskType(r, "z1", text); err == nil {
			t.Errorf("planDiskType(%q) returned no error", text)
		}
	}
}
