package compute

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	compute "google.golang.org/api/compute/v1"

	"github.com/gce-api/gce-api/server/gce"
)

// Size limits of Compute Engine v1 request fields. Every limit is inclusive.
const (
	maxDescriptionChars   = 2048      // description of any resource
	maxLabels             = 64        // labels per resource
	maxLabelChars         = 63        // characters of a label key or value
	minDiskSizeGB         = 1         // sizeGb of a persistent disk
	maxDiskSizeGB         = 65536     // sizeGb of a persistent disk
	maxMetadataBytes      = 512 << 10 // keys and values of all metadata items
	maxMetadataValueBytes = 256 << 10 // value of one metadata item
	maxMetadataKeyChars   = 128       // key of one metadata item
)

var (
	labelKeyPattern   = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	labelValuePattern = regexp.MustCompile(`^[a-z0-9_-]*$`)
	metadataKeyRE     = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
)

// checkDescription rejects a description of more than 2048 characters.
// field is the request field, such as "resource.description".
func checkDescription(field, text string) error {
	if n := utf8.RuneCountInString(text); n > maxDescriptionChars {
		return gce.InvalidField(field, abbreviate(text), fmt.Sprintf(
			"The description has %d characters, but at most %d are allowed.", n, maxDescriptionChars))
	}
	return nil
}

// checkLabels rejects more than 64 labels, keys or values of more than 63
// characters, and keys or values with characters other than lowercase
// letters, digits, '-' and '_'. Keys must start with a letter.
func checkLabels(labels map[string]string) error {
	if len(labels) > maxLabels {
		return gce.InvalidField("resource.labels", fmt.Sprintf("%d labels", len(labels)), fmt.Sprintf(
			"A resource can have at most %d labels.", maxLabels))
	}
	for k, v := range labels {
		if err := checkLabel(k, v); err != nil {
			return err
		}
	}
	return nil
}

func checkLabel(key, value string) error {
	pair := abbreviate(key + "=" + value)
	if utf8.RuneCountInString(key) > maxLabelChars || utf8.RuneCountInString(value) > maxLabelChars {
		return gce.InvalidField("resource.labels", pair, fmt.Sprintf(
			"Label keys and values can have at most %d characters.", maxLabelChars))
	}
	if !labelKeyPattern.MatchString(key) || !labelValuePattern.MatchString(value) {
		return gce.InvalidField("resource.labels", pair, "Label keys must start with a lowercase "+
			"letter, and label keys and values may contain only lowercase letters, digits, '-' and '_'.")
	}
	return nil
}

// checkDiskSize rejects a disk size outside 1 to 65536 GB. Call it only
// when the request gives a size, because an absent size has a default.
func checkDiskSize(field string, sizeGB int64) error {
	if sizeGB < minDiskSizeGB || sizeGB > maxDiskSizeGB {
		return gce.InvalidField(field, fmt.Sprint(sizeGB), fmt.Sprintf(
			"Disk size must be from %d to %d GB.", minDiskSizeGB, maxDiskSizeGB))
	}
	return nil
}

// checkMetadata rejects null items, keys that do not match
// [a-zA-Z0-9_-]{1,128}, duplicate keys, a value of more than 256 KB and
// more than 512 KB of keys and values in total. field names the metadata
// in messages, such as "resource.metadata".
func checkMetadata(field string, items []*compute.MetadataItems) error {
	seen := map[string]bool{}
	total := 0
	for i, item := range items {
		itemField := fmt.Sprintf("%s.items[%d]", field, i)
		if err := checkMetadataItem(itemField, item, seen); err != nil {
			return err
		}
		total += len(item.Key) + metadataValueBytes(item)
	}
	if total > maxMetadataBytes {
		return gce.InvalidField(field, fmt.Sprintf("%d bytes", total), fmt.Sprintf(
			"The keys and values of all metadata items can have at most %d bytes in total.", maxMetadataBytes))
	}
	return nil
}

func checkMetadataItem(field string, item *compute.MetadataItems, seen map[string]bool) error {
	if item == nil {
		return gce.InvalidField(field, "null", "Each metadata item must be an object with a key and a value.")
	}
	if !metadataKeyRE.MatchString(item.Key) {
		return gce.InvalidField(field+".key", abbreviate(item.Key), fmt.Sprintf(
			"Metadata keys must be 1 to %d letters, digits, '-' or '_'.", maxMetadataKeyChars))
	}
	if seen[item.Key] {
		return gce.InvalidField(field+".key", item.Key, "Metadata keys must be unique.")
	}
	seen[item.Key] = true
	if n := metadataValueBytes(item); n > maxMetadataValueBytes {
		return gce.InvalidField(field+".value", fmt.Sprintf("%d bytes", n), fmt.Sprintf(
			"A metadata value can have at most %d bytes.", maxMetadataValueBytes))
	}
	return nil
}

func metadataValueBytes(item *compute.MetadataItems) int {
	if item.Value == nil {
		return 0
	}
	return len(*item.Value)
}

// abbreviate shortens a long request value to its first 64 characters for
// an error message.
func abbreviate(text string) string {
	const keep = 64
	if utf8.RuneCountInString(text) <= keep {
		return text
	}
	runes := []rune(text)
	return string(runes[:keep]) + "..."
}
