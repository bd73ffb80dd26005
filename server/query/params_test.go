package query

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParseParamsDefaults(t *testing.T) {
	p, err := ParseParams(url.Values{})
	if err != nil {
		t.Fatalf("ParseParams: %v", err)
	}
	if p.Filter != MatchAll {
		t.Errorf("Filter = %v, want MatchAll", p.Filter)
	}
	if p.MaxResults != 500 {
		t.Errorf("MaxResults = %d, want 500", p.MaxResults)
	}
	if p.OrderBy != (Order{Field: "name"}) {
		t.Errorf("OrderBy = %+v, want name ascending", p.OrderBy)
	}
	if p.ReturnPartialSuccess || p.IncludeAllScopes {
		t.Errorf("booleans = %v, %v, want false", p.ReturnPartialSuccess, p.IncludeAllScopes)
	}
}

func TestParseParamsValues(t *testing.T) {
	q := url.Values{
		"filter":               {"name = a"},
		"maxResults":           {"2"},
		"pageToken":            {"tok"},
		"orderBy":              {"creationTimestamp desc"},
		"returnPartialSuccess": {"True"},
		"includeAllScopes":     {"1"},
	}
	p, err := ParseParams(q)
	if err != nil {
		t.Fatalf("ParseParams: %v", err)
	}
	if p.MaxResults != 2 {
		t.Errorf("MaxResults = %d, want 2", p.MaxResults)
	}
	if p.PageToken != "tok" {
		t.Errorf("PageToken = %q, want tok", p.PageToken)
	}
	if p.OrderBy != (Order{Field: "creationTimestamp", Descending: true}) {
		t.Errorf("OrderBy = %+v, want creationTimestamp desc", p.OrderBy)
	}
	if !p.ReturnPartialSuccess || !p.IncludeAllScopes {
		t.Errorf("booleans = %v, %v, want true", p.ReturnPartialSuccess, p.IncludeAllScopes)
	}
	if got := filterText(p.Filter); got != "name = a" {
		t.Errorf("filter text = %q, want %q", got, "name = a")
	}
}

func TestParseParamsMaxResults(t *testing.T) {
	for value, want := range map[string]int{"": 500, "0": 500, "1": 1, "500": 500, "37": 37} {
		p, err := ParseParams(url.Values{"maxResults": {value}})
		if err != nil {
			t.Errorf("maxResults=%q: %v", value, err)
			continue
		}
		if p.MaxResults != want {
			t.Errorf("maxResults=%q gives %d, want %d", value, p.MaxResults, want)
		}
	}
}

func TestParseParamsBooleans(t *testing.T) {
	for value, want := range map[string]bool{
		"true": true, "True": true, "1": true, "false": false, "False": false, "0": false,
	} {
		p, err := ParseParams(url.Values{"returnPartialSuccess": {value}, "includeAllScopes": {value}})
		if err != nil {
			t.Errorf("%q: %v", value, err)
			continue
		}
		if p.ReturnPartialSuccess != want || p.IncludeAllScopes != want {
			t.Errorf("%q gives %v, %v, want %v", value, p.ReturnPartialSuccess, p.IncludeAllScopes, want)
		}
	}
}

func TestParseParamsInvalid(t *testing.T) {
	cases := []struct {
		name, value, message string
	}{
		{"maxResults", "501", "Invalid value for field 'maxResults': '501'. Must be less than or equal to 500"},
		{"maxResults", "-1", "Invalid value for field 'maxResults': '-1'. Must be greater than or equal to 0"},
		{"maxResults", "ten", "Invalid value for field 'maxResults': 'ten'. Must be an integer"},
		{"maxResults", "1.5", "Invalid value for field 'maxResults': '1.5'. Must be an integer"},
		{"returnPartialSuccess", "yes", "Invalid value for field 'returnPartialSuccess': 'yes'. Must be true or false"},
		{"includeAllScopes", "TRUE", "Invalid value for field 'includeAllScopes': 'TRUE'. Must be true or false"},
		{"orderBy", "zone", "Invalid value for field 'orderBy': 'zone'."},
		{"orderBy", "name desc", "Invalid value for field 'orderBy': 'name desc'."},
		{"orderBy", "creationTimestamp down", "Invalid value for field 'orderBy'"},
		{"filter", "name ~ x", "Invalid value for field 'filter': 'name ~ x'. Invalid list filter expression"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := ParseParams(url.Values{tc.name: {tc.value}})
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("error = %v, want *Error", err)
			}
			if qe.Field != tc.name {
				t.Errorf("Field = %q, want %q", qe.Field, tc.name)
			}
			if !strings.HasPrefix(qe.Message, tc.message) {
				t.Errorf("Message = %q, want prefix %q", qe.Message, tc.message)
			}
		})
	}
}

func TestParseOrder(t *testing.T) {
	cases := map[string]Order{
		"":                         {Field: "name"},
		"name":                     {Field: "name"},
		"name asc":                 {Field: "name"},
		"creationTimestamp":        {Field: "creationTimestamp"},
		"creationTimestamp asc":    {Field: "creationTimestamp"},
		"creationTimestamp desc":   {Field: "creationTimestamp", Descending: true},
		" creationTimestamp  desc": {Field: "creationTimestamp", Descending: true},
	}
	for value, want := range cases {
		got, err := ParseOrder(value)
		if err != nil {
			t.Errorf("ParseOrder(%q): %v", value, err)
			continue
		}
		if got != want {
			t.Errorf("ParseOrder(%q) = %+v, want %+v", value, got, want)
		}
	}
}
