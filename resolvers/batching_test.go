package resolvers_test

import (
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestNestedFieldsDoNotMultiplyStatements counts the Cypher statements of nested queries: the
// same number whether a page holds two items or ten.
func TestNestedFieldsDoNotMultiplyStatements(t *testing.T) {
	loadPack(t, graphtest.Store(t), true)
	var mu sync.Mutex
	var statements []string
	o := graphtest.Options()
	o.Observe = func(name string, _ time.Duration, _ error) {
		mu.Lock()
		statements = append(statements, name)
		mu.Unlock()
	}
	c := newClient(graphtest.Open(t, o))
	count := func(q string, first int) []string {
		mu.Lock()
		statements = nil
		mu.Unlock()
		var resp map[string]any
		c.MustPost(q, &resp, client.Var("first", first))
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), statements...)
	}
	tests := []struct {
		name, query string
		want        int
	}{
		{"coverage of every system", `query($first: Int) { aiSystems(first: $first) { edges { node { id coverage { status controls { control { id } implementations { covering } } } } } } }`, 3},
		{"satisfiedBy of every provision", `query($first: Int) { provisions(under: "eu-2024-1689/art-15", first: $first) { edges { node { id satisfiedBy { control { id } relationship } } } } }`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			small, large := count(tt.query, 2), count(tt.query, 10)
			if len(small) != tt.want || len(large) != tt.want {
				t.Errorf("statements for 2 items %v, for 10 items %v; want %d each", small, large, tt.want)
			}
		})
	}
}
