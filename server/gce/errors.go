package gce

import (
	"errors"
	"fmt"
	"net/http"
)

// Reasons are the camelCase words Compute Engine puts in errors[].reason.
const (
	ReasonNotFound        = "notFound"
	ReasonAlreadyExists   = "alreadyExists"
	ReasonInvalid         = "invalid"
	ReasonRequired        = "required"
	ReasonConditionNotMet = "conditionNotMet"
	ReasonInUse           = "resourceInUseByAnotherResource"
	ReasonNotReady        = "resourceNotReady"
	ReasonForbidden       = "forbidden"
	ReasonAuthError       = "authError"
	ReasonRateLimit       = "rateLimitExceeded"
	ReasonBackendError    = "backendError"
	ReasonNotImplemented  = "notImplemented"
	ReasonInternal        = "internalError"
	ReasonBadRequest      = "badRequest"
)

// Error is an API error as Google sends it: an HTTP status, a reason word and
// a message. Handlers return it; one adapter writes the envelope.
type Error struct {
	Code    int    // HTTP status
	Reason  string // errors[0].reason
	Message string
	// Location and LocationType name the offending parameter, such as
	// "Authorization" and "header"; both are optional.
	Location     string
	LocationType string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Code, e.Reason, e.Message)
}

// Envelope is the JSON body of an error response.
type Envelope struct {
	Error EnvelopeError `json:"error"`
}

// EnvelopeError is the "error" member of an Envelope.
type EnvelopeError struct {
	Code    int           `json:"code"`
	Message string        `json:"message"`
	Errors  []ErrorDetail `json:"errors"`
}

// ErrorDetail is one entry of errors[].
type ErrorDetail struct {
	Domain       string `json:"domain"`
	Reason       string `json:"reason"`
	Message      string `json:"message"`
	Location     string `json:"location,omitempty"`
	LocationType string `json:"locationType,omitempty"`
}

// Envelope returns the error as the body Google's clients parse.
func (e *Error) Envelope() Envelope {
	return Envelope{Error: EnvelopeError{
		Code:    e.Code,
		Message: e.Message,
		Errors: []ErrorDetail{{
			Domain: "global", Reason: e.Reason, Message: e.Message,
			Location: e.Location, LocationType: e.LocationType,
		}},
	}}
}

// AsError returns err as an *Error. Errors of any other type become a 500
// whose message does not leak the internal text.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: http.StatusInternalServerError, Reason: ReasonInternal,
		Message: "Internal error. Please try again or contact the operator."}
}

// NotFound reports that the resource at path (projects/p/zones/z/instances/x)
// does not exist.
func NotFound(path string) *Error {
	return &Error{Code: http.StatusNotFound, Reason: ReasonNotFound,
		Message: fmt.Sprintf("The resource '%s' was not found", path)}
}

// AlreadyExists reports that the resource at path exists already.
func AlreadyExists(path string) *Error {
	return &Error{Code: http.StatusConflict, Reason: ReasonAlreadyExists,
		Message: fmt.Sprintf("The resource '%s' already exists", path)}
}

// Invalid reports a request value that cannot be used.
func Invalid(format string, args ...any) *Error {
	return &Error{Code: http.StatusBadRequest, Reason: ReasonInvalid,
		Message: fmt.Sprintf(format, args...)}
}

// InvalidField reports a bad value of one request field, worded as Compute
// Engine words it.
func InvalidField(field, value, why string) *Error {
	return Invalid("Invalid value for field '%s': '%s'. %s", field, value, why)
}

// Required reports a missing request field.
func Required(field string) *Error {
	return &Error{Code: http.StatusBadRequest, Reason: ReasonRequired,
		Message: fmt.Sprintf("Required field '%s' not specified", field)}
}

// ConditionNotMet reports a stale fingerprint or another failed precondition.
func ConditionNotMet(format string, args ...any) *Error {
	return &Error{Code: http.StatusPreconditionFailed, Reason: ReasonConditionNotMet,
		Message: fmt.Sprintf(format, args...)}
}

// InUse reports that a resource cannot change because another one uses it.
func InUse(format string, args ...any) *Error {
	return &Error{Code: http.StatusBadRequest, Reason: ReasonInUse,
		Message: fmt.Sprintf(format, args...)}
}

// NotReady reports a resource that is not in a state that allows the request.
func NotReady(format string, args ...any) *Error {
	return &Error{Code: http.StatusBadRequest, Reason: ReasonNotReady,
		Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports a request the caller may not make.
func Forbidden(format string, args ...any) *Error {
	return &Error{Code: http.StatusForbidden, Reason: ReasonForbidden,
		Message: fmt.Sprintf(format, args...)}
}

// LoginRequired reports a request without credentials.
func LoginRequired() *Error {
	return &Error{Code: http.StatusUnauthorized, Reason: ReasonRequired,
		Message:  "Request is missing required authentication credential. Expected OAuth 2 access token or another valid authentication credential.",
		Location: "Authorization", LocationType: "header"}
}

// InvalidCredentials reports a token that is not valid.
func InvalidCredentials() *Error {
	return &Error{Code: http.StatusUnauthorized, Reason: ReasonAuthError,
		Message:  "Request had invalid authentication credentials. Expected OAuth 2 access token or another valid authentication credential.",
		Location: "Authorization", LocationType: "header"}
}

// NotImplemented reports a method of the API that this server does not serve.
func NotImplemented(methodID string) *Error {
	return &Error{Code: http.StatusNotImplemented, Reason: ReasonNotImplemented,
		Message: fmt.Sprintf("Method %s is not implemented by this server", methodID)}
}

// Unavailable reports that OpenStack could not be reached or failed.
func Unavailable(format string, args ...any) *Error {
	return &Error{Code: http.StatusServiceUnavailable, Reason: ReasonBackendError,
		Message: fmt.Sprintf(format, args...)}
}

// RateLimited reports that OpenStack throttled the request.
func RateLimited(message string) *Error {
	return &Error{Code: http.StatusTooManyRequests, Reason: ReasonRateLimit, Message: message}
}
