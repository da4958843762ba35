package oscal

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
)

// raw counts a catalog's controls, groups and withdrawn controls straight from the JSON, without
// the loader's types: the expectations come from the file.
type raw struct{ controls, groups, withdrawn int }

func countRaw(t *testing.T, path string) raw {
	var doc map[string]any
	if err := json.Unmarshal(loadertest.Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	var r raw
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				switch key {
				case "controls":
					r.controls++
					for _, p := range e.(map[string]any)["props"].([]any) {
						if pm := p.(map[string]any); pm["name"] == "status" && strings.EqualFold(pm["value"].(string), "withdrawn") {
							r.withdrawn++
						}
					}
				case "groups":
					r.groups++
				}
				walk(e, "")
			}
		case map[string]any:
			for k, e := range x {
				if k == "controls" || k == "groups" {
					walk(e, k)
				}
			}
		}
	}
	walk(doc["catalog"], "")
	return r
}

func kinds(b *loaders.Batch) map[graph.NodeKind]int {
	out := map[graph.NodeKind]int{}
	for _, n := range b.Nodes {
		out[n.Kind]++
	}
	return out
}

func node(b *loaders.Batch, id string) map[string]any {
	for _, n := range b.Nodes {
		if n.ID == id {
			return n.Props
		}
	}
	return nil
}

