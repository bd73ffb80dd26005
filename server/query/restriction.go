package query

import (
	"strings"
)

// parseRestriction reads `field operator value`.
func (p *parser) parseRestriction() (Filter, error) {
	path, err := p.parseField()
	if err != nil {
		return nil, err
	}
	op, err := p.parseOperator()
	if err != nil {
		return nil, err
	}
	if op == "eq" || op == "ne" {
		return p.parseLegacyClause(path, op)
	}
	p.aip = true
	parts, err := p.parseValue(unescapeAIP)
	if err != nil {
		return nil, err
	}
	return restrictionFor(path, op, parts), nil
}

func (p *parser) parseLegacyClause(path []string, op string) (Filter, error) {
	p.legacy = true
	parts, err := p.parseValue(keepEscapes)
	if err != nil {
		return nil, err
	}
	re, err := compileRegex(parts[0])
	if err != nil {
		return nil, err
	}
	var f Filter = regexMatch{path: path, pattern: re}
	if op == "ne" {
		f = not{f}
	}
	return f, nil
}

// restrictionFor builds the filter of one AIP-160 restriction. parts is the
// value split at unescaped '*'.
func restrictionFor(path []string, op string, parts []string) Filter {
	literal := strings.Join(parts, "*")
	eq := equals{path: path, literal: literal, pattern: wildcardPattern(parts)}
	switch op {
	case "=":
		return eq
	case "!=":
		return not{eq}
	case ":":
		return has{eq: eq, any: len(parts) == 2 && literal == "*"}
	}
	return ordering{path: path, op: op, literal: literal}
}

// parseField reads a dotted field path such as labels.env.
func (p *parser) parseField() ([]string, error) {
	start := p.pos
	c := p.src[p.pos]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return nil, p.errorf("expected a field name, found %q", c)
	}
	for p.pos < len(p.src) && isFieldChar(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	path := strings.Split(name, ".")
	for _, segment := range path {
		if segment == "" {
			return nil, p.errorf("invalid field name %q", name)
		}
	}
	return path, nil
}

var symbolOperators = []string{"<=", ">=", "!=", "=", "<", ">", ":"}

// parseOperator reads a comparison operator, or the word eq or ne of the
// legacy form.
func (p *parser) parseOperator() (string, error) {
	p.skipSpace()
	rest := p.src[p.pos:]
	for _, op := range []string{"eq", "ne"} {
		if strings.HasPrefix(rest, op) && (len(rest) == 2 || isSpace(rest[2]) ||
			rest[2] == '"' || rest[2] == '\'') {
			p.pos += 2
			return op, nil
		}
	}
	for _, op := range symbolOperators {
		if strings.HasPrefix(rest, op) {
			p.pos += len(op)
			return op, p.checkOperatorEnd(op)
		}
	}
	if rest == "" {
		return "", p.errorf("missing operator")
	}
	return "", p.errorf("unknown operator at %q", firstWord(rest))
}

// checkOperatorEnd rejects operators the grammar does not have but whose
// prefix it does, such as `=~`, `==`, `!~` and `=<`.
func (p *parser) checkOperatorEnd(op string) error {
	if p.pos < len(p.src) && strings.IndexByte("=~<>!", p.src[p.pos]) >= 0 {
		return p.errorf("unknown operator %q", op+string(p.src[p.pos]))
	}
	return nil
}

func firstWord(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 128 && isSpace(byte(r)) }); i > 0 {
		return s[:i]
	}
	return s
}
