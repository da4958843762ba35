package resolvers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// TestChangeImpactThroughGraphQL: v2 withdraws c into a; x maps to c, and c satisfies Art. 15(1)
// for a system through an implementation. The report names both links, the system's coverage
// drop, recordChange flags the links, reviewSuspect retargets the mapping, and the report shrinks.
func TestChangeImpactThroughGraphQL(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "-"
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	v1, v2 := p+"cat@v1", p+"cat@v2"
	b := &loaders.Batch{Source: loaders.Source{Name: p + "src"},
		Nodes: []loaders.Node{
			{Kind: graph.Standard, ID: v1, Props: map[string]any{"title": "v1"}}, {Kind: graph.Standard, ID: v2, Props: map[string]any{"title": "v2"}},
			{Kind: graph.Control, ID: v1 + "/a", Props: map[string]any{"standard": v1, "title": "A", "text": "t"}},
			{Kind: graph.Control, ID: v1 + "/c", Props: map[string]any{"standard": v1, "title": "C", "text": "t"}},
			{Kind: graph.Control, ID: v2 + "/a", Props: map[string]any{"standard": v2, "title": "A", "text": "t"}},
			{Kind: graph.Control, ID: v2 + "/c", Props: map[string]any{"standard": v2, "title": "C", "status": "withdrawn", "incorporatedInto": []string{v2 + "/a"}}},
			{Kind: graph.Control, ID: p + "x", Props: map[string]any{"standard": p + "o", "title": "X"}},
			// An organisation on c: S depends on AS, where c is implemented with valid evidence.
			{Kind: graph.Regulation, ID: p + "reg", Props: map[string]any{"title": "R"}},
			{Kind: graph.Provision, ID: p + "reg/art-15", Props: map[string]any{"regulation": p + "reg"}},
			{Kind: graph.Provision, ID: p + "reg/art-15/par-1", Props: map[string]any{"regulation": p + "reg"}},
			{Kind: graph.AISystem, ID: p + "S", Props: map[string]any{"riskClass": "high", "role": "provider"}},
			{Kind: graph.Asset, ID: p + "AS", Props: map[string]any{"type": "model"}},
			{Kind: graph.Implementation, ID: p + "iC", Props: map[string]any{"status": "implemented"}},
			{Kind: graph.Evidence, ID: p + "eC", Props: map[string]any{"validUntil": "2099-01-01"}},
		},
		Rels: []loaders.Rel{{Kind: graph.MapsTo, From: p + "x", To: v1 + "/c", Props: map[string]any{"relationship": "equal-to"}},
			{Kind: graph.PartOf, From: p + "reg/art-15", To: p + "reg"}, {Kind: graph.PartOf, From: p + "reg/art-15/par-1", To: p + "reg/art-15"},
			{Kind: graph.Satisfies, From: v1 + "/c", To: p + "reg/art-15/par-1", Props: map[string]any{"relationship": "equal-to"}},
			{Kind: graph.DependsOn, From: p + "S", To: p + "AS"}, {Kind: graph.Implements, From: p + "iC", To: v1 + "/c"},
			{Kind: graph.On, From: p + "iC", To: p + "AS"}, {Kind: graph.Supports, From: p + "eC", To: p + "iC"},
		}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	c := newClient(s)
	type report struct {
		ChangeImpact struct {
			Counts    struct{ Withdrawn, Unchanged, Suspects int }
			Withdrawn []struct {
				Item       struct{ Key string }
				How        string
				Successors []string
			}
			Suspects []struct{ Link, From, To, SuggestedSuccessor string }
		}
	}
	get := func() report {
		var r report
		c.MustPost(`query($f: ID!, $t: ID!) { changeImpact(from: $f, to: $t) { counts { withdrawn unchanged suspects }
		  withdrawn { item { key } how successors } suspects { link from to suggestedSuccessor } } }`, &r, client.Var("f", v1), client.Var("t", v2))
		return r
	}
	r := get()
	ci := r.ChangeImpact
	var sys struct {
		ChangeImpact struct {
			Systems []struct {
				AiSystem   struct{ ID string }
				Provisions []struct {
					Provision     struct{ ID string }
					Before, After string
				}
			}
		}
	}
	c.MustPost(`query($f: ID!, $t: ID!, $r: ID!) { changeImpact(from: $f, to: $t) { systems(regulation: $r) { aiSystem { id } provisions { provision { id } before after } } } }`,
		&sys, client.Var("f", v1), client.Var("t", v2), client.Var("r", p+"reg"))
	if ss := sys.ChangeImpact.Systems; len(ss) != 1 || ss[0].AiSystem.ID != p+"S" || len(ss[0].Provisions) != 1 ||
		ss[0].Provisions[0].Before != "COVERED" || ss[0].Provisions[0].After != "NOT_COVERED" {
		t.Errorf("systems %+v; want S losing Art. 15(1) from COVERED to NOT_COVERED while c's implementation is re-reviewed", ss)
	}
	// The SATISFIES of c is a suspect too now; the mapping x -> c is the one reviewed below.
	var mapping struct{ Link, From, To, SuggestedSuccessor string }
	for _, sp := range ci.Suspects {
		if sp.From == p+"x" {
			mapping = sp
		}
	}
	if ci.Counts.Withdrawn != 1 || ci.Counts.Unchanged != 1 || len(ci.Suspects) != 2 || mapping.SuggestedSuccessor != v2+"/a" ||
		ci.Withdrawn[0].How != "incorporated-into" || strings.Join(ci.Withdrawn[0].Successors, " ") != v2+"/a" {
		t.Fatalf("report %+v", ci)
	}
	// The lists page by id.
	var pages struct {
		ChangeImpact struct {
			First []struct{ Link string } `json:"first"`
		}
	}
	var seen []string
	after := ""
	for range 3 {
		c.MustPost(`query($f: ID!, $t: ID!, $a: String) { changeImpact(from: $f, to: $t) { first: suspects(first: 1, after: $a) { link } } }`,
			&pages, client.Var("f", v1), client.Var("t", v2), client.Var("a", after))
		if len(pages.ChangeImpact.First) == 0 {
			break
		}
		after = pages.ChangeImpact.First[0].Link
		seen = append(seen, after)
	}
	if len(seen) != 2 || seen[0] >= seen[1] {
		t.Errorf("paging suspects one at a time: %v; want both links in id order", seen)
	}

	var flagged struct{ RecordChange int }
	c.MustPost(`mutation($f: ID!, $t: ID!) { recordChange(from: $f, to: $t) }`, &flagged, client.Var("f", v1), client.Var("t", v2))
	if flagged.RecordChange != 2 {
		t.Errorf("flagged %d, want 2", flagged.RecordChange)
	}
	var reviewed struct{ ReviewSuspect struct{ Review string } }
	c.MustPost(`mutation($l: ID!, $s: ID) { reviewSuspect(link: $l, decision: RETARGET, successor: $s, reviewer: "R. Eviewer") { review } }`,
		&reviewed, client.Var("l", mapping.Link), client.Var("s", mapping.SuggestedSuccessor))
	if reviewed.ReviewSuspect.Review != "retargeted" {
		t.Errorf("review %+v", reviewed)
	}
	if again := get(); again.ChangeImpact.Counts.Suspects != 1 || again.ChangeImpact.Suspects[0].From != v1+"/c" {
		t.Errorf("after the review: %+v", again.ChangeImpact)
	}
	var resp map[string]any
	if err := c.Post(`mutation($l: ID!) { reviewSuspect(link: $l, decision: CONFIRM, reviewer: "R") { review } }`, &resp, client.Var("l", mapping.Link)); err == nil || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Errorf("second review: %v; want NOT_FOUND", err)
	}
	if err := c.Post(`{ changeImpact(from: "nope", to: "nada") { counts { added } } }`, &resp); err == nil || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Errorf("unknown versions: %v; want NOT_FOUND", err)
	}
}
