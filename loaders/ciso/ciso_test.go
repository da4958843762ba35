package ciso

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

// counts reads a library generically: framework nodes by assessable, and mappings.
func counts(t *testing.T, path string) (assessable, other, mappings int) {
	var doc map[string]any
	if err := yaml.Unmarshal(loadertest.Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	objects := doc["objects"].(map[string]any)
	if fw, ok := objects["framework"].(map[string]any); ok {
		for _, n := range fw["requirement_nodes"].([]any) {
			if n.(map[string]any)["assessable"] == true {
				assessable++
			} else {
				other++
			}
		}
	}
	if sets, ok := objects["requirement_mapping_sets"].([]any); ok {
		for _, s := range sets {
			mappings += len(s.(map[string]any)["requirement_mappings"].([]any))
		}
	}
	return
}

func TestLibrariesAgreeWithTheirFiles(t *testing.T) {
	tests := []struct {
		file, source, check string
		checkKind           graph.NodeKind
	}{
		{"iso27001-2022.yaml", "ciso:iso-27001@2022", "iso-27001@2022/A.5.1", graph.Control},
		{"iso42001-2023.yaml", "ciso:iso-42001@2023", "iso-42001@2023/A.6.2.4", graph.Control},
		{"nist-sp-800-53-rev5.yaml", "ciso:nist-800-53@rev5", "nist-800-53@rev5/ac-2.12", graph.Control},
		{"ai-act.yaml", "ciso:ciso-ai-act", "ciso-ai-act", graph.Standard},
		{"mapping-nist-sp-800-53-rev5-to-iso27001-2022.yaml", "ciso:mapping-nist-sp-800-53-rev5-and-iso27001-2022", "", ""},
		{"mapping-iso42001-2023-and-scf-2025.2.2.yaml", "ciso:mapping-iso42001-2023-and-scf-2025.2.2", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := loadertest.Data(t, "ciso-assistant/"+tt.file)
			assessable, other, mappings := counts(t, path)
			b, err := Load(path, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Validate(); err != nil {
				t.Fatal(err)
			}
			got := map[graph.NodeKind]int{}
			kindOf := map[string]graph.NodeKind{}
			for _, n := range b.Nodes {
				got[n.Kind]++
				kindOf[n.ID] = n.Kind
			}
			maps := 0
			for _, r := range b.Rels {
				if r.Kind == graph.MapsTo {
					maps++
					if r.Props["relationship"] == "" {
						t.Fatalf("mapping without relationship: %+v", r)
					}
				}
			}
			if b.Source.Name != tt.source || got[graph.Control] != assessable || got[graph.Module] != other || maps != mappings {
				t.Errorf("%s: %v, %d mappings; the file has %d assessable, %d other nodes, %d mappings", b.Source.Name, got, maps, assessable, other, mappings)
			}
			if tt.check != "" && kindOf[tt.check] != tt.checkKind {
				t.Errorf("%s is %q, want %s", tt.check, kindOf[tt.check], tt.checkKind)
			}
		})
	}
}

func TestThreatCatalog(t *testing.T) {
	path := loadertest.Data(t, "ciso-assistant/mitre-atlas.yaml")
	var doc struct {
		Objects struct {
			Tactics           []map[string]any `yaml:"tactics"`
			Techniques        []map[string]any `yaml:"techniques"`
			ReferenceControls []map[string]any `yaml:"reference_controls"`
		} `yaml:"objects"`
	}
	if err := yaml.UnmarshalWithOptions(loadertest.Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	b, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	threats, mitigations := 0, 0
	for _, n := range b.Nodes {
		switch n.Kind {
		case graph.Threat:
			threats++
		case graph.Mitigation:
			mitigations++
		}
	}
	if b.Source.Name != "ciso:atlas" || threats != len(doc.Objects.Tactics)+len(doc.Objects.Techniques) || mitigations != len(doc.Objects.ReferenceControls) {
		t.Errorf("%s: %d threats, %d mitigations; the file has %d tactics + %d techniques, %d reference controls", b.Source.Name,
			threats, mitigations, len(doc.Objects.Tactics), len(doc.Objects.Techniques), len(doc.Objects.ReferenceControls))
	}
}

func TestStrengthIsNormalised(t *testing.T) {
	b, err := Load("testdata/strength.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rels) != 2 {
		t.Fatalf("%d relationships, want 2", len(b.Rels))
	}
	first, second := b.Rels[0], b.Rels[1]
	if first.From != "iso-27001@2022/A.5.1" || first.To != "nist-800-53@rev5/ac-2.12" || first.Props["relationship"] != "equal-to" || first.Props["strength"] != 0.7 {
		t.Errorf("first mapping %+v; want A.5.1 equal-to ac-2.12 with strength 0.7", first)
	}
	if second.Props["relationship"] != "superset-of" || second.Props["strength"] != 1.0 {
		t.Errorf("second mapping %+v; want superset-of, strength clamped to 1", second)
	}
	if len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "requirement_mappings[1].strength_of_relationship: 12 is outside the declared range 0 to 10") {
		t.Errorf("warnings %v; want one naming the out-of-range strength", b.Warnings)
	}
}

func TestCorruptCopiesAreLocated(t *testing.T) {
	fw := loadertest.Data(t, "ciso-assistant/iso42001-2023.yaml")
	mp := loadertest.Data(t, "ciso-assistant/mapping-nist-sp-800-53-rev5-to-iso27001-2022.yaml")
	tests := []struct {
		name   string
		src    string
		mutate func([]byte) []byte
		want   []string
	}{
		{"broken indentation", fw, func(b []byte) []byte {
			return bytes.Replace(b, []byte("\nobjects:\n"), []byte("\nobjects:\n bad\n  - x: [\n"), 1)
		}, []string{"iso42001-2023.yaml: ["}},
		{"unknown relationship", mp, func(b []byte) []byte {
			return bytes.Replace(b, []byte("relationship: intersect"), []byte("relationship: overlaps"), 1)
		}, []string{"objects.requirement_mapping_sets[0].requirement_mappings[0].relationship", "overlaps"}},
		{"dangling parent", fw, func(b []byte) []byte {
			return bytes.Replace(b, []byte("parent_urn: urn:intuitem:risk:req_node:iso42001-2023:4\n"), []byte("parent_urn: urn:intuitem:risk:req_node:iso42001-2023:44\n"), 1)
		}, []string{"objects.framework.requirement_nodes[", ".parent_urn", "not a node of this framework"}},
		{"not a library", fw, func([]byte) []byte { return []byte("name: x\n") }, []string{"urn: missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(loadertest.Corrupt(t, tt.src, tt.mutate), "")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v; want %q", err, w)
				}
			}
		})
	}
}

