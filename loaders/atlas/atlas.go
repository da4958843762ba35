// Package atlas loads MITRE ATLAS (the compiled ATLAS.yaml): tactics, techniques and
// sub-techniques, mitigations, and which mitigation addresses which technique.
//
// Ids: `atlas` (the catalog; its version is a property, ATLAS being a living knowledge base),
// `atlas/AML.TA0002` (tactic), `atlas/AML.T0020` (technique), `atlas/AML.T0000.000`
// (sub-technique), `atlas/AML.M0000` (mitigation).
package atlas

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// Key is the id of the ATLAS catalog and the prefix of its items.
const Key = "atlas"

type document struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Version  any      `yaml:"version"`
	Matrices []matrix `yaml:"matrices"`
}

type matrix struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Tactics     []object `yaml:"tactics"`
	Techniques  []object `yaml:"techniques"`
	Mitigations []object `yaml:"mitigations"`
}

type object struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Description   string   `yaml:"description"`
	ObjectType    string   `yaml:"object-type"`
	Tactics       []string `yaml:"tactics"`
	SubtechniqueO string   `yaml:"subtechnique-of"`
	Maturity      string   `yaml:"maturity"`
	Category      any      `yaml:"category"`
	Lifecycle     any      `yaml:"ml-lifecycle"`
	Created       any      `yaml:"created_date"`
	Modified      any      `yaml:"modified_date"`
	AttackRef     *struct {
		ID  string `yaml:"id"`
		URL string `yaml:"url"`
	} `yaml:"ATT&CK-reference"`
	Techniques []struct {
		ID  string `yaml:"id"`
		Use string `yaml:"use"`
	} `yaml:"techniques"`
}

// Detect tells whether the first bytes of a file look like the compiled ATLAS.yaml.
func Detect(head []byte) bool {
	return bytes.Contains(head, []byte("id: ATLAS")) && bytes.Contains(head, []byte("matrices:"))
}

// Load reads ATLAS.yaml.
func Load(path string) (*loaders.Batch, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc document
	if err := loaders.UnmarshalYAML(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sha, err := loaders.HashFiles([]string{path})
	if err != nil {
		return nil, err
	}
	b, err := doc.batch()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Source.Files, b.Source.SHA256 = []string{path}, sha
	return b, nil
}

func (d *document) batch() (*loaders.Batch, error) {
	if d.ID != "ATLAS" || len(d.Matrices) == 0 {
		return nil, fmt.Errorf("id: %q with %d matrices; want the compiled ATLAS data (id ATLAS, matrices)", d.ID, len(d.Matrices))
	}
	version := fmt.Sprint(d.Version)
	b := &loaders.Batch{Source: loaders.Source{Name: "atlas:" + Key, Loader: "atlas", Version: version}}
	b.Nodes = append(b.Nodes, loaders.Node{Kind: graph.Standard, ID: Key, Props: map[string]any{
		"title": "MITRE ATLAS", "fullTitle": d.Name, "family": "mitre-atlas", "version": version, "kind": "threat-catalog",
	}})
	ids := map[string]string{} // ATLAS id -> kind, for links
	for i, m := range d.Matrices {
		for j, t := range m.Tactics {
			ids[t.ID] = "tactic"
			if t.ID == "" {
				return nil, fmt.Errorf("matrices[%d].tactics[%d].id: missing", i, j)
			}
		}
		for j, t := range m.Techniques {
			if t.ID == "" {
				return nil, fmt.Errorf("matrices[%d].techniques[%d].id: missing", i, j)
			}
			ids[t.ID] = "technique"
		}
	}
	order := 0
	add := func(kind graph.NodeKind, o object, typ string) {
		order++
		props := map[string]any{"code": o.ID, "title": o.Name, "text": strings.TrimSpace(o.Description), "catalog": Key, "kind": typ, "order": order}
		for k, v := range map[string]any{"maturity": o.Maturity, "category": o.Category, "lifecycle": o.Lifecycle, "created": o.Created, "modified": o.Modified} {
			if s := flat(v); s != "" {
				props[k] = s
			}
		}
		if o.AttackRef != nil {
			props["attackRef"] = o.AttackRef.ID
		}
		b.Nodes = append(b.Nodes, loaders.Node{Kind: kind, ID: Key + "/" + o.ID, Props: props})
	}
	for i, m := range d.Matrices {
		for _, t := range m.Tactics {
			add(graph.Threat, t, "tactic")
			b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: Key + "/" + t.ID, To: Key})
		}
		for j, t := range m.Techniques {
			path := fmt.Sprintf("matrices[%d].techniques[%d] (%s)", i, j, t.ID)
			typ := "technique"
			if t.SubtechniqueO != "" {
				typ = "sub-technique"
				if ids[t.SubtechniqueO] != "technique" {
					return nil, fmt.Errorf("%s.subtechnique-of: %s is not a technique", path, t.SubtechniqueO)
				}
				b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: Key + "/" + t.ID, To: Key + "/" + t.SubtechniqueO})
			}
			add(graph.Threat, t, typ)
			for _, tac := range t.Tactics {
				if ids[tac] != "tactic" {
					return nil, fmt.Errorf("%s.tactics: %s is not a tactic", path, tac)
				}
				b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: Key + "/" + t.ID, To: Key + "/" + tac})
			}
		}
		for j, mi := range m.Mitigations {
			path := fmt.Sprintf("matrices[%d].mitigations[%d] (%s)", i, j, mi.ID)
			if mi.ID == "" {
				return nil, fmt.Errorf("%s.id: missing", path)
			}
			add(graph.Mitigation, mi, "mitigation")
			b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: Key + "/" + mi.ID, To: Key})
			for _, t := range mi.Techniques {
				if ids[t.ID] != "technique" {
					return nil, fmt.Errorf("%s.techniques: %s is not a technique", path, t.ID)
				}
				b.Rels = append(b.Rels, loaders.Rel{Kind: graph.Mitigates, From: Key + "/" + mi.ID, To: Key + "/" + t.ID, Props: map[string]any{"use": strings.TrimSpace(t.Use)}})
			}
		}
	}
	return b, nil
}

// flat renders a scalar or a list of scalars as text.
func flat(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = fmt.Sprint(e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}
