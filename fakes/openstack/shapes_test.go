package openstack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// recorded loads a response recorded from a real Zed service.
func recorded(t *testing.T, name string) (int, any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "recorded", name+".json"))
	if err != nil {
		t.Fatalf("read recording: %v", err)
	}
	var r struct {
		Status int `json:"status"`
		Body   any `json:"body"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("parse recording %s: %v", name, err)
	}
	return r.Status, r.Body
}

// dataKeyed are maps whose keys are data (network names, metadata keys),
// so only their type is compared.
var dataKeyed = map[string]bool{"addresses": true, "metadata": true}

// nullableKeys may be null in the fake where the recording has a value,
// because the recorded resource had that attribute set.
var nullableKeys = map[string]bool{"description": true, "key_name": true}

// shapeDiff lists the keys of want that got lacks or holds with another
// JSON type. A null in want matches any type; lists compare first items.
func shapeDiff(path string, want, got any) []string {
	key := path[strings.LastIndex(path, ".")+1:]
	if want == nil || (got == nil && nullableKeys[key]) {
		return nil
	}
	if _, isMap := want.(map[string]any); isMap && dataKeyed[key] {
		if _, ok := got.(map[string]any); ok {
			return nil
		}
	}
	if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
		return []string{fmt.Sprintf("%s: type %T, want %T", path, got, want)}
	}
	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for k, wv := range w {
			gv, found := g[k]
			if !found {
				diffs = append(diffs, path+"."+k+": missing")
				continue
			}
			diffs = append(diffs, shapeDiff(path+"."+k, wv, gv)...)
		}
	case []any:
		g := got.([]any)
		if len(w) > 0 && len(g) > 0 {
			diffs = append(diffs, shapeDiff(path+"[0]", w[0], g[0])...)
		}
	}
	sort.Strings(diffs)
	return diffs
}

// fetch sends a request with headers and decodes the JSON response.
func (e *env) fetch(t *testing.T, method, path string, body any, headers map[string]string) (int, any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out any
	data, _ := io.ReadAll(resp.Body)
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", method, path, data)
		}
	}
	return resp.StatusCode, out
}

func TestErrorShapesMatchRecordings(t *testing.T) {
	e := startEnv(t)
	token := e.provider.Token()
	bogus := map[string]string{"X-Auth-Token": "gAAAAAbogus"}
	authed := map[string]string{"X-Auth-Token": token}
	pid := e.srv.Cloud.projectByName("demo").ID
	missing := "73dacdd0-0a9c-43fe-9b94-4308a0aae5e0"
	cases := []struct {
		name, method, path string
		headers            map[string]string
	}{
		{"keystone-401", "GET", "/identity/v3/regions", nil},
		{"keystone-404", "GET", "/identity/v3/auth/tokens", map[string]string{"X-Auth-Token": token, "X-Subject-Token": "nope"}},
		{"nova-401", "GET", "/compute/v2.1/servers", bogus},
		{"nova-404", "GET", "/compute/v2.1/servers/" + missing, authed},
		{"neutron-401", "GET", "/networking/v2.0/networks", bogus},
		{"neutron-404", "GET", "/networking/v2.0/networks/" + missing, authed},
		{"cinder-401", "GET", "/volume/v3/" + pid + "/volumes", bogus},
		{"cinder-404", "GET", "/volume/v3/" + pid + "/volumes/" + missing, authed},
		{"glance-401", "GET", "/image/v2/images", bogus},
		{"glance-404", "GET", "/image/v2/images/" + missing, authed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantStatus, want := recorded(t, c.name)
			status, got := e.fetch(t, c.method, c.path, nil, c.headers)
			if status != wantStatus {
				t.Errorf("status = %d, want %d", status, wantStatus)
			}
			for _, d := range shapeDiff("body", want, got) {
				t.Error(d)
			}
		})
	}
}

func TestResourceShapesMatchRecordings(t *testing.T) {
	e := startEnv(t)
	token := map[string]string{"X-Auth-Token": e.provider.Token()}
	s := e.bootFromVolume(t, "shape")
	e.clock.Advance(5 * time.Second)
	srv := e.serverStatus(t, s.ID)
	volID := srv.AttachedVolumes[0].ID
	pid := e.srv.Cloud.projectByName("demo").ID
	cases := []struct {
		name, path string
		headers    map[string]string
	}{
		{"nova-server-2.93", "/compute/v2.1/servers/" + s.ID, map[string]string{"OpenStack-API-Version": "compute 2.93"}},
		{"cinder-volume-3.70", "/volume/v3/" + pid + "/volumes/" + volID, map[string]string{"OpenStack-API-Version": "volume 3.70"}},
		{"neutron-network", "/networking/v2.0/networks/" + e.findNetwork(t, "default").ID, nil},
		{"glance-image", "/image/v2/images/" + e.imageID(t, "debian-11-bullseye-v20240110"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headers := map[string]string{}
			for k, v := range token {
				headers[k] = v
			}
			for k, v := range c.headers {
				headers[k] = v
			}
			_, want := recorded(t, c.name)
			status, got := e.fetch(t, "GET", c.path, nil, headers)
			if status != http.StatusOK {
				t.Fatalf("status = %d, want 200", status)
			}
			for _, d := range shapeDiff("body", want, got) {
				t.Error(d)
			}
		})
	}
}

func TestTokenShapeMatchesRecording(t *testing.T) {
	e := startEnv(t)
	_, want := recorded(t, "keystone-token")
	body := map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{
			"user": map[string]any{"name": "demo", "domain": map[string]any{"name": "Default"}, "password": "demo"}}},
		"scope": map[string]any{"project": map[string]any{"name": "demo", "domain": map[string]any{"name": "Default"}}},
	}}
	status, got := e.fetch(t, "POST", "/identity/v3/auth/tokens", body, nil)
	if status != http.StatusCreated {
		t.Fatalf("status = %d, want 201", status)
	}
	for _, d := range shapeDiff("body", want, got) {
		t.Error(d)
	}
}

// FuzzRequestBodies sends arbitrary bodies to every create and update
// route: the fake must never panic or return 5xx.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{`{}`, `null`, `[]`, `{"server":{"name":1}}`, `{"network":{"name":null}}`,
		`{"volume":{"size":"x"}}`, `{"floatingip":{"port_id":""}}`, `{"auth":{"identity":{"methods":["password"]}}}`,
		`{"security_group_rule":{"direction":"ingress"}}`, `[{"op":"remove","path":"/x"}]`, `{"reboot":{}}`, `{`} {
		f.Add(seed)
	}
	cloud, err := New(Options{Clock: NewManualClock(time.Unix(0, 0))})
	if err != nil {
		f.Fatal(err)
	}
	rec := newRecorderClient(cloud)
	token := rec.login(f)
	pid := cloud.projectByName("demo").ID
	paths := fuzzTargets(cloud, pid)
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range paths {
			status := rec.send(p[0], p[1], body, token, p[2])
			if status >= 500 {
				t.Errorf("%s %s with %q: status %d", p[0], p[1], body, status)
			}
		}
	})
}

func fuzzTargets(c *Cloud, pid string) [][3]string {
	net := seedUUID("network", "demo/default")
	return [][3]string{
		{"POST", "/identity/v3/auth/tokens", ""},
		{"POST", "/compute/v2.1/servers", ""},
		{"POST", "/compute/v2.1/os-keypairs", ""},
		{"POST", "/networking/v2.0/networks", ""},
		{"PUT", "/networking/v2.0/networks/" + net, ""},
		{"POST", "/networking/v2.0/subnets", ""},
		{"POST", "/networking/v2.0/ports", ""},
		{"POST", "/networking/v2.0/routers", ""},
		{"POST", "/networking/v2.0/floatingips", ""},
		{"POST", "/networking/v2.0/security-groups", ""},
		{"POST", "/networking/v2.0/security-group-rules", ""},
		{"POST", "/volume/v3/" + pid + "/volumes", ""},
		{"POST", "/volume/v3/" + pid + "/snapshots", ""},
		{"POST", "/image/v2/images", ""},
		{"PATCH", "/image/v2/images/" + seedUUID("image", "debian-11-bullseye-v20240110"), "application/openstack-images-v2.1-json-patch"},
	}
}

// recorderClient calls a Cloud in process through httptest recorders.
type recorderClient struct{ c *Cloud }

func newRecorderClient(c *Cloud) *recorderClient { return &recorderClient{c: c} }

func (r *recorderClient) send(method, path, body, token, contentType string) int {
	req, _ := http.NewRequest(method, "http://127.0.0.1"+path, strings.NewReader(body))
	if contentType == "" {
		contentType = "application/json"
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Auth-Token", token)
	w := &statusWriter{header: http.Header{}}
	r.c.ServeHTTP(w, req)
	return w.status
}

func (r *recorderClient) login(f *testing.F) string {
	body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"demo","domain":{"name":"Default"},"password":"demo"}}}}}`
	req, _ := http.NewRequest("POST", "http://127.0.0.1/identity/v3/auth/tokens", strings.NewReader(body))
	w := &statusWriter{header: http.Header{}}
	r.c.ServeHTTP(w, req)
	if w.status != http.StatusCreated {
		f.Fatalf("login: status %d", w.status)
	}
	return w.header.Get("X-Subject-Token")
}

// statusWriter is a ResponseWriter that keeps the status and headers.
type statusWriter struct {
	header http.Header
	status int
}

func (w *statusWriter) Header() http.Header { return w.header }
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return len(b), nil
}
func (w *statusWriter) WriteHeader(s int) { w.status = s }
