// Package loaders holds what every source format shares: the batch a parser produces, and the
// writer that puts one source into Neo4j in one transaction, with provenance, idempotently, and
// removing what the source no longer holds. The formats live in the packages below it.
package loaders

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

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

// Node is one node a source holds. A stub is a reference to a node another source holds in
// full (an id and a short title): it creates the node when it is missing and never overwrites
// what a full source wrote.
type Node struct {
	Kind  graph.NodeKind
	ID    string
	Props map[string]any
	Stub  bool
}

// Rel is one relationship a source holds, between nodes given by id. Key tells apart two
// relationships of one kind between the same nodes (two maps of one mapping set); it is empty
// for most.
type Rel struct {
	Kind     graph.RelKind
	From, To string
	Key      string
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

// Batch is everything one source holds. With SkipMissing, relationships to ids that are in
// neither the batches nor the graph are skipped and reported (mappings between catalogs that
// may not all be loaded); without it they fail the load.
type Batch struct {
	Source      Source
	Nodes       []Node
	Rels        []Rel
	Warnings    []string
	SkipMissing bool
}

// Summary says what a load did.
type Summary struct {
	Source        string        `json:"source"`
	Run           string        `json:"run"`
	Nodes         int           `json:"nodes"`
	Relationships int           `json:"relationships"`
	NodesCreated  int           `json:"nodesCreated"`
	NodesUpdated  int           `json:"nodesUpdated"`
	NodesSame     int           `json:"nodesUnchanged"`
	NodesRemoved  int           `json:"nodesRemoved"`
	RelsWritten   int           `json:"relationshipsWritten"`
	RelsRemoved   int           `json:"relationshipsRemoved"`
	RelsSkipped   int           `json:"relationshipsSkipped"`
	Missing       []string      `json:"missingIds,omitempty"`
	Warnings      []string      `json:"warnings"`
	Duration      time.Duration `json:"duration"`
	RowsPerSecond float64       `json:"rowsPerSecond"`
	DryRun        bool          `json:"dryRun"`
}

// Validate checks a batch before anything is written: known kinds, ids present and unique,
// relationship endpoints given and of kinds the vocabulary allows. A relationship given twice
// (same kind and endpoints) is kept once, with a warning.
func (b *Batch) Validate() error {
	kindOf := make(map[string]graph.NodeKind, len(b.Nodes))
	known := map[graph.NodeKind]bool{}
	for _, n := range graph.NodeKinds() {
		known[n.Kind] = true
	}
	specs := map[graph.RelKind]graph.RelSpec{}
	for _, r := range graph.RelKinds() {
		specs[r.Kind] = r
	}
	for i, n := range b.Nodes {
		switch {
		case !known[n.Kind] || n.Kind == graph.ImportRun:
			return fmt.Errorf("%s: node %d (%s): unknown kind %q", b.Source.Name, i, n.ID, n.Kind)
		case n.ID == "":
			return fmt.Errorf("%s: node %d (%s): empty id", b.Source.Name, i, n.Kind)
		case kindOf[n.ID] != "":
			return fmt.Errorf("%s: node id %s appears twice", b.Source.Name, n.ID)
		}
		kindOf[n.ID] = n.Kind
	}
	type key struct {
		kind          graph.RelKind
		from, to, key string
	}
	seen := make(map[key]bool, len(b.Rels))
	rels := b.Rels[:0:0]
	for i, r := range b.Rels {
		spec, ok := specs[r.Kind]
		switch {
		case !ok || r.Kind == graph.ImportedBy:
			return fmt.Errorf("%s: relationship %d: unknown kind %q", b.Source.Name, i, r.Kind)
		case r.From == "" || r.To == "":
			return fmt.Errorf("%s: relationship %d (%s %s -> %s): missing endpoint", b.Source.Name, i, r.Kind, r.From, r.To)
		}
		if k := kindOf[r.From]; k != "" && !slices.Contains(spec.From, k) {
			return fmt.Errorf("%s: %s %s -> %s: a %s cannot be the start of %s", b.Source.Name, r.Kind, r.From, r.To, k, r.Kind)
		}
		if k := kindOf[r.To]; k != "" && !slices.Contains(spec.To, k) {
			return fmt.Errorf("%s: %s %s -> %s: a %s cannot be the end of %s", b.Source.Name, r.Kind, r.From, r.To, k, r.Kind)
		}
		k := key{r.Kind, r.From, r.To, r.Key}
		if seen[k] {
			b.Warnings = append(b.Warnings, fmt.Sprintf("%s %s -> %s is given twice; kept once", r.Kind, r.From, r.To))
			continue
		}
		seen[k] = true
		rels = append(rels, r)
	}
	b.Rels = rels
	return nil
}

// Options tune a write. Progress, when set, is told the rows written so far (they may start
// again from zero when the driver retries the transaction).
type Options struct {
	Progress func(rows int)
}

// Write puts the batches into Neo4j in one transaction: on any error nothing is written.
// Reloading a source updates its nodes and releases those it no longer holds; relationships
// whose endpoints are neither in the batches nor in the graph fail the load, naming the ids.
func Write(ctx context.Context, s *graph.Store, opts Options, batches ...*Batch) ([]Summary, error) {
	start := time.Now()
	sums := make([]Summary, len(batches))
	names := map[string]bool{}
	for i, b := range batches {
		if names[b.Source.Name] {
			return nil, fmt.Errorf("load: two of the files given are the source %s; load them one at a time, or give one an --id", b.Source.Name)
		}
		names[b.Source.Name] = true
		if err := b.Validate(); err != nil {
			return nil, err
		}
		sums[i] = Summary{Source: b.Source.Name, Run: newRunID(b.Source.Name, start),
			Nodes: len(b.Nodes), Relationships: len(b.Rels), Warnings: slices.Clone(b.Warnings)}
	}
	err := s.Write(ctx, func(ctx context.Context, tx graph.Tx) error {
		inTx := map[string]bool{}
		for _, b := range batches {
			for _, n := range b.Nodes {
				inTx[n.ID] = true
			}
		}
		rows := 0
		progress := func(n int) {
			rows += n
			if opts.Progress != nil {
				opts.Progress(rows)
			}
		}
		progress(0)
		for i, b := range batches {
			if err := writeNodes(ctx, tx, b, &sums[i], start, progress); err != nil {
				return fmt.Errorf("%s: %w", b.Source.Name, err)
			}
		}
		for i, b := range batches {
			rels, err := checkEndpoints(ctx, tx, b, inTx, &sums[i])
			if err != nil {
				return fmt.Errorf("%s: %w", b.Source.Name, err)
			}
			if err := writeRels(ctx, tx, b, rels, &sums[i], start, progress); err != nil {
				return fmt.Errorf("%s: %w", b.Source.Name, err)
			}
		}
		return nil
	})
	d := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	for i := range sums {
		sums[i].Duration = d
		if secs := d.Seconds(); secs > 0 {
			sums[i].RowsPerSecond = float64(sums[i].Nodes+sums[i].Relationships) / secs
		}
	}
	return sums, nil
}

// writeNodes opens the source's run and upserts its nodes. It resets the counts it fills: the
// driver may retry the transaction.
func writeNodes(ctx context.Context, tx graph.Tx, b *Batch, sum *Summary, start time.Time, progress func(int)) error {
	sum.NodesCreated, sum.NodesUpdated, sum.NodesSame = 0, 0, 0
	p := params(b, sum, start)
	p["props"] = map[string]any{
		"loader": b.Source.Loader, "version": b.Source.Version, "files": b.Source.Files,
		"sha256": b.Source.SHA256, "nodes": len(b.Nodes), "relationships": len(b.Rels),
	}
	if _, err := tx.Run(ctx, stmtImportRun, p); err != nil {
		return err
	}
	for chunk := range slices.Chunk(b.Nodes, BatchSize) {
		rows := make([]map[string]any, len(chunk))
		for i, n := range chunk {
			props := maps.Clone(n.Props)
			if props == nil {
				props = map[string]any{}
			}
			props["contentHash"] = ContentHash(n.Props)
			rows[i] = map[string]any{"id": n.ID, "kind": string(n.Kind), "props": props, "stub": n.Stub}
		}
		p := params(b, sum, start)
		p["rows"] = rows
		res, err := tx.Run(ctx, stmtNodes, p)
		if err != nil {
			return err
		}
		created, changed, seen := intOf(res, "created"), intOf(res, "changed"), intOf(res, "seen")
		sum.NodesCreated += created
		sum.NodesUpdated += changed
		sum.NodesSame += seen - created - changed
		progress(len(chunk))
	}
	return nil
}

// writeRels upserts the source's relationships, then removes its stale relationships and
// releases its stale nodes.
func writeRels(ctx context.Context, tx graph.Tx, b *Batch, rels []Rel, sum *Summary, start time.Time, progress func(int)) error {
	sum.RelsWritten = 0
	for chunk := range slices.Chunk(rels, BatchSize) {
		rows := make([]map[string]any, len(chunk))
		for i, r := range chunk {
			props := r.Props
			if props == nil {
				props = map[string]any{}
			}
			rows[i] = map[string]any{"from": r.From, "to": r.To, "kind": string(r.Kind), "key": r.Key, "props": props}
		}
		p := params(b, sum, start)
		p["rows"] = rows
		res, err := tx.Run(ctx, stmtRels, p)
		if err != nil {
			return err
		}
		sum.RelsWritten += intOf(res, "n")
		progress(len(chunk))
	}
	res, err := tx.Run(ctx, stmtStaleRels, params(b, sum, start))
	if err != nil {
		return err
	}
	sum.RelsRemoved = intOf(res, "n")
	if res, err = tx.Run(ctx, stmtStaleNodes, params(b, sum, start)); err != nil {
		return err
	}
	sum.NodesRemoved = intOf(res, "n")
	return nil
}

func params(b *Batch, sum *Summary, start time.Time) map[string]any {
	return map[string]any{"source": b.Source.Name, "run": sum.Run, "now": start.UTC().Format(time.RFC3339Nano)}
}

// ContentHash is a stable hash of a node's properties (JSON with sorted keys), stored on the node
// so that a reload can tell changed nodes from unchanged ones and versions can be compared cheaply.
func ContentHash(props map[string]any) string {
	b, err := json.Marshal(props) // encoding/json sorts map keys
	if err != nil {
		b = []byte(fmt.Sprint(props))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// checkEndpoints returns the relationships to write. An endpoint that is neither in the
// batches nor in the graph fails the load, naming the ids (a silent drop would lose data), or,
// for a batch that allows it, skips the relationship and records the id in the summary.
func checkEndpoints(ctx context.Context, tx graph.Tx, b *Batch, inBatch map[string]bool, sum *Summary) ([]Rel, error) {
	sum.RelsSkipped, sum.Missing = 0, nil
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
		return b.Rels, nil
	}
	res, err := tx.Run(ctx, stmtMissing, map[string]any{"ids": outside})
	if err != nil {
		return nil, err
	}
	var missing []string
	if len(res) == 1 {
		list, _ := res[0]["missing"].([]any)
		for _, m := range list {
			missing = append(missing, m.(string))
		}
	}
	if len(missing) == 0 {
		return b.Rels, nil
	}
	if !b.SkipMissing {
		return nil, fmt.Errorf("%d relationship endpoints are in neither the source nor the graph, e.g. %v", len(missing), missing[:min(10, len(missing))])
	}
	gone := make(map[string]bool, len(missing))
	for _, m := range missing {
		gone[m] = true
	}
	rels := make([]Rel, 0, len(b.Rels))
	for _, r := range b.Rels {
		if gone[r.From] || gone[r.To] {
			sum.RelsSkipped++
			continue
		}
		rels = append(rels, r)
	}
	slices.Sort(missing)
	sum.Missing = missing
	return rels, nil
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

// UnmarshalYAML decodes YAML like yaml.UnmarshalWithOptions, but turns a panic inside the YAML
// library (it has a few on malformed input, found by fuzzing) into an error, so that bad input
// never takes the process down. Errors carry the line and column as "[line:col] message".
//
// Aliases (*name) are refused: no source format needs them, and a few nested ones expand to
// billions of nodes (the "billion laughs" attack).
func UnmarshalYAML(data []byte, v any, opts ...yaml.DecodeOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed YAML the parser cannot read (%v)", r)
		}
	}()
	for _, tk := range lexer.Tokenize(string(data)) {
		if tk.Type == token.AliasType {
			return fmt.Errorf("[%d:%d] YAML aliases (*name) are not accepted", tk.Position.Line, tk.Position.Column)
		}
	}
	if err := yaml.UnmarshalWithOptions(data, v, opts...); err != nil {
		return errors.New(strings.TrimSpace(yaml.FormatError(err, false, false)))
	}
	return nil
}
