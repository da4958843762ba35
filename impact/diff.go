// Package impact compares two versions of a catalog or baseline (`nist-800-53@rev4/baseline-high`
// against `nist-800-53@rev5/baseline-high`, or two catalogs) and finds what hangs off the items
// that changed: mappings, SATISFIES links, implementations, assessments and evidence.
package impact

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

var (
	stmtItems    = cypher.MustGet("version_items")
	stmtLookup   = cypher.MustGet("version_lookup")
	stmtAttached = cypher.MustGet("impact_attached")
	stmtMapped   = cypher.MustGet("version_mapped")
)

// Item is one control of a version.
type Item struct {
	ID               string   `json:"id"`
	Key              string   `json:"key"` // the id within its catalog, e.g. ac-2.1: what is matched across versions
	Title            string   `json:"title"`
	Text             string   `json:"-"`
	Level            string   `json:"level,omitempty"`
	Status           string   `json:"status,omitempty"`
	Params           []string `json:"-"`
	Catalog          string   `json:"catalog"`
	IncorporatedInto []string `json:"incorporatedInto,omitempty"`
	MovedTo          []string `json:"movedTo,omitempty"`
	Hash             string   `json:"-"`
}

// Withdrawal is an item the newer version withdrew, with where it went when the catalog says.
type Withdrawal struct {
	Item       Item     `json:"item"`
	How        string   `json:"how"` // incorporated-into, moved-to or withdrawn
	Successors []string `json:"successors,omitempty"`
}

// Mapped is an item of the older version that a version-to-version mapping set leads to items of
// the newer one (the ids differ): moved to one item, merged into one the others also map to, or
// split over several.
type Mapped struct {
	Item    Item     `json:"item"`
	How     string   `json:"how"` // moved, merged or split
	Targets []Target `json:"targets"`
}

// Target is where a mapped item went, with the mapping's relationship read from old to new.
type Target struct {
	ID           string `json:"id"`
	Relationship string `json:"relationship"`
}

// Removal is an item the newer version no longer holds; InCatalog tells a control dropped from a
// baseline but still in the newer catalog from one gone altogether.
type Removal struct {
	Item      Item `json:"item"`
	InCatalog bool `json:"inCatalog"`
}

// Change is an item in both versions that differs.
type Change struct {
	From     Item     `json:"from"`
	To       Item     `json:"to"`
	Fields   []string `json:"fields"`             // title, text, level, params
	TextDiff string   `json:"textDiff,omitempty"` // word-level: [-removed-] {+added+}
}

// Diff is what changed from one version to the next.
type Diff struct {
	From      string       `json:"from"`
	To        string       `json:"to"`
	Added     []Item       `json:"added"`
	Removed   []Removal    `json:"removed"`
	Withdrawn []Withdrawal `json:"withdrawn"`
	Changed   []Change     `json:"changed"`
	Mapped    []Mapped     `json:"mapped"`
	Unchanged int          `json:"unchanged"`

	newer map[string]bool // the newer version's item ids
}

