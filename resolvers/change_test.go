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

// TestChangeImpactThroughGraphQL: v2 withdraws c into a; x maps to c. The report names the
// suspect, recordChange flags it, reviewSuspect retargets it, and the report no longer lists it.
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
		},
		Rels: []loaders.Rel{{Kind: graph.MapsTo, From: p + "x", To: v1 + "/c", Props: map[string]any{"relationship": "equal-to"}}}}
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
	if ci.Counts.Withdrawn != 1 || ci.Counts.Unchanged != 1 || len(ci.Suspects) != 1 || ci.Suspects[0].SuggestedSuccessor != v2+"/a" ||
		ci.Withdrawn[0].How != "incorporated-into" || strings.Join(ci.Withdrawn[0].Successors, " ") != v2+"/a" {
		t.Fatalf("report %+v", ci)
	}
	var flagged struct{ RecordChange int }
	c.MustPost(`mutation($f: ID!, $t: ID!) { recordChange(from: $f, to: $t) }`, &flagged, client.Var("f", v1), client.Var("t", v2))
	if flagged.RecordChange != 1 {
		t.Errorf("flagged %d, want 1", flagged.RecordChange)
	}
	var reviewed struct{ ReviewSuspect struct{ Review string } }
	c.MustPost(`mutation($l: ID!, $s: ID) { reviewSuspect(link: $l, decision: RETARGET, successor: $s, reviewer: "R. Eviewer") { review } }`,
		&reviewed, client.Var("l", ci.Suspects[0].Link), client.Var("s", ci.Suspects[0].SuggestedSuccessor))
	if reviewed.ReviewSuspect.Review != "retargeted" {
		t.Errorf("review %+v", reviewed)
	}
	if again := get(); again.ChangeImpact.Counts.Suspects != 0 {
		t.Errorf("after the review: %+v", again.ChangeImpact)
	}
	var resp map[string]any
	if err := c.Post(`mutation($l: ID!) { reviewSuspect(link: $l, decision: CONFIRM, reviewer: "R") { review } }`, &resp, client.Var("l", ci.Suspects[0].Link)); err == nil || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Errorf("second review: %v; want NOT_FOUND", err)
	}
	if err := c.Post(`{ changeImpact(from: "nope", to: "nada") { counts { added } } }`, &resp); err == nil || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Errorf("unknown versions: %v; want NOT_FOUND", err)
	}
}
