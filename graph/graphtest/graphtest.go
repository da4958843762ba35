// Package graphtest connects integration tests to the real Neo4j that tools/neo4j starts (or the
// one NEO4J_URI names), with aimsgraph's schema migrated.
//
// Without a reachable Neo4j the tests are skipped, unless AIMSGRAPH_REQUIRE_NEO4J is set (as
// `make test` and CI do), where they fail instead.
package graphtest

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

// Options returns the store options for tests from the same env variables the service reads.
func Options() graph.Options {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		uri = "bolt://127.0.0.1:7687"
	}
	db := os.Getenv("NEO4J_DATABASE")
	if db == "" {
		db = "neo4j"
	}
	return graph.Options{
		URI: uri, Username: os.Getenv("NEO4J_USERNAME"), Password: os.Getenv("NEO4J_PASSWORD"),
		Database: db, TxTimeout: 2 * time.Minute,
	}
}

var migrateOnce sync.Once
var migrateErr error

// Store opens a store on the test Neo4j, migrated, and closes it when the test ends.
func Store(t testing.TB) *graph.Store {
	t.Helper()
	s := Open(t, Options())
	migrateOnce.Do(func() {
		m, err := graph.NewMigrator(s)
		if err != nil {
			migrateErr = err
			return
		}
		_, migrateErr = m.Migrate(context.Background())
	})
	if migrateErr != nil {
		t.Fatalf("migrate test database: %v", migrateErr)
	}
	return s
}

// Open opens a store with the given options without migrating, skipping or failing the test
// when Neo4j does not answer.
func Open(t testing.TB, o graph.Options) *graph.Store {
	t.Helper()
	s, err := graph.Open(o)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	if err := s.Ping(context.Background()); err != nil {
		if os.Getenv("AIMSGRAPH_REQUIRE_NEO4J") != "" {
			t.Fatalf("Neo4j is required (AIMSGRAPH_REQUIRE_NEO4J is set) but does not answer at %s: %v", o.URI, err)
		}
		t.Skipf("no Neo4j at %s (start one with tools/neo4j start): %v", o.URI, err)
	}
	return s
}

// Prefix returns a fresh id prefix, so that tests that write to the shared database never
// collide and can delete exactly what they wrote.
func Prefix(t testing.TB) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "test-" + hex.EncodeToString(b)
}

//go:embed cleanup.cypher
var cleanupText string

// Cleanup deletes every node whose id starts with prefix now (what an earlier run or a local
// load left) and again when the test ends.
func Cleanup(t testing.TB, s *graph.Store, prefix string) {
	t.Helper()
	clean := func() {
		err := s.Write(context.Background(), func(ctx context.Context, tx graph.Tx) error {
			_, err := tx.Run(ctx, cypher.Statement{Name: "test_cleanup", Text: cleanupText}, map[string]any{"prefix": prefix})
			return err
		})
		if err != nil {
			t.Errorf("cleanup %s: %v", prefix, err)
		}
	}
	clean()
	t.Cleanup(clean)
}

// Exec runs one statement from a test's testdata file in a write transaction.
func Exec(t testing.TB, s *graph.Store, file string, params map[string]any) []graph.Record {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.Exec(context.Background(), cypher.Statement{Name: "test_" + file, Text: string(text)}, params)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return rows
}

// PlanLeaves returns the operators a statement's plan starts from (the leaves of its EXPLAIN
// plan), so that tests can check it starts from an index and not from a label or full scan.
func PlanLeaves(t testing.TB, st cypher.Statement, params map[string]any) []string {
	t.Helper()
	o := Options()
	auth := neo4j.NoAuth()
	if o.Username != "" {
		auth = neo4j.BasicAuth(o.Username, o.Password, "")
	}
	ctx := context.Background()
	d, err := neo4j.NewDriverWithContext(o.URI, auth)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(ctx)
	sess := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: o.Database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, "EXPLAIN "+st.Text, params)
	if err != nil {
		t.Fatalf("EXPLAIN %s: %v", st.Name, err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		t.Fatalf("EXPLAIN %s: %v", st.Name, err)
	}
	var leaves []string
	var walk func(p neo4j.Plan)
	walk = func(p neo4j.Plan) {
		if len(p.Children()) == 0 {
			leaves = append(leaves, strings.TrimSuffix(p.Operator(), "@neo4j"))
			return
		}
		for _, c := range p.Children() {
			walk(c)
		}
	}
	if sum.Plan() == nil {
		t.Fatalf("EXPLAIN %s: no plan", st.Name)
	}
	walk(sum.Plan())
	return leaves
}
