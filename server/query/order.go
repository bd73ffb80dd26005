package query

import (
	"strings"
	"time"
)

// Order is the sort order of a list: by name ascending (the zero value) or by
// creationTimestamp in either direction.
type Order struct {
	Field      string // "name" or "creationTimestamp", where "" means "name"
	Descending bool
}

// ParseOrder reads an orderBy value. Compute Engine sorts only by name
// (ascending) and by creationTimestamp, so any other value is *Error.
func ParseOrder(s string) (Order, error) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return Order{Field: "name"}, nil
	}
	if len(words) > 2 {
		return Order{}, invalidOrder(s)
	}
	order := Order{Field: words[0]}
	if len(words) == 2 {
		switch words[1] {
		case "asc":
		case "desc":
			order.Descending = true
		default:
			return Order{}, invalidOrder(s)
		}
	}
	if !order.supported() {
		return Order{}, invalidOrder(s)
	}
	return order, nil
}

func invalidOrder(s string) *Error {
	return invalidValue("orderBy", s,
		"Sorting is supported only by 'name' and by 'creationTimestamp' or 'creationTimestamp desc'")
}

func (o Order) supported() bool {
	switch o.field() {
	case "name":
		return !o.Descending
	case "creationTimestamp":
		return true
	}
	return false
}

func (o Order) field() string {
	if o.Field == "" {
		return "name"
	}
	return o.Field
}

// String returns the order in orderBy syntax.
func (o Order) String() string {
	if o.Descending {
		return o.field() + " desc"
	}
	return o.field()
}

// sortKey is the position of an item in a list. A page token carries the key
// of the last item of its page, so the next page starts after that position
// even when items were added or deleted in between.
type sortKey struct {
	Scope   string `json:"s,omitempty"` // aggregated scope, such as "zones/z"
	Missing bool   `json:"m,omitempty"` // the item has no value for the order field
	Value   string `json:"v,omitempty"` // name, or creationTimestamp in fixed-width UTC
	Name    string `json:"n,omitempty"`
	Unique  string `json:"u,omitempty"` // selfLink or id, to order items with equal names
	Index   int    `json:"i,omitempty"` // input position of an item without a name
}

// sortableTime is RFC 3339 in UTC with nanoseconds always written, so that
// string order is time order.
const sortableTime = "2006-01-02T15:04:05.000000000Z"

// keyOf computes the sort key of one item under the order.
func (o Order) keyOf(scope string, item map[string]any, index int) sortKey {
	key := sortKey{Scope: scope}
	key.Name, _ = item["name"].(string)
	if key.Name == "" {
		key.Index = index
	} else {
		key.Unique = uniqueOf(item)
	}
	key.Value, key.Missing = o.valueOf(item, key.Name)
	return key
}

func (o Order) valueOf(item map[string]any, name string) (string, bool) {
	if o.field() == "name" {
		return name, name == ""
	}
	raw, _ := item["creationTimestamp"].(string)
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return "", true
	}
	return t.UTC().Format(sortableTime), false
}

func uniqueOf(item map[string]any) string {
	if link, ok := item["selfLink"].(string); ok {
		return link
	}
	id, _ := item["id"].(string)
	return id
}

// compare orders two keys: by scope, then items with a value before items
// without one, then by value in the order's direction, then ascending by
// name, unique link and input position.
func (o Order) compare(a, b sortKey) int {
	if c := strings.Compare(a.Scope, b.Scope); c != 0 {
		return c
	}
	if a.Missing != b.Missing {
		if a.Missing {
			return 1
		}
		return -1
	}
	c := strings.Compare(a.Value, b.Value)
	if o.Descending {
		c = -c
	}
	if c != 0 {
		return c
	}
	return compareTies(a, b)
}

func compareTies(a, b sortKey) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := strings.Compare(a.Unique, b.Unique); c != 0 {
		return c
	}
	return a.Index - b.Index
}
