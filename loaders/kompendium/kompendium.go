// Package kompendium loads the BSI IT-Grundschutz-Kompendium in its DocBook 5 XML edition:
// layers (ISMS, ORP, CON, OPS, DER, APP, SYS, IND, NET, INF), modules ("Bausteine"),
// requirements with their level (B, S, H) and responsible roles, and the elementary threats
// G 0.1 to G 0.47.
//
// Ids: `bsi-gs-2023` (the edition), `bsi-gs-2023/CON` (layer), `bsi-gs-2023/CON.3` (module),
// `bsi-gs-2023/CON.3.A1` (requirement), `bsi-gs-2023/G0.1` (elementary threat).
package kompendium

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/xmltree"
)

var (
	layerTitle  = regexp.MustCompile(`^(ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF) (.+)$`)
	moduleTitle = regexp.MustCompile(`^((?:ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF)(?:\.\d+)+) (.+)$`)
	reqTitle    = regexp.MustCompile(`^((?:ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF)(?:\.\d+)+)\.A(\d+) (.+?) \(([BSH])\)(?: \[([^\]]*)\])?$`)
	threatTitle = regexp.MustCompile(`^G 0\.(\d+) (.+)$`)
	editionRe   = regexp.MustCompile(`Edition (\d{4})`)
)

// Levels names the requirement levels.
var Levels = map[string]string{"B": "Basis", "S": "Standard", "H": "erhöhter Schutzbedarf"}

var docbookText = xmltree.TextRules{
	Skip:        map[string]bool{"title": true, "section": true},
	SpaceBefore: map[string]bool{"para": true, "listitem": true, "entry": true, "td": true},
}

// Detect tells whether the first bytes of a file look like the Kompendium's DocBook.
func Detect(head []byte) bool {
	return bytes.Contains(head, []byte("<book")) && bytes.Contains(head, []byte("docbook.org"))
}

// Load parses one Kompendium file. edition, when empty, is read from the text ("Edition 2023").
func Load(path, edition string) (*loaders.Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root, err := xmltree.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sha, err := loaders.HashFiles([]string{path})
	if err != nil {
		return nil, err
	}
	b, err := Parse(root, edition)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Source.Files, b.Source.SHA256 = []string{path}, sha
	return b, nil
}

// Parse turns the DocBook tree into a batch.
func Parse(root *xmltree.Elem, edition string) (*loaders.Batch, error) {
	if root.Name != "book" {
		return nil, fmt.Errorf("%s: root element is <%s>, want DocBook <book>", root.Pos(), root.Name)
	}
	if edition == "" {
		if m := editionRe.FindStringSubmatch(root.Text(docbookText)); m != nil {
			edition = m[1]
		} else {
			return nil, fmt.Errorf("%s: no \"Edition YYYY\" in the text; pass the edition with --id bsi-gs-YYYY", root.Pos())
		}
	}
	std := "bsi-gs-" + edition
	p := &parser{std: std, ids: map[string]string{}, b: &loaders.Batch{
		Source: loaders.Source{Name: "kompendium:" + std, Loader: "kompendium", Version: edition},
	}}
	p.node(graph.Standard, std, root, map[string]any{"title": "BSI IT-Grundschutz-Kompendium " + edition, "family": "bsi-gs", "version": edition, "kind": "catalog"})
	for _, ch := range root.All("chapter") {
		title := titleOf(ch)
		switch {
		case title == "Elementare Gefährdungen":
			if err := p.threats(ch); err != nil {
				return nil, err
			}
		case layerTitle.MatchString(title):
			m := layerTitle.FindStringSubmatch(title)
			id := std + "/" + m[1]
			if err := p.node(graph.Module, id, ch, map[string]any{"title": m[2], "code": m[1], "standard": std, "kind": "layer"}); err != nil {
				return nil, err
			}
			p.rel(graph.PartOf, id, std)
			if err := p.sections(ch, id, ""); err != nil {
				return nil, err
			}
		}
	}
	if p.reqs == 0 {
		return nil, fmt.Errorf("%s: no requirements found (titles like \"CON.3.A1 Title (B) [Role]\")", root.Pos())
	}
	return p.b, nil
}

