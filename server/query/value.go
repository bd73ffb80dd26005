package query

import (
	"cmp"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// resolve returns the values at a dotted field path such as "labels.env" or
// "networkInterfaces.networkIP". A list on the way is expanded, so a path
// through a repeated field yields one value per element. A missing field or
// a JSON null yields nothing.
func resolve(item map[string]any, path []string) []any {
	values := []any{item}
	for _, name := range path {
		var next []any
		for _, v := range values {
			object, ok := v.(map[string]any)
			if !ok {
				continue
			}
			next = appendExpanded(next, object[name])
		}
		values = next
	}
	return values
}

func appendExpanded(values []any, v any) []any {
	switch v := v.(type) {
	case nil:
		return values
	case []any:
		for _, element := range v {
			values = appendExpanded(values, element)
		}
		return values
	}
	return append(values, v)
}

// text returns the string form of a scalar JSON value: a string as it is, a
// number as written in the JSON, a boolean as true or false. Objects have no
// string form.
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// compareText orders a field value against a literal: as numbers when both
// parse as numbers, as instants when both are RFC 3339 timestamps, and as
// strings otherwise. Compute Engine writes int64 fields as JSON strings, so
// "10" and 10 are both numbers here.
func compareText(value, literal string) int {
	if c, ok := compareNumbers(value, literal); ok {
		return c
	}
	if a, b, ok := parseTimes(value, literal); ok {
		return a.Compare(b)
	}
	return strings.Compare(value, literal)
}

// compareNumbers orders two decimal numbers. Integers compare exactly, because
// ids are uint64 values that float64 cannot hold.
func compareNumbers(a, b string) (int, bool) {
	x, okA := new(big.Int).SetString(a, 10)
	y, okB := new(big.Int).SetString(b, 10)
	if okA && okB {
		return x.Cmp(y), true
	}
	f, okA := parseNumber(a)
	g, okB := parseNumber(b)
	if !okA || !okB {
		return 0, false
	}
	return cmp.Compare(f, g), true
}

// parseNumber reads a decimal number. It rejects the forms ParseFloat also
// takes but a filter means as text, such as "inf", "NaN" and hex floats.
func parseNumber(s string) (float64, bool) {
	if s == "" || strings.Trim(s, "0123456789+-.eE") != "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

func parseTimes(a, b string) (time.Time, time.Time, bool) {
	x, errA := time.Parse(time.RFC3339Nano, a)
	y, errB := time.Parse(time.RFC3339Nano, b)
	return x, y, errA == nil && errB == nil
}
