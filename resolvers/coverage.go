package resolvers

import (
	"context"
	"slices"
	"time"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

var (
	stmtCoverageChains          = cypher.MustGet("coverage_chains")
	stmtCoverageImplementations = cypher.MustGet("coverage_implementations")
	stmtControlFailure          = cypher.MustGet("control_failure")
)

// applicable names the articles that apply to an AI system by its risk class and role. Article 4
// (AI literacy) applies to every provider and deployer.
func applicable(riskClass, role string) []string {
	arts := []string{"art-4"}
	switch riskClass {
	case "prohibited":
		arts = append(arts, "art-5")
	case "high":
		arts = append(arts, "art-9", "art-10", "art-11", "art-12", "art-13", "art-14", "art-15", "art-17")
		if role == "deployer" {
			arts = append(arts, "art-26", "art-27")
		}
	case "limited":
		arts = append(arts, "art-50")
	case "gpai":
		arts = append(arts, "art-53")
	case "gpai-systemic":
		arts = append(arts, "art-53", "art-55")
	}
	return arts
}

// chain is one way a control reaches a leaf provision, composed.
type chain struct {
	control      *model.Control
	relationship string
	strength     *float64
	path         *model.Path
}

type leaf struct {
	provision *model.Provision
	chains    []chain
}

// leaves runs coverage_chains: the leaf provisions under the roots, each with the chains that
// hold (composed in Go; chains through no-relationship are dropped).
func (r *Resolver) leaves(ctx context.Context, roots []string, regulation any, standards []string, depth int) ([]leaf, error) {
	params := map[string]any{"roots": roots, "regulation": regulation, "maxDepth": depth, "standards": nil}
	if standards != nil {
		params["standards"] = standards
	}
	rows, err := r.read(ctx, stmtCoverageChains, params)
	if err != nil {
		return nil, err
	}
	out := make([]leaf, 0, len(rows))
	for _, row := range rows {
		l := leaf{provision: provisionOf(propsOf(row["props"]))}
		for _, ch := range listOf(row["chains"]) {
			m := propsOf(ch)
			c := controlOf(propsOf(m["control"]))
			var links []link
			path := &model.Path{}
			for _, n := range listOf(m["nodes"]) {
				path.Nodes = append(path.Nodes, pathNodeOf(n))
			}
			for _, lk := range listOf(m["links"]) {
				links = append(links, linkOf(lk))
				path.Relationships = append(path.Relationships, pathRelOf(lk))
			}
			if at, _ := m["at"].(string); at != "" && at != l.provision.ID {
				// Satisfying a provision the leaf is part of: the provision is a superset of the
				// leaf (equal-to a paragraph covers each of its points; subset-of it, only part).
				links = append(links, link{from: at, to: l.provision.ID, relationship: relSuperset, structural: true})
				path.Nodes = append(path.Nodes, &model.PathNode{ID: l.provision.ID, Kind: string(graph.Provision), Title: l.provision.Ref})
				path.Relationships = append(path.Relationships, &model.PathRelationship{Kind: string(graph.PartOf), From: l.provision.ID, To: at})
			}
			rel, strength, ok := composeChain(c.ID, links)
			if !ok {
				continue
			}
			l.chains = append(l.chains, chain{control: c, relationship: rel, strength: strength, path: path})
		}
		// Shortest chains first, then by control: the first chain of a control is its best path.
		slices.SortStableFunc(l.chains, func(a, b chain) int {
			if d := len(a.path.Relationships) - len(b.path.Relationships); d != 0 {
				return d
			}
			return compareIDs(a.control.ID, b.control.ID)
		})
		out = append(out, l)
	}
	return out, nil
}

func controlIDs(leaves []leaf) []string {
	seen := map[string]bool{}
	var ids []string
	for _, l := range leaves {
		for _, c := range l.chains {
			if !seen[c.control.ID] {
				seen[c.control.ID] = true
				ids = append(ids, c.control.ID)
			}
		}
	}
	return ids
}

// targetImpl is an implementation of a control on a system or on something it depends on.
type targetImpl struct {
	impl     *model.Implementation
	dep      *model.Path
	evidence []*model.Evidence
}

// implementations runs coverage_implementations: system -> control -> implementations.
func (r *Resolver) implementations(ctx context.Context, systems, controls []string, today string) (map[string]map[string][]targetImpl, error) {
	out := map[string]map[string][]targetImpl{}
	if len(systems) == 0 || len(controls) == 0 {
		return out, nil
	}
	rows, err := r.read(ctx, stmtCoverageImplementations, map[string]any{"systems": systems, "controls": controls})
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		sys, _ := row["system"].(string)
		ctl, _ := row["control"].(string)
		ti := targetImpl{impl: implementationOf(propsOf(row["implementation"])), dep: dependencyPath(listOf(row["depNodes"]))}
		for _, e := range listOf(row["evidence"]) {
			ev := evidenceOf(propsOf(e), today)
			if ev.CollectedAt != nil && *ev.CollectedAt > today {
				continue // not collected yet on the day asked about
			}
			ti.evidence = append(ti.evidence, ev)
		}
		slices.SortFunc(ti.evidence, func(a, b *model.Evidence) int { return compareIDs(a.ID, b.ID) })
		if out[sys] == nil {
			out[sys] = map[string][]targetImpl{}
		}
		out[sys][ctl] = append(out[sys][ctl], ti)
	}
	return out, nil
}

