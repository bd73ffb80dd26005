package query

import "fmt"

// Error is an invalid list parameter. Message is the text the client sees in
// Google's error envelope. The server returns it with status 400, reason invalid.
type Error struct {
	Field   string // query parameter name, such as "maxResults" or "filter"
	Message string
}

func (e *Error) Error() string { return e.Message }

// invalidValue builds the Error that Compute Engine returns for a bad
// parameter value: "Invalid value for field 'f': 'v'. <reason>".
func invalidValue(field, value, reason string) *Error {
	msg := fmt.Sprintf("Invalid value for field '%s': '%s'. %s", field, value, reason)
	return &Error{Field: field, Message: msg}
}
