package main

import (
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestCommandsAreAudited: a load, a failed load and an unload from the command line each leave
// one audit record naming the actor, the sources and the outcome.
func TestCommandsAreAudited(t *testing.T) {
	s := graphtest.Store(t)
	graphtest.Cleanup(t, s, "cli-audit-test")
	graphtest.Cleanup(t, s, "run/cli-audit-test")
	actor := "test:" + graphtest.Prefix(t)
	ctx := context.Background()
	trail := audit.New(s, zerolog.Nop())
	records := func() []audit.Record {
		recs, _, err := trail.Page(ctx, audit.Filter{Actor: actor}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	if err := run(ctx, []string{"--actor=" + actor, "--log-level=error", "load", "testdata/audited.yaml"}); err != nil {
		t.Fatal(err)
	}
	err := run(ctx, []string{"--actor=" + actor, "--log-level=error", "load", "testdata/audited-broken.yaml"})
	if err == nil || !strings.Contains(err.Error(), "cli-audit-test-no-control") {
		t.Fatalf("broken load: %v", err)
	}
	if err := run(ctx, []string{"--actor=" + actor, "--log-level=error", "unload", "cli-audit-test"}); err != nil {
		t.Fatal(err)
	}
	recs := records()
	if len(recs) != 3 {
		t.Fatalf("%d records: %+v", len(recs), recs)
	}
	unload, broken, load := recs[0], recs[1], recs[2]
	for _, c := range []struct {
		rec                 audit.Record
		op, outcome, source string
	}{{load, "load", "OK", "cli-audit-test"}, {broken, "load", "ERROR", "cli-audit-test-broken"}, {unload, "unload", "OK", "cli-audit-test"}} {
		if c.rec.Operation != c.op || c.rec.Outcome != c.outcome || c.rec.Channel != "cli" || strings.Join(c.rec.Touched, ",") != c.source {
			t.Errorf("record %+v; want %s %s of %s", c.rec, c.op, c.outcome, c.source)
		}
	}
	if !strings.Contains(broken.Error, "cli-audit-test-no-control") || !strings.Contains(load.Variables, "testdata/audited.yaml") {
		t.Errorf("the failed load's record %+v does not say why, or the load's variables %s miss the path", broken, load.Variables)
	}
}
