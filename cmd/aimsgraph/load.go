package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/formex"
)

// LoadCmd loads source files into the graph.
type LoadCmd struct {
	Format string   `name:"format" enum:"auto,formex" default:"auto" help:"Source format (${enum}); auto detects it from the content."`
	DryRun bool     `name:"dry-run" help:"Parse and validate without writing."`
	Paths  []string `arg:"" name:"path" help:"Files or folders of one source (a Formex folder holds the act and its annexes)."`
}

// Run parses, validates and writes one source in one transaction.
func (c *LoadCmd) Run(ctx context.Context, g *Globals) error {
	log := g.logger()
	files, err := expand(c.Paths)
	if err != nil {
		return err
	}
	format := c.Format
	if format == "auto" {
		if format, err = detect(files); err != nil {
			return err
		}
	}
	var batch *loaders.Batch
	switch format {
	case "formex":
		batch, err = formex.Load(files)
	}
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if err := batch.Validate(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	for _, w := range batch.Warnings {
		log.Warn().Str("source", batch.Source.Name).Msg(w)
	}
	if c.DryRun {
		log.Info().Str("source", batch.Source.Name).Int("nodes", len(batch.Nodes)).Int("relationships", len(batch.Rels)).
			Int("warnings", len(batch.Warnings)).Bool("dry_run", true).Msg("parsed and validated; nothing written")
		return nil
	}
	opts := g.Neo4j.options(nil)
	// A load is not interactive: ride out a database that is still starting or briefly busy.
	opts.MaxRetryTime = 30 * time.Second
	store, err := graph.Open(opts)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	m, err := graph.NewMigrator(store)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx); err != nil {
		return err
	}
	sum, err := loaders.Write(ctx, store, batch)
	if err != nil {
		return err
	}
	log.Info().Str("source", sum.Source).Str("run", sum.Run).Int("nodes_created", sum.NodesCreated).
		Int("nodes_updated", sum.NodesUpdated).Int("nodes_removed", sum.NodesRemoved).
		Int("relationships_written", sum.RelsWritten).Int("relationships_removed", sum.RelsRemoved).
		Int("warnings", len(sum.Warnings)).Dur("duration_ms", sum.Duration).
		Float64("rows_per_second", sum.RowsPerSecond).Msg("loaded")
	return nil
}

// expand turns folders into their files, sorted, so a load is the same whatever the shell's order.
func expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("load: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// detect names the format from the first bytes of the files.
func detect(files []string) (string, error) {
	for _, f := range files {
		b := make([]byte, 512)
		fh, err := os.Open(f)
		if err != nil {
			return "", fmt.Errorf("load: %w", err)
		}
		n, _ := fh.Read(b)
		fh.Close()
		head := string(b[:n])
		if strings.Contains(head, "<ACT") || strings.Contains(head, "<ANNEX") || strings.Contains(head, "formex") {
			return "formex", nil
		}
	}
	return "", fmt.Errorf("load: cannot tell the format of %s; pass --format", strings.Join(files, ", "))
}
