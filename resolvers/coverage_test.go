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

// orgGraph builds an organisation small enough to reason about:
//
//	reg/art-15 has par-1 and par-2; reg/art-9 has no parts.
//	X SATISFIES par-1 equal-to, Y SATISFIES par-1 subset-of, Z SATISFIES par-2 equal-to, W SATISFIES art-9 equal-to.
//	S (high, provider) -> M -> PL;  S2 (high, provider) -> PL;  S3 (minimal) -> PL.
//	iX: X on S, implemented, valid evidence.   iY: Y on M, implemented, expired evidence.
//	iZ: Z on PL, implemented, valid evidence.  iW: W on S, failed.
//	Risk K threatens PL, mitigated by Z.  PL DEPENDS_ON M too: a cycle M -> PL -> M.
func orgGraph(t *testing.T, s *graph.Store) string {
	p := graphtest.Prefix(t) + "/"
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	n := func(kind graph.NodeKind, id string, props map[string]any) loaders.Node {
		if props == nil {
			props = map[string]any{}
		}
		props["title"] = id
		return loaders.Node{Kind: kind, ID: p + id, Props: props}
	}
	r := func(kind graph.RelKind, from, to string, props map[string]any) loaders.Rel {
		return loaders.Rel{Kind: kind, From: p + from, To: p + to, Props: props}
	}
	reg := map[string]any{"regulation": p + "reg"}
	eq, sub := map[string]any{"relationship": "equal-to"}, map[string]any{"relationship": "subset-of"}
	b := &loaders.Batch{Source: loaders.Source{Name: p + "org"},
		Nodes: []loaders.Node{
			n(graph.Regulation, "reg", nil), n(graph.Provision, "reg/art-15", reg), n(graph.Provision, "reg/art-15/par-1", map[string]any{"regulation": p + "reg", "order": 1}),
			n(graph.Provision, "reg/art-15/par-2", map[string]any{"regulation": p + "reg", "order": 2}), n(graph.Provision, "reg/art-9", map[string]any{"regulation": p + "reg", "order": 0}),
			n(graph.Control, "X", nil), n(graph.Control, "Y", nil), n(graph.Control, "Z", nil), n(graph.Control, "W", nil),
			n(graph.AISystem, "S", map[string]any{"riskClass": "high", "role": "provider"}),
			n(graph.AISystem, "S2", map[string]any{"riskClass": "high", "role": "provider"}),
			n(graph.AISystem, "S3", map[string]any{"riskClass": "minimal", "role": "provider"}),
			n(graph.Asset, "M", map[string]any{"type": "model"}), n(graph.Asset, "PL", map[string]any{"type": "platform"}),
			n(graph.Implementation, "iX", map[string]any{"status": "implemented"}), n(graph.Implementation, "iY", map[string]any{"status": "implemented"}),
			n(graph.Implementation, "iZ", map[string]any{"status": "implemented"}), n(graph.Implementation, "iW", map[string]any{"status": "failed"}),
			n(graph.Evidence, "eX", map[string]any{"validUntil": "2099-01-01"}), n(graph.Evidence, "eY", map[string]any{"validUntil": "2000-01-01"}),
			n(graph.Evidence, "eZ", map[string]any{"validUntil": "2099-01-01"}),
			n(graph.Risk, "K", map[string]any{"score": 12}),
		},
		Rels: []loaders.Rel{
			r(graph.PartOf, "reg/art-15", "reg", nil), r(graph.PartOf, "reg/art-9", "reg", nil),
			r(graph.PartOf, "reg/art-15/par-1", "reg/art-15", nil), r(graph.PartOf, "reg/art-15/par-2", "reg/art-15", nil),
			r(graph.Satisfies, "X", "reg/art-15/par-1", eq), r(graph.Satisfies, "Y", "reg/art-15/par-1", sub),
			r(graph.Satisfies, "Z", "reg/art-15/par-2", eq), r(graph.Satisfies, "W", "reg/art-9", eq),
			r(graph.DependsOn, "S", "M", nil), r(graph.DependsOn, "M", "PL", nil), r(graph.DependsOn, "PL", "M", nil), r(graph.DependsOn, "S2", "PL", nil), r(graph.DependsOn, "S3", "PL", nil),
			r(graph.Implements, "iX", "X", nil), r(graph.On, "iX", "S", nil), r(graph.Implements, "iY", "Y", nil), r(graph.On, "iY", "M", nil),
			r(graph.Implements, "iZ", "Z", nil), r(graph.On, "iZ", "PL", nil), r(graph.Implements, "iW", "W", nil), r(graph.On, "iW", "S", nil),
			r(graph.Supports, "eX", "iX", nil), r(graph.Supports, "eY", "iY", nil), r(graph.Supports, "eZ", "iZ", nil),
			r(graph.Mitigates, "Z", "K", nil), r(graph.Threatens, "K", "PL", nil),
		}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCoverage(t *testing.T) {
	s := graphtest.Store(t)
	p := orgGraph(t, s)
	c := newClient(s)
	cov := func(system string) string {
		var resp struct {
			AiSystem struct {
				Coverage []struct {
					Provision struct{ ID string }
					Status    string
				}
			}
		}
		c.MustPost(`query($s: ID!, $r: ID!) { aiSystem(id: $s) { coverage(regulation: $r) { provision { id } status } } }`, &resp,
			client.Var("s", p+system), client.Var("r", p+"reg"))
		var out []string
		for _, x := range resp.AiSystem.Coverage {
			out = append(out, strings.TrimPrefix(x.Provision.ID, p+"reg/")+"="+x.Status)
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ system, want string }{
		// W failed on S; X covers par-1 but Y's evidence expired; Z covers par-2 from the platform.
		{"S", "art-9=FAILED art-15/par-1=PARTIALLY_COVERED art-15/par-2=COVERED"},
		// S2 reaches the platform and, through the cycle, M: Y (on M) applies but its evidence
		// expired; W and X are not applied to it.
		{"S2", "art-9=NOT_COVERED art-15/par-1=NOT_COVERED art-15/par-2=COVERED"},
		// Minimal risk: Art. 4 applies, which this graph does not hold.
		{"S3", ""},
	}
	for _, tt := range tests {
		if got := cov(tt.system); got != tt.want {
			t.Errorf("coverage of %s: %s; want %s", tt.system, got, tt.want)
		}
	}

	// As of 1999-12-31 Y's evidence (valid until 2000-01-01) had not expired: Y covered par-1 too.
	var resp struct {
		AiSystem struct {
			Coverage []struct {
				Provision struct{ ID string }
				Status    string
			}
		}
	}
	c.MustPost(`query($s: ID!, $r: ID!) { aiSystem(id: $s) { coverage(regulation: $r, asOf: "1999-12-31") { provision { id } status } } }`, &resp,
		client.Var("s", p+"S"), client.Var("r", p+"reg"))
	var asOf []string
	for _, x := range resp.AiSystem.Coverage {
		asOf = append(asOf, strings.TrimPrefix(x.Provision.ID, p+"reg/")+"="+x.Status)
	}
	if strings.Join(asOf, " ") != "art-9=FAILED art-15/par-1=COVERED art-15/par-2=COVERED" {
		t.Errorf("as of 1999-12-31: %v", asOf)
	}
}

func TestControlFailureImpact(t *testing.T) {
	s := graphtest.Store(t)
	p := orgGraph(t, s)
	c := newClient(s)
	var resp struct {
		ControlFailureImpact struct {
			Implementations []struct{ ID string }
			Affected        []struct {
				AiSystem       struct{ ID string }
				DependencyPath struct{ Nodes []struct{ ID string } }
				Provisions     []struct {
					Provision     struct{ ID string }
					Before, After string
				}
			}
			Risks []struct {
				ID      string
				Score   int
				Targets []struct{ ID string }
			}
		}
	}
	c.MustPost(`query($c: ID!, $r: ID!) { controlFailureImpact(control: $c, regulation: $r) {
	  implementations { id } affected { aiSystem { id } dependencyPath { nodes { id } } provisions { provision { id } before after } }
	  risks { id score targets { id } } } }`, &resp, client.Var("c", p+"Z"), client.Var("r", p+"reg"))
	got := resp.ControlFailureImpact
	var summary []string
	for _, a := range got.Affected {
		var walk []string
		for _, n := range a.DependencyPath.Nodes {
			walk = append(walk, strings.TrimPrefix(n.ID, p))
		}
		line := strings.TrimPrefix(a.AiSystem.ID, p) + "[" + strings.Join(walk, ">") + "]"
		for _, ch := range a.Provisions {
			line += " " + strings.TrimPrefix(ch.Provision.ID, p+"reg/") + ":" + ch.Before + "->" + ch.After
		}
		summary = append(summary, line)
	}
	want := "S[S>M>PL] art-15/par-2:COVERED->FAILED|S2[S2>PL] art-15/par-2:COVERED->FAILED|S3[S3>PL]"
	if strings.Join(summary, "|") != want {
		t.Errorf("affected:\n%s\nwant\n%s", strings.Join(summary, "|"), want)
	}
	if len(got.Implementations) != 1 || got.Implementations[0].ID != p+"iZ" {
		t.Errorf("implementations %v; want iZ", got.Implementations)
	}
	if len(got.Risks) != 1 || got.Risks[0].ID != p+"K" || got.Risks[0].Score != 12 || len(got.Risks[0].Targets) != 1 || got.Risks[0].Targets[0].ID != p+"PL" {
		t.Errorf("risks %+v; want K (12) threatening PL", got.Risks)
	}

	// Restricted to a target the control is not implemented on: nothing is reached.
	c.MustPost(`query($c: ID!, $t: ID, $r: ID!) { controlFailureImpact(control: $c, target: $t, regulation: $r) {
	  implementations { id } affected { aiSystem { id } dependencyPath { nodes { id } } provisions { provision { id } before after } }
	  risks { id score targets { id } } } }`, &resp, client.Var("c", p+"Z"), client.Var("t", p+"M"), client.Var("r", p+"reg"))
	if len(resp.ControlFailureImpact.Implementations) != 0 || len(resp.ControlFailureImpact.Affected) != 0 {
		t.Errorf("on M: %+v; want no implementation and no system", resp.ControlFailureImpact)
	}
}

func TestTrace(t *testing.T) {
	s := graphtest.Store(t)
	p := orgGraph(t, s)
	c := newClient(s)
	var resp struct {
		Trace []struct {
			Provision      struct{ ID string }
			Control        struct{ ID string }
			Relationship   string
			Implementation struct{ ID, Status string }
			DependencyPath struct{ Nodes []struct{ ID string } }
			Evidence       []struct {
				ID      string
				Expired bool
			}
		}
	}
	c.MustPost(`query($p: ID!, $s: ID!) { trace(provision: $p, aiSystem: $s) { provision { id } control { id } relationship
	  implementation { id status } dependencyPath { nodes { id } } evidence { id expired } } }`, &resp,
		client.Var("p", p+"reg/art-15"), client.Var("s", p+"S"))
	var got []string
	for _, st := range resp.Trace {
		line := strings.TrimPrefix(st.Provision.ID, p+"reg/") + " " + strings.TrimPrefix(st.Control.ID, p) + " " + st.Relationship + " " +
			strings.TrimPrefix(st.Implementation.ID, p) + " on"
		for _, n := range st.DependencyPath.Nodes {
			line += " " + strings.TrimPrefix(n.ID, p)
		}
		for _, e := range st.Evidence {
			line += " " + strings.TrimPrefix(e.ID, p)
			if e.Expired {
				line += "(expired)"
			}
		}
		got = append(got, line)
	}
	want := []string{
		"art-15/par-1 X EQUAL_TO iX on S eX",
		"art-15/par-1 Y SUBSET_OF iY on S M eY(expired)",
		"art-15/par-2 Z EQUAL_TO iZ on S M PL eZ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("trace:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCoverageThroughAParagraph: with the official text loaded, the finest provisions are points;
// a control that satisfies their paragraph reaches each point (equal-to the paragraph: superset of
// the point; subset-of it: only an intersection).
func TestCoverageThroughAParagraph(t *testing.T) {
	s := graphtest.Store(t)
	p := graphtest.Prefix(t) + "/"
	graphtest.Cleanup(t, s, p)
	graphtest.Cleanup(t, s, "run/"+p)
	reg := map[string]any{"regulation": p + "reg"}
	n := func(kind graph.NodeKind, id string, props map[string]any) loaders.Node {
		if props == nil {
			props = map[string]any{}
		}
		return loaders.Node{Kind: kind, ID: p + id, Props: props}
	}
	r := func(kind graph.RelKind, from, to string, props map[string]any) loaders.Rel {
		return loaders.Rel{Kind: kind, From: p + from, To: p + to, Props: props}
	}
	b := &loaders.Batch{Source: loaders.Source{Name: p + "src"},
		Nodes: []loaders.Node{n(graph.Regulation, "reg", nil), n(graph.Provision, "reg/art-9", reg), n(graph.Provision, "reg/art-9/par-2", reg),
			n(graph.Provision, "reg/art-9/par-2/pt-a", reg), n(graph.Provision, "reg/art-9/par-2/pt-b", reg),
			n(graph.Control, "K", map[string]any{"standard": p + "k"}), n(graph.Control, "L", map[string]any{"standard": p + "l"}),
			n(graph.AISystem, "S", map[string]any{"riskClass": "high", "role": "provider"}),
			n(graph.Implementation, "iK", map[string]any{"status": "implemented"}), n(graph.Implementation, "iL", map[string]any{"status": "implemented"}),
			n(graph.Evidence, "eK", map[string]any{"validUntil": "2099-01-01"}), n(graph.Evidence, "eL", map[string]any{"validUntil": "2099-01-01"})},
		Rels: []loaders.Rel{r(graph.PartOf, "reg/art-9", "reg", nil), r(graph.PartOf, "reg/art-9/par-2", "reg/art-9", nil),
			r(graph.PartOf, "reg/art-9/par-2/pt-a", "reg/art-9/par-2", nil), r(graph.PartOf, "reg/art-9/par-2/pt-b", "reg/art-9/par-2", nil),
			r(graph.Satisfies, "K", "reg/art-9/par-2", map[string]any{"relationship": "equal-to"}),
			r(graph.Satisfies, "L", "reg/art-9/par-2/pt-b", map[string]any{"relationship": "subset-of"}),
			r(graph.Implements, "iK", "K", nil), r(graph.On, "iK", "S", nil), r(graph.Supports, "eK", "iK", nil),
			r(graph.Implements, "iL", "L", nil), r(graph.On, "iL", "S", nil), r(graph.Supports, "eL", "iL", nil)}}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, b); err != nil {
		t.Fatal(err)
	}
	c := newClient(s)
	var resp struct {
		AiSystem struct {
			Coverage []struct {
				Provision struct{ ID string }
				Status    string
				Controls  []struct {
					Control      struct{ ID string }
					Relationship string
					Path         struct{ Nodes []struct{ ID string } }
				}
			}
		}
	}
	c.MustPost(`query($s: ID!, $r: ID!) { aiSystem(id: $s) { coverage(regulation: $r) { provision { id } status controls { control { id } relationship path { nodes { id } } } } } }`,
		&resp, client.Var("s", p+"S"), client.Var("r", p+"reg"))
	var got []string
	for _, x := range resp.AiSystem.Coverage {
		line := strings.TrimPrefix(x.Provision.ID, p+"reg/") + "=" + x.Status
		for _, ct := range x.Controls {
			var walk []string
			for _, nd := range ct.Path.Nodes {
				walk = append(walk, strings.TrimPrefix(nd.ID, p))
			}
			line += " " + strings.TrimPrefix(ct.Control.ID, p) + ":" + ct.Relationship + "[" + strings.Join(walk, ">") + "]"
		}
		got = append(got, line)
	}
	want := []string{
		"art-9/par-2/pt-a=COVERED K:SUPERSET_OF[K>reg/art-9/par-2>reg/art-9/par-2/pt-a]",
		// Shortest path first.
		"art-9/par-2/pt-b=COVERED L:SUBSET_OF[L>reg/art-9/par-2/pt-b] K:SUPERSET_OF[K>reg/art-9/par-2>reg/art-9/par-2/pt-b]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coverage:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var gaps struct{ Gaps []struct{ ID string } }
	c.MustPost(`query($r: ID!, $s: [ID!]!) { gaps(regulation: $r, standards: $s) { id } }`, &gaps, client.Var("r", p+"reg"), client.Var("s", []string{p + "l"}))
	if len(gaps.Gaps) != 1 || gaps.Gaps[0].ID != p+"reg/art-9/par-2/pt-a" {
		t.Errorf("gaps with L alone: %v; want point a", gaps.Gaps)
	}
}