func dependencyPath(nodes []any) *model.Path {
	p := &model.Path{}
	for i, n := range nodes {
		p.Nodes = append(p.Nodes, pathNodeOf(n))
		if i > 0 {
			p.Relationships = append(p.Relationships, &model.PathRelationship{Kind: string(graph.DependsOn), From: p.Nodes[i-1].ID, To: p.Nodes[i].ID})
		}
	}
	return p
}

func implementationOf(p props) *model.Implementation {
	return &model.Implementation{ID: p.str("id"), Status: p.str("status"), Owner: p.opt("owner"), LastTested: p.opt("lastTested"), Notes: p.opt("notes")}
}

func evidenceOf(p props, today string) *model.Evidence {
	e := &model.Evidence{ID: p.str("id"), Title: p.opt("title"), URI: p.opt("uri"), Sha256: p.opt("sha256"),
		CollectedAt: p.opt("collectedAt"), ValidUntil: p.opt("validUntil")}
	e.Expired = e.ValidUntil != nil && *e.ValidUntil < today
	return e
}

// covering: implemented or partial, with at least one evidence item still valid.
func covering(ti targetImpl, failed map[string]bool) bool {
	if failed[ti.impl.ID] || (ti.impl.Status != "implemented" && ti.impl.Status != "partial") {
		return false
	}
	for _, e := range ti.evidence {
		if !e.Expired {
			return true
		}
	}
	return false
}

// whatIf names implementations to see differently: failed (controlFailureImpact) or stale, no
// longer counting until re-reviewed (changeImpact).
type whatIf struct {
	failed, stale map[string]bool
}

// status rates one leaf for one system (see CoverageStatus in the schema) as it is, or under a
// what-if.
func status(l leaf, impls map[string][]targetImpl, w whatIf) (model.CoverageStatus, []*model.ControlCoverage) {
	failed := w.failed
	var controls []*model.ControlCoverage
	relevant, full, some, broken := 0, 0, 0, false
	seen := map[string]bool{}
	for _, c := range l.chains {
		tis := impls[c.control.ID]
		cc := &model.ControlCoverage{Control: c.control, Relationship: relationshipNames[c.relationship], Path: c.path}
		if seen[c.control.ID] {
			continue // one entry per control: its first (shortest) chain
		}
		seen[c.control.ID] = true
		controls = append(controls, cc)
		if len(tis) == 0 {
			continue
		}
		relevant++
		anyCovering := false
		for _, ti := range tis {
			cov := covering(ti, failed) && !w.stale[ti.impl.ID]
			cc.Implementations = append(cc.Implementations, &model.TargetImplementation{Implementation: withFailure(ti.impl, failed), DependencyPath: ti.dep, Covering: cov, Evidence: ti.evidence})
			if failed[ti.impl.ID] || ti.impl.Status == "failed" {
				broken = true
			}
			anyCovering = anyCovering || cov
		}
		if anyCovering {
			some++
			if rank(c.relationship) != rank(relIntersects) {
				full++
			}
		}
	}
	switch {
	case relevant == 0:
		return model.CoverageStatusNotCovered, controls
	case broken:
		return model.CoverageStatusFailed, controls
	case full == relevant:
		return model.CoverageStatusCovered, controls
	case some > 0:
		return model.CoverageStatusPartiallyCovered, controls
	}
	return model.CoverageStatusNotCovered, controls
}

