package audit_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/aimsgraph/aimsgraph/audit"
	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

func count(t *testing.T, s *graph.Store, id string) int64 {
	rows := graphtest.Exec(t, s, "testdata/count.cypher", map[string]any{"id": id})
	return rows[0]["n"].(int64)
}

// latest returns the newest records of an actor.
func latest(t *testing.T, trail *audit.Trail, actor string, n int) []audit.Record {
	t.Helper()
	recs, _, err := trail.Page(context.Background(), audit.Filter{Actor: actor}, n, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestChangeAndRecordCommitTogether(t *testing.T) {
	s := graphtest.Store(t)
	prefix := graphtest.Prefix(t)
	graphtest.Cleanup(t, s, prefix)
	var logBuf bytes.Buffer
	trail := audit.New(s, zerolog.New(&logBuf))
	actor := "token:" + prefix
	entry := audit.Entry{Actor: actor, ActorKind: "token", Roles: []string{"editor"}, Channel: "graphql", Operation: "addAsset",
		Variables: map[string]any{"id": prefix + "/a", "password": "hunter2", "note": strings.Repeat("x", 5000), "by": "agt_abcdef"}}

	// A change that commits: one record with outcome OK, committed with it.
	ctx, p := trail.Begin(context.Background(), entry)
	audit.Touch(ctx, prefix+"/a")
	if _, err := s.Exec(ctx, stmt("testdata/change.cypher"), map[string]any{"id": prefix + "/a"}); err != nil {
		t.Fatal(err)
	}
	if err := p.Finish(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	// A change whose transaction fails: nothing of it and a record of the failure.
	ctx, p = trail.Begin(context.Background(), entry)
	audit.Touch(ctx, prefix+"/b")
	boom := errors.New("boom")
	err := s.Write(ctx, func(ctx context.Context, tx graph.Tx) error {
		if _, err := tx.Run(ctx, stmt("testdata/change.cypher"), map[string]any{"id": prefix + "/b"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if err := p.Finish(ctx, "INTERNAL", err); err != nil {
		t.Fatal(err)
	}
	if count(t, s, prefix+"/a") != 1 || count(t, s, prefix+"/b") != 0 {
		t.Fatal("the committed change is missing or the failed one was written")
	}

	recs := latest(t, trail, actor, 10)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2: %+v", len(recs), recs)
	}
	failed, ok := recs[0], recs[1]
	if ok.Outcome != audit.OutcomeOK || strings.Join(ok.Touched, ",") != prefix+"/a" || ok.Operation != "addAsset" || ok.Channel != "graphql" || strings.Join(ok.Roles, ",") != "editor" {
		t.Errorf("committed record %+v", ok)
	}
	if failed.Outcome != "INTERNAL" || failed.Error != "boom" || failed.Seq <= ok.Seq || strings.Join(failed.Touched, ",") != prefix+"/b" {
		t.Errorf("failure record %+v", failed)
	}
	for _, secret := range []string{"hunter2", "agt_abcdef", strings.Repeat("x", 2000)} {
		if strings.Contains(ok.Variables, secret) || strings.Contains(logBuf.String(), secret) {
			t.Errorf("%.20q reached the record or the log: %s", secret, ok.Variables)
		}
	}
	if !strings.Contains(ok.Variables, `"password":"[REDACTED]"`) || !strings.Contains(ok.Variables, "more bytes]") {
		t.Errorf("variables %s: want the password redacted and the long note cut", ok.Variables)
	}
	if n := strings.Count(logBuf.String(), `"message":"audit"`); n != 2 {
		t.Errorf("%d audit log events, want 2:\n%s", n, logBuf.String())
	}
	if _, err := trail.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentRecordsAreGapFree(t *testing.T) {
	s := graphtest.Store(t)
	prefix := graphtest.Prefix(t)
	trail := audit.New(s, zerolog.Nop())
	actor := "token:" + prefix
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- trail.Append(context.Background(), audit.Entry{Actor: actor, Operation: "concurrent"}, audit.OutcomeOK, nil)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	recs := latest(t, trail, actor, 50)
	if len(recs) != 20 {
		t.Fatalf("%d records, want 20", len(recs))
	}
	n, err := trail.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) < recs[0].Seq {
		t.Errorf("verified %d records, the newest is %d", n, recs[0].Seq)
	}
}

func TestVerifyFindsAnAlteredRecord(t *testing.T) {
	s := graphtest.Store(t)
	prefix := graphtest.Prefix(t)
	trail := audit.New(s, zerolog.Nop())
	actor := "token:" + prefix
	if err := trail.Append(context.Background(), audit.Entry{Actor: actor, Operation: "setImplementationStatus"}, "FORBIDDEN", errors.New("no")); err != nil {
		t.Fatal(err)
	}
	rec := latest(t, trail, actor, 1)[0]
	graphtest.Exec(t, s, "testdata/tamper.cypher", map[string]any{"id": rec.ID, "operation": "somethingHarmless"})
	defer graphtest.Exec(t, s, "testdata/tamper.cypher", map[string]any{"id": rec.ID, "operation": rec.Operation})
	_, err := trail.Verify(context.Background())
	if err == nil || !strings.Contains(err.Error(), rec.ID) || !strings.Contains(err.Error(), "was altered") {
		t.Fatalf("Verify = %v, want it to name the altered record %s", err, rec.ID)
	}
}

func TestPageFilters(t *testing.T) {
	s := graphtest.Store(t)
	prefix := graphtest.Prefix(t)
	trail := audit.New(s, zerolog.Nop())
	actor := "token:" + prefix
	for i, op := range []string{"load", "unload", "load", "load"} {
		outcome := audit.OutcomeOK
		if i == 3 {
			outcome = "BAD_USER_INPUT"
		}
		if err := trail.Append(context.Background(), audit.Entry{Actor: actor, Operation: op}, outcome, nil); err != nil {
			t.Fatal(err)
		}
	}
	page1, more, err := trail.Page(context.Background(), audit.Filter{Actor: actor, Operation: "load"}, 2, 0)
	if err != nil || len(page1) != 2 || !more {
		t.Fatalf("page 1: %d records, more %v, %v", len(page1), more, err)
	}
	page2, more, err := trail.Page(context.Background(), audit.Filter{Actor: actor, Operation: "load"}, 2, page1[1].Seq)
	if err != nil || len(page2) != 1 || more {
		t.Fatalf("page 2: %d records, more %v, %v", len(page2), more, err)
	}
	if page1[0].Outcome != "BAD_USER_INPUT" || page1[0].Seq <= page1[1].Seq || page2[0].Seq >= page1[1].Seq {
		t.Errorf("order: %+v %+v", page1, page2)
	}
	failed, _, _ := trail.Page(context.Background(), audit.Filter{Actor: actor, Outcome: "BAD_USER_INPUT"}, 10, 0)
	future, _, _ := trail.Page(context.Background(), audit.Filter{Actor: actor, Since: "2999-01-01"}, 10, 0)
	if len(failed) != 1 || len(future) != 0 {
		t.Errorf("outcome filter %d, since filter %d", len(failed), len(future))
	}
}

// BenchmarkAppend measures one audit record in a transaction of its own (a refused or failed
// change); a committed change pays the two statements inside its own transaction instead.
func BenchmarkAppend(b *testing.B) {
	s := graphtest.Store(b)
	trail := audit.New(s, zerolog.Nop())
	e := audit.Entry{Actor: "token:bench", Operation: "bench", Variables: map[string]any{"id": "x", "notes": strings.Repeat("n", 200)}}
	for b.Loop() {
		if err := trail.Append(context.Background(), e, audit.OutcomeOK, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStatementsStartFromIndexes: reading and appending the trail never scans every record.
func TestStatementsStartFromIndexes(t *testing.T) {
	graphtest.Store(t)
	for name, params := range map[string]map[string]any{
		"audit_page":   {"before": int64(100), "limit": 10, "operation": nil, "actor": nil, "outcome": nil, "since": nil, "until": nil},
		"audit_chain":  {"after": int64(0), "limit": 1000},
		"audit_next":   nil,
		"audit_append": {"id": "x", "props": map[string]any{"hash": "h"}},
		"audit_head":   nil,
	} {
		leaves := graphtest.PlanLeaves(t, cypher.MustGet(name), params)
		t.Logf("%s: %v", name, leaves)
		for _, op := range leaves {
			if !strings.Contains(op, "IndexSeek") && !strings.Contains(op, "Argument") && op != "EmptyRow" {
				t.Errorf("%s starts from %s, not an index seek", name, op)
			}
		}
	}
}
