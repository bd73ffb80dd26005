package query

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	compute "google.golang.org/api/compute/v1"
)

// fiveNetworks are given out of name order, so the tests check sorting.
func fiveNetworks() []*compute.Network {
	var nets []*compute.Network
	for i, name := range []string{"net-c", "net-a", "net-e", "net-b", "net-d"} {
		nets = append(nets, &compute.Network{
			Name:              name,
			CreationTimestamp: fmt.Sprintf("2024-01-0%dT00:00:00Z", i+1),
		})
	}
	return nets
}

func names(nets []*compute.Network) []string {
	out := []string{}
	for _, n := range nets {
		out = append(out, n.Name)
	}
	return out
}

// allPages follows nextPageToken to the end and returns the names on each
// page. It fails the test on an empty or repeated token.
func allPages(t *testing.T, items []*compute.Network, p Params) [][]string {
	t.Helper()
	var pages [][]string
	seen := map[string]bool{}
	for {
		page, next, err := List(items, p)
		if err != nil {
			t.Fatalf("List(token %q): %v", p.PageToken, err)
		}
		pages = append(pages, names(page))
		if next == "" {
			return pages
		}
		if seen[next] {
			t.Fatalf("token %q repeated", next)
		}
		seen[next] = true
		if len(pages) > len(items)+1 {
			t.Fatalf("paging does not end after %d pages", len(pages))
		}
		p.PageToken = next
	}
}

func TestListOnePageOfFive(t *testing.T) {
	pages := allPages(t, fiveNetworks(), Params{MaxResults: 5})
	want := [][]string{{"net-a", "net-b", "net-c", "net-d", "net-e"}}
	if !slices.EqualFunc(pages, want, slices.Equal) {
		t.Errorf("pages = %v, want %v", pages, want)
	}
}

func TestListPagesOfTwo(t *testing.T) {
	pages := allPages(t, fiveNetworks(), Params{MaxResults: 2})
	want := [][]string{{"net-a", "net-b"}, {"net-c", "net-d"}, {"net-e"}}
	if !slices.EqualFunc(pages, want, slices.Equal) {
		t.Errorf("pages = %v, want %v", pages, want)
	}
}

func TestListUnionIsSet(t *testing.T) {
	for size := 1; size <= 6; size++ {
		pages := allPages(t, fiveNetworks(), Params{MaxResults: size})
		union := slices.Concat(pages...)
		want := []string{"net-a", "net-b", "net-c", "net-d", "net-e"}
		if !slices.Equal(union, want) {
			t.Errorf("maxResults %d: union = %v, want %v", size, union, want)
		}
	}
}

func TestListDefaultPageSize(t *testing.T) {
	var nets []*compute.Network
	for i := range 501 {
		nets = append(nets, &compute.Network{Name: fmt.Sprintf("net-%04d", i)})
	}
	page, next, err := List(nets, Params{})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(page) != 500 {
		t.Errorf("first page has %d items, want 500", len(page))
	}
	if next == "" {
		t.Fatal("first page has no next token")
	}
	page, next, err = List(nets, Params{PageToken: next})
	if err != nil {
		t.Fatalf("List page 2: %v", err)
	}
	if len(page) != 1 || page[0].Name != "net-0500" || next != "" {
		t.Errorf("page 2 = %v, next %q, want [net-0500] and no token", names(page), next)
	}
}

func TestListFilterAndPaging(t *testing.T) {
	f, err := ParseFilter(`name != net-b`)
	if err != nil {
		t.Fatal(err)
	}
	pages := allPages(t, fiveNetworks(), Params{Filter: f, MaxResults: 2})
	want := [][]string{{"net-a", "net-c"}, {"net-d", "net-e"}}
	if !slices.EqualFunc(pages, want, slices.Equal) {
		t.Errorf("pages = %v, want %v", pages, want)
	}
}

