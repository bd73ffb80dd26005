package compute

import "encoding/json"

// mustJSON encodes v, which must be a value encoding/json can always encode
// (plain structs, maps and slices of them).
func mustJSON(v any) json.RawMessage {
	data, _ := json.Marshal(v)
	return data
}
