package query

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxNesting bounds the depth of parentheses and NOT in one filter.
const maxNesting = 64

// ParseFilter parses a list filter in either of the two forms Compute Engine
// accepts, which cannot be mixed in one expression:
//
//   - the legacy form `field eq "RE2"` / `field ne "RE2"`, whose clauses are
//     joined by juxtaposition, as in `(name eq "a.*")(zone eq ".*b")`;
//   - the AIP-160 form: `=`, `!=`, `:`, `<`, `<=`, `>`, `>=`, AND, OR, NOT
//     or a leading `-`, parentheses, and juxtaposition meaning AND.
//
// An empty expression returns MatchAll. Anything the parser cannot evaluate
// returns *Error, so no clause is ever dropped.
func ParseFilter(expr string) (Filter, error) {
	if strings.TrimSpace(expr) == "" {
		return MatchAll, nil
	}
	if !utf8.ValidString(expr) {
		return nil, invalidValue("filter", expr, "Invalid list filter expression: not valid UTF-8")
	}
	p := &parser{src: expr}
	root, err := p.parseAll()
	if err != nil {
		return nil, invalidValue("filter", expr, "Invalid list filter expression: "+err.Error())
	}
	return expression{text: expr, root: root}, nil
}

// parser is a recursive-descent parser over the filter text. It records
// which of the two forms each construct belongs to, to reject a mix.
type parser struct {
	src    string
	pos    int
	depth  int
	legacy bool // an eq or ne clause was seen
	aip    bool // an AIP-160 operator or keyword was seen
}

func (p *parser) parseAll() (Filter, error) {
	f, err := p.parseExpression()
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.pos < len(p.src) {
		return nil, p.errorf("unexpected %q", p.src[p.pos])
	}
	if p.legacy && p.aip {
		return nil, fmt.Errorf("the eq/ne form cannot be combined with AND, OR, NOT, " +
			"'-' or the =, !=, :, <, <=, >, >= operators")
	}
	return f, nil
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s at column %d", fmt.Sprintf(format, args...), p.pos+1)
}

// parseExpression reads sequences joined by AND.
func (p *parser) parseExpression() (Filter, error) {
	return p.parseJoined("AND", p.parseSequence, func(fs []Filter) Filter { return allOf(fs) })
}

// parseFactor reads terms joined by OR, which binds tighter than AND and
// juxtaposition, as AIP-160 defines.
func (p *parser) parseFactor() (Filter, error) {
	return p.parseJoined("OR", p.parseTerm, func(fs []Filter) Filter { return anyOf(fs) })
}

func (p *parser) parseJoined(keyword string, next func() (Filter, error),
	join func([]Filter) Filter) (Filter, error) {
	f, err := next()
	if err != nil {
		return nil, err
	}
	terms := []Filter{f}
	for p.skipSpace(); p.keyword(keyword); p.skipSpace() {
		p.aip = true
		p.pos += len(keyword)
		if f, err = next(); err != nil {
			return nil, err
		}
		terms = append(terms, f)
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return join(terms), nil
}

// parseSequence reads factors separated by white space or written side by
// side, as in `(a = 1) (b = 2)` or `(a eq 1)(b eq 2)`. All must match.
func (p *parser) parseSequence() (Filter, error) {
	var terms []Filter
	for {
		f, err := p.parseFactor()
		if err != nil {
			return nil, err
		}
		terms = append(terms, f)
		if p.skipSpace(); p.atSequenceEnd() {
			break
		}
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return allOf(terms), nil
}

func (p *parser) atSequenceEnd() bool {
	return p.pos >= len(p.src) || p.src[p.pos] == ')' || p.keyword("AND")
}

// parseTerm reads a simple term, negated by NOT or a leading '-'.
func (p *parser) parseTerm() (Filter, error) {
	p.skipSpace()
	negated := false
	switch {
	case p.keyword("NOT"):
		p.pos += len("NOT")
		negated = true
	case strings.HasPrefix(p.src[p.pos:], "-"):
		p.pos++
		negated = true
	}
	if !negated {
		return p.parseSimple()
	}
	p.aip = true
	f, err := p.nested(p.parseTerm)
	if err != nil {
		return nil, err
	}
	return not{f}, nil
}

// parseSimple reads a parenthesised expression or one restriction.
func (p *parser) parseSimple() (Filter, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, p.errorf("missing term")
	}
	for _, kw := range []string{"AND", "OR", "NOT"} {
		if p.keyword(kw) {
			return nil, p.errorf("unexpected %s", kw)
		}
	}
	if p.src[p.pos] != '(' {
		return p.parseRestriction()
	}
	p.pos++
	f, err := p.nested(p.parseExpression)
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.pos >= len(p.src) || p.src[p.pos] != ')' {
		return nil, p.errorf("missing ')'")
	}
	p.pos++
	return f, nil
}

// nested runs parse one level deeper and rejects deep nesting, which
// would only serve to exhaust the stack.
func (p *parser) nested(parse func() (Filter, error)) (Filter, error) {
	if p.depth++; p.depth > maxNesting {
		return nil, p.errorf("more than %d nested parentheses or negations", maxNesting)
	}
	defer func() { p.depth-- }()
	return parse()
}

// keyword reports whether the upper-case word kw starts at the current
// position and ends there, so that a field such as ANDROID is no keyword.
func (p *parser) keyword(kw string) bool {
	if !strings.HasPrefix(p.src[p.pos:], kw) {
		return false
	}
	end := p.pos + len(kw)
	return end == len(p.src) || !isFieldChar(p.src[end])
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func isFieldChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '.'
}

// compileRegex anchors a legacy pattern so that it must match the whole value.
// The pattern is compiled alone first: a pattern that is valid alone has
// balanced parentheses, so the anchoring group cannot be broken by it.
func compileRegex(pattern string) (*regexp.Regexp, error) {
	if _, err := regexp.Compile(pattern); err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %v", pattern, err)
	}
	return regexp.MustCompile("^(?:" + pattern + ")$"), nil
}
