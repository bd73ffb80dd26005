package framework

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gce-api/gce-api/fixtures"
	"github.com/onsi/ginkgo/v2/types"
	compute "google.golang.org/api/compute/v1"
)

func TestPrefixDefaultIsRandom(t *testing.T) {
	t.Setenv("GCE_API_PREFIX", "")
	a, err := Prefix()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Prefix()
	if !regexp.MustCompile(`^cft-[a-z0-9]{6}$`).MatchString(a) {
		t.Errorf("Prefix() = %q, want cft- and six characters from [a-z0-9]", a)
	}
	if a == b {
		t.Errorf("two calls of Prefix() both returned %q", a)
	}
}

func TestPrefixFromEnvironment(t *testing.T) {
	t.Setenv("GCE_API_PREFIX", "ci-run-7")
	if got, err := Prefix(); err != nil || got != "ci-run-7" {
		t.Errorf("Prefix() = %q, %v; want ci-run-7", got, err)
	}
	t.Setenv("GCE_API_PREFIX", "Bad_Prefix")
	if _, err := Prefix(); err == nil {
		t.Error("Prefix() accepted Bad_Prefix")
	}
}

func TestNameUniqueAcrossProcesses(t *testing.T) {
	seen := map[string]bool{}
	for node := 1; node <= 3; node++ {
		env := newEnv(Settings{Prefix: "cft-abc123"}, node, 3)
		for range 4 {
			name := env.Name("vm")
			if seen[name] {
				t.Fatalf("name %q handed out twice", name)
			}
			seen[name] = true
		}
	}
	if env := newEnv(Settings{Prefix: "p"}, 1, 1); env.Name("vm") != "p-vm-1" {
		t.Error("first name of a serial run is not p-vm-1")
	}
}

func TestResolveTarget(t *testing.T) {
	t.Setenv("GCE_API_TARGET", "")
	if got, _ := ResolveTarget(""); got != TargetFake {
		t.Errorf("default target = %q, want fake", got)
	}
	t.Setenv("GCE_API_TARGET", "external")
	if got, _ := ResolveTarget(""); got != TargetExternal {
		t.Errorf("target from GCE_API_TARGET = %q, want external", got)
	}
	if got, _ := ResolveTarget("openstack"); got != TargetOpenStack {
		t.Errorf("flag did not override GCE_API_TARGET: got %q", got)
	}
	if _, err := ResolveTarget("aws"); err == nil {
		t.Error("ResolveTarget accepted an unknown target")
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExternalConfigValid(t *testing.T) {
	token := writeFile(t, "token", "tok-123\n")
	path := writeFile(t, "c.json", fmt.Sprintf(`{"endpoint":"http://127.0.0.1:8787/compute/v1/",
		"project":"demo","zone":"regionone-a","region":"regionone","token_file":%q,
		"image_project":"debian-cloud","image_family":"debian-12","machine_type":"e2-small"}`, token))
	cfg, err := LoadExternalConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := cfg.settings("p")
	if err != nil || s.Token != "tok-123" || s.Target != TargetExternal || s.Seeded {
		t.Errorf("settings = %+v, %v", s, err)
	}
}

func TestExternalConfigReportsEveryProblem(t *testing.T) {
	path := writeFile(t, "c.json", `{"endpoint":"ftp://host/x","zone":"z"}`)
	_, err := LoadExternalConfig(path)
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"endpoint", "project: missing", "region: missing",
		"image_project: missing", "image_family: missing", "machine_type: missing",
		"token, token_file: missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestExternalConfigRejectsUnknownField(t *testing.T) {
	path := writeFile(t, "c.json", `{"endpoint":"http://h/compute/v1/","tokn":"x"}`)
	if _, err := LoadExternalConfig(path); err == nil || !strings.Contains(err.Error(), "tokn") {
		t.Errorf("err = %v, want one naming the unknown field tokn", err)
	}
}

func TestRecorderKeepsLastExchanges(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "echo %s %s", r.URL.Path, body)
	}))
	defer srv.Close()
	rec := &Recorder{Size: 2}
	client := &http.Client{Transport: rec}
	for i := range 3 {
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/r%d", srv.URL, i), strings.NewReader("b"))
		req.Header.Set("Authorization", "Bearer secret-token")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		if string(got) != fmt.Sprintf("echo /r%d b", i) {
			t.Errorf("response body after recording = %q", got)
		}
	}
	dump := rec.Dump()
	if strings.Contains(dump, "/r0") || !strings.Contains(dump, "/r1") || !strings.Contains(dump, "/r2") {
		t.Errorf("dump does not hold exactly the last two exchanges:\n%s", dump)
	}
	if strings.Index(dump, "/r1") > strings.Index(dump, "/r2") {
		t.Errorf("dump is not oldest first:\n%s", dump)
	}
	if strings.Contains(dump, "secret-token") {
		t.Error("dump contains the bearer token")
	}
}

