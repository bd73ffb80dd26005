package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
)

// List applies filter, order and paging to items and returns one page and
// the token of the next page ("" when this is the last page).
func List[T any](items []T, p Params) (page []T, next string, err error) {
	p, err = p.normalized()
	if err != nil {
		return nil, "", err
	}
	entries, err := collect(nil, "", items, p)
	if err != nil {
		return nil, "", err
	}
	selected, next, err := paginate("list", entries, p)
	if err != nil {
		return nil, "", err
	}
	page = make([]T, 0, len(selected))
	for _, e := range selected {
		page = append(page, e.item)
	}
	return page, next, nil
}

// Aggregated does what List does across scopes, whose keys are
// "zones/regionone-a", "regions/x" or "global". Paging runs over the items of
// all scopes in key order. The page keeps every scope key of the input, empty
// ones included, so the caller can add the NO_RESULTS_ON_PAGE warning.
func Aggregated[T any](scopes map[string][]T, p Params) (page map[string][]T, next string, err error) {
	p, err = p.normalized()
	if err != nil {
		return nil, "", err
	}
	var entries []entry[T]
	for _, scope := range slices.Sorted(maps.Keys(scopes)) {
		if entries, err = collect(entries, scope, scopes[scope], p); err != nil {
			return nil, "", err
		}
	}
	selected, next, err := paginate("aggregated", entries, p)
	if err != nil {
		return nil, "", err
	}
	page = make(map[string][]T, len(scopes))
	for scope := range scopes {
		page[scope] = []T{}
	}
	for _, e := range selected {
		page[e.key.Scope] = append(page[e.key.Scope], e.item)
	}
	return page, next, nil
}

// normalized fills in defaults and rejects values ParseParams would reject,
// for Params built by hand.
func (p Params) normalized() (Params, error) {
	if p.Filter == nil {
		p.Filter = MatchAll
	}
	var err error
	if p.MaxResults, err = parseMaxResults(strconv.Itoa(p.MaxResults)); err != nil {
		return p, err
	}
	if !p.OrderBy.supported() {
		return p, invalidOrder(p.OrderBy.String())
	}
	return p, nil
}

type entry[T any] struct {
	key  sortKey
	item T
}

// collect appends the items of one scope that match the filter.
func collect[T any](entries []entry[T], scope string, items []T, p Params) ([]entry[T], error) {
	for i, item := range items {
		object, err := jsonObject(item)
		if err != nil {
			return nil, fmt.Errorf("query: item %d of scope %q: %w", i, scope, err)
		}
		if p.Filter.Match(object) {
			entries = append(entries, entry[T]{key: p.OrderBy.keyOf(scope, object, i), item: item})
		}
	}
	return entries, nil
}

// jsonObject returns the JSON form of v as a map. Numbers stay json.Number,
// so they keep the digits they were written with.
func jsonObject(v any) (map[string]any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	var object map[string]any
	if err := decoder.Decode(&object); err != nil {
		return nil, fmt.Errorf("%T is not a JSON object: %w", v, err)
	}
	return object, nil
}

// paginate sorts the entries and cuts the page that follows the token's
// position. The next token is the key of the page's last entry, so a page
// starts after that key even when entries were added or deleted meanwhile.
func paginate[T any](kind string, entries []entry[T], p Params) ([]entry[T], string, error) {
	slices.SortStableFunc(entries, func(a, b entry[T]) int { return p.OrderBy.compare(a.key, b.key) })
	digest := queryDigest(kind, p)
	start := 0
	if p.PageToken != "" {
		last, err := decodeToken(p.PageToken, digest)
		if err != nil {
			return nil, "", err
		}
		start = sort.Search(len(entries), func(i int) bool {
			return p.OrderBy.compare(entries[i].key, last) > 0
		})
	}
	end := min(start+p.MaxResults, len(entries))
	page := entries[start:end]
	if end == len(entries) {
		return page, "", nil
	}
	return page, encodeToken(digest, page[len(page)-1].key), nil
}
