package query

import "fmt"

// maxMaskNesting bounds the depth of parentheses in a fields mask.
const maxMaskNesting = 32

// parseMask parses a fields mask:
//
//	mask      = selection { "," selection }
//	selection = path [ "(" mask ")" ]
//	path      = name { "/" name }
//	name      = letters, digits, '_' and '-', or "*"
func parseMask(mask string) (*maskNode, error) {
	p := &maskParser{src: mask}
	root, err := p.parseList(0)
	if err == nil && p.pos < len(p.src) {
		err = p.errorf("unexpected %q", p.src[p.pos])
	}
	if err != nil {
		return nil, invalidValue("fields", mask, "Invalid field selection: "+err.Error())
	}
	return root, nil
}

type maskParser struct {
	src string
	pos int
}

func (p *maskParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s at column %d", fmt.Sprintf(format, args...), p.pos+1)
}

// parseList reads selections separated by commas into one node.
func (p *maskParser) parseList(depth int) (*maskNode, error) {
	if depth > maxMaskNesting {
		return nil, p.errorf("more than %d nested parentheses", maxMaskNesting)
	}
	root := &maskNode{}
	for {
		if err := p.parseSelection(root, depth); err != nil {
			return nil, err
		}
		if p.skipSpace(); !p.consume(',') {
			return root, nil
		}
	}
}

// parseSelection reads one path, with an optional sub-mask, into root.
func (p *maskParser) parseSelection(root *maskNode, depth int) error {
	node, err := p.parsePath(root)
	if err != nil {
		return err
	}
	if !p.consume('(') {
		node.merge(&maskNode{whole: true})
		return nil
	}
	sub, err := p.parseList(depth + 1)
	if err != nil {
		return err
	}
	if !p.consume(')') {
		return p.errorf("missing ')'")
	}
	node.merge(sub)
	return nil
}

// parsePath reads names separated by '/' and returns the node of the last
// one, created below root.
func (p *maskParser) parsePath(root *maskNode) (*maskNode, error) {
	node := root
	for {
		name, err := p.parseName()
		if err != nil {
			return nil, err
		}
		node = node.child(name)
		if p.skipSpace(); !p.consume('/') {
			return node, nil
		}
	}
}

func (p *maskParser) parseName() (string, error) {
	p.skipSpace()
	if p.consume('*') {
		return "*", nil
	}
	start := p.pos
	for p.pos < len(p.src) && isNameChar(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return "", p.errorf("missing field name")
	}
	return p.src[start:p.pos], nil
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-'
}

func (p *maskParser) consume(c byte) bool {
	if p.pos < len(p.src) && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *maskParser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}
