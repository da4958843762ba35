package oscal

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// LoadedCatalog is a catalog read in the same load, which profiles are resolved against.
type LoadedCatalog struct {
	File    string
	Key     Key
	Catalog *Catalog
}

// ProfileBatch resolves a profile against the catalogs given with it into a Standard node (the
// baseline) that SELECTS each chosen control. Every id the profile names must be in its catalog.
func ProfileBatch(p *Profile, file string, catalogs []LoadedCatalog, override string, files []string, sha string) (*loaders.Batch, error) {
	id := override
	if id == "" {
		id = profileID(p.Metadata.Title, p.Metadata.Version)
	}
	b := &loaders.Batch{Source: loaders.Source{Name: "oscal-profile:" + id, Loader: "oscal-profile", Version: p.Metadata.Version, Files: files, SHA256: sha}}
	props := map[string]any{"title": p.Metadata.Title, "version": p.Metadata.Version, "kind": "profile", "uuid": p.UUID}
	if len(p.Imports) == 0 {
		return nil, fmt.Errorf("%s: profile.imports: none; a profile selects controls from at least one catalog", file)
	}
	order := 0
	var families []string
	for i, imp := range p.Imports {
		path := fmt.Sprintf("profile.imports[%d]", i)
		cat, err := resolveImport(imp.Href, p.BackMatter, catalogs, len(p.Imports))
		if err != nil {
			return nil, fmt.Errorf("%s: %s (href %s): %w", file, path, imp.Href, err)
		}
		if !slices.Contains(families, cat.Key.Family) {
			families = append(families, cat.Key.Family)
		}
		tree := controlTree(cat.Catalog)
		chosen, missing := selectControls(imp, tree)
		if len(missing) > 0 {
			// A profile resolved against a subset of its catalog (a resolved baseline) selects
			// ids that subset lacks: said, not fatal.
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s: %s selects %d controls that are not in %s: %s", file, path, len(missing), filepath.Base(cat.File), strings.Join(missing[:min(20, len(missing))], ", ")))
			props["missingControls"] = append(anyStrings(props["missingControls"]), missing...)
		}
		for _, cid := range chosen {
			order++
			b.Rels = append(b.Rels, loaders.Rel{Kind: graph.Selects, From: id, To: cat.Key.ItemID(cid), Props: map[string]any{"order": order}})
		}
	}
	props["family"] = strings.Join(families, ",")
	props["controls"] = order
	b.Nodes = append(b.Nodes, loaders.Node{Kind: graph.Standard, ID: id, Props: props})
	return b, nil
}

func profileID(title, version string) string {
	for _, k := range profileKeys {
		if m := k.title.FindStringSubmatch(title); m != nil {
			if strings.Contains(k.id, "%s") {
				return fmt.Sprintf(k.id, strings.ToLower(m[1]))
			}
			return k.id
		}
	}
	id := Slug(title)
	if v := Slug(version); v != "" {
		id += "@" + v
	}
	return id
}

// resolveImport finds the catalog an import names: by the catalog's key (known catalogs), then
// by file name, then, for a profile with one import and one catalog given, that catalog.
func resolveImport(href string, bm BackMatter, catalogs []LoadedCatalog, imports int) (LoadedCatalog, error) {
	hrefs := []string{href}
	if uuid, ok := strings.CutPrefix(href, "#"); ok {
		hrefs = nil
		for _, r := range bm.Resources {
			if r.UUID == uuid {
				for _, l := range r.RLinks {
					hrefs = append(hrefs, l.Href)
				}
			}
		}
		if len(hrefs) == 0 {
			return LoadedCatalog{}, fmt.Errorf("no back-matter resource %s", uuid)
		}
	}
	for _, h := range hrefs {
		if k, ok := KeyForHref(h, nil); ok {
			for _, c := range catalogs {
				if c.Key.ID == k.ID {
					return c, nil
				}
			}
		}
	}
	for _, h := range hrefs {
		ht := tokens(h)
		for _, c := range catalogs {
			ct := tokens(c.File)
			if subset(ct, ht) || subset(ht, ct) {
				return c, nil
			}
		}
	}
	if imports == 1 && len(catalogs) == 1 {
		return catalogs[0], nil
	}
	names := make([]string, len(catalogs))
	for i, c := range catalogs {
		names[i] = filepath.Base(c.File)
	}
	return LoadedCatalog{}, fmt.Errorf("matches none of the catalogs given (%s); load the profile together with the catalog it imports", strings.Join(names, ", "))
}

// tree lists a catalog's control ids in document order with their children.
type tree struct {
	order    []string
	children map[string][]string
}

func controlTree(c *Catalog) tree {
	t := tree{children: map[string][]string{}}
	var walkC func(cs []Control, parent string)
	walkC = func(cs []Control, parent string) {
		for _, c := range cs {
			t.order = append(t.order, c.ID)
			if parent != "" {
				t.children[parent] = append(t.children[parent], c.ID)
			}
			walkC(c.Controls, c.ID)
		}
	}
	var walkG func(gs []Group)
	walkG = func(gs []Group) {
		for _, g := range gs {
			walkC(g.Controls, "")
			walkG(g.Groups)
		}
	}
	walkC(c.Controls, "")
	walkG(c.Groups)
	return t
}

func anyStrings(v any) []string { s, _ := v.([]string); return s }

// selectControls applies an import's include and exclude lists; ids the catalog lacks are
// returned apart.
func selectControls(imp Import, t tree) (chosen []string, missing []string) {
	known := make(map[string]bool, len(t.order))
	for _, id := range t.order {
		known[id] = true
	}
	picked := map[string]bool{}
	var add func(id string, children bool)
	add = func(id string, children bool) {
		picked[id] = true
		if children {
			for _, c := range t.children[id] {
				add(c, true)
			}
		}
	}
	if imp.IncludeAll != nil {
		for _, id := range t.order {
			picked[id] = true
		}
	}
	for _, sel := range imp.IncludeControls {
		for _, id := range sel.WithIDs {
			if !known[id] {
				missing = append(missing, id)
				continue
			}
			add(id, sel.WithChildControl == "yes")
		}
	}
	for _, sel := range imp.ExcludeControls {
		for _, id := range sel.WithIDs {
			delete(picked, id)
			if sel.WithChildControl == "yes" {
				for _, c := range t.children[id] {
					delete(picked, c)
				}
			}
		}
	}
	for _, id := range t.order { // catalog order
		if picked[id] {
			chosen = append(chosen, id)
		}
	}
	return chosen, missing
}
