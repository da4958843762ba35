package resolvers_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/aimsgraph/aimsgraph/content"
	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/resolvers"
)

func newClient(s *graph.Store) *client.Client {
	res := &resolvers.Resolver{Store: s}
	h := handler.New(resolvers.NewExecutableSchema(resolvers.NewConfig(res)))
	h.AddTransport(transport.POST{})
	h.AroundOperations(res.Loaders())
	h.SetErrorPresenter(resolvers.PresentError)
	return client.New(h)
}

// chainGraph builds a small graph whose answers can be reasoned out:
//
//	P has parts P1, P2, P3.  A (s1) SATISFIES P1 subset-of 0.8.  F (s1) SATISFIES P2 equal-to.
//	B (s2) MAPS_TO A equal-to 0.9.  C (s3) MAPS_TO B subset-of 0.5.  G (s4) MAPS_TO C subset-of 1.
//	D (s2) MAPS_TO A superset-of 0.7.  E (s1) MAPS_TO A no-relationship.
//	H (s5) MAPS_TO A equivalent-to 0.9.  I (s5) MAPS_TO A intersects-with 0.6.
//	A MAPS_TO J (s5) subset-of 0.9: J reaches A against the mapping's direction (superset-of).
func chainGraph(t *testing.T, s *graph.Store) string {
	p := graphtest.Prefix(t) + "/"
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	ctl := func(id, std string) loaders.Node {
		return loaders.Node{Kind: graph.Control, ID: p + id, Props: map[string]any{"title": id, "standard": p + std}}
	}
	prov := func(id string, order int) loaders.Node {
		return loaders.Node{Kind: graph.Provision, ID: p + id, Props: map[string]any{"title": id, "regulation": p + "R", "order": order, "ref": id}}
	}
	rel := func(kind graph.RelKind, from, to, r string, strength any) loaders.Rel {
		props := map[string]any{"relationship": r}
		if strength != nil {
			props["strength"] = strength
		}
		return loaders.Rel{Kind: kind, From: p + from, To: p + to, Props: props}
	}
	b := &loaders.Batch{Source: loaders.Source{Name: p + "src"},
		Nodes: []loaders.Node{{Kind: graph.Regulation, ID: p + "R", Props: map[string]any{"title": "R"}},
			prov("P", 1), prov("P1", 2), prov("P2", 3), prov("P3", 4),
			ctl("A", "s1"), ctl("B", "s2"), ctl("C", "s3"), ctl("D", "s2"), ctl("E", "s1"), ctl("F", "s1"), ctl("G", "s4"),
			ctl("H", "s5"), ctl("I", "s5"), ctl("J", "s5")},
		Rels: []loaders.Rel{
			{Kind: graph.PartOf, From: p + "P", To: p + "R"}, {Kind: graph.PartOf, From: p + "P1", To: p + "P"},
			{Kind: graph.PartOf, From: p + "P2", To: p + "P"}, {Kind: graph.PartOf, From: p + "P3", To: p + "P"},
			rel(graph.Satisfies, "A", "P1", "subset-of", 0.8), rel(graph.Satisfies, "F", "P2", "equal-to", nil),
			rel(graph.MapsTo, "B", "A", "equal-to", 0.9), rel(graph.MapsTo, "C", "B", "subset-of", 0.5),
			rel(graph.MapsTo, "G", "C", "subset-of", 1.0), rel(graph.MapsTo, "D", "A", "superset-of", 0.7),
			rel(graph.MapsTo, "E", "A", "no-relationship", nil),
			rel(graph.MapsTo, "H", "A", "equivalent-to", 0.9), rel(graph.MapsTo, "I", "A", "intersects-with", 0.6),
			rel(graph.MapsTo, "A", "J", "subset-of", 0.9),
		}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	return p
}

type satisfaction struct {
	Control      struct{ ID string }
	Provision    struct{ ID string }
	Relationship string
	Strength     *float64
	Direct       bool
	Paths        []struct {
		Nodes         []struct{ ID, Kind string }
		Relationships []struct{ Kind, From, To string }
	}
}

func TestSatisfiedBy(t *testing.T) {
	s := graphtest.Store(t)
	p := chainGraph(t, s)
	c := newClient(s)
	const q = `query($id: ID!, $std: [ID!], $min: Relationship, $direct: Boolean, $depth: Int) {
	  provision(id: $id) { satisfiedBy(standards: $std, minRelationship: $min, directOnly: $direct, maxDepth: $depth) {
	    control { id } provision { id } relationship strength direct
	    paths { nodes { id kind } relationships { kind from to } } } } }`
	ids := func(vars map[string]any) []satisfaction {
		var resp struct {
			Provision struct{ SatisfiedBy []satisfaction }
		}
		opts := []client.Option{client.Var("id", p+"P")}
		for k, v := range vars {
			opts = append(opts, client.Var(k, v))
		}
		c.MustPost(q, &resp, opts...)
		return resp.Provision.SatisfiedBy
	}
	summary := func(ss []satisfaction) string {
		var out []string
		for _, x := range ss {
			out = append(out, strings.TrimPrefix(x.Control.ID, p)+":"+x.Relationship)
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		name string
		vars map[string]any
		want string
	}{
		// Subset first (by strength: A, B, H 0.8; C 0.5; F none), then intersections (J 0.8, D 0.7, I 0.6).
		{"default depth 2", nil, "A:SUBSET_OF B:SUBSET_OF H:SUBSET_OF C:SUBSET_OF F:SUBSET_OF J:INTERSECTS_WITH D:INTERSECTS_WITH I:INTERSECTS_WITH"},
		{"at least subset", map[string]any{"min": "SUBSET_OF"}, "A:SUBSET_OF B:SUBSET_OF H:SUBSET_OF C:SUBSET_OF F:SUBSET_OF"},
		{"direct only", map[string]any{"direct": true}, "A:SUBSET_OF F:SUBSET_OF"},
		{"one standard", map[string]any{"std": []string{p + "s2"}}, "B:SUBSET_OF D:INTERSECTS_WITH"},
		{"depth 3 reaches G", map[string]any{"depth": 3, "std": []string{p + "s4"}}, "G:SUBSET_OF"},
		{"depth 1", map[string]any{"depth": 1}, "A:SUBSET_OF B:SUBSET_OF H:SUBSET_OF F:SUBSET_OF J:INTERSECTS_WITH D:INTERSECTS_WITH I:INTERSECTS_WITH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summary(ids(tt.vars)); got != tt.want {
				t.Errorf("got %s; want %s", got, tt.want)
			}
		})
	}
	all := ids(nil)
	var cSat satisfaction
	for _, x := range all {
		if x.Control.ID == p+"C" {
			cSat = x
		}
	}
	if cSat.Strength == nil || *cSat.Strength != 0.5 || cSat.Direct || cSat.Provision.ID != p+"P1" || len(cSat.Paths) != 1 {
		t.Fatalf("C: %+v; want strength 0.5 (the weakest link), not direct, ending on P1, one path", cSat)
	}
	var walk []string
	for _, n := range cSat.Paths[0].Nodes {
		walk = append(walk, strings.TrimPrefix(n.ID, p))
	}
	var rels []string
	for _, r := range cSat.Paths[0].Relationships {
		rels = append(rels, r.Kind+":"+strings.TrimPrefix(r.From, p)+">"+strings.TrimPrefix(r.To, p))
	}
	if strings.Join(walk, " ") != "C B A P1 P" || strings.Join(rels, " ") != "MAPS_TO:C>B MAPS_TO:B>A SATISFIES:A>P1 PART_OF:P1>P" {
		t.Errorf("path %v %v; want C B A P1 P joined by the graph's relationships", walk, rels)
	}
	if x := all[0]; !x.Direct || x.Strength == nil || *x.Strength != 0.8 {
		t.Errorf("A: %+v; want direct with strength 0.8", x)
	}

	// Bounds are checked.
	var resp json.RawMessage
	err := c.Post(`{ provision(id: "`+p+`P") { satisfiedBy(maxDepth: 9) { direct } } }`, &resp)
	if err == nil || !strings.Contains(err.Error(), "maxDepth must be between 0 and 3") {
		t.Errorf("maxDepth 9: %v", err)
	}
}

