package atlas

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
)

func TestATLASAgreesWithItsFile(t *testing.T) {
	path := loadertest.Data(t, "mitre-atlas/ATLAS.yaml")
	// What the file holds, read generically.
	var doc struct {
		Matrices []struct {
			Tactics     []map[string]any `yaml:"tactics"`
			Techniques  []map[string]any `yaml:"techniques"`
			Mitigations []map[string]any `yaml:"mitigations"`
		} `yaml:"matrices"`
	}
	if err := yaml.Unmarshal(loadertest.Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc.Matrices[0]
	subs, uses := 0, map[[2]string]bool{}
	for _, tq := range m.Techniques {
		if _, ok := tq["subtechnique-of"]; ok {
			subs++
		}
	}
	for _, mi := range m.Mitigations {
		for _, tq := range mi["techniques"].([]any) {
			uses[[2]string{Key + "/" + mi["id"].(string), Key + "/" + tq.(map[string]any)["id"].(string)}] = true
		}
	}

	b, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range b.Nodes {
		kinds[string(n.Kind)+"/"+n.Props["kind"].(string)]++
	}
	mitigates := 0
	for _, r := range b.Rels {
		if r.Kind == graph.Mitigates {
			mitigates++
			if !uses[[2]string{r.From, r.To}] {
				t.Errorf("%s -> %s is not in the file", r.From, r.To)
			}
		}
	}
	want := map[string]int{
		"Threat/tactic": len(m.Tactics), "Threat/technique": len(m.Techniques) - subs, "Threat/sub-technique": subs,
		"Mitigation/mitigation": len(m.Mitigations), "Standard/threat-catalog": 1,
	}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("%s: %d, the file has %d", k, kinds[k], v)
		}
	}
	if mitigates != len(uses) || len(m.Tactics) != 16 || len(m.Techniques) != 170 || len(m.Mitigations) != 35 {
		t.Errorf("%d MITIGATES, the file has %d distinct; ATLAS 5.6.0 has 16 tactics, 170 techniques, 35 mitigations", mitigates, len(uses))
	}
}

func TestCorruptCopiesAreLocated(t *testing.T) {
	path := loadertest.Data(t, "mitre-atlas/ATLAS.yaml")
	tests := []struct {
		name   string
		mutate func([]byte) []byte
		want   string
	}{
		{"tab in indentation", func(b []byte) []byte { return bytes.Replace(b, []byte("\n  tactics:\n"), []byte("\n\ttactics:\n"), 1) }, "ATLAS.yaml: ["},
		{"unknown parent technique", func(b []byte) []byte {
			return bytes.Replace(b, []byte("subtechnique-of: AML.T0000\n"), []byte("subtechnique-of: AML.T9999\n"), 1)
		}, "subtechnique-of: AML.T9999 is not a technique"},
		{"mitigation of nothing known", func(b []byte) []byte {
			return bytes.Replace(b, []byte("    techniques:\n    - id: AML.T0000\n"), []byte("    techniques:\n    - id: AML.T7777\n"), 1)
		}, "matrices[0].mitigations[0] (AML.M0000).techniques: AML.T7777 is not a technique"},
		{"not ATLAS", func([]byte) []byte { return []byte("id: X\n") }, "want the compiled ATLAS data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(loadertest.Corrupt(t, path, tt.mutate))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
		})
	}
}

func TestLoadIntoNeo4j(t *testing.T) {
	path := loadertest.Data(t, "mitre-atlas/ATLAS.yaml")
	s := graphtest.Store(t)
	graphtest.Cleanup(t, s, "atlas")
	graphtest.Cleanup(t, s, "run/atlas:")
	b, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	if got := loadertest.SourceCounts(t, s, b.Source.Name); got.Nodes != len(b.Nodes) || got.Rels != len(b.Rels) {
		t.Errorf("graph holds %+v; batch has %d nodes and %d relationships", got, len(b.Nodes), len(b.Rels))
	}
}

func FuzzDocument(f *testing.F) {
	f.Add([]byte("id: ATLAS\nmatrices:\n- id: ATLAS\n  tactics:\n  - id: T\n  techniques:\n  - id: X\n    tactics: [T]\n  mitigations:\n  - id: M\n    techniques:\n    - id: X\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d document
		if err := loaders.UnmarshalYAML(data, &d); err != nil {
			return
		}
		_, _ = d.batch()
	})
}
