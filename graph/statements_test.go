package graph_test

import (
	"regexp"
	"testing"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

var (
	// A label: a capitalised word with a lower-case letter in it (AISystem, Control) after ( : or |.
	labelRef = regexp.MustCompile(`[(:|]\s*([A-Z][A-Za-z]*[a-z][A-Za-z]*)\b`)
	relRef   = regexp.MustCompile(`\[\w*\s*:\s*([A-Z][A-Z_]+)\b`)
)

// TestStatementsUseTheVocabulary loads every statement and migration file and checks that each
// label and relationship type they name is declared in the vocabulary.
func TestStatementsUseTheVocabulary(t *testing.T) {
	labels := map[string]bool{graph.EntityLabel: true}
	for _, l := range graph.SystemLabels() {
		labels[l] = true
	}
	for _, n := range graph.NodeKinds() {
		labels[string(n.Kind)] = true
	}
	rels := map[string]bool{}
	for _, r := range graph.RelKinds() {
		rels[string(r.Kind)] = true
	}
	texts := map[string]string{}
	names := cypher.Names()
	if len(names) == 0 {
		t.Fatal("no statements embedded")
	}
	for _, name := range names {
		st, err := cypher.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		texts[name] = st.Text
	}
	migs, err := cypher.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		for i, s := range m.Statements {
			texts[m.Name+"#"+string(rune('0'+i))] = s
		}
	}
	for name, text := range texts {
		for _, m := range labelRef.FindAllStringSubmatch(text, -1) {
			if !labels[m[1]] {
				t.Errorf("%s: label %s is not in the vocabulary", name, m[1])
			}
		}
		for _, m := range relRef.FindAllStringSubmatch(text, -1) {
			if !rels[m[1]] {
				t.Errorf("%s: relationship type %s is not in the vocabulary", name, m[1])
			}
		}
	}
}

func TestParseKindsIsAnAllowlist(t *testing.T) {
	if k, err := graph.ParseNodeKind("Control"); err != nil || k != graph.Control {
		t.Errorf("ParseNodeKind(Control) = %v, %v", k, err)
	}
	for _, bad := range []string{"", "control", "Control) DETACH DELETE (n", "Entity", "SchemaLock"} {
		if _, err := graph.ParseNodeKind(bad); err == nil {
			t.Errorf("ParseNodeKind(%q) accepted", bad)
		}
	}
	if _, err := graph.ParseRelKind("MAPS_TO]->() DELETE r//"); err == nil {
		t.Error("ParseRelKind accepted an injection")
	}
	if k, err := graph.ParseRelKind("DEPENDS_ON"); err != nil || k != graph.DependsOn {
		t.Errorf("ParseRelKind(DEPENDS_ON) = %v, %v", k, err)
	}
}
