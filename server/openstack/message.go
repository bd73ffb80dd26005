package openstack

import (
	"encoding/json"
	"strings"
)

// serviceMessage extracts the human message from an OpenStack error body,
// whatever service sent it: Nova and Cinder {"badRequest":{"message"}},
// Neutron {"NeutronError":{"message"}}, Keystone {"error":{"message"}},
// Glance {"message"}.
func serviceMessage(body []byte) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		if len(body) > 200 {
			body = body[:200]
		}
		return string(body)
	}
	if m := stringField(top["message"]); m != "" {
		return plainText(m)
	}
	for _, v := range top {
		var inner map[string]json.RawMessage
		if json.Unmarshal(v, &inner) == nil {
			if m := stringField(inner["message"]); m != "" {
				return plainText(m)
			}
		}
	}
	return ""
}

func stringField(raw json.RawMessage) string {
	var s string
	if len(raw) > 0 && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

// plainText removes the HTML line breaks and the trailing blank lines that
// webob adds to the messages of Glance and Cinder, as in
// "URI ... does not pass filtering: http://h:8000/x<br /><br />\n\n\n".
func plainText(m string) string {
	m = strings.ReplaceAll(m, "<br />", " ")
	return strings.Join(strings.Fields(m), " ")
}
