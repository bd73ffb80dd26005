package query

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// tokenVersion changes with the token layout, so older tokens fail as
// invalid instead of being misread.
const tokenVersion = 1

// pageToken is the content of a nextPageToken: the sort key of the last item
// returned and a digest of the query it belongs to. It holds no server state,
// so any replica accepts it, also after a restart.
type pageToken struct {
	Version int     `json:"v"`
	Digest  string  `json:"d"`
	Last    sortKey `json:"k"`
}

// queryDigest identifies the kind of list (plain or aggregated), the filter
// and the order, so that a token cannot be reused with another of them.
func queryDigest(kind string, p Params) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + filterText(p.Filter) + "\x00" + p.OrderBy.String()))
	return hex.EncodeToString(sum[:8])
}

// filterText returns the expression of a filter from ParseFilter. NOTE: a
// Filter of another type without a String method is identified by its type
// alone, so tokens cannot tell two such filters of one type apart.
func filterText(f Filter) string {
	if s, ok := f.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", f)
}

func encodeToken(digest string, last sortKey) string {
	data, err := json.Marshal(pageToken{Version: tokenVersion, Digest: digest, Last: last})
	if err != nil {
		panic(fmt.Sprintf("query: encoding a page token: %v", err)) // a sortKey always encodes
	}
	return base64.RawURLEncoding.EncodeToString(data)
}

// decodeToken returns the last sort key of the previous page, or *Error when
// the token is malformed or was made for another filter, order or list kind.
func decodeToken(token, digest string) (sortKey, error) {
	data, err := base64.RawURLEncoding.DecodeString(token)
	var t pageToken
	if err == nil {
		err = json.Unmarshal(data, &t)
	}
	if err != nil || t.Version != tokenVersion || t.Digest != digest {
		return sortKey{}, invalidValue("pageToken", token, "Invalid page token")
	}
	return t.Last, nil
}