func TestGaps(t *testing.T) {
	s := graphtest.Store(t)
	p := chainGraph(t, s)
	c := newClient(s)
	gaps := func(std []string, min string) string {
		var resp struct{ Gaps []struct{ ID string } }
		c.MustPost(`query($r: ID!, $u: ID, $s: [ID!]!, $m: Relationship) { gaps(regulation: $r, under: $u, standards: $s, minRelationship: $m) { id } }`,
			&resp, client.Var("r", p+"R"), client.Var("u", p+"P"), client.Var("s", std), client.Var("m", min))
		var out []string
		for _, g := range resp.Gaps {
			out = append(out, strings.TrimPrefix(g.ID, p))
		}
		return strings.Join(out, " ")
	}
	tests := []struct {
		std  []string
		min  string
		want string
	}{
		{[]string{p + "s1"}, "INTERSECTS_WITH", "P3"},
		{[]string{p + "s3"}, "INTERSECTS_WITH", "P2 P3"}, // C reaches P1 through two mappings
		{[]string{p + "s1"}, "EQUAL_TO", "P1 P3"},        // A is only a subset of P1
		{[]string{p + "s2"}, "SUBSET_OF", "P1 P2 P3"},    // D is an intersection, B a subset: B counts
		{[]string{p + "nothing"}, "INTERSECTS_WITH", "P1 P2 P3"},
	}
	tests[3].want = "P2 P3"
	for _, tt := range tests {
		if got := gaps(tt.std, tt.min); got != tt.want {
			t.Errorf("gaps %v at least %s: %s; want %s", tt.std, tt.min, got, tt.want)
		}
	}
}

