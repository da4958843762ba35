package native

import (
	"fmt"
	"time"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// DefaultSatisfies is the relationship of a control to a provision it satisfies when the file
// does not say: a requirement covers part of what the provision asks.
const DefaultSatisfies = "subset-of"

// Load reads one YAML file into a batch.
func Load(path string) (*loaders.Batch, error) {
	f, loc, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	sha, err := loaders.HashFiles([]string{path})
	if err != nil {
		return nil, err
	}
	b, err := f.Batch(loc)
	if err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	b.Source.Files, b.Source.SHA256 = []string{path}, sha
	return b, nil
}

// builder collects nodes and relationships, and knows the kind of every id the file declares.
type builder struct {
	b     *loaders.Batch
	loc   Locator
	kinds map[string]graph.NodeKind
	where map[string]string
}

// Batch checks the references between the file's items and turns them into a batch. Errors
// start with "line:col: ".
func (f *File) Batch(loc Locator) (*loaders.Batch, error) {
	bl := &builder{loc: loc, kinds: map[string]graph.NodeKind{}, where: map[string]string{},
		b: &loaders.Batch{Source: loaders.Source{Name: f.Source, Loader: "aimsgraph", Version: f.Version}}}
	if err := bl.catalog(f.Catalog, "", false); err != nil {
		return nil, err
	}
	if err := bl.catalog(f.References, "references.", true); err != nil {
		return nil, err
	}
	if err := bl.inventory(f); err != nil {
		return nil, err
	}
	if err := bl.relations(f); err != nil {
		return nil, err
	}
	return bl.b, nil
}

func (bl *builder) errf(path, format string, args ...any) error {
	return fmt.Errorf("%s: at %s: %s", bl.loc.At(path), path, fmt.Sprintf(format, args...))
}

func (bl *builder) node(kind graph.NodeKind, id, path string, stub bool, props map[string]any) error {
	if first, dup := bl.where[id]; dup {
		return bl.errf(path+".id", "%s is declared twice (first at %s)", id, first)
	}
	bl.where[id] = path
	bl.kinds[id] = kind
	for k, v := range props {
		if s, ok := v.(string); ok && s == "" {
			delete(props, k)
		}
	}
	bl.b.Nodes = append(bl.b.Nodes, loaders.Node{Kind: kind, ID: id, Stub: stub, Props: props})
	return nil
}

func (bl *builder) rel(kind graph.RelKind, from, to, key string, props map[string]any) {
	bl.b.Rels = append(bl.b.Rels, loaders.Rel{Kind: kind, From: from, To: to, Key: key, Props: props})
}

// want checks that an id the file declares is of one of the kinds; ids it does not declare are
// left to the write, which fails naming them when the graph lacks them too.
func (bl *builder) want(path, id string, kinds ...graph.NodeKind) error {
	k, ok := bl.kinds[id]
	if !ok {
		return nil
	}
	for _, w := range kinds {
		if k == w {
			return nil
		}
	}
	return bl.errf(path, "%s is a %s; want %v", id, k, kinds)
}

func (bl *builder) catalog(c Catalog, prefix string, stub bool) error {
	for i, r := range c.Regulations {
		if err := bl.node(graph.Regulation, r.ID, fmt.Sprintf("%sregulations[%d]", prefix, i), stub,
			map[string]any{"title": r.Title, "shortTitle": r.ShortTitle, "celex": r.Celex, "text": r.Text}); err != nil {
			return err
		}
	}
	for i, s := range c.Standards {
		if err := bl.node(graph.Standard, s.ID, fmt.Sprintf("%sstandards[%d]", prefix, i), stub,
			map[string]any{"title": s.Title, "family": s.Family, "version": s.Version, "kind": s.Kind, "text": s.Text}); err != nil {
			return err
		}
	}
	for i, p := range c.Provisions {
		if err := bl.node(graph.Provision, p.ID, fmt.Sprintf("%sprovisions[%d]", prefix, i), stub,
			map[string]any{"title": p.Title, "ref": p.Ref, "text": p.Text, "level": p.Level, "regulation": p.Regulation}); err != nil {
			return err
		}
	}
	for i, m := range c.Modules {
		if err := bl.node(graph.Module, m.ID, fmt.Sprintf("%smodules[%d]", prefix, i), stub,
			map[string]any{"title": m.Title, "code": m.Code, "text": m.Text, "standard": m.Standard}); err != nil {
			return err
		}
	}
	moduleStandard := map[string]string{}
	for _, m := range c.Modules {
		moduleStandard[m.ID] = m.Standard
	}
	for i, c := range c.Controls {
		// A control names its standard, or inherits its module's: queries filter on it.
		std := first(c.Standard, moduleStandard[c.Module])
		if err := bl.node(graph.Control, c.ID, fmt.Sprintf("%scontrols[%d]", prefix, i), stub,
			map[string]any{"title": c.Title, "code": c.Code, "text": c.Text, "level": c.Level, "standard": std}); err != nil {
			return err
		}
	}
	for i, t := range c.Threats {
		if err := bl.node(graph.Threat, t.ID, fmt.Sprintf("%sthreats[%d]", prefix, i), stub,
			map[string]any{"title": t.Title, "code": t.Code, "text": t.Text, "catalog": t.Catalog}); err != nil {
			return err
		}
	}
	return nil
}

func (bl *builder) inventory(f *File) error {
	for i, s := range f.AISystems {
		if err := bl.node(graph.AISystem, s.ID, fmt.Sprintf("aiSystems[%d]", i), false, map[string]any{
			"title": s.Title, "text": s.Description, "riskClass": s.RiskClass, "role": s.Role, "owner": s.Owner}); err != nil {
			return err
		}
	}
	for i, a := range f.Assets {
		if err := bl.node(graph.Asset, a.ID, fmt.Sprintf("assets[%d]", i), false, map[string]any{
			"title": a.Title, "text": a.Description, "type": a.Type, "owner": a.Owner}); err != nil {
			return err
		}
	}
	for i, im := range f.Implementations {
		path := fmt.Sprintf("implementations[%d]", i)
		if err := bl.date(path+".lastTested", im.LastTested); err != nil {
			return err
		}
		if err := bl.node(graph.Implementation, im.ID, path, false, map[string]any{
			"status": im.Status, "owner": im.Owner, "lastTested": im.LastTested, "notes": im.Notes,
			"title": im.Status + ": " + im.Control + " on " + im.Target}); err != nil {
			return err
		}
	}
	for i, e := range f.Evidence {
		path := fmt.Sprintf("evidence[%d]", i)
		if err := bl.date(path+".collectedAt", e.CollectedAt); err != nil {
			return err
		}
		if err := bl.date(path+".validUntil", e.ValidUntil); err != nil {
			return err
		}
		if e.ValidUntil != "" && e.ValidUntil < e.CollectedAt {
			return bl.errf(path+".validUntil", "%s is before collectedAt %s", e.ValidUntil, e.CollectedAt)
		}
		if err := bl.node(graph.Evidence, e.ID, path, false, map[string]any{
			"title": e.Title, "uri": e.URI, "sha256": e.SHA256, "collectedAt": e.CollectedAt, "validUntil": e.ValidUntil}); err != nil {
			return err
		}
	}
	for i, r := range f.Risks {
		if err := bl.node(graph.Risk, r.ID, fmt.Sprintf("risks[%d]", i), false, map[string]any{
			"title": r.Title, "text": r.Description, "likelihood": r.Likelihood, "impact": r.Impact,
			"score": r.Likelihood * r.Impact, "treatment": r.Treatment, "owner": r.Owner}); err != nil {
			return err
		}
	}
	return nil
}

func (bl *builder) date(path, v string) error {
	if v == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return bl.errf(path, "%q is not a date (YYYY-MM-DD)", v)
	}
	return nil
}

