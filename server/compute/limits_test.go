package compute

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
)

// wantInvalid fails t unless err is a 400 invalid error whose message
// contains field.
func wantInvalid(t *testing.T, what string, err error, field string) {
	t.Helper()
	var apiErr *gce.Error
	if !errors.As(err, &apiErr) || apiErr.Code != http.StatusBadRequest || apiErr.Reason != gce.ReasonInvalid {
		t.Errorf("%s: error %v, want 400 invalid", what, err)
		return
	}
	if !strings.Contains(apiErr.Message, "'"+field) {
		t.Errorf("%s: message %q does not name field %s", what, apiErr.Message, field)
	}
}

func TestCheckDescription(t *testing.T) {
	if err := checkDescription("resource.description", strings.Repeat("é", 2048)); err != nil {
		t.Errorf("2048 characters: %v", err)
	}
	err := checkDescription("resource.description", strings.Repeat("a", 2049))
	wantInvalid(t, "2049 characters", err, "resource.description")
}

func TestCheckLabels(t *testing.T) {
	many := map[string]string{}
	for i := range 64 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	valid := []map[string]string{nil, {"env": "prod", "a_b-c": ""}, many,
		{"k" + strings.Repeat("x", 62): strings.Repeat("v", 63)}}
	for _, labels := range valid {
		if err := checkLabels(labels); err != nil {
			t.Errorf("labels %v: %v", labels, err)
		}
	}
	many["k64"] = "v"
	invalid := []map[string]string{many, {"k" + strings.Repeat("x", 63): "v"},
		{"k": strings.Repeat("v", 64)}, {"Env": "x"}, {"1env": "x"}, {"env": "Prod"}}
	for _, labels := range invalid {
		wantInvalid(t, fmt.Sprintf("%d labels", len(labels)), checkLabels(labels), "resource.labels")
	}
}

func TestCheckDiskSize(t *testing.T) {
	for _, size := range []int64{1, 10, 65536} {
		if err := checkDiskSize("resource.sizeGb", size); err != nil {
			t.Errorf("size %d: %v", size, err)
		}
	}
	for _, size := range []int64{-1, 0, 65537} {
		wantInvalid(t, fmt.Sprintf("size %d", size), checkDiskSize("resource.sizeGb", size), "resource.sizeGb")
	}
}

func metadataOf(pairs ...string) []*compute.MetadataItems {
	var items []*compute.MetadataItems
	for i := 0; i+1 < len(pairs); i += 2 {
		items = append(items, &compute.MetadataItems{Key: pairs[i], Value: &pairs[i+1]})
	}
	return items
}

func TestCheckMetadata(t *testing.T) {
	quarter := strings.Repeat("x", 256<<10-8)
	valid := [][]*compute.MetadataItems{nil, metadataOf("a", "1", "B_c-9", ""),
		metadataOf("one", quarter, "two", quarter),
		{{Key: "no-value"}}}
	for _, items := range valid {
		if err := checkMetadata("metadata", items); err != nil {
			t.Errorf("%d items: %v", len(items), err)
		}
	}
	cases := map[string]struct {
		items []*compute.MetadataItems
		field string
	}{
		"null item":      {[]*compute.MetadataItems{nil}, "metadata.items[0]"},
		"empty key":      {metadataOf("", "v"), "metadata.items[0].key"},
		"dotted key":     {metadataOf("a", "1", "a.b", "v"), "metadata.items[1].key"},
		"long key":       {metadataOf(strings.Repeat("k", 129), "v"), "metadata.items[0].key"},
		"duplicate key":  {metadataOf("a", "1", "a", "2"), "metadata.items[1].key"},
		"large value":    {metadataOf("a", strings.Repeat("x", 256<<10+1)), "metadata.items[0].value"},
		"large in total": {metadataOf("a", quarter, "b", quarter, "c", "0123456789abcdefghij"), "metadata"},
	}
	for what, c := range cases {
		wantInvalid(t, what, checkMetadata("metadata", c.items), c.field)
	}
}
