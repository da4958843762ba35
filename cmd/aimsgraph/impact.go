package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/aimsgraph/aimsgraph/impact"
)

// ImpactCmd writes the change-impact report between two versions.
type ImpactCmd struct {
	From   string `name:"from" required:"" help:"The older version: a catalog or profile id, e.g. nist-800-53@rev4/baseline-high."`
	To     string `name:"to" required:"" help:"The newer version, e.g. nist-800-53@rev5/baseline-high."`
	Format string `name:"format" default:"md" enum:"md,json,csv" help:"Report format (${enum}): md starts with a summary table."`
	Out    string `name:"out" short:"o" help:"Write to this file instead of standard output."`
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
		err = rep.WriteMarkdown(w)
	}
	if err != nil {
		return fmt.Errorf("impact: %w", err)
	}
	log := g.logger()
	log.Info().Str("from", c.From).Str("to", c.To).Interface("counts", rep.Counts).Str("took", rep.Took).Msg("impact report written")
	return nil
}
