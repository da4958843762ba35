package resolvers

import (
	"context"
	"slices"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

var (
	stmtThreatByID = cypher.MustGet("threat_by_id")
	stmtRisksTo    = cypher.MustGet("risks_to")
)

// threat answers Query.threat with one statement; every nested field comes from its row.
func (r *Resolver) threat(ctx context.Context, id string) (*model.Threat, error) {
	rows, err := r.read(ctx, stmtThreatByID, map[string]any{"id": id})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	row := rows[0]
	t := threatOf(propsOf(row["props"]))
	for _, x := range listOf(row["risks"]) {
		m := propsOf(x)
		t.Risks = append(t.Risks, riskOf(propsOf(m["risk"]), nil, listOf(m["targets"]), listOf(m["controls"])))
	}
	slices.SortFunc(t.Risks, func(a, b *model.Risk) int { return compareIDs(a.ID, b.ID) })
	t.MitigatedBy = countermeasures(listOf(row["mitigations"]))
	return t, nil
}

// risksTo answers Query.risksTo with one statement.
func (r *Resolver) risksTo(ctx context.Context, target string) ([]*model.Risk, error) {
	rows, err := r.read(ctx, stmtRisksTo, map[string]any{"target": target})
	if err != nil {
		return nil, err
	}
	out := make([]*model.Risk, 0, len(rows))
	for _, row := range rows {
		out = append(out, riskOf(propsOf(row["risk"]), row["threat"], listOf(row["targets"]), listOf(row["controls"])))
	}
	return out, nil
}

func threatOf(p props) *model.Threat {
	return &model.Threat{ID: p.str("id"), Code: p.opt("code"), Title: p.opt("title"), Text: p.opt("text"), Kind: p.opt("kind"),
		Catalog: p.opt("catalog"), Risks: []*model.Risk{}, MitigatedBy: []*model.Countermeasure{}}
}

func riskOf(p props, threat any, targets, controls []any) *model.Risk {
	r := &model.Risk{ID: p.str("id"), Title: p.opt("title"), Treatment: p.opt("treatment"), Owner: p.opt("owner"),
		Likelihood: p.int("likelihood"), Impact: p.int("impact"), Score: p.int("score"), Targets: []*model.PathNode{}}
	if threat != nil {
		r.Threat = pathNodeOf(threat)
	}
	for _, t := range targets {
		r.Targets = append(r.Targets, pathNodeOf(t))
	}
	slices.SortFunc(r.Targets, func(a, b *model.PathNode) int { return compareIDs(a.ID, b.ID) })
	r.MitigatedBy = countermeasures(controls)
	return r
}

func countermeasures(rows []any) []*model.Countermeasure {
	out := []*model.Countermeasure{}
	for _, x := range rows {
		m := propsOf(x)
		cm := &model.Countermeasure{Node: pathNodeOf(m["node"]), Implementations: []*model.Implementation{}}
		for _, i := range listOf(m["implementations"]) {
			cm.Implementations = append(cm.Implementations, implementationOf(propsOf(i)))
		}
		slices.SortFunc(cm.Implementations, func(a, b *model.Implementation) int { return compareIDs(a.ID, b.ID) })
		out = append(out, cm)
	}
	slices.SortFunc(out, func(a, b *model.Countermeasure) int { return compareIDs(a.Node.ID, b.Node.ID) })
	return out
}