func withFailure(i *model.Implementation, failed map[string]bool) *model.Implementation {
	if !failed[i.ID] {
		return i
	}
	c := *i
	c.Status = "failed"
	return &c
}

// today is the date evidence freshness is judged against: Now when set (tests and documentation
// examples pin it), the clock otherwise.
func (r *Resolver) today() string {
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return now().UTC().Format(time.DateOnly)
}

// coverageMany answers AISystem.coverage for many systems with two statements: the leaves of
// every article that applies to any of them, and the implementations on all of them.
func (r *Resolver) coverageMany(ctx context.Context, systems []*model.AISystem, regulation string, standards []string, depth int, day string) (map[string][]*model.ProvisionCoverage, error) {
	rootSet := map[string]bool{}
	var roots, ids []string
	for _, sys := range systems {
		ids = append(ids, sys.ID)
		for _, root := range articleRoots(regulation, sys) {
			if !rootSet[root] {
				rootSet[root] = true
				roots = append(roots, root)
			}
		}
	}
	leaves, err := r.leaves(ctx, roots, regulation, standards, depth)
	if err != nil {
		return nil, err
	}
	impls, err := r.implementations(ctx, ids, controlIDs(leaves), day)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]*model.ProvisionCoverage, len(systems))
	for _, sys := range systems {
		applies := map[string]bool{}
		for _, root := range articleRoots(regulation, sys) {
			applies[root] = true
		}
		list := []*model.ProvisionCoverage{}
		for _, l := range leaves {
			if !appliesTo(l.provision.ID, applies) {
				continue
			}
			st, controls := status(l, impls[sys.ID], whatIf{})
			list = append(list, &model.ProvisionCoverage{Provision: l.provision, Status: st, Controls: controls})
		}
		out[sys.ID] = list
	}
	return out, nil
}