func TestLeakedNames(t *testing.T) {
	inv := map[string][]string{
		"servers": {"cft-a-vm-1", "other"},
		"volumes": {"cft-a-vm-1", "cft-b-vm-1"},
	}
	got := LeakedNames(inv, "cft-a-")
	want := []string{"servers/cft-a-vm-1", "volumes/cft-a-vm-1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("LeakedNames = %v, want %v", got, want)
	}
}

func TestOperationProject(t *testing.T) {
	op := &compute.Operation{Name: "op", SelfLink: "http://h/compute/v1/projects/demo/zones/z/operations/op"}
	if p, err := operationProject(op); err != nil || p != "demo" {
		t.Errorf("operationProject = %q, %v", p, err)
	}
	if _, err := operationProject(&compute.Operation{Name: "op"}); err == nil {
		t.Error("operationProject accepted an operation without selfLink")
	}
}

func TestMatrixFixture(t *testing.T) {
	rows := fixtures.Matrix()
	if len(rows) != 89 {
		t.Fatalf("matrix has %d rows, want 89", len(rows))
	}
	implemented := 0
	for _, r := range rows {
		if r.Implemented() {
			implemented++
		}
		if r.Implemented() != (r.OriginalStatus == "supported") {
			t.Errorf("%s: declared %s, but the original service had it %s",
				r.MethodID, r.Status, r.OriginalStatus)
		}
	}
	if implemented != 59 {
		t.Errorf("%d rows declared implemented, want the original's 59", implemented)
	}
	if _, err := fixtures.ParseMatrix("method_id\thttp_method\n"); err == nil {
		t.Error("ParseMatrix accepted a wrong header")
	}
}

func spec(state types.SpecState, labels ...string) types.SpecReport {
	return types.SpecReport{LeafNodeType: types.NodeTypeIt, State: state, LeafNodeLabels: labels}
}

func TestTallyAndCoverage(t *testing.T) {
	rows := []fixtures.MatrixRow{
		{MethodID: "compute.zones.get", Status: fixtures.Implemented},
		{MethodID: "compute.zones.list", Status: fixtures.Implemented},
		{MethodID: "compute.disks.get", Status: fixtures.NotImplemented},
	}
	report := types.Report{SpecReports: []types.SpecReport{
		spec(types.SpecStatePassed, "compute.zones.get", MatrixLabel),
		spec(types.SpecStatePassed, "compute.zones.get"),
		spec(types.SpecStateFailed, "compute.zones.get"),
		spec(types.SpecStateSkipped, "compute.zones.list", MatrixLabel),
		spec(types.SpecStatePassed, "compute.disks.get", MatrixLabel),
	}}
	res := Tally(report, rows)
	if g := res[0]; g.Run != 3 || g.Passed != 2 || g.Failed != 1 || g.Behaviour != 2 {
		t.Errorf("zones.get tally = %+v", g)
	}
	if l := res[1]; l.Run != 0 || l.Skipped != 1 || l.Behaviour != 0 {
		t.Errorf("zones.list tally = %+v", l)
	}
	warn, err := CheckCoverage(res, CoverageDefault)
	if err == nil || !strings.Contains(err.Error(), "compute.zones.list") {
		t.Errorf("default policy error = %v, want one naming compute.zones.list", err)
	}
	if !strings.Contains(warn, "compute.disks.get") || strings.Contains(warn, "zones.list") {
		t.Errorf("default policy warning = %q, want only compute.disks.get", warn)
	}
	if _, err := CheckCoverage(res, CoverageAllowAll); err != nil {
		t.Errorf("GCE_API_ALLOW_UNCOVERED=1 still failed: %v", err)
	}
	if _, err := CheckCoverage(res, CoverageStrict); err == nil || !strings.Contains(err.Error(), "disks.get") {
		t.Errorf("strict policy error = %v, want one naming compute.disks.get", err)
	}
}

func TestWriteReports(t *testing.T) {
	dir := t.TempDir()
	res := []MethodResult{{MatrixRow: fixtures.MatrixRow{MethodID: "compute.zones.get",
		HTTPMethod: "GET", Path: "projects/{project}/zones/{zone}", Status: "implemented"},
		Run: 2, Passed: 1, Failed: 1}}
	if err := WriteReports(dir, types.Report{SuiteDescription: "x"}, res); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "support-matrix.md"))
	if !strings.Contains(string(md), "| compute.zones.get | GET | `projects/{project}/zones/{zone}` | implemented | 2 | 1 | 1 | 0 |") {
		t.Errorf("markdown row missing:\n%s", md)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "support-matrix.html"))
	if !strings.Contains(string(html), `<tr class="failed"><td>compute.zones.get</td>`) {
		t.Errorf("html row missing:\n%s", html)
	}
	for _, name := range []string{"junit.xml", "report.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}
