package query

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
)

// ApplyFields trims a JSON response body to a `fields` partial-response mask
// such as "items(name,zone),nextPageToken" or "name,status,disks/source".
// A '/' selects a subfield, parentheses select several subfields, and '*'
// selects every field at its level. A mask applied to a list applies to each
// element. Object keys keep their order. An empty mask returns the body
// unchanged, and an invalid mask is *Error.
func ApplyFields(body []byte, mask string) ([]byte, error) {
	if strings.TrimSpace(mask) == "" {
		return body, nil
	}
	root, err := parseMask(mask)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if !root.apply(json.RawMessage(body), &out) {
		return nil, fmt.Errorf("query: response body is not a JSON object or list")
	}
	return out.Bytes(), nil
}

// maskNode is the selection below one field: the whole value, or only the
// listed subfields.
type maskNode struct {
	whole    bool
	children map[string]*maskNode
}

func (n *maskNode) child(name string) *maskNode {
	if n.children == nil {
		n.children = map[string]*maskNode{}
	}
	c, ok := n.children[name]
	if !ok {
		c = &maskNode{}
		n.children[name] = c
	}
	return c
}

// merge adds the selection src to n. Selecting a whole field absorbs any
// selection of its subfields.
func (n *maskNode) merge(src *maskNode) {
	if n.whole {
		return
	}
	if src.whole {
		n.whole, n.children = true, nil
		return
	}
	for name, c := range src.children {
		n.child(name).merge(c)
	}
}

// childFor returns the selection of one key: its own, the '*' selection,
// or both merged. It returns nil when the mask does not select the key.
func (n *maskNode) childFor(key string) *maskNode {
	named, star := n.children[key], n.children["*"]
	if named == nil || star == nil {
		return cmp.Or(named, star)
	}
	merged := &maskNode{}
	merged.merge(named)
	merged.merge(star)
	return merged
}

// apply writes the selected part of value to out. It reports false, and
// writes nothing, for a scalar or malformed value that has no selected part.
func (n *maskNode) apply(value json.RawMessage, out *bytes.Buffer) bool {
	if n.whole {
		out.Write(value)
		return true
	}
	switch trimmed := bytes.TrimSpace(value); {
	case len(trimmed) > 0 && trimmed[0] == '{':
		return n.applyObject(trimmed, out)
	case len(trimmed) > 0 && trimmed[0] == '[':
		return n.applyList(trimmed, out)
	}
	return false
}

func (n *maskNode) applyObject(value json.RawMessage, out *bytes.Buffer) bool {
	decoder := json.NewDecoder(bytes.NewReader(value))
	if _, err := decoder.Token(); err != nil {
		return false
	}
	var fields bytes.Buffer
	for decoder.More() {
		key, err := decoder.Token()
		var field json.RawMessage
		if err == nil {
			err = decoder.Decode(&field)
		}
		if err != nil {
			return false
		}
		n.writeField(key.(string), field, &fields)
	}
	out.WriteByte('{')
	out.Write(fields.Bytes())
	out.WriteByte('}')
	return true
}

// writeField appends `"key":value` to fields when the mask selects the key.
func (n *maskNode) writeField(key string, value json.RawMessage, fields *bytes.Buffer) {
	selection := n.childFor(key)
	if selection == nil {
		return
	}
	var selected bytes.Buffer
	if !selection.apply(value, &selected) {
		return
	}
	if fields.Len() > 0 {
		fields.WriteByte(',')
	}
	name, _ := json.Marshal(key)
	fields.Write(name)
	fields.WriteByte(':')
	fields.Write(selected.Bytes())
}

func (n *maskNode) applyList(value json.RawMessage, out *bytes.Buffer) bool {
	var elements []json.RawMessage
	if err := json.Unmarshal(value, &elements); err != nil {
		return false
	}
	out.WriteByte('[')
	written := 0
	for _, element := range elements {
		var selected bytes.Buffer
		if !n.apply(element, &selected) {
			continue
		}
		if written > 0 {
			out.WriteByte(',')
		}
		out.Write(selected.Bytes())
		written++
	}
	out.WriteByte(']')
	return true
}
