package resolvers_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestListsAndSearch runs the lookups, the filtered connections and search on the bundled
// content, whose numbers are known from its files.
func TestListsAndSearch(t *testing.T) {
	s := graphtest.Store(t)
	loadPack(t, s, true)
	c := newClient(s)

	var sys struct {
		AiSystems struct {
			TotalCount int
			Edges      []struct {
				Node struct{ ID, RiskClass, Role string }
			}
		}
	}
	c.MustPost(`{ aiSystems(riskClass: "high", first: 10) { totalCount edges { node { id riskClass role } } } }`, &sys)
	var high []string
	for _, e := range sys.AiSystems.Edges {
		high = append(high, e.Node.ID)
	}
	if sys.AiSystems.TotalCount != 3 || strings.Join(high, " ") != "org/ai/credit-check org/ai/cv-screening org/ai/life-pricing" {
		t.Errorf("high-risk systems %v (total %d); the demo has credit-check, cv-screening, life-pricing", high, sys.AiSystems.TotalCount)
	}

	// Walk the AI modules' H requirements two at a time: the pages join up to the total.
	var ids []string
	after := ""
	for range 5 {
		var page struct {
			Controls struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node struct{ ID, Level string } }
			}
		}
		c.MustPost(`query($a: String) { controls(standard: "aim@1.0", level: "H", first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id level } } } }`, &page, client.Var("a", after))
		for _, e := range page.Controls.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !page.Controls.PageInfo.HasNextPage {
			if page.Controls.TotalCount != len(ids) {
				t.Errorf("walked %d, totalCount %d", len(ids), page.Controls.TotalCount)
			}
			break
		}
		after = page.Controls.PageInfo.EndCursor
	}
	if strings.Join(ids, " ") != "aim@1.0/AI.DATA.A8 aim@1.0/AI.GOV.A8 aim@1.0/AI.MODEL.A10 aim@1.0/AI.PLAT.A7" {
		t.Errorf("H requirements %v", ids)
	}

	var provs struct {
		Provisions struct {
			TotalCount int
		}
	}
	c.MustPost(`{ provisions(under: "eu-2024-1689/art-15", level: "subparagraph") { totalCount } }`, &provs)
	if provs.Provisions.TotalCount != 6 {
		t.Errorf("%d subparagraphs under Art. 15; the pack names 6", provs.Provisions.TotalCount)
	}

	var found struct {
		Search []struct {
			Score float64
			Node  struct {
				ID       string
				Typename string `json:"__typename"`
			}
		}
	}
	c.MustPost(`{ search(text: "poisoned", first: 5) { score node { __typename id } } }`, &found)
	hit := map[string]string{}
	for _, h := range found.Search {
		hit[h.Node.ID] = h.Node.Typename
	}
	// "Publish Poisoned Datasets" (title) and the screening requirement (text) both match.
	if hit["atlas/AML.T0019"] == "" || hit["aim@1.0/AI.DATA.A3"] != "Control" {
		t.Errorf("search for poisoned: %+v; want the ATLAS technique and the AI.DATA screening requirement", found.Search)
	}
	for i := 1; i < len(found.Search); i++ {
		if found.Search[i].Score > found.Search[i-1].Score {
			t.Errorf("hits not ranked: %+v", found.Search)
		}
	}
	var resp struct{}
	if err := c.Post(`{ search(text: "AND OR (") { score } }`, &resp); err == nil || !strings.Contains(err.Error(), "not valid query syntax") {
		t.Errorf("broken query syntax: %v", err)
	}
	var one struct {
		AiSystem struct{ Title string }
		Asset    struct{ Type string }
	}
	c.MustPost(`{ aiSystem(id: "org/ai/life-pricing") { title } asset(id: "org/platform/ml-platform") { type } }`, &one)
	if one.AiSystem.Title != "Life and health risk pricing" || one.Asset.Type != "platform" {
		t.Errorf("lookups: %+v", one)
	}
}
