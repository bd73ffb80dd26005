package conformance_test

import (
	"context"
	"net/http"
	"strings"

	"github.com/gce-api/gce-api/conformance/framework"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// expectEnvelope checks that resp is a JSON Google error envelope with the
// status and reason.
func expectEnvelope(resp framework.Response, status int, reason string) {
	Expect(resp.Status).To(Equal(status), "body: %s", resp.Body)
	Expect(resp.Header.Get("Content-Type")).To(HavePrefix("application/json"))
	envelope, err := framework.ParseEnvelope(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	Expect(envelope.Error.Code).To(Equal(status))
	Expect(envelope.Error.Message).NotTo(BeEmpty())
	Expect(envelope.Error.Errors[0].Domain).To(Equal("global"))
	Expect(envelope.Error.Errors[0].Reason).To(Equal(reason))
}

func zonesURL() string {
	return env.URL("projects/" + env.Project + "/zones")
}

var _ = Describe("Error envelope", Label("errors"), func() {
	send := func(ctx context.Context, method, url, body string, token bool) framework.Response {
		var resp framework.Response
		var err error
		if body == "" {
			resp, err = env.Do(ctx, method, url, nil, token)
		} else {
			resp, err = env.Do(ctx, method, url, strings.NewReader(body), token)
		}
		Expect(err).NotTo(HaveOccurred())
		return resp
	}

	It("returns JSON 404 notFound for an unknown collection", func(ctx SpecContext) {
		url := env.URL("projects/" + env.Project + "/global/noSuchCollection")
		expectEnvelope(send(ctx, http.MethodGet, url, "", true), http.StatusNotFound, "notFound")
	})

	It("returns JSON 404 notFound outside the API", func(ctx SpecContext) {
		url := env.RootURL("no/such/path")
		expectEnvelope(send(ctx, http.MethodGet, url, "", true), http.StatusNotFound, "notFound")
	})

	It("returns 401 required without a token",
		Label("auth", "compute.zones.list"), func(ctx SpecContext) {
			expectEnvelope(send(ctx, http.MethodGet, zonesURL(), "", false),
				http.StatusUnauthorized, "required")
		})

	It("returns 401 authError for a bogus token",
		Label("auth", "compute.zones.list"), func(ctx SpecContext) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, zonesURL(), nil)
			Expect(err).NotTo(HaveOccurred())
			req.Header.Set("Authorization", "Bearer not-a-token")
			resp, err := env.Send(req)
			Expect(err).NotTo(HaveOccurred())
			expectEnvelope(resp, http.StatusUnauthorized, "authError")
		})

	It("returns 400 invalid for a body that is not JSON",
		Label("instances", "compute.instances.insert"), func(ctx SpecContext) {
			url := env.URL("projects/" + env.Project + "/zones/" + env.Zone + "/instances")
			expectEnvelope(send(ctx, http.MethodPost, url, "this is not JSON", true),
				http.StatusBadRequest, "invalid")
		})
})
