// Package formex reads EU legislation in Formex 4 XML, the Publications Office's format, into
// provisions: chapters, sections, articles, paragraphs, subparagraphs, points and annexes, with
// their numbers, headings, text, human references and the cross-references in their text.
//
// Ids follow the act: `eu-2024-1689`, `eu-2024-1689/art-15`, `eu-2024-1689/art-15/par-5/sub-3`,
// `eu-2024-1689/art-13/par-3/pt-b/pt-ii`, `eu-2024-1689/anx-III`.
package formex

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Regulation is the act itself.
type Regulation struct {
	ID    string // eu-2024-1689
	Kind  string // Regulation, Directive, Decision
	Year  int
	Num   int
	Celex string // 32024R1689
	Title string
	Date  string // adoption date, ISO
}

// Provision is one addressable part of the act.
type Provision struct {
	ID     string
	Parent string // id of the enclosing provision, or of the regulation
	Level  string // chapter, section, article, paragraph, subparagraph, point, annex
	Number string // 15, 5, b, ii, III
	Ref    string // Art. 15(5), third subparagraph
	Title  string
	Text   string
	Order  int // position in the act
	File   string
	Line   int
	Col    int
	own    string // the text that belongs to this provision and not to a child: cross-references come from here
}

// Reference is a cross-reference from one provision to another, found in its text.
type Reference struct {
	From, To string
	Text     string // the words that make the reference, e.g. "Article 9(2)"
}

// Document is a parsed act with its annexes.
type Document struct {
	Regulation Regulation
	Provisions []Provision
	References []Reference
	// Warnings are references whose target the act does not contain.
	Warnings []string
}

// ParseFiles parses the main act (root ACT) and its annexes (root ANNEX); Formex descriptor and
// table-of-contents files are skipped, so a whole Formex folder can be passed.
func ParseFiles(paths []string) (*Document, error) {
	p := &parser{ids: map[string]int{}}
	var annexes []struct {
		root *elem
		path string
	}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		root, err := parseTree(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		switch root.Name {
		case "ACT":
			if p.doc.Regulation.ID != "" {
				return nil, fmt.Errorf("%s: a second ACT; pass the files of one act", path)
			}
			if err := p.act(root, path); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		case "ANNEX":
			annexes = append(annexes, struct {
				root *elem
				path string
			}{root, path})
		}
	}
	if p.doc.Regulation.ID == "" {
		return nil, fmt.Errorf("%s: no Formex ACT among the files", strings.Join(paths, ", "))
	}
	for _, a := range annexes {
		if err := p.annex(a.root, a.path); err != nil {
			return nil, fmt.Errorf("%s: %w", a.path, err)
		}
	}
	p.resolveReferences()
	return &p.doc, nil
}

type parser struct {
	doc   Document
	ids   map[string]int // provision id -> index
	order int
}

var actNumber = regexp.MustCompile(`(Regulation|Directive|Decision) \((EU|EC|EEC|Euratom)\) (?:No )?(\d{4})/(\d+)`)

func (p *parser) act(root *elem, path string) error {
	ti := root.Child("TITLE")
	if ti == nil {
		return fmt.Errorf("%s: <ACT> has no <TITLE>", root.Pos())
	}
	title := text(ti)
	m := actNumber.FindStringSubmatch(title)
	if m == nil {
		return fmt.Errorf("%s: title %q names no act number like \"Regulation (EU) 2024/1689\"", ti.Pos(), truncate(title, 80))
	}
	year, _ := strconv.Atoi(m[3])
	num, _ := strconv.Atoi(m[4])
	typeLetter := map[string]string{"Regulation": "R", "Directive": "L", "Decision": "D"}[m[1]]
	reg := Regulation{
		ID: fmt.Sprintf("eu-%d-%d", year, num), Kind: m[1], Year: year, Num: num,
		Celex: fmt.Sprintf("3%d%s%04d", year, typeLetter, num), Title: title,
	}
	if d := ti.Child("TI"); d != nil {
		for _, pe := range d.All("P") {
			if de := pe.Child("DATE"); de != nil {
				reg.Date = isoDate(de.Attrs["ISO"])
			}
		}
	}
	p.doc.Regulation = reg
	terms := root.Child("ENACTING.TERMS")
	if terms == nil {
		return fmt.Errorf("%s: <ACT> has no <ENACTING.TERMS>", root.Pos())
	}
	return p.divisionBody(terms, reg.ID, "", "", path)
}

var annexLabel = regexp.MustCompile(`^ANNEX ([IVXLC]+)\b(.*)$`)

var romanOrNumber = regexp.MustCompile(`(?i)^(CHAPTER|SECTION|TITLE|PART)\s+([0-9IVXLC]+[a-z]?)$`)

