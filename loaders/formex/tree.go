package formex

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// elem is a parsed XML element with the line it starts on, for located errors.
type elem struct {
	Name     string
	Attrs    map[string]string
	Children []*elem
	// Parts interleaves text and child elements in document order: a string or an *elem.
	Parts []any
	Line  int
	Col   int
}

// pos says where the element starts, for messages (Formex files are often one long line).
func (e *elem) pos() string { return fmt.Sprintf("line %d, column %d", e.Line, e.Col) }

func (e *elem) child(name string) *elem {
	for _, c := range e.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (e *elem) all(name string) []*elem {
	var out []*elem
	for _, c := range e.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// text is the element's text with markup removed and white space folded. Footnotes (NOTE) are
// left out: they are not part of the provision.
func (e *elem) text() string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	e.writeText(&b)
	return strings.Join(strings.Fields(b.String()), " ")
}

func (e *elem) writeText(b *strings.Builder) {
	for _, p := range e.Parts {
		switch v := p.(type) {
		case string:
			b.WriteString(v)
		case *elem:
			if v.Name == "NOTE" {
				continue
			}
			if v.Name == "P" || v.Name == "ITEM" || v.Name == "ALINEA" || v.Name == "NP" {
				b.WriteByte(' ')
			}
			v.writeText(b)
			if v.Name == "NO.P" || v.Name == "NO.PARAG" {
				b.WriteByte(' ')
			}
		}
	}
}

// parseTree reads a whole XML document into elements.
func parseTree(r io.Reader) (*elem, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	var stack []*elem
	var root *elem
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
			e := &elem{Name: t.Name.Local, Attrs: map[string]string{}, Line: line, Col: col}
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
		return nil, errors.New("no XML element found")
	}
	if len(stack) != 0 {
		return nil, fmt.Errorf("element <%s> at %s is not closed", stack[len(stack)-1].Name, stack[len(stack)-1].pos())
	}
	return root, nil
}
