// Package xmltree reads an XML document into a small element tree that remembers where each
// element starts, so that the XML loaders can name the line and column of what they reject.
package xmltree

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Elem is a parsed XML element with the position it starts at.
type Elem struct {
	Name     string
	Attrs    map[string]string
	Children []*Elem
	// Parts interleaves text and child elements in document order: a string or an *Elem.
	Parts []any
	Line  int
	Col   int
}

// Pos says where the element starts, for messages.
func (e *Elem) Pos() string { return fmt.Sprintf("line %d, column %d", e.Line, e.Col) }

// Child returns the first child element with the name, or nil.
func (e *Elem) Child(name string) *Elem {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// All returns the child elements with the name.
func (e *Elem) All(name string) []*Elem {
	var out []*Elem
	for _, c := range e.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// TextRules say how markup turns into text: elements left out, and elements that start or end a
// word (a space is put before or after them).
type TextRules struct {
	Skip, SpaceBefore, SpaceAfter map[string]bool
}

// Text is the element's text with markup removed and white space folded.
func (e *Elem) Text(r TextRules) string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	e.writeText(&b, r)
	return strings.Join(strings.Fields(b.String()), " ")
}

func (e *Elem) writeText(b *strings.Builder, r TextRules) {
	for _, p := range e.Parts {
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case *Elem:
			if r.Skip[v.Name] {
				continue
			}
			if r.SpaceBefore[v.Name] {
				b.WriteByte(' ')
			}
			v.writeText(b, r)
			if r.SpaceAfter[v.Name] {
				b.WriteByte(' ')
			}
		}
	}
}

// Parse reads a whole XML document into elements. Errors start with "line L, column C: ".
func Parse(r io.Reader) (*Elem, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	var stack []*Elem
	var root *Elem
	for {
		line, col := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				_, col := dec.InputPos()
				return nil, fmt.Errorf("line %d, column %d: %s", se.Line, col, se.Msg)
			}
			return nil, fmt.Errorf("line %d, column %d: %w", line, col, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &Elem{Name: t.Name.Local, Attrs: map[string]string{}, Line: line, Col: col}
			for _, a := range t.Attr {
				e.Attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, e)
				p.Parts = append(p.Parts, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Parts = append(p.Parts, string(t))
			}
		}
	}
	if root == nil {
		return nil, errors.New("line 1, column 1: no XML element found")
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("%s: element <%s> is not closed", stack[len(stack)-1].Pos(), stack[len(stack)-1].Name)
	}
	return root, nil
}
