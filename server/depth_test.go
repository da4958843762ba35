package server

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/aimsgraph/aimsgraph/resolvers"
)

// TestLimitsRefuseBeforeResolving: too deep or too costly operations are refused with a code
// before any resolver runs (the store is nil: a resolver would panic).
func TestLimitsRefuseBeforeResolving(t *testing.T) {
	h := handler.New(resolvers.NewExecutableSchema(resolvers.NewConfig(&resolvers.Resolver{})))
	h.AddTransport(transport.POST{})
	h.Use(extension.FixedComplexityLimit(300))
	h.Use(depthLimit{Max: 4})
	h.SetErrorPresenter(resolvers.PresentError)
	c := client.New(h)
	tests := []struct{ name, query, want string }{
		{"five levels", `{ provision(id: "x") { satisfiedBy { paths { nodes { id } } } } }`, "operation is 5 levels deep, more than the limit of 4"},
		{"five levels through a fragment", `fragment P on Path { nodes { id } } { provision(id: "x") { satisfiedBy { paths { ...P } } } }`, "5 levels deep"},
		{"too costly", `{ a: regulations(first: 100) { edges { node { id title } } } b: standards(first: 100) { edges { node { id } } } }`, "complexity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp map[string]any
			err := c.Post(tt.query, &resp)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want %q", err, tt.want)
			}
		})
	}
	if d := selectionDepthOf(t, `{ provision(id: "x") { id } }`); d != 2 {
		t.Errorf("depth of a two-level query: %d", d)
	}
}

func selectionDepthOf(t *testing.T, q string) int {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	return selectionDepth(doc.Operations[0].SelectionSet, map[string]bool{})
}
