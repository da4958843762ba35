package impact

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aimsgraph/aimsgraph/graph"
)

// Suspect is a mapping or SATISFIES link that points at an item that changed or went away: it
// stays in the graph and needs a reviewer's decision.
type Suspect struct {
	Link         string `json:"link"` // the relationship's element id, for reviewSuspect
	Item         string `json:"item"`
	Reason       string `json:"reason"`
	Kind         string `json:"kind"`
	From         string `json:"from"`
	To           string `json:"to"`
	Relationship string `json:"relationship,omitempty"`
	Source       string `json:"source,omitempty"`
	Successor    string `json:"suggestedSuccessor,omitempty"`
}

// Review is an implementation of an item that changed or went away: it, its assessments and its
// evidence need re-review.
type Review struct {
	Item           string `json:"item"`
	Reason         string `json:"reason"`
	Implementation string `json:"implementation"`
	Status         string `json:"status"`
	Target         string `json:"target"`
	Assessments    int    `json:"assessments"`
	Evidence       int    `json:"evidence"`
}

// SystemShift is an AI system whose coverage changes while the implementations to re-review do
// not count. The coverage engine lives with the API; the CLI fills this in through it.
type SystemShift struct {
	System     string           `json:"system"`
	Dependency []string         `json:"dependencyPath"`
	Changes    []CoverageChange `json:"changes"`
}

// CoverageChange is one provision's status before and after.
type CoverageChange struct {
	Provision string `json:"provision"`
	Ref       string `json:"ref,omitempty"`
	Before    string `json:"before"`
	After     string `json:"after"`
}

// Report is the diff and what hangs off it.
type Report struct {
	Diff        *Diff          `json:"diff"`
	Counts      map[string]int `json:"counts"`
	Suspects    []Suspect      `json:"suspects"`
	Reviews     []Review       `json:"reviews"`
	Systems     []SystemShift  `json:"systems,omitempty"`
	GeneratedAt string         `json:"generatedAt"`
	Took        string         `json:"took"`
}

// Analyse compares the versions and follows every changed, withdrawn or removed item of the older
// one to its mappings and implementations (four statements in all).
func Analyse(ctx context.Context, s *graph.Store, from, to string) (*Report, error) {
	start := time.Now()
	d, err := Compare(ctx, s, from, to)
	if err != nil {
		return nil, err
	}
	reasons := map[string]string{}
	successor := map[string]string{}
	for _, w := range d.Withdrawn {
		reasons[w.Item.ID] = w.How
		if len(w.Successors) > 0 {
			reasons[w.Item.ID] += " " + strings.Join(w.Successors, ", ")
			successor[w.Item.ID] = w.Successors[0]
		}
	}
	for _, r := range d.Removed {
		reasons[r.Item.ID] = map[bool]string{true: "dropped from " + to, false: "not in " + to}[r.InCatalog]
	}
	for _, c := range d.Changed {
		reasons[c.From.ID] = "changed: " + strings.Join(c.Fields, ", ")
		successor[c.From.ID] = c.To.ID
	}
	for _, m := range d.Mapped {
		reasons[m.Item.ID] = m.How + " to " + targetList(m.Targets)
		successor[m.Item.ID] = m.Targets[0].ID
	}
	ids := make([]string, 0, len(reasons))
	for id := range reasons {
		ids = append(ids, id)
	}
	rep := &Report{Diff: d, Counts: d.Counts(), Suspects: []Suspect{}, Reviews: []Review{}}
	if len(ids) > 0 {
		rows, err := s.Query(ctx, stmtAttached, map[string]any{"ids": ids})
		if err != nil {
			return nil, fmt.Errorf("impact: %w", err)
		}
		for _, row := range rows {
			id, _ := row["id"].(string)
			for _, l := range asList(row["links"]) {
				m := asMap(l)
				if d.newer[str(m["other"])] {
					continue // a link between the versions (the mapping set that matched them), not one to re-review
				}
				rep.Suspects = append(rep.Suspects, Suspect{Link: str(m["link"]), Item: id, Reason: reasons[id], Kind: str(m["kind"]), From: str(m["from"]), To: str(m["to"]),
					Relationship: str(m["relationship"]), Source: str(m["source"]), Successor: successor[id]})
			}
			for _, i := range asList(row["implementations"]) {
				m := asMap(i)
				rep.Reviews = append(rep.Reviews, Review{Item: id, Reason: reasons[id], Implementation: str(m["id"]), Status: str(m["status"]),
					Target: str(m["target"]), Assessments: num(m["assessments"]), Evidence: num(m["evidence"])})
			}
		}
	}
	slices.SortFunc(rep.Suspects, func(a, b Suspect) int { return strings.Compare(a.Item+" "+a.Link, b.Item+" "+b.Link) })
	slices.SortFunc(rep.Reviews, func(a, b Review) int {
		return strings.Compare(a.Item+" "+a.Implementation, b.Item+" "+b.Implementation)
	})
	rep.Counts["suspects"], rep.Counts["reviews"] = len(rep.Suspects), len(rep.Reviews)
	rep.GeneratedAt = time.Now().UTC().Format(time.RFC3339)
	rep.Took = time.Since(start).Round(time.Millisecond).String()
	return rep, nil
}

func asList(v any) []any { l, _ := v.([]any); return l }
func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
func num(v any) int { n, _ := v.(int64); return int(n) }

