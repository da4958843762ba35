package resolvers_test

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestMutationsChangeCoverage applies each mutation to the small organisation and reads the
// effect through coverage; refused mutations change nothing.
func TestMutationsChangeCoverage(t *testing.T) {
	s := graphtest.Store(t)
	p := orgGraph(t, s)
	graphtest.Cleanup(t, s, "assessment/")
	c := newClient(s)
	coverage := func() string {
		var resp struct {
			AiSystem struct {
				Coverage []struct {
					Provision struct{ ID string }
					Status    string
				}
			}
		}
		c.MustPost(`query($s: ID!, $r: ID!) { aiSystem(id: $s) { coverage(regulation: $r) { provision { id } status } } }`, &resp,
			client.Var("s", p+"S"), client.Var("r", p+"reg"))
		var out []string
		for _, x := range resp.AiSystem.Coverage {
			out = append(out, strings.TrimPrefix(x.Provision.ID, p+"reg/")+"="+x.Status)
		}
		return strings.Join(out, " ")
	}
	mutate := func(q string, vars ...client.Option) error {
		var resp map[string]any
		return c.Post(q, &resp, vars...)
	}
	steps := []struct {
		name, query string
		vars        map[string]any
		want        string // coverage of S afterwards
	}{
		{"start", "", nil, "art-9=FAILED art-15/par-1=PARTIALLY_COVERED art-15/par-2=COVERED"},
		{"fresh evidence for Y", `mutation($i: ID!, $id: ID) { addEvidence(input: {implementation: $i, id: $id, uri: "https://x/y", collectedAt: "2026-11-30", validUntil: "2099-12-31"}) { id expired } }`,
			map[string]any{"i": p + "iY", "id": p + "eY2"}, "art-9=FAILED art-15/par-1=COVERED art-15/par-2=COVERED"},
		{"X's evidence expires", `mutation($id: ID!) { expireEvidence(id: $id) { expired } }`,
			map[string]any{"id": p + "eX"}, "art-9=FAILED art-15/par-1=PARTIALLY_COVERED art-15/par-2=COVERED"},
		{"Z planned", `mutation($id: ID!) { setImplementationStatus(id: $id, status: PLANNED, notes: "migration") { status } }`,
			map[string]any{"id": p + "iZ"}, "art-9=FAILED art-15/par-1=PARTIALLY_COVERED art-15/par-2=NOT_COVERED"},
		{"W passes its retest", `mutation($c: ID!, $t: ID!) { recordAssessment(input: {control: $c, target: $t, result: PASSED, assessedAt: "2026-12-01", assessor: "A. Auditor"}) { id implementation { status lastTested } } }`,
			map[string]any{"c": p + "W", "t": p + "S"}, "art-9=NOT_COVERED art-15/par-1=PARTIALLY_COVERED art-15/par-2=NOT_COVERED"},
		{"Y fails an assessment", `mutation($c: ID!, $t: ID!) { recordAssessment(input: {control: $c, target: $t, result: FAILED, assessedAt: "2026-12-02", assessor: "A. Auditor", notes: "drift"}) { id } }`,
			map[string]any{"c": p + "Y", "t": p + "M"}, "art-9=NOT_COVERED art-15/par-1=FAILED art-15/par-2=NOT_COVERED"},
	}
	for _, st := range steps {
		if st.query != "" {
			var opts []client.Option
			for k, v := range st.vars {
				opts = append(opts, client.Var(k, v))
			}
			if err := mutate(st.query, opts...); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		if got := coverage(); got != st.want {
			t.Fatalf("after %s: %s; want %s", st.name, got, st.want)
		}
	}

	// Refused: each with its code, and coverage as it was.
	before := coverage()
	refused := []struct {
		name, query, want string
	}{
		{"no such implementation", `mutation { recordAssessment(input: {control: "` + p + `X", target: "` + p + `PL", result: FAILED, assessedAt: "2026-12-01", assessor: "a"}) { id } }`, "NOT_FOUND"},
		{"future assessment", `mutation { recordAssessment(input: {control: "` + p + `X", target: "` + p + `S", result: FAILED, assessedAt: "2999-01-01", assessor: "a"}) { id } }`, "is in the future"},
		{"bad sha256", `mutation { addEvidence(input: {implementation: "` + p + `iX", uri: "u", collectedAt: "2026-01-01", sha256: "XYZ"}) { id } }`, "sha256 must be"},
		{"valid before collected", `mutation { addEvidence(input: {implementation: "` + p + `iX", uri: "u", collectedAt: "2026-01-02", validUntil: "2026-01-01"}) { id } }`, "is before collectedAt"},
		{"evidence for nothing", `mutation { addEvidence(input: {implementation: "` + p + `nope", uri: "u", collectedAt: "2026-01-01"}) { id } }`, "NOT_FOUND"},
		{"id taken", `mutation { addEvidence(input: {implementation: "` + p + `iX", id: "` + p + `eX", uri: "u", collectedAt: "2026-01-01"}) { id } }`, "is taken"},
		{"Cypher in an id", `mutation { setImplementationStatus(id: "x'}) DETACH DELETE n //", status: FAILED) { id } }`, "is not an id"},
		{"unknown status", `mutation { setImplementationStatus(id: "` + p + `iX", status: BROKEN) { id } }`, "BROKEN"},
		{"module onto nothing", `mutation { applyModule(module: "` + p + `X", target: "` + p + `nope") }`, "NOT_FOUND"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			var resp map[string]any
			err := c.Post(tt.query, &resp)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want %q", err, tt.want)
			}
		})
	}
	if after := coverage(); after != before {
		t.Errorf("refused mutations changed coverage: %s -> %s", before, after)
	}
	var applied struct{ ApplyModule bool }
	for range 2 { // idempotent
		c.MustPost(`mutation($m: ID!, $t: ID!) { applyModule(module: $m, target: $t) }`, &applied, client.Var("m", p+"X"), client.Var("t", p+"PL"))
		if !applied.ApplyModule {
			t.Fatal("applyModule returned false")
		}
	}
}
