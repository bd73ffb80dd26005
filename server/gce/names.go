package gce

import (
	"crypto/sha256"
	"encoding/binary"
	"regexp"
	"strconv"
	"time"
)

var nameRE = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$`)

// ValidName reports whether name is a valid resource name:
// [a-z]([-a-z0-9]{0,61}[a-z0-9])?, at most 63 characters.
func ValidName(name string) bool {
	return nameRE.MatchString(name)
}

// CheckName returns an invalid error when name is not a valid resource name,
// and a required error when it is empty.
func CheckName(field, name string) error {
	if name == "" {
		return Required(field)
	}
	if !ValidName(name) {
		return InvalidField(field, name,
			"Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'")
	}
	return nil
}

// ID derives the numeric id of a resource from its OpenStack UUID (or any
// other stable key) alone, so it survives restarts, replicas and changes of
// the public URL. The result is never 0.
func ID(key string) uint64 {
	sum := sha256.Sum256([]byte(key))
	id := binary.BigEndian.Uint64(sum[:8]) >> 1 // keep it in int64 range for clients that parse it signed
	if id == 0 {
		return 1
	}
	return id
}

// IDString is ID as the decimal string the API sends.
func IDString(key string) string {
	return strconv.FormatUint(ID(key), 10)
}

// Timestamp formats t the way Compute Engine formats creationTimestamp and
// the operation times: RFC 3339 with milliseconds and a numeric zone.
func Timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000-07:00")
}