// divisionBody walks chapters, sections and articles.
func (p *parser) divisionBody(e *elem, parent, parentRef, chapter, path string) error {
	for _, c := range e.Children {
		switch c.Name {
		case "DIVISION":
			ti := c.Child("TITLE")
			label := ""
			if ti != nil {
				label = text(ti.Child("TI"))
			}
			m := romanOrNumber.FindStringSubmatch(label)
			if m == nil {
				return fmt.Errorf("%s: division title %q is not like \"CHAPTER III\" or \"SECTION 2\"", c.Pos(), label)
			}
			kind := strings.ToLower(m[1])
			id := p.doc.Regulation.ID + "/chp-" + m[2]
			ref := "Chapter " + m[2]
			if kind != "chapter" {
				id = parent + "/" + kind[:3] + "-" + m[2]
				ref = parentRef + ", " + strings.ToUpper(kind[:1]) + kind[1:] + " " + m[2]
			}
			title := ""
			if ti != nil {
				title = text(ti.Child("STI"))
			}
			if err := p.add(Provision{ID: id, Parent: parent, Level: kind, Number: m[2], Ref: ref, Title: title, Text: title, File: path, Line: c.Line, Col: c.Col}); err != nil {
				return err
			}
			if err := p.divisionBody(c, id, ref, id, path); err != nil {
				return err
			}
		case "ARTICLE":
			if err := p.article(c, parent, path); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parser) article(a *elem, parent, path string) error {
	ident := a.Attrs["IDENTIFIER"]
	num := strings.TrimLeft(ident, "0")
	if num == "" {
		return fmt.Errorf("%s: <ARTICLE> without IDENTIFIER", a.Pos())
	}
	id := p.doc.Regulation.ID + "/art-" + num
	ref := "Art. " + num
	art := Provision{ID: id, Parent: parent, Level: "article", Number: num, Ref: ref,
		Title: text(a.Child("STI.ART")), Text: bodyText(a), File: path, Line: a.Line, Col: a.Col}
	art.own = art.Title
	if err := p.add(art); err != nil {
		return err
	}
	if parags := a.All("PARAG"); len(parags) > 0 {
		for _, pg := range parags {
			n := strings.TrimSuffix(text(pg.Child("NO.PARAG")), ".")
			if n == "" {
				if _, after, ok := strings.Cut(pg.Attrs["IDENTIFIER"], "."); ok {
					n = strings.TrimLeft(after, "0")
				}
			}
			if n == "" {
				return fmt.Errorf("%s: paragraph of Article %s without a number", pg.Pos(), num)
			}
			pid := id + "/par-" + n
			pref := fmt.Sprintf("Art. %s(%s)", num, n)
			par := Provision{ID: pid, Parent: id, Level: "paragraph", Number: n, Ref: pref, Text: bodyText(pg), File: path, Line: pg.Line, Col: pg.Col}
			if err := p.alineas(pg, &par, pref, path); err != nil {
				return err
			}
		}
		return nil
	}
	// An article without numbered paragraphs: its subparagraphs and points hang off the article.
	p.doc.Provisions[p.ids[id]].own = art.Title
	return p.alineas(a, nil, ref, path)
}

// alineas adds a paragraph (when par is not nil) and its subparagraphs and points; without a
// paragraph, they hang off the article (the last provision added).
func (p *parser) alineas(container *elem, par *Provision, ref, path string) error {
	als := container.All("ALINEA")
	holder := p.doc.Provisions[len(p.doc.Provisions)-1].ID
	if par != nil {
		if len(als) == 1 {
			par.own = ownText(als[0])
		}
		if err := p.add(*par); err != nil {
			return err
		}
		holder = par.ID
	}
	if len(als) == 1 {
		if par == nil {
			p.doc.Provisions[p.ids[holder]].own += " " + ownText(als[0])
		}
		return p.points(als[0], holder, ref, path)
	}
	for i, al := range als {
		sid := fmt.Sprintf("%s/sub-%d", holder, i+1)
		sref := fmt.Sprintf("%s, %s subparagraph", ref, ordinal(i+1))
		sub := Provision{ID: sid, Parent: holder, Level: "subparagraph", Number: strconv.Itoa(i + 1), Ref: sref,
			Text: text(al), File: path, Line: al.Line, Col: al.Col, own: ownText(al)}
		if err := p.add(sub); err != nil {
			return err
		}
		if err := p.points(al, sid, sref+",", path); err != nil {
			return err
		}
	}
	return nil
}

// points adds the numbered items of the lists in e, recursively: (b) then (ii) under it.
func (p *parser) points(e *elem, parent, ref, path string) error {
	for _, list := range listsIn(e) {
		for _, item := range list.All("ITEM") {
			np := item.Child("NP")
			if np == nil {
				continue
			}
			label := strings.Trim(text(np.Child("NO.P")), "()")
			if label == "" {
				continue
			}
			label = strings.TrimSuffix(label, ".")
			id := parent + "/pt-" + label
			pref := pointRef(ref, label)
			pt := Provision{ID: id, Parent: parent, Level: "point", Number: label, Ref: pref,
				Text: text(np), File: path, Line: item.Line, Col: item.Col, own: ownText(np)}
			if err := p.add(pt); err != nil {
				return err
			}
			if err := p.points(np, id, pref, path); err != nil {
				return err
			}
		}
	}
	return nil
}

// pointRef writes Art. 13(3)(b) under a paragraph or point, and ", point (a)" after an article or
// a subparagraph.
func pointRef(ref, label string) string {
	if strings.HasSuffix(ref, ",") {
		return ref + " point (" + label + ")"
	}
	if strings.HasSuffix(ref, ")") {
		return ref + "(" + label + ")"
	}
	return ref + ", point (" + label + ")"
}

func (p *parser) annex(root *elem, path string) error {
	ti := root.Child("TITLE")
	if ti == nil {
		return fmt.Errorf("%s: <ANNEX> has no <TITLE>", root.Pos())
	}
	label := text(ti.Child("TI"))
	m := annexLabel.FindStringSubmatch(label)
	if m == nil {
		return fmt.Errorf("%s: annex title %q is not like \"ANNEX III\"", ti.Pos(), truncate(label, 60))
	}
	num := m[1]
	id := p.doc.Regulation.ID + "/anx-" + num
	ref := "Annex " + num
	contents := root.Child("CONTENTS")
	an := Provision{ID: id, Parent: p.doc.Regulation.ID, Level: "annex", Number: num, Ref: ref,
		Title: firstNonEmpty(text(ti.Child("STI")), strings.TrimSpace(m[2])), Text: text(contents), File: path, Line: root.Line, Col: root.Col}
	an.own = an.Title
	if err := p.add(an); err != nil {
		return err
	}
	if contents == nil {
		return nil
	}
	return p.annexItems(contents, id, ref, path)
}

// annexItems adds an annex's numbered items (NP) as points; items of titled groups keep going
// under the annex, and a number used twice gets the group's position to stay unique.
func (p *parser) annexItems(e *elem, parent, ref, path string) error {
	for _, c := range e.Children {
		switch c.Name {
		case "GR.SEQ":
			if err := p.annexItems(c, parent, ref, path); err != nil {
				return err
			}
		case "NP":
			label := strings.TrimSuffix(strings.Trim(text(c.Child("NO.P")), "()"), ".")
			if label == "" {
				continue
			}
			id := parent + "/pt-" + label
			if _, dup := p.ids[id]; dup {
				continue // the same number again in another group: keep the first, text stays in the annex
			}
			pref := ref + ", point " + label
			if err := p.add(Provision{ID: id, Parent: parent, Level: "point", Number: label, Ref: pref,
				Text: text(c), File: path, Line: c.Line, Col: c.Col, own: ownText(c)}); err != nil {
				return err
			}
			if err := p.points(c, id, pref, path); err != nil {
				return err
			}
		}
	}
	return nil
}

func (pr Provision) pos() string { return fmt.Sprintf("line %d, column %d", pr.Line, pr.Col) }

func (p *parser) add(pr Provision) error {
	if i, dup := p.ids[pr.ID]; dup {
		return fmt.Errorf("%s: provision %s is defined twice (first at %s)", pr.pos(), pr.ID, p.doc.Provisions[i].pos())
	}
	p.order++
	pr.Order = p.order
	p.ids[pr.ID] = len(p.doc.Provisions)
	p.doc.Provisions = append(p.doc.Provisions, pr)
	return nil
}

// listsIn finds the LISTs directly in e or in its P and TXT children, not inside nested items.
func listsIn(e *elem) []*elem {
	var out []*elem
	for _, c := range e.Children {
		switch c.Name {
		case "LIST":
			out = append(out, c)
		case "P", "TXT":
			out = append(out, listsIn(c)...)
		}
	}
	return out
}

// ownText is an element's text without its lists, whose items are provisions of their own.
func ownText(e *elem) string {
	var b strings.Builder
	var walk func(*elem)
	walk = func(x *elem) {
		for _, part := range x.Parts {
			switch v := part.(type) {
			case string:
				b.WriteString(v)
			case *elem:
				if v.Name == "LIST" || v.Name == "NOTE" {
					continue
				}
				b.WriteByte(' ')
				walk(v)
			}
		}
	}
	walk(e)
	return strings.Join(strings.Fields(b.String()), " ")
}

// bodyText is an article's or paragraph's text without its number and heading.
func bodyText(e *elem) string {
	var parts []string
	for _, c := range e.Children {
		switch c.Name {
		case "TI.ART", "STI.ART", "NO.PARAG":
			continue
		}
		parts = append(parts, text(c))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func ordinal(n int) string {
	words := []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
	if n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n) + "th"
}

func isoDate(s string) string {
	if len(s) != 8 {
		return s
	}
	return s[:4] + "-" + s[4:6] + "-" + s[6:]
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
