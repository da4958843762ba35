package impact

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

var (
	stmtFlag   = cypher.MustGet("impact_flag")
	stmtReview = cypher.MustGet("impact_review")
)

// Flag records the report in the graph in one transaction: the newer version SUPERSEDES the older,
// and every suspect link is flagged with its reason and suggested successor (kept, not deleted).
// It returns how many links it flagged.
func Flag(ctx context.Context, s *graph.Store, r *Report) (int, error) {
	links := make([]map[string]any, len(r.Suspects))
	for i, sp := range r.Suspects {
		links[i] = map[string]any{"link": sp.Link, "from": sp.From, "to": sp.To, "reason": sp.Reason, "successor": sp.Successor, "item": sp.Item}
	}
	rows, err := s.Exec(ctx, stmtFlag, map[string]any{"from": r.Diff.From, "to": r.Diff.To, "links": links, "now": time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return 0, fmt.Errorf("impact: flag: %w", err)
	}
	if len(rows) == 0 {
		return 0, nil
	}
	return num(rows[0]["n"]), nil
}

// Decisions a reviewer can take on a suspect link.
const (
	Confirm  = "confirmed"
	Reject   = "rejected"
	Retarget = "retargeted"
)

// ErrNotSuspect is returned when the link is not (or no longer) a suspect, or a retarget's
// successor does not exist.
var ErrNotSuspect = errors.New("no suspect link with that id (already reviewed, never flagged, or the successor does not exist)")

// ReviewResult is the settled link.
type ReviewResult struct {
	Kind, From, To, Review string
}

// ReviewLink settles one suspect link in one transaction, recording who and when.
func ReviewLink(ctx context.Context, s *graph.Store, link, decision, successor, reviewer, notes string) (*ReviewResult, error) {
	rows, err := s.Exec(ctx, stmtReview, map[string]any{"link": link, "decision": decision, "successor": successor,
		"reviewer": reviewer, "notes": notes, "now": time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return nil, fmt.Errorf("impact: review: %w", err)
	}
	if len(rows) == 0 {
		return nil, ErrNotSuspect
	}
	return &ReviewResult{Kind: str(rows[0]["kind"]), From: str(rows[0]["from"]), To: str(rows[0]["to"]), Review: str(rows[0]["review"])}, nil
}