// WriteMarkdown writes the report a CISO can hand on: the summary table first, then each list,
// cut after maxRows rows when maxRows > 0 (JSON and CSV always carry everything).
func (r *Report) WriteMarkdown(w io.Writer, maxRows int) error {
	d, c := r.Diff, r.Counts
	fmt.Fprintf(w, "# Change impact: %s → %s\n\n| | count |\n| --- | ---: |\n", d.From, d.To)
	for _, row := range []struct{ k, label string }{
		{"added", "added"}, {"withdrawn", "withdrawn (with successor where the catalog names one)"},
		{"mapped", "moved, merged or split (through a mapping set between the versions)"}, {"removed", "removed"},
		{"changed", "changed"}, {"renamed", "… of which renamed"}, {"textChanged", "… of which text changed"}, {"unchanged", "unchanged"},
		{"suspects", "mappings and SATISFIES links to re-review"}, {"reviews", "implementations to re-review"},
		{"systems", "AI systems whose coverage changes meanwhile"},
	} {
		fmt.Fprintf(w, "| %s | %d |\n", row.label, c[row.k])
	}
	fmt.Fprintf(w, "\nGenerated %s in %s.\n", r.GeneratedAt, r.Took)

	var rows [][]string
	for _, v := range r.Reviews {
		rows = append(rows, []string{v.Item, v.Reason, v.Implementation, v.Status, v.Target, fmt.Sprint(v.Assessments), fmt.Sprint(v.Evidence)})
	}
	table(w, "Implementations to re-review", "", []string{"item", "reason", "implementation", "status", "target", "assessments", "evidence"}, rows, maxRows)
	rows = nil
	for _, sys := range r.Systems {
		for _, ch := range sys.Changes {
			rows = append(rows, []string{sys.System, strings.Join(sys.Dependency, " → "), ch.Ref + " " + ch.Provision, ch.Before, ch.After})
		}
	}
	table(w, "AI systems whose coverage changes until the implementations are re-reviewed", "", []string{"AI system", "through", "provision", "before", "after"}, rows, maxRows)
	rows = nil
	for _, v := range r.Suspects {
		rows = append(rows, []string{v.Link, v.Item, v.Reason, v.Kind + " " + v.From + " → " + v.To, v.Relationship, v.Source, v.Successor})
	}
	table(w, "Suspect links", "Settle each with `aimsgraph review <id> --decision confirm|reject|retarget`.",
		[]string{"id", "item", "reason", "link", "relationship", "source", "suggested successor"}, rows, maxRows)
	rows = nil
	for _, x := range d.Withdrawn {
		rows = append(rows, []string{x.Item.Key, x.Item.Title, x.How, strings.Join(x.Successors, ", ")})
	}
	table(w, "Withdrawn", "", []string{"item", "title", "how", "successors"}, rows, maxRows)
	rows = nil
	for _, x := range d.Mapped {
		rows = append(rows, []string{x.Item.Key, x.Item.Title, x.How, targetList(x.Targets)})
	}
	table(w, "Moved, merged or split", "", []string{"item", "title", "how", "to"}, rows, maxRows)
	rows = nil
	for _, x := range d.Removed {
		rows = append(rows, []string{x.Item.Key, x.Item.Title, fmt.Sprint(x.InCatalog)})
	}
	table(w, "Removed", "", []string{"item", "title", "still in the newer catalog"}, rows, maxRows)
	rows = nil
	for _, x := range d.Added {
		rows = append(rows, []string{x.Key, x.Title})
	}
	table(w, "Added", "", []string{"item", "title"}, rows, maxRows)
	rows = nil
	for _, x := range d.Changed {
		title := x.From.Title
		if x.From.Title != x.To.Title {
			title += " → " + x.To.Title
		}
		rows = append(rows, []string{x.From.Key, strings.Join(x.Fields, ", "), title})
	}
	table(w, "Changed", "", []string{"item", "fields", "title before → after"}, rows, maxRows)
	return nil
}

// table writes one section: a heading, an optional line, and the rows (at most maxRows when > 0).
func table(w io.Writer, title, intro string, header []string, rows [][]string, maxRows int) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "\n## %s\n\n", title)
	if intro != "" {
		fmt.Fprintf(w, "%s\n\n", intro)
	}
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	fmt.Fprintf(w, "| %s |\n| %s |\n", strings.Join(header, " | "), strings.Join(sep, " | "))
	for i, row := range rows {
		if maxRows > 0 && i >= maxRows {
			fmt.Fprintf(w, "\n… and %d more (`--format json` or `csv` lists all).\n", len(rows)-maxRows)
			break
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
}

func targetList(ts []Target) string {
	var to []string
	for _, t := range ts {
		to = append(to, t.ID+" ("+t.Relationship+")")
	}
	return strings.Join(to, ", ")
}

// WriteJSON writes the whole report.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteCSV writes one row per change of the diff.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"change", "item", "title", "detail"})
	for _, x := range r.Diff.Added {
		_ = cw.Write([]string{"added", x.Key, x.Title, ""})
	}
	for _, x := range r.Diff.Withdrawn {
		_ = cw.Write([]string{"withdrawn", x.Item.Key, x.Item.Title, strings.TrimSpace(x.How + " " + strings.Join(x.Successors, " "))})
	}
	for _, x := range r.Diff.Mapped {
		_ = cw.Write([]string{x.How, x.Item.Key, x.Item.Title, targetList(x.Targets)})
	}
	for _, x := range r.Diff.Removed {
		_ = cw.Write([]string{"removed", x.Item.Key, x.Item.Title, map[bool]string{true: "still in the newer catalog", false: ""}[x.InCatalog]})
	}
	for _, x := range r.Diff.Changed {
		_ = cw.Write([]string{"changed", x.From.Key, x.To.Title, strings.Join(x.Fields, " ")})
	}
	cw.Flush()
	return cw.Error()
}
