package content

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/formex"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
)

func batches(t *testing.T) map[string]*loaders.Batch {
	t.Helper()
	bs, err := Batches(true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*loaders.Batch{}
	for _, b := range bs {
		if err := b.Validate(); err != nil {
			t.Fatal(err)
		}
		out[b.Source.Name] = b
	}
	if len(out) != 4 {
		t.Fatalf("sources %v; want the four pack files", out)
	}
	return out
}

const art15 = "eu-2024-1689/art-15"

// TestAIModulesCoverArticle15: every obligation of Art. 15 is satisfied by a requirement of the
// AI modules; in 15(5), third subparagraph, every attack class with every verb.
func TestAIModulesCoverArticle15(t *testing.T) {
	b := batches(t)["aimsgraph-pack/ai-modules"]
	satisfied := map[string]bool{}
	aspects := map[string]bool{}
	levels := map[string]map[string]int{}
	for _, n := range b.Nodes {
		if n.Kind == graph.Control && !n.Stub {
			module := n.ID[:strings.LastIndex(n.ID, ".A")]
			if levels[module] == nil {
				levels[module] = map[string]int{}
			}
			levels[module][n.Props["level"].(string)]++
		}
	}
	for _, r := range b.Rels {
		if r.Kind != graph.Satisfies {
			continue
		}
		satisfied[r.To] = true
		if r.To == art15+"/par-5/sub-3" {
			aspects[r.Key] = true
		}
	}
	for _, p := range []string{"par-1", "par-2", "par-3", "par-4/sub-1", "par-4/sub-2", "par-4/sub-3", "par-5/sub-1", "par-5/sub-2", "par-5/sub-3"} {
		if !satisfied[art15+"/"+p] {
			t.Errorf("Art. 15 %s is satisfied by no AI module requirement", p)
		}
	}
	for _, class := range []string{"data-poisoning", "model-poisoning", "adversarial-examples", "confidentiality", "model-flaws"} {
		for _, verb := range []string{"prevent", "detect", "respond", "resolve", "control"} {
			if !aspects[class+"/"+verb] {
				t.Errorf("15(5): no requirement to %s %s", verb, class)
			}
		}
	}
	if len(levels) != 4 {
		t.Errorf("modules %v; want the four AI modules", levels)
	}
	for m, l := range levels {
		if l["B"] == 0 || l["S"] == 0 || l["H"] == 0 {
			t.Errorf("%s has levels %v; want requirements at B, S and H", m, l)
		}
	}
}

// TestISMSAloneLeavesArticle15Gaps is the approach's headline, on the pack itself: ISO 27001 and
// IT-Grundschutz leave the AI-specific parts of Art. 15 open, the AI modules close them.
func TestISMSAloneLeavesArticle15Gaps(t *testing.T) {
	bs := batches(t)
	covered := func(prefixes ...string) map[string]bool {
		out := map[string]bool{}
		for _, b := range bs {
			for _, r := range b.Rels {
				if r.Kind == graph.Satisfies && strings.HasPrefix(r.To, art15) && slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(r.From, p) }) {
					out[r.To] = true
				}
			}
		}
		return out
	}
	var leaves []string
	for _, n := range bs["aimsgraph-pack/eu-ai-act"].Nodes {
		if strings.HasPrefix(n.ID, art15+"/") && n.ID != art15+"/par-4" && n.ID != art15+"/par-5" {
			leaves = append(leaves, n.ID)
		}
	}
	isms := covered("iso-27001@2022/", "bsi-gs-2023/")
	var gaps []string
	for _, p := range leaves {
		if !isms[p] {
			gaps = append(gaps, strings.TrimPrefix(p, art15+"/"))
		}
	}
	slices.Sort(gaps)
	want := []string{"par-2", "par-3", "par-4/sub-3", "par-5/sub-3"}
	if !slices.Equal(gaps, want) {
		t.Errorf("Art. 15 gaps with ISO 27001 and IT-Grundschutz: %v; want %v", gaps, want)
	}
	all := covered("iso-27001@2022/", "bsi-gs-2023/", "aim@1.0/")
	for _, p := range leaves {
		if !all[p] {
			t.Errorf("%s is still open with the AI modules added", p)
		}
	}
}