var targets = []graph.NodeKind{graph.Asset, graph.AISystem}

// relations links what the file declares, checking the kind of each end it knows.
func (bl *builder) relations(f *File) error {
	for _, part := range []struct {
		name string
		c    Catalog
	}{{"", f.Catalog}, {"references.", f.References}} {
		for i, p := range part.c.Provisions {
			parent := first(p.Parent, p.Regulation)
			if parent == "" {
				continue
			}
			path := fmt.Sprintf("%sprovisions[%d].parent", part.name, i)
			if err := bl.want(path, parent, graph.Provision, graph.Regulation); err != nil {
				return err
			}
			bl.rel(graph.PartOf, p.ID, parent, "", nil)
		}
		for i, m := range part.c.Modules {
			if parent := first(m.Parent, m.Standard); parent != "" {
				if err := bl.want(fmt.Sprintf("%smodules[%d].parent", part.name, i), parent, graph.Module, graph.Standard); err != nil {
					return err
				}
				bl.rel(graph.PartOf, m.ID, parent, "", nil)
			}
		}
		for i, c := range part.c.Controls {
			path := fmt.Sprintf("%scontrols[%d]", part.name, i)
			if parent := first(c.Parent, c.Module, c.Standard); parent != "" {
				if err := bl.want(path+".module", parent, graph.Module, graph.Control, graph.Standard); err != nil {
					return err
				}
				bl.rel(graph.PartOf, c.ID, parent, "", nil)
			}
			for j, s := range c.Satisfies {
				sp := fmt.Sprintf("%s.satisfies[%d].provision", path, j)
				if err := bl.want(sp, s.Provision, graph.Provision); err != nil {
					return err
				}
				bl.rel(graph.Satisfies, c.ID, s.Provision, s.Aspect, mappingProps(first(s.Relationship, DefaultSatisfies), s.Strength, s.Rationale, "published", s.Aspect))
			}
			for j, t := range c.Mitigates {
				if err := bl.want(fmt.Sprintf("%s.mitigates[%d]", path, j), t, graph.Threat); err != nil {
					return err
				}
				bl.rel(graph.Mitigates, c.ID, t, "", nil)
			}
		}
		for i, t := range part.c.Threats {
			if t.Catalog != "" {
				if err := bl.want(fmt.Sprintf("%sthreats[%d].catalog", part.name, i), t.Catalog, graph.Standard, graph.Threat); err != nil {
					return err
				}
				bl.rel(graph.PartOf, t.ID, t.Catalog, "", nil)
			}
		}
	}
	for i, m := range f.Mappings {
		path := fmt.Sprintf("mappings[%d]", i)
		from, ok := bl.kinds[m.From]
		if !ok {
			return bl.errf(path+".from", "%s is not declared in this file; name it under references", m.From)
		}
		to, ok := bl.kinds[m.To]
		if !ok {
			return bl.errf(path+".to", "%s is not declared in this file; name it under references", m.To)
		}
		kind := graph.MapsTo
		if from == graph.Control && to == graph.Provision {
			kind = graph.Satisfies
		} else if (from != graph.Control && from != graph.Provision) || (to != graph.Control && to != graph.Provision) {
			return bl.errf(path, "maps a %s to a %s; mappings join controls and provisions", from, to)
		}
		bl.rel(kind, m.From, m.To, "", mappingProps(m.Relationship, m.Strength, m.Rationale, first(m.Status, "published"), ""))
	}
	for i, s := range f.AISystems {
		for j, d := range s.DependsOn {
			if err := bl.want(fmt.Sprintf("aiSystems[%d].dependsOn[%d]", i, j), d, targets...); err != nil {
				return err
			}
			bl.rel(graph.DependsOn, s.ID, d, "", nil)
		}
	}
	for i, a := range f.Assets {
		for j, d := range a.DependsOn {
			if err := bl.want(fmt.Sprintf("assets[%d].dependsOn[%d]", i, j), d, targets...); err != nil {
				return err
			}
			bl.rel(graph.DependsOn, a.ID, d, "", nil)
		}
	}
	for i, ap := range f.Applies {
		path := fmt.Sprintf("applies[%d]", i)
		what := first(ap.Module, ap.Control)
		if err := bl.want(path, what, graph.Module, graph.Control); err != nil {
			return err
		}
		for j, t := range ap.Targets {
			if err := bl.want(fmt.Sprintf("%s.targets[%d]", path, j), t, targets...); err != nil {
				return err
			}
			bl.rel(graph.AppliesTo, what, t, "", nil)
		}
	}
	for i, im := range f.Implementations {
		path := fmt.Sprintf("implementations[%d]", i)
		if err := bl.want(path+".control", im.Control, graph.Control); err != nil {
			return err
		}
		if err := bl.want(path+".target", im.Target, targets...); err != nil {
			return err
		}
		bl.rel(graph.Implements, im.ID, im.Control, "", nil)
		bl.rel(graph.On, im.ID, im.Target, "", nil)
	}
	for i, e := range f.Evidence {
		if err := bl.want(fmt.Sprintf("evidence[%d].implementation", i), e.Implementation, graph.Implementation); err != nil {
			return err
		}
		bl.rel(graph.Supports, e.ID, e.Implementation, "", nil)
	}
	for i, r := range f.Risks {
		path := fmt.Sprintf("risks[%d]", i)
		if r.Threat != "" {
			if err := bl.want(path+".threat", r.Threat, graph.Threat); err != nil {
				return err
			}
			bl.rel(graph.Realises, r.ID, r.Threat, "", nil)
		}
		for j, t := range r.Targets {
			if err := bl.want(fmt.Sprintf("%s.targets[%d]", path, j), t, targets...); err != nil {
				return err
			}
			bl.rel(graph.Threatens, r.ID, t, "", nil)
		}
		for j, c := range r.MitigatedBy {
			if err := bl.want(fmt.Sprintf("%s.mitigatedBy[%d]", path, j), c, graph.Control); err != nil {
				return err
			}
			bl.rel(graph.Mitigates, c, r.ID, "", nil)
		}
	}
	return nil
}

func mappingProps(rel string, strength *float64, rationale, status, aspect string) map[string]any {
	p := map[string]any{"relationship": rel, "status": status}
	if strength != nil {
		p["strength"] = *strength
	}
	if rationale != "" {
		p["rationale"] = rationale
	}
	if aspect != "" {
		p["aspect"] = aspect
	}
	return p
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
