package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/aimsgraph/aimsgraph/loaders"
)

// LoadCmd loads source files into the graph.
type LoadCmd struct {
	Format  string        `name:"format" default:"auto" help:"Source format: auto (detected from each file's content), formex, oscal, kompendium, ciso, atlas, aimsgraph, csv."`
	ID      string        `name:"id" help:"Id for the one catalog, framework or profile loaded, instead of the one derived from its title and version (to keep two versions side by side)."`
	DryRun  bool          `name:"dry-run" help:"Parse and validate without writing."`
	Timeout time.Duration `name:"timeout" env:"AIMSGRAPH_LOAD_TIMEOUT" default:"10m" help:"Timeout of the load's one transaction."`
	Paths   []string      `arg:"" name:"path" help:"Files or folders. All sources named in one call are written in one transaction: all or nothing."`
}

// Run parses, validates and writes the sources in one transaction.
func (c *LoadCmd) Run(ctx context.Context, g *Globals) error {
	log := g.logger()
	batches, err := c.parse(log)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	rows := 0
	for _, b := range batches {
		if err := b.Validate(); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		rows += len(b.Nodes) + len(b.Rels)
		logWarnings(log, b.Source.Name, b.Warnings)
	}
	if c.DryRun {
		for _, b := range batches {
			log.Info().Str("source", b.Source.Name).Int("nodes", len(b.Nodes)).Int("relationships", len(b.Rels)).
				Int("warnings", len(b.Warnings)).Bool("dry_run", true).Msg("parsed and validated; nothing written")
		}
		return nil
	}
	g.Neo4j.TxTimeout = c.Timeout
	store, err := openStore(ctx, g)
	if err != nil {
		return err
	}
	defer store.Close(context.WithoutCancel(ctx))
	progress, done := progressReporter(log, rows)
	names := sourceNames(batches)
	var sums []loaders.Summary
	vars := map[string]any{"paths": c.Paths, "format": c.Format, "id": c.ID, "sources": names}
	err = g.audited(ctx, store, "load", vars, names, func(ctx context.Context) error {
		sums, err = loaders.Write(ctx, store, loaders.Options{Progress: progress}, batches...)
		return err
	})
	done()
	if err != nil {
		return err
	}
	for _, s := range sums {
		ev := log.Info().Str("source", s.Source).Str("run", s.Run).Int("nodes_created", s.NodesCreated).
			Int("nodes_updated", s.NodesUpdated).Int("nodes_unchanged", s.NodesSame).Int("nodes_removed", s.NodesRemoved).
			Int("relationships_written", s.RelsWritten).Int("relationships_removed", s.RelsRemoved).
			Int("relationships_skipped", s.RelsSkipped).Int("warnings", len(s.Warnings)).
			Dur("duration_ms", s.Duration).Float64("rows_per_second", s.RowsPerSecond)
		if len(s.Missing) > 0 {
			ev = ev.Strs("missing_ids", s.Missing[:min(20, len(s.Missing))]).Int("missing", len(s.Missing))
		}
		ev.Msg("loaded")
	}
	printSummary(os.Stdout, sums)
	return nil
}

// parse expands the paths and hands each format its files.
func (c *LoadCmd) parse(log zerolog.Logger) ([]*loaders.Batch, error) {
	named, fromDirs, err := expand(c.Paths)
	if err != nil {
		return nil, err
	}
	files := named
	if c.Format == "auto" {
		// Files found in a folder that no format recognises (licences, readmes, schemas) are
		// skipped, and said so; a file named on the command line must be recognised.
		for _, f := range fromDirs {
			head, err := readHead(f, 4096)
			if err != nil {
				return nil, err
			}
			if !recognised(f, head) {
				log.Info().Str("file", f).Msg("skipped: not a format aimsgraph loads")
				continue
			}
			files = append(files, f)
		}
	} else {
		files = append(files, fromDirs...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("no files to load in %s", strings.Join(c.Paths, ", "))
	}
	order, groups, err := groupByFormat(files, c.Format)
	if err != nil {
		return nil, err
	}
	var batches []*loaders.Batch
	for _, f := range order {
		start := time.Now()
		bs, err := f.load(groups[f.name], formatOptions{ID: c.ID})
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			log.Info().Str("format", f.name).Str("source", b.Source.Name).Int("nodes", len(b.Nodes)).
				Int("relationships", len(b.Rels)).Dur("parse_ms", time.Since(start)).Msg("parsed")
		}
		batches = append(batches, bs...)
	}
	return batches, nil
}

func recognised(file string, head []byte) bool {
	for _, f := range formats {
		if f.detect(filepath.Base(file), head) {
			return true
		}
	}
	return false
}

func logWarnings(log zerolog.Logger, source string, warnings []string) {
	const shown = 20
	for _, w := range warnings[:min(shown, len(warnings))] {
		log.Warn().Str("source", source).Msg(w)
	}
	if len(warnings) > shown {
		log.Warn().Str("source", source).Int("more", len(warnings)-shown).Msg("more warnings not shown")
	}
}

// progressReporter draws a bar on a terminal and logs every 10% otherwise.
func progressReporter(log zerolog.Logger, total int) (func(int), func()) {
	if term.IsTerminal(int(os.Stderr.Fd())) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription("writing"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"), progressbar.OptionThrottle(100*time.Millisecond))
		return func(n int) { _ = bar.Set(n) }, func() { _ = bar.Finish(); fmt.Fprintln(os.Stderr) }
	}
	next := 0
	return func(n int) {
		if total > 0 && n*10/total >= next {
			log.Info().Int("rows", n).Int("of", total).Msg("writing")
			next = n*10/total + 1
		}
	}, func() {}
}

func printSummary(w io.Writer, sums []loaders.Summary) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "source\tnodes +\tchanged\tunchanged\tremoved\trels\trels removed\tskipped\twarnings\t")
	var total loaders.Summary
	for _, s := range sums {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", s.Source, s.NodesCreated, s.NodesUpdated, s.NodesSame,
			s.NodesRemoved, s.RelsWritten, s.RelsRemoved, s.RelsSkipped, len(s.Warnings))
		total.Nodes += s.Nodes
		total.Relationships += s.Relationships
		total.Duration = s.Duration
	}
	tw.Flush()
	rate := 0.0
	if total.Duration > 0 {
		rate = float64(total.Nodes+total.Relationships) / total.Duration.Seconds()
	}
	fmt.Fprintf(w, "%d sources, %d nodes, %d relationships in %s (%.0f rows/s), one transaction\n",
		len(sums), total.Nodes, total.Relationships, total.Duration.Round(time.Millisecond), rate)
}

// expand returns the files named on the command line and those found in the folders named
// (recursively, hidden ones left out), each list sorted.
func expand(paths []string) (named, fromDirs []string, err error) {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !info.IsDir() {
			named = append(named, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && path != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				fromDirs = append(fromDirs, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(named)
	sort.Strings(fromDirs)
	return named, fromDirs, nil
}
