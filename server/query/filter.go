package query

import (
	"regexp"
	"strings"
)

// Filter selects list items. An item is the JSON form of a compute/v1 struct
// decoded into a map, with numbers kept as json.Number.
type Filter interface {
	Match(item map[string]any) bool
}

// MatchAll is the filter of a request without one: it matches every item.
var MatchAll Filter = matchAll{}

type matchAll struct{}

func (matchAll) Match(map[string]any) bool { return true }
func (matchAll) String() string            { return "" }

// expression is a parsed filter together with its text. The text goes into
// the digest of page tokens, so a token works only with the filter that made it.
type expression struct {
	text string
	root Filter
}

func (e expression) Match(item map[string]any) bool { return e.root.Match(item) }
func (e expression) String() string                 { return e.text }

type allOf []Filter

func (f allOf) Match(item map[string]any) bool {
	for _, term := range f {
		if !term.Match(item) {
			return false
		}
	}
	return true
}

type anyOf []Filter

func (f anyOf) Match(item map[string]any) bool {
	for _, term := range f {
		if term.Match(item) {
			return true
		}
	}
	return false
}

type not struct{ term Filter }

func (f not) Match(item map[string]any) bool { return !f.term.Match(item) }

// anyValue reports whether some value at path satisfies match. A repeated
// field matches when any of its elements does.
func anyValue(item map[string]any, path []string, match func(any) bool) bool {
	for _, v := range resolve(item, path) {
		if match(v) {
			return true
		}
	}
	return false
}

// regexMatch is the legacy `field eq "RE2"` clause: the pattern, anchored at
// both ends, must match the whole string form of the field.
type regexMatch struct {
	path    []string
	pattern *regexp.Regexp
}

func (f regexMatch) Match(item map[string]any) bool {
	return anyValue(item, f.path, func(v any) bool {
		s, ok := text(v)
		return ok && f.pattern.MatchString(s)
	})
}

// equals is the AIP-160 `field = value` clause. Strings compare literally,
// except that an unescaped `*` in the value matches any run of characters.
// A JSON number or boolean field compares by value, so `priority = 1000.0`
// matches 1000.
type equals struct {
	path    []string
	literal string
	pattern *regexp.Regexp // set when the value has a wildcard
}

func (f equals) Match(item map[string]any) bool {
	return anyValue(item, f.path, f.matchValue)
}

func (f equals) matchValue(v any) bool {
	s, ok := text(v)
	switch {
	case !ok:
		return false
	case f.pattern != nil:
		return f.pattern.MatchString(s)
	case s == f.literal:
		return true
	}
	if _, isString := v.(string); isString {
		return false
	}
	c, numeric := compareNumbers(s, f.literal)
	return numeric && c == 0
}

// has is the AIP-160 `field:value` clause. `field:*` matches when the field
// is present. On an object, such as labels, the value names a key. On a
// scalar, `:` compares as `=` does.
type has struct {
	eq  equals
	any bool // the value is the bare wildcard
}

func (f has) Match(item map[string]any) bool {
	return anyValue(item, f.eq.path, func(v any) bool {
		if f.any {
			return true
		}
		if object, ok := v.(map[string]any); ok {
			_, found := object[f.eq.literal]
			return found
		}
		return f.eq.matchValue(v)
	})
}

// ordering is the AIP-160 `<`, `<=`, `>` and `>=` clause, on numbers, RFC 3339
// timestamps, or else strings in byte order.
type ordering struct {
	path    []string
	op      string
	literal string
}

func (f ordering) Match(item map[string]any) bool {
	return anyValue(item, f.path, func(v any) bool {
		s, ok := text(v)
		return ok && holds(f.op, compareText(s, f.literal))
	})
}

func holds(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// wildcardPattern compiles value parts split at unescaped `*` into an
// anchored pattern. It returns nil for a value without a wildcard.
func wildcardPattern(parts []string) *regexp.Regexp {
	if len(parts) < 2 {
		return nil
	}
	quoted := make([]string, len(parts))
	for i, part := range parts {
		quoted[i] = regexp.QuoteMeta(part)
	}
	return regexp.MustCompile("(?s)^" + strings.Join(quoted, ".*") + "$")
}
