package gce

import "testing"

func TestParseRef(t *testing.T) {
	cases := []struct {
		in   string
		want Ref
	}{
		{"e2-small", Ref{Name: "e2-small"}},
		{"zones/z1/machineTypes/e2-small", Ref{Scope: "zones/z1", Collection: "machineTypes", Name: "e2-small"}},
		{"/zones/z1/machineTypes/n1-standard-1", Ref{Scope: "zones/z1", Collection: "machineTypes", Name: "n1-standard-1"}},
		{"global/networks/default", Ref{Scope: "global", Collection: "networks", Name: "default"}},
		{"projects/p/global/networks/n1", Ref{Project: "p", Scope: "global", Collection: "networks", Name: "n1"}},
		{"http://127.0.0.1:8787/compute/v1/projects/p/zones/z/machineTypes/m", Ref{Project: "p", Scope: "zones/z", Collection: "machineTypes", Name: "m"}},
		{"https://www.googleapis.com/compute/v1/projects/p/regions/r/addresses/a", Ref{Project: "p", Scope: "regions/r", Collection: "addresses", Name: "a"}},
		{"https://www.googleapis.com/compute/v1/projects/p/https://compute.googleapis.com/compute/v1/projects/p/global/networks/x", Ref{Project: "p", Scope: "global", Collection: "networks", Name: "x"}},
		{"projects/debian-cloud/global/images/family/debian-12", Ref{Project: "debian-cloud", Scope: "global", Collection: "images", Family: "debian-12"}},
		{"http://h/compute/v1/projects/debian-cloud/zones/-/imageFamilyViews/debian-12", Ref{Project: "debian-cloud", Scope: "zones/-", Collection: "images", Family: "debian-12"}},
		{"zones/z1", Ref{Collection: "zones", Name: "z1"}},
		{"projects/p/zones/z1", Ref{Project: "p", Collection: "zones", Name: "z1"}},
	}
	for _, c := range cases {
		got, ok := ParseRef(c.in)
		if !ok {
			t.Errorf("ParseRef(%q) failed", c.in)
			continue
		}
		if got != c.want {
			t.Errorf("ParseRef(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestParseRefRejects(t *testing.T) {
	for _, in := range []string{"", "http://host/other/path", "projects/", "a/b", "global/images"} {
		if got, ok := ParseRef(in); ok {
			t.Errorf("ParseRef(%q) = %+v, want failure", in, got)
		}
	}
}

func FuzzParseRef(f *testing.F) {
	f.Add("projects/p/zones/z/instances/x")
	f.Add("https://www.googleapis.com/compute/v1/projects/p/global/images/family/f")
	f.Fuzz(func(t *testing.T, s string) {
		ParseRef(s)
	})
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"a", "vm-1", "a23456789012345678901234567890123456789012345678901234567890123"} {
		if err := CheckName("name", ok); err != nil {
			t.Errorf("CheckName(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Bad_Name", "1abc", "abc-", "a234567890123456789012345678901234567890123456789012345678901234"} {
		if err := CheckName("name", bad); err == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
}
