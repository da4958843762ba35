package resolvers

import (
	"context"
	"errors"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/resolvers/model"
)

var (
	stmtAISystemByID    = cypher.MustGet("ai_system_by_id")
	stmtAssetByID       = cypher.MustGet("asset_by_id")
	stmtAISystemsPage   = cypher.MustGet("ai_systems_page")
	stmtAISystemsCount  = cypher.MustGet("ai_systems_count")
	stmtControlsPage    = cypher.MustGet("controls_page")
	stmtControlsCount   = cypher.MustGet("controls_count")
	stmtProvisionsPage  = cypher.MustGet("provisions_page")
	stmtProvisionsCount = cypher.MustGet("provisions_count")
	stmtSearch          = cypher.MustGet("search")
)

const maxSearchHits = 100

func aiSystemOf(p props) *model.AISystem {
	return &model.AISystem{ID: p.str("id"), Title: p.opt("title"), Description: p.opt("text"),
		RiskClass: p.opt("riskClass"), Role: p.opt("role"), Owner: p.opt("owner")}
}

func assetOf(p props) *model.Asset {
	return &model.Asset{ID: p.str("id"), Title: p.opt("title"), Description: p.opt("text"), Type: p.opt("type"), Owner: p.opt("owner")}
}

// search runs the full-text index; the query text goes to Lucene as a parameter, and a text the
// parser rejects is the caller's error, not the server's.
func (r *Resolver) search(ctx context.Context, text string, first *int) ([]*model.SearchHit, error) {
	n := 20
	if first != nil {
		if *first < 1 || *first > maxSearchHits {
			return nil, badInput("first must be between 1 and %d, got %d", maxSearchHits, *first)
		}
		n = *first
	}
	if len(text) == 0 || len(text) > 500 {
		return nil, badInput("text must be 1 to 500 characters")
	}
	rows, err := r.read(ctx, stmtSearch, map[string]any{"text": text, "limit": n})
	if err != nil {
		if isLuceneSyntax(err) {
			return nil, badInput("search text is not valid query syntax: %s", text)
		}
		return nil, err
	}
	hits := make([]*model.SearchHit, 0, len(rows))
	for _, row := range rows {
		kind, _ := row["kind"].(string)
		score, _ := row["score"].(float64)
		hits = append(hits, &model.SearchHit{Node: nodeOf(kind, propsOf(row["props"])), Score: score})
	}
	return hits, nil
}

// isLuceneSyntax tells a full-text query the Lucene parser rejected (a client error).
func isLuceneSyntax(err error) bool {
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) {
		return strings.Contains(ne.Msg, "ParseException") || strings.Contains(ne.Msg, "Cannot parse") || strings.Contains(ne.Msg, "Lexical error")
	}
	return false
}