type parser struct {
	std   string
	b     *loaders.Batch
	ids   map[string]string // id -> position, for duplicates
	order int
	reqs  int
}

func (p *parser) node(kind graph.NodeKind, id string, at *xmltree.Elem, props map[string]any) error {
	if first, dup := p.ids[id]; dup {
		return fmt.Errorf("%s: %s is defined twice (first at %s)", at.Pos(), id, first)
	}
	p.ids[id] = at.Pos()
	p.order++
	props["order"] = p.order
	p.b.Nodes = append(p.b.Nodes, loaders.Node{Kind: kind, ID: id, Props: props})
	return nil
}

func (p *parser) rel(kind graph.RelKind, from, to string) {
	p.b.Rels = append(p.b.Rels, loaders.Rel{Kind: kind, From: from, To: to})
}

// sections walks the sections of a layer: module sections hold requirement sections, at any
// depth below them.
func (p *parser) sections(e *xmltree.Elem, layer, module string) error {
	for _, s := range e.All("section") {
		title := titleOf(s)
		if m := reqTitle.FindStringSubmatch(title); m != nil {
			if err := p.requirement(s, m, module); err != nil {
				return err
			}
			continue
		}
		if m := moduleTitle.FindStringSubmatch(title); m != nil && module == "" {
			id := p.std + "/" + m[1]
			if err := p.node(graph.Module, id, s, map[string]any{"title": m[2], "code": m[1], "standard": p.std, "kind": "module", "layer": strings.TrimPrefix(layer, p.std+"/")}); err != nil {
				return err
			}
			p.rel(graph.PartOf, id, layer)
			if err := p.sections(s, layer, m[1]); err != nil {
				return err
			}
			continue
		}
		if strings.Contains(title, ".A") && regexp.MustCompile(`^[A-Z]{3,4}(\.\d+)+\.A\d+ `).MatchString(title) {
			return fmt.Errorf("%s: requirement title %q has no level (B), (S) or (H)", s.Pos(), title)
		}
		if err := p.sections(s, layer, module); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) requirement(s *xmltree.Elem, m []string, module string) error {
	code := m[1] + ".A" + m[2]
	if module == "" || m[1] != module {
		return fmt.Errorf("%s: requirement %s is outside its module (in %q)", s.Pos(), code, module)
	}
	id := p.std + "/" + code
	props := map[string]any{"title": m[3], "code": code, "standard": p.std, "level": m[4], "module": module}
	if strings.EqualFold(strings.TrimSpace(m[3]), "ENTFALLEN") {
		props["status"] = "withdrawn"
	}
	if m[5] != "" {
		var roles []string
		for _, r := range strings.Split(m[5], ",") {
			if r = strings.TrimSpace(r); r != "" {
				roles = append(roles, r)
			}
		}
		props["roles"] = roles
	}
	if t := s.Text(docbookText); t != "" {
		props["text"] = t
	}
	if err := p.node(graph.Control, id, s, props); err != nil {
		return err
	}
	p.rel(graph.PartOf, id, p.std+"/"+module)
	p.reqs++
	return nil
}

func (p *parser) threats(ch *xmltree.Elem) error {
	for _, s := range ch.All("section") {
		m := threatTitle.FindStringSubmatch(titleOf(s))
		if m == nil {
			continue
		}
		id := p.std + "/G0." + m[1]
		if err := p.node(graph.Threat, id, s, map[string]any{"title": m[2], "code": "G 0." + m[1], "catalog": p.std, "kind": "elementary-threat", "text": s.Text(docbookText)}); err != nil {
			return err
		}
		p.rel(graph.PartOf, id, p.std)
	}
	return nil
}

func titleOf(e *xmltree.Elem) string {
	return strings.Join(strings.Fields(e.Child("title").Text(xmltree.TextRules{})), " ")
}