// Compare reads both versions (three statements) and compares them item by item.
func Compare(ctx context.Context, s *graph.Store, from, to string) (*Diff, error) {
	old, err := items(ctx, s, from)
	if err != nil {
		return nil, fmt.Errorf("impact: %s: %w", from, err)
	}
	cur, err := items(ctx, s, to)
	if err != nil {
		return nil, fmt.Errorf("impact: %s: %w", to, err)
	}
	if len(old) == 0 || len(cur) == 0 {
		return nil, fmt.Errorf("impact: %s has %d items and %s has %d; both must be loaded catalogs or profiles", from, len(old), to, len(cur))
	}
	d := &Diff{From: from, To: to, Added: []Item{}, Removed: []Removal{}, Withdrawn: []Withdrawal{}, Changed: []Change{}, Mapped: []Mapped{}}
	newByKey := map[string]Item{}
	d.newer = map[string]bool{}
	for _, it := range cur {
		newByKey[it.Key] = it
		d.newer[it.ID] = true
	}
	oldKeys := map[string]bool{}
	var gone []Item
	for _, o := range old {
		oldKeys[o.Key] = true
		n, ok := newByKey[o.Key]
		switch {
		case !ok:
			gone = append(gone, o)
		case n.Status == "withdrawn" && o.Status != "withdrawn":
			d.Withdrawn = append(d.Withdrawn, withdrawalOf(o, n))
		default:
			if c, changed := compareItems(o, n); changed {
				d.Changed = append(d.Changed, c)
			} else {
				d.Unchanged++
			}
		}
	}
	// Items whose ids differ between the versions may be matched by a mapping set between them.
	gone, reached, err := mapAcross(ctx, s, d, gone, cur)
	if err != nil {
		return nil, err
	}
	for _, n := range cur {
		if !oldKeys[n.Key] && n.Status != "withdrawn" && !reached[n.ID] {
			d.Added = append(d.Added, n)
		}
	}
	// What became of the items the newer version does not hold: look them up in its catalog.
	catalog := mostCommonCatalog(cur)
	ids := make([]string, len(gone))
	for i, g := range gone {
		ids[i] = catalog + "/" + g.Key
	}
	found := map[string]Item{}
	if len(ids) > 0 {
		rows, err := s.Query(ctx, stmtLookup, map[string]any{"ids": ids})
		if err != nil {
			return nil, fmt.Errorf("impact: %w", err)
		}
		for _, r := range rows {
			it := itemOf(r["props"])
			found[it.Key] = it
		}
	}
	for _, g := range gone {
		n, ok := found[g.Key]
		switch {
		case ok && n.Status == "withdrawn":
			d.Withdrawn = append(d.Withdrawn, withdrawalOf(g, n))
		default:
			d.Removed = append(d.Removed, Removal{Item: g, InCatalog: ok})
		}
	}
	return d, nil
}

// mapAcross matches the items the newer version does not hold by id through MAPS_TO links to
// its items. It returns the items still unmatched and the newer items some older item maps to.
func mapAcross(ctx context.Context, s *graph.Store, d *Diff, gone, cur []Item) ([]Item, map[string]bool, error) {
	reached := map[string]bool{}
	if len(gone) == 0 {
		return gone, reached, nil
	}
	ids := make([]string, len(gone))
	for i, g := range gone {
		ids[i] = g.ID
	}
	newer := make([]string, len(cur))
	for i, c := range cur {
		newer[i] = c.ID
	}
	rows, err := s.Query(ctx, stmtMapped, map[string]any{"ids": ids, "newer": newer})
	if err != nil {
		return nil, nil, fmt.Errorf("impact: %w", err)
	}
	targets := map[string][]Target{}
	sources := map[string]int{} // how many older items map to a newer one
	seen := map[[2]string]bool{}
	for _, r := range rows {
		o, n := str(r["old"]), str(r["new"])
		if seen[[2]string{o, n}] {
			continue
		}
		seen[[2]string{o, n}] = true
		rel := str(r["relationship"])
		if fwd, _ := r["forward"].(bool); !fwd {
			rel = invert(rel)
		}
		targets[o] = append(targets[o], Target{ID: n, Relationship: rel})
		sources[n]++
		reached[n] = true
	}
	var left []Item
	for _, g := range gone {
		ts := targets[g.ID]
		if len(ts) == 0 {
			left = append(left, g)
			continue
		}
		how := "moved"
		switch {
		case len(ts) > 1:
			how = "split"
		case sources[ts[0].ID] > 1:
			how = "merged"
		}
		d.Mapped = append(d.Mapped, Mapped{Item: g, How: how, Targets: ts})
	}
	return left, reached, nil
}

// invert reads a mapping's relationship against its direction.
func invert(rel string) string {
	switch rel {
	case "subset-of":
		return "superset-of"
	case "superset-of":
		return "subset-of"
	}
	return rel
}

func withdrawalOf(old, n Item) Withdrawal {
	w := Withdrawal{Item: old, How: "withdrawn"}
	switch {
	case len(n.IncorporatedInto) > 0:
		w.How, w.Successors = "incorporated-into", n.IncorporatedInto
	case len(n.MovedTo) > 0:
		w.How, w.Successors = "moved-to", n.MovedTo
	}
	return w
}

