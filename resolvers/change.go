package resolvers

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/impact"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

const maxChangeList = 1000

// changeImpact answers Query.changeImpact with impact.Analyse (four statements).
func (r *Resolver) changeImpact(ctx context.Context, from, to string) (*model.ChangeImpact, error) {
	n := math.MaxInt // the lists are paged by their own fields
	rep, err := impact.Analyse(ctx, r.Store, from, to)
	if err != nil {
		if strings.Contains(err.Error(), "must be loaded catalogs or profiles") {
			return nil, &UserError{Code: CodeNotFound, Msg: err.Error()}
		}
		return nil, err
	}
	d, c := rep.Diff, rep.Counts
	out := &model.ChangeImpact{From: d.From, To: d.To, Counts: &model.ChangeCounts{
		Added: c["added"], Withdrawn: c["withdrawn"], Removed: c["removed"], Changed: c["changed"], Renamed: c["renamed"],
		TextChanged: c["textChanged"], Unchanged: c["unchanged"], Suspects: c["suspects"], Reviews: c["reviews"]}}
	for _, it := range d.Added[:min(n, len(d.Added))] {
		out.Added = append(out.Added, versionItem(it))
	}
	for _, w := range d.Withdrawn[:min(n, len(d.Withdrawn))] {
		out.Withdrawn = append(out.Withdrawn, &model.Withdrawal{Item: versionItem(w.Item), How: w.How, Successors: nonNil(w.Successors)})
	}
	for _, x := range d.Removed[:min(n, len(d.Removed))] {
		out.Removed = append(out.Removed, &model.Removal{Item: versionItem(x.Item), InCatalog: x.InCatalog})
	}
	for _, x := range d.Changed[:min(n, len(d.Changed))] {
		ch := &model.ItemChange{From: versionItem(x.From), To: versionItem(x.To), Fields: x.Fields}
		if x.TextDiff != "" {
			ch.TextDiff = &x.TextDiff
		}
		out.Changed = append(out.Changed, ch)
	}
	for _, s := range rep.Suspects[:min(n, len(rep.Suspects))] {
		out.Suspects = append(out.Suspects, &model.SuspectLink{Link: s.Link, Item: s.Item, Reason: s.Reason, Kind: s.Kind, From: s.From, To: s.To,
			Relationship: optStr(s.Relationship), Source: optStr(s.Source), SuggestedSuccessor: optStr(s.Successor)})
	}
	targets := map[string]bool{}
	for _, v := range rep.Reviews {
		out.StaleImplementations = append(out.StaleImplementations, v.Implementation)
		if v.Target != "" && !targets[v.Target] {
			targets[v.Target] = true
			out.Targets = append(out.Targets, v.Target)
		}
	}
	for _, v := range rep.Reviews[:min(n, len(rep.Reviews))] {
		out.Reviews = append(out.Reviews, &model.ReReview{Item: v.Item, Reason: v.Reason, Implementation: v.Implementation, Status: optStr(v.Status),
			Target: optStr(v.Target), Assessments: v.Assessments, Evidence: v.Evidence})
	}
	if out.Added == nil {
		out.Added = []*model.VersionItem{}
	}
	if out.Withdrawn == nil {
		out.Withdrawn = []*model.Withdrawal{}
	}
	if out.Removed == nil {
		out.Removed = []*model.Removal{}
	}
	if out.Changed == nil {
		out.Changed = []*model.ItemChange{}
	}
	if out.Suspects == nil {
		out.Suspects = []*model.SuspectLink{}
	}
	if out.Reviews == nil {
		out.Reviews = []*model.ReReview{}
	}
	slices.SortFunc(out.Added, func(a, b *model.VersionItem) int { return compareIDs(a.Key, b.Key) })
	slices.SortFunc(out.Withdrawn, func(a, b *model.Withdrawal) int { return compareIDs(a.Item.Key, b.Item.Key) })
	slices.SortFunc(out.Removed, func(a, b *model.Removal) int { return compareIDs(a.Item.Key, b.Item.Key) })
	slices.SortFunc(out.Changed, func(a, b *model.ItemChange) int { return compareIDs(a.From.Key, b.From.Key) })
	slices.SortFunc(out.Suspects, func(a, b *model.SuspectLink) int { return compareIDs(a.Link, b.Link) })
	slices.SortFunc(out.Reviews, func(a, b *model.ReReview) int { return compareIDs(a.Implementation, b.Implementation) })
	return out, nil
}

// pageList pages a list ordered by id: at most first (1 to 1000, default 100) entries after the one
// whose id is after.
func pageList[T any](items []T, first *int, after *string, id func(T) string) ([]T, error) {
	n := 100
	if first != nil {
		if *first < 1 || *first > maxChangeList {
			return nil, badInput("first must be between 1 and %d, got %d", maxChangeList, *first)
		}
		n = *first
	}
	start := 0
	if after != nil && *after != "" {
		start = len(items)
		for i, it := range items {
			if id(it) > *after {
				start = i
				break
			}
		}
	}
	return items[start:min(start+n, len(items))], nil
}

