package kompendium

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
	"github.com/aimsgraph/aimsgraph/loaders/xmltree"
)

const file = "bsi-kompendium-2023/XML_Kompendium_2023.xml"

// fromText counts requirements per level, modules and threats with plain patterns over the file's
// text, independently of the DocBook tree.
func fromText(t *testing.T, data []byte) (levels map[string]int, modules, threats int) {
	levels = map[string]int{}
	req := regexp.MustCompile(`<title>[A-Z]{3,4}(?:\.\d+)+\.A\d+ ([^<]*)</title>`)
	level := regexp.MustCompile(`\(([BSH])\)`)
	for _, m := range req.FindAllSubmatch(data, -1) {
		if l := level.FindSubmatch(m[1]); l != nil {
			levels[string(l[1])]++
		}
	}
	modules = len(regexp.MustCompile(`<title>(?:ISMS|ORP|CON|OPS|DER|APP|SYS|IND|NET|INF)(?:\.\d+)+ [^<]*</title>`).FindAll(data, -1))
	threats = len(regexp.MustCompile(`<title>G 0\.\d+ `).FindAll(data, -1))
	return levels, modules, threats
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestKompendiumAgreesWithItsText(t *testing.T) {
	path := loadertest.Data(t, file)
	levels, modules, threats := fromText(t, loadertest.Read(t, path))
	b, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	kinds := map[string]int{}
	byID := map[string]map[string]any{}
	for _, n := range b.Nodes {
		byID[n.ID] = n.Props
		switch {
		case n.Kind == graph.Control:
			got[n.Props["level"].(string)]++
		case n.Kind == graph.Module:
			kinds[n.Props["kind"].(string)]++
		case n.Kind == graph.Threat:
			kinds["threat"]++
		}
	}
	if !equal(got, levels) || sum(got) != 2124 {
		t.Errorf("requirements per level %v; the text has %v (2124 in all per the edition)", got, levels)
	}
	if kinds["module"] != modules || kinds["layer"] != 10 || kinds["threat"] != threats || threats != 47 {
		t.Errorf("modules %d layers %d threats %d; the text has %d modules, 10 layers, %d threats (47)", kinds["module"], kinds["layer"], kinds["threat"], modules, threats)
	}
	a1 := byID["bsi-gs-2023/CON.3.A1"]
	if a1["level"] != "B" || a1["module"] != "CON.3" || !strings.Contains(a1["text"].(string), "Der IT-Betrieb MUSS") {
		t.Errorf("CON.3.A1: %v", a1)
	}
	if roles, _ := a1["roles"].([]string); len(roles) != 2 || roles[0] != "Fachverantwortliche" || roles[1] != "IT-Betrieb" {
		t.Errorf("CON.3.A1 roles %v; want Fachverantwortliche, IT-Betrieb", a1["roles"])
	}
	if a3 := byID["bsi-gs-2023/CON.3.A3"]; a3["status"] != "withdrawn" {
		t.Errorf("CON.3.A3 (ENTFALLEN): %v; want withdrawn", a3)
	}
	if g := byID["bsi-gs-2023/G0.1"]; g["code"] != "G 0.1" || g["title"] != "Feuer" {
		t.Errorf("G 0.1: %v", g)
	}
}

func equal(a, b map[string]int) bool {
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

func TestCorruptCopiesAreLocated(t *testing.T) {
	path := loadertest.Data(t, file)
	tests := []struct {
		name   string
		mutate func([]byte) []byte
		want   []string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)/3] }, []string{"XML_Kompendium_2023.xml: line", "unexpected EOF"}},
		{"requirement without level", func(b []byte) []byte {
			return bytes.Replace(b, []byte("CON.3.A1 Erhebung der Einflussfaktoren für Datensicherungen (B)"), []byte("CON.3.A1 Erhebung der Einflussfaktoren für Datensicherungen"), 1)
		}, []string{"XML_Kompendium_2023.xml: line 4827", "has no level"}},
		{"requirement defined twice", func(b []byte) []byte {
			return bytes.Replace(b, []byte("CON.3.A2 Festlegung"), []byte("CON.3.A1 Festlegung"), 1)
		}, []string{"bsi-gs-2023/CON.3.A1 is defined twice"}},
		{"not the Kompendium", func([]byte) []byte { return []byte(`<?xml version="1.0"?><article/>`) }, []string{"want DocBook <book>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(loadertest.Corrupt(t, path, tt.mutate), "")
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

func TestLoadIntoNeo4j(t *testing.T) {
	path := loadertest.Data(t, file)
	s := graphtest.Store(t)
	graphtest.Cleanup(t, s, "bsi-gs-2023")
	graphtest.Cleanup(t, s, "run/kompendium:bsi-gs-2023")
	b, err := Load(path, "")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // twice: identical
		if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
			t.Fatal(err)
		}
		if got := loadertest.SourceCounts(t, s, b.Source.Name); got.Nodes != len(b.Nodes) || got.Rels != len(b.Rels) {
			t.Errorf("graph holds %+v; the batch has %d nodes, %d relationships", got, len(b.Nodes), len(b.Rels))
		}
	}
	rows := graphtest.Exec(t, s, "testdata/levels.cypher", nil)
	got := map[string]int{}
	for _, r := range rows {
		got[r["level"].(string)] = int(r["n"].(int64))
	}
	levels, _, _ := fromText(t, loadertest.Read(t, path))
	if !equal(got, levels) {
		t.Errorf("requirements per level in Neo4j %v; the text has %v", got, levels)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<book xmlns="http://docbook.org/ns/docbook"><chapter><title>CON Konzepte</title><section><title>CON.3 X</title><section><title>CON.3.A1 Y (B) [IT-Betrieb]</title><para>Edition 2023</para></section></section></chapter></book>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := xmltree.Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		_, _ = Parse(root, "")
	})
}