func items(ctx context.Context, s *graph.Store, version string) ([]Item, error) {
	rows, err := s.Query(ctx, stmtItems, map[string]any{"version": version})
	if err != nil {
		return nil, err
	}
	out := make([]Item, len(rows))
	for i, r := range rows {
		out[i] = itemOf(r["props"])
	}
	return out, nil
}

func itemOf(v any) Item {
	p, _ := v.(map[string]any)
	str := func(k string) string {
		if s, ok := p[k].(string); ok {
			return s
		}
		return ""
	}
	list := func(k string) []string {
		var out []string
		if l, ok := p[k].([]any); ok {
			for _, x := range l {
				out = append(out, fmt.Sprint(x))
			}
		}
		return out
	}
	it := Item{ID: str("id"), Title: str("title"), Text: str("text"), Level: str("level"), Status: str("status"),
		Catalog: str("standard"), Params: list("params"), IncorporatedInto: list("incorporatedInto"), MovedTo: list("movedTo"), Hash: str("contentHash")}
	it.Key = strings.TrimPrefix(it.ID, it.Catalog+"/")
	return it
}

func mostCommonCatalog(items []Item) string {
	count := map[string]int{}
	best := ""
	for _, it := range items {
		count[it.Catalog]++
		if count[it.Catalog] > count[best] {
			best = it.Catalog
		}
	}
	return best
}

var (
	space       = regexp.MustCompile(`\s+`)
	paramFilled = regexp.MustCompile(`\[(Assignment|Selection)[^\]]*\]`)
)

// normalise makes texts comparable: white space folded, filled-in parameters reduced to a
// marker (parameters are compared on their own).
func normalise(s string) string {
	return strings.TrimSpace(space.ReplaceAllString(paramFilled.ReplaceAllString(s, "[parameter]"), " "))
}

func compareItems(o, n Item) (Change, bool) {
	c := Change{From: o, To: n}
	if normalise(o.Title) != normalise(n.Title) {
		c.Fields = append(c.Fields, "title")
	}
	if normalise(o.Text) != normalise(n.Text) {
		c.Fields = append(c.Fields, "text")
		c.TextDiff = WordDiff(normalise(o.Text), normalise(n.Text))
	}
	if o.Level != n.Level {
		c.Fields = append(c.Fields, "level")
	}
	if len(o.Params) != len(n.Params) {
		c.Fields = append(c.Fields, "params")
	}
	return c, len(c.Fields) > 0
}

// WordDiff marks the words removed from a and added in b: "the [-old-] {+new+} text".
func WordDiff(a, b string) string {
	x, y := strings.Fields(a), strings.Fields(b)
	if len(x)*len(y) > 4_000_000 { // guard the quadratic table on huge texts
		return "[-" + a + "-] {+" + b + "+}"
	}
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out, del, ins []string
	flush := func() {
		if len(del) > 0 {
			out = append(out, "[-"+strings.Join(del, " ")+"-]")
		}
		if len(ins) > 0 {
			out = append(out, "{+"+strings.Join(ins, " ")+"+}")
		}
		del, ins = nil, nil
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			flush()
			out = append(out, x[i])
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			ins = append(ins, y[j])
			j++
		default:
			del = append(del, x[i])
			i++
		}
	}
	flush()
	return strings.Join(out, " ")
}

// Counts summarises a diff.
func (d *Diff) Counts() map[string]int {
	renamed, text := 0, 0
	for _, c := range d.Changed {
		if slices.Contains(c.Fields, "title") {
			renamed++
		}
		if slices.Contains(c.Fields, "text") {
			text++
		}
	}
	return map[string]int{"added": len(d.Added), "removed": len(d.Removed), "withdrawn": len(d.Withdrawn),
		"changed": len(d.Changed), "renamed": renamed, "textChanged": text, "unchanged": d.Unchanged, "mapped": len(d.Mapped)}
}
