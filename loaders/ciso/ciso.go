// Package ciso loads CISO Assistant library YAML: frameworks (the requirement-node tree),
// requirement mapping sets, and threat catalogs (tactics, techniques, and the reference
// controls that mitigate them).
//
// Ids: a framework's nodes are `<key>/<node>`, where <node> is the last part of the node's URN
// and <key> names the framework: the catalogs aimsgraph knows get the same ids as their other
// loaders (`iso-27001@2022/A.5.1`, `nist-800-53@rev5/ac-2.12`, `atlas/AML.T0020`), any other
// framework gets `ciso-<framework>`.
package ciso

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// library is the part of a CISO Assistant library file the loader reads.
type library struct {
	URN             string `yaml:"urn"`
	RefID           string `yaml:"ref_id"`
	Name            string `yaml:"name"`
	Description     string `yaml:"description"`
	Copyright       string `yaml:"copyright"`
	Version         any    `yaml:"version"`
	PublicationDate any    `yaml:"publication_date"`
	Provider        string `yaml:"provider"`
	Objects         struct {
		Framework         *framework   `yaml:"framework"`
		MappingSets       []mappingSet `yaml:"requirement_mapping_sets"`
		TTPCatalogs       []item       `yaml:"ttp_catalogs"`
		Tactics           []item       `yaml:"tactics"`
		Techniques        []item       `yaml:"techniques"`
		ReferenceControls []item       `yaml:"reference_controls"`
	} `yaml:"objects"`
}

