package apispec

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"io"
	"sync"
)

//go:embed discovery.json.gz
var discoveryGz []byte

var (
	discoveryOnce sync.Once
	discoveryDoc  map[string]any
	discoveryErr  error
)

// Discovery returns the compute v1 discovery document with its root URL set
// to base (scheme://host[:port]), so that discovery-driven clients such as
// google-api-python-client send every call, and batches, to this server.
func Discovery(base string) ([]byte, error) {
	discoveryOnce.Do(loadDiscovery)
	if discoveryErr != nil {
		return nil, discoveryErr
	}
	doc := make(map[string]any, len(discoveryDoc))
	for k, v := range discoveryDoc {
		doc[k] = v
	}
	root := base + "/"
	doc["rootUrl"] = root
	doc["mtlsRootUrl"] = root
	doc["baseUrl"] = root + "compute/v1/"
	doc["basePath"] = "/compute/v1/"
	doc["batchPath"] = "batch/compute/v1"
	delete(doc, "endpoints")
	return json.Marshal(doc)
}

func loadDiscovery() {
	zr, err := gzip.NewReader(bytes.NewReader(discoveryGz))
	if err != nil {
		discoveryErr = err
		return
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		discoveryErr = err
		return
	}
	discoveryErr = json.Unmarshal(data, &discoveryDoc)
}
