package query

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"testing"
)

func FuzzParseFilter(f *testing.F) {
	for _, seed := range []string{
		`name eq web`, `(name eq ".*\bfw2\b.*")(network eq ".*\bdefault\b.*")`,
		`name ne ".*\bfw2\b.*"`, `name eq ".*(^def).*"`, `labels.env = prod`, `labels.env:*`,
		`(name = a) (status = RUNNING)`, `NOT a = b OR -c:d AND e >= 2024-01-01T00:00:00Z`,
		`(name eq web-.*) AND labels.env = prod`, `name = "web-\*"`, `id > 1001`, `tags.items:web`,
	} {
		f.Add(seed)
	}
	var objects []map[string]any
	for _, vm := range instances() {
		object, err := jsonObject(vm)
		if err != nil {
			f.Fatal(err)
		}
		objects = append(objects, object)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		filter, err := ParseFilter(expr)
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || qe.Field != "filter" {
				t.Fatalf("ParseFilter(%q) error %v is not a filter *Error", expr, err)
			}
			return
		}
		for _, object := range objects {
			filter.Match(object)
		}
	})
}

func FuzzParseParams(f *testing.F) {
	_, token, err := List(fiveNetworks(), Params{MaxResults: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("", "2", token, "", "True", "0")
	f.Add("name = net-*", "500", "", "creationTimestamp desc", "false", "1")
	f.Add("name eq x", "-1", "abc", "name", "yes", "")
	f.Fuzz(func(t *testing.T, filter, maxResults, pageToken, orderBy, partial, allScopes string) {
		q := url.Values{
			"filter": {filter}, "maxResults": {maxResults}, "pageToken": {pageToken},
			"orderBy": {orderBy}, "returnPartialSuccess": {partial}, "includeAllScopes": {allScopes},
		}
		p, err := ParseParams(q)
		if err == nil {
			_, _, err = List(fiveNetworks(), p)
		}
		if err == nil {
			_, _, err = Aggregated(zoneScopes(), p)
		}
		var qe *Error
		if err != nil && !errors.As(err, &qe) {
			t.Fatalf("error %v is not *Error", err)
		}
	})
}

func FuzzApplyFields(f *testing.F) {
	list := []byte(`{"kind":"compute#instanceList","items":[{"name":"a","disks":[{"source":"s"}],` +
		`"labels":{"env":"prod"}}],"nextPageToken":"t"}`)
	for _, mask := range []string{"items(name,zone),nextPageToken", "name,status,disks/source", "*/x", "a(b(c))"} {
		f.Add(list, mask)
	}
	f.Add([]byte(`[{"a":1},2,"x",null]`), "a")
	f.Fuzz(func(t *testing.T, body []byte, mask string) {
		out, err := ApplyFields(body, mask)
		var qe *Error
		jsonBody := json.Valid(body) && len(bytes.TrimSpace(body)) > 0 &&
			bytes.ContainsAny(bytes.TrimSpace(body)[:1], "{[")
		switch {
		case err != nil && jsonBody && !errors.As(err, &qe):
			t.Fatalf("ApplyFields(%q) on a JSON body: error %v is not *Error", mask, err)
		case err == nil && jsonBody && !json.Valid(out):
			t.Fatalf("ApplyFields(%q) wrote invalid JSON %q", mask, out)
		}
	})
}
