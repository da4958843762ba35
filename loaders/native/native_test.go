package native

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/graph"
)

func TestInventoryBecomesTheGraph(t *testing.T) {
	b, err := Load("testdata/inventory.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	rels := map[string]int{}
	for _, r := range b.Rels {
		rels[string(r.Kind)]++
	}
	want := map[string]int{
		"PART_OF":   4, // module, control, two provisions
		"SATISFIES": 2, "MITIGATES": 2, "MAPS_TO": 1, "DEPENDS_ON": 2, "APPLIES_TO": 2,
		"IMPLEMENTS": 1, "ON": 1, "SUPPORTS": 1, "REALISES": 1, "THREATENS": 1,
	}
	for k, v := range want {
		if rels[k] != v {
			t.Errorf("%s: %d, want %d (all: %v)", k, rels[k], v, rels)
		}
	}
	stubs := 0
	for _, n := range b.Nodes {
		if n.Stub {
			stubs++
		}
		if n.ID == "t-risk" && n.Props["score"] != 12 {
			t.Errorf("risk score %v, want likelihood x impact = 12", n.Props["score"])
		}
	}
	if len(b.Nodes) != 13 || stubs != 4 {
		t.Errorf("%d nodes, %d stubs; want 13 nodes, the 4 references as stubs", len(b.Nodes), stubs)
	}
	for _, r := range b.Rels {
		if r.Kind == graph.Satisfies && r.Key == "prevent" && r.Props["relationship"] != DefaultSatisfies {
			t.Errorf("satisfies without a relationship: %v, want the default %s", r.Props, DefaultSatisfies)
		}
	}
}

// TestErrorsAreLocated: every kind of mistake names the line and column (or CSV row and column)
// and says what is wrong, as an editor would want it.
func TestErrorsAreLocated(t *testing.T) {
	base := "aimsgraph: 1\nsource: t\n"
	tests := []struct {
		name, doc, want string
	}{
		{"missing format key", "source: t\n", "at the top level: missing property 'aimsgraph'"},
		{"unknown top-level key", base + "systems: []\n", "at the top level: additional properties 'systems' not allowed"},
		{"bad enum", base + "assets:\n  - id: a\n    title: A\n    type: gpu\n", "6:11: at assets[0].type: value must be one of"},
		{"bad id", base + "assets:\n  - {id: \"has space\", title: A, type: data}\n", "at assets[0].id: 'has space' does not match pattern"},
		{"likelihood out of range", base + "risks:\n  - {id: r, title: R, likelihood: 9, impact: 1, treatment: accept}\n", "at risks[0].likelihood: maximum: got 9, want 5"},
		{"duplicate id", base + "assets:\n  - {id: a, title: A, type: data}\n  - {id: a, title: B, type: data}\n", "5:10: at assets[1].id: a is declared twice (first at assets[0])"},
		{"wrong kind", base + "assets:\n  - {id: a, title: A, type: data}\nimplementations:\n  - {id: i, control: a, target: a, status: planned}\n",
			"at implementations[0].control: a is a Asset; want [Control]"},
		{"impossible date", base + "evidence:\n  - {id: e, implementation: i, uri: u, collectedAt: \"2026-02-30\"}\n", "at evidence[0].collectedAt: \"2026-02-30\" is not a date"},
		{"valid before collected", base + "evidence:\n  - {id: e, implementation: i, uri: u, collectedAt: \"2026-02-01\", validUntil: \"2026-01-01\"}\n", "is before collectedAt"},
		{"mapping to nothing declared", base + "mappings:\n  - {from: x, to: y, relationship: equal-to}\n", "at mappings[0].from: x is not declared in this file"},
		{"YAML syntax", base + "assets: [\n", "[3:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, loc, err := Parse([]byte(tt.doc))
			if err == nil {
				_, err = f.Batch(loc)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
		})
	}
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name, csv, want string
		nodes, rels     int
	}{
		{"assets", "id,title,type,owner,dependsOn\na,Feature store,data,Data,b;c\nb,Cluster,infrastructure,,\nc,Lake,data,,\n", "", 3, 2},
		{"ai systems", "id,title,riskClass,role\ns,Scoring,high,provider\n", "", 1, 0},
		{"risks with numbers", "id,title,likelihood,impact,treatment,targets\nr,R,2,5,mitigate,s\n", "", 1, 1},
		{"bad value", "id,title,type\na,A,data\nb,B,gpu\n", "line 3, column type: at assets[1].type: value must be one of", 0, 0},
		{"not a number", "id,title,likelihood,impact,treatment\nr,R,high,5,accept\n", "line 2, column likelihood: \"high\" is not a whole number", 0, 0},
		{"unknown kind", "id,title,colour\na,A,red\n", "line 1: header [id title colour] names no inventory kind", 0, 0},
		{"ragged row", "id,title,type\na,A\n", "wrong number of fields", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "inv.csv")
			if err := os.WriteFile(p, []byte(tt.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := LoadCSV(p, "")
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "inv.csv") {
					t.Fatalf("err = %v; want %q with the file name", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Source.Name != "inventory:inv" || len(b.Nodes) != tt.nodes || len(b.Rels) != tt.rels {
				t.Errorf("%s: %d nodes, %d relationships; want %d, %d", b.Source.Name, len(b.Nodes), len(b.Rels), tt.nodes, tt.rels)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	if !Detect([]byte("# comment\n\naimsgraph: 1\n")) || Detect([]byte("source: x\naimsgraph: 1\n")) {
		t.Error("Detect must take files whose first key is aimsgraph, and only those")
	}
	if !DetectCSV("a.csv", []byte("id,title,type\n")) || DetectCSV("a.txt", []byte("id,title,type\n")) || DetectCSV("a.csv", []byte("name,value\n")) {
		t.Error("DetectCSV must take .csv files with an inventory header, and only those")
	}
}

func FuzzParse(f *testing.F) {
	// Small seeds: with the whole testdata inventory as a seed the fuzzing engine itself stalls
	// (the target stays fast, measured with a watchdog); these cover the same kinds.
	f.Add([]byte("aimsgraph: 1\nsource: s\ncontrols:\n  - {id: c, title: C, satisfies: [{provision: p}], mitigates: [t]}\nreferences:\n  provisions: [{id: p, title: P}]\n  threats: [{id: t, title: T}]\n"))
	f.Add([]byte("aimsgraph: 1\nsource: s\nassets: [{id: a, title: A, type: data, dependsOn: [b]}]\nimplementations: [{id: i, control: c, target: a, status: failed, lastTested: \"2026-01-01\"}]\nevidence: [{id: e, implementation: i, uri: u, collectedAt: \"2026-01-01\"}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, loc, err := Parse(data)
		if err != nil {
			return
		}
		if b, err := file.Batch(loc); err == nil {
			_ = b.Validate()
		}
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,title,type,owner,dependsOn\na,Feature store,data,Data,b;c\nb,Cluster,infrastructure,,\n"))
	f.Add([]byte("id,title,likelihood,impact,treatment,targets\nr,R,2,5,mitigate,s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, loc, err := ParseCSV(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		if b, err := file.Batch(loc); err == nil {
			_ = b.Validate()
		}
	})
}
