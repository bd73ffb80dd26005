package openstack

import (
	"net/http"
	"strconv"
	"strings"
)

// Microversion ranges of the recorded Zed services.
const (
	novaMaxMinor   = 93 // Nova 2.1 to 2.93
	cinderMaxMinor = 70 // Cinder 3.0 to 3.70
)

// negotiate reads the microversion headers of Nova and Cinder requests.
func (cl *call) negotiate() (reply, bool) {
	switch cl.svc {
	case svcCompute:
		return cl.negotiateCompute()
	case svcVolume:
		return cl.negotiateVolume()
	}
	return reply{}, true
}

// negotiateCompute accepts "X-OpenStack-Nova-API-Version: 2.N" or
// "OpenStack-API-Version: compute 2.N"; without either it serves 2.1.
func (cl *call) negotiateCompute() (reply, bool) {
	text := cl.r.Header.Get("X-OpenStack-Nova-API-Version")
	if v, ok := serviceVersion(cl.r.Header, "compute"); ok {
		text = v
	}
	if text == "" {
		text = "2.1"
	}
	if text == "latest" {
		text = "2." + strconv.Itoa(novaMaxMinor)
	}
	cl.mvText = text
	minor, ok := parseMinor(text, "2")
	if !ok {
		cl.mvText = ""
		return cl.fail(http.StatusBadRequest, "", "API Version String %s is of invalid format. "+
			"Must be of format MajorNum.MinorNum.", text), false
	}
	if minor < 1 || minor > novaMaxMinor {
		return cl.fail(http.StatusNotAcceptable, "", "Version %s is not supported by the API. "+
			"Minimum is 2.1 and maximum is 2.%d.", text, novaMaxMinor), false
	}
	cl.mv = minor
	return reply{}, true
}

// negotiateVolume accepts "OpenStack-API-Version: volume 3.N" (or volumev3);
// Zed rejects the "block-storage" service name with 400 and ignores the
// legacy X-OpenStack-Volume-API-Version header.
func (cl *call) negotiateVolume() (reply, bool) {
	text := "3.0"
	if v, ok := serviceVersion(cl.r.Header, "volume"); ok {
		text = v
	} else if v, ok := serviceVersion(cl.r.Header, "volumev3"); ok {
		text = v
	} else if _, ok := serviceVersion(cl.r.Header, "block-storage"); ok {
		return cl.fail(http.StatusBadRequest, "", "The server could not comply with the "+
			"request since it is either malformed or otherwise incorrect."), false
	}
	if text == "latest" {
		text = "3." + strconv.Itoa(cinderMaxMinor)
	}
	cl.mvText = text
	minor, ok := parseMinor(text, "3")
	if !ok || minor > cinderMaxMinor {
		return cl.fail(http.StatusNotAcceptable, "", "Version %s is not supported by the API. "+
			"Minimum is 3.0 and maximum is 3.%d.", text, cinderMaxMinor), false
	}
	cl.mv = minor
	return reply{}, true
}

// serviceVersion returns the version that OpenStack-API-Version names for
// service.
func serviceVersion(h http.Header, service string) (string, bool) {
	for _, value := range h.Values("OpenStack-API-Version") {
		for _, item := range strings.Split(value, ",") {
			fields := strings.Fields(item)
			if len(fields) == 2 && strings.EqualFold(fields[0], service) {
				return fields[1], true
			}
		}
	}
	return "", false
}

// parseMinor parses "major.minor" and returns minor.
func parseMinor(text, major string) (int, bool) {
	maj, min, found := strings.Cut(text, ".")
	if !found || maj != major {
		return 0, false
	}
	n, err := strconv.Atoi(min)
	return n, err == nil && n >= 0
}

func (cl *call) setComputeVersion(h http.Header) {
	if cl.mvText == "" {
		return
	}
	h.Set("OpenStack-API-Version", "compute "+cl.mvText)
	h.Set("X-OpenStack-Nova-API-Version", cl.mvText)
	h["Vary"] = []string{"OpenStack-API-Version", "X-OpenStack-Nova-API-Version"}
}

func (cl *call) setVolumeVersion(h http.Header) {
	if cl.mvText == "" {
		return
	}
	h.Set("OpenStack-API-Version", "volume "+cl.mvText)
	h.Set("Vary", "OpenStack-API-Version")
}