// TestMappingMeetsOtherLoadersIDs: a CISO Assistant mapping lands on the nodes the framework
// loader wrote, and reports nothing missing when both frameworks are loaded.
func TestMappingMeetsOtherLoadersIDs(t *testing.T) {
	iso := loadertest.Data(t, "ciso-assistant/iso27001-2022.yaml")
	nist := loadertest.Data(t, "ciso-assistant/nist-sp-800-53-rev5.yaml")
	mp := loadertest.Data(t, "ciso-assistant/mapping-nist-sp-800-53-rev5-to-iso27001-2022.yaml")
	s := graphtest.Store(t)
	for _, p := range []string{"iso-27001@2022", "nist-800-53@rev5", "run/ciso:"} {
		graphtest.Cleanup(t, s, p)
	}
	var bs []*loaders.Batch
	for _, f := range []string{iso, nist, mp} {
		b, err := Load(f, "")
		if err != nil {
			t.Fatal(err)
		}
		bs = append(bs, b)
	}
	sums, err := loaders.Write(context.Background(), s, loaders.Options{}, bs...)
	if err != nil {
		t.Fatal(err)
	}
	if m := sums[2]; m.RelsSkipped != 0 || m.RelsWritten != len(bs[2].Rels) {
		t.Errorf("mapping wrote %d of %d, skipped %d, missing %v", m.RelsWritten, len(bs[2].Rels), m.RelsSkipped, m.Missing)
	}
}

func FuzzLibrary(f *testing.F) {
	f.Add(loadertest.Read(f, "testdata/strength.yaml"))
	f.Add([]byte("urn: urn:intuitem:x\nobjects:\n  framework:\n    urn: u:f\n    requirement_nodes:\n      - urn: a:b\n        parent_urn: a:c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var lib library
		if err := loaders.UnmarshalYAML(data, &lib); err != nil {
			return
		}
		_, _ = lib.batch("")
	})
}

func TestWithdrawalNotes(t *testing.T) {
	tests := []struct {
		note          string
		status, field string
		ids           []string
	}{
		{"[Withdrawn: Incorporated into AC-2 and AU-6.]", "withdrawn", "incorporatedInto", []string{"k/ac-2", "k/au-6"}},
		{"[Withdrawn: Moved to SC-7(29).]", "withdrawn", "movedTo", []string{"k/sc-7.29"}},
		{"[Withdrawn: Addressed through tailoring.]", "withdrawn", "", nil},
		{"Develop, document, and disseminate", "", "", nil},
	}
	for _, tt := range tests {
		props := map[string]any{}
		withdrawal(props, tt.note, "k")
		if props["status"] != nil && props["status"] != tt.status || props["status"] == nil && tt.status != "" {
			t.Errorf("%q: status %v, want %q", tt.note, props["status"], tt.status)
		}
		if tt.field != "" && strings.Join(props[tt.field].([]string), " ") != strings.Join(tt.ids, " ") {
			t.Errorf("%q: %s = %v, want %v", tt.note, tt.field, props[tt.field], tt.ids)
		}
	}
	// The real rev5 catalog: every "[Withdrawn" note becomes a withdrawn control.
	path := loadertest.Data(t, "ciso-assistant/nist-sp-800-53-rev5.yaml")
	want := strings.Count(string(loadertest.Read(t, path)), "description: '[Withdrawn")
	b, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, n := range b.Nodes {
		if n.Props["status"] == "withdrawn" {
			got++
		}
	}
	if got != want || got == 0 {
		t.Errorf("%d withdrawn controls; the file has %d withdrawal notes", got, want)
	}
}
