package resolvers_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
	"github.com/aimsgraph/aimsgraph/resolvers"
)

// examples are the worked examples of docs/api-examples.md: one per operation, run on the
// bundled content with the clock pinned, their output written into the page.
var examples = []struct{ title, note, query string }{
	{"Look up and list", "A provision, and the AI modules' requirements at level H.",
		`{
  provision(id: "eu-2024-1689/art-15/par-5/sub-3") { ref title }
  controls(standard: "aim@1.0", level: "H", first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { id title } } }
}`},
	{"Which controls satisfy this clause", "Controls of ISO/IEC 27001 and the AI modules for Art. 15(4), strongest first, with one path each.",
		`{
  provision(id: "eu-2024-1689/art-15/par-4") {
    satisfiedBy(standards: ["iso-27001@2022", "aim@1.0"], first: 4) {
      control { id title } provision { ref } relationship strength direct
      paths { nodes { id kind } relationships { kind from to relationship } }
    }
  }
}`},
	{"Gaps: Article 15 with the ISMS alone, and with the AI modules", "The approach's headline.",
		`{
  ismsOnly: gaps(regulation: "eu-2024-1689", under: "eu-2024-1689/art-15", standards: ["iso-27001@2022", "bsi-gs-2023"]) { ref title }
  withAIModules: gaps(regulation: "eu-2024-1689", under: "eu-2024-1689/art-15", standards: ["iso-27001@2022", "bsi-gs-2023", "aim@1.0"]) { ref }
}`},
	{"Coverage of an AI system", "Article 15 for the life pricing system (other articles left out of the output here).",
		`{
  aiSystem(id: "org/ai/life-pricing") {
    title riskClass role
    coverage(standards: ["aim@1.0"]) {
      provision { ref } status
      controls { control { id } relationship implementations { implementation { id status } covering dependencyPath { nodes { id } } evidence { id validUntil expired } } }
    }
  }
}`},
	{"What a failed control affects", "The model registry's signature check fails: every system whose models come from the registry.",
		`{
  controlFailureImpact(control: "aim@1.0/AI.MODEL.A7") {
    implementations { id status }
    affected { aiSystem { id riskClass } dependencyPath { nodes { id } } provisions { provision { ref } before after } }
    risks { id title score targets { id } }
  }
}`},
	{"The auditor's trail", "From Art. 15(5), first subparagraph to proof, for the life pricing system.",
		`{
  trace(provision: "eu-2024-1689/art-15/par-5/sub-1", aiSystem: "org/ai/life-pricing") {
    provision { ref } control { id } relationship implementation { id status lastTested }
    dependencyPath { nodes { id } } evidence { id uri validUntil expired }
  }
}`},
	{"Threats, both ways", "An ATLAS technique to the risks it realises and what mitigates it; and the risks to one system.",
		`{
  threat(id: "atlas/AML.T0018") { title risks { id score targets { id } } mitigatedBy { node { id kind } implementations { id status } } }
  risksTo(target: "org/ai/cv-screening") { id title score threat { id title } mitigatedBy { node { id } implementations { status } } }
}`},
	{"Search", "Full-text over provisions, controls, standards and threats, ranked (Lucene syntax; a phrase here). Scores depend on what else is indexed, so they are left out here.",
		`{ search(text: "\"validated model version\"", first: 3) { node { __typename id ... on Control { title } } } }`},
	{"Mutations", "Record a failed test, add evidence, set a status, model a module (each one transaction). Here run against a copy of the demo that the next example run reloads.",
		`mutation {
  recordAssessment(input: {control: "aim@1.0/AI.PLAT.A5", target: "org/platform/inference-gateway", result: FAILED, assessedAt: "2026-12-03", assessor: "Internal Audit", notes: "rate limits bypassed via second API key"}) {
    result assessor implementation { id status lastTested }
  }
  addEvidence(input: {implementation: "org/impl/gov-lessons", id: "org/evidence/lessons-draft", title: "Lessons-learned template", uri: "https://wiki.rheinwerk.example/secops/ai-lessons", collectedAt: "2026-12-01", validUntil: "2027-12-01"}) { id expired }
  setImplementationStatus(id: "org/impl/gov-lessons", status: PARTIAL, notes: "template in review") { id status notes }
  applyModule(module: "aim@1.0/AI.MODEL", target: "org/model/doc-classifier")
}`},
}

// TestDocumentedExamples runs every example and checks docs/api-examples.md holds exactly its
// output; UPDATE_DOCS=1 rewrites the page.
func TestDocumentedExamples(t *testing.T) {
	s := graphtest.Store(t)
	loadPack(t, s, true)
	graphtest.Cleanup(t, s, "assessment/")
	res := &resolvers.Resolver{Store: s, Now: func() time.Time { return time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) }}
	h := handler.New(resolvers.NewExecutableSchema(resolvers.NewConfig(res)))
	h.AddTransport(transport.POST{})
	h.AroundOperations(res.Loaders())
	h.SetErrorPresenter(resolvers.PresentError)
	c := client.New(h)
	var b strings.Builder
	b.WriteString("# GraphQL API: worked examples\n\nEach query below ran against the bundled content (the AI modules, the ISMS mappings, the AI Act references\nand the demo organisation, as `make run` loads them, without the official AI Act text) on 2026-12-04;\nthe output is the real response, generated by `UPDATE_DOCS=1 go test -run TestDocumentedExamples ./resolvers/`.\nThe reference of every type and field is [schema.md](schema.md); the semantics are in [api.md](api.md).\n")
	for _, ex := range examples {
		var resp map[string]any
		if err := c.Post(ex.query, &resp); err != nil {
			t.Fatalf("%s: %v", ex.title, err)
		}
		var pretty any = resp
		if ex.title == "Coverage of an AI system" {
			pretty = onlyArticle15(pretty)
		}
		out, _ := json.MarshalIndent(pretty, "", "  ")
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n```graphql\n%s\n```\n\n```json\n%s\n```\n", ex.title, ex.note, ex.query, out)
	}
	const path = "../docs/api-examples.md"
	if os.Getenv("UPDATE_DOCS") != "" {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != b.String() {
		t.Errorf("%s is out of date: run UPDATE_DOCS=1 go test -run TestDocumentedExamples ./resolvers/", path)
	}
}

// onlyArticle15 keeps the coverage entries of Art. 15 so that the page stays readable.
func onlyArticle15(v any) any {
	sys := v.(map[string]any)["aiSystem"].(map[string]any)
	var kept []any
	for _, c := range sys["coverage"].([]any) {
		ref := c.(map[string]any)["provision"].(map[string]any)["ref"]
		if s, _ := ref.(string); strings.HasPrefix(s, "Art. 15") {
			kept = append(kept, c)
		}
	}
	sys["coverage"] = kept
	return v
}
