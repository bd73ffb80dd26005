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
	return labelledSkip(realCloudExceptionKind, text, reason, labels...)
}

// fakeOnlySpec returns a skipped spec report that carries reason as a
// fake-only spec, as Env.FakeOnly leaves it.
func fakeOnlySpec(text, reason string, labels ...string) types.SpecReport {
	return labelledSkip(fakeOnlyKind, text, reason, labels...)
}

func labelledSkip(kind exceptionKind, text, reason string, labels ...string) types.SpecReport {
	s := spec(types.SpecStateSkipped, append(labels, kind.Label)...)
	s.LeafNodeText = text
	s.Failure.Message = kind.Entry + ": " + reason
	s.ReportEntries = types.ReportEntries{
		{Name: kind.Entry, Value: types.WrapEntryValue(reason)},
	}
	return s
}

func TestExceptionsOnlySkipped(t *testing.T) {
	failed := exceptionSpec("fails anyway", "no route")
	failed.State = types.SpecStateFailed
	plainSkip := spec(types.SpecStateSkipped)
	report := types.Report{SpecReports: []types.SpecReport{
		exceptionSpec("imports a URL", "cloud cannot reach 127.0.0.1"),
		failed,
		plainSkip,
	}}
	got := Exceptions(report)
	if len(got) != 1 {
		t.Fatalf("Exceptions returned %d reports, want 1: %+v", len(got), got)
	}
	if got[0].Spec != "imports a URL" {
		t.Errorf("spec = %q, want %q", got[0].Spec, "imports a URL")
	}
	if got[0].Reason != "cloud cannot reach 127.0.0.1" {
		t.Errorf("reason = %q, want %q", got[0].Reason, "cloud cannot reach 127.0.0.1")
	}
}

func TestExceptionsKeepKind(t *testing.T) {
	report := types.Report{SpecReports: []types.SpecReport{
		fakeOnlySpec("injects a fault", "needs fault injection"),
		exceptionSpec("imports a URL", "unreachable"),
	}}
	got := Exceptions(report)
	if len(got) != 2 {
		t.Fatalf("Exceptions returned %d reports, want 2: %+v", len(got), got)
	}
	if got[0].Kind != FakeOnlyEntry {
		t.Errorf("kind of %q = %q, want %q", got[0].Spec, got[0].Kind, FakeOnlyEntry)
	}
	if got[1].Kind != RealCloudExceptionEntry {
		t.Errorf("kind of %q = %q, want %q", got[1].Spec, got[1].Kind, RealCloudExceptionEntry)
	}
}

func TestTallyCountsExceptions(t *testing.T) {
	rows := []fixtures.MatrixRow{{MethodID: "compute.images.insert", Status: fixtures.Implemented}}
	report := types.Report{SpecReports: []types.SpecReport{
		spec(types.SpecStatePassed, "compute.images.insert"),
		spec(types.SpecStateSkipped, "compute.images.insert"),
		exceptionSpec("imports a URL", "unreachable", "compute.images.insert"),
		fakeOnlySpec("injects a fault", "needs fault injection", "compute.images.insert"),
	}}
	got := Tally(report, rows)[0]
	if got.Skipped != 3 {
		t.Errorf("Skipped = %d, want 3", got.Skipped)
	}
	if got.Exceptions != 2 {
		t.Errorf("Exceptions = %d, want 2", got.Exceptions)
	}
	if got.Run != 1 {
		t.Errorf("Run = %d, want 1", got.Run)
	}
}

func TestExceptionsMarkdownEscapesCells(t *testing.T) {
	md := ExceptionsMarkdown([]ExceptionReport{
		{Spec: "a | b", Kind: RealCloudExceptionEntry, Reason: "line one\nline two"}})
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
	if !strings.Contains(md, "## Fake-only specs") {
		t.Errorf("markdown lacks the fake-only heading:\n%s", md)
	}
	if strings.Count(md, "None:") != 2 {
		t.Errorf("markdown does not say for both kinds that there were none:\n%s", md)
	}
}

func TestWriteReportsListsExceptions(t *testing.T) {
	dir := t.TempDir()
	report := types.Report{SuiteDescription: "x", SpecReports: []types.SpecReport{
		exceptionSpec("imports a URL", "cloud cannot reach 127.0.0.1", "compute.images.insert"),
		fakeOnlySpec("fails a build", "needs fault injection", "compute.images.insert"),
	}}
	rows := []fixtures.MatrixRow{{MethodID: "compute.images.insert", HTTPMethod: "POST",
		Path: "projects/{project}/global/images", Status: fixtures.Implemented}}
	if err := WriteReports(dir, report, Tally(report, rows)); err != nil {
		t.Fatal(err)
	}
	md := readReport(t, dir, "support-matrix.md")
	if !strings.Contains(md, "| implemented | 0 | 0 | 0 | 2 | 2 |") {
		t.Errorf("markdown row lacks the exception count:\n%s", md)
	}
	for _, row := range []string{"## Real-cloud exceptions\n\n| spec | reason |\n|---|---|\n" +
		"| imports a URL | cloud cannot reach 127.0.0.1 |",
		"## Fake-only specs\n\n| spec | reason |\n|---|---|\n| fails a build | needs fault injection |"} {
		if !strings.Contains(md, row) {
			t.Errorf("markdown lacks the section %q:\n%s", row, md)
		}
	}
	html := readReport(t, dir, "support-matrix.html")
	for _, row := range []string{
		"<h2>Real-cloud exceptions</h2>\n<table>\n<tr><th>spec</th><th>reason</th></tr>\n" +
			"<tr><td>imports a URL</td><td>cloud cannot reach 127.0.0.1</td></tr>",
		"<h2>Fake-only specs</h2>\n<table>\n<tr><th>spec</th><th>reason</th></tr>\n" +
			"<tr><td>fails a build</td><td>needs fault injection</td></tr>",
	} {
		if !strings.Contains(html, row) {
			t.Errorf("html lacks the section %q:\n%s", row, html)
		}
	}
	junit := readReport(t, dir, "junit.xml")
	for _, message := range []string{"real-cloud exception: cloud cannot reach 127.0.0.1",
		"fake-only: needs fault injection"} {
		if !strings.Contains(junit, message) {
			t.Errorf("junit.xml lacks the skip message %q:\n%s", message, junit)
		}
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
