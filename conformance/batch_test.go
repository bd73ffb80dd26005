package conformance_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// batchPart is one response of a batch: its Content-ID and inner response.
type batchPart struct {
	contentID string
	status    int
	body      []byte
}

var _ = Describe("Batch", Label("batch", "compute.zones.get"), func() {
	It("returns one part per GET with its Content-ID", func(ctx SpecContext) {
		zones := []string{env.Zone, env.Zone}
		if env.SecondZone != "" {
			zones[1] = env.SecondZone
		}
		body, contentType := batchRequest("conformance-batch", zones)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, env.RootURL("batch/compute/v1"), body)
		Expect(err).NotTo(HaveOccurred())
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+env.Token)
		resp, err := env.Send(req)
		Expect(err).NotTo(HaveOccurred())
		Expect(resp.Status).To(Equal(http.StatusOK), "body: %s", resp.Body)

		parts := readBatchResponse(resp.Header.Get("Content-Type"), resp.Body)
		Expect(parts).To(HaveLen(2))
		for i, part := range parts {
			Expect(part.contentID).To(Equal(fmt.Sprintf("<response-conformance-batch+%d>", i+1)))
			Expect(part.status).To(Equal(http.StatusOK), "part %d: %s", i+1, part.body)
			var zone struct{ Name string }
			Expect(json.Unmarshal(part.body, &zone)).To(Succeed())
			Expect(zone.Name).To(Equal(zones[i]))
		}
	})
})

// batchRequest builds a multipart/mixed body with one GET per zone, as
// Google's client libraries send it, and returns it with its Content-Type.
func batchRequest(id string, zones []string) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for i, zone := range zones {
		header := textproto.MIMEHeader{}
		header.Set("Content-Type", "application/http")
		header.Set("Content-Transfer-Encoding", "binary")
		header.Set("Content-ID", fmt.Sprintf("<%s+%d>", id, i+1))
		part, err := w.CreatePart(header)
		Expect(err).NotTo(HaveOccurred())
		u, err := url.Parse(env.URL("projects/" + env.Project + "/zones/" + zone))
		Expect(err).NotTo(HaveOccurred())
		fmt.Fprintf(part, "GET %s?alt=json HTTP/1.1\r\nAccept: application/json\r\n\r\n", u.Path)
	}
	Expect(w.Close()).To(Succeed())
	return &buf, "multipart/mixed; boundary=" + w.Boundary()
}

// readBatchResponse splits a multipart/mixed batch response into parts.
func readBatchResponse(contentType string, body []byte) []batchPart {
	mediaType, params, err := mime.ParseMediaType(contentType)
	Expect(err).NotTo(HaveOccurred())
	Expect(mediaType).To(Equal("multipart/mixed"))
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var parts []batchPart
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			return parts
		}
		Expect(err).NotTo(HaveOccurred())
		inner, err := http.ReadResponse(bufio.NewReader(part), nil)
		Expect(err).NotTo(HaveOccurred())
		data, err := io.ReadAll(inner.Body)
		Expect(err).NotTo(HaveOccurred())
		parts = append(parts, batchPart{part.Header.Get("Content-ID"), inner.StatusCode, data})
	}
}
