package formex

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
)

const dataDir = "../../../shared/data/eu-ai-act/formex"

func realFiles(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dataDir, "*.xml"))
	if len(files) == 0 {
		t.Skipf("no Formex files in %s (../shared/data is absent)", dataDir)
	}
	return files
}

// countIn counts a pattern in a file: the expected numbers come from the source, not the parser.
func countIn(t *testing.T, path, pattern string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return len(regexp.MustCompile(pattern).FindAll(b, -1))
}

// countQuoted counts a pattern inside quotations (QUOT.S) of a file.
func countQuoted(t *testing.T, path, pattern string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range regexp.MustCompile(`(?s)<QUOT\.S[ >].*?</QUOT\.S>`).FindAll(b, -1) {
		n += len(regexp.MustCompile(pattern).FindAll(q, -1))
	}
	return n
}

func TestParseAIAct(t *testing.T) {
	files := realFiles(t)
	doc, err := ParseFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dataDir, "L_202401689EN.000101.fmx.xml")
	levels := map[string]int{}
	byID := map[string]Provision{}
	for _, p := range doc.Provisions {
		levels[p.Level]++
		byID[p.ID] = p
	}
	annexFiles := 0
	for _, f := range files {
		annexFiles += countIn(t, f, `<ANNEX[ >]`)
	}
	want := map[string]int{
		"article": countIn(t, main, `<ARTICLE IDENTIFIER=`),
		// Paragraphs quoted from the acts that Articles 102 to 110 amend are not this act's.
		"paragraph": countIn(t, main, `<PARAG IDENTIFIER=`) - countQuoted(t, main, `<PARAG IDENTIFIER=`),
		"annex":     annexFiles,
	}
	for level, n := range want {
		if levels[level] != n {
			t.Errorf("%d %s provisions, the source has %d", levels[level], level, n)
		}
	}
	if doc.Regulation.ID != "eu-2024-1689" || doc.Regulation.Celex != "32024R1689" || doc.Regulation.Date != "2024-06-13" {
		t.Errorf("regulation = %+v", doc.Regulation)
	}
	sub := byID["eu-2024-1689/art-15/par-5/sub-3"]
	for _, attack := range []string{"data poisoning", "model poisoning", "adversarial examples or model evasion", "confidentiality attacks", "model flaws"} {
		if !strings.Contains(sub.Text, attack) {
			t.Errorf("Art. 15(5) third subparagraph lacks %q: %q", attack, sub.Text)
		}
	}
	if sub.Ref != "Art. 15(5), third subparagraph" {
		t.Errorf("ref = %q", sub.Ref)
	}
	if p := byID["eu-2024-1689/art-13/par-3/pt-b/pt-ii"]; p.Ref != "Art. 13(3)(b)(ii)" {
		t.Errorf("Art. 13(3)(b)(ii): %+v", p)
	}
	refs := map[[2]string]bool{}
	for _, r := range doc.References {
		refs[[2]string{r.From, r.To}] = true
	}
	for _, r := range [][2]string{
		{"eu-2024-1689/art-13/par-3/pt-b/pt-ii", "eu-2024-1689/art-15"},
		{"eu-2024-1689/art-13/par-3/pt-b/pt-iii", "eu-2024-1689/art-9/par-2"},
		{"eu-2024-1689/art-15/par-2", "eu-2024-1689/art-15/par-1"},
		{"eu-2024-1689/art-16/pt-c", "eu-2024-1689/art-17"},
	} {
		if !refs[r] {
			t.Errorf("no reference %s -> %s", r[0], r[1])
		}
	}
	if len(doc.Warnings) != 0 {
		t.Errorf("warnings: %v", doc.Warnings)
	}
}

