package impact

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/loaders"
	"github.com/aimsgraph/aimsgraph/loaders/ciso"
	"github.com/aimsgraph/aimsgraph/loaders/loadertest"
	"github.com/aimsgraph/aimsgraph/loaders/oscal"
)

func profileIDs(t *testing.T, path string) map[string]bool {
	out := map[string]bool{}
	for _, id := range loadertest.ProfileIDs(t, path) {
		out[id] = true
	}
	return out
}

var enhancement = regexp.MustCompile(`^([a-z]{2}-\d+)\((\d+)\)$`)

// rev5Withdrawn reads the full rev5 catalog (CISO Assistant) for the controls it marks withdrawn.
func rev5Catalog(t *testing.T, path string) (all, withdrawn map[string]bool) {
	var doc struct {
		Objects struct {
			Framework struct {
				Nodes []struct {
					URN         string `yaml:"urn"`
					Description string `yaml:"description"`
				} `yaml:"requirement_nodes"`
			} `yaml:"framework"`
		} `yaml:"objects"`
	}
	if err := yaml.Unmarshal(loadertest.Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	all, withdrawn = map[string]bool{}, map[string]bool{}
	for _, n := range doc.Objects.Framework.Nodes {
		key := enhancement.ReplaceAllString(n.URN[strings.LastIndex(n.URN, ":")+1:], "$1.$2")
		all[key] = true
		if strings.HasPrefix(n.Description, "[Withdrawn") {
			withdrawn[key] = true
		}
	}
	return all, withdrawn
}

// TestNISTHighBaselineRev4ToRev5 compares the HIGH baselines and checks every count against what
// the OSCAL profiles and the rev5 catalog say themselves.
func TestNISTHighBaselineRev4ToRev5(t *testing.T) {
	rev4Cat := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_catalog-min.json")
	rev4High := loadertest.Data(t, "nist-oscal/sp800-53-rev4/NIST_SP-800-53_rev4_HIGH-baseline_profile.json")
	rev5Cat := loadertest.Data(t, "nist-oscal/sp800-53-rev5/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json")
	rev5High := loadertest.Data(t, "nist-oscal/sp800-53-rev5/NIST_SP-800-53_rev5_HIGH-baseline_profile.json")
	rev5Full := loadertest.Data(t, "ciso-assistant/nist-sp-800-53-rev5.yaml")

	s := graphtest.Store(t)
	for _, p := range []string{"nist-800-53@", "run/oscal:nist", "run/oscal-profile:nist", "run/ciso:nist"} {
		graphtest.Cleanup(t, s, p)
	}
	batches, err := oscal.Load([]string{rev4Cat, rev4High, rev5Cat, rev5High}, "")
	if err != nil {
		t.Fatal(err)
	}
	full, err := ciso.Load(rev5Full, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loaders.Write(context.Background(), s, loaders.Options{}, append(batches, full)...); err != nil {
		t.Fatal(err)
	}
	d, err := Compare(context.Background(), s, "nist-800-53@rev4/baseline-high", "nist-800-53@rev5/baseline-high")
	if err != nil {
		t.Fatal(err)
	}

	r4, r5 := profileIDs(t, rev4High), profileIDs(t, rev5High)
	all5, withdrawn5 := rev5Catalog(t, rev5Full)
	var added, withdrawn, removed, inBoth int
	for id := range r5 {
		if !r4[id] {
			added++
		}
	}
	for id := range r4 {
		switch {
		case r5[id]:
			inBoth++
		case withdrawn5[id]:
			withdrawn++
		default:
			removed++
		}
	}
	c := d.Counts()
	if c["added"] != added || c["withdrawn"] != withdrawn || c["removed"] != removed || c["changed"]+c["unchanged"] != inBoth {
		t.Errorf("diff %v; the files say added %d, withdrawn %d, removed %d, in both %d", c, added, withdrawn, removed, inBoth)
	}
	if c["changed"] == 0 || c["renamed"] == 0 {
		t.Errorf("no control changed between rev4 and rev5: %v", c)
	}
	for _, r := range d.Removed {
		if r.InCatalog != all5[r.Item.Key] {
			t.Errorf("%s: inCatalog %v, the rev5 catalog says %v", r.Item.Key, r.InCatalog, all5[r.Item.Key])
		}
	}
	// A known case: IA-5(11) of rev4's HIGH baseline went into IA-2(1) and IA-2(2) in rev5.
	found := false
	for _, w := range d.Withdrawn {
		if w.Item.Key == "ia-5.11" {
			found = true
			if w.How != "incorporated-into" || strings.Join(w.Successors, " ") != "nist-800-53@rev5/ia-2.1 nist-800-53@rev5/ia-2.2" {
				t.Errorf("ia-5.11: %+v", w)
			}
		}
	}
	if !found {
		t.Error("ia-5.11 is not among the withdrawn")
	}
	t.Logf("rev4 HIGH -> rev5 HIGH: %v", c)
}
