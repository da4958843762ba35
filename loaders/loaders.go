// Package loaders holds what every source format shares: the batch a parser produces, and the
// writer that puts one source into Neo4j in one transaction, with provenance, idempotently, and
// removing what the source no longer holds. The formats live in the packages below it.
package loaders

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

// BatchSize is how many rows one UNWIND statement carries.
const BatchSize = 2000

var (
	stmtNodes      = cypher.MustGet("load_nodes")
	stmtRels       = cypher.MustGet("load_relationships")
	stmtMissing    = cypher.MustGet("load_missing_ids")
	stmtStaleRels  = cypher.MustGet("load_stale_relationships")
	stmtStaleNodes = cypher.MustGet("load_stale_nodes")
	stmtImportRun  = cypher.MustGet("load_import_run")
)

// Node is one node a source holds.
type Node struct {
	Kind  graph.NodeKind
	ID    string
	Props map[string]any
}

// Rel is one relationship a source holds, between nodes given by id.
type Rel struct {
	Kind     graph.RelKind
	From, To string
	Props    map[string]any
}

// Source identifies what is loaded: reloading the same source replaces what it wrote before.
type Source struct {
	Name    string   // e.g. formex:eu-2024-1689; with the version when versions live side by side
	Loader  string   // the format, e.g. formex
	Version string   // the source's own version or date
	Files   []string // the files read
	SHA256  string   // over the files' bytes, in order
}

// Batch is everything one source holds. Roots are the nodes the import run is linked from.
type Batch struct {
	Source   Source
	Nodes    []Node
	Rels     []Rel
	Roots    []string
	Warnings []string
}

// Summary says what a load did.
type Summary struct {
	Source        string        `json:"source"`
	Run           string        `json:"run"`
	NodesCreated  int           `json:"nodesCreated"`
	NodesUpdated  int           `json:"nodesUpdated"`
	NodesRemoved  int           `json:"nodesRemoved"`
	RelsWritten   int           `json:"relationshipsWritten"`
	RelsRemoved   int           `json:"relationshipsRemoved"`
	Warnings      []string      `json:"warnings"`
	Duration      time.Duration `json:"duration"`
	RowsPerSecond float64       `json:"rowsPerSecond"`
	DryRun        bool          `json:"dryRun"`
}

// Validate checks a batch before anything is written: known kinds, ids present and unique,
// relationship endpoints given.
func (b *Batch) Validate() error {
	known := map[graph.NodeKind]bool{}
	for _, n := range graph.NodeKinds() {
		known[n.Kind] = true
	}
	rels := map[graph.RelKind]bool{}
	for _, r := range graph.RelKinds() {
		rels[r.Kind] = true
	}
	seen := make(map[string]bool, len(b.Nodes))
	for i, n := range b.Nodes {
		if !known[n.Kind] {
			return fmt.Errorf("%s: node %d (%s): unknown kind %q", b.Source.Name, i, n.ID, n.Kind)
		}
		if n.ID == "" {
			return fmt.Errorf("%s: node %d (%s): empty id", b.Source.Name, i, n.Kind)
		}
		if seen[n.ID] {
			return fmt.Errorf("%s: node id %s appears twice", b.Source.Name, n.ID)
		}
		seen[n.ID] = true
	}
	for i, r := range b.Rels {
		if !rels[r.Kind] {
			return fmt.Errorf("%s: relationship %d: unknown kind %q", b.Source.Name, i, r.Kind)
		}
		if r.From == "" || r.To == "" {
			return fmt.Errorf("%s: relationship %d (%s): missing endpoint", b.Source.Name, i, r.Kind)
		}
	}
	return nil
}

