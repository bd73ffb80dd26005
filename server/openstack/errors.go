package openstack

import (
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
)

// The closed set of error kinds this package returns. Every error from it
// matches exactly one of them with errors.Is.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrInvalid      = errors.New("invalid request")
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrRateLimited  = errors.New("rate limited")
	ErrUnavailable  = errors.New("unavailable")
)

// Error is a failed OpenStack call: what was attempted, the kind of failure,
// the HTTP status OpenStack returned (0 when none) and its message.
type Error struct {
	Op      string // e.g. "create server vm1"
	Kind    error  // one of the Err* values
	Status  int
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("%s: %v (%d): %s", e.Op, e.Kind, e.Status, e.Message)
	}
	return fmt.Sprintf("%s: %v: %v", e.Op, e.Kind, e.Err)
}

// Is matches the error's kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying gophercloud or network error.
func (e *Error) Unwrap() error { return e.Err }

// wrapErr maps err from a gophercloud call onto the closed set, naming op.
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var unexpected gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &unexpected) {
		return &Error{Op: op, Kind: kindOf(unexpected.Actual), Status: unexpected.Actual,
			Message: serviceMessage(unexpected.Body), Err: err}
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return &Error{Op: op, Kind: ErrUnavailable, Err: err}
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	return &Error{Op: op, Kind: ErrUnavailable, Err: err}
}

func kindOf(status int) error {
	switch {
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusRequestEntityTooLarge:
		// Nova and Cinder return 413 for exceeded quotas.
		return ErrRateLimited
	case status >= 400 && status < 500:
		return ErrInvalid
	default:
		return ErrUnavailable
	}
}

// MessageOf returns the OpenStack service's own message inside err, or "".
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}
