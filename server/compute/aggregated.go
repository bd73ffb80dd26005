package compute

import (
	"github.com/gce-api/gce-api/server/query"
)

// warning is the shared content of the per-type NO_RESULTS_ON_PAGE warnings.
type warning struct {
	Code    string
	Message string
}

func noResults(scope string) warning {
	return warning{Code: "NO_RESULTS_ON_PAGE",
		Message: "There are no results for scope '" + scope + "' on this page."}
}

// aggregatedResponse applies the request's filter, order and paging across
// scopes and wraps the page with wrap.
func aggregatedResponse[T any](r *Request, scopes map[string][]T, wrap func(page map[string][]T, next string) any) Response {
	params, err := query.ParseParams(r.Query)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	page, next, err := query.Aggregated(scopes, params)
	if err != nil {
		return Fail(apiError(err, ""))
	}
	return OK(wrap(page, next))
}
