package framework

import (
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// ResultsDir returns GCE_API_RESULTS, or "results" (conformance/results/,
// because Ginkgo runs the suite in its package directory).
func ResultsDir() string {
	if dir := os.Getenv("GCE_API_RESULTS"); dir != "" {
		return dir
	}
	return "results"
}

// CoveragePolicy reads GCE_API_ALLOW_UNCOVERED: unset, "1" or "0".
func CoveragePolicy() (string, error) {
	policy := os.Getenv("GCE_API_ALLOW_UNCOVERED")
	switch policy {
	case CoverageDefault, CoverageAllowAll, CoverageStrict:
		return policy, nil
	}
	return "", fmt.Errorf("GCE_API_ALLOW_UNCOVERED=%q: want 1 (warn only), "+
		"0 (every method needs a behaviour spec) or unset", policy)
}

// WriteReports writes junit.xml, report.json, support-matrix.md and
// support-matrix.html into dir. The support-matrix files end with the
// real-cloud exceptions and the fake-only specs that report skipped.
func WriteReports(dir string, report types.Report, results []MethodResult) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	exceptions := Exceptions(report)
	markdown := MatrixMarkdown(results) + ExceptionsMarkdown(exceptions)
	page := matrixPage{Results: results, Sections: exceptionSections(exceptions)}
	return errors.Join(
		reporters.GenerateJUnitReport(report, filepath.Join(dir, "junit.xml")),
		reporters.GenerateJSONReport(report, filepath.Join(dir, "report.json")),
		os.WriteFile(filepath.Join(dir, "support-matrix.md"), []byte(markdown), 0o644),
		writeMatrixHTML(filepath.Join(dir, "support-matrix.html"), page),
	)
}

// MatrixMarkdown renders the support-matrix report as a Markdown table.
// The exceptions column counts the skipped specs that were real-cloud
// exceptions or fake-only specs.
func MatrixMarkdown(results []MethodResult) string {
	var b strings.Builder
	b.WriteString("# Support matrix\n\n")
	b.WriteString("| method id | HTTP | path under /compute/v1/ | declared | run | passed | failed | skipped | exceptions |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %d | %d | %d | %d | %d |\n", r.MethodID,
			r.HTTPMethod, r.Path, r.Status, r.Run, r.Passed, r.Failed, r.Skipped, r.Exceptions)
	}
	return b.String()
}

// ExceptionsMarkdown renders the real-cloud exceptions and the fake-only
// specs of a run as one Markdown section per kind, with one row per spec
// and its reason.
func ExceptionsMarkdown(exceptions []ExceptionReport) string {
	var b strings.Builder
	for _, section := range exceptionSections(exceptions) {
		fmt.Fprintf(&b, "\n## %s\n\n", section.Title)
		if len(section.Exceptions) == 0 {
			b.WriteString(section.None + "\n")
			continue
		}
		b.WriteString("| spec | reason |\n|---|---|\n")
		for _, e := range section.Exceptions {
			fmt.Fprintf(&b, "| %s | %s |\n", markdownCell(e.Spec), markdownCell(e.Reason))
		}
	}
	return b.String()
}

// exceptionSection is the reports' list of the skipped specs of one kind.
type exceptionSection struct {
	Title      string
	None       string // the line shown when the list is empty
	Exceptions []ExceptionReport
}

// exceptionSections sorts exceptions into one section per kind, in the
// order of exceptionKinds.
func exceptionSections(exceptions []ExceptionReport) []exceptionSection {
	var sections []exceptionSection
	for _, kind := range exceptionKinds {
		section := exceptionSection{Title: kind.Title,
			None: "None: no spec of this run was skipped as " + kind.Noun + "."}
		for _, e := range exceptions {
			if e.Kind == kind.Entry {
				section.Exceptions = append(section.Exceptions, e)
			}
		}
		sections = append(sections, section)
	}
	return sections
}

// markdownCell escapes the characters that would end a Markdown table cell.
func markdownCell(text string) string {
	text = strings.ReplaceAll(text, "|", "\\|")
	return strings.ReplaceAll(text, "\n", " ")
}

// matrixPage is the data of the support-matrix HTML page.
type matrixPage struct {
	Results  []MethodResult
	Sections []exceptionSection
}

var matrixHTML = template.Must(template.New("matrix").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Support matrix</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; }
td.n { text-align: right; }
tr.failed td { background: #fdd; }
tr.passed td { background: #dfd; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<h1>Support matrix</h1>
<table>
<tr><th>method id</th><th>HTTP</th><th>path under /compute/v1/</th><th>declared</th><th>run</th><th>passed</th><th>failed</th><th>skipped</th><th>exceptions</th></tr>
{{range .Results}}<tr class="{{if .Failed}}failed{{else if .Passed}}passed{{end}}"><td>{{.MethodID}}</td><td>{{.HTTPMethod}}</td><td><code>{{.Path}}</code></td><td>{{.Status}}</td><td class="n">{{.Run}}</td><td class="n">{{.Passed}}</td><td class="n">{{.Failed}}</td><td class="n">{{.Skipped}}</td><td class="n">{{.Exceptions}}</td></tr>
{{end}}</table>
{{range .Sections}}<h2>{{.Title}}</h2>
{{if .Exceptions}}<table>
<tr><th>spec</th><th>reason</th></tr>
{{range .Exceptions}}<tr><td>{{.Spec}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
{{else}}<p>{{.None}}</p>
{{end}}{{end}}</body>
</html>
`))

func writeMatrixHTML(path string, page matrixPage) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(matrixHTML.Execute(f, page), f.Close())
}