type framework struct {
	URN         string `yaml:"urn"`
	RefID       string `yaml:"ref_id"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	MinScore    *int   `yaml:"min_score"`
	MaxScore    *int   `yaml:"max_score"`
	Nodes       []node `yaml:"requirement_nodes"`
}

type node struct {
	URN                  string   `yaml:"urn"`
	ParentURN            string   `yaml:"parent_urn"`
	Assessable           bool     `yaml:"assessable"`
	Depth                int      `yaml:"depth"`
	RefID                string   `yaml:"ref_id"`
	Name                 string   `yaml:"name"`
	Description          string   `yaml:"description"`
	Annotation           string   `yaml:"annotation"`
	ImplementationGroups []string `yaml:"implementation_groups"`
}

type mappingSet struct {
	URN             string    `yaml:"urn"`
	RefID           string    `yaml:"ref_id"`
	Name            string    `yaml:"name"`
	SourceFramework string    `yaml:"source_framework_urn"`
	TargetFramework string    `yaml:"target_framework_urn"`
	Mappings        []mapping `yaml:"requirement_mappings"`
}

type mapping struct {
	Source       string `yaml:"source_requirement_urn"`
	Target       string `yaml:"target_requirement_urn"`
	Relationship string `yaml:"relationship"`
	Rationale    string `yaml:"rationale"`
	Strength     any    `yaml:"strength_of_relationship"`
}

// item is a tactic, technique, reference control or threat catalog.
type item struct {
	URN               string   `yaml:"urn"`
	RefID             string   `yaml:"ref_id"`
	Name              string   `yaml:"name"`
	Description       string   `yaml:"description"`
	CatalogURN        string   `yaml:"catalog_urn"`
	Category          string   `yaml:"category"`
	Tactics           []string `yaml:"tactics"`
	ReferenceControls []string `yaml:"reference_controls"`
	Groups            []string `yaml:"groups"`
}

// Detect tells whether the first bytes of a file look like a CISO Assistant library.
func Detect(head []byte) bool {
	return bytes.Contains(head, []byte("urn: urn:intuitem:")) && bytes.Contains(head, []byte("\nobjects:")) ||
		bytes.Contains(head, []byte("urn: urn:intuitem:risk:library:"))
}

// Load reads one library file. id, when set, is the key for its framework.
func Load(path, id string) (*loaders.Batch, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lib library
	if err := loaders.UnmarshalYAML(data, &lib); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	sha, err := loaders.HashFiles([]string{path})
	if err != nil {
		return nil, err
	}
	b, err := lib.batch(id)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b.Source.Files, b.Source.SHA256 = []string{path}, sha
	return b, nil
}

func (l *library) batch(id string) (*loaders.Batch, error) {
	if !strings.HasPrefix(l.URN, "urn:intuitem:") {
		return nil, errors.New("urn: missing or not a CISO Assistant library urn (urn:intuitem:...)")
	}
	b := &loaders.Batch{Source: loaders.Source{Name: "ciso:" + lastPart(l.URN), Loader: "ciso", Version: str(l.Version)}, SkipMissing: true}
	if f := l.Objects.Framework; f != nil {
		if err := frameworkBatch(b, l, f, id); err != nil {
			return nil, err
		}
	}
	for i, ms := range l.Objects.MappingSets {
		if err := mappingBatch(b, ms, fmt.Sprintf("objects.requirement_mapping_sets[%d]", i)); err != nil {
			return nil, err
		}
	}
	if len(l.Objects.TTPCatalogs) > 0 {
		if err := ttpBatch(b, l); err != nil {
			return nil, err
		}
	}
	if len(b.Nodes) == 0 && len(b.Rels) == 0 {
		return nil, errors.New("objects: no framework, requirement_mapping_sets or ttp_catalogs to load")
	}
	return b, nil
}

// known frameworks and catalogs get the ids their other loaders use.
var known = map[string]struct {
	key, title, family, version string
	item                        func(string) string
}{
	"iso27001-2022":       {"iso-27001@2022", "ISO/IEC 27001:2022", "iso-27001", "2022", isoItem},
	"iso42001-2023":       {"iso-42001@2023", "ISO/IEC 42001:2023", "iso-42001", "2023", isoItem},
	"nist-sp-800-53-rev5": {"nist-800-53@rev5", "NIST SP 800-53 Rev. 5", "nist-800-53", "rev5", nistItem},
	"mitre-atlas":         {"atlas", "MITRE ATLAS", "mitre-atlas", "", atlasItem},
}

var (
	isoAnnex    = regexp.MustCompile(`^a\.(\d)`)
	nistEnhance = regexp.MustCompile(`^([a-z]{2}-\d+)\((\d+)\)$`)
)

func isoItem(s string) string { return isoAnnex.ReplaceAllString(s, "A.$1") }
func nistItem(s string) string {
	return nistEnhance.ReplaceAllString(s, "$1.$2")
}
func atlasItem(s string) string { return strings.ToUpper(s) }

// itemID maps a requirement or threat URN to a graph id.
func itemID(urn, override string) string {
	parts := strings.Split(urn, ":")
	if len(parts) < 2 {
		return urn
	}
	fw, last := parts[len(parts)-2], parts[len(parts)-1]
	if override != "" {
		return override + "/" + last
	}
	if k, ok := known[fw]; ok {
		return k.key + "/" + k.item(last)
	}
	return "ciso-" + fw + "/" + last
}

func frameworkKey(urn, override string) (key, title, family, version string) {
	fw := lastPart(urn)
	if override != "" {
		f, v, _ := strings.Cut(override, "@")
		return override, "", f, v
	}
	if k, ok := known[fw]; ok {
		return k.key, k.title, k.family, k.version
	}
	return "ciso-" + fw, "", "ciso-" + fw, ""
}

func frameworkBatch(b *loaders.Batch, l *library, f *framework, override string) error {
	if f.URN == "" {
		return errors.New("objects.framework.urn: missing")
	}
	key, title, family, version := frameworkKey(f.URN, override)
	if title == "" {
		title = f.Name
	}
	if version == "" {
		version = str(l.Version)
	}
	b.Source.Name = "ciso:" + key
	props := map[string]any{"title": title, "fullTitle": f.Name, "family": family, "version": version, "kind": "framework",
		"urn": f.URN, "provider": l.Provider, "copyright": l.Copyright, "publishedVersion": str(l.Version)}
	if f.Description != "" {
		props["text"] = f.Description
	}
	b.Nodes = append(b.Nodes, loaders.Node{Kind: graph.Standard, ID: key, Props: props})
	urns := make(map[string]int, len(f.Nodes))
	for i, n := range f.Nodes {
		if n.URN == "" {
			return fmt.Errorf("objects.framework.requirement_nodes[%d].urn: missing", i)
		}
		if j, dup := urns[n.URN]; dup {
			return fmt.Errorf("objects.framework.requirement_nodes[%d].urn: %s is also node %d", i, n.URN, j)
		}
		urns[n.URN] = i
	}
	for i, n := range f.Nodes {
		path := fmt.Sprintf("objects.framework.requirement_nodes[%d]", i)
		id := itemID(n.URN, override)
		kind := graph.Module
		if n.Assessable {
			kind = graph.Control
		}
		code := n.RefID
		if code == "" {
			code = lastPart(n.URN)
		}
		props := map[string]any{"code": code, "standard": key, "depth": n.Depth, "order": i + 1, "assessable": n.Assessable}
		props["title"] = firstOf(n.Name, code)
		if n.Description != "" {
			props["text"] = n.Description
		}
		if n.Annotation != "" {
			props["guidance"] = n.Annotation
		}
		withdrawal(props, n.Description, key)
		if len(n.ImplementationGroups) > 0 {
			props["implementationGroups"] = n.ImplementationGroups
		}
		b.Nodes = append(b.Nodes, loaders.Node{Kind: kind, ID: id, Props: props})
		parent := key
		if n.ParentURN != "" {
			if _, ok := urns[n.ParentURN]; !ok {
				return fmt.Errorf("%s.parent_urn: %s is not a node of this framework", path, n.ParentURN)
			}
			parent = itemID(n.ParentURN, override)
		}
		b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: id, To: parent})
	}
	return nil
}

// relationships maps CISO Assistant's relationship names to the set-theory names of OSCAL 1.2.
var relationships = map[string]string{
	"equal": "equal-to", "equivalent": "equivalent-to", "subset": "subset-of", "superset": "superset-of",
	"intersect": "intersects-with", "not_related": "no-relationship", "no_relationship": "no-relationship",
}

// Strength is declared on a 0 to 10 scale in CISO Assistant; aimsgraph stores 0 to 1.
const strengthMax = 10

func mappingBatch(b *loaders.Batch, ms mappingSet, path string) error {
	for j, m := range ms.Mappings {
		mpath := fmt.Sprintf("%s.requirement_mappings[%d]", path, j)
		if m.Source == "" || m.Target == "" {
			return fmt.Errorf("%s: source_requirement_urn and target_requirement_urn are required", mpath)
		}
		rel, ok := relationships[m.Relationship]
		if !ok {
			return fmt.Errorf("%s.relationship: %q is not one of equal, equivalent, subset, superset, intersect, not_related", mpath, m.Relationship)
		}
		props := map[string]any{"relationship": rel, "mapping": ms.Name, "mappingUrn": ms.URN, "status": "published"}
		if m.Rationale != "" {
			props["rationale"] = m.Rationale
		}
		if m.Strength != nil {
			v, err := number(m.Strength)
			if err != nil {
				return fmt.Errorf("%s.strength_of_relationship: %w", mpath, err)
			}
			if v < 0 || v > strengthMax {
				b.Warnings = append(b.Warnings, fmt.Sprintf("%s.strength_of_relationship: %v is outside the declared range 0 to %d; clamped", mpath, v, strengthMax))
				v = min(max(v, 0), strengthMax)
			}
			props["strength"] = v / strengthMax
			props["strengthRaw"] = m.Strength
		}
		b.Rels = append(b.Rels, loaders.Rel{Kind: graph.MapsTo, From: itemID(m.Source, ""), To: itemID(m.Target, ""), Key: ms.URN, Props: props})
	}
	return nil
}

func ttpBatch(b *loaders.Batch, l *library) error {
	cat := l.Objects.TTPCatalogs[0]
	key := "ciso-" + lastPart(cat.URN)
	if k, ok := known[lastPart(cat.URN)]; ok {
		key = k.key
	}
	b.Source.Name = "ciso:" + key
	b.Nodes = append(b.Nodes, loaders.Node{Kind: graph.Standard, ID: key, Props: map[string]any{"title": cat.Name, "family": lastPart(cat.URN), "kind": "threat-catalog", "text": cat.Description, "version": str(l.Version)}})
	add := func(kind graph.NodeKind, it item, path, typ string) error {
		if it.URN == "" {
			return fmt.Errorf("%s.urn: missing", path)
		}
		props := map[string]any{"code": firstOf(it.RefID, lastPart(it.URN)), "title": firstOf(it.Name, it.RefID), "catalog": key, "kind": typ}
		if it.Description != "" {
			props["text"] = it.Description
		}
		if len(it.Groups) > 0 {
			props["groups"] = it.Groups
		}
		b.Nodes = append(b.Nodes, loaders.Node{Kind: kind, ID: itemID(it.URN, ""), Props: props})
		if kind == graph.Threat && typ == "tactic" || kind == graph.Mitigation {
			b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: itemID(it.URN, ""), To: key})
		}
		return nil
	}
	for i, t := range l.Objects.Tactics {
		if err := add(graph.Threat, t, fmt.Sprintf("objects.tactics[%d]", i), "tactic"); err != nil {
			return err
		}
	}
	for i, rc := range l.Objects.ReferenceControls {
		if err := add(graph.Mitigation, rc, fmt.Sprintf("objects.reference_controls[%d]", i), "mitigation"); err != nil {
			return err
		}
	}
	for i, t := range l.Objects.Techniques {
		path := fmt.Sprintf("objects.techniques[%d]", i)
		if err := add(graph.Threat, t, path, "technique"); err != nil {
			return err
		}
		id := itemID(t.URN, "")
		for _, tac := range t.Tactics {
			b.Rels = append(b.Rels, loaders.Rel{Kind: graph.PartOf, From: id, To: itemID(tac, "")})
		}
		for _, rc := range t.ReferenceControls {
			b.Rels = append(b.Rels, loaders.Rel{Kind: graph.Mitigates, From: itemID(rc, ""), To: id})
		}
	}
	return nil
}

var (
	withdrawnNote = regexp.MustCompile(`^\[Withdrawn: (Incorporated into|Moved to) ([^\]]*?)\.?\]`)
	controlRef    = regexp.MustCompile(`\b([A-Z]{2})-(\d+)(?:\((\d+)\))?`)
)

// withdrawal reads the "[Withdrawn: Incorporated into AC-2 and AU-6.]" and "[Withdrawn: Moved to
// X.]" notes NIST's catalogs carry (CISO Assistant keeps them as the description): the node is
// withdrawn, and the controls it went to are kept as ids in the same catalog, like the OSCAL loader's
// incorporatedInto and movedTo.
func withdrawal(props map[string]any, description, key string) {
	m := withdrawnNote.FindStringSubmatch(description)
	if m == nil {
		if strings.HasPrefix(description, "[Withdrawn") {
			props["status"] = "withdrawn"
		}
		return
	}
	props["status"] = "withdrawn"
	var ids []string
	for _, ref := range controlRef.FindAllStringSubmatch(m[2], -1) {
		id := strings.ToLower(ref[1]) + "-" + ref[2]
		if ref[3] != "" {
			id += "." + ref[3]
		}
		ids = append(ids, key+"/"+id)
	}
	if len(ids) == 0 {
		return
	}
	if m[1] == "Moved to" {
		props["movedTo"] = ids
	} else {
		props["incorporatedInto"] = ids
	}
}

func lastPart(urn string) string { return urn[strings.LastIndex(urn, ":")+1:] }

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func number(v any) (float64, error) {
	switch n := v.(type) {
	case int:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case uint64:
		return float64(n), nil
	case float64:
		return n, nil
	}
	return 0, fmt.Errorf("%v is not a number", v)
}
