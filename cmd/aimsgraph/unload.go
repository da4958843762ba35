package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// SourcesCmd lists the loaded sources.
type SourcesCmd struct{}

// UnloadCmd removes what sources wrote; nodes other sources still hold stay.
type UnloadCmd struct {
	Sources []string `arg:"" name:"source" help:"Source names as 'aimsgraph sources' lists them, e.g. oscal:nist-800-53@rev4."`
}

// Run prints one line per source.
func (c *SourcesCmd) Run(ctx context.Context, g *Globals) error {
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	rows, err := sources(ctx, store)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "source\tloader\tversion\tnodes\tloaded at\truns")
	for _, r := range rows {
		fmt.Fprintf(tw, "%v\t%v\t%v\t%v\t%v\t%v\n", r["source"], r["loader"], r["version"], r["nodes"], r["startedAt"], r["runs"])
	}
	return tw.Flush()
}

// Run writes an empty run for each source in one transaction, which releases everything the
// source held.
func (c *UnloadCmd) Run(ctx context.Context, g *Globals) error {
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	rows, err := sources(ctx, store)
	if err != nil {
		return err
	}
	var known []string
	for _, r := range rows {
		known = append(known, fmt.Sprint(r["source"]))
	}
	var batches []*loaders.Batch
	for _, s := range c.Sources {
		if !slices.Contains(known, s) {
			return fmt.Errorf("unload: no source %q is loaded (loaded: %v)", s, known)
		}
		batches = append(batches, &loaders.Batch{Source: loaders.Source{Name: s, Loader: "unload"}})
	}
	var sums []loaders.Summary
	err = g.audited(ctx, store, "unload", map[string]any{"sources": c.Sources}, c.Sources, func(ctx context.Context) error {
		sums, err = loaders.Write(ctx, store, loaders.Options{}, batches...)
		return err
	})
	if err != nil {
		return err
	}
	log := g.logger()
	for _, s := range sums {
		log.Info().Str("source", s.Source).Int("nodes_removed", s.NodesRemoved).Int("relationships_removed", s.RelsRemoved).
			Dur("duration_ms", s.Duration).Msg("unloaded")
	}
	return nil
}

func sources(ctx context.Context, store *graph.Store) ([]graph.Record, error) {
	return store.Query(ctx, cypher.MustGet("load_sources"), nil)
}

// openStore connects and migrates, riding out a database that is still starting.
func openStore(ctx context.Context, g *Globals) (*graph.Store, error) {
	opts, err := g.Neo4j.options(nil)
	if err != nil {
		return nil, err
	}
	opts.MaxRetryTime = 30 * time.Second
	store, err := graph.Open(opts)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, g, store); err != nil {
		store.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return store, nil
}
