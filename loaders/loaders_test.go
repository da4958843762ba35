package loaders_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
)

func TestValidate(t *testing.T) {
	node := func(k graph.NodeKind, id string) loaders.Node { return loaders.Node{Kind: k, ID: id} }
	tests := []struct {
		name  string
		batch loaders.Batch
		want  string // part of the error; empty for valid
	}{
		{"valid", loaders.Batch{Nodes: []loaders.Node{node(graph.Control, "c"), node(graph.Provision, "p")},
			Rels: []loaders.Rel{{Kind: graph.Satisfies, From: "c", To: "p"}}}, ""},
		{"unknown node kind", loaders.Batch{Nodes: []loaders.Node{node("Person", "x")}}, `unknown kind "Person"`},
		{"import runs are not loaded", loaders.Batch{Nodes: []loaders.Node{node(graph.ImportRun, "x")}}, "unknown kind"},
		{"empty id", loaders.Batch{Nodes: []loaders.Node{node(graph.Control, "")}}, "empty id"},
		{"duplicate id", loaders.Batch{Nodes: []loaders.Node{node(graph.Control, "c"), node(graph.Module, "c")}}, "appears twice"},
		{"unknown relationship", loaders.Batch{Rels: []loaders.Rel{{Kind: "OWNS", From: "a", To: "b"}}}, `unknown kind "OWNS"`},
		{"missing endpoint", loaders.Batch{Rels: []loaders.Rel{{Kind: graph.PartOf, From: "a"}}}, "missing endpoint"},
		{"wrong start kind", loaders.Batch{Nodes: []loaders.Node{node(graph.Asset, "a"), node(graph.Provision, "p")},
			Rels: []loaders.Rel{{Kind: graph.Satisfies, From: "a", To: "p"}}}, "a Asset cannot be the start of SATISFIES"},
		{"wrong end kind", loaders.Batch{Nodes: []loaders.Node{node(graph.Control, "c"), node(graph.Asset, "a")},
			Rels: []loaders.Rel{{Kind: graph.Satisfies, From: "c", To: "a"}}}, "a Asset cannot be the end of SATISFIES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.batch.Validate()
			if tt.want == "" && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestValidateKeepsARepeatedRelationshipOnce(t *testing.T) {
	b := loaders.Batch{Rels: []loaders.Rel{{Kind: graph.PartOf, From: "a", To: "b"}, {Kind: graph.PartOf, From: "a", To: "b"}, {Kind: graph.PartOf, From: "a", To: "b", Key: "2"}}}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(b.Rels) != 2 || len(b.Warnings) != 1 {
		t.Errorf("rels %v warnings %v; want 2 relationships (the keyed one kept) and one warning", b.Rels, b.Warnings)
	}
}

func TestContentHashIsStable(t *testing.T) {
	a := loaders.ContentHash(map[string]any{"title": "x", "text": "y", "n": 1})
	b := loaders.ContentHash(map[string]any{"n": 1, "text": "y", "title": "x"})
	c := loaders.ContentHash(map[string]any{"n": 1, "text": "y ", "title": "x"})
	if a != b || a == c {
		t.Errorf("hashes %s %s %s: want the first two equal and the third different", a, b, c)
	}
}

// TestOwnership walks the life of a node two sources hold: one in full, one as a stub.
func TestOwnership(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	p := graphtest.Prefix(t)
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	x, y := p+"x", p+"y"
	full := func(props map[string]any, rels ...loaders.Rel) *loaders.Batch {
		return &loaders.Batch{Source: loaders.Source{Name: p + "catalog"}, Rels: rels, Nodes: []loaders.Node{
			{Kind: graph.Control, ID: x, Props: props}, {Kind: graph.Module, ID: y, Props: map[string]any{"title": "group"}}}}
	}
	stub := &loaders.Batch{Source: loaders.Source{Name: p + "pack"},
		Nodes: []loaders.Node{{Kind: graph.Control, ID: x, Stub: true, Props: map[string]any{"title": "short title"}}, {Kind: graph.Module, ID: y, Stub: true, Props: map[string]any{"title": "g"}}},
		Rels:  []loaders.Rel{{Kind: graph.PartOf, From: x, To: y, Props: map[string]any{"by": "pack"}}}}
	unload := func(name string) *loaders.Batch { return &loaders.Batch{Source: loaders.Source{Name: p + name}} }
	write := func(bs ...*loaders.Batch) []loaders.Summary {
		t.Helper()
		sums, err := loaders.Write(ctx, s, loaders.Options{}, bs...)
		if err != nil {
			t.Fatal(err)
		}
		return sums
	}
	get := func(id string) (map[string]any, []string) {
		t.Helper()
		rows := graphtest.Exec(t, s, "testdata/node.cypher", map[string]any{"id": id})
		if len(rows) == 0 || rows[0]["props"] == nil {
			return nil, nil
		}
		var holders []string
		for _, h := range rows[0]["holders"].([]any) {
			holders = append(holders, h.(string))
		}
		slices.Sort(holders)
		return rows[0]["props"].(map[string]any), holders
	}
	rels := func() []graph.Record {
		return graphtest.Exec(t, s, "testdata/rels.cypher", map[string]any{"from": x, "to": y})
	}

	write(full(map[string]any{"title": "Full title", "text": "full text", "extra": "e"}, loaders.Rel{Kind: graph.PartOf, From: x, To: y, Props: map[string]any{"by": "catalog"}}))
	write(stub)
	props, holders := get(x)
	if props["title"] != "Full title" || props["stub"] != false || props["source"] != p+"catalog" || !slices.Equal(holders, []string{p + "catalog", p + "pack"}) {
		t.Fatalf("after a stub of a full node: %v held by %v; want the full title kept and both holders", props, holders)
	}
	if r := rels(); len(r) != 2 {
		t.Fatalf("two sources asserting one PART_OF: %v; want a relationship each", r)
	}

	sums := write(full(map[string]any{"title": "Full title", "text": "new text"}))
	props, _ = get(x)
	if _, ok := props["extra"]; ok || props["text"] != "new text" {
		t.Errorf("reload without a property: %v; want extra gone and text updated", props)
	}
	if sums[0].NodesUpdated != 1 || sums[0].NodesSame != 1 || sums[0].RelsRemoved != 1 {
		t.Errorf("reload summary %+v; want 1 changed, 1 unchanged, the catalog's PART_OF removed", sums[0])
	}
	if r := rels(); len(r) != 1 || r[0]["source"] != p+"pack" {
		t.Errorf("after the catalog dropped its PART_OF: %v; want only the pack's", r)
	}

	sums = write(unload("catalog"))
	props, holders = get(x)
	if props == nil || props["stub"] != true || props["source"] != p+"pack" || !slices.Equal(holders, []string{p + "pack"}) {
		t.Fatalf("after unloading the full source: %v held by %v; want a stub held by the pack", props, holders)
	}
	if sums[0].NodesRemoved != 0 {
		t.Errorf("unloading the catalog removed %d nodes; the pack still holds them", sums[0].NodesRemoved)
	}
	write(stub)
	if props, _ = get(x); props["title"] != "short title" {
		t.Errorf("a stub-only node reloaded by its stub: title %v, want the stub's", props["title"])
	}
	sums = write(unload("pack"))
	if props, _ = get(x); props != nil || sums[0].NodesRemoved != 2 {
		t.Errorf("after the last holder left: %v, removed %d; want the nodes gone", props, sums[0].NodesRemoved)
	}
}

// TestMissingEndpoints: a batch that may skip reports the ids; one that may not fails whole.
func TestMissingEndpoints(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	p := graphtest.Prefix(t)
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	nodes := []loaders.Node{{Kind: graph.Control, ID: p + "a"}, {Kind: graph.Control, ID: p + "b"}}
	rels := []loaders.Rel{{Kind: graph.MapsTo, From: p + "a", To: p + "b"}, {Kind: graph.MapsTo, From: p + "a", To: p + "gone"}}

	strict := &loaders.Batch{Source: loaders.Source{Name: p + "strict"}, Nodes: nodes, Rels: rels}
	if _, err := loaders.Write(ctx, s, loaders.Options{}, strict); err == nil || !strings.Contains(err.Error(), p+"gone") {
		t.Fatalf("strict batch: err = %v, want it to name %s", err, p+"gone")
	}
	if props := graphtest.Exec(t, s, "testdata/node.cypher", map[string]any{"id": p + "a"}); len(props) != 0 && props[0]["props"] != nil {
		t.Fatalf("a failed load wrote %v", props)
	}
	lenient := &loaders.Batch{Source: loaders.Source{Name: p + "lenient"}, Nodes: nodes, Rels: rels, SkipMissing: true}
	sums, err := loaders.Write(ctx, s, loaders.Options{}, lenient)
	if err != nil {
		t.Fatal(err)
	}
	if sums[0].RelsWritten != 1 || sums[0].RelsSkipped != 1 || !slices.Equal(sums[0].Missing, []string{p + "gone"}) {
		t.Errorf("lenient summary %+v; want 1 written, 1 skipped, the missing id named", sums[0])
	}
}

func TestUnmarshalYAMLRefusesAliases(t *testing.T) {
	// Nine levels of tenfold aliases would expand to a billion nodes.
	doc := "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 10; i++ {
		doc += fmt.Sprintf("a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	var v any
	err := loaders.UnmarshalYAML([]byte(doc), &v)
	if err == nil || !strings.Contains(err.Error(), "[2:") || !strings.Contains(err.Error(), "aliases") {
		t.Fatalf("err = %v; want the first alias located and refused", err)
	}
	if err := loaders.UnmarshalYAML([]byte("a: [1, 2]\nb: {c: d}\n"), &v); err != nil {
		t.Fatalf("plain YAML refused: %v", err)
	}
}

// TestStatementsCoverEveryKind: the relationship upsert and the stale-relationship statement have
// a branch per loaded relationship kind; a kind left out would never be written or cleaned up.
func TestStatementsCoverEveryKind(t *testing.T) {
	upsert := cypher.MustGet("load_relationships").Text
	stale := cypher.MustGet("load_stale_relationships").Text
	for _, spec := range graph.RelKinds() {
		if !slices.Contains(spec.Lookup, graph.PropSource) {
			continue
		}
		k := string(spec.Kind)
		if !strings.Contains(upsert, "WHERE row.kind = '"+k+"'") || !strings.Contains(upsert, "[r:"+k+" {source: $source, key: row.key}]") {
			t.Errorf("load_relationships has no branch for %s", k)
		}
		if !strings.Contains(stale, "[r:"+k+" {source: $source}]") || !strings.Contains(stale, "USING INDEX r:"+k+"(source)") {
			t.Errorf("load_stale_relationships has no indexed branch for %s", k)
		}
	}
}