func TestCatalogsAgreeWithTheirFiles(t *testing.T) {
	tests := []struct {
		file, key string
		check     func(t *testing.T, b *loaders.Batch)
	}{
		{"nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json", "nist-800-53@rev4", func(t *testing.T, b *loaders.Batch) {
			ac31 := node(b, "nist-800-53@rev4/ac-3.1")
			if ac31["status"] != "withdrawn" || !slices.Contains(ac31["incorporatedInto"].([]string), "nist-800-53@rev4/ac-6") {
				t.Errorf("ac-3.1: %v; want withdrawn, incorporated into ac-6", ac31)
			}
			if ac2 := node(b, "nist-800-53@rev4/ac-2"); !strings.Contains(ac2["text"].(string), "[Assignment: organization-defined") {
				t.Errorf("ac-2 text has no filled-in parameter: %q", ac2["text"])
			}
		}},
		{"nist-oscal/sp800-53-rev5/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json", "nist-800-53@rev5", func(t *testing.T, b *loaders.Batch) {
			if b.Source.Name != "oscal:nist-800-53@rev5/baseline-high" {
				t.Errorf("a resolved baseline is its own source; got %s", b.Source.Name)
			}
		}},
		{"bsi-grundschutz-plusplus/BSI-Stand-der-Technik-Kernel-catalog.json", "bsi-gspp-kernel", func(t *testing.T, b *loaders.Batch) {
			c := node(b, "bsi-gspp-kernel/ASST.1.1")
			if c["level"] != "normal-SdT" || c["modalVerb"] != "MUSS" || c["effortLevel"] != "0" {
				t.Errorf("ASST.1.1: %v; want sec_level normal-SdT, MUSS, effort 0", c)
			}
		}},
		{"bsi-grundschutz-plusplus/BSI-Methodik-Grundschutz++-catalog.json", "bsi-gspp-methodik", nil},
		{"bsi-grundschutz-plusplus/BSI-Anforderungen-zum-Risikomanagement-catalog.json", "bsi-gspp-risk", nil},
		{"bsi-grundschutz-plusplus/ISO27001-AnnexA-catalog.json", "iso-27001@2022", func(t *testing.T, b *loaders.Batch) {
			if c := node(b, "iso-27001@2022/A.5.1"); c["title"] != "Policies for information security" || c["code"] != "A.5.1" {
				t.Errorf("A.5.1: %v", c)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			path := loadertest.Data(t, tt.file)
			want := countRaw(t, path)
			bs, err := Load([]string{path}, "")
			if err != nil {
				t.Fatal(err)
			}
			b := bs[0]
			if err := b.Validate(); err != nil {
				t.Fatal(err)
			}
			k := kinds(b)
			if k[graph.Control] != want.controls || k[graph.Module] != want.groups || k[graph.Standard] != 1 {
				t.Errorf("%v; the file has %d controls in %d groups", k, want.controls, want.groups)
			}
			withdrawn := 0
			for _, n := range b.Nodes {
				if n.Props["status"] == "withdrawn" {
					withdrawn++
				}
				if n.Kind != graph.Standard && !strings.HasPrefix(n.ID, tt.key+"/") {
					t.Fatalf("%s is outside the namespace %s", n.ID, tt.key)
				}
			}
			if withdrawn != want.withdrawn {
				t.Errorf("%d withdrawn; the file marks %d", withdrawn, want.withdrawn)
			}
			if len(b.Rels) != len(b.Nodes)-1 {
				t.Errorf("%d PART_OF for %d nodes; every item but the catalog has one parent", len(b.Rels), len(b.Nodes))
			}
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}

func TestProfilesResolveAgainstTheirCatalogs(t *testing.T) {
	rev4 := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json")
	rev4High := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_HIGH-baseline_profile.json")
	rev5 := loadertest.Data(t, "nist-oscal/sp800-53-rev5/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json")
	rev5High := loadertest.Data(t, "nist-oscal/sp800-53-rev5/NIST_SP-800-53_rev5_HIGH-baseline_profile.json")
	gsDir := loadertest.Data(t, "bsi-grundschutz-plusplus")
	kernel, methodik, risk := gsDir+"/BSI-Stand-der-Technik-Kernel-catalog.json", gsDir+"/BSI-Methodik-Grundschutz++-catalog.json", gsDir+"/BSI-Anforderungen-zum-Risikomanagement-catalog.json"
	tests := []struct {
		name    string
		files   []string
		profile string
		want    int
	}{
		{"rev4 HIGH", []string{rev4, rev4High}, "nist-800-53@rev4/baseline-high", len(loadertest.ProfileIDs(t, rev4High))},
		{"rev5 HIGH", []string{rev5, rev5High}, "nist-800-53@rev5/baseline-high", len(loadertest.ProfileIDs(t, rev5High))},
		// Grundschutz++: all of Methodik and Kernel, four risk requirements.
		{"Grundschutz++", []string{kernel, methodik, risk, gsDir + "/Grundschutz++-profile.json"}, "bsi-gspp",
			countRaw(t, kernel).controls + countRaw(t, methodik).controls + 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, err := Load(tt.files, "")
			if err != nil {
				t.Fatal(err)
			}
			p := bs[len(bs)-1]
			if p.Source.Name != "oscal-profile:"+tt.profile || len(p.Nodes) != 1 || p.Nodes[0].ID != tt.profile {
				t.Fatalf("profile batch %s with %v", p.Source.Name, p.Nodes)
			}
			if len(p.Rels) != tt.want || len(p.Warnings) != 0 {
				t.Errorf("%d controls selected, warnings %v; want %d", len(p.Rels), p.Warnings, tt.want)
			}
			ids := map[string]bool{}
			for _, b := range bs[:len(bs)-1] {
				for _, n := range b.Nodes {
					ids[n.ID] = true
				}
			}
			for _, r := range p.Rels {
				if r.Kind != graph.Selects || !ids[r.To] {
					t.Fatalf("%s %s -> %s: not a control of the catalogs given", r.Kind, r.From, r.To)
				}
			}
		})
	}
}

func TestProfileWithoutItsCatalogIsRefused(t *testing.T) {
	rev4High := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_HIGH-baseline_profile.json")
	kernel := loadertest.Data(t, "bsi-grundschutz-plusplus/BSI-Stand-der-Technik-Kernel-catalog.json")
	methodik := loadertest.Data(t, "bsi-grundschutz-plusplus/BSI-Methodik-Grundschutz++-catalog.json")
	_, err := Load([]string{kernel, methodik, rev4High}, "")
	if err == nil || !strings.Contains(err.Error(), "profile.imports[0]") || !strings.Contains(err.Error(), "matches none of the catalogs") {
		t.Fatalf("err = %v; want the import located and the catalogs named", err)
	}
}

// mapsOf counts, from the JSON, the source x target pairs of a mapping-collection.
func mapsOf(t *testing.T, path string) (pairs int, rels map[string]int) {
	var doc struct {
		MC struct {
			Mappings []struct {
				Maps []struct {
					Relationship string `json:"relationship"`
					Sources      []any  `json:"sources"`
					Targets      []any  `json:"targets"`
				} `json:"maps"`
			} `json:"mappings"`
		} `json:"mapping-collection"`
	}
	if err := json.Unmarshal(loadertest.Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	rels = map[string]int{}
	for _, m := range doc.MC.Mappings {
		for _, mp := range m.Maps {
			n := len(mp.Sources) * len(mp.Targets)
			pairs += n
			rels[mp.Relationship] += n
		}
	}
	return pairs, rels
}

func TestMappingCollections(t *testing.T) {
	for _, f := range []string{"ISO27001-AnnexA-to-GS++-mapping_collection.json", "ITGS-to-GS++-mapping_collection.json"} {
		t.Run(f, func(t *testing.T) {
			path := loadertest.Data(t, "bsi-grundschutz-plusplus/"+f)
			pairs, want := mapsOf(t, path)
			bs, err := Load([]string{path}, "")
			if err != nil {
				t.Fatal(err)
			}
			b := bs[0]
			got := map[string]int{}
			n := 0
			for _, r := range b.Rels {
				if r.Kind == graph.MapsTo {
					n++
					got[r.Props["relationship"].(string)]++
				}
			}
			if n != pairs || !mapsEqual(got, want) || !b.SkipMissing {
				t.Errorf("%d MAPS_TO by relationship %v; the file has %d pairs %v (and missing ends must be reported, not fatal)", n, got, pairs, want)
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestCorruptCopiesAreLocated: each real kind of file, damaged, is refused with the file and the
// place named.
func TestCorruptCopiesAreLocated(t *testing.T) {
	catalog := loadertest.Data(t, "bsi-grundschutz-plusplus/ISO27001-AnnexA-catalog.json")
	mapping := loadertest.Data(t, "bsi-grundschutz-plusplus/ISO27001-AnnexA-to-GS++-mapping_collection.json")
	profile := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_HIGH-baseline_profile.json")
	rev4 := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json")
	tests := []struct {
		name   string
		src    string
		with   []string
		mutate func([]byte) []byte
		want   []string
	}{
		{"truncated catalog", catalog, nil, func(b []byte) []byte { return b[:len(b)/2] }, []string{"ISO27001-AnnexA-catalog.json:", "empty or truncated"}},
		{"catalog with a number for a title", catalog, nil, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"title": "Policies for information security"`), []byte(`"title": 5`), 1)
		}, []string{"ISO27001-AnnexA-catalog.json:", "title", "number"}},
		{"control without id", catalog, nil, func(b []byte) []byte { return bytes.Replace(b, []byte(`"id": "5.2"`), []byte(`"id": ""`), 1) },
			[]string{"catalog.groups[0].controls[1].id: missing"}},
		{"mapping with an unknown relationship", mapping, nil, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"relationship": "subset-of"`), []byte(`"relationship": "kind-of"`), 1)
		}, []string{"mapping-collection.mappings[0].maps[0].relationship", "kind-of"}},
		{"profile importing nothing", profile, []string{rev4}, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"imports"`), []byte(`"imports-gone"`), 1)
		}, []string{"profile.imports: none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := loadertest.Corrupt(t, tt.src, tt.mutate)
			_, err := Load(append(slices.Clone(tt.with), bad), "")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v; want it to contain %q", err, w)
				}
			}
		})
	}
}

// TestLoadIntoNeo4j writes a catalog, its baseline and a mapping whose far side is partly
// missing: the counts in the graph are the file's, and the missing ids are named.
func TestLoadIntoNeo4j(t *testing.T) {
	iso := loadertest.Data(t, "bsi-grundschutz-plusplus/ISO27001-AnnexA-catalog.json")
	kernel := loadertest.Data(t, "bsi-grundschutz-plusplus/BSI-Stand-der-Technik-Kernel-catalog.json")
	mapping := loadertest.Data(t, "bsi-grundschutz-plusplus/ISO27001-AnnexA-to-GS++-mapping_collection.json")
	s := graphtest.Store(t)
	for _, p := range []string{"iso-27001@2022", "bsi-gspp-", "run/oscal:iso-27001@2022", "run/oscal:bsi-gspp-", "run/oscal-mapping:iso-iec-27001"} {
		graphtest.Cleanup(t, s, p)
	}
	bs, err := Load([]string{iso, kernel, mapping}, "")
	if err != nil {
		t.Fatal(err)
	}
	sums, err := loaders.Write(context.Background(), s, loaders.Options{}, bs...)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bs[:2] {
		if got := loadertest.SourceCounts(t, s, b.Source.Name); got.Nodes != len(b.Nodes) || got.Rels != len(b.Rels) {
			t.Errorf("%s in the graph: %+v; the batch has %d nodes, %d relationships", b.Source.Name, got, len(b.Nodes), len(b.Rels))
		}
		if sums[i].NodesCreated != len(b.Nodes) {
			t.Errorf("%s: created %d of %d", b.Source.Name, sums[i].NodesCreated, len(b.Nodes))
		}
	}
	// The mapping targets the Methodik catalog too, which is not loaded: exactly those ends
	// (and Kernel ids the catalog lacks) are reported.
	known := map[string]bool{}
	for _, b := range bs[:2] {
		for _, n := range b.Nodes {
			known[n.ID] = true
		}
	}
	var want []string
	seen := map[string]bool{}
	skipped := 0
	for _, r := range bs[2].Rels {
		missing := false
		for _, id := range []string{r.From, r.To} {
			if !known[id] {
				missing = true
				if !seen[id] {
					seen[id] = true
					want = append(want, id)
				}
			}
		}
		if missing {
			skipped++
		}
	}
	slices.Sort(want)
	m := sums[2]
	if !slices.Equal(m.Missing, want) || m.RelsSkipped != skipped || m.RelsWritten != len(bs[2].Rels)-skipped {
		t.Errorf("mapping: wrote %d, skipped %d, missing %v; want %d skipped, missing %v", m.RelsWritten, m.RelsSkipped, m.Missing, skipped, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, rel := range []string{"nist-oscal/examples/basic-catalog.json", "bsi-grundschutz-plusplus/Grundschutz++-profile.json"} {
		if p := loadertest.Data(f, rel); p != "" {
			f.Add(loadertest.Read(f, p))
		}
	}
	f.Add([]byte(`{"mapping-collection": {"mappings": [{"maps": [{"relationship": "x"}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data)
		if err != nil {
			return
		}
		switch {
		case doc.Catalog != nil:
			_, _ = CatalogBatch(doc.Catalog, KeyFor(doc.Catalog.Metadata, ""), nil, "")
		case doc.MappingCollection != nil:
			_, _ = MappingBatch(doc.MappingCollection, "fuzz.json", nil, "")
		case doc.Profile != nil:
			_, _ = ProfileBatch(doc.Profile, "fuzz.json", nil, "", nil, "")
		}
	})
}
