package compute

import (
	"errors"
	"net/http"

	"github.com/gce-api/gce-api/server/gce"
	"github.com/gce-api/gce-api/server/openstack"
	"github.com/gce-api/gce-api/server/query"
)

// apiError maps an error from OpenStack, the store or the query package to
// the API error a client receives. notFoundPath is the resource path to name in
// a notFound error.
func apiError(err error, notFoundPath string) error {
	var e *gce.Error
	if errors.As(err, &e) {
		return e
	}
	var q *query.Error
	if errors.As(err, &q) {
		return gce.Invalid("%s", q.Message)
	}
	msg := openstack.MessageOf(err)
	switch {
	case errors.Is(err, openstack.ErrNotFound):
		return gce.NotFound(notFoundPath)
	case errors.Is(err, openstack.ErrConflict):
		return gce.InUse("%s", orText(msg, "The resource is in use or in a conflicting state"))
	case errors.Is(err, openstack.ErrInvalid):
		return gce.Invalid("%s", orText(msg, "OpenStack rejected the request"))
	case errors.Is(err, openstack.ErrForbidden):
		return gce.Forbidden("%s", orText(msg, "OpenStack denied the request"))
	case errors.Is(err, openstack.ErrUnauthorized):
		return gce.InvalidCredentials()
	case errors.Is(err, openstack.ErrRateLimited):
		return gce.RateLimited(orText(msg, "Quota exceeded or rate limited by OpenStack"))
	case errors.Is(err, openstack.ErrUnavailable):
		return gce.Unavailable("OpenStack is unavailable: %s", orText(msg, err.Error()))
	}
	return err
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// opFailure turns an error into the code, message and HTTP status of a
// failed operation.
func opFailure(err error) (status int, code, message string) {
	apiErr := gce.AsError(apiError(err, ""))
	code = "INTERNAL_ERROR"
	switch apiErr.Code {
	case http.StatusNotFound:
		code = "RESOURCE_NOT_FOUND"
	case http.StatusConflict:
		code = "RESOURCE_ALREADY_EXISTS"
	case http.StatusTooManyRequests:
		code = "QUOTA_EXCEEDED"
	case http.StatusBadRequest:
		code = "INVALID_FIELD_VALUE"
	}
	message = apiErr.Message
	if m := openstack.MessageOf(err); m != "" {
		message = m
	}
	return apiErr.Code, code, message
}
