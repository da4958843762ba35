package resolvers_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// Benchmarks of the traceability operations on the bundled demo organisation, through the
// GraphQL handler (parse, validate, resolve, Cypher, compose). Figures go to docs/api.md.
func BenchmarkTraceability(b *testing.B) {
	s := graphtest.Store(b)
	loadPackB(b, s)
	c := newClient(s)
	ops := []struct{ name, query string }{
		{"satisfiedBy Art. 15", `{ provision(id: "eu-2024-1689/art-15") { satisfiedBy(first: 200) { control { id } relationship strength paths { nodes { id } } } } }`},
		{"gaps Art. 15 ISMS only", `{ gaps(regulation: "eu-2024-1689", under: "eu-2024-1689/art-15", standards: ["iso-27001@2022", "bsi-gs-2023"]) { id } }`},
		{"coverage of every AI system", `{ aiSystems(first: 10) { edges { node { id coverage { status controls { control { id } implementations { covering evidence { expired } } } } } } } }`},
		{"controlFailureImpact registry signing", `{ controlFailureImpact(control: "aim@1.0/AI.MODEL.A7") { affected { aiSystem { id } provisions { provision { id } before after } } risks { id } } }`},
		{"trace Art. 15 for life pricing", `{ trace(provision: "eu-2024-1689/art-15", aiSystem: "org/ai/life-pricing") { control { id } implementation { id } evidence { expired } } }`},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			var resp map[string]any
			c.MustPost(op.query, &resp) // warm the plan cache
			for b.Loop() {
				c.MustPost(op.query, &resp, client.Operation(""))
			}
		})
	}
}
