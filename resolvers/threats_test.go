package resolvers_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestThreats follows ATLAS techniques through the demo organisation, both ways.
func TestThreats(t *testing.T) {
	s := graphtest.Store(t)
	loadPack(t, s, true)
	c := newClient(s)
	var resp struct {
		Threat struct {
			Title string
			Risks []struct {
				ID      string
				Score   int
				Targets []struct{ ID string }
			}
			MitigatedBy []struct {
				Node            struct{ ID, Kind string }
				Implementations []struct{ ID, Status string }
			}
		}
	}
	c.MustPost(`{ threat(id: "atlas/AML.T0020") { title risks { id score targets { id } }
	  mitigatedBy { node { id kind } implementations { id status } } } }`, &resp)
	th := resp.Threat
	if len(th.Risks) != 1 || th.Risks[0].ID != "org/risk/pricing-poisoning" || th.Risks[0].Score != 12 || len(th.Risks[0].Targets) != 2 {
		t.Errorf("risks of Poison Training Data: %+v; want pricing-poisoning (3 x 4) on two data assets", th.Risks)
	}
	mit := map[string][]string{}
	for _, m := range th.MitigatedBy {
		var st []string
		for _, i := range m.Implementations {
			st = append(st, strings.TrimPrefix(i.ID, "org/impl/")+":"+i.Status)
		}
		slices.Sort(st)
		mit[m.Node.ID] = st
	}
	// The pack says AI.DATA.A2, A3 and A6 mitigate AML.T0020; the demo's implementations of them.
	if len(mit) != 3 || strings.Join(mit["aim@1.0/AI.DATA.A3"], " ") != "data-screening-credit:failed data-screening-pricing:implemented" ||
		strings.Join(mit["aim@1.0/AI.DATA.A2"], " ") != "data-integrity-featurestore:implemented" ||
		strings.Join(mit["aim@1.0/AI.DATA.A6"], " ") != "data-feedback-fraud:not-applicable" {
		t.Errorf("mitigated by %v", mit)
	}

	var rev struct {
		RisksTo []struct {
			ID     string
			Score  int
			Threat struct{ ID string }
		}
	}
	c.MustPost(`{ risksTo(target: "org/ai/life-pricing") { id score threat { id } } }`, &rev)
	var got []string
	for i, r := range rev.RisksTo {
		got = append(got, strings.TrimPrefix(r.ID, "org/risk/"))
		if i > 0 && r.Score > rev.RisksTo[i-1].Score {
			t.Errorf("not by score: %+v", rev.RisksTo)
		}
	}
	slices.Sort(got)
	// life-pricing -> pricing model -> training data (-> medical underwriting data), feature
	// store, registry; portal -> gateway.
	if strings.Join(got, " ") != "gateway-dos pricing-extraction pricing-poisoning registry-tampering underwriting-membership" {
		t.Errorf("risks to life pricing: %v", got)
	}
}
