// Package loadertest holds what the loader tests share: finding the real public data next to the
// checkout, making corrupted copies of it, and counting what a load left in the graph.
package loadertest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/aimsgraph/aimsgraph/cypher"
	"github.com/aimsgraph/aimsgraph/graph"
)

// Data returns the path of a file or folder under ../shared/data (relative to the repository
// root), or skips the test when it is absent.
func Data(t testing.TB, rel string) string {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(self), "..", "..", "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent (../shared/data is not next to the checkout)", rel)
	}
	return p
}

// Read returns a file's bytes or fails the test.
func Read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Corrupt writes a copy of src, changed by mutate, into the test's temporary folder under the
// same base name, and returns its path.
func Corrupt(t testing.TB, src string, mutate func([]byte) []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(p, mutate(Read(t, src)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Counts is what the graph holds of one source: the nodes it holds and the relationships it wrote.
type Counts struct{ Nodes, Rels int }

var countStmt = cypher.Statement{Name: "test_source_counts", Text: `
MATCH (r:ImportRun {sourceName: $source})
WITH r ORDER BY r.startedAt DESC LIMIT 1
RETURN COUNT { (n)-[:IMPORTED_BY]->(r) } AS nodes,
       COUNT { ()-[x {source: $source}]->() } AS rels`}

// SourceCounts counts what the graph holds of a source (zero when it was never loaded).
func SourceCounts(t testing.TB, s *graph.Store, source string) Counts {
	t.Helper()
	rows, err := s.Query(context.Background(), countStmt, map[string]any{"source": source})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return Counts{}
	}
	return Counts{int(rows[0]["nodes"].(int64)), int(rows[0]["rels"].(int64))}
}

// ProfileIDs reads the control ids an OSCAL profile's include-controls name, straight from the
// JSON (in file order, repeats kept), so that tests check the loader against the file.
func ProfileIDs(t testing.TB, path string) []string {
	t.Helper()
	var doc struct {
		Profile struct {
			Imports []struct {
				IncludeControls []struct {
					WithIDs []string `json:"with-ids"`
				} `json:"include-controls"`
			} `json:"imports"`
		} `json:"profile"`
	}
	if err := json.Unmarshal(Read(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, i := range doc.Profile.Imports {
		for _, s := range i.IncludeControls {
			ids = append(ids, s.WithIDs...)
		}
	}
	return ids
}