func articleRoots(regulation string, sys *model.AISystem) []string {
	var roots []string
	for _, a := range applicable(deref(sys.RiskClass), deref(sys.Role)) {
		roots = append(roots, regulation+"/"+a)
	}
	return roots
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// controlFailureImpact answers Query.controlFailureImpact with three statements, whatever the
// number of systems reached.
func (r *Resolver) controlFailureImpact(ctx context.Context, control string, target *string, regulation string) (*model.ControlFailure, error) {
	rows, err := r.read(ctx, stmtControlFailure, map[string]any{"control": control, "target": optional(target)})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	row := rows[0]
	out := &model.ControlFailure{Control: controlOf(propsOf(row["control"])), Implementations: []*model.Implementation{}, Affected: []*model.FailureImpact{}, Risks: []*model.RiskAtStake{}}
	failed := map[string]bool{}
	for _, i := range listOf(row["implementations"]) {
		impl := implementationOf(propsOf(i))
		failed[impl.ID] = true
		out.Implementations = append(out.Implementations, impl)
	}
	for _, rk := range listOf(row["risks"]) {
		m := propsOf(rk)
		rp := propsOf(m["risk"])
		risk := &model.RiskAtStake{ID: rp.str("id"), Title: rp.opt("title"), Treatment: rp.opt("treatment"), Targets: []*model.PathNode{}}
		if s, ok := rp["score"].(int64); ok {
			n := int(s)
			risk.Score = &n
		}
		for _, t := range listOf(m["targets"]) {
			risk.Targets = append(risk.Targets, pathNodeOf(t))
		}
		slices.SortFunc(risk.Targets, func(a, b *model.PathNode) int { return compareIDs(a.ID, b.ID) })
		out.Risks = append(out.Risks, risk)
	}
	slices.SortFunc(out.Risks, func(a, b *model.RiskAtStake) int { return compareIDs(a.ID, b.ID) })
	var reached []reachedSystem
	for _, x := range listOf(row["systems"]) {
		m := propsOf(x)
		reached = append(reached, reachedSystem{aiSystemOf(propsOf(m["system"])), dependencyPath(listOf(m["depNodes"]))})
	}
	if out.Affected, err = r.coverageShift(ctx, reached, regulation, whatIf{failed: failed}); err != nil {
		return nil, err
	}
	return out, nil
}

// reachedSystem is an AI system with the dependency path by which a change reaches it.
type reachedSystem struct {
	sys *model.AISystem
	dep *model.Path
}

// coverageShift rates every applicable provision of each system as it is and under the what-if,
// and keeps the ones whose status changes (two statements for all the systems).
func (r *Resolver) coverageShift(ctx context.Context, systems []reachedSystem, regulation string, w whatIf) ([]*model.FailureImpact, error) {
	out := []*model.FailureImpact{}
	if len(systems) == 0 {
		return out, nil
	}
	rootSet := map[string]bool{}
	var roots, ids []string
	for _, s := range systems {
		ids = append(ids, s.sys.ID)
		for _, root := range articleRoots(regulation, s.sys) {
			if !rootSet[root] {
				rootSet[root] = true
				roots = append(roots, root)
			}
		}
	}
	leaves, err := r.leaves(ctx, roots, regulation, nil, 2)
	if err != nil {
		return nil, err
	}
	impls, err := r.implementations(ctx, ids, controlIDs(leaves), r.today())
	if err != nil {
		return nil, err
	}
	for _, s := range systems {
		applies := map[string]bool{}
		for _, root := range articleRoots(regulation, s.sys) {
			applies[root] = true
		}
		impact := &model.FailureImpact{AiSystem: s.sys, DependencyPath: s.dep, Provisions: []*model.CoverageChange{}}
		for _, l := range leaves {
			if !appliesTo(l.provision.ID, applies) {
				continue
			}
			before, _ := status(l, impls[s.sys.ID], whatIf{})
			after, _ := status(l, impls[s.sys.ID], w)
			if before != after {
				impact.Provisions = append(impact.Provisions, &model.CoverageChange{Provision: l.provision, Before: before, After: after})
			}
		}
		out = append(out, impact)
	}
	slices.SortFunc(out, func(a, b *model.FailureImpact) int {
		if d := len(b.Provisions) - len(a.Provisions); d != 0 {
			return d
		}
		return compareIDs(a.AiSystem.ID, b.AiSystem.ID)
	})
	return out, nil
}

// appliesTo: the provision is one of the roots or under one (ids are hierarchical).
func appliesTo(id string, roots map[string]bool) bool {
	for root := range roots {
		if id == root || len(id) > len(root) && id[:len(root)+1] == root+"/" {
			return true
		}
	}
	return false
}

// trace answers Query.trace with two statements.
func (r *Resolver) trace(ctx context.Context, provision, system string, depth int) ([]*model.TraceStep, error) {
	leaves, err := r.leaves(ctx, []string{provision}, nil, nil, depth)
	if err != nil {
		return nil, err
	}
	impls, err := r.implementations(ctx, []string{system}, controlIDs(leaves), r.today())
	if err != nil {
		return nil, err
	}
	out := []*model.TraceStep{}
	for _, l := range leaves {
		slices.SortStableFunc(l.chains, func(a, b chain) int { return compareIDs(a.control.ID, b.control.ID) })
		for _, c := range l.chains {
			for _, ti := range impls[system][c.control.ID] {
				out = append(out, &model.TraceStep{Provision: l.provision, Control: c.control, Relationship: relationshipNames[c.relationship],
					Path: c.path, Implementation: ti.impl, DependencyPath: ti.dep, Evidence: ti.evidence})
			}
		}
	}
	return out, nil
}

func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
