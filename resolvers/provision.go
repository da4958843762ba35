package resolvers

import (
	"context"
	"slices"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

var (
	stmtProvisionByID    = cypher.MustGet("provision_by_id")
	stmtControlByID      = cypher.MustGet("control_by_id")
	stmtProvisionSatisfy = cypher.MustGet("provision_satisfied_by")
)

const (
	maxChainDepth        = 3    // the statements' bound on MAPS_TO chains
	maxSatisfactions     = 200  // the most controls one satisfiedBy returns
	satisfactionPathRows = 2000 // the most paths one satisfiedBy reads
	pathsPerSatisfaction = 5    // the paths kept per control
)

func provisionOf(p props) *model.Provision {
	return &model.Provision{ID: p.str("id"), Ref: p.opt("ref"), Title: p.opt("title"), Text: p.opt("text"),
		Level: p.opt("level"), Regulation: p.opt("regulation")}
}

func controlOf(p props) *model.Control {
	return &model.Control{ID: p.str("id"), Code: p.opt("code"), Title: p.opt("title"), Text: p.opt("text"),
		Level: p.opt("level"), Standard: p.opt("standard"), Status: p.opt("status")}
}

// chainOptions are the validated arguments shared by satisfiedBy and gaps.
type chainOptions struct {
	standards []string
	min       string
	depth     int
}

func newChainOptions(standards []string, min *model.Relationship, directOnly *bool, maxDepth *int) (chainOptions, error) {
	o := chainOptions{standards: standards, min: relIntersects, depth: 2}
	if min != nil {
		if !min.IsValid() {
			return o, badInput("minRelationship %q is not a relationship", *min)
		}
		o.min = relationshipOf(*min)
	}
	if maxDepth != nil {
		if *maxDepth < 0 || *maxDepth > maxChainDepth {
			return o, badInput("maxDepth must be between 0 and %d, got %d", maxChainDepth, *maxDepth)
		}
		o.depth = *maxDepth
	}
	if directOnly != nil && *directOnly {
		o.depth = 0
	}
	return o, nil
}

// satisfiedByMany answers Provision.satisfiedBy for many provisions with one statement: the rows
// are the paths, grouped by provision and control here, each composed and kept when at least as
// strong as asked.
func (r *Resolver) satisfiedByMany(ctx context.Context, ids []string, o chainOptions, first int) (map[string][]*model.Satisfaction, error) {
	params := map[string]any{"ids": ids, "maxDepth": o.depth, "limit": satisfactionPathRows, "standards": nil}
	if o.standards != nil {
		params["standards"] = o.standards
	}
	rows, err := r.read(ctx, stmtProvisionSatisfy, params)
	if err != nil {
		return nil, err
	}
	byProvision := map[string][]graph.Record{}
	for _, row := range rows {
		pid, _ := row["pid"].(string)
		byProvision[pid] = append(byProvision[pid], row)
	}
	out := make(map[string][]*model.Satisfaction, len(ids))
	for _, id := range ids {
		out[id] = satisfactions(id, byProvision[id], o, first)
	}
	return out, nil
}

func satisfactions(pid string, rows []graph.Record, o chainOptions, first int) []*model.Satisfaction {
	byControl := map[string]*model.Satisfaction{}
	var order []string
	for _, row := range rows {
		c := controlOf(propsOf(row["control"]))
		chain := listOf(row["chainRels"])
		links := make([]link, 0, len(chain)+2)
		for _, l := range chain {
			links = append(links, linkOf(l))
		}
		links = append(links, linkOf(row["satisfies"]))
		sub := provisionOf(propsOf(row["provision"]))
		if len(listOf(row["upNodes"])) > 1 { // satisfying a provision under the one asked about covers part of it
			links = append(links, link{from: sub.ID, to: pid, relationship: relSubset, structural: true})
		}
		rel, strength, ok := composeChain(c.ID, links)
		if !ok || rank(rel) > rank(o.min) {
			continue
		}
		s, seen := byControl[c.ID]
		if !seen {
			s = &model.Satisfaction{Control: c, Provision: sub, Relationship: relationshipNames[rel], Strength: strength, Direct: len(chain) == 0}
			byControl[c.ID] = s
			order = append(order, c.ID)
		} else if better(rel, strength, s) {
			s.Relationship, s.Strength, s.Provision = relationshipNames[rel], strength, sub
		}
		s.Direct = s.Direct || len(chain) == 0
		if len(s.Paths) < pathsPerSatisfaction {
			s.Paths = append(s.Paths, pathOf(row))
		}
	}
	out := make([]*model.Satisfaction, 0, len(order))
	for _, id := range order {
		out = append(out, byControl[id])
	}
	slices.SortStableFunc(out, func(a, b *model.Satisfaction) int {
		if d := rank(relationshipOf(a.Relationship)) - rank(relationshipOf(b.Relationship)); d != 0 {
			return d
		}
		if sa, sb := strengthOr0(a.Strength), strengthOr0(b.Strength); sa != sb {
			if sa > sb {
				return -1
			}
			return 1
		}
		return compareIDs(a.Control.ID, b.Control.ID)
	})
	return out[:min(first, len(out))]
}

func better(rel string, strength *float64, s *model.Satisfaction) bool {
	if d := rank(rel) - rank(relationshipOf(s.Relationship)); d != 0 {
		return d < 0
	}
	return strengthOr0(strength) > strengthOr0(s.Strength)
}

func strengthOr0(s *float64) float64 {
	if s == nil {
		return 0
	}
	return *s
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// pathOf assembles control -> mappings -> SATISFIES -> PART_OF... from one row.
func pathOf(row graph.Record) *model.Path {
	path := &model.Path{}
	for _, n := range listOf(row["chainNodes"]) {
		path.Nodes = append(path.Nodes, pathNodeOf(n))
	}
	for _, l := range listOf(row["chainRels"]) {
		path.Relationships = append(path.Relationships, pathRelOf(l))
	}
	path.Relationships = append(path.Relationships, pathRelOf(row["satisfies"]))
	up := listOf(row["upNodes"])
	for i, n := range up {
		path.Nodes = append(path.Nodes, pathNodeOf(n))
		if i > 0 {
			from := propsOf(up[i-1]).str("id")
			path.Relationships = append(path.Relationships, &model.PathRelationship{Kind: string(graph.PartOf), From: from, To: propsOf(n).str("id")})
		}
	}
	return path
}

func pathNodeOf(v any) *model.PathNode {
	p := propsOf(v)
	return &model.PathNode{ID: p.str("id"), Kind: p.str("kind"), Title: p.opt("title")}
}

func pathRelOf(v any) *model.PathRelationship {
	p := propsOf(v)
	l := linkOf(v)
	return &model.PathRelationship{Kind: p.str("kind"), From: l.from, To: l.to, Relationship: p.opt("relationship"),
		Strength: l.strength, Rationale: p.opt("rationale")}
}

// gaps answers Query.gaps with one statement: a leaf under the root none of whose chains
// composes at least as strong as asked is a gap.
func (r *Resolver) gaps(ctx context.Context, regulation, under string, o chainOptions) ([]*model.Provision, error) {
	leaves, err := r.leaves(ctx, []string{under}, regulation, o.standards, o.depth)
	if err != nil {
		return nil, err
	}
	out := []*model.Provision{}
	for _, l := range leaves {
		if !slices.ContainsFunc(l.chains, func(c chain) bool { return rank(c.relationship) <= rank(o.min) }) {
			out = append(out, l.provision)
		}
	}
	return out, nil
}
