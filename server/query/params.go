package query

import (
	"net/url"
	"strconv"
)

// MaxPageSize is the largest maxResults value Compute Engine accepts, and the
// page size when the request gives none.
const MaxPageSize = 500

// Params are the list query parameters of one request.
type Params struct {
	Filter               Filter // never nil: MatchAll when absent
	MaxResults           int    // 1..500; 500 when absent or 0
	PageToken            string
	OrderBy              Order
	ReturnPartialSuccess bool
	IncludeAllScopes     bool
}

// ParseParams reads filter, maxResults, pageToken, orderBy,
// returnPartialSuccess and includeAllScopes from a request's query. Booleans
// accept true/false/True/False/1/0. An invalid value returns *Error naming
// the first invalid parameter.
func ParseParams(q url.Values) (Params, error) {
	var p Params
	var err error
	if p.Filter, err = ParseFilter(q.Get("filter")); err != nil {
		return Params{}, err
	}
	if p.MaxResults, err = parseMaxResults(q.Get("maxResults")); err != nil {
		return Params{}, err
	}
	if p.OrderBy, err = ParseOrder(q.Get("orderBy")); err != nil {
		return Params{}, err
	}
	p.PageToken = q.Get("pageToken")
	if p.ReturnPartialSuccess, err = parseBool(q, "returnPartialSuccess"); err != nil {
		return Params{}, err
	}
	if p.IncludeAllScopes, err = parseBool(q, "includeAllScopes"); err != nil {
		return Params{}, err
	}
	return p, nil
}

// parseMaxResults accepts 0..500 and maps an absent value or 0 to 500.
func parseMaxResults(s string) (int, error) {
	if s == "" {
		return MaxPageSize, nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return 0, invalidValue("maxResults", s, "Must be an integer")
	case n < 0:
		return 0, invalidValue("maxResults", s, "Must be greater than or equal to 0")
	case n > MaxPageSize:
		return 0, invalidValue("maxResults", s, "Must be less than or equal to 500")
	case n == 0:
		return MaxPageSize, nil
	}
	return n, nil
}

// parseBool reads a boolean query parameter, false when absent. gcloud sends
// True/False and googleapiclient sends true/false.
func parseBool(q url.Values, name string) (bool, error) {
	switch s := q.Get(name); s {
	case "", "false", "False", "0":
		return false, nil
	case "true", "True", "1":
		return true, nil
	default:
		return false, invalidValue(name, s, "Must be true or false")
	}
}
