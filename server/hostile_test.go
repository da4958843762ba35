package server_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// countAll counts the graph's nodes and relationships apart from the audit trail, and the audit
// records apart.
var countAll = cypher.Statement{Name: "test_count_all", Text: `
MATCH (n) WHERE NOT n:AuditRecord AND NOT n:AuditLog
WITH count(n) AS n
RETURN n, COUNT { ()-[]->() } AS r, COUNT { (:AuditRecord) } AS audit`}

// graphCounts returns the node and relationship counts of the graph without the audit trail.
func graphCounts(t *testing.T, s *graph.Store) [2]int64 {
	t.Helper()
	c := allCounts(t, s)
	return [2]int64{c[0], c[1]}
}

// allCounts returns nodes and relationships without the audit trail, and audit records.
func allCounts(t *testing.T, s *graph.Store) [3]int64 {
	t.Helper()
	rows, err := s.Query(context.Background(), countAll, nil)
	if err != nil {
		t.Fatal(err)
	}
	return [3]int64{rows[0]["n"].(int64), rows[0]["r"].(int64), rows[0]["audit"].(int64)}
}

// TestHostileInput sends what an attacker or a broken client would: each gets a clear 4xx or a
// GraphQL error, the graph's node and relationship counts stay the same, and the service stays up.
func TestHostileInput(t *testing.T) {
	s := graphtest.Store(t)
	base, _ := startServer(t, graphtest.Options())
	waitFor(t, "ready", time.Minute, func() bool { return ready(t, base) })
	before := allCounts(t, s)
	aliases := make([]string, 6000)
	for i := range aliases {
		aliases[i] = "a" + strconv.Itoa(i) + `: node(id: \"x\") { id }`
	}
	tests := []struct {
		name, contentType, body string
		wantStatus              []int
		wantInBody              string
	}{
		{"Cypher in an id", "application/json", `{"query": "{ node(id: \"x'}) DETACH DELETE n //\") { id } }"}`, []int{200}, `"node":null`},
		{"Cypher in a mutation id", "application/json", `{"query": "mutation { setImplementationStatus(id: \"x\\\") MATCH (n) DETACH DELETE n //\", status: FAILED) { id } }"}`, []int{200}, "BAD_USER_INPUT"},
		{"Lucene and Cypher in search", "application/json", `{"query": "{ search(text: \"*:* OR x') CALL db.clearQueryCaches() //\") { score } }"}`, []int{200}, "search"},
		{"huge string", "application/json", `{"query": "{ node(id: \"` + strings.Repeat("x", 100_000) + `\") { id } }"}`, []int{200}, `"node":null`},
		{"body over the limit", "application/json", `{"query": "{ node(id: \"` + strings.Repeat("x", 2<<20) + `\") { id } }"}`, []int{413}, "larger than"},
		{"aliases repeated thousands of times", "application/json", `{"query": "{ ` + strings.Join(aliases, " ") + ` }"}`, []int{200, 422}, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"malformed JSON", "application/json", `{"query": "{ node(id: \"x\") { id }`, []int{400, 422}, "error"},
		{"wrong content type", "text/plain", `{ node(id: "x") { id } }`, []int{400, 415, 422}, ""},
		{"invalid UTF-8", "application/json", "{\"query\": \"{ node(id: \\\"\xff\xfe\\\") { id } }\"}", []int{200, 400, 422}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := http.Post(base+"/graphql", tt.contentType, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			buf := new(strings.Builder)
			_, _ = io.Copy(buf, resp.Body)
			ok := false
			for _, st := range tt.wantStatus {
				ok = ok || resp.StatusCode == st
			}
			if !ok || !strings.Contains(buf.String(), tt.wantInBody) {
				t.Errorf("status %d body %.300s; want one of %v containing %q", resp.StatusCode, buf.String(), tt.wantStatus, tt.wantInBody)
			}
		})
	}
	// The one mutation attempt (refused as bad input) is audited; nothing else changes.
	if after := allCounts(t, s); after[0] != before[0] || after[1] != before[1] || after[2] != before[2]+1 {
		t.Errorf("nodes, relationships, audit records: %v -> %v; want the graph unchanged and one audit record", before, after)
	}
	if !ready(t, base) {
		t.Error("the service is not ready after the hostile requests")
	}
}
