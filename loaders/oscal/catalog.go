package oscal

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// CatalogBatch turns a catalog into the nodes and relationships of its own source.
func CatalogBatch(c *Catalog, key Key, files []string, sha string) (*loaders.Batch, error) {
	if c.Metadata.Title == "" {
		return nil, fmt.Errorf("catalog.metadata.title: missing")
	}
	// A resolved profile (a baseline as a catalog) holds a subset of its catalog's items under the
	// catalog's ids; it is a source of its own, so that it and the full catalog can both be loaded.
	name := "oscal:" + key.ID
	if resolved(c.Metadata) {
		name = "oscal:" + profileID(c.Metadata.Title, c.Metadata.Version)
	}
	b := &loaders.Batch{Source: loaders.Source{Name: name, Loader: "oscal-catalog", Version: c.Metadata.Version, Files: files, SHA256: sha}}
	b.Nodes = append(b.Nodes, loaders.Node{Kind: graph.Standard, ID: key.ID, Props: map[string]any{
		"title": key.Title, "fullTitle": c.Metadata.Title, "family": key.Family, "version": key.Version,
		"publishedVersion": c.Metadata.Version, "oscalVersion": c.Metadata.OSCALVersion, "uuid": c.UUID, "kind": "catalog",
	}})
	w := catalogWalker{key: key, b: b, ids: map[string]bool{}}
	w.collect(c.Groups, c.Controls)
	for i, g := range c.Groups {
		if err := w.group(g, key.ID, fmt.Sprintf("catalog.groups[%d]", i)); err != nil {
			return nil, err
		}
	}
	for i, ctl := range c.Controls {
		if err := w.control(ctl, key.ID, false, fmt.Sprintf("catalog.controls[%d]", i)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func resolved(md Metadata) bool {
	for _, p := range md.Props {
		if p.Name == "resolution-tool" {
			return true
		}
	}
	return false
}

type catalogWalker struct {
	key Key
	b   *loaders.Batch
	ids map[string]bool // control ids of the catalog, for links
	n   int
}

func (w *catalogWalker) collect(groups []Group, controls []Control) {
	for _, c := range controls {
		w.ids[c.ID] = true
		w.collect(nil, c.Controls)
	}
	for _, g := range groups {
		w.collect(g.Groups, g.Controls)
	}
}

func (w *catalogWalker) group(g Group, parent, path string) error {
	if g.ID == "" {
		return fmt.Errorf("%s.id: missing", path)
	}
	id := w.key.ID + "/" + g.ID
	w.b.Nodes = append(w.b.Nodes, loaders.Node{Kind: graph.Module, ID: id, Props: map[string]any{
		"title": g.Title, "code": g.ID, "standard": w.key.ID, "order": w.next(),
	}})
	w.b.Rels = append(w.b.Rels, loaders.Rel{Kind: graph.PartOf, From: id, To: parent})
	for i, sub := range g.Groups {
		if err := w.group(sub, id, fmt.Sprintf("%s.groups[%d]", path, i)); err != nil {
			return err
		}
	}
	for i, c := range g.Controls {
		if err := w.control(c, id, false, fmt.Sprintf("%s.controls[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func (w *catalogWalker) next() int { w.n++; return w.n }

func (w *catalogWalker) control(c Control, parent string, enhancement bool, path string) error {
	if c.ID == "" {
		return fmt.Errorf("%s.id: missing", path)
	}
	id := w.key.ItemID(c.ID)
	labels := paramLabels(c.Params)
	props := map[string]any{
		"title": c.Title, "code": w.key.IDPrefix + c.ID, "standard": w.key.ID, "order": w.next(),
		"enhancement": enhancement,
	}
	if c.Class != "" {
		props["class"] = c.Class
	}
	for _, p := range c.Props {
		switch p.Name {
		case "label":
			if p.Class == "" { // sp800-53a labels are for assessment objectives
				props["label"] = p.Value
			}
		case "sort-id":
			props["sortId"] = p.Value
		case "status":
			props["status"] = strings.ToLower(p.Value)
		case "sec_level":
			props["level"] = p.Value
		case "effort_level":
			props["effortLevel"] = p.Value
		case "de-title":
			props["titleDe"] = p.Value
		}
	}
	var stmt, guidance []string
	for _, part := range c.Parts {
		switch part.Name {
		case "statement":
			stmt = append(stmt, flatten(part, labels, 0)...)
			if mv := findProp(part, "modal_verb"); mv != "" {
				props["modalVerb"] = mv
			}
		case "guidance":
			guidance = append(guidance, flatten(part, labels, 0)...)
		}
	}
	if len(stmt) > 0 {
		props["text"] = strings.Join(stmt, "\n")
	}
	if len(guidance) > 0 {
		props["guidance"] = strings.Join(guidance, "\n")
	}
	if ps := paramList(c.Params); len(ps) > 0 {
		props["params"] = ps
	}
	for _, l := range c.Links {
		target, internal := strings.CutPrefix(l.Href, "#")
		switch l.Rel {
		case "incorporated-into", "moved-to", "related", "required":
			if !internal || !w.ids[target] {
				if l.Rel != "related" && l.Rel != "required" {
					w.b.Warnings = append(w.b.Warnings, fmt.Sprintf("%s (%s): %s link to %s, which is not a control of this catalog", path, c.ID, l.Rel, l.Href))
				}
				continue
			}
			name := map[string]string{"incorporated-into": "incorporatedInto", "moved-to": "movedTo", "related": "related", "required": "required"}[l.Rel]
			list, _ := props[name].([]string)
			props[name] = append(list, w.key.ItemID(target))
		}
	}
	w.b.Nodes = append(w.b.Nodes, loaders.Node{Kind: graph.Control, ID: id, Props: props})
	w.b.Rels = append(w.b.Rels, loaders.Rel{Kind: graph.PartOf, From: id, To: parent})
	for i, sub := range c.Controls {
		if err := w.control(sub, id, true, fmt.Sprintf("%s.controls[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

var insertParam = regexp.MustCompile(`\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}`)

// flatten renders a part and its items as lines of text, with labels and parameters filled in.
func flatten(p Part, labels map[string]string, depth int) []string {
	var out []string
	prose := insertParam.ReplaceAllStringFunc(p.Prose, func(m string) string {
		id := insertParam.FindStringSubmatch(m)[1]
		if l, ok := labels[id]; ok {
			return "[" + l + "]"
		}
		return "[" + id + "]"
	})
	label := ""
	for _, pr := range p.Props {
		if pr.Name == "label" && pr.Class == "" {
			label = pr.Value + " "
		}
	}
	if prose != "" || label != "" {
		out = append(out, strings.Repeat("  ", depth)+strings.TrimSpace(label+prose))
	}
	for _, sub := range p.Parts {
		out = append(out, flatten(sub, labels, depth+1)...)
	}
	return out
}

func findProp(p Part, name string) string {
	for _, pr := range p.Props {
		if pr.Name == name {
			return pr.Value
		}
	}
	for _, sub := range p.Parts {
		if v := findProp(sub, name); v != "" {
			return v
		}
	}
	return ""
}

func paramLabels(ps []Param) map[string]string {
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		switch {
		case len(p.Values) > 0:
			out[p.ID] = strings.Join(p.Values, ", ")
		case p.Label != "":
			out[p.ID] = "Assignment: " + p.Label
		case p.Select != nil:
			out[p.ID] = "Selection: " + strings.Join(p.Select.Choice, "; ")
		}
	}
	return out
}

func paramList(ps []Param) []string {
	var out []string
	for id, l := range paramLabels(ps) {
		out = append(out, id+": "+l)
	}
	// map order is random: sort for stable content hashes
	slices.Sort(out)
	return out
}
