package framework

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gce-api/gce-api/fixtures"
	"github.com/onsi/ginkgo/v2/types"
)

// exceptionSpec returns a skipped spec report that carries reason as a
// real-cloud exception, as Env.RealCloudException leaves it.
func exceptionSpec(text, reason string, labels ...string) types.SpecReport {
	s := spec(types.SpecStateSkipped, append(labels, RealCloudExceptionLabel)...)
	s.LeafNodeText = text
	s.Failure.Message = "real-cloud exception: " + reason
	s.ReportEntries = types.ReportEntries{
		{Name: RealCloudExceptionEntry, Value: types.WrapEntryValue(reason)},
	}
	return s
}

func TestRealCloudExceptionsOnlySkipped(t *testing.T) {
	failed := exceptionSpec("fails anyway", "no route")
	failed.State = types.SpecStateFailed
	plainSkip := spec(types.SpecStateSkipped)
	report := types.Report{SpecReports: []types.SpecReport{
		exceptionSpec("imports a URL", "cloud cannot reach 127.0.0.1"),
		failed,
		plainSkip,
	}}
	got := RealCloudExceptions(report)
	if len(got) != 1 {
		t.Fatalf("RealCloudExceptions returned %d reports, want 1: %+v", len(got), got)
	}
	if got[0].Spec != "imports a URL" {
		t.Errorf("spec = %q, want %q", got[0].Spec, "imports a URL")
	}
	if got[0].Reason != "cloud cannot reach 127.0.0.1" {
		t.Errorf("reason = %q, want %q", got[0].Reason, "cloud cannot reach 127.0.0.1")
	}
}

func TestTallyCountsExceptions(t *testing.T) {
	rows := []fixtures.MatrixRow{{MethodID: "compute.images.insert", Status: fixtures.Implemented}}
	report := types.Report{SpecReports: []types.SpecReport{
		spec(types.SpecStatePassed, "compute.images.insert"),
		spec(types.SpecStateSkipped, "compute.images.insert"),
		exceptionSpec("imports a URL", "unreachable", "compute.images.insert"),
	}}
	got := Tally(report, rows)[0]
	if got.Skipped != 2 {
		t.Errorf("Skipped = %d, want 2", got.Skipped)
	}
	if got.Exceptions != 1 {
		t.Errorf("Exceptions = %d, want 1", got.Exceptions)
	}
	if got.Run != 1 {
		t.Errorf("Run = %d, want 1", got.Run)
	}
}

func TestExceptionsMarkdownEscapesCells(t *testing.T) {
	md := ExceptionsMarkdown([]RealCloudExceptionReport{{Spec: "a | b", Reason: "line one\nline two"}})
	want := "| a \\| b | line one line two |\n"
	if !strings.Contains(md, want) {
		t.Errorf("markdown lacks row %q:\n%s", want, md)
	}
}

func TestExceptionsMarkdownWithoutExceptions(t *testing.T) {
	md := ExceptionsMarkdown(nil)
	if !strings.Contains(md, "## Real-cloud exceptions") {
		t.Errorf("markdown lacks the section heading:\n%s", md)
	}
	if !strings.Contains(md, "None:") {
		t.Errorf("markdown does not say that there were none:\n%s", md)
	}
}

func TestWriteReportsListsExceptions(t *testing.T) {
	dir := t.TempDir()
	report := types.Report{SuiteDescription: "x", SpecReports: []types.SpecReport{
		exceptionSpec("imports a URL", "cloud cannot reach 127.0.0.1", "compute.images.insert"),
	}}
	rows := []fixtures.MatrixRow{{MethodID: "compute.images.insert", HTTPMethod: "POST",
		Path: "projects/{project}/global/images", Status: fixtures.Implemented}}
	if err := WriteReports(dir, report, Tally(report, rows)); err != nil {
		t.Fatal(err)
	}
	md := readReport(t, dir, "support-matrix.md")
	if !strings.Contains(md, "| implemented | 0 | 0 | 0 | 1 | 1 |") {
		t.Errorf("markdown row lacks the exception count:\n%s", md)
	}
	if !strings.Contains(md, "| imports a URL | cloud cannot reach 127.0.0.1 |") {
		t.Errorf("markdown lacks the exception row:\n%s", md)
	}
	html := readReport(t, dir, "support-matrix.html")
	if !strings.Contains(html, "<tr><td>imports a URL</td><td>cloud cannot reach 127.0.0.1</td></tr>") {
		t.Errorf("html lacks the exception row:\n%s", html)
	}
	junit := readReport(t, dir, "junit.xml")
	if !strings.Contains(junit, "real-cloud exception: cloud cannot reach 127.0.0.1") {
		t.Errorf("junit.xml lacks the skip message:\n%s", junit)
	}
}

func readReport(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
