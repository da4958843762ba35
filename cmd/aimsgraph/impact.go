package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aimsgraph/aimsgraph/impact"
	"github.com/aimsgraph/aimsgraph/resolvers"
)

// ImpactCmd writes the change-impact report between two versions.
type ImpactCmd struct {
	From       string `name:"from" required:"" help:"The older version: a catalog or profile id, e.g. nist-800-53@rev4/baseline-high."`
	To         string `name:"to" required:"" help:"The newer version, e.g. nist-800-53@rev5/baseline-high."`
	Format     string `name:"format" default:"md" enum:"md,json,csv" help:"Report format (${enum}): md starts with a summary table."`
	Out        string `name:"out" short:"o" help:"Write to this file instead of standard output."`
	Rows       int    `name:"rows" default:"0" help:"With md: at most this many rows a list (0: all)."`
	Regulation string `name:"regulation" default:"eu-2024-1689" help:"The regulation whose coverage of the affected AI systems is compared before and after."`
	Flag       bool   `name:"flag" help:"Also record the change: the newer version SUPERSEDES the older, and every suspect link is flagged for review (one transaction)."`
}

// ReviewCmd settles one suspect link.
type ReviewCmd struct {
	Link      string `arg:"" name:"link" help:"The suspect link's id, as the impact report lists it."`
	Decision  string `name:"decision" required:"" enum:"confirm,reject,retarget" help:"confirm (it still holds), reject (kept, marked), retarget (to --successor)."`
	Successor string `name:"successor" help:"With retarget: the item the link should point at instead (the report suggests one)."`
	Reviewer  string `name:"reviewer" required:"" help:"Who decides; recorded with the time."`
	Notes     string `name:"notes" help:"Why."`
}

// Run records the decision.
func (c *ReviewCmd) Run(ctx context.Context, g *Globals) error {
	if c.Decision == "retarget" && c.Successor == "" {
		return fmt.Errorf("review: --decision retarget needs --successor")
	}
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	decision := map[string]string{"confirm": impact.Confirm, "reject": impact.Reject, "retarget": impact.Retarget}[c.Decision]
	var res *impact.ReviewResult
	vars := map[string]any{"link": c.Link, "decision": c.Decision, "successor": c.Successor, "reviewer": c.Reviewer, "notes": c.Notes}
	err = g.audited(ctx, store, "reviewSuspect", vars, []string{c.Link, c.Successor}, func(ctx context.Context) error {
		res, err = impact.ReviewLink(ctx, store, c.Link, decision, c.Successor, c.Reviewer, c.Notes)
		return err
	})
	if err != nil {
		return err
	}
	log := g.logger()
	log.Info().Str("link", c.Link).Str("kind", res.Kind).Str("from", res.From).Str("to", res.To).Str("review", res.Review).Str("reviewer", c.Reviewer).Msg("suspect link reviewed")
	return nil
}

// Run compares the versions and writes the report.
func (c *ImpactCmd) Run(ctx context.Context, g *Globals) error {
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	rep, err := impact.Analyse(ctx, store, c.From, c.To)
	if err != nil {
		return err
	}
	if rep.Systems, err = (&resolvers.Resolver{Store: store}).ChangeSystems(ctx, rep, c.Regulation); err != nil {
		return err
	}
	rep.Counts["systems"] = len(rep.Systems)
	if c.Flag {
		var n int
		err := g.audited(ctx, store, "recordChange", map[string]any{"from": c.From, "to": c.To}, []string{c.From, c.To}, func(ctx context.Context) error {
			var err error
			n, err = impact.Flag(ctx, store, rep)
			return err
		})
		if err != nil {
			return err
		}
		log := g.logger()
		log.Info().Int("flagged", n).Str("supersedes", c.To+" -> "+c.From).Msg("change recorded")
	}
	var w io.Writer = os.Stdout
	if c.Out != "" {
		f, err := os.Create(c.Out)
		if err != nil {
			return fmt.Errorf("impact: %w", err)
		}
		defer f.Close()
		w = f
	}
	switch c.Format {
	case "json":
		err = rep.WriteJSON(w)
	case "csv":
		err = rep.WriteCSV(w)
	default:
		err = rep.WriteMarkdown(w, c.Rows)
	}
	if err != nil {
		return fmt.Errorf("impact: %w", err)
	}
	log := g.logger()
	log.Info().Str("from", c.From).Str("to", c.To).Interface("counts", rep.Counts).Str("took", rep.Took).Msg("impact report written")
	return nil
}
