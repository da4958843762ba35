package impact

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
)

// TestSmallOrganisation: two versions of a small catalog with an organisation hanging off the old
// one. v1 has a, b, c, e; v2 changes a's text, renames e, withdraws c into a, drops b, adds d.
// b SATISFIES a provision and is implemented (with an assessment and evidence); c is mapped
// from another catalog's x; e is unchanged in text.
func TestSmallOrganisation(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "-"
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	v1, v2 := p+"cat@v1", p+"cat@v2"
	ctl := func(v, key, title, text string, extra map[string]any) loaders.Node {
		props := map[string]any{"standard": v, "title": title, "text": text}
		for k, x := range extra {
			props[k] = x
		}
		return loaders.Node{Kind: graph.Control, ID: v + "/" + key, Props: props}
	}
	b := &loaders.Batch{Source: loaders.Source{Name: p + "src"},
		Nodes: []loaders.Node{
			{Kind: graph.Standard, ID: v1, Props: map[string]any{"title": "v1"}}, {Kind: graph.Standard, ID: v2, Props: map[string]any{"title": "v2"}},
			ctl(v1, "a", "A", "do the thing", nil), ctl(v1, "b", "B", "keep logs", nil), ctl(v1, "c", "C", "review", nil), ctl(v1, "e", "E", "same", nil),
			ctl(v2, "a", "A", "do the thing well", nil), ctl(v2, "c", "C", "", map[string]any{"status": "withdrawn", "incorporatedInto": []string{v2 + "/a"}}),
			ctl(v2, "d", "D", "new", nil), ctl(v2, "e", "E renamed", "same", nil),
			{Kind: graph.Control, ID: p + "x", Props: map[string]any{"title": "X", "standard": p + "other"}},
			{Kind: graph.Provision, ID: p + "prov", Props: map[string]any{"title": "P"}},
			{Kind: graph.Asset, ID: p + "asset", Props: map[string]any{"type": "platform"}},
			{Kind: graph.Implementation, ID: p + "impl", Props: map[string]any{"status": "implemented"}},
			{Kind: graph.Assessment, ID: p + "assess", Props: map[string]any{"result": "passed"}},
			{Kind: graph.Evidence, ID: p + "ev", Props: map[string]any{"uri": "u"}},
		},
		Rels: []loaders.Rel{
			{Kind: graph.Satisfies, From: v1 + "/b", To: p + "prov", Props: map[string]any{"relationship": "subset-of"}},
			{Kind: graph.MapsTo, From: p + "x", To: v1 + "/c", Props: map[string]any{"relationship": "equal-to"}},
			{Kind: graph.Implements, From: p + "impl", To: v1 + "/b"}, {Kind: graph.On, From: p + "impl", To: p + "asset"},
			{Kind: graph.Assesses, From: p + "assess", To: p + "impl"}, {Kind: graph.Supports, From: p + "ev", To: p + "impl"},
		}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	nodesBefore := countNodes(t, s, p)
	rep, err := Analyse(context.Background(), s, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Counts
	if c["added"] != 1 || c["removed"] != 1 || c["withdrawn"] != 1 || c["changed"] != 2 || c["renamed"] != 1 || c["textChanged"] != 1 || c["unchanged"] != 0 {
		t.Errorf("counts %v; want 1 added (d), 1 removed (b), 1 withdrawn (c), 2 changed (a text, e title)", c)
	}
	if len(rep.Suspects) != 2 || len(rep.Reviews) != 1 {
		t.Fatalf("suspects %+v reviews %+v; want b's SATISFIES and x's mapping to c, and b's implementation", rep.Suspects, rep.Reviews)
	}
	for _, sp := range rep.Suspects {
		switch sp.Kind {
		case "SATISFIES":
			if sp.From != v1+"/b" || sp.Reason != "not in "+v2 {
				t.Errorf("suspect %+v", sp)
			}
		case "MAPS_TO":
			if sp.To != v1+"/c" || sp.Successor != v2+"/a" || !strings.HasPrefix(sp.Reason, "incorporated-into") {
				t.Errorf("suspect %+v; want the mapping to c with a as the suggested successor", sp)
			}
		}
	}
	if r := rep.Reviews[0]; r.Implementation != p+"impl" || r.Target != p+"asset" || r.Assessments != 1 || r.Evidence != 1 {
		t.Errorf("review %+v", r)
	}
	if countNodes(t, s, p) != nodesBefore {
		t.Error("the analysis changed the graph")
	}
	// Record the change: SUPERSEDES and two flagged links; then settle them. Each review shrinks
	// the report.
	if n, err := Flag(context.Background(), s, rep); err != nil || n != 2 {
		t.Fatalf("flagged %d, %v; want 2", n, err)
	}
	var mapping, satisfies Suspect
	for _, sp := range rep.Suspects {
		if sp.Kind == "MAPS_TO" {
			mapping = sp
		} else {
			satisfies = sp
		}
	}
	if _, err := ReviewLink(context.Background(), s, mapping.Link, Retarget, mapping.Successor, "R. Eviewer", "c went into a"); err != nil {
		t.Fatal(err)
	}
	if _, err := ReviewLink(context.Background(), s, mapping.Link, Confirm, "", "R. Eviewer", ""); err != ErrNotSuspect {
		t.Errorf("reviewing a settled link: %v, want ErrNotSuspect", err)
	}
	again, err := Analyse(context.Background(), s, v1, v2)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Suspects) != 1 || again.Suspects[0].Link != satisfies.Link {
		t.Errorf("after one review: suspects %+v; want only b's SATISFIES", again.Suspects)
	}
	rows := graphtest.Exec(t, s, "testdata/links.cypher", map[string]any{"from": p + "x"})
	if len(rows) != 2 || rows[0]["to"] != v1+"/c" || rows[0]["review"] != "retargeted" || rows[1]["to"] != v2+"/a" || rows[1]["review"] != "retargeted-from" {
		t.Errorf("x's mappings after the retarget: %v; want the old one kept and marked, a new one to a", rows)
	}
	if _, err := ReviewLink(context.Background(), s, satisfies.Link, Reject, "", "R. Eviewer", "b is gone"); err != nil {
		t.Fatal(err)
	}
	if final, _ := Analyse(context.Background(), s, v1, v2); len(final.Suspects) != 0 {
		t.Errorf("all reviewed, still suspects: %+v", final.Suspects)
	}
	if rows := graphtest.Exec(t, s, "testdata/supersedes.cypher", map[string]any{"from": v2, "to": v1}); rows[0]["n"].(int64) != 1 {
		t.Error("no SUPERSEDES from v2 to v1")
	}

	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(md.String(), "# Change impact: "+v1+" → "+v2+"\n\n| | count |") || !strings.Contains(md.String(), "| implementations to re-review | 1 |") {
		t.Errorf("markdown does not open with the summary table:\n%s", md.String())
	}
	var csvOut bytes.Buffer
	if err := rep.WriteCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(csvOut.String(), "\n"); lines != 1+5 {
		t.Errorf("csv has %d lines; want a header and 5 changes:\n%s", lines, csvOut.String())
	}
	if a := rep.Diff.Changed; len(a) > 0 && a[0].From.Key == "a" && a[0].TextDiff != "do the thing {+well+}" {
		t.Errorf("word diff %q", a[0].TextDiff)
	}
}

func countNodes(t *testing.T, s *graph.Store, prefix string) int {
	rows := graphtest.Exec(t, s, "testdata/count.cypher", map[string]any{"prefix": prefix})
	return int(rows[0]["n"].(int64))
}

func TestStatementsStartFromAnIndex(t *testing.T) {
	graphtest.Store(t)
	for name, params := range map[string]map[string]any{
		"version_items":   {"version": "v"},
		"version_lookup":  {"ids": []string{"x"}},
		"impact_attached": {"ids": []string{"x"}},
		"impact_flag":     {"from": "a", "to": "b", "links": []map[string]any{{"link": "l", "from": "x", "to": "y"}}, "now": "n"},
		"impact_review":   {"link": "x", "decision": "confirmed", "successor": "", "reviewer": "r", "notes": "", "now": "n"},
	} {
		for _, op := range graphtest.PlanLeaves(t, cypher.MustGet(name), params) {
			if !strings.Contains(op, "IndexSeek") && !strings.Contains(op, "ElementIdSeek") && op != "Argument" {
				t.Errorf("%s starts from %s", name, op)
			}
		}
	}
}

// TestMatchingThroughAMappingSet: the newer catalog renumbered everything; a mapping set between
// the versions matches old to new: moved (one to one), merged (two into one), split (one into
// two); unmapped old items are removed, unreached new ones added; the mapping's own links are not
// suspects, a link from elsewhere is.
func TestMatchingThroughAMappingSet(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "-"
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	old, cur := p+"old", p+"new"
	c := func(v, key string) loaders.Node {
		return loaders.Node{Kind: graph.Control, ID: v + "/" + key, Props: map[string]any{"standard": v, "title": key}}
	}
	m := func(from, to, rel string) loaders.Rel {
		return loaders.Rel{Kind: graph.MapsTo, From: from, To: to, Props: map[string]any{"relationship": rel}}
	}
	b := &loaders.Batch{Source: loaders.Source{Name: p + "src"},
		Nodes: []loaders.Node{
			{Kind: graph.Standard, ID: old, Props: map[string]any{"title": "old"}}, {Kind: graph.Standard, ID: cur, Props: map[string]any{"title": "new"}},
			c(old, "A1"), c(old, "A2"), c(old, "A3"), c(old, "A4"), c(old, "A5"),
			c(cur, "N1"), c(cur, "N2"), c(cur, "N3"), c(cur, "N4"), c(cur, "N9"),
			{Kind: graph.Control, ID: p + "iso", Props: map[string]any{"standard": p + "iso-std", "title": "ISO"}},
		},
		Rels: []loaders.Rel{
			m(old+"/A1", cur+"/N1", "equivalent-to"),                                   // moved
			m(old+"/A2", cur+"/N2", "subset-of"), m(old+"/A3", cur+"/N2", "subset-of"), // merged
			m(old+"/A4", cur+"/N3", "intersects-with"), m(cur+"/N4", old+"/A4", "subset-of"), // split; against the direction: superset-of
			m(p+"iso", old+"/A1", "equal-to"), // a link from another catalog: suspect
		}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	rep, err := Analyse(context.Background(), s, old, cur)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range rep.Diff.Mapped {
		var to []string
		for _, tg := range x.Targets {
			to = append(to, strings.TrimPrefix(tg.ID, cur+"/")+":"+tg.Relationship)
		}
		got[x.Item.Key] = x.How + " " + strings.Join(to, ",")
	}
	want := map[string]string{"A1": "moved N1:equivalent-to", "A2": "merged N2:subset-of", "A3": "merged N2:subset-of", "A4": "split N3:intersects-with,N4:superset-of"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if c := rep.Counts; c["mapped"] != 4 || c["removed"] != 1 || c["added"] != 1 || rep.Diff.Removed[0].Item.Key != "A5" || rep.Diff.Added[0].Key != "N9" {
		t.Errorf("counts %v, removed %v, added %v; want A5 removed and N9 added", c, rep.Diff.Removed, rep.Diff.Added)
	}
	if len(rep.Suspects) != 1 || rep.Suspects[0].From != p+"iso" || rep.Suspects[0].Successor != cur+"/N1" {
		t.Errorf("suspects %+v; want only the ISO mapping to A1, suggested N1", rep.Suspects)
	}
}
