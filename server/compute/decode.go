package compute

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/gce-api/gce-api/server/gce"
)

// decodeBody decodes a JSON request body into v, a pointer to a compute/v1
// struct, with the leniency real clients need. An empty body, JSON null or a
// JSON string ("ignored") decode as an empty object. int64 fields accept a
// number or a string, and booleans accept "true"/"false" strings. A field
// that v's type does not have is invalid, as in Compute Engine, unless it
// is null.
func decodeBody(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] == '"' || string(trimmed) == "null" {
		return nil
	}
	if trimmed[0] != '{' {
		return gce.Invalid("Invalid JSON payload received. The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var raw any
	if err := dec.Decode(&raw); err != nil {
		return payloadError(err)
	}
	if dec.More() {
		return gce.Invalid("Invalid JSON payload received. Unexpected data after the JSON object.")
	}
	if path := nullElement(raw, "resource"); path != "" {
		return gce.Invalid("Invalid value at '%s': null is not allowed in a list.", path)
	}
	fixed, err := json.Marshal(coerce(raw, reflect.TypeOf(v)))
	if err != nil {
		return payloadError(err)
	}
	strict := json.NewDecoder(bytes.NewReader(fixed))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		return payloadError(err)
	}
	return nil
}

// payloadError words a JSON decoding error for the client, without Go
// type names.
func payloadError(err error) error {
	// encoding/json reports an unknown field only in its message text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return gce.Invalid("Invalid JSON payload received. Unknown name %s: Cannot find field.", name)
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return gce.Invalid("Invalid value at 'resource.%s': a JSON %s is not allowed here.",
			typeErr.Field, typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return gce.Invalid("Invalid JSON payload received. Syntax error at byte %d.", syntaxErr.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return gce.Invalid("Invalid JSON payload received. The body ends in the middle of a value.")
	}
	return gce.Invalid("Invalid JSON payload received. A field has a value of the wrong type.")
}

// nullElement returns the path of the first null element of a list inside
// x, or "" when there is none.
func nullElement(x any, path string) string {
	switch v := x.(type) {
	case map[string]any:
		for k, child := range v {
			if p := nullElement(child, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, child := range v {
			at := path + "[" + strconv.Itoa(i) + "]"
			if child == nil {
				return at
			}
			if p := nullElement(child, at); p != "" {
				return p
			}
		}
	}
	return ""
}

// coerce rewrites the decoded JSON value x to the encodings type t expects.
func coerce(x any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := x.(type) {
	case map[string]any:
		return coerceObject(v, t)
	case []any:
		if t.Kind() == reflect.Slice {
			for i := range v {
				v[i] = coerce(v[i], t.Elem())
			}
		}
	case json.Number:
		if t.Kind() == reflect.String {
			return v.String()
		}
	case string:
		return coerceString(v, t)
	}
	return x
}

func coerceObject(m map[string]any, t reflect.Type) any {
	switch t.Kind() {
	case reflect.Map:
		for k, v := range m {
			m[k] = coerce(v, t.Elem())
		}
	case reflect.Struct:
		// A null value sets nothing, so a null field is dropped before the
		// strict decode, even one the type does not have.
		for k, v := range m {
			if v == nil {
				delete(m, k)
			}
		}
		for i := 0; i < t.NumField(); i++ {
			coerceField(m, t.Field(i))
		}
	}
	return m
}

func coerceField(m map[string]any, f reflect.StructField) {
	name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" || name == "-" {
		return
	}
	v, ok := m[name]
	if !ok || v == nil {
		return
	}
	if strings.Contains(opts, "string") {
		if n, isNum := v.(json.Number); isNum {
			m[name] = n.String()
		}
		return
	}
	m[name] = coerce(v, f.Type)
}

func coerceString(s string, t reflect.Type) any {
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint64, reflect.Float64:
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	case reflect.Bool:
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	return s
}
