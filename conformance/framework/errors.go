package framework

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"
	"google.golang.org/api/googleapi"
)

// HaveGoogleError matches an error from the compute/v1 client that is a
// *googleapi.Error with the HTTP status code and the reason of errors[0].
func HaveGoogleError(code int, reason string) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(err error) (bool, error) {
		var apiErr *googleapi.Error
		if !errors.As(err, &apiErr) {
			return false, nil
		}
		return apiErr.Code == code && len(apiErr.Errors) > 0 &&
			apiErr.Errors[0].Reason == reason, nil
	}).WithTemplate("Expected\n{{.FormattedActual}}\n{{.To}} be a Google API error with HTTP {{.Data.Code}} and reason {{.Data.Reason}}",
		struct {
			Code   int
			Reason string
		}{code, reason})
}

// Envelope is Google's JSON error envelope.
type Envelope struct {
	Error struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Errors  []struct {
			Domain  string `json:"domain"`
			Reason  string `json:"reason"`
			Message string `json:"message"`
		} `json:"errors"`
	} `json:"error"`
}

// ParseEnvelope decodes body as Google's error envelope. It fails when the
// body is not JSON or has no error.code or no error.errors[].
func ParseEnvelope(body []byte) (Envelope, error) {
	var env Envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return env, fmt.Errorf("error body is not JSON: %w: %.200q", err, body)
	}
	if env.Error.Code == 0 || len(env.Error.Errors) == 0 {
		return env, fmt.Errorf("error body lacks error.code or error.errors[]: %.200q", body)
	}
	return env, nil
}
