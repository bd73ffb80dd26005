package query

import "strings"

// parseValue reads a quoted or bare value and splits it with split.
func (p *parser) parseValue(split func(string) []string) ([]string, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errorf("missing value")
	}
	if c := p.src[p.pos]; c == '"' || c == '\'' {
		raw, err := p.readQuoted(c)
		if err != nil {
			return nil, err
		}
		return split(raw), nil
	}
	raw := p.readBare()
	if raw == "" {
		return nil, p.errorf("missing value")
	}
	return split(raw), nil
}

// readQuoted returns the text between a pair of quotes with its backslash
// escapes still in place.
func (p *parser) readQuoted(quote byte) (string, error) {
	start := p.pos
	for i := start + 1; i < len(p.src); i++ {
		switch p.src[i] {
		case '\\':
			i++
		case quote:
			p.pos = i + 1
			return p.src[start+1 : i], nil
		}
	}
	return "", p.errorf("unterminated string")
}

// readBare reads an unquoted value: up to white space, or up to a ')' that
// closes a parenthesis opened before the value. Parentheses inside the value,
// as in the pattern .*(^def).*, stay part of it.
func (p *parser) readBare() string {
	start, depth := p.pos, 0
	for ; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		if isSpace(c) || c == ')' && depth == 0 {
			break
		}
		switch c {
		case '\\':
			p.pos = min(p.pos+1, len(p.src)-1)
		case '(':
			depth++
		case ')':
			depth--
		}
	}
	return p.src[start:p.pos]
}

// keepEscapes returns a legacy value whole: it is an RE2 pattern, whose
// backslashes belong to the pattern.
func keepEscapes(raw string) []string { return []string{raw} }

// unescapeAIP resolves the backslash escapes of an AIP-160 value and splits
// it at each unescaped '*', the wildcard. `\*` is a literal star.
func unescapeAIP(raw string) []string {
	var parts []string
	var part strings.Builder
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '\\' && i+1 < len(raw):
			i++
			part.WriteByte(raw[i])
		case c == '*':
			parts = append(parts, part.String())
			part.Reset()
		default:
			part.WriteByte(c)
		}
	}
	return append(parts, part.String())
}
