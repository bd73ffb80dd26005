package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	compute "google.golang.org/api/compute/v1"
)

func instanceListBody(t *testing.T) []byte {
	t.Helper()
	list := compute.InstanceList{
		Kind:          "compute#instanceList",
		Items:         instances(),
		NextPageToken: "tok",
		SelfLink:      base + "zones/regionone-a/instances",
	}
	for _, vm := range list.Items {
		vm.Disks = []*compute.AttachedDisk{{Source: base + "zones/regionone-a/disks/" + vm.Name, Boot: true}}
	}
	body, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestApplyFields(t *testing.T) {
	cases := map[string]string{
		"items(name,status),nextPageToken": `{"items":[{"name":"web-1","status":"RUNNING"},` +
			`{"name":"db-1","status":"TERMINATED"}],"nextPageToken":"tok"}`,
		"items/name": `{"items":[{"name":"web-1"},{"name":"db-1"}]}`,
		"items(name,disks/source)": `{"items":[` +
			`{"disks":[{"source":"` + base + `zones/regionone-a/disks/web-1"}],"name":"web-1"},` +
			`{"disks":[{"source":"` + base + `zones/regionone-a/disks/db-1"}],"name":"db-1"}]}`,
		"kind":                        `{"kind":"compute#instanceList"}`,
		"kind,missing":                `{"kind":"compute#instanceList"}`,
		"items/labels/env":            `{"items":[{"labels":{"env":"prod"}},{"labels":{}}]}`,
		"items(name/first)":           `{"items":[{},{}]}`,
		"items(name),items(status)":   `{"items":[{"name":"web-1","status":"RUNNING"},{"name":"db-1","status":"TERMINATED"}]}`,
		"items/tags,items/tags/items": `{"items":[{"tags":{"items":["web","http"]}},{"tags":{"items":["db"]}}]}`,
		" items( name ) , kind ":      `{"items":[{"name":"web-1"},{"name":"db-1"}],"kind":"compute#instanceList"}`,
		"items/networkInterfaces/*/x": `{"items":[{"networkInterfaces":[{}]},{"networkInterfaces":[{},{}]}]}`,
	}
	body := instanceListBody(t)
	for mask, want := range cases {
		t.Run(mask, func(t *testing.T) {
			got, err := ApplyFields(body, mask)
			if err != nil {
				t.Fatalf("ApplyFields(%q): %v", mask, err)
			}
			if string(got) != want {
				t.Errorf("ApplyFields(%q) =\n%s\nwant\n%s", mask, got, want)
			}
		})
	}
}

func TestApplyFieldsWildcard(t *testing.T) {
	body := []byte(`{"a":{"x":1,"y":{"z":2,"w":3}},"b":{"y":{"z":4}},"c":5}`)
	cases := map[string]string{
		"*":         `{"a":{"x":1,"y":{"z":2,"w":3}},"b":{"y":{"z":4}},"c":5}`,
		"*/y/z":     `{"a":{"y":{"z":2}},"b":{"y":{"z":4}}}`,
		"a/x,*/y/z": `{"a":{"x":1,"y":{"z":2}},"b":{"y":{"z":4}}}`,
	}
	for mask, want := range cases {
		got, err := ApplyFields(body, mask)
		if err != nil {
			t.Fatalf("ApplyFields(%q): %v", mask, err)
		}
		if string(got) != want {
			t.Errorf("ApplyFields(%q) = %s, want %s", mask, got, want)
		}
	}
}

func TestApplyFieldsKeepsKeyOrder(t *testing.T) {
	body := []byte(`{"zeta":1,"alpha":2,"mid":{"b":1,"a":2}}`)
	got, err := ApplyFields(body, "zeta,mid(b,a),alpha")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"zeta":1,"alpha":2,"mid":{"b":1,"a":2}}`; string(got) != want {
		t.Errorf("ApplyFields = %s, want %s", got, want)
	}
}

func TestApplyFieldsEmptyMask(t *testing.T) {
	body := instanceListBody(t)
	for _, mask := range []string{"", "  "} {
		got, err := ApplyFields(body, mask)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(body) {
			t.Errorf("ApplyFields(%q) changed the body", mask)
		}
	}
}

func TestApplyFieldsInvalidMask(t *testing.T) {
	cases := map[string]string{
		"items(name":   "missing ')'",
		"items(name))": "unexpected ')'",
		"items()":      "missing field name",
		"a,,b":         "missing field name",
		"a/":           "missing field name",
		"/a":           "missing field name",
		"a b":          "unexpected 'b'",
		"a.b":          "unexpected '.'",
		"a(b)c":        "unexpected 'c'",
		"(a)":          "missing field name",
		strings.Repeat("a(", 40) + strings.Repeat(")", 40): "nested",
	}
	body := instanceListBody(t)
	for mask, want := range cases {
		t.Run(mask, func(t *testing.T) {
			_, err := ApplyFields(body, mask)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if qe.Field != "fields" {
				t.Errorf("Field = %q, want fields", qe.Field)
			}
			if !strings.Contains(qe.Message, want) {
				t.Errorf("Message = %q, want it to contain %q", qe.Message, want)
			}
		})
	}
}

func TestApplyFieldsBodyNotJSON(t *testing.T) {
	_, err := ApplyFields([]byte(`"text"`), "name")
	if err == nil {
		t.Fatal("ApplyFields on a JSON string succeeded, want an error")
	}
	var qe *Error
	if errors.As(err, &qe) {
		t.Errorf("error %v is *Error, want an internal error", err)
	}
}
