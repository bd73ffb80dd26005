package conformance_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	"github.com/gce-api/gce-api/fixtures"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("Support matrix", Label(framework.MatrixLabel), func() {
	DescribeTable("handles each method as the matrix declares",
		func(ctx SpecContext, row fixtures.MatrixRow) {
			resp := callMatrixMethod(ctx, row)
			if row.Implemented() {
				expectImplemented(resp)
			} else {
				expectNotImplemented(resp, row.MethodID)
			}
		},
		matrixEntries(),
	)
})

// matrixEntries returns one Entry per matrix row, labelled with the method
// id and the resource.
func matrixEntries() []TableEntry {
	var entries []TableEntry
	for _, row := range fixtures.Matrix() {
		desc := row.MethodID + " is " + row.Status
		entries = append(entries, Entry(desc, Label(row.MethodID, resourceLabel(row.MethodID)), row))
	}
	return entries
}

// resourceLabel returns the resource of a method id: "zones" for
// compute.zones.get.
func resourceLabel(methodID string) string {
	parts := strings.Split(methodID, ".")
	return parts[1]
}

var placeholder = regexp.MustCompile(`\{[^}]+\}`)

// fillPath replaces the placeholders of a matrix path with the target's
// project, zone and region, and any other with nonexistent-x.
func fillPath(path string) string {
	return placeholder.ReplaceAllStringFunc(path, func(p string) string {
		switch p {
		case "{project}":
			return env.Project
		case "{zone}":
			return env.Zone
		case "{region}":
			return env.Region
		}
		return "nonexistent-x"
	})
}

// callMatrixMethod sends the row's HTTP method to its path, with an empty
// JSON object as the body of a POST, PUT or PATCH.
func callMatrixMethod(ctx context.Context, row fixtures.MatrixRow) framework.Response {
	var body io.Reader
	if row.HTTPMethod != http.MethodGet && row.HTTPMethod != http.MethodDelete {
		body = strings.NewReader("{}")
	}
	resp, err := env.Do(ctx, row.HTTPMethod, env.URL(fillPath(row.Path)), body, true)
	Expect(err).NotTo(HaveOccurred())
	return resp
}

func expectImplemented(resp framework.Response) {
	Expect(resp.Status).To(BeNumerically("<", 500), "body: %s", resp.Body)
	Expect(json.Valid(resp.Body)).To(BeTrue(), "body is not JSON: %s", resp.Body)
	if resp.Status >= 400 {
		_, err := framework.ParseEnvelope(resp.Body)
		Expect(err).NotTo(HaveOccurred())
	}
}

func expectNotImplemented(resp framework.Response, methodID string) {
	Expect(resp.Status).To(Equal(http.StatusNotImplemented), "body: %s", resp.Body)
	envelope, err := framework.ParseEnvelope(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	Expect(envelope.Error.Code).To(Equal(http.StatusNotImplemented))
	Expect(envelope.Error.Message).To(ContainSubstring(methodID))
	Expect(envelope.Error.Errors).To(HaveLen(1))
	Expect(envelope.Error.Errors[0].Domain).To(Equal("global"))
	Expect(envelope.Error.Errors[0].Reason).To(Equal("notImplemented"))
	Expect(envelope.Error.Errors[0].Message).To(ContainSubstring(methodID))
}