func TestParseRejectsCorruptFiles(t *testing.T) {
	files := realFiles(t)
	main := filepath.Join(dataDir, "L_202401689EN.000101.fmx.xml")
	orig, err := os.ReadFile(main)
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		mutate func(string) string
		want   string
	}{
		"truncated":     {func(s string) string { return s[:len(s)/2] }, "line 1"},
		"bad nesting":   {func(s string) string { return strings.Replace(s, "</PARAG>", "</ALINEA>", 1) }, "line 1, column"},
		"no act number": {func(s string) string { return strings.Replace(s, "Regulation (EU) 2024/1689", "Rules", 1) }, "names no act number"},
		"duplicate parag": {func(s string) string {
			return strings.Replace(s, `IDENTIFIER="015.002"><NO.PARAG>2.`, `IDENTIFIER="015.001"><NO.PARAG>1.`, 1)
		}, "eu-2024-1689/art-15/par-1 is defined twice"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			bad := filepath.Join(dir, filepath.Base(main))
			if err := os.WriteFile(bad, []byte(tt.mutate(string(orig))), 0o644); err != nil {
				t.Fatal(err)
			}
			paths := []string{bad}
			for _, f := range files {
				if f != main {
					paths = append(paths, f)
				}
			}
			_, err := ParseFiles(paths)
			if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to name %s and %q", err, bad, tt.want)
			}
		})
	}
}

func counts(t *testing.T, s *graph.Store, source string) (int, int) {
	rows := graphtest.Exec(t, s, "testdata/counts.cypher", map[string]any{"source": source})
	return int(rows[0]["nodes"].(int64)), int(rows[0]["rels"].(int64))
}

// TestLoadAIActIntoNeo4j loads the real act twice (identical counts) and a corrupted copy (graph
// unchanged).
func TestLoadAIActIntoNeo4j(t *testing.T) {
	files := realFiles(t)
	s := graphtest.Store(t)
	graphtest.Cleanup(t, s, "eu-2024-1689")
	graphtest.Cleanup(t, s, "run/formex:eu-2024-1689")
	ctx := context.Background()
	batch, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := loaders.Write(ctx, s, loaders.Options{}, batch)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %+v", sums[0])
	nodes, rels := counts(t, s, batch.Source.Name)
	if nodes != len(batch.Nodes) || rels != len(batch.Rels) {
		t.Errorf("graph holds %d nodes, %d relationships of the source; batch has %d, %d", nodes, rels, len(batch.Nodes), len(batch.Rels))
	}
	sums, err = loaders.Write(ctx, s, loaders.Options{}, batch)
	if err != nil {
		t.Fatal(err)
	}
	if second := sums[0]; second.NodesCreated != 0 || second.NodesRemoved != 0 || second.RelsRemoved != 0 || second.NodesUpdated != 0 || second.NodesSame != len(batch.Nodes) {
		t.Errorf("second load of the same files: %+v", second)
	}
	if n2, r2 := counts(t, s, batch.Source.Name); n2 != nodes || r2 != rels {
		t.Errorf("after reload: %d nodes, %d relationships; before %d, %d", n2, r2, nodes, rels)
	}
	row := graphtest.Exec(t, s, "testdata/provision.cypher", map[string]any{"id": "eu-2024-1689/art-13/par-3/pt-b/pt-ii"})
	if len(row) != 1 || row[0]["ref"] != "Art. 13(3)(b)(ii)" || !strings.Contains(toString(row[0]["refersTo"]), "eu-2024-1689/art-15") {
		t.Errorf("Art. 13(3)(b)(ii) in the graph: %v", row)
	}

	// A batch that fails halfway (a relationship to an id nowhere) writes nothing.
	broken := *batch
	broken.Rels = append(append([]loaders.Rel{}, batch.Rels...), loaders.Rel{Kind: graph.RefersTo, From: "eu-2024-1689/art-15", To: "eu-2024-1689/art-999"})
	broken.Nodes = batch.Nodes[:len(batch.Nodes)-1]
	if _, err := loaders.Write(ctx, s, loaders.Options{}, &broken); err == nil || !strings.Contains(err.Error(), "eu-2024-1689/art-999") {
		t.Fatalf("broken batch: err = %v, want it to name the missing id", err)
	}
	if n3, r3 := counts(t, s, batch.Source.Name); n3 != nodes || r3 != rels {
		t.Errorf("after a failed load: %d nodes, %d relationships; want %d, %d unchanged", n3, r3, nodes, rels)
	}
}

func toString(v any) string {
	var b strings.Builder
	for _, x := range v.([]any) {
		b.WriteString(x.(string) + " ")
	}
	return b.String()
}

func FuzzParse(f *testing.F) {
	for _, p := range []string{filepath.Join(dataDir, "L_202401689EN.013201.fmx.xml"), filepath.Join(dataDir, "L_202401689EN.000101.fmx.xml")} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p := filepath.Join(dir, "in.fmx.xml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = ParseFiles([]string{p}) // must not panic
	})
}
