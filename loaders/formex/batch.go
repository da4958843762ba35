package formex

import (
	"bytes"
	"fmt"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// Load parses the Formex files of one act and returns what to write.
func Load(paths []string) (*loaders.Batch, error) {
	doc, err := ParseFiles(paths)
	if err != nil {
		return nil, err
	}
	sum, err := loaders.HashFiles(paths)
	if err != nil {
		return nil, err
	}
	return doc.Batch(paths, sum), nil
}

// Batch turns the document into nodes and relationships.
func (d *Document) Batch(paths []string, sha string) *loaders.Batch {
	r := d.Regulation
	b := &loaders.Batch{
		Source: loaders.Source{Name: "formex:" + r.ID, Loader: "formex", Version: r.Date, Files: paths, SHA256: sha},
		Nodes: []loaders.Node{{Kind: graph.Regulation, ID: r.ID, Props: map[string]any{
			"title": r.Title, "shortTitle": fmt.Sprintf("%s (EU) %d/%d", r.Kind, r.Year, r.Num),
			"celex": r.Celex, "kind": r.Kind, "year": r.Year, "number": r.Num, "date": r.Date, "version": r.Date,
		}}},
		Warnings: d.Warnings,
	}
	for _, p := range d.Provisions {
		props := map[string]any{
			"regulation": r.ID, "level": p.Level, "number": p.Number, "ref": p.Ref,
			"text": p.Text, "order": p.Order,
		}
		if p.Title != "" {
			props["title"] = p.Title
		}
		b.Nodes = append(b.Nodes, loaders.Node{Kind: graph.Provision, ID: p.ID, Props: props})
		b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: p.ID, To: p.Parent})
	}
	for _, ref := range d.References {
		b.Rels = append(b.Rels, loaders.Rel{Kind: graph.RefersTo, From: ref.From, To: ref.To, Props: map[string]any{"text": ref.Text}})
	}
	return b
}

// Detect tells whether the first bytes of a file look like Formex XML: an XML document whose
// schema location is the Publications Office's Formex schema, or whose root is an act or annex.
func Detect(head []byte) bool {
	h := bytes.TrimSpace(head)
	if !bytes.HasPrefix(h, []byte("<")) {
		return false
	}
	return bytes.Contains(h, []byte("formex.publications.europa.eu")) || bytes.Contains(h, []byte("<ACT")) || bytes.Contains(h, []byte("<ANNEX"))
}