func TestDemoOrganisation(t *testing.T) {
	b := batches(t)["aimsgraph-demo/rheinwerk"]
	kinds := map[graph.NodeKind]int{}
	risk := map[string]bool{}
	status := map[string]int{}
	expired := 0
	for _, n := range b.Nodes {
		if n.Stub {
			continue
		}
		kinds[n.Kind]++
		switch n.Kind {
		case graph.AISystem:
			risk[n.Props["riskClass"].(string)] = true
		case graph.Implementation:
			status[n.Props["status"].(string)]++
		case graph.Evidence:
			if v, _ := n.Props["validUntil"].(string); v != "" && v < "2026-12-04" {
				expired++
			}
		}
	}
	if kinds[graph.AISystem] < 6 || len(risk) < 3 || kinds[graph.Asset] < 40 {
		t.Errorf("%d AI systems in %d risk classes, %d assets; want at least 6 in 3 classes and 40 assets", kinds[graph.AISystem], len(risk), kinds[graph.Asset])
	}
	if status["failed"] == 0 || status["planned"] == 0 || expired == 0 || kinds[graph.Risk] == 0 {
		t.Errorf("statuses %v, %d expired evidence, %d risks; want failed and planned ones, expired evidence and risks", status, expired, kinds[graph.Risk])
	}
	// Longest DEPENDS_ON chain from an AI system, and assets reached by several systems.
	deps := map[string][]string{}
	for _, r := range b.Rels {
		if r.Kind == graph.DependsOn {
			deps[r.From] = append(deps[r.From], r.To)
		}
	}
	var depth func(id string, seen map[string]bool) int
	depth = func(id string, seen map[string]bool) int {
		best := 0
		for _, d := range deps[id] {
			if !seen[d] {
				seen[d] = true
				best = max(best, 1+depth(d, seen))
				delete(seen, d)
			}
		}
		return best
	}
	reach := map[string]int{}
	deepest := 0
	for _, n := range b.Nodes {
		if n.Kind != graph.AISystem {
			continue
		}
		deepest = max(deepest, depth(n.ID, map[string]bool{}))
		seen := map[string]bool{}
		var visit func(string)
		visit = func(id string) {
			for _, d := range deps[id] {
				if !seen[d] {
					seen[d] = true
					reach[d]++
					visit(d)
				}
			}
		}
		visit(n.ID)
	}
	if deepest < 4 || reach["org/platform/ml-platform"] < 3 || reach["org/platform/model-registry"] < 2 {
		t.Errorf("deepest chain %d, ML platform reached by %d systems, registry by %d; want >= 4, >= 3, >= 2", deepest, reach["org/platform/ml-platform"], reach["org/platform/model-registry"])
	}
}

// TestOfficialTextFillsThePack: the Formex act fills the pack's provisions with the official text,
// and unloading it leaves the pack's references and links standing.
func TestOfficialTextFillsThePack(t *testing.T) {
	files := loadertest.Data(t, "eu-ai-act/formex")
	s := graphtest.Store(t)
	for _, p := range []string{"eu-2024-1689", "aim@1.0", "org/", "run/aimsgraph-", "run/formex:", "iso-27001@2022", "iso-42001@2023", "bsi-gs-2023", "atlas"} {
		graphtest.Cleanup(t, s, p)
	}
	ctx := context.Background()
	pack, err := Batches(false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaders.Write(ctx, s, loaders.Options{}, pack...); err != nil {
		t.Fatal(err)
	}
	const id = "eu-2024-1689/art-15/par-5/sub-3"
	get := func() graph.Record {
		rows := graphtest.Exec(t, s, "testdata/provision.cypher", map[string]any{"id": id})
		if len(rows) != 1 {
			t.Fatalf("%s: %v", id, rows)
		}
		return rows[0]
	}
	before := get()
	if before["stub"] != true || before["text"] != nil || before["satisfiedBy"].(int64) == 0 {
		t.Fatalf("pack only: %v; want a stub without text, satisfied by AI module requirements", before)
	}
	act, err := formex.Load(formexFiles(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaders.Write(ctx, s, loaders.Options{}, act); err != nil {
		t.Fatal(err)
	}
	filled := get()
	text, _ := filled["text"].(string)
	for _, class := range []string{"data poisoning", "model poisoning", "adversarial examples", "confidentiality attacks", "model flaws"} {
		if !strings.Contains(text, class) {
			t.Errorf("official text lacks %q: %q", class, text)
		}
	}
	if filled["stub"] != false || filled["source"] != "formex:eu-2024-1689" || filled["satisfiedBy"] != before["satisfiedBy"] {
		t.Errorf("with the act loaded: %v", filled)
	}
	if _, err := loaders.Write(ctx, s, loaders.Options{}, &loaders.Batch{Source: loaders.Source{Name: "formex:eu-2024-1689"}}); err != nil {
		t.Fatal(err)
	}
	after := get()
	sources := fmt.Sprint(after["sources"])
	if after["stub"] != true || after["satisfiedBy"] != before["satisfiedBy"] || strings.Contains(sources, "formex") || !strings.Contains(sources, "aimsgraph-pack/eu-ai-act") {
		t.Errorf("after unloading the act: %v; want the pack's stub with its links", after)
	}
}

func formexFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.fmx.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Formex files in %s: %v", dir, err)
	}
	return files
}
