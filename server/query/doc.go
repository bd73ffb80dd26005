// Package query implements what a Compute Engine list call does to its items:
// the filter, orderBy, maxResults and pageToken parameters, aggregated paging
// across scopes, and the fields partial-response mask. It does not depend on
// OpenStack and works on the JSON form of the compute/v1 types.
package query
