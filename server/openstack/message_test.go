package openstack

import "testing"

func TestServiceMessage(t *testing.T) {
	for body, want := range map[string]string{
		`{"badRequest": {"code": 400, "message": "Invalid flavorRef provided."}}`:                                                                                   "Invalid flavorRef provided.",
		`{"NeutronError": {"type": "X", "message": "Quota exceeded", "detail": ""}}`:                                                                                "Quota exceeded",
		`{"message": "URI for web-download does not pass filtering: http://127.0.0.1:8000/d<br /><br />\n\n\n", "code": "400 Bad Request", "title": "Bad Request"}`: "URI for web-download does not pass filtering: http://127.0.0.1:8000/d",
		`not json`: "not json",
	} {
		if got := serviceMessage([]byte(body)); got != want {
			t.Errorf("serviceMessage(%s) = %q, want %q", body, got, want)
		}
	}
}
