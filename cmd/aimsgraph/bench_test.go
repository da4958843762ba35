package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
)

// The largest real files, and everything at once. Each benchmark parses once, then measures
// writes: the first iteration creates, the later ones reload (the common case: a scheduled
// re-import of an unchanged or slightly changed source). Figures go to docs/loaders.md.
var benchSources = []struct{ name, path string }{
	{"kernel", "bsi-grundschutz-plusplus/BSI-Stand-der-Technik-Kernel-catalog.json"},
	{"kompendium", "bsi-kompendium-2023/XML_Kompendium_2023.xml"},
	{"nist-rev4", "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json"},
	{"ciso-nist-rev5", "ciso-assistant/nist-sp-800-53-rev5.yaml"},
	{"ai-act", "eu-ai-act/formex"},
	{"everything", ""},
}

func BenchmarkParse(b *testing.B) {
	for _, src := range benchSources {
		b.Run(src.name, func(b *testing.B) {
			cmd := &LoadCmd{Format: "auto", Paths: []string{loadertest.Data(b, src.path)}}
			for b.Loop() {
				if _, err := cmd.parse(zerolog.New(io.Discard)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	s := graphtest.Store(b)
	for _, src := range benchSources {
		b.Run(src.name, func(b *testing.B) {
			paths := []string{loadertest.Data(b, src.path)}
			if src.path == "" {
				paths = append(paths, filepath.Join(repoRoot(), "content", "pack"))
			}
			batches, err := (&LoadCmd{Format: "auto", Paths: paths}).parse(zerolog.New(io.Discard))
			if err != nil {
				b.Fatal(err)
			}
			rows := 0
			for _, bt := range batches {
				rows += len(bt.Nodes) + len(bt.Rels)
			}
			for b.Loop() {
				if _, err := loaders.Write(context.Background(), s, loaders.Options{}, batches...); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(rows), "rows")
		})
	}
}