func TestListChangesBetweenPages(t *testing.T) {
	nets := fiveNetworks()
	page, next, err := List(nets, Params{MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	got := names(page)
	// Delete net-a (already returned) and net-c (not yet), add net-0 (sorts
	// before the position) and net-bb (after it).
	changed := slices.DeleteFunc(slices.Clone(nets), func(n *compute.Network) bool {
		return n.Name == "net-a" || n.Name == "net-c"
	})
	changed = append(changed, &compute.Network{Name: "net-0"}, &compute.Network{Name: "net-bb"})
	rest := allPages(t, changed, Params{MaxResults: 2, PageToken: next})
	got = append(got, slices.Concat(rest...)...)
	want := []string{"net-a", "net-b", "net-bb", "net-d", "net-e"}
	if !slices.Equal(got, want) {
		t.Errorf("names over pages = %v, want %v", got, want)
	}
}

func TestListTokenBoundToQuery(t *testing.T) {
	_, next, err := List(fiveNetworks(), Params{MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	other, err := ParseFilter(`name = net-*`)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]Params{
		"another filter":  {MaxResults: 2, PageToken: next, Filter: other},
		"another order":   {MaxResults: 2, PageToken: next, OrderBy: Order{Field: "creationTimestamp"}},
		"garbage":         {MaxResults: 2, PageToken: "not-a-token"},
		"not base64url":   {MaxResults: 2, PageToken: "%%%"},
		"truncated token": {MaxResults: 2, PageToken: next[:len(next)/2]},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := List(fiveNetworks(), p)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if qe.Field != "pageToken" || !strings.Contains(qe.Message, "Invalid page token") {
				t.Errorf("error = %+v, want an invalid pageToken", qe)
			}
		})
	}
}

func TestListTokenAcrossPageSizes(t *testing.T) {
	_, next, err := List(fiveNetworks(), Params{MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	page, last, err := List(fiveNetworks(), Params{MaxResults: 10, PageToken: next})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(page); !slices.Equal(got, []string{"net-c", "net-d", "net-e"}) || last != "" {
		t.Errorf("page = %v, next %q, want [net-c net-d net-e] and no token", got, last)
	}
}

func TestListOrder(t *testing.T) {
	cases := map[string][]string{
		"":                       {"net-a", "net-b", "net-c", "net-d", "net-e"},
		"name":                   {"net-a", "net-b", "net-c", "net-d", "net-e"},
		"creationTimestamp":      {"net-c", "net-a", "net-e", "net-b", "net-d"},
		"creationTimestamp desc": {"net-d", "net-b", "net-e", "net-a", "net-c"},
	}
	for orderBy, want := range cases {
		order, err := ParseOrder(orderBy)
		if err != nil {
			t.Fatal(err)
		}
		pages := allPages(t, fiveNetworks(), Params{MaxResults: 2, OrderBy: order})
		if got := slices.Concat(pages...); !slices.Equal(got, want) {
			t.Errorf("orderBy %q: %v, want %v", orderBy, got, want)
		}
	}
}

func TestListOrderTimestampOffsets(t *testing.T) {
	nets := []*compute.Network{
		{Name: "late", CreationTimestamp: "2024-01-01T01:00:00.000-08:00"}, // 09:00Z
		{Name: "early", CreationTimestamp: "2024-01-01T08:00:00Z"},
		{Name: "none"},
	}
	page, _, err := List(nets, Params{OrderBy: Order{Field: "creationTimestamp", Descending: true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(page); !slices.Equal(got, []string{"late", "early", "none"}) {
		t.Errorf("order = %v, want [late early none]", got)
	}
}

func TestListNamelessKeepInputOrder(t *testing.T) {
	items := []*compute.Operation{
		{Description: "first"}, {Name: "b"}, {Description: "second"}, {Name: "a"}, {Description: "third"},
	}
	var got []string
	p := Params{MaxResults: 2}
	for {
		page, next, err := List(items, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range page {
			got = append(got, op.Name+op.Description)
		}
		if next == "" {
			break
		}
		p.PageToken = next
	}
	want := []string{"a", "b", "first", "second", "third"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestListRejectsInvalidParams(t *testing.T) {
	for _, p := range []Params{{MaxResults: 501}, {MaxResults: -1}, {OrderBy: Order{Field: "zone"}}} {
		_, _, err := List(fiveNetworks(), p)
		var qe *Error
		if !errors.As(err, &qe) {
			t.Errorf("List(%+v) error = %v, want *Error", p, err)
		}
	}
}

func TestListNonObjectItems(t *testing.T) {
	_, _, err := List([]int{1, 2}, Params{})
	if err == nil {
		t.Fatal("List of ints succeeded, want an error")
	}
	var qe *Error
	if errors.As(err, &qe) {
		t.Errorf("error %v is *Error, want an internal error", err)
	}
}

func zoneScopes() map[string][]*compute.Network {
	return map[string][]*compute.Network{
		"zones/regionone-b": {{Name: "b2"}, {Name: "b1"}},
		"zones/regionone-a": {{Name: "a1"}, {Name: "x"}},
		"regions/regionone": {},
		"global":            {{Name: "g1"}},
	}
}

func TestAggregatedPages(t *testing.T) {
	p := Params{MaxResults: 2}
	var got []string
	for pageNumber := 0; ; pageNumber++ {
		page, next, err := Aggregated(zoneScopes(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 4 {
			t.Errorf("page %d has scopes %v, want all 4", pageNumber, slices.Sorted(maps.Keys(page)))
		}
		for _, scope := range slices.Sorted(maps.Keys(page)) {
			if page[scope] == nil {
				t.Errorf("page %d scope %s is nil, want an empty list", pageNumber, scope)
			}
			for _, n := range page[scope] {
				got = append(got, scope+":"+n.Name)
			}
		}
		if next == "" {
			break
		}
		p.PageToken = next
	}
	want := []string{"global:g1", "zones/regionone-a:a1", "zones/regionone-a:x", "zones/regionone-b:b1", "zones/regionone-b:b2"}
	if !slices.Equal(got, want) {
		t.Errorf("items = %v, want %v", got, want)
	}
}

func TestAggregatedFilter(t *testing.T) {
	f, err := ParseFilter(`name eq "[ab].*"`)
	if err != nil {
		t.Fatal(err)
	}
	page, next, err := Aggregated(zoneScopes(), Params{Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	if next != "" {
		t.Errorf("next = %q, want none", next)
	}
	if got := names(page["zones/regionone-b"]); !slices.Equal(got, []string{"b1", "b2"}) {
		t.Errorf("regionone-b = %v, want [b1 b2]", got)
	}
	if got := names(page["global"]); len(got) != 0 {
		t.Errorf("global = %v, want empty", got)
	}
}

func TestAggregatedTokenNotForList(t *testing.T) {
	_, next, err := Aggregated(zoneScopes(), Params{MaxResults: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = List(fiveNetworks(), Params{MaxResults: 1, PageToken: next})
	var qe *Error
	if !errors.As(err, &qe) {
		t.Errorf("List with an aggregated token: error = %v, want *Error", err)
	}
}

func BenchmarkList10k(b *testing.B) {
	items := make([]*compute.Instance, 10000)
	for i := range items {
		items[i] = &compute.Instance{
			Name:              fmt.Sprintf("vm-%05d", (i*7919)%10000),
			Labels:            map[string]string{"env": []string{"prod", "dev"}[i%2]},
			Status:            "RUNNING",
			CreationTimestamp: "2024-01-01T00:00:00Z",
			NetworkInterfaces: []*compute.NetworkInterface{{NetworkIP: "10.0.0.1"}},
		}
	}
	f, err := ParseFilter(`labels.env = prod AND name = vm-*`)
	if err != nil {
		b.Fatal(err)
	}
	p := Params{Filter: f, MaxResults: 500}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := List(items, p); err != nil {
			b.Fatal(err)
		}
	}
}
