package main

import (
	"context"
	"io"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
)

func repoRoot() string {
	_, self, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(self), "..", "..")
}

// TestLoadEverythingTwice loads all of ../shared/data and the content pack the way the load
// command does (formats detected, one transaction), twice: the graph holds the same for every
// source, and the second run creates and removes nothing. Unloading every source afterwards
// leaves none of their nodes.
func TestLoadEverythingTwice(t *testing.T) {
	data := loadertest.Data(t, "")
	s := graphtest.Store(t)
	cmd := &LoadCmd{Format: "auto", Paths: []string{data, filepath.Join(repoRoot(), "content", "pack")}}
	batches, err := cmd.parse(zerolog.New(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]bool{}
	for _, b := range batches {
		formats[b.Source.Loader] = true
	}
	for _, f := range []string{"formex", "oscal-catalog", "oscal-profile", "oscal-mapping", "kompendium", "ciso", "atlas", "aimsgraph"} {
		if !formats[f] {
			t.Errorf("no source of format %s found in %s", f, data)
		}
	}
	ctx := context.Background()
	t.Cleanup(func() {
		var empty []*loaders.Batch
		for _, b := range batches {
			empty = append(empty, &loaders.Batch{Source: loaders.Source{Name: b.Source.Name}})
		}
		if _, err := loaders.Write(ctx, s, loaders.Options{}, empty...); err != nil {
			t.Errorf("unload: %v", err)
		}
		for _, b := range batches {
			if c := loadertest.SourceCounts(t, s, b.Source.Name); c.Nodes != 0 || c.Rels != 0 {
				t.Errorf("%s still holds %+v after unloading", b.Source.Name, c)
			}
		}
	})
	counts := func() map[string]loadertest.Counts {
		out := map[string]loadertest.Counts{}
		for _, b := range batches {
			out[b.Source.Name] = loadertest.SourceCounts(t, s, b.Source.Name)
		}
		return out
	}
	if _, err := loaders.Write(ctx, s, loaders.Options{}, batches...); err != nil {
		t.Fatal(err)
	}
	first := counts()
	sums, err := loaders.Write(ctx, s, loaders.Options{}, batches...)
	if err != nil {
		t.Fatal(err)
	}
	second := counts()
	for _, sum := range sums {
		a, b := first[sum.Source], second[sum.Source]
		if a != b || a.Nodes != sum.Nodes {
			t.Errorf("%s: first load %+v, second %+v; the source has %d nodes", sum.Source, a, b, sum.Nodes)
		}
		if sum.NodesCreated != 0 || sum.NodesUpdated != 0 || sum.NodesRemoved != 0 || sum.RelsRemoved != 0 {
			t.Errorf("%s: the second load changed something: %+v", sum.Source, sum)
		}
	}
	t.Logf("%d sources; second load took %s", len(sums), sums[0].Duration)
}
