package graph_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
	"github.com/aimsgraph/aimsgraph/graph/graphtest"
)

// TestSchemaCoversVocabulary checks, on the migrated real database, that every node kind has a
// uniqueness constraint on id, every lookup key an index, and the full-text index covers every
// kind that declares text properties.
func TestSchemaCoversVocabulary(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	var constraints, indexes []graph.Record
	err := s.Read(ctx, func(ctx context.Context, tx graph.Tx) error {
		var err error
		if constraints, err = tx.Run(ctx, cypher.MustGet("schema_constraints"), nil); err != nil {
			return err
		}
		indexes, err = tx.Run(ctx, cypher.MustGet("schema_indexes"), nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	has := func(rows []graph.Record, typ, label string, props ...string) bool {
		for _, r := range rows {
			if r["type"] != typ {
				continue
			}
			labels := toStrings(r["labelsOrTypes"])
			if slices.Contains(labels, label) && slices.Equal(toStrings(r["properties"]), props) {
				return true
			}
		}
		return false
	}
	if !has(constraints, "UNIQUENESS", graph.EntityLabel, graph.PropID) {
		t.Errorf("no uniqueness constraint on %s.id", graph.EntityLabel)
	}
	for _, p := range graph.EntityLookup() {
		if !has(indexes, "RANGE", graph.EntityLabel, p) {
			t.Errorf("no index on %s.%s", graph.EntityLabel, p)
		}
	}
	for _, spec := range graph.NodeKinds() {
		if !has(constraints, "UNIQUENESS", string(spec.Kind), graph.PropID) {
			t.Errorf("%s: no uniqueness constraint on id", spec.Kind)
		}
		for _, p := range spec.Lookup {
			if !has(indexes, "RANGE", string(spec.Kind), p) {
				t.Errorf("%s: no index on lookup key %s", spec.Kind, p)
			}
		}
		if len(spec.FullText) > 0 && !has(indexes, "FULLTEXT", string(spec.Kind), spec.FullText...) {
			t.Errorf("%s: not in a full-text index over %v", spec.Kind, spec.FullText)
		}
	}
	for _, spec := range graph.RelKinds() {
		for _, p := range spec.Lookup {
			if !has(indexes, "RANGE", string(spec.Kind), p) {
				t.Errorf("%s: no relationship index on lookup key %s", spec.Kind, p)
			}
		}
	}
	for _, r := range indexes {
		if r["state"] != "ONLINE" {
			t.Errorf("index %v is %v after migrate, want ONLINE", r["name"], r["state"])
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	s := graphtest.Store(t) // migrated once already
	m, err := graph.NewMigrator(s)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("second migrate applied %v, want nothing", res.Applied)
	}
	want := m.Migrations[len(m.Migrations)-1].Version
	if res.Current != want {
		t.Errorf("current version %d, want %d", res.Current, want)
	}
	if p, err := m.Pending(context.Background()); err != nil || len(p) != 0 {
		t.Errorf("pending after migrate = %v, %v; want none", p, err)
	}
}

// TestMigrateConcurrently runs several migrators on one fresh ledger at once, as replicas that
// start together would: all succeed, and each version is recorded exactly once.
func TestMigrateConcurrently(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	migs, err := cypher.ParseMigrations(os.DirFS("testdata"), "migrations")
	if err != nil {
		t.Fatal(err)
	}
	ledger := graphtest.Prefix(t)
	t.Cleanup(func() { forgetLedger(t, s, ledger) })

	const n = 4
	results := make([]graph.MigrationResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := &graph.Migrator{Store: graphtest.Open(t, graphtest.Options()), Ledger: ledger, Migrations: migs}
			results[i], errs[i] = m.Migrate(ctx)
		}()
	}
	wg.Wait()
	var appliedTotal []int
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("migrator %d: %v", i, errs[i])
		}
		if results[i].Current != 2 {
			t.Errorf("migrator %d: current %d, want 2", i, results[i].Current)
		}
		appliedTotal = append(appliedTotal, results[i].Applied...)
	}
	slices.Sort(appliedTotal)
	if !slices.Equal(appliedTotal, []int{1, 2}) {
		t.Errorf("versions applied across migrators = %v, want [1 2] exactly once each", appliedTotal)
	}
}

func TestMigrateRefusesEditedMigration(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	ledger := graphtest.Prefix(t)
	t.Cleanup(func() { forgetLedger(t, s, ledger) })
	orig := fstest.MapFS{"m/0001_one.cypher": {Data: []byte("CREATE INDEX migration_test_name IF NOT EXISTS FOR (n:MigrationTestNode) ON (n.name);\n")}}
	migs, err := cypher.ParseMigrations(orig, "m")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&graph.Migrator{Store: s, Ledger: ledger, Migrations: migs}).Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	edited := fstest.MapFS{"m/0001_one.cypher": {Data: []byte("// edited\nCREATE INDEX migration_test_name IF NOT EXISTS FOR (n:MigrationTestNode) ON (n.name);\n")}}
	migs, _ = cypher.ParseMigrations(edited, "m")
	_, err = (&graph.Migrator{Store: s, Ledger: ledger, Migrations: migs}).Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "0001_one was changed after it was applied") {
		t.Fatalf("migrate with an edited migration: err = %v, want a 'changed after it was applied' error", err)
	}
}

func forgetLedger(t *testing.T, s *graph.Store, ledger string) {
	t.Helper()
	text, err := os.ReadFile("testdata/cleanup.cypher")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Write(context.Background(), func(ctx context.Context, tx graph.Tx) error {
		_, err := tx.Run(ctx, cypher.Statement{Name: "test_cleanup", Text: string(text)}, map[string]any{"ledger": ledger})
		return err
	})
	if err != nil {
		t.Errorf("cleanup ledger %s: %v", ledger, err)
	}
}

func toStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, fmt.Sprint(x))
		}
	}
	return out
}
