package compute

import (
	"strings"
	"testing"

	compute "google.golang.org/api/compute/v1"
)

func TestDecodeBodyLenient(t *testing.T) {
	cases := map[string]string{
		"number":        `{"name":"d","sizeGb":10}`,
		"string":        `{"name":"d","sizeGb":"10"}`,
		"null fields":   `{"name":"d","sizeGb":"10","description":null}`,
		"kind included": `{"kind":"compute#disk","name":"d","sizeGb":10}`,
	}
	for name, body := range cases {
		var d compute.Disk
		if err := decodeBody([]byte(body), &d); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d.Name != "d" || d.SizeGb != 10 {
			t.Errorf("%s: got %+v", name, d)
		}
	}
}

func TestDecodeBodyEmptyForms(t *testing.T) {
	for _, body := range []string{"", "  ", "null", `"ignored"`} {
		var d compute.Disk
		if err := decodeBody([]byte(body), &d); err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
}

func TestDecodeBodyNested(t *testing.T) {
	body := `{"name":"vm","disks":[{"boot":"true","initializeParams":{"diskSizeGb":20}}],"firewall":null}`
	var inst compute.Instance
	if err := decodeBody([]byte(body), &inst); err != nil {
		t.Fatal(err)
	}
	if !inst.Disks[0].Boot || inst.Disks[0].InitializeParams.DiskSizeGb != 20 {
		t.Fatalf("got %+v", inst.Disks[0])
	}
}

func TestDecodeBodyRejectsUnknownField(t *testing.T) {
	var d compute.Disk
	err := decodeBody([]byte(`{"name":"d","sizeGb":"10","bogusField":1}`), &d)
	if err == nil || !strings.Contains(err.Error(), `Unknown name "bogusField"`) {
		t.Fatalf("unknown field: err = %v, want Unknown name \"bogusField\"", err)
	}
	err = decodeBody([]byte(`{"name":"d","disks":[{"bogus":{}}]}`), &compute.Instance{})
	if err == nil || !strings.Contains(err.Error(), `Unknown name "bogus"`) {
		t.Fatalf("unknown nested field: err = %v, want Unknown name \"bogus\"", err)
	}
}

func TestDecodeBodyRejectsNonObject(t *testing.T) {
	for _, body := range []string{"[1]", "12", "{", "<html>"} {
		var d compute.Disk
		if err := decodeBody([]byte(body), &d); err == nil {
			t.Errorf("%q accepted", body)
		}
	}
}

func FuzzDecodeBody(f *testing.F) {
	f.Add(`{"name":"vm","disks":[{"initializeParams":{"diskSizeGb":"10"}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var inst compute.Instance
		decodeBody([]byte(body), &inst)
	})
}

func TestDecodeBodyRejectsNullListElements(t *testing.T) {
	for _, body := range []string{
		`{"name":"vm","networkInterfaces":[null]}`,
		`{"name":"vm","disks":[{"boot":true},null]}`,
		`{"name":"vm","metadata":{"items":[null]}}`,
	} {
		var inst compute.Instance
		if err := decodeBody([]byte(body), &inst); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
}

func TestDecodeBodyMessagesNameTheField(t *testing.T) {
	var d compute.Disk
	err := decodeBody([]byte(`{"name":"d","sizeGb":"ten"}`), &d)
	if err == nil {
		t.Fatal("a non-numeric sizeGb was accepted")
	}
	if strings.Contains(err.Error(), "struct") || strings.Contains(err.Error(), "Go ") {
		t.Errorf("message shows Go internals: %v", err)
	}
	err = decodeBody([]byte(`{"name": [1]}`), &d)
	if err == nil || !strings.Contains(err.Error(), "resource.name") {
		t.Errorf("a list as name gave %v, want a message naming resource.name", err)
	}
}