// Write puts the batch into Neo4j in one transaction: on any error nothing is written. Reloading
// the same source updates its nodes and removes those it no longer holds; relationships whose
// endpoints are neither in the batch nor in the graph fail the load, naming the ids.
func Write(ctx context.Context, s *graph.Store, b *Batch) (Summary, error) {
	start := time.Now()
	sum := Summary{Source: b.Source.Name, Warnings: slices.Clone(b.Warnings)}
	if err := b.Validate(); err != nil {
		return sum, err
	}
	sum.Run = newRunID(b.Source.Name, start)
	now := start.UTC().Format(time.RFC3339Nano)
	base := func() map[string]any { return map[string]any{"source": b.Source.Name, "run": sum.Run, "now": now} }
	err := s.Write(ctx, func(ctx context.Context, tx graph.Tx) error {
		sum.NodesCreated, sum.NodesUpdated, sum.RelsWritten = 0, 0, 0 // the driver may retry
		for chunk := range slices.Chunk(b.Nodes, BatchSize) {
			rows := make([]map[string]any, len(chunk))
			for i, n := range chunk {
				rows[i] = map[string]any{"id": n.ID, "kind": string(n.Kind), "props": n.Props}
			}
			p := base()
			p["rows"] = rows
			res, err := tx.Run(ctx, stmtNodes, p)
			if err != nil {
				return err
			}
			created, seen := intOf(res, "created"), intOf(res, "seen")
			sum.NodesCreated += created
			sum.NodesUpdated += seen - created
		}
		if err := checkEndpoints(ctx, tx, b); err != nil {
			return err
		}
		for chunk := range slices.Chunk(b.Rels, BatchSize) {
			rows := make([]map[string]any, len(chunk))
			for i, r := range chunk {
				props := r.Props
				if props == nil {
					props = map[string]any{}
				}
				rows[i] = map[string]any{"from": r.From, "to": r.To, "kind": string(r.Kind), "props": props}
			}
			p := base()
			p["rows"] = rows
			res, err := tx.Run(ctx, stmtRels, p)
			if err != nil {
				return err
			}
			sum.RelsWritten += intOf(res, "n")
		}
		res, err := tx.Run(ctx, stmtStaleRels, base())
		if err != nil {
			return err
		}
		sum.RelsRemoved = intOf(res, "n")
		if res, err = tx.Run(ctx, stmtStaleNodes, base()); err != nil {
			return err
		}
		sum.NodesRemoved = intOf(res, "n")
		p := base()
		p["roots"] = b.Roots
		p["props"] = map[string]any{
			"sourceName": b.Source.Name, "loader": b.Source.Loader, "version": b.Source.Version,
			"files": b.Source.Files, "sha256": b.Source.SHA256,
			"nodes": len(b.Nodes), "relationships": len(b.Rels),
		}
		_, err = tx.Run(ctx, stmtImportRun, p)
		return err
	})
	sum.Duration = time.Since(start)
	if err != nil {
		return sum, fmt.Errorf("load %s: %w", b.Source.Name, err)
	}
	if secs := sum.Duration.Seconds(); secs > 0 {
		sum.RowsPerSecond = float64(len(b.Nodes)+len(b.Rels)) / secs
	}
	return sum, nil
}

// checkEndpoints fails the load when a relationship names an id that is neither in the batch nor
// in the graph: a silent drop would lose data.
func checkEndpoints(ctx context.Context, tx graph.Tx, b *Batch) error {
	inBatch := make(map[string]bool, len(b.Nodes))
	for _, n := range b.Nodes {
		inBatch[n.ID] = true
	}
	var outside []string
	seen := map[string]bool{}
	for _, r := range b.Rels {
		for _, id := range []string{r.From, r.To} {
			if !inBatch[id] && !seen[id] {
				seen[id] = true
				outside = append(outside, id)
			}
		}
	}
	if len(outside) == 0 {
		return nil
	}
	res, err := tx.Run(ctx, stmtMissing, map[string]any{"ids": outside})
	if err != nil {
		return err
	}
	if len(res) == 1 {
		if missing, _ := res[0]["missing"].([]any); len(missing) > 0 {
			return fmt.Errorf("%d relationship endpoints are in neither the source nor the graph, e.g. %v", len(missing), missing[:min(10, len(missing))])
		}
	}
	return nil
}

// HashFiles returns the sha256 over the files' bytes, in order.
func HashFiles(paths []string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("hash %s: %w", p, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func intOf(rows []graph.Record, col string) int {
	if len(rows) == 0 {
		return 0
	}
	n, _ := rows[0][col].(int64)
	return int(n)
}

func newRunID(source string, t time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("run/%s/%s-%s", source, t.UTC().Format("20060102T150405Z"), hex.EncodeToString(b))
}