// TestArticle15Headline: on the bundled content, ISO 27001 and IT-Grundschutz leave the
// AI-specific parts of Art. 15 open; with the AI modules added nothing is left.
func TestArticle15Headline(t *testing.T) {
	s := graphtest.Store(t)
	loadPack(t, s, false)
	c := newClient(s)
	gaps := func(std ...string) []string {
		var resp struct{ Gaps []struct{ Ref string } }
		c.MustPost(`query($s: [ID!]!) { gaps(regulation: "eu-2024-1689", under: "eu-2024-1689/art-15", standards: $s) { ref } }`, &resp, client.Var("s", std))
		var out []string
		for _, g := range resp.Gaps {
			out = append(out, g.Ref)
		}
		return out
	}
	want := []string{"Art. 15(2)", "Art. 15(3)", "Art. 15(4), third subparagraph", "Art. 15(5), third subparagraph"}
	if got := gaps("iso-27001@2022", "bsi-gs-2023"); !slices.Equal(got, want) {
		t.Errorf("ISMS alone leaves %v; want %v", got, want)
	}
	if got := gaps("iso-27001@2022", "bsi-gs-2023", "aim@1.0"); len(got) != 0 {
		t.Errorf("with the AI modules %v are still open", got)
	}
}

// TestTraceabilityStatementsStartFromAnIndex: EXPLAIN each traceability statement; every
// operator its plan starts from is an index seek (or an argument of a subquery), never a label
// or full scan.
func TestTraceabilityStatementsStartFromAnIndex(t *testing.T) {
	graphtest.Store(t) // migrated: the indexes exist
	tests := []struct {
		name   string
		params map[string]any
	}{
		{"provision_satisfied_by", map[string]any{"id": "x", "maxDepth": 2, "limit": 10, "standards": nil}},
		{"coverage_chains", map[string]any{"roots": []string{"x"}, "regulation": "r", "standards": []string{"s"}, "maxDepth": 2}},
		{"coverage_implementations", map[string]any{"systems": []string{"s"}, "controls": []string{"c"}}},
		{"control_failure", map[string]any{"control": "c", "target": nil}},
		{"threat_by_id", map[string]any{"id": "x"}},
		{"risks_to", map[string]any{"target": "x"}},
		{"ai_system_by_id", map[string]any{"id": "x"}},
		{"asset_by_id", map[string]any{"id": "x"}},
		{"ai_systems_page", map[string]any{"after": "", "limit": 21, "riskClass": "high", "role": nil}},
		{"controls_page", map[string]any{"after": "", "limit": 21, "standard": "s", "level": nil}},
		{"provisions_page", map[string]any{"after": "", "limit": 21, "under": "x", "level": nil}},
		{"mutation_record_assessment", map[string]any{"control": "c", "target": "t", "id": "a", "result": "failed", "assessedAt": "2026-01-01", "assessor": "a", "notes": nil, "now": "n"}},
		{"mutation_add_evidence", map[string]any{"implementation": "i", "id": "e", "props": map[string]any{}, "now": "n"}},
		{"mutation_expire_evidence", map[string]any{"id": "e", "at": "2026-01-01"}},
		{"mutation_set_implementation_status", map[string]any{"id": "i", "status": "failed", "notes": nil}},
		{"mutation_apply_module", map[string]any{"module": "m", "target": "t"}},
		{"provision_by_id", map[string]any{"id": "x"}},
		{"control_by_id", map[string]any{"id": "x"}},
	}
	// The check itself: a label scan is seen as one.
	scan := graphtest.PlanLeaves(t, cypher.Statement{Name: "scan", Text: "MATCH (n:Provision) RETURN n.id"}, nil)
	if len(scan) != 1 || !strings.Contains(scan[0], "LabelScan") {
		t.Fatalf("a label scan reads as %v", scan)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaves := graphtest.PlanLeaves(t, cypher.MustGet(tt.name), tt.params)
			for _, op := range leaves {
				if !strings.Contains(op, "IndexSeek") && op != "Argument" {
					t.Errorf("plan starts from %s (all leaves: %v); want index seeks", op, leaves)
				}
			}
		})
	}
}

// loadPack writes the bundled content (with the demo organisation or not) and removes it when
// the test ends.
func loadPack(t *testing.T, s *graph.Store, demo bool) { loadPackTB(t, s, demo) }

func loadPackB(b *testing.B, s *graph.Store) { loadPackTB(b, s, true) }

func loadPackTB(t testing.TB, s *graph.Store, demo bool) {
	t.Helper()
	for _, pre := range []string{"eu-2024-1689", "aim@1.0", "org/", "run/aimsgraph-", "iso-27001@2022", "iso-42001@2023", "bsi-gs-2023", "atlas"} {
		graphtest.Cleanup(t, s, pre)
	}
	pack, err := content.Batches(demo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, pack...); err != nil {
		t.Fatal(err)
	}
}