func versionItem(it impact.Item) *model.VersionItem {
	return &model.VersionItem{ID: it.ID, Key: it.Key, Title: optStr(it.Title), Catalog: optStr(it.Catalog)}
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (r *Resolver) recordChange(ctx context.Context, from, to string) (int, error) {
	for _, c := range []struct{ f, v string }{{"from", from}, {"to", to}} {
		if err := checkID(c.f, c.v); err != nil {
			return 0, err
		}
	}
	rep, err := impact.Analyse(ctx, r.Store, from, to)
	if err != nil {
		if strings.Contains(err.Error(), "must be loaded catalogs or profiles") {
			return 0, &UserError{Code: CodeNotFound, Msg: err.Error()}
		}
		return 0, err
	}
	return impact.Flag(ctx, r.Store, rep)
}

var decisions = map[model.ReviewDecision]string{
	model.ReviewDecisionConfirm: impact.Confirm, model.ReviewDecisionReject: impact.Reject, model.ReviewDecisionRetarget: impact.Retarget,
}

func (r *Resolver) reviewSuspect(ctx context.Context, link string, decision model.ReviewDecision, successor *string, reviewer string, notes *string) (*model.ReviewedLink, error) {
	d, ok := decisions[decision]
	if !ok {
		return nil, badInput("decision %q is not CONFIRM, REJECT or RETARGET", decision)
	}
	succ := ""
	if successor != nil {
		if err := checkID("successor", *successor); err != nil {
			return nil, err
		}
		succ = *successor
	}
	if d == impact.Retarget && succ == "" {
		return nil, badInput("RETARGET needs a successor")
	}
	if strings.TrimSpace(reviewer) == "" || len(reviewer) > 200 {
		return nil, badInput("reviewer must be 1 to 200 characters")
	}
	if len(link) == 0 || len(link) > 200 {
		return nil, badInput("link %q is not a link id", link)
	}
	n := ""
	if notes != nil {
		n = *notes
	}
	res, err := impact.ReviewLink(ctx, r.Store, link, d, succ, reviewer, n)
	if errors.Is(err, impact.ErrNotSuspect) {
		return nil, &UserError{Code: CodeNotFound, Msg: err.Error()}
	}
	if err != nil {
		return nil, err
	}
	return &model.ReviewedLink{Kind: res.Kind, From: res.From, To: res.To, Review: res.Review}, nil
}

var stmtSystemsReaching = cypher.MustGet("systems_reaching")

// changeSystems answers ChangeImpact.systems: the systems reached by the implementations to
// re-review, with the coverage they lose while those do not count (three statements).
func (r *Resolver) changeSystems(ctx context.Context, obj *model.ChangeImpact, regulation string) ([]*model.FailureImpact, error) {
	if len(obj.Targets) == 0 {
		return []*model.FailureImpact{}, nil
	}
	rows, err := r.read(ctx, stmtSystemsReaching, map[string]any{"targets": obj.Targets})
	if err != nil {
		return nil, err
	}
	var reached []reachedSystem
	for _, row := range rows {
		reached = append(reached, reachedSystem{aiSystemOf(propsOf(row["system"])), dependencyPath(listOf(row["depNodes"]))})
	}
	stale := map[string]bool{}
	for _, id := range obj.StaleImplementations {
		stale[id] = true
	}
	return r.coverageShift(ctx, reached, regulation, whatIf{stale: stale})
}

// ChangeSystems is changeImpact's systems for callers outside GraphQL (the impact command): the
// AI systems reached by the implementations to re-review, and the coverage they lose meanwhile.
func (r *Resolver) ChangeSystems(ctx context.Context, rep *impact.Report, regulation string) ([]impact.SystemShift, error) {
	obj := &model.ChangeImpact{}
	seen := map[string]bool{}
	for _, v := range rep.Reviews {
		obj.StaleImplementations = append(obj.StaleImplementations, v.Implementation)
		if v.Target != "" && !seen[v.Target] {
			seen[v.Target] = true
			obj.Targets = append(obj.Targets, v.Target)
		}
	}
	shifts, err := r.changeSystems(ctx, obj, regulation)
	if err != nil {
		return nil, err
	}
	var out []impact.SystemShift
	for _, s := range shifts {
		if len(s.Provisions) == 0 {
			continue
		}
		sh := impact.SystemShift{System: s.AiSystem.ID}
		for _, n := range s.DependencyPath.Nodes {
			sh.Dependency = append(sh.Dependency, n.ID)
		}
		for _, ch := range s.Provisions {
			sh.Changes = append(sh.Changes, impact.CoverageChange{Provision: ch.Provision.ID, Ref: deref(ch.Provision.Ref), Before: string(ch.Before), After: string(ch.After)})
		}
		out = append(out, sh)
	}
	return out, nil
}
